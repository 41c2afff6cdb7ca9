"""POST /webhooks/stripe: verified by signature, deduplicated by event id, indifferent to order.

Each handler is idempotent on its own (it only moves rows forward), so a duplicate racing past the
dedup check, or events arriving in any order, leave the same end state. A handler that cannot act yet
(e.g. the payment's rows are not committed) answers 500 so Stripe redelivers the event later.
"""

from __future__ import annotations

import contextlib
import json
import logging
import re
from collections.abc import Awaitable, Callable
from typing import Any

import stripe
from starlette.requests import Request
from starlette.responses import JSONResponse
from tortoise.exceptions import IntegrityError

from app import settings
from app.errors import DomainError
from app.services.payments import disputes, service
from models import Organization, ProcessedWebhookEvent, User

log = logging.getLogger("nzero.payments.webhooks")
TOLERANCE_SECONDS = 300
MAX_ID_LENGTH = 100  # the columns that store event, intent and transfer ids
UNSTORABLE = re.compile("[\x00\ud800-\udfff]")  # NUL (refused by PostgreSQL) and unpaired surrogates
Handler = Callable[[dict[str, Any]], Awaitable[None]]


def _int(value: Any, bound: int = 2**63) -> int | None:
    """An integer within the database's range, or None (a signed event may still carry anything)."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if -bound <= number < bound else None


def _id(value: Any) -> int | None:
    return _int(value, bound=2**31)  # our ids are 32-bit integer columns


def _map(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


async def on_payment_succeeded(obj: dict[str, Any]) -> None:
    metadata = _map(obj.get("metadata"))
    await service.handle_payment_succeeded(
        payment_intent_id=str(obj["id"]),
        booking_id=_id(metadata.get("booking_id")),
        milestone=str(metadata["milestone"]) if metadata.get("milestone") is not None else None,
        amount=_int(obj.get("amount_received")) or _int(obj.get("amount")),
    )


async def on_payment_failed(obj: dict[str, Any]) -> None:
    error = _map(obj.get("last_payment_error"))
    await service.handle_payment_failed(payment_intent_id=str(obj["id"]), message=str(error.get("message") or ""))


async def on_transfer_created(obj: dict[str, Any]) -> None:
    metadata = _map(obj.get("metadata"))
    # "distribution_id": transfers created before the rows were renamed payment_transfers (migration 0012).
    row_id = _id(metadata.get("payment_transfer_id", metadata.get("distribution_id")))
    if row_id is not None:
        await service.record_transfer(payment_transfer_id=row_id, transfer_id=str(obj["id"]))


async def on_dispute_created(obj: dict[str, Any]) -> None:
    intent = obj.get("payment_intent")
    if isinstance(intent, dict):  # expanded
        intent = intent.get("id")
    if not isinstance(intent, str) or not intent or len(intent) > MAX_ID_LENGTH or UNSTORABLE.search(intent):
        log.warning("dispute %s names no payment intent we could hold; ignored", obj.get("id"))
        return
    if not await disputes.record_card_dispute(payment_intent_id=intent, reason=str(obj.get("reason") or "")):
        log.warning("dispute %s is about a payment intent we never created; ignored", obj.get("id"))


async def on_account_updated(obj: dict[str, Any]) -> None:
    # Onboarding finished elsewhere: make sure the id is stored (onboarding normally did it already).
    metadata = _map(obj.get("metadata"))
    kind = metadata.get("kind")
    owner_id = _id(metadata.get("owner_id"))
    if owner_id is None:
        return
    model = Organization if kind == "facility" else User
    await model.filter(id=owner_id, stripe_account_id=None).update(stripe_account_id=str(obj["id"]))


HANDLERS: dict[str, Handler] = {
    "payment_intent.succeeded": on_payment_succeeded,
    "payment_intent.payment_failed": on_payment_failed,
    "transfer.created": on_transfer_created,
    "charge.dispute.created": on_dispute_created,
    "account.updated": on_account_updated,
}


class MalformedEvent(ValueError):
    """A correctly signed event without the fields its type needs (never seen from Stripe; answered 400)."""


def _event_parts(payload: bytes) -> tuple[str, str, dict[str, Any]]:
    """The event's id, type and object, each checked for shape: a signed body may still be any JSON."""
    try:
        event = json.loads(payload)
    except ValueError as exc:
        raise MalformedEvent("the body is not JSON") from exc
    if not isinstance(event, dict):
        raise MalformedEvent("the event is not an object")
    event_id, event_type, data = event.get("id"), event.get("type"), event.get("data")
    if not isinstance(event_id, str) or not event_id or not isinstance(event_type, str):
        raise MalformedEvent("the event has no id or type")
    obj = data.get("object") if isinstance(data, dict) else None
    if not isinstance(obj, dict):
        raise MalformedEvent("the event has no data.object")
    if event_type in HANDLERS and not isinstance(obj.get("id"), str):
        raise MalformedEvent(f"the {event_type} object has no id")
    for text in (event_id, event_type, obj.get("id") or ""):
        if len(text) > MAX_ID_LENGTH or UNSTORABLE.search(text):
            raise MalformedEvent("an id or type is too long or holds unstorable text")
    return event_id, event_type, obj


async def stripe_webhook(request: Request) -> JSONResponse:
    payload = await request.body()
    signature = request.headers.get("stripe-signature")
    if not settings.STRIPE_WEBHOOK_SECRET:
        return JSONResponse({"error": "webhooks are not configured"}, status_code=503)
    try:
        stripe.WebhookSignature.verify_header(
            payload.decode("utf-8"), signature, settings.STRIPE_WEBHOOK_SECRET, tolerance=TOLERANCE_SECONDS
        )
    except (ValueError, stripe.SignatureVerificationError):
        return JSONResponse({"error": "invalid signature"}, status_code=400)
    try:
        event_id, event_type, obj = _event_parts(payload)
    except MalformedEvent as exc:
        log.warning("webhook refused: signed but malformed (%s)", exc)
        return JSONResponse({"error": f"malformed event: {exc}"}, status_code=400)
    if await ProcessedWebhookEvent.exists(id=event_id):
        return JSONResponse({"received": True, "duplicate": True})
    handler = HANDLERS.get(event_type)
    if handler is not None:
        try:
            await handler(obj)
        except DomainError as exc:
            log.warning("webhook %s (%s) not handled yet: %s", event_id, event_type, exc.message)
            return JSONResponse({"error": "not processed; retry later"}, status_code=500)
    with contextlib.suppress(IntegrityError):  # a concurrent delivery of the same event finished first
        await ProcessedWebhookEvent.create(id=event_id, event_type=event_type)
    return JSONResponse({"received": True})
