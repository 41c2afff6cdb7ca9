"""The one place tests build rows: people, organizations and their members, catalogs, and the ready-made
worlds (a paint shop for coordination, a booked job for payments, a completed job for reviews).

Plain rows with sensible defaults, written straight into the models (no service rules in between).
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from app.security import hash_password
from app.services.access import Viewer, viewer_for_user
from app.services.coordination.matching import Role
from app.services.coordination.plan import Breakdown, LaborLine, Plan, PlannedRole, Quote, Split
from app.services.coordination.quoting import QuoteRequest, request_quote
from app.services.money import allocate
from models import (
    CapacitySchedule,
    JobOffer,
    Organization,
    OrganizationCapability,
    OrganizationMember,
    OrganizationService,
    PaymentDistribution,
    PaymentTransfer,
    ServiceBooking,
    User,
    UserSkill,
    Vehicle,
    WorkContract,
)
from models.enums import (
    BookingStatus,
    CapabilityType,
    ContractStatus,
    ContractType,
    JobOfferStatus,
    MemberRole,
    PaymentStatus,
    PaymentType,
    PricingModel,
    Proficiency,
    RecipientType,
    ResourceType,
    ServiceType,
    SkillCategory,
    TransferStatus,
)

# A Monday well in the future, and "now" a week before it, so quotes never depend on the real clock.
MONDAY = date(2030, 1, 7)
NOW = datetime(2029, 12, 31, 12, 0, tzinfo=UTC)
VEGAS = (36.1699, -115.1398)
LA = (34.0522, -118.2437)
TOTAL = 200_000  # $2,000: $400 facility (incl. $100 materials) / $1,400 labor / $200 platform

_seq = itertools.count(1)


# People and organizations


async def make_user(
    name: str | None = None,
    *,
    email: str | None = None,
    password: str | None = None,
    at: tuple[float, float] | None = VEGAS,
    rating: float = 0,
    admin: bool = False,
    **values: Any,
) -> User:
    """A user; `password` is hashed (Argon2id, slow) only when the test signs in with it."""
    n = next(_seq)
    slug = (name or "user").lower().replace(" ", ".")
    return await User.create(
        email=email or f"{slug}.{n}@example.test",
        password_hash=hash_password(password) if password else "x",
        full_name=name or f"User {n}",
        latitude=at[0] if at else None,
        longitude=at[1] if at else None,
        rating=rating,
        is_admin=admin,
        **values,
    )


def bodywork_near_the_strip() -> QuoteRequest:
    """Paint and body work from MONDAY, searched within 50 miles of the Las Vegas Strip."""
    return QuoteRequest(
        requested_start_date=MONDAY,
        service_type=ServiceType.BODYWORK,
        latitude=36.17,
        longitude=-115.14,
        radius_miles=50,
    )


async def viewer(user: User) -> Viewer:
    return await viewer_for_user(user)


async def make_member(org: Organization, user: User, role: MemberRole = MemberRole.OWNER) -> OrganizationMember:
    return await OrganizationMember.create(organization=org, user=user, role=role)


async def make_org(
    *,
    owner: User | None = None,
    role: MemberRole = MemberRole.OWNER,
    name: str | None = None,
    at: tuple[float, float] | None = VEGAS,
    timezone: str = "America/Los_Angeles",
    operating_hours: dict[str, list[str]] | None = None,
    signable: bool = True,
    **values: Any,
) -> Organization:
    """An organization (a facility); `owner` (or, when none is given, a new user) becomes its member with `role`.
    Quotes only choose a facility someone can sign for, so every facility has an owner unless `signable=False`."""
    org = await Organization.create(
        name=name or f"Facility {next(_seq)}",
        latitude=at[0] if at else None,
        longitude=at[1] if at else None,
        timezone=timezone,
        operating_hours=operating_hours or {},
        **values,
    )
    if owner is not None:
        await make_member(org, owner, role)
    elif signable:
        await make_member(org, await make_user(), MemberRole.OWNER)
    return org


# Catalog, skills, vehicles


async def make_capability(
    org: Organization,
    capability_type: CapabilityType = CapabilityType.PAINT_BOOTH,
    *,
    quantity: int = 1,
    hours_per_day: float = 8,
    days_per_week: int = 5,
    **values: Any,
) -> OrganizationCapability:
    return await OrganizationCapability.create(
        organization=org,
        capability_type=capability_type,
        quantity=quantity,
        hours_per_day=hours_per_day,
        days_per_week=days_per_week,
        **values,
    )


async def make_service(
    org: Organization,
    *,
    service_type: ServiceType = ServiceType.BODYWORK,
    pricing_model: PricingModel = PricingModel.FIXED_PRICE,
    base_price_cents: int = 200_000,
    capabilities: Sequence[dict[str, object]] = ({"capability_type": "paint_booth", "hours": 8},),
    skills: Sequence[dict[str, object]] = (
        {"skill_category": "painting", "min_proficiency": "proficient", "hours": 8},
    ),
    estimated_days: int = 1,
    **values: Any,
) -> OrganizationService:
    return await OrganizationService.create(
        organization=org,
        service_name=f"{service_type} job",
        service_type=service_type,
        pricing_model=pricing_model,
        base_price_cents=base_price_cents,
        required_capabilities=list(capabilities),
        required_skills=list(skills),
        estimated_days=estimated_days,
        **values,
    )


async def make_worker(
    category: SkillCategory = SkillCategory.PAINTING,
    proficiency: Proficiency = Proficiency.EXPERT,
    *,
    at: tuple[float, float] | None = VEGAS,
    radius: int = 25,
    rating: float = 4.5,
    name: str | None = None,
) -> User:
    """A skilled person who travels `radius` miles."""
    user = await make_user(name, at=at, rating=rating)
    await UserSkill.create(
        user=user,
        skill_category=category,
        skill_name=f"{category} work",
        proficiency_level=proficiency,
        max_travel_distance_miles=radius,
        hourly_rate_cents=5000,
    )
    return user


async def make_vehicle(owner: User, *, value_cents: int = 4_500_000) -> Vehicle:
    return await Vehicle.create(owner=owner, year=1987, make="Buick", model="Grand National", value_cents=value_cents)


# Bookings and contracts


async def make_booking(
    org: Organization | None,
    customer: User,
    *,
    status: BookingStatus = BookingStatus.QUOTE_REQUESTED,
    start: datetime | None = None,
    days: int = 1,
    **values: Any,
) -> ServiceBooking:
    """A paint booking; with `start`, scheduled from then for `days` days (and requested for that date)."""
    values.setdefault("service_type", ServiceType.BODYWORK)
    values.setdefault("title", "Repaint")
    values.setdefault("requested_start_date", start.date() if start else MONDAY)
    if start is not None:
        values.setdefault("scheduled_start", start)
        values.setdefault("scheduled_end", start + timedelta(days=days))
    return await ServiceBooking.create(organization=org, customer=customer, status=status, **values)


def quote_values(plan: Plan, breakdown: Breakdown | None) -> dict[str, Any]:
    """A booking's quote columns (plan, price and parts, split, assigned people and capabilities) as the
    domain writes them, for ServiceBooking.create(**...)."""
    holder = ServiceBooking()
    return {name: getattr(holder, name) for name in Quote(plan, breakdown).write_to(holder)}


async def make_contract(
    booking: ServiceBooking,
    *,
    total_cents: int = TOTAL,
    status: ContractStatus = ContractStatus.ACTIVE,
    **values: Any,
) -> WorkContract:
    """The booking's fixed-price contract between its customer and facility, split 20/70/10."""
    facility, labor, platform = allocate(total_cents, [2000, 7000, 1000])
    return await WorkContract.create(
        booking=booking,
        customer_id=booking.customer_id,
        facility_id=booking.organization_id,
        contract_type=ContractType.FIXED_PRICE,
        contract_status=status,
        total_contract_value_cents=total_cents,
        facility_payment_cents=facility,
        labor_amount_cents=labor,
        platform_fee_cents=platform,
        facility_share_bps=2000,
        labor_share_bps=7000,
        platform_share_bps=1000,
        **values,
    )


@dataclass(frozen=True)
class Part:
    """One recipient's share of a payment made by make_payment."""

    recipient_type: RecipientType
    amount_cents: int
    user_id: int | None = None
    organization_id: int | None = None


async def make_payment(
    contract: WorkContract,
    parts: Sequence[Part],
    *,
    milestone: str = "deposit",
    status: TransferStatus = TransferStatus.PENDING,
    **transfer_values: Any,
) -> tuple[PaymentDistribution, list[PaymentTransfer]]:
    """A milestone's payment event and its per-recipient transfers, as start_payment writes them."""
    booking_id: int = contract.booking_id
    record = await PaymentDistribution.create(
        contract=contract,
        booking_id=booking_id,
        payment_type=PaymentType.DEPOSIT if milestone == "deposit" else PaymentType.MILESTONE,
        milestone=milestone,
        event_key=f"booking-{booking_id}-{milestone}",
        total_amount_cents=sum(p.amount_cents for p in parts),
        distributions=[
            {
                "recipient_id": p.organization_id if p.recipient_type is RecipientType.FACILITY else p.user_id,
                "recipient_type": p.recipient_type.value,
                "amount_cents": p.amount_cents,
            }
            for p in parts
        ],
        payment_status=PaymentStatus.PENDING if status is TransferStatus.PENDING else PaymentStatus.PROCESSING,
    )
    transfers = [
        await PaymentTransfer.create(
            distribution=record,
            contract=contract,
            booking_id=booking_id,
            milestone=milestone,
            recipient_type=p.recipient_type,
            recipient_user_id=p.user_id,
            recipient_organization_id=p.organization_id,
            amount_cents=p.amount_cents,
            status=status,
            idempotency_key=f"booking-{booking_id}-{milestone}-{p.recipient_type.value}-{index}",
            **transfer_values,
        )
        for index, p in enumerate(parts)
    ]
    return record, transfers


# Coordination: a paint shop to quote and book


@dataclass
class Shop:
    """A paint shop with one booth, one painter and a customer: the seed's story in miniature."""

    owner: User
    org: Organization
    booth: OrganizationCapability
    service: OrganizationService
    painters: list[User]
    customer: User
    extra: dict[str, Any] = field(default_factory=dict)


async def make_shop(*, booth_quantity: int = 1, painters: int = 1, **service_values: Any) -> Shop:
    owner = await make_user("Owner")
    org = await make_org(owner=owner, name="Viva Las Vegas Autos")
    booth = await make_capability(org, CapabilityType.PAINT_BOOTH, quantity=booth_quantity)
    service = await make_service(org, **service_values)
    people = [await make_worker(name=f"Painter {i + 1}", rating=5 - i * 0.1) for i in range(painters)]
    customer = await make_user("Customer")
    return Shop(owner, org, booth, service, people, customer)


# Payments: an accepted booking with its labor offers, ready for a contract

LABOR_ROLES = (SkillCategory.PAINTING, SkillCategory.WELDING, SkillCategory.DETAILING)


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


async def quote_at_shop(shop: Shop, customer: User | None = None) -> ServiceBooking:
    """A QUOTE_READY booking at the shop for Monday, asked by its customer (or another)."""
    return await request_quote(
        viewer=await viewer(customer or shop.customer),
        request=QuoteRequest(requested_start_date=MONDAY, service_id=shop.service.id),
        now=NOW,
    )


async def make_world(*, labor_count: int = 2, total_cents: int = TOTAL, accept_offers: bool = True) -> World:
    """A facility with a 20/70/10 split, its owner, a customer, labor with payment accounts, and a quote_accepted
    booking whose breakdown and offers share the labor fee 60/40/30."""
    n = next(_seq)
    owner = await make_user("Olive Owner", at=None)
    organization = await make_org(
        owner=owner,
        name=f"Paint Works {n}",
        at=None,
        city="Austin",
        timezone="America/Chicago",
        stripe_account_id=f"acct_facility{n}",
        facility_share_bps=2000,
        labor_share_bps=7000,
        platform_share_bps=1000,
    )
    service = await OrganizationService.create(
        organization=organization,
        service_name="Full repaint",
        service_type=ServiceType.BODYWORK,
        description="Strip, prime and repaint the body.",
        pricing_model=PricingModel.FIXED_PRICE,
        base_price_cents=total_cents,
        materials_cost_cents=total_cents // 20,
    )
    customer = await make_user("Casey Customer", at=None)
    labor = [
        await make_user(f"Lee Labor{i}", at=None, stripe_account_id=f"acct_labor{n}x{i}") for i in range(labor_count)
    ]
    facility, labor_fee, platform = allocate(total_cents, [2000, 7000, 1000])
    materials = min(total_cents // 20, facility)
    people = allocate(labor_fee, [60, 40, 30][:labor_count]) if labor_count else []
    start = datetime(2026, 12, 7, 14, 0, tzinfo=UTC)
    booking = await make_booking(
        organization,
        customer,
        status=BookingStatus.QUOTE_ACCEPTED,
        start=start,
        days=3,
        service=service,
        **quote_values(
            # The roles to staff (24 hours each), so a contract activates only once they are covered.
            Plan(
                organization.id,
                service.id,
                "UTC",
                start,
                start + timedelta(days=3),
                roles=tuple(
                    PlannedRole(Role(LABOR_ROLES[i], Proficiency.LEARNING, Decimal(24))) for i in range(labor_count)
                ),
            ),
            Breakdown(
                total_cents=total_cents,
                service_price_cents=total_cents - materials,
                facility_fee_cents=facility - materials,
                materials_cents=materials,
                labor_fee_cents=labor_fee,
                platform_fee_cents=platform,
                split=Split(2000, 7000, 1000),
                labor=tuple(
                    LaborLine(u.id, u.full_name, LABOR_ROLES[i].value, Decimal(24), a)
                    for i, (u, a) in enumerate(zip(labor, people, strict=True))
                ),
            ),
        ),
    )
    offers = [
        await JobOffer.create(
            booking=booking,
            user=u,
            role=role,
            hours=24,
            amount_cents=a,
            status=JobOfferStatus.ACCEPTED if accept_offers else JobOfferStatus.PENDING,
            expires_at=start,
            responded_at=datetime.now(UTC) if accept_offers else None,
        )
        for u, role, a in zip(labor, LABOR_ROLES, people, strict=False)
    ]
    return World(organization, owner, customer, labor, booking, offers)


# Reviews and calendars: a finished job with reserved time

REVIEW_PASSWORD = "pw-123456"


async def completed_job(status: BookingStatus = BookingStatus.COMPLETED) -> tuple[ServiceBooking, dict[str, User]]:
    """A job of "Review Garage" in `status`, with owner, customer, worker and stranger (who sign in as
    <name>@r.test / REVIEW_PASSWORD), the worker's accepted offer and the lift and labor time it reserved."""
    people = {
        name: await make_user(name.title(), email=f"{name}@r.test", password=REVIEW_PASSWORD, at=None)
        for name in ("owner", "customer", "worker", "stranger")
    }
    org = await make_org(owner=people["owner"], name="Review Garage", at=None, timezone="UTC")
    booking = await make_booking(org, people["customer"], status=status, requested_start_date=date(2026, 3, 1))
    await JobOffer.create(
        booking=booking,
        user=people["worker"],
        role=SkillCategory.PAINTING,
        hours=8,
        amount_cents=1000,
        status=JobOfferStatus.ACCEPTED,
        expires_at=datetime(2026, 3, 1, tzinfo=UTC),
    )
    lift = await OrganizationCapability.create(
        organization=org, capability_type=CapabilityType.VEHICLE_LIFT, quantity=2
    )
    await CapacitySchedule.create(
        organization=org,
        capability=lift,
        booking=booking,
        is_reserved=True,
        units=1,
        start_time=datetime(2026, 3, 2, 8, tzinfo=UTC),
        end_time=datetime(2026, 3, 2, 12, tzinfo=UTC),
    )
    await CapacitySchedule.create(
        organization=org,
        resource_type=ResourceType.USER_LABOR,
        user=people["worker"],
        booking=booking,
        is_reserved=True,
        start_time=datetime(2026, 3, 2, 8, tzinfo=UTC),
        end_time=datetime(2026, 3, 2, 16, tzinfo=UTC),
    )
    return booking, people
