"""What a person's skill row bounds in matching (the seed's user_skills availability columns).

A person is offered only hours on the days their `preferred_work_schedule` allows (weekdays, weekends, evenings
from 17:00, or any), never more in one facility-local week (Monday to Sunday) than `available_hours_per_week`
counting the work they already hold that week, and never a share smaller than their `minimum_job_hours`.
Travel distance is checked when candidates are ranked (matching.rank_candidates). These are filters around
availability.free_labor_blocks, so any assignment strategy that asks "how many hours can this person give on
these days" composes with them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from app.services.coordination.availability import block_hours, free_labor_blocks
from app.services.coordination.working_hours import Window, zone
from models.enums import WorkSchedule

EVENING_FROM = time(17, 0)
WEEKEND = (5, 6)  # Saturday, Sunday


@dataclass(frozen=True)
class LaborBounds:
    hours_per_week: int = 40
    schedule: WorkSchedule = WorkSchedule.FLEXIBLE
    minimum_job_hours: int = 0


def week_of(day: date) -> date:
    """The Monday of the week the (local) day belongs to."""
    return day - timedelta(days=day.weekday())


def scheduled_part(day: Window, schedule: WorkSchedule, timezone: str) -> Window | None:
    """The part of a working day the person's schedule allows, or None."""
    weekend = day.day.weekday() in WEEKEND
    if schedule is WorkSchedule.WEEKDAYS and weekend:
        return None
    if schedule is WorkSchedule.WEEKENDS and not weekend:
        return None
    if schedule is WorkSchedule.EVENINGS:
        evening = datetime.combine(day.day, EVENING_FROM, tzinfo=zone(timezone)).astimezone(UTC)
        start = max(day.start, evening)
        return Window(day.day, start, day.end) if start < day.end else None
    return day


def booked_minutes_by_week(busy: Sequence[tuple[datetime, datetime]], timezone: str) -> dict[date, int]:
    """Minutes of held work per local week (a block across midnight into a new week counts in each)."""
    tz = zone(timezone)
    out: dict[date, int] = defaultdict(int)
    for start, end in busy:
        cursor = start
        while cursor < end:
            local = cursor.astimezone(tz)
            next_week = datetime.combine(week_of(local.date()) + timedelta(days=7), time.min, tzinfo=tz)
            stop = min(end, next_week.astimezone(UTC))
            out[week_of(local.date())] += int((stop - cursor).total_seconds() // 60)
            cursor = stop
    return out


def bounded_free_blocks(
    bounds: LaborBounds,
    busy: Sequence[tuple[datetime, datetime]],
    days: Sequence[Window],
    hours_needed: Decimal,
    *,
    timezone: str,
) -> list[tuple[datetime, datetime]]:
    """free_labor_blocks within the person's schedule and weekly hours; empty when what they could give is below
    their minimum job hours. `busy` must hold their work of the whole weeks the days touch."""
    allowed = [part for day in days if (part := scheduled_part(day, bounds.schedule, timezone)) is not None]
    booked = booked_minutes_by_week(busy, timezone)
    weeks: dict[date, list[Window]] = defaultdict(list)
    for day in allowed:
        weeks[week_of(day.day)].append(day)
    remaining = hours_needed
    blocks: list[tuple[datetime, datetime]] = []
    for monday in sorted(weeks):
        if remaining <= 0:
            break
        room = Decimal(bounds.hours_per_week * 60 - booked.get(monday, 0)) / 60
        if room <= 0:
            continue
        found = free_labor_blocks(busy, weeks[monday], min(remaining, room), timezone=timezone)
        blocks.extend(found)
        remaining -= block_hours(found)
    if block_hours(blocks) < bounds.minimum_job_hours:
        return []
    return blocks
