"""The timeline confidence of a quote: the chance the work is done by the quoted end's date.

Work is late when it overruns more than the window can absorb, or when a person does not come and nobody
free can take their hours. So the confidence is

    P(on time) = [1 - overrun chance * exp(-capacity slack / OVERRUN_MEAN)] * [r + (1 - r) * min(1, people slack)]

- the overrun chance comes from h, the share of the service's, else the facility's, finished work that was
  on time, each shrunk toward the next coarser record by its sample size (a facility with two jobs says
  little; a prior for none): past work was late only when it overran past its own slack, so the chance of
  overrunning at all is (1 - h) / EXPOSURE, EXPOSURE being how often an overrun used to exceed the slack;
- exp(-s / OVERRUN_MEAN): the chance an overrun does not fit in the free capacity s left in the window, as a
  fraction of the job's own minutes (overruns taken as exponential);
- EXPOSURE and OVERRUN_MEAN are fitted by bench/calibration_bench.py on simulated histories;
- r: the assigned people's share of offers they accepted (declines and expiries count against), shrunk
  toward a prior; people slack: free minutes of other qualified people in the window over the job's labor
  minutes (a no-show is recovered when others can cover it).
The calibration bench writes a reliability table (confidence bin -> observed on-time share) and the
expected calibration error, for this and the earlier formula.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

PRIOR_ON_TIME = 0.75  # a facility without history is assumed mostly punctual
PRIOR_RELIABILITY = 0.9
PRIOR_WEIGHT = 4.0  # a record counts as much as the prior once it has this many cases
OVERRUN_MEAN = 0.95  # mean overrun, as a fraction of the job's minutes, when work overruns (fitted, see above)
EXPOSURE = 0.85  # how often a past overrun went past its window's slack (fitted, see above)
FLOOR, CEILING = 0.01, 0.99


@dataclass(frozen=True)
class Record:
    """How many of `total` cases went well."""

    good: int = 0
    total: int = 0

    def shrunk(self, prior: float, weight: float = PRIOR_WEIGHT) -> float:
        return (self.good + weight * prior) / (self.total + weight)


@dataclass(frozen=True)
class Inputs:
    capacity_slack: float  # free minutes left in the window's days for the tightest type, over the job's minutes
    people_slack: float  # free minutes of qualified people left in the window, over the job's labor minutes
    facility: Record  # the facility's finished bookings: on time of all
    service: Record  # the same, for this service
    labor: Record  # the assigned people's offers: accepted of accepted, declined and expired
    needs_people: bool = True


def on_time_rate(facility: Record, service: Record) -> float:
    return service.shrunk(facility.shrunk(PRIOR_ON_TIME))


def timeline_confidence(inputs: Inputs) -> float:
    overrun = min(1.0, (1 - on_time_rate(inputs.facility, inputs.service)) / EXPOSURE)
    capacity = 1 - overrun * math.exp(-max(0.0, inputs.capacity_slack) / OVERRUN_MEAN)
    labor = 1.0
    if inputs.needs_people:
        r = inputs.labor.shrunk(PRIOR_RELIABILITY)
        labor = r + (1 - r) * min(1.0, max(0.0, inputs.people_slack))
    return min(CEILING, max(FLOOR, capacity * labor))
