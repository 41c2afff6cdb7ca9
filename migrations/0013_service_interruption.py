"""Whether a service's work may be interrupted within a day (split around another booking, moved between
rows of the same equipment type). Existing services keep the old rule: not interruptible."""

from tortoise import fields, migrations
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    dependencies = [("models", "0012_payment_events_contract_columns")]

    initial = False

    operations = [
        ops.AddField(
            model_name="OrganizationService",
            name="allows_interruption",
            field=fields.BooleanField(default=False, db_default=False),
        ),
    ]
