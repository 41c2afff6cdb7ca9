"""Accepting a quote: lock, re-check and reserve capacity and labor in one transaction (DESIGN §2 invariant).

Locks are taken in one global order — the booking row, then capability rows by id, then user rows by id —
so concurrent accepts and offer cascades never deadlock. On SQLite select_for_update is a no-op, but
tortoise runs each transaction alone on its single connection, and the re-check happens inside it.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from tortoise.transactions import in_transaction

from app.errors import DomainError, ErrorCode, forbidden
from app.events import PendingEvents
from app.services import availability as av
from app.services import booking_events, contracts, planning, pricing, quoting
from app.services import matching as mt
from app.services.access import Viewer
from app.services.calendar import Window, days_between, local_date, zone
from app.services.staffing_changes import staffing_changes
from models import (
    CapacitySchedule,
    OrganizationCapability,
    OrganizationService,
    ServiceBooking,
    User,
    UserSkill,
)
from models.enums import BookingStatus, Proficiency, ResourceType, SkillCategory

log = logging.getLogger("nzero.reservations")


class CapacityTaken(Exception):
    """Raised inside the transaction to roll it back when the plan no longer fits."""


async def accept_quote(*, viewer: Viewer, booking_id: int, now: datetime | None = None) -> ServiceBooking:
    """Reserve the quote's capacity and labor, create job offers and the contract; all or nothing."""
    user = viewer.require_user()
    now = now or datetime.now(UTC)
    events = PendingEvents()
    try:
        async with in_transaction():
            booking = await booking_events.locked_booking(booking_id)
            if booking.customer_id != user.id:  # type: ignore[attr-defined]
                raise forbidden("Only the booking's customer may accept its quote")
            if booking.status != BookingStatus.QUOTE_READY:
                raise DomainError(
                    ErrorCode.INVALID_TRANSITION,
                    f"Only a quote_ready booking can be accepted (this one is {booking.status})",
                    details={"from": str(booking.status), "to": BookingStatus.QUOTE_ACCEPTED.value},
                )
            if booking.quote_expires_at is not None and booking.quote_expires_at <= now:
                raise DomainError(ErrorCode.QUOTE_EXPIRED, "This quote has expired; request a new one")
            await _reserve(booking, user.id, now, events)
    except CapacityTaken as taken:
        alternative = await fresh_alternative(booking_id, now=now)
        details: dict[str, Any] = {"reason": str(taken)}
        if alternative is not None:
            details["alternative"] = alternative
        raise DomainError(
            ErrorCode.CAPACITY_UNAVAILABLE,
            "The quoted capacity or labor was taken meanwhile; nothing was reserved",
            details=details,
        ) from None
    await events.flush()
    return booking


async def _reserve(booking: ServiceBooking, by_user_id: int, now: datetime, events: PendingEvents) -> None:
    plan = booking.plan
    org_id: int = booking.organization_id  # type: ignore[attr-defined]
    blocks = plan_blocks(plan)
    days = plan_days(plan)
    roles = plan_roles(plan)
    cap_ids = sorted({b.capability_id for b in blocks})
    caps = {c.id: c for c in await OrganizationCapability.filter(id__in=cap_ids).order_by("id").select_for_update()}
    user_ids = sorted({c.person.user_id for _, ranked in roles for c in ranked})
    if user_ids:
        await User.filter(id__in=user_ids).order_by("id").select_for_update().values_list("id", flat=True)
        roles = await still_available(roles)

    # Re-check under the locks: the rows read now include every commit that held them before us.
    start, end = plan_span(plan)
    busy = await av.load_capability_busy(cap_ids, start, end)
    tz = zone(str(plan.get("timezone") or "UTC"))
    for block in blocks:
        cap = caps.get(block.capability_id)
        if cap is None:
            raise CapacityTaken("a capability of the plan no longer exists")
        snapshot = av.Capability.of(cap)
        # Every local day the block touches (a storage stay spans several), not only its first.
        last_day = local_date(block.end - timedelta(microseconds=1), tz)
        touched = days_between(local_date(block.start, tz), last_day)
        if not snapshot.hours.is_operational or any(snapshot.hours.in_maintenance(day) for day in touched):
            raise CapacityTaken(f"{cap.capability_type} is out of service in the quoted window")
        if not busy.get(cap.id, av.Busy()).fits(block.start, block.end, block.units, cap.quantity):
            raise CapacityTaken(f"{cap.capability_type} is fully reserved in the quoted window")

    labor_busy = await av.load_labor_busy(user_ids, start, end)
    assignments = mt.assign_roles(
        [r for r, _ in roles], {r.skill_category: ranked for r, ranked in roles}, days, labor_busy, timezone=str(tz)
    )
    if assignments is None:
        raise CapacityTaken("the qualified people are no longer free in the quoted window")

    rows = [
        CapacitySchedule(
            organization_id=org_id,
            resource_type=ResourceType.CAPABILITY,
            capability_id=b.capability_id,
            booking_id=booking.id,
            start_time=b.start,
            end_time=b.end,
            units=b.units,
            hours=b.hours,
            is_reserved=True,
        )
        for b in blocks
    ]
    rows += labor_rows(org_id, booking.id, [a for group in assignments.values() for a in group])
    if rows:
        await CapacitySchedule.bulk_create(rows)

    booking.staffing_changes = [c.to_json() for c in staffing_changes(plan, assignments, roles)]
    booking.quote_breakdown = _rebreak(booking.quote_breakdown, assignments)
    booking.plan = with_assignments(plan, assignments)
    await booking.save(update_fields=["quote_breakdown", "plan", "staffing_changes", "updated_at"])
    await booking_events.move(booking, BookingStatus.QUOTE_ACCEPTED, by_user_id=by_user_id, events=events)
    amounts = {(int(x["user_id"]), str(x["role"])): int(x["amount_cents"]) for x in booking.quote_breakdown["labor"]}
    for group in assignments.values():
        for rank, a in enumerate(group, start=1):
            amount = amounts.get((a.user_id, a.role.value), 0)
            await booking_events.new_offer(booking.id, a, rank=rank, amount_cents=amount, now=now, events=events)
    await contracts.create_contract(booking=booking)
    booking_events.capacity_event(
        events,
        organization_id=org_id,
        capability_ids=cap_ids,
        days=[d.day for d in days],
        booking_id=booking.id,
        reason="reserved",
    )


def _rebreak(breakdown: dict[str, Any], assignments: dict[SkillCategory, list[mt.Assignment]]) -> dict[str, Any]:
    """The same price split among the people actually reserved (the quote's may have been taken)."""
    if not breakdown:
        return breakdown
    split = breakdown["split_bps"]
    labor = planning.labor_lines(assignments)
    if not labor and int(split["labor"]) > 0:
        return breakdown  # keeps the quoted split when nobody is needed
    return pricing.breakdown(
        service_price_cents=int(breakdown["service_price_cents"]),
        materials_cents=int(breakdown["materials_cents"]),
        split_bps=(int(split["facility"]), int(split["labor"]), int(split["platform"])),
        labor=labor,
    )


async def fresh_alternative(booking_id: int, *, now: datetime) -> dict[str, Any] | None:
    """The earliest option at the same facility for the same request, as of now (read-only)."""
    booking = await ServiceBooking.get_or_none(id=booking_id).select_related("vehicle")
    if booking is None or booking.service_id is None:  # type: ignore[attr-defined]
        return None
    service = await OrganizationService.get_or_none(id=booking.service_id).select_related("organization")  # type: ignore[attr-defined]
    if service is None:
        return None
    try:
        options, _ = await planning.find_options([service], quoting.search_for(booking, now))
    except DomainError:
        return None
    return quoting.alternative_json(options[0]) if options else None


async def release(booking: ServiceBooking, *, events: PendingEvents, reason: str = "released") -> int:
    """Delete every reservation of the booking (call inside the caller's transaction); returns how many."""
    rows = await CapacitySchedule.filter(booking_id=booking.id).values_list("capability_id", "start_time")
    if not rows:
        return 0
    deleted = await CapacitySchedule.filter(booking_id=booking.id).delete()
    org_id: int | None = booking.organization_id  # type: ignore[attr-defined]
    if org_id is not None:
        tz = zone(str(booking.plan.get("timezone") or "UTC"))
        booking_events.capacity_event(
            events,
            organization_id=org_id,
            capability_ids=[c for c, _ in rows if c is not None],
            days=[local_date(s, tz) for _, s in rows],
            booking_id=booking.id,
            reason=reason,
        )
    return int(deleted)


def labor_rows(org_id: int, booking_id: int, assignments: Iterable[mt.Assignment]) -> list[CapacitySchedule]:
    return [
        CapacitySchedule(
            organization_id=org_id,
            resource_type=ResourceType.USER_LABOR,
            user_id=a.user_id,
            booking_id=booking_id,
            start_time=s,
            end_time=e,
            units=1,
            hours=av.block_hours([(s, e)]),
            is_reserved=True,
        )
        for a in assignments
        for s, e in a.blocks
    ]


async def still_available(
    roles: list[tuple[mt.Role, list[mt.Candidate]]],
) -> list[tuple[mt.Role, list[mt.Candidate]]]:
    """The ranked candidates who are still active and available for the role's skill (one query)."""
    ids = sorted({c.person.user_id for _, ranked in roles for c in ranked})
    pairs = await UserSkill.filter(user_id__in=ids, is_available=True, user__is_active=True).values_list(
        "user_id", "skill_category"
    )
    ok = {(int(u), str(cat)) for u, cat in pairs}
    return [(r, [c for c in ranked if (c.person.user_id, r.skill_category.value) in ok]) for r, ranked in roles]


# --- the plan JSON written by quoting.plan_json, read back -------------------------------------------


def _dt(value: str) -> datetime:
    return datetime.fromisoformat(value)


def plan_blocks(plan: dict[str, Any]) -> list[av.PlannedBlock]:
    return [
        av.PlannedBlock(int(b["capability_id"]), _dt(b["start"]), _dt(b["end"]), int(b["units"]), Decimal(b["hours"]))
        for b in plan.get("capability_blocks", [])
    ]


def plan_days(plan: dict[str, Any]) -> list[Window]:
    return [
        Window(date.fromisoformat(d["day"]), _dt(d["start"]), _dt(d["end"]))
        for d in plan.get("window", {}).get("days", [])
    ]


def plan_span(plan: dict[str, Any]) -> tuple[datetime, datetime]:
    days = plan_days(plan)
    blocks = plan_blocks(plan)
    starts = [d.start for d in days] + [b.start for b in blocks]
    ends = [d.end for d in days] + [b.end for b in blocks]
    # Whole local days around the window, so the 8-hours-a-day rule sees the person's other blocks.
    return min(starts) - timedelta(days=1), max(ends) + timedelta(days=1)


def plan_roles(plan: dict[str, Any]) -> list[tuple[mt.Role, list[mt.Candidate]]]:
    """Each role with its ranked candidates (the order of the quote)."""
    found = []
    for item in plan.get("roles", []):
        role = mt.Role(SkillCategory(item["role"]), Proficiency(item["min_proficiency"]), Decimal(item["hours"]))
        ranked = [
            mt.Candidate(
                mt.Person(
                    int(c["user_id"]), str(c["name"]), role.skill_category, role.min_proficiency, 0, None, None, 0.0
                ),
                float(c.get("distance_miles") or 0),
            )
            for c in item.get("candidates", [])
        ]
        found.append((role, ranked))
    return found


def with_assignments(
    plan: dict[str, Any], assignments: Mapping[SkillCategory, Sequence[mt.Assignment]]
) -> dict[str, Any]:
    roles = []
    for item in plan.get("roles", []):
        group = assignments.get(SkillCategory(item["role"]), [])
        roles.append({**item, "assignments": [a.to_json() for a in group]})
    return {**plan, "roles": roles}
