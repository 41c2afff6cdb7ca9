"""Two costs every request used to pay: validation that never hit its cache, and a request context kept alive
by a reference cycle in graphql-core's executor until the cyclic collector ran."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator
from typing import Any

import pytest
from strawberry.extensions.validation_cache import _get_validate_cache

from app.graphql_app import GraphQLApp
from app.security import hash_password
from models import Organization, OrganizationService, User
from models.enums import ServiceType
from schema.context import Context
from schema.limits import VALIDATION_CACHE_SIZE
from tests.helpers import gql, login

QUERY = "{ organizations(first: 5) { nodes { id name services { id serviceName } } } }"


async def _market() -> str:
    await User.create(email="ada@example.test", password_hash=hash_password("pw-123456"), full_name="Ada")
    for i in range(3):
        org = await Organization.create(name=f"Shop {i}")
        await OrganizationService.create(organization=org, service_name="Paint", service_type=ServiceType.BODYWORK)
    return await login("ada@example.test", "pw-123456")


async def test_a_repeated_query_is_validated_once() -> None:
    token = await _market()
    cache: Any = _get_validate_cache(VALIDATION_CACHE_SIZE)  # an lru_cache, whatever its annotation says
    first = await gql(QUERY, token=token)
    assert not first.get("errors"), first
    before = cache.cache_info()
    for _ in range(3):
        assert (await gql(QUERY, token=token))["data"] == first["data"]
    after = cache.cache_info()
    assert after.hits - before.hits == 3
    assert after.misses == before.misses


async def test_the_limits_still_refuse_a_too_deep_query_served_from_the_cache() -> None:
    deep = "{ organizations { nodes { services { organization { services { organization { services { organization "
    deep += "{ services { organization { services { organization { name } } } } } } } } } } } } }"
    for _ in range(2):
        result = await gql(deep)
        assert result["data"] is None and "exceeds maximum operation depth" in result["errors"][0]["message"]


@pytest.fixture
def contexts(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[weakref.ref[Context]]]:
    """Weak references to the context of every request the HTTP view serves, with the cyclic collector off."""
    refs: list[weakref.ref[Context]] = []
    original = GraphQLApp.get_context

    async def remembering(self: GraphQLApp, request: Any, response: Any = None) -> Context:
        context = await original(self, request, response)
        refs.append(weakref.ref(context))
        return context

    monkeypatch.setattr(GraphQLApp, "get_context", remembering)
    gc.collect()
    gc.disable()
    try:
        yield refs
    finally:
        gc.enable()


async def test_the_request_context_is_freed_when_the_request_ends(contexts: list[weakref.ref[Context]]) -> None:
    token = await _market()
    result = await gql(QUERY, token=token)
    assert len(result["data"]["organizations"]["nodes"]) == 3
    assert len(contexts) == 2  # the sign-in, then the query
    # No gc.collect(): reference counting alone must free the context, its loaders and their rows.
    assert [ref() for ref in contexts] == [None, None]


async def test_a_failed_request_frees_its_context_too(contexts: list[weakref.ref[Context]]) -> None:
    result = await gql("{ organization(id: 987654) { id services { id } } }")
    assert result["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    assert len(contexts) == 1
    assert contexts[0]() is None
