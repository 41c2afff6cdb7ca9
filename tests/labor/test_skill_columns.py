"""A skill's seed columns through GraphQL: written and read back, bad input refused with a typed error and
nothing written, and verification set only by an admin through verifySkill (with who and when)."""

from __future__ import annotations

from typing import Any

import pytest

from app.errors import DomainError, ErrorCode
from app.services import catalog
from app.services.access import viewer_for_user
from models import UserSkill
from models.enums import SkillCategory
from tests.factories import make_user
from tests.helpers import error_codes, gql, login

FIELDS = """id userId skillCategory availableHoursPerWeek preferredWorkSchedule minimumJobHours maxTravelDistanceMiles
  hasOwnTools isVerified verifiedAt verifiedBy { id fullName } portfolioImageUrls sampleWorkUrls
  certifications { name date }"""
ADD = f"mutation($input: SkillInput!) {{ addSkill(input: $input) {{ {FIELDS} }} }}"
UPDATE = f"mutation($id: Int!, $input: SkillUpdateInput!) {{ updateSkill(id: $id, input: $input) {{ {FIELDS} }} }}"
VERIFY = f"mutation($id: Int!, $v: Boolean!) {{ verifySkill(skillId: $id, verified: $v) {{ {FIELDS} }} }}"
PAINTING: dict[str, Any] = {
    "skillCategory": "PAINTING",
    "skillName": "Refinishing",
    "proficiencyLevel": "EXPERT",
    "availableHoursPerWeek": 30,
    "preferredWorkSchedule": "WEEKENDS",
    "minimumJobHours": 4,
    "maxTravelDistanceMiles": 40,
    "hasOwnTools": True,
    "portfolioImageUrls": ["https://img.example.test/gn.jpg"],
    "sampleWorkUrls": ["https://example.test/work/1"],
    "certifications": [{"name": "ASE Certified", "date": "2023-01-01"}, {"name": "I-CAR"}],
}


async def _signed_in(admin: bool = False) -> tuple[int, str]:
    user = await make_user(password="pw-123456", admin=admin)
    return user.id, await login(user.email, "pw-123456")


async def test_a_skill_carries_the_seed_columns() -> None:
    user_id, token = await _signed_in()
    added = await gql(ADD, {"input": PAINTING}, token=token)
    assert not added.get("errors"), added
    skill = added["data"]["addSkill"]
    assert skill == {
        "id": skill["id"],
        "userId": user_id,
        "skillCategory": "PAINTING",
        "availableHoursPerWeek": 30,
        "preferredWorkSchedule": "WEEKENDS",
        "minimumJobHours": 4,
        "maxTravelDistanceMiles": 40,
        "hasOwnTools": True,
        "isVerified": False,
        "verifiedAt": None,
        "verifiedBy": None,
        "portfolioImageUrls": ["https://img.example.test/gn.jpg"],
        "sampleWorkUrls": ["https://example.test/work/1"],
        "certifications": [{"name": "ASE Certified", "date": "2023-01-01"}, {"name": "I-CAR", "date": None}],
    }
    updated = await gql(
        UPDATE, {"id": skill["id"], "input": {"preferredWorkSchedule": "EVENINGS", "minimumJobHours": 3}}, token=token
    )
    assert updated["data"]["updateSkill"]["preferredWorkSchedule"] == "EVENINGS"
    assert updated["data"]["updateSkill"]["minimumJobHours"] == 3
    row = await UserSkill.get(id=skill["id"])
    assert row.preferred_work_schedule == "evenings" and row.certifications[0] == {
        "name": "ASE Certified",
        "date": "2023-01-01",
    }


async def test_the_seed_defaults_apply() -> None:
    _, token = await _signed_in()
    added = await gql(ADD, {"input": {"skillCategory": "WELDING", "skillName": "TIG"}}, token=token)
    skill = added["data"]["addSkill"]
    assert (skill["minimumJobHours"], skill["maxTravelDistanceMiles"], skill["preferredWorkSchedule"]) == (
        2,
        25,
        "FLEXIBLE",
    )
    assert (skill["hasOwnTools"], skill["isVerified"]) == (False, False)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"portfolioImageUrls": ["javascript:alert(1)"]}, "portfolioImageUrls"),
        ({"sampleWorkUrls": ["https://"]}, "sampleWorkUrls"),
        ({"sampleWorkUrls": ["https://example.test/a b"]}, "sampleWorkUrls"),
        ({"portfolioImageUrls": [f"https://example.test/{i}.jpg" for i in range(21)]}, "portfolioImageUrls"),
        ({"certifications": [{"name": "  "}]}, "certifications"),
        ({"certifications": [{"name": "Future", "date": "2199-01-01"}]}, "certifications"),
        ({"minimumJobHours": -1}, "minimumJobHours"),
        ({"availableHoursPerWeek": 169}, "availableHoursPerWeek"),
        ({"maxTravelDistanceMiles": -5}, "maxTravelDistanceMiles"),
    ],
)
async def test_bad_input_is_typed_and_writes_nothing(change: dict[str, Any], field: str) -> None:
    _, token = await _signed_in()
    result = await gql(ADD, {"input": {**PAINTING, **change}}, token=token)
    assert error_codes(result) == ["BAD_INPUT"], result
    assert result["errors"][0]["extensions"]["field"] == field
    assert await UserSkill.all().count() == 0


async def test_a_client_cannot_set_verification_in_its_input() -> None:
    _, token = await _signed_in()
    result = await gql(ADD, {"input": {**PAINTING, "isVerified": True}}, token=token)
    assert result.get("errors") and await UserSkill.all().count() == 0


async def test_only_an_admin_verifies_and_it_records_who_and_when() -> None:
    _, token = await _signed_in()
    skill_id = (await gql(ADD, {"input": PAINTING}, token=token))["data"]["addSkill"]["id"]

    own = await gql(VERIFY, {"id": skill_id, "v": True}, token=token)
    assert error_codes(own) == ["FORBIDDEN"]
    assert error_codes(await gql(VERIFY, {"id": skill_id, "v": True})) == ["UNAUTHENTICATED"]
    assert not (await UserSkill.get(id=skill_id)).is_verified

    admin_id, admin_token = await _signed_in(admin=True)
    verified = (await gql(VERIFY, {"id": skill_id, "v": True}, token=admin_token))["data"]["verifySkill"]
    assert verified["isVerified"] is True
    assert verified["verifiedBy"]["id"] == admin_id
    assert verified["verifiedAt"] is not None
    row = await UserSkill.get(id=skill_id)
    assert row.verified_by_id == admin_id and row.verified_at is not None

    # The owner's later edit does not touch the verification.
    await gql(UPDATE, {"id": skill_id, "input": {"minimumJobHours": 5}}, token=token)
    assert (await UserSkill.get(id=skill_id)).is_verified

    taken_back = (await gql(VERIFY, {"id": skill_id, "v": False}, token=admin_token))["data"]["verifySkill"]
    assert (taken_back["isVerified"], taken_back["verifiedBy"], taken_back["verifiedAt"]) == (False, None, None)


async def test_verifying_a_missing_skill_is_not_found() -> None:
    _, admin_token = await _signed_in(admin=True)
    assert error_codes(await gql(VERIFY, {"id": 999_999, "v": True}, token=admin_token)) == ["NOT_FOUND"]


async def test_the_service_refuses_verification_values_whatever_the_caller() -> None:
    user = await make_user()
    with pytest.raises(DomainError) as refused:
        await catalog.add_skill(
            viewer=await viewer_for_user(user),
            values={"skill_category": SkillCategory.PAINTING, "skill_name": "Paint", "is_verified": True},
        )
    assert refused.value.code is ErrorCode.FORBIDDEN
    assert await UserSkill.all().count() == 0
