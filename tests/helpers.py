"""Test helpers: a GraphQL client over the real ASGI app, sign-in, and an SQL statement counter."""

from __future__ import annotations

import contextlib
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
    return [e.get("extensions", {}).get("code") for e in result.get("errors") or []]


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
