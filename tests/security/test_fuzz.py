"""Fuzzing the API: hypothesis builds operations from the schema and POSTs them to /graphql as various roles.

Random root fields and sub-selections, arguments as literals or variables, with valid values, wrong types, huge
and negative numbers, odd unicode, unknown enum values and unknown input fields. Every answer must be a
GraphQL answer (no 5xx, no traceback), every error must carry extensions.code, internal errors must not happen,
and a mutation that fails must leave every table exactly as it was.
"""

from __future__ import annotations

import json
import os
from typing import Any

import httpx
from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLScalarType,
    get_named_type,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.auth_limiter import login_limiter
from app.main import app
from schema import schema
from tests.security.market import Market, snapshot

GQL = schema._schema
FUZZ_ROLES = ("anonymous", "customer_a", "owner_x", "staff_x", "labor_on", "admin")
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "400"))  # more for a longer hunt
RAN: list[int] = [0, 0]  # operations, of which mutations

INTS = st.one_of(
    st.integers(-3, 12),
    st.integers(1, 12),
    st.sampled_from([0, -1, 2**31 - 1, -(2**31), 2**31, 2**63, 10**30]),
    st.integers(-(2**31), 2**31 - 1),
)
FLOATS = st.one_of(
    st.floats(allow_nan=False, allow_infinity=False, width=64), st.sampled_from([0.0, -1.0, 1e308, 1e-308])
)
TEXT = st.one_of(
    st.text(max_size=30),
    st.sampled_from(["", "'; DROP TABLE users; --", "\u202e\u0000\ufeff", "🚗" * 50, "a" * 5000, "{}", "null"]),
)


def wrong_value() -> st.SearchStrategy[Any]:
    return st.one_of(INTS, FLOATS, TEXT, st.booleans(), st.none(), st.lists(st.integers(), max_size=3), st.just({}))


def value_for(type_: Any, hostile: bool, depth: int = 0) -> st.SearchStrategy[Any]:
    """A Python value for the type (hostile: sometimes of the wrong type); rendered as a literal or a variable."""
    nullable = not isinstance(type_, GraphQLNonNull)
    inner = type_.of_type if isinstance(type_, GraphQLNonNull) else type_
    if isinstance(inner, GraphQLList):
        plausible: st.SearchStrategy[Any] = st.lists(value_for(inner.of_type, hostile, depth + 1), max_size=3)
    elif isinstance(inner, GraphQLEnumType):
        names = list(inner.values) + (["NOPE", "quote_ready", "_"] if hostile else [])
        plausible = st.sampled_from(names).map(Enum)
    elif isinstance(inner, GraphQLInputObjectType):
        plausible = input_object(inner, hostile, depth)
    elif isinstance(inner, GraphQLScalarType):
        plausible = {
            "Int": INTS,
            "Float": FLOATS,
            "String": TEXT,
            "Boolean": st.booleans(),
            "Date": st.one_of(st.dates().map(str), TEXT),
            "DateTime": st.one_of(st.datetimes().map(lambda d: d.isoformat() + "Z"), TEXT),
            "JSON": st.one_of(st.dictionaries(st.text(max_size=5), st.integers(), max_size=3), TEXT),
        }.get(inner.name, TEXT)
    else:
        plausible = TEXT
    options = [plausible, plausible, plausible, wrong_value()] if hostile else [plausible]
    if nullable and hostile:
        options.append(st.none())
    return st.one_of(*options)


class Enum(str):
    """An enum value: bare in a literal, a string in variables."""


def input_object(type_: GraphQLInputObjectType, hostile: bool, depth: int) -> st.SearchStrategy[Any]:
    if depth > 2:
        return st.just({})
    fields = {name: value_for(f.type, hostile, depth + 1) for name, f in type_.fields.items()}
    required = [n for n, f in type_.fields.items() if isinstance(f.type, GraphQLNonNull)]
    return st.fixed_dictionaries(
        {n: fields[n] for n in required},
        optional={n: s for n, s in fields.items() if n not in required} | ({"unknownField": TEXT} if hostile else {}),
    )


def literal(value: Any) -> str:
    if isinstance(value, Enum):
        return str(value) if value.isidentifier() else json.dumps(str(value))
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value) if isinstance(value, float) else str(value)
    if isinstance(value, str):
        return json.dumps(value)
    if isinstance(value, list):
        return "[" + ", ".join(literal(v) for v in value) + "]"
    return "{" + ", ".join(f"{k}: {literal(v)}" for k, v in value.items()) + "}"


def plain(value: Any) -> Any:
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    return str(value) if isinstance(value, Enum) else value


@st.composite
def arguments(draw: st.DrawFn, field: Any, hostile: bool, variables: dict[str, Any], declared: list[str]) -> str:
    parts = []
    for name, arg in field.args.items():
        if not isinstance(arg.type, GraphQLNonNull) and draw(st.booleans()):
            continue
        value = draw(value_for(arg.type, hostile))
        if draw(st.integers(0, 2)) == 0:
            var = f"v{len(variables)}"
            variables[var] = plain(value)
            declared.append(f"${var}: {arg.type}")
            parts.append(f"{name}: ${var}")
        else:
            parts.append(f"{name}: {literal(value)}")
    if hostile and draw(st.integers(0, 4)) == 0:
        parts.append(f"bogus: {literal(draw(wrong_value()))}")
    return f"({', '.join(parts)})" if parts else ""


@st.composite
def selection(
    draw: st.DrawFn, type_: Any, depth: int, hostile: bool, variables: dict[str, Any], declared: list[str]
) -> str:
    if not isinstance(type_, GraphQLObjectType):
        return ""
    names = sorted(type_.fields)
    chosen = draw(st.lists(st.sampled_from(names), min_size=1, max_size=4, unique=True))
    parts = ["__typename"]
    for name in chosen:
        field = type_.fields[name]
        target = get_named_type(field.type)
        args = draw(arguments(field, hostile, variables, declared)) if field.args else ""
        if isinstance(target, GraphQLObjectType):
            if depth >= 3:
                continue
            parts.append(f"{name}{args} {{ {draw(selection(target, depth + 1, hostile, variables, declared))} }}")
        else:
            parts.append(f"{name}{args}")
    return " ".join(parts)


@st.composite
def operations(draw: st.DrawFn) -> tuple[str, str, dict[str, Any], str]:
    kind = draw(st.sampled_from(["query", "query", "mutation", "mutation", "mutation"]))
    root = GQL.mutation_type if kind == "mutation" else GQL.query_type
    assert root is not None
    name = draw(st.sampled_from(sorted(root.fields)))
    field = root.fields[name]
    hostile = draw(st.integers(0, 9)) < 4
    variables: dict[str, Any] = {}
    declared: list[str] = []
    args = draw(arguments(field, hostile, variables, declared))
    target = get_named_type(field.type)
    body = (
        f" {{ {draw(selection(target, 1, hostile, variables, declared))} }}"
        if isinstance(target, GraphQLObjectType)
        else ""
    )
    header = f"{kind}({', '.join(declared)})" if declared else kind
    role = draw(st.sampled_from(FUZZ_ROLES))
    return f"{header} {{ {name}{args}{body} }}", kind, variables, role


def problems_in(status: int, text: str) -> list[str]:
    problems = []
    if status >= 500:
        problems.append(f"status {status}")
    if "Traceback" in text or 'File "' in text:
        problems.append("traceback in the response")
    try:
        body = json.loads(text)
    except ValueError:
        return [*problems, f"not JSON: {text[:200]}"]
    for error in body.get("errors") or []:
        code = (error.get("extensions") or {}).get("code")
        if not code:
            problems.append(f"error without a code: {error.get('message')}")
        elif code == "INTERNAL_SERVER_ERROR":
            problems.append(f"internal error (masked, logged): {error}")
    return problems


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(operation=operations())
async def test_fuzzed_operations_fail_cleanly_and_write_nothing_when_they_fail(
    market: Market, operation: tuple[str, str, dict[str, Any], str]
) -> None:
    query, kind, variables, role = operation
    token = market.roles[role].token
    headers = {"authorization": f"Bearer {token}"} if token else {}
    before = await snapshot() if kind == "mutation" else None
    await login_limiter.clear()
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as client:
        response = await client.post("/graphql", json={"query": query, "variables": variables}, headers=headers)
    RAN[0] += 1
    problems = problems_in(response.status_code, response.text)
    if before is not None:
        RAN[1] += 1
        body = response.json() if response.headers.get("content-type", "").startswith("application/json") else {}
        failed = bool(body.get("errors")) or not body.get("data")
        if failed:
            after = await snapshot()
            changed = sorted(t for t in before if before[t] != after.get(t))
            if changed:
                problems.append(f"failed mutation changed {changed}")
    assert not problems, f"{role}: {query}\nvariables={variables}\n{problems}\n{response.text[:500]}"


def test_report_fuzz_count() -> None:
    """Runs after the fuzz test (file order): says how many operations were tried."""
    print(f"\nfuzz: {RAN[0]} operations ({RAN[1]} mutations) against /graphql")
    assert RAN[0] == 0 or RAN[0] >= EXAMPLES // 2
