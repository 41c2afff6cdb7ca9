"""Fixtures of the coordination engine's tests."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from app import events as app_events
from tests.helpers import Recorder


@pytest.fixture
async def published() -> AsyncIterator[Recorder]:
    recorder = Recorder()
    app_events.set_publisher(recorder)
    yield recorder
    app_events.set_publisher(None)
