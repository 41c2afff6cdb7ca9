"""Root mutations of sign-in and the catalog: thin hand-offs to the services."""

from __future__ import annotations

from datetime import UTC, datetime

import strawberry

from app.services import auth, catalog, skills
from app.services.access import viewer_for_user
from resolvers.queries import viewer_type
from schema.context import Info
from schema.enums import MemberRole
from schema.inputs import (
    CapabilityInput,
    CapabilityUpdateInput,
    OrganizationInput,
    OrganizationUpdateInput,
    ServiceInput,
    ServiceUpdateInput,
    SignUpInput,
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

    @strawberry.mutation(description="Create a customer or labor account and sign in (rate limited per address).")
    async def sign_up(self, info: Info, input: SignUpInput) -> AuthPayload:
        request = auth.SignUp(input.email, input.password, input.full_name, input.role)
        result = await auth.sign_up(request=request, address=info.context.address)
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
    async def update_organization(self, info: Info, id: int, input: OrganizationUpdateInput) -> Organization:
        row = await catalog.update_organization(viewer=info.context.viewer, organization_id=id, values=values_of(input))
        return from_row(Organization, row)

    @strawberry.mutation
    async def add_organization_member(
        self, info: Info, organization_id: int, email: str, role: MemberRole
    ) -> OrganizationMember:
        row = await catalog.add_member(
            viewer=info.context.viewer, organization_id=organization_id, email=email, role=role
        )
        return from_row(OrganizationMember, row)

    @strawberry.mutation
    async def add_service(self, info: Info, organization_id: int, input: ServiceInput) -> OrganizationService:
        values = values_of(input)
        free = bool(values.pop("free_of_charge", False))
        row = await catalog.add_service(
            viewer=info.context.viewer, organization_id=organization_id, values=values, free_of_charge=free
        )
        return from_row(OrganizationService, row)

    @strawberry.mutation
    async def update_service(self, info: Info, id: int, input: ServiceUpdateInput) -> OrganizationService:
        values = values_of(input)
        free = bool(values.pop("free_of_charge", False))
        row = await catalog.update_service(
            viewer=info.context.viewer, service_id=id, values=values, free_of_charge=free
        )
        return from_row(OrganizationService, row)

    @strawberry.mutation
    async def deactivate_service(self, info: Info, id: int) -> OrganizationService:
        row = await catalog.update_service(viewer=info.context.viewer, service_id=id, values={"is_active": False})
        return from_row(OrganizationService, row)

    @strawberry.mutation
    async def add_capability(self, info: Info, organization_id: int, input: CapabilityInput) -> OrganizationCapability:
        row = await catalog.add_capability(
            viewer=info.context.viewer, organization_id=organization_id, values=values_of(input)
        )
        return from_row(OrganizationCapability, row)

    @strawberry.mutation
    async def update_capability(self, info: Info, id: int, input: CapabilityUpdateInput) -> OrganizationCapability:
        row = await catalog.update_capability(viewer=info.context.viewer, capability_id=id, values=values_of(input))
        return from_row(OrganizationCapability, row)

    @strawberry.mutation
    async def add_skill(self, info: Info, input: SkillInput) -> UserSkill:
        return from_row(UserSkill, await catalog.add_skill(viewer=info.context.viewer, values=values_of(input)))

    @strawberry.mutation
    async def update_skill(self, info: Info, id: int, input: SkillUpdateInput) -> UserSkill:
        row = await catalog.update_skill(viewer=info.context.viewer, skill_id=id, values=values_of(input))
        return from_row(UserSkill, row)

    @strawberry.mutation(description="Admins only: mark a skill verified (recording who and when) or unverified.")
    async def verify_skill(self, info: Info, skill_id: int, verified: bool) -> UserSkill:
        row = await skills.verify_skill(viewer=info.context.viewer, skill_id=skill_id, verified=verified)
        return from_row(UserSkill, row)

    @strawberry.mutation
    async def register_vehicle(self, info: Info, input: VehicleInput) -> Vehicle:
        return from_row(Vehicle, await catalog.register_vehicle(viewer=info.context.viewer, values=values_of(input)))
