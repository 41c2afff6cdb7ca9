"""laborPool: for facility members only; people with the skill inside the radius at or above the level, ranked as
matching ranks them, paged by cursor both ways; bad arguments typed; the statements do not grow with the pool."""

from __future__ import annotations

from typing import Any

import pytest

from models import UserSkill
from models.enums import MemberRole, Proficiency, SkillCategory
from tests.factories import VEGAS, make_member, make_org, make_user, make_worker
from tests.helpers import count_queries, error_codes, gql, login

HENDERSON = (36.0395, -114.9817)  # about 12.5 miles from VEGAS
RENO = (39.5296, -119.8138)  # far outside any radius here
POOL = """query($first: Int, $after: String, $last: Int, $before: String, $min: Proficiency! = LEARNING,
               $radius: Float! = 30) {
  laborPool(skillCategory: PAINTING, near: {latitude: 36.1699, longitude: -115.1398, radiusMiles: $radius},
            minProficiency: $min, first: $first, after: $after, last: $last, before: $before) {
    totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    nodes { distanceMiles proficiencyLevel isVerified rating availableHoursPerWeek withinTravelRange
            user { id fullName email } skill { id skillCategory } } } }"""


async def _token(*, role: MemberRole | None = MemberRole.STAFF, admin: bool = False) -> str:
    user = await make_user(password="pw-123456", admin=admin)
    if role is not None:
        await make_member(await make_org(), user, role)
    return await login(user.email, "pw-123456")


async def _painter(name: str, level: Proficiency, at: tuple[float, float], **skill: Any) -> int:
    user = await make_worker(SkillCategory.PAINTING, level, at=at, name=name, rating=4.0)
    if skill:
        await UserSkill.filter(user_id=user.id).update(**skill)
    return user.id


async def _market() -> dict[str, int]:
    return {
        "master_far": await _painter("Master Far", Proficiency.MASTER, HENDERSON, max_travel_distance_miles=10),
        "expert_verified_far": await _painter("Expert V", Proficiency.EXPERT, HENDERSON, is_verified=True),
        "expert_near": await _painter("Expert Near", Proficiency.EXPERT, VEGAS),
        "learning": await _painter("Learner", Proficiency.LEARNING, VEGAS, available_hours_per_week=12),
        "reno": await _painter("Reno", Proficiency.MASTER, RENO),
        "welder": (await make_worker(SkillCategory.WELDING, Proficiency.MASTER, at=VEGAS)).id,
    }


async def test_members_see_the_pool_ranked_by_level_verification_distance() -> None:
    people = await _market()
    token = await _token()
    result = await gql(POOL, {"first": 10}, token=token)
    assert not result.get("errors"), result
    pool = result["data"]["laborPool"]
    ids = [n["user"]["id"] for n in pool["nodes"]]
    assert ids == [people["master_far"], people["expert_verified_far"], people["expert_near"], people["learning"]]
    assert (pool["totalCount"], pool["pageInfo"]["hasNextPage"]) == (4, False)
    master, verified, near, learner = pool["nodes"]
    assert (master["distanceMiles"], master["withinTravelRange"]) == (13.0, False)  # travels 10 miles only
    assert (verified["isVerified"], verified["withinTravelRange"]) == (True, True)
    assert near["distanceMiles"] == 0.0 and near["proficiencyLevel"] == "EXPERT"
    assert learner["availableHoursPerWeek"] == 12 and learner["rating"] == 4.0
    assert all(n["user"]["email"] is None for n in pool["nodes"])  # the pool shows public profiles only

    proficient_up = await gql(POOL, {"first": 10, "min": "PROFICIENT"}, token=token)
    assert proficient_up["data"]["laborPool"]["totalCount"] == 3
    close = await gql(POOL, {"first": 10, "radius": 5}, token=token)
    assert [n["user"]["id"] for n in close["data"]["laborPool"]["nodes"]] == [people["expert_near"], people["learning"]]


async def test_pages_follow_each_other_by_cursor() -> None:
    people = await _market()
    token = await _token(role=MemberRole.OWNER)
    order = [people["master_far"], people["expert_verified_far"], people["expert_near"], people["learning"]]
    seen: list[int] = []
    after = None
    for _ in range(3):
        page = (await gql(POOL, {"first": 2, "after": after}, token=token))["data"]["laborPool"]
        seen += [n["user"]["id"] for n in page["nodes"]]
        after = page["pageInfo"]["endCursor"]
        if not page["pageInfo"]["hasNextPage"]:
            break
    assert seen == order
    # And backwards from the end: the last two, then the two before them.
    tail = (await gql(POOL, {"last": 2}, token=token))["data"]["laborPool"]
    assert [n["user"]["id"] for n in tail["nodes"]] == order[2:]
    before = tail["pageInfo"]["startCursor"]
    head = (await gql(POOL, {"last": 2, "before": before}, token=token))["data"]["laborPool"]
    assert [n["user"]["id"] for n in head["nodes"]] == order[:2]


@pytest.mark.parametrize("who", ["anonymous", "customer", "labor"])
async def test_only_facility_members_and_admins_see_the_pool(who: str) -> None:
    await _market()
    token = None
    if who == "customer":
        token = await _token(role=None)
    elif who == "labor":
        worker = await make_user(password="pw-123456")
        await UserSkill.create(user=worker, skill_category=SkillCategory.WELDING, skill_name="TIG")
        token = await login(worker.email, "pw-123456")
    result = await gql(POOL, {"first": 5}, token=token)
    assert error_codes(result) == (["UNAUTHENTICATED"] if who == "anonymous" else ["FORBIDDEN"])
    assert result["data"] is None
    admin = await gql(POOL, {"first": 5}, token=await _token(role=None, admin=True))
    assert admin["data"]["laborPool"]["totalCount"] == 4


@pytest.mark.parametrize(
    ("variables", "field"),
    [
        ({"first": 101}, "first"),
        ({"last": -1}, "last"),
        ({"first": 5, "radius": 251}, "near.radiusMiles"),
        ({"first": 5, "radius": -1}, "near.radiusMiles"),
        ({"first": 5, "after": "not-a-cursor"}, "after"),
        ({"first": 5, "after": "WzEsMl0"}, "after"),  # [1,2]: a cursor of another list's shape
    ],
)
async def test_bad_arguments_are_typed(variables: dict[str, Any], field: str) -> None:
    result = await gql(POOL, variables, token=await _token())
    assert error_codes(result) == ["BAD_INPUT"], result
    assert result["errors"][0]["extensions"]["field"] == field


async def _statements(token: str) -> int:
    with count_queries() as statements:
        result = await gql(POOL, {"first": 50}, token=token)
    assert not result.get("errors"), result
    return len(statements)


async def test_the_statements_do_not_grow_with_the_pool() -> None:
    token = await _token()
    for i in range(3):
        await _painter(f"A{i}", Proficiency.EXPERT, VEGAS)
    few = await _statements(token)
    for i in range(12):
        await _painter(f"B{i}", Proficiency.COMPETENT, HENDERSON)
    assert await _statements(token) == few
