"""One "on time" rule, the facility's local date, for a quote's confidence as for the timeline metric."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from app.services.coordination.punctuality import on_time
from app.services.coordination.quoting import QuoteRequest, request_quote
from models import ServiceBooking
from models.enums import BookingStatus, ServiceType
from tests.factories import MONDAY, NOW, make_shop, viewer

LA = ZoneInfo("America/Los_Angeles")
DUE = datetime(2029, 12, 18, 18, 0, tzinfo=UTC)  # Tuesday 10:00 in Las Vegas
EVENING = datetime(2029, 12, 19, 1, 0, tzinfo=UTC)  # Tuesday 17:00 there, already Wednesday in UTC


def test_the_evening_of_the_due_day_is_on_time_and_the_next_day_is_late() -> None:
    assert on_time(done=EVENING, due=DUE, tz=LA)
    assert not on_time(done=DUE + timedelta(days=1), due=DUE, tz=LA)
    assert not on_time(done=EVENING, due=DUE, tz=ZoneInfo("UTC"))  # a UTC facility's Tuesday ended


async def test_confidence_counts_a_job_finished_on_the_local_due_date_as_on_time() -> None:
    shop = await make_shop()  # a Las Vegas facility (America/Los_Angeles)
    await ServiceBooking.create(
        title="Repaint",
        organization=shop.org,
        customer=shop.customer,
        service_type=ServiceType.BODYWORK,
        status=BookingStatus.COMPLETED,
        requested_start_date=DUE.date(),
        scheduled_end=DUE,
        actual_completion=EVENING,
    )
    booking = await request_quote(
        viewer=await viewer(shop.customer),
        request=QuoteRequest(requested_start_date=MONDAY, service_id=shop.service.id),
        now=NOW,
    )
    assert booking.capacity_utilization is not None
    slack = 1 - float(booking.capacity_utilization)
    # 0.2 base + 0.4 x slack + 0.4 x the on-time share, which is 1 of 1 here.
    assert booking.confidence == Decimal(str(round(min(1.0, 0.2 + 0.4 * slack + 0.4), 4)))
