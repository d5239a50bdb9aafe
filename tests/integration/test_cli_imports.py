"""The command line is thin: its modules import no SQLAlchemy, psycopg, Alembic, models or
adapters (they call services, lazily inside each handler), no ``_private`` name of another
module, and building the parser or ``pos-app --help`` loads neither SQLAlchemy nor a model."""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import pos_app

CLI_DIR = Path(pos_app.__file__).parent / "cli"
FORBIDDEN = ("sqlalchemy", "psycopg", "alembic", "pos_app.persistence", "pos_app.adapters")
HEAVY = ("sqlalchemy", "psycopg", "alembic", "pos_app.persistence", "pos_app.adapters",
         "PySide6", "reportlab", "openpyxl")


def imports(path: Path) -> list[tuple[str, list[str], int]]:
    """(module, names, line) of every import in a file, at any depth."""
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out += [(alias.name, [], node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            out.append((node.module, [alias.name for alias in node.names], node.lineno))
    return out


def cli_files() -> list[Path]:
    files = sorted(CLI_DIR.glob("*.py"))
    assert len(files) >= 10
    return files


def test_the_cli_imports_only_services_and_below_them_the_domain() -> None:
    found = [(path.name, module) for path in cli_files()
             for module, _names, _line in imports(path)
             if module.startswith(FORBIDDEN) or module.startswith("pos_app.ui")]
    # main starts the desktop app when no command is given: the one way up into the UI
    assert found == [("main.py", "pos_app.ui.app")]


def test_the_cli_imports_no_private_name_from_another_module() -> None:
    found = [f"{path.name}:{line} {module}.{name}" for path in cli_files()
             for module, names, line in imports(path) for name in names
             if module.startswith("pos_app") and name.startswith("_") and name != "_"]
    assert found == []


def test_every_cli_module_stays_small() -> None:
    sizes = {path.name: len(path.read_text(encoding="utf-8").splitlines())
             for path in cli_files()}
    assert {name: n for name, n in sizes.items() if n > 400} == {}


LOADED = """
import json, sys
from pos_app.cli.main import build_parser
build_parser()
print(json.dumps(sorted(sys.modules)))
"""


def run(args: list[str]) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(Path(pos_app.__file__).parent.parent)}
    return subprocess.run([sys.executable, *args], capture_output=True, text=True,
                          timeout=120, env=env)


def test_building_the_parser_loads_nothing_heavy() -> None:
    done = run(["-c", LOADED])
    assert done.returncode == 0, done.stderr
    loaded = json.loads(done.stdout)
    assert "pos_app.cli.stock" in loaded and "pos_app.services.sync.limits" in loaded
    assert [m for m in loaded if m.startswith(HEAVY)] == []
    assert [m for m in loaded if m.startswith("pos_app.services.")] == [
        "pos_app.services.sync", "pos_app.services.sync.limits"]


HELP = """
import runpy, sys
sys.argv = ["pos-app", "--lang", "en", *ARGV]
try:
    runpy.run_module("pos_app", run_name="__main__")
except SystemExit as exc:
    assert exc.code == 0, exc.code
print("\\nLOADED", "sqlalchemy" in sys.modules,
      any(m.startswith("pos_app.persistence") for m in sys.modules))
"""


@pytest.mark.parametrize("argv", [["--help"], ["sync", "--help"], ["stock", "count", "--help"]])
def test_help_loads_no_sqlalchemy(argv: list[str]) -> None:
    done = run(["-c", f"ARGV = {argv!r}\n{HELP}"])
    assert done.returncode == 0, done.stderr
    assert "usage: pos-app" in done.stdout
    assert done.stdout.rstrip().endswith("LOADED False False")


def test_the_sync_batch_default_is_read_from_one_place() -> None:
    from pos_app.services.sync import limits, sync_push

    assert sync_push.BATCH_SIZE is limits.BATCH_SIZE
    done = run(["-m", "pos_app", "--lang", "en", "sync", "--help"])
    assert f"(default {limits.BATCH_SIZE})" in " ".join(done.stdout.split())
