"""The small API additions the dashboard needs so each party finishes its job in its own view."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from app import settings
from app.security import issue_token
from app.services.payments import factory
from app.services.payments.factory import publishable_key
from app.services.payments.ledger import LedgerGateway
from models import JobOffer, ServiceBooking, User
from models.enums import BookingStatus, JobOfferStatus, SkillCategory
from tests.factories import make_booking, make_org, make_user, make_world
from tests.helpers import count_queries, gql
from tests.payments.helpers import active_contract


def token(user: User) -> str:
    return issue_token(user.id, user.token_version)[0]


CREW = """query($id: Int!) { serviceBooking(id: $id) {
  crew { role user { id fullName } }
  quoteBreakdown { labor { userId } }
} }"""


async def test_a_laborer_sees_the_crew_by_name_and_role_but_only_their_own_pay() -> None:
    world = await make_world(labor_count=2)
    declined = await make_user("Dee Clined", at=None)
    await JobOffer.create(
        booking=world.booking,
        user=declined,
        role=SkillCategory.PAINTING,
        hours=8,
        amount_cents=100,
        status=JobOfferStatus.DECLINED,
        expires_at=datetime.now(UTC),
    )
    first, second = world.labor

    seen = (await gql(CREW, {"id": world.booking.id}, token=token(first)))["data"]["serviceBooking"]
    crew = {(m["role"], m["user"]["id"]) for m in seen["crew"]}
    # Accepted people only (the declined painter is not on the job), co-workers included.
    assert crew == {("PAINTING", first.id), ("WELDING", second.id)}
    assert [line["userId"] for line in seen["quoteBreakdown"]["labor"]] == [first.id]

    customer = (await gql(CREW, {"id": world.booking.id}, token=token(world.customer)))["data"]["serviceBooking"]
    assert {m["user"]["fullName"] for m in customer["crew"]} == {first.full_name, second.full_name}


async def test_a_stranger_sees_no_crew() -> None:
    world = await make_world(labor_count=1)
    stranger = await make_user("Stran Ger", at=None)
    result = await gql(CREW, {"id": world.booking.id}, token=token(stranger))
    assert result["data"] is None
    assert result["errors"][0]["extensions"]["code"] == "NOT_FOUND"


CREW_PAGE = "{ serviceBookings(first: 50) { nodes { id crew { role user { fullName } } } } }"


async def test_the_crew_of_many_bookings_costs_the_same_statements_as_of_one() -> None:
    customer = await make_user("Carla Crew", at=None)
    org = await make_org(name="Crew Shop", at=None)

    async def booking_with_crew() -> None:
        booking = await make_booking(org, customer, status=BookingStatus.SCHEDULED)
        for role in (SkillCategory.PAINTING, SkillCategory.WELDING):
            await JobOffer.create(
                booking=booking,
                user=await make_user(at=None),
                role=role,
                hours=8,
                amount_cents=100,
                status=JobOfferStatus.ACCEPTED,
                expires_at=datetime.now(UTC),
            )

    async def statements() -> int:
        with count_queries() as sql:
            result = await gql(CREW_PAGE, token=token(customer))
        assert all(len(n["crew"]) == 2 for n in result["data"]["serviceBookings"]["nodes"])
        return len(sql)

    await booking_with_crew()
    one = await statements()
    for _ in range(5):
        await booking_with_crew()
    assert await statements() == one


DISPUTE = """mutation($b: Int!, $r: String!) {
  updateBookingStatus(bookingId: $b, status: DISPUTED, reason: $r) {
    status statusHistory { nodes { toStatus reason } } }
}"""


async def test_a_dispute_keeps_what_went_wrong_in_the_history() -> None:
    world = await make_world(labor_count=1)
    await ServiceBooking.filter(id=world.booking.id).update(status=BookingStatus.IN_PROGRESS)
    too_long = await gql(DISPUTE, {"b": world.booking.id, "r": "x" * 2001}, token=token(world.customer))
    assert too_long["errors"][0]["extensions"]["field"] == "reason"
    result = await gql(DISPUTE, {"b": world.booking.id, "r": "The hood is scratched"}, token=token(world.customer))
    booking = result["data"]["updateBookingStatus"]
    assert booking["status"] == "DISPUTED"
    assert booking["statusHistory"]["nodes"][-1] == {"toStatus": "DISPUTED", "reason": "The hood is scratched"}


PAY = """mutation($b: Int!) { startPayment(bookingId: $b, milestone: DEPOSIT) {
  ... on PaymentIntent { status publishableKey } } }"""


async def test_the_card_key_comes_with_a_stripe_intent_and_never_with_the_ledger(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(factory, "_gateway", LedgerGateway())  # the process's gateway, restored afterwards
    world = await make_world(labor_count=1)
    await active_contract(world)
    # Even with a publishable key set, the ledger charges at once: no card, no key.
    monkeypatch.setattr(settings, "STRIPE_PUBLISHABLE_KEY", "pk_test_x")
    intent = (await gql(PAY, {"b": world.booking.id}, token=token(world.customer)))["data"]["startPayment"]
    assert intent == {"status": "succeeded", "publishableKey": None}
    monkeypatch.setattr(settings, "STRIPE_SECRET_KEY", "sk_test_x")
    assert publishable_key() == "pk_test_x"
