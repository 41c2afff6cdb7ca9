"""The guard before the PostgreSQL run wipes its database: only a database named for tests is ever dropped."""

from __future__ import annotations

from urllib.parse import urlsplit


class NotATestDatabase(RuntimeError):
    """The PostgreSQL run was pointed at a database whose name does not say it is for tests."""


def database_name(url: str) -> str:
    return urlsplit(url).path.lstrip("/")


def require_test_database(url: str) -> str:
    """The database's name when it contains "test"; any other database may be someone's data and is refused."""
    name = database_name(url)
    if "test" not in name.lower():
        raise NotATestDatabase(
            f"refusing to DROP SCHEMA public of database {name or '(none)'!r}: the PostgreSQL run wipes its database,"
            " so TEST_DATABASE_URL must name a database whose name contains 'test' (for example .../nzero_test)"
        )
    return name
