"""Steps shared by the payment tests: a signed contract, the work done, webhooks sent, a milestone paid."""

from __future__ import annotations

from typing import Any

import httpx

from app.services.contracts import create_contract, sign_contract
from app.services.coordination.lifecycle import transition
from app.services.payments import service
from app.services.payments.stripe_gateway import StripeGateway
from models import ServiceBooking, WorkContract
from models.enums import BookingStatus, ContractStatus
from tests.factories import World
from tests.payments.stripe_double import StripeDouble

WEBHOOK_SECRET = "whsec_test_secret_for_the_double"


async def active_contract(world: World) -> WorkContract:
    contract = await create_contract(booking=world.booking)
    for user in (world.customer, world.owner, *world.labor):
        contract = await sign_contract(viewer=await world.viewer(user), contract_id=contract.id)
    assert contract.contract_status == ContractStatus.ACTIVE
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


async def pay(
    world: World, milestone: str, gateway: StripeGateway, double: StripeDouble, client: httpx.AsyncClient
) -> dict[str, Any]:
    """The customer pays in the browser (Stripe.js confirms); Stripe then calls our webhook."""
    started = await service.start_payment(
        viewer=await world.viewer(world.customer), booking_id=world.booking.id, milestone=milestone
    )
    assert started.status == "requires_payment_method" and started.client_secret.startswith(started.payment_intent_id)
    intent = await gateway.client.v1.payment_intents.confirm_async(
        started.payment_intent_id, {"payment_method": "pm_card_visa"}
    )
    obj = intent.to_dict()
    response = await post_event(client, *signed(double, "payment_intent.succeeded", obj))
    assert response.status_code == 200, response.text
    return obj
