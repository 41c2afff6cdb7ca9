"""Capacity windows: unit cases, and the earliest window checked against a brute-force search."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.services.coordination import availability, working_hours
from models.enums import CapabilityType

pytestmark = pytest.mark.pure  # no database

MONDAY = date(2030, 1, 7)
NOT_BEFORE = datetime(2030, 1, 1, tzinfo=UTC)
CELL = timedelta(minutes=15)
SHOP = UUID(int=1)


def cap(
    n: int, kind: CapabilityType, quantity: int, hours: float = 8, days: int = 5, **kw: object
) -> availability.Capability:
    key = UUID(int=n)  # capability n, a stable key
    hours_of = working_hours.CapabilityHours(key, hours, days, **kw)  # type: ignore[arg-type]
    return availability.Capability(key, SHOP, kind, quantity, hours_of)


def at(day: date, hour: float) -> datetime:
    return datetime.combine(day, datetime.min.time(), tzinfo=UTC) + timedelta(hours=hour)


UTC_SHOP = availability.Facility(SHOP, "UTC", {})


def search(
    needs: list[availability.Need],
    caps: list[availability.Capability],
    busy: dict[UUID, availability.Busy],
    n_days: int = 1,
    days: int = 14,
) -> availability.CapacityWindow | None:
    chosen, missing = availability.choose_capabilities(needs, caps)
    assert not missing
    return availability.earliest_window(
        facility=UTC_SHOP,
        needs=needs,
        chosen=chosen,
        busy=busy,
        first_day=MONDAY,
        last_day=MONDAY + timedelta(days=days),
        n_days=n_days,
        not_before=NOT_BEFORE,
    )


def test_the_first_free_slot_follows_existing_blocks() -> None:
    booth = cap(1, CapabilityType.PAINT_BOOTH, 1)
    busy = {UUID(int=1): availability.Busy.of([(at(MONDAY, 8), at(MONDAY, 11), 1)])}
    window = search([availability.Need(CapabilityType.PAINT_BOOTH, hours=Decimal(4))], [booth], busy)
    assert window is not None
    assert [(b.start, b.end) for b in window.blocks] == [(at(MONDAY, 11), at(MONDAY, 15))]


def test_a_full_day_moves_to_the_next_working_day_and_skips_the_weekend() -> None:
    booth = cap(1, CapabilityType.PAINT_BOOTH, 2)
    friday = MONDAY + timedelta(days=4)
    rows = [(at(MONDAY + timedelta(days=d), 8), at(MONDAY + timedelta(days=d), 16), 2) for d in range(4)]
    rows.append((at(friday, 8), at(friday, 12), 2))
    window = search(
        [availability.Need(CapabilityType.PAINT_BOOTH, hours=Decimal(6))],
        [booth],
        {UUID(int=1): availability.Busy.of(rows)},
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
    window = search(needs, [lift, storage], {UUID(int=2): availability.Busy.of([stay])}, n_days=2)
    assert window is not None and window.days[0].day == MONDAY + timedelta(days=2)
    space = [b for b in window.blocks if b.capability_id == UUID(int=2)]
    assert space[0].units == 200 and space[0].start == window.start and space[0].end == window.end


def test_maintenance_and_blocked_rows_remove_capacity() -> None:
    booth = cap(1, CapabilityType.PAINT_BOOTH, 1, maintenance_start=MONDAY, maintenance_end=MONDAY + timedelta(days=1))
    blocked = {
        UUID(int=1): availability.Busy.of([(at(MONDAY, 0), at(MONDAY + timedelta(days=3), 0), availability.WHOLE)])
    }
    window = search([availability.Need(CapabilityType.PAINT_BOOTH, hours=Decimal(1))], [booth], blocked)
    assert window is not None and window.days[0].day == MONDAY + timedelta(days=3)


def test_presence_needs_only_an_operational_capability() -> None:
    air = cap(1, CapabilityType.AIR_COMPRESSOR, 1, is_operational=False)
    chosen, missing = availability.choose_capabilities([availability.Need(CapabilityType.AIR_COMPRESSOR)], [air])
    assert missing == [CapabilityType.AIR_COMPRESSOR] and chosen == {}


def test_labor_blocks_skip_other_bookings_and_stop_at_eight_hours_a_day() -> None:
    day = working_hours.Window(MONDAY, at(MONDAY, 7), at(MONDAY, 19))
    busy = [(at(MONDAY, 9), at(MONDAY, 11))]
    blocks = availability.free_labor_blocks(busy, [day], Decimal(12), timezone="UTC")
    assert blocks == [(at(MONDAY, 7), at(MONDAY, 9)), (at(MONDAY, 11), at(MONDAY, 15))]


# --- property: the earliest window equals a brute-force search over 15-minute cells -------------------


@st.composite
def markets(draw: st.DrawFn) -> tuple[availability.Capability, list[tuple[datetime, datetime, int]], int, int, int]:
    quantity = draw(st.integers(1, 2))
    hours = draw(st.integers(2, 9))
    days = draw(st.integers(1, 7))
    booth = cap(1, CapabilityType.PAINT_BOOTH, quantity, hours=hours, days=days)
    rows = []
    for _ in range(draw(st.integers(0, 14))):
        d = MONDAY + timedelta(days=draw(st.integers(0, 9)))
        start = draw(st.integers(8, 16))
        length = draw(st.integers(1, 6))
        rows.append((at(d, start), at(d, start + length), draw(st.integers(1, 2))))
    need_minutes = draw(st.sampled_from([30, 60, 90, 180, 240, 420, 600]))
    n_days = draw(st.integers(1, 3))
    return booth, rows, need_minutes, n_days, quantity


def brute_force(
    booth: availability.Capability, rows: list[tuple[datetime, datetime, int]], minutes: int, n_days: int, last: date
) -> list[tuple[datetime, datetime]] | None:
    open_days = []
    for i in range((last - MONDAY).days + 1):
        w = working_hours.capability_window(
            MONDAY + timedelta(days=i), booth.hours, tz=working_hours.zone("UTC"), operating_hours={}
        )
        if w is not None:
            open_days.append(w)

    def used(t: datetime) -> int:
        return sum(u for s, e, u in rows if s <= t < e)

    for i in range(len(open_days)):
        span, total = [], 0
        for w in open_days[i:]:
            span.append(w)
            total += int(w.hours * 60)
            if len(span) >= n_days and total >= minutes:
                break
        else:
            return None
        shares = availability.split_minutes(minutes, [int(w.hours * 60) for w in span])
        assert shares is not None
        placed = []
        for w, m in zip(span, shares, strict=True):
            if m == 0:
                continue
            t = w.start
            found = None
            while t + timedelta(minutes=m) <= w.end:
                cells = [t + CELL * k for k in range((m + 14) // 15)]
                if all(used(c) + 1 <= booth.quantity for c in cells):
                    found = (t, t + timedelta(minutes=m))
                    break
                t += CELL
            if found is None:
                break
            placed.append(found)
        else:
            return placed
    return None


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(markets())
def test_earliest_window_matches_brute_force(market: tuple[availability.Capability, list[Any], int, int, int]) -> None:
    booth, rows, minutes, n_days, quantity = market
    need = availability.Need(CapabilityType.PAINT_BOOTH, hours=Decimal(minutes) / 60)
    window = search([need], [booth], {UUID(int=1): availability.Busy.of(rows)}, n_days=n_days, days=13)
    expected = brute_force(booth, rows, minutes, n_days, MONDAY + timedelta(days=13))
    if expected is None:
        assert window is None
        return
    assert window is not None
    assert [(b.start, b.end) for b in window.blocks] == expected
    everything = rows + [(b.start, b.end, b.units) for b in window.blocks]
    for b in window.blocks:  # and the chosen blocks never push the booth over its quantity
        assert sum(u for s, e, u in everything if s <= b.start < e) <= quantity
