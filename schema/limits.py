"""Bounds on every query: depth, aliases, tokens, an estimated cost and a time limit; introspection off in production.

The cost estimate is a validation rule (the query is refused before anything runs): every object field costs 1
plus its children, times how many items it may return — its `limit` argument (a variable counts as the largest
page), or DEFAULT_LIST_SIZE for other lists. Scalars and introspection fields are free.
"""

from __future__ import annotations

import asyncio
import re
import traceback
import weakref
from collections.abc import Callable, Iterator
from typing import Any

import strawberry
from graphql import (
    FieldNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLField,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNamedType,
    GraphQLNonNull,
    GraphQLObjectType,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    StringValueNode,
    ValidationRule,
    VariableNode,
    get_named_type,
)
from graphql.type.definition import GraphQLResolveInfoHelpers
from strawberry.extensions import (
    AddValidationRules,
    DisableIntrospection,
    MaxTokensLimiter,
    ParserCache,
    SchemaExtension,
    ValidationCache,
)
from strawberry.extensions.max_aliases import create_validator as max_aliases_rule
from strawberry.extensions.query_depth_limiter import create_validator as max_depth_rule
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext
from strawberry.types import ExecutionResult

from app import settings
from app.errors import ErrorCode
from schema.errors import QUERY_TIMEOUT, QUERY_TOO_COMPLEX, QueryTimeout, argument_names, log_errors

MAX_DEPTH = 10
MAX_ALIASES = 30
MAX_TOKENS = 2_000
MAX_COST = 50_000
DEFAULT_LIST_SIZE = 10
MAX_EXECUTION_SECONDS = 10.0


PAGE_SIZE_ARGUMENTS = ("limit", "first", "last")  # `limit` on plain lists, `first`/`last` on connections
CONNECTION_DEFAULT = 20  # app.services.paging.DEFAULT_PAGE


def _limit_of(node: FieldNode, field: GraphQLField) -> int:
    """How many items a field with a page-size argument may return (a variable counts as the largest page)."""
    sizes = []
    for argument in node.arguments or ():
        if argument.name.value in PAGE_SIZE_ARGUMENTS:
            if isinstance(argument.value, IntValueNode):
                sizes.append(max(1, min(int(argument.value.value), settings.MAX_PAGE_SIZE)))
            elif isinstance(argument.value, VariableNode):
                sizes.append(settings.MAX_PAGE_SIZE)
    if sizes:
        return max(sizes)
    if "limit" in field.args:
        default = field.args["limit"].default_value
        return default if isinstance(default, int) and default > 0 else DEFAULT_LIST_SIZE
    return CONNECTION_DEFAULT


def _is_list(type_: Any) -> bool:
    return isinstance(type_.of_type if isinstance(type_, GraphQLNonNull) else type_, GraphQLList)


def _multiplier(node: FieldNode, field: GraphQLField, parent: GraphQLNamedType) -> int:
    if any(name in field.args for name in PAGE_SIZE_ARGUMENTS):
        return _limit_of(node, field)
    if not _is_list(field.type):
        return 1
    # A connection's `nodes` and `edges` are already counted by the page size of the field that returned it.
    if node.name.value in ("nodes", "edges") and parent.name.endswith("Connection"):
        return 1
    return DEFAULT_LIST_SIZE


class QueryCostRule(ValidationRule):
    """Refuses an operation whose estimated cost is over MAX_COST (code BAD_INPUT, reason QUERY_TOO_COMPLEX)."""

    max_cost = MAX_COST

    def __init__(self, context: Any) -> None:
        super().__init__(context)
        self._fragment_costs: dict[str, int] = {}

    def enter_operation_definition(self, node: OperationDefinitionNode, *_: Any) -> None:
        root = self.context.schema.get_root_type(node.operation)
        if root is None:
            return
        cost = self._cost(root, node.selection_set, frozenset())
        if cost > self.max_cost:
            self.report_error(
                GraphQLError(
                    f"The query is too complex: estimated cost {cost} is over {self.max_cost};"
                    " ask for fewer items or fewer nested lists",
                    node,
                    extensions={
                        "code": ErrorCode.BAD_INPUT.value,
                        "reason": QUERY_TOO_COMPLEX,
                        "details": {"cost": cost, "maxCost": self.max_cost},
                    },
                )
            )

    def _cost(self, parent: GraphQLNamedType | None, selections: SelectionSetNode, seen: frozenset[str]) -> int:
        total = 0
        for selection in selections.selections:
            if isinstance(selection, FieldNode):
                total += self._field_cost(parent, selection, seen)
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                target = self.context.schema.get_type(condition.name.value) if condition else parent
                total += self._cost(target, selection.selection_set, seen)
            elif isinstance(selection, FragmentSpreadNode):
                total += self._fragment_cost(selection.name.value, seen)
        return total

    def _field_cost(self, parent: GraphQLNamedType | None, node: FieldNode, seen: frozenset[str]) -> int:
        if node.selection_set is None or node.name.value.startswith("__"):
            return 0
        if not isinstance(parent, (GraphQLObjectType, GraphQLInterfaceType)):
            return 0
        field = parent.fields.get(node.name.value)
        if field is None:
            return 0  # reported by FieldsOnCorrectTypeRule
        children = self._cost(get_named_type(field.type), node.selection_set, seen)
        return _multiplier(node, field, parent) * (1 + children)

    def _fragment_cost(self, name: str, seen: frozenset[str]) -> int:
        # Memoised, so fragments spread many times are walked once; a cycle is reported by NoFragmentCyclesRule.
        if name in seen:
            return 0
        if name not in self._fragment_costs:
            fragment = self.context.get_fragment(name)
            if fragment is None:
                return 0
            target = self.context.schema.get_type(fragment.type_condition.name.value)
            self._fragment_costs[name] = self._cost(target, fragment.selection_set, seen | {name})
        return self._fragment_costs[name]


# Text no column can store: U+0000 (PostgreSQL refuses it) and unpaired surrogates (not encodable as UTF-8).
UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
UNSTORABLE_MESSAGE = "Text must not contain NUL characters or unpaired surrogates"
MULTIPLE_OPERATIONS_MESSAGE = "The document has several operations: name the one to run in operationName"


class NoNulInLiterals(ValidationRule):
    """Unstorable text in a literal is refused up front rather than failing inside a transaction (graphql-core's
    lexer already refuses escaped surrogates; this catches NUL)."""

    def enter_string_value(self, node: StringValueNode, *_: Any) -> None:
        if UNSTORABLE.search(node.value):
            self.report_error(GraphQLError(UNSTORABLE_MESSAGE, node, extensions={"code": ErrorCode.BAD_INPUT.value}))


def _unstorable_path(value: Any, path: tuple[str, ...]) -> tuple[str, ...] | None:
    """The path of the first unstorable text (key or value) in a variable's JSON value."""
    if isinstance(value, str):
        return path if UNSTORABLE.search(value) else None
    if isinstance(value, dict):
        for key, item in value.items():
            found = (*path, key) if UNSTORABLE.search(key) else _unstorable_path(item, (*path, key))
            if found:
                return found
    if isinstance(value, list):
        for index, item in enumerate(value):
            if found := _unstorable_path(item, (*path, str(index))):
                return found
    return None


class NoNulInVariables(SchemaExtension):
    """The same rule for variables, which validation rules never see; the error names the argument's path as
    the schema does (the variable `$v0` passed as `input` and holding `{name: ...}` -> `input.name`)."""

    def on_execute(self) -> Iterator[None]:
        for name, value in (self.execution_context.variables or {}).items():
            if found := _unstorable_path(value, (name,)):
                argument = argument_names(self.execution_context.graphql_document).get(name, name)
                path = ".".join((argument, *found[1:]))
                raise GraphQLError(
                    f"{UNSTORABLE_MESSAGE} (at '{path}')",
                    extensions={"code": ErrorCode.BAD_INPUT.value, "field": path.rsplit(".", 1)[-1], "argument": path},
                )
        yield


class OneOperationOrName(SchemaExtension):
    """The GraphQL spec: a document with several operations runs only the one named by operationName.
    (Strawberry would otherwise pick the first operation.) Checked once the document is parsed."""

    def on_parse(self) -> Iterator[None]:
        yield
        context = self.execution_context
        if context.graphql_document is None or context._provided_operation_name is not None:
            return
        operations = [d for d in context.graphql_document.definitions if isinstance(d, OperationDefinitionNode)]
        if len(operations) > 1:
            raise GraphQLError(MULTIPLE_OPERATIONS_MESSAGE, extensions={"code": ErrorCode.BAD_INPUT.value})


def _weakly(method: Callable[..., Any]) -> Callable[..., Any]:
    ref = weakref.WeakMethod(method)

    def call(*args: Any, **kwargs: Any) -> Any:
        bound = ref()
        if bound is None:
            raise RuntimeError("The operation this resolver belonged to has finished")
        return bound(*args, **kwargs)

    return call


class AcyclicExecutionContext(StrawberryGraphQLCoreExecutionContext):
    """graphql-core's executor without its reference cycle.

    The executor keeps `async_helpers`, a tuple of its own bound methods, so it and everything it holds (the
    request context: viewer, loaders, every row and future of the request) could only be freed by the cyclic
    collector, whose full passes then paused the process. Weak references break the cycle: when the operation
    ends, reference counting frees all of it at once.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.async_helpers = GraphQLResolveInfoHelpers(
            gather=_weakly(self.gather_async_work), track=_weakly(self.track_async_work)
        )

    def build_response(self, data: Any) -> Any:
        # An error keeps the frames it went through, and they hold this executor, which holds the error. The
        # GraphQL error's own traceback is only the executor's propagation: dropped. The resolver's exception keeps
        # its traceback for the log, without the frames' locals. Then a failed request is freed like any other.
        for error in self.collected_errors.errors:
            error.__traceback__ = None
            original = error.original_error
            if original is not None and original.__traceback__ is not None:
                traceback.clear_frames(original.__traceback__)
        return super().build_response(data)


class TimeBoundSchema(strawberry.Schema):
    """A schema whose queries and mutations stop after `execution_seconds` with one QUERY_TIMEOUT error.

    One deadline around the whole execution (not a check in every resolver, which cost a tenth of a large
    query's time): when it passes, the operation's task is cancelled, so a unit of work in flight rolls back.
    Subscriptions go through `subscribe` and live long on purpose: they are not bounded.
    """

    def __init__(self, *args: Any, execution_seconds: float | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("execution_context_class", AcyclicExecutionContext)
        super().__init__(*args, **kwargs)
        self.execution_seconds = execution_seconds

    def process_errors(self, errors: list[GraphQLError], execution_context: Any = None) -> None:
        log_errors(errors)

    async def execute(self, *args: Any, **kwargs: Any) -> Any:
        seconds = MAX_EXECUTION_SECONDS if self.execution_seconds is None else self.execution_seconds
        try:
            async with asyncio.timeout(seconds):
                return await super().execute(*args, **kwargs)
        except TimeoutError:
            error = GraphQLError(str(QueryTimeout(seconds)), extensions={"code": QUERY_TIMEOUT})
            return ExecutionResult(data=None, errors=[error])


# Built once: the validation cache is keyed by the rule classes, and strawberry's QueryDepthLimiter and
# MaxAliasesLimiter build a new class per instance, so an extension made per request could never hit the cache.
VALIDATION_RULES: tuple[type[ValidationRule], ...] = (
    max_depth_rule(MAX_DEPTH, None),
    max_aliases_rule(MAX_ALIASES),
    QueryCostRule,
    NoNulInLiterals,
)
VALIDATION_CACHE_SIZE = 256


def limit_extensions() -> list[Any]:
    # Factories, so every operation gets fresh extension instances (over the same rule classes).
    extensions: list[Any] = [
        lambda: MaxTokensLimiter(max_token_count=MAX_TOKENS),
        lambda: AddValidationRules(list(VALIDATION_RULES)),
        lambda: ParserCache(maxsize=256),
        lambda: ValidationCache(maxsize=VALIDATION_CACHE_SIZE),
        NoNulInVariables,
        OneOperationOrName,
    ]
    if not settings.DEBUG:
        extensions.append(DisableIntrospection)
    return extensions


__all__ = [
    "DEFAULT_LIST_SIZE",
    "MAX_ALIASES",
    "MAX_COST",
    "MAX_DEPTH",
    "MAX_EXECUTION_SECONDS",
    "MAX_TOKENS",
    "VALIDATION_RULES",
    "AcyclicExecutionContext",
    "AddValidationRules",
    "NoNulInLiterals",
    "NoNulInVariables",
    "OneOperationOrName",
    "QueryCostRule",
    "TimeBoundSchema",
    "limit_extensions",
]
