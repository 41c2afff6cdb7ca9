"""Expected errors: a machine-readable code, the offending field, and details clients can act on."""

from __future__ import annotations

from enum import Enum
from typing import Any

from strawberry.utils.str_converters import to_camel_case


class ErrorCode(str, Enum):
    BAD_INPUT = "BAD_INPUT"
    NOT_FOUND = "NOT_FOUND"
    UNAUTHENTICATED = "UNAUTHENTICATED"
    FORBIDDEN = "FORBIDDEN"
    RATE_LIMITED = "RATE_LIMITED"
    CONFLICT = "CONFLICT"
    INVALID_TRANSITION = "INVALID_TRANSITION"
    NO_FEASIBLE_OPTION = "NO_FEASIBLE_OPTION"
    CAPACITY_UNAVAILABLE = "CAPACITY_UNAVAILABLE"
    QUOTE_EXPIRED = "QUOTE_EXPIRED"
    PAYMENT_FAILED = "PAYMENT_FAILED"
    QUERY_TIMEOUT = "QUERY_TIMEOUT"
    PERSISTED_QUERY_NOT_FOUND = "PERSISTED_QUERY_NOT_FOUND"
    # Not raised by services: an unexpected failure, masked and logged with an id (schema.errors.ReportErrors).
    INTERNAL_SERVER_ERROR = "INTERNAL_SERVER_ERROR"


# For plain HTTP endpoints (calendars, documents): the status that goes with an expected error.
HTTP_STATUS = {
    ErrorCode.UNAUTHENTICATED: 401,
    ErrorCode.FORBIDDEN: 403,
    ErrorCode.NOT_FOUND: 404,
    ErrorCode.CONFLICT: 409,
    ErrorCode.RATE_LIMITED: 429,
}


class DomainError(Exception):
    """Raised by services; GraphQL shows it with `extensions.code` (and `field`, `details`)."""

    def __init__(
        self, code: ErrorCode, message: str, *, field: str | None = None, details: dict[str, Any] | None = None
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.field = field
        self.details = details or {}

    @property
    def extensions(self) -> dict[str, Any]:
        # graphql-core copies `original_error.extensions` into the error it reports.
        ext: dict[str, Any] = {"code": self.code.value}
        if self.field:
            ext["field"] = self.field
        if self.details:
            ext["details"] = self.details
        return ext


def bad_input(field: str, message: str) -> DomainError:
    """The services' rules name fields as Python does (base_price_cents); clients know the schema's names
    (basePriceCents, by Strawberry's auto camel case), so the error and its message use those."""
    name = to_camel_case(field)
    return DomainError(ErrorCode.BAD_INPUT, message.replace(field, name), field=name)


def not_found(kind: str, ident: object, field: str = "id") -> DomainError:
    return DomainError(ErrorCode.NOT_FOUND, f"{kind} {ident} does not exist", field=field)


def forbidden(message: str = "You may not see or change this") -> DomainError:
    return DomainError(ErrorCode.FORBIDDEN, message)


def unauthenticated() -> DomainError:
    return DomainError(ErrorCode.UNAUTHENTICATED, "Sign in first")


def error_response_body(error: DomainError) -> dict[str, str]:
    return {"error": error.message, "code": error.code.value}
