"""A quote's typed plan and breakdown: their JSON round-trips, and the cascade changes both in one step."""

from __future__ import annotations

from decimal import Decimal

from app.security import issue_token
from app.services.coordination.acceptance import accept_quote
from app.services.coordination.offers import expire_job_offers, respond_to_job_offer
from app.services.coordination.plan import DEFAULT_SPLIT, Breakdown, LaborLine, Plan, Quote
from app.services.coordination.quoting import QuoteRequest, request_quote
from models import JobOffer, ServiceBooking, User
from tests.factories import MONDAY, NOW, Shop, make_shop, viewer
from tests.helpers import gql

BOOKING = """query($id: Int!) { serviceBooking(id: $id) {
  matchedLabor { userId amountCents }
  quoteBreakdown { laborFeeCents labor { userId amountCents } }
} }"""


async def _accepted(shop: Shop) -> ServiceBooking:
    customer = await viewer(shop.customer)
    booking = await request_quote(
        viewer=customer, request=QuoteRequest(requested_start_date=MONDAY, service_id=shop.service.id), now=NOW
    )
    return await accept_quote(viewer=customer, booking_id=booking.id, now=NOW)


async def _shown(booking_id: int, as_user: User) -> dict[str, object]:
    token, _ = issue_token(as_user.id, as_user.token_version)
    result = await gql(BOOKING, {"id": booking_id}, token=token)
    assert not result.get("errors"), result
    shown: dict[str, object] = result["data"]["serviceBooking"]
    return shown


def _people(quote: Quote) -> tuple[list[tuple[int, str, Decimal]], list[tuple[int, str, Decimal]]]:
    planned = sorted((a.user_id, a.role.value, a.hours) for a in quote.plan.assignments())
    priced = sorted(
        (line.user_id, line.role, line.hours) for line in (quote.breakdown.labor if quote.breakdown else ())
    )
    return planned, priced


async def test_a_quotes_plan_and_breakdown_read_back_as_they_were_written() -> None:
    shop = await make_shop(painters=2)
    booking = await _accepted(shop)
    quote = Quote.of(booking)
    assert quote.plan.roles and quote.plan.blocks and quote.plan.days
    assert Plan.from_json(quote.plan.to_json()) == quote.plan
    assert quote.plan.to_json() == booking.plan  # the stored shape is the one written
    assert quote.breakdown is not None
    assert booking.total_quoted_price_cents == quote.breakdown.total_cents  # the columns are the amounts
    assert {k: getattr(booking, k) for k in quote.breakdown.columns()} == quote.breakdown.columns()
    copy = ServiceBooking()
    quote.write_to(copy)
    assert Breakdown.of(copy) == quote.breakdown


def test_a_booking_priced_without_a_split_reads_with_the_default_split() -> None:
    booking = ServiceBooking(
        total_quoted_price_cents=1000,
        facility_fee_cents=200,
        labor_fee_cents=700,
        materials_cost_cents=0,
        platform_fee_cents=100,
        quote_split={"labor": [{"user_id": 3, "name": "On", "role": "painting", "hours": 10, "amount_cents": 700}]},
    )
    breakdown = Breakdown.of(booking)
    assert breakdown is not None
    assert breakdown.service_price_cents == 1000 and breakdown.materials_cents == 0
    assert breakdown.split == DEFAULT_SPLIT
    assert breakdown.labor == (LaborLine(3, "On", "painting", Decimal(10), 700),)
    assert Breakdown.of(ServiceBooking()) is None
    assert Plan.from_json({}).roles == ()


async def test_a_decline_hands_plan_and_breakdown_to_the_next_person_together() -> None:
    shop = await make_shop(painters=2)
    booking = await _accepted(shop)
    first, second = shop.painters
    offer = await JobOffer.get(booking_id=booking.id, user_id=first.id)
    assert _people(Quote.of(booking)) == ([(first.id, "painting", Decimal("8.00"))],) * 2

    await respond_to_job_offer(viewer=await viewer(first), offer_id=offer.id, accept=False)

    quote = Quote.of(await ServiceBooking.get(id=booking.id))
    planned, priced = _people(quote)
    assert planned == priced == [(second.id, "painting", Decimal("8.00"))]
    assert quote.breakdown is not None
    assert sum(line.amount_cents for line in quote.breakdown.labor) == quote.breakdown.labor_fee_cents
    # What the booking shows: the person who declined is gone from both lists, with the same pay.
    shown = await _shown(booking.id, shop.customer)
    expected = [{"userId": second.id, "amountCents": offer.amount_cents}]
    assert shown["matchedLabor"] == expected
    assert shown["quoteBreakdown"] == {"laborFeeCents": offer.amount_cents, "labor": expected}


async def test_an_expiry_with_nobody_left_empties_the_role_in_plan_and_breakdown() -> None:
    shop = await make_shop(painters=1)
    booking = await _accepted(shop)
    offer = await JobOffer.get(booking_id=booking.id)
    await expire_job_offers(now=offer.expires_at)
    quote = Quote.of(await ServiceBooking.get(id=booking.id))
    assert _people(quote) == ([], [])
    shown = await _shown(booking.id, shop.customer)
    assert shown["matchedLabor"] == [] and shown["quoteBreakdown"]["labor"] == []  # type: ignore[index]
