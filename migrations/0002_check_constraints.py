"""CHECK constraints of the ERD on PostgreSQL.

Tortoise's CreateModel records Meta.constraints but does not emit them, and SQLite cannot add a
CHECK to an existing table; there the same rules are enforced by the services' validation.
"""

from typing import Any

from tortoise.migrations import migration
from tortoise.migrations.operations import RunPython

CHECKS: dict[str, list[tuple[str, str]]] = {}


def _collect() -> dict[str, list[tuple[str, str]]]:
    import models  # imported late: the migration loader must not need the app

    checks: dict[str, list[tuple[str, str]]] = {}
    for name in models.__all__:
        model = getattr(models, name)
        for constraint in getattr(model.Meta, "constraints", ()):
            checks.setdefault(model._meta.db_table, []).append((constraint.name, constraint.check))
    return checks


async def add_checks(apps: Any, schema_editor: Any) -> None:
    if schema_editor.DIALECT != "postgres":
        return
    for table, checks in _collect().items():
        for name, check in checks:
            await schema_editor.client.execute_script(f'ALTER TABLE "{table}" ADD CONSTRAINT "{name}" CHECK ({check})')


async def drop_checks(apps: Any, schema_editor: Any) -> None:
    if schema_editor.DIALECT != "postgres":
        return
    for table, checks in _collect().items():
        for name, _check in checks:
            await schema_editor.client.execute_script(f'ALTER TABLE "{table}" DROP CONSTRAINT IF EXISTS "{name}"')


class Migration(migration.Migration):
    dependencies = [("models", "0001_initial")]
    operations = [RunPython(add_checks, drop_checks)]
