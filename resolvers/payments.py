"""Root mutations of contracts and payments: sign, pay a milestone, refund, disputes, reconciliation, onboarding."""

from __future__ import annotations

import strawberry

from app.services import contracts
from app.services.payments import disputes, onboarding
from app.services.payments import service as payments
from schema.context import Info
from schema.enums import MilestoneName, PartyType
from schema.results import SignContractResult, StartPaymentResult, reports_failures
from schema.scalars import Cents
from schema.types.base import from_row
from schema.types.booking import ServiceBooking
from schema.types.contract import WorkContract
from schema.types.payments import DisputeResolution, PaymentIntent, ReconciliationResult, RefundResult


@strawberry.type
class PaymentsMutation:
    @strawberry.mutation(description="Sign the contract for yourself (customer, facility manager or assigned labor).")
    @reports_failures(SignContractResult)
    async def sign_contract(self, info: Info, contract_id: int, party: PartyType | None = None) -> SignContractResult:
        contract = await contracts.sign_contract(viewer=info.context.viewer, contract_id=contract_id, party=party)
        return from_row(WorkContract, contract)

    @strawberry.mutation(description="Start paying a milestone (deposit, midpoint, final): returns the client secret.")
    @reports_failures(StartPaymentResult)
    async def start_payment(self, info: Info, booking_id: int, milestone: MilestoneName) -> StartPaymentResult:
        start = await payments.start_payment(viewer=info.context.viewer, booking_id=booking_id, milestone=milestone)
        return PaymentIntent(
            booking_id=start.booking_id,
            milestone=MilestoneName(start.milestone),
            amount_cents=Cents(start.amount_cents),
            payment_intent_id=start.payment_intent_id,
            client_secret=start.client_secret,
            status=start.status,
            payment_distribution_id=start.distribution_id,
        )

    @strawberry.mutation(description="Refund part or all of what was paid; transfers are reversed in proportion.")
    async def refund_payment(self, info: Info, booking_id: int, amount_cents: Cents) -> RefundResult:
        result = await payments.refund(viewer=info.context.viewer, booking_id=booking_id, amount=amount_cents)
        return RefundResult(
            booking_id=result.booking_id,
            requested_cents=Cents(result.requested_cents),
            amount_cents=Cents(result.amount_cents),
            complete=result.complete,
            error=result.error or None,
            refund_ids=result.refund_ids,
            failed_reversals=result.failed_reversals,
            payment_distribution_id=result.distribution_id,
        )

    @strawberry.mutation(
        description="Dispute a booking (its customer, facility or assigned labor): booking and contract become "
        "DISPUTED and payouts wait for an admin's resolution."
    )
    async def open_dispute(self, info: Info, booking_id: int, reason: str) -> ServiceBooking:
        booking = await disputes.open_dispute(viewer=info.context.viewer, booking_id=booking_id, reason=reason)
        return from_row(ServiceBooking, booking)

    @strawberry.mutation(
        description="Resolve a dispute (admins): refundCents of what was paid goes back to the customer, the rest to "
        "the parties in proportion; the booking becomes PAID, the contract COMPLETED (TERMINATED on a full refund)."
    )
    async def resolve_dispute(
        self, info: Info, booking_id: int, refund_cents: Cents, note: str = ""
    ) -> DisputeResolution:
        result = await disputes.resolve_dispute(
            viewer=info.context.viewer, booking_id=booking_id, refund_cents=refund_cents, note=note
        )
        return DisputeResolution(
            booking_id=result.booking_id,
            resolved=result.resolved,
            refunded_cents=Cents(result.refunded_cents),
            released_cents=Cents(result.released_cents),
            payment_distribution_id=result.distribution_id,
            refund_ids=result.refund_ids,
            failed_reversals=result.failed_reversals,
            booking_status=result.booking_status,
            error=result.error or None,
        )

    @strawberry.mutation(description="Reconcile payouts against the processor or the local ledger (admins).")
    async def reconcile_payments(self, info: Info) -> ReconciliationResult:
        result = await payments.reconcile_as(viewer=info.context.viewer)
        return ReconciliationResult(
            reconciled_transfers=result.reconciled,
            mismatched_transfers=result.mismatched,
            reconciled_payment_distributions=result.records,
        )

    @strawberry.mutation(description="Connected-account onboarding link for an organization (owner or manager).")
    async def onboard_organization_payments(
        self, info: Info, organization_id: int, refresh_url: str, return_url: str
    ) -> str:
        return await onboarding.onboard_organization(
            viewer=info.context.viewer, organization_id=organization_id, refresh_url=refresh_url, return_url=return_url
        )

    @strawberry.mutation(description="Connected-account onboarding link for the signed-in person (labor payouts).")
    async def onboard_my_payments(self, info: Info, refresh_url: str, return_url: str) -> str:
        return await onboarding.onboard_user(viewer=info.context.viewer, refresh_url=refresh_url, return_url=return_url)
