"""Property: a payment event record's distributions add up to its total, for charges split by milestone and for a
dispute's resolution split between the customer's refund and what each party keeps; a record that would not add
up is refused before it is written.

Pure: no database. Example counts come from the hypothesis profile (tests/conftest.py).
"""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.services.money import allocate
from app.services.payments.records import Line, PartsDoNotAddUp, adding_up
from app.services.payments.split import milestone_split
from models.enums import RecipientType

pytestmark = pytest.mark.pure  # no database

KINDS = [RecipientType.FACILITY, RecipientType.LABOR, RecipientType.LABOR, RecipientType.PLATFORM]
amounts = st.integers(min_value=0, max_value=10**10)


@given(
    total=amounts,
    milestone_bps=st.lists(st.integers(min_value=1, max_value=10_000), min_size=1, max_size=5),
    party_bps=st.lists(st.integers(min_value=0, max_value=10_000), min_size=2, max_size=4).filter(any),
)
def test_each_charge_record_adds_up_to_its_milestone(
    total: int, milestone_bps: list[int], party_bps: list[int]
) -> None:
    milestones = allocate(total, milestone_bps)
    parties = allocate(total, party_bps)
    for amount, parts in zip(milestones, milestone_split(milestones, parties), strict=True):
        lines = [Line(KINDS[i], i + 1, part) for i, part in enumerate(parts)]
        stored = adding_up(amount, lines)
        assert sum(item["amount_cents"] for item in stored) == amount
        assert [Line.from_json(item) for item in stored] == lines


@given(
    held=st.lists(st.integers(min_value=0, max_value=10**9), min_size=1, max_size=4).filter(any),
    share=st.fractions(min_value=0, max_value=1),
)
def test_a_resolution_record_adds_up_to_what_was_paid(held: list[int], share: Fraction) -> None:
    paid = sum(held)
    refund = int(paid * share)
    taken = allocate(refund, held)
    kept = [h - t for h, t in zip(held, taken, strict=True)]
    assert all(k >= 0 for k in kept)
    lines = [Line(RecipientType.CUSTOMER, 99, refund)] + [Line(KINDS[i], i + 1, k) for i, k in enumerate(kept) if k]
    assert sum(item["amount_cents"] for item in adding_up(paid, lines)) == paid


@given(parts=st.lists(st.integers(min_value=0, max_value=10**9), min_size=1, max_size=4), off=st.integers(-5, 5))
def test_a_record_that_does_not_add_up_is_refused(parts: list[int], off: int) -> None:
    lines = [Line(RecipientType.LABOR, i, p) for i, p in enumerate(parts)]
    if off == 0:
        assert len(adding_up(sum(parts), lines)) == len(parts)
    else:
        with pytest.raises(PartsDoNotAddUp):
            adding_up(sum(parts) + off, lines)
