"""Subscriptions refuse whoever may not see what they ask for, before any event is sent."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from app.graphql_schema import schema
from schema.context import Context
from tests.security.market import Market

REFUSALS: set[str | None] = {"FORBIDDEN", "NOT_FOUND", "UNAUTHENTICATED"}
SUBSCRIPTION = schema._schema.subscription_type


async def first_answer(market: Market, role: str, query: str) -> Any:
    """The refusal, or None if the server accepted the subscription (nothing arrives until an event)."""
    token = market.roles[role].token
    context = Context(viewer=await market.viewer("anonymous"), connection_params={"token": token} if token else {})
    result = await schema.subscribe(query, context_value=context)
    if not hasattr(result, "__anext__"):
        return result
    try:
        return await asyncio.wait_for(result.__anext__(), timeout=2)
    except TimeoutError:
        return None
    finally:
        await result.aclose()


def codes(answer: Any) -> set[str | None]:
    return {(e.extensions or {}).get("code") for e in (getattr(answer, "errors", None) or [])}


@pytest.mark.skipif(SUBSCRIPTION is None, reason="no subscriptions yet")
async def test_foreign_capacity_and_booking_streams_are_refused(market: Market) -> None:
    assert SUBSCRIPTION is not None
    problems = []
    for role_name, role in market.roles.items():
        if "capacityChanged" in SUBSCRIPTION.fields:
            for org in (market.org_x, market.org_y):
                if role.is_admin or org in role.org_ids:
                    continue
                query = f'subscription {{ capacityChanged(organizationId: "{org}") {{ eventId }} }}'
                answer = await first_answer(market, role_name, query)
                if answer is None or not codes(answer) or not codes(answer) <= REFUSALS:
                    problems.append(f"{role_name} may follow capacity of organization {org}: {answer}")
        if "bookingStatusChanged" in SUBSCRIPTION.fields:
            for booking_id in market.bookings:
                if market.sees_booking(role, booking_id):
                    continue
                query = f'subscription {{ bookingStatusChanged(bookingId: "{booking_id}") {{ eventId }} }}'
                answer = await first_answer(market, role_name, query)
                if answer is None or not codes(answer) or not codes(answer) <= REFUSALS:
                    problems.append(f"{role_name} may follow booking {booking_id}: {answer}")
            for org in (market.org_x, market.org_y):
                if role.is_admin or org in role.org_ids:
                    continue
                query = f'subscription {{ bookingStatusChanged(organizationId: "{org}") {{ eventId }} }}'
                answer = await first_answer(market, role_name, query)
                if answer is None or not codes(answer) or not codes(answer) <= REFUSALS:
                    problems.append(f"{role_name} may follow bookings of organization {org}: {answer}")
    if "jobOffers" in SUBSCRIPTION.fields:
        answer = await first_answer(market, "anonymous", "subscription { jobOffers { eventId } }")
        if codes(answer) != {"UNAUTHENTICATED"}:
            problems.append(f"anonymous may follow job offers: {answer}")
    assert not problems, "\n".join(problems)
