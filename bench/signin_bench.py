"""Sign-in cost, and what a flood of sign-ins does to everyone else's requests, before and after.

For each version (this checkout, and another git ref exported to a temp dir, `main` by default), one uvicorn
process on a fresh SQLite database with the demo seed:
  1. quiet: sequential sign-ins (p50) and sequential small queries (p50, p99);
  2. flood: FLOOD concurrent clients signing in without pause while one client sends the small query in a loop;
     the small query's p50/p99 and the sign-in p50 under the flood.
Before the change the hash ran on the event loop, so every small request waited behind the sign-ins in flight.

Usage: .venv/bin/python bench/signin_bench.py [--before main] [--flood 8] [--seconds 10]
Writes bench/results/signin.md.
"""

# A benchmark script: short blocking process calls around the measured parts are fine.

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._common import RESULTS, ROOT, machine, percentile, uvicorn_process

LOGIN = "mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }"
SMALL = "{ organizations(first: 1) { nodes { id name } } }"
ACCOUNT = {"e": "owner@demo.test", "p": "demo-pass"}


@dataclass(frozen=True)
class Figures:
    signin_quiet_p50: float
    small_quiet_p50: float
    small_quiet_p99: float
    signin_flood_p50: float
    small_flood_p50: float
    small_flood_p99: float
    small_flood_count: int
    signins_per_second: float
    timeouts: int  # requests stopped by the 10 s execution limit during the flood


def _run(args: list[str], cwd: Path, env: dict[str, str]) -> None:
    subprocess.run([sys.executable, *args], cwd=cwd, env=env, check=True, stdout=subprocess.DEVNULL)


@contextlib.contextmanager
def server(source: Path) -> Iterator[str]:
    """A uvicorn process serving the app of `source` on a fresh seeded SQLite database."""
    with tempfile.TemporaryDirectory(prefix="signin-bench-") as tmp:
        env = {
            **os.environ,
            "DATABASE_URL": f"sqlite://{tmp}/bench.sqlite3",
            "BROADCAST_URL": "memory://",
            "ENVIRONMENT": "development",
            "PYTHONPATH": str(source),
        }
        _run(["-m", "app.cli", "migrate"], source, env)
        _run(["-m", "app.cli", "seed"], source, env)
        with uvicorn_process("app.main:app", env, cwd=source) as base:
            yield base


class Stopped(Exception):
    """The server's execution time limit stopped the request."""


async def _timed(client: httpx.AsyncClient, query: str, variables: dict[str, str] | None = None) -> float:
    started = time.perf_counter()
    response = await client.post("/graphql", json={"query": query, "variables": variables or {}})
    elapsed = time.perf_counter() - started
    body = response.json()
    codes = [(e.get("extensions") or {}).get("code") for e in body.get("errors") or []]
    if codes == ["QUERY_TIMEOUT"]:
        raise Stopped
    if response.status_code != 200 or codes:
        raise RuntimeError(f"{query[:40]}: {response.status_code} {body}")
    return elapsed


async def measure(base: str, flood: int, seconds: float) -> Figures:
    limits = httpx.Limits(max_connections=flood + 4)
    async with httpx.AsyncClient(base_url=base, timeout=60, limits=limits) as client:
        for _ in range(3):  # warm up: imports, caches, the first hash
            await _timed(client, LOGIN, ACCOUNT)
            await _timed(client, SMALL)
        signin_quiet = [await _timed(client, LOGIN, ACCOUNT) for _ in range(15)]
        small_quiet = [await _timed(client, SMALL) for _ in range(200)]

        stop = time.monotonic() + seconds
        signins: list[float] = []
        small: list[float] = []
        stopped: list[str] = []

        async def signing_in() -> None:
            while time.monotonic() < stop:
                try:
                    signins.append(await _timed(client, LOGIN, ACCOUNT))
                except Stopped:
                    stopped.append("login")

        async def asking() -> None:
            await asyncio.sleep(0.5)  # let the flood build up first
            while time.monotonic() < stop:
                try:
                    small.append(await _timed(client, SMALL))
                except Stopped:
                    stopped.append("small")

        started = time.monotonic()
        await asyncio.gather(asking(), *(signing_in() for _ in range(flood)))
        elapsed = time.monotonic() - started
    ms = 1000
    return Figures(
        signin_quiet_p50=percentile(signin_quiet, 50) * ms,
        small_quiet_p50=percentile(small_quiet, 50) * ms,
        small_quiet_p99=percentile(small_quiet, 99) * ms,
        signin_flood_p50=percentile(signins, 50) * ms if signins else float("nan"),
        small_flood_p50=percentile(small, 50) * ms if small else float("nan"),
        small_flood_p99=percentile(small, 99) * ms if small else float("nan"),
        small_flood_count=len(small),
        signins_per_second=len(signins) / elapsed,
        timeouts=len(stopped),
    )


def export(ref: str, into: Path) -> None:
    archive = subprocess.run(["git", "archive", ref], cwd=ROOT, check=True, capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)


def report(before_ref: str, before: Figures, after: Figures, flood: int, seconds: float) -> str:
    rows = [
        ("sign-in p50, quiet (ms)", "signin_quiet_p50"),
        ("small query p50, quiet (ms)", "small_quiet_p50"),
        ("small query p99, quiet (ms)", "small_quiet_p99"),
        (f"sign-in p50 during a flood of {flood} clients (ms)", "signin_flood_p50"),
        ("small query p50 during the flood (ms)", "small_flood_p50"),
        ("small query p99 during the flood (ms)", "small_flood_p99"),
        ("small queries served during the flood", "small_flood_count"),
        ("sign-ins per second during the flood", "signins_per_second"),
        ("requests stopped by the 10 s limit during the flood", "timeouts"),
    ]
    lines = [
        "# Sign-in: its cost, and other requests during a sign-in flood",
        "",
        f"Machine: {machine()} (shared with other jobs: figures are noisy; compare the two columns of one run).",
        "Command: `.venv/bin/python bench/signin_bench.py"
        f" --before {before_ref} --flood {flood} --seconds {seconds:g}`",
        "",
        "One uvicorn process, SQLite, the demo seed. The small query is `" + SMALL + "`, sent by one client in a loop;",
        f"the flood is {flood} clients signing in without pause for {seconds:g} s.",
        f"Before: `{before_ref}` (argon2-cffi defaults: 64 MiB, 3 passes, 4 lanes, hashed on the event loop).",
        "After: Argon2id at 19 MiB, 2 passes, 1 lane, verified in a 2-thread pool off the event loop.",
        "",
        f"| | before ({before_ref}) | after |",
        "|---|---:|---:|",
    ]
    for label, name in rows:
        b, a = getattr(before, name), getattr(after, name)
        fmt = "{:d}" if isinstance(b, int) else "{:.1f}"
        lines.append(f"| {label} | {fmt.format(b)} | {fmt.format(a)} |")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--before", default="main", help="git ref measured as 'before'")
    parser.add_argument("--flood", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=10.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="signin-before-") as tmp:
        export(args.before, Path(tmp))
        with server(Path(tmp)) as base:
            before = asyncio.run(measure(base, args.flood, args.seconds))
    with server(ROOT) as base:
        after = asyncio.run(measure(base, args.flood, args.seconds))
    text = report(args.before, before, after, args.flood, args.seconds)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "signin.md").write_text(text)
    print(text)


if __name__ == "__main__":
    main()
