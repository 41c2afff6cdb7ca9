"""The timeline confidence: slack, history weighted by its size, and the people's record (confidence.py)."""

from __future__ import annotations

import pytest

from app.services.coordination.confidence import Inputs, Record, timeline_confidence

pytestmark = pytest.mark.pure  # no database


def conf(**changes: object) -> float:
    base: dict[str, object] = {
        "capacity_slack": 0.5,
        "people_slack": 0.5,
        "facility": Record(15, 20),
        "service": Record(0, 0),
        "labor": Record(9, 10),
    }
    return timeline_confidence(Inputs(**{**base, **changes}))  # type: ignore[arg-type]


def test_free_capacity_left_in_the_window_raises_the_confidence() -> None:
    assert conf(capacity_slack=0.0) < conf(capacity_slack=0.5) < conf(capacity_slack=2.0)


def test_a_late_record_lowers_it_and_a_long_one_counts_more_than_a_short_one() -> None:
    assert conf(facility=Record(5, 20)) < conf(facility=Record(19, 20))
    # Half on time of 2 jobs says little (near the prior); half of 40 is a record.
    assert conf(facility=Record(20, 40)) < conf(facility=Record(1, 2)) < conf(facility=Record(0, 0))


def test_the_services_own_record_comes_before_the_facilitys() -> None:
    assert conf(service=Record(2, 10)) < conf(service=Record(0, 0)) < conf(service=Record(10, 10))


def test_people_who_decline_matter_only_when_nobody_else_is_free() -> None:
    assert conf(labor=Record(2, 10), people_slack=0.0) < conf(labor=Record(10, 10), people_slack=0.0)
    assert conf(labor=Record(2, 10), people_slack=1.0) == conf(labor=Record(10, 10), people_slack=1.0)
    assert conf(needs_people=False, labor=Record(0, 10), people_slack=0.0) > conf(labor=Record(0, 10), people_slack=0)


def test_it_stays_a_probability() -> None:
    assert 0 < conf(capacity_slack=0, people_slack=0, facility=Record(0, 100), labor=Record(0, 100)) < 1
    assert 0 < conf(capacity_slack=100, people_slack=100, facility=Record(100, 100)) < 1
