"""Run in a process of its own: migrate a scratch database to 0007, write a contract and its per-recipient payment
rows as they were stored before 0012, migrate to the head, and print what they became (JSON)."""

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

MILESTONES = [
    {"name": "deposit", "percentage_bps": 3000, "amount_cents": 60000, "status": "paid"},
    {"name": "midpoint", "percentage_bps": 4000, "amount_cents": 80000, "status": "pending"},
    {"name": "final", "percentage_bps": 3000, "amount_cents": 60000, "status": "pending"},
]
SIGNATURES = [
    {"party": "customer", "user_id": 1, "signed_at": "2025-11-20T10:00:00+00:00", "document_hash": "h"},
    {"party": "facility", "user_id": 3, "signed_at": "2025-11-20T11:00:00+00:00", "document_hash": "h"},
    {"party": "labor", "user_id": 2, "signed_at": "2025-11-20T12:00:00+00:00", "document_hash": "h"},
]
USER = (
    "INSERT INTO users (id, email, password_hash, full_name, phone, bio, rating, rating_count, completed_jobs,"
    " stripe_account_id, is_admin, is_active, token_version, created_at, updated_at) VALUES ({id}, 'u{id}@b.test',"
    " 'x', 'U{id}', '', '', 0, 0, 0, 'acct_{id}', {false}, {true}, 0, {now}, {now})"
)
OLD_ROWS = [
    *(USER.replace("{id}", str(i)) for i in (1, 2, 3)),
    "INSERT INTO businesses (id, name, description, address, city, state, postal_code, timezone, phone, email, website,"
    " tags, keywords, operating_hours, stripe_account_id, facility_share_bps, labor_share_bps, platform_share_bps,"
    " rating, rating_count, completed_jobs, is_active, created_at, updated_at) VALUES (1, 'Old Shop', '', '', '', '',"
    " '', 'UTC', '', '', '', '[]', '[]', '{}', 'acct_org', 2000, 7000, 1000, 0, 0, 0, {true}, {now}, {now})",
    "INSERT INTO service_bookings (id, service_type, status, requested_start_date, is_flexible, notes,"
    " quote_breakdown, plan, alternatives, excluded, staffing_changes, cancellation_reason, created_at, updated_at,"
    " customer_id, organization_id) VALUES (1, 'bodywork', 'in_progress', '2025-12-01', {true}, '', '{}', '{}', '[]',"
    " '[]', '[]', '', {now}, {now}, 1, 1)",
    "INSERT INTO job_offers (id, role, rank, hours, amount_cents, status, expires_at, created_at, booking_id, user_id)"
    " VALUES (1, 'painting', 1, '40', 140000, 'accepted', {now}, {now}, 1, 2)",
    "INSERT INTO work_contracts (id, contract_type, status, scope_of_work, deliverables, milestones, payment_terms,"
    " total_amount_cents, facility_amount_cents, labor_amount_cents, platform_fee_cents, facility_share_bps,"
    " labor_share_bps, platform_share_bps, start_date, end_date, signatures, document_url, document_hash, created_at,"
    " updated_at, customer_id, organization_id, booking_id) VALUES (1, 'fixed_price', 'active', 'Paint', "
    f"'[\"Paint exterior\"]', '{json.dumps(MILESTONES)}', 'terms', 200000, 40000, 140000, 20000, 2000, 7000, 1000,"
    f" '2025-12-01', '2025-12-11', '{json.dumps(SIGNATURES)}', '/contracts/1/document', 'h', {{now}}, {{now}}, 1, 1,"
    " 1)",
]
TRANSFER = (
    "INSERT INTO payment_distributions (id, milestone, recipient_type, amount_cents, refunded_cents, status,"
    " stripe_payment_intent_id, stripe_transfer_id, transfer_group, idempotency_key, attempts, last_error,"
    " processed_at, created_at, updated_at, booking_id, contract_id, recipient_organization_id, recipient_user_id)"
    " VALUES ({row}, 'deposit', {values}, 'pi_1', {transfer}, 'booking-1', 'booking-1-deposit-{row}', 1, '',"
    " {now}, {now}, {now}, 1, 1, {org}, {user})"
)
OLD_ROWS += [
    TRANSFER.format(
        row=1, values="'facility', 12000, 0, 'reconciled'", transfer="'tr_f'", org=1, user="NULL", now="{now}"
    ),
    TRANSFER.format(
        row=2, values="'labor', 42000, 1000, 'completed'", transfer="'tr_l'", org="NULL", user=2, now="{now}"
    ),
    TRANSFER.format(
        row=3, values="'platform', 6000, 0, 'completed'", transfer="NULL", org="NULL", user="NULL", now="{now}"
    ),
]


async def main(url: str) -> dict[str, Any]:
    config = db.tortoise_config(url)
    await migrate(config=config, target="models.0007_seed_vocabularies")
    await Tortoise.init(config=config)
    postgres = db.is_postgres(url)
    connection = connections.get("default")
    values = {"true": "TRUE" if postgres else "1", "false": "FALSE" if postgres else "0", "now": "CURRENT_TIMESTAMP"}
    for statement in OLD_ROWS:
        for key, value in values.items():
            statement = statement.replace("{" + key + "}", value)
        await connection.execute_script(statement)
    await Tortoise.close_connections()
    await migrate(config=config)
    await Tortoise.init(config=config)
    connection = connections.get("default")
    _, contracts = await connection.execute_query(
        "SELECT facility_id, contract_status, total_contract_value_cents, facility_payment_cents,"
        " contract_document_url, labor_user_ids, labor_payments, deliverables, milestones, signed_by_labor_at,"
        " signed_by_customer_at IS NOT NULL AS customer_signed FROM work_contracts"
    )
    _, events = await connection.execute_query(
        "SELECT id, payment_type, milestone, total_amount_cents, distributions, stripe_payment_intent_id,"
        " stripe_transfer_ids, payment_status, payment_due_date, reconciled FROM payment_distributions ORDER BY id"
    )
    _, transfers = await connection.execute_query(
        "SELECT id, distribution_id, status, held FROM payment_transfers ORDER BY id"
    )
    refused = lines_refused = False
    try:
        await connection.execute_script("UPDATE payment_distributions SET payment_status = 'reversed'")
    except Exception:  # the CHECK constraint, whatever the driver calls it
        refused = True
    try:
        await connection.execute_script("UPDATE payment_distributions SET total_amount_cents = total_amount_cents + 1")
    except Exception:
        lines_refused = True
    await Tortoise.close_connections()

    def plain(row: Any) -> dict[str, Any]:
        out = {}
        for key, value in dict(row).items():
            if isinstance(value, str) and value[:1] in "[{":
                value = json.loads(value)
            out[key] = value if isinstance(value, (int, str, list, dict, type(None))) else str(value)
        return out

    return {
        "contract": plain(contracts[0]),
        "events": [plain(e) for e in events],
        "transfers": [plain(t) for t in transfers],
        "old_status_refused": refused,
        "lines_not_adding_up_refused": lines_refused,
    }


if __name__ == "__main__":
    try:
        sys.stdout.write(json.dumps(asyncio.run(main(sys.argv[1]))))
        sys.stdout.flush()
    except BaseException:
        traceback.print_exc()
        os._exit(1)  # an open SQLite connection's thread would keep a failed run from exiting
    os._exit(0)
