"""Migration 0010 keeps a skill's renamed columns, gives it the seed's defaults and typed certifications, and makes
existing users customers; the new CHECKs refuse a schedule outside the four and an unknown account type, and the
one-skill-per-category key survives SQLite's rebuild."""

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

EXPECTED = {
    "skill_category": "painting",
    "available_hours_per_week": 30,
    "max_travel_distance_miles": 60,
    "preferred_work_schedule": "flexible",
    "minimum_job_hours": 2,
    "has_own_tools": False,
    "is_verified": False,
    "verified_by": None,
    "verified_at": None,
    "portfolio_image_urls": [],
    "sample_work_urls": [],
    "certifications": [{"name": "ASE Certified", "date": None}],
    "account_type": "customer",
    "bad_account_type_refused": True,
    "bad_schedule_refused": True,
    "second_painting_refused": True,
}


def _run(url: str) -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, "-m", "tests.labor.labor_migration", url],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return dict(json.loads(done.stdout))


def test_a_skill_moves_to_the_seed_columns_on_sqlite(tmp_path: Path) -> None:
    assert _run(f"sqlite://{tmp_path}/old.sqlite3") == EXPECTED


@pytest.mark.skipif(not db.is_postgres(), reason="runs in the PostgreSQL pass")
async def test_a_skill_moves_to_the_seed_columns_on_postgres() -> None:
    base = settings.DATABASE_URL.rsplit("/", 1)[0]
    name = f"{settings.DATABASE_URL.rsplit('/', 1)[1]}_labor_{uuid.uuid4().hex[:6]}"
    admin = await asyncpg.connect(settings.DATABASE_URL.replace("postgres://", "postgresql://", 1))
    await admin.execute(f'CREATE DATABASE "{name}"')
    try:
        assert _run(f"{base}/{name}") == EXPECTED
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()
