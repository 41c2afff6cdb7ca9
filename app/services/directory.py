"""Finding organizations (by service, capability, distance and text) and listing visible bookings."""

from __future__ import annotations

import math
from dataclasses import dataclass

from tortoise.expressions import Q, Subquery

from app.errors import bad_input
from app.services.access import Viewer
from app.services.coordination.matching import MILES_PER_DEGREE_LAT, great_circle_miles
from app.services.paging import Key, Page, PageRequest, datetime_key, id_key, keyset_page, list_page
from models import Organization, OrganizationCapability, OrganizationService, ServiceBooking
from models.enums import BookingStatus, CapabilityType, ServiceType


@dataclass(frozen=True)
class NearPoint:
    latitude: float
    longitude: float
    radius_miles: float


ORGANIZATION_ORDER = (Key("name"), id_key())
BOOKING_ORDER = (datetime_key("created_at", descending=True), id_key(descending=True))


async def search_organizations(
    *,
    service_type: ServiceType | None = None,
    capability_type: CapabilityType | None = None,
    near: NearPoint | None = None,
    text: str | None = None,
    page: PageRequest | None = None,
) -> Page[Organization]:
    page = page or PageRequest()
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
    if near is None and not text:
        return await keyset_page(query, ORGANIZATION_ORDER, page)
    # Distance and text are decided exactly in Python, over the rows the bounding box and filters left.
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
    return list_page(rows, ORGANIZATION_ORDER, page)


def _matches(organization: Organization, needle: str) -> bool:
    haystack = [organization.name, organization.description, *organization.tags, *organization.keywords]
    return any(needle in str(item).lower() for item in haystack)


async def visible_bookings(
    *,
    viewer: Viewer,
    statuses: list[BookingStatus] | None = None,
    organization_id: int | None = None,
    page: PageRequest | None = None,
) -> Page[ServiceBooking]:
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
    return await keyset_page(query, BOOKING_ORDER, page or PageRequest())
