"""capacity_schedule: reservations and blocks of capabilities, and people's booked time."""

from __future__ import annotations

import uuid
from typing import Any

from tortoise import fields
from tortoise.migrations.constraints import CheckConstraint
from tortoise.models import Model

from models.enums import ResourceType, check_in


class CapacitySchedule(Model):
    id = fields.UUIDField(primary_key=True, default=uuid.uuid4)
    organization: fields.ForeignKeyRelation[Any] = fields.ForeignKeyField(
        "models.Organization", related_name="capacity_blocks", on_delete=fields.CASCADE
    )
    organization_id: uuid.UUID
    resource_type = fields.CharEnumField(ResourceType, max_length=20, default=ResourceType.FACILITY_CAPABILITY)
    capability: fields.ForeignKeyNullableRelation[Any] = fields.ForeignKeyField(
        "models.OrganizationCapability", related_name="schedule", null=True, on_delete=fields.CASCADE
    )
    capability_id: uuid.UUID | None
    user: fields.ForeignKeyNullableRelation[Any] = fields.ForeignKeyField(
        "models.User", related_name="labor_blocks", null=True, on_delete=fields.CASCADE
    )
    user_id: uuid.UUID | None
    booking: fields.ForeignKeyNullableRelation[Any] = fields.ForeignKeyField(
        "models.ServiceBooking", related_name="capacity_blocks", null=True, on_delete=fields.CASCADE
    )
    booking_id: uuid.UUID | None
    start_time = fields.DatetimeField()
    end_time = fields.DatetimeField()
    units = fields.IntField(default=1)  # lifts/booths at once, or square feet / spots
    hours = fields.DecimalField(max_digits=7, decimal_places=2, default=0)
    is_reserved = fields.BooleanField(default=False)
    is_blocked = fields.BooleanField(default=False)
    block_reason = fields.CharField(max_length=200, default="")
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "capacity_schedule"
        indexes = (
            ("capability_id", "start_time", "end_time"),
            ("user_id", "start_time", "end_time"),
            ("organization_id", "start_time"),
            ("booking_id",),
        )
        constraints = (
            CheckConstraint(check=check_in("resource_type", ResourceType), name="capacity_schedule_resource_type"),
            CheckConstraint(check="end_time > start_time AND units >= 0 AND hours >= 0", name="capacity_schedule_span"),
            CheckConstraint(
                check="(resource_type = 'facility_capability' AND capability_id IS NOT NULL)"
                " OR (resource_type = 'user_labor' AND user_id IS NOT NULL)",
                name="capacity_schedule_resource",
            ),
        )
