"""Error reporting: expected errors keep their code; anything unexpected is masked with a logged id."""

from __future__ import annotations

import logging
import re
import uuid
from collections.abc import Iterator
from typing import Any

from graphql.error import GraphQLError
from strawberry.extensions import MaskErrors
from tortoise.exceptions import ValidationError as ModelValidationError

from app import settings
from app.errors import DomainError, ErrorCode

log = logging.getLogger("nzero.errors")
# "Variable '$input' got invalid value 'X' at 'input.capabilityType'" -> capabilityType
INPUT_PATH = re.compile(r"at '([\w.\[\]]+)'")
# graphql-core's hints ("Did you mean 'email'?") map the schema for whoever probes it: off in production.
SUGGESTION = re.compile(r"\s*Did you mean [^?]*\?")
QUERY_TOO_COMPLEX = "QUERY_TOO_COMPLEX"
QUERY_TIMEOUT = ErrorCode.QUERY_TIMEOUT.value


class QueryTimeout(Exception):
    """The operation ran past its time limit (shown with code QUERY_TIMEOUT)."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"The query took longer than {seconds:g} s and was stopped")
        self.extensions: dict[str, Any] = {"code": QUERY_TIMEOUT}


class ReportErrors(MaskErrors):
    """Domain errors pass with their code; GraphQL's own (parse/validation) errors become BAD_INPUT;
    every other error is replaced by "Unexpected error" and an id that is logged with the traceback."""

    def __init__(self) -> None:
        super().__init__(should_mask_error=self._should_mask, error_message="Unexpected error.")

    @staticmethod
    def _should_mask(error: GraphQLError) -> bool:
        # Errors without a path come before execution (parsing, validation, variable coercion): the
        # client's input, shown as BAD_INPUT. Errors raised while resolving are masked unless expected.
        if error.path is None:
            return False
        return error.original_error is not None and not isinstance(error.original_error, (DomainError, QueryTimeout))

    def anonymise_error(self, error: GraphQLError) -> GraphQLError:
        error_id = uuid.uuid4().hex[:12]
        original = error.original_error
        log.error(
            "unexpected error %s at %s",
            error_id,
            error.path,
            exc_info=(type(original), original, original.__traceback__) if original else None,
        )
        return GraphQLError(
            message=self.error_message,
            nodes=error.nodes,
            source=error.source,
            positions=error.positions,
            path=error.path,
            extensions={"code": "INTERNAL_SERVER_ERROR", "errorId": error_id},
        )

    def _process_result(self, result: object) -> None:
        # The base class tests a runtime-checkable Protocol on every result, which is slow enough to show in
        # subscription fan-out profiles; a plain attribute read does the same job.
        errors = getattr(result, "errors", None)
        if errors:
            result.errors = self._process_errors(errors)  # type: ignore[attr-defined]

    def _process_errors(self, errors: list[GraphQLError]) -> list[GraphQLError]:
        processed = _one_timeout(super()._process_errors([_model_validation(e) for e in errors]))
        for error in processed:
            _label(error)
        return processed

    def on_operation(self) -> Iterator[None]:
        # A syntax error is raised through the operation (the token limiter parses) and reported as it is:
        # it is labelled on its way out.
        try:
            yield from super().on_operation()
        except GraphQLError as error:
            _label(error)
            raise
        for pre_execution_error in self.execution_context.pre_execution_errors or []:
            _label(pre_execution_error)


def _label(error: GraphQLError) -> None:
    """The client's own mistakes: code BAD_INPUT (and the input field when known); hints off in production."""
    if not settings.DEBUG:
        error.message = SUGGESTION.sub("", error.message)
    if not (error.extensions or {}).get("code"):
        extensions = {**(error.extensions or {}), "code": ErrorCode.BAD_INPUT.value}
        if match := INPUT_PATH.search(error.message):
            extensions["field"] = match.group(1).split(".")[-1]
        error.extensions = extensions


def _model_validation(error: GraphQLError) -> GraphQLError:
    """A value the models refuse (too long for its column, say) is the client's input: BAD_INPUT, without
    echoing the value back."""
    original = error.original_error
    if not isinstance(original, ModelValidationError):
        return error
    name = str(original).split(":", 1)[0].strip()
    field = re.sub(r"_(\w)", lambda m: m.group(1).upper(), name) if name.isidentifier() else None
    log.info("model validation refused %s at %s", name, error.path)
    extensions: dict[str, Any] = {"code": ErrorCode.BAD_INPUT.value}
    if field:
        extensions["field"] = field
    return GraphQLError(
        message=f"Invalid value for {field}" if field else "Invalid value",
        nodes=error.nodes,
        source=error.source,
        positions=error.positions,
        path=error.path,
        extensions=extensions,
    )


def _one_timeout(errors: list[GraphQLError]) -> list[GraphQLError]:
    """Every field still running when time is up fails; the client needs to hear it once."""
    result: list[GraphQLError] = []
    timed_out = False
    for error in errors:
        if (error.extensions or {}).get("code") == QUERY_TIMEOUT:
            if timed_out:
                continue
            timed_out = True
        result.append(error)
    return result
