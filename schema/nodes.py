"""Relay's `node(id:)` and `nodes(ids:)`: any entity by its global id, shown only to whom the typed fields show it.

Each rule below is the one of the typed root or nested fields that reach the type (the widest of them), so `node`
never reveals a row the schema would not; a hidden row answers exactly like a missing one (NOT_FOUND naming the
type and the key, as `serviceBooking(id:)` does), so probing ids tells a stranger nothing. Rows and the rows a
rule reads (the booking of an offer, the contract of a payout) come through the request's loaders: `nodes` costs
one statement per type asked for and per relation read, whatever the number of ids.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any
from uuid import UUID

from tortoise.models import Model

import models
from app.errors import DomainError, ErrorCode, not_found
from schema.context import Info
from schema.ids import decode
from schema.types.base import Entity, from_row
from schema.types.booking import BookingStatusChange, CapacityBlock, JobOffer, Review, ServiceBooking
from schema.types.contract import PaymentDistribution, WorkContract
from schema.types.organization import Organization, OrganizationCapability, OrganizationMember, OrganizationService
from schema.types.user import User, UserSkill, Vehicle

Rule = Callable[[Info, Any], Awaitable[bool]]


async def _public(info: Info, row: Any) -> bool:
    return True  # profiles, organizations, their catalog, capabilities and skills: `user(id:)`, `organization(id:)`


async def _booking_visible(info: Info, booking: models.ServiceBooking | None) -> bool:
    if booking is None:
        return False
    return await info.context.viewer.can_see_booking(
        booking_id=booking.id, customer_id=booking.customer_id, organization_id=booking.organization_id
    )


async def _booking(info: Info, row: models.ServiceBooking) -> bool:
    return await _booking_visible(info, row)


async def _of_booking(info: Info, row: Any) -> bool:
    """Status history, reviews and the contract: to whoever sees their booking (ServiceBooking's fields)."""
    return await _booking_visible(info, await info.context.loaders.one(models.ServiceBooking, row.booking_id))


async def _vehicle(info: Info, row: models.Vehicle) -> bool:
    """User.vehicles (the owner, admins), and ServiceBooking.vehicle (whoever sees a booking of it)."""
    if info.context.viewer.is_self(row.owner_id):
        return True
    bookings = await info.context.loaders.many(models.ServiceBooking, "vehicle_id", row.id)
    return any([await _booking_visible(info, b) for b in bookings])


async def _member(info: Info, row: models.OrganizationMember) -> bool:
    """User.memberships (oneself) and Organization.members (its members)."""
    viewer = info.context.viewer
    return viewer.is_self(row.user_id) or viewer.is_member(row.organization_id)


async def _capacity_block(info: Info, row: models.CapacitySchedule) -> bool:
    """Organization.capacityBlocks (members), ServiceBooking.capacityBlocks (its parties all, labor its own)."""
    viewer = info.context.viewer
    if viewer.is_member(row.organization_id):
        return True
    if row.booking_id is None:
        return False
    booking = await info.context.loaders.one(models.ServiceBooking, row.booking_id)
    if booking is None or not await _booking_visible(info, booking):
        return False
    return bool(viewer.booking_labor([row], lambda r: r.user_id, booking=booking))


async def _job_offer(info: Info, row: models.JobOffer) -> bool:
    """User.jobOffers (oneself), ServiceBooking.jobOffers (the facility's members, the offered person)."""
    viewer = info.context.viewer
    if viewer.is_self(row.user_id):
        return True
    booking = await info.context.loaders.one(models.ServiceBooking, row.booking_id)
    return booking is not None and viewer.is_member(booking.organization_id)


async def _payout(info: Info, row: models.PaymentDistribution) -> bool:
    """User.payouts (oneself), WorkContract.paymentDistributions (the contract's parties all, labor its own)."""
    viewer = info.context.viewer
    if viewer.user is not None and viewer.is_self(row.recipient_user_id):
        return True
    contract = await info.context.loaders.one(models.WorkContract, row.contract_id)
    return contract is not None and viewer.is_booking_party(
        customer_id=contract.customer_id, organization_id=contract.organization_id
    )


# GraphQL type name -> (its table's model, its Strawberry type, who may see a row).
NODES: dict[str, tuple[type[Model], type[Entity], Rule]] = {
    "User": (models.User, User, _public),
    "Organization": (models.Organization, Organization, _public),
    "OrganizationService": (models.OrganizationService, OrganizationService, _public),
    "OrganizationCapability": (models.OrganizationCapability, OrganizationCapability, _public),
    "UserSkill": (models.UserSkill, UserSkill, _public),
    "OrganizationMember": (models.OrganizationMember, OrganizationMember, _member),
    "Vehicle": (models.Vehicle, Vehicle, _vehicle),
    "ServiceBooking": (models.ServiceBooking, ServiceBooking, _booking),
    "BookingStatusChange": (models.BookingStatusHistory, BookingStatusChange, _of_booking),
    "Review": (models.Review, Review, _of_booking),
    "WorkContract": (models.WorkContract, WorkContract, _of_booking),
    "CapacityBlock": (models.CapacitySchedule, CapacityBlock, _capacity_block),
    "JobOffer": (models.JobOffer, JobOffer, _job_offer),
    "PaymentDistribution": (models.PaymentDistribution, PaymentDistribution, _payout),
}


def parse_global_id(value: str, *, field: str) -> tuple[str, UUID]:
    """(type name, key) of a global id of one of our types; BAD_INPUT for a bare UUID, another type or garbage."""
    decoded = decode(value)
    if decoded is None or decoded[0] is None:
        raise DomainError(ErrorCode.BAD_INPUT, f"{field} is not a global id (the `id` of an object)", field=field)
    type_name, key = decoded
    if type_name not in NODES:
        raise DomainError(ErrorCode.BAD_INPUT, f"{field} names no type of this schema", field=field)
    return type_name, key


async def load_node(info: Info, value: str, *, field: str) -> Entity:
    """The entity named by a global id, if the viewer may see it; NOT_FOUND otherwise (missing or hidden alike)."""
    type_name, key = parse_global_id(value, field=field)
    model, entity, rule = NODES[type_name]
    row = await info.context.loaders.one(model, key)
    if row is None or not await rule(info, row):
        raise not_found(type_name, key, field=field)
    return from_row(entity, row)
