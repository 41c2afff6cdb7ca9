"""The double itself: it refuses what the 2023-08-16 description does not allow and honours idempotency."""

from __future__ import annotations

from typing import Any

import pytest
import stripe

from app.services.payments.stripe_gateway import StripeGateway
from tests.payments.stripe_double import StripeDouble

pytestmark = pytest.mark.pure  # no database


async def test_unknown_and_missing_parameters_are_findings(stripe_gateway: StripeGateway, double: StripeDouble) -> None:
    bad: Any = {"amount": 100, "currency": "usd", "not_a_param": "x"}
    with pytest.raises(stripe.InvalidRequestError):
        await stripe_gateway.client.v1.payment_intents.create_async(bad)
    missing: Any = {"amount": 100}
    with pytest.raises(stripe.InvalidRequestError):
        await stripe_gateway.client.v1.transfers.create_async(missing)
    wrong_type: Any = {"amount": "lots", "currency": "usd"}
    with pytest.raises(stripe.InvalidRequestError):
        await stripe_gateway.client.v1.payment_intents.create_async(wrong_type)
    assert len(double.findings) == 3 and "not_a_param" in double.findings[0]
    assert double.effects == {}
    double.findings.clear()  # seen and expected here; the fixture fails any other test that has findings


async def test_same_key_same_answer_other_parameters_refused(
    stripe_gateway: StripeGateway, double: StripeDouble
) -> None:
    first = await stripe_gateway.create_transfer(
        amount=500, destination="acct_x", transfer_group="g", idempotency_key="k1"
    )
    again = await stripe_gateway.create_transfer(
        amount=500, destination="acct_x", transfer_group="g", idempotency_key="k1"
    )
    assert first == again and double.effects["POST /v1/transfers"] == 1
    with pytest.raises(Exception, match="same parameters"):
        await stripe_gateway.create_transfer(amount=600, destination="acct_x", transfer_group="g", idempotency_key="k1")
    assert double.versions  # the SDK announces its API version; the description is 2023-08-16
