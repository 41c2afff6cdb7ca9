"""The authorization matrix, generated from the schema: every role, every root field, every path (bounded depth).

For each role the test asks each root field (with every id of the market, foreign ones included) for the whole
tree below it, every field selected, each type at most once on a path; then every object in the answer is
checked against tests/security/policy.py. It runs on the graphql-core schema directly, so the query limits
(which would refuse such big queries) don't get in the way; the resolvers are the real ones.
"""

from __future__ import annotations

import itertools
import json
from collections import defaultdict
from datetime import timedelta
from typing import Any

import pytest
from graphql import (
    GraphQLArgument,
    GraphQLInterfaceType,
    GraphQLNamedType,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLUnionType,
    get_named_type,
    graphql,
)
from graphql.pyutils import Undefined

from app.graphql_schema import schema
from schema.context import Context
from tests.security.market import DAY, ROLES, Market, Role
from tests.security.policy import ID_RULES, POLICY, Ancestors

GQL = schema._schema
MAX_PATH = 5  # object levels below the root field
EXPECTED_CODES = {"FORBIDDEN", "NOT_FOUND", "UNAUTHENTICATED"}
UNKNOWN_ID = 987_654
# Root-argument name -> which rows of the market to try (plus an id that exists nowhere).
ID_ARGUMENTS = {
    "organizationId": "orgs",
    "bookingId": "bookings",
    "userId": "users",
    "offerId": "offers",
    "contractId": "contracts",
    "vehicleId": "vehicles",
    "serviceId": "services",
    "capabilityId": "capabilities",
}
ID_OF_TYPE = {"Organization": "orgs", "User": "users", "ServiceBooking": "bookings", "JobOffer": "offers"}
ID_OF_TYPE |= {"WorkContract": "contracts", "Vehicle": "vehicles", "OrganizationService": "services"}


def object_types(named: GraphQLNamedType) -> list[GraphQLObjectType]:
    if isinstance(named, GraphQLObjectType):
        return [named]
    if isinstance(named, (GraphQLInterfaceType, GraphQLUnionType)):
        return list(GQL.get_possible_types(named))
    return []


def reachable_types() -> dict[str, GraphQLObjectType]:
    found: dict[str, GraphQLObjectType] = {}
    stack = [GQL.query_type]
    while stack:
        current = stack.pop()
        if current is None or current.name in found:
            continue
        found[current.name] = current
        for f in current.fields.values():
            stack.extend(object_types(get_named_type(f.type)))
    return found


def ids(market: Market, kind: str) -> list[int]:
    pools: dict[str, Any] = {
        "orgs": [market.org_x, market.org_y],
        "bookings": market.bookings,
        "users": market.users.values(),
        "offers": market.offers,
        "contracts": market.contracts,
        "vehicles": market.vehicles,
        "services": market.services,
        "capabilities": market.capabilities,
    }
    return [*sorted(pools[kind]), UNKNOWN_ID]


def candidates(market: Market, name: str, arg: GraphQLArgument, returns: str) -> list[Any] | None:
    """Values to try for an argument; None when the test can't fill a required one."""
    named = get_named_type(arg.type).name
    if name == "id" and returns in ID_OF_TYPE:
        return ids(market, ID_OF_TYPE[returns])
    if name in ID_ARGUMENTS:
        return ids(market, ID_ARGUMENTS[name])
    if named == "Date":
        return [str(DAY - timedelta(days=1)) if name == "from" else str(DAY + timedelta(days=6))]
    if name == "first":  # the largest page: every row a role may see is reached without walking pages
        return [100]
    return None


def literal(value: Any) -> str:
    return json.dumps(value)


def arguments(market: Market, field: Any, returns: str, *, root: bool) -> list[str] | None:
    """Argument strings to try: every combination of candidate ids for a root field, the first otherwise."""
    choices: list[list[str]] = []
    for name, arg in field.args.items():
        values = candidates(market, name, arg, returns)
        required = isinstance(arg.type, GraphQLNonNull) and arg.default_value is Undefined
        if values is None:
            if required:
                return None
            continue
        options = [f"{name}: {literal(v)}" for v in (values if root else values[:1])]
        if name == "first":
            choices.append(options)
            continue
        choices.append(options if required else ["", *options] if root else [""])
    combos = [", ".join(p for p in combo if p) for combo in itertools.product(*choices)]
    return [f"({c})" if c else "" for c in combos]


def selection(market: Market, named: GraphQLNamedType, depth: int, on_path: frozenset[str]) -> str:
    parts = ["__typename"]
    for obj in object_types(named):
        inner: list[str] = []
        for name, f in obj.fields.items():
            if name == "edges" and obj.name.endswith("Connection"):
                continue  # `nodes` reaches the same objects
            target = get_named_type(f.type)
            args = arguments(market, f, target.name, root=False)
            if args is None:
                continue
            subtypes = object_types(target)
            if not subtypes:
                inner.append(f"{name}{args[0]}")
            elif depth < MAX_PATH and not {t.name for t in subtypes} & on_path:
                # A connection is a wrapper, not a step: its items are as near as a plain list's would be.
                step = 0 if target.name.endswith("Connection") else 1
                sub = selection(market, target, depth + step, on_path | {t.name for t in subtypes})
                inner.append(f"{name}{args[0]} {{ {sub} }}")
        parts.append(f"... on {obj.name} {{ {' '.join(inner)} }}")
    return " ".join(parts)


def root_queries(market: Market) -> list[str]:
    queries = []
    assert GQL.query_type is not None
    for name, f in GQL.query_type.fields.items():
        target = get_named_type(f.type)
        for args in arguments(market, f, target.name, root=True) or []:
            if object_types(target):
                sub = selection(market, target, 1, frozenset(t.name for t in object_types(target)))
                queries.append(f"{{ {name}{args} {{ {sub} }} }}")
            else:
                queries.append(f"{{ {name}{args} }}")
    return queries


class Checker:
    def __init__(self, market: Market, role: Role) -> None:
        self.market, self.role = market, role
        self.problems: list[str] = []
        self.seen: dict[str, set[int]] = defaultdict(set)

    def walk(self, value: Any, path: str, ancestors: Ancestors) -> None:
        if isinstance(value, list):
            for i, item in enumerate(value):
                self.walk(item, f"{path}[{i}]", ancestors)
            return
        if not isinstance(value, dict):
            return
        typename = value["__typename"]
        policy = POLICY.get(typename)
        if policy is None:
            self.problems.append(f"uncovered: {typename}")
            return
        if "id" in value:
            self.seen[typename].add(value["id"])
        if not policy.visible(self.market, self.role, value, ancestors):
            self.problems.append(f"{self.role.name} sees {typename} {value.get('id', '')} at {path}")
        gql_type = GQL.get_type(typename)
        assert isinstance(gql_type, GraphQLObjectType)
        for key, child in value.items():
            rule = policy.sensitive.get(key)
            if rule and not _empty(child) and not rule(self.market, self.role, value, ancestors):
                self.problems.append(f"{self.role.name} reads {typename}.{key} of {value.get('id', '')} at {path}")
            if key != "__typename" and object_types(get_named_type(gql_type.fields[key].type)):
                self.walk(child, f"{path}.{key}", [*ancestors, (typename, value)])


def _empty(child: Any) -> bool:
    """Nothing shown: null, an empty list, or a connection with no items (whatever it says of its pages)."""
    if isinstance(child, dict) and ("edges" in child or "nodes" in child or "totalCount" in child):
        return not child.get("edges") and not child.get("nodes") and not child.get("totalCount")
    return child in (None, [])


async def run(market: Market, role: Role, query: str) -> tuple[dict[str, Any] | None, list[str]]:
    context = Context(viewer=await market.viewer(role.name))
    result = await graphql(GQL, query, context_value=context)
    problems = []
    for error in result.errors or []:
        code = (error.extensions or {}).get("code")
        if code not in EXPECTED_CODES:
            problems.append(f"{role.name}: unexpected error {code} {error.message} at {error.path} in {query[:80]}")
    return result.data, problems


def test_every_reachable_type_and_field_is_classified() -> None:
    uncovered = []
    for name, gql_type in sorted(reachable_types().items()):
        policy = POLICY.get(name)
        if policy is None:
            uncovered.append(f"uncovered: {name}")
            continue
        known = set(policy.fields.split()) | set(policy.sensitive)
        uncovered += [f"uncovered: {name}.{f}" for f in gql_type.fields if f not in known and name != "Query"]
    assert not uncovered, "\n".join(uncovered)


@pytest.mark.parametrize("role_name", ROLES)
async def test_no_role_ever_receives_a_foreign_object(market: Market, role_name: str) -> None:
    role = market.roles[role_name]
    checker = Checker(market, role)
    queries = root_queries(market)
    for query in queries:
        data, problems = await run(market, role, query)
        checker.problems += problems
        if data:
            root = next(iter(data))
            checker.walk(data[root], root, [("Query", {})])
    problems = sorted(set(checker.problems))
    assert not problems, f"{len(problems)} problems over {len(queries)} queries:\n" + "\n".join(problems[:60])

    # Not vacuous: every row this role may see is reached through some path.
    for typename, (pool, rule) in ID_RULES.items():
        if typename not in reachable_types():
            continue
        allowed = {i for i in getattr(market, pool) if rule(market, role, {"id": i}, [])}
        missing = allowed - checker.seen[typename]
        assert not missing, f"{role_name} should reach {typename} {sorted(missing)}"
