"""Automatic persisted queries (the `extensions.persistedQuery` protocol of Apollo Client and urql).

A client sends `{version: 1, sha256Hash}` without the query; an unknown hash answers PersistedQueryNotFound,
and the client retries with the query and the hash, which is checked, stored and executed. The same
operation can then be a short GET that caches can key on. The store is a bounded LRU per process: a
forgotten hash costs one retry, never a wrong answer, because a query is only ever stored under its own hash.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from typing import Any

from app.errors import DomainError, ErrorCode

VERSION = 1
MAX_ENTRIES = 1_000
NOT_FOUND_MESSAGE = "PersistedQueryNotFound"  # the message Apollo Client and urql look for


class PersistedQueryError(DomainError):
    """An APQ request that cannot run; shown as a GraphQL error with its code."""


class PersistedQueries:
    def __init__(self, max_entries: int = MAX_ENTRIES) -> None:
        self.max_entries = max_entries
        self._queries: OrderedDict[str, str] = OrderedDict()

    def __len__(self) -> int:
        return len(self._queries)

    def resolve(self, query: str | None, extensions: dict[str, Any] | None) -> str | None:
        """The query to run: the one sent (stored under its hash when one is given) or the stored one."""
        persisted = (extensions or {}).get("persistedQuery")
        if persisted is None:
            return query
        if not isinstance(persisted, dict) or persisted.get("version") != VERSION:
            raise PersistedQueryError(ErrorCode.BAD_INPUT, "Unsupported persisted query version: send version 1")
        digest = persisted.get("sha256Hash")
        if not isinstance(digest, str) or len(digest) != 64:
            raise PersistedQueryError(ErrorCode.BAD_INPUT, "persistedQuery.sha256Hash must be 64 hex digits")
        digest = digest.lower()
        if query is None:
            stored = self._queries.get(digest)
            if stored is None:
                raise PersistedQueryError(ErrorCode.PERSISTED_QUERY_NOT_FOUND, NOT_FOUND_MESSAGE)
            self._queries.move_to_end(digest)
            return stored
        if hashlib.sha256(query.encode("utf-8", "surrogatepass")).hexdigest() != digest:
            raise PersistedQueryError(ErrorCode.BAD_INPUT, "persistedQuery.sha256Hash does not match the query")
        self._queries[digest] = query
        self._queries.move_to_end(digest)
        while len(self._queries) > self.max_entries:
            self._queries.popitem(last=False)
        return query
