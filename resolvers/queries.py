"""Root query fields: parse arguments, check access, call one service, map the result."""

from __future__ import annotations

import strawberry

import models
from app.errors import not_found
from app.services import directory, labor_pool
from schema.connections import After, Before, Connection, First, Last, page_request
from schema.context import Info
from schema.enums import BookingStatus, Proficiency, SkillCategory
from schema.inputs import NearInput, OrganizationFilter
from schema.types.base import from_row
from schema.types.booking import ServiceBooking
from schema.types.organization import Organization
from schema.types.user import LaborPoolMember, User, Viewer


def viewer_type(info: Info) -> Viewer:
    viewer = info.context.viewer
    return Viewer(
        roles=viewer.roles,
        user=from_row(User, viewer.user) if viewer.user else None,
        organization_ids=sorted(viewer.member_roles),
    )


@strawberry.type
class CatalogQuery:
    @strawberry.field(description="The signed-in user and their roles (anonymous: no user, no roles).")
    def viewer(self, info: Info) -> Viewer:
        return viewer_type(info)

    @strawberry.field
    async def organization(self, info: Info, id: int) -> Organization:
        row = await info.context.loaders.one(models.Organization, id)
        if row is None:
            raise not_found("Organization", id)
        return from_row(Organization, row)

    @strawberry.field(description="Organizations by service type, capability, distance and text; paginated.")
    async def organizations(
        self,
        info: Info,
        filter: OrganizationFilter | None = None,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[Organization]:
        f = filter or OrganizationFilter()
        page = await directory.search_organizations(
            service_type=f.service_type,
            capability_type=f.capability_type,
            near=directory.NearPoint(f.near.latitude, f.near.longitude, f.near.radius_miles) if f.near else None,
            text=f.text,
            page=page_request(first, after, last, before),
        )
        return Connection.of(page, lambda row: from_row(Organization, row))

    @strawberry.field(
        description="People with a skill near a point, ranked as matching ranks them (proficiency, verification,"
        " distance, rating); for facility members. Paged by cursor like every list."
    )
    async def labor_pool(
        self,
        info: Info,
        skill_category: SkillCategory,
        near: NearInput,
        min_proficiency: Proficiency = Proficiency.LEARNING,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[LaborPoolMember]:
        page = await labor_pool.labor_pool(
            viewer=info.context.viewer,
            skill_category=skill_category,
            near=labor_pool.Near(near.latitude, near.longitude, near.radius_miles),
            min_proficiency=min_proficiency,
            page=page_request(first, after, last, before),
        )
        return Connection.of(page, lambda entry: LaborPoolMember(entry=entry, distance_miles=entry.distance_miles))

    @strawberry.field(description="A public profile.")
    async def user(self, info: Info, id: int) -> User:
        row = await info.context.loaders.one(models.User, id)
        if row is None:
            raise not_found("User", id)
        return from_row(User, row)

    @strawberry.field
    async def service_booking(self, info: Info, id: int) -> ServiceBooking:
        viewer = info.context.viewer
        viewer.require_user()
        row = await info.context.loaders.one(models.ServiceBooking, id)
        return from_row(ServiceBooking, await viewer.require_sees_booking(row, kind="ServiceBooking", ident=id))

    @strawberry.field(description="Bookings the viewer may see, newest first; paginated.")
    async def service_bookings(
        self,
        info: Info,
        status: list[BookingStatus] | None = None,
        organization_id: int | None = None,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[ServiceBooking]:
        page = await directory.visible_bookings(
            viewer=info.context.viewer,
            statuses=status,
            organization_id=organization_id,
            page=page_request(first, after, last, before),
        )
        return Connection.of(page, lambda row: from_row(ServiceBooking, row))
