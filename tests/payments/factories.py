"""Small test data for contracts and payments: a facility with a split policy, a customer, labor, a booking."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from app.services.access import Viewer, viewer_for_user
from app.services.matching import Role
from app.services.money import allocate
from app.services.plan import Plan, PlannedRole
from models import JobOffer, Organization, OrganizationMember, OrganizationService, ServiceBooking, User
from models.enums import (
    BookingStatus,
    JobOfferStatus,
    MemberRole,
    PricingModel,
    Proficiency,
    ServiceType,
    SkillCategory,
)

_seq = itertools.count(1)
TOTAL = 200_000  # $2,000: $400 facility (incl. $100 materials) / $1,400 labor / $200 platform
ROLES = (SkillCategory.PAINTING, SkillCategory.BODY_WORK, SkillCategory.DETAILING)


async def make_user(name: str, *, stripe_account_id: str | None = None) -> User:
    n = next(_seq)
    return await User.create(
        email=f"{name.lower().replace(' ', '.')}.{n}@example.test",
        password_hash="x",
        full_name=name,
        stripe_account_id=stripe_account_id,
    )


@dataclass
class World:
    organization: Organization
    owner: User
    customer: User
    labor: list[User]
    booking: ServiceBooking
    offers: list[JobOffer]

    async def viewer(self, user: User) -> Viewer:
        return await viewer_for_user(await User.get(id=user.id))


async def make_world(*, labor_count: int = 2, total_cents: int = TOTAL, accept_offers: bool = True) -> World:
    n = next(_seq)
    organization = await Organization.create(
        name=f"Paint Works {n}",
        city="Austin",
        timezone="America/Chicago",
        stripe_account_id=f"acct_facility{n}",
        facility_share_bps=2000,
        labor_share_bps=7000,
        platform_share_bps=1000,
    )
    owner = await make_user("Olive Owner")
    await OrganizationMember.create(organization=organization, user=owner, role=MemberRole.OWNER)
    service = await OrganizationService.create(
        organization=organization,
        service_name="Full repaint",
        service_type=ServiceType.PAINT,
        description="Strip, prime and repaint the body.",
        pricing_model=PricingModel.FIXED,
        base_price_cents=total_cents,
        materials_cost_cents=total_cents // 20,
    )
    customer = await make_user("Casey Customer")
    labor = [await make_user(f"Lee Labor{i}", stripe_account_id=f"acct_labor{n}x{i}") for i in range(labor_count)]
    facility, labor_fee, platform = allocate(total_cents, [2000, 7000, 1000])
    materials = min(total_cents // 20, facility)
    people = allocate(labor_fee, [60, 40, 30][:labor_count]) if labor_count else []
    start = datetime(2026, 12, 7, 14, 0, tzinfo=UTC)
    booking = await ServiceBooking.create(
        organization=organization,
        customer=customer,
        service=service,
        service_type=ServiceType.PAINT,
        status=BookingStatus.QUOTE_ACCEPTED,
        requested_start_date=start.date(),
        quoted_price_cents=total_cents,
        scheduled_start=start,
        scheduled_end=start + timedelta(days=3),
        # The roles to staff (24 hours each), so a contract activates only once they are covered.
        plan=Plan(
            organization.id,
            service.id,
            "UTC",
            start,
            start + timedelta(days=3),
            roles=tuple(PlannedRole(Role(ROLES[i], Proficiency.BEGINNER, Decimal(24))) for i in range(labor_count)),
        ).to_json(),
        quote_breakdown={
            "total_cents": total_cents,
            "service_price_cents": total_cents,
            "facility_fee_cents": facility - materials,
            "materials_cents": materials,
            "labor_fee_cents": labor_fee,
            "platform_fee_cents": platform,
            "split_bps": {"facility": 2000, "labor": 7000, "platform": 1000},
            "labor": [
                {"user_id": u.id, "name": u.full_name, "role": ROLES[i].value, "hours": "24.00", "amount_cents": a}
                for i, (u, a) in enumerate(zip(labor, people, strict=True))
            ],
        },
    )
    offers = [
        await JobOffer.create(
            booking=booking,
            user=u,
            role=ROLES[i],
            hours=24,
            amount_cents=a,
            status=JobOfferStatus.ACCEPTED if accept_offers else JobOfferStatus.PENDING,
            expires_at=start,
            responded_at=datetime.now(UTC) if accept_offers else None,
        )
        for i, (u, a) in enumerate(zip(labor, people, strict=True))
    ]
    return World(organization, owner, customer, labor, booking, offers)
