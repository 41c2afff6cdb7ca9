"""The suite's own rules: test modules import only support modules, pure tests get no database, and the
PostgreSQL run never wipes a database whose name does not say it is for tests."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.database import NotATestDatabase, require_test_database

pytestmark = pytest.mark.pure  # no database

TESTS = Path(__file__).resolve().parent


def _is_test_module(module: str) -> bool:
    leaf = module.rsplit(".", 1)[-1]
    return leaf.startswith("test_") or leaf == "conftest"


def _imported_modules(path: Path) -> list[str]:
    found: list[str] = []
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.append(node.module)
            found += [f"{node.module}.{alias.name}" for alias in node.names]  # `from tests.x import test_y`
    return [m for m in found if m.startswith("tests.")]


def _exists(module: str) -> bool:
    return (TESTS.parent / f"{module.replace('.', '/')}.py").exists()


def test_no_module_of_the_suite_imports_a_test_module_or_a_conftest() -> None:
    offenders = {}
    for path in sorted(TESTS.rglob("*.py")):
        bad = [m for m in _imported_modules(path) if _is_test_module(m) and _exists(m)]
        if bad:
            offenders[str(path.relative_to(TESTS))] = bad
    assert offenders == {}, "move what they share into tests/factories.py or a support module"


def test_the_import_check_sees_an_import_of_a_test_module(tmp_path: Path) -> None:
    module = tmp_path / "test_x.py"
    module.write_text("from tests.metrics.test_reviews_and_calendar import REVIEW\nfrom tests import helpers\n")
    imported = _imported_modules(module)
    assert [m for m in imported if _is_test_module(m)] == ["tests.metrics.test_reviews_and_calendar"]


def test_a_pure_test_runs_without_the_database_fixtures(request: pytest.FixtureRequest) -> None:
    assert "database" not in request.fixturenames and "clean_tables" not in request.fixturenames


@pytest.mark.parametrize(
    "url",
    [
        "postgres://postgres@127.0.0.1:5432/nzero",
        "postgres://postgres@127.0.0.1:5432/postgres",
        "postgres://postgres@127.0.0.1:5432/",
        "postgres://tester:pw@db.test:5432/production",  # "test" in the user or host does not count
    ],
)
def test_the_schema_reset_refuses_a_database_not_named_for_tests(url: str) -> None:
    with pytest.raises(NotATestDatabase, match="refusing to DROP SCHEMA"):
        require_test_database(url)


@pytest.mark.parametrize(
    ("url", "name"),
    [
        ("postgres://postgres@127.0.0.1:5432/test", "test"),
        ("postgres://postgres@127.0.0.1:5432/test_h2", "test_h2"),
        ("postgresql://u:p@localhost/nzero_TEST?sslmode=disable", "nzero_TEST"),
    ],
)
def test_a_database_named_for_tests_may_be_reset(url: str, name: str) -> None:
    assert require_test_database(url) == name
