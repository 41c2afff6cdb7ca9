"""Root mutations of sign-in and the catalog: thin hand-offs to the services."""

from __future__ import annotations

from datetime import UTC, datetime

import strawberry

from app.services import auth, catalog
from app.services.access import viewer_for_user
from resolvers.queries import viewer_type
from schema.context import Info
from schema.enums import MemberRole
from schema.ids import parse_id
from schema.inputs import (
    CapabilityInput,
    CapabilityUpdateInput,
    OrganizationInput,
    OrganizationUpdateInput,
    ServiceInput,
    ServiceUpdateInput,
    SkillInput,
    SkillUpdateInput,
    VehicleInput,
    values_of,
)
from schema.types.base import from_row
from schema.types.organization import Organization, OrganizationCapability, OrganizationMember, OrganizationService
from schema.types.user import AuthPayload, UserSkill, Vehicle


@strawberry.type
class CatalogMutation:
    @strawberry.mutation(description="Sign in; the token goes in `Authorization: Bearer <token>`.")
    async def login(self, info: Info, email: str, password: str) -> AuthPayload:
        result = await auth.login(email=email, password=password, address=info.context.address)
        info.context.viewer = await viewer_for_user(result.user)
        return AuthPayload(
            token=result.token,
            expires_at=datetime.fromtimestamp(result.expires_at, tz=UTC),
            viewer=viewer_type(info),
        )

    @strawberry.mutation(description="Revoke every token of the signed-in user (sign out everywhere).")
    async def revoke_tokens(self, info: Info) -> bool:
        await auth.revoke_tokens(user=info.context.viewer.require_user())
        return True

    @strawberry.mutation
    async def create_organization(self, info: Info, input: OrganizationInput) -> Organization:
        row = await catalog.create_organization(viewer=info.context.viewer, values=values_of(input))
        return from_row(Organization, row)

    @strawberry.mutation
    async def update_organization(self, info: Info, id: strawberry.ID, input: OrganizationUpdateInput) -> Organization:
        row = await catalog.update_organization(
            viewer=info.context.viewer,
            organization_id=parse_id(id, "Organization", field="id"),
            values=values_of(input),
        )
        return from_row(Organization, row)

    @strawberry.mutation
    async def add_organization_member(
        self, info: Info, organization_id: strawberry.ID, email: str, role: MemberRole
    ) -> OrganizationMember:
        row = await catalog.add_member(
            viewer=info.context.viewer,
            organization_id=parse_id(organization_id, "Organization", field="organizationId"),
            email=email,
            role=role,
        )
        return from_row(OrganizationMember, row)

    @strawberry.mutation
    async def add_service(self, info: Info, organization_id: strawberry.ID, input: ServiceInput) -> OrganizationService:
        values = values_of(input)
        free = bool(values.pop("free_of_charge", False))
        row = await catalog.add_service(
            viewer=info.context.viewer,
            organization_id=parse_id(organization_id, "Organization", field="organizationId"),
            values=values,
            free_of_charge=free,
        )
        return from_row(OrganizationService, row)

    @strawberry.mutation
    async def update_service(self, info: Info, id: strawberry.ID, input: ServiceUpdateInput) -> OrganizationService:
        values = values_of(input)
        free = bool(values.pop("free_of_charge", False))
        row = await catalog.update_service(
            viewer=info.context.viewer,
            service_id=parse_id(id, "OrganizationService", field="id"),
            values=values,
            free_of_charge=free,
        )
        return from_row(OrganizationService, row)

    @strawberry.mutation
    async def deactivate_service(self, info: Info, id: strawberry.ID) -> OrganizationService:
        row = await catalog.update_service(
            viewer=info.context.viewer,
            service_id=parse_id(id, "OrganizationService", field="id"),
            values={"is_active": False},
        )
        return from_row(OrganizationService, row)

    @strawberry.mutation
    async def add_capability(
        self, info: Info, organization_id: strawberry.ID, input: CapabilityInput
    ) -> OrganizationCapability:
        row = await catalog.add_capability(
            viewer=info.context.viewer,
            organization_id=parse_id(organization_id, "Organization", field="organizationId"),
            values=values_of(input),
        )
        return from_row(OrganizationCapability, row)

    @strawberry.mutation
    async def update_capability(
        self, info: Info, id: strawberry.ID, input: CapabilityUpdateInput
    ) -> OrganizationCapability:
        row = await catalog.update_capability(
            viewer=info.context.viewer,
            capability_id=parse_id(id, "OrganizationCapability", field="id"),
            values=values_of(input),
        )
        return from_row(OrganizationCapability, row)

    @strawberry.mutation
    async def add_skill(self, info: Info, input: SkillInput) -> UserSkill:
        return from_row(UserSkill, await catalog.add_skill(viewer=info.context.viewer, values=values_of(input)))

    @strawberry.mutation
    async def update_skill(self, info: Info, id: strawberry.ID, input: SkillUpdateInput) -> UserSkill:
        row = await catalog.update_skill(
            viewer=info.context.viewer, skill_id=parse_id(id, "UserSkill", field="id"), values=values_of(input)
        )
        return from_row(UserSkill, row)

    @strawberry.mutation
    async def register_vehicle(self, info: Info, input: VehicleInput) -> Vehicle:
        return from_row(Vehicle, await catalog.register_vehicle(viewer=info.context.viewer, values=values_of(input)))
