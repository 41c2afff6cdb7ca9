"""Results of the payment mutations: a milestone's PaymentIntent, a refund, a dispute's resolution, reconciliation."""

from __future__ import annotations

import strawberry

from schema.enums import BookingStatus, MilestoneName
from schema.scalars import Cents


@strawberry.type(description="A PaymentIntent for one milestone; confirm it client-side with the client secret.")
class PaymentIntent:
    booking_id: int
    milestone: MilestoneName
    amount_cents: Cents
    payment_intent_id: str
    client_secret: str
    status: str
    payment_distribution_id: int = strawberry.field(description="The payment event this charge records.")


@strawberry.type(description="What was refunded; when `complete` is false, retry with the rest.")
class RefundResult:
    booking_id: int
    requested_cents: Cents
    amount_cents: Cents
    complete: bool
    error: str | None
    refund_ids: list[str]
    failed_reversals: list[int]
    payment_distribution_id: int | None = strawberry.field(description="The REFUND payment event.")


@strawberry.type(description="A dispute's resolution: what went back to the customer and what the parties keep.")
class DisputeResolution:
    booking_id: int
    resolved: bool = strawberry.field(
        description="False when the processor refunded only part: that part is a REFUND event, the dispute stays open."
    )
    refunded_cents: Cents
    released_cents: Cents
    payment_distribution_id: int | None = strawberry.field(
        description="The DISPUTE_RESOLUTION payment event (the partial REFUND when not resolved)."
    )
    refund_ids: list[str]
    failed_reversals: list[int]
    booking_status: BookingStatus
    error: str | None


@strawberry.type(description="One reconciliation pass against the payment processor (or the local ledger).")
class ReconciliationResult:
    reconciled_transfers: int
    mismatched_transfers: int
    reconciled_payment_distributions: int
