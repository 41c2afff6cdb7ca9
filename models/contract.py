"""Work contracts, their payment events (payment_distributions) and each event's per-recipient transfers."""

from __future__ import annotations

from typing import Any

from tortoise import fields
from tortoise.migrations.constraints import CheckConstraint
from tortoise.models import Model

from models.enums import (
    ContractStatus,
    ContractType,
    PaymentStatus,
    PaymentType,
    RecipientType,
    TransferStatus,
    check_in,
)


class WorkContract(Model):
    """The seed's work_contracts: three parties, the terms they signed, the split and the milestones."""

    id = fields.IntField(primary_key=True)
    booking: fields.OneToOneRelation[Any] = fields.OneToOneField(
        "models.ServiceBooking", related_name="contract", on_delete=fields.CASCADE
    )
    booking_id: int
    customer: fields.ForeignKeyRelation[Any] = fields.ForeignKeyField(
        "models.User", related_name="contracts", on_delete=fields.RESTRICT
    )
    customer_id: int
    facility: fields.ForeignKeyRelation[Any] = fields.ForeignKeyField(
        "models.Organization", related_name="contracts", on_delete=fields.RESTRICT
    )
    facility_id: int
    # The people bound as labor and what each is paid (set from the accepted offers when the contract activates).
    labor_user_ids: fields.Field[list[int]] = fields.JSONField(default=list)
    # [{"user_id": 12, "amount_cents": 140000}]
    labor_payments: fields.Field[list[dict[str, Any]]] = fields.JSONField(default=list)
    contract_type = fields.CharEnumField(ContractType, max_length=30)
    contract_status = fields.CharEnumField(ContractStatus, max_length=30, default=ContractStatus.PENDING_SIGNATURES)
    scope_of_work = fields.TextField(default="")
    # [{"item": "Paint exterior", "completion_criteria": "..."}]
    deliverables: fields.Field[list[dict[str, Any]]] = fields.JSONField(default=list)
    # [{"name": "deposit", "date": "2025-12-01", "payment_pct": 30.0, "percentage_bps": 3000,
    #   "amount_cents": 60000, "status": "pending"}]
    milestones: fields.Field[list[dict[str, Any]]] = fields.JSONField(default=list)
    payment_terms = fields.TextField(default="")
    total_contract_value_cents = fields.BigIntField()
    facility_payment_cents = fields.BigIntField()
    labor_amount_cents = fields.BigIntField()  # the sum of labor_payments
    platform_fee_cents = fields.BigIntField()
    facility_share_bps = fields.IntField()
    labor_share_bps = fields.IntField()
    platform_share_bps = fields.IntField()
    start_date = fields.DateField(null=True)
    end_date = fields.DateField(null=True)
    # The complete terms every party signs; document_hash is its SHA-256.
    terms_and_conditions = fields.TextField(default="")
    signed_by_customer_at = fields.DatetimeField(null=True)
    signed_by_facility_at = fields.DatetimeField(null=True)
    # [{"user_id": 12, "signed_at": "2025-12-01T10:00:00+00:00"}]
    signed_by_labor_at: fields.Field[list[dict[str, Any]]] = fields.JSONField(default=list)
    # The audit trail behind the signed_by_* columns: who signed for which party over which hash.
    # [{"party": "customer", "user_id": 1, "signed_at": "...", "document_hash": "..."}]
    signatures: fields.Field[list[dict[str, Any]]] = fields.JSONField(default=list)
    contract_document_url = fields.CharField(max_length=300, default="")
    document_hash = fields.CharField(max_length=64, default="")
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "work_contracts"
        indexes = (("facility_id", "contract_status"), ("customer_id", "contract_status"))
        constraints = (
            CheckConstraint(check=check_in("contract_status", ContractStatus), name="work_contracts_status"),
            CheckConstraint(check=check_in("contract_type", ContractType), name="work_contracts_type"),
            CheckConstraint(
                check="facility_payment_cents + labor_amount_cents + platform_fee_cents = total_contract_value_cents",
                name="work_contracts_parts_add_up",
            ),
        )


class PaymentDistribution(Model):
    """The seed's payment_distributions: one record per payment event (a milestone's charge, a refund, a
    dispute's resolution) with its total and who receives what (`distributions`, adding up to the total)."""

    id = fields.IntField(primary_key=True)
    contract: fields.ForeignKeyRelation[WorkContract] = fields.ForeignKeyField(
        "models.WorkContract", related_name="payment_distributions", on_delete=fields.CASCADE
    )
    contract_id: int
    booking: fields.ForeignKeyRelation[Any] = fields.ForeignKeyField(
        "models.ServiceBooking", related_name="payment_distributions", on_delete=fields.CASCADE
    )
    booking_id: int
    payment_type = fields.CharEnumField(PaymentType, max_length=30)
    milestone = fields.CharField(max_length=50, null=True)  # the milestone a charge pays (null: refund, resolution)
    # One record per charge, refund or resolution: "booking-7-deposit", "booking-7-refund-2".
    event_key = fields.CharField(max_length=120, unique=True)
    total_amount_cents = fields.BigIntField()
    # [{"recipient_id": 3, "recipient_type": "facility", "amount_cents": 40000}] (platform: recipient_id null)
    distributions: fields.Field[list[dict[str, Any]]] = fields.JSONField(default=list)
    stripe_payment_intent_id = fields.CharField(max_length=100, null=True)
    # [{"recipient_id": 3, "recipient_type": "facility", "transfer_id": "tr_..."}]
    stripe_transfer_ids: fields.Field[list[dict[str, Any]]] = fields.JSONField(default=list)
    stripe_refund_ids: fields.Field[list[str]] = fields.JSONField(default=list)
    payment_status = fields.CharEnumField(PaymentStatus, max_length=20, default=PaymentStatus.PENDING)
    payment_due_date = fields.DateField(null=True)
    payment_completed_at = fields.DatetimeField(null=True)
    reconciled = fields.BooleanField(default=False)
    reconciled_at = fields.DatetimeField(null=True)
    note = fields.TextField(default="")  # a refund's or a resolution's reason
    created_by: fields.ForeignKeyNullableRelation[Any] = fields.ForeignKeyField(
        "models.User", related_name="payment_events", null=True, on_delete=fields.SET_NULL
    )
    created_by_id: int | None
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "payment_distributions"
        indexes = (("contract_id", "payment_type"), ("payment_status",))
        constraints = (
            CheckConstraint(check=check_in("payment_type", PaymentType), name="payment_distributions_type"),
            CheckConstraint(
                check=check_in("payment_status", PaymentStatus), name="payment_distributions_payment_status"
            ),
            CheckConstraint(check="total_amount_cents >= 0", name="payment_distributions_total"),
        )


class PaymentTransfer(Model):
    """One recipient's share of one payment event: the exactly-once transfer outbox (written before the gateway
    is called, with a deterministic idempotency key)."""

    id = fields.IntField(primary_key=True)
    distribution: fields.ForeignKeyRelation[PaymentDistribution] = fields.ForeignKeyField(
        "models.PaymentDistribution", related_name="transfers", on_delete=fields.CASCADE
    )
    distribution_id: int
    contract: fields.ForeignKeyRelation[WorkContract] = fields.ForeignKeyField(
        "models.WorkContract", related_name="payment_transfers", on_delete=fields.CASCADE
    )
    contract_id: int
    booking: fields.ForeignKeyRelation[Any] = fields.ForeignKeyField(
        "models.ServiceBooking", related_name="payment_transfers", on_delete=fields.CASCADE
    )
    booking_id: int
    milestone = fields.CharField(max_length=50)
    recipient_type = fields.CharEnumField(RecipientType, max_length=20)
    recipient_user: fields.ForeignKeyNullableRelation[Any] = fields.ForeignKeyField(
        "models.User", related_name="payouts", null=True, on_delete=fields.RESTRICT
    )
    recipient_user_id: int | None
    recipient_organization: fields.ForeignKeyNullableRelation[Any] = fields.ForeignKeyField(
        "models.Organization", related_name="payouts", null=True, on_delete=fields.RESTRICT
    )
    recipient_organization_id: int | None
    amount_cents = fields.BigIntField()
    refunded_cents = fields.BigIntField(default=0)
    status = fields.CharEnumField(TransferStatus, max_length=20, default=TransferStatus.PENDING)
    # A disputed booking's payouts wait for the resolution (the worker skips held rows).
    held = fields.BooleanField(default=False)
    stripe_payment_intent_id = fields.CharField(max_length=100, null=True)
    stripe_transfer_id = fields.CharField(max_length=100, null=True)
    transfer_group = fields.CharField(max_length=100, default="")
    idempotency_key = fields.CharField(max_length=120, unique=True)
    attempts = fields.IntField(default=0)
    next_attempt_at = fields.DatetimeField(null=True)
    last_error = fields.TextField(default="")
    processed_at = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "payment_transfers"
        indexes = (("contract_id", "milestone"), ("status", "next_attempt_at"), ("recipient_user_id", "status"))
        constraints = (
            CheckConstraint(check=check_in("status", TransferStatus), name="payment_transfers_status"),
            CheckConstraint(check=check_in("recipient_type", RecipientType), name="payment_transfers_recipient"),
            CheckConstraint(
                check="amount_cents >= 0 AND refunded_cents >= 0 AND refunded_cents <= amount_cents",
                name="payment_transfers_amounts",
            ),
        )


class ProcessedWebhookEvent(Model):
    """Stripe event ids already handled, so a redelivered event is ignored."""

    id = fields.CharField(max_length=100, primary_key=True)
    event_type = fields.CharField(max_length=100)
    received_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "processed_webhook_events"
