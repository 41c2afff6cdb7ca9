"""Finding organizations (by service, capability, distance and text) and listing visible bookings."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from tortoise.expressions import Case, Q, Subquery, When

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


MAX_SEARCH_WORDS = 8
MAX_SEARCH_LENGTH = 200


def search_words(text: str | None) -> list[str]:
    """The words a text search requires (all of them), lowercased as search_text is written."""
    if text is None:
        return []
    if len(text) > MAX_SEARCH_LENGTH:
        raise bad_input("text", f"text must be at most {MAX_SEARCH_LENGTH} characters")
    words = text.lower().split()
    if len(words) > MAX_SEARCH_WORDS:
        raise bad_input("text", f"text may hold at most {MAX_SEARCH_WORDS} words")
    return words


def _services_matching(words: list[str]) -> Q:
    """Every word somewhere in the service's name, description, tags or keywords (search_text)."""
    return Q(*(Q(search_text__contains=w) for w in words), join_type="AND") if words else Q()


def _checked(kind: type, values: tuple[object, ...] = ()) -> Callable[[Any], Any]:
    """A cursor value's parser that refuses (ValueError: BAD_INPUT) what this key never holds."""

    def parse(value: Any) -> Any:
        if not isinstance(value, kind) or (values and value not in values):
            raise ValueError("not a value of this key")
        return value

    return parse


# Services whose name holds every word first ("0" before "1"), featured first among those, then by name.
SERVICE_ORDER = (
    Key("name_rank", parse=_checked(str, ("0", "1"))),
    Key("is_featured", descending=True, parse=_checked(bool)),
    Key("service_name", parse=_checked(str)),
    id_key(),
)


async def search_services(
    *,
    text: str | None = None,
    featured: bool | None = None,
    service_type: ServiceType | None = None,
    organization_id: int | None = None,
    page: PageRequest | None = None,
) -> Page[OrganizationService]:
    """Active services of active organizations, ranked (SERVICE_ORDER); filtering, ranking and the keyset page
    all run in SQL (two statements)."""
    words = search_words(text)
    query = OrganizationService.filter(_services_matching(words), is_active=True, organization__is_active=True)
    if featured is not None:
        query = query.filter(is_featured=featured)
    if service_type is not None:
        query = query.filter(service_type=service_type)
    if organization_id is not None:
        query = query.filter(organization_id=organization_id)
    in_name = Q(*(Q(service_name__icontains=w) for w in words), join_type="AND") if words else Q(id__gte=0)
    ranked = query.annotate(name_rank=Case(When(in_name, then="0"), default="1"))
    return await keyset_page(ranked, SERVICE_ORDER, page or PageRequest())


async def search_organizations(
    *,
    service_type: ServiceType | None = None,
    capability_type: CapabilityType | None = None,
    near: NearPoint | None = None,
    text: str | None = None,
    featured: bool | None = None,
    page: PageRequest | None = None,
) -> Page[Organization]:
    """Active organizations; `text` matches their own name, description, tags and keywords or one of their
    active services; `featured` keeps those with (or without) an active featured service. Sorted by name."""
    page = page or PageRequest()
    words = search_words(text)
    query = Organization.filter(is_active=True)
    if featured is not None:
        with_featured = Subquery(OrganizationService.filter(is_active=True, is_featured=True).values("organization_id"))
        query = query.filter(id__in=with_featured) if featured else query.exclude(id__in=with_featured)
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
    if near is None and not words:
        return await keyset_page(query, ORGANIZATION_ORDER, page)
    # Distance and text are decided exactly in Python, over the rows the bounding box and filters left.
    rows = await query.order_by("name", "id")
    if words:
        matched = OrganizationService.filter(_services_matching(words), is_active=True, organization__is_active=True)
        by_service = {row[0] for row in await matched.values_list("organization_id")}
        rows = [r for r in rows if r.id in by_service or _matches(r, words)]
    if near is not None:
        rows = [
            r
            for r in rows
            if r.latitude is not None
            and r.longitude is not None
            and great_circle_miles(near.latitude, near.longitude, r.latitude, r.longitude) <= near.radius_miles
        ]
    return list_page(rows, ORGANIZATION_ORDER, page)


def _matches(organization: Organization, words: list[str]) -> bool:
    haystack = " ".join(
        str(item).lower()
        for item in [organization.name, organization.description, *organization.tags, *organization.keywords]
    )
    return all(w in haystack for w in words)


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
