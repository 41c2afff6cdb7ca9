"""Request-scoped DataLoaders: one batched query per relation, whatever the number of parents."""

from __future__ import annotations

from collections import defaultdict
from typing import Any, TypeVar

from strawberry.dataloader import DataLoader
from tortoise.models import Model

from app.services.access import RowFilter
from app.services.paging import Key, Page, PageRequest, nested_pages

M = TypeVar("M", bound=Model)


class Loaders:
    """Built fresh for every request (and every subscription event): never outlives what it serves."""

    def __init__(self) -> None:
        self._by_id: dict[type[Model], DataLoader[int, Any]] = {}
        self._children: dict[tuple[type[Model], str, str], DataLoader[int, list[Any]]] = {}
        self._pages: dict[tuple[Any, ...], DataLoader[Any, Page[Any]]] = {}

    def by_id(self, model: type[M]) -> DataLoader[int, M | None]:
        loader = self._by_id.get(model)
        if loader is None:

            async def load(keys: list[int]) -> list[M | None]:
                rows = {row.pk: row for row in await model.filter(pk__in=keys)}
                return [rows.get(key) for key in keys]

            loader = self._by_id[model] = DataLoader(load_fn=load)
        return loader

    def children(self, model: type[M], fk: str, order_by: str = "id") -> DataLoader[int, list[M]]:
        """Rows of `model` whose foreign key `fk` (e.g. "organization_id") is one of the keys."""
        cache_key = (model, fk, order_by)
        loader = self._children.get(cache_key)
        if loader is None:

            async def load(keys: list[int]) -> list[list[M]]:
                grouped: dict[int, list[M]] = defaultdict(list)
                for row in await model.filter(**{f"{fk}__in": keys}).order_by(order_by):
                    grouped[getattr(row, fk)].append(row)
                return [grouped.get(key, []) for key in keys]

            loader = self._children[cache_key] = DataLoader(load_fn=load)
        return loader

    async def one(self, model: type[M], key: int | None) -> M | None:
        return None if key is None else await self.by_id(model).load(key)

    async def many(self, model: type[M], fk: str, key: int, order_by: str = "id") -> list[M]:
        return await self.children(model, fk, order_by).load(key)

    async def page(
        self,
        model: type[M],
        fk: str,
        key: Any,
        order: tuple[Key, ...],
        request: PageRequest,
        *,
        visible: RowFilter | None = None,
        where: tuple[tuple[str, Any], ...] = (),
    ) -> Page[M]:
        """One page of the parent's children (a nested connection): the rows the viewer may see (`visible`, one
        rule for every parent) matching `where` (field lookups); every parent asking the same page is served by
        one batch of statements (paging.nested_pages), whatever the number of parents."""
        cache_key = (model, fk, tuple((k.field, k.descending) for k in order), request, where, visible and visible.key)
        loader = self._pages.get(cache_key)
        if loader is None:

            async def load(keys: list[Any]) -> list[Page[M]]:
                query = model.filter(**dict(where))
                if visible is not None:
                    query = query.filter(visible.q)
                pages = await nested_pages(query, fk, keys, order, request)
                return [pages[key] for key in keys]

            loader = self._pages[cache_key] = DataLoader(load_fn=load)
        return await loader.load(key)
