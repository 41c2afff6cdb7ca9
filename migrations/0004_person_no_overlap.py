"""No person in two places at once, enforced by PostgreSQL itself (docs/capacity.md).

An exclusion constraint refuses a reserved labor block of a person that overlaps another reserved labor block
of the same person, whatever the application does. Intervals are half-open, so back-to-back blocks are fine.
SQLite has no exclusion constraints; there the accept's write transaction runs alone and re-checks.
Frozen SQL: this migration does not read the models.
"""

from typing import Any

from tortoise.migrations import migration
from tortoise.migrations.operations import RunPython

FORWARD = """
CREATE EXTENSION IF NOT EXISTS btree_gist;
ALTER TABLE "capacity_schedule" ADD CONSTRAINT "capacity_schedule_person_no_overlap"
    EXCLUDE USING gist ("user_id" WITH =, tstzrange("start_time", "end_time", '[)') WITH &&)
    WHERE ("resource_type" = 'user_labor' AND "is_reserved");
"""
BACKWARD = 'ALTER TABLE "capacity_schedule" DROP CONSTRAINT IF EXISTS "capacity_schedule_person_no_overlap";'


async def forward(apps: Any, schema_editor: Any) -> None:
    if schema_editor.DIALECT == "postgres":
        await schema_editor.client.execute_script(FORWARD)


async def backward(apps: Any, schema_editor: Any) -> None:
    if schema_editor.DIALECT == "postgres":
        await schema_editor.client.execute_script(BACKWARD)


class Migration(migration.Migration):
    dependencies = [("models", "0003_review_subject_key")]
    operations = [RunPython(forward, backward)]
