"""Who the viewer is and what they may see: one place for every authorization rule."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TypeVar
from uuid import UUID

from app.errors import forbidden, not_found, unauthenticated
from app.security import read_token
from app.services.coordination.staffing import OPEN_OFFERS
from models import JobOffer, OrganizationMember, ServiceBooking, User, UserSkill, WorkContract
from models.enums import MemberRole

MANAGING_ROLES = (MemberRole.OWNER, MemberRole.MANAGER)
SeenRow = TypeVar("SeenRow", ServiceBooking, WorkContract)
T = TypeVar("T")


@dataclass
class Viewer:
    user: User | None = None
    member_roles: dict[UUID, MemberRole] = field(default_factory=dict)
    is_labor: bool = False
    _offer_booking_ids: set[UUID] | None = None

    @property
    def user_id(self) -> UUID | None:
        return self.user.id if self.user else None

    @property
    def is_admin(self) -> bool:
        return bool(self.user and self.user.is_admin)

    @property
    def roles(self) -> list[str]:
        roles: list[str] = []
        if self.user:
            roles.append("customer")
        if self.is_labor:
            roles.append("labor")
        roles.extend(sorted({f"facility_{role.value}" for role in self.member_roles.values()}))
        if self.is_admin:
            roles.append("admin")
        return roles

    def require_user(self) -> User:
        if self.user is None:
            raise unauthenticated()
        return self.user

    def is_member(self, organization_id: UUID | None) -> bool:
        return self.is_admin or (organization_id is not None and organization_id in self.member_roles)

    def can_manage(self, organization_id: UUID) -> bool:
        return self.is_admin or self.member_roles.get(organization_id) in MANAGING_ROLES

    def require_manager(self, organization_id: UUID) -> None:
        self.require_user()
        if not self.can_manage(organization_id):
            raise forbidden("Only the organization's owner or a manager may do this")

    def require_member(self, organization_id: UUID) -> None:
        self.require_user()
        if not self.is_member(organization_id):
            raise forbidden("Only members of the organization may see this")

    def is_self(self, user_id: UUID | None) -> bool:
        return self.is_admin or (self.user is not None and user_id == self.user.id)

    def is_booking_party(self, *, customer_id: UUID | None, organization_id: UUID | None) -> bool:
        """The customer, the facility's members and admins see all of a booking, everyone's pay included;
        a laborer on it sees only their own lines."""
        return self.user is not None and (customer_id == self.user.id or self.is_member(organization_id))

    # --- field-level visibility: what of a visible object this viewer sees -----------------------------

    def own(self, rows: Iterable[T], owner: Callable[[T], UUID | None]) -> list[T]:
        """Only the rows that are the viewer's own (their pay line, their reservation, their offer)."""
        return [r for r in rows if self.user is not None and owner(r) == self.user.id]

    def booking_labor(
        self, lines: Iterable[T], owner: Callable[[T], UUID | None], *, booking: ServiceBooking
    ) -> list[T]:
        """Pay lines and labor reservations: all for the booking's parties, one's own for a laborer on it."""
        customer_id: UUID = booking.customer_id
        organization_id: UUID | None = booking.organization_id
        if self.is_booking_party(customer_id=customer_id, organization_id=organization_id):
            return list(lines)
        return self.own(lines, owner)

    def booking_offers(
        self, offers: Iterable[T], owner: Callable[[T], UUID | None], *, organization_id: UUID | None
    ) -> list[T]:
        """Job offers: all for the facility's members and admins (not the customer), one's own for labor."""
        return list(offers) if self.is_member(organization_id) else self.own(offers, owner)

    def contract_distributions(
        self, rows: Iterable[T], owner: Callable[[T], UUID | None], *, customer_id: UUID, organization_id: UUID
    ) -> list[T]:
        """Payment distributions: all for the contract's customer, facility and admins; labor sees its own."""
        if self.is_booking_party(customer_id=customer_id, organization_id=organization_id):
            return list(rows)
        return self.own(rows, owner)

    def organization_bookings(
        self, rows: Iterable[T], customer: Callable[[T], UUID | None], *, organization_id: UUID
    ) -> list[T]:
        """An organization's bookings: all for its members and admins, a customer's own for the customer."""
        return list(rows) if self.is_member(organization_id) else self.own(rows, customer)

    async def offer_booking_ids(self) -> set[UUID]:
        """Bookings on which the viewer holds (or held) a job offer; read once per request."""
        if self._offer_booking_ids is None:
            if self.user is None:
                self._offer_booking_ids = set()
            else:
                # Only live offers: a declined, expired or withdrawn offer no longer opens the booking.
                ids: list[UUID] = await JobOffer.filter(  # type: ignore[assignment]
                    user_id=self.user.id, status__in=OPEN_OFFERS
                ).values_list("booking_id", flat=True)
                self._offer_booking_ids = set(ids)
        return self._offer_booking_ids

    async def can_see_booking(self, *, booking_id: UUID, customer_id: UUID, organization_id: UUID | None) -> bool:
        if self.user is None:
            return False
        if self.is_admin or customer_id == self.user.id or self.is_member(organization_id):
            return True
        return booking_id in await self.offer_booking_ids()

    async def require_sees_booking(self, row: SeenRow | None, *, kind: str, ident: UUID, field: str = "id") -> SeenRow:
        """NOT_FOUND unless the viewer may see this booking (or the booking of this contract), whether or not it
        exists, so probing ids tells a stranger nothing; one they see but may not change is the caller's FORBIDDEN."""
        if row is None:
            raise not_found(kind, ident, field=field)
        booking_id: UUID = row.id if isinstance(row, ServiceBooking) else row.booking_id
        if not await self.can_see_booking(
            booking_id=booking_id,
            customer_id=row.customer_id,
            organization_id=row.organization_id,
        ):
            raise not_found(kind, ident, field=field)
        return row

    async def can_see_offer(self, offer: JobOffer) -> bool:
        """The offered person, the facility's members and admins (as GraphQL shows a JobOffer)."""
        if self.is_self(offer.user_id):
            return True
        booking_id: UUID = offer.booking_id
        booking = await ServiceBooking.get_or_none(id=booking_id).only("id", "organization_id")
        return booking is not None and self.is_member(booking.organization_id)


async def viewer_from_token(token: str | None) -> Viewer:
    if not token:
        return Viewer()
    claims = read_token(token)
    if claims is None:
        return Viewer()
    user = await User.get_or_none(id=claims.user_id, is_active=True)
    if user is None or user.token_version != claims.version:
        return Viewer()
    return await viewer_for_user(user)


async def viewer_for_user(user: User) -> Viewer:
    memberships = await OrganizationMember.filter(user_id=user.id).values_list("organization_id", "role")
    is_labor = await UserSkill.filter(user_id=user.id).exists()
    roles = {UUID(str(org_id)): MemberRole(role) for org_id, role in memberships}
    return Viewer(user=user, member_roles=roles, is_labor=is_labor)
