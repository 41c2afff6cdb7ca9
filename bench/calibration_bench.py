"""How well the quote's confidence is calibrated, on simulated histories (a script).

    .venv/bin/python bench/calibration_bench.py [--facilities 400] [--quotes 25]

Each simulated facility has its own truth: how often its work overruns, by how much on average, and how
often a person does not come. Its history (finished bookings on time or not, offers accepted or declined)
is drawn from that truth, as the quote would read it from the database; then quotes with random free
capacity and free people in their windows are drawn, and each one's outcome. A quote is on time when its
overrun fits in the window's free capacity and a no-show, if any, is covered by other free people.

The overrun mean and exposure of the model (confidence.OVERRUN_MEAN, EXPOSURE) are chosen on one set
of facilities (seed 1) and the calibration is reported on another (seed 2): a reliability table
(confidence bin -> observed on-time share) and the expected calibration error (ECE: the bins' gaps
weighted by their share of quotes), for the earlier formula (0.2 + 0.4 (1 - utilization) + 0.4 on-time
share, prior 0.75) and for confidence.py.
Writes bench/results/calibration_bench.md.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from unittest import mock

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("ENVIRONMENT", "test")

from app.services.coordination import confidence  # noqa: E402
from bench._common import RESULTS, machine  # noqa: E402

BINS = 10


@dataclass(frozen=True)
class Quote:
    inputs: confidence.Inputs
    utilization: float
    on_time: bool


def simulate(seed: int, facilities: int, quotes: int) -> list[Quote]:
    rng = random.Random(seed)
    out: list[Quote] = []
    for _ in range(facilities):
        overrun_p = rng.uniform(0.02, 0.6)
        overrun_mean = rng.uniform(0.1, 0.6)
        no_show = rng.uniform(0.0, 0.2)

        def outcome(
            slack: float,
            people: float,
            overrun_p: float = overrun_p,
            mean: float = overrun_mean,
            no_show: float = no_show,
        ) -> bool:
            late = rng.random() < overrun_p and rng.expovariate(1 / mean) > slack
            missing = rng.random() < no_show and rng.random() > min(1.0, people)
            return not late and not missing

        past = rng.choice([0, 0, 2, 5, 10, 20, 40, 80])
        history = [outcome(rng.uniform(0, 1.5), rng.uniform(0, 2)) for _ in range(past)]
        service = history[: len(history) // 2]
        offers = rng.choice([0, 3, 10, 30])
        accepted = sum(rng.random() > no_show for _ in range(offers))
        for _ in range(quotes):
            minutes = rng.uniform(120, 2400)
            capacity = minutes * rng.uniform(1.0, 3.0)
            busy = rng.uniform(0, capacity - minutes)
            slack = (capacity - busy - minutes) / minutes
            people = rng.uniform(0, 2)
            inputs = confidence.Inputs(
                capacity_slack=slack,
                people_slack=people,
                facility=confidence.Record(sum(history), len(history)),
                service=confidence.Record(sum(service), len(service)),
                labor=confidence.Record(accepted, offers),
            )
            out.append(Quote(inputs, (busy + minutes) / capacity, outcome(slack, people)))
    return out


def earlier(q: Quote) -> float:
    f = q.inputs.facility
    share = f.good / f.total if f.total else 0.75
    return min(1.0, max(0.0, 0.2 + 0.4 * (1 - q.utilization) + 0.4 * share))


def table(quotes: list[Quote], predict: Callable[[Quote], float]) -> tuple[list[tuple[int, float, float]], float]:
    bins: list[list[tuple[float, bool]]] = [[] for _ in range(BINS)]
    for q in quotes:
        p = predict(q)
        bins[min(BINS - 1, int(p * BINS))].append((p, q.on_time))
    rows, ece = [], 0.0
    for b in bins:
        if not b:
            rows.append((0, 0.0, 0.0))
            continue
        mean_p = sum(p for p, _ in b) / len(b)
        share = sum(1 for _, ok in b if ok) / len(b)
        rows.append((len(b), mean_p, share))
        ece += len(b) / len(quotes) * abs(mean_p - share)
    return rows, ece


def fitted(mean: float, exposure: float) -> Callable[[Quote], float]:
    def predict(q: Quote) -> float:
        with mock.patch.object(confidence, "OVERRUN_MEAN", mean), mock.patch.object(confidence, "EXPOSURE", exposure):
            return confidence.timeline_confidence(q.inputs)

    return predict


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--facilities", type=int, default=400)
    parser.add_argument("--quotes", type=int, default=25)
    args = parser.parse_args()
    train = simulate(1, args.facilities, args.quotes)
    grid = [(m / 20, x / 20) for m in range(1, 21) for x in range(1, 21)]
    best = min(grid, key=lambda mx: table(train, fitted(*mx))[1])
    test = simulate(2, args.facilities, args.quotes)
    before_rows, before_ece = table(test, earlier)
    after_rows, after_ece = table(test, lambda q: confidence.timeline_confidence(q.inputs))
    no_history = [q for q in test if q.inputs.facility.total == 0]
    lines = [
        "# Confidence calibration",
        "",
        f"Generated by `bench/calibration_bench.py --facilities {args.facilities} --quotes {args.quotes}`"
        f" on {datetime.now(UTC):%Y-%m-%d %H:%M} UTC.",
        f"Machine: {machine()}.",
        "",
        f"{len(test)} simulated quotes at {args.facilities} facilities (each: overrun chance 2-60%, mean overrun"
        " 10-60% of the job, no-show chance 0-20%; histories of 0-80 finished jobs, 0-30 offers). Fitted on another"
        f" {len(train)} quotes: overrun mean {best[0]:.2f}, exposure {best[1]:.2f} (confidence.py uses"
        f" {confidence.OVERRUN_MEAN:.2f} and {confidence.EXPOSURE:.2f}).",
        "",
        f"Expected calibration error: **{before_ece:.3f}** with the earlier formula, **{after_ece:.3f}** with"
        f" confidence.py; on the quotes of facilities without history: {table(no_history, earlier)[1]:.3f} and"
        f" {table(no_history, lambda q: confidence.timeline_confidence(q.inputs))[1]:.3f}.",
        "",
        "| confidence bin | earlier: quotes | earlier: mean confidence | earlier: on time"
        " | now: quotes | now: mean confidence | now: on time |",
        "|---|---|---|---|---|---|---|",
    ]
    for i, (b, a) in enumerate(zip(before_rows, after_rows, strict=True)):
        lines.append(
            f"| {i / BINS:.1f}-{(i + 1) / BINS:.1f} | {b[0]} | {b[1]:.3f} | {b[2]:.3f}"
            f" | {a[0]} | {a[1]:.3f} | {a[2]:.3f} |"
        )
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "calibration_bench.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
