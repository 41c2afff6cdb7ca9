"""Contracts (the seed's work_contracts), their payment events (payment_distributions) and each event's transfers."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Annotated, Any

import strawberry

import models
from app.services import contract_document
from app.services.payments import records
from schema.context import Info
from schema.enums import (
    ContractStatus,
    ContractType,
    MilestoneName,
    MilestoneStatus,
    PartyType,
    PaymentStatus,
    PaymentType,
    RecipientType,
    TransferStatus,
)
from schema.scalars import Cents
from schema.types.base import from_row, from_rows

if TYPE_CHECKING:
    from schema.types.booking import ServiceBooking
    from schema.types.organization import Organization
    from schema.types.user import User

BookingRef = Annotated["ServiceBooking", strawberry.lazy("schema.types.booking")]
OrgRef = Annotated["Organization", strawberry.lazy("schema.types.organization")]
UserRef = Annotated["User", strawberry.lazy("schema.types.user")]


@strawberry.type(description="A payment milestone: its share of the price, when it falls due, whether it is paid.")
class Milestone:
    name: MilestoneName
    date: date | None = strawberry.field(description="The facility's local date the payment falls due.")
    payment_pct: float = strawberry.field(description="The milestone's share of the contract value, in percent.")
    percentage_bps: int
    amount_cents: Cents
    status: MilestoneStatus


@strawberry.type
class Deliverable:
    item: str
    completion_criteria: str


@strawberry.type(description="One person's pay under the contract (a laborer sees only their own).")
class LaborPayment:
    user_id: int
    amount_cents: Cents

    @strawberry.field
    async def user(self, info: Info) -> UserRef | None:
        from schema.types.user import User

        row = await info.context.loaders.one(models.User, self.user_id)
        return from_row(User, row) if row else None


@strawberry.type
class LaborSignature:
    user_id: int
    signed_at: datetime


@strawberry.type(description="The audit trail behind signedBy*: who signed for which party over which terms hash.")
class Signature:
    party: PartyType
    user_id: int
    signed_at: datetime
    document_hash: str


@strawberry.type(
    description="Who receives how much of one payment event (recipientId: the organization for the "
    "facility, the user for labor and the customer, null for the platform)."
)
class DistributionLine:
    recipient_id: int | None
    recipient_type: RecipientType
    amount_cents: Cents


@strawberry.type(description="The processor's transfer to one recipient of a payment event.")
class TransferIdLine:
    recipient_id: int | None
    recipient_type: RecipientType
    transfer_id: str


@strawberry.type(description="One recipient's transfer of one payment event: the exactly-once payout row.")
class PaymentTransfer:
    row: strawberry.Private[models.PaymentTransfer]
    id: int
    distribution_id: int
    milestone: str
    recipient_type: RecipientType
    amount_cents: Cents
    refunded_cents: Cents
    status: TransferStatus
    held: bool = strawberry.field(description="Waiting for a dispute's resolution.")
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


def _labor_owner(recipient_type: RecipientType, recipient_id: int | None) -> int | None:
    return recipient_id if recipient_type == RecipientType.LABOR else None


@strawberry.type(
    description="One payment event (a milestone's charge, a refund, a dispute's resolution): its total "
    "and who receives what. A laborer who is not otherwise a party sees only their own lines."
)
class PaymentDistribution:
    row: strawberry.Private[models.PaymentDistribution]
    id: int
    contract_id: int
    booking_id: int
    payment_type: PaymentType
    milestone: str | None
    total_amount_cents: Cents
    stripe_payment_intent_id: str | None
    stripe_refund_ids: list[str]
    payment_status: PaymentStatus
    payment_due_date: date | None
    payment_completed_at: datetime | None
    reconciled: bool
    reconciled_at: datetime | None
    note: str
    created_at: datetime
    updated_at: datetime

    async def _contract(self, info: Info) -> models.WorkContract | None:
        return await info.context.loaders.one(models.WorkContract, self.row.contract_id)

    @strawberry.field
    async def distributions(self, info: Info) -> list[DistributionLine]:
        contract = await self._contract(info)
        if contract is None:
            return []
        shown = info.context.viewer.contract_distributions(
            records.lines(self.row),
            lambda line: _labor_owner(line.recipient_type, line.recipient_id),
            customer_id=contract.customer_id,
            organization_id=contract.facility_id,
        )
        return [
            DistributionLine(
                recipient_id=x.recipient_id, recipient_type=x.recipient_type, amount_cents=Cents(x.amount_cents)
            )
            for x in shown
        ]

    @strawberry.field
    async def stripe_transfer_ids(self, info: Info) -> list[TransferIdLine]:
        contract = await self._contract(info)
        if contract is None:
            return []
        shown = info.context.viewer.contract_distributions(
            records.transfer_refs(self.row),
            lambda ref: _labor_owner(ref.recipient_type, ref.recipient_id),
            customer_id=contract.customer_id,
            organization_id=contract.facility_id,
        )
        return [
            TransferIdLine(recipient_id=x.recipient_id, recipient_type=x.recipient_type, transfer_id=x.transfer_id)
            for x in shown
        ]

    @strawberry.field(description="The per-recipient transfers beneath this event.")
    async def transfers(self, info: Info) -> list[PaymentTransfer]:
        contract = await self._contract(info)
        if contract is None:
            return []
        rows = await info.context.loaders.many(models.PaymentTransfer, "distribution_id", self.row.id)
        rows = info.context.viewer.contract_distributions(
            rows, lambda r: r.recipient_user_id, customer_id=contract.customer_id, organization_id=contract.facility_id
        )
        return from_rows(PaymentTransfer, rows)


@strawberry.type
class WorkContract:
    row: strawberry.Private[models.WorkContract]
    id: int
    booking_id: int
    customer_id: int
    facility_id: int
    labor_user_ids: list[int]
    contract_type: ContractType = strawberry.field(description="From the service's pricing model.")
    contract_status: ContractStatus
    scope_of_work: str
    payment_terms: str
    total_contract_value_cents: Cents
    facility_payment_cents: Cents
    labor_amount_cents: Cents = strawberry.field(description="The labor share: the sum of laborPayments.")
    platform_fee_cents: Cents
    facility_share_bps: int
    labor_share_bps: int
    platform_share_bps: int
    start_date: date | None
    end_date: date | None
    signed_by_customer_at: datetime | None
    signed_by_facility_at: datetime | None
    contract_document_url: str
    document_hash: str = strawberry.field(description="SHA-256 of termsAndConditions, the text every party signs.")
    created_at: datetime
    updated_at: datetime

    @strawberry.field
    def deliverables(self) -> list[Deliverable]:
        return [
            Deliverable(item=str(d.get("item", "")), completion_criteria=str(d.get("completion_criteria") or ""))
            for d in self.row.deliverables
        ]

    @strawberry.field
    def milestones(self) -> list[Milestone]:
        return [_milestone(m) for m in self.row.milestones]

    @strawberry.field(description="The people bound as labor and their pay: all for the parties, one's own for labor.")
    async def labor_payments(self, info: Info) -> list[LaborPayment]:
        shown = info.context.viewer.contract_distributions(
            self.row.labor_payments,
            lambda p: int(p["user_id"]),
            customer_id=self.row.customer_id,
            organization_id=self.row.facility_id,
        )
        return [LaborPayment(user_id=int(p["user_id"]), amount_cents=Cents(int(p["amount_cents"]))) for p in shown]

    @strawberry.field
    def signed_by_labor_at(self) -> list[LaborSignature]:
        return [
            LaborSignature(user_id=int(s["user_id"]), signed_at=datetime.fromisoformat(str(s["signed_at"])))
            for s in self.row.signed_by_labor_at
        ]

    @strawberry.field(
        description="The terms every party signs (its hash is documentHash), as this viewer may read "
        "them: a laborer who is not otherwise a party reads only their own labor line."
    )
    async def terms_and_conditions(self, info: Info) -> str:
        loaders = info.context.loaders
        customer = await loaders.one(models.User, self.row.customer_id)
        facility = await loaders.one(models.Organization, self.row.facility_id)
        booking = await loaders.one(models.ServiceBooking, self.row.booking_id)
        if customer is None or facility is None or booking is None:
            return ""
        rendering = contract_document.rendering_for(
            self.row,
            contract_document.parties_of(self.row, customer, facility),
            contract_document.labor_terms_of(booking),
            info.context.viewer,
        )
        return rendering.text

    @strawberry.field
    def signatures(self) -> list[Signature]:
        return [
            Signature(
                party=PartyType(str(s["party"])),
                user_id=int(s["user_id"]),
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
    async def facility(self, info: Info) -> OrgRef | None:
        from schema.types.organization import Organization

        row = await info.context.loaders.one(models.Organization, self.row.facility_id)
        return from_row(Organization, row) if row else None

    @strawberry.field(description="The payment events (charges, refunds, dispute resolutions), oldest first.")
    async def payment_distributions(self, info: Info) -> list[PaymentDistribution]:
        rows = await info.context.loaders.many(models.PaymentDistribution, "contract_id", self.row.id)
        return from_rows(PaymentDistribution, rows)

    @strawberry.field(description="Transfers: all for the customer, facility and admins; labor sees its own.")
    async def payment_transfers(self, info: Info) -> list[PaymentTransfer]:
        rows = await info.context.loaders.many(models.PaymentTransfer, "contract_id", self.row.id)
        rows = info.context.viewer.contract_distributions(
            rows,
            lambda r: r.recipient_user_id,
            customer_id=self.row.customer_id,
            organization_id=self.row.facility_id,
        )
        return from_rows(PaymentTransfer, rows)


def _milestone(item: dict[str, Any]) -> Milestone:
    bps = int(item.get("percentage_bps", 0))
    due = item.get("date")
    return Milestone(
        name=MilestoneName(str(item["name"])),
        date=date.fromisoformat(str(due)) if due else None,
        payment_pct=float(item.get("payment_pct", bps / 100)),
        percentage_bps=bps,
        amount_cents=Cents(int(item.get("amount_cents", 0))),
        status=MilestoneStatus(str(item.get("status", MilestoneStatus.PENDING.value))),
    )
