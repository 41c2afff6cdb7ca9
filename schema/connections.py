"""Relay cursor connections (`edges { cursor node }`, `pageInfo`, `totalCount`, and `nodes` for clients that do not
need cursors), built from a service's keyset Page (app/services/paging.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, Generic, TypeVar

import strawberry
from strawberry.relay import PageInfo

from app.services.paging import Page, PageRequest, datetime_key, id_key

N = TypeVar("N")

# The orders nested lists are paged in (the id last, so every position is unique).
OLDEST_FIRST = (datetime_key("created_at"), id_key())
NEWEST_FIRST = (datetime_key("created_at", descending=True), id_key(descending=True))
BY_START = (datetime_key("start_time"), id_key())
NOTHING: Page[Any] = Page(items=[], cursors=[], has_next_page=False, has_previous_page=False, total_count=0)

First = Annotated[int | None, strawberry.argument(description="Items after `after` (at most 100; 20 by default).")]
After = Annotated[str | None, strawberry.argument(description="Cursor of the item the page starts after.")]
Last = Annotated[int | None, strawberry.argument(description="Items before `before` (at most 100).")]
Before = Annotated[str | None, strawberry.argument(description="Cursor of the item the page ends before.")]


@strawberry.type
class Edge(Generic[N]):
    cursor: str
    node: N


@strawberry.type(description="A page of a list, with cursors to ask for the pages around it.")
class Connection(Generic[N]):
    edges: list[Edge[N]]
    page_info: PageInfo
    total_count: int = strawberry.field(description="Items in the whole list (every page).")

    @strawberry.field(description="The page's items without their cursors.")
    def nodes(self) -> list[N]:
        return [edge.node for edge in self.edges]

    @classmethod
    def of(cls, page: Page[Any], node: Callable[[Any], N]) -> Connection[N]:
        edges = [Edge(cursor=c, node=node(item)) for item, c in zip(page.items, page.cursors, strict=True)]
        return Connection(
            edges=edges,
            page_info=PageInfo(
                has_next_page=page.has_next_page,
                has_previous_page=page.has_previous_page,
                start_cursor=page.cursors[0] if page.cursors else None,
                end_cursor=page.cursors[-1] if page.cursors else None,
            ),
            total_count=page.total_count,
        )


def page_request(first: int | None, after: str | None, last: int | None, before: str | None) -> PageRequest:
    return PageRequest(first=first, after=after, last=last, before=before)
