"""Users (customers, labor, facility members, admins), their skills and vehicles."""

from __future__ import annotations

from typing import Any

from tortoise import fields
from tortoise.fields import relational
from tortoise.migrations.constraints import CheckConstraint
from tortoise.models import Model

from models.enums import AccountType, Proficiency, SkillCategory, WorkSchedule, check_in


class ForeignKeyFieldInstance(relational.ForeignKeyFieldInstance["User"]):
    """A foreign key whose column is named by `source_field` (the seed's `verified_by`, not `verified_by_id`).

    Tortoise 1.1.9 describes such a key by its `<name>_id` attribute once the models are loaded, and by the column
    in the migration state, so `makemigrations` proposed the same AlterField forever. Describing it by the column
    on both sides ends that. Same class name: the description compares it."""

    def describe(self, serializable: bool) -> dict[str, Any]:
        desc = super().describe(serializable)
        model = getattr(self, "model", None)
        backing = model._meta.fields_map.get(self.source_field) if model is not None and self.source_field else None
        if backing is not None and backing.source_field:
            desc["raw_field"] = backing.source_field
        return desc


class User(Model):
    id = fields.IntField(primary_key=True)
    email = fields.CharField(max_length=254, unique=True)
    password_hash = fields.CharField(max_length=200)
    full_name = fields.CharField(max_length=200)
    phone = fields.CharField(max_length=40, default="")
    bio = fields.TextField(default="")
    latitude = fields.FloatField(null=True)
    longitude = fields.FloatField(null=True)
    rating = fields.DecimalField(max_digits=3, decimal_places=2, default=0)
    rating_count = fields.IntField(default=0)
    completed_jobs = fields.IntField(default=0)
    stripe_account_id = fields.CharField(max_length=100, null=True)
    is_admin = fields.BooleanField(default=False)
    is_active = fields.BooleanField(default=True)
    account_type = fields.CharEnumField(AccountType, max_length=20, default=AccountType.CUSTOMER)
    # Bumped to revoke every token issued before.
    token_version = fields.IntField(default=0)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "users"
        indexes = (("latitude", "longitude"),)
        constraints = (CheckConstraint(check=check_in("account_type", AccountType), name="users_account_type"),)


class UserSkill(Model):
    id = fields.IntField(primary_key=True)
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="skills", on_delete=fields.CASCADE
    )
    user_id: int
    skill_category = fields.CharEnumField(SkillCategory, max_length=30)
    skill_name = fields.CharField(max_length=200)
    proficiency_level = fields.CharEnumField(Proficiency, max_length=20, default=Proficiency.COMPETENT)
    years_experience = fields.IntField(default=0)
    hourly_rate_cents = fields.BigIntField(default=0)
    # [{"name": "ASE Certified", "date": "2023-01-01" or null}]: read and written through app.services.skills.
    certifications: fields.Field[list[dict[str, str | None]]] = fields.JSONField(default=list)
    available_hours_per_week = fields.IntField(default=40)
    preferred_work_schedule = fields.CharEnumField(WorkSchedule, max_length=20, default=WorkSchedule.FLEXIBLE)
    minimum_job_hours = fields.IntField(default=2)
    max_travel_distance_miles = fields.IntField(default=25)
    has_own_tools = fields.BooleanField(default=False)
    # Set only by an admin (app.services.skills.verify_skill), with who and when.
    is_verified = fields.BooleanField(default=False)
    verified_by: fields.ForeignKeyNullableRelation[User] = ForeignKeyFieldInstance(
        "models.User", related_name="verified_skills", null=True, on_delete=fields.SET_NULL, source_field="verified_by"
    )
    verified_by_id: int | None
    verified_at = fields.DatetimeField(null=True)
    portfolio_image_urls: fields.Field[list[str]] = fields.JSONField(default=list)
    sample_work_urls: fields.Field[list[str]] = fields.JSONField(default=list)
    is_available = fields.BooleanField(default=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "user_skills"
        unique_together = (("user", "skill_category"),)  # one skill per category: update it, never add twice
        indexes = (("skill_category", "proficiency_level"),)
        constraints = (
            CheckConstraint(check=check_in("skill_category", SkillCategory), name="user_skills_category"),
            CheckConstraint(check=check_in("proficiency_level", Proficiency), name="user_skills_proficiency"),
            CheckConstraint(check=check_in("preferred_work_schedule", WorkSchedule), name="user_skills_schedule"),
            CheckConstraint(
                check="years_experience >= 0 AND hourly_rate_cents >= 0 AND max_travel_distance_miles >= 0"
                " AND available_hours_per_week >= 0 AND available_hours_per_week <= 168"
                " AND minimum_job_hours >= 0 AND minimum_job_hours <= 168",
                name="user_skills_ranges",
            ),
        )


class Vehicle(Model):
    id = fields.IntField(primary_key=True)
    owner: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="vehicles", on_delete=fields.CASCADE
    )
    owner_id: int
    year = fields.IntField()
    make = fields.CharField(max_length=100)
    model = fields.CharField(max_length=100)
    vin = fields.CharField(max_length=17, null=True)
    color = fields.CharField(max_length=50, default="")
    value_cents = fields.BigIntField(default=0)
    notes = fields.TextField(default="")
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "vehicles"
        constraints = (CheckConstraint(check="value_cents >= 0 AND year >= 1885", name="vehicles_ranges"),)
