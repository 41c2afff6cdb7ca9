"""Run in a process of its own: migrate a scratch database to 0004, write rows in the old vocabularies, migrate to
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

OLD_ROWS = [
    "INSERT INTO businesses (id, name, description, address, city, state, postal_code, timezone, phone, email, website,"
    " tags, keywords, operating_hours, stripe_account_id, facility_share_bps, labor_share_bps, platform_share_bps,"
    " rating, rating_count, completed_jobs, is_active, created_at, updated_at) VALUES (1, 'Old Shop', '', '', '', '',"
    " '', 'UTC', '', '', '', '[]', '[]', '{}', '', 2000, 7000, 1000, 0, 0, 0, {true}, {now}, {now})",
    "INSERT INTO organization_services (id, organization_id, service_name, service_type, description, pricing_model,"
    " base_price_cents, hourly_rate_cents, percentage_rate_bps, price_tiers, materials_cost_cents, estimated_hours,"
    " estimated_days, required_capabilities, required_skills, is_active, created_at, updated_at) VALUES (1, 1,"
    " 'Repaint', 'paint', '', 'fixed', 100, 0, 0, '[]', 0, 8, 1, '[]',"
    ' \'[{"skill_category": "body_work", "min_proficiency": "advanced", "hours": 8}]\', {true}, {now}, {now})',
    "INSERT INTO users (id, email, password_hash, full_name, phone, bio, rating, rating_count, completed_jobs,"
    " stripe_account_id, is_admin, is_active, token_version, created_at, updated_at) VALUES (1, 'a@b.test', 'x', 'A',"
    " '', '', 0, 0, 0, '', {false}, {true}, 0, {now}, {now})",
    "INSERT INTO user_skills (id, user_id, skill_category, skill_name, proficiency_level, years_experience,"
    " hourly_rate_cents, certifications, availability_hours_per_week, travel_radius_miles, is_available, created_at,"
    " updated_at) VALUES (1, 1, 'restoration', 'Trim', 'beginner', 0, 0, '[]', 40, 25, {true}, {now}, {now})",
]


async def main(url: str) -> dict[str, Any]:
    config = db.tortoise_config(url)
    await migrate(config=config, target="models.0004_person_no_overlap")
    await Tortoise.init(config=config)
    postgres = db.is_postgres(url)
    connection = connections.get("default")
    for statement in OLD_ROWS:
        values = {
            "true": "TRUE" if postgres else "1",
            "false": "FALSE" if postgres else "0",
            "now": "CURRENT_TIMESTAMP",
        }
        for key, value in values.items():
            statement = statement.replace("{" + key + "}", value)
        await connection.execute_script(statement)
    await Tortoise.close_connections()
    await migrate(config=config)
    await Tortoise.init(config=config)
    connection = connections.get("default")
    _, service = await connection.execute_query(
        "SELECT service_type, pricing_model, required_skills FROM organization_services"
    )
    _, skill = await connection.execute_query("SELECT skill_category, proficiency_level FROM user_skills")
    refused = False
    try:
        await connection.execute_script("UPDATE user_skills SET proficiency_level = 'advanced'")
    except Exception:  # the CHECK constraint, whatever the driver calls it
        refused = True
    await Tortoise.close_connections()
    required = service[0]["required_skills"]
    return {
        "service_type": service[0]["service_type"],
        "pricing_model": service[0]["pricing_model"],
        "required_skills": json.loads(required) if isinstance(required, str) else required,
        "skill_category": skill[0]["skill_category"],
        "proficiency_level": skill[0]["proficiency_level"],
        "old_value_refused": refused,
    }


if __name__ == "__main__":
    try:
        sys.stdout.write(json.dumps(asyncio.run(main(sys.argv[1]))))
        sys.stdout.flush()
    except BaseException:
        traceback.print_exc()
        os._exit(1)  # an open SQLite connection's thread would keep a failed run from exiting
    os._exit(0)
