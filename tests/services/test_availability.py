"""Capacity windows: unit cases (test_window_brute_force.py checks the earliest window against a brute force)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from app.services.coordination import availability, windows, working_hours
from models.enums import CapabilityType

pytestmark = pytest.mark.pure  # no database

MONDAY = date(2030, 1, 7)
NOT_BEFORE = datetime(2030, 1, 1, tzinfo=UTC)
CELL = timedelta(minutes=15)


def cap(
    cap_id: int, kind: CapabilityType, quantity: int, hours: float = 8, days: int = 5, **kw: object
) -> availability.Capability:
    return availability.Capability(cap_id, 1, kind, quantity, working_hours.CapabilityHours(cap_id, hours, days, **kw))  # type: ignore[arg-type]


def at(day: date, hour: float) -> datetime:
    return datetime.combine(day, datetime.min.time(), tzinfo=UTC) + timedelta(hours=hour)


UTC_SHOP = availability.Facility(1, "UTC", {})


def search(
    needs: list[availability.Need],
    caps: list[availability.Capability],
    busy: dict[int, availability.Busy],
    n_days: int = 1,
    days: int = 14,
    interruptible: bool = False,
) -> availability.CapacityWindow | None:
    rows, missing = windows.usable_rows(needs, caps)
    assert not missing
    calendar = windows.calendar(
        facility=UTC_SHOP,
        needs=needs,
        rows=rows,
        busy=busy,
        first_day=MONDAY,
        last_day=MONDAY + timedelta(days=days),
        not_before=NOT_BEFORE,
        interruptible=interruptible,
    )
    found = windows.earliest(
        facility=UTC_SHOP,
        days=calendar,
        needs=needs,
        rows=rows,
        busy=busy,
        n_days=n_days,
        interruptible=interruptible,
    )
    return found[0] if found else None


def test_the_first_free_slot_follows_existing_blocks() -> None:
    booth = cap(1, CapabilityType.PAINT_BOOTH, 1)
    busy = {1: availability.Busy.of([(at(MONDAY, 8), at(MONDAY, 11), 1)])}
    window = search([availability.Need(CapabilityType.PAINT_BOOTH, hours=Decimal(4))], [booth], busy)
    assert window is not None
    assert [(b.start, b.end) for b in window.blocks] == [(at(MONDAY, 11), at(MONDAY, 15))]


def test_a_full_day_moves_to_the_next_working_day_and_skips_the_weekend() -> None:
    booth = cap(1, CapabilityType.PAINT_BOOTH, 2)
    friday = MONDAY + timedelta(days=4)
    rows = [(at(MONDAY + timedelta(days=d), 8), at(MONDAY + timedelta(days=d), 16), 2) for d in range(4)]
    rows.append((at(friday, 8), at(friday, 12), 2))
    window = search(
        [availability.Need(CapabilityType.PAINT_BOOTH, hours=Decimal(6))], [booth], {1: availability.Busy.of(rows)}
    )
    assert window is not None and window.days[0].day == MONDAY + timedelta(days=7)


def test_hours_beyond_the_estimated_days_stretch_the_window() -> None:
    booth = cap(1, CapabilityType.PAINT_BOOTH, 1)
    window = search([availability.Need(CapabilityType.PAINT_BOOTH, hours=Decimal(20))], [booth], {}, n_days=1)
    assert window is not None and len(window.days) == 3
    assert sum(b.hours for b in window.blocks) == Decimal(20)


def test_space_holds_units_for_every_day_of_the_stay() -> None:
    lift = cap(1, CapabilityType.VEHICLE_LIFT, 1)
    storage = cap(2, CapabilityType.INDOOR_STORAGE, 1000)
    stay = (at(MONDAY, 0), at(MONDAY + timedelta(days=2), 0), 900)
    needs = [
        availability.Need(CapabilityType.VEHICLE_LIFT, hours=Decimal(2)),
        availability.Need(CapabilityType.INDOOR_STORAGE, units=200),
    ]
    window = search(needs, [lift, storage], {2: availability.Busy.of([stay])}, n_days=2)
    assert window is not None and window.days[0].day == MONDAY + timedelta(days=2)
    space = [b for b in window.blocks if b.capability_id == 2]
    assert space[0].units == 200 and space[0].start == window.start and space[0].end == window.end


def test_maintenance_and_blocked_rows_remove_capacity() -> None:
    booth = cap(1, CapabilityType.PAINT_BOOTH, 1, maintenance_start=MONDAY, maintenance_end=MONDAY + timedelta(days=1))
    blocked = {1: availability.Busy.of([(at(MONDAY, 0), at(MONDAY + timedelta(days=3), 0), availability.WHOLE)])}
    window = search([availability.Need(CapabilityType.PAINT_BOOTH, hours=Decimal(1))], [booth], blocked)
    assert window is not None and window.days[0].day == MONDAY + timedelta(days=3)


def test_presence_needs_only_an_operational_capability() -> None:
    air = cap(1, CapabilityType.AIR_COMPRESSOR, 1, is_operational=False)
    rows, missing = windows.usable_rows([availability.Need(CapabilityType.AIR_COMPRESSOR)], [air])
    assert missing == [CapabilityType.AIR_COMPRESSOR] and rows == {}


def test_labor_blocks_skip_other_bookings_and_stop_at_eight_hours_a_day() -> None:
    day = working_hours.Window(MONDAY, at(MONDAY, 7), at(MONDAY, 19))
    busy = [(at(MONDAY, 9), at(MONDAY, 11))]
    blocks = availability.free_labor_blocks(busy, [day], Decimal(12), timezone="UTC")
    assert blocks == [(at(MONDAY, 7), at(MONDAY, 9)), (at(MONDAY, 11), at(MONDAY, 15))]
