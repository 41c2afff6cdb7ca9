"""Expected failures as typed members of a mutation's result union (Strawberry's errors guide).

The mutations a client must handle the outcome of (`requestQuote`, `acceptQuote`, `respondToJobOffer`,
`signContract`, `startPayment`) return `<Name>Result = <Success> | <errors it can meet>`: a client asks
`... on CapacityUnavailable { alternative { start } }` instead of parsing `errors[].extensions`. Each member
implements `Error { code message }`. Who you are (UNAUTHENTICATED, FORBIDDEN), malformed arguments (parse and
coercion) and unexpected failures stay in the top-level `errors`, as everywhere else in the schema.
"""

from __future__ import annotations

import functools
import typing
from collections.abc import Awaitable, Callable
from typing import Annotated, Any, ParamSpec, TypeVar

import strawberry

from app.errors import DomainError, ErrorCode
from schema.enums import ServiceType
from schema.types.booking import JobOffer, ServiceBooking
from schema.types.contract import WorkContract
from schema.types.coordination import ExcludedCandidate, QuoteAlternative
from schema.types.payments import PaymentIntent

P = ParamSpec("P")
R = TypeVar("R")


@strawberry.interface(description="An expected failure: its code (as in `extensions.code`) and a sentence for people.")
class Error:
    code: ErrorCode
    message: str


@strawberry.type(description="An argument the service refused; `argument` is its path as the schema names it.")
class InvalidInput(Error):
    field: str | None
    argument: str | None


@strawberry.type(description="Something the operation names does not exist, or the viewer may not know of it.")
class NotFound(Error):
    field: str | None


@strawberry.type(description="The object is not in a state that allows this operation.")
class InvalidTransition(Error):
    from_status: str | None
    to_status: str | None


@strawberry.type(description="The operation conflicts with what another request did first; read and retry.")
class Conflict(Error):
    pass


@strawberry.type(description="The quote's time ran out; request a new quote.")
class QuoteExpired(Error):
    pass


@strawberry.type(description="The quoted capacity or labor was taken meanwhile; nothing was reserved.")
class CapacityUnavailable(Error):
    reason: str
    alternative: QuoteAlternative | None = strawberry.field(
        description="The earliest option at the same facility as of now, if there is one."
    )


@strawberry.type(description="No facility can do the work in the period asked for; `excluded` says why each could not.")
class NoFeasibleOption(Error):
    excluded: list[ExcludedCandidate]
    unoffered_service_type: ServiceType | None = strawberry.field(
        description="The service type, when no facility offers it at all (the search found nobody to exclude)."
    )


@strawberry.type(description="The payment provider refused or failed the payment.")
class PaymentFailed(Error):
    pass


RequestQuoteResult = Annotated[
    ServiceBooking | InvalidInput | NotFound | NoFeasibleOption, strawberry.union("RequestQuoteResult")
]
AcceptQuoteResult = Annotated[
    ServiceBooking | NotFound | InvalidTransition | QuoteExpired | CapacityUnavailable | Conflict,
    strawberry.union("AcceptQuoteResult"),
]
RespondToJobOfferResult = Annotated[
    JobOffer | NotFound | InvalidTransition | Conflict, strawberry.union("RespondToJobOfferResult")
]
SignContractResult = Annotated[
    WorkContract | InvalidInput | NotFound | InvalidTransition | Conflict, strawberry.union("SignContractResult")
]
StartPaymentResult = Annotated[
    PaymentIntent | InvalidInput | NotFound | InvalidTransition | Conflict | PaymentFailed,
    strawberry.union("StartPaymentResult"),
]


def _text(details: dict[str, Any], key: str) -> str | None:
    value = details.get(key)
    return None if value is None else str(value)


def _member(error: DomainError, argument: str | None) -> Error | None:
    details, code, message = error.details, error.code, error.message
    if code is ErrorCode.BAD_INPUT:
        path = f"{argument}.{error.field}" if argument and error.field else error.field
        return InvalidInput(code=code, message=message, field=error.field, argument=path)
    if code is ErrorCode.NOT_FOUND:
        return NotFound(code=code, message=message, field=error.field)
    if code is ErrorCode.INVALID_TRANSITION:
        return InvalidTransition(
            code=code, message=message, from_status=_text(details, "from"), to_status=_text(details, "to")
        )
    if code is ErrorCode.CONFLICT:
        return Conflict(code=code, message=message)
    if code is ErrorCode.QUOTE_EXPIRED:
        return QuoteExpired(code=code, message=message)
    if code is ErrorCode.CAPACITY_UNAVAILABLE:
        alternative = details.get("alternative")
        return CapacityUnavailable(
            code=code,
            message=message,
            reason=str(details.get("reason", "")),
            alternative=QuoteAlternative.of(alternative) if alternative else None,
        )
    if code is ErrorCode.NO_FEASIBLE_OPTION:
        service_type = details.get("serviceType")
        return NoFeasibleOption(
            code=code,
            message=message,
            excluded=[ExcludedCandidate.of(item) for item in details.get("reasons") or []],
            unoffered_service_type=ServiceType[service_type] if service_type else None,
        )
    if code is ErrorCode.PAYMENT_FAILED:
        return PaymentFailed(code=code, message=message)
    return None


def failure(error: DomainError, result: object, *, argument: str | None = None) -> Error:
    """The member of `result` (one of the unions above) that reports `error`; re-raises what the union does not
    list, so it reaches the top-level `errors`. `argument` is the input argument a field error belongs to."""
    members = typing.get_args(typing.get_args(result)[0])
    member = _member(error, argument)
    if member is None or type(member) not in members:
        raise error
    return member


def reports_failures(
    result: object, *, argument: str | None = None
) -> Callable[[Callable[P, Awaitable[R]]], Callable[P, Awaitable[R]]]:
    """Resolver decorator: a DomainError the `result` union lists is returned as its member, not raised."""

    def decorate(resolver: Callable[P, Awaitable[R]]) -> Callable[P, Awaitable[R]]:
        @functools.wraps(resolver)
        async def resolve(*args: P.args, **kwargs: P.kwargs) -> R:
            try:
                return await resolver(*args, **kwargs)
            except DomainError as error:
                return typing.cast(R, failure(error, result, argument=argument))

        return resolve

    return decorate
