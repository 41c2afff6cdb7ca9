"""The layers hold: every module imports on its own, the import-linter contracts (pyproject.toml) are kept,
a forbidden import breaks them, and no two modules import each other outside the GraphQL type graph."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("app", "models", "schema", "resolvers", "subscriptions")
LINT_IMPORTS = [sys.executable, "-c", "from importlinter.cli import lint_imports_command; lint_imports_command()"]
# Strawberry types refer to each other (User -> bookings -> User), through strawberry.lazy and TYPE_CHECKING.
TYPE_GRAPH = "schema.types"


def module_names() -> list[str]:
    names = []
    for package in (*PACKAGES, "migrations"):
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = path.relative_to(ROOT).with_suffix("").parts
            names.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return names


# Run in a fresh interpreter: the third-party libraries are imported once, then each module of ours is
# imported in a forked child that starts with none of our modules loaded (what "on its own" means here).
IMPORT_EACH_ALONE = """
import importlib, os, sys
for library in ("strawberry", "tortoise", "starlette", "graphql", "stripe", "broadcaster", "redis", "httpx"):
    importlib.import_module(library)
ours = sys.argv[1].split(",")
assert not [m for m in sys.modules if m.split(".")[0] in {n.split(".")[0] for n in ours}]
for name in ours:
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read)
        try:
            importlib.import_module(name)
        except BaseException as error:
            os.write(write, f"{type(error).__name__}: {error}".encode())
            os._exit(1)
        os._exit(0)
    os.close(write)
    message = os.read(read, 4096).decode()
    os.close(read)
    _, status = os.waitpid(pid, 0)
    if status != 0:
        print(f"{name}\t{message or status}")
"""


def import_each_alone(names: list[str]) -> dict[str, str]:
    """Module name -> error, for every module that fails to import on its own."""
    done = subprocess.run(
        [sys.executable, "-c", IMPORT_EACH_ALONE, ",".join(names)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    return dict(line.split("\t", 1) for line in done.stdout.splitlines() if "\t" in line)


def test_every_module_imports_on_its_own() -> None:
    names = module_names()
    assert "resolvers.coordination" in names and "app.services.coordination.acceptance" in names
    assert import_each_alone(names) == {}


def test_a_module_that_only_imports_through_a_cycle_is_reported(tmp_path: Path) -> None:
    (tmp_path / "first.py").write_text("import second\nVALUE = 1\n")
    (tmp_path / "second.py").write_text("from first import VALUE\n")
    done = subprocess.run(
        [sys.executable, "-c", IMPORT_EACH_ALONE, "first,second"], cwd=tmp_path, capture_output=True, text=True
    )
    assert done.stdout.startswith("first\tImportError"), done.stdout + done.stderr


def lint_imports(cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*LINT_IMPORTS, "--no-cache"], cwd=cwd, capture_output=True, text=True, timeout=300, check=False
    )


def test_the_layer_contracts_are_kept() -> None:
    done = lint_imports(ROOT)
    assert done.returncode == 0, done.stdout
    assert "Contracts: 3 kept, 0 broken." in done.stdout


def test_a_service_importing_the_schema_breaks_the_contracts(tmp_path: Path) -> None:
    for package in PACKAGES:
        shutil.copytree(ROOT / package, tmp_path / package, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    quoting = tmp_path / "app" / "services" / "coordination" / "quoting.py"
    quoting.write_text(quoting.read_text() + "\nfrom schema.types.booking import ServiceBooking  # noqa\n")

    done = lint_imports(tmp_path)

    assert done.returncode != 0
    assert "Contracts: 1 kept, 2 broken." in done.stdout
    assert "app.services.coordination.quoting -> schema.types.booking" in done.stdout


def test_no_two_modules_import_each_other_outside_the_type_graph() -> None:
    graph = grimp.build_graph(*PACKAGES, cache_dir=None)
    cycles = []
    for module in sorted(graph.modules):
        if module.startswith(TYPE_GRAPH):
            continue
        for imported in graph.find_modules_directly_imported_by(module):
            if imported.startswith(TYPE_GRAPH) or imported == module:
                continue
            back = graph.find_shortest_chain(importer=imported, imported=module)
            if back is not None:
                cycles.append((module, *back))
    assert cycles == []
