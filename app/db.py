"""Database configuration: one Tortoise config for the app, the migrations and the tests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tortoise import Tortoise

from app import settings

MODEL_MODULES = ["models"]


def tortoise_config(db_url: str | None = None) -> dict[str, Any]:
    url = db_url or settings.DATABASE_URL
    _ensure_sqlite_folder(url)
    return {
        "connections": {"default": _normalise(url)},
        "apps": {"models": {"models": MODEL_MODULES, "default_connection": "default", "migrations": "migrations"}},
        "use_tz": True,
        "timezone": "UTC",
    }


def _normalise(url: str) -> str:
    if url.startswith("postgresql://"):
        return "postgres://" + url[len("postgresql://") :]
    return url


def _ensure_sqlite_folder(url: str) -> None:
    """SQLite creates its file but not the folder (a fresh clone has no data/): without it, connecting hangs."""
    if url.startswith("sqlite://") and ":memory:" not in url:
        Path(url[len("sqlite://") :].split("?", 1)[0]).parent.mkdir(parents=True, exist_ok=True)


def is_postgres(url: str | None = None) -> bool:
    return _normalise(url or settings.DATABASE_URL).startswith(("postgres://", "asyncpg://"))


async def init(db_url: str | None = None) -> None:
    """Connect (the schema comes from migrations, never generated at start-up)."""
    await Tortoise.init(config=tortoise_config(db_url), _enable_global_fallback=True)


async def close() -> None:
    await Tortoise.close_connections()


async def migrate(db_url: str | None = None) -> None:
    """Apply every pending migration (run once, before any app process starts)."""
    from tortoise.migrations.api.migrate import migrate as run_migrations

    await run_migrations(config=tortoise_config(db_url))


# For the `tortoise` CLI (pyproject [tool.tortoise]).
TORTOISE_ORM = tortoise_config()
