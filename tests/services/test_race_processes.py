"""Two app processes on one PostgreSQL: accepts at two facilities, sent half to each process, never share a person.

In-process races share one connection pool and one event loop; here the accepts come over HTTP to two uvicorn
processes, each with its own pool, so only the database's locks and constraint can keep people single-booked.
"""

from __future__ import annotations

import asyncio
import uuid

import httpx
import pytest

from app import db
from app.security import issue_token
from models import CapacitySchedule, ServiceBooking, UserSkill
from models.enums import ResourceType
from tests.realtime import servers
from tests.services.invariants import assert_invariant
from tests.services.people_market import fresh_bookings, make_market

ROUNDS = 20
ACCEPT = (
    "mutation($id: Int!) { acceptQuote(bookingId: $id) { ... on ServiceBooking { status }"
    " ... on Error { __typename code message } } }"
)


@pytest.mark.skipif(not db.is_postgres(), reason="runs in the PostgreSQL pass: processes must share a database")
async def test_accepts_over_two_processes_never_share_a_person() -> None:
    market = await make_market(painters=3)
    tokens = {c.id: issue_token(c.id, c.token_version)[0] for c in market.customers}
    skills = await UserSkill.filter(user_id__in=[p.id for p in market.painters]).order_by("user_id")
    namespace = f"race-{uuid.uuid4().hex[:8]}."
    async with (
        servers.app_server(broadcast_url="memory://", namespace=namespace) as first,
        servers.app_server(broadcast_url="memory://", namespace=namespace) as second,
        httpx.AsyncClient(timeout=60) as client,
    ):

        async def accept(base: str, booking_id: int, token: str) -> dict[str, object]:
            response = await client.post(
                f"{base}/graphql",
                json={"query": ACCEPT, "variables": {"id": booking_id}},
                headers={"authorization": f"Bearer {token}"},
            )
            assert response.status_code == 200, response.text
            return dict(response.json())

        for round_no in range(ROUNDS):
            free = 1 + round_no % 3
            for i, skill in enumerate(skills):
                await UserSkill.filter(id=skill.id).update(is_available=i < free)
            ids = await fresh_bookings(market)
            owners = dict(await ServiceBooking.filter(id__in=ids).values_list("id", "customer_id"))
            answers = await asyncio.gather(
                *(accept((first, second)[n % 2], b, tokens[owners[b]]) for n, b in enumerate(ids))
            )
            assert not any(a.get("errors") for a in answers), answers
            results = [a["data"]["acceptQuote"] for a in answers]  # type: ignore[index]
            won = [r for r in results if "status" in r]
            codes = {r["code"] for r in results if "code" in r}
            assert codes <= {"CAPACITY_UNAVAILABLE"}, answers
            await assert_invariant()
            assert len(won) == free, (round_no, free, len(won))
            staffed = (
                await CapacitySchedule.filter(resource_type=ResourceType.USER_LABOR)
                .distinct()
                .values_list("user_id", flat=True)
            )
            assert len(set(staffed)) == free
