"""Layers import only downwards: no Qt below the UI, no SQLAlchemy in the domain."""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pos_app

PACKAGE_DIR = Path(pos_app.__file__).parent

IMPORT_ALL = textwrap.dedent("""
    import importlib, json, pkgutil, sys

    imported = []
    for name in PACKAGES:
        package = importlib.import_module(name)
        imported.append(name)
        for info in pkgutil.walk_packages(package.__path__, name + "."):
            if ".migrations" in info.name:  # Alembic scripts run only inside Alembic
                continue
            importlib.import_module(info.name)
            imported.append(info.name)
    for name in MODULES:
        importlib.import_module(name)
        imported.append(name)
    print(json.dumps({"imported": imported, "loaded": sorted(sys.modules)}))
""")


def import_in_fresh_process(packages: list[str], modules: list[str]) -> dict:
    code = f"PACKAGES = {packages!r}\nMODULES = {modules!r}\n{IMPORT_ALL}"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120, env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def top_level(modules: list[str]) -> set[str]:
    return {m.split(".")[0] for m in modules}


def test_nothing_below_the_ui_loads_qt() -> None:
    result = import_in_fresh_process(
        ["pos_app.domain", "pos_app.services", "pos_app.persistence", "pos_app.adapters"],
        ["pos_app.cli.main", "pos_app.i18n"])
    imported = set(result["imported"])
    assert {"pos_app.domain.money", "pos_app.domain.cart", "pos_app.domain.tax",
            "pos_app.domain.tenders", "pos_app.domain.numbering", "pos_app.domain.calendar",
            "pos_app.domain.errors", "pos_app.services.sale.checkout", "pos_app.services.catalog.catalog",
            "pos_app.services.catalog.catalog_import", "pos_app.services.sale.parking",
            "pos_app.services.setup.setup", "pos_app.services.setup.records", "pos_app.services.setup.booth",
            "pos_app.persistence.models", "pos_app.persistence.database",
            "pos_app.persistence.migrate", "pos_app.adapters.tabular", "pos_app.cli.main",
            "pos_app.i18n"} <= imported
    loaded = top_level(result["loaded"])
    assert "PySide6" not in loaded
    assert "shiboken6" not in loaded
    assert not any(m.startswith("pos_app.ui") for m in result["loaded"])


def test_domain_loads_neither_sqlalchemy_nor_qt() -> None:
    result = import_in_fresh_process(["pos_app.domain"], [])
    assert "pos_app.domain.cart" in result["imported"]
    loaded = top_level(result["loaded"])
    for forbidden in ("sqlalchemy", "alembic", "PySide6", "shiboken6", "openpyxl", "sqlite3"):
        assert forbidden not in loaded, forbidden
    assert not any(m.startswith(("pos_app.services", "pos_app.persistence", "pos_app.adapters"))
                   for m in result["loaded"])


# Which pos_app layers each layer may import (its own and those below it). ``paths`` and
# ``i18n`` are cross-cutting helpers without Qt, usable above the domain.
ALLOWED = {
    "domain": {"domain"},
    "persistence": {"domain", "persistence", "paths"},
    "adapters": {"domain", "persistence", "adapters", "paths", "i18n"},
    "services": {"domain", "persistence", "adapters", "services", "paths", "i18n"},
}


def _pos_app_imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        else:
            continue
        for name in names:
            parts = name.split(".")
            if parts[0] == "pos_app" and len(parts) > 1:
                found.add(parts[1])
            if parts[0] in ("PySide6", "shiboken6"):
                found.add("<qt>")
    return found


def test_imports_only_go_down_the_layers() -> None:
    wrong = []
    checked = 0
    for layer, allowed in ALLOWED.items():
        for path in sorted((PACKAGE_DIR / layer).rglob("*.py")):
            checked += 1
            for target in _pos_app_imports(path) - allowed:
                wrong.append(f"{path.relative_to(PACKAGE_DIR)} imports {target}")
    assert checked >= 20
    assert wrong == []


def _imported_names(path: Path) -> set[str]:
    """Every module ``path`` imports, at the top or inside a function, by its full name."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


def _is_under(name: str, prefix: str) -> bool:
    return name == prefix or name.startswith(prefix + ".")


# The UI and the command line call services only: no database, no driver, no adapter.
BELOW_THE_SERVICES = ("sqlalchemy", "psycopg", "alembic", "pos_app.persistence",
                      "pos_app.adapters")
# Exceptions to that rule, each with its reason (none today); the list only shrinks.
KNOWN_BELOW: dict[str, set[str]] = {}


def _reaching_below(path: Path, forbidden: tuple[str, ...]) -> set[str]:
    return {prefix for name in _imported_names(path) for prefix in forbidden
            if _is_under(name, prefix)}


def test_ui_and_cli_call_only_services() -> None:
    wrong, checked = [], 0
    for top in ("ui", "cli"):
        for path in sorted((PACKAGE_DIR / top).rglob("*.py")):
            checked += 1
            where = path.relative_to(PACKAGE_DIR).as_posix()
            extra = _reaching_below(path, BELOW_THE_SERVICES) - KNOWN_BELOW.get(where, set())
            wrong += [f"{where} imports {name}" for name in sorted(extra)]
    assert checked >= 50
    assert wrong == []


def test_the_known_exceptions_are_still_needed() -> None:
    """An entry of KNOWN_BELOW that is no longer true goes (the list only shrinks)."""
    stale = [f"{where}: {name}" for where, names in KNOWN_BELOW.items()
             for name in sorted(names - _reaching_below(PACKAGE_DIR / where, BELOW_THE_SERVICES))]
    assert stale == []


# psycopg is the central database's driver: only the adapters and persistence speak to it.
PSYCOPG_HOMES = ("adapters", "persistence")
KNOWN_PSYCOPG: set[str] = set()


def test_only_adapters_and_persistence_import_psycopg() -> None:
    wrong = []
    for path in sorted(PACKAGE_DIR.rglob("*.py")):
        where = path.relative_to(PACKAGE_DIR).as_posix()
        if where.split("/")[0] in PSYCOPG_HOMES or where in KNOWN_PSYCOPG:
            continue
        if _reaching_below(path, ("psycopg",)):
            wrong.append(where)
    assert wrong == []
