"""Service bookings, their status history, job offers and reviews."""

from __future__ import annotations

from typing import Any

from tortoise import fields
from tortoise.migrations.constraints import CheckConstraint
from tortoise.models import Model
from tortoise.signals import pre_save

from models.enums import BookingStatus, JobOfferStatus, PartyType, ServiceType, SkillCategory, check_in

QUOTE_PARTS = ("facility_fee_cents", "labor_fee_cents", "materials_cost_cents", "platform_fee_cents")
# Unpriced (every money column NULL) or priced (none NULL, none negative, the parts summing to the total).
# Every column is named NOT NULL in the priced branch: a NULL part would make the sum NULL, which a CHECK passes.
_UNPRICED = " AND ".join(f"{p} IS NULL" for p in QUOTE_PARTS)
_PRICED = " AND ".join(f"{p} IS NOT NULL AND {p} >= 0" for p in QUOTE_PARTS)
QUOTE_ADDS_UP = (
    f"(total_quoted_price_cents IS NULL AND {_UNPRICED})"
    f" OR (total_quoted_price_cents IS NOT NULL AND {_PRICED} AND {' + '.join(QUOTE_PARTS)} = total_quoted_price_cents)"
)


class ServiceBooking(Model):
    id = fields.IntField(primary_key=True)
    organization: fields.ForeignKeyNullableRelation[Any] = fields.ForeignKeyField(
        "models.Organization", related_name="bookings", null=True, on_delete=fields.RESTRICT
    )
    organization_id: int | None
    customer: fields.ForeignKeyRelation[Any] = fields.ForeignKeyField(
        "models.User", related_name="bookings", on_delete=fields.RESTRICT
    )
    customer_id: int
    vehicle: fields.ForeignKeyNullableRelation[Any] = fields.ForeignKeyField(
        "models.Vehicle", related_name="bookings", null=True, on_delete=fields.SET_NULL
    )
    vehicle_id: int | None
    service: fields.ForeignKeyNullableRelation[Any] = fields.ForeignKeyField(
        "models.OrganizationService", related_name="bookings", null=True, on_delete=fields.SET_NULL
    )
    service_id: int | None
    service_type = fields.CharEnumField(ServiceType, max_length=30)
    title = fields.CharField(max_length=200)
    description = fields.TextField(default="")
    status = fields.CharEnumField(BookingStatus, max_length=20, default=BookingStatus.QUOTE_REQUESTED)
    requested_start_date = fields.DateField()
    requested_completion_date = fields.DateField(null=True)
    flexible_timeline = fields.BooleanField(default=True)
    search_latitude = fields.FloatField(null=True)
    search_longitude = fields.FloatField(null=True)
    search_radius_miles = fields.IntField(null=True)
    # Communications: the customer's (with the request), the facility's and the assigned labor's (access.py).
    customer_notes = fields.TextField(default="")
    facility_notes = fields.TextField(default="")
    labor_notes = fields.TextField(default="")
    # The quote's price and its parts (all NULL until priced; the CHECK below makes them add up).
    total_quoted_price_cents = fields.BigIntField(null=True)
    facility_fee_cents = fields.BigIntField(null=True)
    labor_fee_cents = fields.BigIntField(null=True)
    materials_cost_cents = fields.BigIntField(null=True)
    platform_fee_cents = fields.BigIntField(null=True)
    # How the price is shared: the split in basis points and each person's pay line (plan.Breakdown).
    quote_split: fields.Field[dict[str, Any]] = fields.JSONField(default=dict)
    quote_expires_at = fields.DatetimeField(null=True)
    scheduled_start = fields.DatetimeField(null=True)
    scheduled_end = fields.DatetimeField(null=True)
    # Facility-local days of the scheduled window (written with it) and of the work's actual start and end.
    calculated_start_date = fields.DateField(null=True)
    calculated_completion_date = fields.DateField(null=True)
    actual_start_date = fields.DateField(null=True)
    actual_completion_date = fields.DateField(null=True)
    # The precise moments behind the actual dates: punctuality and payment velocity compare instants.
    actual_start = fields.DatetimeField(null=True)
    actual_completion = fields.DatetimeField(null=True)
    coordination_score = fields.IntField(null=True)
    capacity_utilization = fields.DecimalField(max_digits=5, decimal_places=4, null=True)
    confidence = fields.DecimalField(max_digits=5, decimal_places=4, null=True)
    # The quote's plan: capability reservations and ranked labor per role, as chosen at quote time.
    plan: fields.Field[dict[str, Any]] = fields.JSONField(default=dict)
    # The plan's people and capabilities in the seed's shape, written with the plan (plan.Quote.write_to):
    # [{"user_id", "role", "hours"}] and [{"capability_id", "hours"}].
    assigned_labor_users: fields.Field[list[dict[str, Any]]] = fields.JSONField(default=list)
    assigned_capabilities: fields.Field[list[dict[str, Any]]] = fields.JSONField(default=list)
    alternatives: fields.Field[list[dict[str, Any]]] = fields.JSONField(default=list)
    excluded: fields.Field[list[dict[str, Any]]] = fields.JSONField(default=list)
    # People the acceptance staffed differently from the quote, with why (staffing_changes.StaffingChange).
    staffing_changes: fields.Field[list[dict[str, Any]]] = fields.JSONField(default=list)
    cancellation_reason = fields.TextField(default="")
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "service_bookings"
        indexes = (("organization_id", "status"), ("customer_id", "status"), ("status", "created_at"))
        constraints = (
            CheckConstraint(check=check_in("status", BookingStatus), name="service_bookings_status"),
            CheckConstraint(check=check_in("service_type", ServiceType), name="service_bookings_service_type"),
            CheckConstraint(check=QUOTE_ADDS_UP, name="service_bookings_quote_adds_up"),
            CheckConstraint(
                check="coordination_score IS NULL OR (coordination_score >= 0 AND coordination_score <= 100)",
                name="service_bookings_score",
            ),
        )


class BookingStatusHistory(Model):
    id = fields.IntField(primary_key=True)
    booking: fields.ForeignKeyRelation[ServiceBooking] = fields.ForeignKeyField(
        "models.ServiceBooking", related_name="status_history", on_delete=fields.CASCADE
    )
    booking_id: int
    from_status = fields.CharEnumField(BookingStatus, max_length=20, null=True)
    to_status = fields.CharEnumField(BookingStatus, max_length=20)
    changed_by: fields.ForeignKeyNullableRelation[Any] = fields.ForeignKeyField(
        "models.User", related_name="status_changes", null=True, on_delete=fields.SET_NULL
    )
    changed_by_id: int | None
    reason = fields.TextField(default="")
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "booking_status_history"
        indexes = (("booking_id", "created_at"), ("to_status", "created_at"))


class JobOffer(Model):
    id = fields.IntField(primary_key=True)
    booking: fields.ForeignKeyRelation[ServiceBooking] = fields.ForeignKeyField(
        "models.ServiceBooking", related_name="job_offers", on_delete=fields.CASCADE
    )
    booking_id: int
    user: fields.ForeignKeyRelation[Any] = fields.ForeignKeyField(
        "models.User", related_name="job_offers", on_delete=fields.CASCADE
    )
    user_id: int
    role = fields.CharEnumField(SkillCategory, max_length=30)
    rank = fields.IntField(default=1)
    hours = fields.DecimalField(max_digits=7, decimal_places=2, default=0)
    amount_cents = fields.BigIntField(default=0)
    status = fields.CharEnumField(JobOfferStatus, max_length=20, default=JobOfferStatus.PENDING)
    expires_at = fields.DatetimeField()
    responded_at = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "job_offers"
        indexes = (("user_id", "status"), ("status", "expires_at"), ("booking_id", "role"))
        constraints = (
            CheckConstraint(check=check_in("status", JobOfferStatus), name="job_offers_status"),
            CheckConstraint(check="amount_cents >= 0 AND hours >= 0", name="job_offers_non_negative"),
        )


class Review(Model):
    id = fields.IntField(primary_key=True)
    booking: fields.ForeignKeyRelation[ServiceBooking] = fields.ForeignKeyField(
        "models.ServiceBooking", related_name="reviews", on_delete=fields.CASCADE
    )
    booking_id: int
    author: fields.ForeignKeyRelation[Any] = fields.ForeignKeyField(
        "models.User", related_name="reviews_written", on_delete=fields.CASCADE
    )
    author_id: int
    subject_type = fields.CharEnumField(PartyType, max_length=20)
    subject_user: fields.ForeignKeyNullableRelation[Any] = fields.ForeignKeyField(
        "models.User", related_name="reviews_received", null=True, on_delete=fields.CASCADE
    )
    subject_user_id: int | None
    subject_organization: fields.ForeignKeyNullableRelation[Any] = fields.ForeignKeyField(
        "models.Organization", related_name="reviews", null=True, on_delete=fields.CASCADE
    )
    subject_organization_id: int | None
    # "user-12" or "org-3": never NULL, unlike the two subject columns, so the unique key below holds.
    subject_key = fields.CharField(max_length=40)
    score = fields.IntField()
    comment = fields.TextField(default="")
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "reviews"
        unique_together = (("booking", "author", "subject_type", "subject_key"),)
        constraints = (
            CheckConstraint(check="score >= 1 AND score <= 5", name="reviews_score"),
            CheckConstraint(check=check_in("subject_type", PartyType), name="reviews_subject_type"),
        )


def review_subject_key(subject_user_id: int | None, subject_organization_id: int | None) -> str:
    """The review's subject as one non-null value: "user-12" or "org-3"."""
    return f"user-{subject_user_id}" if subject_organization_id is None else f"org-{subject_organization_id}"


@pre_save(Review)
async def _fill_subject_key(sender: type[Review], instance: Review, using_db: Any, update_fields: Any) -> None:
    # Every writer gets the key, not only the reviews service (seeds and tests create reviews directly).
    if not instance.subject_key:
        instance.subject_key = review_subject_key(
            instance.subject_user_id,
            instance.subject_organization_id,
        )
