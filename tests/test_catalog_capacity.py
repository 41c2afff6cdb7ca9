"""Editing a capability never leaves its future reservations without room (the invariant of docs/capacity.md)."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime
from typing import Any

import pytest

from app import channels
from app import events as app_events
from app.errors import DomainError, ErrorCode
from app.services.access import viewer_for_user
from app.services.catalog import update_capability
from models import (
    CapacitySchedule,
    Organization,
    OrganizationCapability,
    ServiceBooking,
    User,
)
from models.enums import CapabilityType, ServiceType
from tests.factories import make_org, make_user

NOW = datetime(2026, 12, 1, 12, tzinfo=UTC)


class Recorder:
    def __init__(self) -> None:
        self.messages: list[tuple[str, dict[str, Any]]] = []

    async def publish(self, channel: str, message: Any) -> None:
        self.messages.append((channel, json.loads(message)))


@pytest.fixture
async def published() -> AsyncIterator[Recorder]:
    recorder = Recorder()
    app_events.set_publisher(recorder)
    yield recorder
    app_events.set_publisher(None)


async def _reserve(
    org: Organization, lift: OrganizationCapability, booking: ServiceBooking | None, **values: Any
) -> None:
    await CapacitySchedule.create(organization=org, capability=lift, booking=booking, **values)


async def _garage() -> tuple[User, OrganizationCapability]:
    """Three lifts in Chicago; two overlapping one-lift reservations on Dec 7, one evening one on Dec 8 local."""
    owner = await make_user("Owner", email="owner@cap.test", at=None)
    customer = await make_user("Customer", email="customer@cap.test", at=None)
    org = await make_org(owner=owner, name="Capacity Garage", at=None, timezone="America/Chicago")
    lift = await OrganizationCapability.create(
        organization=org, capability_type=CapabilityType.VEHICLE_LIFT, quantity=3
    )
    booking = await ServiceBooking.create(
        title="Repaint",
        organization=org,
        customer=customer,
        service_type=ServiceType.BODYWORK,
        requested_start_date=date(2026, 12, 7),
    )

    def at(day: int, hour: int) -> datetime:
        return datetime(2026, 12, day, hour, tzinfo=UTC)

    await _reserve(org, lift, booking, start_time=at(7, 14), end_time=at(7, 18), units=1, is_reserved=True)
    await _reserve(org, lift, booking, start_time=at(7, 16), end_time=at(7, 20), units=1, is_reserved=True)
    # 20:00-22:00 on Dec 8 in Chicago, already Dec 9 in UTC.
    await _reserve(org, lift, booking, start_time=at(9, 2), end_time=at(9, 4), units=1, is_reserved=True)
    # Neither counts: a reservation that has ended, and the facility's own block.
    await _reserve(org, lift, booking, start_time=at(1, 8), end_time=at(1, 10), units=3, is_reserved=True)
    await _reserve(org, lift, None, start_time=at(10, 8), end_time=at(10, 10), units=0, is_blocked=True)
    return owner, lift


async def _refused(owner: User, lift: OrganizationCapability, values: dict[str, Any]) -> DomainError:
    with pytest.raises(DomainError) as err:
        await update_capability(viewer=await viewer_for_user(owner), capability_id=lift.id, values=values, now=NOW)
    assert err.value.code == ErrorCode.CONFLICT
    return err.value


async def test_quantity_cannot_go_below_the_reserved_peak(published: Recorder) -> None:
    owner, lift = await _garage()
    error = await _refused(owner, lift, {"quantity": 1, "name": "Lifts"})
    assert error.field == "quantity" and error.details["reservedUnits"] == 2
    row = await OrganizationCapability.get(id=lift.id)
    assert (row.quantity, row.name) == (3, "")  # nothing of the refused edit was written
    assert published.messages == []

    viewer = await viewer_for_user(owner)
    updated = await update_capability(viewer=viewer, capability_id=lift.id, values={"quantity": 2}, now=NOW)
    assert updated.quantity == 2 and (await OrganizationCapability.get(id=lift.id)).quantity == 2
    [(channel, payload)] = published.messages
    assert channel == channels.capacity(lift.organization_id)
    assert payload["capabilityIds"] == [lift.id] and payload["reason"] == "capability_updated"


async def test_out_of_service_only_without_future_reservations() -> None:
    owner, lift = await _garage()
    error = await _refused(owner, lift, {"is_operational": False})
    assert error.field == "isOperational" and error.details["reservations"] == 3
    assert (await OrganizationCapability.get(id=lift.id)).is_operational
    later = datetime(2027, 1, 1, tzinfo=UTC)  # every reservation has ended
    viewer = await viewer_for_user(owner)
    await update_capability(viewer=viewer, capability_id=lift.id, values={"is_operational": False}, now=later)
    assert not (await OrganizationCapability.get(id=lift.id)).is_operational


async def test_maintenance_dates_are_local_inclusive_days_clear_of_reservations() -> None:
    owner, lift = await _garage()
    viewer = await viewer_for_user(owner)
    error = await _refused(owner, lift, {"maintenance_start": date(2026, 12, 7), "maintenance_end": date(2026, 12, 7)})
    assert error.field == "maintenanceStart"
    # The Dec 9 UTC reservation is on Dec 8 in Chicago: Dec 8 clashes, Dec 9 does not.
    await _refused(owner, lift, {"maintenance_start": date(2026, 12, 8)})
    await update_capability(
        viewer=viewer,
        capability_id=lift.id,
        values={"maintenance_start": date(2026, 12, 9), "maintenance_end": date(2026, 12, 11)},
        now=NOW,
    )
    # Moving only the start back over reserved days is caught as well.
    await _refused(owner, lift, {"maintenance_start": date(2026, 12, 5)})
    row = await OrganizationCapability.get(id=lift.id)
    assert (row.maintenance_start, row.maintenance_end) == (date(2026, 12, 9), date(2026, 12, 11))


async def test_unrelated_edits_are_not_checked() -> None:
    owner, lift = await _garage()
    viewer = await viewer_for_user(owner)
    updated = await update_capability(viewer=viewer, capability_id=lift.id, values={"name": "Two-post lifts"}, now=NOW)
    assert updated.name == "Two-post lifts"
    stranger = await make_user("S", email="stranger@cap.test", at=None)
    with pytest.raises(DomainError) as err:
        await update_capability(
            viewer=await viewer_for_user(stranger), capability_id=lift.id, values={"quantity": 9}, now=NOW
        )
    assert err.value.code == ErrorCode.FORBIDDEN
