"""Quotes: run the search, choose the best option, and write the booking with its plan (docs/capacity.md)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from tortoise.transactions import in_transaction

from app import settings
from app.errors import DomainError, ErrorCode, bad_input, forbidden, not_found
from app.events import PendingEvents
from app.services import booking_events, validation
from app.services.access import Viewer
from app.services.coordination import confidence, matching, planning, pricing
from app.services.coordination.plan import Breakdown, Quote, plan_of
from app.services.coordination.planning import Option
from app.services.coordination.punctuality import on_time
from app.services.coordination.working_hours import local_date, zone
from models import JobOffer, OrganizationService, ServiceBooking, Vehicle
from models.enums import BookingStatus, JobOfferStatus, PricingModel, ServiceType

ANSWERED = (JobOfferStatus.ACCEPTED, JobOfferStatus.DECLINED, JobOfferStatus.EXPIRED)
TITLE_MAX = 200  # service_bookings.title's column


@dataclass(frozen=True)
class QuoteRequest:
    requested_start_date: date
    service_id: int | None = None
    service_type: ServiceType | None = None
    organization_id: int | None = None
    vehicle_id: int | None = None
    requested_completion_date: date | None = None
    flexible_timeline: bool = True
    latitude: float | None = None
    longitude: float | None = None
    radius_miles: int | None = None
    customer_notes: str = ""
    title: str | None = None  # None: derived from the service and the vehicle
    description: str = ""


async def request_quote(*, viewer: Viewer, request: QuoteRequest, now: datetime | None = None) -> ServiceBooking:
    """Find the best facility, window and labor for the request and record it as a quote_ready booking."""
    user = viewer.require_user()
    now = now or datetime.now(UTC)
    _check(request, now)
    vehicle = await _vehicle(viewer, request.vehicle_id)
    search = _search(request, vehicle.value_cents if vehicle else None, now)
    services, far = await _services(request, search)
    options, excluded = await planning.find_options(services, search)
    excluded = far + excluded
    if not options:
        raise DomainError(
            ErrorCode.NO_FEASIBLE_OPTION,
            "No facility can do this work in the requested period",
            details={"reasons": excluded},
        )
    best = options[0]
    utilization = planning.utilization_of(best)
    timeline = await _confidence(best)
    score = _score(best, options, request, timeline)

    tz = zone(best.organization.timezone)
    start, end = best.window.start, _scheduled_end(best)
    events = PendingEvents()
    async with in_transaction():
        booking = ServiceBooking(
            organization_id=best.organization.id,
            customer_id=user.id,
            vehicle_id=vehicle.id if vehicle else None,
            service_id=best.service.id,
            service_type=best.service.service_type,
            title=request.title or default_title(best.service.service_name, vehicle),
            description=request.description,
            status=BookingStatus.QUOTE_REQUESTED,
            requested_start_date=request.requested_start_date,
            requested_completion_date=request.requested_completion_date,
            flexible_timeline=request.flexible_timeline,
            search_latitude=request.latitude,
            search_longitude=request.longitude,
            search_radius_miles=request.radius_miles,
            customer_notes=request.customer_notes,
            scheduled_start=start,
            scheduled_end=end,
            calculated_start_date=local_date(start, tz),
            calculated_completion_date=local_date(end, tz),
            coordination_score=score,
            capacity_utilization=utilization,
            confidence=timeline,
            alternatives=[alternative_json(o) for o in options[1:4]],
            excluded=excluded,
        )
        Quote(planning.plan_of(best), None).write_to(booking)
        path = [BookingStatus.QUOTE_REQUESTED]
        if best.breakdown is not None:  # priced at once: written ready, its path recorded in one statement
            _price(booking, best.breakdown, now)
            path += [BookingStatus.CALCULATING, BookingStatus.QUOTE_READY]
            booking.status = BookingStatus.QUOTE_READY
        await booking.save()
        await booking_events.record_path(booking, path, by_user_id=user.id, events=events)
    await events.flush()
    return booking


async def price_custom_quote(
    *,
    viewer: Viewer,
    booking_id: int,
    price_cents: int,
    materials_cents: int = 0,
    now: datetime | None = None,
) -> ServiceBooking:
    """The facility prices a custom-quote booking; it becomes quote_ready with the usual breakdown."""
    viewer.require_user()
    now = now or datetime.now(UTC)
    validation.non_negative("priceCents", price_cents)
    validation.non_negative("materialsCents", materials_cents)
    events = PendingEvents()
    async with in_transaction():
        booking = await booking_events.locked_booking(booking_id)
        await viewer.require_sees_booking(booking, kind="Booking", ident=booking_id, field="bookingId")
        org_id = booking.organization_id
        if org_id is None or not viewer.can_manage(org_id):
            raise forbidden("Only the facility's owner or a manager may price this quote")
        if booking.status != BookingStatus.QUOTE_REQUESTED:
            raise DomainError(
                ErrorCode.INVALID_TRANSITION,
                f"Only a booking awaiting its price can be priced (this one is {booking.status})",
                details={"from": str(booking.status), "allowed": []},
            )
        await booking.fetch_related("organization")
        breakdown = Breakdown.priced(
            service_price_cents=price_cents,
            materials_cents=materials_cents,
            split=pricing.split_of(booking.organization),
            people=plan_of(booking).assignments(),
        )
        await _make_ready(booking, breakdown, by_user_id=viewer.user_id, events=events, now=now)
    await events.flush()
    return booking


async def _make_ready(
    booking: ServiceBooking, breakdown: Breakdown, *, by_user_id: int | None, events: PendingEvents, now: datetime
) -> None:
    fields = _price(booking, breakdown, now)
    await booking.save(update_fields=[*fields, "updated_at"])
    await booking_events.move(booking, BookingStatus.CALCULATING, by_user_id=by_user_id, events=events)
    await booking_events.move(booking, BookingStatus.QUOTE_READY, by_user_id=by_user_id, events=events)


def _price(booking: ServiceBooking, breakdown: Breakdown, now: datetime) -> list[str]:
    """The price and its parts on the booking, with the plan they were split over; returns the fields set."""
    fields = Quote(plan_of(booking), breakdown).write_to(booking)
    booking.quote_expires_at = now + timedelta(days=settings.QUOTE_TTL_DAYS)
    return [*fields, "quote_expires_at"]


def default_title(service_name: str, vehicle: Vehicle | None) -> str:
    """The title of a request that gave none: the service, and the vehicle when there is one."""
    title = f"{service_name} — {vehicle.year} {vehicle.make} {vehicle.model}" if vehicle else service_name
    return title[:TITLE_MAX]


def earliest_start_date(now: datetime) -> date:
    """The earliest date that is still today somewhere (UTC-12): the customer's "today" is never refused."""
    return (now - timedelta(hours=12)).date()


def _search(request: QuoteRequest, vehicle_value_cents: int | None, now: datetime) -> planning.Search:
    first_day = max(request.requested_start_date, (now - timedelta(days=1)).date())
    last_day = first_day + timedelta(days=planning.HORIZON_DAYS)
    if request.requested_completion_date is not None and not request.flexible_timeline:
        last_day = request.requested_completion_date
    return planning.Search(
        first_day=first_day,
        last_day=last_day,
        not_before=now,
        latitude=request.latitude,
        longitude=request.longitude,
        radius_miles=request.radius_miles,
        vehicle_value_cents=vehicle_value_cents,
    )


def search_for(booking: ServiceBooking, now: datetime) -> planning.Search:
    """The search a booking was quoted with, as of `now` (its vehicle must be fetched)."""
    request = QuoteRequest(
        requested_start_date=booking.requested_start_date,
        requested_completion_date=booking.requested_completion_date,
        flexible_timeline=booking.flexible_timeline,
        latitude=booking.search_latitude,
        longitude=booking.search_longitude,
        radius_miles=booking.search_radius_miles,
    )
    vehicle = booking.vehicle
    return _search(request, vehicle.value_cents if vehicle else None, now)


def _check(request: QuoteRequest, now: datetime) -> None:
    if request.service_id is None and request.service_type is None:
        raise bad_input("serviceType", "Give a service or a service type")
    if request.title is not None and not request.title.strip():
        raise bad_input("title", "title must not be empty (leave it out to have one made from the service)")
    if request.title is not None and len(request.title) > TITLE_MAX:
        raise bad_input("title", f"title must be at most {TITLE_MAX} characters")
    validation.text_length("description", request.description)
    validation.text_length("customerNotes", request.customer_notes)
    earliest = earliest_start_date(now)
    if request.requested_start_date < earliest:  # refused, never silently moved to a later day
        raise DomainError(
            ErrorCode.BAD_INPUT,
            f"requestedStartDate is in the past; the earliest start is {earliest.isoformat()}",
            field="requestedStartDate",
            details={"earliestStartDate": earliest.isoformat()},
        )
    validation.date_range(
        "requestedStartDate", request.requested_start_date, "requestedCompletionDate", request.requested_completion_date
    )
    validation.latitude("latitude", request.latitude)
    validation.longitude("longitude", request.longitude)
    validation.positive("radiusMiles", request.radius_miles)
    if request.radius_miles is not None and (request.latitude is None or request.longitude is None):
        raise bad_input("radiusMiles", "A search radius needs a latitude and a longitude")


async def _vehicle(viewer: Viewer, vehicle_id: int | None) -> Vehicle | None:
    if vehicle_id is None:
        return None
    vehicle = await Vehicle.get_or_none(id=vehicle_id)
    if vehicle is None or vehicle.owner_id != viewer.user_id:
        raise not_found("Vehicle", vehicle_id, field="vehicleId")
    return vehicle


async def _services(
    request: QuoteRequest, search: planning.Search
) -> tuple[list[OrganizationService], list[dict[str, Any]]]:
    """The service asked for, or one active service of the type per active organization in range."""
    if request.service_id is not None:
        service = await OrganizationService.get_or_none(id=request.service_id).select_related("organization")
        if service is None or not service.is_active or not service.organization.is_active:
            raise not_found("Service", request.service_id, field="serviceId")
        return [service], []
    assert request.service_type is not None
    services, far = await planning.candidate_services(
        service_type=request.service_type, organization_id=request.organization_id, search=search
    )
    if not services and not far:
        # The type in details lets a client say which service nobody offers.
        raise DomainError(
            ErrorCode.NO_FEASIBLE_OPTION,
            "No facility offers this service",
            details={"reasons": [], "serviceType": request.service_type.name},
        )
    return services, far


def _scheduled_end(option: Option) -> datetime:
    ends = [option.window.end, *(b.end for b in option.window.blocks)]
    return max(ends)


async def _confidence(option: Option) -> Decimal:
    """The chance the work is done by the quoted end (confidence.py): the slack the window leaves, the
    service's and the facility's on-time record, and the assigned people's record of taking their offers.
    Two queries."""
    finished = await ServiceBooking.filter(
        organization_id=option.organization.id,
        status__in=[BookingStatus.COMPLETED, BookingStatus.PAID],
        actual_completion__isnull=False,
        scheduled_end__isnull=False,
    ).values_list("service_id", "actual_completion", "scheduled_end")
    tz = zone(option.organization.timezone)
    punctual = [(service_id, on_time(done=done, due=due, tz=tz)) for service_id, done, due in finished]
    mine = [ok for service_id, ok in punctual if service_id == option.service.id]
    people = sorted({a.user_id for group in option.assignments.values() for a in group})
    answers: list[str] = []
    if people:
        rows = await JobOffer.filter(user_id__in=people, status__in=list(ANSWERED)).values_list("status")
        answers = [str(status) for (status,) in rows]
    labor_minutes = sum(matching.role_minutes(r) for r in option.requirements.roles)
    value = confidence.timeline_confidence(
        confidence.Inputs(
            capacity_slack=planning.capacity_slack(option),
            people_slack=option.spare_people_minutes / labor_minutes if labor_minutes else 0.0,
            facility=confidence.Record(sum(ok for _, ok in punctual), len(punctual)),
            service=confidence.Record(sum(mine), len(mine)),
            labor=confidence.Record(sum(1 for s in answers if s == JobOfferStatus.ACCEPTED), len(answers)),
            needs_people=bool(labor_minutes),
        )
    )
    return Decimal(str(round(value, 4)))


def _score(best: Option, options: list[Option], request: QuoteRequest, confidence: Decimal) -> int:
    """0-100: how soon (45%), how good (25%), how cheap against the others (15%), how sure (15%)."""
    delay = (best.window.days[0].day - request.requested_start_date).days
    timeliness = max(0.0, 1 - max(0, delay) / 14)
    prices = [o.price_cents for o in options if o.price_cents]
    cheapness = min(prices) / best.price_cents if best.price_cents and prices else 1.0
    value = 0.45 * timeliness + 0.25 * best.quality + 0.15 * cheapness + 0.15 * float(confidence)
    return max(0, min(100, round(100 * value)))


def alternative_json(option: Option) -> dict[str, Any]:
    return {
        "organization_id": option.organization.id,
        "organization_name": option.organization.name,
        "service_id": option.service.id,
        "start": option.window.start.isoformat(),
        "end": _scheduled_end(option).isoformat(),
        "total_cents": option.breakdown.total_cents if option.breakdown else None,
        "pricing_model": PricingModel(option.service.pricing_model).value,
    }
