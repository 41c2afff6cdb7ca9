"""POST /webhooks/stripe: verified by signature, deduplicated by event id, indifferent to order.

Each handler is idempotent on its own (it only moves rows forward), so a duplicate racing past the
dedup check, or events arriving in any order, leave the same end state. A handler that cannot act yet
(e.g. the payment's rows are not committed) answers 500 so Stripe redelivers the event later.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Awaitable, Callable
from typing import Any

import stripe
from starlette.requests import Request
from starlette.responses import JSONResponse
from tortoise.exceptions import IntegrityError

from app import settings
from app.errors import DomainError
from app.services.payments import service
from models import Organization, ProcessedWebhookEvent, User

log = logging.getLogger("nzero.payments.webhooks")
TOLERANCE_SECONDS = 300
Handler = Callable[[dict[str, Any]], Awaitable[None]]


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


async def on_payment_succeeded(obj: dict[str, Any]) -> None:
    metadata = obj.get("metadata") or {}
    await service.handle_payment_succeeded(
        payment_intent_id=str(obj["id"]),
        booking_id=_int(metadata.get("booking_id")),
        milestone=metadata.get("milestone"),
        amount=_int(obj.get("amount_received")) or _int(obj.get("amount")),
    )


async def on_payment_failed(obj: dict[str, Any]) -> None:
    error = obj.get("last_payment_error") or {}
    await service.handle_payment_failed(payment_intent_id=str(obj["id"]), message=str(error.get("message") or ""))


async def on_transfer_created(obj: dict[str, Any]) -> None:
    distribution_id = _int((obj.get("metadata") or {}).get("distribution_id"))
    if distribution_id is not None:
        await service.record_transfer(distribution_id=distribution_id, transfer_id=str(obj["id"]))


async def on_account_updated(obj: dict[str, Any]) -> None:
    # Onboarding finished elsewhere: make sure the id is stored (onboarding normally did it already).
    kind = (obj.get("metadata") or {}).get("kind")
    owner_id = _int((obj.get("metadata") or {}).get("owner_id"))
    if owner_id is None:
        return
    model = Organization if kind == "facility" else User
    await model.filter(id=owner_id, stripe_account_id=None).update(stripe_account_id=str(obj["id"]))


HANDLERS: dict[str, Handler] = {
    "payment_intent.succeeded": on_payment_succeeded,
    "payment_intent.payment_failed": on_payment_failed,
    "transfer.created": on_transfer_created,
    "account.updated": on_account_updated,
}


async def stripe_webhook(request: Request) -> JSONResponse:
    payload = await request.body()
    signature = request.headers.get("stripe-signature")
    if not settings.STRIPE_WEBHOOK_SECRET:
        return JSONResponse({"error": "webhooks are not configured"}, status_code=503)
    try:
        event = stripe.Webhook.construct_event(
            payload, signature, settings.STRIPE_WEBHOOK_SECRET, tolerance=TOLERANCE_SECONDS
        )
    except (ValueError, stripe.SignatureVerificationError):
        return JSONResponse({"error": "invalid signature"}, status_code=400)
    event_id, event_type = str(event["id"]), str(event["type"])
    if await ProcessedWebhookEvent.exists(id=event_id):
        return JSONResponse({"received": True, "duplicate": True})
    handler = HANDLERS.get(event_type)
    if handler is not None:
        try:
            await handler(event["data"]["object"].to_dict())
        except DomainError as exc:
            log.warning("webhook %s (%s) not handled yet: %s", event_id, event_type, exc.message)
            return JSONResponse({"error": "not processed; retry later"}, status_code=500)
    with contextlib.suppress(IntegrityError):  # a concurrent delivery of the same event finished first
        await ProcessedWebhookEvent.create(id=event_id, event_type=event_type)
    return JSONResponse({"received": True})
