"""Rules tightened after review: system-only moves, live offers only, bounded limiter, local on-time dates."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from app.auth_limiter import MemoryCounters
from app.services.access import viewer_for_user
from app.services.metrics import _on_time
from models import JobOffer, ServiceBooking, User
from models.enums import BookingStatus, JobOfferStatus, ServiceType, SkillCategory
from tests.factories import make_org, make_user
from tests.helpers import error_codes, gql, login


async def _booking(status: BookingStatus) -> tuple[ServiceBooking, User]:
    admin = await make_user("R", email="root@f.test", password="pw-123456", at=None, admin=True)
    customer = await make_user("C", email="c@f.test", at=None)
    org = await make_org(name="Fix Garage", at=None, timezone="UTC")
    booking = await ServiceBooking.create(
        title="Repaint",
        organization=org,
        customer=customer,
        service_type=ServiceType.BODYWORK,
        requested_start_date=date(2026, 3, 1),
        status=status,
    )
    return booking, admin


async def test_not_even_an_admin_skips_reservation_signing_or_payment() -> None:
    booking, _ = await _booking(BookingStatus.QUOTE_READY)
    token = await login("root@f.test", "pw-123456")
    move = "mutation($b: Int!, $s: BookingStatus!) { updateBookingStatus(bookingId: $b, status: $s) { status } }"
    for status in ("QUOTE_ACCEPTED", "SCHEDULED", "PAID"):
        assert error_codes(await gql(move, {"b": booking.id, "s": status}, token=token)) == ["INVALID_TRANSITION"]
    assert (await ServiceBooking.get(id=booking.id)).status == BookingStatus.QUOTE_READY


async def test_a_declined_offer_no_longer_opens_the_booking() -> None:
    booking, _ = await _booking(BookingStatus.QUOTE_ACCEPTED)
    worker = await make_user("W", email="w@f.test", at=None)
    offer = await JobOffer.create(
        booking=booking, user=worker, role=SkillCategory.PAINTING, expires_at=datetime(2026, 3, 1, tzinfo=UTC)
    )
    assert await (await viewer_for_user(worker)).offer_booking_ids() == {booking.id}
    offer.status = JobOfferStatus.DECLINED
    await offer.save()
    assert await (await viewer_for_user(worker)).offer_booking_ids() == set()


async def test_the_rate_limiter_forgets_quiet_keys() -> None:
    counters = MemoryCounters(window=0.0)
    await counters.hit(["old"])
    assert await counters.counts([*(f"address:{i}" for i in range(100)), "old"]) == [0] * 101
    assert counters._hits == {}
    counters = MemoryCounters(window=60)
    await counters.hit(["k", "k"])
    assert await counters.counts(["k", "other"]) == [2, 0]
    assert set(counters._hits) == {"k"}


def test_on_time_compares_dates_in_the_facility_timezone() -> None:
    vegas = ZoneInfo("America/Los_Angeles")
    due = {"scheduled_end": datetime(2026, 3, 5, 20, tzinfo=vegas).astimezone(UTC), "actual_completion": None}
    five_pm_local = datetime(2026, 3, 5, 17, tzinfo=vegas).astimezone(UTC)  # already 3/6 in UTC
    assert five_pm_local.date() == date(2026, 3, 6)
    assert _on_time(due, five_pm_local, vegas)
    assert not _on_time(due, datetime(2026, 3, 6, 9, tzinfo=vegas).astimezone(UTC), vegas)
