"""Fan-out latency: from a capacity mutation to receipt by N WebSocket subscribers; memory per connection.

Scenarios: one uvicorn process with memory://, and two processes with a private redis-server (mutation on
one, subscribers on the other). Latency is measured from sending updateCapability (the event is published
after its commit, before the response) to each subscriber's receipt, over several rounds; p50 and p99.
Server memory per connection = (RSS with subscribers - RSS before) / subscribers. Bounded in time.

Usage: .venv/bin/python bench/fanout_bench.py [--sizes 1000 5000] [--rounds 5]
Writes bench/results/fanout.md.
"""

# A benchmark script: short blocking process calls around the measured parts are fine.
# ruff: noqa: ASYNC220, ASYNC221, ASYNC110

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Coroutine
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from websockets.asyncio.client import ClientConnection, connect

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "fanout.md"
SCENARIO_SECONDS = 240.0  # hard bound for one scenario
CAPACITY = "subscription($org: Int!) { capacityChanged(organizationId: $org) { eventId reason } }"
UPDATE = "mutation($id: Int!, $q: Int!) { updateCapability(id: $id, input: {quantity: $q}) { id } }"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


@dataclass
class App:
    base: str
    process: subprocess.Popen[bytes]


@asynccontextmanager
async def app_process(env: dict[str, str]) -> AsyncIterator[App]:
    port = free_port()
    process = subprocess.Popen(
        [
            sys.executable, "-m", "uvicorn", "app.main:app", "--host", "127.0.0.1", "--port", str(port),
            "--log-level", "warning", "--ws-max-queue", "64", "--backlog", "8192",
        ],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        async with httpx.AsyncClient(timeout=2) as client:
            for _ in range(200):
                try:
                    if (await client.get(f"{base}/healthz")).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                await asyncio.sleep(0.1)
            else:
                raise RuntimeError("app did not start")
        yield App(base, process)
    finally:
        process.terminate()
        try:
            await asyncio.to_thread(process.wait, 20)
        except subprocess.TimeoutExpired:
            process.kill()
            await asyncio.to_thread(process.wait, 20)


class Subscriber:
    def __init__(self, connection: ClientConnection) -> None:
        self.connection = connection
        self.received: list[tuple[str, float]] = []
        self.task: asyncio.Task[None] | None = None

    async def read(self) -> None:
        async for raw in self.connection:
            message = json.loads(raw)
            if message.get("type") == "next":
                self.received.append((message["payload"]["data"]["capacityChanged"]["eventId"], time.perf_counter()))
            elif message.get("type") == "ping":
                await self.connection.send('{"type":"pong"}')


async def open_subscriber(base: str, token: str, org_id: int) -> Subscriber:
    connection = await connect(
        base.replace("http://", "ws://") + "/graphql",
        subprotocols=["graphql-transport-ws"],  # type: ignore[list-item]
        open_timeout=60,
        ping_interval=None,
    )
    await connection.send(json.dumps({"type": "connection_init", "payload": {"authorization": f"Bearer {token}"}}))
    while json.loads(await connection.recv()).get("type") != "connection_ack":
        pass
    payload = {"query": CAPACITY, "variables": {"org": org_id}}
    await connection.send(json.dumps({"id": "1", "type": "subscribe", "payload": payload}))
    subscriber = Subscriber(connection)
    subscriber.task = asyncio.create_task(subscriber.read())
    return subscriber


async def gql(client: httpx.AsyncClient, base: str, query: str, variables: dict[str, object], token: str = "") -> Any:
    headers = {"authorization": f"Bearer {token}"} if token else {}
    response = await client.post(f"{base}/graphql", json={"query": query, "variables": variables}, headers=headers)
    return response.json()


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


async def scenario(publisher: App, listener: App, size: int, rounds: int, org_id: int, cap_id: int) -> dict[str, float]:
    async with httpx.AsyncClient(timeout=30) as client:
        login = await gql(
            client, publisher.base, 'mutation { login(email: "owner@demo.test", password: "demo-pass") { token } }', {}
        )
        token = login["data"]["login"]["token"]
        rss_before = rss_kib(listener.process.pid)
        subscribers: list[Subscriber] = []
        sem = asyncio.Semaphore(200)

        async def one() -> None:
            async with sem:
                subscribers.append(await open_subscriber(listener.base, token, org_id))

        await asyncio.gather(*(one() for _ in range(size)))
        # No "subscribed" acknowledgement: publish warm-up events until every subscriber got one.
        for attempt in range(60):
            await gql(client, publisher.base, UPDATE, {"id": cap_id, "q": 2 + attempt % 2}, token)
            await asyncio.sleep(0.5)
            if all(s.received for s in subscribers):
                break
        else:
            raise RuntimeError(f"only {sum(1 for s in subscribers if s.received)}/{size} subscribers are live")
        await asyncio.sleep(1)
        rss_after = rss_kib(listener.process.pid)
        latencies: list[float] = []
        mutation_ms: list[float] = []
        for r in range(rounds):
            for s in subscribers:
                s.received.clear()
            started = time.perf_counter()
            await gql(client, publisher.base, UPDATE, {"id": cap_id, "q": 3 + r % 2}, token)
            mutation_ms.append((time.perf_counter() - started) * 1000)
            deadline = time.perf_counter() + 30
            while not all(s.received for s in subscribers) and time.perf_counter() < deadline:
                await asyncio.sleep(0.05)
            latencies.extend((s.received[0][1] - started) * 1000 for s in subscribers if s.received)
            missing = sum(1 for s in subscribers if not s.received)
            if missing:
                raise RuntimeError(f"round {r}: {missing} subscribers got nothing")
            await asyncio.sleep(0.5)
        for s in subscribers:
            await s.connection.close()
        await asyncio.gather(*(s.task for s in subscribers if s.task), return_exceptions=True)
    return {
        "p50": statistics.median(latencies),
        "p99": percentile(latencies, 0.99),
        "max": max(latencies),
        "mutation_ms": statistics.median(mutation_ms),
        "kib_per_connection": (rss_after - rss_before) / size,
    }


def prepare_database(env: dict[str, str]) -> None:
    for command in ("migrate", "seed"):
        subprocess.run([sys.executable, "-m", "app.cli", command], cwd=ROOT, env=env, check=True, capture_output=True)


def demo_ids(database: Path) -> tuple[int, int]:
    import sqlite3

    with sqlite3.connect(database) as conn:
        org_id = conn.execute("SELECT id FROM businesses WHERE name = 'Viva Las Vegas Autos'").fetchone()[0]
        cap_id = conn.execute(
            "SELECT id FROM organization_capabilities WHERE organization_id = ? ORDER BY id", (org_id,)
        ).fetchone()[0]
    return int(org_id), int(cap_id)


@asynccontextmanager
async def redis_server() -> AsyncIterator[str]:
    port = free_port()
    workdir = tempfile.mkdtemp(prefix="nzero-bench-redis-")
    process = subprocess.Popen(
        ["redis-server", "--bind", "127.0.0.1", "--port", str(port), "--save", "", "--appendonly", "no",
         "--dir", workdir, "--logfile", f"{workdir}/redis.log"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        for _ in range(100):
            out = subprocess.run(["redis-cli", "-p", str(port), "ping"], capture_output=True, check=False)
            if out.stdout.strip() == b"PONG":
                break
            await asyncio.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        subprocess.run(["redis-cli", "-p", str(port), "shutdown", "nosave"], capture_output=True, check=False)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        shutil.rmtree(workdir, ignore_errors=True)


async def bounded(run: Coroutine[Any, Any, dict[str, float]]) -> dict[str, float] | str:
    """A scenario's figures, or why it failed (recorded in the results rather than losing the other rows)."""
    try:
        return await asyncio.wait_for(run, SCENARIO_SECONDS)
    except (RuntimeError, TimeoutError, OSError) as exc:
        return f"failed: {exc or type(exc).__name__}"


async def main(sizes: list[int], rounds: int) -> None:
    workdir = Path(tempfile.mkdtemp(prefix="nzero-bench-"))
    database = workdir / "bench.sqlite3"
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite://{database}",
        "ENVIRONMENT": "development",
        "SECRET_KEY": "bench-secret-key-that-is-long-enough-for-hs256-0123456789",
        "JOB_OFFER_SWEEP_SECONDS": "3600",
    }
    prepare_database(env)
    org_id, cap_id = demo_ids(database)
    rows: list[tuple[str, int, dict[str, float] | str]] = []
    async with app_process({**env, "BROADCAST_URL": "memory://"}) as single:
        for size in sizes:
            rows.append(
                ("1 process, memory://", size, await bounded(scenario(single, single, size, rounds, org_id, cap_id)))
            )
            print(rows[-1], flush=True)
    async with redis_server() as redis_url:
        redis_env = {**env, "BROADCAST_URL": redis_url}
        async with app_process(redis_env) as first, app_process(redis_env) as second:
            for size in sizes:
                result = await bounded(scenario(first, second, size, rounds, org_id, cap_id))
                rows.append(("2 processes, redis://", size, result))
                print(rows[-1], flush=True)
    shutil.rmtree(workdir, ignore_errors=True)
    write_results(rows, rounds)


def write_results(rows: list[tuple[str, int, dict[str, float] | str]], rounds: int) -> None:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if "model name" in line
        ),
        platform.processor(),
    )
    mem_kib = int(Path("/proc/meminfo").read_text().split()[1])
    lines = [
        "# Fan-out benchmark (bench/fanout_bench.py)",
        "",
        f"Machine: {cpu}, {os.cpu_count()} CPUs, {mem_kib // 1024} MiB RAM; Python {platform.python_version()}, "
        f"{platform.system()} {platform.release()}. Client and servers on the same machine (the client, one Python "
        "process reading every socket, competes with the servers for the CPUs).",
        "",
        f"Latency: from sending updateCapability (published after commit) to receipt, {rounds} rounds per row. "
        "Memory: subscriber process RSS growth / connections.",
        "",
        "| setup | subscribers | p50 ms | p99 ms | max ms | mutation ms (median) | KiB per connection | target p99 |",
        "|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    for setup, size, r in rows:
        target = 250 if size <= 1000 else 1000
        if isinstance(r, str):
            lines.append(f"| {setup} | {size} | {r} | | | | | ≤ {target} ms: MISSED |")
            continue
        verdict = "met" if r["p99"] <= target else "MISSED"
        lines.append(
            f"| {setup} | {size} | {r['p50']:.0f} | {r['p99']:.0f} | {r['max']:.0f} | {r['mutation_ms']:.0f} | "
            f"{r['kib_per_connection']:.1f} | ≤ {target} ms: {verdict} |"
        )
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text("\n".join(lines) + "\n")
    print(RESULTS.read_text())


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    asyncio.run(main(args.sizes, args.rounds))
