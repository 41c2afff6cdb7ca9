"""The six success metrics (docs/architecture.md), each with numerator and denominator, and a series for charts.

Periods are whole UTC days, `start`..`end` inclusive; an event belongs to the period in which it
happened (a quote when it became ready, a job when it completed, a payment when the booking was paid).
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from app.errors import forbidden
from app.services.access import Viewer
from app.services.coordination import labor_matching, utilization
from app.services.coordination.punctuality import on_time
from app.services.coordination.working_hours import zone
from app.services.validation import reporting_period
from models import BookingStatusHistory, Organization, Review, ServiceBooking, WorkContract
from models.enums import BookingStatus, PartyType

COUNTED_MOVES = (BookingStatus.QUOTE_READY, BookingStatus.COMPLETED, BookingStatus.PAID)
WEEKLY_AFTER_DAYS = 31


@dataclass(frozen=True)
class Ratio:
    numerator: Decimal
    denominator: Decimal

    @property
    def value(self) -> Decimal | None:
        if not self.denominator:
            return None
        return (self.numerator / self.denominator).quantize(Decimal("0.0001"))


@dataclass(frozen=True)
class Velocity:
    median_days: Decimal | None
    total_days: Decimal
    payments: int


@dataclass(frozen=True)
class SeriesPoint:
    period_start: date
    quotes: int
    contracts: int
    completed: int
    on_time: int
    paid: int
    reviews: int
    review_score_sum: int


@dataclass(frozen=True)
class SuccessMetrics:
    organization_id: int | None
    start: date
    end: date
    booking_conversion: Ratio
    capacity_utilization: Ratio  # time-shared capability hours
    storage_utilization: Ratio  # space unit-days
    labor_utilization: Ratio  # the seed's: skilled people matched with a job over skilled people (labor_matching)
    labor_hours_utilization: Ratio  # assigned over available labor hours of the people on the jobs
    timeline_accuracy: Ratio
    payment_velocity: Velocity
    satisfaction: dict[PartyType, Ratio]
    series: tuple[SeriesPoint, ...]


def _bounds(start: date, end: date) -> tuple[datetime, datetime]:
    return datetime.combine(start, time.min, tzinfo=UTC), datetime.combine(
        end + timedelta(days=1), time.min, tzinfo=UTC
    )


async def success_metrics(*, viewer: Viewer, organization_id: int | None, start: date, end: date) -> SuccessMetrics:
    viewer.require_user()
    if organization_id is None:
        if not viewer.is_admin:
            raise forbidden("Marketplace-wide metrics are for admins; name your organization")
    else:
        viewer.require_member(organization_id)
    reporting_period(start, end)
    lo, hi = _bounds(start, end)

    # Only what happened in the period is read: its status moves, then the bookings and contracts they name.
    scope = {} if organization_id is None else {"booking__organization_id": organization_id}
    history = await BookingStatusHistory.filter(
        created_at__gte=lo, created_at__lt=hi, to_status__in=list(COUNTED_MOVES), **scope
    ).values("booking_id", "to_status", "created_at")
    named = sorted({row["booking_id"] for row in history})
    booking_rows = {
        b["id"]: b
        for b in await ServiceBooking.filter(id__in=named).values(
            "id", "scheduled_end", "actual_completion", "organization_id"
        )
    }
    contracted: set[int] = set(
        await WorkContract.filter(booking_id__in=named).values_list("booking_id", flat=True)  # type: ignore[arg-type]
    )

    quoted: dict[int, datetime] = {}
    completed: dict[int, datetime] = {}
    paid: dict[int, datetime] = {}
    for row in history:
        target = {BookingStatus.QUOTE_READY: quoted, BookingStatus.COMPLETED: completed, BookingStatus.PAID: paid}.get(
            BookingStatus(row["to_status"])
        )
        if target is not None:
            target.setdefault(row["booking_id"], row["created_at"])

    org_ids = {booking_rows[b]["organization_id"] for b in completed}
    zones = {i: zone(tz) for i, tz in await Organization.filter(id__in=list(org_ids)).values_list("id", "timezone")}
    on_time = {
        b for b, at in completed.items() if _on_time(booking_rows[b], at, zones.get(booking_rows[b]["organization_id"]))
    }
    velocity = await _velocity(paid)
    reviews = await _reviews(organization_id, lo, hi)
    capacity, storage, labor_hours = await _utilization(viewer, organization_id, start, end)
    labor = await labor_matching.matched_share(organization_id, lo, hi)
    return SuccessMetrics(
        organization_id=organization_id,
        start=start,
        end=end,
        booking_conversion=Ratio(Decimal(len(set(quoted) & contracted)), Decimal(len(quoted))),
        capacity_utilization=capacity,
        storage_utilization=storage,
        labor_utilization=Ratio(Decimal(labor.matched), Decimal(labor.skilled)),
        labor_hours_utilization=labor_hours,
        timeline_accuracy=Ratio(Decimal(len(on_time)), Decimal(len(completed))),
        payment_velocity=velocity,
        satisfaction={
            party: Ratio(
                Decimal(sum(s for p, s, _ in reviews if p is party)),
                Decimal(sum(1 for p, _, _ in reviews if p is party)),
            )
            for party in PartyType
        },
        series=_series(start, end, quoted, contracted, completed, on_time, paid, reviews),
    )


def _on_time(booking: Mapping[str, object], completed_at: datetime, tz: ZoneInfo | None) -> bool:
    """Completed by the quoted date (punctuality.on_time), from its first completion if it has no actual one."""
    quoted_end = booking["scheduled_end"]
    done = booking["actual_completion"] or completed_at
    if not isinstance(quoted_end, datetime) or not isinstance(done, datetime):
        return False
    return on_time(done=done, due=quoted_end, tz=tz or ZoneInfo("UTC"))


async def _velocity(paid: dict[int, datetime]) -> Velocity:
    """Days from completion (its first record) to paid, for the bookings paid in the period."""
    if not paid:
        return Velocity(None, Decimal(0), 0)
    completions: dict[int, datetime] = {}
    for row in (
        await BookingStatusHistory.filter(booking_id__in=list(paid), to_status=BookingStatus.COMPLETED)
        .order_by("created_at")
        .values("booking_id", "created_at")
    ):
        completions.setdefault(row["booking_id"], row["created_at"])
    days = [
        Decimal(str((paid_at - completions[b]).total_seconds() / 86400)).quantize(Decimal("0.0001"))
        for b, paid_at in paid.items()
        if b in completions
    ]
    if not days:
        return Velocity(None, Decimal(0), 0)
    return Velocity(Decimal(str(statistics.median(days))).quantize(Decimal("0.0001")), sum(days, Decimal(0)), len(days))


async def _reviews(organization_id: int | None, lo: datetime, hi: datetime) -> list[tuple[PartyType, int, datetime]]:
    scope = {} if organization_id is None else {"booking__organization_id": organization_id}
    rows = await Review.filter(created_at__gte=lo, created_at__lt=hi, **scope).values_list(
        "subject_type", "score", "created_at"
    )
    return [(PartyType(kind), int(score), at) for kind, score, at in rows]


async def _utilization(
    viewer: Viewer, organization_id: int | None, start: date, end: date
) -> tuple[Ratio, Ratio, Ratio]:
    """Reserved over available: capability hours, storage unit-days and assigned labor hours."""
    org_ids: list[int] = (
        [organization_id]
        if organization_id is not None
        else await Organization.all().order_by("id").values_list("id", flat=True)  # type: ignore[assignment]
    )
    sums: dict[str, list[Decimal]] = defaultdict(lambda: [Decimal(0), Decimal(0)])
    for org_id in org_ids:
        report = await utilization.utilization(viewer=viewer, organization_id=org_id, start=start, end=end)
        for cap in report.capabilities:
            key = "hours" if cap.unit == "hours" else "units"
            for day in cap.days:
                sums[key][0] += day.reserved
                sums[key][1] += day.capacity - day.blocked
        for person in report.labor:
            for day in person.days:
                sums["labor"][0] += day.reserved
                sums["labor"][1] += day.capacity - day.blocked
    return tuple(Ratio(*sums[key]) for key in ("hours", "units", "labor"))  # type: ignore[return-value]


def _series(
    start: date,
    end: date,
    quoted: dict[int, datetime],
    contracted: set[int],
    completed: dict[int, datetime],
    on_time: set[int],
    paid: dict[int, datetime],
    reviews: list[tuple[PartyType, int, datetime]],
) -> tuple[SeriesPoint, ...]:
    """Daily points for up to a month, weekly (from `start`) beyond."""
    step = 7 if (end - start).days + 1 > WEEKLY_AFTER_DAYS else 1
    buckets: dict[date, dict[str, int]] = {}
    day = start
    while day <= end:
        buckets[day] = defaultdict(int)
        day += timedelta(days=step)

    def bucket(at: datetime) -> dict[str, int]:
        return buckets[start + timedelta(days=((at.date() - start).days // step) * step)]

    for b, at in quoted.items():
        bucket(at)["quotes"] += 1
        bucket(at)["contracts"] += b in contracted
    for b, at in completed.items():
        bucket(at)["completed"] += 1
        bucket(at)["on_time"] += b in on_time
    for at in paid.values():
        bucket(at)["paid"] += 1
    for _, score, at in reviews:
        bucket(at)["reviews"] += 1
        bucket(at)["review_score_sum"] += score
    return tuple(
        SeriesPoint(
            period_start=day,
            quotes=c["quotes"],
            contracts=c["contracts"],
            completed=c["completed"],
            on_time=c["on_time"],
            paid=c["paid"],
            reviews=c["reviews"],
            review_score_sum=c["review_score_sum"],
        )
        for day, c in buckets.items()
    )
