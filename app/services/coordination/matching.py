"""Labor matching: qualified people within travel range, ranked, with free hours in a window."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from app.services.coordination import assignment
from app.services.coordination.availability import block_hours
from app.services.coordination.labor_bounds import LaborBounds, bounded_free_blocks
from app.services.coordination.working_hours import Window
from models import UserSkill
from models.enums import PROFICIENCY_RANK, Proficiency, SkillCategory, WorkSchedule

EARTH_RADIUS_MILES = 3958.8
MILES_PER_DEGREE_LAT = 69.2
RANKED_CANDIDATES_KEPT = 10
EVERYTHING = 10**7  # minutes: more than anyone has in a horizon


@dataclass(frozen=True)
class Role:
    skill_category: SkillCategory
    min_proficiency: Proficiency
    hours: Decimal


@dataclass(frozen=True)
class Person:
    user_id: int
    name: str
    skill_category: SkillCategory
    proficiency: Proficiency
    max_travel_distance_miles: int
    latitude: float | None
    longitude: float | None
    rating: float
    is_verified: bool = False
    bounds: LaborBounds = field(default_factory=LaborBounds)


@dataclass(frozen=True)
class Candidate:
    person: Person
    distance_miles: float

    @property
    def sort_key(self) -> tuple[int, bool, float, float, int]:
        """Proficiency, then verification (the seed's step 5 orders by level first), distance, rating."""
        p = self.person
        return (
            -PROFICIENCY_RANK[p.proficiency],
            not p.is_verified,
            round(self.distance_miles, 3),
            -p.rating,
            p.user_id,
        )


@dataclass(frozen=True)
class Assignment:
    user_id: int
    name: str
    role: SkillCategory
    hours: Decimal
    blocks: tuple[tuple[datetime, datetime], ...]

    def to_json(self) -> dict[str, Any]:
        """As stored in a booking's plan."""
        return {
            "user_id": self.user_id,
            "name": self.name,
            "hours": f"{self.hours:.2f}",
            "blocks": [[s.isoformat(), e.isoformat()] for s, e in self.blocks],
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any], role: SkillCategory) -> Assignment:
        """As read back from a plan (the role is the plan entry's, not stored per person)."""
        return cls(
            int(data["user_id"]),
            str(data.get("name", "")),
            role,
            Decimal(str(data.get("hours") or 0)),
            tuple((datetime.fromisoformat(s), datetime.fromisoformat(e)) for s, e in data.get("blocks", [])),
        )


BOUND_COLUMNS = ("available_hours_per_week", "preferred_work_schedule", "minimum_job_hours")


def bounds_of(hours_per_week: int, schedule: str, minimum_job_hours: int) -> LaborBounds:
    """A skill row's BOUND_COLUMNS as matching's bounds."""
    return LaborBounds(int(hours_per_week), WorkSchedule(schedule), int(minimum_job_hours))


def great_circle_miles(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_MILES * math.asin(math.sqrt(min(1.0, max(0.0, a))))  # total even for bad input


def merge_roles(roles: Iterable[Role]) -> list[Role]:
    """One role per skill category: the hours add up, the strictest proficiency wins."""
    merged: dict[SkillCategory, Role] = {}
    for r in roles:
        old = merged.get(r.skill_category)
        if old is None:
            merged[r.skill_category] = r
        else:
            strict = max(old.min_proficiency, r.min_proficiency, key=lambda p: PROFICIENCY_RANK[p])
            merged[r.skill_category] = Role(r.skill_category, strict, old.hours + r.hours)
    return list(merged.values())


async def load_people(
    categories: Iterable[SkillCategory], *, near: Sequence[tuple[float | None, float | None]] = ()
) -> dict[SkillCategory, list[Person]]:
    """Available, active people with a skill in these categories; with `near` (facility locations), only
    those inside a box that any of their travel radii could reach from. Two queries."""
    wanted = sorted(set(categories))
    if not wanted:
        return {}
    query = UserSkill.filter(skill_category__in=wanted, is_available=True, user__is_active=True)
    points = [(lat, lon) for lat, lon in near if lat is not None and lon is not None]
    if points and len(points) == len(near):
        farthest = await query.order_by("-max_travel_distance_miles").first()
        dlat = ((farthest.max_travel_distance_miles if farthest else 0) + 1) / MILES_PER_DEGREE_LAT
        lats = [p[0] for p in points]
        lons = [p[1] for p in points]
        widest = max(abs(min(lats) - dlat), abs(max(lats) + dlat))
        dlon = dlat / max(0.05, math.cos(math.radians(min(widest, 89.0))))
        query = query.filter(
            user__latitude__gte=min(lats) - dlat,
            user__latitude__lte=max(lats) + dlat,
            user__longitude__gte=min(lons) - dlon,
            user__longitude__lte=max(lons) + dlon,
        )
    rows = await query.values_list(
        "user_id",
        "user__full_name",
        "skill_category",
        "proficiency_level",
        "max_travel_distance_miles",
        "user__latitude",
        "user__longitude",
        "user__rating",
        "is_verified",
        *BOUND_COLUMNS,
    )
    best: dict[tuple[SkillCategory, int], Person] = {}
    for user_id, name, category, level, radius, lat, lon, rating, verified, *bounds in rows:
        person = Person(
            user_id,
            name,
            SkillCategory(category),
            Proficiency(level),
            radius,
            lat,
            lon,
            float(rating or 0),
            bool(verified),
            bounds_of(*bounds),
        )
        key = (person.skill_category, user_id)
        old = best.get(key)  # several skills in one category: keep the highest level
        if old is None or PROFICIENCY_RANK[person.proficiency] > PROFICIENCY_RANK[old.proficiency]:
            best[key] = person
    grouped: dict[SkillCategory, list[Person]] = defaultdict(list)
    for (category, _), person in best.items():
        grouped[category].append(person)
    return grouped


def rank_candidates(
    role: Role, people: Sequence[Person], latitude: float | None, longitude: float | None
) -> list[Candidate]:
    """Qualified people whose travel radius covers the facility, best first.

    Without coordinates on either side distance is unknown and counted as 0 (the person is kept).
    """
    floor = PROFICIENCY_RANK[role.min_proficiency]
    found = []
    for p in people:
        if PROFICIENCY_RANK[p.proficiency] < floor:
            continue
        distance = 0.0
        if latitude is not None and longitude is not None and p.latitude is not None and p.longitude is not None:
            if abs(p.latitude - latitude) * MILES_PER_DEGREE_LAT > p.max_travel_distance_miles + 1:
                continue  # cheap test before the trigonometry
            distance = great_circle_miles(latitude, longitude, p.latitude, p.longitude)
            if distance > p.max_travel_distance_miles:
                continue
        found.append(Candidate(p, distance))
    found.sort(key=lambda c: c.sort_key)
    return found


def _demands(
    roles: Sequence[Role], ranked: Mapping[SkillCategory, Sequence[Candidate]], skip: set[int]
) -> list[assignment.Demand]:
    return [
        assignment.Demand(
            r.skill_category,
            _minutes(r.hours),
            tuple(c.person.user_id for c in ranked.get(r.skill_category, ()) if c.person.user_id not in skip),
        )
        for r in roles
    ]


def _minutes(hours: Decimal) -> int:
    return int((hours * 60).to_integral_value())


def role_minutes(role: Role) -> int:
    return _minutes(role.hours)


def person_blocks(
    person: Person, busy: Sequence[tuple[datetime, datetime]], days: Sequence[Window], minutes: int, *, timezone: str
) -> list[tuple[datetime, datetime]]:
    """The one place a person's free time in a window is read: their blocks, earliest first, up to `minutes`,
    never over their other blocks and at most 8 h a local day. Bounds on people (weekly hours, preferred
    schedule) belong here: the quote's staffing check, its assignment and acceptance then all respect them."""
    # Everything they could give, within their bounds (below their minimum job hours: nothing), earliest first.
    free = bounded_free_blocks(person.bounds, busy, days, Decimal(EVERYTHING) / 60, timezone=timezone)
    return _take(free, minutes)[0]


def person_free_minutes(
    person: Person, busy: Sequence[tuple[datetime, datetime]], days: Sequence[Window], *, timezone: str
) -> int:
    return sum(
        int((e - s).total_seconds() // 60) for s, e in person_blocks(person, busy, days, 10**9, timezone=timezone)
    )


def _people(ranked: Mapping[SkillCategory, Sequence[Candidate]]) -> dict[int, Person]:
    people: dict[int, Person] = {}
    for group in ranked.values():
        for c in group:
            people.setdefault(c.person.user_id, c.person)
    return people


def assign_roles(
    roles: Sequence[Role],
    ranked: Mapping[SkillCategory, Sequence[Candidate]],
    days: Sequence[Window],
    busy: Mapping[int, Sequence[tuple[datetime, datetime]]],
    *,
    timezone: str,
    exclude: Iterable[int] = (),
    capacity: Mapping[int, int] | None = None,
) -> dict[SkillCategory, list[Assignment]] | None:
    """Every role staffed together (assignment.solve), or None if the people's free minutes cannot cover them.

    `capacity` (minutes per person in the window) replaces what their free time allows, for filters that
    bound people further; a person never gets more than their free time either way."""
    everyone = _demands(roles, ranked, set(exclude))
    people = _people(ranked)
    free: dict[int, int] = {}
    solved = None
    # The best-ranked first, as LaborCheck asks (a quote and its acceptance, which keeps those, then agree).
    # A person whose share would fall below their minimum job hours is left out and the roles solved again
    # (the Hall test cannot express a minimum share; this keeps the bound, possibly missing a staffing).
    for size in LaborCheck.POOLS:
        while True:
            demands = [replace(d, ranked=d.ranked[:size]) for d in everyone]
            for u in {u for d in demands for u in d.ranked} - free.keys():
                free[u] = person_free_minutes(people[u], busy.get(u, ()), days, timezone=timezone)
                if capacity is not None:
                    free[u] = min(free[u], capacity.get(u, 0))
            solved = assignment.solve(demands, free)
            if solved is None:
                break
            shares: dict[int, int] = defaultdict(int)
            for given in solved:
                for u, m in given:
                    shares[u] += m
            short = {u for u, m in shares.items() if m < people[u].bounds.minimum_job_hours * 60}
            if not short:
                break
            free.update(dict.fromkeys(short, 0))
        if solved is not None:
            break
    if solved is None:
        return None
    # A person on several roles works them one after the other in their free time, in the roles' order.
    total: dict[int, int] = defaultdict(int)
    for given in solved:
        for u, m in given:
            total[u] += m
    timeline = {u: person_blocks(people[u], busy.get(u, ()), days, m, timezone=timezone) for u, m in total.items()}
    result: dict[SkillCategory, list[Assignment]] = {}
    for demand, given in zip(demands, solved, strict=True):
        found = []
        for u, m in given:
            blocks, timeline[u] = _take(timeline[u], m)
            found.append(Assignment(u, people[u].name, demand.role, block_hours(blocks), tuple(blocks)))
        result[demand.role] = found
    return result


def _take(
    blocks: list[tuple[datetime, datetime]], minutes: int
) -> tuple[list[tuple[datetime, datetime]], list[tuple[datetime, datetime]]]:
    """The first `minutes` of a list of blocks, and the rest."""
    taken: list[tuple[datetime, datetime]] = []
    rest = list(blocks)
    while minutes > 0 and rest:
        s, e = rest.pop(0)
        length = int((e - s).total_seconds() // 60)
        if length <= minutes:
            taken.append((s, e))
            minutes -= length
        else:
            cut = s + timedelta(minutes=minutes)
            taken.append((s, cut))
            rest.insert(0, (cut, e))
            minutes = 0
    return taken, rest


def assign_role(
    role: Role,
    ranked: Sequence[Candidate],
    days: Sequence[Window],
    busy: Mapping[int, Sequence[tuple[datetime, datetime]]],
    *,
    timezone: str,
    exclude: Iterable[int] = (),
    hours: Decimal | None = None,
) -> list[Assignment] | None:
    """The best-ranked people whose free hours in the window add up to the role's hours (or `hours`), or None."""
    wanted = Role(role.skill_category, role.min_proficiency, role.hours if hours is None else hours)
    found = assign_roles([wanted], {role.skill_category: ranked}, days, busy, timezone=timezone, exclude=exclude)
    return None if found is None else found[role.skill_category]


class LaborCheck:
    """Can the roles be staffed on days[i..j]? A person's free minutes in a window are read once (through
    person_blocks), so a window costs one read per person asked and one Hall test. The best-ranked people
    are asked first (enough people among them settles it); only a window they cannot staff asks everyone."""

    POOLS = (4, RANKED_CANDIDATES_KEPT, None)  # candidates per role, best first; None: all of them

    def __init__(
        self,
        roles: Sequence[Role],
        ranked: Mapping[SkillCategory, Sequence[Candidate]],
        days: Sequence[Window],
        busy: Mapping[int, Sequence[tuple[datetime, datetime]]],
        *,
        timezone: str,
    ) -> None:
        demands = _demands(roles, ranked, set())
        self.pools = [[replace(d, ranked=d.ranked[:size]) for d in demands] for size in self.POOLS]
        self._people = _people(ranked)
        self._days, self._busy, self._timezone = days, busy, timezone
        self._free: dict[tuple[int, int, int], int] = {}

    def _minutes(self, user_id: int, first: int, last: int) -> int:
        got = self._free.get((user_id, first, last))
        if got is None:
            busy, days = self._busy.get(user_id, ()), self._days[first : last + 1]
            got = person_free_minutes(self._people[user_id], busy, days, timezone=self._timezone)
            self._free[user_id, first, last] = got
        return got

    def __call__(self, first: int, last: int) -> bool:
        for pool in self.pools:
            free = {u: self._minutes(u, first, last) for d in pool for u in d.ranked}
            if assignment.feasible(pool, free):
                return True
        return False

    def free_minutes(self, first: int, last: int) -> int:
        """The free minutes on days[first..last] of the candidates a quote keeps for each role (those the
        offers fall back on)."""
        kept = {u for d in self.pools[1] for u in d.ranked}
        return sum(self._minutes(u, first, last) for u in kept)
