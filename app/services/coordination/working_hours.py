"""A facility's working windows: open days and hours in its own timezone, as UTC intervals."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

DEFAULT_OPEN = time(8, 0)
DEFAULT_DAYS_PER_WEEK = 5
DEFAULT_HOURS_PER_DAY = 8.0


@dataclass(frozen=True)
class Window:
    """One day's open interval, in UTC."""

    day: date
    start: datetime
    end: datetime

    @property
    def hours(self) -> float:
        return (self.end - self.start).total_seconds() / 3600

    def to_json(self) -> dict[str, str]:
        return {"day": self.day.isoformat(), "start": self.start.isoformat(), "end": self.end.isoformat()}

    @classmethod
    def from_json(cls, data: Mapping[str, str]) -> Window:
        return cls(
            date.fromisoformat(data["day"]), datetime.fromisoformat(data["start"]), datetime.fromisoformat(data["end"])
        )


@dataclass(frozen=True)
class CapabilityHours:
    """What the calendar needs of a capability (a snapshot, so quotes compute without the ORM)."""

    id: int
    hours_per_day: float
    days_per_week: int
    is_operational: bool = True
    maintenance_start: date | None = None
    maintenance_end: date | None = None

    def in_maintenance(self, day: date) -> bool:
        if self.maintenance_start is None:
            return False
        end = self.maintenance_end or self.maintenance_start
        return self.maintenance_start <= day <= end


def zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name or "UTC")
    except (ValueError, KeyError):
        return ZoneInfo("UTC")


def _local_instant(day: date, hhmm: str, tz: ZoneInfo) -> datetime:
    """A local "HH:MM" on `day` in UTC, to the minute; "24:00" is the next midnight."""
    hours, minutes = (int(x) for x in hhmm.split(":"))
    if hours >= 24:
        return _local_to_utc(day + timedelta(days=1), time(0, 0), tz)
    return _local_to_utc(day, time(hours, minutes), tz)


def _local_to_utc(day: date, at: time, tz: ZoneInfo) -> datetime:
    return datetime.combine(day, at, tzinfo=tz).astimezone(UTC)


def whole_minutes(hours: float) -> timedelta:
    """Hours as whole minutes (8.2 h is 492 min, never 491 from a float's last bit)."""
    return timedelta(minutes=round(hours * 60))


def facility_window(
    day: date,
    *,
    tz: ZoneInfo,
    operating_hours: Mapping[str, Sequence[str]],
    days_per_week: int | None = None,
    hours_per_day: float = DEFAULT_HOURS_PER_DAY,
) -> Window | None:
    """The open interval on `day`: the explicit hours when the facility has them, else 08:00 local on the first
    `days_per_week` days from Monday (5 by default). A capability's own `days_per_week` and `hours_per_day`
    apply on top of explicit hours too (a booth open 3 days a week is closed on Thursday even if the shop
    is open). Whole minutes throughout."""
    if days_per_week is not None and day.weekday() >= days_per_week:
        return None
    if operating_hours:
        hours = operating_hours.get(str(day.weekday()))
        if not hours or len(hours) != 2:
            return None
        start, end = _local_instant(day, hours[0], tz), _local_instant(day, hours[1], tz)
        end = min(end, start + whole_minutes(hours_per_day))
    else:
        if day.weekday() >= (DEFAULT_DAYS_PER_WEEK if days_per_week is None else days_per_week):
            return None
        start = _local_to_utc(day, DEFAULT_OPEN, tz)
        end = start + whole_minutes(min(hours_per_day, 16.0))
    return Window(day, start, end) if end > start else None


def capability_window(
    day: date, capability: CapabilityHours, *, tz: ZoneInfo, operating_hours: Mapping[str, Sequence[str]]
) -> Window | None:
    """A capability's usable interval on `day`: none when out of service, in maintenance or closed."""
    if not capability.is_operational or capability.in_maintenance(day):
        return None
    return facility_window(
        day,
        tz=tz,
        operating_hours=operating_hours,
        days_per_week=capability.days_per_week,
        hours_per_day=capability.hours_per_day,
    )


def days_between(start: date, end: date) -> list[date]:
    """Every date from start to end inclusive."""
    return [start + timedelta(days=i) for i in range((end - start).days + 1)]


def working_windows(
    *,
    timezone: str,
    operating_hours: Mapping[str, Sequence[str]],
    capability: CapabilityHours,
    start: date,
    end: date,
) -> dict[date, Window]:
    """The capability's open windows (UTC) for each operating day in [start, end]."""
    tz = zone(timezone)
    windows = {}
    for day in days_between(start, end):
        window = capability_window(day, capability, tz=tz, operating_hours=operating_hours)
        if window is not None:
            windows[day] = window
    return windows


def local_date(moment: datetime, tz: ZoneInfo) -> date:
    return moment.astimezone(tz).date()
