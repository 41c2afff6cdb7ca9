"""Payments and contracts as the seed records them.

payment_distributions becomes one record per payment event (deposit, milestone, final, refund, dispute
resolution) with its total, who receives what, the intent id, one transfer id per recipient, its status, due date,
completion and reconciliation. The per-recipient rows it held move to payment_transfers (the exactly-once transfer
outbox, unchanged), each pointing at its event record. Existing rows are grouped: one event record per contract and
milestone, its status derived from its transfers, and one refund record per booking that had refunds.

work_contracts takes the seed's names (facility_id, contract_status, total_contract_value_cents,
facility_payment_cents, contract_document_url) and columns (labor_user_ids, labor_payments, terms_and_conditions,
signed_by_customer_at / _facility_at / _labor_at), filled from the signatures, the accepted job offers and the
milestones; deliverables become {item, completion_criteria} and milestones carry their date and payment_pct.
Existing contracts keep an empty terms_and_conditions: their text is rendered from the same terms when read.

The database work is one transaction per dialect (forward below); the operations after it only record the new
state. Frozen: nothing here reads the models.
"""

import json
from datetime import date, datetime
from enum import Enum
from typing import Any

from tortoise import fields
from tortoise.fields.base import OnDelete
from tortoise.indexes import Index
from tortoise.migrations import migration
from tortoise.migrations import operations as ops
from tortoise.migrations.constraints import CheckConstraint
from tortoise.transactions import in_transaction


class StrEnum(str, Enum):
    def __str__(self) -> str:
        return self.value


class RecipientType(StrEnum):
    FACILITY = "facility"
    LABOR = "labor"
    PLATFORM = "platform"
    CUSTOMER = "customer"


class TransferStatus(StrEnum):
    PENDING = "pending"
    PROCESSING = "processing"
    COMPLETED = "completed"
    FAILED = "failed"
    REVERSED = "reversed"
    RECONCILED = "reconciled"


class PaymentType(StrEnum):
    DEPOSIT = "deposit"
    MILESTONE = "milestone"
    FINAL = "final"
    REFUND = "refund"
    DISPUTE_RESOLUTION = "dispute_resolution"


class PaymentStatus(StrEnum):
    PENDING = "pending"
    PROCESSING = "processing"
    COMPLETED = "completed"
    FAILED = "failed"
    REFUNDED = "refunded"
    DISPUTED = "disputed"


TRANSFER_CHECKS = [
    ("payment_transfers_status", f"status IN ({', '.join(repr(s.value) for s in TransferStatus)})"),
    ("payment_transfers_recipient", f"recipient_type IN ({', '.join(repr(r.value) for r in RecipientType)})"),
    ("payment_transfers_amounts", "amount_cents >= 0 AND refunded_cents >= 0 AND refunded_cents <= amount_cents"),
]
EVENT_CHECKS = [
    ("payment_distributions_type", f"payment_type IN ({', '.join(repr(t.value) for t in PaymentType)})"),
    ("payment_distributions_payment_status", f"payment_status IN ({', '.join(repr(s.value) for s in PaymentStatus)})"),
    ("payment_distributions_total", "total_amount_cents >= 0"),
]
OLD_TRANSFER_CHECKS = [
    "payment_distributions_status",
    "payment_distributions_recipient",
    "payment_distributions_amounts",
]
CONTRACT_RENAMES = [
    ("status", "contract_status"),
    ("organization_id", "facility_id"),
    ("total_amount_cents", "total_contract_value_cents"),
    ("facility_amount_cents", "facility_payment_cents"),
    ("document_url", "contract_document_url"),
]
OLD_INDEXES = [
    "idx_work_contra_organiz_1e33c3",
    "idx_work_contra_custome_b9d37b",
    "idx_payment_dis_contrac_d5844b",
    "idx_payment_dis_status_1cd839",
    "idx_payment_dis_recipie_c4b779",
]
NEW_INDEXES = [
    'CREATE INDEX "idx_work_contra_facilit_ff2236" ON "work_contracts" ("facility_id", "contract_status")',
    'CREATE INDEX "idx_work_contra_custome_4f0662" ON "work_contracts" ("customer_id", "contract_status")',
    'CREATE INDEX "idx_payment_dis_contrac_f41999" ON "payment_distributions" ("contract_id", "payment_type")',
    'CREATE INDEX "idx_payment_dis_payment_46fa77" ON "payment_distributions" ("payment_status")',
    'CREATE INDEX "idx_payment_tra_contrac_33da38" ON "payment_transfers" ("contract_id", "milestone")',
    'CREATE INDEX "idx_payment_tra_status_1c018f" ON "payment_transfers" ("status", "next_attempt_at")',
    'CREATE INDEX "idx_payment_tra_recipie_502bec" ON "payment_transfers" ("recipient_user_id", "status")',
]


# The sum of a record's distributions, for the CHECK that they add up to its total (PostgreSQL).
LINES_TOTAL = (
    "CREATE OR REPLACE FUNCTION payment_lines_total(lines JSONB) RETURNS NUMERIC LANGUAGE SQL IMMUTABLE AS"
    " $$ SELECT COALESCE(SUM((line->>'amount_cents')::NUMERIC), 0) FROM jsonb_array_elements(lines) AS line $$"
)


def _checks(checks: list[tuple[str, str]]) -> str:
    return "".join(f', CONSTRAINT "{name}" CHECK ({check})' for name, check in checks)


def _events_table(postgres: bool) -> str:
    key, json_type, ts, flag = (
        ("SERIAL NOT NULL PRIMARY KEY", "JSONB", "TIMESTAMPTZ", "BOOL")
        if postgres
        else ("INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL", "JSON", "TIMESTAMP", "INT")
    )
    return (
        f'CREATE TABLE "payment_distributions" ("id" {key}, "payment_type" VARCHAR(30) NOT NULL,'
        ' "milestone" VARCHAR(50), "event_key" VARCHAR(120) NOT NULL UNIQUE, "total_amount_cents" BIGINT NOT NULL,'
        f' "distributions" {json_type} NOT NULL, "stripe_payment_intent_id" VARCHAR(100),'
        f' "stripe_transfer_ids" {json_type} NOT NULL, "stripe_refund_ids" {json_type} NOT NULL,'
        ' "payment_status" VARCHAR(20) NOT NULL, "payment_due_date" DATE,'
        f' "payment_completed_at" {ts}, "reconciled" {flag} NOT NULL, "reconciled_at" {ts}, "note" TEXT NOT NULL,'
        f' "created_at" {ts} NOT NULL, "updated_at" {ts} NOT NULL,'
        ' "booking_id" INT NOT NULL REFERENCES "service_bookings" ("id") ON DELETE CASCADE,'
        ' "contract_id" INT NOT NULL REFERENCES "work_contracts" ("id") ON DELETE CASCADE,'
        ' "created_by_id" INT REFERENCES "users" ("id") ON DELETE SET NULL'
        f"{_checks(EVENT_CHECKS)})"
    )


def _sqlite_transfers_table() -> str:
    return (
        'CREATE TABLE "payment_transfers" ("id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,'
        ' "milestone" VARCHAR(50) NOT NULL, "recipient_type" VARCHAR(20) NOT NULL, "amount_cents" BIGINT NOT NULL,'
        ' "refunded_cents" BIGINT NOT NULL, "status" VARCHAR(20) NOT NULL, "held" INT NOT NULL,'
        ' "stripe_payment_intent_id" VARCHAR(100), "stripe_transfer_id" VARCHAR(100),'
        ' "transfer_group" VARCHAR(100) NOT NULL, "idempotency_key" VARCHAR(120) NOT NULL UNIQUE,'
        ' "attempts" INT NOT NULL, "next_attempt_at" TIMESTAMP, "last_error" TEXT NOT NULL, "processed_at" TIMESTAMP,'
        ' "created_at" TIMESTAMP NOT NULL, "updated_at" TIMESTAMP NOT NULL,'
        ' "booking_id" INT NOT NULL REFERENCES "service_bookings" ("id") ON DELETE CASCADE,'
        ' "contract_id" INT NOT NULL REFERENCES "work_contracts" ("id") ON DELETE CASCADE,'
        ' "distribution_id" INT NOT NULL REFERENCES "payment_distributions" ("id") ON DELETE CASCADE,'
        ' "recipient_organization_id" INT REFERENCES "businesses" ("id") ON DELETE RESTRICT,'
        ' "recipient_user_id" INT REFERENCES "users" ("id") ON DELETE RESTRICT'
        f"{_checks(TRANSFER_CHECKS)})"
    )


TRANSFER_COLUMNS = [
    "id",
    "milestone",
    "recipient_type",
    "amount_cents",
    "refunded_cents",
    "status",
    "stripe_payment_intent_id",
    "stripe_transfer_id",
    "transfer_group",
    "idempotency_key",
    "attempts",
    "next_attempt_at",
    "last_error",
    "processed_at",
    "created_at",
    "updated_at",
    "booking_id",
    "contract_id",
    "recipient_organization_id",
    "recipient_user_id",
]


# --- the rows: pure functions over what the old tables hold ------------------------------------------------


def _json(raw: Any) -> Any:
    return json.loads(raw) if isinstance(raw, (str, bytes)) else raw


def _allocate(total: int, weights: list[int]) -> list[int]:
    """Largest remainder (a frozen copy of app.services.money.allocate)."""
    if not weights or sum(weights) <= 0:
        return [0] * len(weights)
    whole = sum(weights)
    parts = [total * w // whole for w in weights]
    order = sorted(range(len(weights)), key=lambda i: (-(total * weights[i] % whole), i))
    for i in order[: total - sum(parts)]:
        parts[i] += 1
    return parts


def _payment_type(milestone: str, names: list[str]) -> PaymentType:
    if names and milestone == names[0]:
        return PaymentType.DEPOSIT
    if names and milestone == names[-1]:
        return PaymentType.FINAL
    return PaymentType.MILESTONE


def _event_status(statuses: list[str]) -> PaymentStatus:
    settled = {TransferStatus.COMPLETED.value, TransferStatus.RECONCILED.value, TransferStatus.REVERSED.value}
    if all(s == TransferStatus.PENDING.value for s in statuses):
        return PaymentStatus.PENDING
    if all(s == TransferStatus.REVERSED.value for s in statuses):
        return PaymentStatus.REFUNDED
    if all(s in settled for s in statuses):
        return PaymentStatus.COMPLETED
    return PaymentStatus.PROCESSING


def _as_date(value: Any) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def _milestone_dates(start: date | None, end: date | None, count: int) -> list[date | None]:
    """Deposit at the start, the final payment at the end, the ones between evenly in between."""
    if start is None or end is None or count == 0:
        return [None] * count
    if count == 1:
        return [end]
    span = (end - start).days
    return [date.fromordinal(start.toordinal() + span * i // (count - 1)) for i in range(count)]


def _contract_update(contract: dict[str, Any], offers: list[dict[str, Any]]) -> dict[str, Any]:
    signatures = _json(contract["signatures"]) or []
    milestones = _json(contract["milestones"]) or []
    deliverables = _json(contract["deliverables"]) or []
    dates = _milestone_dates(_as_date(contract["start_date"]), _as_date(contract["end_date"]), len(milestones))
    weights: dict[int, int] = {}
    for offer in offers:
        weights[int(offer["user_id"])] = weights.get(int(offer["user_id"]), 0) + int(offer["amount_cents"])
    labor_total = int(contract["labor_amount_cents"])
    values = list(weights.values()) if any(weights.values()) else [1] * len(weights)
    amounts = _allocate(labor_total, values) if weights else []

    def signed(party: str) -> str | None:
        return next((str(s["signed_at"]) for s in signatures if s.get("party") == party), None)

    return {
        "labor_user_ids": list(weights),
        "labor_payments": [{"user_id": u, "amount_cents": a} for u, a in zip(weights, amounts, strict=True)],
        "deliverables": [
            d if isinstance(d, dict) else {"item": str(d), "completion_criteria": ""} for d in deliverables
        ],
        "milestones": [
            {
                **m,
                "payment_pct": int(m.get("percentage_bps", 0)) / 100,
                "date": m.get("date") or (day.isoformat() if day else None),
            }
            for m, day in zip(milestones, dates, strict=True)
        ],
        "signed_by_customer_at": signed("customer"),
        "signed_by_facility_at": signed("facility"),
        "signed_by_labor_at": [
            {"user_id": int(s["user_id"]), "signed_at": str(s["signed_at"])}
            for s in signatures
            if s.get("party") == "labor"
        ],
    }


def _events(
    contract: dict[str, Any], milestones: list[dict[str, Any]], rows: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """One event record per milestone that has transfer rows, and one refund record if anything was refunded."""
    names = [str(m["name"]) for m in milestones]
    due = {str(m["name"]): m.get("date") for m in milestones}
    by_milestone: dict[str, list[dict[str, Any]]] = {}
    for row in sorted(rows, key=lambda r: int(r["id"])):
        by_milestone.setdefault(str(row["milestone"]), []).append(row)
    booking_id = int(contract["booking_id"])
    events = []
    for name, group in by_milestone.items():
        status = _event_status([str(r["status"]) for r in group])
        done = [r["processed_at"] for r in group if r["processed_at"] is not None]
        events.append(
            {
                "payment_type": _payment_type(name, names).value,
                "milestone": name,
                "event_key": f"booking-{booking_id}-{name}",
                "total_amount_cents": sum(int(r["amount_cents"]) for r in group),
                "distributions": [_line(r) for r in group],
                "stripe_payment_intent_id": next(
                    (r["stripe_payment_intent_id"] for r in group if r["stripe_payment_intent_id"]), None
                ),
                "stripe_transfer_ids": [
                    {**_recipient(r), "transfer_id": r["stripe_transfer_id"]} for r in group if r["stripe_transfer_id"]
                ],
                "payment_status": status.value,
                "payment_due_date": due.get(name),
                "payment_completed_at": max(done) if done and status == PaymentStatus.COMPLETED else None,
                "reconciled": all(r["status"] == TransferStatus.RECONCILED.value for r in group),
            }
        )
    refunded = sum(int(r["refunded_cents"]) for r in rows)
    if refunded:
        events.append(
            {
                "payment_type": PaymentType.REFUND.value,
                "milestone": None,
                "event_key": f"booking-{booking_id}-refund-before-0012",
                "total_amount_cents": refunded,
                "distributions": [
                    {
                        "recipient_id": int(contract["customer_id"]),
                        "recipient_type": RecipientType.CUSTOMER.value,
                        "amount_cents": refunded,
                    }
                ],
                "stripe_payment_intent_id": None,
                "stripe_transfer_ids": [],
                "payment_status": PaymentStatus.COMPLETED.value,
                "payment_due_date": None,
                "payment_completed_at": None,
                "reconciled": False,
            }
        )
    return events


def _recipient(row: dict[str, Any]) -> dict[str, Any]:
    recipient = row["recipient_organization_id"] if row["recipient_type"] == "facility" else row["recipient_user_id"]
    return {"recipient_id": recipient, "recipient_type": row["recipient_type"]}


def _line(row: dict[str, Any]) -> dict[str, Any]:
    return {**_recipient(row), "amount_cents": int(row["amount_cents"])}


# --- running it ----------------------------------------------------------------------------------------------


class _Runner:
    """Statements with `?` placeholders on either dialect, inside the caller's transaction."""

    def __init__(self, postgres: bool, execute: Any) -> None:
        self.postgres = postgres
        self._execute = execute

    async def __call__(self, sql: str, params: list[Any] | None = None) -> None:
        params = [self._value(p) for p in params or []]
        if self.postgres:
            pieces = sql.split("?")
            sql = pieces[0] + "".join(f"${i}{piece}" for i, piece in enumerate(pieces[1:], start=1))
        await self._execute(sql, params)

    def _value(self, value: Any) -> Any:
        if isinstance(value, (list, dict)):
            return json.dumps(value, separators=(",", ":"))
        if isinstance(value, bool) and not self.postgres:
            return int(value)
        if isinstance(value, str) and value[:4].isdigit() and len(value) >= 19 and value[10] in "T ":
            moment = datetime.fromisoformat(value)  # a timestamp from JSON: asyncpg wants the object
            return moment if self.postgres else str(moment)
        if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-" and self.postgres:
            return date.fromisoformat(value)
        return value


async def _read(client: Any) -> tuple[list[Any], list[Any], list[Any]]:
    _, contracts = await client.execute_query('SELECT * FROM "work_contracts" ORDER BY "id"')
    _, transfers = await client.execute_query('SELECT * FROM "payment_distributions" ORDER BY "id"')
    _, offers = await client.execute_query(
        'SELECT "booking_id", "user_id", "amount_cents" FROM "job_offers" WHERE "status" = \'accepted\' ORDER BY "id"'
    )
    return [dict(r) for r in contracts], [dict(r) for r in transfers], [dict(r) for r in offers]


async def _migrate(run: _Runner, contracts: list[Any], transfers: list[Any], offers: list[Any]) -> None:
    postgres = run.postgres
    false = "FALSE" if postgres else "0"
    for old, new in CONTRACT_RENAMES:
        await run(f'ALTER TABLE "work_contracts" RENAME COLUMN "{old}" TO "{new}"')
    json_type, ts = ("JSONB", "TIMESTAMPTZ") if postgres else ("JSON", "TIMESTAMP")
    for column, kind in (
        ("labor_user_ids", f"{json_type} NOT NULL DEFAULT '[]'"),
        ("labor_payments", f"{json_type} NOT NULL DEFAULT '[]'"),
        ("terms_and_conditions", "TEXT NOT NULL DEFAULT ''"),
        ("signed_by_customer_at", ts),
        ("signed_by_facility_at", ts),
        ("signed_by_labor_at", f"{json_type} NOT NULL DEFAULT '[]'"),
    ):
        await run(f'ALTER TABLE "work_contracts" ADD COLUMN "{column}" {kind}')
    for name in OLD_INDEXES:
        await run(f'DROP INDEX IF EXISTS "{name}"')

    await run('ALTER TABLE "payment_distributions" RENAME TO "old__payment_distributions"')
    if postgres:  # names PostgreSQL keeps per schema: free them for the new table
        await run('ALTER SEQUENCE IF EXISTS "payment_distributions_id_seq" RENAME TO "payment_transfers_id_seq"')
        await run('ALTER INDEX IF EXISTS "payment_distributions_pkey" RENAME TO "payment_transfers_pkey"')
        await run(
            'ALTER INDEX IF EXISTS "payment_distributions_idempotency_key_key"'
            ' RENAME TO "payment_transfers_idempotency_key_key"'
        )
    await run(_events_table(postgres))

    offers_of: dict[int, list[dict[str, Any]]] = {}
    for offer in offers:
        offers_of.setdefault(int(offer["booking_id"]), []).append(offer)
    rows_of: dict[int, list[dict[str, Any]]] = {}
    for row in transfers:
        rows_of.setdefault(int(row["contract_id"]), []).append(row)
    now = datetime.now().astimezone()
    for contract in contracts:
        update = _contract_update(contract, offers_of.get(int(contract["booking_id"]), []))
        await run(
            'UPDATE "work_contracts" SET "labor_user_ids" = ?, "labor_payments" = ?, "deliverables" = ?,'
            ' "milestones" = ?, "signed_by_customer_at" = ?, "signed_by_facility_at" = ?, "signed_by_labor_at" = ?'
            ' WHERE "id" = ?',
            [*update.values(), int(contract["id"])],
        )
        for event in _events(contract, update["milestones"], rows_of.get(int(contract["id"]), [])):
            await run(
                'INSERT INTO "payment_distributions" ("payment_type", "milestone", "event_key", "total_amount_cents",'
                ' "distributions", "stripe_payment_intent_id", "stripe_transfer_ids", "payment_status",'
                ' "payment_due_date", "payment_completed_at", "reconciled", "stripe_refund_ids", "note",'
                ' "reconciled_at", "created_at", "updated_at", "booking_id", "contract_id")'
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '[]', '', ?, ?, ?, ?, ?)",
                [
                    *event.values(),
                    now.isoformat() if event["reconciled"] else None,
                    now.isoformat(),
                    now.isoformat(),
                    int(contract["booking_id"]),
                    int(contract["id"]),
                ],
            )

    columns = ", ".join(f'"{c}"' for c in TRANSFER_COLUMNS)
    event_of = (
        '(SELECT d."id" FROM "payment_distributions" d WHERE d."contract_id" = o."contract_id"'
        ' AND d."milestone" = o."milestone" AND d."payment_type" <> \'refund\')'
    )
    if postgres:
        await run('ALTER TABLE "old__payment_distributions" RENAME TO "payment_transfers"')
        for name in OLD_TRANSFER_CHECKS:
            await run(f'ALTER TABLE "payment_transfers" DROP CONSTRAINT IF EXISTS "{name}"')
        await run('ALTER TABLE "payment_transfers" ADD COLUMN "held" BOOL NOT NULL DEFAULT FALSE')
        await run(
            'ALTER TABLE "payment_transfers" ADD COLUMN "distribution_id" INT'
            ' REFERENCES "payment_distributions" ("id") ON DELETE CASCADE'
        )
        await run(f'UPDATE "payment_transfers" o SET "distribution_id" = {event_of}')
        await run('ALTER TABLE "payment_transfers" ALTER COLUMN "distribution_id" SET NOT NULL')
        for column in ("held", "labor_user_ids", "labor_payments", "terms_and_conditions", "signed_by_labor_at"):
            table = "payment_transfers" if column == "held" else "work_contracts"
            await run(f'ALTER TABLE "{table}" ALTER COLUMN "{column}" DROP DEFAULT')
        for name, check in TRANSFER_CHECKS:
            await run(f'ALTER TABLE "payment_transfers" ADD CONSTRAINT "{name}" CHECK ({check})')
    else:  # SQLite keeps CHECKs inside CREATE TABLE: the outbox is rebuilt (nothing references it)
        await run(_sqlite_transfers_table())
        await run(
            f'INSERT INTO "payment_transfers" ({columns}, "held", "distribution_id")'
            f" SELECT {', '.join(f'o.{c}' for c in TRANSFER_COLUMNS)}, {false}, {event_of}"
            ' FROM "old__payment_distributions" o'
        )
        await run('DROP TABLE "old__payment_distributions"')
    for statement in NEW_INDEXES:
        await run(statement)
    if postgres:  # a CHECK may call an immutable function there (SQLite's may not read JSON rows: services check)
        await run(LINES_TOTAL)
        await run(
            'ALTER TABLE "payment_distributions" ADD CONSTRAINT "payment_distributions_lines_add_up"'
            ' CHECK (payment_lines_total("distributions") = "total_amount_cents")'
        )


async def forward(apps: Any, schema_editor: Any) -> None:
    client = schema_editor.client
    contracts, transfers, offers = await _read(client)
    if schema_editor.DIALECT == "postgres":
        async with in_transaction(client.connection_name) as tx:
            await _migrate(_Runner(True, tx.execute_query), contracts, transfers, offers)
        return
    connection = client._connection
    await connection.execute("BEGIN")
    try:
        await _migrate(_Runner(False, connection.execute), contracts, transfers, offers)
    except BaseException:
        await connection.rollback()
        raise
    await connection.commit()


async def backward(apps: Any, schema_editor: Any) -> None:
    raise RuntimeError("Payment events cannot be ungrouped: restore a backup taken before 0012")


# --- the state the operations below record (the database already has it) ------------------------------------


async def _nothing(*args: Any, **kwargs: Any) -> None:
    return None


def _state_only(cls: type) -> type:
    return type(f"StateOnly{cls.__name__}", (cls,), {"database_forward": _nothing, "database_backward": _nothing})


DeleteModel = _state_only(ops.DeleteModel)
CreateModel = _state_only(ops.CreateModel)
AddField = _state_only(ops.AddField)
RemoveField = _state_only(ops.RemoveField)
RenameField = _state_only(ops.RenameField)
AlterField = _state_only(ops.AlterField)
AddIndex = _state_only(ops.AddIndex)
RemoveIndex = _state_only(ops.RemoveIndex)
AddConstraint = _state_only(ops.AddConstraint)
RemoveConstraint = _state_only(ops.RemoveConstraint)


def _json_field() -> Any:
    return fields.JSONField(default=list)


class Migration(migration.Migration):
    dependencies = [("models", "0011_booking_schedule_columns")]
    atomic = False

    operations = [
        ops.RunPython(forward, backward),
        # The per-recipient rows: the model PaymentTransfer on payment_transfers, under an event record.
        DeleteModel(name="PaymentDistribution"),
        CreateModel(
            name="PaymentDistribution",
            fields=[
                ("id", fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                (
                    "contract",
                    fields.ForeignKeyField(
                        "models.WorkContract",
                        source_field="contract_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="payment_distributions",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "booking",
                    fields.ForeignKeyField(
                        "models.ServiceBooking",
                        source_field="booking_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="payment_distributions",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "payment_type",
                    fields.CharEnumField(
                        enum_type=PaymentType,
                        max_length=30,
                        description="DEPOSIT: deposit\nMILESTONE: milestone\nFINAL: final\nREFUND: refund\nDISPUTE_RESOLUTION: dispute_resolution",
                    ),
                ),
                ("milestone", fields.CharField(null=True, max_length=50)),
                ("event_key", fields.CharField(unique=True, max_length=120)),
                ("total_amount_cents", fields.BigIntField()),
                ("distributions", _json_field()),
                ("stripe_payment_intent_id", fields.CharField(null=True, max_length=100)),
                ("stripe_transfer_ids", _json_field()),
                ("stripe_refund_ids", _json_field()),
                (
                    "payment_status",
                    fields.CharEnumField(
                        default=PaymentStatus.PENDING,
                        enum_type=PaymentStatus,
                        max_length=20,
                        description="PENDING: pending\nPROCESSING: processing\nCOMPLETED: completed\nFAILED: failed\nREFUNDED: refunded\nDISPUTED: disputed",
                    ),
                ),
                ("payment_due_date", fields.DateField(null=True)),
                ("payment_completed_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ("reconciled", fields.BooleanField(default=False)),
                ("reconciled_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ("note", fields.TextField(default="", unique=False)),
                (
                    "created_by",
                    fields.ForeignKeyField(
                        "models.User",
                        source_field="created_by_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name="payment_events",
                        on_delete=OnDelete.SET_NULL,
                    ),
                ),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ("updated_at", fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={
                "table": "payment_distributions",
                "app": "models",
                "table_description": "The seed's payment_distributions: one record per payment event (a milestone's charge, a refund, a",
                "constraints": [CheckConstraint(check=check, name=name) for name, check in EVENT_CHECKS],
                "indexes": [Index(fields=["contract_id", "payment_type"]), Index(fields=["payment_status"])],
                "pk_attr": "id",
            },
            bases=["Model"],
        ),
        CreateModel(
            name="PaymentTransfer",
            fields=[
                ("id", fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                (
                    "distribution",
                    fields.ForeignKeyField(
                        "models.PaymentDistribution",
                        source_field="distribution_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="transfers",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "contract",
                    fields.ForeignKeyField(
                        "models.WorkContract",
                        source_field="contract_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="payment_transfers",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "booking",
                    fields.ForeignKeyField(
                        "models.ServiceBooking",
                        source_field="booking_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="payment_transfers",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("milestone", fields.CharField(max_length=50)),
                (
                    "recipient_type",
                    fields.CharEnumField(
                        description="FACILITY: facility\nLABOR: labor\nPLATFORM: platform\nCUSTOMER: customer",
                        enum_type=RecipientType,
                        max_length=20,
                    ),
                ),
                (
                    "recipient_user",
                    fields.ForeignKeyField(
                        "models.User",
                        source_field="recipient_user_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name="payouts",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                (
                    "recipient_organization",
                    fields.ForeignKeyField(
                        "models.Organization",
                        source_field="recipient_organization_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name="payouts",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                ("amount_cents", fields.BigIntField()),
                ("refunded_cents", fields.BigIntField(default=0)),
                (
                    "status",
                    fields.CharEnumField(
                        default=TransferStatus.PENDING,
                        description="PENDING: pending\nPROCESSING: processing\nCOMPLETED: completed\nFAILED: failed\nREVERSED: reversed\nRECONCILED: reconciled",
                        enum_type=TransferStatus,
                        max_length=20,
                    ),
                ),
                ("held", fields.BooleanField(default=False)),
                ("stripe_payment_intent_id", fields.CharField(null=True, max_length=100)),
                ("stripe_transfer_id", fields.CharField(null=True, max_length=100)),
                ("transfer_group", fields.CharField(default="", max_length=100)),
                ("idempotency_key", fields.CharField(unique=True, max_length=120)),
                ("attempts", fields.IntField(default=0)),
                ("next_attempt_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ("last_error", fields.TextField(default="", unique=False)),
                ("processed_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ("updated_at", fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={
                "table": "payment_transfers",
                "app": "models",
                "table_description": "One recipient's share of one payment event: the exactly-once transfer outbox (written before the gateway",
                "constraints": [CheckConstraint(check=check, name=name) for name, check in TRANSFER_CHECKS],
                "indexes": [
                    Index(fields=["contract_id", "milestone"]),
                    Index(fields=["status", "next_attempt_at"]),
                    Index(fields=["recipient_user_id", "status"]),
                ],
                "pk_attr": "id",
            },
            bases=["Model"],
        ),
        # The contract's seed columns.
        ops.AlterModelOptions(
            name="WorkContract",
            options={
                "pk_attr": "id",
                "table_description": "The seed's work_contracts: three parties, the terms they signed, the split and the milestones.",
            },
        ),
        RemoveIndex(model_name="WorkContract", name=None, fields=["organization_id", "status"]),
        RemoveIndex(model_name="WorkContract", name=None, fields=["customer_id", "status"]),
        RemoveConstraint(model_name="WorkContract", name="work_contracts_status", fields=None),
        RemoveConstraint(model_name="WorkContract", name="work_contracts_parts_add_up", fields=None),
        RenameField(model_name="WorkContract", old_name="status", new_name="contract_status"),
        RenameField(model_name="WorkContract", old_name="document_url", new_name="contract_document_url"),
        RenameField(model_name="WorkContract", old_name="facility_amount_cents", new_name="facility_payment_cents"),
        RenameField(model_name="WorkContract", old_name="total_amount_cents", new_name="total_contract_value_cents"),
        RemoveField(model_name="WorkContract", name="organization"),
        AddField(
            model_name="WorkContract",
            name="facility",
            field=fields.ForeignKeyField(
                "models.Organization",
                source_field="facility_id",
                db_constraint=True,
                to_field="id",
                related_name="contracts",
                on_delete=OnDelete.RESTRICT,
            ),
        ),
        AddField(model_name="WorkContract", name="labor_user_ids", field=_json_field()),
        AddField(model_name="WorkContract", name="labor_payments", field=_json_field()),
        AddField(model_name="WorkContract", name="signed_by_labor_at", field=_json_field()),
        AddField(
            model_name="WorkContract", name="terms_and_conditions", field=fields.TextField(default="", unique=False)
        ),
        AddField(
            model_name="WorkContract",
            name="signed_by_customer_at",
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
        AddField(
            model_name="WorkContract",
            name="signed_by_facility_at",
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
        AddIndex(model_name="WorkContract", index=Index(fields=["facility_id", "contract_status"])),
        AddIndex(model_name="WorkContract", index=Index(fields=["customer_id", "contract_status"])),
        AddConstraint(
            model_name="WorkContract",
            constraint=CheckConstraint(
                check="contract_status IN ('draft', 'pending_signatures', 'active', 'completed', 'terminated', 'disputed')",
                name="work_contracts_status",
            ),
        ),
        AddConstraint(
            model_name="WorkContract",
            constraint=CheckConstraint(
                check="facility_payment_cents + labor_amount_cents + platform_fee_cents = total_contract_value_cents",
                name="work_contracts_parts_add_up",
            ),
        ),
    ]
