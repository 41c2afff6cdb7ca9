"""Capacity per capability kind, and the earliest window in which a booking's needs fit.

Everything here computes in memory on snapshots; the loaders fetch a horizon's rows in one query each,
so a quote costs a bounded number of queries whatever the number of days or candidates.
"""

from __future__ import annotations

import itertools
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from app.services.coordination.working_hours import CapabilityHours, Window, zone
from models import CapacitySchedule, OrganizationCapability
from models.enums import CAPABILITY_KINDS, CapabilityKind, CapabilityType, ResourceType

WHOLE = 10**9  # a blocked row with units = 0 blocks the whole capability
LABOR_HOURS_PER_DAY = 8
ID_CHUNK = 500
WEEK_MARGIN = timedelta(days=7)  # a local week around any instant lies within it, whatever the timezone


@dataclass(frozen=True)
class Capability:
    id: int
    organization_id: int
    capability_type: CapabilityType
    quantity: int
    hours: CapabilityHours

    @property
    def kind(self) -> CapabilityKind:
        return CAPABILITY_KINDS[self.capability_type]

    @classmethod
    def of(cls, row: OrganizationCapability) -> Capability:
        return cls(
            id=row.id,
            organization_id=row.organization_id,
            capability_type=CapabilityType(row.capability_type),
            quantity=row.quantity,
            hours=CapabilityHours(
                id=row.id,
                hours_per_day=float(row.hours_per_day),
                days_per_week=row.days_per_week,
                is_operational=row.is_operational,
                maintenance_start=row.maintenance_start,
                maintenance_end=row.maintenance_end,
            ),
        )


@dataclass(frozen=True)
class Need:
    """A required capability: hours of a time-shared one, or units of a space one (presence: neither)."""

    capability_type: CapabilityType
    hours: Decimal = Decimal(0)
    units: int = 0


@dataclass(frozen=True)
class Facility:
    id: int
    timezone: str
    operating_hours: Mapping[str, Sequence[str]]


@dataclass(frozen=True)
class PlannedBlock:
    capability_id: int
    start: datetime
    end: datetime
    units: int
    hours: Decimal

    def to_json(self) -> dict[str, object]:
        return {
            "capability_id": self.capability_id,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "units": self.units,
            "hours": f"{self.hours:.2f}",
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> PlannedBlock:
        return cls(
            int(data["capability_id"]),
            datetime.fromisoformat(data["start"]),
            datetime.fromisoformat(data["end"]),
            int(data["units"]),
            Decimal(str(data["hours"])),
        )


@dataclass(frozen=True)
class CapacityWindow:
    days: list[Window]
    blocks: list[PlannedBlock]

    @property
    def start(self) -> datetime:
        return self.days[0].start

    @property
    def end(self) -> datetime:
        return self.days[-1].end

    @property
    def last_day(self) -> date:
        return self.days[-1].day


@dataclass
class Busy:
    """One resource's occupied intervals (start, end, units), sorted, with overlap queries."""

    intervals: list[tuple[datetime, datetime, int]] = field(default_factory=list)
    _starts: list[datetime] = field(default_factory=list)
    _longest: timedelta = timedelta(0)

    @classmethod
    def of(cls, intervals: Iterable[tuple[datetime, datetime, int]]) -> Busy:
        ordered = sorted(intervals)
        longest = max((e - s for s, e, _ in ordered), default=timedelta(0))
        return cls(ordered, [s for s, _, _ in ordered], longest)

    def overlapping(self, start: datetime, end: datetime) -> list[tuple[datetime, datetime, int]]:
        i = bisect_left(self._starts, start - self._longest)
        found = []
        while i < len(self.intervals) and self.intervals[i][0] < end:
            s, e, u = self.intervals[i]
            if e > start:
                found.append((s, e, u))
            i += 1
        return found

    def peak(self, start: datetime, end: datetime) -> int:
        """Most units in use at any instant of [start, end)."""
        return peak_units(self.overlapping(start, end), start)

    def fits(self, start: datetime, end: datetime, units: int, capacity: int) -> bool:
        return self.peak(start, end) + units <= capacity


def peak_units(intervals: Sequence[tuple[datetime, datetime, int]], start: datetime) -> int:
    """Peak sum of units over intervals already clipped to a span beginning at `start`."""
    points = {max(s, start) for s, _, _ in intervals}
    return max((sum(u for s, e, u in intervals if s <= p < e) for p in points), default=0)


def free_intervals(busy: Busy, lo: datetime, hi: datetime, capacity: int) -> list[tuple[datetime, datetime]]:
    """The maximal parts of [lo, hi) in which one more unit fits (fewer than `capacity` units in use)."""
    if hi <= lo or capacity <= 0:
        return []
    change: dict[datetime, int] = defaultdict(int)
    for s, e, u in busy.overlapping(lo, hi):
        change[max(s, lo)] += u
        change[min(e, hi)] -= u
    points = sorted({lo, hi, *change})
    free: list[tuple[datetime, datetime]] = []
    level = 0
    for a, b in itertools.pairwise(points):
        level += change.get(a, 0)
        if level < capacity:
            if free and free[-1][1] == a:
                free[-1] = (free[-1][0], b)
            else:
                free.append((a, b))
    return free


def merge_needs(needs: Iterable[Need]) -> list[Need]:
    """One need per capability type (hours and units of the same type add up)."""
    merged: dict[CapabilityType, Need] = {}
    for n in needs:
        old = merged.get(n.capability_type)
        merged[n.capability_type] = (
            n if old is None else Need(n.capability_type, old.hours + n.hours, old.units + n.units)
        )
    return list(merged.values())


def _minutes(hours: Decimal) -> int:
    return int((hours * 60).to_integral_value())


async def load_capabilities(organization_ids: Sequence[int]) -> list[Capability]:
    """Every capability of these organizations, as snapshots: one light query."""
    if not organization_ids:
        return []
    rows = await OrganizationCapability.filter(organization_id__in=list(organization_ids)).values_list(
        "id", "organization_id", "capability_type", "quantity", "hours_per_day", "days_per_week", "is_operational",
        "maintenance_start", "maintenance_end",
    )  # fmt: skip
    return [
        Capability(cid, org_id, CapabilityType(kind), qty, CapabilityHours(cid, float(hpd), dpw, op, ms, me))
        for cid, org_id, kind, qty, hpd, dpw, op, ms, me in rows
    ]


async def load_capability_busy(capability_ids: Iterable[int], start: datetime, end: datetime) -> dict[int, Busy]:
    """Every reserved or blocked interval of these capabilities that overlaps [start, end): one query."""
    ids = sorted(set(capability_ids))
    if not ids:
        return {}
    rows = await CapacitySchedule.filter(
        capability_id__in=ids, start_time__lt=end, end_time__gt=start, resource_type=ResourceType.FACILITY_CAPABILITY
    ).values_list("capability_id", "start_time", "end_time", "units", "is_blocked", "is_reserved")
    grouped: dict[int, list[tuple[datetime, datetime, int]]] = defaultdict(list)
    for cap_id, s, e, units, blocked, reserved in rows:
        if blocked:
            grouped[cap_id].append((s, e, units or WHOLE))
        elif reserved:
            grouped[cap_id].append((s, e, units))
    return {cap_id: Busy.of(intervals) for cap_id, intervals in grouped.items()}


async def load_labor_busy(
    user_ids: Iterable[int], start: datetime, end: datetime
) -> dict[int, list[tuple[datetime, datetime]]]:
    """Every labor interval of these people that overlaps [start, end), or the whole local weeks around it (their
    weekly hours count what they hold in those weeks: labor_bounds)."""
    ids = sorted(set(user_ids))
    if not ids:
        return {}
    start, end = start - WEEK_MARGIN, end + WEEK_MARGIN
    grouped: dict[int, list[tuple[datetime, datetime]]] = defaultdict(list)
    for i in range(0, len(ids), ID_CHUNK):  # one query per 500 people (SQLite caps bound parameters)
        query = CapacitySchedule.filter(
            resource_type=ResourceType.USER_LABOR,
            user_id__in=ids[i : i + ID_CHUNK],
            start_time__lt=end,
            end_time__gt=start,
        )
        for user_id, s, e in await query.values_list("user_id", "start_time", "end_time"):
            grouped[user_id].append((s, e))
    for intervals in grouped.values():
        intervals.sort()
    return grouped


def _labor_day(
    busy: Sequence[tuple[datetime, datetime]], day: Window, tz: ZoneInfo, hours_per_day: int
) -> tuple[int, list[tuple[datetime, datetime]]]:
    """A person's allowance on the window's local day (8 h less what they are booked for that day, wherever)
    and their free gaps inside the day's window."""
    midnight = datetime.combine(day.day, datetime.min.time(), tzinfo=tz)
    next_midnight = datetime.combine(day.day + timedelta(days=1), datetime.min.time(), tzinfo=tz)
    day_busy = sorted((s, e) for s, e in busy if s < next_midnight and e > midnight)
    booked = sum(int((min(e, next_midnight) - max(s, midnight)).total_seconds() // 60) for s, e in day_busy)
    gaps: list[tuple[datetime, datetime]] = []
    cursor = day.start
    for s, e in [*day_busy, (day.end, day.end)]:
        gap_end = min(s, day.end)
        if gap_end > cursor:
            gaps.append((cursor, gap_end))
        cursor = max(cursor, e)
        if cursor >= day.end:
            break
    return max(0, hours_per_day * 60 - booked), gaps


def labor_day_minutes(
    busy: Sequence[tuple[datetime, datetime]],
    days: Sequence[Window],
    *,
    timezone: str,
    hours_per_day: int = LABOR_HOURS_PER_DAY,
) -> list[int]:
    """Per window day, the minutes a person can still work there (their free time, within the daily cap)."""
    tz = zone(timezone)
    out = []
    for day in days:
        allowance, gaps = _labor_day(busy, day, tz, hours_per_day)
        out.append(min(allowance, sum(_span_minutes(s, e) for s, e in gaps)))
    return out


def labor_blocks(
    busy: Sequence[tuple[datetime, datetime]],
    days: Sequence[Window],
    minutes: int,
    *,
    timezone: str,
    hours_per_day: int = LABOR_HOURS_PER_DAY,
) -> list[tuple[datetime, datetime]]:
    """A person's blocks inside the window's days (never over their other blocks, within the daily cap),
    earliest first, adding up to `minutes` or as much as they have."""
    tz = zone(timezone)
    remaining = minutes
    blocks: list[tuple[datetime, datetime]] = []
    for day in days:
        if remaining <= 0:
            break
        allowance, gaps = _labor_day(busy, day, tz, hours_per_day)
        allowance = min(allowance, remaining)
        for s, e in gaps:
            if allowance <= 0:
                break
            take = min(_span_minutes(s, e), allowance)
            if take > 0:
                blocks.append((s, s + timedelta(minutes=take)))
                allowance -= take
                remaining -= take
    return blocks


def free_labor_blocks(
    busy: Sequence[tuple[datetime, datetime]],
    days: Sequence[Window],
    hours_needed: Decimal,
    *,
    timezone: str,
    hours_per_day: int = LABOR_HOURS_PER_DAY,
) -> list[tuple[datetime, datetime]]:
    """labor_blocks for a number of hours."""
    return labor_blocks(busy, days, _minutes(hours_needed), timezone=timezone, hours_per_day=hours_per_day)


def _span_minutes(start: datetime, end: datetime) -> int:
    return int((end - start).total_seconds() // 60)


def block_hours(blocks: Iterable[tuple[datetime, datetime]]) -> Decimal:
    minutes = sum(int((e - s).total_seconds() // 60) for s, e in blocks)
    return (Decimal(minutes) / 60).quantize(Decimal("0.01"))
