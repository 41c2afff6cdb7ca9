"""The labor pool a facility member browses: people with a skill near a point, best first, paged by cursor.

Ranked as matching ranks (proficiency, verification, distance, rating). One light query reads the candidates
inside the search box (bounded by the radius cap), the exact distance and the order are computed here and paged
like every list (app/services/paging.py), and one more query loads the page's rows: the statements do not grow
with the pool or the page.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, cast

from app.errors import bad_input, forbidden
from app.services.access import Viewer
from app.services.coordination.matching import MILES_PER_DEGREE_LAT, great_circle_miles
from app.services.paging import Key, Page, PageRequest, id_key, list_page
from models import UserSkill
from models.enums import PROFICIENCY_RANK, Proficiency, SkillCategory

MAX_RADIUS_MILES = 250  # a facility's hiring area; beyond it the box would hold a state's whole workforce


@dataclass(frozen=True)
class Near:
    latitude: float
    longitude: float
    radius_miles: float


@dataclass(frozen=True)
class PoolEntry:
    skill: UserSkill
    distance_miles: float  # rounded to a mile: the pool shows how far, not where someone lives
    within_travel_range: bool  # the exact distance against their max_travel_distance_miles


@dataclass(frozen=True)
class Ranked:
    """A candidate's place in the pool's order (ascending keys: the best first)."""

    level: int  # minus the proficiency rank
    unverified: int  # 0 verified, 1 not
    milli_miles: int
    rating: int  # minus the rating in hundredths
    id: int  # the skill's, the last tie-breaker
    distance: float


KEYS: tuple[Key, ...] = (Key("level"), Key("unverified"), Key("milli_miles"), Key("rating"), id_key())


def _check(near: Near) -> None:
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
    page: PageRequest,
) -> Page[PoolEntry]:
    viewer.require_user()
    if not (viewer.is_admin or viewer.member_roles):
        raise forbidden("The labor pool is for members of a facility (owners, managers and staff)")
    _check(near)
    _ = page.size  # a page size out of bounds is refused before anything is read
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
    ranked: list[Ranked] = []
    for skill_id, level, verified, lat, lon, rating in rows:
        distance = great_circle_miles(near.latitude, near.longitude, lat, lon)
        if distance <= near.radius_miles:
            rank = PROFICIENCY_RANK[Proficiency(level)]
            cents = round(float(rating or 0) * 100)
            ranked.append(Ranked(-rank, 0 if verified else 1, round(distance * 1000), -cents, skill_id, distance))
    ranked.sort(key=lambda r: (r.level, r.unverified, r.milli_miles, r.rating, r.id))
    # list_page reads the keys as attributes; it is typed for model rows, Ranked has the same attributes.
    chosen: Page[Ranked] = list_page(cast(Any, ranked), KEYS, page)
    ids = [r.id for r in chosen.items]
    skills = {s.id: s for s in await UserSkill.filter(id__in=ids)} if ids else {}
    entries, cursors = [], []
    for r, cursor in zip(chosen.items, chosen.cursors, strict=True):
        skill = skills.get(r.id)
        if skill is None:  # deleted between the two reads
            continue
        entries.append(PoolEntry(skill, float(round(r.distance)), r.distance <= skill.max_travel_distance_miles))
        cursors.append(cursor)
    return Page(entries, cursors, chosen.has_next_page, chosen.has_previous_page, chosen.total_count)
