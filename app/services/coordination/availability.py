"""Capacity per capability kind, and the earliest window in which a booking's needs fit.

Everything here computes in memory on snapshots; the loaders fetch a horizon's rows in one query each,
so a quote costs a bounded number of queries whatever the number of days or candidates.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID

from app.services import money
from app.services.coordination.working_hours import CapabilityHours, Window, capability_window, facility_window, zone
from models import CapacitySchedule, OrganizationCapability
from models.enums import CAPABILITY_KINDS, CapabilityKind, CapabilityType, ResourceType

WHOLE = 10**9  # a blocked row with units = 0 blocks the whole capability
LABOR_HOURS_PER_DAY = 8
ID_CHUNK = 500


@dataclass(frozen=True)
class Capability:
    id: UUID
    organization_id: UUID
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
    id: UUID
    timezone: str
    operating_hours: Mapping[str, Sequence[str]]


@dataclass(frozen=True)
class PlannedBlock:
    capability_id: UUID
    start: datetime
    end: datetime
    units: int
    hours: Decimal

    def to_json(self) -> dict[str, object]:
        return {
            "capability_id": str(self.capability_id),
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "units": self.units,
            "hours": f"{self.hours:.2f}",
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> PlannedBlock:
        return cls(
            UUID(str(data["capability_id"])),
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


def earliest_slot(busy: Busy, window: Window, minutes: int, capacity: int, not_before: datetime) -> datetime | None:
    """Earliest start in the window of a `minutes` block that one more unit can occupy."""
    begin = max(window.start, not_before)
    length = timedelta(minutes=minutes)
    if begin + length > window.end:
        return None
    near = busy.overlapping(begin, window.end)
    # A feasible block can always slide left until it starts at the window's start or at some block's end.
    for t in sorted({begin} | {e for _, e, _ in near if begin < e}):
        if t + length > window.end:
            break
        if peak_units([iv for iv in near if iv[0] < t + length and iv[1] > t], t) + 1 <= capacity:
            return t
    return None


def choose_capabilities(
    needs: Sequence[Need], capabilities: Iterable[Capability]
) -> tuple[dict[CapabilityType, Capability], list[CapabilityType]]:
    """Per needed type, the operational capability with the most quantity; and the types that have none."""
    best: dict[CapabilityType, Capability] = {}
    for cap in capabilities:
        if not cap.hours.is_operational or (cap.quantity <= 0 and cap.kind is not CapabilityKind.PRESENCE):
            continue
        current = best.get(cap.capability_type)
        # The largest; among equals the lowest id, so the choice never depends on the order rows were read in.
        if current is None or (-cap.quantity, cap.id) < (-current.quantity, current.id):
            best[cap.capability_type] = cap
    wanted = {n.capability_type for n in needs}
    missing = sorted(t for t in wanted if t not in best)
    return {t: c for t, c in best.items() if t in wanted}, missing


def merge_needs(needs: Iterable[Need]) -> list[Need]:
    """One need per capability type (hours and units of the same type add up)."""
    merged: dict[CapabilityType, Need] = {}
    for n in needs:
        old = merged.get(n.capability_type)
        merged[n.capability_type] = (
            n if old is None else Need(n.capability_type, old.hours + n.hours, old.units + n.units)
        )
    return list(merged.values())


def work_days(
    facility: Facility, chosen: Mapping[CapabilityType, Capability], first: date, last: date, not_before: datetime
) -> list[Window]:
    """Days (with the shared open interval) on which every chosen capability can be used."""
    tz = zone(facility.timezone)
    shared = [c for c in chosen.values() if c.kind is CapabilityKind.TIME_SHARED]
    days: list[Window] = []
    day = first
    while day <= last:
        window: Window | None
        if any(not c.hours.is_operational or c.hours.in_maintenance(day) for c in chosen.values()):
            window = None
        elif shared:
            windows = [capability_window(day, c.hours, tz=tz, operating_hours=facility.operating_hours) for c in shared]
            if all(w is not None for w in windows):
                start = max(w.start for w in windows if w is not None)
                end = min(w.end for w in windows if w is not None)
                window = Window(day, start, end) if end > start else None
            else:
                window = None
        else:
            window = facility_window(day, tz=tz, operating_hours=facility.operating_hours)
        if window is not None and window.end > not_before:
            days.append(Window(day, max(window.start, not_before), window.end))
        day += timedelta(days=1)
    return days


def _minutes(hours: Decimal) -> int:
    return int((hours * 60).to_integral_value())


def split_minutes(minutes: int, day_minutes: Sequence[int]) -> list[int] | None:
    """A need's minutes spread over the days in proportion to their open time, in whole quarter hours
    (so each block's hours are exact to the cent of an hour); None if the days are too short."""
    if sum(day_minutes) < minutes:
        return None
    quarters = money.allocate(
        minutes // 15, [m // 15 for m in day_minutes] if sum(day_minutes) >= 15 else [1] * len(day_minutes)
    )
    shares = [q * 15 for q in quarters]
    rest = minutes % 15
    for i, m in enumerate(day_minutes):  # the odd minutes go to the first day with room for them
        if rest and shares[i] + rest <= m:
            shares[i] += rest
            rest = 0
    return shares if rest == 0 and all(s <= m for s, m in zip(shares, day_minutes, strict=True)) else None


def place(
    days: Sequence[Window],
    needs: Sequence[Need],
    chosen: Mapping[CapabilityType, Capability],
    busy: Mapping[UUID, Busy],
    not_before: datetime,
) -> list[PlannedBlock] | None:
    """Blocks for every need on these days, or None if some need does not fit."""
    blocks: list[PlannedBlock] = []
    empty = Busy()
    for need in needs:
        cap = chosen[need.capability_type]
        cap_busy = busy.get(cap.id, empty)
        if cap.kind is CapabilityKind.TIME_SHARED and need.hours > 0:
            shares = split_minutes(_minutes(need.hours), [int(d.hours * 60) for d in days])
            if shares is None:
                return None
            for day, minutes in zip(days, shares, strict=True):
                if minutes == 0:
                    continue
                start = earliest_slot(cap_busy, day, minutes, cap.quantity, not_before)
                if start is None:
                    return None
                end = start + timedelta(minutes=minutes)
                blocks.append(PlannedBlock(cap.id, start, end, 1, (Decimal(minutes) / 60).quantize(Decimal("0.01"))))
        elif cap.kind is CapabilityKind.SPACE and need.units > 0:
            start, end = days[0].start, days[-1].end
            if not cap_busy.fits(start, end, need.units, cap.quantity):
                return None
            hours = Decimal((end - start).total_seconds() / 3600).quantize(Decimal("0.01"))
            blocks.append(PlannedBlock(cap.id, start, end, need.units, hours))
    return blocks


def feasible_windows(
    *,
    facility: Facility,
    needs: Sequence[Need],
    chosen: Mapping[CapabilityType, Capability],
    busy: Mapping[UUID, Busy],
    first_day: date,
    last_day: date,
    n_days: int,
    not_before: datetime,
) -> Iterator[CapacityWindow]:
    """Every window (n working days, more if the hours need them) where all needs fit, earliest first."""
    needs = merge_needs(needs)
    days = work_days(facility, chosen, first_day, last_day, not_before)
    need_minutes = max(
        (_minutes(n.hours) for n in needs if chosen[n.capability_type].kind is CapabilityKind.TIME_SHARED), default=0
    )
    for i in range(len(days)):
        span: list[Window] = []
        total = 0
        for day in days[i:]:
            span.append(day)
            total += int(day.hours * 60)
            if len(span) >= max(n_days, 1) and total >= need_minutes:
                break
        else:
            return  # not enough days left before the last allowed day
        blocks = place(span, needs, chosen, busy, not_before)
        if blocks is not None:
            yield CapacityWindow(span, blocks)


def earliest_window(
    *,
    facility: Facility,
    needs: Sequence[Need],
    chosen: Mapping[CapabilityType, Capability],
    busy: Mapping[UUID, Busy],
    first_day: date,
    last_day: date,
    n_days: int,
    not_before: datetime,
) -> CapacityWindow | None:
    """The first of feasible_windows, or None."""
    windows = feasible_windows(
        facility=facility,
        needs=needs,
        chosen=chosen,
        busy=busy,
        first_day=first_day,
        last_day=last_day,
        n_days=n_days,
        not_before=not_before,
    )
    return next(windows, None)


async def load_capabilities(organization_ids: Sequence[UUID]) -> list[Capability]:
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


async def load_capability_busy(capability_ids: Iterable[UUID], start: datetime, end: datetime) -> dict[UUID, Busy]:
    """Every reserved or blocked interval of these capabilities that overlaps [start, end): one query."""
    ids = sorted(set(capability_ids))
    if not ids:
        return {}
    rows = await CapacitySchedule.filter(
        capability_id__in=ids, start_time__lt=end, end_time__gt=start, resource_type=ResourceType.FACILITY_CAPABILITY
    ).values_list("capability_id", "start_time", "end_time", "units", "is_blocked", "is_reserved")
    grouped: dict[UUID, list[tuple[datetime, datetime, int]]] = defaultdict(list)
    for cap_id, s, e, units, blocked, reserved in rows:
        if blocked:
            grouped[cap_id].append((s, e, units or WHOLE))
        elif reserved:
            grouped[cap_id].append((s, e, units))
    return {cap_id: Busy.of(intervals) for cap_id, intervals in grouped.items()}


async def load_labor_busy(
    user_ids: Iterable[UUID], start: datetime, end: datetime
) -> dict[UUID, list[tuple[datetime, datetime]]]:
    """Every labor interval of these people that overlaps [start, end)."""
    ids = sorted(set(user_ids))
    if not ids:
        return {}
    grouped: dict[UUID, list[tuple[datetime, datetime]]] = defaultdict(list)
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


def free_labor_blocks(
    busy: Sequence[tuple[datetime, datetime]],
    days: Sequence[Window],
    hours_needed: Decimal,
    *,
    timezone: str,
    hours_per_day: int = LABOR_HOURS_PER_DAY,
) -> list[tuple[datetime, datetime]]:
    """A person's blocks inside the window's days (never over their other blocks, at most 8 h a local day),
    earliest first, adding up to hours_needed or as much as they have."""
    tz = zone(timezone)
    remaining = _minutes(hours_needed)
    blocks: list[tuple[datetime, datetime]] = []
    for day in days:
        if remaining <= 0:
            break
        midnight = datetime.combine(day.day, datetime.min.time(), tzinfo=tz)
        day_busy = [(s, e) for s, e in busy if s < midnight + timedelta(days=1) and e > midnight]
        booked = sum(
            int((min(e, midnight + timedelta(days=1)) - max(s, midnight)).total_seconds() // 60) for s, e in day_busy
        )
        allowance = min(remaining, hours_per_day * 60 - booked)
        cursor = day.start
        for s, e in [*sorted(day_busy), (day.end, day.end)]:
            if allowance <= 0:
                break
            gap_end = min(s, day.end)
            gap = int((gap_end - cursor).total_seconds() // 60)
            if gap > 0:
                take = min(gap, allowance)
                blocks.append((cursor, cursor + timedelta(minutes=take)))
                allowance -= take
                remaining -= take
            cursor = max(cursor, e)
            if cursor >= day.end:
                break
    return blocks


def block_hours(blocks: Iterable[tuple[datetime, datetime]]) -> Decimal:
    minutes = sum(int((e - s).total_seconds() // 60) for s, e in blocks)
    return (Decimal(minutes) / 60).quantize(Decimal("0.01"))
