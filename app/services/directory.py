"""Finding organizations (by service, capability, distance and text) and listing visible bookings."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Generic, TypeVar
from uuid import UUID

from tortoise.expressions import Q, Subquery

from app import settings
from app.errors import bad_input
from app.services.access import Viewer
from app.services.coordination.matching import MILES_PER_DEGREE_LAT, great_circle_miles
from models import Organization, OrganizationCapability, OrganizationService, ServiceBooking
from models.enums import BookingStatus, CapabilityType, ServiceType


def check_page(limit: int, offset: int) -> None:
    if not 1 <= limit <= settings.MAX_PAGE_SIZE:
        raise bad_input("limit", f"limit must be between 1 and {settings.MAX_PAGE_SIZE}")
    if offset < 0:
        raise bad_input("offset", "offset must not be negative")


@dataclass(frozen=True)
class NearPoint:
    latitude: float
    longitude: float
    radius_miles: float


T = TypeVar("T")


@dataclass(frozen=True)
class Page(Generic[T]):
    nodes: list[T]
    total_count: int
    has_next_page: bool


async def search_organizations(
    *,
    service_type: ServiceType | None = None,
    capability_type: CapabilityType | None = None,
    near: NearPoint | None = None,
    text: str | None = None,
    limit: int = 20,
    offset: int = 0,
) -> Page[Organization]:
    check_page(limit, offset)
    query = Organization.filter(is_active=True)
    if service_type is not None:
        query = query.filter(
            id__in=Subquery(
                OrganizationService.filter(service_type=service_type, is_active=True).values("organization_id")
            )
        )
    if capability_type is not None:
        query = query.filter(
            id__in=Subquery(
                OrganizationCapability.filter(capability_type=capability_type, is_operational=True).values(
                    "organization_id"
                )
            )
        )
    if near is not None:
        if near.radius_miles < 0:
            raise bad_input("near.radiusMiles", "radiusMiles must not be negative")
        # A bounding box in SQL narrows the rows; the exact great-circle test follows in Python.
        dlat = near.radius_miles / MILES_PER_DEGREE_LAT
        dlon = near.radius_miles / max(1e-6, MILES_PER_DEGREE_LAT * math.cos(math.radians(near.latitude)))
        query = query.filter(
            latitude__gte=near.latitude - dlat,
            latitude__lte=near.latitude + dlat,
            longitude__gte=near.longitude - dlon,
            longitude__lte=near.longitude + dlon,
        )
    rows = await query.order_by("name", "id")
    if near is not None:
        rows = [
            r
            for r in rows
            if r.latitude is not None
            and r.longitude is not None
            and great_circle_miles(near.latitude, near.longitude, r.latitude, r.longitude) <= near.radius_miles
        ]
    if text:
        needle = text.strip().lower()
        rows = [r for r in rows if _matches(r, needle)]
    return Page(nodes=rows[offset : offset + limit], total_count=len(rows), has_next_page=offset + limit < len(rows))


def _matches(organization: Organization, needle: str) -> bool:
    haystack = [organization.name, organization.description, *organization.tags, *organization.keywords]
    return any(needle in str(item).lower() for item in haystack)


async def visible_bookings(
    *,
    viewer: Viewer,
    statuses: list[BookingStatus] | None = None,
    organization_id: UUID | None = None,
    limit: int = 20,
    offset: int = 0,
) -> Page[ServiceBooking]:
    check_page(limit, offset)
    user = viewer.require_user()
    query = ServiceBooking.all()
    if not viewer.is_admin:
        scope = Q(customer_id=user.id) | Q(id__in=list(await viewer.offer_booking_ids()))
        if viewer.member_roles:
            scope |= Q(organization_id__in=list(viewer.member_roles))
        query = query.filter(scope)
    if statuses:
        query = query.filter(status__in=statuses)
    if organization_id is not None:
        query = query.filter(organization_id=organization_id)
    total = await query.count()
    rows = await query.order_by("-created_at", "-id").offset(offset).limit(limit)
    return Page(nodes=list(rows), total_count=total, has_next_page=offset + limit < total)
