"""The payment event records (the seed's payment_distributions) and how they follow their transfers.

A charge's record is written with its per-recipient transfer rows, in one transaction, before the gateway is
called. From then on its transfer ids, status, completion and reconciliation are *derived* from those rows by
`sync`, which every path that changes a row calls in the same transaction: so the record never disagrees with
the outbox beneath it. Refund and dispute-resolution records have no transfers of their own; their status is set
by the operation that writes them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from models import PaymentDistribution, PaymentTransfer, WorkContract
from models.enums import MilestoneName, PaymentStatus, PaymentType, RecipientType, TransferStatus

TRANSFERRED = (TransferStatus.COMPLETED, TransferStatus.RECONCILED)
SETTLED = (*TRANSFERRED, TransferStatus.REVERSED)
CHARGES = (PaymentType.DEPOSIT, PaymentType.MILESTONE, PaymentType.FINAL)


class PartsDoNotAddUp(ValueError):
    """A record whose distributions differ from its total: never written."""


@dataclass(frozen=True)
class Line:
    """Who receives how much of one payment event (recipient_id: an organization for the facility, a user for
    labor and the customer, none for the platform)."""

    recipient_type: RecipientType
    recipient_id: int | None
    amount_cents: int

    def to_json(self) -> dict[str, Any]:
        return {
            "recipient_id": self.recipient_id,
            "recipient_type": self.recipient_type.value,
            "amount_cents": self.amount_cents,
        }

    @classmethod
    def from_json(cls, item: dict[str, Any]) -> Line:
        recipient = item.get("recipient_id")
        return cls(
            RecipientType(item["recipient_type"]),
            None if recipient is None else int(recipient),
            int(item["amount_cents"]),
        )


@dataclass(frozen=True)
class TransferRef:
    recipient_type: RecipientType
    recipient_id: int | None
    transfer_id: str

    def to_json(self) -> dict[str, Any]:
        return {
            "recipient_id": self.recipient_id,
            "recipient_type": self.recipient_type.value,
            "transfer_id": self.transfer_id,
        }

    @classmethod
    def from_json(cls, item: dict[str, Any]) -> TransferRef:
        recipient = item.get("recipient_id")
        return cls(
            RecipientType(item["recipient_type"]),
            None if recipient is None else int(recipient),
            str(item["transfer_id"]),
        )


def lines(record: PaymentDistribution) -> list[Line]:
    return [Line.from_json(item) for item in record.distributions]


def transfer_refs(record: PaymentDistribution) -> list[TransferRef]:
    return [TransferRef.from_json(item) for item in record.stripe_transfer_ids]


def adding_up(total_cents: int, parts: Sequence[Line]) -> list[dict[str, Any]]:
    """The stored distributions, refusing parts that do not add up to the total (or a negative part)."""
    if any(part.amount_cents < 0 for part in parts) or sum(p.amount_cents for p in parts) != total_cents:
        raise PartsDoNotAddUp(f"distributions {[p.amount_cents for p in parts]} do not add up to {total_cents}")
    return [part.to_json() for part in parts]


def recipient_id(row: PaymentTransfer) -> int | None:
    if row.recipient_type == RecipientType.FACILITY:
        return row.recipient_organization_id
    return row.recipient_user_id


def line_of(row: PaymentTransfer) -> Line:
    return Line(RecipientType(row.recipient_type), recipient_id(row), row.amount_cents)


def payment_type_of(milestone: str, milestone_names: Sequence[str]) -> PaymentType:
    """The first milestone is the deposit, the last the final payment, any between a milestone payment."""
    if milestone_names and milestone == milestone_names[0]:
        return PaymentType.DEPOSIT
    if milestone_names and milestone == milestone_names[-1]:
        return PaymentType.FINAL
    return PaymentType.MILESTONE


def milestone_due(contract: WorkContract, milestone: str) -> date | None:
    for item in contract.milestones:
        if item["name"] == milestone and item.get("date"):
            return date.fromisoformat(str(item["date"]))
    return None


def charge_key(booking_id: int, milestone: str | MilestoneName) -> str:
    return f"booking-{booking_id}-{milestone}"


def derive_status(current: PaymentStatus, rows: Iterable[PaymentTransfer]) -> PaymentStatus:
    """A charge's status from its transfers. DISPUTED holds until the dispute is resolved; FAILED (the charge
    was declined) holds until a charge succeeds and the rows move."""
    statuses = [TransferStatus(r.status) for r in rows]
    if current == PaymentStatus.DISPUTED:
        return current
    if not statuses or all(s == TransferStatus.PENDING for s in statuses):
        return PaymentStatus.FAILED if current == PaymentStatus.FAILED else PaymentStatus.PENDING
    if all(s == TransferStatus.REVERSED for s in statuses):
        return PaymentStatus.REFUNDED
    if all(s in SETTLED for s in statuses):
        return PaymentStatus.COMPLETED
    if any(s == TransferStatus.FAILED for s in statuses) and not any(r.next_attempt_at for r in rows):
        return PaymentStatus.FAILED  # left for an operator
    return PaymentStatus.PROCESSING


async def sync(distribution_id: int, *, now: datetime) -> PaymentDistribution:
    """Bring a charge's record in line with its transfer rows. Call inside the transaction that changed them:
    the record's row lock orders concurrent completions of one event's transfers."""
    record = await PaymentDistribution.select_for_update().get(id=distribution_id)
    rows = await PaymentTransfer.filter(distribution_id=distribution_id).order_by("id")
    status = derive_status(PaymentStatus(record.payment_status), rows)
    refs = [
        TransferRef(RecipientType(r.recipient_type), recipient_id(r), r.stripe_transfer_id)
        for r in rows
        if r.stripe_transfer_id
    ]
    reconciled = (
        bool(rows)
        and all(
            r.status == TransferStatus.RECONCILED
            or (r.status == TransferStatus.REVERSED and r.refunded_cents == r.amount_cents)
            for r in rows
        )
        and any(r.status == TransferStatus.RECONCILED for r in rows)
    )
    record.payment_status = status
    record.stripe_transfer_ids = [ref.to_json() for ref in refs]
    intent = next((r.stripe_payment_intent_id for r in rows if r.stripe_payment_intent_id), None)
    record.stripe_payment_intent_id = record.stripe_payment_intent_id or intent
    if status in (PaymentStatus.COMPLETED, PaymentStatus.REFUNDED) and record.payment_completed_at is None:
        record.payment_completed_at = now
    if reconciled and not record.reconciled:
        record.reconciled, record.reconciled_at = True, now
    await record.save(
        update_fields=[
            "payment_status",
            "stripe_transfer_ids",
            "stripe_payment_intent_id",
            "payment_completed_at",
            "reconciled",
            "reconciled_at",
            "updated_at",
        ]
    )
    return record
