"""Run in a process of its own: migrate a scratch database to 0007, write catalog rows in that schema, migrate to
the head, and print what the rows became (JSON). Tortoise's state is global, so this cannot share the test's."""

from __future__ import annotations

import asyncio
import json
import os
import sys
import traceback
from typing import Any

from tortoise import Tortoise, connections
from tortoise.migrations.api.migrate import migrate

from app import db

BEFORE = "models.0007_seed_vocabularies"
OLD_ROWS = [
    "INSERT INTO businesses (id, name, description, address, city, state, postal_code, timezone, phone, email, website,"
    " tags, keywords, operating_hours, stripe_account_id, facility_share_bps, labor_share_bps, platform_share_bps,"
    " rating, rating_count, completed_jobs, is_active, created_at, updated_at) VALUES (1, 'Old Shop', '', '', '', '',"
    " '', 'UTC', '', '', '', '[]', '[]', '{}', '', 2000, 7000, 1000, 0, 0, 0, {true}, {now}, {now})",
    "INSERT INTO organization_services (id, organization_id, service_name, service_type, description, pricing_model,"
    " base_price_cents, hourly_rate_cents, percentage_rate_bps, price_tiers, materials_cost_cents, estimated_hours,"
    " estimated_days, required_capabilities, required_skills, is_active, created_at, updated_at) VALUES (1, 1,"
    " 'Consignment', 'consignment_management', 'We SELL the car', 'percentage', 0, 0, 850, '[]', 0, 6, 3, '[]',"
    " '[]', {true}, {now}, {now})",
    "INSERT INTO organization_capabilities (id, organization_id, capability_type, name, quantity, unit, hours_per_day,"
    " days_per_week, specifications, is_operational, created_at, updated_at) VALUES (1, 1, 'vehicle_lift',"
    " 'Two-post lifts', 4, 'lifts', 10, 6, '{}', {true}, {now}, {now})",
    "INSERT INTO organization_capabilities (id, organization_id, capability_type, name, quantity, unit, hours_per_day,"
    " days_per_week, specifications, is_operational, created_at, updated_at) VALUES (2, 1, 'indoor_storage',"
    " '', 2000, 'sq_ft', 24, 7, '{}', {true}, {now}, {now})",
]


async def main(url: str) -> dict[str, Any]:
    config = db.tortoise_config(url)
    await migrate(config=config, target=BEFORE)
    await Tortoise.init(config=config)
    postgres = db.is_postgres(url)
    connection = connections.get("default")
    values = {"true": "TRUE" if postgres else "1", "now": "CURRENT_TIMESTAMP"}
    for statement in OLD_ROWS:
        for key, value in values.items():
            statement = statement.replace("{" + key + "}", value)
        await connection.execute_script(statement)
    await Tortoise.close_connections()
    await migrate(config=config)
    await Tortoise.init(config=config)
    from models import OrganizationCapability, OrganizationService  # the head's models read the mapped rows

    service = await OrganizationService.get(id=1)
    capabilities = await OrganizationCapability.all().order_by("id")
    refused = False
    try:
        await connections.get("default").execute_script("UPDATE organization_services SET max_concurrent_jobs = 0")
    except Exception:  # the CHECK constraint, whatever the driver calls it
        refused = True
    await Tortoise.close_connections()
    return {
        "percentage_rate": str(service.percentage_rate),
        "typical_duration_days": service.typical_duration_days,
        "max_concurrent_jobs": service.max_concurrent_jobs,
        "is_featured": service.is_featured,
        "tags": service.tags,
        "search_keywords": service.search_keywords,
        "search_text": service.search_text,
        "capabilities": [
            [c.capability_name, c.unit_type, c.description, c.hourly_cost_cents, c.next_maintenance_date]
            for c in capabilities
        ],
        "zero_concurrency_refused": refused,
    }


if __name__ == "__main__":
    try:
        sys.stdout.write(json.dumps(asyncio.run(main(sys.argv[1])), default=str))
        sys.stdout.flush()
    except BaseException:
        traceback.print_exc()
        os._exit(1)  # an open SQLite connection's thread would keep a failed run from exiting
    os._exit(0)
