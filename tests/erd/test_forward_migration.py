"""Migration 0007 maps rows written in the old vocabularies to the seed's, and the CHECKs then refuse old values."""

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
        [sys.executable, "-m", "tests.erd.forward_migration", url],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return dict(json.loads(done.stdout))


EXPECTED = {
    "service_type": "bodywork",
    "pricing_model": "fixed_price",
    "required_skills": [{"skill_category": "bodywork", "min_proficiency": "proficient", "hours": 8}],
    "skill_category": "assembly",
    "proficiency_level": "learning",
    "old_value_refused": True,
}


def test_old_rows_move_to_the_seed_vocabularies_on_sqlite(tmp_path: Path) -> None:
    assert _run(f"sqlite://{tmp_path}/old.sqlite3") == EXPECTED


@pytest.mark.skipif(not db.is_postgres(), reason="runs in the PostgreSQL pass")
async def test_old_rows_move_to_the_seed_vocabularies_on_postgres() -> None:
    base = settings.DATABASE_URL.rsplit("/", 1)[0]
    name = f"{settings.DATABASE_URL.rsplit('/', 1)[1]}_fwd_{uuid.uuid4().hex[:6]}"
    admin = await asyncpg.connect(settings.DATABASE_URL.replace("postgres://", "postgresql://", 1))
    await admin.execute(f'CREATE DATABASE "{name}"')
    try:
        assert _run(f"{base}/{name}") == EXPECTED
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()
