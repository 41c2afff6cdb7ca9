"""Property: every split adds up to the total and each part is within a cent of its exact share.

Pure: no database. Example counts come from the hypothesis profile (tests/conftest.py).
"""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.services.money import allocate
from app.services.payments.split import milestone_split

pytestmark = pytest.mark.pure  # no database

totals = st.integers(min_value=0, max_value=10**10)
shares = st.lists(st.integers(min_value=0, max_value=10_000), min_size=1, max_size=8).filter(any)


@given(total=totals, weights=shares)
def test_allocate_parts_sum_to_total_within_a_cent(total: int, weights: list[int]) -> None:
    parts = allocate(total, weights)
    assert sum(parts) == total
    for part, weight in zip(parts, weights, strict=True):
        assert abs(part - Fraction(total * weight, sum(weights))) < 1


@given(
    total=st.integers(min_value=0, max_value=10**9),
    party_weights=shares,
    milestone_bps=st.lists(st.integers(min_value=0, max_value=10_000), min_size=1, max_size=5).filter(any),
)
def test_milestone_split_adds_up_both_ways(total: int, party_weights: list[int], milestone_bps: list[int]) -> None:
    party_totals = allocate(total, party_weights)
    milestones = allocate(total, milestone_bps)
    table = milestone_split(milestones, party_totals)
    assert [sum(row) for row in table] == milestones
    assert [sum(col) for col in zip(*table, strict=True)] == party_totals
    assert all(part >= 0 for row in table for part in row)
