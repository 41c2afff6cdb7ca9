"""A real app process for browser tests: its own SQLite file (migrated and seeded once, copied per test), uvicorn."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[2]
DIST_INDEX = ROOT / "frontend" / "dist" / "index.html"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def app_env(database: Path, port: int, extra: dict[str, str] | None = None) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=f"sqlite://{database}",
        BROADCAST_URL="memory://",  # one process: in-memory fan-out is enough
        HOST="127.0.0.1",
        PORT=str(port),  # the WebSocket origin check allows http://127.0.0.1:PORT
        STRIPE_SECRET_KEY="",
    )
    env.update(extra or {})
    return env


def prepare_database(path: Path) -> None:
    """Migrates and seeds the demo data, as `make run` would."""
    env = app_env(path, 0)
    for command in ("migrate", "seed"):
        subprocess.run([sys.executable, "-m", "app.cli", command], cwd=ROOT, env=env, check=True, capture_output=True)


@dataclass
class AppServer:
    database: Path
    port: int
    log: Path
    process: subprocess.Popen[bytes] | None = None
    env: dict[str, str] = field(default_factory=dict)  # on top of app_env's (e.g. a Stripe double)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "app.cli", "serve"],
                cwd=ROOT,
                env=app_env(self.database, self.port, self.env),
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the app exited early; see {self.log}")
            try:
                if httpx.get(f"{self.url}/healthz", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        raise RuntimeError(f"the app did not become healthy; see {self.log}")

    def stop(self) -> None:
        if self.process is None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)
        self.process = None


def copy_database(template: Path, target: Path) -> Path:
    shutil.copyfile(template, target)
    return target


class Api:
    """GraphQL over HTTP for the test itself (the browser is the other party)."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url

    def call(self, query: str, variables: dict[str, Any] | None = None, *, token: str | None = None) -> dict[str, Any]:
        headers = {"authorization": f"Bearer {token}"} if token else {}
        response = httpx.post(
            f"{self.base_url}/graphql", json={"query": query, "variables": variables or {}}, headers=headers, timeout=30
        )
        body: dict[str, Any] = response.json()
        assert not body.get("errors"), body["errors"]
        data: dict[str, Any] = body["data"]
        return data

    def login(self, email: str) -> str:
        data = self.call('mutation($e: String!) { login(email: $e, password: "demo-pass") { token } }', {"e": email})
        return str(data["login"]["token"])
