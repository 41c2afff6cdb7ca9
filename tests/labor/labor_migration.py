"""Run in a process of its own: migrate a scratch database to 0007, write a skill in the old columns, migrate to the
head, and print what the row became (JSON). Tortoise's state is global, so this cannot share the test's."""

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
    "INSERT INTO users (id, email, password_hash, full_name, phone, bio, rating, rating_count, completed_jobs,"
    " stripe_account_id, is_admin, is_active, token_version, created_at, updated_at) VALUES (1, 'a@b.test', 'x', 'A',"
    " '', '', 0, 0, 0, '', {false}, {true}, 0, {now}, {now})",
    "INSERT INTO user_skills (id, user_id, skill_category, skill_name, proficiency_level, years_experience,"
    " hourly_rate_cents, certifications, availability_hours_per_week, travel_radius_miles, is_available, created_at,"
    " updated_at) VALUES (1, 1, 'painting', 'Paint', 'expert', 7, 3500, '[\"ASE Certified\"]', 30, 60, {true},"
    " {now}, {now})",
]
COLUMNS = (
    "skill_category, available_hours_per_week, max_travel_distance_miles, preferred_work_schedule, minimum_job_hours,"
    " has_own_tools, is_verified, verified_by, verified_at, portfolio_image_urls, sample_work_urls, certifications"
)


async def _refused(statement: str) -> bool:
    try:
        await connections.get("default").execute_script(statement)
    except Exception:  # the CHECK or unique constraint, whatever the driver calls it
        return True
    return False


async def main(url: str) -> dict[str, Any]:
    config = db.tortoise_config(url)
    await migrate(config=config, target="models.0007_seed_vocabularies")
    await Tortoise.init(config=config)
    postgres = db.is_postgres(url)
    values = {"true": "TRUE" if postgres else "1", "false": "FALSE" if postgres else "0", "now": "CURRENT_TIMESTAMP"}
    for statement in OLD_ROWS:
        for key, value in values.items():
            statement = statement.replace("{" + key + "}", value)
        await connections.get("default").execute_script(statement)
    await Tortoise.close_connections()
    await migrate(config=config)
    await Tortoise.init(config=config)
    _, rows = await connections.get("default").execute_query(f"SELECT {COLUMNS} FROM user_skills WHERE id = 1")
    row = dict(rows[0])
    for key in ("certifications", "portfolio_image_urls", "sample_work_urls"):
        row[key] = json.loads(row[key]) if isinstance(row[key], str) else row[key]
    for key in ("has_own_tools", "is_verified"):
        row[key] = bool(row[key])
    _, users = await connections.get("default").execute_query("SELECT account_type FROM users WHERE id = 1")
    row["account_type"] = users[0]["account_type"]
    row["bad_account_type_refused"] = await _refused("UPDATE users SET account_type = 'admin'")
    row["bad_schedule_refused"] = await _refused("UPDATE user_skills SET preferred_work_schedule = 'nights'")
    row["second_painting_refused"] = await _refused(
        "INSERT INTO user_skills (user_id, skill_category, skill_name, proficiency_level, years_experience,"
        " hourly_rate_cents, certifications, available_hours_per_week, max_travel_distance_miles, is_available,"
        " preferred_work_schedule, minimum_job_hours, has_own_tools, is_verified, portfolio_image_urls,"
        " sample_work_urls, created_at, updated_at) VALUES (1, 'painting', 'Again', 'expert', 7, 0, '[]', 40, 25,"
        f" {values['true']}, 'flexible', 2, {values['false']}, {values['false']}, '[]', '[]', {values['now']},"
        f" {values['now']})"
    )
    await Tortoise.close_connections()
    return row


if __name__ == "__main__":
    try:
        sys.stdout.write(json.dumps(asyncio.run(main(sys.argv[1])), default=str))
        sys.stdout.flush()
    except BaseException:
        traceback.print_exc()
        os._exit(1)  # an open SQLite connection's thread would keep a failed run from exiting
    os._exit(0)
