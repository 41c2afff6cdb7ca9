"""Bounds on every query: depth, aliases, tokens; introspection and suggestions off in production."""

from __future__ import annotations

from typing import Any

from strawberry.extensions import (
    AddValidationRules,
    DisableIntrospection,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    ParserCache,
    QueryDepthLimiter,
    ValidationCache,
)

from app import settings

MAX_DEPTH = 10
MAX_ALIASES = 30
MAX_TOKENS = 2_000


def limit_extensions() -> list[Any]:
    # Factories, so every operation gets fresh extension instances.
    extensions: list[Any] = [
        lambda: MaxTokensLimiter(max_token_count=MAX_TOKENS),
        lambda: QueryDepthLimiter(max_depth=MAX_DEPTH),
        lambda: MaxAliasesLimiter(max_alias_count=MAX_ALIASES),
        lambda: ParserCache(maxsize=256),
        lambda: ValidationCache(maxsize=256),
    ]
    if not settings.DEBUG:
        extensions.append(DisableIntrospection)
    return extensions


__all__ = ["MAX_ALIASES", "MAX_DEPTH", "MAX_TOKENS", "AddValidationRules", "limit_extensions"]
