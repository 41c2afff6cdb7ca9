"""Fixtures of the coordination engine's tests."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import pytest

from app import events as app_events


class Recorder:
    def __init__(self) -> None:
        self.messages: list[tuple[str, dict[str, Any]]] = []

    async def publish(self, channel: str, message: Any) -> None:
        self.messages.append((channel, json.loads(message)))

    def on(self, channel: str) -> list[dict[str, Any]]:
        return [m for c, m in self.messages if c == channel]


@pytest.fixture
async def published() -> AsyncIterator[Recorder]:
    recorder = Recorder()
    app_events.set_publisher(recorder)
    yield recorder
    app_events.set_publisher(None)
