"""Staffing every role of a window at once: an exact assignment of people's minutes to roles.

The input says who may do which role (each role's people best first) and how many minutes each person can
give in the window; filters on people (weekly hours, preferences, travel) narrow those two before the solver
runs, so they compose with it. A person's minutes may go to several roles (a multi-skilled person), never
more than they have in total.

This is a transportation problem with few roles, so Hall's condition decides it exactly: the roles can be
staffed iff for every set S of roles, the minutes of the people who can do some role of S cover S's minutes.
The solver then fills the roles in order, each from its best-ranked person down, giving each person as
much as the rest of the problem still allows (the tightest Hall set bounds it), so a person who alone can
do a role is kept for it instead of being spent elsewhere.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from models.enums import SkillCategory


@dataclass(frozen=True)
class Demand:
    role: SkillCategory
    minutes: int
    ranked: tuple[int, ...]  # user ids who may do the role, best first


class _Instance:
    """Slack of every role subset, kept up to date as minutes are assigned."""

    def __init__(self, demands: Sequence[Demand], capacity: Mapping[int, int]) -> None:
        self.k = len(demands)
        self.need = [max(0, d.minutes) for d in demands]
        self.mask: dict[int, int] = {}
        for bit, demand in enumerate(demands):
            for user_id in demand.ranked:
                if capacity.get(user_id, 0) > 0:
                    self.mask[user_id] = self.mask.get(user_id, 0) | (1 << bit)
        self.cap = {u: capacity[u] for u in self.mask}

    def slacks(self) -> list[int]:
        """slack[S] = minutes of the people who can do some role of S, minus S's minutes."""
        full = (1 << self.k) - 1
        # within[m] = minutes of people whose roles all lie inside m (a subset-sum transform over masks)
        within = [0] * (1 << self.k)
        for user_id, m in self.mask.items():
            within[m] += self.cap[user_id]
        for bit in range(self.k):
            for m in range(1 << self.k):
                if m & (1 << bit):
                    within[m] += within[m ^ (1 << bit)]
        total = within[full]
        need = [0] * (1 << self.k)
        for m in range(1, 1 << self.k):
            low = m & -m
            need[m] = need[m ^ low] + self.need[low.bit_length() - 1]
        return [total - within[full ^ s] - need[s] for s in range(1 << self.k)]


def feasible(demands: Sequence[Demand], capacity: Mapping[int, int]) -> bool:
    """Whether the people's minutes can cover every role (Hall's condition over all role subsets)."""
    if not demands:
        return True
    return min(_Instance(demands, capacity).slacks()) >= 0


def solve(demands: Sequence[Demand], capacity: Mapping[int, int]) -> list[list[tuple[int, int]]] | None:
    """Per demand (same order), the (user id, minutes) given to it, best-ranked first; None if infeasible."""
    inst = _Instance(demands, capacity)
    if not demands:
        return []
    slack = inst.slacks()
    if min(slack) < 0:
        return None
    result: list[list[tuple[int, int]]] = [[] for _ in demands]
    for r, demand in enumerate(demands):
        rbit = 1 << r
        for user_id in demand.ranked:
            if inst.need[r] <= 0:
                break
            m = inst.mask.get(user_id, 0)
            if not m & rbit or inst.cap[user_id] <= 0:
                continue
            # Giving x minutes lowers the slack of every set this person serves that does not contain r.
            bound = min((slack[s] for s in range(1 << inst.k) if s & m and not s & rbit), default=inst.need[r])
            x = min(inst.need[r], inst.cap[user_id], bound)
            if x <= 0:
                continue
            result[r].append((user_id, x))
            inst.need[r] -= x
            inst.cap[user_id] -= x
            slack = inst.slacks()
    if any(inst.need):  # cannot happen while Hall's condition held at the start
        return None
    return result
