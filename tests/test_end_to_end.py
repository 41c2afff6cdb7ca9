"""The demo booking from request to PAID through GraphQL on the local ledger: quote, acceptance, offers,
three signatures, deposit, work, midpoint and final payment, with every party's transfers recorded."""

from __future__ import annotations

from datetime import date, timedelta

from app.demo_seed import seed_demo
from models import JobOffer, Organization, PaymentTransfer, User, Vehicle
from models.enums import JobOfferStatus
from tests.helpers import error_codes, gql, login

STATUS = "query($id: Int!) { serviceBooking(id: $id) { status contract { id contractStatus } } }"


async def test_demo_booking_goes_from_quote_to_paid_on_the_ledger() -> None:
    await _quote_to_paid()


async def _quote_to_paid() -> None:
    await seed_demo()
    customer = await login("customer@demo.test")
    owner = await login("owner@demo.test")
    viva = await Organization.get(name="Viva Las Vegas Autos")
    buick = await Vehicle.get(make="Buick")
    quote = await gql(
        "mutation($input: QuoteRequestInput!) { requestQuote(input: $input) {"
        " ... on ServiceBooking { id totalQuotedPriceCents }"
        " ... on Error { __typename code message } } }",
        {
            "input": {
                "serviceType": "BODYWORK",
                "organizationId": viva.id,
                "vehicleId": buick.id,
                "requestedStartDate": (date.today() + timedelta(days=3)).isoformat(),
            }
        },
        token=customer,
    )
    booking_id = quote["data"]["requestQuote"]["id"]
    accepted = await gql(
        "mutation($id: Int!) { acceptQuote(bookingId: $id) { ... on ServiceBooking { contract { id } }"
        " ... on Error { __typename code message } } }",
        {"id": booking_id},
        token=customer,
    )
    contract_id = accepted["data"]["acceptQuote"]["contract"]["id"]

    offers = await JobOffer.filter(booking_id=booking_id, status=JobOfferStatus.PENDING).prefetch_related("user")
    workers = []
    for offer in offers:
        worker = await login(offer.user.email)
        answer = await gql(
            "mutation($id: Int!) { respondToJobOffer(offerId: $id, accept: true) { ... on JobOffer { status }"
            " ... on Error { __typename code message } } }",
            {"id": offer.id},
            token=worker,
        )
        assert answer["data"]["respondToJobOffer"]["status"] == "ACCEPTED", answer
        workers.append(worker)

    early = await gql(
        "mutation($b: Int!) { startPayment(bookingId: $b, milestone: DEPOSIT) { ... on PaymentIntent { clientSecret }"
        " ... on Error { __typename code message } } }",
        {"b": booking_id},
        token=customer,
    )
    assert error_codes(early) == ["INVALID_TRANSITION"], "no payment before every party has signed"

    onboard = 'mutation { onboardMyPayments(refreshUrl: "https://x.test/r", returnUrl: "https://x.test/ok") }'
    for token in workers:
        assert (await gql(onboard, token=token))["data"]["onboardMyPayments"].startswith("http")
    link = await gql(
        'mutation($o: Int!) { onboardOrganizationPayments(organizationId: $o, refreshUrl: "https://x.test/r",'
        ' returnUrl: "https://x.test/ok") }',
        {"o": viva.id},
        token=owner,
    )
    assert not link.get("errors"), link

    sign = (
        "mutation($c: Int!) { signContract(contractId: $c) { ... on WorkContract { contractStatus }"
        " ... on Error { __typename code message } } }"
    )
    for token in (customer, owner, *workers):
        signed = await gql(sign, {"c": contract_id}, token=token)
        assert not signed.get("errors"), signed
    twice = await gql(sign, {"c": contract_id}, token=customer)
    assert error_codes(twice), "a party signs once"
    state = (await gql(STATUS, {"id": booking_id}, token=customer))["data"]["serviceBooking"]
    assert state == {"status": "SCHEDULED", "contract": {"id": contract_id, "contractStatus": "ACTIVE"}}

    pay = (
        "mutation($b: Int!, $m: MilestoneName!) { startPayment(bookingId: $b, milestone: $m) {"
        " ... on PaymentIntent { amountCents clientSecret }"
        " ... on Error { __typename code message } } }"
    )
    move = "mutation($b: Int!, $s: BookingStatus!) { updateBookingStatus(bookingId: $b, status: $s) { status } }"
    deposit = await gql(pay, {"b": booking_id, "m": "DEPOSIT"}, token=customer)
    assert deposit["data"]["startPayment"]["amountCents"] == 60_000
    await gql(move, {"b": booking_id, "s": "IN_PROGRESS"}, token=owner)
    midpoint = await gql(pay, {"b": booking_id, "m": "MIDPOINT"}, token=customer)
    assert midpoint["data"]["startPayment"]["amountCents"] == 80_000
    for status in ("QUALITY_REVIEW", "COMPLETED"):
        moved = await gql(move, {"b": booking_id, "s": status}, token=owner)
        assert moved["data"]["updateBookingStatus"]["status"] == status, moved
    final = await gql(pay, {"b": booking_id, "m": "FINAL"}, token=customer)
    assert final["data"]["startPayment"]["amountCents"] == 60_000

    state = (await gql(STATUS, {"id": booking_id}, token=customer))["data"]["serviceBooking"]
    assert state == {"status": "PAID", "contract": {"id": contract_id, "contractStatus": "COMPLETED"}}
    rows = await PaymentTransfer.filter(booking_id=booking_id)
    assert sum(r.amount_cents for r in rows) == 200_000
    by_party: dict[str, int] = {}
    for r in rows:
        by_party[r.recipient_type.value] = by_party.get(r.recipient_type.value, 0) + r.amount_cents
    assert by_party == {"facility": 40_000, "labor": 140_000, "platform": 20_000}
    paid_people = {r.recipient_user_id for r in rows if r.recipient_user_id}
    assert paid_people == {o.user_id for o in offers}
    assert all(r.status.value in ("completed", "reconciled") for r in rows if r.recipient_type.value != "platform")

    painter = await User.get(email="painter@demo.test")
    payouts = await gql("{ viewer { user { payouts { amountCents milestone } } } }", token=await login(painter.email))
    mine = payouts["data"]["viewer"]["user"]["payouts"]
    if painter.id in paid_people:
        assert sum(p["amountCents"] for p in mine) > 0


async def test_completion_counts_for_the_facility_and_the_workers() -> None:
    await _quote_to_paid()
    viva = await Organization.get(name="Viva Las Vegas Autos")
    assert viva.completed_jobs == 1
    worked = await JobOffer.filter(status=JobOfferStatus.ACCEPTED).prefetch_related("user")
    seeded = {
        "painter@demo.test": 212,
        "marcus.body@demo.test": 143,
        "lena.paint@demo.test": 88,
        "omar.body@demo.test": 34,
    }
    for offer in worked:
        assert offer.user.completed_jobs == seeded[offer.user.email] + 1
