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
from typing import overload

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


class Calendar(Sequence[Day]):
    """The job's working days from first_day to last_day, with each time-shared type's free time indexed,
    computed as far as the search reads them (most searches stop in the first days of the horizon).

    A day works when every needed time-shared type has an open row (its own days and hours, within the
    facility's explicit hours), or, with none, when the facility is open; and every presence type has a row
    out of maintenance. The day's window is the part of it every time-shared type covers with some row."""

    def __init__(
        self,
        *,
        facility: Facility,
        needs: Sequence[Need],
        rows: Mapping[CapabilityType, Sequence[Capability]],
        busy: Mapping[int, Busy],
        first_day: date,
        last_day: date,
        not_before: datetime,
        interruptible: bool,
    ) -> None:
        self.facility, self.rows, self.busy = facility, rows, busy
        self.last_day, self.not_before, self.interruptible = last_day, not_before, interruptible
        self.tz = zone(facility.timezone)
        kinds = [n.capability_type for n in merge_needs(needs) if n.capability_type in rows]
        self.shared = [t for t in kinds if rows[t][0].kind is CapabilityKind.TIME_SHARED]
        self.presence = [t for t in kinds if rows[t][0].kind is CapabilityKind.PRESENCE]
        self._days: list[Day] = []
        self._next = first_day

    def has(self, index: int) -> bool:
        """Whether there is a working day at this index (computing the days up to it)."""
        while len(self._days) <= index and self._next <= self.last_day:
            current, self._next = self._next, self._next + timedelta(days=1)
            day = self._day(current)
            if day is not None:
                self._days.append(day)
        return index < len(self._days)

    def __len__(self) -> int:
        self.has(10**9)
        return len(self._days)

    @overload
    def __getitem__(self, index: int) -> Day: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[Day]: ...

    def __getitem__(self, index: int | slice) -> Day | Sequence[Day]:
        if isinstance(index, slice):
            if index.stop is None or index.stop < 0 or (index.start or 0) < 0:
                self.has(10**9)
            else:
                self.has(index.stop - 1)
            return self._days[index]
        if index < 0:
            self.has(10**9)
        elif not self.has(index):
            raise IndexError(index)
        return self._days[index]

    def _day(self, current: date) -> Day | None:
        rows, facility = self.rows, self.facility
        if any(all(c.hours.in_maintenance(current) for c in rows[t]) for t in self.presence):
            return None
        opened: dict[CapabilityType, list[tuple[Capability, Window]]] = {}
        for t in self.shared:
            found = [
                (c, capability_window(current, c.hours, tz=self.tz, operating_hours=facility.operating_hours))
                for c in rows[t]
            ]
            opened[t] = [(c, w) for c, w in found if w is not None]
            if not opened[t]:
                return None
        if self.shared:
            start = max(min(w.start for _, w in opened[t]) for t in self.shared)
            end = min(max(w.end for _, w in opened[t]) for t in self.shared)
        else:
            window = facility_window(current, tz=self.tz, operating_hours=facility.operating_hours)
            if window is None:
                return None
            start, end = window.start, window.end
        start = max(start, self.not_before)
        if end <= start:
            return None
        empty = Busy()
        row_days: dict[CapabilityType, tuple[RowDay, ...]] = {}
        room: dict[CapabilityType, int] = {}
        for t in self.shared:
            row_days[t] = tuple(
                RowDay(
                    c,
                    tuple(free_intervals(self.busy.get(c.id, empty), max(w.start, start), min(w.end, end), c.quantity)),
                )
                for c, w in opened[t]
            )
            if self.interruptible:
                room[t] = _union_minutes(row_days[t])
            else:
                room[t] = max((_length(iv) for r in row_days[t] for iv in r.free), default=0)
        return Day(Window(current, start, end), row_days, room)


class DayWindows(Sequence[Window]):
    """The windows of a calendar's days, as lazily as the calendar."""

    def __init__(self, days: Sequence[Day]) -> None:
        self.days = days

    def __len__(self) -> int:
        return len(self.days)

    @overload
    def __getitem__(self, index: int) -> Window: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[Window]: ...

    def __getitem__(self, index: int | slice) -> Window | Sequence[Window]:
        if isinstance(index, slice):
            return [d.window for d in self.days[index]]
        return self.days[index].window


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
) -> Calendar:
    """The job's working days (a Calendar, computed as they are read)."""
    return Calendar(
        facility=facility,
        needs=needs,
        rows=rows,
        busy=busy,
        first_day=first_day,
        last_day=last_day,
        not_before=not_before,
        interruptible=interruptible,
    )


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
    prefix: dict[CapabilityType, list[int]] = {t: [0] for t, _ in timed}

    def enough(i: int, j: int) -> bool:
        if j - i + 1 < max(n_days, 1):
            return False
        if any(prefix[t][j + 1] - prefix[t][i] < m for t, m in timed):
            return False
        return labor is None or labor(i, j)

    def has(j: int) -> bool:
        return days.has(j) if isinstance(days, Calendar) else j < len(days)

    i = 0
    j = -1
    started = False
    while has(j + 1):
        j += 1
        for t, _ in timed:  # the days' room, summed as the search reaches them
            prefix[t].append(prefix[t][-1] + days[j].room.get(t, 0))
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
