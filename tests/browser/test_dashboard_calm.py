"""Correct and calm: gauges that survive live updates without console errors, sign-out and role navigation, and
times named in the facility's zone (the wrong-password message is checked in test_dashboard.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.browser.pages import ACCEPT_QUOTE, open_page, paint_quote, sign_in
from tests.browser.server import Api, AppServer

pytestmark = [pytest.mark.browser, pytest.mark.flaky(reruns=1)]  # BROWSER_RETRY: tests/browser/conftest.py


def watch_console(page: Any) -> list[str]:
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    return errors


def test_owner_page_stays_quiet_and_gauges_keep_their_arc_across_live_updates(
    browser: Any, app_server: AppServer, api: Api, artifacts: Path
) -> None:
    customer, owner = api.login("customer@demo.test"), api.login("owner@demo.test")
    page = open_page(browser)
    errors = watch_console(page)
    sign_in(page, app_server.url, "owner@demo.test")
    page.wait_for_selector("[data-testid=live-indicator][data-state=connected]")
    booth = page.locator("[data-testid=gauge]", has=page.get_by_text("Paint Booth", exact=False)).first
    booth.wait_for()
    before = int(booth.locator("[data-testid=gauge-svg]").get_attribute("data-value") or "0")

    for days_ahead in (1, 2, 3):
        booking = paint_quote(api, customer, owner, days_ahead=days_ahead)
        api.call(ACCEPT_QUOTE, {"b": booking["id"]}, token=customer)
        page.wait_for_selector(
            f"[data-testid=booking-card][data-booking-id='{booking['id']}'][data-status=QUOTE_ACCEPTED]"
        )

    page.wait_for_function(
        "before => [...document.querySelectorAll('[data-testid=gauge-svg]')]"
        ".some(g => parseInt(g.dataset.value) > before)",
        arg=before,
    )
    after = int(booth.locator("[data-testid=gauge-svg]").get_attribute("data-value") or "0")
    assert after > before
    arc = booth.locator("[data-testid=gauge-arc]")
    assert arc.get_attribute("stroke-dasharray") == f"{after} 100"  # the arc is drawn, at the new value
    assert page.locator("[data-testid=time-zone]").first.get_attribute("data-time-zone") == "America/Los_Angeles"
    page.screenshot(path=str(artifacts / "owner-gauges-after-live-updates.png"), full_page=True)
    assert errors == []
    page.context.close()


def test_sign_out_resets_the_route_and_each_role_sees_only_its_views(browser: Any, app_server: AppServer) -> None:
    page = open_page(browser)
    errors = watch_console(page)
    sign_in(page, app_server.url, "owner@demo.test")
    page.wait_for_selector("[data-testid=facility-view]")
    assert page.evaluate("location.hash").startswith("#/facility/")

    page.get_by_role("button", name="Sign out").click()
    page.wait_for_selector("button[data-email='painter@demo.test']")
    assert page.evaluate("location.hash") == ""

    page.click("button[data-email='painter@demo.test']")
    page.wait_for_selector("[data-testid=labor-view]")  # the painter's own first view, not the owner's page
    assert page.locator("[data-testid=facility-view]").count() == 0
    tabs = page.locator("nav.tabs a").all_inner_texts()
    assert "Facility" not in tabs and "Metrics" not in tabs

    # A view the role may not open is not rendered either: the address is replaced by the role's own.
    page.evaluate("location.hash = '#/metrics'")
    # Polled from here (page.evaluate runs outside the page's CSP, which forbids evaluating strings in it).
    for _ in range(150):
        if page.evaluate("location.hash") == "#/jobs":
            break
        page.wait_for_timeout(100)
    assert page.evaluate("location.hash") == "#/jobs"
    page.wait_for_selector("[data-testid=labor-view]")
    assert page.locator("[data-testid=admin-view]").count() == 0
    assert errors == []
    page.context.close()


def test_a_service_nobody_offers_is_named_in_the_error(browser: Any, app_server: AppServer, api: Api) -> None:
    # The demo offers all fourteen service types: its one mechanical shop stops offering engine work first.
    owner = api.login("owner2@demo.test")
    found = api.call(
        "{ organizations(filter: {serviceType: MECHANICAL_REPAIR}) { nodes { services { id serviceType } } } }",
        token=owner,
    )
    for node in found["organizations"]["nodes"]:
        for service in node["services"]:
            if service["serviceType"] == "MECHANICAL_REPAIR":
                api.call(
                    "mutation($id: ID!) { deactivateService(id: $id) { isActive } }",
                    {"id": service["id"]},
                    token=owner,
                )
    page = open_page(browser)
    sign_in(page, app_server.url, "customer@demo.test")
    page.select_option("select[name=serviceType]", "MECHANICAL_REPAIR")
    page.get_by_role("button", name="Get a quote").click()
    alert = page.get_by_role("alert")
    alert.wait_for()
    assert alert.inner_text().strip() == "No facility offers mechanical repair."
    page.context.close()
