"""The plan JSON written by quoting.plan_json, read back: capability blocks, working days, span, roles."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from app.services.coordination import availability, matching
from app.services.coordination.working_hours import Window
from models.enums import Proficiency, SkillCategory


def _dt(value: str) -> datetime:
    return datetime.fromisoformat(value)


def plan_blocks(plan: dict[str, Any]) -> list[availability.PlannedBlock]:
    return [
        availability.PlannedBlock(
            int(b["capability_id"]), _dt(b["start"]), _dt(b["end"]), int(b["units"]), Decimal(b["hours"])
        )
        for b in plan.get("capability_blocks", [])
    ]


def plan_days(plan: dict[str, Any]) -> list[Window]:
    return [
        Window(date.fromisoformat(d["day"]), _dt(d["start"]), _dt(d["end"]))
        for d in plan.get("window", {}).get("days", [])
    ]


def plan_span(plan: dict[str, Any]) -> tuple[datetime, datetime]:
    days = plan_days(plan)
    blocks = plan_blocks(plan)
    starts = [d.start for d in days] + [b.start for b in blocks]
    ends = [d.end for d in days] + [b.end for b in blocks]
    # Whole local days around the window, so the 8-hours-a-day rule sees the person's other blocks.
    return min(starts) - timedelta(days=1), max(ends) + timedelta(days=1)


def plan_roles(plan: dict[str, Any]) -> list[tuple[matching.Role, list[matching.Candidate]]]:
    """Each role with its ranked candidates (the order of the quote)."""
    found = []
    for item in plan.get("roles", []):
        role = matching.Role(SkillCategory(item["role"]), Proficiency(item["min_proficiency"]), Decimal(item["hours"]))
        ranked = [
            matching.Candidate(
                matching.Person(
                    int(c["user_id"]), str(c["name"]), role.skill_category, role.min_proficiency, 0, None, None, 0.0
                ),
                float(c.get("distance_miles") or 0),
            )
            for c in item.get("candidates", [])
        ]
        found.append((role, ranked))
    return found


def with_assignments(
    plan: dict[str, Any], assignments: Mapping[SkillCategory, Sequence[matching.Assignment]]
) -> dict[str, Any]:
    roles = []
    for item in plan.get("roles", []):
        group = assignments.get(SkillCategory(item["role"]), [])
        roles.append({**item, "assignments": [a.to_json() for a in group]})
    return {**plan, "roles": roles}
