"""GraphQL over HTTP through the real view: unreadable requests, media types and status codes, one operation
per request, automatic persisted queries, unstorable text, and how client errors are logged."""

from __future__ import annotations

import hashlib
import json
import logging
from typing import Any

import httpx
import pytest
from starlette.types import Message

from app.graphql_http import MAX_JSON_DEPTH
from app.main import app
from app.persisted_queries import NOT_FOUND_MESSAGE, PersistedQueries, PersistedQueryError
from app.security import hash_password
from models import Organization, User
from tests.helpers import login

GRAPHQL_RESPONSE = "application/graphql-response+json"
CREATE_ORG = 'mutation M { createOrganization(input: {name: "Twice Motors"}) { id } }'


def client() -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test")


def deep(levels: int) -> bytes:
    return b"[" * levels + b"]" * levels


MALFORMED: list[tuple[str, bytes]] = [
    ("null", b"null"),
    ("number", b"42"),
    ("string", b'"{ viewer { roles } }"'),
    ("list", b'[{"query": "{ viewer { roles } }"}]'),
    ("invalid UTF-8", b'{"query": "{ viewer { roles } }\xff\xfe"}'),
    ("5,000-deep JSON", deep(5000)),
    ("5,000-deep variables", b'{"query": "{ viewer { roles } }", "variables": {"a": ' + deep(5000) + b"}}"),
    ("deeper than the limit", b'{"query": "{ viewer { roles } }", "variables": {"a": ' + deep(MAX_JSON_DEPTH) + b"}}"),
    ("NaN", b'{"query": "{ viewer { roles } }", "variables": {"a": NaN}}'),
    ("truncated", b'{"query": "{ viewer'),
    ("empty", b""),
    ("query not a string", b'{"query": 7}'),
    ("operationName not a string", b'{"query": "{ viewer { roles } }", "operationName": ["x"]}'),
    ("variables not an object", b'{"query": "{ viewer { roles } }", "variables": "x"}'),
    ("extensions not an object", b'{"query": "{ viewer { roles } }", "extensions": 0}'),
    ("no query", b'{"qeury": "{ viewer { roles } }"}'),
]


@pytest.mark.parametrize("accept", ["application/json", GRAPHQL_RESPONSE])
@pytest.mark.parametrize(("case", "body"), MALFORMED, ids=[c[0] for c in MALFORMED])
async def test_unreadable_bodies_are_400_with_a_graphql_error(case: str, body: bytes, accept: str) -> None:
    async with client() as c:
        response = await c.post(
            "/graphql", content=body, headers={"content-type": "application/json", "accept": accept}
        )
    assert response.status_code == 400, response.text
    assert response.headers["content-type"].startswith(accept)
    payload = response.json()
    assert "data" not in payload
    assert [e["extensions"]["code"] for e in payload["errors"]] == ["BAD_INPUT"]


async def test_media_types_and_unsupported_requests() -> None:
    async with client() as c:
        no_type = await c.post("/graphql", content=b'{"query": "{ __typename }"}')
        text = await c.post("/graphql", content=b"{ __typename }", headers={"content-type": "text/plain"})
        unacceptable = await c.post("/graphql", json={"query": "{ __typename }"}, headers={"accept": "text/csv"})
        preferred = await c.post(
            "/graphql",
            json={"query": "{ __typename }"},
            headers={"accept": f"application/json;q=0.5, {GRAPHQL_RESPONSE}"},
        )
        get_mutation = await c.get("/graphql", params={"query": "mutation { logout }"})
    assert no_type.status_code == text.status_code == 415
    assert unacceptable.status_code == 406
    assert preferred.status_code == 200 and preferred.headers["content-type"] == GRAPHQL_RESPONSE
    assert get_mutation.status_code == 405 and get_mutation.headers["allow"] == "POST"
    for response in (no_type, text, unacceptable, get_mutation):
        assert response.json()["errors"][0]["extensions"]["code"] == "BAD_INPUT"


REQUEST_ERRORS = [
    ("parse", {"query": "{"}),
    ("validation", {"query": "{ noSuchField }"}),
    (
        "variable coercion",
        {"query": "query($id: ID!) { organization(id: $id) { id } }", "variables": {"id": {"not": "an id"}}},
    ),
    ("unknown operation", {"query": "query A { __typename }", "operationName": "B"}),
]


@pytest.mark.parametrize(("case", "body"), REQUEST_ERRORS, ids=[c[0] for c in REQUEST_ERRORS])
async def test_request_errors_are_400_without_data_for_graphql_response_json(case: str, body: dict[str, Any]) -> None:
    async with client() as c:
        modern = await c.post("/graphql", json=body, headers={"accept": GRAPHQL_RESPONSE})
        legacy = await c.post("/graphql", json=body, headers={"accept": "application/json"})
    assert modern.status_code == 400 and "data" not in modern.json(), modern.text
    assert modern.json()["errors"][0]["extensions"]["code"] == "BAD_INPUT"
    if case != "unknown operation":  # an operation that does not exist is no GraphQL request at all
        assert legacy.status_code == 200 and legacy.json()["errors"], legacy.text
    assert legacy.headers["content-type"] == "application/json"


async def test_field_errors_keep_200_and_data_for_graphql_response_json() -> None:
    async with client() as c:
        response = await c.post(
            "/graphql",
            json={"query": '{ organization(id: "00000000-0000-4000-8000-00000000abcd") { id } }'},
            headers={"accept": GRAPHQL_RESPONSE},
        )
    assert response.status_code == 200
    assert "data" in response.json() and response.json()["errors"][0]["extensions"]["code"] == "NOT_FOUND"


async def _owner_token() -> str:
    await User.create(email="multi@http.test", password_hash=hash_password("right-pass-1"), full_name="Multi")
    return await login("multi@http.test", "right-pass-1")


async def test_several_operations_without_operation_name_are_refused_and_run_nothing() -> None:
    token = await _owner_token()
    document = f"{CREATE_ORG} query Q {{ viewer {{ roles }} }}"
    headers = {"authorization": f"Bearer {token}"}
    async with client() as c:
        refused = await c.post("/graphql", json={"query": document}, headers=headers)
        named = await c.post("/graphql", json={"query": document, "operationName": "Q"}, headers=headers)
    assert refused.json()["data"] is None
    assert refused.json()["errors"][0]["extensions"]["code"] == "BAD_INPUT"
    assert "operationName" in refused.json()["errors"][0]["message"]
    assert await Organization.filter(name="Twice Motors").count() == 0
    assert named.json() == {"data": {"viewer": {"roles": ["customer"]}}}


async def test_unstorable_text_is_refused_with_the_argument_path_and_writes_nothing() -> None:
    token = await _owner_token()
    headers = {"authorization": f"Bearer {token}"}
    mutation = "mutation($payload: OrganizationInput!) { createOrganization(input: $payload) { id } }"
    async with client() as c:
        for bad in ("Lone \ud800 surrogate", "NUL \x00 byte"):
            body = json.dumps({"query": mutation, "variables": {"payload": {"name": bad}}}).encode()
            response = await c.post("/graphql", content=body, headers={**headers, "content-type": "application/json"})
            error = response.json()["errors"][0]
            assert error["extensions"] == {"code": "BAD_INPUT", "field": "name", "argument": "input.name"}, error
    assert await Organization.all().count() == 0


def _sha(query: str) -> str:
    return hashlib.sha256(query.encode()).hexdigest()


async def test_automatic_persisted_queries_over_get_and_post() -> None:
    query = "query Roles { viewer { roles } }"
    persisted = {"persistedQuery": {"version": 1, "sha256Hash": _sha(query)}}
    async with client() as c:
        unknown_get = await c.get("/graphql", params={"extensions": json.dumps(persisted)})
        unknown_post = await c.post("/graphql", json={"extensions": persisted}, headers={"accept": GRAPHQL_RESPONSE})
        mismatch = await c.post("/graphql", json={"query": "{ __typename }", "extensions": persisted})
        stored = await c.post("/graphql", json={"query": query, "extensions": persisted})
        by_hash_get = await c.get("/graphql", params={"extensions": json.dumps(persisted)})
        by_hash_post = await c.post("/graphql", json={"extensions": persisted})
        signed_in = await c.get(
            "/graphql", params={"extensions": json.dumps(persisted)}, headers={"authorization": "Bearer x"}
        )
    for response in (unknown_get, unknown_post):
        error = response.json()["errors"][0]
        assert error["message"] == NOT_FOUND_MESSAGE and error["extensions"]["code"] == "PERSISTED_QUERY_NOT_FOUND"
    assert unknown_get.status_code == 200 and unknown_post.status_code == 400
    assert mismatch.json()["errors"][0]["extensions"]["code"] == "BAD_INPUT"
    for response in (stored, by_hash_get, by_hash_post):
        assert response.json() == {"data": {"viewer": {"roles": []}}}, response.text
    # An anonymous GET answers alike for everyone: cacheable. Anything signed in or failed is never stored.
    assert by_hash_get.headers["cache-control"] == "public, max-age=60"
    assert "authorization" in by_hash_get.headers["vary"]
    assert unknown_get.headers["cache-control"] == "no-store"
    assert signed_in.headers["cache-control"] == "no-store"


def test_the_persisted_query_store_is_a_bounded_lru() -> None:
    store = PersistedQueries(max_entries=2)
    queries = ["{ a }", "{ b }", "{ c }"]
    for query in queries[:2]:
        store.resolve(query, {"persistedQuery": {"version": 1, "sha256Hash": _sha(query)}})
    store.resolve(None, {"persistedQuery": {"version": 1, "sha256Hash": _sha("{ a }")}})  # a is now recent
    store.resolve(queries[2], {"persistedQuery": {"version": 1, "sha256Hash": _sha(queries[2])}})
    assert len(store) == 2
    assert store.resolve(None, {"persistedQuery": {"version": 1, "sha256Hash": _sha("{ a }")}}) == "{ a }"
    with pytest.raises(PersistedQueryError):
        store.resolve(None, {"persistedQuery": {"version": 1, "sha256Hash": _sha("{ b }")}})
    with pytest.raises(PersistedQueryError):
        store.resolve("{ a }", {"persistedQuery": {"version": 2, "sha256Hash": _sha("{ a }")}})


async def test_client_errors_and_disconnects_are_logged_in_one_line(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO):
        async with client() as c:
            await c.post("/graphql", json={"query": "{ noSuchField }"})
            await c.post("/graphql", content=b"null", headers={"content-type": "application/json"})
            await c.post(
                "/graphql", json={"query": '{ organization(id: "00000000-0000-4000-8000-00000000abcd") { id } }'}
            )
        sent: list[Message] = []

        async def disconnect() -> Message:
            return {"type": "http.disconnect"}

        async def send(message: Message) -> None:
            sent.append(message)

        scope = {
            "type": "http",
            "method": "POST",
            "path": "/graphql",
            "raw_path": b"/graphql",
            "query_string": b"",
            "headers": [(b"content-type", b"application/json"), (b"host", b"test")],
            "client": ("127.0.0.1", 1234),
            "server": ("test", 80),
            "scheme": "http",
            "root_path": "",
            "http_version": "1.1",
            "asgi": {"version": "3.0"},
        }
        await app(scope, disconnect, send)
    records = [r for r in caplog.records if r.name.startswith(("nzero", "strawberry"))]
    assert records, "client errors are logged"
    assert all(r.levelno < logging.ERROR and r.exc_info is None for r in records), [r.getMessage() for r in records]
    assert all("\n" not in r.getMessage() for r in records)
    assert any("went away" in r.getMessage() for r in records)
    assert not any(m.get("status", 200) >= 500 for m in sent if m["type"] == "http.response.start")
