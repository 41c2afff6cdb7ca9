"""Migration 0012 groups the per-recipient payment rows into one event record per payment, points each row at its
record, and gives existing contracts the seed's columns, on SQLite and PostgreSQL alike."""

from __future__ import annotations

import json
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any

import asyncpg
import pytest

from app import db, settings

ROOT = Path(__file__).resolve().parents[2]


def _run(url: str) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, "-m", "tests.payments.forward_0012", url],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return dict(json.loads(done.stdout))


def _check(found: dict[str, Any], *, postgres: bool) -> None:
    contract = found["contract"]
    assert contract["facility_id"] == 1 and contract["contract_status"] == "active"
    assert (contract["total_contract_value_cents"], contract["facility_payment_cents"]) == (200000, 40000)
    assert contract["contract_document_url"] == "/contracts/1/document"
    assert contract["labor_user_ids"] == [2]
    assert contract["labor_payments"] == [{"user_id": 2, "amount_cents": 140000}]
    assert contract["deliverables"] == [{"item": "Paint exterior", "completion_criteria": ""}]
    assert [(m["name"], m["payment_pct"], m["date"]) for m in contract["milestones"]] == [
        ("deposit", 30.0, "2025-12-01"),
        ("midpoint", 40.0, "2025-12-06"),
        ("final", 30.0, "2025-12-11"),
    ]
    assert [s["user_id"] for s in contract["signed_by_labor_at"]] == [2]
    assert contract["customer_signed"] in (1, True)

    deposit, refund = found["events"]
    assert (deposit["payment_type"], deposit["milestone"], deposit["payment_status"]) == (
        "deposit",
        "deposit",
        "completed",
    )
    assert deposit["total_amount_cents"] == 60000 == sum(d["amount_cents"] for d in deposit["distributions"])
    assert [(d["recipient_type"], d["recipient_id"]) for d in deposit["distributions"]] == [
        ("facility", 1),
        ("labor", 2),
        ("platform", None),
    ]
    assert deposit["stripe_payment_intent_id"] == "pi_1"
    assert [t["transfer_id"] for t in deposit["stripe_transfer_ids"]] == ["tr_f", "tr_l"]
    assert str(deposit["payment_due_date"]) == "2025-12-01"
    assert deposit["reconciled"] in (0, False)  # one of its transfers was not reconciled yet
    assert (refund["payment_type"], refund["total_amount_cents"], refund["payment_status"]) == (
        "refund",
        1000,
        "completed",
    )
    assert refund["distributions"] == [{"recipient_id": 1, "recipient_type": "customer", "amount_cents": 1000}]

    assert [(t["id"], t["distribution_id"], t["status"]) for t in found["transfers"]] == [
        (1, deposit["id"], "reconciled"),
        (2, deposit["id"], "completed"),
        (3, deposit["id"], "completed"),
    ]
    assert all(t["held"] in (0, False) for t in found["transfers"])
    assert found["old_status_refused"] is True
    # PostgreSQL checks that a record's distributions add up to its total; on SQLite the services do (and a test).
    assert found["lines_not_adding_up_refused"] is postgres


def test_payment_rows_become_event_records_on_sqlite(tmp_path: Path) -> None:
    _check(_run(f"sqlite://{tmp_path}/old.sqlite3"), postgres=False)


@pytest.mark.skipif(not db.is_postgres(), reason="runs in the PostgreSQL pass")
async def test_payment_rows_become_event_records_on_postgres() -> None:
    base = settings.DATABASE_URL.rsplit("/", 1)[0]
    name = f"{settings.DATABASE_URL.rsplit('/', 1)[1]}_m12_{uuid.uuid4().hex[:6]}"
    admin = await asyncpg.connect(settings.DATABASE_URL.replace("postgres://", "postgresql://", 1))
    await admin.execute(f'CREATE DATABASE "{name}"')
    try:
        _check(_run(f"{base}/{name}"), postgres=True)
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()
