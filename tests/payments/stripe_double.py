"""A loopback Stripe test double for the official SDK.

Every request is validated against Stripe's published OpenAPI description (the subset in
../shared/stripe/, API version 2023-08-16): path, method, form-encoded body or query parameters,
required parameters, and leaf types and enums. A parameter the description does not know is a
*finding*: answered with 400 and kept in `findings`, never accepted silently.
Answers are the published example objects with fresh ids. Idempotency-Key is honoured (same key and
parameters → the stored answer, no second effect; other parameters → 400 idempotency_error).
Faults on demand: `server_error` (503 before executing, not stored under the key), `lost_response`
(executes, stores, then drops the connection: the client sees a network error), `card_declined`.
"""

from __future__ import annotations

import copy
import hashlib
import hmac
import json
import re
import threading
import time
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

STRIPE_DIR = Path(__file__).resolve().parents[2].parent / "shared" / "stripe"
FORM = "application/x-www-form-urlencoded"


class Rejected(Exception):
    def __init__(self, status: int, error_type: str, message: str, code: str = "", **extra: Any) -> None:
        super().__init__(message)
        self.status, self.error_type, self.message, self.code, self.extra = status, error_type, message, code, extra


@dataclass
class Fault:
    method: str
    path: str  # a regex matched against the request path
    kind: str  # server_error | lost_response | card_declined
    times: int = 1
    after: int = 0  # let this many matching requests through first


@dataclass
class Call:
    method: str
    path: str
    params: dict[str, str]
    idempotency_key: str | None
    status: int = 0
    replayed: bool = False


class Spec:
    def __init__(self, spec: dict[str, Any]) -> None:
        self.spec = spec
        self.schemas = spec["components"]["schemas"]
        routes = []
        for path, ops in spec["paths"].items():
            pattern = "^" + re.sub(r"\{[^}]+\}", r"([^/]+)", path) + "$"
            literal = len(re.sub(r"\{[^}]+\}", "", path))
            routes.append((literal, path, re.compile(pattern), ops))
        self.routes = sorted(routes, key=lambda r: -r[0])

    def resolve(self, schema: dict[str, Any]) -> dict[str, Any]:
        while "$ref" in schema:
            schema = self.schemas[schema["$ref"].rsplit("/", 1)[-1]]
        return schema

    def match(self, method: str, path: str) -> tuple[str, list[str], dict[str, Any]]:
        for _, template, pattern, ops in self.routes:
            found = pattern.match(path)
            if found:
                if method.lower() not in ops:
                    raise Rejected(405, "invalid_request_error", f"{method} {template} is not in the description")
                return template, list(found.groups()), ops[method.lower()]
        raise Rejected(404, "invalid_request_error", f"Unrecognized request URL ({method} {path})")

    def check_params(self, operation: dict[str, Any], method: str, params: list[tuple[str, str]]) -> None:
        if method == "GET" or method == "DELETE":
            known = {p["name"] for p in operation.get("parameters", []) if p["in"] == "query"}
            for key, _ in params:
                if key.split("[", 1)[0] not in known:
                    raise Rejected(
                        400, "invalid_request_error", f"Received unknown parameter: {key}", "parameter_unknown"
                    )
            return
        body = operation.get("requestBody", {}).get("content", {}).get(FORM)
        schema = self.resolve(body["schema"]) if body else {"type": "object", "properties": {}}
        for key, value in params:
            segments = re.findall(r"[^\[\]]+|\[\]", key)
            self._check_value(schema, segments, value, key)
        present = {key.split("[", 1)[0] for key, _ in params}
        for name in schema.get("required", []):
            if name not in present:
                raise Rejected(400, "invalid_request_error", f"Missing required param: {name}.", "parameter_missing")

    def _check_value(self, schema: dict[str, Any], segments: list[str], value: str, key: str) -> None:
        schema = self.resolve(schema)
        if "anyOf" in schema:
            errors = []
            for option in schema["anyOf"]:
                try:
                    self._check_value(option, segments, value, key)
                    return
                except Rejected as exc:
                    errors.append(exc)
            raise errors[0]
        if not segments:
            self._check_leaf(schema, value, key)
            return
        head, rest = segments[0], segments[1:]
        kind = schema.get("type")
        if kind == "array" and (head.isdigit() or head == "[]"):
            self._check_value(schema.get("items", {}), rest, value, key)
            return
        if kind == "object":
            props = schema.get("properties", {})
            if head in props:
                self._check_value(props[head], rest, value, key)
                return
            extra = schema.get("additionalProperties")
            if extra:
                self._check_value(extra if isinstance(extra, dict) else {}, rest, value, key)
                return
        raise Rejected(
            400, "invalid_request_error", f"Received unknown parameter: {key}", "parameter_unknown", param=key
        )

    @staticmethod
    def _check_leaf(schema: dict[str, Any], value: str, key: str) -> None:
        kind = schema.get("type")
        ok = True
        if "enum" in schema:
            ok = value in [str(v) for v in schema["enum"]]
        elif kind == "integer":
            ok = re.fullmatch(r"-?\d+", value) is not None
        elif kind == "boolean":
            ok = value in {"true", "false"}
        elif kind in {"object", "array"}:
            ok = value == ""  # an empty value unsets a hash or list
        if not ok:
            raise Rejected(400, "invalid_request_error", f"Invalid value for {key}: {value!r}", "parameter_invalid")


@dataclass
class StripeDouble:
    spec: Spec = field(default_factory=lambda: Spec(json.loads((STRIPE_DIR / "spec-subset.json").read_text())))
    fixtures: dict[str, Any] = field(
        default_factory=lambda: json.loads((STRIPE_DIR / "fixtures-subset.json").read_text())["resources"]
    )
    calls: list[Call] = field(default_factory=list)
    findings: list[str] = field(default_factory=list)
    versions: set[str] = field(default_factory=set)
    faults: list[Fault] = field(default_factory=list)
    objects: dict[str, dict[str, Any]] = field(default_factory=dict)
    effects: dict[str, int] = field(default_factory=dict)  # "POST /v1/transfers" -> executions
    _idempotent: dict[str, tuple[str, int, bytes]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    # -- lifecycle -------------------------------------------------------------------------------
    def start(self) -> StripeDouble:
        double = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                double._serve(self)

            do_POST = do_DELETE = do_GET

            def log_message(self, format: str, *args: Any) -> None:  # keep test output quiet
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        return self

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_port}"

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def fail(self, method: str, path: str, kind: str, *, times: int = 1, after: int = 0) -> None:
        self.faults.append(Fault(method, path, kind, times, after))

    # -- views for assertions --------------------------------------------------------------------
    def of(self, kind: str) -> list[dict[str, Any]]:
        return [o for o in self.objects.values() if o["object"] == kind]

    # -- webhooks --------------------------------------------------------------------------------
    def event(self, event_type: str, obj: dict[str, Any], secret: str, at: int | None = None) -> tuple[bytes, str]:
        """A signed event as Stripe would POST it: (body, Stripe-Signature header)."""
        event = copy.deepcopy(self.fixtures["event"])
        event.update(id=self._id("evt"), type=event_type, data={"object": obj}, api_version="2023-08-16")
        body = json.dumps(event).encode()
        stamp = at if at is not None else int(time.time())
        digest = hmac.new(secret.encode(), f"{stamp}.".encode() + body, hashlib.sha256).hexdigest()
        return body, f"t={stamp},v1={digest}"

    # -- the server ------------------------------------------------------------------------------
    @staticmethod
    def _id(prefix: str) -> str:
        return f"{prefix}_{uuid.uuid4().hex[:24]}"

    def _serve(self, handler: BaseHTTPRequestHandler) -> None:
        method = handler.command
        split = urlsplit(handler.path)
        length = int(handler.headers.get("Content-Length") or 0)
        raw = handler.rfile.read(length).decode() if length else ""
        params = parse_qsl(split.query if method in {"GET", "DELETE"} else raw, keep_blank_values=True)
        key = handler.headers.get("Idempotency-Key")
        if handler.headers.get("Stripe-Version"):
            self.versions.add(handler.headers["Stripe-Version"])
        call = Call(method, split.path, dict(params), key)
        with self._lock:
            self.calls.append(call)
            drop = False
            try:
                fingerprint = f"{method} {split.path} {sorted(params)}"
                if key and method == "POST" and key in self._idempotent:
                    stored_fingerprint, status, body = self._idempotent[key]
                    if stored_fingerprint != fingerprint:
                        raise Rejected(
                            400,
                            "idempotency_error",
                            "Keys for idempotent requests can only be used with the same parameters",
                        )
                    call.replayed = True
                else:
                    template, args, operation = self.spec.match(method, split.path)
                    self.spec.check_params(operation, method, params)
                    fault = self._take_fault(method, split.path)
                    if fault == "server_error":
                        raise Rejected(503, "api_error", "Injected server error", should_retry=True)
                    status, obj = 200, self._execute(method, template, args, dict(params), fault)
                    body = json.dumps(obj).encode()
                    self.effects[f"{method} {template}"] = self.effects.get(f"{method} {template}", 0) + 1
                    if key and method == "POST":
                        self._idempotent[key] = (fingerprint, status, body)
                    drop = fault == "lost_response"
            except Rejected as exc:
                if exc.code in {"parameter_unknown", "parameter_missing", "parameter_invalid"} or exc.status in {
                    404,
                    405,
                }:
                    self.findings.append(f"{method} {split.path}: {exc.message}")
                error = {"type": exc.error_type, "message": exc.message}
                if exc.code:
                    error["code"] = exc.code
                error.update({k: v for k, v in exc.extra.items() if k != "should_retry"})
                status, body = exc.status, json.dumps({"error": error}).encode()
                if exc.status == 402 and key and method == "POST":  # Stripe stores declines under the key
                    self._idempotent[key] = (f"{method} {split.path} {sorted(params)}", status, body)
            call.status = status
        if drop:
            handler.close_connection = True
            handler.connection.close()  # the effect happened; the answer is lost on the way back
            return
        handler.send_response(status)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", str(len(body)))
        handler.send_header("Request-Id", self._id("req"))
        if call.replayed:
            handler.send_header("Idempotent-Replayed", "true")
        if status == 503:
            handler.send_header("Stripe-Should-Retry", "true")
        handler.end_headers()
        handler.wfile.write(body)

    def _take_fault(self, method: str, path: str) -> str | None:
        for fault in self.faults:
            if fault.times > 0 and fault.method == method and re.fullmatch(fault.path, path):
                if fault.after > 0:
                    fault.after -= 1
                    continue
                fault.times -= 1
                return fault.kind
        return None

    def _new(self, kind: str, prefix: str, **values: Any) -> dict[str, Any]:
        obj = copy.deepcopy(self.fixtures[kind])
        obj.update(id=self._id(prefix), created=int(time.time()), livemode=False, **values)
        self.objects[obj["id"]] = obj
        created: dict[str, Any] = obj
        return created

    def _get(self, ident: str, kind: str) -> dict[str, Any]:
        obj = self.objects.get(ident)
        if obj is None or obj["object"] != kind:
            raise Rejected(404, "invalid_request_error", f"No such {kind}: '{ident}'", "resource_missing")
        return obj

    @staticmethod
    def _metadata(params: dict[str, str]) -> dict[str, str]:
        return {k[len("metadata[") : -1]: v for k, v in params.items() if k.startswith("metadata[")}

    def _execute(self, method: str, template: str, args: list[str], p: dict[str, str], fault: str | None) -> Any:
        if (method, template) == ("POST", "/v1/payment_intents"):
            obj = self._new(
                "payment_intent",
                "pi",
                amount=int(p["amount"]),
                currency=p["currency"],
                transfer_group=p.get("transfer_group"),
                metadata=self._metadata(p),
                status="requires_payment_method",
                amount_received=0,
                latest_charge=None,
                canceled_at=None,
                last_payment_error=None,
            )
            obj["client_secret"] = f"{obj['id']}_secret_{uuid.uuid4().hex[:12]}"
            obj["amount_refunded_double"] = 0
            return self._public(obj)
        if (method, template) == ("POST", "/v1/payment_intents/{intent}/confirm"):
            intent = self._get(args[0], "payment_intent")
            if fault == "card_declined":
                intent["status"] = "requires_payment_method"
                intent["last_payment_error"] = {
                    "type": "card_error",
                    "code": "card_declined",
                    "message": "Your card was declined.",
                }
                raise Rejected(
                    402, "card_error", "Your card was declined.", "card_declined", decline_code="generic_decline"
                )
            intent.update(status="succeeded", amount_received=intent["amount"], latest_charge=self._id("ch"))
            return self._public(intent)
        if (method, template) == ("GET", "/v1/payment_intents/{intent}"):
            return self._public(self._get(args[0], "payment_intent"))
        if (method, template) == ("POST", "/v1/transfers"):
            return self._new(
                "transfer",
                "tr",
                amount=int(p["amount"]),
                currency=p["currency"],
                destination=p["destination"],
                transfer_group=p.get("transfer_group"),
                metadata=self._metadata(p),
                amount_reversed=0,
                reversed=False,
                reversals={"object": "list", "data": [], "has_more": False, "url": "/v1/transfers/x/reversals"},
            )
        if (method, template) == ("GET", "/v1/transfers/{transfer}"):
            return self._get(args[0], "transfer")
        if (method, template) == ("GET", "/v1/transfers"):
            data = [
                t
                for t in self.of("transfer")
                if "transfer_group" not in p or t["transfer_group"] == p["transfer_group"]
            ]
            return {"object": "list", "data": data, "has_more": False, "url": "/v1/transfers"}
        if (method, template) == ("POST", "/v1/transfers/{id}/reversals"):
            transfer = self._get(args[0], "transfer")
            amount = int(p.get("amount", transfer["amount"] - transfer["amount_reversed"]))
            if amount > transfer["amount"] - transfer["amount_reversed"]:
                raise Rejected(400, "invalid_request_error", "Reversal exceeds the transfer's remaining amount")
            transfer["amount_reversed"] += amount
            transfer["reversed"] = transfer["amount_reversed"] == transfer["amount"]
            return self._new(
                "transfer_reversal", "trr", amount=amount, transfer=transfer["id"], metadata=self._metadata(p)
            )
        if (method, template) == ("POST", "/v1/refunds"):
            intent = self._get(p.get("payment_intent", ""), "payment_intent")
            if intent["status"] != "succeeded":
                raise Rejected(400, "invalid_request_error", "This PaymentIntent has not succeeded")
            amount = int(p.get("amount", intent["amount_received"] - intent["amount_refunded_double"]))
            if amount > intent["amount_received"] - intent["amount_refunded_double"]:
                raise Rejected(400, "invalid_request_error", "Refund exceeds the charge", "amount_too_large")
            intent["amount_refunded_double"] += amount
            return self._new(
                "refund",
                "re",
                amount=amount,
                payment_intent=intent["id"],
                charge=intent["latest_charge"],
                status="succeeded",
            )
        if (method, template) == ("POST", "/v1/accounts"):
            return self._new("account", "acct", email=p.get("email"), type=p.get("type"), metadata=self._metadata(p))
        if (method, template) == ("POST", "/v1/account_links"):
            self._get(p["account"], "account")
            link = copy.deepcopy(self.fixtures["account_link"])
            link.update(
                created=int(time.time()), url=f"https://connect.stripe.test/setup/{p['account']}/{uuid.uuid4().hex[:8]}"
            )
            return link
        raise Rejected(501, "api_error", f"The double does not implement {method} {template}")

    @staticmethod
    def _public(obj: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in obj.items() if not k.endswith("_double")}
