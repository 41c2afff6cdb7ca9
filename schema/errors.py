"""Error reporting: expected errors keep their code; anything unexpected is masked with a logged id."""

from __future__ import annotations

import logging
import re
import uuid

from graphql.error import GraphQLError
from strawberry.extensions import MaskErrors

from app.errors import DomainError, ErrorCode

log = logging.getLogger("nzero.errors")
# "Variable '$input' got invalid value 'X' at 'input.capabilityType'" -> capabilityType
INPUT_PATH = re.compile(r"at '([\w.\[\]]+)'")


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
        return error.original_error is not None and not isinstance(error.original_error, DomainError)

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

    def _process_errors(self, errors: list[GraphQLError]) -> list[GraphQLError]:
        processed = super()._process_errors(errors)
        for error in processed:
            if not (error.extensions or {}).get("code"):
                extensions = {**(error.extensions or {}), "code": ErrorCode.BAD_INPUT.value}
                if match := INPUT_PATH.search(error.message):
                    extensions["field"] = match.group(1).split(".")[-1]
                error.extensions = extensions
        return processed
