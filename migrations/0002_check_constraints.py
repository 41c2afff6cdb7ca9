"""CHECK constraints of the ERD on PostgreSQL, frozen as the SQL this migration first derived from the models.

Tortoise's CreateModel records Meta.constraints but does not emit them, and SQLite cannot add a CHECK to
an existing table; there the same rules are enforced by the services' validation. The statements are
literal, so a later change to a model's constraints needs a migration of its own (`make migration`).
"""

from typing import Any

from tortoise.migrations import migration
from tortoise.migrations.operations import RunPython

# (table, constraint name, CHECK expression)
CHECKS: tuple[tuple[str, str, str], ...] = (
    ("capacity_schedule", "capacity_schedule_resource_type", "resource_type IN ('capability', 'user_labor')"),
    ("capacity_schedule", "capacity_schedule_span", "end_time > start_time AND units >= 0 AND hours >= 0"),
    (
        "capacity_schedule",
        "capacity_schedule_resource",
        "(resource_type = 'capability' AND capability_id IS NOT NULL) OR (resource_type = 'user_labor' AND user_id IS NOT NULL)",
    ),
    ("job_offers", "job_offers_status", "status IN ('pending', 'accepted', 'declined', 'expired', 'withdrawn')"),
    ("job_offers", "job_offers_non_negative", "amount_cents >= 0 AND hours >= 0"),
    ("businesses", "businesses_split_adds_up", "facility_share_bps + labor_share_bps + platform_share_bps = 10000"),
    (
        "organization_capabilities",
        "organization_capabilities_type",
        "capability_type IN ('vehicle_lift', 'paint_booth', 'welding_station', 'wash_bay', 'alignment_rack', 'diagnostic_equipment', 'indoor_storage', 'outdoor_storage', 'parking_spots', 'air_compressor', 'electrical_system', 'specialty_tools')",
    ),
    (
        "organization_capabilities",
        "organization_capabilities_ranges",
        "quantity >= 0 AND hours_per_day >= 0 AND hours_per_day <= 24 AND days_per_week >= 0 AND days_per_week <= 7",
    ),
    ("organization_members", "organization_members_role", "role IN ('owner', 'manager', 'staff')"),
    (
        "organization_services",
        "organization_services_type",
        "service_type IN ('paint', 'body_work', 'mechanical', 'restoration', 'detailing', 'storage', 'inspection', 'fabrication', 'electrical', 'custom')",
    ),
    (
        "organization_services",
        "organization_services_pricing",
        "pricing_model IN ('fixed', 'hourly', 'percentage', 'tiered', 'custom_quote')",
    ),
    (
        "organization_services",
        "organization_services_non_negative",
        "base_price_cents >= 0 AND hourly_rate_cents >= 0 AND materials_cost_cents >= 0 AND percentage_rate_bps >= 0 AND estimated_hours >= 0 AND estimated_days >= 1",
    ),
    (
        "payment_distributions",
        "payment_distributions_status",
        "status IN ('pending', 'processing', 'completed', 'failed', 'reversed', 'reconciled')",
    ),
    ("payment_distributions", "payment_distributions_recipient", "recipient_type IN ('facility', 'labor', 'platform')"),
    (
        "payment_distributions",
        "payment_distributions_amounts",
        "amount_cents >= 0 AND refunded_cents >= 0 AND refunded_cents <= amount_cents",
    ),
    ("reviews", "reviews_score", "score >= 1 AND score <= 5"),
    ("reviews", "reviews_subject_type", "subject_type IN ('customer', 'facility', 'labor')"),
    (
        "service_bookings",
        "service_bookings_status",
        "status IN ('quote_requested', 'calculating', 'quote_ready', 'quote_accepted', 'scheduled', 'in_progress', 'quality_review', 'completed', 'paid', 'cancelled', 'disputed')",
    ),
    (
        "service_bookings",
        "service_bookings_service_type",
        "service_type IN ('paint', 'body_work', 'mechanical', 'restoration', 'detailing', 'storage', 'inspection', 'fabrication', 'electrical', 'custom')",
    ),
    ("service_bookings", "service_bookings_price", "quoted_price_cents IS NULL OR quoted_price_cents >= 0"),
    (
        "service_bookings",
        "service_bookings_score",
        "coordination_score IS NULL OR (coordination_score >= 0 AND coordination_score <= 100)",
    ),
    (
        "user_skills",
        "user_skills_category",
        "skill_category IN ('painting', 'body_work', 'mechanical', 'electrical', 'welding', 'upholstery', 'detailing', 'restoration', 'diagnostics', 'fabrication')",
    ),
    (
        "user_skills",
        "user_skills_proficiency",
        "proficiency_level IN ('beginner', 'intermediate', 'advanced', 'expert')",
    ),
    (
        "user_skills",
        "user_skills_ranges",
        "years_experience >= 0 AND hourly_rate_cents >= 0 AND travel_radius_miles >= 0 AND availability_hours_per_week >= 0 AND availability_hours_per_week <= 168",
    ),
    ("vehicles", "vehicles_ranges", "value_cents >= 0 AND year >= 1885"),
    (
        "work_contracts",
        "work_contracts_status",
        "status IN ('draft', 'pending_signatures', 'active', 'completed', 'terminated', 'disputed')",
    ),
    (
        "work_contracts",
        "work_contracts_type",
        "contract_type IN ('fixed_price', 'time_and_materials', 'percentage', 'tiered', 'custom')",
    ),
    (
        "work_contracts",
        "work_contracts_parts_add_up",
        "facility_amount_cents + labor_amount_cents + platform_fee_cents = total_amount_cents",
    ),
)


async def add_checks(apps: Any, schema_editor: Any) -> None:
    if schema_editor.DIALECT != "postgres":
        return
    for table, name, check in CHECKS:
        await schema_editor.client.execute_script(f'ALTER TABLE "{table}" ADD CONSTRAINT "{name}" CHECK ({check})')


async def drop_checks(apps: Any, schema_editor: Any) -> None:
    if schema_editor.DIALECT != "postgres":
        return
    for table, name, _check in CHECKS:
        await schema_editor.client.execute_script(f'ALTER TABLE "{table}" DROP CONSTRAINT IF EXISTS "{name}"')


class Migration(migration.Migration):
    dependencies = [("models", "0001_initial")]
    operations = [RunPython(add_checks, drop_checks)]
