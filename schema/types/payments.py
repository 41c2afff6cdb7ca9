"""Results of the payment mutations: a milestone's PaymentIntent and a refund."""

from __future__ import annotations

import strawberry


@strawberry.type(description="A PaymentIntent for one milestone; confirm it client-side with the client secret.")
class PaymentIntent:
    booking_id: strawberry.ID
    milestone: str
    amount_cents: int
    payment_intent_id: str
    client_secret: str
    status: str


@strawberry.type(description="What was refunded; when `complete` is false, retry with the rest.")
class RefundResult:
    booking_id: strawberry.ID
    requested_cents: int
    amount_cents: int
    complete: bool
    error: str | None
    refund_ids: list[str]
    failed_reversals: list[strawberry.ID]  # PaymentDistribution ids
