"""signUp: validated, Argon2id, signed in at once, a taken email a bare CONFLICT, rate limited per address; then any
signed-in user can create an organization and owns it."""

from __future__ import annotations

from typing import Any

import pytest

from app.auth_limiter import SIGN_UP_LIMIT
from models import OrganizationMember, User
from models.enums import AccountType, MemberRole
from tests.helpers import error_codes, gql

SIGN_UP = """mutation($input: SignUpInput!) { signUp(input: $input) { token viewer { roles user { id fullName } } } }"""
VIEWER = "{ viewer { roles user { id } } }"
CREATE_ORG = """mutation { createOrganization(input: {name: "Desert Customs", timezone: "America/Phoenix"})
  { id name members { role user { id } } } }"""


def account(**overrides: Any) -> dict[str, Any]:
    return {"email": "Rosa@Example.test ", "password": "candy-apple-red", "fullName": "Rosa Delgado", **overrides}


async def test_a_labor_account_is_created_signed_in_and_hashed_with_argon2id() -> None:
    result = await gql(SIGN_UP, {"input": account(role="LABOR")})
    assert not result.get("errors"), result
    payload = result["data"]["signUp"]
    assert payload["viewer"]["roles"] == ["customer", "labor"]
    user = await User.get(email="rosa@example.test")  # stored trimmed and lowercased
    assert user.password_hash.startswith("$argon2id$") and "candy" not in user.password_hash
    assert user.account_type == AccountType.LABOR
    again = await gql(VIEWER, token=payload["token"])
    assert again["data"]["viewer"]["user"]["id"] == user.id
    assert "labor" in again["data"]["viewer"]["roles"]  # kept after a fresh sign-in, before any skill


async def test_a_customer_account_by_default() -> None:
    result = await gql(SIGN_UP, {"input": account()})
    assert result["data"]["signUp"]["viewer"]["roles"] == ["customer"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"email": "not-an-email"}, "email"),
        ({"email": "a@b"}, "email"),
        ({"email": "x" * 250 + "@e.test"}, "email"),
        ({"password": "short-pw"}, "password"),
        ({"password": "p" * 129}, "password"),
        ({"password": "abababababab"}, "password"),  # two different characters
        ({"password": "my-rosa-password"}, "password"),  # the email's name in it
        ({"fullName": "   "}, "fullName"),
    ],
)
async def test_bad_input_is_typed_and_creates_nothing(change: dict[str, Any], field: str) -> None:
    result = await gql(SIGN_UP, {"input": account(**change)})
    assert error_codes(result) == ["BAD_INPUT"], result
    assert result["errors"][0]["extensions"]["field"] == field
    assert await User.all().count() == 0


async def test_a_taken_email_is_a_conflict_that_says_nothing_else() -> None:
    first = await gql(SIGN_UP, {"input": account()})
    assert not first.get("errors")
    second = await gql(SIGN_UP, {"input": account(email="ROSA@example.test", fullName="Someone Else")})
    assert error_codes(second) == ["CONFLICT"]
    message = second["errors"][0]["message"]
    assert "Rosa Delgado" not in message and "rosa@example.test" not in message.lower()
    assert second["data"] is None
    assert await User.all().count() == 1


async def test_sign_ups_are_rate_limited_per_address() -> None:
    for i in range(SIGN_UP_LIMIT):
        result = await gql(SIGN_UP, {"input": account(email=f"bad-{i}")})  # refused attempts count too
        assert error_codes(result) == ["BAD_INPUT"]
    limited = await gql(SIGN_UP, {"input": account()})
    assert error_codes(limited) == ["RATE_LIMITED"]
    assert await User.all().count() == 0


async def test_any_signed_in_user_creates_an_organization_and_owns_it() -> None:
    token = (await gql(SIGN_UP, {"input": account(role="LABOR")}))["data"]["signUp"]["token"]
    created = await gql(CREATE_ORG, token=token)
    assert not created.get("errors"), created
    org = created["data"]["createOrganization"]
    user = await User.get(email="rosa@example.test")
    assert org["members"] == [{"role": "OWNER", "user": {"id": user.id}}]
    assert await OrganizationMember.filter(organization_id=org["id"], user_id=user.id, role=MemberRole.OWNER).exists()
    roles = (await gql(VIEWER, token=token))["data"]["viewer"]["roles"]
    assert "facility_owner" in roles


async def test_anonymous_cannot_create_an_organization() -> None:
    assert error_codes(await gql(CREATE_ORG)) == ["UNAUTHENTICATED"]


async def test_two_sign_ups_with_one_email_at_once_leave_one_account(monkeypatch: pytest.MonkeyPatch) -> None:
    assert not (await gql(SIGN_UP, {"input": account()})).get("errors")

    async def nobody_yet(*args: Any, **kwargs: Any) -> bool:  # the other sign-up has not committed when we look
        return False

    monkeypatch.setattr(User, "exists", nobody_yet)
    second = await gql(SIGN_UP, {"input": account()})
    assert error_codes(second) == ["CONFLICT"]  # the unique key decides, and the answer is the same
    assert await User.all().count() == 1
