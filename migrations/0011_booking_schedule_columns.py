"""service_bookings and capacity_schedule with every seed column; existing rows mapped.

service_bookings: notes → customer_notes, is_flexible → flexible_timeline, quoted_price_cents →
total_quoted_price_cents; the price parts leave the quote_breakdown JSON for columns (facility_fee_cents,
labor_fee_cents, materials_cost_cents, platform_fee_cents; a CHECK makes them add up to the total), and what
stays of the JSON (the split and each person's pay line) is renamed quote_split. New: title (NOT NULL, made from
the service's name and the vehicle), description, facility_notes, labor_notes, assigned_labor_users and
assigned_capabilities (from the plan), and the facility-local dates of the scheduled window and of the work's
actual start and completion (the facility's time zone).

capacity_schedule: hours → duration_hours, block_reason → notes; resource_id (the capability's or the person's
id, CHECKed equal to the foreign key of the row's kind) and date (the facility-local day the block starts).

A row whose quote parts do not add up to its total (none was ever written so) gives the difference to the
facility fee; a total with no parts at all is the facility's whole. On SQLite both tables are rebuilt by SQLite's
own procedure (as 0007 did: foreign keys off, one script, one transaction, indexes back), read from the live
table so that columns other migrations add survive. Frozen: nothing here reads the models.
"""

import json
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from tortoise import fields
from tortoise.indexes import Index
from tortoise.migrations import migration
from tortoise.migrations import operations as ops
from tortoise.migrations.constraints import CheckConstraint
from tortoise.transactions import in_transaction

PARTS = ("facility_fee_cents", "labor_fee_cents", "materials_cost_cents", "platform_fee_cents")
QUOTE_ADDS_UP = (
    "(total_quoted_price_cents IS NULL AND facility_fee_cents IS NULL AND labor_fee_cents IS NULL"
    " AND materials_cost_cents IS NULL AND platform_fee_cents IS NULL) OR (total_quoted_price_cents IS NOT NULL"
    " AND facility_fee_cents IS NOT NULL AND facility_fee_cents >= 0 AND labor_fee_cents IS NOT NULL"
    " AND labor_fee_cents >= 0 AND materials_cost_cents IS NOT NULL AND materials_cost_cents >= 0"
    " AND platform_fee_cents IS NOT NULL AND platform_fee_cents >= 0"
    " AND facility_fee_cents + labor_fee_cents + materials_cost_cents + platform_fee_cents = total_quoted_price_cents)"
)
SPAN = "end_time > start_time AND units >= 0 AND duration_hours >= 0"
RESOURCE = (
    "(resource_type = 'facility_capability' AND capability_id IS NOT NULL AND resource_id = capability_id)"
    " OR (resource_type = 'user_labor' AND user_id IS NOT NULL AND resource_id = user_id)"
)
TITLE_MAX = 200

BOOKING_RENAMES = {
    "notes": "customer_notes",
    "is_flexible": "flexible_timeline",
    "quoted_price_cents": "total_quoted_price_cents",
    "quote_breakdown": "quote_split",
}
SCHEDULE_RENAMES = {"hours": "duration_hours", "block_reason": "notes"}
# New columns: (name, SQLite type, PostgreSQL type, the value existing rows start with before the data step).
BOOKING_COLUMNS = [
    ("title", "VARCHAR(200) NOT NULL", "VARCHAR(200)", "''"),
    ("description", "TEXT NOT NULL", "TEXT NOT NULL", "''"),
    ("facility_notes", "TEXT NOT NULL", "TEXT NOT NULL", "''"),
    ("labor_notes", "TEXT NOT NULL", "TEXT NOT NULL", "''"),
    ("facility_fee_cents", "BIGINT", "BIGINT", "NULL"),
    ("labor_fee_cents", "BIGINT", "BIGINT", "NULL"),
    ("materials_cost_cents", "BIGINT", "BIGINT", "NULL"),
    ("platform_fee_cents", "BIGINT", "BIGINT", "NULL"),
    ("assigned_labor_users", "JSON NOT NULL", "JSONB NOT NULL", "'[]'"),
    ("assigned_capabilities", "JSON NOT NULL", "JSONB NOT NULL", "'[]'"),
    ("calculated_start_date", "DATE", "DATE", "NULL"),
    ("calculated_completion_date", "DATE", "DATE", "NULL"),
    ("actual_start_date", "DATE", "DATE", "NULL"),
    ("actual_completion_date", "DATE", "DATE", "NULL"),
]
SCHEDULE_COLUMNS = [
    (
        "resource_id",
        "INT NOT NULL",
        "INT",
        "CASE WHEN resource_type = 'user_labor' THEN user_id ELSE capability_id END",
    ),
    ("date", "DATE NOT NULL", "DATE", 'substr("start_time", 1, 10)'),  # a placeholder: the local day comes next
]
BOOKING_CHECKS_DROPPED = {"service_bookings_price"}
SCHEDULE_CHECKS_REPLACED = {"capacity_schedule_span", "capacity_schedule_resource"}

BOOKINGS_SQL = (
    'SELECT b."id", b."quote_breakdown", b."quoted_price_cents", b."plan", b."scheduled_start", b."scheduled_end",'
    ' b."actual_start", b."actual_completion", b."service_type", o."timezone", s."service_name", v."year",'
    ' v."make", v."model" FROM "service_bookings" b LEFT JOIN "businesses" o ON o."id" = b."organization_id"'
    ' LEFT JOIN "organization_services" s ON s."id" = b."service_id" LEFT JOIN "vehicles" v ON v."id" = b."vehicle_id"'
)
BLOCKS_SQL = (
    'SELECT c."id", c."start_time", o."timezone" FROM "capacity_schedule" c'
    ' LEFT JOIN "businesses" o ON o."id" = c."organization_id"'
)


# --- the data step: one booking's new values from its old row ------------------------------------------------


def _json(raw: Any) -> Any:
    return json.loads(raw) if isinstance(raw, str) else raw


def _moment(raw: Any) -> datetime | None:
    if raw is None:
        return None
    return raw if isinstance(raw, datetime) else datetime.fromisoformat(str(raw))


def _local(raw: Any, tz: ZoneInfo) -> date | None:
    moment = _moment(raw)
    return None if moment is None else moment.astimezone(tz).date()


def _zone(name: Any) -> ZoneInfo:
    try:
        return ZoneInfo(str(name or "UTC"))
    except (KeyError, ValueError, OSError):
        return ZoneInfo("UTC")


def _title(row: dict[str, Any]) -> str:
    name = row["service_name"] or str(row["service_type"]).replace("_", " ").capitalize()
    if row["make"] or row["model"]:
        name = f"{name} — {row['year']} {row['make']} {row['model']}"
    return name[:TITLE_MAX]


def _money(row: dict[str, Any]) -> tuple[dict[str, int | None], dict[str, Any]]:
    """The five money columns and the quote_split document of an old row."""
    old = _json(row["quote_breakdown"]) or {}
    total = old.get("total_cents", row["quoted_price_cents"])
    if total is None:
        return dict.fromkeys(("total_quoted_price_cents", *PARTS)), {}
    total = int(total)
    parts = {
        "facility_fee_cents": int(old.get("facility_fee_cents", 0)),
        "labor_fee_cents": int(old.get("labor_fee_cents", 0)),
        "materials_cost_cents": int(old.get("materials_cents", 0)),
        "platform_fee_cents": int(old.get("platform_fee_cents", 0)),
    }
    parts["facility_fee_cents"] += total - sum(parts.values())
    if parts["facility_fee_cents"] < 0:
        raise RuntimeError(f"service_bookings {row['id']}: the quote's parts exceed its total; fix the row first")
    split = {key: old[key] for key in ("split_bps", "labor") if key in old}
    return {"total_quoted_price_cents": total, **parts}, split


def _assigned(plan: dict[str, Any]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    labor = [
        {"user_id": a["user_id"], "role": role["role"], "hours": float(Decimal(str(a.get("hours") or 0)))}
        for role in plan.get("roles", [])
        for a in role.get("assignments", [])
    ]
    hours: dict[Any, Decimal] = {}
    for block in plan.get("capability_blocks", []):
        hours[block["capability_id"]] = hours.get(block["capability_id"], Decimal(0)) + Decimal(str(block["hours"]))
    return labor, [{"capability_id": cap, "hours": float(h)} for cap, h in hours.items()]


def booking_values(row: dict[str, Any]) -> dict[str, Any]:
    plan = _json(row["plan"]) or {}
    tz = _zone(row["timezone"] or plan.get("timezone"))
    money, split = _money(row)
    labor, capabilities = _assigned(plan)
    return {
        "title": _title(row),
        **money,
        "quote_split": json.dumps(split),
        "assigned_labor_users": json.dumps(labor),
        "assigned_capabilities": json.dumps(capabilities),
        "calculated_start_date": _local(row["scheduled_start"], tz),
        "calculated_completion_date": _local(row["scheduled_end"], tz),
        "actual_start_date": _local(row["actual_start"], tz),
        "actual_completion_date": _local(row["actual_completion"], tz),
    }


async def _read(client: Any) -> tuple[list[tuple[Any, dict[str, Any]]], list[tuple[Any, date]]]:
    _, bookings = await client.execute_query(BOOKINGS_SQL)
    _, blocks = await client.execute_query(BLOCKS_SQL)
    return (
        [(row["id"], booking_values(dict(row))) for row in bookings],
        [(row["id"], _local(row["start_time"], _zone(row["timezone"]))) for row in blocks],  # type: ignore[misc]
    )


# --- PostgreSQL: ALTER in place, one transaction --------------------------------------------------------------


async def _postgres(client: Any) -> None:
    async with in_transaction(client.connection_name) as tx:
        bookings, _ = await _read(tx)
        statements = ['ALTER TABLE "service_bookings" DROP CONSTRAINT IF EXISTS "service_bookings_price"']
        statements += [
            f'ALTER TABLE "service_bookings" RENAME COLUMN "{a}" TO "{b}"' for a, b in BOOKING_RENAMES.items()
        ]
        statements += [
            f'ALTER TABLE "service_bookings" ADD COLUMN "{name}" {pg} DEFAULT {start}'
            for name, _, pg, start in BOOKING_COLUMNS
        ]
        statements += [
            f'ALTER TABLE "capacity_schedule" DROP CONSTRAINT IF EXISTS "{name}"' for name in SCHEDULE_CHECKS_REPLACED
        ]
        statements += [
            f'ALTER TABLE "capacity_schedule" RENAME COLUMN "{a}" TO "{b}"' for a, b in SCHEDULE_RENAMES.items()
        ]
        statements += [
            f'ALTER TABLE "capacity_schedule" ADD COLUMN "{name}" {pg}' for name, _, pg, _ in SCHEDULE_COLUMNS
        ]
        for statement in statements:
            await tx.execute_script(statement)
        for name, _, _, _ in BOOKING_COLUMNS:  # Tortoise's columns carry no database default
            await tx.execute_script(f'ALTER TABLE "service_bookings" ALTER COLUMN "{name}" DROP DEFAULT')
        for row_id, values in bookings:
            names = list(values)
            sets = ", ".join(f'"{name}" = ${i}' for i, name in enumerate(names, start=1))
            await tx.execute_query(
                f'UPDATE "service_bookings" SET {sets} WHERE "id" = ${len(names) + 1}', [*values.values(), row_id]
            )
        await tx.execute_script(
            'UPDATE "capacity_schedule" c SET "resource_id" = CASE WHEN c."resource_type" = \'user_labor\''
            ' THEN c."user_id" ELSE c."capability_id" END, "date" = (c."start_time" AT TIME ZONE'
            ' COALESCE(o."timezone", \'UTC\'))::date FROM "businesses" o WHERE o."id" = c."organization_id"'
        )
        for statement in (
            'ALTER TABLE "service_bookings" ALTER COLUMN "title" SET NOT NULL',
            'ALTER TABLE "capacity_schedule" ALTER COLUMN "resource_id" SET NOT NULL',
            'ALTER TABLE "capacity_schedule" ALTER COLUMN "date" SET NOT NULL',
            f'ALTER TABLE "service_bookings" ADD CONSTRAINT "service_bookings_quote_adds_up" CHECK ({QUOTE_ADDS_UP})',
            f'ALTER TABLE "capacity_schedule" ADD CONSTRAINT "capacity_schedule_span" CHECK ({SPAN})',
            f'ALTER TABLE "capacity_schedule" ADD CONSTRAINT "capacity_schedule_resource" CHECK ({RESOURCE})',
        ):
            await tx.execute_script(statement)


# --- SQLite: rebuild both tables from their live definitions ----------------------------------------------------


def _checks(create: str) -> tuple[str, list[tuple[str, str]]]:
    """The CREATE TABLE statement without its CHECK clauses, and those clauses as (name, condition)."""
    out, found, i = [], [], 0
    while (start := create.find(", CONSTRAINT ", i)) != -1:
        check = create.find(" CHECK (", start)
        if check == -1 or "," in create[start + 2 : check]:
            out.append(create[i : start + 2])
            i = start + 2
            continue
        depth, j = 0, check + len(" CHECK ")
        while True:
            depth += {"(": 1, ")": -1}.get(create[j], 0)
            j += 1
            if depth == 0:
                break
        name = create[start + len(", CONSTRAINT ") : check].strip().strip('"')
        found.append((name, create[check + len(" CHECK (") : j - 1]))
        out.append(create[i:start])
        i = j
    out.append(create[i:])
    return "".join(out), found


def _literal(value: Any) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int):
        return str(value)
    return "'" + str(value).replace("'", "''") + "'"


async def _rebuild(
    client: Any,
    table: str,
    renames: dict[str, str],
    columns: list[tuple[str, str, str, str]],
    dropped: set[str],
    added: list[tuple[str, str]],
) -> tuple[str, list[str]]:
    """SQLite's way to change a table: a new one (renamed and added columns, CHECKs), copy, drop, rename, indexes."""
    _, rows = await client.execute_query("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", [table])
    body, checks = _checks(rows[0]["sql"])
    _, info = await client.execute_query(f'PRAGMA table_info("{table}")')
    old = [str(c["name"]) for c in info]
    for before, after in renames.items():
        body = body.replace(f'"{before}" ', f'"{after}" ', 1)
    head, _, _ = body.rpartition(")")
    head = head.replace(f'CREATE TABLE "{table}"', f'CREATE TABLE "new__{table}"', 1)
    definitions = "".join(f', "{name}" {sqlite}' for name, sqlite, _, _ in columns)
    kept = [(n, c) for n, c in checks if n not in dropped]
    constraints = "".join(f', CONSTRAINT "{name}" CHECK ({check})' for name, check in [*kept, *added])
    _, indexes = await client.execute_query(
        "SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL", [table]
    )
    target = [renames.get(c, c) for c in old] + [name for name, *_ in columns]
    source = [f'"{c}"' for c in old] + [start for *_, start in columns]
    statements = [
        f"{head}{definitions}{constraints})",
        f'INSERT INTO "new__{table}" ({", ".join(f"{chr(34)}{c}{chr(34)}" for c in target)})'
        f' SELECT {", ".join(source)} FROM "{table}"',
    ]
    swap = [f'DROP TABLE "{table}"', f'ALTER TABLE "new__{table}" RENAME TO "{table}"']
    return ";\n".join(statements) + ";\n", swap + [index["sql"] for index in indexes]


async def _sqlite(client: Any) -> None:
    """One script on the raw connection (Python's sqlite3 commits before each executescript): build the new
    tables, fill them, then swap them in, with foreign keys off so that dropping a parent never cascades."""
    bookings, blocks = await _read(client)
    # The copies start half-filled (a total without its parts): checks off while they are filled, then every
    # row is written once more with them on, so a row the CHECKs refuse aborts the whole script.
    script = "PRAGMA ignore_check_constraints = ON;\n"
    swaps: list[str] = []
    for table, renames, columns, dropped, added in (
        (
            "service_bookings",
            BOOKING_RENAMES,
            BOOKING_COLUMNS,
            BOOKING_CHECKS_DROPPED,
            [("service_bookings_quote_adds_up", QUOTE_ADDS_UP)],
        ),
        (
            "capacity_schedule",
            SCHEDULE_RENAMES,
            SCHEDULE_COLUMNS,
            SCHEDULE_CHECKS_REPLACED,
            [("capacity_schedule_resource", RESOURCE)],  # decimals are text on SQLite: the span check stays off
        ),
    ):
        build, swap = await _rebuild(client, table, renames, columns, dropped, added)
        script += build
        swaps += swap
    for row_id, values in bookings:
        sets = ", ".join(f'"{name}" = {_literal(value)}' for name, value in values.items())
        script += f'UPDATE "new__service_bookings" SET {sets} WHERE "id" = {_literal(row_id)};\n'
    for row_id, day in blocks:
        script += f'UPDATE "new__capacity_schedule" SET "date" = {_literal(day)} WHERE "id" = {_literal(row_id)};\n'
    script += "PRAGMA ignore_check_constraints = OFF;\n"
    script += 'UPDATE "new__service_bookings" SET "id" = "id";\nUPDATE "new__capacity_schedule" SET "id" = "id";\n'
    script += "".join(f"{statement};\n" for statement in swaps)
    connection = client._connection
    await connection.execute("PRAGMA foreign_keys = OFF")
    try:
        await connection.executescript(f"BEGIN;\n{script}COMMIT;")
    except BaseException:
        if connection.in_transaction:
            await connection.rollback()
        raise
    finally:
        await connection.execute("PRAGMA ignore_check_constraints = OFF")
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
    raise RuntimeError("The quote's parts cannot be folded back into JSON: restore a backup taken before 0011")


# --- the migration state: forward() changed the database, these record it ------------------------------------


def _state_only(operation_class: type) -> type:
    class StateOnly(operation_class):  # type: ignore[valid-type, misc]
        async def database_forward(self, *args: Any, **kwargs: Any) -> None:
            return None

        async def database_backward(self, *args: Any, **kwargs: Any) -> None:
            return None

    StateOnly.__name__ = f"StateOnly{operation_class.__name__}"
    return StateOnly


RenameField = _state_only(ops.RenameField)
AddField = _state_only(ops.AddField)
RemoveConstraint = _state_only(ops.RemoveConstraint)
AddConstraint = _state_only(ops.AddConstraint)


class Migration(migration.Migration):
    dependencies = [("models", "0010_labor_columns")]
    atomic = False

    operations = [
        ops.RunPython(forward, backward),
        RemoveConstraint(model_name="ServiceBooking", name="service_bookings_price", fields=None),
        RemoveConstraint(model_name="CapacitySchedule", name="capacity_schedule_span", fields=None),
        RemoveConstraint(model_name="CapacitySchedule", name="capacity_schedule_resource", fields=None),
        *(RenameField(model_name="ServiceBooking", old_name=a, new_name=b) for a, b in BOOKING_RENAMES.items()),
        *(RenameField(model_name="CapacitySchedule", old_name=a, new_name=b) for a, b in SCHEDULE_RENAMES.items()),
        AddField(model_name="ServiceBooking", name="title", field=fields.CharField(max_length=200)),
        AddField(model_name="ServiceBooking", name="description", field=fields.TextField(default="")),
        AddField(model_name="ServiceBooking", name="facility_notes", field=fields.TextField(default="")),
        AddField(model_name="ServiceBooking", name="labor_notes", field=fields.TextField(default="")),
        *(AddField(model_name="ServiceBooking", name=n, field=fields.BigIntField(null=True)) for n in PARTS),
        AddField(model_name="ServiceBooking", name="assigned_labor_users", field=fields.JSONField(default=list)),
        AddField(model_name="ServiceBooking", name="assigned_capabilities", field=fields.JSONField(default=list)),
        *(
            AddField(model_name="ServiceBooking", name=n, field=fields.DateField(null=True))
            for n in (
                "calculated_start_date",
                "calculated_completion_date",
                "actual_start_date",
                "actual_completion_date",
            )
        ),
        AddField(model_name="CapacitySchedule", name="resource_id", field=fields.IntField()),
        AddField(model_name="CapacitySchedule", name="date", field=fields.DateField()),
        AddConstraint(
            model_name="ServiceBooking",
            constraint=CheckConstraint(check=QUOTE_ADDS_UP, name="service_bookings_quote_adds_up"),
        ),
        AddConstraint(
            model_name="CapacitySchedule", constraint=CheckConstraint(check=SPAN, name="capacity_schedule_span")
        ),
        AddConstraint(
            model_name="CapacitySchedule",
            constraint=CheckConstraint(check=RESOURCE, name="capacity_schedule_resource"),
        ),
        # Plain indexes: created for real, on the rebuilt table on SQLite.
        ops.AddIndex(model_name="CapacitySchedule", index=Index(fields=["resource_type", "resource_id"])),
        ops.AddIndex(model_name="CapacitySchedule", index=Index(fields=["date"])),
    ]
