"""Run in a process of its own: migrate a scratch database to 0007, write bookings and capacity blocks as they were
stored before 0011 (breakdown JSON, notes, is_flexible, hours, block_reason), migrate through 0011, and print what
the rows became (JSON). Tortoise's state is global, so this cannot share the test's."""

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
THROUGH = "models.0011_booking_schedule_columns"

PLAN = {
    "organization_id": 1,
    "service_id": 1,
    "timezone": "America/Los_Angeles",
    "window": {"start": "2030-01-07T16:00:00+00:00", "end": "2030-01-08T01:00:00+00:00", "days": []},
    "capability_blocks": [
        {
            "capability_id": 1,
            "start": "2030-01-07T16:00:00+00:00",
            "end": "2030-01-07T22:00:00+00:00",
            "units": 1,
            "hours": "6.00",
        },
        {
            "capability_id": 1,
            "start": "2030-01-07T22:00:00+00:00",
            "end": "2030-01-08T00:30:00+00:00",
            "units": 1,
            "hours": "2.50",
        },
    ],
    "roles": [
        {
            "role": "painting",
            "min_proficiency": "proficient",
            "hours": "8.00",
            "candidates": [],
            "assignments": [{"user_id": 2, "name": "Pat", "hours": "8.00", "blocks": []}],
        }
    ],
}
BREAKDOWN = {
    "total_cents": 200_000,
    "service_price_cents": 200_000,
    "facility_fee_cents": 40_000,
    "materials_cents": 0,
    "labor_fee_cents": 140_000,
    "platform_fee_cents": 20_000,
    "split_bps": {"facility": 2000, "labor": 7000, "platform": 1000},
    "labor": [{"user_id": 2, "name": "Pat", "role": "painting", "hours": "8.00", "amount_cents": 140_000}],
}
BOOKING = (
    "INSERT INTO service_bookings (id, service_type, status, requested_start_date, is_flexible, notes,"
    " quoted_price_cents, quote_breakdown, scheduled_start, scheduled_end, actual_start, actual_completion, plan,"
    " alternatives, excluded, cancellation_reason, created_at, updated_at, customer_id, organization_id, service_id,"
    " vehicle_id, staffing_changes) VALUES ({id}, '{type}', 'completed', '2030-01-07', {false}, '{notes}', {price},"
    " '{breakdown}', {start}, {end}, {actual_start}, {actual_end}, '{plan}', '[]', '[]', '', {now}, {now}, 1, 1,"
    " {service}, {vehicle}, '[]')"
)


def braced(document: object) -> str:
    """JSON inside a statement that is formatted once more (with true/false/now): its braces doubled."""
    return json.dumps(document).replace("{", "{{").replace("}", "}}")


OLD_ROWS = [
    "INSERT INTO businesses (id, name, description, address, city, state, postal_code, timezone, phone, email,"
    " website, tags, keywords, operating_hours, facility_share_bps, labor_share_bps, platform_share_bps, rating,"
    " rating_count, completed_jobs, is_active, created_at, updated_at) VALUES (1, 'Viva', '', '', '', '', '',"
    " 'America/Los_Angeles', '', '', '', '[]', '[]', '{{}}', 2000, 7000, 1000, 0, 0, 0, {true}, {now}, {now})",
    *(
        "INSERT INTO users (id, email, password_hash, full_name, phone, bio, rating, rating_count, completed_jobs,"
        f" is_admin, is_active, token_version, created_at, updated_at) VALUES ({i}, 'u{i}@b.test', 'x', 'U{i}', '',"
        " '', 0, 0, 0, {false}, {true}, 0, {now}, {now})"
        for i in (1, 2)
    ),
    "INSERT INTO vehicles (id, year, make, model, color, value_cents, notes, created_at, owner_id) VALUES"
    " (1, 1987, 'Buick', 'Grand National', '', 0, '', {now}, 1)",
    "INSERT INTO organization_services (id, service_name, service_type, description, pricing_model, base_price_cents,"
    " hourly_rate_cents, percentage_rate_bps, price_tiers, materials_cost_cents, estimated_hours, estimated_days,"
    " required_capabilities, required_skills, is_active, created_at, updated_at, organization_id) VALUES (1,"
    " 'Paint exterior', 'bodywork', '', 'fixed_price', 200000, 0, 0, '[]', 0, 8, 1, '[]', '[]', {true}, {now}, {now},"
    " 1)",
    "INSERT INTO organization_capabilities (id, capability_type, name, quantity, unit, hours_per_day, days_per_week,"
    " specifications, is_operational, created_at, updated_at, organization_id) VALUES (1, 'paint_booth', 'Booth', 1,"
    " 'units', 8, 5, '{{}}', {true}, {now}, {now}, 1)",
    # Priced: its parts move to columns; the window ends at 5 pm in Las Vegas, after midnight UTC.
    BOOKING.format(
        id=1,
        type="bodywork",
        notes="Hood faded",
        price=200_000,
        breakdown=braced(BREAKDOWN),
        start="'2030-01-07 16:00:00+00:00'",
        end="'2030-01-08 01:00:00+00:00'",
        actual_start="'2030-01-07 16:30:00+00:00'",
        actual_end="'2030-01-08 02:00:00+00:00'",
        plan=braced(PLAN),
        service=1,
        vehicle=1,
        now="{now}",
        false="{false}",
    ),
    # A custom quote awaiting its price, with neither service nor vehicle.
    BOOKING.format(
        id=2,
        type="light_restoration",
        notes="",
        price="NULL",
        breakdown="{{}}",
        start="NULL",
        end="NULL",
        actual_start="NULL",
        actual_end="NULL",
        plan="{{}}",
        service="NULL",
        vehicle="NULL",
        now="{now}",
        false="{false}",
    ),
    # A price without a breakdown: the facility's whole.
    BOOKING.format(
        id=3,
        type="bodywork",
        notes="",
        price=5_000,
        breakdown="{{}}",
        start="NULL",
        end="NULL",
        actual_start="NULL",
        actual_end="NULL",
        plan="{{}}",
        service=1,
        vehicle="NULL",
        now="{now}",
        false="{false}",
    ),
    "INSERT INTO booking_status_history (id, from_status, to_status, reason, created_at, booking_id) VALUES"
    " (1, NULL, 'quote_requested', '', {now}, 1)",
    # 10 pm in Las Vegas on Monday the 7th (Tuesday in UTC), ten hours: past midnight.
    "INSERT INTO capacity_schedule (id, resource_type, start_time, end_time, units, hours, is_reserved, is_blocked,"
    " block_reason, created_at, booking_id, capability_id, organization_id, user_id) VALUES (1,"
    " 'facility_capability', '2030-01-08 06:00:00+00:00', '2030-01-08 16:00:00+00:00', 1, '10.00', {true},"
    " {false}, '', {now}, 1, 1, 1, NULL)",
    "INSERT INTO capacity_schedule (id, resource_type, start_time, end_time, units, hours, is_reserved, is_blocked,"
    " block_reason, created_at, booking_id, capability_id, organization_id, user_id) VALUES (2, 'user_labor',"
    " '2030-01-07 16:00:00+00:00', '2030-01-08 00:00:00+00:00', 1, '8.00', {true}, {false}, '', {now}, 1, NULL, 1,"
    " 2)",
    "INSERT INTO capacity_schedule (id, resource_type, start_time, end_time, units, hours, is_reserved, is_blocked,"
    " block_reason, created_at, booking_id, capability_id, organization_id, user_id) VALUES (3,"
    " 'facility_capability', '2030-01-09 16:00:00+00:00', '2030-01-10 01:00:00+00:00', 0, '9.00', {false}, {true},"
    " 'maintenance', {now}, NULL, 1, 1, NULL)",
]
BOOKING_COLUMNS = [
    "title",
    "customer_notes",
    "flexible_timeline",
    "total_quoted_price_cents",
    "facility_fee_cents",
    "labor_fee_cents",
    "materials_cost_cents",
    "platform_fee_cents",
    "quote_split",
    "assigned_labor_users",
    "assigned_capabilities",
    "calculated_start_date",
    "calculated_completion_date",
    "actual_start_date",
    "actual_completion_date",
]
JSON_COLUMNS = {"quote_split", "assigned_labor_users", "assigned_capabilities"}


async def refused(connection: Any, statement: str) -> bool:
    try:
        await connection.execute_script(statement)
    except Exception:  # the CHECK constraint, whatever the driver calls it
        return True
    return False


def plain(column: str, value: Any) -> Any:
    if column in JSON_COLUMNS:
        return json.loads(value) if isinstance(value, str) else value
    if column == "flexible_timeline":
        return bool(value)
    if column == "duration_hours":
        return float(value)
    return value if value is None or isinstance(value, int | str) else str(value)


async def main(url: str) -> dict[str, Any]:
    config = db.tortoise_config(url)
    await migrate(config=config, target=BEFORE)
    await Tortoise.init(config=config)
    postgres = db.is_postgres(url)
    connection = connections.get("default")
    values = {"true": "TRUE" if postgres else "1", "false": "FALSE" if postgres else "0", "now": "CURRENT_TIMESTAMP"}
    for statement in OLD_ROWS:
        await connection.execute_script(statement.format(**values))
    await Tortoise.close_connections()
    await migrate(config=config, target=THROUGH)
    await Tortoise.init(config=config)
    connection = connections.get("default")
    columns = ", ".join(f'"{c}"' for c in BOOKING_COLUMNS)
    _, bookings = await connection.execute_query(f'SELECT "id", {columns} FROM service_bookings ORDER BY "id"')
    _, blocks = await connection.execute_query(
        'SELECT "id", "resource_id", "date", "duration_hours", "notes" FROM capacity_schedule ORDER BY "id"'
    )
    _, history = await connection.execute_query("SELECT COUNT(*) AS n FROM booking_status_history")
    result = {
        "bookings": {str(row["id"]): {c: plain(c, row[c]) for c in BOOKING_COLUMNS} for row in bookings},
        "blocks": {
            str(row["id"]): {c: plain(c, row[c]) for c in ("resource_id", "date", "duration_hours", "notes")}
            for row in blocks
        },
        "history_rows": int(history[0]["n"]),
        "parts_not_adding_up_refused": await refused(
            connection, "UPDATE service_bookings SET platform_fee_cents = platform_fee_cents + 1 WHERE id = 1"
        ),
        "foreign_resource_id_refused": await refused(
            connection, "UPDATE capacity_schedule SET resource_id = 2 WHERE id = 1"
        ),
    }
    await Tortoise.close_connections()
    return result


if __name__ == "__main__":
    try:
        sys.stdout.write(json.dumps(asyncio.run(main(sys.argv[1]))))
        sys.stdout.flush()
    except BaseException:
        traceback.print_exc()
        os._exit(1)  # an open SQLite connection's thread would keep a failed run from exiting
    os._exit(0)
