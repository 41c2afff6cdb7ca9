"""Pages of the dashboard as a person opens them (a browser context of a given width, the sign-in), and the
API steps the browser tests start from."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from tests.browser.server import Api


def open_page(browser: Any, width: int = 1280) -> Any:
    context = browser.new_context(viewport={"width": width, "height": 900})
    context.set_default_timeout(15_000)
    return context.new_page()


def sign_in(page: Any, base_url: str, email: str) -> None:
    """Signs in with the demo account's one-click button, as a person would."""
    page.goto(f"{base_url}/")
    page.click(f"button[data-email='{email}']")
    page.wait_for_selector("main#main .view")


REQUEST_QUOTE = """mutation($i: QuoteRequestInput!) {
  requestQuote(input: $i) { ... on ServiceBooking { id status scheduledStart organization { id timezone } }
  ... on Error { __typename code message } }
}"""
ACCEPT_QUOTE = (
    "mutation($b: Int!) { acceptQuote(bookingId: $b) { ... on ServiceBooking { id status }"
    " ... on Error { __typename code message } } }"
)
MY_OFFERS = "{ viewer { user { jobOffers { nodes { id status booking { id } } } } } }"
FACILITY_TZ = ZoneInfo("America/Los_Angeles")  # the demo facility's timezone


def facility_today() -> date:
    return datetime.now(FACILITY_TZ).date()


def paint_quote(api: Api, customer: str, owner: str, *, days_ahead: int) -> dict[str, Any]:
    """A paint quote at the owner's facility (Viva Las Vegas Autos), requested through the API."""
    org_id = api.call("{ viewer { organizationIds } }", token=owner)["viewer"]["organizationIds"][0]
    vehicle = api.call("{ viewer { user { vehicles { id } } } }", token=customer)["viewer"]["user"]["vehicles"][0]["id"]
    booking: dict[str, Any] = api.call(
        REQUEST_QUOTE,
        {
            "i": {
                "serviceType": "BODYWORK",
                "organizationId": org_id,
                "vehicleId": vehicle,
                "requestedStartDate": (facility_today() + timedelta(days=days_ahead)).isoformat(),
                "flexibleTimeline": True,
            }
        },
        token=customer,
    )["requestQuote"]
    assert booking["status"] == "QUOTE_READY"
    return booking
