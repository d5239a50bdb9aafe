"""The frozen build's entry point and data files, checked without running PyInstaller.

``build.spec`` freezes ``pos_app/__main__.py`` and bundles ``resources/`` and the Alembic
migrations as files; ``bash .ci/run`` builds it and smoke-starts the binary. These tests keep
the cheap half of that promise on every test run: the entry script works as a plain script
(as PyInstaller runs it), and the files the spec bundles exist where the app looks for them.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def run_entry(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    # Run __main__.py by path, like the PyInstaller bootloader does (no ``-m``, no package
    # context), from a directory outside the checkout.
    env = {**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run(
        [sys.executable, str(ROOT / "pos_app" / "__main__.py"), *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_entry_script_migrates_loads_demo_and_sells(tmp_path: Path) -> None:
    db = tmp_path / "cli.db"
    init = run_entry("--db", str(db), "--json", "init", "--demo", cwd=tmp_path)
    assert init.returncode == 0, init.stderr
    info = json.loads(init.stdout)
    assert info["demo_loaded"] is True and info["products"] > 0

    sale = run_entry(
        "--db",
        str(db),
        "--json",
        "sell",
        "--item",
        "KOP-002=2",
        "--pay",
        "cash=100000",
        cwd=tmp_path,
    )
    assert sale.returncode == 0, sale.stderr
    data = json.loads(sale.stdout)
    assert data["total"] == 90_000 and data["change"] == 10_000


def test_entry_script_reports_errors_with_exit_code(tmp_path: Path) -> None:
    missing = run_entry(
        "--db", str(tmp_path / "nope.db"), "sell", "--item", "KOP-001=1", cwd=tmp_path
    )
    assert missing.returncode != 0
    assert "Traceback" not in missing.stderr


def test_spec_bundles_what_the_app_reads_from_disk() -> None:
    spec = (ROOT / "build.spec").read_text(encoding="utf-8")
    compile(spec, "build.spec", "exec")  # at least valid Python
    from pos_app.paths import resources_dir
    from pos_app.persistence import migrate

    # The spec copies these trees to the same relative place inside the bundle.
    assert resources_dir() == ROOT / "resources"
    assert (ROOT / "resources" / "demo" / "products.csv").is_file()
    assert migrate.MIGRATIONS == ROOT / "pos_app" / "persistence" / "migrations"
    assert (migrate.MIGRATIONS / "env.py").is_file()
    versions = sorted(p.name for p in (migrate.MIGRATIONS / "versions").glob("*.py"))
    assert versions, "no Alembic versions"
    for needle in (
        '"resources"',
        '"migrations"',
        'collect_data_files("babel")',
        'collect_data_files("alembic")',
        'name="lapak-pos"',
    ):
        assert needle in spec


def test_no_plotting_library_is_a_dependency_or_enters_the_bundle() -> None:
    """The report charts are painted with QPainter: matplotlib and numpy (with OpenBLAS, a
    quarter of the bundle) are neither dependencies nor let in by an optional import."""
    import ast
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    names = [d.split(">")[0].split("[")[0].split("<")[0].strip().lower()
             for d in project["dependencies"]]
    assert "pyside6-essentials" in names
    assert not {"matplotlib", "numpy"} & set(names)
    spec = ast.parse((ROOT / "build.spec").read_text(encoding="utf-8"))
    [excludes] = [ast.literal_eval(node.value) for node in ast.walk(spec)
                  if isinstance(node, ast.Assign) and any(
                      isinstance(t, ast.Name) and t.id == "excludes" for t in node.targets)]
    assert {"matplotlib", "numpy"} <= set(excludes)


@pytest.mark.parametrize("script", ["app", "test", "run"])
def test_ci_scripts_are_valid_bash(script: str) -> None:
    path = ROOT / ".ci" / script
    assert path.exists(), f".ci/{script} is missing"
    result = subprocess.run(["bash", "-n", str(path)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
