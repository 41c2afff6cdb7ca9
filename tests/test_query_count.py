"""The SQL statements of a nested query do not grow with the number of rows, and the README's headline
query issues exactly the pinned number of statements (a change that adds a round trip fails here)."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from models import (
    Organization,
    OrganizationCapability,
    OrganizationMember,
    OrganizationService,
    User,
)
from models.enums import BookingStatus, CapabilityType, RecipientType, ServiceType
from tests.factories import (
    VEGAS,
    Part,
    make_booking,
    make_capability,
    make_contract,
    make_org,
    make_payment,
    make_service,
    make_user,
)
from tests.helpers import count_queries, gql, login

NESTED = """{ organizations(first: 100) { totalCount nodes { name
  services { serviceName organization { name } }
  capabilities { capabilityType organization { name } }
  members { role user { fullName } } } } }"""

README = Path(__file__).resolve().parents[1] / "README.md"
PASSWORD = "pw-123456"

# Statements of the README's headline query, whatever the number of organizations, bookings and payments:
# the viewer (its user, memberships and whether it has skills: 3), the organizations its filter finds (1: the
# distance is decided in Python), then one batch per relation: services, capabilities, members, the members'
# users, contracts, payment distributions (6), and the bookings connection (its window-function page, the rows,
# the totals: 3; one visibility filter serves every organization, the owner's shop and the others alike).
HEADLINE_STATEMENTS = {"admin": 13, "owner": 13}


def headline_query() -> str:
    """The first GraphQL block of the README that asks for `organizations` (the marketplace as one graph)."""
    blocks = re.findall(r"```graphql\n(.*?)```", README.read_text(), flags=re.DOTALL)
    return str(next(b for b in blocks if b.lstrip().startswith("{") and "organizations(" in b))


async def _market(size: int) -> str:
    admin = await make_user("Root", email="root@example.test", password=PASSWORD, admin=True)
    for i in range(size):
        owner = await make_user(f"Owner {i}")
        org = await make_org(owner=owner, name=f"Shop {i:03}")
        await OrganizationService.create(organization=org, service_name="Paint", service_type=ServiceType.BODYWORK)
        await OrganizationService.create(organization=org, service_name="Body", service_type=ServiceType.BODYWORK)
        await OrganizationCapability.create(organization=org, capability_type=CapabilityType.VEHICLE_LIFT, quantity=2)
    return await login(admin.email, PASSWORD)


async def _statements(size: int) -> tuple[int, dict[str, object]]:
    token = await _market(size)
    with count_queries() as statements:
        result = await gql(NESTED, token=token)
    assert not result.get("errors"), result
    return len(statements), result


async def test_three_level_query_issues_the_same_statements_for_1_and_50_organizations() -> None:
    one, result_one = await _statements(1)
    assert result_one["data"]["organizations"]["totalCount"] == 1  # type: ignore[index]
    await _reset()
    fifty, result_fifty = await _statements(50)
    nodes = result_fifty["data"]["organizations"]["nodes"]  # type: ignore[index]
    assert len(nodes) == 50 and all(len(n["members"]) == 1 and len(n["services"]) == 2 for n in nodes)
    assert one == fifty


async def _reset() -> None:
    for model in (OrganizationMember, OrganizationService, OrganizationCapability, Organization, User):
        await model.all().delete()


async def _paint_shop_with_paid_work(index: int, customer: User, *, owner: User | None = None) -> Organization:
    """A paint shop near Las Vegas (so the README's filter finds it) with two bookings under contract, each
    with its facility, labor and platform payments."""
    owner = owner or await make_user(f"Owner {index}")
    org = await make_org(owner=owner, name=f"Paint Shop {index:03}", at=VEGAS)
    await make_service(org)
    await make_capability(org, CapabilityType.PAINT_BOOTH)
    await make_capability(org, CapabilityType.VEHICLE_LIFT, quantity=4)
    start = datetime(2030, 1, 7, 15, tzinfo=UTC)
    for _ in range(2):
        booking = await make_booking(org, customer, status=BookingStatus.SCHEDULED, start=start)
        contract = await make_contract(booking)
        for milestone in ("deposit", "midpoint"):
            await make_payment(
                contract,
                [
                    Part(RecipientType.FACILITY, 40_000, organization_id=org.id),
                    Part(RecipientType.LABOR, 140_000),
                    Part(RecipientType.PLATFORM, 20_000),
                ],
                milestone=milestone,
            )
    return org


async def _headline(token: str) -> tuple[int, dict[str, Any]]:
    with count_queries() as statements:
        result = await gql(headline_query(), token=token)
    assert not result.get("errors"), result
    return len(statements), result["data"]


async def test_the_readme_headline_query_issues_the_pinned_statements_at_any_size() -> None:
    customer = await make_user("Carla")
    owner = await make_user("Vince", email="vince@example.test", password=PASSWORD)
    await make_user("Root", email="root@example.test", password=PASSWORD, admin=True)
    await _paint_shop_with_paid_work(0, customer, owner=owner)
    admin_token, owner_token = await login("root@example.test", PASSWORD), await login("vince@example.test", PASSWORD)

    small = {"admin": await _headline(admin_token), "owner": await _headline(owner_token)}
    for i in range(1, 12):
        await _paint_shop_with_paid_work(i, customer)
    large = {"admin": await _headline(admin_token), "owner": await _headline(owner_token)}

    page = large["admin"][1]["organizations"]
    assert page["totalCount"] == 12 and len(page["nodes"]) == 12
    node = page["nodes"][0]
    assert len(node["services"]) == 1 and len(node["capabilities"]) == 2 and len(node["members"]) == 1
    assert [len(b["contract"]["paymentDistributions"]) for b in node["bookings"]["nodes"]] == [2, 2]
    distributions = [d for b in node["bookings"]["nodes"] for d in b["contract"]["paymentDistributions"]]
    assert {d["totalAmountCents"] for d in distributions} == {200_000}
    own = [n for n in large["owner"][1]["organizations"]["nodes"] if n["bookings"]["nodes"]]
    assert [n["name"] for n in own] == ["Paint Shop 000"]  # the owner sees only their own shop's bookings

    assert {who: count for who, (count, _) in small.items()} == HEADLINE_STATEMENTS
    assert {who: count for who, (count, _) in large.items()} == HEADLINE_STATEMENTS


BOOKING_NOTES = """query($org: Int!) { serviceBookings(organizationId: $org, first: 100) { nodes {
  title customerNotes facilityNotes laborNotes assignedLaborUsers { userId } assignedCapabilities { capabilityId }
} } }"""


async def test_a_bookings_notes_and_assignments_cost_the_same_statements_for_1_and_10_bookings() -> None:
    owner = await make_user("Nora", email="nora@example.test", password=PASSWORD)
    org = await make_org(owner=owner)
    customer = await make_user("Cal")
    token = await login("nora@example.test", PASSWORD)

    async def statements() -> int:
        with count_queries() as seen:
            result = await gql(BOOKING_NOTES, {"org": org.id}, token=token)
        assert not result.get("errors"), result
        assert all(n["facilityNotes"] == "Gate 2" for n in result["data"]["serviceBookings"]["nodes"])
        return len(seen)

    await make_booking(org, customer, facility_notes="Gate 2")
    one = await statements()
    for _ in range(9):
        await make_booking(org, customer, facility_notes="Gate 2")
    assert await statements() == one  # the work notes' crew check reads every booking's offers in one batch
