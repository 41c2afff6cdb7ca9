"""Root mutations of contracts and payments: sign, pay a milestone, refund, onboard connected accounts."""

from __future__ import annotations

import strawberry

from app.services import contracts
from app.services.payments import onboarding
from app.services.payments import service as payments
from schema.context import Info
from schema.enums import PartyType
from schema.results import SignContractResult, StartPaymentResult, reports_failures
from schema.types.base import from_row
from schema.types.contract import WorkContract
from schema.types.payments import PaymentIntent, RefundResult


@strawberry.type
class PaymentsMutation:
    @strawberry.mutation(description="Sign the contract for yourself (customer, facility manager or assigned labor).")
    @reports_failures(SignContractResult)
    async def sign_contract(self, info: Info, contract_id: int, party: PartyType | None = None) -> SignContractResult:
        contract = await contracts.sign_contract(viewer=info.context.viewer, contract_id=contract_id, party=party)
        return from_row(WorkContract, contract)

    @strawberry.mutation(description="Start paying a milestone (deposit, midpoint, final): returns the client secret.")
    @reports_failures(StartPaymentResult)
    async def start_payment(self, info: Info, booking_id: int, milestone: str) -> StartPaymentResult:
        start = await payments.start_payment(viewer=info.context.viewer, booking_id=booking_id, milestone=milestone)
        return PaymentIntent(
            booking_id=start.booking_id,
            milestone=start.milestone,
            amount_cents=start.amount_cents,
            payment_intent_id=start.payment_intent_id,
            client_secret=start.client_secret,
            status=start.status,
        )

    @strawberry.mutation(description="Refund part or all of what was paid; transfers are reversed in proportion.")
    async def refund_payment(self, info: Info, booking_id: int, amount_cents: int) -> RefundResult:
        result = await payments.refund(viewer=info.context.viewer, booking_id=booking_id, amount=amount_cents)
        return RefundResult(
            booking_id=result.booking_id,
            requested_cents=result.requested_cents,
            amount_cents=result.amount_cents,
            complete=result.complete,
            error=result.error or None,
            refund_ids=result.refund_ids,
            failed_reversals=result.failed_reversals,
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
