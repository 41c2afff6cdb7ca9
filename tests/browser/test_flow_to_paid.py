"""The demo booking from quote to PAID with each party acting only in its own view, through its own buttons,
then a dispute; a decline and a cancellation; no console error on any page, no axe-core violation on any view,
and screenshots of each at 1280 and 375 px in test-artifacts/.

The API is only read here, to learn who the server chose (the facility's owner, the people offered the job);
every change is a click in the dashboard of the party it belongs to.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from tests.browser.pages import (
    ACCEPT_QUOTE,
    axe_violations,
    facility_today,
    open_page,
    paint_quote,
    sign_in,
    watch_console,
)
from tests.browser.server import Api, AppServer

pytestmark = [pytest.mark.browser]  # BROWSER_RETRY: tests/browser/conftest.py

WHO = """query($id: Int!) { serviceBooking(id: $id) {
  organization { members { role user { email } } }
  jobOffers { nodes { id status user { email } } }
} }"""


class Party:
    """One person in their own browser context, signed in through the dashboard."""

    def __init__(self, browser: Any, server: AppServer, email: str, artifacts: Path) -> None:
        self.email = email
        self.artifacts = artifacts
        self.page = open_page(browser)
        self.errors = watch_console(self.page)
        sign_in(self.page, server.url, email)

    def look(self, name: str) -> None:
        """The view as it is now: no accessibility violation, screenshots at desktop and phone width."""
        self.page.wait_for_load_state("networkidle")
        violations = axe_violations(self.page)
        assert violations == [], f"{name}: {violations}"
        self.page.screenshot(path=str(self.artifacts / f"{name}-1280.png"), full_page=True)
        self.page.set_viewport_size({"width": 375, "height": 900})
        overflow = self.page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        self.page.screenshot(path=str(self.artifacts / f"{name}-375.png"), full_page=True)
        self.page.set_viewport_size({"width": 1280, "height": 900})
        assert overflow <= 0, f"{name} is wider than 375px by {overflow}px"

    def click(self, name: str | re.Pattern[str]) -> None:
        self.page.get_by_role("button", name=name).first.click()

    def close(self) -> None:
        assert self.errors == [], f"console errors for {self.email}: {self.errors}"
        self.page.context.close()


def request_quote(customer: Party, days_ahead: int, notes: str = "") -> int:
    page = customer.page
    page.goto(page.url.split("#")[0] + "#/bookings")
    page.wait_for_selector("[data-testid=quote-form]")
    page.select_option("select[name=serviceType]", "BODYWORK")
    page.fill("input[name=requestedStartDate]", (facility_today() + timedelta(days=days_ahead)).isoformat())
    if notes:
        page.fill("textarea[name=notes]", notes)
    customer.click("Get a quote")
    detail = page.locator("[data-testid=quote-detail][data-status=QUOTE_READY]")
    detail.wait_for()
    return int(detail.get_attribute("data-booking-id") or "0")


def status_is(party: Party, testid: str, status: str) -> None:
    party.page.locator(f"[data-testid={testid}][data-status={status}]").wait_for()


def who(api: Api, booking_id: int) -> tuple[str, list[tuple[int, str]]]:
    admin = api.login("admin@demo.test")
    data = api.call(WHO, {"id": booking_id}, token=admin)["serviceBooking"]
    owner = next(m["user"]["email"] for m in data["organization"]["members"] if m["role"] == "OWNER")
    offers = [(o["id"], o["user"]["email"]) for o in data["jobOffers"]["nodes"] if o["status"] == "PENDING"]
    return owner, offers


def connect_payouts(party: Party) -> None:
    """The facility and each person connect a payout account in their own view (the ledger creates it at once)."""
    missing = party.page.locator("[data-testid=payouts-missing]")
    missing.or_(party.page.locator("[data-testid=payouts-connected]")).first.wait_for()
    if missing.count():  # (a rerun of this test on the same server finds it connected already)
        missing.get_by_role("button", name="Set up payouts").click()
    party.page.locator("[data-testid=payouts-connected]").wait_for()


def open_booking_as_owner(owner: Party, booking_id: int) -> None:
    owner.page.locator(f"[data-testid=booking-card][data-booking-id='{booking_id}'] [data-testid=booking-open]").click()
    owner.page.locator(f"[data-testid=facility-booking][data-booking-id='{booking_id}']").wait_for()


def test_the_sign_in_view_has_no_accessibility_violation(
    browser: Any, shared_server: AppServer, artifacts: Path
) -> None:
    page = open_page(browser)
    errors = watch_console(page)
    page.goto(f"{shared_server.url}/")
    page.wait_for_selector("input[name=email]")
    assert axe_violations(page) == []
    for width in (1280, 375):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(artifacts / f"sign-in-{width}.png"), full_page=True)
    assert errors == []
    page.context.close()


def test_the_demo_booking_goes_from_quote_to_paid_then_to_a_dispute(
    browser: Any, shared_server: AppServer, artifacts: Path
) -> None:
    api = Api(shared_server.url)
    customer = Party(browser, shared_server, "customer@demo.test", artifacts)
    customer.look("customer-home")

    # Customer: a quote, why the best option is best, accept, read and sign the contract.
    booking_id = request_quote(customer, days_ahead=10, notes="Keep the original pinstripe")
    assert customer.page.locator("[data-testid=why-best]").inner_text().startswith(("Best because", "It is the only"))
    customer.look("customer-quote")
    customer.click("Accept quote")
    status_is(customer, "quote-detail", "QUOTE_ACCEPTED")
    customer.page.locator("[data-testid=contract-terms] summary").click()
    assert customer.page.locator("[data-testid=contract-terms]").inner_text().count("Scope of work") == 1
    customer.click("Sign contract")
    customer.page.get_by_text("You signed").wait_for()
    customer.look("customer-accepted")

    # Labor: each person offered the job accepts it in their list, opens it, and signs.
    owner_email, offers = who(api, booking_id)
    assert offers, "accepting the quote made no job offer"
    workers = []
    for index, (offer_id, email) in enumerate(offers):
        worker = Party(browser, shared_server, email, artifacts)
        connect_payouts(worker)
        card = worker.page.locator(f"[data-testid=job-offer][data-offer-id='{offer_id}']")
        card.wait_for()
        assert "Notes: Keep the original pinstripe" in card.inner_text()
        if index == 0:
            worker.look("labor-offers")
        card.get_by_role("button", name="Accept offer").click()
        job = worker.page.locator(f"[data-testid=assigned-job][data-offer-id='{offer_id}'] [data-testid=job-link]")
        job.click()
        worker.page.locator(f"[data-testid=labor-job][data-booking-id='{booking_id}']").wait_for()
        worker.click("Sign contract")
        worker.page.get_by_text("You signed").wait_for()
        if index == 0:
            worker.look("labor-job")
        workers.append(worker)
    if len(workers) > 1:  # co-workers see one another by name (the first signed before the others accepted)
        workers[0].page.reload()
        workers[0].page.locator("[data-testid=crew] li").nth(len(workers) - 2).wait_for()
        assert workers[0].page.locator("[data-testid=crew] li").count() == len(workers) - 1

    # Facility: the booking page from the board, sign; the server schedules it once everyone has signed.
    owner = Party(browser, shared_server, owner_email, artifacts)
    owner.page.wait_for_selector("[data-testid=facility-view]")
    connect_payouts(owner)
    open_booking_as_owner(owner, booking_id)
    assert owner.page.locator("[data-testid=booking-notes]").inner_text() == "Keep the original pinstripe"
    assert owner.page.locator("[data-testid=offer-row][data-status=ACCEPTED]").count() == len(offers)
    owner.click("Sign contract")
    status_is(owner, "facility-booking", "SCHEDULED")
    owner.look("facility-booking")

    # Customer: the deposit and the midpoint (the status change arrived live).
    status_is(customer, "quote-detail", "SCHEDULED")
    for milestone in ("deposit", "midpoint"):
        customer.click(re.compile(f"^Pay {milestone}"))
        customer.page.locator(f"[data-testid=milestone][data-milestone={milestone}][data-status=paid]").wait_for()

    # Facility: only the moves the server offers, one after the other.
    moves = (("Start work", "IN_PROGRESS"), ("Send to review", "QUALITY_REVIEW"), ("Mark completed", "COMPLETED"))
    for button, status in moves:
        owner.click(button)
        status_is(owner, "facility-booking", status)

    # Customer: the final payment makes it PAID; then a review of each party.
    status_is(customer, "quote-detail", "COMPLETED")
    customer.click(re.compile("^Pay final"))
    status_is(customer, "quote-detail", "PAID")
    forms = customer.page.locator("[data-testid=review-form]")
    forms.first.wait_for()
    subjects = forms.count()
    assert subjects == 1 + len(workers)  # the facility and each person on the job
    for left in range(subjects, 0, -1):
        forms.first.get_by_role("button", name=re.compile("^Review ")).click()
        customer.page.locator("[data-testid=review-done]").nth(subjects - left).wait_for()
    assert customer.page.locator("[data-testid=review-done]").count() == subjects
    customer.look("customer-paid")

    # Labor: payouts per milestone on the job page (three milestones, one payout each).
    workers[0].page.reload()
    workers[0].page.locator("[data-testid=distribution][data-recipient=LABOR]").nth(2).wait_for()
    assert workers[0].page.locator("[data-testid=distribution][data-recipient=FACILITY]").count() == 0
    workers[0].page.goto(workers[0].page.url.split("#")[0] + "#/jobs")
    assert "/calendar/users/" in (workers[0].page.locator("[data-testid=calendar-link]").get_attribute("href") or "")

    # Facility: payments per party on its page.
    owner.page.locator("[data-testid=distribution][data-recipient=FACILITY]").nth(2).wait_for()

    # A dispute, opened by the customer on the paid booking, reaches the facility live.
    customer.click("Open a dispute")
    customer.page.fill("textarea[name=reason]", "The clear coat is peeling on the hood")
    customer.click("Open the dispute")
    status_is(customer, "quote-detail", "DISPUTED")
    status_is(owner, "facility-booking", "DISPUTED")
    owner.page.locator("[data-testid=history]").get_by_text("The clear coat is peeling on the hood").wait_for()

    for party in (customer, owner, *workers):
        party.close()


def test_a_quote_is_declined_and_a_booking_cancelled_by_the_facility(
    browser: Any, shared_server: AppServer, artifacts: Path
) -> None:
    api = Api(shared_server.url)
    admin = Party(browser, shared_server, "admin@demo.test", artifacts)
    conversion = admin.page.locator("[data-testid=metric][data-key=conversion]")
    conversion.wait_for()
    quotes_before = float(conversion.get_attribute("data-denominator") or "0")
    customer = Party(browser, shared_server, "customer@demo.test", artifacts)

    declined = request_quote(customer, days_ahead=20)
    customer.click("Decline quote")
    customer.page.fill("textarea[name=reason]", "Too far from home")
    customer.click("Decline the quote")
    status_is(customer, "quote-detail", "CANCELLED")
    assert "Too far from home" in customer.page.locator("[data-testid=closed-note]").inner_text()

    booking_id = request_quote(customer, days_ahead=20)
    assert booking_id != declined
    customer.click("Accept quote")
    status_is(customer, "quote-detail", "QUOTE_ACCEPTED")
    owner_email, offers = who(api, booking_id)

    owner = Party(browser, shared_server, owner_email, artifacts)
    owner.page.wait_for_selector("[data-testid=facility-view]")
    owner.look("facility-home")
    open_booking_as_owner(owner, booking_id)
    owner.click("Cancel booking")
    owner.page.fill("textarea[name=reason]", "The paint booth needs repairs")
    owner.click("Cancel the booking")
    status_is(owner, "facility-booking", "CANCELLED")

    # The customer sees it live with the reason; the person offered the job sees the offer withdrawn.
    status_is(customer, "quote-detail", "CANCELLED")
    assert "The paint booth needs repairs" in customer.page.locator("[data-testid=closed-note]").inner_text()
    worker = Party(browser, shared_server, offers[0][1], artifacts)
    worker.page.wait_for_selector("[data-testid=labor-view]")
    assert worker.page.locator(f"[data-testid=job-offer][data-offer-id='{offers[0][0]}']").count() == 0

    # The operator's numbers moved live (two more quotes), and open onto the bookings behind them.
    admin.page.wait_for_function(
        "([sel, n]) => parseFloat(document.querySelector(sel)?.dataset.denominator) >= n",
        arg=["[data-testid=metric][data-key=conversion]", quotes_before + 2],
    )
    conversion.get_by_role("button", name=re.compile("^See the")).click()
    drilled = admin.page.locator(f"[data-testid=drill-booking][data-booking-id='{booking_id}']")
    drilled.wait_for()
    admin.look("admin-metrics")
    drilled.click()
    admin.page.locator(f"[data-testid=facility-booking][data-booking-id='{booking_id}']").wait_for()
    for party in (customer, owner, worker, admin):
        party.close()


def test_the_owner_plans_opens_what_is_behind_a_day_and_adds_a_maintenance_block(
    browser: Any, shared_server: AppServer, artifacts: Path
) -> None:
    api = Api(shared_server.url)
    customer, owner_token = api.login("customer@demo.test"), api.login("owner@demo.test")
    booking = paint_quote(api, customer, owner_token, days_ahead=40)  # setup only: the planning view is the subject
    api.call(ACCEPT_QUOTE, {"b": booking["id"]}, token=customer)
    tz = ZoneInfo(booking["organization"]["timezone"])
    day = datetime.fromisoformat(booking["scheduledStart"]).astimezone(tz).date()

    owner = Party(browser, shared_server, "owner@demo.test", artifacts)
    owner.page.get_by_role("link", name="Planning", exact=True).click()
    owner.page.wait_for_selector("[data-testid=planning-view]")
    owner.page.fill("input[name=planDate]", day.isoformat())
    booth = f"[data-testid=heat-cell][data-capability-type=PAINT_BOOTH][data-date='{day.isoformat()}']"
    owner.page.locator(f"{booth} [data-testid=heat-open]").click()
    behind = owner.page.locator("[data-testid=behind-item][data-kind=booking]")
    behind.first.wait_for()
    assert f"Booking #{booking['id']}" in behind.first.inner_text()

    # By keyboard: the arrow moves to the next day, Enter opens it.
    owner.page.keyboard.press("ArrowRight")
    focused = owner.page.evaluate("document.activeElement.closest('[data-cell]').dataset.date")
    assert focused == (day + timedelta(days=1)).isoformat()
    owner.page.keyboard.press("Enter")
    next_day = f"[data-testid=heat-cell][data-capability-type=PAINT_BOOTH][data-date='{focused}']"
    owner.page.locator(f"{next_day} [data-testid=heat-open][aria-pressed=true]").wait_for()

    # A maintenance block over a whole day later on: it shows as maintenance, not as a closed day.
    free = day + timedelta(days=7)
    booth_id = owner.page.locator(booth).get_attribute("data-capability-id") or ""
    owner.page.select_option("select[name=capabilityId]", value=booth_id)
    owner.page.fill("input[name=blockDate]", free.isoformat())
    owner.page.fill("input[name=blockStart]", "00:00")
    owner.page.fill("input[name=blockEndDate]", (free + timedelta(days=1)).isoformat())
    owner.page.fill("input[name=blockEnd]", "00:00")
    owner.page.fill("input[name=blockReason]", "Booth filter change")
    owner.click("Add maintenance block")
    owner.page.locator("[data-testid=block-done]").wait_for()
    blocked = f"[data-testid=heat-cell][data-capability-type=PAINT_BOOTH][data-date='{free.isoformat()}']"
    cell = owner.page.locator(blocked)
    is_maintenance = "sel => document.querySelector(sel)?.classList.contains('level-maintenance')"
    owner.page.wait_for_function(is_maintenance, arg=blocked)
    assert "maintenance" in (cell.get_attribute("title") or "")
    cell.locator("[data-testid=heat-open]").click()
    assert "Booth filter change" in owner.page.locator("[data-testid=behind-item][data-kind=block]").first.inner_text()

    # A second block over the first is refused, in words.
    owner.page.fill("input[name=blockReason]", "Again")
    owner.click("Add maintenance block")
    refusal = owner.page.locator("[data-testid=block-form] [role=alert]")
    refusal.wait_for()
    assert refusal.inner_text().startswith("Not enough of it is free then")

    owner.page.get_by_role("button", name="Week").click()
    owner.page.wait_for_selector("[data-testid=week-timeline]")
    owner.look("facility-planning")
    owner.close()


def test_a_facility_prices_a_custom_quote_in_its_view(browser: Any, shared_server: AppServer, artifacts: Path) -> None:
    api = Api(shared_server.url)
    customer = Party(browser, shared_server, "customer@demo.test", artifacts)
    page = customer.page
    page.wait_for_selector("[data-testid=quote-form]")
    page.select_option("select[name=serviceType]", "FABRICATION")
    page.fill("input[name=requestedStartDate]", (facility_today() + timedelta(days=30)).isoformat())
    customer.click("Get a quote")
    detail = page.locator("[data-testid=quote-detail][data-status=QUOTE_REQUESTED]")
    detail.wait_for()
    page.locator("[data-testid=awaiting-price]").wait_for()
    booking_id = int(detail.get_attribute("data-booking-id") or "0")

    owner = Party(browser, shared_server, who(api, booking_id)[0], artifacts)
    owner.page.wait_for_selector("[data-testid=facility-view]")
    open_booking_as_owner(owner, booking_id)
    owner.click("Price this quote")
    owner.page.fill("input[name=priceDollars]", "1500")
    owner.page.fill("input[name=materialsDollars]", "200")
    owner.click("Send quote")
    status_is(owner, "facility-booking", "QUOTE_READY")

    status_is(customer, "quote-detail", "QUOTE_READY")  # live, no reload
    # The price and materials the owner typed, and the reserved equipment at its cost (cost-plus work).
    priced = api.call(
        "query($id: Int!) { serviceBooking(id: $id) { quoteBreakdown { totalCents equipmentCents materialsCents } } }",
        {"id": booking_id},
        token=api.login("customer@demo.test"),
    )["serviceBooking"]["quoteBreakdown"]
    assert priced["totalCents"] == 170_000 + priced["equipmentCents"] and priced["materialsCents"] == 20_000
    assert page.locator("[data-testid=quote-total]").inner_text() == f"${priced['totalCents'] / 100:,.2f}"
    for party in (customer, owner):
        party.close()
