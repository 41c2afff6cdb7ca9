"""Success metrics as GraphQL types: every rate with its numerator and denominator."""

from __future__ import annotations

from datetime import date

import strawberry

from app.services import metrics
from schema.enums import PartyType


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
        )
