"""capacity_schedule: reservations and blocks of capabilities, and people's booked time."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from tortoise import fields
from tortoise.migrations.constraints import CheckConstraint
from tortoise.models import Model
from tortoise.signals import pre_save

from models.enums import ResourceType, check_in
from models.organization import Organization


class CapacitySchedule(Model):
    id = fields.IntField(primary_key=True)
    organization: fields.ForeignKeyRelation[Any] = fields.ForeignKeyField(
        "models.Organization", related_name="capacity_blocks", on_delete=fields.CASCADE
    )
    organization_id: int
    resource_type = fields.CharEnumField(ResourceType, max_length=20, default=ResourceType.FACILITY_CAPABILITY)
    # The seed's polymorphic id: the capability's id or the user's, copied from the foreign key the locks and
    # the exclusion constraint use (filled on construction, CHECKed to match).
    resource_id = fields.IntField()
    capability: fields.ForeignKeyNullableRelation[Any] = fields.ForeignKeyField(
        "models.OrganizationCapability", related_name="schedule", null=True, on_delete=fields.CASCADE
    )
    capability_id: int | None
    user: fields.ForeignKeyNullableRelation[Any] = fields.ForeignKeyField(
        "models.User", related_name="labor_blocks", null=True, on_delete=fields.CASCADE
    )
    user_id: int | None
    booking: fields.ForeignKeyNullableRelation[Any] = fields.ForeignKeyField(
        "models.ServiceBooking", related_name="capacity_blocks", null=True, on_delete=fields.CASCADE
    )
    booking_id: int | None
    # The facility-local day the block starts on; a block past midnight (a storage stay, a late shift) keeps
    # the day it started, and start_time/end_time/duration_hours say how far it runs (docs/capacity.md).
    date = fields.DateField()
    start_time = fields.DatetimeField()
    end_time = fields.DatetimeField()
    units = fields.IntField(default=1)  # lifts/booths at once, or square feet / spots
    duration_hours = fields.DecimalField(max_digits=7, decimal_places=2, default=0)
    is_reserved = fields.BooleanField(default=False)
    is_blocked = fields.BooleanField(default=False)
    notes = fields.CharField(max_length=200, default="")
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "capacity_schedule"
        indexes = (
            ("capability_id", "start_time", "end_time"),
            ("user_id", "start_time", "end_time"),
            ("organization_id", "start_time"),
            ("booking_id",),
            ("resource_type", "resource_id"),
            ("date",),
        )
        constraints = (
            CheckConstraint(check=check_in("resource_type", ResourceType), name="capacity_schedule_resource_type"),
            CheckConstraint(
                check="end_time > start_time AND units >= 0 AND duration_hours >= 0", name="capacity_schedule_span"
            ),
            CheckConstraint(
                check="(resource_type = 'facility_capability' AND capability_id IS NOT NULL"
                " AND resource_id = capability_id)"
                " OR (resource_type = 'user_labor' AND user_id IS NOT NULL AND resource_id = user_id)",
                name="capacity_schedule_resource",
            ),
        )

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.derive()

    def derive(self) -> None:
        """resource_id from the foreign key of the block's kind, duration_hours from its span (whole minutes)."""
        owner = self.user_id if self.resource_type == ResourceType.USER_LABOR else self.capability_id
        if owner is not None:
            self.resource_id = owner
        start, end = _moment(getattr(self, "start_time", None)), _moment(getattr(self, "end_time", None))
        if start is not None and end is not None:
            self.duration_hours = span_hours(start, end)


def _moment(value: object) -> datetime | None:
    """A block's time as given (a datetime, or the ISO text a stored plan holds)."""
    if isinstance(value, str):
        return datetime.fromisoformat(value)
    return value if isinstance(value, datetime) else None


def span_hours(start: datetime, end: datetime) -> Decimal:
    return (Decimal(int((end - start).total_seconds() // 60)) / 60).quantize(Decimal("0.01"))


def local_day(moment: datetime, timezone: str) -> date:
    """The facility-local date of a moment: a block's `date`."""
    return moment.astimezone(ZoneInfo(timezone or "UTC")).date()


@pre_save(CapacitySchedule)
async def _fill_derived(
    sender: type[CapacitySchedule], instance: CapacitySchedule, using_db: Any, update_fields: Any
) -> None:
    # Every single-row writer gets the derived columns (bulk writers pass `date`; __init__ did the rest).
    instance.derive()
    if getattr(instance, "date", None) is None:
        timezones = (
            await Organization.filter(id=instance.organization_id).using_db(using_db).values_list("timezone", flat=True)
        )
        start = _moment(instance.start_time)
        if start is not None:
            instance.date = local_day(start, str(timezones[0]) if timezones else "UTC")
