"""Every mutation, as every role, against objects that role may not touch: refused with a code, nothing written.

Mutations are found in the schema; the argument that names the target (organizationId, bookingId, offerId,
contractId, or `id` of a known type) decides who may act. Mutations added later are attacked the same way.
The code tells nothing the role may not know: NOT_FOUND for an object it cannot see (exactly as for an id that
exists nowhere), FORBIDDEN for one it can see but may not change.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import cast

from graphql import GraphQLNonNull, GraphQLObjectType, GraphQLUnionType, get_named_type
from graphql.pyutils import Undefined

from app.graphql_schema import schema
from tests.helpers import error_codes, gql
from tests.security.literals import plausible
from tests.security.market import Market, Role, snapshot

GQL = schema._schema
MUTATION = cast(GraphQLObjectType, GQL.mutation_type)
REFUSALS = {"FORBIDDEN", "NOT_FOUND", "UNAUTHENTICATED", "BAD_INPUT"}
# Mutations that still check the booking's state before the viewer's right to it: a stranger learns the state
# (INVALID_TRANSITION) though nothing is written. For the lead: app/services/reviews.py checks REVIEWABLE before
# the party check; swap them and empty this set.
STATE_BEFORE_ACCESS: set[str] = set()
May = Callable[[Market, Role, int], bool]


def manages(m: Market, r: Role, org: int) -> bool:
    return r.is_admin or org in r.managed_org_ids


def sees_offer(m: Market, r: Role, i: int) -> bool:
    user, booking_id = m.offers[i]
    return r.is_admin or user == r.user_id or m.bookings[booking_id][1] in r.org_ids


def public(m: Market, r: Role, i: int) -> bool:
    return True


# Who may see the target (as GraphQL shows it): organizations, services, capabilities and skills are public.
SEES: dict[str, May] = {
    "bookingId": lambda m, r, i: m.sees_booking(r, i),
    "offerId": sees_offer,
    "contractId": lambda m, r, i: m.sees_booking(r, m.contracts[i]),
}
UNKNOWN_ID = 987_654

TARGETS: dict[str, tuple[str, May]] = {
    "organizationId": ("orgs", manages),
    "id:Organization": ("orgs", manages),
    "id:OrganizationService": ("services", lambda m, r, i: manages(m, r, m.services[i])),
    "id:OrganizationCapability": ("capabilities", lambda m, r, i: manages(m, r, m.capabilities[i])),
    "id:UserSkill": ("skills", lambda m, r, i: r.is_admin or m.skills[i] == r.user_id),
    "skillId": ("skills", lambda m, r, i: r.is_admin),  # verifySkill
    "bookingId": ("bookings", lambda m, r, i: m.sees_booking(r, i)),
    "offerId": ("offers", lambda m, r, i: r.is_admin or m.offers[i][0] == r.user_id),
    "contractId": ("contracts", lambda m, r, i: m.sees_booking(r, m.contracts[i])),
}


def pool(m: Market, name: str) -> list[int]:
    if name == "orgs":
        return [m.org_x, m.org_y]
    return sorted(getattr(m, name))


def operation(name: str, target: str | None, target_id: int | None) -> str:
    field = MUTATION.fields[name]
    args = []
    for arg_name, arg in field.args.items():
        if arg_name == target:
            args.append(f"{arg_name}: {target_id}")
        elif isinstance(arg.type, GraphQLNonNull) and arg.default_value is Undefined:
            args.append(f"{arg_name}: {plausible(arg.type)}")
    returns = get_named_type(field.type)
    selection = " { __typename }" if hasattr(returns, "fields") else ""
    if isinstance(returns, GraphQLUnionType):  # a result union: a refusal may come back as its Error member
        selection = " { __typename ... on Error { code message } }"
    return f"mutation {{ {name}{'(' + ', '.join(args) + ')' if args else ''}{selection} }}"


def target_of(name: str) -> tuple[str, str] | None:
    """(argument, key in TARGETS) of the object a mutation acts on."""
    field = MUTATION.fields[name]
    for arg_name in field.args:
        if arg_name in TARGETS:
            return arg_name, arg_name
        if arg_name == "id" and f"id:{get_named_type(field.type).name}" in TARGETS:
            return arg_name, f"id:{get_named_type(field.type).name}"
    return None


async def attempt(market: Market, role: Role, query: str, expected: str | None = None) -> list[str]:
    before = await snapshot()
    result = await gql(query, token=role.token)
    after = await snapshot()
    name = query.split("{", 1)[1].split("(")[0].split("{")[0].strip()
    problems = []
    answer = (result.get("data") or {}).get(name)
    if answer is not None and not (isinstance(answer, dict) and "code" in answer):
        problems.append(f"{role.name} succeeded: {query}")
    codes = set(error_codes(result))
    refusals = REFUSALS | ({"INVALID_TRANSITION"} if name in STATE_BEFORE_ACCESS else set())
    if not codes or not codes <= refusals:
        problems.append(f"{role.name} got {codes} from {query}: {result.get('errors')}")
    elif expected is not None and codes != {expected}:
        problems.append(f"{role.name} got {codes} instead of {expected} from {query}")
    changed = sorted(t for t in before if before[t] != after.get(t))
    if changed:
        problems.append(f"{role.name} changed {changed} with {query}")
    return problems


async def test_anonymous_can_change_nothing(market: Market) -> None:
    problems = []
    for name in MUTATION.fields:
        if name in ("login", "signUp"):  # what anonymous callers are for (tests/labor/test_sign_up.py)
            continue
        found = target_of(name)
        target_id = pool(market, TARGETS[found[1]][0])[0] if found else None
        problems += await attempt(market, market.roles["anonymous"], operation(name, found and found[0], target_id))
    assert not problems, "\n".join(problems)


async def test_no_role_acts_on_objects_it_may_not_touch(market: Market) -> None:
    problems, attempts = [], 0
    for name in MUTATION.fields:
        found = target_of(name)
        if found is None:
            continue
        arg, key = found
        kind, may = TARGETS[key]
        sees = SEES.get(key, public)
        for role in market.roles.values():
            if role.user_id is None:
                continue
            for target_id in [*pool(market, kind), UNKNOWN_ID]:
                if target_id == UNKNOWN_ID or not may(market, role, target_id):
                    visible = target_id != UNKNOWN_ID and sees(market, role, target_id)
                    attempts += 1
                    expected = "FORBIDDEN" if visible else "NOT_FOUND"
                    problems += await attempt(market, role, operation(name, arg, target_id), expected)
    assert attempts > 50
    assert not problems, f"{len(problems)} of {attempts} attempts:\n" + "\n".join(problems[:40])
