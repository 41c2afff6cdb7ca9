"""Labor matching: qualified people within travel range, ranked, with free hours in a window."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from app.services.coordination.availability import block_hours, free_labor_blocks
from app.services.coordination.working_hours import Window
from models import UserSkill
from models.enums import PROFICIENCY_RANK, Proficiency, SkillCategory

EARTH_RADIUS_MILES = 3958.8
MILES_PER_DEGREE_LAT = 69.2
RANKED_CANDIDATES_KEPT = 10


@dataclass(frozen=True)
class Role:
    skill_category: SkillCategory
    min_proficiency: Proficiency
    hours: Decimal


@dataclass(frozen=True)
class Person:
    user_id: UUID
    name: str
    skill_category: SkillCategory
    proficiency: Proficiency
    travel_radius_miles: int
    latitude: float | None
    longitude: float | None
    rating: float
    # Breaks ties among equals: the longest-standing account first (keys are random UUIDs, not an order).
    joined: datetime | None = None


@dataclass(frozen=True)
class Candidate:
    person: Person
    distance_miles: float

    @property
    def sort_key(self) -> tuple[int, float, float, datetime, UUID]:
        p = self.person
        joined = p.joined or datetime.max.replace(tzinfo=UTC)
        return (-PROFICIENCY_RANK[p.proficiency], round(self.distance_miles, 3), -p.rating, joined, p.user_id)


@dataclass(frozen=True)
class Assignment:
    user_id: UUID
    name: str
    role: SkillCategory
    hours: Decimal
    blocks: tuple[tuple[datetime, datetime], ...]

    def to_json(self) -> dict[str, Any]:
        """As stored in a booking's plan."""
        return {
            "user_id": str(self.user_id),
            "name": self.name,
            "hours": f"{self.hours:.2f}",
            "blocks": [[s.isoformat(), e.isoformat()] for s, e in self.blocks],
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any], role: SkillCategory) -> Assignment:
        """As read back from a plan (the role is the plan entry's, not stored per person)."""
        return cls(
            UUID(str(data["user_id"])),
            str(data.get("name", "")),
            role,
            Decimal(str(data.get("hours") or 0)),
            tuple((datetime.fromisoformat(s), datetime.fromisoformat(e)) for s, e in data.get("blocks", [])),
        )


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
        farthest = await query.order_by("-travel_radius_miles").first()
        dlat = ((farthest.travel_radius_miles if farthest else 0) + 1) / MILES_PER_DEGREE_LAT
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
        "travel_radius_miles",
        "user__latitude",
        "user__longitude",
        "user__rating",
        "user__created_at",
    )
    best: dict[tuple[SkillCategory, UUID], Person] = {}
    for user_id, name, category, level, radius, lat, lon, rating, joined in rows:
        person = Person(
            UUID(str(user_id)),
            name,
            SkillCategory(category),
            Proficiency(level),
            radius,
            lat,
            lon,
            float(rating or 0),
            joined,
        )
        key = (person.skill_category, person.user_id)
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
            if abs(p.latitude - latitude) * MILES_PER_DEGREE_LAT > p.travel_radius_miles + 1:
                continue  # cheap test before the trigonometry
            distance = great_circle_miles(latitude, longitude, p.latitude, p.longitude)
            if distance > p.travel_radius_miles:
                continue
        found.append(Candidate(p, distance))
    found.sort(key=lambda c: c.sort_key)
    return found


def assign_role(
    role: Role,
    ranked: Sequence[Candidate],
    days: Sequence[Window],
    busy: Mapping[UUID, Sequence[tuple[datetime, datetime]]],
    *,
    timezone: str,
    exclude: Iterable[int] = (),
    hours: Decimal | None = None,
) -> list[Assignment] | None:
    """The best-ranked people whose free hours in the window add up to the role's hours, or None."""
    remaining = role.hours if hours is None else hours
    skip = set(exclude)
    chosen: list[Assignment] = []
    for c in ranked:
        if remaining <= 0:
            break
        if c.person.user_id in skip:
            continue
        blocks = free_labor_blocks(busy.get(c.person.user_id, ()), days, remaining, timezone=timezone)
        got = block_hours(blocks)
        if got <= 0:
            continue
        chosen.append(Assignment(c.person.user_id, c.person.name, role.skill_category, got, tuple(blocks)))
        remaining -= got
    return chosen if remaining <= 0 else None


def assign_roles(
    roles: Sequence[Role],
    ranked: Mapping[SkillCategory, Sequence[Candidate]],
    days: Sequence[Window],
    busy: Mapping[UUID, Sequence[tuple[datetime, datetime]]],
    *,
    timezone: str,
) -> dict[SkillCategory, list[Assignment]] | None:
    """Assign every role (one person never on two roles at once), or None if one cannot be staffed."""
    taken: dict[UUID, list[tuple[datetime, datetime]]] = {k: list(v) for k, v in busy.items() if v}
    result: dict[SkillCategory, list[Assignment]] = {}
    for role in roles:
        found = assign_role(role, ranked.get(role.skill_category, ()), days, taken, timezone=timezone)
        if found is None:
            return None
        for a in found:
            taken.setdefault(a.user_id, []).extend(a.blocks)
            taken[a.user_id].sort()
        result[role.skill_category] = found
    return result
