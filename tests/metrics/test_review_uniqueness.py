"""One review per author, booking and subject, held by the database's unique key, not only by a pre-check."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from tortoise.exceptions import IntegrityError
from tortoise.queryset import QuerySet

from app.errors import DomainError, ErrorCode
from app.services.access import viewer_for_user
from app.services.reviews import submit_review
from models import Organization, Review, User
from models.enums import PartyType
from tests.metrics.test_reviews_and_calendar import _completed_job


async def _no_duplicate_seen(self: QuerySet[Any]) -> bool:
    return False


async def test_a_second_identical_review_is_a_conflict_even_without_the_pre_check(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    booking, people = await _completed_job()
    viewer = await viewer_for_user(people["customer"])
    first = await submit_review(viewer=viewer, booking_id=booking.id, subject_type=PartyType.FACILITY, score=5)
    assert first.subject_key == f"org-{booking.organization_id}"
    worker = people["worker"].id
    await submit_review(
        viewer=viewer, booking_id=booking.id, subject_type=PartyType.LABOR, subject_user_id=worker, score=4
    )

    monkeypatch.setattr(QuerySet, "exists", _no_duplicate_seen)  # as if a concurrent submit passed the check
    for subject_type, subject_user_id in ((PartyType.FACILITY, None), (PartyType.LABOR, worker)):
        with pytest.raises(DomainError) as err:
            await submit_review(
                viewer=viewer,
                booking_id=booking.id,
                subject_type=subject_type,
                subject_user_id=subject_user_id,
                score=1,
            )
        assert err.value.code == ErrorCode.CONFLICT
    assert await Review.filter(booking_id=booking.id).count() == 2
    organization = await Organization.get(id=booking.organization_id)
    assert (organization.rating_count, float(organization.rating)) == (1, 5.0)  # the refused one left no trace
    assert (await User.get(id=worker)).rating_count == 1


async def test_two_simultaneous_submits_store_one_review() -> None:
    booking, people = await _completed_job()
    viewer = await viewer_for_user(people["customer"])
    outcomes = await asyncio.gather(
        *(
            submit_review(viewer=viewer, booking_id=booking.id, subject_type=PartyType.FACILITY, score=s)
            for s in (4, 5)
        ),
        return_exceptions=True,
    )
    assert sorted(type(o).__name__ for o in outcomes) == ["DomainError", "Review"], outcomes
    assert [o.code for o in outcomes if isinstance(o, DomainError)] == [ErrorCode.CONFLICT]
    assert await Review.filter(booking_id=booking.id).count() == 1


async def test_reviews_written_directly_get_their_key_and_the_same_guard() -> None:
    booking, people = await _completed_job()
    values: dict[str, Any] = {
        "booking": booking,
        "author": people["customer"],
        "subject_type": PartyType.FACILITY,
        "subject_organization_id": booking.organization_id,
        "score": 5,
    }
    review = await Review.create(**values)
    assert review.subject_key == f"org-{booking.organization_id}"
    with pytest.raises(IntegrityError):
        await Review.create(**values)
