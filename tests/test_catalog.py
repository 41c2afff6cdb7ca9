"""Catalog mutations: owners manage their organization; bad input is typed and writes nothing."""

from __future__ import annotations

import re
from typing import Any
from uuid import UUID

import pytest

from app.demo_seed import seed_demo
from models import Organization, OrganizationCapability, OrganizationService, UserSkill, Vehicle
from tests.helpers import error_codes, gql, login

ADD_CAPABILITY = """mutation($org: ID!, $input: CapabilityInput!) {
  addCapability(organizationId: $org, input: $input) { id capabilityType quantity hoursPerDay kind } }"""
ADD_SERVICE = """mutation($org: ID!, $input: ServiceInput!) {
  addService(organizationId: $org, input: $input) { id serviceName basePriceCents isActive } }"""


async def _viva_id() -> UUID:
    return (await Organization.get(name="Viva Las Vegas Autos")).id


async def _table_sizes() -> dict[str, int]:
    return {
        "organizations": await Organization.all().count(),
        "capabilities": await OrganizationCapability.all().count(),
        "services": await OrganizationService.all().count(),
        "skills": await UserSkill.all().count(),
        "vehicles": await Vehicle.all().count(),
    }


async def test_owner_manages_catalog_end_to_end() -> None:
    await seed_demo()
    token = await login("owner@demo.test")
    org = await _viva_id()
    added = await gql(
        ADD_CAPABILITY,
        {"org": org, "input": {"capabilityType": "ALIGNMENT_RACK", "quantity": 1, "hoursPerDay": 9}},
        token=token,
    )
    assert added["data"]["addCapability"]["kind"] == "TIME_SHARED"
    cap_id = added["data"]["addCapability"]["id"]
    updated = await gql(
        'mutation($id: ID!) { updateCapability(id: $id, input: {isOperational: false, maintenanceStart: "2026-12-01",'
        ' maintenanceEnd: "2026-12-03"}) { isOperational maintenanceStart maintenanceEnd } }',
        {"id": cap_id},
        token=token,
    )
    assert updated["data"]["updateCapability"] == {
        "isOperational": False,
        "maintenanceStart": "2026-12-01",
        "maintenanceEnd": "2026-12-03",
    }
    service = await gql(
        ADD_SERVICE,
        {
            "org": org,
            "input": {
                "serviceName": "Wheel alignment",
                "serviceType": "MECHANICAL_REPAIR",
                "basePriceCents": 12000,
                "requiredCapabilities": [{"capabilityType": "ALIGNMENT_RACK", "hours": 1.5}],
            },
        },
        token=token,
    )
    service_id = service["data"]["addService"]["id"]
    deactivated = await gql(
        "mutation($id: ID!) { deactivateService(id: $id) { isActive } }", {"id": service_id}, token=token
    )
    assert deactivated["data"]["deactivateService"]["isActive"] is False
    org_update = await gql(
        'mutation($id: ID!) { updateOrganization(id: $id, input: {tags: ["bodywork", "alignment"]}) { tags } }',
        {"id": org},
        token=token,
    )
    assert org_update["data"]["updateOrganization"]["tags"] == ["bodywork", "alignment"]


async def test_creating_an_organization_makes_the_creator_its_owner() -> None:
    await seed_demo()
    token = await login("customer@demo.test")
    result = await gql(
        'mutation { createOrganization(input: {name: "Carla Garage", timezone: "America/Denver"}) {'
        " name members { role user { email } } } }",
        token=token,
    )
    assert result["data"]["createOrganization"]["members"] == [
        {"role": "OWNER", "user": {"email": "customer@demo.test"}}
    ]


async def test_skills_and_vehicles_belong_to_the_viewer() -> None:
    await seed_demo()
    token = await login("customer@demo.test")
    skill = await gql(
        'mutation { addSkill(input: {skillCategory: DETAILING, skillName: "Hand wash", proficiencyLevel: LEARNING})'
        " { id skillName } }",
        token=token,
    )
    skill_id = skill["data"]["addSkill"]["id"]
    raised = await gql(
        "mutation($id: ID!) { updateSkill(id: $id, input: {proficiencyLevel: PROFICIENT, hourlyRateCents: 3000}) {"
        " proficiencyLevel hourlyRateCents } }",
        {"id": skill_id},
        token=token,
    )
    assert raised["data"]["updateSkill"] == {"proficiencyLevel": "PROFICIENT", "hourlyRateCents": 3000}
    painter = await login("painter@demo.test")
    foreign = await gql(
        "mutation($id: ID!) { updateSkill(id: $id, input: {hourlyRateCents: 1}) { id } }",
        {"id": skill_id},
        token=painter,
    )
    assert error_codes(foreign) == ["FORBIDDEN"]
    vehicle = await gql(
        'mutation { registerVehicle(input: {year: 1970, make: "Chevrolet", model: "Chevelle", valueCents: 5500000})'
        " { id owner { fullName } } }",
        token=token,
    )
    assert vehicle["data"]["registerVehicle"]["owner"]["fullName"] == "Carla Customer"


async def test_a_stranger_cannot_change_another_organization() -> None:
    await seed_demo()
    token = await login("painter@demo.test")
    result = await gql(ADD_CAPABILITY, {"org": await _viva_id(), "input": {"capabilityType": "WASH_BAY"}}, token=token)
    assert error_codes(result) == ["FORBIDDEN"]


async def test_anonymous_writes_need_sign_in() -> None:
    result = await gql('mutation { createOrganization(input: {name: "X"}) { id } }')
    assert error_codes(result) == ["UNAUTHENTICATED"]


BAD_INPUTS: list[tuple[str, str, dict[str, Any], str]] = [
    ("negative quantity", ADD_CAPABILITY, {"capabilityType": "VEHICLE_LIFT", "quantity": -1}, "quantity"),
    ("hours over 24", ADD_CAPABILITY, {"capabilityType": "VEHICLE_LIFT", "hoursPerDay": 25}, "hoursPerDay"),
    ("enum outside vocabulary", ADD_CAPABILITY, {"capabilityType": "TIME_MACHINE"}, "capabilityType"),
    (
        "malformed date",
        ADD_CAPABILITY,
        {"capabilityType": "VEHICLE_LIFT", "maintenanceStart": "2026-13-45"},
        "maintenanceStart",
    ),
    (
        "end before start",
        ADD_CAPABILITY,
        {"capabilityType": "VEHICLE_LIFT", "maintenanceStart": "2026-12-05", "maintenanceEnd": "2026-12-01"},
        "maintenanceEnd",
    ),
    (
        "negative price",
        ADD_SERVICE,
        {"serviceName": "X", "serviceType": "BODYWORK", "basePriceCents": -5},
        "basePriceCents",
    ),
    (
        "date outside 1900-2200",
        ADD_CAPABILITY,
        {"capabilityType": "VEHICLE_LIFT", "maintenanceStart": "1850-01-01"},
        "maintenanceStart",
    ),
    (
        "name past its column",
        ADD_SERVICE,
        {"serviceName": "x" * 5000, "serviceType": "BODYWORK", "basePriceCents": 100},
        "serviceName",
    ),
]


@pytest.mark.parametrize(("case", "mutation", "payload", "field"), BAD_INPUTS, ids=[c[0] for c in BAD_INPUTS])
async def test_bad_input_is_typed_and_writes_nothing(
    case: str, mutation: str, payload: dict[str, Any], field: str
) -> None:
    await seed_demo()
    token = await login("owner@demo.test")
    before = await _table_sizes()
    result = await gql(mutation, {"org": await _viva_id(), "input": payload}, token=token)
    assert error_codes(result) == ["BAD_INPUT"], result
    error = result["errors"][0]
    assert error["extensions"].get("field") == field, error  # as the schema names it (basePriceCents)
    assert not re.search(r"\b[a-z]+_[a-z_]+\b", error["message"]), error  # no Python names in the message
    assert await _table_sizes() == before


UNKNOWN = "00000000-0000-4000-8000-000000424242"


async def test_unknown_organization_id_is_not_found_and_writes_nothing() -> None:
    await seed_demo()
    token = await login("admin@demo.test")
    before = await _table_sizes()
    result = await gql(
        ADD_CAPABILITY,
        {"org": UNKNOWN, "input": {"capabilityType": "WASH_BAY"}},
        token=token,
    )
    assert error_codes(result) == ["NOT_FOUND"]
    assert result["errors"][0]["extensions"]["field"] == "organizationId"
    assert await _table_sizes() == before
