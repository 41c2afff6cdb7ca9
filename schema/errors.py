"""Error reporting: expected errors keep their code; anything unexpected is masked with a logged id."""

from __future__ import annotations

import logging
import re
import uuid
from collections.abc import Iterator
from typing import Any

from graphql import ArgumentNode, DocumentNode, ObjectFieldNode, VariableNode, Visitor, visit
from graphql.error import GraphQLError
from strawberry.exceptions import StrawberryInputCoercionError
from strawberry.extensions import MaskErrors
from tortoise.exceptions import ValidationError as ModelValidationError

from app import settings
from app.errors import DomainError, ErrorCode

log = logging.getLogger("nzero.errors")
# "Variable '$input' got invalid value 'X' at 'input.capabilityType'" -> field capabilityType, and the argument
# path "input.capabilityType" with the variable replaced by the argument it is passed to.
# graphql-core 3.2 says "at 'input.capabilityType'", 3.3 "has invalid value at .capabilityType:"
INPUT_PATH = re.compile(r"at '([\w.\[\]]+)'|has invalid value at ([\w.\[\]]+):")
PATH_SEPARATORS = re.compile(r"[.\[\]]+")
VARIABLE = re.compile(r"Variable '\$(\w+)'")
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
            extensions={"code": ErrorCode.INTERNAL_SERVER_ERROR.value, "errorId": error_id},
        )

    def _process_result(self, result: object) -> None:
        # The base class tests a runtime-checkable Protocol on every result, which is slow enough to show in
        # subscription fan-out profiles; a plain attribute read does the same job.
        errors = getattr(result, "errors", None)
        if errors:
            result.errors = self._process_errors(errors)  # type: ignore[attr-defined]

    def _process_errors(self, errors: list[GraphQLError]) -> list[GraphQLError]:
        processed = _one_timeout(super()._process_errors([_model_validation(e) for e in errors]))
        arguments = argument_names(self.execution_context.graphql_document) if processed else None
        for error in processed:
            _label(error, arguments)
        return processed

    def on_operation(self) -> Iterator[None]:
        # A syntax error is raised through the operation (the token limiter parses) and reported as it is:
        # it is labelled on its way out.
        try:
            yield from super().on_operation()
        except GraphQLError as error:
            _label(error)
            raise
        errors = self.execution_context.pre_execution_errors or []
        arguments = argument_names(self.execution_context.graphql_document) if errors else None
        for pre_execution_error in errors:
            _label(pre_execution_error, arguments)


# What a client's input can cause: shown with a code and logged in one line, never with a traceback.
EXPECTED = (GraphQLError, DomainError, QueryTimeout, ModelValidationError, StrawberryInputCoercionError)


def log_errors(errors: list[GraphQLError]) -> None:
    """Schema.process_errors: expected errors in one line each. An unexpected error in a field is logged with its
    traceback and id by ReportErrors when masked; one outside any field (nothing masks it) is logged here."""
    for error in errors:
        original = error.original_error
        if original is None or isinstance(original, EXPECTED):
            code = (error.extensions or {}).get("code") or ErrorCode.BAD_INPUT.value
            log.info("client error %s at %s: %s", code, _where(error), error.message.splitlines()[0])
        elif error.path is None:
            log.error("unexpected error outside any field: %s", error.message, exc_info=original)


def _where(error: GraphQLError) -> str:
    if error.path:
        return ".".join(str(p) for p in error.path)
    return "request"


def argument_names(document: DocumentNode | None) -> dict[str, str]:
    """Variable name -> the schema name of the argument or input field it is passed to."""
    names: dict[str, str] = {}

    class Usages(Visitor):
        def enter_argument(self, node: ArgumentNode, *_: Any) -> None:
            if isinstance(node.value, VariableNode):
                names.setdefault(node.value.name.value, node.name.value)

        def enter_object_field(self, node: ObjectFieldNode, *_: Any) -> None:
            if isinstance(node.value, VariableNode):
                names.setdefault(node.value.name.value, node.name.value)

    if document is not None:
        visit(document, Usages())
    return names


def _label(error: GraphQLError, arguments: dict[str, str] | None = None) -> None:
    """The client's own mistakes: code BAD_INPUT (and the input field when known); hints off in production."""
    if not settings.DEBUG:
        error.message = SUGGESTION.sub("", error.message)
    if not (error.extensions or {}).get("code"):
        extensions = {**(error.extensions or {}), "code": ErrorCode.BAD_INPUT.value}
        segments: list[str] = []
        quoted = False
        if match := INPUT_PATH.search(error.message):
            quoted = match.group(1) is not None
            segments = [s for s in PATH_SEPARATORS.split(match.group(1) or match.group(2)) if s]
        if variable := VARIABLE.match(error.message):
            # The argument's path as the schema names it, not the client's variable name.
            name = variable.group(1)
            inner = segments[1:] if quoted and segments[:1] == [name] else segments
            path = [(arguments or {}).get(name, name), *inner]
            extensions["argument"] = ".".join(path)
            segments = path
        names = [s for s in segments if not s.isdigit()]
        if names:
            extensions["field"] = names[-1]
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
