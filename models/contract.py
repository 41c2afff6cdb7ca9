"""Work contracts and the payment distributions that split each payment."""

from __future__ import annotations

import uuid
from typing import Any

from tortoise import fields
from tortoise.migrations.constraints import CheckConstraint
from tortoise.models import Model

from models.enums import ContractStatus, ContractType, DistributionStatus, RecipientType, check_in


class WorkContract(Model):
    id = fields.UUIDField(primary_key=True, default=uuid.uuid4)
    booking: fields.OneToOneRelation[Any] = fields.OneToOneField(
        "models.ServiceBooking", related_name="contract", on_delete=fields.CASCADE
    )
    booking_id: uuid.UUID
    customer: fields.ForeignKeyRelation[Any] = fields.ForeignKeyField(
        "models.User", related_name="contracts", on_delete=fields.RESTRICT
    )
    customer_id: uuid.UUID
    organization: fields.ForeignKeyRelation[Any] = fields.ForeignKeyField(
        "models.Organization", related_name="contracts", on_delete=fields.RESTRICT
    )
    organization_id: uuid.UUID
    contract_type = fields.CharEnumField(ContractType, max_length=30)
    status = fields.CharEnumField(ContractStatus, max_length=30, default=ContractStatus.PENDING_SIGNATURES)
    scope_of_work = fields.TextField(default="")
    deliverables: fields.Field[list[str]] = fields.JSONField(default=list)
    # [{"name": "deposit", "percentage_bps": 3000, "amount_cents": 60000, "status": "pending"}]
    milestones: fields.Field[list[dict[str, Any]]] = fields.JSONField(default=list)
    payment_terms = fields.TextField(default="")
    total_amount_cents = fields.BigIntField()
    facility_amount_cents = fields.BigIntField()
    labor_amount_cents = fields.BigIntField()
    platform_fee_cents = fields.BigIntField()
    facility_share_bps = fields.IntField()
    labor_share_bps = fields.IntField()
    platform_share_bps = fields.IntField()
    start_date = fields.DateField(null=True)
    end_date = fields.DateField(null=True)
    # [{"party": "customer", "user_id": 1, "signed_at": "...", "document_hash": "..."}]
    signatures: fields.Field[list[dict[str, Any]]] = fields.JSONField(default=list)
    document_url = fields.CharField(max_length=300, default="")
    document_hash = fields.CharField(max_length=64, default="")
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "work_contracts"
        indexes = (("organization_id", "status"), ("customer_id", "status"))
        constraints = (
            CheckConstraint(check=check_in("status", ContractStatus), name="work_contracts_status"),
            CheckConstraint(check=check_in("contract_type", ContractType), name="work_contracts_type"),
            CheckConstraint(
                check="facility_amount_cents + labor_amount_cents + platform_fee_cents = total_amount_cents",
                name="work_contracts_parts_add_up",
            ),
        )


class PaymentDistribution(Model):
    id = fields.UUIDField(primary_key=True, default=uuid.uuid4)
    contract: fields.ForeignKeyRelation[WorkContract] = fields.ForeignKeyField(
        "models.WorkContract", related_name="payment_distributions", on_delete=fields.CASCADE
    )
    contract_id: uuid.UUID
    booking: fields.ForeignKeyRelation[Any] = fields.ForeignKeyField(
        "models.ServiceBooking", related_name="payment_distributions", on_delete=fields.CASCADE
    )
    booking_id: uuid.UUID
    milestone = fields.CharField(max_length=50)
    recipient_type = fields.CharEnumField(RecipientType, max_length=20)
    recipient_user: fields.ForeignKeyNullableRelation[Any] = fields.ForeignKeyField(
        "models.User", related_name="payouts", null=True, on_delete=fields.RESTRICT
    )
    recipient_user_id: uuid.UUID | None
    recipient_organization: fields.ForeignKeyNullableRelation[Any] = fields.ForeignKeyField(
        "models.Organization", related_name="payouts", null=True, on_delete=fields.RESTRICT
    )
    recipient_organization_id: uuid.UUID | None
    amount_cents = fields.BigIntField()
    refunded_cents = fields.BigIntField(default=0)
    status = fields.CharEnumField(DistributionStatus, max_length=20, default=DistributionStatus.PENDING)
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
        table = "payment_distributions"
        indexes = (("contract_id", "milestone"), ("status", "next_attempt_at"), ("recipient_user_id", "status"))
        constraints = (
            CheckConstraint(check=check_in("status", DistributionStatus), name="payment_distributions_status"),
            CheckConstraint(check=check_in("recipient_type", RecipientType), name="payment_distributions_recipient"),
            CheckConstraint(
                check="amount_cents >= 0 AND refunded_cents >= 0 AND refunded_cents <= amount_cents",
                name="payment_distributions_amounts",
            ),
        )


class ProcessedWebhookEvent(Model):
    """Stripe event ids already handled, so a redelivered event is ignored."""

    id = fields.CharField(max_length=100, primary_key=True)
    event_type = fields.CharField(max_length=100)
    received_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "processed_webhook_events"
