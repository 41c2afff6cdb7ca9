"""Reviews between the parties of a completed booking, and the rating roll-up that feeds matching."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from tortoise.exceptions import IntegrityError
from tortoise.queryset import QuerySet
from tortoise.transactions import in_transaction

from app.errors import DomainError, ErrorCode, bad_input, forbidden, not_found
from app.services import staffing
from app.services import validation as v
from app.services.access import Viewer
from models import Organization, Review, ServiceBooking, User
from models.booking import review_subject_key
from models.enums import BookingStatus, PartyType

REVIEWABLE = frozenset({BookingStatus.COMPLETED, BookingStatus.PAID})


async def labor_of(booking_id: int) -> set[int]:
    """The people who worked on a booking: those holding accepted offers."""
    ids = await staffing.accepted_offers(booking_id).values_list("user_id", flat=True)
    return {int(i) for i in ids}  # type: ignore[call-overload]


async def submit_review(
    *,
    viewer: Viewer,
    booking_id: int,
    subject_type: PartyType,
    subject_user_id: int | None = None,
    score: int,
    comment: str = "",
) -> Review:
    """One review per author, booking and subject, after completion; the subject's rating is recomputed."""
    user = viewer.require_user()
    v.score("score", score)
    booking = await ServiceBooking.get_or_none(id=booking_id)
    if booking is None:
        raise not_found("Booking", booking_id, field="bookingId")
    org_id: int = booking.organization_id  # type: ignore[attr-defined]
    customer_id: int = booking.customer_id  # type: ignore[attr-defined]
    labor = await labor_of(booking.id)
    author_parties = {
        PartyType.CUSTOMER: user.id == customer_id,
        PartyType.FACILITY: viewer.is_member(org_id) and not viewer.is_admin,
        PartyType.LABOR: user.id in labor,
    }
    if not any(author_parties.values()):
        raise forbidden("Only the customer, the facility and the labor of this booking may review it")
    if BookingStatus(booking.status) not in REVIEWABLE:
        raise DomainError(ErrorCode.INVALID_TRANSITION, "Reviews open once the work is completed", field="bookingId")
    if author_parties.get(subject_type):
        raise bad_input("subjectType", "Review another party of the booking, not your own")
    subject_org_id: int | None = None
    if subject_type is PartyType.FACILITY:
        subject_org_id, subject_user_id = org_id, None
    elif subject_type is PartyType.CUSTOMER:
        subject_user_id = customer_id
    elif subject_user_id not in labor:
        raise bad_input("subjectUserId", "Name one of the people who worked on this booking")
    subject_key = review_subject_key(subject_user_id, subject_org_id)
    duplicate = DomainError(ErrorCode.CONFLICT, "You have already reviewed this party for this booking")
    try:
        async with in_transaction():
            # The pre-check gives the usual answer cheaply; the unique key settles a race between two submits.
            if await Review.filter(
                booking_id=booking.id, author_id=user.id, subject_type=subject_type, subject_key=subject_key
            ).exists():
                raise duplicate
            review = await Review.create(
                booking_id=booking.id,
                author_id=user.id,
                subject_type=subject_type,
                subject_user_id=subject_user_id,
                subject_organization_id=subject_org_id,
                subject_key=subject_key,
                score=score,
                comment=comment.strip(),
            )
            await roll_up(subject_user_id=subject_user_id, subject_organization_id=subject_org_id)
    except IntegrityError as exc:
        raise duplicate from exc
    return review


async def roll_up(*, subject_user_id: int | None, subject_organization_id: int | None) -> None:
    """Recompute the subject's average rating and count from every review of it."""
    if subject_user_id is not None:
        avg, count = await _average(Review.filter(subject_user_id=subject_user_id))
        await User.filter(id=subject_user_id).update(rating=avg, rating_count=count)
    if subject_organization_id is not None:
        avg, count = await _average(Review.filter(subject_organization_id=subject_organization_id))
        await Organization.filter(id=subject_organization_id).update(rating=avg, rating_count=count)


async def _average(query: QuerySet[Review]) -> tuple[Decimal, int]:
    scores: list[int] = await query.values_list("score", flat=True)  # type: ignore[assignment]
    if not scores:
        return Decimal("0"), 0
    average = Decimal(sum(scores)) / len(scores)
    return average.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP), len(scores)
