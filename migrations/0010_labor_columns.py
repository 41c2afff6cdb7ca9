"""user_skills gets the seed's columns: the two renamed ones keep their rows, the new ones their seed defaults.

availability_hours_per_week → available_hours_per_week and travel_radius_miles → max_travel_distance_miles
(renamed, values kept); preferred_work_schedule (flexible for everyone: nobody has said otherwise),
minimum_job_hours (2), has_own_tools, is_verified (false: nobody has been verified yet), verified_by,
verified_at, portfolio_image_urls and sample_work_urls (empty). Certifications were a list of names; each becomes
{"name": ..., "date": null}, the seed's shape. users gets account_type (customer or labor, what signUp was asked
for; everyone before is a customer), with its CHECK.

The schedule's CHECK: on PostgreSQL an ALTER TABLE; on SQLite the table is rebuilt with its vocabulary CHECKs
by 0007's procedure (which keeps the indexes, the one-skill-per-category key among them; Tortoise's own rebuild
drops them). The generated operations were kept; the constraint changes are recorded state-only, done by hand.
Frozen: nothing here reads the models.
"""

import importlib
import json
from enum import Enum
from typing import Any

from tortoise import fields, migrations
from tortoise.fields.base import OnDelete
from tortoise.migrations import operations as ops
from tortoise.migrations.constraints import CheckConstraint
from tortoise.transactions import in_transaction

_0007 = importlib.import_module("migrations.0007_seed_vocabularies")


class AccountType(str, Enum):
    """Frozen copy of models.enums.AccountType."""

    CUSTOMER = "customer"
    LABOR = "labor"

    def __str__(self) -> str:
        return self.value


class WorkSchedule(str, Enum):
    """Frozen copy of models.enums.WorkSchedule."""

    WEEKDAYS = "weekdays"
    WEEKENDS = "weekends"
    EVENINGS = "evenings"
    FLEXIBLE = "flexible"

    def __str__(self) -> str:
        return self.value


SCHEDULE = ("user_skills_schedule", "preferred_work_schedule IN ('weekdays', 'weekends', 'evenings', 'flexible')")
OLD_RANGES = (
    "user_skills_ranges",
    "years_experience >= 0 AND hourly_rate_cents >= 0 AND travel_radius_miles >= 0"
    " AND availability_hours_per_week >= 0 AND availability_hours_per_week <= 168",
)
RANGES = (
    "user_skills_ranges",
    "years_experience >= 0 AND hourly_rate_cents >= 0 AND max_travel_distance_miles >= 0"
    " AND available_hours_per_week >= 0 AND available_hours_per_week <= 168"
    " AND minimum_job_hours >= 0 AND minimum_job_hours <= 168",
)
CHECKS = [*_0007.CHECKS["user_skills"][:2], SCHEDULE, RANGES]
ACCOUNT_TYPE = ("users_account_type", "account_type IN ('customer', 'labor')")
ADD_ACCOUNT_TYPE = """ALTER TABLE "users" ADD COLUMN "account_type" VARCHAR(20) NOT NULL DEFAULT 'customer'"""
# (column, PostgreSQL type, SQLite type, default): added with a database default, so existing rows get the value.
NEW_COLUMNS = [
    ("preferred_work_schedule", "VARCHAR(20)", "VARCHAR(20)", "'flexible'"),
    ("minimum_job_hours", "INT", "INT", "2"),
    ("has_own_tools", "BOOL", "INT", "{false}"),
    ("is_verified", "BOOL", "INT", "{false}"),
    ("portfolio_image_urls", "JSONB", "JSON", "'[]'"),
    ("sample_work_urls", "JSONB", "JSON", "'[]'"),
    ("verified_at", "TIMESTAMPTZ", "TIMESTAMP", None),
]


async def _users_key_type(client: Any, postgres: bool) -> str:
    """The type of users.id as it is now (an integer here; a UUID once the keys have moved), for verified_by."""
    if postgres:
        _, rows = await client.execute_query(
            "SELECT data_type FROM information_schema.columns WHERE table_name = 'users' AND column_name = 'id'"
        )
        return "UUID" if rows and rows[0]["data_type"] == "uuid" else "INT"
    _, rows = await client.execute_query("SELECT type FROM pragma_table_info('users') WHERE name = 'id'")
    return str(rows[0]["type"]) if rows else "INT"


async def _add_columns(client: Any, postgres: bool) -> list[str]:
    false = "FALSE" if postgres else "0"
    statements = []
    for column, pg_type, sqlite_type, default in NEW_COLUMNS:
        kind = pg_type if postgres else sqlite_type
        tail = " NULL" if default is None else f" NOT NULL DEFAULT {default.format(false=false)}"
        statements.append(f'ALTER TABLE "user_skills" ADD COLUMN "{column}" {kind}{tail}')
    key = await _users_key_type(client, postgres)
    statements.append(
        f'ALTER TABLE "user_skills" ADD COLUMN "verified_by" {key} NULL REFERENCES "users" ("id") ON DELETE SET NULL'
    )
    return statements


def _certifications(raw: Any) -> str | None:
    """The new JSON of a row's certifications, or None when it already has the new shape."""
    value = json.loads(raw) if isinstance(raw, str) else raw
    if not isinstance(value, list):
        return "[]"
    new = [{"name": item, "date": None} if isinstance(item, str) else item for item in value]
    return None if new == value else json.dumps(new)


async def _certification_updates(client: Any) -> list[tuple[int, str]]:
    _, rows = await client.execute_query('SELECT "id", "certifications" FROM "user_skills"')
    found = []
    for row in rows:
        new = _certifications(row["certifications"])
        if new is not None:
            found.append((int(row["id"]), new))
    return found


async def _postgres(client: Any) -> None:
    async with in_transaction(client.connection_name) as tx:
        for statement in [*await _add_columns(tx, postgres=True), ADD_ACCOUNT_TYPE]:
            await tx.execute_script(statement)
        for row_id, document in await _certification_updates(tx):
            await tx.execute_query(f'UPDATE "user_skills" SET "certifications" = $1 WHERE "id" = {row_id}', [document])
        # The renamed columns were renamed inside the old CHECK too; it is replaced by the wider one.
        await tx.execute_script('ALTER TABLE "user_skills" DROP CONSTRAINT IF EXISTS "user_skills_ranges"')
        for name, check in (SCHEDULE, RANGES):
            await tx.execute_script(f'ALTER TABLE "user_skills" ADD CONSTRAINT "{name}" CHECK ({check})')
        await tx.execute_script(f'ALTER TABLE "users" ADD CONSTRAINT "{ACCOUNT_TYPE[0]}" CHECK ({ACCOUNT_TYPE[1]})')


async def _sqlite(client: Any) -> None:
    """One transaction on the raw connection, statement by statement (executescript would commit first), with
    foreign keys off around it so that dropping the old table never cascades."""
    connection = client._connection
    await connection.execute("PRAGMA foreign_keys = OFF")
    try:
        await connection.execute("BEGIN")
        for statement in [*await _add_columns(client, postgres=False), ADD_ACCOUNT_TYPE]:
            await connection.execute(statement)
        for row_id, document in await _certification_updates(client):
            await connection.execute('UPDATE "user_skills" SET "certifications" = ? WHERE "id" = ?', (document, row_id))
        rebuild = await _0007._sqlite_rebuild_script(client, "user_skills", CHECKS)
        rebuild += await _0007._sqlite_rebuild_script(client, "users", [ACCOUNT_TYPE])
        for statement in rebuild.split(";\n"):
            if statement.strip():
                await connection.execute(statement)
        await connection.commit()
    except BaseException:
        if connection.in_transaction:
            await connection.rollback()
        raise
    finally:
        await connection.execute("PRAGMA foreign_keys = ON")
    broken = await (await connection.execute("PRAGMA foreign_key_check")).fetchall()
    if broken:
        raise RuntimeError(f"foreign keys broken by the rebuild: {broken[:5]}")


async def forward(apps: Any, schema_editor: Any) -> None:
    if schema_editor.DIALECT == "postgres":
        await _postgres(schema_editor.client)
    elif schema_editor.DIALECT == "sqlite":
        await _sqlite(schema_editor.client)


async def backward(apps: Any, schema_editor: Any) -> None:
    raise RuntimeError("The labor columns cannot be removed in place: restore a backup taken before 0010")


class StateOnlyAddField(ops.AddField):
    """Records the column in the migration state; forward() added it, with a default for the existing rows."""

    async def database_forward(self, *args: Any, **kwargs: Any) -> None:
        return None

    async def database_backward(self, *args: Any, **kwargs: Any) -> None:
        return None


class Migration(migrations.Migration):
    dependencies = [("models", "0007_seed_vocabularies")]
    atomic = False  # SQLite's rebuild turns foreign keys off around its own transaction

    initial = False

    operations = [
        ops.RenameField(
            model_name="UserSkill",
            old_name="availability_hours_per_week",
            new_name="available_hours_per_week",
        ),
        ops.RenameField(
            model_name="UserSkill",
            old_name="travel_radius_miles",
            new_name="max_travel_distance_miles",
        ),
        StateOnlyAddField(
            model_name="UserSkill",
            name="has_own_tools",
            field=fields.BooleanField(default=False),
        ),
        StateOnlyAddField(
            model_name="UserSkill",
            name="is_verified",
            field=fields.BooleanField(default=False),
        ),
        StateOnlyAddField(
            model_name="UserSkill",
            name="minimum_job_hours",
            field=fields.IntField(default=2),
        ),
        StateOnlyAddField(
            model_name="UserSkill",
            name="portfolio_image_urls",
            field=fields.JSONField(default=list),
        ),
        StateOnlyAddField(
            model_name="UserSkill",
            name="preferred_work_schedule",
            field=fields.CharEnumField(WorkSchedule, max_length=20, default=WorkSchedule.FLEXIBLE),
        ),
        StateOnlyAddField(
            model_name="UserSkill",
            name="sample_work_urls",
            field=fields.JSONField(default=list),
        ),
        StateOnlyAddField(
            model_name="UserSkill",
            name="verified_at",
            field=fields.DatetimeField(null=True),
        ),
        StateOnlyAddField(
            model_name="UserSkill",
            name="verified_by",
            field=fields.ForeignKeyField(
                "models.User",
                source_field="verified_by",
                null=True,
                db_constraint=True,
                to_field="id",
                related_name="verified_skills",
                on_delete=OnDelete.SET_NULL,
            ),
        ),
        StateOnlyAddField(
            model_name="User",
            name="account_type",
            field=fields.CharEnumField(AccountType, max_length=20, default=AccountType.CUSTOMER),
        ),
        ops.RunPython(forward, backward),
        _0007.StateOnlyRemove(model_name="UserSkill", name=OLD_RANGES[0]),
        _0007.StateOnlyAdd(model_name="UserSkill", constraint=CheckConstraint(check=SCHEDULE[1], name=SCHEDULE[0])),
        _0007.StateOnlyAdd(model_name="UserSkill", constraint=CheckConstraint(check=RANGES[1], name=RANGES[0])),
        _0007.StateOnlyAdd(model_name="User", constraint=CheckConstraint(check=ACCOUNT_TYPE[1], name=ACCOUNT_TYPE[0])),
    ]
