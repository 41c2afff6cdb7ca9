"""Ledger ids are unique across processes: two gateways (two app processes) never mint the same id."""

from __future__ import annotations

from typing import TypedDict

from app.services.payments import service
from app.services.payments.ledger import LedgerGateway
from models import PaymentTransfer, WorkContract
from tests.factories import make_world
from tests.payments.helpers import active_contract


async def test_two_processes_paying_milestones_in_turn_mint_distinct_ids_and_every_milestone_is_paid() -> None:
    first, second = LedgerGateway(), LedgerGateway()  # each process has its own ledger
    worlds = [await make_world(), await make_world()]
    for world in worlds:
        await active_contract(world)
    # Both processes take payments in turn: with a counter per process, both would call theirs pi_ledger_1.
    for milestone in ("deposit", "midpoint"):
        for world, gateway in zip(worlds, (first, second) if milestone == "deposit" else (second, first), strict=True):
            started = await service.start_payment(
                viewer=await world.viewer(world.customer),
                booking_id=world.booking.id,
                milestone=milestone,
                gateway=gateway,
            )
            assert started.status == "succeeded"

    intents = await PaymentTransfer.filter(booking_id__in=[w.booking.id for w in worlds]).values_list(
        "booking_id", "milestone", "stripe_payment_intent_id"
    )
    assert len({intent for _, _, intent in intents}) == 4  # one per (booking, milestone), none shared
    for world in worlds:
        contract = await WorkContract.get(booking_id=world.booking.id)
        assert [m.get("status") for m in contract.milestones[:2]] == ["paid", "paid"]
    transfers = [*first.transfers, *second.transfers]
    assert len(transfers) == len(set(transfers)) > 0


class IntentArgs(TypedDict):
    amount: int
    currency: str
    transfer_group: str
    metadata: dict[str, str]


INTENT: IntentArgs = {"amount": 1000, "currency": "usd", "transfer_group": "booking-1", "metadata": {}}


async def test_the_same_call_in_two_processes_gets_the_same_id_other_calls_never_do() -> None:
    first, second = LedgerGateway(), LedgerGateway()
    a = await first.create_payment_intent(idempotency_key="booking-1-deposit-payment", **INTENT)
    b = await second.create_payment_intent(idempotency_key="booking-2-deposit-payment", **INTENT)
    retried = await second.create_payment_intent(idempotency_key="booking-1-deposit-payment", **INTENT)
    assert a.id != b.id
    assert retried.id == a.id  # a retry after a crash finds the payment rows stored under this id
    accounts = {
        await gateway.create_connected_account(email="x@example.test", kind="labor", idempotency_key=f"account-{n}")
        for n, gateway in enumerate((first, second, first, second))
    }
    assert len(accounts) == 4
