"""The seed's columns of organization_services and organization_capabilities, and the expected sale price of a quote.

Mapped rows: a capability's name becomes capability_name (a blank one takes its type's label: the seed's column is
NOT NULL), unit becomes unit_type; a service's estimated_days becomes typical_duration_days, percentage_rate_bps
becomes percentage_rate in percent (800 bps → 8.00), and search_text is filled from name and description.

The range CHECKs change on PostgreSQL only: on SQLite, Tortoise stores decimals as text ('8' <= 24 is false
there), so 0007 kept only the vocabulary CHECKs on SQLite and this migration touches no CHECK there. For the same
reason nothing here rebuilds a SQLite table: columns are added, renamed and dropped with ALTER TABLE.
Frozen: nothing here reads the models.
"""

from typing import Any

from tortoise import fields, migrations
from tortoise.indexes import Index
from tortoise.migrations import operations as ops
from tortoise.migrations.constraints import CheckConstraint

SERVICE_CHECK = (
    "base_price_cents >= 0 AND hourly_rate_cents >= 0 AND materials_cost_cents >= 0"
    " AND percentage_rate >= 0 AND percentage_rate <= 100 AND estimated_hours >= 0"
    " AND (typical_duration_days IS NULL OR typical_duration_days >= 1) AND max_concurrent_jobs >= 1"
)
CAPABILITY_CHECK = (
    "quantity >= 0 AND hours_per_day >= 0 AND hours_per_day <= 24"
    " AND days_per_week >= 0 AND days_per_week <= 7 AND hourly_cost_cents >= 0 AND daily_cost_cents >= 0"
)


def search_text(*parts: Any) -> str:
    """The same text models.organization.search_text writes (frozen here)."""
    words: list[str] = []
    for part in parts:
        if isinstance(part, list):
            words.extend(str(p) for p in part)
        elif part:
            words.append(str(part))
    return " ".join(w.strip().lower() for w in words if w.strip())


async def map_rows(apps: Any, schema_editor: Any) -> None:
    client = schema_editor.client
    postgres = schema_editor.DIALECT == "postgres"
    await client.execute_script(
        "UPDATE organization_services SET percentage_rate = percentage_rate_bps / 100.0,"
        " typical_duration_days = estimated_days"
        if postgres
        # Decimals are text on SQLite: written with their two places, as Tortoise writes them.
        else "UPDATE organization_services SET percentage_rate = printf('%.2f', percentage_rate_bps / 100.0),"
        " typical_duration_days = estimated_days"
    )
    await client.execute_script(
        "UPDATE organization_capabilities SET capability_name = replace(upper(substr(capability_type, 1, 1))"
        " || substr(capability_type, 2), '_', ' ') WHERE trim(capability_name) = ''"
    )
    _, rows = await client.execute_query('SELECT "id", "service_name", "description" FROM "organization_services"')
    for row in rows:
        text = search_text(row["service_name"], row["description"])
        param = "$1" if postgres else "?"
        await client.execute_query(
            f'UPDATE "organization_services" SET "search_text" = {param} WHERE "id" = {int(row["id"])}', [text]
        )


async def unmap_rows(apps: Any, schema_editor: Any) -> None:
    await schema_editor.client.execute_script(
        "UPDATE organization_services SET percentage_rate_bps = CAST(percentage_rate * 100 AS INTEGER),"
        " estimated_days = COALESCE(typical_duration_days, 1)"
    )


class PostgresOnly:
    """An operation that changes the database on PostgreSQL only (its state change applies everywhere)."""

    async def database_forward(self, app_label: str, old_state: Any, new_state: Any, state_editor: Any = None) -> None:
        if state_editor is not None and state_editor.DIALECT == "postgres":
            await super().database_forward(app_label, old_state, new_state, state_editor)  # type: ignore[misc]

    async def database_backward(self, app_label: str, old_state: Any, new_state: Any, state_editor: Any = None) -> None:
        if state_editor is not None and state_editor.DIALECT == "postgres":
            await super().database_backward(app_label, old_state, new_state, state_editor)  # type: ignore[misc]


class RemoveCheck(PostgresOnly, ops.RemoveConstraint):
    pass


class AddCheck(PostgresOnly, ops.AddConstraint):
    pass


class DropColumn(ops.RemoveField):
    """ALTER TABLE ... DROP COLUMN on both databases (Tortoise rebuilds the table on SQLite, with range CHECKs that
    SQLite's text decimals fail; the dropped columns are in no SQLite CHECK or index)."""

    async def database_forward(self, app_label: str, old_state: Any, new_state: Any, state_editor: Any = None) -> None:
        if state_editor is None:
            return
        if state_editor.DIALECT != "sqlite":
            await super().database_forward(app_label, old_state, new_state, state_editor)
            return
        model = old_state.apps.get_model(f"{app_label}.{self.model_name}")
        await state_editor.client.execute_script(f'ALTER TABLE "{model._meta.db_table}" DROP COLUMN "{self.name}"')


class AddColumn(ops.AddField):
    """ADD COLUMN ... NOT NULL DEFAULT <sql>: both databases refuse a NOT NULL column without a default on a table
    that has rows (Tortoise writes no database default for a Python one)."""

    def __init__(self, model_name: str, name: str, field: Any, default_sql: str) -> None:
        super().__init__(model_name=model_name, name=name, field=field)
        self.default_sql = default_sql

    async def database_forward(self, app_label: str, old_state: Any, new_state: Any, state_editor: Any = None) -> None:
        if state_editor is None:
            return
        model = new_state.apps.get_model(f"{app_label}.{self.model_name}")
        field = model._meta.fields_map[self.name]
        sql_type = field.get_for_dialect(state_editor.DIALECT, "SQL_TYPE")
        await state_editor.client.execute_script(
            f'ALTER TABLE "{model._meta.db_table}" ADD COLUMN "{self.name}" {sql_type} NOT NULL'
            f" DEFAULT {self.default_sql}"
        )


class Migration(migrations.Migration):
    dependencies = [("models", "0007_seed_vocabularies")]

    initial = False

    operations = [
        RemoveCheck(model_name="OrganizationCapability", name="organization_capabilities_ranges", fields=None),
        RemoveCheck(model_name="OrganizationService", name="organization_services_non_negative", fields=None),
        ops.RenameField(model_name="OrganizationCapability", old_name="name", new_name="capability_name"),
        ops.RenameField(model_name="OrganizationCapability", old_name="unit", new_name="unit_type"),
        AddColumn("OrganizationCapability", "description", fields.TextField(default=""), "''"),
        AddColumn("OrganizationCapability", "hourly_cost_cents", fields.BigIntField(default=0), "0"),
        AddColumn("OrganizationCapability", "daily_cost_cents", fields.BigIntField(default=0), "0"),
        ops.AddField(
            model_name="OrganizationCapability", name="last_maintenance_date", field=fields.DateField(null=True)
        ),
        ops.AddField(
            model_name="OrganizationCapability", name="next_maintenance_date", field=fields.DateField(null=True)
        ),
        AddColumn(
            "OrganizationService",
            "percentage_rate",
            fields.DecimalField(default=0, max_digits=5, decimal_places=2),
            "0",
        ),
        ops.AddField(model_name="OrganizationService", name="typical_duration_days", field=fields.IntField(null=True)),
        AddColumn("OrganizationService", "max_concurrent_jobs", fields.IntField(default=1), "1"),
        AddColumn("OrganizationService", "is_featured", fields.BooleanField(default=False), "FALSE"),
        AddColumn("OrganizationService", "tags", fields.JSONField(default=list), "'[]'"),
        AddColumn("OrganizationService", "search_keywords", fields.JSONField(default=list), "'[]'"),
        AddColumn("OrganizationService", "search_text", fields.TextField(default=""), "''"),
        ops.AddField(
            model_name="ServiceBooking", name="expected_sale_price_cents", field=fields.BigIntField(null=True)
        ),
        ops.RunPython(map_rows, unmap_rows),
        DropColumn(model_name="OrganizationService", name="percentage_rate_bps"),
        DropColumn(model_name="OrganizationService", name="estimated_days"),
        ops.AddIndex(model_name="OrganizationService", index=Index(fields=["is_active", "is_featured"])),
        AddCheck(
            model_name="OrganizationCapability",
            constraint=CheckConstraint(check=CAPABILITY_CHECK, name="organization_capabilities_ranges"),
        ),
        AddCheck(
            model_name="OrganizationService",
            constraint=CheckConstraint(check=SERVICE_CHECK, name="organization_services_non_negative"),
        ),
    ]
