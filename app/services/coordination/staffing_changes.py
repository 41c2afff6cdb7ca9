"""Who an acceptance staffed differently from the quote, and why, so the customer hears it with the answer."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from uuid import UUID

from app.services.coordination import matching
from app.services.coordination.plan import Plan
from models.enums import SkillCategory

GONE = "no longer available for this work"
BUSY = "no longer free in the quoted window"
REPLACEMENT = "takes over hours the quoted people can no longer work"
RESPLIT = "the role's hours were split again among the people still free"


@dataclass(frozen=True)
class StaffingChange:
    role: str
    user_id: UUID
    name: str
    quoted_hours: Decimal
    reserved_hours: Decimal
    reason: str

    def to_json(self) -> dict[str, Any]:
        """As stored on the booking (staffing_changes)."""
        return {
            "role": self.role,
            "user_id": str(self.user_id),
            "name": self.name,
            "quoted_hours": f"{self.quoted_hours:.2f}",
            "reserved_hours": f"{self.reserved_hours:.2f}",
            "reason": self.reason,
        }


def staffing_changes(
    plan: Plan,
    reserved: Mapping[SkillCategory, Sequence[matching.Assignment]],
    still_available: Sequence[tuple[matching.Role, Sequence[matching.Candidate]]],
) -> list[StaffingChange]:
    """Each person whose hours differ between the quote's plan and the reservation, with the reason:
    dropped (gone, or busy), added (a replacement), or given other hours."""
    available = {(c.person.user_id, role.skill_category.value) for role, ranked in still_available for c in ranked}
    changes: list[StaffingChange] = []
    for planned in plan.roles:
        role = planned.skill.value
        quoted = {a.user_id: (a.name, a.hours) for a in planned.assignments}
        now = {a.user_id: (a.name, a.hours) for a in reserved.get(planned.skill, [])}
        # The quoted people in their ranked order, then those added in the order they were assigned.
        for user_id in [*quoted, *(u for u in now if u not in quoted)]:
            name, before = quoted.get(user_id, (now.get(user_id, ("", Decimal(0)))[0], Decimal(0)))
            after = now.get(user_id, (name, Decimal(0)))[1]
            if before == after:
                continue
            if after == 0:
                reason = GONE if (user_id, role) not in available else BUSY
            else:
                reason = REPLACEMENT if before == 0 else RESPLIT
            changes.append(StaffingChange(role, user_id, name, before, after, reason))
    return changes
