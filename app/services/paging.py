"""Keyset pagination (Relay's first/after, last/before) in SQL: a page is one bounded query after the cursor's row,
never an OFFSET that reads and drops every earlier row, and stays stable when rows are added meanwhile.

A cursor is the page item's values of the ordering keys, JSON in URL-safe base64: opaque to clients, checked on the
way in (a cursor of another list or a forged one is BAD_INPUT, never a 500).
"""

from __future__ import annotations

import base64
import binascii
import json
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Generic, TypeVar

from tortoise.expressions import Q
from tortoise.functions import Count
from tortoise.models import Model
from tortoise.queryset import QuerySet

from app import settings
from app.errors import bad_input

M = TypeVar("M", bound=Model)
T = TypeVar("T")
DEFAULT_PAGE = 20


def bounded(size: int, argument: str) -> int:
    """A page size within 0..MAX_PAGE_SIZE, or BAD_INPUT naming the argument."""
    if not 0 <= size <= settings.MAX_PAGE_SIZE:
        raise bad_input(argument, f"{argument} must be between 0 and {settings.MAX_PAGE_SIZE}")
    return size


@dataclass(frozen=True)
class PageRequest:
    """Which page: `first` items after `after`, or `last` items before `before` (first 20 when neither is given)."""

    first: int | None = None
    after: str | None = None
    last: int | None = None
    before: str | None = None

    @property
    def backwards(self) -> bool:
        return self.last is not None or (self.before is not None and self.first is None)

    @property
    def size(self) -> int:
        if self.first is not None and self.last is not None:
            raise bad_input("first", "Ask for first or last, not both")
        size = self.last if self.backwards else self.first
        return bounded(DEFAULT_PAGE if size is None else size, "last" if self.backwards else "first")


@dataclass(frozen=True)
class Key:
    """One ordering key: the model field, its direction, and how a cursor value turns back into a field value."""

    field: str
    descending: bool = False
    parse: Callable[[Any], Any] = lambda value: value


def datetime_key(field: str, *, descending: bool = False) -> Key:
    return Key(field, descending, lambda value: datetime.fromisoformat(str(value)))


def id_key(*, descending: bool = False) -> Key:
    """The primary key as the last tie-breaker (integers or UUIDs)."""

    def parse(value: Any) -> Any:
        return value if isinstance(value, int) else uuid.UUID(str(value))

    return Key("id", descending, parse)


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    cursors: list[str]
    has_next_page: bool
    has_previous_page: bool
    total_count: int


def encode(values: Sequence[Any]) -> str:
    plain = [v.isoformat() if isinstance(v, datetime) else str(v) if isinstance(v, uuid.UUID) else v for v in values]
    return base64.urlsafe_b64encode(json.dumps(plain, separators=(",", ":")).encode()).decode().rstrip("=")


def decode(cursor: str, keys: Sequence[Key], argument: str) -> list[Any]:
    try:
        raw = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        if not isinstance(raw, list) or len(raw) != len(keys):
            raise ValueError("wrong shape")
        return [key.parse(value) for key, value in zip(keys, raw, strict=True)]
    except (ValueError, TypeError, binascii.Error, UnicodeDecodeError) as error:
        raise bad_input(argument, f"{argument} is not a cursor of this list") from error


def _beyond(keys: Sequence[Key], values: Sequence[Any], *, forwards: bool) -> Q:
    """Rows strictly after (forwards) or before the cursor's position in the keys' order."""
    alternatives: list[Q] = []
    for i, key in enumerate(keys):
        smaller = key.descending == forwards  # after, in a descending key, or before, in an ascending one
        head = {k.field: v for k, v in zip(keys[:i], values[:i], strict=True)}
        step = {f"{key.field}__{'lt' if smaller else 'gt'}": values[i]}
        alternatives.append(Q(**head, **step))
    combined = alternatives[0]
    for alternative in alternatives[1:]:
        combined |= alternative
    return combined


def _ordering(keys: Sequence[Key], *, reverse: bool) -> list[str]:
    return [("-" if key.descending != reverse else "") + key.field for key in keys]


def cursor_of(row: Model, keys: Sequence[Key]) -> str:
    return encode([getattr(row, key.field) for key in keys])


async def keyset_page(query: QuerySet[M], keys: Sequence[Key], request: PageRequest) -> Page[M]:
    """One page of `query` in the keys' order (the last key must be unique, e.g. the id); three statements:
    the total, the page (one row more than asked, to know whether more follow)."""
    size = request.size
    total = await query.count()
    page_query = query
    if request.after is not None:
        page_query = page_query.filter(_beyond(keys, decode(request.after, keys, "after"), forwards=True))
    if request.before is not None:
        page_query = page_query.filter(_beyond(keys, decode(request.before, keys, "before"), forwards=False))
    backwards = request.backwards
    rows = list(await page_query.order_by(*_ordering(keys, reverse=backwards)).limit(size + 1))
    more = len(rows) > size
    rows = rows[:size]
    if backwards:
        rows.reverse()
    return Page(
        items=rows,
        cursors=[cursor_of(row, keys) for row in rows],
        has_next_page=more if not backwards else request.before is not None,
        has_previous_page=more if backwards else request.after is not None,
        total_count=total,
    )


def list_page(rows: Sequence[M], keys: Sequence[Key], request: PageRequest) -> Page[M]:
    """The same paging over rows already in memory in ascending key order (lists filtered exactly in Python)."""
    if any(key.descending for key in keys):
        raise ValueError("list_page pages ascending keys only")
    size = request.size
    positions = [tuple(getattr(row, key.field) for key in keys) for row in rows]
    start, end = 0, len(rows)
    if request.after is not None:
        after = tuple(decode(request.after, keys, "after"))
        start = next((i for i, p in enumerate(positions) if p > after), len(rows))
    if request.before is not None:
        before = tuple(decode(request.before, keys, "before"))
        end = next((i for i, p in enumerate(positions) if p >= before), len(rows))
    end = max(start, end)
    first, last = (max(start, end - size), end) if request.backwards else (start, min(end, start + size))
    chosen = rows[first:last]
    return Page(
        items=list(chosen),
        cursors=[cursor_of(row, keys) for row in chosen],
        has_next_page=last < len(rows) if request.backwards else last < end,
        has_previous_page=first > start if request.backwards else first > 0,
        total_count=len(rows),
    )


async def nested_pages(
    query: QuerySet[M], fk: str, parents: Sequence[Any], keys: Sequence[Key], request: PageRequest
) -> dict[Any, Page[M]]:
    """The same page of each parent's children in three statements, however many parents: a window function
    numbers each parent's rows after the cursor (the page's ids), then the rows by id, then the totals."""
    size = request.size
    backwards = request.backwards
    scoped = query.filter(**{f"{fk}__in": list(parents)})
    windowed = scoped
    if request.after is not None:
        windowed = windowed.filter(_beyond(keys, decode(request.after, keys, "after"), forwards=True))
    if request.before is not None:
        windowed = windowed.filter(_beyond(keys, decode(request.before, keys, "before"), forwards=False))
    fields = dict.fromkeys(["id", fk, *(key.field for key in keys)])
    # The filtered children as parameterized SQL (the driver formats dates and ids as the rows were stored).
    values = windowed.values(*fields)
    values._choose_db_if_not_chosen()
    values._make_query()
    inner, params = values.query.get_parameterized_sql()
    order = ", ".join(f'"{key.field}" {"DESC" if key.descending != backwards else "ASC"}' for key in keys)
    numbered = (
        f'SELECT "id", "{fk}", "n" FROM (SELECT "id", "{fk}", ROW_NUMBER() OVER (PARTITION BY "{fk}" ORDER BY {order})'
        f' AS "n" FROM ({inner}) AS "children") AS "numbered" WHERE "n" <= {size + 1}'
    )
    ranked = await values._db.execute_query_dict(numbered, list(params))
    chosen = {row["id"]: (row[fk], row["n"]) for row in ranked if row["n"] <= size}
    more = {row[fk] for row in ranked if row["n"] > size}
    rows: dict[Any, list[M]] = {parent: [] for parent in parents}
    for row in await query.model.filter(id__in=list(chosen)):
        rows[getattr(row, fk)].append(row)
    totals = {
        item[fk]: item["total"] for item in await scoped.annotate(total=Count("id")).group_by(fk).values(fk, "total")
    }
    pages: dict[Any, Page[M]] = {}
    for parent, items in rows.items():
        items.sort(key=lambda item: chosen[item.pk][1], reverse=backwards)
        pages[parent] = Page(
            items=items,
            cursors=[cursor_of(item, keys) for item in items],
            has_next_page=parent in more if not backwards else request.before is not None,
            has_previous_page=parent in more if backwards else request.after is not None,
            total_count=totals.get(parent, 0),
        )
    return pages
