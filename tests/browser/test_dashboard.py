"""The dashboard in a real browser against a real app process: live updates, the three role flows, layout."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from tests.browser.pages import ACCEPT_QUOTE, MY_OFFERS, facility_today, open_page, paint_quote, sign_in
from tests.browser.server import Api, AppServer

pytestmark = [pytest.mark.browser, pytest.mark.flaky(reruns=1)]  # BROWSER_RETRY: tests/browser/conftest.py


def test_owner_heat_map_changes_live_when_a_quote_is_accepted(
    browser: Any, app_server: AppServer, api: Api, artifacts: Path
) -> None:
    customer, owner = api.login("customer@demo.test"), api.login("owner@demo.test")
    page = open_page(browser)
    sign_in(page, app_server.url, "owner@demo.test")
    page.wait_for_selector("[data-testid=live-indicator][data-state=connected]")
    page.wait_for_selector("[data-testid=heat-cell][data-capability-type=PAINT_BOOTH]")

    booking = paint_quote(api, customer, owner, days_ahead=1)
    tz = ZoneInfo(booking["organization"]["timezone"])
    day = datetime.fromisoformat(booking["scheduledStart"]).astimezone(tz).date().isoformat()
    selector = f"[data-testid=heat-cell][data-capability-type=PAINT_BOOTH][data-date='{day}']"
    before = float(page.get_attribute(selector, "data-utilization") or "0")

    api.call(ACCEPT_QUOTE, {"b": booking["id"]}, token=customer)

    # No reload: the capacityChanged event makes the page re-read utilization.
    page.wait_for_function(
        "([sel, before]) => { const el = document.querySelector(sel); "
        "return !!el && parseFloat(el.dataset.utilization) > before; }",
        arg=[selector, before],
    )
    after = float(page.get_attribute(selector, "data-utilization") or "0")
    assert after > before
    card = f"[data-testid=booking-card][data-booking-id='{booking['id']}'][data-status=QUOTE_ACCEPTED]"
    page.wait_for_selector(card)
    # Scheduling is the server's own step (staffed and signed): the card offers no move the server would refuse.
    assert page.locator(card).get_by_role("button").count() == 0
    page.screenshot(path=str(artifacts / "owner-live-heat-map.png"), full_page=True)
    page.context.close()


def test_laborer_sees_an_offer_arrive_and_accepts_it(
    browser: Any, app_server: AppServer, api: Api, artifacts: Path
) -> None:
    customer, owner, painter = (api.login(f"{who}@demo.test") for who in ("customer", "owner", "painter"))
    page = open_page(browser)
    sign_in(page, app_server.url, "painter@demo.test")
    page.wait_for_selector("[data-testid=labor-view]")
    page.wait_for_selector("[data-testid=live-indicator][data-state=connected]")

    booking = paint_quote(api, customer, owner, days_ahead=8)
    api.call(ACCEPT_QUOTE, {"b": booking["id"]}, token=customer)
    offers = api.call(MY_OFFERS, token=painter)["viewer"]["user"]["jobOffers"]["nodes"]
    mine = [o for o in offers if o["booking"] and o["booking"]["id"] == booking["id"] and o["status"] == "PENDING"]
    assert mine, f"the demo painter got no offer for booking {booking['id']}: {offers}"
    offer_id = mine[0]["id"]

    card = page.locator(f"[data-testid=job-offer][data-offer-id='{offer_id}']")
    card.wait_for()  # arrived live, without a reload
    page.screenshot(path=str(artifacts / "labor-offer-arrived.png"), full_page=True)
    card.get_by_role("button", name="Accept offer").click()
    page.wait_for_selector(f"[data-testid=assigned-job][data-offer-id='{offer_id}']")

    statuses = {
        o["id"]: o["status"] for o in api.call(MY_OFFERS, token=painter)["viewer"]["user"]["jobOffers"]["nodes"]
    }
    assert statuses[offer_id] == "ACCEPTED"
    page.screenshot(path=str(artifacts / "labor-offer-accepted.png"), full_page=True)
    page.context.close()


def test_customer_requests_compares_accepts_and_signs(
    browser: Any, app_server: AppServer, api: Api, artifacts: Path
) -> None:
    page = open_page(browser)
    sign_in(page, app_server.url, "customer@demo.test")
    page.select_option("select[name=serviceType]", "BODYWORK")
    page.fill("input[name=requestedStartDate]", (facility_today() + timedelta(days=3)).isoformat())
    page.get_by_role("button", name="Get a quote").click()

    detail = page.locator("[data-testid=quote-detail][data-status=QUOTE_READY]")
    detail.wait_for()
    assert page.locator("[data-testid=quote-total]").inner_text().startswith("$")
    assert page.locator("[data-testid=option-best]").count() == 1
    page.screenshot(path=str(artifacts / "customer-quote.png"), full_page=True)
    booking_id = int(detail.get_attribute("data-booking-id") or "0")

    page.get_by_role("button", name="Accept quote").click()
    page.locator("[data-testid=quote-detail][data-status=QUOTE_ACCEPTED]").wait_for()
    page.get_by_role("button", name="Sign contract").click()
    page.get_by_text("You signed").wait_for()

    customer = api.login("customer@demo.test")
    booking = api.call(
        "query($id: Int!) { serviceBooking(id: $id) { status contract { signatures { party } } } }",
        {"id": booking_id},
        token=customer,
    )["serviceBooking"]
    assert booking["status"] in {"QUOTE_ACCEPTED", "SCHEDULED"}
    assert "customer" in {s["party"].lower() for s in booking["contract"]["signatures"]}
    page.screenshot(path=str(artifacts / "customer-accepted.png"), full_page=True)
    page.context.close()


def test_lost_connection_is_shown_and_recovered(browser: Any, app_server: AppServer, api: Api, artifacts: Path) -> None:
    page = open_page(browser)
    sign_in(page, app_server.url, "owner@demo.test")
    page.wait_for_selector("[data-testid=live-indicator][data-state=connected]")

    app_server.stop()
    page.wait_for_selector("[data-testid=connection-lost]")
    page.screenshot(path=str(artifacts / "connection-lost.png"))
    app_server.start()  # same port and database
    page.wait_for_selector("[data-testid=connection-lost]", state="detached", timeout=30_000)
    page.wait_for_selector("[data-testid=live-indicator][data-state=connected]")

    # Subscriptions are back: a booking made now shows up on the board without a reload.
    customer, owner = api.login("customer@demo.test"), api.login("owner@demo.test")
    booking = paint_quote(api, customer, owner, days_ahead=2)
    page.wait_for_selector(f"[data-testid=booking-card][data-booking-id='{booking['id']}']")
    page.context.close()


def test_wrong_password_is_explained(browser: Any, app_server: AppServer) -> None:
    page = open_page(browser)
    page.goto(f"{app_server.url}/")
    page.fill("input[name=email]", "owner@demo.test")
    page.fill("input[name=password]", "not-the-password")
    page.get_by_role("button", name="Sign in", exact=True).click()
    alert = page.get_by_role("alert")
    alert.wait_for()
    assert alert.inner_text().strip() == "Email or password is incorrect."
    assert page.locator("main#main .view").count() == 0
    page.context.close()


VIEWS = [
    ("owner@demo.test", "facility-view"),
    ("painter@demo.test", "labor-view"),
    ("customer@demo.test", "customer-view"),
    ("admin@demo.test", "admin-view"),
]


@pytest.mark.parametrize("width", [1280, 375])
def test_each_role_view_fits_the_screen(browser: Any, app_server: AppServer, artifacts: Path, width: int) -> None:
    for email, view in VIEWS:
        page = open_page(browser, width)
        sign_in(page, app_server.url, email)
        page.wait_for_selector(f"[data-testid={view}]")
        page.wait_for_load_state("networkidle")
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{view} is wider than {width}px by {overflow}px"
        page.screenshot(path=str(artifacts / f"{view}-{width}.png"), full_page=True)
        page.context.close()
