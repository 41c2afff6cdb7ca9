"""Migration 0008 gives every row a UUID key derived from its old id, and every reference (foreign keys, ids inside
JSON documents, pending events) follows it, on SQLite and PostgreSQL."""

from __future__ import annotations

import importlib
import json
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any

import asyncpg
import pytest

from app import db, settings
from tests.erd.uuid_migration import ROWS

ROOT = Path(__file__).resolve().parents[2]
MIGRATION = importlib.import_module("migrations.0008_uuid_keys")


def _run(url: str) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, "-m", "tests.erd.uuid_migration", url],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return dict(json.loads(done.stdout))


def new(table: str, old: int) -> str:
    return str(MIGRATION.legacy_uuid(table, old))


def _document(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


def _check(migrated: dict[str, Any]) -> None:
    rows = migrated["rows"]
    for table, old in ROWS:
        if table == "event_outbox":
            continue
        by_id = {row["id"]: row for row in rows[table]}
        row = by_id[new(table, old["id"])]  # the key is uuid3 of the table and the old id
        for column, target in MIGRATION.TABLES[table].items():
            expected = None if old.get(column) is None else new(target, old[column])
            assert row[column] == expected, (table, column)
    booking = rows["service_bookings"][0]
    plan = _document(booking["plan"])
    assert plan["organization_id"] == new("businesses", 5)
    assert plan["service_id"] == new("organization_services", 3)
    assert plan["roles"][0]["assignments"][0]["user_id"] == new("users", 2)
    assert plan["roles"][0]["assignments"][0]["rank"] == 1  # not an id: untouched
    assert plan["capabilities"][0]["capability_id"] == new("organization_capabilities", 4)
    assert _document(booking["staffing_changes"])[0]["user_id"] == new("users", 2)
    signatures = _document(rows["work_contracts"][0]["signatures"])
    assert [s["user_id"] for s in signatures] == [new("users", 1)] * 2
    assert signatures[1]["organization_id"] == new("businesses", 5)
    assert rows["reviews"][0]["subject_key"] == f"user-{new('users', 2)}"
    event = rows["event_outbox"][0]
    assert event["id"] == 1  # the outbox keeps its ordered integer key
    assert event["channel"] == f"booking.{new('service_bookings', 7)}"
    assert json.loads(event["payload"]) == {"type": "x", "bookingId": new("service_bookings", 7)}
    assert migrated["joined"] == [
        {"customer": "c@x.test", "shop": "Shop", "car": "Mustang", "service": "Paint", "offers": 1, "payouts": 1}
    ]


@pytest.mark.pure
def test_the_new_key_is_uuid3_of_table_and_old_id() -> None:
    assert MIGRATION.legacy_uuid("users", 2) == uuid.uuid3(MIGRATION.NAMESPACE, "users:2")
    assert MIGRATION.legacy_uuid("users", 2) != MIGRATION.legacy_uuid("businesses", 2)


def test_rows_and_references_keep_their_identity_on_sqlite(tmp_path: Path) -> None:
    migrated = _run(f"sqlite://{tmp_path}/old.sqlite3")
    _check(migrated)
    assert migrated["overlap_refused"] is None


@pytest.mark.skipif(not db.is_postgres(), reason="runs in the PostgreSQL pass")
async def test_rows_and_references_keep_their_identity_on_postgres() -> None:
    base = settings.DATABASE_URL.rsplit("/", 1)[0]
    name = f"{settings.DATABASE_URL.rsplit('/', 1)[1]}_uuid_{uuid.uuid4().hex[:6]}"
    admin = await asyncpg.connect(settings.DATABASE_URL.replace("postgres://", "postgresql://", 1))
    await admin.execute(f'CREATE DATABASE "{name}"')
    try:
        migrated = _run(f"{base}/{name}")
        _check(migrated)  # PostgreSQL's md5 computes the same uuid3 as Python
        assert migrated["overlap_refused"] is True  # 0004's exclusion constraint, rebuilt on the UUID column
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()
