"""Migrations stay true: they match the models, a model change without one is reported, and 0002 is frozen SQL."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def migration_check(cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "app.migration_check"], cwd=cwd, capture_output=True, text=True, timeout=300
    )


def test_the_migrations_match_the_models() -> None:
    done = migration_check(ROOT)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Migrations match the models." in done.stdout


def test_a_model_change_without_a_migration_is_reported(tmp_path: Path) -> None:
    for package in ("app", "models", "migrations"):
        shutil.copytree(ROOT / package, tmp_path / package, ignore=shutil.ignore_patterns("__pycache__"))
    user = tmp_path / "models" / "user.py"
    source = user.read_text()
    assert "class Vehicle(Model):\n" in source
    user.write_text(
        source.replace(
            "class Vehicle(Model):\n", "class Vehicle(Model):\n    nickname = fields.CharField(max_length=40)\n"
        )
    )

    done = migration_check(tmp_path)

    assert done.returncode == 1
    assert "Add field nickname to Vehicle" in done.stdout


def test_migration_0002_holds_its_sql_and_reads_no_model() -> None:
    path = ROOT / "migrations" / "0002_check_constraints.py"
    tree = ast.parse(path.read_text())
    imported = {
        alias.name.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names
    } | {node.module.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module}
    assert imported <= {"typing", "tortoise"}
    checks = next(
        node.value
        for node in tree.body
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.target.id == "CHECKS"
    )
    assert checks is not None
    frozen = ast.literal_eval(checks)
    assert len(frozen) == 28
    assert ("reviews", "reviews_score", "score >= 1 AND score <= 5") in frozen
