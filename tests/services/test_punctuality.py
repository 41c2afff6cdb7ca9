"""One "on time" rule, the facility's local date, for a quote's confidence as for the timeline metric."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
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
    past = await ServiceBooking.create(
        title="Repaint",
        organization=shop.org,
        customer=shop.customer,
        service_type=ServiceType.BODYWORK,
        status=BookingStatus.COMPLETED,
        requested_start_date=DUE.date(),
        scheduled_end=DUE,
        actual_completion=EVENING,
    )
    request = QuoteRequest(requested_start_date=MONDAY, service_id=shop.service.id)
    customer = await viewer(shop.customer)
    punctual = await request_quote(viewer=customer, request=request, now=NOW)
    past.actual_completion = DUE + timedelta(days=1)
    await past.save(update_fields=["actual_completion"])
    late = await request_quote(viewer=customer, request=request, now=NOW)
    assert punctual.confidence is not None and late.confidence is not None
    assert late.confidence < punctual.confidence  # the same window: only the record differs
