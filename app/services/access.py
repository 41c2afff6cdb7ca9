"""Who the viewer is and what they may see: one place for every authorization rule."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from enum import Enum
from typing import Any, TypeVar

from tortoise.expressions import Q

from app.errors import forbidden, not_found, unauthenticated
from app.security import read_token
from app.services.coordination.staffing import OPEN_OFFERS
from models import JobOffer, OrganizationMember, ServiceBooking, User, UserSkill, WorkContract
from models.enums import AccountType, MemberRole

MANAGING_ROLES = (MemberRole.OWNER, MemberRole.MANAGER)


class NoteKind(Enum):
    """The three notes of a booking, by who writes them."""

    CUSTOMER = "customer_notes"
    FACILITY = "facility_notes"
    LABOR = "labor_notes"


SeenRow = TypeVar("SeenRow", ServiceBooking, WorkContract)
T = TypeVar("T")


@dataclass(frozen=True)
class RowFilter:
    """A visibility rule as a database filter, with a key that says when two viewers' filters are the same."""

    key: tuple[Any, ...]
    q: Q


@dataclass
class Viewer:
    user: User | None = None
    member_roles: dict[int, MemberRole] = field(default_factory=dict)
    is_labor: bool = False
    _offer_booking_ids: set[int] | None = None

    @property
    def user_id(self) -> int | None:
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

    def is_member(self, organization_id: int | None) -> bool:
        return self.is_admin or (organization_id is not None and organization_id in self.member_roles)

    def can_manage(self, organization_id: int) -> bool:
        return self.is_admin or self.member_roles.get(organization_id) in MANAGING_ROLES

    def require_manager(self, organization_id: int) -> None:
        self.require_user()
        if not self.can_manage(organization_id):
            raise forbidden("Only the organization's owner or a manager may do this")

    def require_member(self, organization_id: int) -> None:
        self.require_user()
        if not self.is_member(organization_id):
            raise forbidden("Only members of the organization may see this")

    def is_self(self, user_id: int | None) -> bool:
        return self.is_admin or (self.user is not None and user_id == self.user.id)

    def is_booking_party(self, *, customer_id: int | None, organization_id: int | None) -> bool:
        """The customer, the facility's members and admins see all of a booking, everyone's pay included;
        a laborer on it sees only their own lines."""
        return self.user is not None and (customer_id == self.user.id or self.is_member(organization_id))

    # --- field-level visibility: what of a visible object this viewer sees -----------------------------

    def sees_work_notes(self, booking: ServiceBooking, crew: Iterable[int]) -> bool:
        """A booking's facility and labor notes are the work side's: its facility's members, its crew (people
        holding an accepted job offer on it) and admins read them; the customer and pending offers do not."""
        return self.is_member(booking.organization_id) or (self.user is not None and self.user.id in set(crew))

    def may_write_notes(self, booking: ServiceBooking, kind: NoteKind, crew: Iterable[int]) -> bool:
        """Each party writes its own notes: the customer theirs, any facility member (staff included) the
        facility's, the crew the labor notes; admins any."""
        if self.is_admin:
            return True
        if kind is NoteKind.CUSTOMER:
            return self.user is not None and booking.customer_id == self.user.id
        if kind is NoteKind.FACILITY:
            return booking.organization_id is not None and booking.organization_id in self.member_roles
        return self.user is not None and self.user.id in set(crew)

    def own(self, rows: Iterable[T], owner: Callable[[T], int | None]) -> list[T]:
        """Only the rows that are the viewer's own (their pay line, their reservation, their offer)."""
        return [r for r in rows if self.user is not None and owner(r) == self.user.id]

    # --- the same rules as filters the database applies (nested pages), one filter for every parent ----------

    def visible_rows(self, *, own: str, member_of: str, party_of: str | None = None) -> RowFilter:
        """Rows whose `own` field is the viewer, or whose organization (`member_of`) the viewer belongs to, or (with
        `party_of`, the booking relation) whose booking's customer is the viewer; everything for admins."""
        if self.is_admin:
            return RowFilter(("all",), Q())
        if self.user is None:
            return RowFilter(("none",), Q(pk__in=[]))
        me, orgs = self.user.id, tuple(sorted(self.member_roles))
        lookups: list[dict[str, Any]] = [{own: me}, {f"{member_of}__in": list(orgs)}]
        if party_of is not None:
            lookups.append({f"{party_of}__customer_id": me})
        rule = Q(*(Q(**lookup) for lookup in lookups), join_type="OR")
        return RowFilter((own, member_of, party_of, me, orgs), rule)

    def booking_labor(
        self, lines: Iterable[T], owner: Callable[[T], int | None], *, booking: ServiceBooking
    ) -> list[T]:
        """Pay lines and labor reservations: all for the booking's parties, one's own for a laborer on it."""
        customer_id: int = booking.customer_id
        organization_id: int | None = booking.organization_id
        if self.is_booking_party(customer_id=customer_id, organization_id=organization_id):
            return list(lines)
        return self.own(lines, owner)

    def booking_offers(
        self, offers: Iterable[T], owner: Callable[[T], int | None], *, organization_id: int | None
    ) -> list[T]:
        """Job offers: all for the facility's members and admins (not the customer), one's own for labor."""
        return list(offers) if self.is_member(organization_id) else self.own(offers, owner)

    def contract_distributions(
        self, rows: Iterable[T], owner: Callable[[T], int | None], *, customer_id: int, organization_id: int
    ) -> list[T]:
        """A contract's payment lines (transfers, an event's distributions and transfer ids): all for the contract's
        customer, facility and admins; labor sees its own."""
        if self.is_booking_party(customer_id=customer_id, organization_id=organization_id):
            return list(rows)
        return self.own(rows, owner)

    def organization_bookings(
        self, rows: Iterable[T], customer: Callable[[T], int | None], *, organization_id: int
    ) -> list[T]:
        """An organization's bookings: all for its members and admins, a customer's own for the customer."""
        return list(rows) if self.is_member(organization_id) else self.own(rows, customer)

    async def offer_booking_ids(self) -> set[int]:
        """Bookings on which the viewer holds (or held) a job offer; read once per request."""
        if self._offer_booking_ids is None:
            if self.user is None:
                self._offer_booking_ids = set()
            else:
                # Only live offers: a declined, expired or withdrawn offer no longer opens the booking.
                ids: list[int] = await JobOffer.filter(  # type: ignore[assignment]
                    user_id=self.user.id, status__in=OPEN_OFFERS
                ).values_list("booking_id", flat=True)
                self._offer_booking_ids = set(ids)
        return self._offer_booking_ids

    async def can_see_booking(self, *, booking_id: int, customer_id: int, organization_id: int | None) -> bool:
        if self.user is None:
            return False
        if self.is_admin or customer_id == self.user.id or self.is_member(organization_id):
            return True
        return booking_id in await self.offer_booking_ids()

    async def require_sees_booking(self, row: SeenRow | None, *, kind: str, ident: int, field: str = "id") -> SeenRow:
        """NOT_FOUND unless the viewer may see this booking (or the booking of this contract), whether or not it
        exists, so probing ids tells a stranger nothing; one they see but may not change is the caller's FORBIDDEN."""
        if row is None:
            raise not_found(kind, ident, field=field)
        if isinstance(row, ServiceBooking):
            booking_id: int = row.id
            organization_id: int | None = row.organization_id
        else:
            booking_id, organization_id = row.booking_id, row.facility_id
        if not await self.can_see_booking(
            booking_id=booking_id,
            customer_id=row.customer_id,
            organization_id=organization_id,
        ):
            raise not_found(kind, ident, field=field)
        return row

    async def can_see_offer(self, offer: JobOffer) -> bool:
        """The offered person, the facility's members and admins (as GraphQL shows a JobOffer)."""
        if self.is_self(offer.user_id):
            return True
        booking_id: int = offer.booking_id
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
    # Labor: who has a skill, or signed up as labor and has not added one yet.
    is_labor = user.account_type == AccountType.LABOR or await UserSkill.filter(user_id=user.id).exists()
    roles = {int(org_id): MemberRole(role) for org_id, role in memberships}
    return Viewer(user=user, member_roles=roles, is_labor=is_labor)
