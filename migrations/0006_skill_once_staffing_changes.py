"""One skill per person and category; the staffing changes an acceptance made, kept on the booking.

user_skills was unique on (user, skill_category, skill_name), so the same painter could add "painting"
twice under two names. Rows that already repeat a category are folded first: the highest proficiency
stays (the lowest id among equals), as matching.load_people already read them. Then the old key goes
(on SQLite, where it is declared inside CREATE TABLE, by rebuilding the table) and the new one comes.
"""

import importlib
from typing import Any

from tortoise import fields, migrations
from tortoise.migrations import operations as ops
from tortoise.migrations.constraints import UniqueConstraint

OLD_KEY = ["user", "skill_category", "skill_name"]
RANK = "CASE {t}.proficiency_level WHEN 'expert' THEN 4 WHEN 'advanced' THEN 3 WHEN 'intermediate' THEN 2 ELSE 1 END"


# The same removal as 0003's: on SQLite the key lives inside CREATE TABLE, so the table is rebuilt.
RemoveUniqueTogether = importlib.import_module("migrations.0003_review_subject_key").RemoveUniqueTogether


async def fold_repeated_categories(apps: Any, schema_editor: Any) -> None:
    theirs, mine = RANK.format(t="b"), RANK.format(t="user_skills")
    better = f"({theirs} > {mine}) OR ({theirs} = {mine} AND b.id < user_skills.id)"
    await schema_editor.client.execute_script(
        "DELETE FROM user_skills WHERE EXISTS (SELECT 1 FROM user_skills b"
        " WHERE b.user_id = user_skills.user_id AND b.skill_category = user_skills.skill_category"
        f" AND ({better}))"
    )


async def noop(apps: Any, schema_editor: Any) -> None:
    return None


class Migration(migrations.Migration):
    dependencies = [("models", "0005_event_outbox")]

    initial = False

    operations = [
        ops.RunPython(fold_repeated_categories, noop),
        RemoveUniqueTogether(model_name="UserSkill", name=None, fields=OLD_KEY),
        ops.AddConstraint(
            model_name="UserSkill",
            constraint=UniqueConstraint(fields=("user", "skill_category"), name=None),
        ),
        ops.AddField(
            model_name="ServiceBooking",
            name="staffing_changes",
            field=fields.JSONField(default=list),
        ),
    ]
