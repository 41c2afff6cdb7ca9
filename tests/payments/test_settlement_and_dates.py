"""A booking is PAID only when every party's transfer of every milestone is done; contract dates are local."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from app.services.contracts import create_contract
from app.services.payments import service
from app.services.payments.ledger import LedgerGateway
from app.services.payments.worker import PayoutWorker
from models import PaymentTransfer, ServiceBooking, User
from models.enums import BookingStatus, TransferStatus
from tests.factories import make_world
from tests.payments.helpers import active_contract, finish_work


async def test_an_unpaid_earlier_transfer_keeps_the_booking_from_paid(ledger: LedgerGateway) -> None:
    world = await make_world()
    await active_contract(world)
    customer = await world.viewer(world.customer)
    booking_id = world.booking.id
    painter = world.labor[0]
    account = painter.stripe_account_id
    await User.filter(id=painter.id).update(stripe_account_id=None)  # not onboarded yet: their transfers fail
    for milestone in ("deposit", "midpoint"):
        await service.start_payment(viewer=customer, booking_id=booking_id, milestone=milestone)
    stuck = await PaymentTransfer.filter(booking_id=booking_id, recipient_user_id=painter.id)
    assert {r.status for r in stuck} == {TransferStatus.FAILED}
    await User.filter(id=painter.id).update(stripe_account_id=account)  # onboarded before the final payment
    await finish_work(booking_id)
    await service.start_payment(viewer=customer, booking_id=booking_id, milestone="final")

    final_rows = await PaymentTransfer.filter(booking_id=booking_id, milestone="final")
    assert {r.status for r in final_rows} == {TransferStatus.COMPLETED}  # the final one went through...
    assert (await ServiceBooking.get(id=booking_id)).status == BookingStatus.COMPLETED  # ...the painter's others not

    await PayoutWorker(gateway=ledger).run_once(now=datetime.now(UTC) + timedelta(days=1))  # the retries
    assert {r.status for r in await PaymentTransfer.filter(booking_id=booking_id)} == {TransferStatus.COMPLETED}
    assert (await ServiceBooking.get(id=booking_id)).status == BookingStatus.PAID


async def test_contract_dates_are_the_facilitys_local_days() -> None:
    world = await make_world()  # the facility is in Chicago (UTC-6 in December)
    start = datetime(2026, 12, 7, 15, 0, tzinfo=UTC)  # 9 am on Monday the 7th in Chicago
    end = datetime(2026, 12, 10, 2, 30, tzinfo=UTC)  # 8:30 pm on Wednesday the 9th in Chicago
    await ServiceBooking.filter(id=world.booking.id).update(scheduled_start=start, scheduled_end=end)
    contract = await create_contract(booking=await ServiceBooking.get(id=world.booking.id))
    assert (contract.start_date, contract.end_date) == (date(2026, 12, 7), date(2026, 12, 9))
