"""A small market with two organizations, two customers and labor, written straight into the models,
the roles that look at it, and a snapshot of every table to prove that nothing was written."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from tortoise import Tortoise, connections

from app.security import issue_token
from app.services.access import Viewer, viewer_for_user
from app.services.coordination import matching
from app.services.coordination.matching import Assignment
from app.services.coordination.plan import Breakdown, LaborLine, Plan, PlannedRole, Split
from models import (
    BookingStatusHistory,
    CapacitySchedule,
    JobOffer,
    Organization,
    OrganizationCapability,
    OrganizationService,
    Review,
    ServiceBooking,
    User,
    UserSkill,
    Vehicle,
)
from models.enums import (
    BookingStatus,
    CapabilityType,
    JobOfferStatus,
    MemberRole,
    PartyType,
    Proficiency,
    RecipientType,
    ResourceType,
    ServiceType,
    SkillCategory,
)
from tests.factories import (
    Part,
    make_booking,
    make_contract,
    make_member,
    make_org,
    make_payment,
    make_user,
    quote_values,
)

ROLES = ("anonymous", "customer_a", "customer_b", "owner_x", "staff_x", "owner_y", "labor_on", "labor_off", "admin")
DAY = date(2031, 3, 3)
START = datetime(2031, 3, 3, 15, tzinfo=UTC)


@dataclass
class Role:
    name: str
    user_id: int | None = None
    org_ids: set[int] = field(default_factory=set)
    managed_org_ids: set[int] = field(default_factory=set)
    is_admin: bool = False
    offer_booking_ids: set[int] = field(default_factory=set)
    token: str | None = None


@dataclass
class Market:
    """Ids of everything created, and who owns what (the test's own oracle, independent of app.services.access)."""

    roles: dict[str, Role]
    org_x: int
    org_y: int
    users: dict[str, int]
    bookings: dict[int, tuple[int, int | None]]  # id -> (customer, organization)
    booking_vehicle: dict[int, int | None]
    offers: dict[int, tuple[int, int]]  # id -> (user, booking)
    blocks: dict[int, tuple[int, int | None, int | None]]  # id -> (organization, booking, user)
    contracts: dict[int, int]  # id -> booking
    distributions: dict[int, tuple[int, int | None]]  # transfer id -> (contract, recipient user)
    payments: dict[int, int]  # payment event id -> contract
    members: dict[int, tuple[int, int]]  # id -> (organization, user)
    vehicles: dict[int, int]  # id -> owner
    history: dict[int, int]  # id -> booking
    reviews: dict[int, int]  # id -> booking
    skills: dict[int, int]  # id -> user
    services: dict[int, int]  # id -> organization
    capabilities: dict[int, int]  # id -> organization
    crew: set[tuple[int, int]]  # (user, booking) of every accepted job offer

    async def viewer(self, role: str) -> Viewer:
        user_id = self.roles[role].user_id
        return Viewer() if user_id is None else await viewer_for_user(await User.get(id=user_id))

    # The rules of docs/architecture.md (Access), written out once more so the app's own rules are checked against them.
    def sees_booking(self, role: Role, booking_id: int | None) -> bool:
        if booking_id is None or booking_id not in self.bookings:
            return False
        customer, org = self.bookings[booking_id]
        return role.is_admin or role.user_id == customer or org in role.org_ids or booking_id in role.offer_booking_ids

    def sees_work_notes(self, role: Role, booking_id: int) -> bool:
        """Facility and labor notes: the facility's members, the booking's crew and admins (not the customer)."""
        org = self.bookings[booking_id][1]
        return role.is_admin or org in role.org_ids or (role.user_id, booking_id) in self.crew

    def booking_party(self, role: Role, booking_id: int | None) -> bool:
        if booking_id is None or booking_id not in self.bookings:
            return False
        customer, org = self.bookings[booking_id]
        return role.is_admin or role.user_id == customer or org in role.org_ids


async def build_market() -> Market:
    names = ["customer_a", "customer_b", "owner_x", "staff_x", "owner_y", "labor_on", "labor_off", "admin"]
    users: dict[str, User] = {}
    for name in names:
        users[name] = await make_user(
            name,
            email=f"{name}@sec.test",
            at=(36.1, -115.1),
            admin=name == "admin",
            phone="555-0100",
            stripe_account_id=f"acct_{name}",
        )
    org_x = await make_org(
        name="X Autos", at=(36.1, -115.1), timezone="UTC", stripe_account_id="acct_org_x", signable=False
    )
    org_y = await make_org(
        name="Y Paint", at=(36.2, -115.2), timezone="UTC", stripe_account_id="acct_org_y", signable=False
    )
    services, capabilities = {}, {}
    for org in (org_x, org_y):
        service = await OrganizationService.create(
            organization=org, service_name="Paint", service_type=ServiceType.BODYWORK, base_price_cents=100_000
        )
        capability = await OrganizationCapability.create(
            organization=org, capability_type=CapabilityType.PAINT_BOOTH, quantity=1
        )
        services[service.id], capabilities[capability.id] = org.id, org.id
    members, managers = {}, set()
    for user, org, member_role in (
        (users["owner_x"], org_x, MemberRole.OWNER),
        (users["staff_x"], org_x, MemberRole.STAFF),
        (users["owner_y"], org_y, MemberRole.OWNER),
    ):
        member = await make_member(org, user, member_role)
        members[member.id] = (org.id, user.id)
        if member_role in (MemberRole.OWNER, MemberRole.MANAGER):
            managers.add((org.id, user.id))
    skills = {}
    for name in ("labor_on", "labor_off"):
        skill = await UserSkill.create(
            user=users[name], skill_category=SkillCategory.PAINTING, skill_name="Paint", hourly_rate_cents=5_000
        )
        skills[skill.id] = users[name].id
    vehicle_a = await Vehicle.create(owner=users["customer_a"], year=1987, make="Buick", model="GN", vin="VIN-A")
    vehicle_b = await Vehicle.create(owner=users["customer_b"], year=1969, make="Ford", model="Mustang", vin="VIN-B")

    painters = [(users["labor_on"].id, "On"), (users["labor_off"].id, "Off")]
    plan = Plan(
        None,
        None,
        "UTC",
        START,
        START + timedelta(days=2),
        roles=(
            PlannedRole(
                matching.Role(SkillCategory.PAINTING, Proficiency.LEARNING, Decimal(20)),
                assignments=tuple(Assignment(u, n, SkillCategory.PAINTING, Decimal(10), ()) for u, n in painters),
            ),
        ),
    )
    breakdown = Breakdown(
        total_cents=200_000,
        service_price_cents=200_000,
        facility_fee_cents=40_000,
        materials_cents=0,
        labor_fee_cents=140_000,
        platform_fee_cents=20_000,
        split=Split(2000, 7000, 1000),
        labor=tuple(LaborLine(u, n, "painting", Decimal(10), 70_000) for u, n in painters),
    )
    bookings: dict[int, tuple[int, int | None]] = {}
    booking_vehicle: dict[int, int | None] = {}
    rows: dict[str, ServiceBooking] = {}
    for key, customer, org, vehicle in (
        ("a_x", users["customer_a"], org_x, vehicle_a),
        ("a_y", users["customer_a"], org_y, vehicle_a),
        ("b_x", users["customer_b"], org_x, vehicle_b),
        ("b_y", users["customer_b"], org_y, vehicle_b),
    ):
        row = await make_booking(
            org,
            customer,
            status=BookingStatus.SCHEDULED,
            start=START,
            days=2,
            vehicle=vehicle,
            **quote_values(plan, breakdown),
            # Non-empty, so that a leak of the work side's notes shows (the matrix skips empty values).
            facility_notes="Gate code 4821",
            labor_notes="Primer on the shelf by booth 2",
            excluded=[{"organization_id": org.id, "organization_name": org.name, "reason": "test"}],
        )
        rows[key] = row
        bookings[row.id] = (customer.id, org.id)
        booking_vehicle[row.id] = vehicle.id

    offers = {}
    for user, booking, status in (
        (users["labor_on"], rows["a_x"], JobOfferStatus.ACCEPTED),
        (users["labor_on"], rows["b_y"], JobOfferStatus.DECLINED),
    ):
        offer = await JobOffer.create(
            booking=booking,
            user=user,
            role=SkillCategory.PAINTING,
            hours=10,
            amount_cents=70_000,
            status=status,
            expires_at=START,
        )
        offers[offer.id] = (user.id, booking.id)

    blocks: dict[int, tuple[int, int | None, int | None]] = {}
    capability_x = next(c for c, o in capabilities.items() if o == org_x.id)
    capability_y = next(c for c, o in capabilities.items() if o == org_y.id)
    block_specs: list[tuple[Organization, ServiceBooking | None, int | None, User | None, ResourceType]] = [
        (org_x, rows["a_x"], capability_x, None, ResourceType.FACILITY_CAPABILITY),
        (org_x, rows["a_x"], None, users["labor_on"], ResourceType.USER_LABOR),
        (org_x, None, capability_x, None, ResourceType.FACILITY_CAPABILITY),  # maintenance, no booking
        (org_y, rows["b_y"], capability_y, None, ResourceType.FACILITY_CAPABILITY),
        (org_y, rows["b_y"], None, users["labor_on"], ResourceType.USER_LABOR),
    ]
    # One day apart: the same person works at both facilities, never at once (the database refuses overlaps).
    for day, (block_org, block_booking, block_capability, block_user, kind) in enumerate(block_specs):
        block = await CapacitySchedule.create(
            organization=block_org,
            booking=block_booking,
            capability_id=block_capability,
            user=block_user,
            resource_type=kind,
            start_time=START + timedelta(days=day),
            end_time=START + timedelta(days=day, hours=8),
            is_reserved=block_booking is not None,
            is_blocked=block_booking is None,
            notes="" if block_booking else "maintenance",
        )
        blocks[block.id] = (
            block_org.id,
            block_booking.id if block_booking else None,
            block_user.id if block_user else None,
        )

    contracts: dict[int, int] = {}
    distributions: dict[int, tuple[int, int | None]] = {}
    payments: dict[int, int] = {}
    for key in ("a_x", "b_y"):
        paid = rows[key]
        customer_id, org_id = bookings[paid.id]
        contract = await make_contract(
            paid,
            milestones=[{"name": "deposit", "percentage_bps": 10_000, "amount_cents": 200_000, "status": "paid"}],
            signatures=[{"party": "customer", "user_id": customer_id, "signed_at": START.isoformat()}],
            labor_user_ids=[users["labor_on"].id, users["labor_off"].id],
            labor_payments=[
                {"user_id": users["labor_on"].id, "amount_cents": 70_000},
                {"user_id": users["labor_off"].id, "amount_cents": 70_000},
            ],
        )
        contracts[contract.id] = paid.id
        parts = [
            Part(RecipientType.FACILITY, 40_000, organization_id=org_id),
            Part(RecipientType.LABOR, 70_000, user_id=users["labor_on"].id),
            Part(RecipientType.LABOR, 70_000, user_id=users["labor_off"].id),
            Part(RecipientType.PLATFORM, 20_000),
        ]
        record, transfers = await make_payment(contract, parts, last_error="card_declined")
        payments[record.id] = contract.id
        for transfer, part in zip(transfers, parts, strict=True):
            distributions[transfer.id] = (contract.id, part.user_id)

    history, reviews = {}, {}
    for booking in rows.values():
        change = await BookingStatusHistory.create(
            booking=booking, from_status=BookingStatus.QUOTE_READY, to_status=BookingStatus.SCHEDULED
        )
        history[change.id] = booking.id
        customer_id, org_id = bookings[booking.id]
        review = await Review.create(
            booking=booking,
            author_id=customer_id,
            subject_type=PartyType.FACILITY,
            subject_organization_id=org_id,
            score=5,
            comment="ok",
        )
        reviews[review.id] = booking.id

    roles = {"anonymous": Role("anonymous")}
    for name in names:
        user = users[name]
        roles[name] = Role(
            name,
            user_id=user.id,
            org_ids={o for o, u in members.values() if u == user.id},
            managed_org_ids={o for o, u in managers if u == user.id},
            is_admin=user.is_admin,
            offer_booking_ids={b for u, b in offers.values() if u == user.id},
            token=issue_token(user.id, user.token_version)[0],
        )
    return Market(
        roles=roles,
        org_x=org_x.id,
        org_y=org_y.id,
        users={name: u.id for name, u in users.items()},
        bookings=bookings,
        booking_vehicle=booking_vehicle,
        offers=offers,
        blocks=blocks,
        contracts=contracts,
        distributions=distributions,
        payments=payments,
        members=members,
        vehicles={vehicle_a.id: users["customer_a"].id, vehicle_b.id: users["customer_b"].id},
        history=history,
        reviews=reviews,
        skills=skills,
        services=services,
        capabilities=capabilities,
        crew={(users["labor_on"].id, rows["a_x"].id)},  # its accepted offer above
    )


async def snapshot() -> dict[str, tuple[int, str]]:
    """Row count and a checksum of every table the models know, whatever was added since."""
    conn = connections.get("default")
    result: dict[str, tuple[int, str]] = {}
    for app in Tortoise.apps.values():
        for model in app.values():
            table = model._meta.db_table
            rows = await conn.execute_query_dict(f'SELECT * FROM "{table}"')
            digest = hashlib.sha256("\n".join(sorted(repr(sorted(r.items())) for r in rows)).encode()).hexdigest()
            result[table] = (len(rows), digest)
    return result
