"""Test helpers: a GraphQL client over the real ASGI app, sign-in, an SQL statement counter, and a recording
publisher of events."""

from __future__ import annotations

import contextlib
import json
import logging
from collections.abc import Iterator
from typing import Any

import httpx

from app.main import app

SQL_PREFIXES = ("SELECT", "INSERT", "UPDATE", "DELETE", "WITH")


async def gql(query: str, variables: dict[str, Any] | None = None, *, token: str | None = None) -> dict[str, Any]:
    """POST a GraphQL operation to /graphql (the lifespan is not needed: conftest owns the database)."""
    headers = {"authorization": f"Bearer {token}"} if token else {}
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        response = await client.post("/graphql", json={"query": query, "variables": variables or {}}, headers=headers)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def login(email: str, password: str = "demo-pass") -> str:
    result = await gql(
        "mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }", {"e": email, "p": password}
    )
    assert not result.get("errors"), result
    return str(result["data"]["login"]["token"])


def error_codes(result: dict[str, Any]) -> list[str]:
    """The codes a client meets: in `errors`, then of the failure members a result union returned
    (`... on Error { __typename code message }`) in place of a root field's success."""
    codes = [e.get("extensions", {}).get("code") for e in result.get("errors") or []]
    members = (result.get("data") or {}).values()
    return codes + [m["code"] for m in members if isinstance(m, dict) and "__typename" in m and "code" in m]


class _Counter(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.statements: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage().lstrip()
        if message.upper().startswith(SQL_PREFIXES):
            self.statements.append(message)


@contextlib.contextmanager
def count_queries() -> Iterator[list[str]]:
    """Collects every SQL statement the ORM sends while the block runs."""
    logger = logging.getLogger("tortoise.db_client")
    handler = _Counter()
    previous = logger.level
    logger.setLevel(logging.DEBUG)
    logger.addHandler(handler)
    try:
        yield handler.statements
    finally:
        logger.removeHandler(handler)
        logger.setLevel(previous)


class Recorder:
    """Stands in for the broadcast publisher: keeps every (channel, decoded message) it is given."""

    def __init__(self) -> None:
        self.messages: list[tuple[str, dict[str, Any]]] = []

    async def publish(self, channel: str, message: Any) -> None:
        self.messages.append((channel, json.loads(message)))

    def on(self, channel: str) -> list[dict[str, Any]]:
        return [m for c, m in self.messages if c == channel]
