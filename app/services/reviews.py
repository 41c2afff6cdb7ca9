"""Reviews between the parties of a completed booking, and the rating roll-up that feeds matching."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from uuid import UUID

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from app.errors import DomainError, ErrorCode, bad_input, forbidden
from app.services import validation
from app.services.access import Viewer
from app.services.coordination import staffing
from models import Organization, Review, ServiceBooking, User
from models.booking import review_subject_key
from models.enums import BookingStatus, PartyType

REVIEWABLE = frozenset({BookingStatus.COMPLETED, BookingStatus.PAID})


async def labor_of(booking_id: UUID) -> set[UUID]:
    """The people who worked on a booking: those holding accepted offers."""
    ids = await staffing.accepted_offers(booking_id).values_list("user_id", flat=True)
    return {UUID(str(i)) for i in ids}


async def submit_review(
    *,
    viewer: Viewer,
    booking_id: UUID,
    subject_type: PartyType,
    subject_user_id: UUID | None = None,
    score: int,
    comment: str = "",
) -> Review:
    """One review per author, booking and subject, after completion; the subject's rating is recomputed."""
    user = viewer.require_user()
    validation.score("score", score)
    booking = await ServiceBooking.get_or_none(id=booking_id)
    booking = await viewer.require_sees_booking(booking, kind="Booking", ident=booking_id, field="bookingId")
    org_id: UUID | None = booking.organization_id
    customer_id: UUID = booking.customer_id
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
    subject_org_id: UUID | None = None
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
            await roll_up(subject_user_id=subject_user_id, subject_organization_id=subject_org_id, score=score)
    except IntegrityError as exc:
        raise duplicate from exc
    return review


async def roll_up(*, subject_user_id: UUID | None, subject_organization_id: UUID | None, score: int) -> None:
    """Fold one new score into the subject's rating (call inside the review's transaction).

    The count the subject already has may come from history we hold no review rows for (an import, the
    seed), so the average is rolled forward, never recomputed from our rows: (rating * count + score) /
    (count + 1). The subject row is locked so two reviews at once both count.
    """
    model: type[User] | type[Organization] = User if subject_user_id is not None else Organization
    subject_id = subject_user_id if subject_user_id is not None else subject_organization_id
    subject = await model.select_for_update().get(id=subject_id)
    rating, count = rolled(Decimal(subject.rating), subject.rating_count, score)
    await model.filter(id=subject_id).update(rating=rating, rating_count=count)


def rolled(rating: Decimal, count: int, score: int) -> tuple[Decimal, int]:
    """The average and count once `score` joins `count` earlier scores averaging `rating`."""
    average = (rating * count + score) / (count + 1)
    return average.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP), count + 1
