"""Two paint shops in one town sharing one pool of painters: the market of the people race tests."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from app.services.access import Viewer
from app.services.coordination.quoting import QuoteRequest, request_quote
from models import (
    BookingStatusHistory,
    CapacitySchedule,
    JobOffer,
    OrganizationService,
    ServiceBooking,
    User,
    WorkContract,
)
from models.enums import CapabilityType
from tests.factories import (
    MONDAY,
    NOW,
    make_capability,
    make_org,
    make_service,
    make_user,
    make_worker,
    viewer,
)

PER_FACILITY = 8
QUOTE_FIELDS = (
    "service_type",
    "status",
    "requested_start_date",
    "title",
    "flexible_timeline",
    "total_quoted_price_cents",
    "facility_fee_cents",
    "labor_fee_cents",
    "materials_cost_cents",
    "platform_fee_cents",
    "quote_split",
    "assigned_labor_users",
    "assigned_capabilities",
    "quote_expires_at",
    "scheduled_start",
    "scheduled_end",
    "plan",
)


def quote_fields(quote: ServiceBooking) -> dict[str, Any]:
    """What makes a booking a ready quote, to stamp many bookings with the same window."""
    return {k: getattr(quote, k) for k in QUOTE_FIELDS}


@dataclass
class Market:
    services: list[OrganizationService]
    painters: list[User]
    customers: list[User]
    viewers: list[Viewer]
    templates: list[dict[str, Any]]


async def make_market(painters: int) -> Market:
    """Two paint shops in one town, ten booths each, and one pool of painters who can reach both."""
    services = []
    for name in ("East Side Paint", "West Side Paint"):
        org = await make_org(owner=await make_user(name=f"{name} owner"), name=name)
        await make_capability(org, CapabilityType.PAINT_BOOTH, quantity=10)
        services.append(await make_service(org))
    people = [await make_worker(name=f"Painter {i + 1}", rating=5 - i * 0.1) for i in range(painters)]
    customers = [await make_user(name=f"Customer {i}") for i in range(2 * PER_FACILITY)]
    viewers = [await viewer(c) for c in customers]
    templates = []
    for service in services:
        quote = await request_quote(
            viewer=viewers[0], request=QuoteRequest(requested_start_date=MONDAY, service_id=service.id), now=NOW
        )
        templates.append(quote_fields(quote))
    return Market(services, people, customers, viewers, templates)


async def fresh_bookings(market: Market) -> list[int]:
    """PER_FACILITY quote_ready bookings at each facility, all for the same window, interleaved."""
    await clear_bookings()
    rows = [
        ServiceBooking(
            organization_id=market.services[i % 2].organization_id,
            customer_id=customer.id,
            service_id=market.services[i % 2].id,
            **market.templates[i % 2],
        )
        for i, customer in enumerate(market.customers)
    ]
    await ServiceBooking.bulk_create(rows)
    return [b.id for b in await ServiceBooking.all().order_by("id").only("id")]


async def clear_bookings() -> None:
    for model in (WorkContract, JobOffer, CapacitySchedule, BookingStatusHistory, ServiceBooking):
        await model.all().delete()
