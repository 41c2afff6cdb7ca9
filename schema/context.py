"""The per-request GraphQL context: who asks, from where, and fresh loaders."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from strawberry.types import Info as StrawberryInfo

from app.services.access import Viewer
from schema.loaders import Loaders


@dataclass
class Context:
    viewer: Viewer
    address: str = "unknown"
    loaders: Loaders = field(default_factory=Loaders)
    request: Any = None
    response: Any = None
    connection_params: dict[str, Any] | None = None


Info = StrawberryInfo[Context, None]
