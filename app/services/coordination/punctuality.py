"""The one "on time" rule, shared by a quote's confidence and the timeline-accuracy metric."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from app.services.coordination.working_hours import local_date


def on_time(*, done: datetime, due: datetime, tz: ZoneInfo) -> bool:
    """Finished on or before the quoted end's date, both read as dates in the facility's own timezone:
    work promised for Tuesday and handed over at 5 pm local on Tuesday is on time, whatever the hour."""
    return local_date(done, tz) <= local_date(due, tz)
