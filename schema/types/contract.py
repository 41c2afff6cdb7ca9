"""Contracts and the payment distributions that split each payment."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Annotated
from uuid import UUID

import strawberry

import models
from schema.context import Info
from schema.enums import ContractStatus, ContractType, DistributionStatus, PartyType, RecipientType
from schema.ids import global_id
from schema.types.base import Entity, from_row, from_rows

if TYPE_CHECKING:
    from schema.types.booking import ServiceBooking
    from schema.types.organization import Organization
    from schema.types.user import User

BookingRef = Annotated["ServiceBooking", strawberry.lazy("schema.types.booking")]
OrgRef = Annotated["Organization", strawberry.lazy("schema.types.organization")]
UserRef = Annotated["User", strawberry.lazy("schema.types.user")]


@strawberry.type
class Milestone:
    name: str
    percentage_bps: int
    amount_cents: int
    status: str


@strawberry.type
class Signature:
    party: PartyType
    user_id: strawberry.ID
    signed_at: datetime
    document_hash: str


@strawberry.type
class PaymentDistribution(Entity):
    row: strawberry.Private[models.PaymentDistribution]
    milestone: str
    recipient_type: RecipientType
    amount_cents: int
    refunded_cents: int
    status: DistributionStatus
    stripe_payment_intent_id: str | None
    stripe_transfer_id: str | None
    transfer_group: str
    attempts: int
    last_error: str
    processed_at: datetime | None
    created_at: datetime

    @strawberry.field
    async def recipient_user(self, info: Info) -> UserRef | None:
        from schema.types.user import User

        row = await info.context.loaders.one(models.User, self.row.recipient_user_id)
        return from_row(User, row) if row else None

    @strawberry.field
    async def recipient_organization(self, info: Info) -> OrgRef | None:
        from schema.types.organization import Organization

        row = await info.context.loaders.one(models.Organization, self.row.recipient_organization_id)
        return from_row(Organization, row) if row else None


@strawberry.type
class WorkContract(Entity):
    row: strawberry.Private[models.WorkContract]
    contract_type: ContractType
    status: ContractStatus
    scope_of_work: str
    deliverables: list[str]
    payment_terms: str
    total_amount_cents: int
    facility_amount_cents: int
    labor_amount_cents: int
    platform_fee_cents: int
    facility_share_bps: int
    labor_share_bps: int
    platform_share_bps: int
    start_date: date | None
    end_date: date | None
    document_url: str
    document_hash: str
    created_at: datetime
    updated_at: datetime

    @strawberry.field
    def milestones(self) -> list[Milestone]:
        return [
            Milestone(
                name=str(m["name"]),
                percentage_bps=int(m.get("percentage_bps", 0)),
                amount_cents=int(m.get("amount_cents", 0)),
                status=str(m.get("status", "pending")),
            )
            for m in self.row.milestones
        ]

    @strawberry.field
    def signatures(self) -> list[Signature]:
        return [
            Signature(
                party=PartyType(str(s["party"])),
                user_id=global_id("User", UUID(str(s["user_id"]))),
                signed_at=datetime.fromisoformat(str(s["signed_at"])),
                document_hash=str(s.get("document_hash", "")),
            )
            for s in self.row.signatures
        ]

    @strawberry.field
    async def booking(self, info: Info) -> BookingRef | None:
        from schema.types.booking import ServiceBooking

        row = await info.context.loaders.one(models.ServiceBooking, self.row.booking_id)
        return from_row(ServiceBooking, row) if row else None

    @strawberry.field
    async def customer(self, info: Info) -> UserRef | None:
        from schema.types.user import User

        row = await info.context.loaders.one(models.User, self.row.customer_id)
        return from_row(User, row) if row else None

    @strawberry.field
    async def organization(self, info: Info) -> OrgRef | None:
        from schema.types.organization import Organization

        row = await info.context.loaders.one(models.Organization, self.row.organization_id)
        return from_row(Organization, row) if row else None

    @strawberry.field(description="Distributions: all for the customer, facility and admins; labor sees its own.")
    async def payment_distributions(self, info: Info) -> list[PaymentDistribution]:
        rows = await info.context.loaders.many(models.PaymentDistribution, "contract_id", self.row.id)
        rows = info.context.viewer.contract_distributions(
            rows,
            lambda r: r.recipient_user_id,
            customer_id=self.row.customer_id,
            organization_id=self.row.organization_id,
        )
        return from_rows(PaymentDistribution, rows)
