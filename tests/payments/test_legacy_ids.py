"""A milestone whose payment rows were written before the keys became UUIDs keeps its PaymentIntent key: a retry
after the migration asks the provider for the same intent, never a second one."""

from __future__ import annotations

from app.services.payments import service
from app.services.payments.ledger import LedgerGateway, ledger_id
from models import PaymentDistribution
from tests.factories import make_world
from tests.payments.helpers import active_contract


async def test_a_milestone_started_before_the_uuid_keys_keeps_its_intent_key() -> None:
    world = await make_world(labor_count=1)
    contract = await active_contract(world)
    rows = await service._write_outbox(contract, world.booking.id, "deposit")
    legacy_group = "booking-12"  # what rows of booking 12 stored before migration 0008
    await PaymentDistribution.filter(id__in=[r.id for r in rows]).update(transfer_group=legacy_group)
    gateway = LedgerGateway()

    started = await service.start_payment(
        viewer=await world.viewer(world.customer), booking_id=world.booking.id, milestone="deposit", gateway=gateway
    )

    assert started.payment_intent_id == ledger_id("pi", "booking-12-deposit-payment")
    assert gateway.intents[started.payment_intent_id]["transfer_group"] == legacy_group


async def test_a_new_milestone_is_keyed_by_its_bookings_uuid() -> None:
    world = await make_world(labor_count=1)
    await active_contract(world)
    gateway = LedgerGateway()
    started = await service.start_payment(
        viewer=await world.viewer(world.customer), booking_id=world.booking.id, milestone="deposit", gateway=gateway
    )
    assert started.payment_intent_id == ledger_id("pi", f"booking-{world.booking.id}-deposit-payment")
