"""`python -m app.migration_check`: fail when the models hold a change that no migration makes.

The same comparison as `tortoise makemigrations` (the migrations replayed into a state, against the models),
without writing a file; `make lint` runs it, `make migration NAME=...` writes the missing migration.
"""

from __future__ import annotations

import asyncio
import sys

from tortoise.context import TortoiseContext
from tortoise.migrations.autodetector import MigrationAutodetector

from app.db import tortoise_config


async def pending_operations() -> list[str]:
    """One line per operation a new migration would need (empty when the migrations match the models)."""
    config = tortoise_config("sqlite://:memory:")
    async with TortoiseContext() as context:
        await context.init(config=config)
        if context.apps is None:
            raise RuntimeError("Tortoise loaded no apps from app.db.tortoise_config")
        writers = await MigrationAutodetector(context.apps, config["apps"]).changes()
    return [f"{writer.app_label}: {operation.describe()}" for writer in writers for operation in writer.operations]


def main() -> None:
    pending = asyncio.run(pending_operations())
    if pending:
        print("The models differ from the migrations; run `make migration NAME=...`:", *pending, sep="\n  ")
        sys.exit(1)
    print("Migrations match the models.")


if __name__ == "__main__":
    main()
