"""What the payment services need from a payment processor (Stripe Connect, separate charges and transfers).

Two implementations: the local ledger (embedded default, moves no money) and the Stripe SDK.
Every call that creates something takes an idempotency key derived from our own record.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import NamedTuple, Protocol


class GatewayError(Exception):
    """A failed gateway call. `retryable` says whether the same call (same key) may succeed later."""

    def __init__(self, message: str, *, retryable: bool, code: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.retryable = retryable
        self.code = code


class Intent(NamedTuple):
    id: str
    client_secret: str
    status: str  # Stripe's PaymentIntent status: requires_payment_method, succeeded, ...


@dataclass(frozen=True)
class Transfer:
    id: str
    amount: int
    destination: str
    transfer_group: str
    amount_reversed: int = 0


@dataclass(frozen=True)
class Refund:
    id: str
    amount: int
    status: str


class PaymentGateway(Protocol):
    name: str
    moves_money: bool

    async def create_connected_account(self, *, email: str, kind: str, idempotency_key: str) -> str: ...

    async def create_account_link(self, *, account: str, refresh_url: str, return_url: str) -> str: ...

    async def create_payment_intent(
        self,
        *,
        amount: int,
        currency: str,
        transfer_group: str,
        idempotency_key: str,
        metadata: Mapping[str, str],
    ) -> Intent: ...

    async def create_transfer(
        self,
        *,
        amount: int,
        destination: str,
        transfer_group: str,
        idempotency_key: str,
        metadata: Mapping[str, str] | None = None,
    ) -> Transfer: ...

    async def reverse_transfer(self, *, transfer_id: str, amount: int, idempotency_key: str) -> str: ...

    async def refund(self, *, payment_intent: str, amount: int, idempotency_key: str) -> Refund: ...

    async def retrieve_transfer(self, transfer_id: str) -> Transfer | None: ...

    async def list_transfers(self, *, transfer_group: str) -> list[Transfer]: ...
