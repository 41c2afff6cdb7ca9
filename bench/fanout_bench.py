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
import contextlib
import json
import os
import platform
import shutil
import signal
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
SCRIPT = str(Path(__file__).resolve())
SCENARIO_SECONDS = 240.0  # hard bound for one scenario
WARM_UP_SECONDS = 90.0  # bound for every subscriber to receive a warm-up event
CAPACITY = "subscription($org: Int!) { capacityChanged(organizationId: $org) { eventId reason } }"
WS_IMPLEMENTATION = os.environ.get("BENCH_WS", "websockets-sansio")  # uvicorn --ws
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
async def app_process(env: dict[str, str], role: str) -> AsyncIterator[App]:
    port = free_port()
    process = subprocess.Popen(
        [
            sys.executable, "-m", "uvicorn", "app.main:app", "--host", "127.0.0.1", "--port", str(port),
            "--log-level", "warning", "--ws-max-queue", "64", "--backlog", "8192", "--ws", WS_IMPLEMENTATION,
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


class ClientProcess:
    """One client process holding a share of the sockets; driven by line commands over its stdin/stdout."""

    def __init__(self, process: asyncio.subprocess.Process, size: int) -> None:
        self.process = process
        self.size = size

    @classmethod
    async def start(cls, url: str, token: str, org_id: int, size: int) -> ClientProcess:
        process = await asyncio.create_subprocess_exec(
            sys.executable, SCRIPT, "--client", url, token, str(org_id), str(size),
            stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE, cwd=ROOT,
        )  # fmt: skip
        return cls(process, size)

    async def ask(self, command: str) -> Any:
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write(command.encode() + b"\n")
        await self.process.stdin.drain()
        line = await self.process.stdout.readline()
        if not line:
            raise RuntimeError(f"client process ended (exit {await self.process.wait()})")
        return json.loads(line)

    async def stop(self) -> None:
        with contextlib.suppress(RuntimeError, OSError, ValueError):
            await asyncio.wait_for(self.ask("close"), 30)
        with contextlib.suppress(ProcessLookupError):
            self.process.kill()
        await self.process.wait()


async def client_main(url: str, token: str, org_id: int, size: int) -> None:
    """A client process: opens `size` subscriptions, records each socket's first receipt (CLOCK_MONOTONIC, shared
    by every process of the machine) and answers commands. Frames are not parsed: after the subscribe, anything
    that is not a ping is the event."""
    init = json.dumps({"type": "connection_init", "payload": {"authorization": f"Bearer {token}"}})
    subscribe = json.dumps(
        {"id": "1", "type": "subscribe", "payload": {"query": CAPACITY, "variables": {"org": org_id}}}
    )
    received: list[float] = [0.0] * size
    connections: list[ClientConnection] = []
    readers: list[asyncio.Task[None]] = []
    sem = asyncio.Semaphore(100)

    async def read(index: int, connection: ClientConnection) -> None:
        with contextlib.suppress(Exception):
            async for raw in connection:
                if '"ping"' in raw:
                    await connection.send('{"type":"pong"}')
                elif not received[index]:
                    received[index] = time.monotonic()

    async def one(index: int) -> None:
        async with sem:
            connection = await connect(
                url, subprotocols=["graphql-transport-ws"],  # type: ignore[list-item]
                open_timeout=120, ping_interval=None, compression=None, max_queue=None,
            )  # fmt: skip
            await connection.send(init)
            while '"connection_ack"' not in str(await connection.recv()):
                pass
            await connection.send(subscribe)
            connections.append(connection)
            readers.append(asyncio.create_task(read(index, connection)))

    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader()
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    opening = asyncio.gather(*(one(i) for i in range(size)), return_exceptions=True)

    def reply(value: object) -> None:
        sys.stdout.write(json.dumps(value) + "\n")
        sys.stdout.flush()

    while line := (await reader.readline()).decode().strip():
        if line == "opened":
            failures = [r for r in await opening if isinstance(r, BaseException)]
            reply({"opened": len(connections), "error": repr(failures[0]) if failures else None})
        elif line == "clear":
            received[:] = [0.0] * size
            reply(True)
        elif line == "count":
            reply(sum(1 for t in received if t))
        elif line == "times":
            reply([t for t in received if t])
        elif line == "close":
            await asyncio.gather(*(c.close() for c in connections), return_exceptions=True)
            reply(True)
            return


async def gql(client: httpx.AsyncClient, base: str, query: str, variables: dict[str, object], token: str = "") -> Any:
    headers = {"authorization": f"Bearer {token}"} if token else {}
    response = await client.post(f"{base}/graphql", json={"query": query, "variables": variables}, headers=headers)
    return response.json()


def profiler(pid: int, size: int) -> subprocess.Popen[bytes] | None:
    """BENCH_PROFILE=<dir>: py-spy (installed in .venv, not a project dependency) samples the subscribers'
    server during the measured rounds and writes collapsed stacks to <dir>/<pid>-<size>.txt."""
    directory = os.environ.get("BENCH_PROFILE")
    if not directory:
        return None
    out = f"{directory}/{pid}-{size}.txt"
    spy = str(Path(sys.executable).parent / "py-spy")
    return subprocess.Popen([spy, "record", "--pid", str(pid), "-r", "200", "--format", "raw", "-o", out])


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


async def scenario(
    publisher: App, listener: App, size: int, rounds: int, org_id: int, cap_id: int, clients: int
) -> dict[str, float]:
    async with httpx.AsyncClient(timeout=30) as client:
        login = await gql(
            client, publisher.base, 'mutation { login(email: "owner@demo.test", password: "demo-pass") { token } }', {}
        )
        token = login["data"]["login"]["token"]
        rss_before = rss_kib(listener.process.pid)
        url = listener.base.replace("http://", "ws://") + "/graphql"
        shares = [size // clients + (1 if i < size % clients else 0) for i in range(clients)]
        processes = [await ClientProcess.start(url, token, org_id, n) for n in shares if n]
        try:
            for answer in await asyncio.gather(*(p.ask("opened") for p in processes)):
                if answer["error"]:
                    raise RuntimeError(f"opening sockets failed: {answer['error']}")

            async def live() -> int:
                return sum(await asyncio.gather(*(p.ask("count") for p in processes)))

            # No "subscribed" acknowledgement: publish warm-up events until every subscriber got one. Each one is
            # fanned out to every live subscriber, so they are spaced by the size (a warm-up event every 0.5 s to
            # 5,000 sockets would keep the server busy fanning out instead of starting the remaining subscriptions).
            opened_at = time.monotonic()
            interval = max(0.5, size / 2500)
            attempt = 0
            while await live() < size:
                if time.monotonic() - opened_at > WARM_UP_SECONDS:
                    raise RuntimeError(f"only {await live()}/{size} subscribers are live after {WARM_UP_SECONDS:.0f} s")
                await gql(client, publisher.base, UPDATE, {"id": cap_id, "q": 2 + attempt % 2}, token)
                attempt += 1
                await asyncio.sleep(interval)
            all_live_seconds = time.monotonic() - opened_at
            await asyncio.sleep(1)
            rss_after = rss_kib(listener.process.pid)
            spy = profiler(listener.process.pid, size)
            latencies: list[float] = []
            mutation_ms: list[float] = []
            for r in range(rounds):
                await asyncio.gather(*(p.ask("clear") for p in processes))
                started = time.monotonic()
                await gql(client, publisher.base, UPDATE, {"id": cap_id, "q": 3 + r % 2}, token)
                mutation_ms.append((time.monotonic() - started) * 1000)
                deadline = time.monotonic() + 30
                while await live() < size and time.monotonic() < deadline:
                    await asyncio.sleep(0.1)
                times = [t for p in processes for t in await p.ask("times")]
                latencies.extend((t - started) * 1000 for t in times)
                if len(times) < size:
                    raise RuntimeError(f"round {r}: {size - len(times)} subscribers got nothing")
                await asyncio.sleep(0.5)
            if spy is not None:
                spy.send_signal(signal.SIGINT)
                await asyncio.to_thread(spy.wait, 30)
        finally:
            await asyncio.gather(*(p.stop() for p in processes))
    return {
        "p50": statistics.median(latencies),
        "p99": percentile(latencies, 0.99),
        "max": max(latencies),
        "mutation_ms": statistics.median(mutation_ms),
        "kib_per_connection": (rss_after - rss_before) / size,
        "all_live_seconds": all_live_seconds,
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


async def main(sizes: list[int], rounds: int, clients: int, only: str | None = None) -> None:
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
    if only in (None, "memory"):
        async with app_process({**env, "BROADCAST_URL": "memory://"}, "single") as single:
            for size in sizes:
                result = await bounded(scenario(single, single, size, rounds, org_id, cap_id, clients))
                rows.append(("1 process, memory://", size, result))
                print(rows[-1], flush=True)
    if only in (None, "redis"):
        async with redis_server() as redis_url:
            redis_env = {**env, "BROADCAST_URL": redis_url}
            async with app_process(redis_env, "publisher") as first, app_process(redis_env, "listener") as second:
                for size in sizes:
                    result = await bounded(scenario(first, second, size, rounds, org_id, cap_id, clients))
                    rows.append(("2 processes, redis://", size, result))
                    print(rows[-1], flush=True)
    shutil.rmtree(workdir, ignore_errors=True)
    write_results(rows, rounds, clients, save=only is None)


def write_results(
    rows: list[tuple[str, int, dict[str, float] | str]], rounds: int, clients: int, *, save: bool
) -> None:
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
        f"{platform.system()} {platform.release()}; uvicorn --ws {WS_IMPLEMENTATION}. Client and servers on the same "
        f"machine: the client is {clients} processes (uvloop, raw websockets, no per-message compression, frames "
        "not parsed), which compete with the servers for the CPUs.",
        "",
        f"Latency: from sending updateCapability (published after commit) to receipt, {rounds} rounds per row. "
        "Memory: subscriber process RSS growth / connections.",
        "",
        "| setup | subscribers | p50 ms | p99 ms | max ms | mutation ms (median) | KiB per connection "
        "| all live after s "
        "| target p99 |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for setup, size, r in rows:
        target = 250 if size <= 1000 else 1000
        if isinstance(r, str):
            lines.append(f"| {setup} | {size} | {r} | | | | | | ≤ {target} ms: MISSED |")
            continue
        verdict = "met" if r["p99"] <= target else "MISSED"
        lines.append(
            f"| {setup} | {size} | {r['p50']:.0f} | {r['p99']:.0f} | {r['max']:.0f} | {r['mutation_ms']:.0f} | "
            f"{r['kib_per_connection']:.1f} | {r['all_live_seconds']:.1f} | ≤ {target} ms: {verdict} |"
        )
    text = "\n".join(lines) + "\n"
    print(text)
    if save:
        RESULTS.parent.mkdir(parents=True, exist_ok=True)
        RESULTS.write_text(text)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--clients", type=int, default=4, help="client processes sharing the sockets")
    parser.add_argument("--only", choices=["memory", "redis"], help="run one setup only")
    parser.add_argument("--client", nargs=4, metavar=("URL", "TOKEN", "ORG", "SIZE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.client:
        import uvloop

        url, token, org, size = args.client
        uvloop.run(client_main(url, token, int(org), int(size)))
    else:
        asyncio.run(main(args.sizes, args.rounds, args.clients, args.only))
