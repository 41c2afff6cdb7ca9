"""Root fields of success metrics and reviews."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import strawberry

from app.services import metrics, reviews
from schema.context import Info
from schema.enums import PartyType
from schema.ids import parse_id, parse_optional_id
from schema.types.base import from_row
from schema.types.booking import Review
from schema.types.metrics import SuccessMetrics


@strawberry.type
class MetricsQuery:
    @strawberry.field(description="The six success metrics; without organizationId, marketplace-wide (admins).")
    async def success_metrics(
        self,
        info: Info,
        start: Annotated[date, strawberry.argument(name="from")],
        end: Annotated[date, strawberry.argument(name="to")],
        organization_id: strawberry.ID | None = None,
    ) -> SuccessMetrics:
        report = await metrics.success_metrics(
            viewer=info.context.viewer,
            organization_id=parse_optional_id(organization_id, "Organization", field="organizationId"),
            start=start,
            end=end,
        )
        return SuccessMetrics.of(report)


@strawberry.type
class ReviewMutation:
    @strawberry.mutation(description="Review another party of a completed booking, once (score 1–5).")
    async def submit_review(
        self,
        info: Info,
        booking_id: strawberry.ID,
        subject_type: PartyType,
        score: int,
        subject_user_id: strawberry.ID | None = None,
        comment: str = "",
    ) -> Review:
        review = await reviews.submit_review(
            viewer=info.context.viewer,
            booking_id=parse_id(booking_id, "ServiceBooking", field="bookingId"),
            subject_type=subject_type,
            subject_user_id=parse_optional_id(subject_user_id, "User", field="subjectUserId"),
            score=score,
            comment=comment,
        )
        return from_row(Review, review)
