"""One "every role is staffed" rule for scheduling and for binding the contract: hours, not heads."""

from __future__ import annotations

from decimal import Decimal
from uuid import UUID

from app.services.coordination.matching import Role
from app.services.coordination.plan import Plan, PlannedRole
from app.services.coordination.staffing import staffed
from models import JobOffer
from models.enums import Proficiency, SkillCategory

PLAN = Plan(
    organization_id=UUID(int=1),
    service_id=UUID(int=1),
    timezone="UTC",
    start=None,
    end=None,
    roles=(
        PlannedRole(Role(SkillCategory.PAINTING, Proficiency.PROFICIENT, Decimal(16))),
        PlannedRole(Role(SkillCategory.BODYWORK, Proficiency.LEARNING, Decimal(4))),
    ),
)


def offer(role: SkillCategory, hours: str) -> JobOffer:
    return JobOffer(role=role, hours=Decimal(hours))


def test_two_people_covering_part_of_a_role_do_not_staff_it() -> None:
    # As many painters as the quote named lines for, but 12 of 16 hours: a head count would say staffed.
    half = [offer(SkillCategory.PAINTING, "8"), offer(SkillCategory.PAINTING, "4"), offer(SkillCategory.BODYWORK, "4")]
    assert not staffed(PLAN, half)
    assert staffed(PLAN, [*half, offer(SkillCategory.PAINTING, "4")])


def test_one_person_holding_a_whole_role_staffs_it_and_a_missing_role_does_not() -> None:
    assert staffed(PLAN, [offer(SkillCategory.PAINTING, "16"), offer(SkillCategory.BODYWORK, "4")])
    assert not staffed(PLAN, [offer(SkillCategory.PAINTING, "16")])
    assert staffed(Plan.from_json({}), [])  # nothing planned, nobody needed
