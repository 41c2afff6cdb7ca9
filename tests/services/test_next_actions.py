"""nextActions says what the server accepts: for every status and every kind of viewer, each offered
action is accepted by its mutation, and each action that is not offered is refused by it."""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

import pytest

from app.errors import DomainError, ErrorCode, not_found
from app.security import issue_token
from app.services.access import Viewer
from app.services.contracts import create_contract, sign_contract
from app.services.coordination.acceptance import accept_quote
from app.services.coordination.lifecycle import TRANSITIONS, cancel_booking, update_booking_status
from app.services.coordination.plan import breakdown_of, plan_of
from app.services.coordination.quoting import QuoteRequest, price_custom_quote, request_quote
from app.services.next_actions import STATUS_MOVES, BookingAction, next_actions_of
from app.services.payments.ledger import LedgerGateway
from app.services.payments.service import start_payment
from models import JobOffer, OrganizationMember, ServiceBooking, User, WorkContract
from models.enums import BookingStatus, ContractStatus, JobOfferStatus, MemberRole, SkillCategory
from tests.factories import MONDAY, NOW, Shop, make_shop, make_user, quote_values, viewer
from tests.helpers import gql

# The contract a booking in each status has (none before acceptance).
CONTRACT_OF = {
    BookingStatus.QUOTE_ACCEPTED: ContractStatus.PENDING_SIGNATURES,
    BookingStatus.SCHEDULED: ContractStatus.ACTIVE,
    BookingStatus.IN_PROGRESS: ContractStatus.ACTIVE,
    BookingStatus.QUALITY_REVIEW: ContractStatus.ACTIVE,
    BookingStatus.COMPLETED: ContractStatus.ACTIVE,
    BookingStatus.PAID: ContractStatus.COMPLETED,
    BookingStatus.DISPUTED: ContractStatus.DISPUTED,
    BookingStatus.CANCELLED: ContractStatus.TERMINATED,
}
LEDGER = LedgerGateway()  # one gateway for the module, as in a process: its intent ids never repeat
VIEWERS = ("customer", "owner", "staff", "labor", "admin", "stranger")


class World:
    def __init__(self, shop: Shop, template: ServiceBooking, users: dict[str, User]) -> None:
        self.shop, self.template, self.users = shop, template, users

    async def booking_in(self, status: BookingStatus) -> ServiceBooking:
        """A fresh booking with the template's quote, in `status`, with the contract and offer it would have."""
        t = self.template
        booking = await ServiceBooking.create(
            organization_id=t.organization_id,
            customer_id=t.customer_id,
            service_id=t.service_id,
            service_type=t.service_type,
            status=status,
            requested_start_date=t.requested_start_date,
            scheduled_start=t.scheduled_start,
            scheduled_end=t.scheduled_end,
            title=t.title,
            **quote_values(plan_of(t), None if status is BookingStatus.QUOTE_REQUESTED else breakdown_of(t)),
            quote_expires_at=t.quote_expires_at,
        )
        contract_status = CONTRACT_OF.get(status)
        if contract_status is not None:
            await JobOffer.create(
                booking=booking,
                user=self.users["labor"],
                role=SkillCategory.PAINTING,
                hours=8,
                amount_cents=1000,
                status=JobOfferStatus.ACCEPTED,
                expires_at=NOW + timedelta(days=1),
            )
            contract = await create_contract(booking=booking)
            await WorkContract.filter(id=contract.id).update(contract_status=contract_status)
        return booking


async def _world() -> World:
    shop = await make_shop()
    customer = await viewer(shop.customer)
    template = await request_quote(
        viewer=customer, request=QuoteRequest(requested_start_date=MONDAY, service_id=shop.service.id), now=NOW
    )
    staff = await make_user(name="Staff")
    await OrganizationMember.create(organization=shop.org, user=staff, role=MemberRole.STAFF)
    users = {
        "customer": shop.customer,
        "owner": shop.owner,
        "staff": staff,
        "labor": await make_user(name="Labor"),
        "admin": await make_user(name="Admin", admin=True),
        "stranger": await make_user(name="Stranger"),
    }
    return World(shop, template, users)


async def _attempt(action: BookingAction, who: Viewer, booking: ServiceBooking) -> bool:
    """Make the action through its service (what its mutation calls); True if accepted, False if refused."""
    moves: dict[BookingAction, Callable[[], Awaitable[Any]]] = {
        BookingAction.ACCEPT_QUOTE: lambda: accept_quote(viewer=who, booking_id=booking.id, now=NOW),
        BookingAction.PRICE_QUOTE: lambda: price_custom_quote(
            viewer=who, booking_id=booking.id, price_cents=100_000, now=NOW
        ),
        BookingAction.CANCEL: lambda: cancel_booking(viewer=who, booking_id=booking.id, reason="test"),
        BookingAction.SIGN_CONTRACT: lambda: _sign(who, booking),
        BookingAction.PAY: lambda: _pay(who, booking),
    }
    for move, to in STATUS_MOVES.items():
        moves[move] = functools.partial(update_booking_status, viewer=who, booking_id=booking.id, status=to)
    try:
        await moves[action]()
    except DomainError:
        return False
    return True


async def _sign(who: Viewer, booking: ServiceBooking) -> WorkContract:
    contract = await WorkContract.get_or_none(booking_id=booking.id)
    if contract is None:
        raise not_found("Contract", booking.id)  # nothing to sign: the move cannot be made
    return await sign_contract(viewer=who, contract_id=contract.id)


async def _pay(who: Viewer, booking: ServiceBooking) -> bool:
    """True when some milestone can be paid now (the action pays the next payable one)."""
    contract = await WorkContract.get_or_none(booking_id=booking.id)
    names = [m["name"] for m in contract.milestones] if contract else ["deposit"]
    for name in names:
        try:
            await start_payment(viewer=who, booking_id=booking.id, milestone=name, gateway=LEDGER)
        except DomainError:
            continue
        return True
    raise DomainError(ErrorCode.CONFLICT, "No milestone can be paid now")


async def test_every_offered_action_is_accepted_and_every_other_is_refused() -> None:
    world = await _world()
    checked = 0
    for status in BookingStatus:
        for role in VIEWERS:
            who = await viewer(world.users[role])
            booking = await world.booking_in(status)
            offered = await next_actions_of(viewer=who, booking=booking, now=NOW)
            for action in BookingAction:
                accepted = await _attempt(action, who, booking)
                assert accepted == (action in offered), (status, role, action, offered)
                checked += 1
                if accepted:  # the move was made: the next action starts from a fresh booking
                    booking = await world.booking_in(status)
    assert checked == len(BookingStatus) * len(VIEWERS) * len(BookingAction)


async def test_the_dashboard_moves_follow_the_state_machine_and_never_confirm_a_schedule() -> None:
    world = await _world()
    owner = await viewer(world.users["owner"])
    for status in BookingStatus:
        offered = await next_actions_of(viewer=owner, booking=await world.booking_in(status), now=NOW)
        moves = {STATUS_MOVES[a] for a in offered if a in STATUS_MOVES}
        assert moves <= TRANSITIONS[status]
        assert BookingStatus.SCHEDULED not in moves  # scheduling is the system's, once staffed and signed


async def test_next_actions_through_graphql() -> None:
    world = await _world()
    query = "query($id: Int!) { serviceBooking(id: $id) { nextActions } }"
    expected = {"customer": ["ACCEPT_QUOTE", "CANCEL"], "owner": ["CANCEL"], "staff": []}
    for role, actions in expected.items():
        user = world.users[role]
        token, _ = issue_token(user.id, user.token_version)
        result = await gql(query, {"id": world.template.id}, token=token)
        assert not result.get("errors"), result
        assert result["data"]["serviceBooking"]["nextActions"] == actions, role


async def test_an_expired_quote_is_not_offered_for_acceptance() -> None:
    world = await _world()
    customer = await viewer(world.users["customer"])
    booking = await world.booking_in(BookingStatus.QUOTE_READY)
    assert booking.quote_expires_at is not None
    later = booking.quote_expires_at + timedelta(minutes=1)
    offered = await next_actions_of(viewer=customer, booking=booking, now=later)
    assert offered == [BookingAction.CANCEL]
    with pytest.raises(DomainError) as refused:
        await accept_quote(viewer=customer, booking_id=booking.id, now=later)
    assert refused.value.code is ErrorCode.QUOTE_EXPIRED
