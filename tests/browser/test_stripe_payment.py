"""The customer pays a milestone by card through Stripe's client-secret flow, in the dashboard.

The app runs against the loopback Stripe double (tests/payments/stripe_double.py). Stripe.js itself cannot be
fetched here, so the page gets a stand-in at its address that mounts a form and, on confirm, records the client
secret the dashboard confirmed; the test then does what Stripe does next (confirms the intent and sends the
signed webhook), and the page shows the milestone paid without a reload.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest
import stripe

from tests.browser.pages import ACCEPT_QUOTE, open_page, paint_quote, sign_in, watch_console
from tests.browser.server import Api, AppServer, copy_database, free_port
from tests.payments.helpers import WEBHOOK_SECRET
from tests.payments.stripe_double import StripeDouble

pytestmark = [pytest.mark.browser]

FAKE_STRIPE_JS = """
window.Stripe = function (key) {
  return {
    elements: function (options) {
      return {
        create: function () {
          return {
            mount: function (target) {
              var field = document.createElement("p");
              field.className = "fake-stripe-element";
              field.textContent = "Card 4242 4242 4242 4242 (" + key + ")";
              target.appendChild(field);
            },
            destroy: function () {},
          };
        },
        clientSecret: options.clientSecret,
      };
    },
    confirmPayment: function (options) {
      window.__confirmedSecret = options.elements.clientSecret;
      return Promise.resolve({ paymentIntent: { status: "processing" } });
    },
  };
};
"""

SETUP = """query($id: Int!) { serviceBooking(id: $id) { status contract { id }
  jobOffers { nodes { id status user { email } } } } }"""
RESPOND = "mutation($o: Int!) { respondToJobOffer(offerId: $o, accept: true) { __typename } }"
SIGN = "mutation($c: Int!) { signContract(contractId: $c) { __typename } }"


def scheduled_booking(api: Api) -> int:
    """Setup through the API (the card step is what this test is about): accepted, staffed and signed by all."""
    customer, owner, admin = (api.login(f"{who}@demo.test") for who in ("customer", "owner", "admin"))
    booking_id = int(paint_quote(api, customer, owner, days_ahead=14)["id"])
    api.call(ACCEPT_QUOTE, {"b": booking_id}, token=customer)
    booking = api.call(SETUP, {"id": booking_id}, token=admin)["serviceBooking"]
    contract_id = booking["contract"]["id"]
    for offer in booking["jobOffers"]["nodes"]:
        worker = api.login(offer["user"]["email"])
        api.call(RESPOND, {"o": offer["id"]}, token=worker)
        api.call(SIGN, {"c": contract_id}, token=worker)
    for token in (customer, owner):
        api.call(SIGN, {"c": contract_id}, token=token)
    assert api.call(SETUP, {"id": booking_id}, token=admin)["serviceBooking"]["status"] == "SCHEDULED"
    return booking_id


def test_the_customer_pays_a_milestone_by_card_through_stripe(
    browser: Any, seeded_template: Path, tmp_path: Path, artifacts: Path
) -> None:
    double = StripeDouble().start()
    server = AppServer(
        copy_database(seeded_template, tmp_path / "app.sqlite3"),
        free_port(),
        tmp_path / "app.log",
        env={
            "STRIPE_SECRET_KEY": "sk_test_double",
            "STRIPE_API_BASE": double.url,
            "STRIPE_WEBHOOK_SECRET": WEBHOOK_SECRET,
            "STRIPE_PUBLISHABLE_KEY": "pk_test_double",
        },
    )
    server.start()
    try:
        booking_id = scheduled_booking(Api(server.url))
        page = open_page(browser)
        errors = watch_console(page)
        page.route(
            "https://js.stripe.com/v3/**",
            lambda route: route.fulfill(content_type="application/javascript", body=FAKE_STRIPE_JS),
        )
        sign_in(page, server.url, "customer@demo.test")
        page.goto(f"{server.url}/#/bookings/{booking_id}")
        page.locator("[data-testid=quote-detail][data-status=SCHEDULED]").wait_for()

        page.get_by_role("button", name="Pay deposit").click()
        page.locator("[data-testid=card-element] .fake-stripe-element").wait_for()
        assert "pk_test_double" in page.locator("[data-testid=card-element]").inner_text()
        page.get_by_role("button", name="Confirm payment").click()
        page.locator("[data-testid=card-waiting]").wait_for()
        secret = str(page.evaluate("window.__confirmedSecret"))
        intent_id = secret.split("_secret")[0]
        assert intent_id.startswith("pi_")

        # What Stripe does after the card: the intent succeeds, and a signed webhook tells the server.
        stripe_api = stripe.StripeClient("sk_test_double", base_addresses={"api": double.url})
        intent = stripe_api.v1.payment_intents.confirm(intent_id, {"payment_method": "pm_card_visa"})
        body, signature = double.event("payment_intent.succeeded", intent.to_dict(), WEBHOOK_SECRET)
        answer = httpx.post(
            f"{server.url}/webhooks/stripe", content=body, headers={"Stripe-Signature": signature}, timeout=30
        )
        assert answer.status_code == 200, answer.text

        page.locator("[data-testid=milestone][data-milestone=deposit][data-status=paid]").wait_for(timeout=30_000)
        page.locator("[data-testid=payment-result]").get_by_text("Paid").wait_for()
        page.screenshot(path=str(artifacts / "customer-paid-by-card.png"), full_page=True)
        assert errors == []
        assert double.findings == []
        page.context.close()
    finally:
        server.stop()
        double.stop()
