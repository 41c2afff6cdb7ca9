"""A service's cap on overlapping jobs (the seed's max_concurrent_jobs).

A booking of the service holds one of its job slots from its scheduled start to its scheduled end, from
acceptance until the work is completed or cancelled. The quote search offers no window in which the slots would
run out (`allows`), and acceptance checks again under the service's row lock (locks.service_lock), so two
accepts of one service never both take its last slot. docs/capacity.md has the rule.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime

from models import ServiceBooking
from models.enums import BookingStatus

# Statuses in which a booking occupies one of its service's job slots.
HOLDING = (
    BookingStatus.QUOTE_ACCEPTED,
    BookingStatus.SCHEDULED,
    BookingStatus.IN_PROGRESS,
    BookingStatus.QUALITY_REVIEW,
    BookingStatus.DISPUTED,
)

Jobs = list[tuple[datetime, datetime]]


async def load_jobs(
    service_ids: Iterable[int], start: datetime, end: datetime, *, excluding: int | None = None
) -> dict[int, Jobs]:
    """The spans of every slot-holding booking of these services that overlaps [start, end): one query."""
    ids = sorted(set(service_ids))
    if not ids:
        return {}
    query = ServiceBooking.filter(
        service_id__in=ids,
        status__in=HOLDING,
        scheduled_start__lt=end,
        scheduled_end__gt=start,
    )
    if excluding is not None:
        query = query.exclude(id=excluding)
    found: dict[int, Jobs] = defaultdict(list)
    for service_id, s, e in await query.values_list("service_id", "scheduled_start", "scheduled_end"):
        found[int(service_id)].append((s, e))
    return found


def peak(jobs: Jobs, start: datetime, end: datetime) -> int:
    """Most of these jobs running at one instant of [start, end)."""
    inside = [(max(s, start), min(e, end)) for s, e in jobs if s < end and e > start]
    return max((sum(1 for s, e in inside if s <= p < e) for p, _ in inside), default=0)


def allows(jobs: Jobs, start: datetime, end: datetime, max_concurrent_jobs: int) -> bool:
    """True when one more job over [start, end) keeps the service within its cap."""
    return peak(jobs, start, end) + 1 <= max_concurrent_jobs
