"""Users (customers, labor, facility members, admins), their skills and vehicles."""

from __future__ import annotations

import uuid

from tortoise import fields
from tortoise.migrations.constraints import CheckConstraint
from tortoise.models import Model

from models.enums import Proficiency, SkillCategory, check_in


class User(Model):
    id = fields.UUIDField(primary_key=True, default=uuid.uuid4)
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
    # Bumped to revoke every token issued before.
    token_version = fields.IntField(default=0)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "users"
        indexes = (("latitude", "longitude"),)


class UserSkill(Model):
    id = fields.UUIDField(primary_key=True, default=uuid.uuid4)
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="skills", on_delete=fields.CASCADE
    )
    user_id: uuid.UUID
    skill_category = fields.CharEnumField(SkillCategory, max_length=30)
    skill_name = fields.CharField(max_length=200)
    proficiency_level = fields.CharEnumField(Proficiency, max_length=20, default=Proficiency.COMPETENT)
    years_experience = fields.IntField(default=0)
    hourly_rate_cents = fields.BigIntField(default=0)
    certifications: fields.Field[list[str]] = fields.JSONField(default=list)
    availability_hours_per_week = fields.IntField(default=40)
    travel_radius_miles = fields.IntField(default=25)
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
            CheckConstraint(
                check="years_experience >= 0 AND hourly_rate_cents >= 0 AND travel_radius_miles >= 0"
                " AND availability_hours_per_week >= 0 AND availability_hours_per_week <= 168",
                name="user_skills_ranges",
            ),
        )


class Vehicle(Model):
    id = fields.UUIDField(primary_key=True, default=uuid.uuid4)
    owner: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="vehicles", on_delete=fields.CASCADE
    )
    owner_id: uuid.UUID
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
