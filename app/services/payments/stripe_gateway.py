"""Stripe Connect through the official SDK (async methods of `client.v1.*`).

The SDK's own retries are off (max_network_retries=0): our worker retries with the same idempotency
key, from the database, so a retry survives a restart.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import Any, TypeVar

import stripe

from app.services.payments.gateway import GatewayError, Intent, Refund, Transfer

T = TypeVar("T")
TIMEOUT_SECONDS = 30.0


def _transfer(resource: Any) -> Transfer:
    obj = resource.to_dict()  # SDK objects are not dicts in stripe 16
    destination = obj.get("destination")
    if isinstance(destination, dict):  # expanded
        destination = destination.get("id")
    return Transfer(
        id=str(obj["id"]),
        amount=int(obj["amount"]),
        destination=str(destination or ""),
        transfer_group=str(obj.get("transfer_group") or ""),
        amount_reversed=int(obj.get("amount_reversed") or 0),
    )


class _HTTPXClient(stripe.HTTPXClient):
    """stripe 16.1's HTTPXClient hands the encoded form body to httpx as `data=`, which httpx 0.28
    deprecates for raw bytes (a DeprecationWarning per request); pass it as `content=` instead."""

    def _get_request_args_kwargs(self, method: str, url: str, headers: Mapping[str, str], post_data: Any) -> Any:
        args, kwargs = super()._get_request_args_kwargs(method, url, headers, post_data)
        data = kwargs.pop("data", None)
        if isinstance(data, (bytes, str)):
            kwargs["content"] = data
        elif data:
            kwargs["data"] = data
        return [args, kwargs]


class StripeGateway:
    name = "stripe"
    moves_money = True

    def __init__(self, api_key: str, *, api_base: str = "", timeout: float = TIMEOUT_SECONDS) -> None:
        self._http = _HTTPXClient(timeout=timeout)
        base = {"api": api_base} if api_base else None
        self.client = stripe.StripeClient(
            api_key,
            base_addresses=base,  # type: ignore[arg-type]
            max_network_retries=0,
            http_client=self._http,
        )

    async def aclose(self) -> None:
        await self._http.close_async()  # type: ignore[no-untyped-call]  # stripe's HTTPXClient is untyped

    async def _call(self, call: Callable[[], Awaitable[T]]) -> T:
        try:
            return await call()
        except stripe.CardError as exc:
            raise GatewayError(exc.user_message or str(exc), retryable=False, code=exc.code or "card_declined") from exc
        except (stripe.APIConnectionError, stripe.RateLimitError) as exc:
            raise GatewayError(str(exc), retryable=True, code="connection") from exc
        except stripe.APIError as exc:
            # 5xx: Stripe may not have executed it; the same idempotency key makes the retry safe.
            raise GatewayError(str(exc), retryable=True, code=f"http_{exc.http_status}") from exc
        except stripe.StripeError as exc:
            raise GatewayError(str(exc), retryable=False, code=exc.code or f"http_{exc.http_status}") from exc

    async def create_connected_account(self, *, email: str, kind: str, idempotency_key: str) -> str:
        params: Any = {
            "type": "express",
            "email": email,
            "capabilities": {"transfers": {"requested": True}},
            "business_type": "company" if kind == "facility" else "individual",
            "metadata": {"kind": kind},
        }
        account = await self._call(
            lambda: self.client.v1.accounts.create_async(params, {"idempotency_key": idempotency_key})
        )
        return str(account["id"])

    async def create_account_link(self, *, account: str, refresh_url: str, return_url: str) -> str:
        params: Any = {"account": account, "refresh_url": refresh_url, "return_url": return_url}
        params["type"] = "account_onboarding"
        link = await self._call(lambda: self.client.v1.account_links.create_async(params))
        return str(link["url"])

    async def create_payment_intent(
        self, *, amount: int, currency: str, transfer_group: str, idempotency_key: str, metadata: Mapping[str, str]
    ) -> Intent:
        params: Any = {
            "amount": amount,
            "currency": currency,
            "transfer_group": transfer_group,
            "metadata": dict(metadata),
            "automatic_payment_methods": {"enabled": True},
        }
        intent = await self._call(
            lambda: self.client.v1.payment_intents.create_async(params, {"idempotency_key": idempotency_key})
        )
        return Intent(str(intent["id"]), str(intent["client_secret"] or ""), str(intent["status"]))

    async def create_transfer(
        self,
        *,
        amount: int,
        destination: str,
        transfer_group: str,
        idempotency_key: str,
        metadata: Mapping[str, str] | None = None,
    ) -> Transfer:
        params: Any = {
            "amount": amount,
            "currency": "usd",
            "destination": destination,
            "transfer_group": transfer_group,
            "metadata": dict(metadata or {}),
        }
        transfer = await self._call(
            lambda: self.client.v1.transfers.create_async(params, {"idempotency_key": idempotency_key})
        )
        return _transfer(transfer)

    async def reverse_transfer(self, *, transfer_id: str, amount: int, idempotency_key: str) -> str:
        params: Any = {"amount": amount}
        reversal = await self._call(
            lambda: self.client.v1.transfers.reversals.create_async(
                transfer_id, params, {"idempotency_key": idempotency_key}
            )
        )
        return str(reversal["id"])

    async def refund(self, *, payment_intent: str, amount: int, idempotency_key: str) -> Refund:
        params: Any = {"payment_intent": payment_intent, "amount": amount}
        refund = await self._call(
            lambda: self.client.v1.refunds.create_async(params, {"idempotency_key": idempotency_key})
        )
        return Refund(str(refund["id"]), int(refund["amount"]), str(refund["status"] or ""))

    async def retrieve_transfer(self, transfer_id: str) -> Transfer | None:
        try:
            transfer = await self._call(lambda: self.client.v1.transfers.retrieve_async(transfer_id))
        except GatewayError as exc:
            if exc.code in {"resource_missing", "http_404"}:
                return None
            raise
        return _transfer(transfer)

    async def list_transfers(self, *, transfer_group: str) -> list[Transfer]:
        params: Any = {"transfer_group": transfer_group, "limit": 100}
        page = await self._list_page(params)
        transfers = [_transfer(t) for t in page.data]
        while page.has_more and page.data:  # reconciliation needs them all
            page = await self._list_page({**params, "starting_after": page.data[-1]["id"]})
            transfers.extend(_transfer(t) for t in page.data)
        return transfers

    async def _list_page(self, params: Any) -> Any:
        return await self._call(lambda: self.client.v1.transfers.list_async(params))
