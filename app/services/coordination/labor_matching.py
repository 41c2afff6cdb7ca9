"""Labor utilization as the seed defines it: the share of skilled users matched with a job in the period.

Skilled: an active user with at least one skill (added before the period ended). Matched: holding reserved labor
time (a job offer pending or accepted: its capacity_schedule rows) that overlaps the period. For one facility the
pool is the skilled people whose travel distance reaches it (those it could be matched with), and matched means
matched there; anyone matched there counts in the pool too.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime

from tortoise.queryset import QuerySet

from app.services.coordination.matching import MILES_PER_DEGREE_LAT, great_circle_miles
from models import CapacitySchedule, Organization, UserSkill
from models.enums import ResourceType


@dataclass(frozen=True)
class MatchedShare:
    matched: int
    skilled: int


async def matched_share(organization_id: int | None, start: datetime, end: datetime) -> MatchedShare:
    """Matched and skilled people for [start, end): four queries at most."""
    held = CapacitySchedule.filter(
        resource_type=ResourceType.USER_LABOR, is_reserved=True, start_time__lt=end, end_time__gt=start
    )
    skills = UserSkill.filter(user__is_active=True, created_at__lt=end)
    if organization_id is None:
        matched = set(await held.distinct().values_list("user_id", flat=True))
        skilled = set(await skills.distinct().values_list("user_id", flat=True))
        return MatchedShare(len(matched & skilled), len(skilled))
    matched = set(await held.filter(organization_id=organization_id).distinct().values_list("user_id", flat=True))
    return MatchedShare(len(matched), len(await _within_reach(organization_id, skills) | matched))


async def _within_reach(organization_id: int, skills: QuerySet[UserSkill]) -> set[int]:
    """Skilled people whose travel distance covers the facility: a box as wide as the longest reach in SQL,
    the exact distance here."""
    org = await Organization.get_or_none(id=organization_id).only("id", "latitude", "longitude")
    if org is None or org.latitude is None or org.longitude is None:
        return set()
    farthest = await skills.order_by("-max_travel_distance_miles").first()
    if farthest is None:
        return set()
    dlat = (farthest.max_travel_distance_miles + 1) / MILES_PER_DEGREE_LAT
    dlon = dlat / max(0.05, math.cos(math.radians(min(89.0, abs(org.latitude) + dlat))))
    rows = await skills.filter(
        user__latitude__gte=org.latitude - dlat,
        user__latitude__lte=org.latitude + dlat,
        user__longitude__gte=org.longitude - dlon,
        user__longitude__lte=org.longitude + dlon,
    ).values_list("user_id", "user__latitude", "user__longitude", "max_travel_distance_miles")
    return {
        int(user_id)
        for user_id, lat, lon, reach in rows
        if great_circle_miles(org.latitude, org.longitude, lat, lon) <= reach
    }
