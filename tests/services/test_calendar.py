"""Working windows in the facility's timezone, converted to UTC."""

from __future__ import annotations

from datetime import UTC, date, datetime
from uuid import UUID

import pytest

from app.services.coordination import working_hours

pytestmark = pytest.mark.pure  # no database

MONDAY = date(2030, 1, 7)


def test_explicit_hours_are_local_and_converted_to_utc() -> None:
    booth = working_hours.CapabilityHours(UUID(int=1), hours_per_day=24, days_per_week=7)
    hours = {"0": ["08:00", "18:00"], "5": ["09:00", "13:00"]}
    windows = working_hours.working_windows(
        timezone="America/Los_Angeles", operating_hours=hours, capability=booth, start=MONDAY, end=date(2030, 1, 13)
    )
    assert sorted(windows) == [MONDAY, date(2030, 1, 12)]
    assert windows[MONDAY].start == datetime(2030, 1, 7, 16, 0, tzinfo=UTC)  # 08:00 PST
    assert windows[MONDAY].end == datetime(2030, 1, 8, 2, 0, tzinfo=UTC)
    assert windows[date(2030, 1, 12)].hours == 4


def test_days_per_week_from_monday_at_eight_with_the_capabilitys_hours_and_dst() -> None:
    lift = working_hours.CapabilityHours(UUID(int=1), hours_per_day=6, days_per_week=3)
    windows = working_hours.working_windows(
        timezone="America/New_York", operating_hours={}, capability=lift, start=date(2030, 7, 1), end=date(2030, 7, 7)
    )
    assert [d.isoformat() for d in windows] == ["2030-07-01", "2030-07-02", "2030-07-03"]
    assert windows[date(2030, 7, 1)].start == datetime(2030, 7, 1, 12, 0, tzinfo=UTC)  # 08:00 EDT
    assert windows[date(2030, 7, 1)].hours == 6


def test_maintenance_and_out_of_service_remove_days() -> None:
    lift = working_hours.CapabilityHours(UUID(int=1), 8, 5, maintenance_start=MONDAY, maintenance_end=date(2030, 1, 8))
    windows = working_hours.working_windows(
        timezone="UTC", operating_hours={}, capability=lift, start=MONDAY, end=date(2030, 1, 11)
    )
    assert sorted(windows) == [date(2030, 1, 9), date(2030, 1, 10), date(2030, 1, 11)]
    broken = working_hours.CapabilityHours(UUID(int=1), 8, 5, is_operational=False)
    assert (
        working_hours.working_windows(timezone="UTC", operating_hours={}, capability=broken, start=MONDAY, end=MONDAY)
        == {}
    )
