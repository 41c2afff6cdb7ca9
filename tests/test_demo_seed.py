"""The demo seed writes the design's market once, and never over existing data."""

from __future__ import annotations

from app.demo_seed import DEMO_ACCOUNTS, DEMO_PASSWORD, seed_demo
from app.security import verify_password
from models import Organization, OrganizationCapability, User, UserSkill, Vehicle
from models.enums import CapabilityType


async def test_seed_writes_the_demo_market_once() -> None:
    assert await seed_demo() is True
    viva = await Organization.get(name="Viva Las Vegas Autos")
    capabilities = {c.capability_type: c.quantity for c in await OrganizationCapability.filter(organization=viva)}
    assert capabilities[CapabilityType.VEHICLE_LIFT] == 4
    assert capabilities[CapabilityType.INDOOR_STORAGE] == 2000
    assert capabilities[CapabilityType.PAINT_BOOTH] == 1
    assert await Organization.all().count() == 4
    skilled = await UserSkill.all().distinct().values_list("user_id", flat=True)
    assert len(set(skilled)) == 10
    for email in DEMO_ACCOUNTS:
        user = await User.get(email=email)
        assert verify_password(user.password_hash, DEMO_PASSWORD)
    buick = await Vehicle.get(make="Buick")
    assert (buick.year, buick.model) == (1987, "Grand National")
    assert await seed_demo() is False
    assert await Organization.all().count() == 4
