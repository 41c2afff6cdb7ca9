"""Helpers of the real-time tests: people with tokens, rows, and in-process subscriptions."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import uuid
from collections.abc import AsyncGenerator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

from graphql import ExecutionResult

from app.broadcast import Hub
from app.graphql_schema import schema
from app.security import issue_token
from app.services.access import Viewer
from models import JobOffer, Organization, OrganizationCapability, ServiceBooking, User
from models.enums import BookingStatus, CapabilityType, JobOfferStatus, MemberRole, SkillCategory
from schema.context import Context
from tests.factories import make_booking, make_org, make_user

# The subscription documents the real-time tests send.
CAPACITY = """subscription($org: ID!) { capacityChanged(organizationId: $org) {
  eventId organizationId capabilityIds days bookingId reason } }"""
BOOKING = """subscription($b: ID, $o: ID) { bookingStatusChanged(bookingId: $b, organizationId: $o) {
  eventId previousStatus status booking { id status customer { id } organization { id } } } }"""
OFFERS = """subscription { jobOffers { eventId change offer { id status amountCents booking { id } } } }"""


WAIT_SECONDS = 10.0  # upper bound for anything to arrive; tests never assert on timing
_seq = itertools.count(1)


@dataclass
class Person:
    user: User
    token: str


async def person(*, admin: bool = False) -> Person:
    user = await make_user(f"Person {next(_seq)}", at=None, admin=admin)
    token, _ = issue_token(user.id, user.token_version)
    return Person(user, token)


async def organization(owner: Person, role: MemberRole = MemberRole.OWNER) -> Organization:
    return await make_org(owner=owner.user, role=role, name=f"Shop {next(_seq)}", at=None)


@dataclass
class Demo:
    """The demo seed's Viva Las Vegas Autos and one of its capabilities (the `demo` fixture)."""

    organization_id: UUID
    capability_id: UUID


async def capability(org: Organization) -> OrganizationCapability:
    return await OrganizationCapability.create(
        organization=org, capability_type=CapabilityType.PAINT_BOOTH, quantity=2, hours_per_day=8, days_per_week=5
    )


async def booking(customer: Person, org: Organization | None, status: BookingStatus) -> ServiceBooking:
    return await make_booking(org, customer.user, status=status)


async def offer(worker: Person, row: ServiceBooking, status: JobOfferStatus = JobOfferStatus.PENDING) -> JobOffer:
    return await JobOffer.create(
        booking=row,
        user=worker.user,
        role=SkillCategory.PAINTING,
        hours=8,
        amount_cents=40_000,
        status=status,
        expires_at=datetime.now(UTC) + timedelta(hours=4),
    )


def ws_context(token: str | None, *, style: str = "authorization") -> Context:
    """A WebSocket-like context: anonymous until connection_init's payload is read."""
    params: dict[str, Any] = {}
    if token and style == "authorization":
        params = {"authorization": f"Bearer {token}"}
    elif token:
        params = {"token": token}
    return Context(viewer=Viewer(), connection_params=params)


class Live:
    """An in-process subscription: started, awaited until the hub holds its channel, then read."""

    def __init__(self, stream: AsyncGenerator[ExecutionResult, None]) -> None:
        self.stream = stream
        self._next: asyncio.Task[ExecutionResult] | None = None

    def _pending(self) -> asyncio.Task[ExecutionResult]:
        if self._next is None:
            self._next = asyncio.ensure_future(self.stream.__anext__())
        return self._next

    async def wait_held(self, hub: Hub, channel: str) -> None:
        before = hub.listeners(channel)
        task = self._pending()
        async with asyncio.timeout(WAIT_SECONDS):
            while hub.listeners(channel) <= before and not task.done():  # noqa: ASYNC110 (polls the hub's state)
                await asyncio.sleep(0.01)
        if task.done():
            raise AssertionError(f"subscription ended before holding {channel}: {task.result()}")

    async def next(self, wait: float = WAIT_SECONDS) -> ExecutionResult:
        task = self._pending()
        result = await asyncio.wait_for(asyncio.shield(task), wait)
        self._next = None
        return result

    async def nothing_within(self, seconds: float) -> bool:
        """True when no result arrives within `seconds` (for refusals of events, not of timing)."""
        task = self._pending()
        done, _ = await asyncio.wait({task}, timeout=seconds)
        return not done

    async def close(self) -> None:
        if self._next is not None:
            self._next.cancel()
            with contextlib.suppress(asyncio.CancelledError, StopAsyncIteration):
                await self._next
        await self.stream.aclose()


async def subscribe(query: str, context: Context, variables: dict[str, Any] | None = None) -> Live:
    # As a client sends them: UUIDs as text.
    values = {k: str(v) if isinstance(v, uuid.UUID) else v for k, v in (variables or {}).items()}
    stream = await schema.subscribe(query, variable_values=values, context_value=context)
    if isinstance(stream, ExecutionResult):
        raise AssertionError(f"subscription refused before execution: {stream.errors}")
    return Live(stream)  # type: ignore[arg-type]


def status_payload(row: ServiceBooking, previous: BookingStatus | None, status: BookingStatus) -> dict[str, object]:
    """What a booking status event carries (ids and the change), as the domain publishes it."""
    return {
        "bookingId": row.id,
        "organizationId": row.organization_id,
        "customerId": row.customer_id,
        "previousStatus": previous.value if previous else None,
        "status": status.value,
    }


def codes(result: ExecutionResult) -> list[str | None]:
    return [(e.extensions or {}).get("code") for e in result.errors or []]
