"""Booking requests one by one against a CP-SAT optimum of the same congested weeks (a script).

    .venv/bin/python bench/schedule_bench.py --instances 12 [--before ea6d860] [--seconds 20]

A week generator: one paint shop (UTC, Monday to Friday 08:00-16:00) with 2 booths and 2 painters, and
jobs that arrive over two weeks, each with a release day, a due day, booth minutes and painting minutes
(interruptible work, so a day's booth time is exact at day level: any split of at most the day's length per
job that fits the booths' total can be laid out, McNaughton's wrap-around). The horizon is three weeks.

- one by one (arrival order): each request gets the engine's earliest window, which is then booked;
- one by one (due-date order): the same engine, fed the same requests by due date;
- CP-SAT: the same jobs placed together, serving as many as possible, then the least total lateness,
  time-limited (the status says whether the optimum was proved);
- re-plan: CP-SAT again, but every job the one-by-one booking served stays served by its promised date
  (what a re-plan of booked work may do), serving more and reducing lateness where it can.
Jobs served, total lateness (calendar days past due), makespan (last completion, days from the first
Monday) and booth utilization over the two arrival weeks. Writes bench/results/schedule_bench.md.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("ENVIRONMENT", "test")

from ortools.sat.python import cp_model  # noqa: E402

from app.services.coordination import availability, matching, planning, windows, working_hours  # noqa: E402
from bench._common import RESULTS, machine  # noqa: E402
from bench.window_bench import load_before  # noqa: E402
from models.enums import CapabilityType, Proficiency, SkillCategory  # noqa: E402

MONDAY = date(2030, 1, 7)
BOOTHS = 2
PAINTERS = 2
DAY_MINUTES = 8 * 60
WORK_DAYS = 15  # three weeks of weekdays: the horizon
ARRIVAL_DAYS = 10  # requests arrive over the first two weeks


@dataclass(frozen=True)
class Job:
    id: int
    release: int  # working-day index
    due: date
    booth: int  # minutes
    labor: int  # painting minutes


@dataclass
class Outcome:
    served: int
    lateness: int
    makespan: int
    utilization: float
    seconds: float
    status: str = ""


def workdays() -> list[date]:
    days, d = [], MONDAY
    while len(days) < WORK_DAYS:
        if d.weekday() < 5:
            days.append(d)
        d += timedelta(days=1)
    return days


def generate(seed: int, load: float) -> list[Job]:
    """Jobs whose booth minutes add up to `load` times the booths' capacity over the arrival weeks."""
    rng = random.Random(seed)
    days = workdays()
    budget = load * BOOTHS * DAY_MINUTES * ARRIVAL_DAYS
    jobs: list[Job] = []
    while sum(j.booth for j in jobs) < budget:
        release = rng.randrange(ARRIVAL_DAYS)
        booth = rng.randrange(120, 1201, 15)
        slack = rng.randrange(0, 3)
        due = days[min(len(days) - 1, release + slack + booth // DAY_MINUTES)]
        jobs.append(Job(len(jobs) + 1, release, due, booth, int(booth * rng.uniform(0.5, 1.3))))
    return sorted(jobs, key=lambda j: (j.release, j.id))


def measure(jobs: list[Job], done: dict[int, tuple[date, dict[date, int]]], seconds: float, status: str) -> Outcome:
    """done: job id -> (completion date, booth minutes per date)."""
    days = workdays()
    by_id = {j.id: j for j in jobs}
    late = sum(max(0, (end - by_id[j].due).days) for j, (end, _) in done.items())
    makespan = max(((end - MONDAY).days for end, _ in done.values()), default=0)
    used = sum(m for _, per_day in done.values() for d, m in per_day.items() if d in days[:ARRIVAL_DAYS])
    return Outcome(len(done), late, makespan, used / (BOOTHS * DAY_MINUTES * ARRIVAL_DAYS), seconds, status)


# --- the engine, one request at a time -------------------------------------------------------------------


def one_by_one(
    jobs: list[Job], order: Callable[[Job], tuple[object, ...]], promised: dict[int, date] | None = None
) -> Outcome:
    days = workdays()
    facility = availability.Facility(1, "UTC", {})
    booths = [
        availability.Capability(i, 1, CapabilityType.PAINT_BOOTH, 1, working_hours.CapabilityHours(i, 8, 5))
        for i in range(1, BOOTHS + 1)
    ]
    taken: dict[int, list[tuple[datetime, datetime, int]]] = {b.id: [] for b in booths}
    people: dict[int, list[tuple[datetime, datetime]]] = {100 + i: [] for i in range(PAINTERS)}
    ranked = {
        SkillCategory.PAINTING: [
            matching.Candidate(
                matching.Person(u, f"P{u}", SkillCategory.PAINTING, Proficiency.EXPERT, 50, None, None, 4.0), 0.0
            )
            for u in people
        ]
    }
    done: dict[int, tuple[date, dict[date, int]]] = {}
    t0 = time.perf_counter()
    for job in sorted(jobs, key=order):
        needs = [availability.Need(CapabilityType.PAINT_BOOTH, hours=Decimal(job.booth) / 60)]
        roles = [matching.Role(SkillCategory.PAINTING, Proficiency.LEARNING, Decimal(job.labor) / 60)]
        req = planning.Requirements(needs, roles, 1, True)
        rows, _ = windows.usable_rows(needs, booths)
        busy = {i: availability.Busy.of(v) for i, v in taken.items()}
        first = days[job.release]
        calendar = windows.calendar(
            facility=facility,
            needs=needs,
            rows=rows,
            busy=busy,
            first_day=first,
            last_day=days[-1],
            not_before=datetime.combine(first, datetime.min.time(), tzinfo=UTC),
            interruptible=True,
        )
        found = planning.staffed_window(facility, req, rows, busy, calendar, ranked, people)
        if found is None:
            continue
        window, staff = found.window, found.assignments
        per_day: dict[date, int] = {}
        for b in window.blocks:
            taken[b.capability_id].append((b.start, b.end, b.units))
            per_day[b.start.date()] = per_day.get(b.start.date(), 0) + int((b.end - b.start).total_seconds() // 60)
        for group in staff.values():
            for a in group:
                people[a.user_id].extend(a.blocks)
                people[a.user_id].sort()
        done[job.id] = (window.last_day, per_day)
    if promised is not None:
        promised.update({j: end for j, (end, _) in done.items()})
    return measure(jobs, done, time.perf_counter() - t0, "")


def one_by_one_before(old: dict[str, ModuleType], jobs: list[Job]) -> Outcome:
    """The earlier search (its own rule: one booth chosen per type, proportional split, 40-window cap)."""
    av, wh, mt = old["availability"], old["working_hours"], old["matching"]
    days = workdays()
    facility = av.Facility(1, "UTC", {})
    booths = [av.Capability(i, 1, CapabilityType.PAINT_BOOTH, 1, wh.CapabilityHours(i, 8, 5)) for i in range(1, 3)]
    taken: dict[int, list[tuple[datetime, datetime, int]]] = {b.id: [] for b in booths}
    people: dict[int, list[tuple[datetime, datetime]]] = {100 + i: [] for i in range(PAINTERS)}
    ranked = {
        SkillCategory.PAINTING: [
            mt.Candidate(mt.Person(u, f"P{u}", SkillCategory.PAINTING, Proficiency.EXPERT, 50, None, None, 4.0), 0.0)
            for u in people
        ]
    }
    done: dict[int, tuple[date, dict[date, int]]] = {}
    t0 = time.perf_counter()
    for job in jobs:
        needs = [av.Need(CapabilityType.PAINT_BOOTH, hours=Decimal(job.booth) / 60)]
        roles = [mt.Role(SkillCategory.PAINTING, Proficiency.LEARNING, Decimal(job.labor) / 60)]
        chosen, _ = av.choose_capabilities(needs, booths)
        busy = {i: av.Busy.of(v) for i, v in taken.items()}
        first = days[job.release]
        for tried, window in enumerate(
            av.feasible_windows(
                facility=facility,
                needs=needs,
                chosen=chosen,
                busy=busy,
                first_day=first,
                last_day=days[-1],
                n_days=1,
                not_before=datetime.combine(first, datetime.min.time(), tzinfo=UTC),
            ),
            start=1,
        ):
            staff = mt.assign_roles(roles, ranked, window.days, people, timezone="UTC")
            if staff is not None:
                per_day: dict[date, int] = {}
                for b in window.blocks:
                    taken[b.capability_id].append((b.start, b.end, b.units))
                    day = b.start.date()
                    per_day[day] = per_day.get(day, 0) + int((b.end - b.start).total_seconds() // 60)
                for group in staff.values():
                    for a in group:
                        people[a.user_id].extend(a.blocks)
                        people[a.user_id].sort()
                done[job.id] = (window.last_day, per_day)
                break
            if tried >= 40:
                break
    return measure(jobs, done, time.perf_counter() - t0, "")


# --- CP-SAT: all requests together ---------------------------------------------------------------------------


def optimum(jobs: list[Job], seconds: float, promised: dict[int, date] | None = None) -> Outcome:
    """The best placement of all jobs; with `promised` (a re-plan of booked work), every job booked keeps
    its place among the served and finishes no later than the date it was promised."""
    days = workdays()
    offsets = [(d - MONDAY).days for d in days]
    m = cp_model.CpModel()
    served, end, late, booth, labor = {}, {}, {}, {}, {}
    for j in jobs:
        served[j.id] = m.NewBoolVar(f"served{j.id}")
        end[j.id] = m.NewIntVar(j.release, len(days) - 1, f"end{j.id}")
        end_day = m.NewIntVar(0, offsets[-1], f"endday{j.id}")
        m.AddElement(end[j.id], offsets, end_day)
        late[j.id] = m.NewIntVar(0, offsets[-1], f"late{j.id}")
        m.Add(late[j.id] >= end_day - (j.due - MONDAY).days).OnlyEnforceIf(served[j.id])
        for t in range(len(days)):
            hi = DAY_MINUTES if t >= j.release else 0
            booth[j.id, t] = m.NewIntVar(0, hi, f"b{j.id},{t}")
            labor[j.id, t] = m.NewIntVar(0, PAINTERS * DAY_MINUTES if hi else 0, f"l{j.id},{t}")
            works = m.NewBoolVar(f"w{j.id},{t}")
            m.Add(booth[j.id, t] + labor[j.id, t] == 0).OnlyEnforceIf(works.Not())
            m.Add(end[j.id] >= t).OnlyEnforceIf(works)
        if promised is not None and j.id in promised:
            m.Add(served[j.id] == 1)
            m.Add(end[j.id] <= days.index(promised[j.id]))
        m.Add(sum(booth[j.id, t] for t in range(len(days))) == j.booth * served[j.id])
        m.Add(sum(labor[j.id, t] for t in range(len(days))) == j.labor * served[j.id])
    for t in range(len(days)):
        m.Add(sum(booth[j.id, t] for j in jobs) <= BOOTHS * DAY_MINUTES)
        m.Add(sum(labor[j.id, t] for j in jobs) <= PAINTERS * DAY_MINUTES)
    weight = len(jobs) * offsets[-1] + 1  # one more job served is worth more than any lateness
    m.Maximize(weight * sum(served.values()) - sum(late.values()))
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = seconds
    solver.parameters.num_workers = 2
    t0 = time.perf_counter()
    status = solver.Solve(m)
    elapsed = time.perf_counter() - t0
    done: dict[int, tuple[date, dict[date, int]]] = {}
    for j in jobs:
        if solver.Value(served[j.id]):
            per_day = {days[t]: solver.Value(booth[j.id, t]) for t in range(len(days))}
            worked = [t for t in range(len(days)) if solver.Value(booth[j.id, t]) + solver.Value(labor[j.id, t])]
            done[j.id] = (days[max(worked)], per_day)
    return measure(jobs, done, elapsed, solver.StatusName(status))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--instances", type=int, default=12)
    parser.add_argument("--seconds", type=float, default=20.0, help="CP-SAT time limit per instance")
    parser.add_argument("--before", default=None, help="a commit whose one-by-one search to compare too")
    args = parser.parse_args()
    old = load_before(args.before) if args.before else None
    table: list[tuple[int, float, int, dict[str, Outcome]]] = []
    for seed in range(args.instances):
        load = (1.0, 1.2, 1.4)[seed % 3]
        jobs = generate(seed, load)
        promised: dict[int, date] = {}
        results = {
            "one by one": one_by_one(jobs, lambda j: (j.release, j.id), promised),
            "one by one, due-date order": one_by_one(jobs, lambda j: (j.due, j.release, j.id)),
            "CP-SAT": optimum(jobs, args.seconds),
            "re-plan of the one-by-one bookings (CP-SAT, promised dates kept)": optimum(jobs, args.seconds, promised),
        }
        if old is not None:
            results["one by one, before"] = one_by_one_before(old, jobs)
        table.append((seed, load, len(jobs), results))
        print(seed, load, len(jobs), {k: (v.served, v.lateness, v.status) for k, v in results.items()}, flush=True)
    names = [n for n in table[0][3] if n != "CP-SAT"]
    lines = [
        "# One-by-one booking against a CP-SAT optimum",
        "",
        f"Generated by `bench/schedule_bench.py --instances {args.instances} --seconds {args.seconds:g}"
        + (f" --before {args.before}`" if args.before else "`")
        + f" on {datetime.now(UTC):%Y-%m-%d %H:%M} UTC.",
        f"Machine: {machine()}.",
        "",
        f"A paint shop with {BOOTHS} booths and {PAINTERS} painters (Monday-Friday, 8 h); requests arrive over two"
        f" weeks with booth demand 1.0, 1.2 or 1.4 times the booths' capacity of those weeks; the horizon is"
        f" {WORK_DAYS} working days. Lateness is in calendar days past the due date; makespan in days from the first"
        " Monday; utilization is the booths' share used over the two arrival weeks.",
        "",
        "| instance | load | jobs | search | served | served / CP-SAT | lateness | lateness / CP-SAT | makespan"
        " | utilization | seconds | solver status |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    ratios: dict[str, tuple[list[float], list[float]]] = {n: ([], []) for n in names}
    for seed, load, n, results in table:
        best = results["CP-SAT"]
        for name in [*names, "CP-SAT"]:
            r = results[name]
            served_ratio = r.served / best.served if best.served else 1.0
            late_ratio = r.lateness / best.lateness if best.lateness else float("inf")
            if name in ratios:
                ratios[name][0].append(served_ratio)
                ratios[name][1].append(late_ratio)
            lines.append(
                f"| {seed} | {load:g} | {n} | {name} | {r.served} | {served_ratio:.3f} | {r.lateness}"
                f" | {'-' if late_ratio == float('inf') else f'{late_ratio:.2f}'}"
                f" | {r.makespan} | {r.utilization:.3f} | {r.seconds:.2f} | {r.status or '-'} |"
            )
    lines += [
        "",
        "| search | served / CP-SAT (min-max, median) | lateness / CP-SAT where CP-SAT > 0 (min-max, median)"
        " | days late beyond CP-SAT (total over the instances) |",
        "|---|---|---|---|",
    ]
    for name, (served, late) in ratios.items():
        finite = [x for x in late if x != float("inf")]
        extra = sum(results[name].lateness - results["CP-SAT"].lateness for *_, results in table)
        lines.append(
            f"| {name} | {min(served):.3f}-{max(served):.3f}, {statistics.median(served):.3f}"
            f" | {min(finite, default=0):.2f}-{max(finite, default=0):.2f}, {statistics.median(finite or [0]):.2f}"
            f" | {extra} |"
        )
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "schedule_bench.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
