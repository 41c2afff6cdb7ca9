"""Node.js scripts the suite runs against a live server (graphql-http's audit, urql): each is an npm package under
tests/ installed by a make target; without Node the test is skipped, except on CI, where it must run."""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest


def require_package(directory: Path, package: str, make_target: str) -> None:
    """Skip the calling test when Node or the package is missing (fail on CI)."""
    reason = None
    if shutil.which("node") is None:
        reason = "node is not installed"
    elif not (directory / "node_modules" / package).is_dir():
        reason = f"{package} is not installed: run `make {make_target}`"
    if reason is None:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"{directory.name} must run on CI: {reason}")
    pytest.skip(reason)


async def run_script(directory: Path, *args: str, seconds: float) -> Any:
    """Run `node *args` in the package's directory; the script's last stdout line is its JSON result."""
    run = await asyncio.to_thread(
        subprocess.run, ["node", *args], cwd=directory, capture_output=True, text=True, timeout=seconds
    )
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout.strip().splitlines()[-1])
