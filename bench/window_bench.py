"""The quote's earliest window against an independent brute force on random small facilities (a script).

    .venv/bin/python bench/window_bench.py --worlds 2000 [--before ea6d860]

The facilities, the brute force and the adapter to the engine are the property test's
(tests/services/test_window_brute_force.py): time zones across DST changes, explicit or default hours,
several rows of a type, maintenance, partial and whole blocks, storage, jobs that may be interrupted,
people with one or two skills. `--before COMMIT` also runs the search of that commit (its availability,
working_hours and matching modules, read from git, with its 40-window cap) on the same facilities.
Writes bench/results/window_bench.md.
"""

from __future__ import annotations

import argparse
import importlib
import os
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from collections.abc import Callable
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from types import ModuleType
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("ENVIRONMENT", "test")

from hypothesis import HealthCheck, Phase, given, settings  # noqa: E402

from bench._common import RESULTS, machine  # noqa: E402
from models.enums import CapabilityType as T  # noqa: E402
from models.enums import Proficiency  # noqa: E402
from tests.services.test_window_brute_force import World, brute_force, engine, worlds  # noqa: E402

MODULES = ("working_hours", "availability", "matching")
OLD_CAP = 40  # windows the earlier search tried before giving up


def draw_worlds(n: int) -> list[World]:
    found: list[World] = []

    @settings(
        max_examples=n,
        database=None,
        derandomize=True,
        phases=[Phase.generate],
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(worlds())
    def collect(world: World) -> None:
        found.append(world)

    collect()
    return found


def load_before(commit: str) -> dict[str, ModuleType]:
    """The search modules of an earlier commit, imported under a private package name."""
    folder = Path(tempfile.mkdtemp(prefix="window_bench_"))
    package = folder / "before_search"
    package.mkdir()
    (package / "__init__.py").write_text("")
    for name in MODULES:
        source = subprocess.run(
            ["git", "show", f"{commit}:app/services/coordination/{name}.py"],
            cwd=ROOT,
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        (package / f"{name}.py").write_text(source.replace("app.services.coordination.", "before_search."))
    sys.path.insert(0, str(folder))
    return {name: importlib.import_module(f"before_search.{name}") for name in MODULES}


def before_engine(old: dict[str, ModuleType]) -> Callable[[World], tuple[date, date] | None]:
    av, wh, mt = old["availability"], old["working_hours"], old["matching"]

    def run(world: World) -> tuple[date, date] | None:
        facility = av.Facility(1, world.tz, world.hours)
        caps = [
            av.Capability(
                r.id,
                1,
                r.kind,
                r.quantity,
                wh.CapabilityHours(
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
        needs = [av.Need(k, hours=Decimal(m) / 60) for k, m in world.minutes.items()]
        if world.units:
            needs.append(av.Need(T.INDOOR_STORAGE, units=world.units))
        chosen, missing = av.choose_capabilities(needs, caps)
        if missing:
            return None
        roles = [mt.Role(k, Proficiency.LEARNING, Decimal(m) / 60) for k, m in world.roles.items()]
        ranked = {
            k: [
                mt.Candidate(mt.Person(w.id, f"W{w.id}", k, Proficiency.EXPERT, 50, None, None, 4.0), 0.0)
                for w in world.workers
                if k in w.skills
            ]
            for k in world.roles
        }
        if any(not ranked[k] for k in world.roles):
            return None
        busy = {r.id: av.Busy.of(r.busy) for r in world.rows}
        labor_busy = {w.id: sorted(w.busy) for w in world.workers}
        for tried, window in enumerate(
            av.feasible_windows(
                facility=facility,
                needs=needs,
                chosen=chosen,
                busy=busy,
                first_day=world.first,
                last_day=world.last,
                n_days=world.n_days,
                not_before=world.not_before,
            ),
            start=1,
        ):
            if mt.assign_roles(roles, ranked, window.days, labor_busy, timezone=world.tz) is not None:
                return window.days[0].day, window.days[-1].day
            if tried >= OLD_CAP:
                break
        return None

    return run


def after_engine(world: World) -> tuple[date, date] | None:
    found = engine(world)
    return None if found is None else (found[0].days[0].day, found[0].days[-1].day)


def compare(
    name: str, run: Callable[[World], tuple[date, date] | None], cases: list[tuple[World, Any]]
) -> dict[str, Any]:
    equal = later = missed = earlier = phantom = 0
    lateness: list[int] = []
    two_rows = two_rows_off = 0
    seconds: list[float] = []
    for world, expected in cases:
        t0 = time.perf_counter()
        got = run(world)
        seconds.append(time.perf_counter() - t0)
        several = any(sum(1 for r in world.rows if r.kind is k) > 1 for k in world.minutes)
        off = got != expected
        if several and expected is not None:
            two_rows += 1
            two_rows_off += off
        if expected is None:
            phantom += got is not None
            continue
        if got is None:
            missed += 1
        elif got == expected:
            equal += 1
        elif got[1] > expected[1] or (got[1] == expected[1] and got[0] < expected[0]):
            later += 1
            lateness.append((got[1] - expected[1]).days)
        else:
            earlier += 1  # a window the rule does not allow
    feasible = sum(1 for _, e in cases if e is not None)
    return {
        "name": name,
        "feasible": feasible,
        "equal": equal,
        "later": later,
        "missed": missed,
        "earlier": earlier,
        "phantom": phantom,
        "median_days_later": statistics.median(lateness) if lateness else 0,
        "two_rows": two_rows,
        "two_rows_off": two_rows_off,
        "p50_ms": statistics.median(seconds) * 1000,
        "p95_ms": sorted(seconds)[int(0.95 * (len(seconds) - 1))] * 1000,
    }


def pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "-"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--worlds", type=int, default=2000)
    parser.add_argument("--before", default=None, help="a commit whose search to compare too")
    args = parser.parse_args()
    warnings.simplefilter("ignore")
    generated = draw_worlds(args.worlds)
    t0 = time.perf_counter()
    cases = [(w, brute_force(w)) for w in generated]
    brute_s = time.perf_counter() - t0
    rows = [compare("after (this branch)", after_engine, cases)]
    if args.before:
        rows.insert(0, compare(f"before ({args.before})", before_engine(load_before(args.before)), cases))
    lines = [
        "# Quote search against a brute force",
        "",
        f"Generated by `bench/window_bench.py --worlds {args.worlds}"
        + (f" --before {args.before}`" if args.before else "`")
        + f" on {datetime.now(UTC):%Y-%m-%d %H:%M} UTC.",
        f"Machine: {machine()}.",
        "",
        f"{len(cases)} random small facilities (the property test's generator, drawn deterministically); the brute"
        f" force (minute arrays, every pair of days, a max-flow for people) found a window in"
        f" {cases and sum(1 for _, e in cases if e is not None)} of them, in {brute_s:.1f} s in all.",
        "",
        "| search | same window | later window | none though one exists | earlier than the rule allows"
        " | window where none exists | median days later | off with several rows of a type | p50 ms | p95 ms |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        f = r["feasible"]
        lines.append(
            f"| {r['name']} | {pct(r['equal'], f)} | {pct(r['later'], f)} | {pct(r['missed'], f)}"
            f" | {pct(r['earlier'], f)} | {r['phantom']} | {r['median_days_later']}"
            f" | {pct(r['two_rows_off'], r['two_rows'])} of {r['two_rows']} | {r['p50_ms']:.2f} | {r['p95_ms']:.2f} |"
        )
    lines += [
        "",
        'Percentages are of the facilities where a window exists. "Later" means a later last day, or the same last'
        " day with an earlier first day (a longer stay than needed). The earlier search is measured against the"
        " complete rule (any split of the hours over the days, any row of a type, interruption when the service"
        " allows it, whole minutes, a capability's own days within explicit hours, storage on its own calendar),"
        " which is what it missed.",
    ]
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "window_bench.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
