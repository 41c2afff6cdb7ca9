"""Migration 0011 maps bookings and capacity blocks stored before it: the breakdown JSON to money columns that
add up, the renames, the plan's people and capabilities, titles, and dates in the facility's time zone."""

from __future__ import annotations

import json
import subprocess
import sys
import uuid
from pathlib import Path

import asyncpg
import pytest

from app import db, settings

ROOT = Path(__file__).resolve().parents[2]


def _run(url: str) -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, "-m", "tests.erd.booking_migration", url],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return dict(json.loads(done.stdout))


SPLIT = {"split_bps": {"facility": 2000, "labor": 7000, "platform": 1000}}
PAY_LINE = {"user_id": 2, "name": "Pat", "role": "painting", "hours": "8.00", "amount_cents": 140_000}
UNPRICED = dict.fromkeys(
    ("total_quoted_price_cents", "facility_fee_cents", "labor_fee_cents", "materials_cost_cents", "platform_fee_cents")
)
NOT_STARTED = dict.fromkeys(
    ("calculated_start_date", "calculated_completion_date", "actual_start_date", "actual_completion_date")
)
EXPECTED = {
    "bookings": {
        "1": {
            "title": "Paint exterior — 1987 Buick Grand National",
            "customer_notes": "Hood faded",
            "flexible_timeline": False,
            "total_quoted_price_cents": 200_000,
            "facility_fee_cents": 40_000,
            "labor_fee_cents": 140_000,
            "materials_cost_cents": 0,
            "platform_fee_cents": 20_000,
            "quote_split": {**SPLIT, "labor": [PAY_LINE]},
            "assigned_labor_users": [{"user_id": 2, "role": "painting", "hours": 8.0}],
            "assigned_capabilities": [{"capability_id": 1, "hours": 8.5}],
            # 8 am to 5 pm in Las Vegas on the 7th, though the window ends on the 8th in UTC; so does the work.
            "calculated_start_date": "2030-01-07",
            "calculated_completion_date": "2030-01-07",
            "actual_start_date": "2030-01-07",
            "actual_completion_date": "2030-01-07",
        },
        "2": {
            "title": "Light restoration",
            "customer_notes": "",
            "flexible_timeline": False,
            **UNPRICED,
            "quote_split": {},
            "assigned_labor_users": [],
            "assigned_capabilities": [],
            **NOT_STARTED,
        },
        "3": {
            "title": "Paint exterior",
            "customer_notes": "",
            "flexible_timeline": False,
            "total_quoted_price_cents": 5_000,
            "facility_fee_cents": 5_000,
            "labor_fee_cents": 0,
            "materials_cost_cents": 0,
            "platform_fee_cents": 0,
            "quote_split": {},
            "assigned_labor_users": [],
            "assigned_capabilities": [],
            **NOT_STARTED,
        },
    },
    "blocks": {
        "1": {"resource_id": 1, "date": "2030-01-07", "duration_hours": 10.0, "notes": ""},
        "2": {"resource_id": 2, "date": "2030-01-07", "duration_hours": 8.0, "notes": ""},
        "3": {"resource_id": 1, "date": "2030-01-09", "duration_hours": 9.0, "notes": "maintenance"},
    },
    "history_rows": 1,  # the rebuild dropped the parent table without cascading to its children
    "parts_not_adding_up_refused": True,
    "foreign_resource_id_refused": True,
}


def test_old_bookings_and_blocks_are_mapped_on_sqlite(tmp_path: Path) -> None:
    assert _run(f"sqlite://{tmp_path}/old.sqlite3") == EXPECTED


@pytest.mark.skipif(not db.is_postgres(), reason="runs in the PostgreSQL pass")
async def test_old_bookings_and_blocks_are_mapped_on_postgres() -> None:
    base = settings.DATABASE_URL.rsplit("/", 1)[0]
    name = f"{settings.DATABASE_URL.rsplit('/', 1)[1]}_0011_{uuid.uuid4().hex[:6]}"
    admin = await asyncpg.connect(settings.DATABASE_URL.replace("postgres://", "postgresql://", 1))
    await admin.execute(f'CREATE DATABASE "{name}"')
    try:
        assert _run(f"{base}/{name}") == EXPECTED
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()
