"""Row locks that really lock, taken in the one global order: booking → capabilities → people (by id).

Tortoise drops `FOR UPDATE` when `.values()`/`.values_list()` follows `.select_for_update()` (tortoise-orm
issue 2250), so every lock here is a model queryset (`.only("id")`), and tests/services/test_locks.py checks the
SQL each one emits. On SQLite `FOR UPDATE` does not exist: there a write transaction runs alone on the one
connection, and the re-check inside it does the work (docs/capacity.md).
"""

from __future__ import annotations

from collections.abc import Iterable
from uuid import UUID

from tortoise.exceptions import IntegrityError
from tortoise.queryset import QuerySet

from models import OrganizationCapability, User

# The PostgreSQL exclusion constraint that refuses two overlapping reserved labor blocks of one person
# (migration 0004); its violation means someone else took the person first.
PERSON_OVERLAP_CONSTRAINT = "capacity_schedule_person_no_overlap"
EXCLUSION_VIOLATION = "23P01"


def people_lock(user_ids: Iterable[UUID]) -> QuerySet[User]:
    """`SELECT "id" FROM users WHERE id IN (…) ORDER BY id FOR UPDATE` (a queryset, so its SQL can be checked)."""
    return User.filter(id__in=sorted(set(user_ids))).order_by("id").only("id").select_for_update()


def capabilities_lock(capability_ids: Iterable[UUID]) -> QuerySet[OrganizationCapability]:
    return OrganizationCapability.filter(id__in=sorted(set(capability_ids))).order_by("id").select_for_update()


async def lock_people(user_ids: Iterable[UUID]) -> None:
    """Hold these people's rows until the transaction ends, so no other accept or cascade staffs them meanwhile."""
    ids = sorted(set(user_ids))
    if ids:
        await people_lock(ids)


def is_person_overlap(error: IntegrityError) -> bool:
    """True when the database refused a second overlapping reservation of one person (PostgreSQL only)."""
    cause = error.__cause__ or (error.args[0] if error.args else None)
    sqlstate = getattr(cause, "sqlstate", None)
    constraint = getattr(cause, "constraint_name", None)
    return (
        sqlstate == EXCLUSION_VIOLATION
        or constraint == PERSON_OVERLAP_CONSTRAINT
        or (PERSON_OVERLAP_CONSTRAINT in str(error))
    )
