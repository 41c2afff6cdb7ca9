"""Each bound a skill row puts on matching, one person in and one out: travel distance, weekly hours (counting
other work held that week, in the facility's week), schedule, minimum job hours; verification in the ranking."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from app.services.coordination import labor_bounds, matching
from app.services.coordination.labor_bounds import LaborBounds
from app.services.coordination.working_hours import Window
from models.enums import Proficiency, SkillCategory, WorkSchedule

pytestmark = pytest.mark.pure  # no database

VEGAS = (36.1699, -115.1398)
HENDERSON = (36.0395, -114.9817)  # about 12.5 miles from VEGAS
LA = ZoneInfo("America/Los_Angeles")
MONDAY = date(2030, 1, 7)
PAINTING = matching.Role(SkillCategory.PAINTING, Proficiency.LEARNING, Decimal(8))


def local_day(day: date, start: int = 8, end: int = 20) -> Window:
    """A facility day in Las Vegas, open from `start` to `end` local time."""
    return Window(
        day,
        datetime(day.year, day.month, day.day, start, tzinfo=LA).astimezone(UTC),
        datetime(day.year, day.month, day.day, end, tzinfo=LA).astimezone(UTC),
    )


def person(uid: int, bounds: LaborBounds, *, radius: int = 25, at: tuple[float, float] = VEGAS) -> matching.Person:
    return matching.Person(
        uid, f"P{uid}", SkillCategory.PAINTING, Proficiency.EXPERT, radius, at[0], at[1], 4.0, False, bounds
    )


def hours_given(
    bounds: LaborBounds,
    days: list[Window],
    needed: int = 8,
    busy: list[tuple[datetime, datetime]] | None = None,
) -> Decimal:
    role = matching.Role(SkillCategory.PAINTING, Proficiency.LEARNING, Decimal(needed))
    ranked = [matching.Candidate(person(1, bounds), 0.0)]
    found = matching.assign_role(role, ranked, days, {1: busy or []}, timezone="America/Los_Angeles")
    return found[0].hours if found else Decimal(0)


def test_travel_distance_bounds_who_is_offered() -> None:
    near = person(1, LaborBounds(), radius=15, at=HENDERSON)
    far = person(2, LaborBounds(), radius=10, at=HENDERSON)
    ranked = matching.rank_candidates(PAINTING, [near, far], *VEGAS)
    assert [c.person.user_id for c in ranked] == [1]


def test_weekly_hours_count_the_work_already_held_that_week() -> None:
    days = [local_day(MONDAY + timedelta(days=2))]  # Wednesday
    monday = local_day(MONDAY)
    held = [(monday.start, monday.start + timedelta(hours=8))]  # a full day on Monday, same week
    assert hours_given(LaborBounds(hours_per_week=16), days, busy=held) == Decimal(8)  # in: 8 + 8 fits 16
    assert hours_given(LaborBounds(hours_per_week=12), days, busy=held) == Decimal(0)  # out: only 4 h left


def test_work_held_in_the_previous_week_does_not_count() -> None:
    days = [local_day(MONDAY)]
    sunday = local_day(MONDAY - timedelta(days=1))
    held = [(sunday.start, sunday.start + timedelta(hours=8))]
    assert hours_given(LaborBounds(hours_per_week=8), days, busy=held) == Decimal(8)


def test_the_week_is_the_facility_local_week() -> None:
    # Sunday 20:00 in Las Vegas is Monday 04:00 UTC: still last week there, so it does not use Monday's room.
    sunday_evening = datetime(2030, 1, 6, 20, tzinfo=LA).astimezone(UTC)
    held = [(sunday_evening, sunday_evening + timedelta(hours=3))]
    assert labor_bounds.booked_minutes_by_week(held, "America/Los_Angeles") == {date(2029, 12, 31): 180}
    assert hours_given(LaborBounds(hours_per_week=8), [local_day(MONDAY)], busy=held) == Decimal(8)


@pytest.mark.parametrize(
    ("schedule", "weekday_hours", "saturday_hours"),
    [
        (WorkSchedule.WEEKDAYS, Decimal(8), Decimal(0)),
        (WorkSchedule.WEEKENDS, Decimal(0), Decimal(8)),
        (WorkSchedule.FLEXIBLE, Decimal(8), Decimal(8)),
    ],
)
def test_the_schedule_picks_the_days(schedule: WorkSchedule, weekday_hours: Decimal, saturday_hours: Decimal) -> None:
    bounds = LaborBounds(schedule=schedule)
    assert hours_given(bounds, [local_day(MONDAY)]) == weekday_hours
    assert hours_given(bounds, [local_day(MONDAY + timedelta(days=5))]) == saturday_hours


def test_an_evening_person_works_only_from_five_local() -> None:
    evenings = LaborBounds(schedule=WorkSchedule.EVENINGS)
    assert hours_given(evenings, [local_day(MONDAY, 8, 16)]) == Decimal(0)  # closes before the evening
    assert hours_given(evenings, [local_day(MONDAY, 8, 22)], needed=5) == Decimal(5)  # 17:00 to 22:00
    part = labor_bounds.scheduled_part(local_day(MONDAY, 8, 22), WorkSchedule.EVENINGS, "America/Los_Angeles")
    assert part is not None and part.start == datetime(2030, 1, 7, 17, tzinfo=LA)


def test_a_share_below_the_minimum_job_hours_is_not_offered() -> None:
    days = [local_day(MONDAY)]
    assert hours_given(LaborBounds(minimum_job_hours=4), days, needed=4) == Decimal(4)
    assert hours_given(LaborBounds(minimum_job_hours=5), days, needed=4) == Decimal(0)


def test_the_share_left_below_someones_minimum_goes_to_the_next_person() -> None:
    role = matching.Role(SkillCategory.PAINTING, Proficiency.LEARNING, Decimal(3))
    picky = matching.Candidate(person(1, LaborBounds(minimum_job_hours=6)), 0.0)
    willing = matching.Candidate(person(2, LaborBounds(minimum_job_hours=2)), 0.0)
    found = matching.assign_role(role, [picky, willing], [local_day(MONDAY)], {}, timezone="America/Los_Angeles")
    assert found is not None and [(a.user_id, a.hours) for a in found] == [(2, Decimal(3))]


def test_verification_ranks_after_proficiency_before_distance() -> None:
    def at(uid: int, level: Proficiency, where: tuple[float, float], verified: bool) -> matching.Person:
        return matching.Person(
            uid, f"P{uid}", SkillCategory.PAINTING, level, 25, where[0], where[1], 4.0, verified, LaborBounds()
        )

    people = [
        at(1, Proficiency.EXPERT, VEGAS, False),
        at(2, Proficiency.EXPERT, HENDERSON, True),  # farther, but verified
        at(3, Proficiency.MASTER, HENDERSON, False),  # the highest level first, verified or not
    ]
    ranked = matching.rank_candidates(PAINTING, people, *VEGAS)
    assert [c.person.user_id for c in ranked] == [3, 2, 1]
