"""Labor matching: distance, proficiency, ranking and the split of a role between people."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from app.services.coordination import assignment, matching
from app.services.coordination.working_hours import Window
from models.enums import Proficiency, SkillCategory

pytestmark = pytest.mark.pure  # no database

VEGAS = (36.1699, -115.1398)
HENDERSON = (36.0395, -114.9817)  # about 12.5 miles away
DAY = date(2030, 1, 7)


def person(
    uid: int, level: Proficiency, at: tuple[float, float], radius: int = 25, rating: float = 4.0
) -> matching.Person:
    return matching.Person(uid, f"P{uid}", SkillCategory.PAINTING, level, radius, at[0], at[1], rating)


def test_great_circle_distance() -> None:
    assert 12 < matching.great_circle_miles(*VEGAS, *HENDERSON) < 13.5
    assert matching.great_circle_miles(*VEGAS, *VEGAS) == 0


def test_ranking_filters_by_level_and_radius_then_orders_by_level_distance_rating() -> None:
    role = matching.Role(SkillCategory.PAINTING, Proficiency.COMPETENT, Decimal(8))
    people = [
        person(1, Proficiency.LEARNING, VEGAS),
        person(2, Proficiency.PROFICIENT, HENDERSON),
        person(3, Proficiency.PROFICIENT, VEGAS, rating=3.0),
        person(4, Proficiency.EXPERT, HENDERSON, radius=10),  # too far for their own radius
        person(5, Proficiency.PROFICIENT, VEGAS, rating=4.9),
        person(6, Proficiency.COMPETENT, VEGAS),
    ]
    ranked = matching.rank_candidates(role, people, *VEGAS)
    assert [c.person.user_id for c in ranked] == [5, 3, 2, 6]


def test_a_role_is_split_between_people_when_one_has_not_enough_hours() -> None:
    role = matching.Role(SkillCategory.PAINTING, Proficiency.LEARNING, Decimal(10))
    day = Window(DAY, datetime(2030, 1, 7, 8, tzinfo=UTC), datetime(2030, 1, 7, 20, tzinfo=UTC))
    ranked = matching.rank_candidates(
        role, [person(1, Proficiency.EXPERT, VEGAS), person(2, Proficiency.LEARNING, VEGAS)], *VEGAS
    )
    busy = {1: [(day.start, day.start + timedelta(hours=4))]}
    found = matching.assign_role(role, ranked, [day], busy, timezone="UTC")
    assert found is not None
    assert [(a.user_id, a.hours) for a in found] == [(1, Decimal("4.00")), (2, Decimal("6.00"))]
    assert matching.assign_role(role, ranked[:1], [day], busy, timezone="UTC") is None


def test_one_person_is_not_given_two_roles_at_the_same_time() -> None:
    roles = [
        matching.Role(SkillCategory.PAINTING, Proficiency.LEARNING, Decimal(8)),
        matching.Role(SkillCategory.BODYWORK, Proficiency.LEARNING, Decimal(8)),
    ]
    day = Window(DAY, datetime(2030, 1, 7, 8, tzinfo=UTC), datetime(2030, 1, 7, 16, tzinfo=UTC))
    both = person(1, Proficiency.EXPERT, VEGAS)
    ranked = {
        SkillCategory.PAINTING: [matching.Candidate(both, 0)],
        SkillCategory.BODYWORK: [matching.Candidate(both, 0)],
    }
    assert matching.assign_roles(roles, ranked, [day], {}, timezone="UTC") is None


def test_roles_are_staffed_together_so_the_only_mechanic_is_kept_for_mechanical_work() -> None:
    demands = [
        assignment.Demand(SkillCategory.PAINTING, 480, (1, 2)),  # 1 paints best, 2 paints too
        assignment.Demand(SkillCategory.MECHANICAL, 480, (1,)),  # only 1 repairs
    ]
    assert assignment.solve(demands, {1: 480, 2: 480}) == [[(2, 480)], [(1, 480)]]
    assert assignment.solve(demands, {1: 600, 2: 480}) == [[(1, 120), (2, 360)], [(1, 480)]]


def test_a_staffing_that_hall_refuses_is_none() -> None:
    demands = [
        assignment.Demand(SkillCategory.PAINTING, 300, (1,)),
        assignment.Demand(SkillCategory.MECHANICAL, 300, (1, 2)),
    ]
    assert not assignment.feasible(demands, {1: 400, 2: 100})  # 600 min needed, 500 in all
    assert assignment.solve(demands, {1: 400, 2: 100}) is None
    assert assignment.feasible(demands, {1: 400, 2: 200})
