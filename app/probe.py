"""`python -m app.probe postgres redis`: exit 0 when every named local service accepts connections."""

from __future__ import annotations

import socket
import sys

PORTS = {"postgres": 5432, "redis": 6379}


def reachable(port: int, host: str = "127.0.0.1") -> bool:
    try:
        with socket.create_connection((host, port), timeout=2):
            return True
    except OSError:
        return False


def main(names: list[str]) -> int:
    missing = [name for name in names if not reachable(PORTS[name])]
    for name in missing:
        print(f"{name} is not reachable on 127.0.0.1:{PORTS[name]}", file=sys.stderr)
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
