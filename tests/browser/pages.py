"""Pages of the dashboard as a person opens them (a browser context of a given width, the sign-in), and the
API steps the browser tests start from."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from tests.browser.server import ROOT, Api

# axe-core from the dashboard's own devDependencies (pinned in frontend/package.json), injected into the page.
AXE = ROOT / "frontend" / "node_modules" / "axe-core" / "axe.min.js"
AXE_RUN = """async () => {
  const result = await axe.run(document, { resultTypes: ["violations"] });
  return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 5).map((n) => n.target.join(" ")) }));
}"""


def axe_violations(page: Any) -> list[dict[str, Any]]:
    """What axe-core finds wrong on the page as it is now (an empty list when nothing)."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    found: list[dict[str, Any]] = page.evaluate(AXE_RUN)
    return found


def watch_console(page: Any) -> list[str]:
    """Collects console errors and uncaught exceptions of the page."""
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    return errors


def open_page(browser: Any, width: int = 1280) -> Any:
    context = browser.new_context(viewport={"width": width, "height": 900})
    context.set_default_timeout(15_000)
    return context.new_page()


def sign_in(page: Any, base_url: str, email: str) -> None:
    """Signs in with the demo account's one-click button, as a person would (the form for everyone else)."""
    page.goto(f"{base_url}/")
    button = page.locator(f"button[data-email='{email}']")
    button.or_(page.locator("input[name=email]")).first.wait_for()
    if button.count():
        button.click()
    else:
        page.fill("input[name=email]", email)
        page.fill("input[name=password]", "demo-pass")
        page.get_by_role("button", name="Sign in", exact=True).click()
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
