"""The real stripe SDK against the loopback double: the full path, faults, webhooks, refunds, onboarding."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
import pytest
import stripe

from app.errors import DomainError, ErrorCode
from app.services.payments import service
from app.services.payments.onboarding import onboard_organization, onboard_user
from app.services.payments.stripe_gateway import StripeGateway
from app.services.payments.worker import PayoutWorker
from models import Organization, PaymentDistribution, PaymentTransfer, ProcessedWebhookEvent, ServiceBooking
from models.enums import BookingStatus, PaymentStatus, RecipientType, TransferStatus
from tests.factories import make_world
from tests.payments.helpers import active_contract, finish_work, pay, post_event, signed
from tests.payments.stripe_double import StripeDouble

TRANSFERS = "POST /v1/transfers"


def transfers_by_key(double: StripeDouble) -> dict[str, int]:
    counts: dict[str, int] = {}
    for call in double.calls:
        if call.method == "POST" and call.path == "/v1/transfers" and call.status == 200:
            assert call.idempotency_key
            counts[call.idempotency_key] = counts.get(call.idempotency_key, 0) + 1
    return counts


async def test_full_path_on_stripe(
    stripe_gateway: StripeGateway, double: StripeDouble, webhook_client: httpx.AsyncClient
) -> None:
    world = await make_world()
    contract = await active_contract(world)
    await pay(world, "deposit", stripe_gateway, double, webhook_client)
    await pay(world, "midpoint", stripe_gateway, double, webhook_client)
    await finish_work(world.booking.id)
    await pay(world, "final", stripe_gateway, double, webhook_client)

    assert (await ServiceBooking.get(id=world.booking.id)).status == BookingStatus.PAID
    rows = await PaymentTransfer.filter(booking_id=world.booking.id)
    assert {r.status for r in rows} == {TransferStatus.COMPLETED}
    transfers = double.of("transfer")
    assert len(transfers) == 9 and double.effects[TRANSFERS] == 9
    assert {t["transfer_group"] for t in transfers} == {f"booking-{world.booking.id}"}
    assert {i["transfer_group"] for i in double.of("payment_intent")} == {f"booking-{world.booking.id}"}
    paid_to: dict[str, int] = {}
    for t in transfers:
        paid_to[t["destination"]] = paid_to.get(t["destination"], 0) + t["amount"]
    assert paid_to[str(world.organization.stripe_account_id)] == contract.facility_payment_cents
    assert sum(paid_to.values()) == contract.facility_payment_cents + contract.labor_amount_cents
    assert sum(i["amount"] for i in double.of("payment_intent")) == contract.total_contract_value_cents
    assert (await service.reconcile())[:2] == (12, 0)


async def test_second_transfer_fails_then_succeeds_exactly_once(
    stripe_gateway: StripeGateway, double: StripeDouble, webhook_client: httpx.AsyncClient
) -> None:
    world = await make_world()
    await active_contract(world)
    double.fail("POST", "/v1/transfers", "server_error", after=1)
    await pay(world, "deposit", stripe_gateway, double, webhook_client)
    failed = await PaymentTransfer.get(status=TransferStatus.FAILED)
    assert failed.recipient_type == RecipientType.LABOR and failed.attempts == 1 and "503" in failed.last_error
    assert failed.next_attempt_at is not None
    outcome = await PayoutWorker(gateway=stripe_gateway).run_once(failed.next_attempt_at)
    assert outcome == {"completed": 1}
    assert set(transfers_by_key(double).values()) == {1} and len(double.of("transfer")) == 3
    rows = await PaymentTransfer.filter(milestone="deposit")
    assert {r.status for r in rows} == {TransferStatus.COMPLETED}


async def test_a_lost_transfer_response_is_retried_without_paying_twice(
    stripe_gateway: StripeGateway, double: StripeDouble, webhook_client: httpx.AsyncClient
) -> None:
    world = await make_world()
    await active_contract(world)
    double.fail("POST", "/v1/transfers", "lost_response")
    await pay(world, "deposit", stripe_gateway, double, webhook_client)
    failed = await PaymentTransfer.get(status=TransferStatus.FAILED)
    assert failed.next_attempt_at is not None
    await PayoutWorker(gateway=stripe_gateway).run_once(failed.next_attempt_at)
    again = await PaymentTransfer.get(id=failed.id)
    assert again.status == TransferStatus.COMPLETED
    assert [c.replayed for c in double.calls if c.idempotency_key == failed.idempotency_key] == [False, True]
    assert double.effects[TRANSFERS] == 3 and len(double.of("transfer")) == 3


async def test_a_restart_between_charge_and_transfers(stripe_gateway: StripeGateway, double: StripeDouble) -> None:
    world = await make_world()
    await active_contract(world)
    started = await service.start_payment(
        viewer=await world.viewer(world.customer), booking_id=world.booking.id, milestone="deposit"
    )
    await stripe_gateway.client.v1.payment_intents.confirm_async(started.payment_intent_id, {"payment_method": "pm"})
    # The process records the success and "dies" before any transfer.
    await service.handle_payment_succeeded(payment_intent_id=started.payment_intent_id, transfer_now=False)
    assert double.effects.get(TRANSFERS, 0) == 0
    fresh = StripeGateway("sk_test_double", api_base=double.url)  # a new process: nothing in memory
    try:
        outcome = await PayoutWorker(gateway=fresh).run_once(datetime.now(UTC) + timedelta(seconds=1))
    finally:
        await fresh.aclose()
    assert outcome == {"completed": 3}
    assert double.effects[TRANSFERS] == 3
    assert await PaymentTransfer.filter(status=TransferStatus.COMPLETED).count() == 4


async def test_duplicated_and_out_of_order_webhooks(
    stripe_gateway: StripeGateway, double: StripeDouble, webhook_client: httpx.AsyncClient
) -> None:
    world = await make_world()
    await active_contract(world)
    # The intent is created but its answer is lost: the rows exist, without the intent's id.
    double.fail("POST", "/v1/payment_intents", "lost_response")
    with pytest.raises(DomainError) as err:
        await service.start_payment(
            viewer=await world.viewer(world.customer), booking_id=world.booking.id, milestone="deposit"
        )
    assert err.value.code == ErrorCode.PAYMENT_FAILED
    assert await PaymentTransfer.filter(stripe_payment_intent_id=None).count() == 4
    [intent] = double.of("payment_intent")
    confirmed = await stripe_gateway.client.v1.payment_intents.confirm_async(intent["id"], {"payment_method": "pm"})
    succeeded = signed(double, "payment_intent.succeeded", confirmed.to_dict())

    # A transfer event for a payout we have not made yet changes nothing.
    early = signed(
        double, "transfer.created", {**double.fixtures["transfer"], "metadata": {"payment_transfer_id": "1"}}
    )
    assert (await post_event(webhook_client, *early)).status_code == 200
    # The success arrives (found through its metadata), then again (a duplicate).
    assert (await post_event(webhook_client, *succeeded)).status_code == 200
    assert (await post_event(webhook_client, *succeeded)).json() == {"received": True, "duplicate": True}
    assert double.effects[TRANSFERS] == 3
    rows = await PaymentTransfer.filter(booking_id=world.booking.id)
    assert {r.stripe_payment_intent_id for r in rows} == {intent["id"]}
    assert {r.status for r in rows} == {TransferStatus.COMPLETED}
    # Transfer events after the fact, and the customer retrying the (now paid) milestone.
    for transfer in double.of("transfer"):
        assert (await post_event(webhook_client, *signed(double, "transfer.created", transfer))).status_code == 200
    assert await ProcessedWebhookEvent.all().count() == 5
    assert double.effects[TRANSFERS] == 3


async def test_a_success_before_the_payment_rows_is_redelivered(
    stripe_gateway: StripeGateway, double: StripeDouble, webhook_client: httpx.AsyncClient
) -> None:
    world = await make_world()
    await active_contract(world)
    obj = {
        **double.fixtures["payment_intent"],
        "id": "pi_unknown",
        "metadata": {"booking_id": str(world.booking.id), "milestone": "deposit"},
    }
    event = signed(double, "payment_intent.succeeded", obj)
    assert (await post_event(webhook_client, *event)).status_code == 500  # Stripe will deliver it again
    assert await ProcessedWebhookEvent.all().count() == 0


async def test_bad_signatures_are_refused(
    stripe_gateway: StripeGateway, double: StripeDouble, webhook_client: httpx.AsyncClient
) -> None:
    payload, signature = signed(double, "payment_intent.succeeded", {"id": "pi_x"})
    assert (await post_event(webhook_client, payload + b" ", signature)).status_code == 400
    stale = double.event("payment_intent.succeeded", {"id": "pi_x"}, "whsec_test_secret_for_the_double", at=1_000)
    assert (await post_event(webhook_client, *stale)).status_code == 400
    assert await ProcessedWebhookEvent.all().count() == 0


async def test_a_declined_card_pays_no_one(
    stripe_gateway: StripeGateway, double: StripeDouble, webhook_client: httpx.AsyncClient
) -> None:
    world = await make_world()
    await active_contract(world)
    started = await service.start_payment(
        viewer=await world.viewer(world.customer), booking_id=world.booking.id, milestone="deposit"
    )
    double.fail("POST", r"/v1/payment_intents/[^/]+/confirm", "card_declined")
    with pytest.raises(stripe.CardError):
        await stripe_gateway.client.v1.payment_intents.confirm_async(
            started.payment_intent_id, {"payment_method": "pm"}
        )
    intent = double.objects[started.payment_intent_id]
    failed = signed(double, "payment_intent.payment_failed", intent)
    assert (await post_event(webhook_client, *failed)).status_code == 200
    rows = await PaymentTransfer.filter(booking_id=world.booking.id)
    assert {r.status for r in rows} == {TransferStatus.PENDING}
    assert all("declined" in r.last_error for r in rows)
    assert double.effects.get(TRANSFERS, 0) == 0
    record = await PaymentDistribution.get(id=started.distribution_id)
    assert (record.payment_status, record.stripe_payment_intent_id) == (PaymentStatus.FAILED, started.payment_intent_id)
    # Another card works: the same record goes on to completed.
    await stripe_gateway.client.v1.payment_intents.confirm_async(started.payment_intent_id, {"payment_method": "pm"})
    succeeded = signed(double, "payment_intent.succeeded", double.objects[started.payment_intent_id])
    assert (await post_event(webhook_client, *succeeded)).status_code == 200
    assert (await PaymentDistribution.get(id=record.id)).payment_status == PaymentStatus.COMPLETED


async def test_a_refund_after_a_partial_set_of_transfers(
    stripe_gateway: StripeGateway, double: StripeDouble, webhook_client: httpx.AsyncClient
) -> None:
    world = await make_world()
    await active_contract(world)
    double.fail("POST", "/v1/transfers", "server_error", after=1)  # the first person's payout fails
    await pay(world, "deposit", stripe_gateway, double, webhook_client)
    pending = await PaymentTransfer.get(status=TransferStatus.FAILED)

    with pytest.raises(DomainError) as err:
        await service.refund(viewer=await world.viewer(world.customer), booking_id=world.booking.id, amount=100)
    assert err.value.code == ErrorCode.FORBIDDEN
    result = await service.refund(viewer=await world.viewer(world.owner), booking_id=world.booking.id, amount=30_000)
    assert result.failed_reversals == []
    [refund] = double.of("refund")
    assert refund["amount"] == 30_000

    rows = await PaymentTransfer.filter(milestone="deposit").order_by("id")
    assert sum(r.refunded_cents for r in rows) == 30_000
    for row in rows:  # in proportion: each gives back within a cent of half its share
        assert abs(2 * row.refunded_cents - row.amount_cents) <= 2
    assert pending.next_attempt_at is not None
    await PayoutWorker(gateway=stripe_gateway).run_once(pending.next_attempt_at)
    transfers = {t["metadata"]["payment_transfer_id"]: t for t in double.of("transfer")}
    for row in await PaymentTransfer.filter(milestone="deposit"):
        if row.recipient_type == RecipientType.PLATFORM:
            continue
        t = transfers[str(row.id)]
        assert t["amount"] - t["amount_reversed"] == row.amount_cents - row.refunded_cents
    late = transfers[str(pending.id)]
    assert late["amount_reversed"] == 0  # refunded before it was paid out: it simply pays less
    assert len(double.of("transfer_reversal")) == 2
    assert (await service.reconcile())[:2] == (4, 0)


async def test_onboarding_creates_one_account_each(stripe_gateway: StripeGateway, double: StripeDouble) -> None:
    world = await make_world()
    await Organization.filter(id=world.organization.id).update(stripe_account_id=None)
    owner = await world.viewer(world.owner)
    first = await onboard_organization(
        viewer=owner,
        organization_id=world.organization.id,
        refresh_url="https://app.test/r",
        return_url="https://app.test/ok",
    )
    second = await onboard_organization(
        viewer=owner,
        organization_id=world.organization.id,
        refresh_url="https://app.test/r",
        return_url="https://app.test/ok",
    )
    organization = await Organization.get(id=world.organization.id)
    assert organization.stripe_account_id and organization.stripe_account_id in first and first != second
    assert len(double.of("account")) == 1
    link = await onboard_user(viewer=owner, refresh_url="https://app.test/r", return_url="https://app.test/ok")
    assert link.startswith("https://connect.stripe.test/") and len(double.of("account")) == 2
