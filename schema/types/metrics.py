"""Success metrics as GraphQL types: every rate with its numerator and denominator."""

from __future__ import annotations

from datetime import date

import strawberry

import models
from app.services import metrics
from schema.context import Info
from schema.enums import PartyType
from schema.types.base import from_row
from schema.types.booking import ServiceBooking

DRILL_DOWN_LIMIT = 100


async def _bookings(info: Info, ids: tuple[int, ...], limit: int) -> list[ServiceBooking]:
    """The newest `limit` of these bookings (successMetrics already checked the viewer may see them all)."""
    wanted = list(ids[: max(0, min(limit, DRILL_DOWN_LIMIT))])
    rows = await info.context.loaders.by_id(models.ServiceBooking).load_many(wanted)  # one query for all
    return [from_row(ServiceBooking, row) for row in rows if row is not None]


@strawberry.type(description="The bookings behind each booking-based number of the period, newest first (at most 100).")
class MetricBookings:
    behind: strawberry.Private[metrics.BehindNumbers]

    @strawberry.field(description="Quotes made in the period (booking conversion's denominator).")
    async def quoted(self, info: Info, limit: int = 50) -> list[ServiceBooking]:
        return await _bookings(info, self.behind.quoted, limit)

    @strawberry.field(description="Of those, the ones that became contracts (its numerator).")
    async def converted(self, info: Info, limit: int = 50) -> list[ServiceBooking]:
        return await _bookings(info, self.behind.converted, limit)

    @strawberry.field(description="Jobs completed in the period (timeline accuracy's denominator).")
    async def completed(self, info: Info, limit: int = 50) -> list[ServiceBooking]:
        return await _bookings(info, self.behind.completed, limit)

    @strawberry.field(description="Of those, the ones done by the quoted date (its numerator).")
    async def on_time(self, info: Info, limit: int = 50) -> list[ServiceBooking]:
        return await _bookings(info, self.behind.on_time, limit)

    @strawberry.field(description="Jobs paid in the period (payment velocity's jobs).")
    async def paid(self, info: Info, limit: int = 50) -> list[ServiceBooking]:
        return await _bookings(info, self.behind.paid, limit)


@strawberry.type
class Metric:
    value: float | None
    numerator: float
    denominator: float

    @staticmethod
    def of(ratio: metrics.Ratio) -> Metric:
        value = ratio.value
        return Metric(
            value=float(value) if value is not None else None,
            numerator=float(ratio.numerator),
            denominator=float(ratio.denominator),
        )


@strawberry.type(description="Median days from completion to every party paid; numerator = total days.")
class PaymentVelocity:
    median_days: float | None
    total_days: float
    payments: int


@strawberry.type
class PartySatisfaction:
    party_type: PartyType
    average_score: Metric


@strawberry.type
class MetricPoint:
    period_start: date
    quotes: int
    contracts: int
    completed: int
    on_time: int
    paid: int
    reviews: int
    review_score_sum: int


@strawberry.type
class SuccessMetrics:
    organization_id: int | None
    start: date = strawberry.field(name="from")
    end: date = strawberry.field(name="to")
    booking_conversion: Metric
    capacity_utilization: Metric
    storage_utilization: Metric
    labor_utilization: Metric = strawberry.field(
        description="The seed's: skilled people matched with a job in the period over skilled people (for one"
        " facility, those whose travel distance reaches it)."
    )
    labor_hours_utilization: Metric = strawberry.field(
        description="Assigned over available labor hours of the people on the facility's jobs."
    )
    timeline_accuracy: Metric
    payment_velocity: PaymentVelocity
    satisfaction: list[PartySatisfaction]
    series: list[MetricPoint]
    bookings: MetricBookings

    @staticmethod
    def of(report: metrics.SuccessMetrics) -> SuccessMetrics:
        v = report.payment_velocity
        return SuccessMetrics(
            organization_id=report.organization_id,
            start=report.start,
            end=report.end,
            booking_conversion=Metric.of(report.booking_conversion),
            capacity_utilization=Metric.of(report.capacity_utilization),
            storage_utilization=Metric.of(report.storage_utilization),
            labor_utilization=Metric.of(report.labor_utilization),
            labor_hours_utilization=Metric.of(report.labor_hours_utilization),
            timeline_accuracy=Metric.of(report.timeline_accuracy),
            payment_velocity=PaymentVelocity(
                median_days=float(v.median_days) if v.median_days is not None else None,
                total_days=float(v.total_days),
                payments=v.payments,
            ),
            satisfaction=[
                PartySatisfaction(party_type=party, average_score=Metric.of(ratio))
                for party, ratio in report.satisfaction.items()
            ],
            series=[
                MetricPoint(
                    period_start=p.period_start,
                    quotes=p.quotes,
                    contracts=p.contracts,
                    completed=p.completed,
                    on_time=p.on_time,
                    paid=p.paid,
                    reviews=p.reviews,
                    review_score_sum=p.review_score_sum,
                )
                for p in report.series
            ],
            bookings=MetricBookings(behind=report.bookings),
        )
