"""schema.graphql is the exported schema; this fails when the code and the file drift apart."""

from __future__ import annotations

import pytest

from app.export_schema import SCHEMA_FILE, sdl

pytestmark = pytest.mark.pure  # no database


def test_exported_schema_matches_the_code() -> None:
    assert SCHEMA_FILE.exists(), "run `make schema` to export schema.graphql"
    assert SCHEMA_FILE.read_text() == sdl(), "schema.graphql is stale: run `make schema` and commit it"


def test_public_contract_names_are_present() -> None:
    text = sdl()
    for name in ("viewer", "organization(", "organizations(", "serviceBooking(", "serviceBookings(", "login("):
        assert name in text, name


def test_every_error_code_a_client_can_meet_is_in_the_schema() -> None:
    from graphql import GraphQLEnumType, build_schema

    from app.errors import ErrorCode

    listed = build_schema(sdl()).type_map["ErrorCode"]
    assert isinstance(listed, GraphQLEnumType)
    assert set(listed.values) == {code.value for code in ErrorCode}
    assert {"CAPACITY_UNAVAILABLE", "QUOTE_EXPIRED", "NO_FEASIBLE_OPTION", "INTERNAL_SERVER_ERROR"} <= set(
        listed.values
    )
