"""The seed's vocabularies, verbatim: existing rows mapped to the seed's values, CHECKs on PostgreSQL and SQLite.

Old → new (docs/erd-vocabulary.md says why): service types paint and body_work → bodywork, mechanical and
electrical → mechanical_repair, restoration and custom → light_restoration, detailing → professional_detailing,
storage → indoor_storage, inspection → inspection_services; pricing fixed/hourly → fixed_price/hourly_rate; skills
body_work → bodywork, restoration → assembly; proficiency beginner/intermediate/advanced → learning/competent/
proficient; contract percentage/tiered → fixed_price, custom → cost_plus; resource capability → facility_capability.

SQLite had no CHECK constraints at all (Tortoise creates tables without them): each table is rebuilt with its
CHECKs by SQLite's own procedure (foreign keys off, copy, drop, rename, indexes back), outside a transaction so
that the pragma takes effect and dropping a parent never cascades. Frozen: nothing here reads the models.
"""

import json
from enum import Enum
from typing import Any

from tortoise import fields
from tortoise.migrations import migration
from tortoise.migrations import operations as ops
from tortoise.migrations.constraints import CheckConstraint
from tortoise.transactions import in_transaction


# The vocabularies this migration moves to (frozen copies: later changes to models.enums must not change it).
class StrEnum(str, Enum):
    def __str__(self) -> str:
        return self.value


class ServiceType(StrEnum):
    """The seed's fourteen service types, verbatim."""

    CONSIGNMENT_MANAGEMENT = "consignment_management"
    PROFESSIONAL_DETAILING = "professional_detailing"
    PAINT_CORRECTION = "paint_correction"
    CERAMIC_COATING = "ceramic_coating"
    LIGHT_RESTORATION = "light_restoration"
    MECHANICAL_REPAIR = "mechanical_repair"
    BODYWORK = "bodywork"
    FABRICATION = "fabrication"
    INDOOR_STORAGE = "indoor_storage"
    OUTDOOR_STORAGE = "outdoor_storage"
    TRANSPORT_COORDINATION = "transport_coordination"
    PHOTOGRAPHY = "photography"
    LISTING_MANAGEMENT = "listing_management"
    INSPECTION_SERVICES = "inspection_services"


class PricingModel(StrEnum):
    FIXED_PRICE = "fixed_price"
    HOURLY_RATE = "hourly_rate"
    PERCENTAGE = "percentage"
    TIERED = "tiered"
    CUSTOM_QUOTE = "custom_quote"


class SkillCategory(StrEnum):
    PAINTING = "painting"
    BODYWORK = "bodywork"
    MECHANICAL = "mechanical"
    ELECTRICAL = "electrical"
    FABRICATION = "fabrication"
    UPHOLSTERY = "upholstery"
    DETAILING = "detailing"
    ASSEMBLY = "assembly"
    DIAGNOSTICS = "diagnostics"
    WELDING = "welding"


class Proficiency(StrEnum):
    """The seed's levels with their years of experience."""

    LEARNING = "learning"  # 0-1 years
    COMPETENT = "competent"  # 1-3 years
    PROFICIENT = "proficient"  # 3-5 years
    EXPERT = "expert"  # 5-10 years
    MASTER = "master"  # 10+ years


class ContractType(StrEnum):
    TIME_AND_MATERIALS = "time_and_materials"
    FIXED_PRICE = "fixed_price"
    COST_PLUS = "cost_plus"


class ResourceType(StrEnum):
    FACILITY_CAPABILITY = "facility_capability"
    USER_LABOR = "user_labor"


SERVICE_TYPES = {
    "paint": "bodywork",
    "body_work": "bodywork",
    "mechanical": "mechanical_repair",
    "electrical": "mechanical_repair",
    "restoration": "light_restoration",
    "custom": "light_restoration",
    "detailing": "professional_detailing",
    "storage": "indoor_storage",
    "inspection": "inspection_services",
}
PRICING = {"fixed": "fixed_price", "hourly": "hourly_rate"}
SKILLS = {"body_work": "bodywork", "restoration": "assembly"}
PROFICIENCY = {"beginner": "learning", "intermediate": "competent", "advanced": "proficient"}
CONTRACT_TYPES = {"percentage": "fixed_price", "tiered": "fixed_price", "custom": "cost_plus"}
RESOURCES = {"capability": "facility_capability"}

COLUMNS = [
    ("organization_services", "service_type", SERVICE_TYPES),
    ("service_bookings", "service_type", SERVICE_TYPES),
    ("organization_services", "pricing_model", PRICING),
    ("user_skills", "skill_category", SKILLS),
    ("job_offers", "role", SKILLS),
    ("user_skills", "proficiency_level", PROFICIENCY),
    ("work_contracts", "contract_type", CONTRACT_TYPES),
    ("capacity_schedule", "resource_type", RESOURCES),
]
# JSON documents that carry vocabulary values under these keys.
JSON_KEYS = {"skill_category": SKILLS, "role": SKILLS, "min_proficiency": PROFICIENCY, "service_type": SERVICE_TYPES}
JSON_COLUMNS = [
    ("organization_services", "required_skills"),
    ("service_bookings", "plan"),
    ("service_bookings", "quote_breakdown"),
    ("service_bookings", "alternatives"),
]

CHECKS: dict[str, list[tuple[str, str]]] = {
    "capacity_schedule": [
        ("capacity_schedule_resource_type", "resource_type IN ('facility_capability', 'user_labor')"),
        ("capacity_schedule_span", "end_time > start_time AND units >= 0 AND hours >= 0"),
        (
            "capacity_schedule_resource",
            "(resource_type = 'facility_capability' AND capability_id IS NOT NULL) OR (resource_type = 'user_labor' AND user_id IS NOT NULL)",
        ),
    ],
    "job_offers": [
        ("job_offers_status", "status IN ('pending', 'accepted', 'declined', 'expired', 'withdrawn')"),
        ("job_offers_non_negative", "amount_cents >= 0 AND hours >= 0"),
    ],
    "organization_capabilities": [
        (
            "organization_capabilities_type",
            "capability_type IN ('vehicle_lift', 'paint_booth', 'welding_station', 'wash_bay', 'alignment_rack', 'diagnostic_equipment', 'indoor_storage', 'outdoor_storage', 'parking_spots', 'air_compressor', 'electrical_system', 'specialty_tools')",
        ),
        (
            "organization_capabilities_ranges",
            "quantity >= 0 AND hours_per_day >= 0 AND hours_per_day <= 24 AND days_per_week >= 0 AND days_per_week <= 7",
        ),
    ],
    "organization_services": [
        (
            "organization_services_type",
            "service_type IN ('consignment_management', 'professional_detailing', 'paint_correction', 'ceramic_coating', 'light_restoration', 'mechanical_repair', 'bodywork', 'fabrication', 'indoor_storage', 'outdoor_storage', 'transport_coordination', 'photography', 'listing_management', 'inspection_services')",
        ),
        (
            "organization_services_pricing",
            "pricing_model IN ('fixed_price', 'hourly_rate', 'percentage', 'tiered', 'custom_quote')",
        ),
        (
            "organization_services_non_negative",
            "base_price_cents >= 0 AND hourly_rate_cents >= 0 AND materials_cost_cents >= 0 AND percentage_rate_bps >= 0 AND estimated_hours >= 0 AND estimated_days >= 1",
        ),
    ],
    "payment_distributions": [
        (
            "payment_distributions_status",
            "status IN ('pending', 'processing', 'completed', 'failed', 'reversed', 'reconciled')",
        ),
        ("payment_distributions_recipient", "recipient_type IN ('facility', 'labor', 'platform')"),
        (
            "payment_distributions_amounts",
            "amount_cents >= 0 AND refunded_cents >= 0 AND refunded_cents <= amount_cents",
        ),
    ],
    "service_bookings": [
        (
            "service_bookings_status",
            "status IN ('quote_requested', 'calculating', 'quote_ready', 'quote_accepted', 'scheduled', 'in_progress', 'quality_review', 'completed', 'paid', 'cancelled', 'disputed')",
        ),
        (
            "service_bookings_service_type",
            "service_type IN ('consignment_management', 'professional_detailing', 'paint_correction', 'ceramic_coating', 'light_restoration', 'mechanical_repair', 'bodywork', 'fabrication', 'indoor_storage', 'outdoor_storage', 'transport_coordination', 'photography', 'listing_management', 'inspection_services')",
        ),
        ("service_bookings_price", "quoted_price_cents IS NULL OR quoted_price_cents >= 0"),
        (
            "service_bookings_score",
            "coordination_score IS NULL OR (coordination_score >= 0 AND coordination_score <= 100)",
        ),
    ],
    "user_skills": [
        (
            "user_skills_category",
            "skill_category IN ('painting', 'bodywork', 'mechanical', 'electrical', 'fabrication', 'upholstery', 'detailing', 'assembly', 'diagnostics', 'welding')",
        ),
        ("user_skills_proficiency", "proficiency_level IN ('learning', 'competent', 'proficient', 'expert', 'master')"),
        (
            "user_skills_ranges",
            "years_experience >= 0 AND hourly_rate_cents >= 0 AND travel_radius_miles >= 0 AND availability_hours_per_week >= 0 AND availability_hours_per_week <= 168",
        ),
    ],
    "work_contracts": [
        (
            "work_contracts_status",
            "status IN ('draft', 'pending_signatures', 'active', 'completed', 'terminated', 'disputed')",
        ),
        ("work_contracts_type", "contract_type IN ('time_and_materials', 'fixed_price', 'cost_plus')"),
        (
            "work_contracts_parts_add_up",
            "facility_amount_cents + labor_amount_cents + platform_fee_cents = total_amount_cents",
        ),
    ],
}
CHANGED = {
    "organization_services_type",
    "organization_services_pricing",
    "service_bookings_service_type",
    "user_skills_category",
    "user_skills_proficiency",
    "work_contracts_type",
    "capacity_schedule_resource_type",
    "capacity_schedule_resource",
}
MODELS = {
    "organization_services": "OrganizationService",
    "service_bookings": "ServiceBooking",
    "user_skills": "UserSkill",
    "work_contracts": "WorkContract",
    "capacity_schedule": "CapacitySchedule",
}


def _case(column: str, mapping: dict[str, str]) -> str:
    whens = " ".join(f"WHEN '{old}' THEN '{new}'" for old, new in mapping.items())
    return f'"{column}" = CASE "{column}" {whens} ELSE "{column}" END'


def _mapped(value: Any) -> Any:
    if isinstance(value, list):
        return [_mapped(v) for v in value]
    if isinstance(value, dict):
        return {
            k: (JSON_KEYS[k].get(v, v) if k in JSON_KEYS and isinstance(v, str) else _mapped(v))
            for k, v in value.items()
        }
    return value


async def _json_updates(client: Any) -> list[tuple[str, str, int, str]]:
    """(table, column, id, new JSON) for every JSON document that carries an old value."""
    found = []
    for table, column in JSON_COLUMNS:
        _, rows = await client.execute_query(f'SELECT "id", "{column}" FROM "{table}"')
        for row in rows:
            raw = row[column]
            if raw is None:
                continue
            value = json.loads(raw) if isinstance(raw, str) else raw
            new = _mapped(value)
            if new != value:
                found.append((table, column, int(row["id"]), json.dumps(new)))
    return found


async def _postgres(client: Any) -> None:
    async with in_transaction(client.connection_name) as tx:
        for table, checks in CHECKS.items():
            for name, _ in checks:
                if name in CHANGED:
                    await tx.execute_script(f'ALTER TABLE "{table}" DROP CONSTRAINT IF EXISTS "{name}"')
        for table, column, mapping in COLUMNS:
            await tx.execute_query(f'UPDATE "{table}" SET {_case(column, mapping)}')
        for table, column, row_id, document in await _json_updates(tx):
            await tx.execute_query(f'UPDATE "{table}" SET "{column}" = $1 WHERE "id" = {row_id}', [document])
        for table, checks in CHECKS.items():
            for name, check in checks:
                if name in CHANGED:
                    await tx.execute_script(f'ALTER TABLE "{table}" ADD CONSTRAINT "{name}" CHECK ({check})')


def _without_checks(create: str) -> str:
    """The CREATE TABLE statement without its CHECK clauses (an earlier rebuild may have written old ones)."""
    out, i = [], 0
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
        out.append(create[i:start])
        i = j
    out.append(create[i:])
    return "".join(out)


async def _sqlite_rebuild_script(client: Any, table: str, checks: list[tuple[str, str]]) -> str:
    """SQLite's documented way to change a table's constraints: a new table, copy, drop, rename, indexes back."""
    _, rows = await client.execute_query("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", [table])
    head, _, _ = _without_checks(rows[0]["sql"]).rpartition(")")
    head = head.replace(f'CREATE TABLE "{table}"', f'CREATE TABLE "new__{table}"', 1)
    _, indexes = await client.execute_query(
        "SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL", [table]
    )
    # Only the vocabularies: Tortoise stores decimals as text on SQLite, where '8' <= 24 is false, so the range
    # checks stay with the services' validation there (PostgreSQL has them all).
    constraints = "".join(
        f', CONSTRAINT "{name}" CHECK ({check})' for name, check in checks if " IN (" in check or name in CHANGED
    )
    statements = [
        f"{head}{constraints})",
        f'INSERT INTO "new__{table}" SELECT * FROM "{table}"',
        f'DROP TABLE "{table}"',
        f'ALTER TABLE "new__{table}" RENAME TO "{table}"',
        *(index["sql"] for index in indexes),
    ]
    return ";\n".join(statements) + ";\n"


async def _sqlite(client: Any) -> None:
    """One script on the raw connection: Python's sqlite3 commits before each executescript, so the rebuild and
    its row mapping must be a single script to be one transaction (foreign keys off around it, so that dropping a
    parent table never cascades)."""
    script = "".join(f'UPDATE "{table}" SET {_case(column, mapping)};\n' for table, column, mapping in COLUMNS)
    script += "".join(
        f'UPDATE "{table}" SET "{column}" = \'{document.replace(chr(39), chr(39) * 2)}\' WHERE "id" = {row_id};\n'
        for table, column, row_id, document in await _json_updates(client)
    )
    script += "".join([await _sqlite_rebuild_script(client, table, checks) for table, checks in CHECKS.items()])
    connection = client._connection
    await connection.execute("PRAGMA foreign_keys = OFF")
    # An earlier rebuild (0006's) may have written the old lists as CHECKs: map first, then rebuild with the new.
    await connection.execute("PRAGMA ignore_check_constraints = ON")
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
    raise RuntimeError("The seed's vocabularies cannot be unmapped: restore a backup taken before 0007")


class StateOnlyRemove(ops.RemoveConstraint):
    """Records the constraint's removal in the migration state; forward() changed the database."""

    async def database_forward(self, *args: Any, **kwargs: Any) -> None:
        return None

    async def database_backward(self, *args: Any, **kwargs: Any) -> None:
        return None


class StateOnlyAdd(ops.AddConstraint):
    async def database_forward(self, *args: Any, **kwargs: Any) -> None:
        return None

    async def database_backward(self, *args: Any, **kwargs: Any) -> None:
        return None


def _state_operations() -> list[Any]:
    found: list[Any] = []
    for table, checks in CHECKS.items():
        model = MODELS.get(table)
        for name, check in checks:
            if model is None or name not in CHANGED:
                continue
            found.append(StateOnlyRemove(model_name=model, name=name))
            found.append(StateOnlyAdd(model_name=model, constraint=CheckConstraint(check=check, name=name)))
    return found


class StateOnlyAlter(ops.AlterField):
    async def database_forward(self, *args: Any, **kwargs: Any) -> None:
        return None

    async def database_backward(self, *args: Any, **kwargs: Any) -> None:
        return None


def _field_operations() -> list[Any]:
    def enum(enum_type: type[StrEnum], max_length: int, **values: Any) -> Any:
        return fields.CharEnumField(enum_type, max_length=max_length, **values)

    return [
        StateOnlyAlter("OrganizationService", "service_type", enum(ServiceType, 30)),
        StateOnlyAlter(
            "OrganizationService", "pricing_model", enum(PricingModel, 20, default=PricingModel.FIXED_PRICE)
        ),
        StateOnlyAlter("ServiceBooking", "service_type", enum(ServiceType, 30)),
        StateOnlyAlter("UserSkill", "skill_category", enum(SkillCategory, 30)),
        StateOnlyAlter("UserSkill", "proficiency_level", enum(Proficiency, 20, default=Proficiency.COMPETENT)),
        StateOnlyAlter("JobOffer", "role", enum(SkillCategory, 30)),
        StateOnlyAlter("WorkContract", "contract_type", enum(ContractType, 30)),
        StateOnlyAlter(
            "CapacitySchedule",
            "resource_type",
            enum(ResourceType, 20, default=ResourceType.FACILITY_CAPABILITY),
        ),
    ]


class Migration(migration.Migration):
    dependencies = [("models", "0006_skill_once_staffing_changes")]
    atomic = False

    operations = [
        ops.RunPython(forward, backward),
        *_state_operations(),
        *_field_operations(),
    ]
