"""The labor pool a facility member browses: people with a skill near a point, best first, paged by cursor.

Ranked as matching ranks (proficiency, verification, distance, rating). One light query reads the candidates
inside the search box (bounded by the radius cap), the exact distance and the order are computed here, and one
more query loads the page's rows: the statements do not grow with the pool or the page.
"""

from __future__ import annotations

import base64
import binascii
import math
from dataclasses import dataclass

from app import settings
from app.errors import bad_input, forbidden
from app.services.access import Viewer
from app.services.coordination.matching import MILES_PER_DEGREE_LAT, great_circle_miles
from models import UserSkill
from models.enums import PROFICIENCY_RANK, Proficiency, SkillCategory

MAX_RADIUS_MILES = 250  # a facility's hiring area; beyond it the box would hold a state's whole workforce
CURSOR_PREFIX = "pool:"

SortKey = tuple[int, int, int, int, int]


@dataclass(frozen=True)
class Near:
    latitude: float
    longitude: float
    radius_miles: float


@dataclass(frozen=True)
class PoolEntry:
    skill: UserSkill
    distance_miles: float  # rounded to a mile: the pool shows how far, not where someone lives
    cursor: str
    within_travel_range: bool  # the exact distance against their max_travel_distance_miles


@dataclass(frozen=True)
class PoolPage:
    entries: list[PoolEntry]
    total_count: int
    has_next_page: bool

    @property
    def end_cursor(self) -> str | None:
        return self.entries[-1].cursor if self.entries else None


def _cursor(key: SortKey) -> str:
    return base64.urlsafe_b64encode((CURSOR_PREFIX + ",".join(map(str, key))).encode()).decode()


def _key_of(cursor: str) -> SortKey:
    try:
        text = base64.urlsafe_b64decode(cursor.encode()).decode()
        if not text.startswith(CURSOR_PREFIX):
            raise ValueError(text)
        parts = tuple(int(p) for p in text[len(CURSOR_PREFIX) :].split(","))
    except (ValueError, binascii.Error, UnicodeError) as exc:
        raise bad_input("after", "after must be a cursor returned by laborPool") from exc
    if len(parts) != 5:
        raise bad_input("after", "after must be a cursor returned by laborPool")
    return (parts[0], parts[1], parts[2], parts[3], parts[4])


def _check(near: Near, first: int) -> None:
    if not 1 <= first <= settings.MAX_PAGE_SIZE:
        raise bad_input("first", f"first must be between 1 and {settings.MAX_PAGE_SIZE}")
    if not -90 <= near.latitude <= 90:
        raise bad_input("near.latitude", "latitude must be between -90 and 90")
    if not -180 <= near.longitude <= 180:
        raise bad_input("near.longitude", "longitude must be between -180 and 180")
    if not 0 <= near.radius_miles <= MAX_RADIUS_MILES:
        raise bad_input("near.radiusMiles", f"radiusMiles must be between 0 and {MAX_RADIUS_MILES}")


async def labor_pool(
    *,
    viewer: Viewer,
    skill_category: SkillCategory,
    near: Near,
    min_proficiency: Proficiency = Proficiency.LEARNING,
    first: int = 20,
    after: str | None = None,
) -> PoolPage:
    viewer.require_user()
    if not (viewer.is_admin or viewer.member_roles):
        raise forbidden("The labor pool is for members of a facility (owners, managers and staff)")
    _check(near, first)
    floor = PROFICIENCY_RANK[min_proficiency]
    levels = [level for level, rank in PROFICIENCY_RANK.items() if rank >= floor]
    dlat = near.radius_miles / MILES_PER_DEGREE_LAT
    widest = min(89.0, abs(near.latitude) + dlat)
    dlon = min(180.0, dlat / max(0.01, math.cos(math.radians(widest))))
    rows = await UserSkill.filter(
        skill_category=skill_category,
        proficiency_level__in=levels,
        is_available=True,
        user__is_active=True,
        user__latitude__gte=near.latitude - dlat,
        user__latitude__lte=near.latitude + dlat,
        user__longitude__gte=near.longitude - dlon,
        user__longitude__lte=near.longitude + dlon,
    ).values_list("id", "proficiency_level", "is_verified", "user__latitude", "user__longitude", "user__rating")
    ranked: list[tuple[SortKey, float]] = []
    for skill_id, level, verified, lat, lon, rating in rows:
        distance = great_circle_miles(near.latitude, near.longitude, lat, lon)
        if distance > near.radius_miles:
            continue
        key = (
            -PROFICIENCY_RANK[Proficiency(level)],
            0 if verified else 1,
            round(distance * 1000),
            -round(float(rating or 0) * 100),
            int(skill_id),
        )
        ranked.append((key, distance))
    ranked.sort()
    start = 0
    if after is not None:
        last = _key_of(after)
        start = next((i for i, (key, _) in enumerate(ranked) if key > last), len(ranked))
    page = ranked[start : start + first]
    skills = {s.id: s for s in await UserSkill.filter(id__in=[key[4] for key, _ in page])} if page else {}
    entries = [
        PoolEntry(skill, float(round(distance)), _cursor(key), distance <= skill.max_travel_distance_miles)
        for key, distance in page
        if (skill := skills.get(key[4])) is not None  # deleted between the two reads
    ]
    return PoolPage(entries, len(ranked), start + first < len(ranked))
