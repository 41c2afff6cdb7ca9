"""Connected-account onboarding: facilities and labor get an account and a hosted onboarding link."""

from __future__ import annotations

from uuid import UUID

from app.errors import bad_input, not_found
from app.services.access import Viewer
from app.services.payments.factory import get_gateway
from app.services.payments.gateway import PaymentGateway
from models import Organization, User


def _check_urls(refresh_url: str, return_url: str) -> None:
    for name, url in (("refreshUrl", refresh_url), ("returnUrl", return_url)):
        if not url.startswith(("https://", "http://")):
            raise bad_input(name, "Give an absolute http(s) URL")


async def onboard_organization(
    *, viewer: Viewer, organization_id: UUID, refresh_url: str, return_url: str, gateway: PaymentGateway | None = None
) -> str:
    """Create (once) the facility's connected account; returns the onboarding URL."""
    viewer.require_user()
    organization = await Organization.get_or_none(id=organization_id)
    if organization is None:  # before the manager check: an unknown id is NOT_FOUND for everyone
        raise not_found("Organization", organization_id, field="organizationId")
    viewer.require_manager(organization_id)
    _check_urls(refresh_url, return_url)
    gateway = gateway or get_gateway()
    if not organization.stripe_account_id:
        account = await gateway.create_connected_account(
            email=organization.email, kind="facility", idempotency_key=f"account-organization-{organization.id}"
        )
        # Conditional: a concurrent call stored one already; keep the first.
        await Organization.filter(id=organization.id, stripe_account_id=None).update(stripe_account_id=account)
        await organization.refresh_from_db(fields=["stripe_account_id"])
    return await gateway.create_account_link(
        account=str(organization.stripe_account_id), refresh_url=refresh_url, return_url=return_url
    )


async def onboard_user(
    *, viewer: Viewer, refresh_url: str, return_url: str, gateway: PaymentGateway | None = None
) -> str:
    """Create (once) the viewer's own connected account for labor payouts; returns the onboarding URL."""
    user = viewer.require_user()
    _check_urls(refresh_url, return_url)
    gateway = gateway or get_gateway()
    if not user.stripe_account_id:
        account = await gateway.create_connected_account(
            email=user.email, kind="labor", idempotency_key=f"account-user-{user.id}"
        )
        await User.filter(id=user.id, stripe_account_id=None).update(stripe_account_id=account)
        await user.refresh_from_db(fields=["stripe_account_id"])
    return await gateway.create_account_link(
        account=str(user.stripe_account_id), refresh_url=refresh_url, return_url=return_url
    )
