"""Refunds never pay out more than asked or than paid: a part-way gateway failure, a retry, two at once."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from app.errors import DomainError, ErrorCode
from app.services.payments import service
from app.services.payments.ledger import LedgerGateway
from app.services.payments.stripe_gateway import StripeGateway
from models import PaymentTransfer
from models.enums import TransferStatus
from tests.factories import World, make_world
from tests.payments.helpers import active_contract, pay
from tests.payments.stripe_double import StripeDouble

REFUNDS = "POST /v1/refunds"
DEPOSIT, MIDPOINT = 60_000, 80_000  # 30% and 40% of the $2,000 booking


async def booked_refunds(world: World) -> int:
    rows = await PaymentTransfer.filter(booking_id=world.booking.id)
    assert all(0 <= r.refunded_cents <= r.amount_cents for r in rows)
    return sum(r.refunded_cents for r in rows)


async def paid_two_milestones_on_stripe(
    gateway: StripeGateway, double: StripeDouble, client: httpx.AsyncClient
) -> World:
    world = await make_world()
    await active_contract(world)
    for milestone in ("deposit", "midpoint"):
        await pay(world, milestone, gateway, double, client)
    return world


@pytest.mark.parametrize("fault", ["server_error", "lost_response"])
async def test_a_failure_on_the_second_milestone_then_a_retry_refunds_exactly_the_amount(
    fault: str, stripe_gateway: StripeGateway, double: StripeDouble, webhook_client: httpx.AsyncClient
) -> None:
    world = await paid_two_milestones_on_stripe(stripe_gateway, double, webhook_client)
    owner = await world.viewer(world.owner)
    requested = 100_000  # the whole midpoint (refunded first), then 20,000 of the deposit
    double.fail("POST", "/v1/refunds", fault, after=1)

    first = await service.refund(viewer=owner, booking_id=world.booking.id, amount=requested)
    assert (first.amount_cents, first.requested_cents, first.complete) == (MIDPOINT, requested, False)
    assert first.error and len(first.refund_ids) == 1
    assert await booked_refunds(world) == MIDPOINT  # what went through stays booked

    rest = await service.refund(viewer=owner, booking_id=world.booking.id, amount=requested - first.amount_cents)
    assert rest.complete and rest.amount_cents == requested - MIDPOINT
    assert await booked_refunds(world) == requested
    # At the gateway too: a lost answer is replayed under the same key, never refunded twice.
    assert sum(r["amount"] for r in double.of("refund")) == requested
    assert double.effects[REFUNDS] == 2
    midpoint = await PaymentTransfer.filter(booking_id=world.booking.id, milestone="midpoint")
    assert {r.status for r in midpoint} == {TransferStatus.REVERSED}
    assert (await service.reconcile())[:2] == (4, 0)  # the deposit's rows, net of reversals


async def test_a_failure_on_the_first_milestone_refunds_and_books_nothing(
    stripe_gateway: StripeGateway, double: StripeDouble, webhook_client: httpx.AsyncClient
) -> None:
    world = await paid_two_milestones_on_stripe(stripe_gateway, double, webhook_client)
    double.fail("POST", "/v1/refunds", "server_error")
    with pytest.raises(DomainError) as err:
        await service.refund(viewer=await world.viewer(world.owner), booking_id=world.booking.id, amount=10_000)
    assert err.value.code == ErrorCode.PAYMENT_FAILED and err.value.details == {"retryable": True}
    assert await booked_refunds(world) == 0
    assert double.of("refund") == []


async def test_two_concurrent_refunds_never_exceed_what_was_paid(ledger: LedgerGateway) -> None:
    world = await make_world()
    await active_contract(world)
    customer = await world.viewer(world.customer)
    for milestone in ("deposit", "midpoint"):
        await service.start_payment(viewer=customer, booking_id=world.booking.id, milestone=milestone)
    paid = DEPOSIT + MIDPOINT
    owner = await world.viewer(world.owner)

    outcomes = await asyncio.gather(
        service.refund(viewer=owner, booking_id=world.booking.id, amount=90_000),
        service.refund(viewer=owner, booking_id=world.booking.id, amount=100_000),
        return_exceptions=True,
    )
    results = [o for o in outcomes if isinstance(o, service.RefundResult)]
    errors = [o for o in outcomes if isinstance(o, DomainError)]
    assert len(results) == 1 and len(errors) == 1, outcomes
    # The loser read the winner's booked refund under the lock, and was refused before calling the gateway.
    assert errors[0].code == ErrorCode.BAD_INPUT and errors[0].field == "amount"
    won = results[0]
    assert won.complete and won.amount_cents in (90_000, 100_000)
    assert await booked_refunds(world) == won.amount_cents
    assert sum(r.amount for r in ledger.refunds.values()) == won.amount_cents

    # What is left can be refunded, and not one cent more.
    await service.refund(viewer=owner, booking_id=world.booking.id, amount=paid - won.amount_cents)
    with pytest.raises(DomainError) as err:
        await service.refund(viewer=owner, booking_id=world.booking.id, amount=1)
    assert err.value.code == ErrorCode.BAD_INPUT
    assert await booked_refunds(world) == paid
    assert sum(r.amount for r in ledger.refunds.values()) == paid
    rows = await PaymentTransfer.filter(booking_id=world.booking.id)
    assert {r.status for r in rows} == {TransferStatus.REVERSED}
    transfers = list(ledger.transfers.values())
    assert transfers and all(t.amount_reversed == t.amount for t in transfers)
