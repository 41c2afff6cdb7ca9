"""A quote as typed values: its plan (window, capability blocks, ranked and assigned labor per role) and its
price breakdown. This module is the only reader and writer of a booking's `plan` and `quote_split` JSON, its
five quote money columns (`total_quoted_price_cents` and its parts: the one source of the amounts) and the
seed's `assigned_labor_users` / `assigned_capabilities` (the plan's people and capability hours, written in the
same save as the plan); the rest of the domain works on these frozen objects.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from app.services import money
from app.services.coordination.availability import PlannedBlock
from app.services.coordination.matching import Assignment, Candidate, Person, Role
from app.services.coordination.working_hours import Window, zone
from models import ServiceBooking
from models.enums import Proficiency, SkillCategory
from models.organization import DEFAULT_SPLIT_BPS

Json = dict[str, Any]


def _hours(value: Decimal) -> str:
    return f"{value:.2f}"


# --- the plan ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlanCandidate:
    """A ranked person for a role, as found at quote time (rank 1 is the best)."""

    user_id: int
    name: str
    rank: int
    distance_miles: float

    def to_json(self) -> Json:
        return {"user_id": self.user_id, "name": self.name, "rank": self.rank, "distance_miles": self.distance_miles}

    @classmethod
    def from_json(cls, data: Mapping[str, Any], rank: int) -> PlanCandidate:
        return cls(
            int(data["user_id"]),
            str(data.get("name", "")),
            int(data.get("rank") or rank),
            float(data.get("distance_miles") or 0),
        )


@dataclass(frozen=True)
class PlannedRole:
    """One skill the work needs: its hours, the ranked candidates and the people assigned now."""

    role: Role
    candidates: tuple[PlanCandidate, ...] = ()
    assignments: tuple[Assignment, ...] = ()

    @property
    def skill(self) -> SkillCategory:
        return self.role.skill_category

    def ranked(self) -> list[Candidate]:
        """The candidates in the quote's order, as the matcher takes them."""
        r = self.role
        return [
            Candidate(
                Person(c.user_id, c.name, r.skill_category, r.min_proficiency, 0, None, None, 0.0), c.distance_miles
            )
            for c in self.candidates
        ]

    def to_json(self) -> Json:
        return {
            "role": self.role.skill_category.value,
            "min_proficiency": self.role.min_proficiency.value,
            "hours": _hours(self.role.hours),
            "candidates": [c.to_json() for c in self.candidates],
            "assignments": [a.to_json() for a in self.assignments],
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> PlannedRole:
        role = Role(
            SkillCategory(data["role"]),
            Proficiency(data.get("min_proficiency") or Proficiency.LEARNING),
            Decimal(str(data.get("hours") or 0)),
        )
        return cls(
            role,
            tuple(PlanCandidate.from_json(c, i) for i, c in enumerate(data.get("candidates", []), start=1)),
            tuple(Assignment.from_json(a, role.skill_category) for a in data.get("assignments", [])),
        )


@dataclass(frozen=True)
class Plan:
    """What accepting the quote reserves: the working days, the capability blocks and the labor per role."""

    organization_id: int | None
    service_id: int | None
    timezone: str
    start: datetime | None
    end: datetime | None
    days: tuple[Window, ...] = ()
    blocks: tuple[PlannedBlock, ...] = ()
    roles: tuple[PlannedRole, ...] = ()

    @property
    def tz(self) -> ZoneInfo:
        return zone(self.timezone)

    def role(self, skill: SkillCategory) -> PlannedRole | None:
        return next((r for r in self.roles if r.skill == skill), None)

    def ranked_roles(self) -> list[tuple[Role, list[Candidate]]]:
        return [(r.role, r.ranked()) for r in self.roles]

    def assignments(self) -> list[Assignment]:
        return [a for r in self.roles for a in r.assignments]

    def span(self) -> tuple[datetime, datetime]:
        """Whole days around the window, so the 8-hours-a-day rule sees the people's other blocks."""
        starts = [d.start for d in self.days] + [b.start for b in self.blocks]
        ends = [d.end for d in self.days] + [b.end for b in self.blocks]
        return min(starts) - timedelta(days=1), max(ends) + timedelta(days=1)

    def with_assignments(self, assignments: Mapping[SkillCategory, Sequence[Assignment]]) -> Plan:
        """Every role staffed by the given people (a role missing from the mapping has nobody)."""
        roles = tuple(replace(r, assignments=tuple(assignments.get(r.skill, ()))) for r in self.roles)
        return replace(self, roles=roles)

    def replacing(self, skill: SkillCategory, user_id: int, found: Sequence[Assignment]) -> Plan:
        """The person's part of a role handed to the people found (the role keeps its other people)."""
        roles = tuple(
            replace(r, assignments=tuple(a for a in r.assignments if a.user_id != user_id) + tuple(found))
            if r.skill == skill
            else r
            for r in self.roles
        )
        return replace(self, roles=roles)

    def to_json(self) -> Json:
        return {
            "organization_id": self.organization_id,
            "service_id": self.service_id,
            "timezone": self.timezone,
            "window": {
                "start": self.start.isoformat() if self.start else None,
                "end": self.end.isoformat() if self.end else None,
                "days": [d.to_json() for d in self.days],
            },
            "capability_blocks": [b.to_json() for b in self.blocks],
            "roles": [r.to_json() for r in self.roles],
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any] | None) -> Plan:
        """The stored plan; an empty one (a booking written without a search) has no days, blocks or roles."""
        data = data or {}
        window = data.get("window") or {}
        start, end = window.get("start"), window.get("end")
        return cls(
            organization_id=data.get("organization_id"),
            service_id=data.get("service_id"),
            timezone=str(data.get("timezone") or "UTC"),
            start=datetime.fromisoformat(start) if start else None,
            end=datetime.fromisoformat(end) if end else None,
            days=tuple(Window.from_json(d) for d in window.get("days", [])),
            blocks=tuple(PlannedBlock.from_json(b) for b in data.get("capability_blocks", [])),
            roles=tuple(PlannedRole.from_json(r) for r in data.get("roles", [])),
        )


# --- the breakdown ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Split:
    """How a price is shared, in basis points that add up to 10,000."""

    facility_bps: int
    labor_bps: int
    platform_bps: int

    def to_json(self) -> Json:
        return {"facility": self.facility_bps, "labor": self.labor_bps, "platform": self.platform_bps}

    @classmethod
    def from_json(cls, data: Mapping[str, Any] | None) -> Split:
        if not data:
            return DEFAULT_SPLIT
        return cls(int(data["facility"]), int(data["labor"]), int(data["platform"]))


DEFAULT_SPLIT = Split(*DEFAULT_SPLIT_BPS)


@dataclass(frozen=True)
class LaborLine:
    """One person's part of the labor share: the role, the hours and the pay."""

    user_id: int
    name: str
    role: str
    hours: Decimal
    amount_cents: int

    def to_json(self) -> Json:
        return {
            "user_id": self.user_id,
            "name": self.name,
            "role": self.role,
            "hours": _hours(self.hours),
            "amount_cents": self.amount_cents,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> LaborLine:
        return cls(
            int(data["user_id"]),
            str(data.get("name", "")),
            str(data.get("role", "")),
            Decimal(str(data.get("hours") or 0)),
            int(data.get("amount_cents") or 0),
        )


@dataclass(frozen=True)
class Breakdown:
    """A quote's price and its parts; the parts always add up (largest-remainder allocation)."""

    total_cents: int
    service_price_cents: int
    facility_fee_cents: int
    materials_cents: int
    labor_fee_cents: int
    platform_fee_cents: int
    split: Split
    labor: tuple[LaborLine, ...] = ()

    @classmethod
    def priced(
        cls, *, service_price_cents: int, materials_cents: int, split: Split, people: Sequence[Assignment]
    ) -> Breakdown:
        """Split a price between facility, labor (by each person's minutes) and platform.

        With nobody to pay (a service that needs no people) the labor share goes to the facility.
        """
        if not people:
            split = Split(split.facility_bps + split.labor_bps, 0, split.platform_bps)
        facility, labor_fee, platform = money.allocate(
            service_price_cents, [split.facility_bps, split.labor_bps, split.platform_bps]
        )
        return cls(
            total_cents=service_price_cents + materials_cents,
            service_price_cents=service_price_cents,
            facility_fee_cents=facility,
            materials_cents=materials_cents,
            labor_fee_cents=labor_fee,
            platform_fee_cents=platform,
            split=split,
            labor=_lines(labor_fee, people),
        )

    def shared_among(self, people: Sequence[Assignment]) -> Breakdown:
        """The same price split among these people (the quote's may have been taken before acceptance)."""
        if not people and self.split.labor_bps > 0:
            return self  # keeps the quoted split when nobody is needed
        return Breakdown.priced(
            service_price_cents=self.service_price_cents,
            materials_cents=self.materials_cents,
            split=self.split,
            people=people,
        )

    def replacing(
        self, skill: SkillCategory, user_id: int, found: Sequence[Assignment], amounts: Sequence[int]
    ) -> Breakdown:
        """The person's line for the role handed to the people found, with the amounts they are offered."""
        kept = tuple(line for line in self.labor if not (line.user_id == user_id and line.role == skill.value))
        new = tuple(
            LaborLine(a.user_id, a.name, a.role.value, a.hours, amount)
            for a, amount in zip(found, amounts, strict=True)
        )
        return replace(self, labor=kept + new)

    def amount_of(self, user_id: int, skill: SkillCategory) -> int:
        return sum(line.amount_cents for line in self.labor if line.user_id == user_id and line.role == skill.value)

    @property
    def facility_total_cents(self) -> int:
        """What the facility is paid: its fee and the materials."""
        return self.facility_fee_cents + self.materials_cents

    def split_json(self) -> Json:
        """What the money columns do not hold: the split and each person's line (the `quote_split` column)."""
        return {"split_bps": self.split.to_json(), "labor": [line.to_json() for line in self.labor]}

    def columns(self) -> dict[str, int]:
        """The booking's money columns; the parts add up to the total (service_bookings_quote_adds_up)."""
        return {
            "total_quoted_price_cents": self.total_cents,
            "facility_fee_cents": self.facility_fee_cents,
            "labor_fee_cents": self.labor_fee_cents,
            "materials_cost_cents": self.materials_cents,
            "platform_fee_cents": self.platform_fee_cents,
        }

    @classmethod
    def of(cls, booking: ServiceBooking) -> Breakdown | None:
        """The booking's breakdown, or None while the quote is unpriced (a custom quote awaiting its price)."""
        total = booking.total_quoted_price_cents
        if total is None:
            return None
        materials = booking.materials_cost_cents or 0
        shares = booking.quote_split or {}
        return cls(
            total_cents=total,
            service_price_cents=total - materials,
            facility_fee_cents=booking.facility_fee_cents or 0,
            materials_cents=materials,
            labor_fee_cents=booking.labor_fee_cents or 0,
            platform_fee_cents=booking.platform_fee_cents or 0,
            split=Split.from_json(shares.get("split_bps")),
            labor=tuple(LaborLine.from_json(line) for line in shares.get("labor", [])),
        )


UNPRICED: dict[str, int | None] = dict.fromkeys(
    ("total_quoted_price_cents", "facility_fee_cents", "labor_fee_cents", "materials_cost_cents", "platform_fee_cents")
)


def _lines(labor_fee: int, people: Sequence[Assignment]) -> tuple[LaborLine, ...]:
    if not people:
        return ()
    minutes = [int(a.hours * 60) for a in people]
    amounts = money.allocate(labor_fee, minutes if sum(minutes) else [1] * len(people))
    return tuple(LaborLine(a.user_id, a.name, a.role.value, a.hours, x) for a, x in zip(people, amounts, strict=True))


# --- both, on a booking -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Quote:
    """A booking's plan and breakdown, changed together so the people planned are the people priced."""

    plan: Plan
    breakdown: Breakdown | None

    @classmethod
    def of(cls, booking: ServiceBooking) -> Quote:
        return cls(Plan.from_json(booking.plan), Breakdown.of(booking))

    def staffed_by(self, assignments: Mapping[SkillCategory, Sequence[Assignment]]) -> Quote:
        """Every role given to these people, the labor share split among them."""
        people = [a for group in assignments.values() for a in group]
        breakdown = self.breakdown.shared_among(people) if self.breakdown else None
        return Quote(self.plan.with_assignments(assignments), breakdown)

    def handed_over(
        self, skill: SkillCategory, user_id: int, found: Sequence[Assignment], amounts: Sequence[int]
    ) -> Quote:
        """A person's part of a role given to the people found (declined or expired offer), in plan and breakdown."""
        breakdown = self.breakdown.replacing(skill, user_id, found, amounts) if self.breakdown else None
        return Quote(self.plan.replacing(skill, user_id, found), breakdown)

    def write_to(self, booking: ServiceBooking) -> list[str]:
        """Set the plan, the price columns and the seed's assignment columns on the booking (the caller saves,
        in one statement); returns the fields to save."""
        b = self.breakdown
        values: dict[str, Any] = {
            "plan": self.plan.to_json(),
            "quote_split": b.split_json() if b else {},
            **(b.columns() if b else UNPRICED),
            "assigned_labor_users": [a.to_json() for a in assigned_labor(self.plan)],
            "assigned_capabilities": [c.to_json() for c in assigned_capabilities(self.plan)],
        }
        for name, value in values.items():
            setattr(booking, name, value)
        return list(values)


@dataclass(frozen=True)
class AssignedLabor:
    """One person on the plan, in the seed's `assigned_labor_users` shape."""

    user_id: int
    role: SkillCategory
    hours: Decimal

    def to_json(self) -> Json:
        return {"user_id": self.user_id, "role": self.role.value, "hours": float(self.hours)}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> AssignedLabor:
        return cls(int(data["user_id"]), SkillCategory(data["role"]), Decimal(str(data.get("hours") or 0)))


@dataclass(frozen=True)
class AssignedCapability:
    """One capability's hours on the plan, in the seed's `assigned_capabilities` shape."""

    capability_id: int
    hours: Decimal

    def to_json(self) -> Json:
        return {"capability_id": self.capability_id, "hours": float(self.hours)}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> AssignedCapability:
        return cls(int(data["capability_id"]), Decimal(str(data.get("hours") or 0)))


def assigned_labor(plan: Plan) -> list[AssignedLabor]:
    """The people staffed now, each with their role and hours (one line per person and role)."""
    return [AssignedLabor(a.user_id, r.skill, a.hours) for r in plan.roles for a in r.assignments]


def assigned_capabilities(plan: Plan) -> list[AssignedCapability]:
    """The hours each capability is planned for, its blocks added up, in the order they first appear."""
    hours: dict[int, Decimal] = {}
    for block in plan.blocks:
        hours[block.capability_id] = hours.get(block.capability_id, Decimal(0)) + block.hours
    return [AssignedCapability(cap_id, h) for cap_id, h in hours.items()]


def plan_of(booking: ServiceBooking) -> Plan:
    return Plan.from_json(booking.plan)


def breakdown_of(booking: ServiceBooking) -> Breakdown | None:
    return Breakdown.of(booking)
