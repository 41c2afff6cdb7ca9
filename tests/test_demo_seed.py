"""The demo seed writes the design's market once, and never over existing data."""

from __future__ import annotations

from datetime import UTC, date, datetime

from app.demo_seed import DEMO_ACCOUNTS, DEMO_PASSWORD, seed_demo
from app.security import verify_password
from app.services.access import viewer_for_user
from app.services.coordination.quoting import QuoteRequest, request_quote
from models import Organization, OrganizationCapability, OrganizationMember, User, UserSkill, Vehicle
from models.enums import BookingStatus, CapabilityType, MemberRole, Proficiency, ServiceType


async def test_seed_writes_the_demo_market_once() -> None:
    assert await seed_demo() is True
    viva = await Organization.get(name="Viva Las Vegas Autos")
    capabilities = {c.capability_type: c.quantity for c in await OrganizationCapability.filter(organization=viva)}
    assert capabilities[CapabilityType.VEHICLE_LIFT] == 4
    assert capabilities[CapabilityType.INDOOR_STORAGE] == 2000
    assert capabilities[CapabilityType.PAINT_BOOTH] == 1
    assert await Organization.all().count() == 4
    skilled = await UserSkill.all().distinct().values_list("user_id", flat=True)
    assert len(set(skilled)) == 11
    for email in DEMO_ACCOUNTS:
        user = await User.get(email=email)
        assert verify_password(user.password_hash, DEMO_PASSWORD)
    buick = await Vehicle.get(make="Buick")
    assert (buick.year, buick.model) == (1987, "Grand National")
    assert await seed_demo() is False
    assert await Organization.all().count() == 4


async def test_the_demo_market_quotes_every_seed_service_type() -> None:
    """Each of the seed's fourteen service types is offered by a demo facility and can be quoted for the Buick."""
    assert await seed_demo() is True
    customer = await viewer_for_user(await User.get(email="customer@demo.test"))
    buick = await Vehicle.get(make="Buick")
    now = datetime(2030, 1, 1, 12, tzinfo=UTC)
    for service_type in ServiceType:
        booking = await request_quote(
            viewer=customer,
            request=QuoteRequest(requested_start_date=date(2030, 1, 7), service_type=service_type, vehicle_id=buick.id),
            now=now,
        )
        assert booking.service_type == service_type
        assert booking.status in (BookingStatus.QUOTE_READY, BookingStatus.QUOTE_REQUESTED), service_type


async def test_every_demo_facility_can_sign_and_the_labor_pool_spans_every_level() -> None:
    assert await seed_demo() is True
    for org in await Organization.all():
        assert await OrganizationMember.filter(organization=org, role=MemberRole.OWNER).exists(), org.name
    levels = {Proficiency(skill.proficiency_level) for skill in await UserSkill.all()}
    assert levels == set(Proficiency)


async def test_the_demo_labor_pool_fills_the_seed_columns_and_some_are_verified_by_the_admin() -> None:
    assert await seed_demo() is True
    admin = await User.get(email="admin@demo.test")
    skills = await UserSkill.all()
    verified = [s for s in skills if s.is_verified]
    assert verified and all(s.verified_by_id == admin.id and s.verified_at is not None for s in verified)
    assert {Proficiency(s.proficiency_level) for s in verified} >= {Proficiency.EXPERT, Proficiency.MASTER}
    assert {s.preferred_work_schedule for s in skills} >= {"weekdays", "weekends", "flexible"}
    assert {s.available_hours_per_week for s in skills} != {40}  # not all the default
    assert any(s.certifications and s.certifications[0]["date"] for s in skills)
    assert any(s.portfolio_image_urls for s in skills)
    painter = await UserSkill.get(user__email="painter@demo.test")
    assert painter.is_verified and painter.has_own_tools
