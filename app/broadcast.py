"""The broadcaster chosen by BROADCAST_URL (memory://, redis://, postgres://)."""

from __future__ import annotations

from broadcaster import Broadcast


def create_broadcast(url: str) -> Broadcast:
    if url.startswith("postgresql://"):
        url = "postgres://" + url[len("postgresql://") :]
    return Broadcast(url)
