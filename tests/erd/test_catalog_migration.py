"""Migration 0009 maps catalog rows written before it: names, units, percentages and durations move to the seed's
columns, the new columns take their defaults, and PostgreSQL's CHECK refuses a service that may run no job."""

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
        [sys.executable, "-m", "tests.erd.catalog_migration", url],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return dict(json.loads(done.stdout))


def expected(*, postgres: bool) -> dict[str, object]:
    return {
        "percentage_rate": "8.50",  # from 850 basis points
        "typical_duration_days": 3,
        "max_concurrent_jobs": 1,
        "is_featured": False,
        "tags": [],
        "search_keywords": [],
        "search_text": "consignment we sell the car",
        "capabilities": [
            ["Two-post lifts", "lifts", "", 0, None],
            ["Indoor storage", "sq_ft", "", 0, None],  # a blank name takes its type's label
        ],
        "zero_concurrency_refused": postgres,  # range CHECKs live on PostgreSQL (docs/erd-vocabulary.md)
    }


def test_catalog_rows_move_to_the_seed_columns_on_sqlite(tmp_path: Path) -> None:
    assert _run(f"sqlite://{tmp_path}/old.sqlite3") == expected(postgres=False)


@pytest.mark.skipif(not db.is_postgres(), reason="runs in the PostgreSQL pass")
async def test_catalog_rows_move_to_the_seed_columns_on_postgres() -> None:
    base = settings.DATABASE_URL.rsplit("/", 1)[0]
    name = f"{settings.DATABASE_URL.rsplit('/', 1)[1]}_cat_{uuid.uuid4().hex[:6]}"
    admin = await asyncpg.connect(settings.DATABASE_URL.replace("postgres://", "postgresql://", 1))
    await admin.execute(f'CREATE DATABASE "{name}"')
    try:
        assert _run(f"{base}/{name}") == expected(postgres=True)
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()
