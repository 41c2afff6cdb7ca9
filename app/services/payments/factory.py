"""Which gateway the app uses: Stripe when a secret key is configured, the local ledger otherwise."""

from __future__ import annotations

import logging

from app import settings
from app.services.payments.gateway import PaymentGateway
from app.services.payments.ledger import LedgerGateway
from app.services.payments.stripe_gateway import StripeGateway

log = logging.getLogger("nzero.payments")
_gateway: PaymentGateway | None = None


def build_gateway() -> PaymentGateway:
    if settings.STRIPE_SECRET_KEY:
        return StripeGateway(settings.STRIPE_SECRET_KEY, api_base=settings.STRIPE_API_BASE)
    log.warning("STRIPE_SECRET_KEY is empty: payments use the local ledger, which moves no money")
    return LedgerGateway()


def get_gateway() -> PaymentGateway:
    """One gateway per process (the ledger keeps its records in memory)."""
    global _gateway
    if _gateway is None:
        _gateway = build_gateway()
    return _gateway


def set_gateway(gateway: PaymentGateway | None) -> None:
    """Replace the process's gateway (tests; None rebuilds from settings on next use)."""
    global _gateway
    _gateway = gateway


def publishable_key() -> str | None:
    """The key the browser confirms a card with (Stripe.js); None with the ledger, which needs no card."""
    if settings.STRIPE_SECRET_KEY and settings.STRIPE_PUBLISHABLE_KEY:
        return settings.STRIPE_PUBLISHABLE_KEY
    return None
