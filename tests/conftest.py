"""Test set-up: the environment is fixed before the app is imported; one database per run.

SQLite by default; PostgreSQL when TEST_DATABASE_URL is set (make test runs both). Every test gets the
migrated database and clean tables, except a test marked `pure`, which never touches the database.
Hypothesis runs the "dev" profile (a few hundred examples), or "ci" with more when CI=true.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import AsyncIterator

_TMP = tempfile.mkdtemp(prefix="nzero-test-")
os.environ["ENVIRONMENT"] = "test"
os.environ["DATABASE_URL"] = os.environ.get("TEST_DATABASE_URL") or f"sqlite://{_TMP}/test.sqlite3"
os.environ["BROADCAST_URL"] = os.environ.get("TEST_BROADCAST_URL") or "memory://"
os.environ.setdefault("SECRET_KEY", "test-secret-key-that-is-long-enough-for-hs256-0123")
os.environ["STRIPE_SECRET_KEY"] = ""

import pytest  # noqa: E402
from hypothesis import settings as hypothesis_settings  # noqa: E402
from tortoise import Tortoise, connections  # noqa: E402

from app import db, settings  # noqa: E402
from app.auth_limiter import login_limiter  # noqa: E402
from tests.database import require_test_database  # noqa: E402

hypothesis_settings.register_profile("dev", max_examples=300, deadline=None)
hypothesis_settings.register_profile("ci", max_examples=3_000, deadline=None, print_blob=True)
hypothesis_settings.load_profile(
    os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") == "true" else "dev")
)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "pure: needs no database (the database fixtures are not set up)")


# Children first, so deleting never trips a foreign key.
TABLES = [
    "event_outbox",
    "processed_webhook_events",
    "payment_transfers",
    "payment_distributions",
    "work_contracts",
    "reviews",
    "job_offers",
    "booking_status_history",
    "capacity_schedule",
    "service_bookings",
    "vehicles",
    "user_skills",
    "organization_members",
    "organization_capabilities",
    "organization_services",
    "businesses",
    "users",
]


@pytest.fixture(autouse=True)
def database_unless_pure(request: pytest.FixtureRequest) -> None:
    """The database and its cleaning for every test but those marked `pure` (they run with no database at all)."""
    if request.node.get_closest_marker("pure") is None:
        request.getfixturevalue("clean_tables")


@pytest.fixture(scope="session")
async def database() -> AsyncIterator[None]:
    try:
        if db.is_postgres():
            await _reset_postgres()
        await db.migrate()
        await db.init()
        yield
    finally:  # also when migrating fails: an open SQLite connection's thread would keep pytest from exiting
        await db.close()


async def _reset_postgres() -> None:
    require_test_database(settings.DATABASE_URL)  # DROP SCHEMA below: never on a database not named for tests
    await Tortoise.init(config=db.tortoise_config())
    conn = connections.get("default")
    await conn.execute_script("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
    await Tortoise.close_connections()


@pytest.fixture
async def clean_tables(database: None) -> AsyncIterator[None]:
    await login_limiter.clear()  # in Redis on the PostgreSQL run, where failed sign-ins would outlive their test
    yield
    conn = connections.get("default")
    if db.is_postgres():
        await conn.execute_script(f"TRUNCATE {', '.join(TABLES)} RESTART IDENTITY CASCADE")
    else:
        for table in TABLES:
            await conn.execute_script(f"DELETE FROM {table}")


@pytest.fixture
def database_url() -> str:
    return settings.DATABASE_URL
