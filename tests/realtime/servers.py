"""Real processes for the real-time tests: a private redis-server, uvicorn app processes, a WebSocket client.

Everything started here is stopped in a finally block; the shared Redis on 6379 is never touched.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
from websockets.asyncio.client import ClientConnection, connect

from app import settings

ROOT = settings.ROOT
START_SECONDS = 20.0
TRANSPORT_WS = "graphql-transport-ws"
LEGACY_WS = "graphql-ws"
CAPACITY = (
    "subscription($org: ID!) { capacityChanged(organizationId: $org) { eventId organizationId capabilityIds reason } }"
)
UPDATE = "mutation($id: ID!, $q: Int!) { updateCapability(id: $id, input: {quantity: $q}) { id } }"
RESTART_BOUND_SECONDS = 5.0  # the promise: events flow again within five seconds of the broker's return


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def redis_available() -> bool:
    return shutil.which("redis-server") is not None and shutil.which("redis-cli") is not None


class RedisServer:
    """A redis-server of our own on a free port (same flags as the shared one, but not daemonized, so the
    test holds its process and can always stop it)."""

    def __init__(self) -> None:
        self.port = free_port()
        self.dir = Path(tempfile.mkdtemp(prefix="nzero-redis-"))
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--bind",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.dir),
                "--logfile",
                str(self.dir / "redis.log"),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self._wait_ping()

    def stop(self) -> None:
        """SHUTDOWN NOSAVE (clients see their sockets closed), then make sure the process is gone."""
        if self.process is None:
            return
        subprocess.run(
            ["redis-cli", "-p", str(self.port), "shutdown", "nosave"], capture_output=True, timeout=10, check=False
        )
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)
        self.process = None

    def _wait_ping(self) -> None:
        for _ in range(200):
            done = subprocess.run(
                ["redis-cli", "-p", str(self.port), "ping"], capture_output=True, timeout=5, check=False
            )
            if done.stdout.strip() == b"PONG":
                return
            if self.process is not None and self.process.poll() is not None:
                raise RuntimeError(f"redis-server exited with {self.process.returncode}")
            time.sleep(0.05)
        raise RuntimeError("redis-server did not answer PING")


@contextlib.contextmanager
def redis_server() -> Iterator[RedisServer]:
    server = RedisServer()
    try:
        server.start()
        yield server
    finally:
        server.stop()
        shutil.rmtree(server.dir, ignore_errors=True)


@contextlib.asynccontextmanager
async def app_server(*, broadcast_url: str, namespace: str, database_url: str | None = None) -> AsyncIterator[str]:
    """A uvicorn process on a free port; yields its base URL once /healthz answers."""
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": database_url or settings.DATABASE_URL,
        "BROADCAST_URL": broadcast_url,
        "ENVIRONMENT": "test",
        "PYTHONUNBUFFERED": "1",
        "BROADCAST_NAMESPACE": namespace,
    }
    log = tempfile.NamedTemporaryFile(prefix="nzero-app-", suffix=".log", delete=False)  # noqa: SIM115
    process = subprocess.Popen(  # noqa: ASYNC220 (starting is quick; waiting is async)
        [sys.executable, "-m", "uvicorn", "app.main:app", "--host", "127.0.0.1", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        await _wait_healthy(base, process, Path(log.name))
        yield base
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            await asyncio.to_thread(process.wait, 15)
        except subprocess.TimeoutExpired:
            process.kill()
            await asyncio.to_thread(process.wait, 15)
        log.close()
        os.unlink(log.name)


async def _wait_healthy(base: str, process: subprocess.Popen[bytes], log: Path) -> None:
    async with httpx.AsyncClient(timeout=2) as client:
        for _ in range(int(START_SECONDS / 0.1)):
            if process.poll() is not None:
                raise RuntimeError(f"app exited: {log.read_text()[-3000:]}")  # noqa: ASYNC240
            with contextlib.suppress(httpx.HTTPError):
                if (await client.get(f"{base}/healthz")).status_code == 200:
                    return
            await asyncio.sleep(0.1)
    raise RuntimeError(f"app did not become healthy: {log.read_text()[-3000:]}")  # noqa: ASYNC240


async def graphql(base: str, query: str, variables: dict[str, Any] | None = None, token: str | None = None) -> Any:
    headers = {"authorization": f"Bearer {token}"} if token else {}
    async with httpx.AsyncClient(timeout=10) as client:
        response = await client.post(
            f"{base}/graphql",
            content=json.dumps({"query": query, "variables": variables or {}}, default=str),
            headers={**headers, "content-type": "application/json"},
        )
    response.raise_for_status()
    return response.json()


async def login(base: str, email: str, password: str = "demo-pass") -> str:
    result = await graphql(
        base,
        "mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }",
        {"e": email, "p": password},
    )
    assert not result.get("errors"), result
    return str(result["data"]["login"]["token"])


class Socket:
    """A GraphQL WebSocket client speaking graphql-transport-ws or the legacy graphql-ws."""

    def __init__(self, connection: ClientConnection, protocol: str) -> None:
        self.connection = connection
        self.protocol = protocol

    async def subscribe(self, op_id: str, query: str, variables: dict[str, Any] | None = None) -> None:
        kind = "subscribe" if self.protocol == TRANSPORT_WS else "start"
        await self._send({"id": op_id, "type": kind, "payload": {"query": query, "variables": variables or {}}})

    async def receive(self, wait: float) -> dict[str, Any]:
        """The next data message's payload ({"data"}, {"errors"}), answering pings; raises on timeout."""
        async with asyncio.timeout(wait):
            while True:
                message = json.loads(await self.connection.recv())
                kind = message.get("type")
                if kind == "ping":
                    await self._send({"type": "pong"})
                elif kind in ("next", "data"):
                    return dict(message["payload"])
                elif kind == "error":
                    payload = message["payload"]
                    return {"errors": payload if isinstance(payload, list) else [payload]}
                elif kind == "complete":
                    return {"complete": True}

    async def _send(self, message: dict[str, Any]) -> None:
        await self.connection.send(json.dumps(message, default=str))  # UUIDs as text


@contextlib.asynccontextmanager
async def websocket(base: str, protocol: str, init: dict[str, Any]) -> AsyncIterator[Socket]:
    url = base.replace("http://", "ws://") + "/graphql"
    async with connect(url, subprotocols=[protocol], open_timeout=10) as connection:  # type: ignore[list-item]
        await connection.send(json.dumps({"type": "connection_init", "payload": init}))
        async with asyncio.timeout(10):
            while True:
                message = json.loads(await connection.recv())
                if message.get("type") == "connection_ack":
                    break
        yield Socket(connection, protocol)


async def change_until_received(base: str, token: str, demo: Any, socket: Socket, *, tries: int = 20) -> dict[str, Any]:
    """Update the demo capability until the subscriber gets the event (bounded): graphql-transport-ws has no
    "subscribed" acknowledgement, so the first publish may come before the server holds the subscription."""
    for attempt in range(tries):
        result = await graphql(base, UPDATE, {"id": demo.capability_id, "q": 2 + attempt % 3}, token)
        assert not result.get("errors"), result
        try:
            return await socket.receive(0.5)
        except TimeoutError:
            continue
    raise AssertionError("no capacity event arrived")
