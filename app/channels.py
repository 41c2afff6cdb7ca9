"""Every broadcast channel name is built here and nowhere else (no imports of the app)."""

from __future__ import annotations

from uuid import UUID


def capacity(organization_id: UUID) -> str:
    return f"capacity.org.{organization_id}"


def booking(booking_id: UUID) -> str:
    return f"booking.{booking_id}"


def organization_bookings(organization_id: UUID) -> str:
    return f"booking.org.{organization_id}"


def customer_bookings(user_id: UUID) -> str:
    return f"booking.customer.{user_id}"


def job_offers(user_id: UUID) -> str:
    return f"offers.user.{user_id}"


def user_access(user_id: UUID) -> str:
    """A user's tokens were revoked or their rights changed: their open subscriptions re-check their access."""
    return f"access.user.{user_id}"


def broker_heartbeat() -> str:
    """Held by every process's listening connection so the broker connection is never without a channel."""
    return "nzero.heartbeat"
