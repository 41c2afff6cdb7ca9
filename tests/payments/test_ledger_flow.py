"""The full path on the local ledger (the embedded default): accept → sign → three payments → paid."""

from __future__ import annotations

import pytest

from app.errors import DomainError, ErrorCode
from app.services.payments import service
from app.services.payments.ledger import LedgerGateway
from app.services.payments.worker import PayoutWorker
from models import BookingStatusHistory, PaymentTransfer, ServiceBooking, WorkContract
from models.enums import BookingStatus, ContractStatus, RecipientType, TransferStatus
from tests.factories import make_world
from tests.payments.helpers import active_contract, finish_work


async def test_full_path_on_the_ledger(ledger: LedgerGateway) -> None:
    world = await make_world()
    contract = await active_contract(world)
    customer = await world.viewer(world.customer)
    booking_id = world.booking.id

    for milestone in ("deposit", "midpoint"):
        started = await service.start_payment(viewer=customer, booking_id=booking_id, milestone=milestone)
        assert started.status == "succeeded" and started.client_secret
    with pytest.raises(DomainError) as err:  # the final payment waits for the work
        await service.start_payment(viewer=customer, booking_id=booking_id, milestone="final")
    assert err.value.code == ErrorCode.INVALID_TRANSITION
    await finish_work(booking_id)
    await service.start_payment(viewer=customer, booking_id=booking_id, milestone="final")

    booking = await ServiceBooking.get(id=booking_id)
    assert booking.status == BookingStatus.PAID
    assert await BookingStatusHistory.filter(booking_id=booking_id, to_status=BookingStatus.PAID).count() == 1
    contract = await WorkContract.get(id=contract.id)
    assert contract.contract_status == ContractStatus.COMPLETED
    assert [m["status"] for m in contract.milestones] == ["paid", "paid", "paid"]

    rows = await PaymentTransfer.filter(booking_id=booking_id)
    assert {r.status for r in rows} == {TransferStatus.COMPLETED}
    assert len(rows) == 3 * 4  # facility, two people, platform for each milestone
    assert sum(r.amount_cents for r in rows) == contract.total_contract_value_cents
    paid_to: dict[str, int] = {}
    for transfer in ledger.transfers.values():
        assert transfer.transfer_group == f"booking-{booking_id}"
        paid_to[transfer.destination] = paid_to.get(transfer.destination, 0) + transfer.amount
    offers = {u.stripe_account_id: o.amount_cents for u, o in zip(world.labor, world.offers, strict=True)}
    assert paid_to == {world.organization.stripe_account_id: contract.facility_payment_cents, **offers}
    assert sum(r.amount_cents for r in rows if r.recipient_type == RecipientType.PLATFORM) == 20_000
    assert all(r.stripe_transfer_id for r in rows if r.recipient_type != RecipientType.PLATFORM)

    assert (await service.reconcile())[:2] == (12, 0)
    assert await PaymentTransfer.filter(status=TransferStatus.RECONCILED).count() == 12


async def test_only_the_customer_pays_and_not_twice(ledger: LedgerGateway) -> None:
    world = await make_world()
    await active_contract(world)
    with pytest.raises(DomainError) as err:
        await service.start_payment(
            viewer=await world.viewer(world.owner), booking_id=world.booking.id, milestone="deposit"
        )
    assert err.value.code == ErrorCode.FORBIDDEN
    customer = await world.viewer(world.customer)
    with pytest.raises(DomainError) as err:
        await service.start_payment(viewer=customer, booking_id=world.booking.id, milestone="midpoint")
    assert err.value.code == ErrorCode.CONFLICT
    await service.start_payment(viewer=customer, booking_id=world.booking.id, milestone="deposit")
    with pytest.raises(DomainError) as err:
        await service.start_payment(viewer=customer, booking_id=world.booking.id, milestone="deposit")
    assert err.value.code == ErrorCode.CONFLICT
    assert len(ledger.intents) == 1


async def test_payments_wait_for_every_signature(ledger: LedgerGateway) -> None:
    from app.services.contracts import create_contract

    world = await make_world()
    await create_contract(booking=world.booking)
    with pytest.raises(DomainError) as err:
        await service.start_payment(
            viewer=await world.viewer(world.customer), booking_id=world.booking.id, milestone="deposit"
        )
    assert err.value.code == ErrorCode.INVALID_TRANSITION
    assert await PaymentTransfer.all().count() == 0


async def test_a_missing_connected_account_is_retried_by_the_worker(ledger: LedgerGateway) -> None:
    world = await make_world(labor_count=1)
    await active_contract(world)
    await type(world.labor[0]).filter(id=world.labor[0].id).update(stripe_account_id=None)
    await service.start_payment(
        viewer=await world.viewer(world.customer), booking_id=world.booking.id, milestone="deposit"
    )
    row = await PaymentTransfer.get(recipient_type=RecipientType.LABOR)
    assert row.status == TransferStatus.FAILED and "connected payment account" in row.last_error
    assert row.next_attempt_at is not None
    await type(world.labor[0]).filter(id=world.labor[0].id).update(stripe_account_id="acct_late")
    await PayoutWorker(gateway=ledger).run_once(row.next_attempt_at)
    row = await PaymentTransfer.get(id=row.id)
    assert row.status == TransferStatus.COMPLETED and row.attempts == 2
    assert [t.destination for t in ledger.transfers.values()].count("acct_late") == 1
