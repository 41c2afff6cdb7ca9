"""Steps shared by the payment tests: a signed contract, the work done, webhooks sent."""

from __future__ import annotations

from typing import Any

import httpx

from app.services.contracts import create_contract, sign_contract
from app.services.coordination.lifecycle import transition
from models import ServiceBooking, WorkContract
from models.enums import BookingStatus, ContractStatus
from tests.payments.factories import World
from tests.payments.stripe_double import StripeDouble

WEBHOOK_SECRET = "whsec_test_secret_for_the_double"


async def active_contract(world: World) -> WorkContract:
    contract = await create_contract(booking=world.booking)
    for user in (world.customer, world.owner, *world.labor):
        contract = await sign_contract(viewer=await world.viewer(user), contract_id=contract.id)
    assert contract.status == ContractStatus.ACTIVE
    return contract


async def finish_work(booking_id: int) -> None:
    booking = await ServiceBooking.get(id=booking_id)
    assert booking.status == BookingStatus.SCHEDULED  # maybe_schedule ran when the last party signed
    for to in (BookingStatus.IN_PROGRESS, BookingStatus.QUALITY_REVIEW, BookingStatus.COMPLETED):
        await transition(booking_id=booking_id, to=to)


def signed(double: StripeDouble, event_type: str, obj: dict[str, Any]) -> tuple[bytes, str]:
    return double.event(event_type, obj, WEBHOOK_SECRET)


async def post_event(client: httpx.AsyncClient, payload: bytes, signature: str) -> httpx.Response:
    return await client.post("/webhooks/stripe", content=payload, headers={"Stripe-Signature": signature})
