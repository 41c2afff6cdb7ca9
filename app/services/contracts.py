"""Work contracts: drawn up when a quote is accepted, signed by every party, then active.

Parties: the customer, the facility (signed by its owner or a manager) and every person holding an
ACCEPTED job offer for the booking at signing time (the offer cascade may replace people before that).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from tortoise.transactions import in_transaction

from app import channels
from app.errors import DomainError, ErrorCode, forbidden, not_found
from app.events import PendingEvents
from app.services import contract_document
from app.services.access import MANAGING_ROLES, Viewer
from app.services.coordination import staffing
from app.services.coordination.plan import breakdown_of, plan_of
from app.services.coordination.scheduling import maybe_schedule
from app.services.coordination.working_hours import local_date, zone
from app.services.money import allocate
from models import JobOffer, Organization, OrganizationService, ServiceBooking, WorkContract
from models.enums import ContractStatus, ContractType, MilestoneName, MilestoneStatus, PartyType, PricingModel

CONTRACT_TYPES = {
    PricingModel.FIXED_PRICE: ContractType.FIXED_PRICE,
    PricingModel.HOURLY_RATE: ContractType.TIME_AND_MATERIALS,
    PricingModel.PERCENTAGE: ContractType.FIXED_PRICE,  # the percentage is fixed into a price when quoted
    PricingModel.TIERED: ContractType.FIXED_PRICE,
    PricingModel.CUSTOM_QUOTE: ContractType.COST_PLUS,  # the facility prices its costs plus its margin
}
DEFAULT_MILESTONES: tuple[tuple[MilestoneName, int], ...] = (
    (MilestoneName.DEPOSIT, 3000),
    (MilestoneName.MIDPOINT, 4000),
    (MilestoneName.FINAL, 3000),
)
FINAL_MILESTONE = DEFAULT_MILESTONES[-1][0].value

# The contract's own state machine; anything else is refused.
TRANSITIONS: dict[ContractStatus, frozenset[ContractStatus]] = {
    ContractStatus.DRAFT: frozenset({ContractStatus.PENDING_SIGNATURES, ContractStatus.TERMINATED}),
    ContractStatus.PENDING_SIGNATURES: frozenset({ContractStatus.ACTIVE, ContractStatus.TERMINATED}),
    ContractStatus.ACTIVE: frozenset({ContractStatus.COMPLETED, ContractStatus.TERMINATED, ContractStatus.DISPUTED}),
    ContractStatus.DISPUTED: frozenset({ContractStatus.ACTIVE, ContractStatus.COMPLETED, ContractStatus.TERMINATED}),
    ContractStatus.COMPLETED: frozenset({ContractStatus.DISPUTED}),  # a paid job disputed afterwards
    ContractStatus.TERMINATED: frozenset(),
}


def move(contract: WorkContract, to: ContractStatus) -> None:
    """Change the status in memory (the caller saves), refusing moves the state machine does not allow."""
    current = ContractStatus(contract.contract_status)
    if to not in TRANSITIONS[current]:
        raise DomainError(
            ErrorCode.INVALID_TRANSITION,
            f"A contract cannot go from {current.value} to {to.value}",
            details={"from": current.value, "to": to.value},
        )
    contract.contract_status = to


def milestone_dates(start: date | None, end: date | None, count: int) -> list[date | None]:
    """When each milestone falls due: the deposit at the start, the final payment at the end, any between evenly
    in between (the facility's local dates; unknown until the work is scheduled)."""
    if start is None or end is None or count == 0:
        return [None] * count
    if count == 1:
        return [end]
    span = (end - start).days
    return [date.fromordinal(start.toordinal() + span * i // (count - 1)) for i in range(count)]


def milestones_for(total_cents: int, start: date | None = None, end: date | None = None) -> list[dict[str, Any]]:
    amounts = allocate(total_cents, [bps for _, bps in DEFAULT_MILESTONES])
    dates = milestone_dates(start, end, len(DEFAULT_MILESTONES))
    return [
        {
            "name": name.value,
            "date": day.isoformat() if day else None,
            "payment_pct": bps / 100,
            "percentage_bps": bps,
            "amount_cents": amount,
            "status": MilestoneStatus.PENDING.value,
        }
        for (name, bps), amount, day in zip(DEFAULT_MILESTONES, amounts, dates, strict=True)
    ]


def _money(cents: int) -> str:
    return f"${cents // 100:,}.{cents % 100:02d}"


async def create_contract(*, booking: ServiceBooking) -> WorkContract:
    """Draw up the contract for an accepted quote. Runs inside the caller's transaction (accept_quote)."""
    breakdown = breakdown_of(booking)
    if booking.organization_id is None or breakdown is None:
        raise DomainError(ErrorCode.CONFLICT, "The booking has no accepted quote to draw a contract from")
    total = breakdown.total_cents
    facility = breakdown.facility_total_cents
    labor = breakdown.labor_fee_cents
    platform = breakdown.platform_fee_cents
    if facility + labor + platform != total:
        raise DomainError(
            ErrorCode.CONFLICT, "The quote's parts do not add up to its total", details=breakdown.columns()
        )

    service = await OrganizationService.get_or_none(id=booking.service_id) if booking.service_id else None
    contract_type = CONTRACT_TYPES[PricingModel(service.pricing_model)] if service else ContractType.COST_PLUS
    name = service.service_name if service else str(booking.service_type).replace("_", " ")
    scope = [f"{name} ({booking.service_type})."]
    if service and service.description:
        scope.append(service.description)
    if booking.customer_notes:
        scope.append(f"Customer notes: {booking.customer_notes}")
    # The dates the parties read are the facility's own days: a 5 pm finish in Las Vegas is not "tomorrow".
    timezones = await Organization.filter(id=booking.organization_id).values_list("timezone", flat=True)
    tz = zone(str(timezones[0]) if timezones else "UTC")
    start = local_date(booking.scheduled_start, tz) if booking.scheduled_start else None
    end = local_date(booking.scheduled_end, tz) if booking.scheduled_end else None
    milestones = milestones_for(total, start, end)
    planned: dict[int, int] = {}
    for line in breakdown.labor:  # who the quote staffed; refreshed from the accepted offers on activation
        if line.user_id is not None:
            planned[line.user_id] = planned.get(line.user_id, 0) + line.amount_cents
    terms = "; ".join(f"{m['name']} {m['percentage_bps'] // 100}% ({_money(m['amount_cents'])})" for m in milestones)

    contract = await WorkContract.create(
        booking=booking,
        customer_id=booking.customer_id,
        facility_id=booking.organization_id,
        labor_user_ids=list(planned),
        labor_payments=[{"user_id": user_id, "amount_cents": amount} for user_id, amount in planned.items()],
        contract_type=contract_type,
        contract_status=ContractStatus.PENDING_SIGNATURES,
        scope_of_work="\n".join(scope),
        deliverables=[
            {"item": f"{name} completed", "completion_criteria": "as described in the scope of work"},
            {"item": "Quality review", "completion_criteria": "the work passes the facility's quality review"},
            {
                "item": "Vehicle returned",
                "completion_criteria": "to the customer, with an itemized record of the work",
            },
        ],
        milestones=milestones,
        payment_terms=(
            f"Payments in US dollars by card through the platform, per milestone: {terms}. Each payment is split"
            " between the facility, the labor and the platform per the split below; the platform transfers the"
            " facility's and each person's share to their connected accounts once the payment succeeds."
        ),
        total_contract_value_cents=total,
        facility_payment_cents=facility,
        labor_amount_cents=labor,
        platform_fee_cents=platform,
        facility_share_bps=breakdown.split.facility_bps,
        labor_share_bps=breakdown.split.labor_bps,
        platform_share_bps=breakdown.split.platform_bps,
        start_date=start,
        end_date=end,
    )
    # The terms text is written once and is what every party signs: its hash is the document's.
    contract.terms_and_conditions = await contract_document.render_text(contract)
    contract.document_hash = contract_document.text_hash(contract.terms_and_conditions)
    contract.contract_document_url = f"/contracts/{contract.id}/document"
    await contract.save(update_fields=["terms_and_conditions", "document_hash", "contract_document_url"])
    return contract


async def labor_parties(booking_id: int) -> list[JobOffer]:
    """The people bound as labor right now: holders of accepted offers."""
    return await staffing.accepted_offers(booking_id).order_by("id")


async def _roles_of(viewer: Viewer, contract: WorkContract, offers: list[JobOffer]) -> list[PartyType]:
    user_id = viewer.user_id
    roles: list[PartyType] = []
    if user_id == contract.customer_id:
        roles.append(PartyType.CUSTOMER)
    # Only a real owner/manager signs for the facility; an admin's override does not make them a party.
    member_role = viewer.member_roles.get(contract.facility_id)
    if member_role is not None and member_role in MANAGING_ROLES:
        roles.append(PartyType.FACILITY)
    if any(o.user_id == user_id for o in offers):
        roles.append(PartyType.LABOR)
    return roles


async def parties_to_sign(viewer: Viewer, contract: WorkContract, offers: list[JobOffer]) -> list[PartyType]:
    """The parties the viewer may still sign for: theirs, not yet signed, while signatures are collected."""
    if ContractStatus(contract.contract_status) != ContractStatus.PENDING_SIGNATURES:
        return []
    return [r for r in await _roles_of(viewer, contract, offers) if not _has_signed(contract, r, viewer.user_id)]


def _has_signed(contract: WorkContract, party: PartyType, user_id: int | None = None) -> bool:
    return any(s["party"] == party.value and (user_id is None or s["user_id"] == user_id) for s in contract.signatures)


async def _all_signed(contract: WorkContract, offers: list[JobOffer], digest: str) -> bool:
    signatures = [s for s in contract.signatures if s.get("document_hash") == digest]
    parties = {(s["party"], s["user_id"]) for s in signatures}
    if not any(p == PartyType.CUSTOMER.value for p, _ in parties):
        return False
    if not any(p == PartyType.FACILITY.value for p, _ in parties):
        return False
    if any((PartyType.LABOR.value, o.user_id) not in parties for o in offers):
        return False
    # Every role of the quote's plan must be staffed by accepted offers before work is bound.
    booking = await ServiceBooking.get(id=contract.booking_id)
    return staffing.staffed(plan_of(booking), offers)


async def sign_contract(*, viewer: Viewer, contract_id: int, party: PartyType | None = None) -> WorkContract:
    """Sign for the parties the viewer is (or only `party`); active once every party has signed."""
    user = viewer.require_user()
    events = PendingEvents()
    async with in_transaction():
        contract = await WorkContract.select_for_update().get_or_none(id=contract_id)
        contract = await viewer.require_sees_booking(contract, kind="Contract", ident=contract_id)
        offers = await labor_parties(contract.booking_id)
        roles = await _roles_of(viewer, contract, offers)
        if not roles:
            raise forbidden("Only the contract's parties may sign it")
        if party is not None:
            if party not in roles:
                raise forbidden(f"You may not sign for the {party.value}")
            roles = [party]
        if ContractStatus(contract.contract_status) != ContractStatus.PENDING_SIGNATURES:
            raise DomainError(
                ErrorCode.INVALID_TRANSITION,
                f"A {contract.contract_status} contract cannot be signed",
                details={"from": str(contract.contract_status)},
            )
        to_sign = [r for r in roles if not _has_signed(contract, r, user.id)]
        if not to_sign:
            raise DomainError(ErrorCode.CONFLICT, "You have already signed this contract")
        digest = await contract_document.current_hash(contract)
        if digest != contract.document_hash or not await contract_document.verify_terms(contract):
            raise DomainError(ErrorCode.CONFLICT, "The contract's terms changed after it was drawn up; not signed")
        now = datetime.now(UTC)
        signed_at = now.isoformat()
        for role in to_sign:
            signature: dict[str, Any] = {
                "party": role.value,
                "user_id": user.id,
                "name": user.full_name,
                "signed_at": signed_at,
                "document_hash": digest,
            }
            if role == PartyType.FACILITY:
                signature["organization_id"] = contract.facility_id
            contract.signatures = [*contract.signatures, signature]
            _record_signature(contract, role, user.id, now)
        activated = await _all_signed(contract, offers, digest)
        if activated:
            move(contract, ContractStatus.ACTIVE)
            _bind_labor(contract, offers)
        await contract.save(
            update_fields=[
                "signatures",
                "signed_by_customer_at",
                "signed_by_facility_at",
                "signed_by_labor_at",
                "labor_user_ids",
                "labor_payments",
                "contract_status",
                "updated_at",
            ]
        )
        payload = {"type": "contract.signed", "bookingId": contract.booking_id, "contractId": contract.id}
        await events.add(channels.booking(contract.booking_id), {**payload, "status": str(contract.contract_status)})
    await events.flush()
    if activated:
        await _after_activation(contract)
    return contract


def _record_signature(contract: WorkContract, party: PartyType, user_id: int, now: datetime) -> None:
    """The seed's signed_by_* columns (the first signature of each party; labor: one per person)."""
    if party == PartyType.CUSTOMER and contract.signed_by_customer_at is None:
        contract.signed_by_customer_at = now
    elif party == PartyType.FACILITY and contract.signed_by_facility_at is None:
        contract.signed_by_facility_at = now
    elif party == PartyType.LABOR and all(s["user_id"] != user_id for s in contract.signed_by_labor_at):
        contract.signed_by_labor_at = [*contract.signed_by_labor_at, {"user_id": user_id, "signed_at": now.isoformat()}]


def _bind_labor(contract: WorkContract, offers: list[JobOffer]) -> None:
    """On activation the labor parties are the accepted offers' holders: the labor share is split between them
    in proportion to their offers (what the payouts then read)."""
    weights: dict[int, int] = {}
    for offer in offers:
        user_id: int = offer.user_id
        weights[user_id] = weights.get(user_id, 0) + int(offer.amount_cents)
    values = list(weights.values()) if any(weights.values()) else [1] * len(weights)
    amounts = allocate(contract.labor_amount_cents, values) if weights else []
    contract.labor_user_ids = list(weights)
    contract.labor_payments = [
        {"user_id": user_id, "amount_cents": amount} for user_id, amount in zip(weights, amounts, strict=True)
    ]


async def _after_activation(contract: WorkContract) -> None:
    await maybe_schedule(booking_id=contract.booking_id)


async def set_status(*, contract_id: int, to: ContractStatus) -> WorkContract:
    """Move a contract through its state machine (completion, termination, dispute) on its own."""
    async with in_transaction():
        contract = await WorkContract.select_for_update().get_or_none(id=contract_id)
        if contract is None:
            raise not_found("Contract", contract_id)
        move(contract, to)
        await contract.save(update_fields=["contract_status", "updated_at"])
    return contract


async def get_contract(*, viewer: Viewer, contract_id: int) -> WorkContract:
    viewer.require_user()
    contract = await WorkContract.get_or_none(id=contract_id)
    contract = await viewer.require_sees_booking(contract, kind="Contract", ident=contract_id)
    return contract


__all__ = ["create_contract", "get_contract", "labor_parties", "move", "set_status", "sign_contract"]
