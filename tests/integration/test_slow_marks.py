"""The inner loop (``pytest -m "not slow"``) leaves out the SIGKILL storms: every test that
kills processes over and over carries ``@pytest.mark.slow``. A kill-once test is not a
storm and may stay in the loop."""

from __future__ import annotations

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]


def _is_slow(fn: ast.FunctionDef) -> bool:
    return any(ast.unparse(d) in ("pytest.mark.slow", "mark.slow") for d in fn.decorator_list)


def _kills_in_a_loop(fn: ast.FunctionDef, helpers: dict[str, ast.FunctionDef]) -> bool:
    """SIGKILL sent inside a loop of the test, or of a module function it calls."""
    seen: set[str] = set()
    todo = [fn]
    while todo:
        node = todo.pop()
        for loop in (n for n in ast.walk(node) if isinstance(n, ast.For | ast.While)):
            if any(isinstance(n, ast.Attribute) and n.attr == "SIGKILL" for n in ast.walk(loop)):
                return True
        for call in (n for n in ast.walk(node) if isinstance(n, ast.Call)):
            name = call.func.id if isinstance(call.func, ast.Name) else None
            if name in helpers and name not in seen:
                seen.add(name)
                todo.append(helpers[name])
    return False


def storms() -> dict[str, bool]:
    """``file::test`` -> marked slow, for every test that SIGKILLs in a loop."""
    found = {}
    for path in sorted(TESTS.rglob("test_*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        helpers = {n.name: n for n in tree.body if isinstance(n, ast.FunctionDef)}
        for fn in helpers.values():
            if fn.name.startswith("test_") and _kills_in_a_loop(fn, helpers):
                found[f"{path.relative_to(TESTS)}::{fn.name}"] = _is_slow(fn)
    return found


def test_the_sigkill_storms_are_marked_slow() -> None:
    found = storms()
    storm = "integration/test_crash_safety.py::test_kill_9_during_checkout_loses_and_half_writes_nothing"
    assert storm in found  # the detector sees the one storm there is
    assert {name for name, slow in found.items() if not slow} == set()
