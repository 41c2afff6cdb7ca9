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
from app.graphql_schema import schema
from app.main import app
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


# Every root field, with each argument given hostile values the HTTP layer and validation must refuse cleanly.
FLAVORS = ("surrogate", "nul", "long", "huge", "dates", "shape", "deep")
DEEP_JSON: Any = {"a": 1}
for _ in range(25):  # under the body's depth limit, deep enough to reach a JSON scalar's storage
    DEEP_JSON = {"a": DEEP_JSON}


def hostile(type_: Any, flavor: str, depth: int = 0) -> Any:
    """A variable value of the type where the flavor applies (text, numbers, dates, shapes), else plausible."""
    inner = type_.of_type if isinstance(type_, GraphQLNonNull) else type_
    if isinstance(inner, GraphQLList):
        return {"not": "a list"} if flavor == "shape" else [hostile(inner.of_type, flavor, depth + 1)]
    if isinstance(inner, GraphQLEnumType):
        return next(iter(inner.values))
    if isinstance(inner, GraphQLInputObjectType):
        if flavor == "shape":
            return [1, 2]
        return {name: hostile(f.type, flavor, depth + 1) for name, f in inner.fields.items() if depth < 3}
    name = getattr(inner, "name", "String")
    if flavor == "shape":
        return {"x": [1]}
    values: dict[tuple[str, str], Any] = {
        ("String", "surrogate"): "lone \ud800 surrogate",
        ("String", "nul"): "nul \x00 byte",
        ("String", "long"): "x" * 5000,
        ("Int", "huge"): 2**63,
        ("Float", "huge"): 1e308,
        ("JSON", "huge"): {"n": 10**30, "f": 1e308},
        ("JSON", "deep"): DEEP_JSON,
        ("JSON", "surrogate"): {"k\ud800": "v\ud800"},
        ("Date", "dates"): "0001-01-01",
        ("DateTime", "dates"): "9999-12-31T23:59:59+00:00",
    }
    plausible_values = {
        "Int": 1,
        "Float": 1.5,
        "String": "fuzz",
        "Boolean": True,
        "Date": "2031-03-10",
        "DateTime": "2031-03-10T10:00:00+00:00",
        "JSON": {},
    }
    return values.get((name, flavor), plausible_values.get(name, "fuzz"))


def every_root_field() -> list[tuple[str, str, Any]]:
    fields = []
    for kind, root in (("query", GQL.query_type), ("mutation", GQL.mutation_type)):
        assert root is not None
        fields += [(kind, name, field) for name, field in sorted(root.fields.items())]
    return fields


def operation_for(kind: str, name: str, field: Any) -> str:
    declared = ", ".join(f"${arg}: {a.type}" for arg, a in field.args.items())
    args = ", ".join(f"{arg}: ${arg}" for arg in field.args)
    target = get_named_type(field.type)
    body = " { __typename }" if isinstance(target, GraphQLObjectType) else ""
    return f"{kind}{f'({declared})' if declared else ''} {{ {name}{f'({args})' if args else ''}{body} }}"


def malformed_bodies(query: str) -> list[bytes]:
    """The unreadable bodies of issue 12: null, a number, invalid UTF-8, 5,000-deep JSON, for this operation."""
    text = json.dumps({"query": query}).encode()
    return [
        b"null",
        b"12345",
        text[:-2] + b"\xff\xfe" + text[-2:],
        b'{"query": ' + json.dumps(query).encode() + b', "variables": {"v": ' + b"[" * 5000 + b"]" * 5000 + b"}}",
    ]


async def test_hostile_bodies_and_values_on_every_root_field_never_answer_5xx_or_internal(market: Market) -> None:
    sent = 0
    problems: list[str] = []
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as client:
        for kind, name, field in every_root_field():
            query = operation_for(kind, name, field)
            for role in ("owner_x", "admin"):
                await login_limiter.clear()
                headers = {"authorization": f"Bearer {market.roles[role].token}", "content-type": "application/json"}
                bodies = [
                    json.dumps(
                        {"query": query, "variables": {a: hostile(arg.type, flavor) for a, arg in field.args.items()}}
                    ).encode()
                    for flavor in FLAVORS
                    if field.args
                ] + malformed_bodies(query)
                for body in bodies:
                    response = await client.post("/graphql", content=body, headers=headers)
                    sent += 1
                    found = problems_in(response.status_code, response.text)
                    problems += [f"{role} {kind} {name}: {p} <- {body[:160]!r}" for p in found]
    print(f"\nhostile bodies: {sent} requests over {len(every_root_field())} root fields")
    assert sent >= len(every_root_field()) * 2 * len(malformed_bodies("")), "every root field was tried"
    assert not problems, "\n".join(problems[:20])


def test_report_fuzz_count() -> None:
    """Runs after the fuzz test (file order): says how many operations were tried."""
    print(f"\nfuzz: {RAN[0]} operations ({RAN[1]} mutations) against /graphql")
    assert RAN[0] == 0 or RAN[0] >= EXAMPLES // 2
