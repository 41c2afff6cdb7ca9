"""The quote's earliest window equals an independent brute force on random small facilities.

The facilities are drawn with time zones across daylight-saving changes, explicit or default opening hours
(to the minute, "24:00" included), rows of one type with their own days, hours, quantity, maintenance and
out-of-service state, partial and whole blocks, storage with its own maintenance, odd job minutes, jobs that
may or may not be interrupted, and people with one or two skills and their own bookings.

The brute force is written apart from the engine, minute by minute: it builds every row's and person's
calendar as minute arrays, then tries every (first day, last day) pair in the rule's order (the last day
first, then the latest first day) and staffs the roles with a plain max-flow. The engine's answer must be the
same pair, and its blocks and people must be valid by the same minute arrays.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.services.coordination import availability, matching, planning, windows, working_hours
from models.enums import CapabilityType as T
from models.enums import Proficiency, SkillCategory

pytestmark = pytest.mark.pure  # no database

HORIZON = 9  # days searched after the first
ZONES = ["UTC", "America/New_York", "Europe/Berlin", "Australia/Lord_Howe", "Asia/Kolkata"]
FIRST_DAYS = [date(2030, 3, 7), date(2030, 3, 28), date(2030, 4, 4), date(2030, 10, 24), date(2030, 10, 31)]
SKILLS = [SkillCategory.PAINTING, SkillCategory.MECHANICAL]
WHOLE = availability.WHOLE
DAY_CAP = 8 * 60


@dataclass
class Row:
    id: int
    kind: T
    quantity: int
    minutes_per_day: int
    days_per_week: int
    operational: bool
    maintenance: tuple[date, date] | None
    busy: list[tuple[datetime, datetime, int]] = field(default_factory=list)


@dataclass
class Worker:
    id: int
    skills: tuple[SkillCategory, ...]
    busy: list[tuple[datetime, datetime]] = field(default_factory=list)


@dataclass
class World:
    tz: str
    hours: dict[str, list[str]]
    first: date
    not_before: datetime
    rows: list[Row]
    minutes: dict[T, int]  # time-shared needs
    units: int  # storage need (0: none)
    n_days: int
    interruptible: bool
    workers: list[Worker]
    roles: dict[SkillCategory, int]  # minutes per role

    @property
    def last(self) -> date:
        return self.first + timedelta(days=HORIZON)


def local(day: date, hh: int, mm: int, tz: str) -> datetime:
    if hh == 24:
        day, hh = day + timedelta(days=1), 0
    return datetime.combine(day, time(hh, mm), tzinfo=ZoneInfo(tz)).astimezone(UTC)


@st.composite
def worlds(draw: st.DrawFn) -> World:
    tz = draw(st.sampled_from(ZONES))
    first = draw(st.sampled_from(FIRST_DAYS))
    hours: dict[str, list[str]] = {}
    if draw(st.booleans()):
        for wd in range(7):
            if draw(st.integers(0, 4)) == 0:
                continue
            open_m = draw(st.integers(5 * 60, 11 * 60))
            close_m = draw(st.integers(open_m + 30, 24 * 60))
            hours[str(wd)] = [f"{open_m // 60:02d}:{open_m % 60:02d}", f"{close_m // 60:02d}:{close_m % 60:02d}"]
    kinds = [T.PAINT_BOOTH] + ([T.VEHICLE_LIFT] if draw(st.booleans()) else [])
    rows: list[Row] = []
    for kind in kinds:
        for _ in range(draw(st.integers(1, 3))):
            start = first + timedelta(days=draw(st.integers(-1, HORIZON)))
            maintenance = (
                (start, start + timedelta(days=draw(st.integers(0, 3)))) if draw(st.integers(0, 3)) == 0 else None
            )
            rows.append(
                Row(
                    len(rows) + 1,
                    kind,
                    draw(st.integers(1, 2)),
                    draw(st.integers(3 * 60, 12 * 60)),
                    draw(st.integers(3, 7)),
                    draw(st.integers(0, 7)) > 0,
                    maintenance,
                )
            )
    units = draw(st.sampled_from([0, 0, 60, 150]))
    if units:
        start = first + timedelta(days=draw(st.integers(0, HORIZON)))
        maintenance = (start, start) if draw(st.booleans()) else None
        rows.append(Row(len(rows) + 1, T.INDOOR_STORAGE, 200, 0, 7, True, maintenance))
    for row in rows:
        for _ in range(draw(st.integers(0, 4 if row.kind is T.INDOOR_STORAGE else 16))):
            day = first + timedelta(days=draw(st.integers(0, HORIZON // 2)))
            start_m = draw(st.integers(6 * 60, 18 * 60))
            length = draw(st.integers(15, 36 * 60 if row.kind is T.INDOOR_STORAGE else 6 * 60))
            s = local(day, start_m // 60, start_m % 60, tz)
            u = (
                draw(st.sampled_from([1, 1, 2, WHOLE]))
                if row.kind is not T.INDOOR_STORAGE
                else draw(st.sampled_from([50, 100]))
            )
            row.busy.append((s, s + timedelta(minutes=length), u))
    workers = []
    for wid in range(1, draw(st.integers(0, 3)) + 1):
        skills = tuple(draw(st.lists(st.sampled_from(SKILLS), min_size=1, max_size=2, unique=True)))
        w = Worker(100 + wid, skills)
        for _ in range(draw(st.integers(0, 5))):
            day = first + timedelta(days=draw(st.integers(0, HORIZON)))
            start_m = draw(st.integers(0, 20 * 60))
            s = local(day, start_m // 60, start_m % 60, tz)
            e = s + timedelta(minutes=draw(st.integers(30, 10 * 60)))
            if all(e <= bs or s >= be for bs, be in w.busy):  # one person's blocks never overlap
                w.busy.append((s, e))
        workers.append(w)
    roles = {
        k: draw(st.integers(30, 14 * 60)) for k in draw(st.lists(st.sampled_from(SKILLS), max_size=2, unique=True))
    }
    minutes = {k: draw(st.integers(1, 20 * 60)) for k in kinds}
    not_before = local(first, 0, 0, tz) + timedelta(minutes=draw(st.sampled_from([0, 0, 9 * 60 + 7, 30 * 60])))
    return World(
        tz, hours, first, not_before, rows, minutes, units, draw(st.integers(1, 3)), draw(st.booleans()), workers, roles
    )


# --- the brute force: minute arrays from the horizon's start -------------------------------------------


class Grid:
    def __init__(self, world: World) -> None:
        self.origin = local(world.first - timedelta(days=1), 0, 0, world.tz)
        self.size = (HORIZON + 4) * 24 * 60

    def m(self, t: datetime) -> int:
        return max(0, min(self.size, int((t - self.origin).total_seconds() // 60)))

    def usage(self, blocks: list[tuple[datetime, datetime, int]]) -> list[int]:
        used = [0] * self.size
        for s, e, u in blocks:
            for i in range(self.m(s), self.m(e)):
                used[i] += u
        return used


def row_open(world: World, row: Row, day: date) -> tuple[datetime, datetime] | None:
    if not row.operational or row.days_per_week <= day.weekday():
        return None
    if row.maintenance and row.maintenance[0] <= day <= row.maintenance[1]:
        return None
    if world.hours:
        h = world.hours.get(str(day.weekday()))
        if not h:
            return None
        (oh, om), (ch, cm) = (map(int, h[0].split(":")), map(int, h[1].split(":")))
        start, end = local(day, oh, om, world.tz), local(day, ch, cm, world.tz)
        end = min(end, start + timedelta(minutes=row.minutes_per_day))
    else:
        start = local(day, 8, 0, world.tz)
        end = start + timedelta(minutes=min(row.minutes_per_day, 16 * 60))
    return (start, end) if end > start else None


def longest_run(flags: list[bool]) -> int:
    best = run = 0
    for f in flags:
        run = run + 1 if f else 0
        best = max(best, run)
    return best


def max_flow(roles: dict[SkillCategory, int], caps: dict[int, int], can: dict[int, tuple[SkillCategory, ...]]) -> int:
    """Edmonds-Karp on source -> role -> person -> sink."""
    nodes = ["s", *roles, *caps, "t"]
    cap: dict[tuple[object, object], int] = defaultdict(int)
    for r, need in roles.items():
        cap["s", r] = need
    for p, c in caps.items():
        cap[p, "t"] = c
        for r in can[p]:
            if r in roles:
                cap[r, p] = 10**9
    flow = 0
    while True:
        parent: dict[object, object] = {"s": None}
        queue: list[object] = ["s"]
        while queue and "t" not in parent:
            u = queue.pop(0)
            for v in nodes:
                if v not in parent and cap[u, v] > 0:
                    parent[v] = u
                    queue.append(v)
        if "t" not in parent:
            return flow
        path: list[tuple[object, object]] = []
        node: object = "t"
        while parent[node] is not None:
            path.append((parent[node], node))
            node = parent[node]
        push = min(cap[e] for e in path)
        for a, b in path:
            cap[a, b] -= push
            cap[b, a] += push
        flow += push


def brute_force(world: World) -> tuple[date, date] | None:
    grid = Grid(world)
    timed = [r for r in world.rows if r.kind is not T.INDOOR_STORAGE]
    used = {r.id: grid.usage(r.busy) for r in world.rows}
    days: list[tuple[date, int, int]] = []  # working days: (date, window start minute, window end minute)
    for i in range(HORIZON + 1):
        day = world.first + timedelta(days=i)
        opens = {k: [o for r in timed if r.kind is k and (o := row_open(world, r, day))] for k in world.minutes}
        if any(not o for o in opens.values()):
            continue
        start = max(grid.m(min(o[0] for o in opens[k])) for k in opens)
        end = min(grid.m(max(o[1] for o in opens[k])) for k in opens)
        start = max(start, grid.m(world.not_before))
        if end > start:
            days.append((day, start, end))

    def room(day: date, lo: int, hi: int, kind: T) -> int:
        free_rows = []
        for r in timed:
            o = r.kind is kind and row_open(world, r, day)
            if not o:
                continue
            a, b = grid.m(o[0]), grid.m(o[1])
            free_rows.append([a <= t < b and used[r.id][t] < r.quantity for t in range(lo, hi)])
        if world.interruptible:
            return sum(any(col) for col in zip(*free_rows, strict=True)) if free_rows else 0
        return max((longest_run(f) for f in free_rows), default=0)

    rooms = [{k: room(d, lo, hi, k) for k in world.minutes} for d, lo, hi in days]
    person_used = {w.id: grid.usage([(s, e, 1) for s, e in w.busy]) for w in world.workers}

    def labor(day: date, lo: int, hi: int, w: Worker) -> int:
        a, b = grid.m(local(day, 0, 0, world.tz)), grid.m(local(day + timedelta(days=1), 0, 0, world.tz))
        allowance = DAY_CAP - sum(person_used[w.id][a:b])
        return max(0, min(allowance, sum(1 for t in range(lo, hi) if not person_used[w.id][t])))

    free = [{w.id: labor(d, lo, hi, w) for w in world.workers} for d, lo, hi in days]
    storage = [r for r in world.rows if r.kind is T.INDOOR_STORAGE]
    for j in range(len(days)):
        for i in range(j, -1, -1):  # the latest first day first
            if j - i + 1 < world.n_days:
                continue
            if any(sum(rooms[x][k] for x in range(i, j + 1)) < m for k, m in world.minutes.items()):
                continue
            caps = {w.id: sum(free[x][w.id] for x in range(i, j + 1)) for w in world.workers}
            if max_flow(world.roles, caps, {w.id: w.skills for w in world.workers}) < sum(world.roles.values()):
                continue
            if world.units and not any(stay_fits(world, grid, used[r.id], r, days[i][1], days[j][2]) for r in storage):
                continue
            return days[i][0], days[j][0]
    return None


def stay_fits(world: World, grid: Grid, used: list[int], row: Row, lo: int, hi: int) -> bool:
    tz = ZoneInfo(world.tz)
    first = (grid.origin + timedelta(minutes=lo)).astimezone(tz).date()
    last = (grid.origin + timedelta(minutes=hi - 1)).astimezone(tz).date()
    if row.maintenance and row.maintenance[0] <= last and first <= row.maintenance[1]:
        return False
    return max(used[lo:hi]) + world.units <= row.quantity


# --- the engine, as the quote calls it -------------------------------------------------------------------


def engine(world: World) -> tuple[availability.CapacityWindow, dict[SkillCategory, list[matching.Assignment]]] | None:
    facility = availability.Facility(1, world.tz, world.hours)
    caps = [
        availability.Capability(
            r.id,
            1,
            r.kind,
            r.quantity,
            working_hours.CapabilityHours(
                r.id,
                r.minutes_per_day / 60,
                r.days_per_week,
                r.operational,
                r.maintenance[0] if r.maintenance else None,
                r.maintenance[1] if r.maintenance else None,
            ),
        )
        for r in world.rows
    ]
    needs = [availability.Need(k, hours=Decimal(m) / 60) for k, m in world.minutes.items()]
    if world.units:
        needs.append(availability.Need(T.INDOOR_STORAGE, units=world.units))
    rows, missing = windows.usable_rows(needs, caps)
    if missing:
        return None
    roles = [matching.Role(k, Proficiency.LEARNING, Decimal(m) / 60) for k, m in world.roles.items()]
    req = planning.Requirements(needs, roles, world.n_days, world.interruptible)
    ranked = {
        k: [
            matching.Candidate(matching.Person(w.id, f"W{w.id}", k, Proficiency.EXPERT, 50, None, None, 4.0), 0.0)
            for w in world.workers
            if k in w.skills
        ]
        for k in world.roles
    }
    busy = {r.id: availability.Busy.of(r.busy) for r in world.rows}
    labor_busy = {w.id: sorted(w.busy) for w in world.workers}
    days = windows.calendar(
        facility=facility,
        needs=needs,
        rows=rows,
        busy=busy,
        first_day=world.first,
        last_day=world.last,
        not_before=world.not_before,
        interruptible=world.interruptible,
    )
    if any(not ranked[k] for k in world.roles):
        return None
    found = planning.staffed_window(facility, req, rows, busy, days, ranked, labor_busy)
    return None if found is None else (found.window, found.assignments)


def check_plan(
    world: World, window: availability.CapacityWindow, staff: dict[SkillCategory, list[matching.Assignment]]
) -> None:
    """Every block and person of the engine's answer, checked on the brute force's minute arrays."""
    grid = Grid(world)
    by_id = {r.id: r for r in world.rows}
    used = {r.id: grid.usage(r.busy) for r in world.rows}
    spans = {w.day: (grid.m(w.start), grid.m(w.end)) for w in window.days}
    placed: dict[T, list[tuple[int, int, date]]] = defaultdict(list)
    for b in window.blocks:
        row = by_id[b.capability_id]
        lo, hi = grid.m(b.start), grid.m(b.end)
        if row.kind is T.INDOOR_STORAGE:
            assert b.units == world.units and (lo, hi) == (spans[window.days[0].day][0], spans[window.days[-1].day][1])
            assert stay_fits(world, grid, used[row.id], row, lo, hi)
            continue
        day = (b.start.astimezone(ZoneInfo(world.tz))).date()
        opened = row_open(world, row, day)
        assert opened is not None and day in spans
        assert max(spans[day][0], grid.m(opened[0])) <= lo < hi <= min(spans[day][1], grid.m(opened[1]))
        assert max(used[row.id][lo:hi]) + 1 <= row.quantity
        placed[row.kind].append((lo, hi, day))
    for kind, minutes in world.minutes.items():
        ordered = sorted(placed[kind])
        assert sum(hi - lo for lo, hi, _ in ordered) == minutes
        assert all(a[1] <= b[0] for a, b in itertools.pairwise(ordered))  # one job, one place at a time
        if not world.interruptible:
            assert len({d for *_, d in ordered}) == len(ordered)  # one unbroken block a day
    person_used = {w.id: grid.usage([(s, e, 1) for s, e in w.busy]) for w in world.workers}
    skills = {w.id: w.skills for w in world.workers}
    mine: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for role, minutes in world.roles.items():
        total = 0
        for a in staff[role]:
            assert role in skills[a.user_id]
            for s, e in a.blocks:
                lo, hi = grid.m(s), grid.m(e)
                total += hi - lo
                day = s.astimezone(ZoneInfo(world.tz)).date()
                assert spans[day][0] <= lo < hi <= spans[day][1] and not any(person_used[a.user_id][lo:hi])
                mine[a.user_id].append((lo, hi))
        assert total == minutes
    for user_id, blocks in mine.items():
        blocks.sort()
        assert all(a[1] <= b[0] for a, b in itertools.pairwise(blocks))
        for day in spans:
            lo = grid.m(local(day, 0, 0, world.tz))
            hi = grid.m(local(day + timedelta(days=1), 0, 0, world.tz))
            work = sum(min(e, hi) - max(s, lo) for s, e in blocks if s < hi and e > lo)
            assert work == 0 or work + sum(person_used[user_id][lo:hi]) <= DAY_CAP


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(worlds())
def test_the_earliest_window_equals_the_brute_force(world: World) -> None:
    expected = brute_force(world)
    found = engine(world)
    if expected is None:
        assert found is None
        return
    assert found is not None
    window, staff = found
    assert (window.days[0].day, window.days[-1].day) == expected
    check_plan(world, window, staff)
