"""The exact earliest window of a job at one facility (docs/capacity.md, "The earliest window").

A window is a run of the facility's working days D0..D1 for this job. It is feasible when
- every time-shared need's minutes fit on its days: on each day the job can get at most the longest free run
  of one row of the type (a job that may not be interrupted) or every minute in which some row of the type
  has a free unit (a job that may be interrupted, moving between rows and around other bookings), and any
  split of the minutes over the days is allowed;
- it has at least the service's estimated number of working days;
- the roles can be staffed in it (a callback: the people's free minutes on those days, matched together);
- one row of each space type holds the units over the whole stay, from D0's opening to D1's closing,
  and is neither out of service nor in maintenance on a day the stay touches.
The earliest window is the one that finishes first (smallest D1) and, among those, starts last (the shortest
stay). Capacity, days and labor only get easier as D0 moves earlier and space only harder, so one pass over
D1 with a D0 pointer that never moves back finds it, trying O(days) windows: the search covers the whole
horizon and its cost is bounded by the free intervals indexed once per row and day, not by a cap.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from itertools import accumulate

from app.services.coordination.availability import (
    Busy,
    Capability,
    CapacityWindow,
    Facility,
    Need,
    PlannedBlock,
    free_intervals,
    merge_needs,
)
from app.services.coordination.working_hours import Window, capability_window, facility_window, local_date, zone
from models.enums import CapabilityKind, CapabilityType

Interval = tuple[datetime, datetime]
LaborCheck = Callable[[int, int], bool]  # (first, last) indexes into the days: can the roles be staffed there?


@dataclass(frozen=True)
class RowDay:
    """One row of a time-shared type on one day: its free intervals inside the day's window."""

    capability: Capability
    free: tuple[Interval, ...]


@dataclass(frozen=True)
class Day:
    """A working day of the job: the shared window (people work inside it) and, per time-shared type, its rows."""

    window: Window
    rows: Mapping[CapabilityType, tuple[RowDay, ...]]
    room: Mapping[CapabilityType, int]  # minutes of the type the job can get this day


def usable_rows(
    needs: Sequence[Need], capabilities: Iterable[Capability]
) -> tuple[dict[CapabilityType, list[Capability]], list[CapabilityType]]:
    """Per needed type, every operational row that can serve it (by id); and the types that have none."""
    wanted = {n.capability_type for n in needs}
    rows: dict[CapabilityType, list[Capability]] = {}
    for cap in sorted(capabilities, key=lambda c: c.id):
        if cap.capability_type not in wanted or not cap.hours.is_operational:
            continue
        if cap.quantity <= 0 and cap.kind is not CapabilityKind.PRESENCE:
            continue
        rows.setdefault(cap.capability_type, []).append(cap)
    return rows, sorted(t for t in wanted if t not in rows)


def _minutes(value: Decimal) -> int:
    return int((value * 60).to_integral_value())


def _length(interval: Interval) -> int:
    return int((interval[1] - interval[0]).total_seconds() // 60)


def _union_minutes(rows: Sequence[RowDay]) -> int:
    """Minutes in which at least one row has a free unit."""
    spans = sorted(iv for r in rows for iv in r.free)
    total, end = 0, None
    for s, e in spans:
        if end is None or s >= end:
            total += _length((s, e))
            end = e
        elif e > end:
            total += _length((end, e))
            end = e
    return total


def calendar(
    *,
    facility: Facility,
    needs: Sequence[Need],
    rows: Mapping[CapabilityType, Sequence[Capability]],
    busy: Mapping[int, Busy],
    first_day: date,
    last_day: date,
    not_before: datetime,
    interruptible: bool,
) -> list[Day]:
    """The job's working days from first_day to last_day, with each time-shared type's free time indexed.

    A day works when every needed time-shared type has an open row (its own days and hours, within the
    facility's explicit hours), or, with none, when the facility is open; and every presence type has a row
    out of maintenance. The day's window is the part of it every time-shared type covers with some row."""
    tz = zone(facility.timezone)
    shared = [n.capability_type for n in merge_needs(needs) if n.capability_type in rows]
    shared = [t for t in shared if rows[t][0].kind is CapabilityKind.TIME_SHARED]
    presence = {n.capability_type for n in needs if n.capability_type in rows}
    presence = {t for t in presence if rows[t][0].kind is CapabilityKind.PRESENCE}
    empty = Busy()
    days: list[Day] = []
    day = first_day
    while day <= last_day:
        current, day = day, day + timedelta(days=1)
        if any(all(c.hours.in_maintenance(current) for c in rows[t]) for t in presence):
            continue
        opened: dict[CapabilityType, list[tuple[Capability, Window]]] = {}
        for t in shared:
            found = [
                (c, capability_window(current, c.hours, tz=tz, operating_hours=facility.operating_hours))
                for c in rows[t]
            ]
            opened[t] = [(c, w) for c, w in found if w is not None]
        if any(not o for o in opened.values()):
            continue
        if shared:
            start = max(min(w.start for _, w in opened[t]) for t in shared)
            end = min(max(w.end for _, w in opened[t]) for t in shared)
        else:
            window = facility_window(current, tz=tz, operating_hours=facility.operating_hours)
            if window is None:
                continue
            start, end = window.start, window.end
        start = max(start, not_before)
        if end <= start:
            continue
        row_days: dict[CapabilityType, tuple[RowDay, ...]] = {}
        room: dict[CapabilityType, int] = {}
        for t in shared:
            row_days[t] = tuple(
                RowDay(
                    c, tuple(free_intervals(busy.get(c.id, empty), max(w.start, start), min(w.end, end), c.quantity))
                )
                for c, w in opened[t]
            )
            if interruptible:
                room[t] = _union_minutes(row_days[t])
            else:
                room[t] = max((_length(iv) for r in row_days[t] for iv in r.free), default=0)
        days.append(Day(Window(current, start, end), row_days, room))
    return days


def _place_day(day: Day, kind: CapabilityType, minutes: int, interruptible: bool) -> list[PlannedBlock]:
    """The job's blocks of a type on one day, as early as possible (minutes <= the day's room)."""
    rows = day.rows[kind]
    length = timedelta(minutes=minutes)
    if not interruptible:
        start, row = min(
            ((iv[0], r.capability.id) for r in rows for iv in r.free if _length(iv) >= minutes), default=(None, 0)
        )
        assert start is not None, "the day's room promised a run this long"
        return [PlannedBlock(row, start, start + length, 1, _hours(minutes))]
    # Interrupted work: from each instant, stay on the row whose free interval reaches furthest.
    spans = sorted((s, e, r.capability.id) for r in rows for s, e in r.free)
    blocks: list[PlannedBlock] = []
    left = minutes
    cursor = day.window.start
    while left > 0:
        live = [(e, -cid, s) for s, e, cid in spans if s <= cursor < e]
        if not live:
            cursor = min(s for s, e, _ in spans if s > cursor)
            continue
        end, neg_id, _ = max(live)
        take = min(left, _length((cursor, end)))
        stop = cursor + timedelta(minutes=take)
        if blocks and blocks[-1].capability_id == -neg_id and blocks[-1].end == cursor:
            last = blocks.pop()
            blocks.append(PlannedBlock(last.capability_id, last.start, stop, 1, _hours(_length((last.start, stop)))))
        else:
            blocks.append(PlannedBlock(-neg_id, cursor, stop, 1, _hours(take)))
        left -= take
        cursor = stop
    return blocks


def _hours(minutes: int) -> Decimal:
    return (Decimal(minutes) / 60).quantize(Decimal("0.01"))


def _stay(
    days: Sequence[Day], need: Need, rows: Sequence[Capability], busy: Mapping[int, Busy], facility: Facility
) -> PlannedBlock | None:
    """The first row of a space type that holds the units over the whole stay, as a block."""
    start, end = days[0].window.start, days[-1].window.end
    tz = zone(facility.timezone)
    touched = local_date(start, tz), local_date(end - timedelta(microseconds=1), tz)
    span = [touched[0] + timedelta(days=i) for i in range((touched[1] - touched[0]).days + 1)]
    for cap in rows:
        if any(cap.hours.in_maintenance(d) for d in span):
            continue
        if busy.get(cap.id, Busy()).fits(start, end, need.units, cap.quantity):
            hours = Decimal((end - start).total_seconds() / 3600).quantize(Decimal("0.01"))
            return PlannedBlock(cap.id, start, end, need.units, hours)
    return None


def earliest(
    *,
    facility: Facility,
    days: Sequence[Day],
    needs: Sequence[Need],
    rows: Mapping[CapabilityType, Sequence[Capability]],
    busy: Mapping[int, Busy],
    n_days: int,
    interruptible: bool,
    labor: LaborCheck | None = None,
) -> tuple[CapacityWindow, int, int] | None:
    """The earliest feasible window over these days with its blocks, and its first and last day indexes."""
    needs = merge_needs(needs)
    timed = [
        (n.capability_type, _minutes(n.hours))
        for n in needs
        if n.capability_type in rows and rows[n.capability_type][0].kind is CapabilityKind.TIME_SHARED
    ]
    spaces = [
        n
        for n in needs
        if n.units > 0 and n.capability_type in rows and rows[n.capability_type][0].kind is CapabilityKind.SPACE
    ]
    prefix = {t: [0, *accumulate(d.room.get(t, 0) for d in days)] for t, _ in timed}

    def enough(i: int, j: int) -> bool:
        if j - i + 1 < max(n_days, 1):
            return False
        if any(prefix[t][j + 1] - prefix[t][i] < m for t, m in timed):
            return False
        return labor is None or labor(i, j)

    i = 0
    started = False
    for j in range(len(days)):
        if not started:
            if not enough(0, j):
                continue
            started = True
        while i < j and enough(i + 1, j):
            i += 1
        span = days[i : j + 1]
        stays = [_stay(span, n, rows[n.capability_type], busy, facility) for n in spaces]
        if any(s is None for s in stays):
            continue  # a longer stay (an earlier D0) only holds more: try the next D1
        blocks: list[PlannedBlock] = []
        for t, m in timed:
            left = m
            for day in span:  # front-loaded: each day takes what it can
                take = min(left, day.room.get(t, 0))
                if take > 0:
                    blocks.extend(_place_day(day, t, take, interruptible))
                    left -= take
        blocks.extend(s for s in stays if s is not None)
        return CapacityWindow([d.window for d in span], blocks), i, j
    return None
