"""Operator commands: `python -m app.cli migrate | seed | serve`."""

from __future__ import annotations

import argparse
import asyncio
import logging

from app import db, settings


async def _migrate() -> None:
    print(f"Migrating {_safe(settings.DATABASE_URL)} ...", flush=True)
    await db.migrate()
    await db.close()
    print("Migrations applied.", flush=True)


async def _seed() -> None:
    from app.demo_seed import DEMO_ACCOUNTS, DEMO_PASSWORD, seed_demo

    await db.init()
    try:
        if await seed_demo():
            print(f"Demo data written. Accounts: {', '.join(DEMO_ACCOUNTS)} (password {DEMO_PASSWORD}).", flush=True)
        else:
            print("Database already has data; demo seed skipped.", flush=True)
    finally:
        await db.close()


def _safe(url: str) -> str:
    """The URL without its password, for printing."""
    if "@" in url and "://" in url:
        scheme, rest = url.split("://", 1)
        credentials, host = rest.rsplit("@", 1)
        return f"{scheme}://{credentials.split(':', 1)[0]}:***@{host}"
    return url


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    parser = argparse.ArgumentParser(prog="nzero")
    parser.add_argument("command", choices=["migrate", "seed", "serve"])
    args = parser.parse_args()
    if args.command == "migrate":
        asyncio.run(_migrate())
    elif args.command == "seed":
        asyncio.run(_seed())
    else:
        import uvicorn

        uvicorn.run("app.main:app", host=settings.HOST, port=settings.PORT, proxy_headers=True, log_level="info")


if __name__ == "__main__":
    main()
