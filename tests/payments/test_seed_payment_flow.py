"""The seed's whole flow through GraphQL on the demo data (quote → accept → sign → deposit → milestone → final → PAID),
read back as the seed records it: one payment_distributions record per payment event, a REFUND record, a dispute
opened by a party and resolved by an admin with a DISPUTE_RESOLUTION record, and reconciliation on the ledger.
Runs on SQLite and, in the PostgreSQL pass, on PostgreSQL."""

from __future__ import annotations

import hashlib
from datetime import date, timedelta
from typing import Any

from app.demo_seed import seed_demo
from app.services.payments.ledger import LedgerGateway
from models import BookingStatusHistory, JobOffer, Organization, ServiceBooking, Vehicle
from models.enums import JobOfferStatus
from tests.helpers import error_codes, gql, login

CONTRACT = """query($id: Int!) { serviceBooking(id: $id) { status contract {
  id facilityId laborUserIds contractType contractStatus totalContractValueCents facilityPaymentCents platformFeeCents
  laborPayments { userId amountCents } termsAndConditions documentHash contractDocumentUrl
  signedByCustomerAt signedByFacilityAt signedByLaborAt { userId signedAt }
  deliverables { item completionCriteria } milestones { name date paymentPct amountCents status }
  paymentDistributions { id paymentType milestone totalAmountCents paymentStatus paymentDueDate paymentCompletedAt
    stripePaymentIntentId reconciled reconciledAt note
    distributions { recipientId recipientType amountCents } stripeTransferIds { recipientId recipientType transferId }
    transfers { amountCents status } }
} } }"""
FAILURE = " ... on Error { __typename code message }"
PAY = (
    "mutation($b: Int!, $m: MilestoneName!) { startPayment(bookingId: $b, milestone: $m)"
    " { ... on PaymentIntent { amountCents paymentDistributionId }" + FAILURE + " } }"
)
MOVE = "mutation($b: Int!, $s: BookingStatus!) { updateBookingStatus(bookingId: $b, status: $s) { status } }"


def _data(result: dict[str, Any]) -> dict[str, Any]:
    assert not error_codes(result), result
    data: dict[str, Any] = result["data"]
    return data


async def _signed_booking() -> tuple[int, str, str, list[str], list[int]]:
    """The demo customer's quote for paint at Viva Las Vegas Autos, accepted, staffed and signed by every party."""
    await seed_demo()
    customer, owner = await login("customer@demo.test"), await login("owner@demo.test")
    viva = await Organization.get(name="Viva Las Vegas Autos")
    buick = await Vehicle.get(make="Buick")
    request = {
        "serviceType": "BODYWORK",
        "organizationId": viva.id,
        "vehicleId": buick.id,
        "requestedStartDate": (date.today() + timedelta(days=3)).isoformat(),
    }
    quote = (
        "mutation($input: QuoteRequestInput!) { requestQuote(input: $input) { ... on ServiceBooking { id }"
        + FAILURE
        + " } }"
    )
    booking_id = _data(await gql(quote, {"input": request}, token=customer))["requestQuote"]["id"]
    accept = "mutation($id: Int!) { acceptQuote(bookingId: $id) { ... on ServiceBooking { contract { id } } } }"
    contract_id = _data(await gql(accept, {"id": booking_id}, token=customer))["acceptQuote"]["contract"]["id"]
    workers, worker_ids = [], []
    for offer in await JobOffer.filter(booking_id=booking_id, status=JobOfferStatus.PENDING).prefetch_related("user"):
        worker = await login(offer.user.email)
        respond = "mutation($id: Int!) { respondToJobOffer(offerId: $id, accept: true) { ... on JobOffer { status } } }"
        _data(await gql(respond, {"id": offer.id}, token=worker))
        onboard = 'mutation { onboardMyPayments(refreshUrl: "https://x.test/r", returnUrl: "https://x.test/ok") }'
        _data(await gql(onboard, token=worker))
        workers.append(worker)
        worker_ids.append(offer.user_id)
    link = (
        'mutation($o: Int!) { onboardOrganizationPayments(organizationId: $o, refreshUrl: "https://x.test/r",'
        ' returnUrl: "https://x.test/ok") }'
    )
    _data(await gql(link, {"o": viva.id}, token=owner))
    for token in (customer, owner, *workers):
        sign = "mutation($c: Int!) { signContract(contractId: $c) { ... on WorkContract { contractStatus } } }"
        _data(await gql(sign, {"c": contract_id}, token=token))
    return booking_id, customer, owner, workers, worker_ids


async def _paid(booking_id: int, customer: str, owner: str) -> None:
    assert _data(await gql(PAY, {"b": booking_id, "m": "DEPOSIT"}, token=customer))["startPayment"]["amountCents"]
    _data(await gql(MOVE, {"b": booking_id, "s": "IN_PROGRESS"}, token=owner))
    _data(await gql(PAY, {"b": booking_id, "m": "MIDPOINT"}, token=customer))
    for status in ("QUALITY_REVIEW", "COMPLETED"):
        _data(await gql(MOVE, {"b": booking_id, "s": status}, token=owner))
    _data(await gql(PAY, {"b": booking_id, "m": "FINAL"}, token=customer))


async def test_the_seed_flow_records_one_payment_event_per_payment(ledger: LedgerGateway) -> None:
    booking_id, customer, owner, workers, worker_ids = await _signed_booking()
    await _paid(booking_id, customer, owner)

    booking = _data(await gql(CONTRACT, {"id": booking_id}, token=customer))["serviceBooking"]
    contract = booking["contract"]
    assert (booking["status"], contract["contractStatus"], contract["contractType"]) == (
        "PAID",
        "COMPLETED",
        "FIXED_PRICE",
    )
    total = contract["totalContractValueCents"]
    labor = sum(p["amountCents"] for p in contract["laborPayments"])
    assert contract["facilityPaymentCents"] + labor + contract["platformFeeCents"] == total
    assert (
        sorted(contract["laborUserIds"]) == sorted(worker_ids) == sorted(p["userId"] for p in contract["laborPayments"])
    )
    # The signed text is stored, and its hash is the document's.
    assert hashlib.sha256(contract["termsAndConditions"].encode()).hexdigest() == contract["documentHash"]
    assert contract["signedByCustomerAt"] and contract["signedByFacilityAt"]
    assert sorted(s["userId"] for s in contract["signedByLaborAt"]) == sorted(worker_ids)
    assert contract["contractDocumentUrl"] == f"/contracts/{contract['id']}/document"
    assert all(d["item"] and d["completionCriteria"] for d in contract["deliverables"])
    assert [(m["name"], m["paymentPct"], m["status"]) for m in contract["milestones"]] == [
        ("DEPOSIT", 30.0, "PAID"),
        ("MIDPOINT", 40.0, "PAID"),
        ("FINAL", 30.0, "PAID"),
    ]

    events = contract["paymentDistributions"]
    assert [(e["paymentType"], e["milestone"], e["paymentStatus"]) for e in events] == [
        ("DEPOSIT", "deposit", "COMPLETED"),
        ("MILESTONE", "midpoint", "COMPLETED"),
        ("FINAL", "final", "COMPLETED"),
    ]
    assert [e["totalAmountCents"] for e in events] == [m["amountCents"] for m in contract["milestones"]]
    assert [e["paymentDueDate"] for e in events] == [m["date"] for m in contract["milestones"]]
    for event in events:
        assert sum(d["amountCents"] for d in event["distributions"]) == event["totalAmountCents"]
        assert sum(t["amountCents"] for t in event["transfers"]) == event["totalAmountCents"]
        assert {d["recipientType"] for d in event["distributions"]} == {"FACILITY", "LABOR", "PLATFORM"}
        # A transfer id per paid recipient (the platform keeps its fee: no transfer).
        paid = {
            (d["recipientType"], d["recipientId"]) for d in event["distributions"] if d["recipientType"] != "PLATFORM"
        }
        assert {(t["recipientType"], t["recipientId"]) for t in event["stripeTransferIds"]} == paid
        assert event["stripePaymentIntentId"] and event["paymentCompletedAt"]
        assert event["reconciled"] is False
    by_recipient: dict[tuple[str, int | None], int] = {}
    for event in events:
        for line in event["distributions"]:
            key = (line["recipientType"], line["recipientId"])
            by_recipient[key] = by_recipient.get(key, 0) + line["amountCents"]
    assert by_recipient[("FACILITY", contract["facilityId"])] == contract["facilityPaymentCents"]
    for payment in contract["laborPayments"]:
        assert by_recipient[("LABOR", payment["userId"])] == payment["amountCents"]

    # A laborer reads only their own lines of each event.
    mine = _data(await gql(CONTRACT, {"id": booking_id}, token=workers[0]))["serviceBooking"]["contract"]
    for event in mine["paymentDistributions"]:
        assert {(d["recipientType"], d["recipientId"]) for d in event["distributions"]} == {("LABOR", worker_ids[0])}
    assert [p["userId"] for p in mine["laborPayments"]] == [worker_ids[0]]
    # The terms as the document route shows them: the customer's email to the customer, the other people's lines not
    # to a laborer (the hash is still that of the complete text).
    assert "customer@demo.test" in contract["termsAndConditions"]
    assert "customer@demo.test" not in mine["termsAndConditions"]
    assert mine["documentHash"] == contract["documentHash"]
    if len(worker_ids) > 1:
        assert len(mine["termsAndConditions"]) < len(contract["termsAndConditions"])

    # Reconciliation runs on the ledger and marks each record with the time.
    refused = await gql("mutation { reconcilePayments { reconciledTransfers } }", token=owner)
    assert error_codes(refused) == ["FORBIDDEN"]
    admin = await login("admin@demo.test")
    reconciled = _data(
        await gql(
            "mutation { reconcilePayments { reconciledTransfers mismatchedTransfers reconciledPaymentDistributions } }",
            token=admin,
        )
    )["reconcilePayments"]
    assert reconciled == {
        "reconciledTransfers": sum(len(e["transfers"]) for e in events),
        "mismatchedTransfers": 0,
        "reconciledPaymentDistributions": 3,
    }
    events = _data(await gql(CONTRACT, {"id": booking_id}, token=customer))["serviceBooking"]["contract"]
    assert all(e["reconciled"] and e["reconciledAt"] for e in events["paymentDistributions"])

    # A refund is its own record: the customer receives it.
    refund = (
        "mutation($b: Int!, $a: Cents!) { refundPayment(bookingId: $b, amountCents: $a)"
        " { amountCents complete paymentDistributionId } }"
    )
    refunded = _data(await gql(refund, {"b": booking_id, "a": 10_000}, token=owner))["refundPayment"]
    assert (refunded["amountCents"], refunded["complete"]) == (10_000, True)
    events = _data(await gql(CONTRACT, {"id": booking_id}, token=customer))["serviceBooking"]["contract"]
    record = events["paymentDistributions"][-1]
    assert (record["id"], record["paymentType"], record["totalAmountCents"], record["paymentStatus"]) == (
        refunded["paymentDistributionId"],
        "REFUND",
        10_000,
        "COMPLETED",
    )
    assert [(d["recipientType"], d["amountCents"]) for d in record["distributions"]] == [("CUSTOMER", 10_000)]


async def test_a_party_disputes_and_an_admin_resolves_with_a_dispute_resolution_record(ledger: LedgerGateway) -> None:
    booking_id, customer, owner, workers, _ = await _signed_booking()
    _data(await gql(PAY, {"b": booking_id, "m": "DEPOSIT"}, token=customer))
    _data(await gql(MOVE, {"b": booking_id, "s": "IN_PROGRESS"}, token=owner))
    deposit = _data(await gql(CONTRACT, {"id": booking_id}, token=customer))["serviceBooking"]["contract"]
    paid = deposit["paymentDistributions"][0]["totalAmountCents"]

    dispute = "mutation($b: Int!, $r: String!) { openDispute(bookingId: $b, reason: $r) { status } }"
    assert error_codes(await gql(dispute, {"b": booking_id, "r": "  "}, token=customer)) == ["BAD_INPUT"]
    opened = _data(await gql(dispute, {"b": booking_id, "r": "The paint runs"}, token=workers[0]))  # assigned labor
    assert opened["openDispute"]["status"] == "DISPUTED"
    state = _data(await gql(CONTRACT, {"id": booking_id}, token=customer))["serviceBooking"]
    assert (state["status"], state["contract"]["contractStatus"]) == ("DISPUTED", "DISPUTED")
    history = await BookingStatusHistory.filter(booking_id=booking_id).order_by("-id").first()
    assert history is not None and (history.to_status, history.reason) == ("disputed", "The paint runs")
    # While disputed nothing more is charged.
    assert error_codes(await gql(PAY, {"b": booking_id, "m": "MIDPOINT"}, token=customer)) == ["INVALID_TRANSITION"]

    resolve = (
        "mutation($b: Int!, $r: Cents!, $n: String!) { resolveDispute(bookingId: $b, refundCents: $r, note: $n)"
        " { resolved refundedCents releasedCents paymentDistributionId bookingStatus } }"
    )
    assert error_codes(await gql(resolve, {"b": booking_id, "r": 1, "n": "x"}, token=owner)) == ["FORBIDDEN"]
    admin = await login("admin@demo.test")
    too_much = await gql(resolve, {"b": booking_id, "r": paid + 1, "n": "x"}, token=admin)
    assert error_codes(too_much) == ["BAD_INPUT"]
    refund = paid // 3
    result = _data(await gql(resolve, {"b": booking_id, "r": refund, "n": "Half the panels redone"}, token=admin))
    assert result["resolveDispute"] == {
        "resolved": True,
        "refundedCents": refund,
        "releasedCents": paid - refund,
        "paymentDistributionId": result["resolveDispute"]["paymentDistributionId"],
        "bookingStatus": "PAID",
    }
    state = _data(await gql(CONTRACT, {"id": booking_id}, token=customer))["serviceBooking"]
    contract = state["contract"]
    assert (state["status"], contract["contractStatus"]) == ("PAID", "COMPLETED")
    assert [m["status"] for m in contract["milestones"]] == ["PAID", "CANCELLED", "CANCELLED"]
    record = contract["paymentDistributions"][-1]
    assert (record["paymentType"], record["totalAmountCents"], record["note"]) == (
        "DISPUTE_RESOLUTION",
        paid,
        "Half the panels redone",
    )
    lines = {(d["recipientType"], d["recipientId"]): d["amountCents"] for d in record["distributions"]}
    assert sum(lines.values()) == paid
    booking = await ServiceBooking.get(id=booking_id)
    assert lines[("CUSTOMER", booking.customer_id)] == refund
    # The rest stays with the parties in proportion to what each held of the deposit (within a cent).
    held = {
        (d["recipientType"], d["recipientId"]): d["amountCents"]
        for d in deposit["paymentDistributions"][0]["distributions"]
    }
    for key, amount in held.items():
        assert abs(lines[key] - amount * (paid - refund) / paid) <= 1
    assert error_codes(await gql(resolve, {"b": booking_id, "r": 0, "n": ""}, token=admin)) == ["INVALID_TRANSITION"]
