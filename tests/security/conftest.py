"""Fixtures of the security tests: the two-organization market."""

from __future__ import annotations

import pytest

from tests.security.market import Market, build_market


@pytest.fixture
async def market() -> Market:
    return await build_market()
