"""UUID primary keys (the ERD's, and ids nobody can enumerate): every row and every reference mapped, on both databases.

An old integer id N of table T becomes uuid3(NAMESPACE, "T:N"), computed the same way by Python (SQLite) and by
PostgreSQL's built-in md5 (no extension needed), so a foreign key, a JSON document or a pending event that named row
N of T names the same new id. event_outbox keeps its ordered integer key (it is the publishing order).

SQLite: each table is rebuilt by SQLite's own procedure (as 0007 does) with CHAR(36) keys, the rows copied through a
SQL function that maps the ids. PostgreSQL: foreign keys dropped, columns retyped in place (indexes, uniques, CHECKs
and 0004's exclusion constraint are rebuilt by ALTER ... TYPE), foreign keys re-created as they were, sequences
dropped. Frozen: nothing here reads the models.
"""

import json
import re
import uuid
from typing import Any

from tortoise import fields
from tortoise.migrations import migration
from tortoise.migrations import operations as ops
from tortoise.transactions import in_transaction

NAMESPACE = uuid.UUID("6f1c4f9e-3d0b-4a57-9a51-2f0d8b7c1e11")

# table -> {foreign key column: referenced table}, for every table whose key becomes a UUID.
TABLES: dict[str, dict[str, str]] = {
    "users": {},
    "businesses": {},
    "organization_members": {"organization_id": "businesses", "user_id": "users"},
    "organization_services": {"organization_id": "businesses"},
    "organization_capabilities": {"organization_id": "businesses"},
    "user_skills": {"user_id": "users"},
    "vehicles": {"owner_id": "users"},
    "service_bookings": {
        "customer_id": "users",
        "organization_id": "businesses",
        "service_id": "organization_services",
        "vehicle_id": "vehicles",
    },
    "booking_status_history": {"booking_id": "service_bookings", "changed_by_id": "users"},
    "job_offers": {"booking_id": "service_bookings", "user_id": "users"},
    "reviews": {
        "booking_id": "service_bookings",
        "author_id": "users",
        "subject_user_id": "users",
        "subject_organization_id": "businesses",
    },
    "capacity_schedule": {
        "organization_id": "businesses",
        "capability_id": "organization_capabilities",
        "user_id": "users",
        "booking_id": "service_bookings",
    },
    "work_contracts": {"booking_id": "service_bookings", "customer_id": "users", "organization_id": "businesses"},
    "payment_distributions": {
        "contract_id": "work_contracts",
        "booking_id": "service_bookings",
        "recipient_user_id": "users",
        "recipient_organization_id": "businesses",
    },
}
MODELS = {
    "users": "User",
    "businesses": "Organization",
    "organization_members": "OrganizationMember",
    "organization_services": "OrganizationService",
    "organization_capabilities": "OrganizationCapability",
    "user_skills": "UserSkill",
    "vehicles": "Vehicle",
    "service_bookings": "ServiceBooking",
    "booking_status_history": "BookingStatusHistory",
    "job_offers": "JobOffer",
    "reviews": "Review",
    "capacity_schedule": "CapacitySchedule",
    "work_contracts": "WorkContract",
    "payment_distributions": "PaymentDistribution",
}
# Keys under which JSON documents (and pending events) hold ids of a table.
JSON_IDS = {
    "user_id": "users",
    "organization_id": "businesses",
    "service_id": "organization_services",
    "capability_id": "organization_capabilities",
    "booking_id": "service_bookings",
    "contract_id": "work_contracts",
    "distribution_id": "payment_distributions",
    "userId": "users",
    "customerId": "users",
    "subjectUserId": "users",
    "organizationId": "businesses",
    "serviceId": "organization_services",
    "capabilityIds": "organization_capabilities",
    "bookingId": "service_bookings",
    "contractId": "work_contracts",
    "offerId": "job_offers",
    "vehicleId": "vehicles",
    "skillId": "user_skills",
}
# Channel names of pending events (app/channels.py as of 0007): prefix -> the table whose id ends the name.
CHANNELS = {
    "capacity.org.": "businesses",
    "booking.org.": "businesses",
    "booking.customer.": "users",
    "offers.user.": "users",
    "access.user.": "users",
    "booking.": "service_bookings",
}
JSON_COLUMNS = {
    "service_bookings": ("plan", "quote_breakdown", "alternatives", "excluded", "staffing_changes"),
    "work_contracts": ("milestones", "signatures"),
}


def legacy_uuid(table: str, old_id: int) -> uuid.UUID:
    return uuid.uuid3(NAMESPACE, f"{table}:{int(old_id)}")


# The same function in PostgreSQL: uuid3 is MD5 of the namespace's bytes and the name, with version and variant set.
PG_FUNCTION = f"""
CREATE FUNCTION pg_temp.legacy_uuid(tbl text, old bigint) RETURNS uuid LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN old IS NULL THEN NULL ELSE encode(
        set_byte(set_byte(h, 6, (get_byte(h, 6) & 15) | 48), 8, (get_byte(h, 8) & 63) | 128), 'hex')::uuid END
    FROM (SELECT decode(md5(decode('{NAMESPACE.hex}', 'hex') || convert_to(tbl || ':' || old::text, 'UTF8')),
        'hex') AS h) AS digest
$$;
"""


def _mapped(value: Any, table: str | None = None) -> Any:
    """A JSON document with every integer id under a known key replaced by its UUID (as text)."""
    if isinstance(value, list):
        return [_mapped(v, table) for v in value]
    if isinstance(value, dict):
        return {k: _mapped(v, JSON_IDS.get(k)) for k, v in value.items()}
    if table is not None and isinstance(value, int) and not isinstance(value, bool):
        return str(legacy_uuid(table, value))
    if table is not None and isinstance(value, str) and value.isdigit():
        return str(legacy_uuid(table, int(value)))
    return value


async def _json_updates(client: Any) -> list[tuple[str, str, str, int, str]]:
    """(table, column, key column, old key, new JSON) for every document that changes: booking and contract
    documents, and events not yet published (their payloads name rows by id)."""
    found = []
    for table, columns in JSON_COLUMNS.items():
        for column in columns:
            _, rows = await client.execute_query(f'SELECT "id", "{column}" FROM "{table}"')
            for row in rows:
                raw = row[column]
                value = json.loads(raw) if isinstance(raw, str) else raw
                new = _mapped(value)
                if new != value:
                    found.append((table, column, "id", int(row["id"]), json.dumps(new)))
    _, events = await client.execute_query(
        'SELECT "id", "channel", "payload" FROM "event_outbox" WHERE "published_at" IS NULL'
    )
    for row in events:
        value = json.loads(row["payload"])
        new = _mapped(value)
        if new != value:
            found.append(("event_outbox", "payload", "id", int(row["id"]), json.dumps(new, separators=(",", ":"))))
        channel = _channel(row["channel"])
        if channel != row["channel"]:
            found.append(("event_outbox", "channel", "id", int(row["id"]), channel))
    return found


def _channel(name: str) -> str:
    for prefix, table in CHANNELS.items():  # longest prefixes first
        rest = name.removeprefix(prefix)
        if rest != name and rest.isdigit():
            return f"{prefix}{legacy_uuid(table, int(rest))}"
    return name


def _subject_key_sql(text: str) -> str:
    return (
        f'UPDATE "reviews" SET "subject_key" = CASE WHEN "subject_organization_id" IS NULL'
        f" THEN 'user-' || {text.format('subject_user_id')} ELSE 'org-' || {text.format('subject_organization_id')} END"
    )


async def _postgres(client: Any) -> None:
    async with in_transaction(client.connection_name) as tx:
        documents = await _json_updates(tx)  # read while the keys are still the old integers
        await tx.execute_script(PG_FUNCTION)
        names = ", ".join(f"'{t}'" for t in TABLES)
        _, foreign = await tx.execute_query(
            "SELECT conrelid::regclass::text AS tbl, conname, pg_get_constraintdef(oid) AS definition"
            f" FROM pg_constraint WHERE contype = 'f' AND confrelid::regclass::text IN ({names})"
        )
        for row in foreign:
            await tx.execute_script(f'ALTER TABLE "{row["tbl"]}" DROP CONSTRAINT "{row["conname"]}"')
        for table, references in TABLES.items():
            changes = [
                'ALTER COLUMN "id" DROP DEFAULT',
                f'ALTER COLUMN "id" TYPE uuid USING pg_temp.legacy_uuid(\'{table}\', "id")',
                *(
                    f'ALTER COLUMN "{column}" TYPE uuid USING pg_temp.legacy_uuid(\'{target}\', "{column}")'
                    for column, target in references.items()
                ),
            ]
            await tx.execute_script(f'ALTER TABLE "{table}" {", ".join(changes)}')
            await tx.execute_script(f'DROP SEQUENCE IF EXISTS "{table}_id_seq"')
        for row in foreign:
            await tx.execute_script(f'ALTER TABLE "{row["tbl"]}" ADD CONSTRAINT "{row["conname"]}" {row["definition"]}')
        await tx.execute_script('ALTER TABLE "reviews" ALTER COLUMN "subject_key" TYPE VARCHAR(50)')
        await tx.execute_script(_subject_key_sql('"{}"::text'))
        for table, column, key, old, document in documents:
            new_key: Any = old if table == "event_outbox" else legacy_uuid(table, old)
            await tx.execute_query(f'UPDATE "{table}" SET "{column}" = $1 WHERE "{key}" = $2', [document, new_key])


_INT_KEY = '"id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL'
_INT_REFERENCE = re.compile(r'"(\w+)" INT((?: NOT NULL)?(?: UNIQUE)?) REFERENCES')


async def _sqlite_rebuild_script(client: Any, table: str) -> str:
    """The table again with CHAR(36) keys and references, its rows copied through legacy_uuid()."""
    _, rows = await client.execute_query("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", [table])
    create = rows[0]["sql"]
    if _INT_KEY not in create:
        raise RuntimeError(f"{table}: unexpected key column in {create[:200]}")
    create = create.replace(_INT_KEY, '"id" CHAR(36) NOT NULL PRIMARY KEY', 1)
    create = _INT_REFERENCE.sub(r'"\1" CHAR(36)\2 REFERENCES', create)
    create = create.replace('"subject_key" VARCHAR(40)', '"subject_key" VARCHAR(50)')
    create = create.replace(f'CREATE TABLE "{table}"', f'CREATE TABLE "new__{table}"', 1)
    _, columns = await client.execute_query(f'PRAGMA table_info("{table}")')
    references = TABLES[table]
    selected = []
    for column in (c["name"] for c in columns):
        target = table if column == "id" else references.get(column)
        selected.append(f"legacy_uuid('{target}', \"{column}\")" if target else f'"{column}"')
    _, indexes = await client.execute_query(
        "SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL", [table]
    )
    statements = [
        create,
        f'INSERT INTO "new__{table}" SELECT {", ".join(selected)} FROM "{table}"',
        f'DROP TABLE "{table}"',
        f'ALTER TABLE "new__{table}" RENAME TO "{table}"',
        *(index["sql"] for index in indexes),
    ]
    return ";\n".join(statements) + ";\n"


def _quoted(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


async def _sqlite(client: Any) -> None:
    """One script on the raw connection, as in 0007: the rebuilds and the mapping are one transaction, foreign keys
    off around it so that dropping a parent never cascades."""
    documents = await _json_updates(client)
    script = "".join([await _sqlite_rebuild_script(client, table) for table in TABLES])
    script += _subject_key_sql("{}") + ";\n"
    for table, column, key, old, document in documents:
        new_key = str(old) if table == "event_outbox" else _quoted(str(legacy_uuid(table, old)))
        script += f'UPDATE "{table}" SET "{column}" = {_quoted(document)} WHERE "{key}" = {new_key};\n'
    connection = client._connection
    await connection.create_function(
        "legacy_uuid", 2, lambda t, i: None if i is None else str(legacy_uuid(t, i)), deterministic=True
    )
    await connection.execute("PRAGMA foreign_keys = OFF")
    try:
        await connection.executescript(f"BEGIN;\n{script}COMMIT;")
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
    raise RuntimeError("UUID keys cannot be turned back into integers: restore a backup taken before 0008")


class StateOnlyAlter(ops.AlterField):
    """Records the new key in the migration state; forward() changed the database."""

    async def database_forward(self, *args: Any, **kwargs: Any) -> None:
        return None

    async def database_backward(self, *args: Any, **kwargs: Any) -> None:
        return None


class Migration(migration.Migration):
    dependencies = [("models", "0007_seed_vocabularies")]
    atomic = False

    operations = [
        ops.RunPython(forward, backward),
        *(
            StateOnlyAlter(
                model_name=model,
                name="id",
                field=fields.UUIDField(primary_key=True, default=uuid.uuid4, unique=True, db_index=True),
            )
            for model in MODELS.values()
        ),
        StateOnlyAlter(model_name="Review", name="subject_key", field=fields.CharField(max_length=50)),
    ]
