"""Labor utilization as the seed defines it: skilled people matched with a job (holding reserved labor time) in
the period, over skilled people; for one facility, over the skilled people whose travel reaches it. The hours
ratio stays beside it."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from app.services.access import viewer_for_user
from app.services.metrics import success_metrics
from models import CapacitySchedule, Organization, User, UserSkill
from models.enums import ResourceType
from tests.factories import make_org, make_user, make_worker
from tests.helpers import gql, login

START = date(2030, 3, 4)
END = date(2030, 3, 10)
RENO = (39.5296, -119.8138)


async def _hold(org: Organization, person: User, day: date, *, reserved: bool = True) -> None:
    start = datetime(day.year, day.month, day.day, 16, tzinfo=UTC)
    await CapacitySchedule.create(
        organization=org,
        resource_type=ResourceType.USER_LABOR,
        user=person,
        start_time=start,
        end_time=start + timedelta(hours=4),
        hours=4,
        is_reserved=reserved,
    )


async def _market() -> tuple[Organization, Organization, User]:
    """A Las Vegas facility with five skilled people in reach (make_worker puts them there): two matched there in
    the period, one only before it; a Reno facility with its own matched person; a user without skills."""
    owner = await make_user("Owner", password="pw-123456")
    vegas = await make_org(owner=owner)
    reno = await make_org(at=RENO)
    near = [await make_worker(name=f"Near {i}") for i in range(5)]
    far = await make_worker(at=RENO, name="Reno painter")
    await make_user("No skill")  # not in the pool
    await _hold(vegas, near[0], START)
    await _hold(vegas, near[1], END)  # the last day counts
    await _hold(vegas, near[2], START - timedelta(days=2))  # before the period
    await _hold(reno, far, START + timedelta(days=1))
    return vegas, reno, owner


async def test_a_facility_counts_the_people_in_its_reach() -> None:
    vegas, _, owner = await _market()
    report = await success_metrics(viewer=await viewer_for_user(owner), organization_id=vegas.id, start=START, end=END)
    assert (report.labor_utilization.numerator, report.labor_utilization.denominator) == (Decimal(2), Decimal(5))
    assert report.labor_utilization.value == Decimal("0.4000")
    # The hours ratio beside it: 8 h held by the two people on its jobs, over their 7 days × 8 h.
    assert (report.labor_hours_utilization.numerator, report.labor_hours_utilization.denominator) == (
        Decimal(8),
        Decimal(112),
    )


async def test_the_marketplace_counts_every_skilled_person() -> None:
    await _market()
    admin = await make_user("Admin", admin=True)
    report = await success_metrics(viewer=await viewer_for_user(admin), organization_id=None, start=START, end=END)
    assert (report.labor_utilization.numerator, report.labor_utilization.denominator) == (Decimal(3), Decimal(6))


async def test_inactive_people_and_skills_added_after_the_period_are_not_counted() -> None:
    vegas, _, owner = await _market()
    late = await make_worker(name="Joined later")
    await UserSkill.filter(user_id=late.id).update(created_at=datetime(2030, 4, 1, tzinfo=UTC))
    gone = await make_worker(name="Left")
    await User.filter(id=gone.id).update(is_active=False)
    report = await success_metrics(viewer=await viewer_for_user(owner), organization_id=vegas.id, start=START, end=END)
    assert report.labor_utilization.denominator == Decimal(5)


async def test_through_graphql_both_ratios_are_shown() -> None:
    vegas, _, owner = await _market()
    token = await login(owner.email, "pw-123456")
    result = await gql(
        'query($org: Int!) { successMetrics(organizationId: $org, from: "2030-03-04", to: "2030-03-10") {'
        " laborUtilization { value numerator denominator } laborHoursUtilization { numerator } } }",
        {"org": vegas.id},
        token=token,
    )
    metrics = result["data"]["successMetrics"]
    assert metrics["laborUtilization"] == {"value": 0.4, "numerator": 2.0, "denominator": 5.0}
    assert metrics["laborHoursUtilization"]["numerator"] == 8.0
