"""The SQL statements of a nested query do not grow with the number of rows."""

from __future__ import annotations

from app.security import hash_password
from models import Organization, OrganizationCapability, OrganizationMember, OrganizationService, User
from models.enums import CapabilityType, MemberRole, ServiceType
from tests.helpers import count_queries, gql, login

NESTED = """{ organizations(limit: 100) { totalCount nodes { name
  services { serviceName organization { name } }
  capabilities { capabilityType organization { name } }
  members { role user { fullName skills { skillName } } } } } }"""


async def _market(size: int) -> str:
    admin = await User.create(
        email="root@example.test", password_hash=hash_password("pw-123456"), full_name="Root", is_admin=True
    )
    for i in range(size):
        org = await Organization.create(name=f"Shop {i:03}")
        await OrganizationService.create(organization=org, service_name="Paint", service_type=ServiceType.PAINT)
        await OrganizationService.create(organization=org, service_name="Body", service_type=ServiceType.BODY_WORK)
        await OrganizationCapability.create(organization=org, capability_type=CapabilityType.VEHICLE_LIFT, quantity=2)
        owner = await User.create(email=f"o{i}@example.test", password_hash="x", full_name=f"Owner {i}")
        await OrganizationMember.create(organization=org, user=owner, role=MemberRole.OWNER)
    return await login(admin.email, "pw-123456")


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
