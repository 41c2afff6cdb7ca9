"""Utilization per capability and per assigned person, per day, for an organization's members."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from uuid import UUID
from zoneinfo import ZoneInfo

from app.errors import not_found
from app.services.access import Viewer
from app.services.coordination import availability
from app.services.coordination.working_hours import capability_window, days_between, zone
from app.services.validation import reporting_period
from models import CapacitySchedule, Organization, OrganizationCapability, User
from models.enums import CapabilityKind, ResourceType


@dataclass(frozen=True)
class DayUse:
    day: date
    capacity: Decimal  # hours (time-shared, labor) or units (space)
    reserved: Decimal
    blocked: Decimal
    available: Decimal
    utilization: Decimal  # reserved / (capacity - blocked), 0 when nothing is available


@dataclass(frozen=True)
class CapabilityUse:
    capability_id: UUID
    capability_type: str
    name: str
    kind: str
    unit: str  # "hours" or the capability's unit
    days: tuple[DayUse, ...]


@dataclass(frozen=True)
class LaborUse:
    user_id: UUID
    name: str
    days: tuple[DayUse, ...]


@dataclass(frozen=True)
class Utilization:
    organization_id: UUID
    start: date
    end: date
    capabilities: tuple[CapabilityUse, ...]
    labor: tuple[LaborUse, ...]


def _d(value: float) -> Decimal:
    return Decimal(str(round(value, 2)))


def _use(day: date, capacity: float, reserved: float, blocked: float) -> DayUse:
    blocked = min(blocked, capacity)
    usable = capacity - blocked
    reserved = min(reserved, usable) if usable > 0 else reserved
    ratio = reserved / usable if usable > 0 else 0.0
    return DayUse(
        day, _d(capacity), _d(reserved), _d(blocked), _d(max(0.0, usable - reserved)), Decimal(str(round(ratio, 4)))
    )


def _local_midnight(day: date, tz: ZoneInfo) -> datetime:
    return datetime.combine(day, time.min, tzinfo=tz).astimezone(UTC)


def _hours(s: datetime, e: datetime, lo: datetime, hi: datetime) -> float:
    return max(0.0, (min(e, hi) - max(s, lo)).total_seconds() / 3600)


async def utilization(*, viewer: Viewer, organization_id: UUID, start: date, end: date) -> Utilization:
    viewer.require_member(organization_id)
    reporting_period(start, end)
    org = await Organization.get_or_none(id=organization_id)
    if org is None:
        raise not_found("Organization", organization_id, field="organizationId")
    tz = zone(org.timezone)
    days = days_between(start, end)
    lo = datetime.combine(start, time.min, tzinfo=tz).astimezone(UTC)
    hi = datetime.combine(end + timedelta(days=1), time.min, tzinfo=tz).astimezone(UTC)
    caps = await OrganizationCapability.filter(organization_id=organization_id).order_by("created_at", "id")
    rows = await CapacitySchedule.filter(
        organization_id=organization_id, start_time__lt=hi, end_time__gt=lo
    ).values_list(
        "resource_type", "capability_id", "user_id", "start_time", "end_time", "units", "is_reserved", "is_blocked"
    )
    by_cap: dict[UUID, list[tuple[datetime, datetime, int, bool]]] = defaultdict(list)
    by_user: dict[UUID, list[tuple[datetime, datetime]]] = defaultdict(list)
    for kind, cap_id, user_id, s, e, units, reserved, blocked in rows:
        if kind == ResourceType.USER_LABOR and reserved:
            by_user[user_id].append((s, e))
        elif cap_id is not None and (reserved or blocked):
            by_cap[cap_id].append((s, e, units, bool(blocked)))

    cap_uses = []
    for cap in caps:
        snap = availability.Capability.of(cap)
        if snap.kind is CapabilityKind.PRESENCE:
            continue
        uses = []
        # Maintenance and out-of-service days keep the capacity the capability has and show it all blocked.
        open_hours = replace(snap.hours, is_operational=True, maintenance_start=None, maintenance_end=None)
        for day in days:
            out_of_service = not snap.hours.is_operational or snap.hours.in_maintenance(day)
            window = capability_window(day, open_hours, tz=tz, operating_hours=org.operating_hours or {})
            day_lo = _local_midnight(day, tz)
            day_hi = _local_midnight(day + timedelta(days=1), tz)  # not day_lo + 24 h: DST days are 23 or 25 h
            mine = [r for r in by_cap.get(cap.id, []) if r[0] < day_hi and r[1] > day_lo]
            if snap.kind is CapabilityKind.TIME_SHARED:
                if window is None:
                    uses.append(_use(day, 0, 0, 0))
                    continue
                capacity = window.hours * cap.quantity
                reserved = sum(_hours(s, e, window.start, window.end) * u for s, e, u, b in mine if not b)
                blocked = sum(_hours(s, e, window.start, window.end) * (u or cap.quantity) for s, e, u, b in mine if b)
            else:
                capacity = float(cap.quantity)
                reserved = float(availability.peak_units([(s, e, u) for s, e, u, b in mine if not b], day_lo))
                blocked = float(
                    availability.peak_units([(s, e, u or cap.quantity) for s, e, u, b in mine if b], day_lo)
                )
            uses.append(_use(day, capacity, reserved, capacity if out_of_service else blocked))
        unit = "hours" if snap.kind is CapabilityKind.TIME_SHARED else cap.unit
        cap_uses.append(CapabilityUse(cap.id, str(cap.capability_type), cap.name, snap.kind.value, unit, tuple(uses)))

    names = dict(await User.filter(id__in=list(by_user)).values_list("id", "full_name")) if by_user else {}
    labor_uses = []
    for user_id in sorted(by_user):
        uses = []
        for day in days:
            day_lo = _local_midnight(day, tz)
            day_hi = _local_midnight(day + timedelta(days=1), tz)
            reserved = sum(_hours(s, e, day_lo, day_hi) for s, e in by_user[user_id])
            capacity = float(availability.LABOR_HOURS_PER_DAY)
            uses.append(_use(day, capacity, reserved, 0))
        labor_uses.append(LaborUse(user_id, str(names.get(user_id, "")), tuple(uses)))
    return Utilization(organization_id, start, end, tuple(cap_uses), tuple(labor_uses))
