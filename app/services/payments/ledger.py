"""The local ledger gateway: the embedded default when no Stripe key is configured.

IT MOVES NO MONEY. It records, in this process's memory, what would have been charged, transferred,
reversed and refunded, with Stripe's idempotency semantics (same key → same result, no second effect),
so the whole payment flow runs end to end on a laptop. Payments "succeed" at once: there is no card.

Its ids are what the database stores and looks payments up by, so they must be unique across processes:
each is derived from the call's idempotency key (itself made of database ids, e.g. booking-7-deposit),
never from a counter in memory, which every process starts at 1. Two processes therefore never mint the
same id for different calls, and a retry of the same call in another process (after a crash) gets the same
id, as Stripe would answer it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any
from uuid import NAMESPACE_URL, uuid5

from app.services.payments.gateway import GatewayError, Intent, Refund, Transfer

LEDGER_NAMESPACE = uuid5(NAMESPACE_URL, "https://nzero.invalid/payments/ledger")


def ledger_id(prefix: str, idempotency_key: str) -> str:
    """The same id for the same call in every process; different calls never share one."""
    return f"{prefix}_ledger_{uuid5(LEDGER_NAMESPACE, idempotency_key).hex}"


@dataclass
class LedgerGateway:
    name: str = "ledger"
    moves_money: bool = False
    intents: dict[str, dict[str, Any]] = field(default_factory=dict)
    transfers: dict[str, Transfer] = field(default_factory=dict)
    refunds: dict[str, Refund] = field(default_factory=dict)
    accounts: dict[str, str] = field(default_factory=dict)
    _results: dict[str, Any] = field(default_factory=dict)

    def _once(self, key: str, make: Any) -> Any:
        if key not in self._results:
            self._results[key] = make()
        return self._results[key]

    async def create_connected_account(self, *, email: str, kind: str, idempotency_key: str) -> str:
        def make() -> str:
            account = ledger_id("acct", idempotency_key)
            self.accounts[account] = email
            return account

        return str(self._once(idempotency_key, make))

    async def create_account_link(self, *, account: str, refresh_url: str, return_url: str) -> str:
        # No hosted onboarding without Stripe: send the person straight back.
        return return_url

    async def create_payment_intent(
        self, *, amount: int, currency: str, transfer_group: str, idempotency_key: str, metadata: Mapping[str, str]
    ) -> Intent:
        def make() -> Intent:
            intent_id = ledger_id("pi", idempotency_key)
            self.intents[intent_id] = {
                "amount": amount,
                "currency": currency,
                "transfer_group": transfer_group,
                "metadata": dict(metadata),
                "refunded": 0,
            }
            return Intent(intent_id, f"{intent_id}_secret_ledger", "succeeded")

        result: Intent = self._once(idempotency_key, make)
        return result

    async def create_transfer(
        self,
        *,
        amount: int,
        destination: str,
        transfer_group: str,
        idempotency_key: str,
        metadata: Mapping[str, str] | None = None,
    ) -> Transfer:
        def make() -> Transfer:
            transfer = Transfer(ledger_id("tr", idempotency_key), amount, destination, transfer_group)
            self.transfers[transfer.id] = transfer
            return transfer

        result: Transfer = self._once(idempotency_key, make)
        return self.transfers[result.id]

    async def reverse_transfer(self, *, transfer_id: str, amount: int, idempotency_key: str) -> str:
        def make() -> str:
            transfer = self.transfers.get(transfer_id)
            if transfer is None or transfer.amount_reversed + amount > transfer.amount:
                raise GatewayError("reversal exceeds the transfer", retryable=False, code="invalid_request")
            self.transfers[transfer_id] = replace(transfer, amount_reversed=transfer.amount_reversed + amount)
            return ledger_id("trr", idempotency_key)

        return str(self._once(idempotency_key, make))

    async def refund(self, *, payment_intent: str, amount: int, idempotency_key: str) -> Refund:
        def make() -> Refund:
            intent = self.intents.get(payment_intent)
            if intent is None or intent["refunded"] + amount > intent["amount"]:
                raise GatewayError("refund exceeds the charge", retryable=False, code="invalid_request")
            intent["refunded"] += amount
            refund = Refund(ledger_id("re", idempotency_key), amount, "succeeded")
            self.refunds[refund.id] = refund
            return refund

        result: Refund = self._once(idempotency_key, make)
        return result

    async def retrieve_transfer(self, transfer_id: str) -> Transfer | None:
        return self.transfers.get(transfer_id)

    async def list_transfers(self, *, transfer_group: str) -> list[Transfer]:
        return [t for t in self.transfers.values() if t.transfer_group == transfer_group]
