"""Fixtures for payments: the ledger gateway, the loopback Stripe double and the SDK gateway pointed at it."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import httpx
import pytest
from starlette.applications import Starlette
from starlette.routing import Route

from app import settings
from app.services.payments.factory import set_gateway
from app.services.payments.ledger import LedgerGateway
from app.services.payments.stripe_gateway import StripeGateway
from app.webhook_routes import stripe_webhook
from tests.payments.stripe_double import StripeDouble

WEBHOOK_SECRET = "whsec_test_secret_for_the_double"


@pytest.fixture
def ledger() -> Iterator[LedgerGateway]:
    gateway = LedgerGateway()
    set_gateway(gateway)
    yield gateway
    set_gateway(None)


@pytest.fixture
def double() -> Iterator[StripeDouble]:
    server = StripeDouble().start()
    yield server
    server.stop()
    assert server.findings == [], f"requests the 2023-08-16 description does not allow: {server.findings}"


@pytest.fixture
async def stripe_gateway(double: StripeDouble, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[StripeGateway]:
    monkeypatch.setattr(settings, "STRIPE_SECRET_KEY", "sk_test_double")
    monkeypatch.setattr(settings, "STRIPE_API_BASE", double.url)
    monkeypatch.setattr(settings, "STRIPE_WEBHOOK_SECRET", WEBHOOK_SECRET)
    gateway = StripeGateway(settings.STRIPE_SECRET_KEY, api_base=settings.STRIPE_API_BASE, timeout=10)
    set_gateway(gateway)
    yield gateway
    set_gateway(None)
    await gateway.aclose()


@pytest.fixture
async def webhook_client() -> AsyncIterator[httpx.AsyncClient]:
    app = Starlette(routes=[Route("/webhooks/stripe", stripe_webhook, methods=["POST"])])
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as client:
        yield client
