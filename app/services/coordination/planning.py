"""The search behind a quote (docs/capacity.md, steps 1-5): requirements, candidates, capacity, labor, the options.

It only reads; quoting.py writes the booking and reservations.py re-runs a narrow search for a fresh
alternative. Loading is a fixed number of queries per search, whatever the number of facilities or days.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from app.errors import DomainError
from app.services import facility_data
from app.services.coordination import availability, candidates, matching, pricing, windows
from app.services.coordination.plan import Breakdown, Plan, PlanCandidate, PlannedRole
from models import Organization, OrganizationService
from models.enums import CAPABILITY_KINDS, CapabilityKind, CapabilityType, Proficiency, SkillCategory

HORIZON_DAYS = 60
FIRST_STAGE_DAYS = 20
OPTIONS_KEPT = 4  # the choice and three alternatives


@dataclass(frozen=True)
class Requirements:
    needs: list[availability.Need]
    roles: list[matching.Role]
    n_days: int
    interruptible: bool = False  # the service's work may be split around other bookings within a day

    @property
    def labor_hours(self) -> Decimal:
        return sum((r.hours for r in self.roles), Decimal(0))


@dataclass(frozen=True)
class Search:
    first_day: date
    last_day: date
    not_before: datetime
    latitude: float | None = None
    longitude: float | None = None
    radius_miles: float | None = None
    vehicle_value_cents: int | None = None


@dataclass
class Option:
    organization: Organization
    service: OrganizationService
    requirements: Requirements
    rows: dict[CapabilityType, list[availability.Capability]]
    window: availability.CapacityWindow
    ranked: dict[SkillCategory, list[matching.Candidate]]
    assignments: dict[SkillCategory, list[matching.Assignment]]
    price_cents: int | None = None
    breakdown: Breakdown | None = None
    distance_miles: float | None = None
    busy: dict[int, availability.Busy] = field(default_factory=dict)  # the usable rows' reservations, as searched
    spare_people_minutes: int = 0

    @property
    def quality(self) -> float:
        org = self.organization
        facility = float(org.rating) / 5 if org.rating_count else 0.6
        people = [a for group in self.ranked.values() for a in group[:1]]
        labor = (
            sum(float(c.person.rating) / 5 if c.person.rating else 0.6 for c in people) / len(people) if people else 0.6
        )
        return (facility + labor) / 2

    def sort_key(self) -> tuple[date, float, float, int]:
        price = float(self.price_cents) if self.price_cents is not None else float("inf")
        return (self.window.last_day, price, -self.quality, self.organization.id)


def requirements_of(service: OrganizationService) -> Requirements:
    needs = [
        availability.Need(
            CapabilityType(str(item["capability_type"])),
            Decimal(str(item.get("hours") or 0)),
            int(str(item.get("units") or 0)),
        )
        for item in service.required_capabilities or []
    ]
    roles = [
        matching.Role(
            SkillCategory(str(item["skill_category"])),
            Proficiency(str(item.get("min_proficiency") or Proficiency.LEARNING)),
            Decimal(str(item.get("hours") or 0)),
        )
        for item in service.required_skills or []
    ]
    return Requirements(
        availability.merge_needs(needs),
        matching.merge_roles(r for r in roles if r.hours > 0),
        service.estimated_days,
        bool(service.allows_interruption),
    )


def excluded(organization: Organization, reason: str, detail: str) -> dict[str, Any]:
    return excluded_by_id(organization.id, organization.name, reason, detail)


def excluded_by_id(organization_id: int, name: str, reason: str, detail: str) -> dict[str, Any]:
    return {"organization_id": organization_id, "organization_name": name, "reason": reason, "detail": detail}


async def candidate_services(
    *, service_type: str, organization_id: int | None, search: Search
) -> tuple[list[OrganizationService], list[dict[str, Any]]]:
    """One active service of the type per active organization, within the search radius (the others are
    returned as too_far). Locations are read light first, so far-away facilities cost no full rows."""
    query = OrganizationService.filter(service_type=service_type, is_active=True, organization__is_active=True)
    if organization_id is not None:
        query = query.filter(organization_id=organization_id)
    rows = await query.order_by("id").values_list(
        "id", "organization_id", "organization__name", "organization__latitude", "organization__longitude"
    )
    seen: set[int] = set()
    wanted: list[int] = []
    far: list[dict[str, Any]] = []
    for service_id, org_id, name, lat, lon in rows:
        if org_id in seen:
            continue
        seen.add(org_id)
        if search.radius_miles is not None and search.latitude is not None and search.longitude is not None:
            if lat is None or lon is None:
                far.append(excluded_by_id(org_id, name, "too_far", "the facility has no location"))
                continue
            if not facility_data.on_earth(lat, lon):
                wanted.append(service_id)  # find_options excludes it as invalid data, naming the field
                continue
            if matching.great_circle_miles(search.latitude, search.longitude, lat, lon) > search.radius_miles:
                far.append(excluded_by_id(org_id, name, "too_far", f"outside the {search.radius_miles:g}-mile radius"))
                continue
        wanted.append(service_id)
    services = (
        await OrganizationService.filter(id__in=wanted).select_related("organization").order_by("id") if wanted else []
    )
    return list(services), far


def horizon(search: Search) -> tuple[datetime, datetime]:
    start = datetime.combine(search.first_day - timedelta(days=1), time.min, tzinfo=UTC)
    end = datetime.combine(search.last_day + timedelta(days=2), time.min, tzinfo=UTC)
    return max(start, search.not_before - timedelta(days=1)), end


async def find_options(
    services: Sequence[OrganizationService], search: Search
) -> tuple[list[Option], list[dict[str, Any]]]:
    """Every feasible (facility, window, labor) option, best first, and every excluded candidate with its reason."""
    out: list[dict[str, Any]] = []
    fence = candidates.Fence(
        lambda org: out.append(excluded(org, candidates.UNEVALUABLE, candidates.UNEVALUABLE_DETAIL))
    )
    unsigned = await candidates.without_signatory(s.organization.id for s in services)
    in_range: list[tuple[OrganizationService, float | None]] = []
    for service in services:
        org: Organization = service.organization
        if org.id in unsigned:
            out.append(excluded(org, candidates.NO_SIGNATORY, candidates.NO_SIGNATORY_DETAIL))
            continue
        problem = facility_data.stored_problem(service)
        if problem is not None:  # written before today's rules: excluded with the field, never a failed quote
            candidates.log.warning("quote search: facility %s excluded, stored %s is invalid", org.id, problem)
            out.append(excluded(org, candidates.UNEVALUABLE, f"{candidates.UNEVALUABLE_DETAIL} ({problem})"))
            continue
        with fence.candidate(org):
            distance = None
            if org.latitude is not None and org.longitude is not None and search.latitude is not None:
                distance = matching.great_circle_miles(
                    search.latitude, search.longitude or 0.0, org.latitude, org.longitude
                )
            in_range.append((service, distance))

    caps_by_org: dict[int, list[availability.Capability]] = {}
    org_ids = [s.organization.id for s, _ in in_range]
    for cap in await availability.load_capabilities(org_ids):
        caps_by_org.setdefault(cap.organization_id, []).append(cap)

    staged: list[
        tuple[OrganizationService, float | None, Requirements, dict[CapabilityType, list[availability.Capability]]]
    ] = []
    for service, distance in in_range:
        with fence.candidate(service.organization):
            req = requirements_of(service)
            rows, missing = windows.usable_rows(req.needs, caps_by_org.get(service.organization.id, []))
            if missing:
                detail = "no operational " + ", ".join(m.value for m in missing)
                out.append(excluded(service.organization, "missing_capability", detail))
                continue
            staged.append((service, distance, req, rows))

    people = await matching.load_people(
        {r.skill_category for _, _, req, _ in staged for r in req.roles},
        near=[(s.organization.latitude, s.organization.longitude) for s, *_ in staged],
    )
    people_ids = {p.user_id for group in people.values() for p in group}

    # Two stages: the first weeks (where most windows are) for everyone, then the whole horizon only for
    # the facilities still without one. A window found in stage one is exact: the earliest window is the one
    # that finishes first, and a later last day cannot finish earlier.
    # Within a stage, facilities are staffed in the order of their capacity-only window (a lower bound on
    # completion); once four options beat a facility's bound it cannot be chosen or be an alternative.
    options: list[Option] = []
    pending = staged
    stages = sorted({min(search.last_day, search.first_day + timedelta(days=FIRST_STAGE_DAYS)), search.last_day})
    for last_day in stages:
        final = last_day == search.last_day
        stage = replace(search, last_day=last_day)
        start, end = horizon(stage)
        busy = await availability.load_capability_busy(
            (c.id for *_, rows in pending for group in rows.values() for c in group), start, end
        )
        labor_busy = await availability.load_labor_busy(people_ids, start, end)
        unresolved = []
        bounded = []
        for item in pending:
            service, _, req, rows = item
            with fence.candidate(service.organization):
                facility = _facility(service.organization)
                days = windows.calendar(
                    facility=facility,
                    needs=req.needs,
                    rows=rows,
                    busy=busy,
                    first_day=stage.first_day,
                    last_day=stage.last_day,
                    not_before=stage.not_before,
                    interruptible=req.interruptible,
                )
                first = windows.earliest(
                    facility=facility,
                    days=days,
                    needs=req.needs,
                    rows=rows,
                    busy=busy,
                    n_days=req.n_days,
                    interruptible=req.interruptible,
                )
                if first is None:
                    if final:
                        detail = f"no free capacity between {search.first_day} and {search.last_day}"
                        out.append(excluded(service.organization, "no_capacity", detail))
                    else:
                        unresolved.append(item)
                    continue
                bounded.append((first[0].last_day, item, days))
        bounded.sort(key=lambda triple: (triple[0], triple[1][0].id))
        for bound, (service, distance, req, rows), days in bounded:
            org = service.organization
            if _beaten(options, bound):
                out.append(excluded(org, "later_than_alternatives", "four options finish earlier"))
                continue
            with fence.candidate(org):
                ranked = {
                    r.skill_category: matching.rank_candidates(
                        r, people.get(r.skill_category, []), org.latitude, org.longitude
                    )
                    for r in req.roles
                }
                option, reason = _first_staffed_window(service, req, rows, busy, days, ranked, labor_busy)
                if option is None:
                    if final:
                        out.append(excluded(org, *reason))
                    else:
                        unresolved.append((service, distance, req, rows))
                    continue
                option.distance_miles = distance
                option.busy = {c.id: busy[c.id] for group in rows.values() for c in group if c.id in busy}
                try:
                    _price(option, search)
                except DomainError as exc:
                    if len(services) == 1:
                        raise
                    out.append(excluded(org, "vehicle_required", exc.message))
                    continue
                options.append(option)
        pending = unresolved
        if pending and len(options) >= OPTIONS_KEPT:  # later stages only find later windows
            out.extend(
                excluded(s.organization, "later_than_alternatives", "four options finish earlier") for s, *_ in pending
            )
            pending = []
        if not pending:
            break
    options.sort(key=Option.sort_key)
    return options, out


def _facility(org: Organization) -> availability.Facility:
    return availability.Facility(org.id, org.timezone, org.operating_hours or {})


def _beaten(options: list[Option], bound: date) -> bool:
    """True when OPTIONS_KEPT options already finish strictly before `bound`."""
    return sum(1 for o in options if o.window.last_day < bound) >= OPTIONS_KEPT


def _first_staffed_window(
    service: OrganizationService,
    req: Requirements,
    rows: dict[CapabilityType, list[availability.Capability]],
    busy: dict[int, availability.Busy],
    days: Sequence[windows.Day],
    ranked: dict[SkillCategory, list[matching.Candidate]],
    labor_busy: dict[int, list[tuple[datetime, datetime]]],
) -> tuple[Option | None, tuple[str, str]]:
    org: Organization = service.organization
    unqualified = [r.skill_category.value for r in req.roles if not ranked.get(r.skill_category)]
    if unqualified:
        return None, ("no_labor", "nobody qualified within travel range for " + ", ".join(unqualified))
    found = staffed_window(_facility(org), req, rows, busy, days, ranked, labor_busy)
    if found is None:
        return None, ("fully_booked", "qualified people have no free hours in any window with capacity")
    option = Option(org, service, req, rows, found.window, ranked, found.assignments)
    option.spare_people_minutes = found.spare_people_minutes
    return option, ("", "")


@dataclass(frozen=True)
class Staffed:
    window: availability.CapacityWindow
    assignments: dict[SkillCategory, list[matching.Assignment]]
    spare_people_minutes: int  # what the qualified people could still give in the window once this job is staffed


def staffed_window(
    facility: availability.Facility,
    req: Requirements,
    rows: Mapping[CapabilityType, Sequence[availability.Capability]],
    busy: Mapping[int, availability.Busy],
    days: Sequence[windows.Day],
    ranked: Mapping[SkillCategory, Sequence[matching.Candidate]],
    labor_busy: Mapping[int, Sequence[tuple[datetime, datetime]]],
) -> Staffed | None:
    """The earliest window in which the capacity fits and every role is staffed together, with the people."""
    check = matching.LaborCheck(req.roles, ranked, windows.DayWindows(days), labor_busy, timezone=facility.timezone)
    found = windows.earliest(
        facility=facility,
        days=days,
        needs=req.needs,
        rows=rows,
        busy=busy,
        n_days=req.n_days,
        interruptible=req.interruptible,
        labor=check if req.roles else None,
    )
    if found is None:
        return None
    window, first, last = found
    assignments = matching.assign_roles(req.roles, ranked, window.days, labor_busy, timezone=facility.timezone)
    if assignments is None:  # the check said they could be staffed: a contradiction, not a full market
        raise RuntimeError("the staffing check and the assignment disagree")
    spare = check.free_minutes(first, last) - sum(matching.role_minutes(r) for r in req.roles)
    return Staffed(window, assignments, max(0, spare))


def _price(option: Option, search: Search) -> None:
    service = option.service
    price = pricing.service_price(
        service, vehicle_value_cents=search.vehicle_value_cents, labor_hours=option.requirements.labor_hours
    )
    option.price_cents = price
    if price is not None:
        option.breakdown = Breakdown.priced(
            service_price_cents=price,
            materials_cents=int(service.materials_cost_cents),
            split=pricing.split_of(option.organization),
            people=[a for group in option.assignments.values() for a in group],
        )


def _window_use(option: Option) -> dict[CapabilityType, tuple[float, float]]:
    """Per needed type (its rows added up), its capacity in the window and what is used once this booking is
    in: hours for time-shared types, units for space."""
    use: dict[CapabilityType, tuple[float, float]] = {}
    mine: dict[int, list[availability.PlannedBlock]] = {}
    for block in option.window.blocks:
        mine.setdefault(block.capability_id, []).append(block)
    for kind, group in option.rows.items():
        capacity = used = 0.0
        for cap in group:
            cap_busy = option.busy.get(cap.id, availability.Busy())
            if cap.kind is CapabilityKind.TIME_SHARED:
                capacity += sum(d.hours for d in option.window.days) * cap.quantity
                used += sum(float(b.hours) for b in mine.get(cap.id, []))
                for day in option.window.days:
                    for s, e, u in cap_busy.overlapping(day.start, day.end):
                        used += (min(e, day.end) - max(s, day.start)).total_seconds() / 3600 * min(u, cap.quantity)
            elif cap.kind is CapabilityKind.SPACE:
                capacity += float(cap.quantity)
                used += cap_busy.peak(option.window.start, option.window.end)
                used += sum(b.units for b in mine.get(cap.id, []))
        if capacity > 0:
            use[kind] = (capacity, used)
    return use


def utilization_of(option: Option) -> Decimal:
    """Share of the window's capacity in use once this booking is in (the tightest type counts; a type's rows
    add up)."""
    worst = max((min(1.0, used / capacity) for capacity, used in _window_use(option).values()), default=0.0)
    return Decimal(str(round(worst, 4)))


NO_EQUIPMENT_SLACK = 10.0  # a job that needs no time-shared equipment cannot overrun it


def capacity_slack(option: Option) -> float:
    """The free time left in the window for the tightest time-shared type, over the job's own hours of it."""
    use = _window_use(option)
    slacks = [
        max(0.0, use[n.capability_type][0] - use[n.capability_type][1]) / float(n.hours)
        for n in option.requirements.needs
        if n.hours > 0
        and n.capability_type in use
        and CAPABILITY_KINDS[n.capability_type] is CapabilityKind.TIME_SHARED
    ]
    return min(slacks, default=NO_EQUIPMENT_SLACK)


def plan_of(option: Option) -> Plan:
    """Everything accept_quote needs: the working days, the capability blocks and the ranked, assigned labor
    (the ranked candidates kept always include the people assigned, so acceptance can staff them again)."""
    window = option.window
    return Plan(
        organization_id=option.organization.id,
        service_id=option.service.id,
        timezone=option.organization.timezone,
        start=window.start,
        end=window.end,
        days=tuple(window.days),
        blocks=tuple(window.blocks),
        roles=tuple(
            PlannedRole(
                role,
                tuple(
                    PlanCandidate(c.person.user_id, c.person.name, rank, round(c.distance_miles, 1))
                    for rank, c in _kept(option, role.skill_category)
                ),
                tuple(option.assignments.get(role.skill_category, [])),
            )
            for role in option.requirements.roles
        ),
    )


def _kept(option: Option, skill: SkillCategory) -> list[tuple[int, matching.Candidate]]:
    assigned = {a.user_id for a in option.assignments.get(skill, [])}
    return [
        (rank, c)
        for rank, c in enumerate(option.ranked.get(skill, []), start=1)
        if rank <= matching.RANKED_CANDIDATES_KEPT or c.person.user_id in assigned
    ]
