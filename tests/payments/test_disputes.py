"""Disputes: who may open one, payouts held while it lasts and released by the resolution, a full refund terminating
the contract, and Stripe's charge.dispute.created marking the charge (and the booking) disputed exactly once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
import pytest

from app.errors import DomainError, ErrorCode
from app.services.coordination.lifecycle import transition
from app.services.payments import disputes, service
from app.services.payments.ledger import LedgerGateway
from app.services.payments.stripe_gateway import StripeGateway
from app.services.payments.worker import PayoutWorker
from models import (
    BookingStatusHistory,
    PaymentDistribution,
    PaymentTransfer,
    ProcessedWebhookEvent,
    ServiceBooking,
    User,
    WorkContract,
)
from models.enums import (
    BookingStatus,
    ContractStatus,
    MemberRole,
    PaymentStatus,
    PaymentType,
    RecipientType,
    TransferStatus,
)
from tests.factories import make_member, make_user, make_world
from tests.payments.helpers import active_contract, pay, post_event, signed
from tests.payments.stripe_double import StripeDouble


async def _in_progress(booking_id: int) -> None:
    await transition(booking_id=booking_id, to=BookingStatus.IN_PROGRESS)


async def test_only_the_bookings_parties_open_a_dispute(ledger: LedgerGateway) -> None:
    world = await make_world()
    await active_contract(world)
    await _in_progress(world.booking.id)
    stranger = await make_user("Stan Stranger")
    with pytest.raises(DomainError) as err:
        await disputes.open_dispute(viewer=await world.viewer(stranger), booking_id=world.booking.id, reason="why")
    assert err.value.code == ErrorCode.NOT_FOUND
    staff = await make_user("Sam Staff")
    await make_member(world.organization, staff, MemberRole.STAFF)
    booking = await disputes.open_dispute(viewer=await world.viewer(staff), booking_id=world.booking.id, reason="late")
    assert booking.status == BookingStatus.DISPUTED
    with pytest.raises(DomainError) as err:  # once disputed, it is disputed
        await disputes.open_dispute(viewer=await world.viewer(world.customer), booking_id=world.booking.id, reason="x")
    assert err.value.code == ErrorCode.INVALID_TRANSITION
    assert await BookingStatusHistory.filter(booking_id=world.booking.id, to_status=BookingStatus.DISPUTED).count() == 1


async def test_payouts_wait_for_the_resolution_then_go(ledger: LedgerGateway) -> None:
    world = await make_world()
    await active_contract(world)
    worker_without_account = world.labor[0]
    await User.filter(id=worker_without_account.id).update(stripe_account_id=None)
    customer = await world.viewer(world.customer)
    await service.start_payment(viewer=customer, booking_id=world.booking.id, milestone="deposit")
    stuck = await PaymentTransfer.get(booking_id=world.booking.id, recipient_user_id=worker_without_account.id)
    assert stuck.status == TransferStatus.FAILED and stuck.next_attempt_at is not None  # retried later
    await _in_progress(world.booking.id)
    await disputes.open_dispute(viewer=customer, booking_id=world.booking.id, reason="Scratched door")
    assert (await PaymentTransfer.get(id=stuck.id)).held

    await User.filter(id=worker_without_account.id).update(stripe_account_id="acct_now_onboarded")
    later = datetime.now(UTC) + timedelta(hours=2)
    assert await PayoutWorker(gateway=ledger).run_once(now=later) == {}  # held: not even tried
    assert (await PaymentTransfer.get(id=stuck.id)).status == TransferStatus.FAILED

    admin = await make_user("Ada Admin", admin=True)
    resolution = await disputes.resolve_dispute(
        viewer=await world.viewer(admin), booking_id=world.booking.id, refund_cents=0, note="No fault found"
    )
    assert resolution.resolved and resolution.refunded_cents == 0
    released = await PaymentTransfer.get(id=stuck.id)
    assert (released.held, released.status) == (False, TransferStatus.COMPLETED)
    assert any(t.destination == "acct_now_onboarded" for t in ledger.transfers.values())
    deposit = await PaymentDistribution.get(id=released.distribution_id)
    assert deposit.payment_status == PaymentStatus.COMPLETED
    assert {t["recipient_id"] for t in deposit.stripe_transfer_ids} >= {worker_without_account.id}


async def test_a_full_refund_terminates_the_contract(ledger: LedgerGateway) -> None:
    world = await make_world()
    await active_contract(world)
    customer = await world.viewer(world.customer)
    started = await service.start_payment(viewer=customer, booking_id=world.booking.id, milestone="deposit")
    await _in_progress(world.booking.id)
    await disputes.open_dispute(viewer=customer, booking_id=world.booking.id, reason="Never started")
    admin = await make_user("Ada Admin", admin=True)
    result = await disputes.resolve_dispute(
        viewer=await world.viewer(admin), booking_id=world.booking.id, refund_cents=started.amount_cents, note=""
    )
    assert (result.refunded_cents, result.released_cents) == (started.amount_cents, 0)
    contract = await WorkContract.get(booking_id=world.booking.id)
    assert contract.contract_status == ContractStatus.TERMINATED
    assert (await ServiceBooking.get(id=world.booking.id)).status == BookingStatus.PAID
    deposit = await PaymentDistribution.get(id=started.distribution_id)
    assert deposit.payment_status == PaymentStatus.REFUNDED
    record = await PaymentDistribution.get(id=result.distribution_id)
    assert record.payment_type == PaymentType.DISPUTE_RESOLUTION
    assert record.distributions == [
        {"recipient_id": world.customer.id, "recipient_type": "customer", "amount_cents": started.amount_cents}
    ]
    assert sum(r.refunded_cents for r in await PaymentTransfer.filter(booking_id=world.booking.id)) == (
        started.amount_cents
    )


async def test_a_withdrawn_dispute_reactivates_the_contract(ledger: LedgerGateway) -> None:
    world = await make_world()
    await active_contract(world)
    await _in_progress(world.booking.id)
    owner = await world.viewer(world.owner)
    await disputes.open_dispute(viewer=owner, booking_id=world.booking.id, reason="Customer unreachable")
    assert (await WorkContract.get(booking_id=world.booking.id)).contract_status == ContractStatus.DISPUTED
    from app.services.coordination.lifecycle import update_booking_status

    await update_booking_status(viewer=owner, booking_id=world.booking.id, status=BookingStatus.IN_PROGRESS)
    assert (await WorkContract.get(booking_id=world.booking.id)).contract_status == ContractStatus.ACTIVE


async def test_stripe_dispute_marks_the_charge_and_the_booking_once(
    stripe_gateway: StripeGateway, double: StripeDouble, webhook_client: httpx.AsyncClient
) -> None:
    world = await make_world()
    await active_contract(world)
    intent = await pay(world, "deposit", stripe_gateway, double, webhook_client)
    await _in_progress(world.booking.id)
    dispute = {
        "id": "dp_test_1",
        "object": "dispute",
        "amount": intent["amount"],
        "currency": "usd",
        "charge": "ch_test_1",
        "payment_intent": intent["id"],
        "reason": "fraudulent",
        "status": "needs_response",
    }
    for _ in range(2):  # Stripe delivers it twice (two event ids: a retry after a timeout looks like this too)
        response = await post_event(webhook_client, *signed(double, "charge.dispute.created", dispute))
        assert response.status_code == 200, response.text
    record = await PaymentDistribution.get(stripe_payment_intent_id=intent["id"])
    assert record.payment_status == PaymentStatus.DISPUTED
    assert (await ServiceBooking.get(id=world.booking.id)).status == BookingStatus.DISPUTED
    assert (await WorkContract.get(booking_id=world.booking.id)).contract_status == ContractStatus.DISPUTED
    disputed = await BookingStatusHistory.filter(booking_id=world.booking.id, to_status=BookingStatus.DISPUTED)
    assert len(disputed) == 1 and "fraudulent" in disputed[0].reason
    assert await ProcessedWebhookEvent.filter(event_type="charge.dispute.created").count() == 2

    unknown = {**dispute, "id": "dp_test_2", "payment_intent": "pi_not_ours"}
    response = await post_event(webhook_client, *signed(double, "charge.dispute.created", unknown))
    assert response.status_code == 200  # acknowledged, nothing to do

    admin = await make_user("Ada Admin", admin=True)
    result = await disputes.resolve_dispute(
        viewer=await world.viewer(admin), booking_id=world.booking.id, refund_cents=0, note="Evidence accepted"
    )
    assert result.resolved
    assert (await PaymentDistribution.get(id=record.id)).payment_status == PaymentStatus.COMPLETED


async def test_the_refund_record_reads_what_the_customer_got_back(ledger: LedgerGateway) -> None:
    world = await make_world()
    await active_contract(world)
    customer = await world.viewer(world.customer)
    await service.start_payment(viewer=customer, booking_id=world.booking.id, milestone="deposit")
    result = await service.refund(viewer=await world.viewer(world.owner), booking_id=world.booking.id, amount=5_000)
    record = await PaymentDistribution.get(id=result.distribution_id)
    assert (record.payment_type, record.total_amount_cents, record.payment_status) == (
        PaymentType.REFUND,
        5_000,
        PaymentStatus.COMPLETED,
    )
    assert record.stripe_refund_ids == result.refund_ids and record.created_by_id == world.owner.id
    assert [(d["recipient_type"], d["amount_cents"]) for d in record.distributions] == [
        (RecipientType.CUSTOMER.value, 5_000)
    ]
    # Reconciled once the charge it reduced is (the transfers net of the refund's reversals match the ledger).
    assert (await service.reconcile(gateway=ledger)).records == 2
    deposit, refund = await PaymentDistribution.filter(booking_id=world.booking.id).order_by("id")
    assert deposit.reconciled and refund.reconciled and refund.reconciled_at == deposit.reconciled_at
    assert (await service.reconcile(gateway=ledger)).records == 0  # nothing new the second time
