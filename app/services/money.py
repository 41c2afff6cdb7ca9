"""Money in integer cents: largest-remainder allocation so parts always add up to the total."""

from __future__ import annotations

from collections.abc import Sequence


def allocate(total_cents: int, weights: Sequence[int]) -> list[int]:
    """Split total_cents in proportion to non-negative integer weights; parts sum exactly to the total.

    Each part is within one cent of its exact share; remainders go to the largest fractions
    (ties to the earlier part), so the result is deterministic.
    """
    if total_cents < 0:
        raise ValueError("total_cents must not be negative")
    if not weights or any(w < 0 for w in weights):
        raise ValueError("weights must be non-empty and non-negative")
    weight_sum = sum(weights)
    if weight_sum == 0:
        raise ValueError("weights must not all be zero")
    floors = [total_cents * w // weight_sum for w in weights]
    remainders = [total_cents * w % weight_sum for w in weights]
    leftover = total_cents - sum(floors)
    order = sorted(range(len(weights)), key=lambda i: (-remainders[i], i))
    for i in order[:leftover]:
        floors[i] += 1
    return floors


def bps_of(amount_cents: int, bps: int) -> int:
    """amount × bps / 10,000, rounded half up, in cents."""
    return (amount_cents * bps + 5_000) // 10_000
