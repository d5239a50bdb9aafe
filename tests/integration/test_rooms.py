"""The rooms keep their doors: no private name crosses a module, every package says what it
offers, and no folder or module grows past what one person reads in one go."""

from __future__ import annotations

import ast
from pathlib import Path

import pos_app

PACKAGE_DIR = Path(pos_app.__file__).parent
MAX_LINES = 400
MAX_MODULES = 20

# Private names of other libraries used on purpose (their public API lacks the piece):
THIRD_PARTY_PRIVATE = {
    # the fast XLSX row writer emits cells itself, exactly as xlsxwriter's own writer would
    ("pos_app.adapters.export.xlsx_rows", "xlsxwriter.utility._datetime_to_excel_datetime"),
    ("pos_app.adapters.export.xlsx_rows", "xlsxwriter.utility._preserve_whitespace"),
}
# Modules still allowed a private name across modules (none today); this list only shrinks.
KNOWN_PRIVATE: set[str] = set()
# Modules allowed over MAX_LINES (none today); this list only shrinks.
KNOWN_LONG: set[str] = set()


def _is_private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__") and name != "_"


def _modules() -> dict[str, Path]:
    """Every module of pos_app by dotted name, Alembic's scripts left out."""
    found = {}
    for path in PACKAGE_DIR.rglob("*.py"):
        rel = path.relative_to(PACKAGE_DIR.parent).with_suffix("")
        if "migrations" in rel.parts:
            continue
        parts = rel.parts[:-1] if rel.name == "__init__" else rel.parts
        found[".".join(parts)] = path
    return found


def private_crossings(name: str, tree: ast.AST, modules: set[str]) -> list[str]:
    """``from x import _y`` and ``x._y`` (``x`` an imported pos_app module) in ``tree``."""
    aliases: dict[str, str] = {}
    wrong = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            for alias in node.names:
                full = f"{node.module}.{alias.name}"
                if full in modules:
                    aliases[alias.asname or alias.name] = full
                elif _is_private(alias.name) and (name, full) not in THIRD_PARTY_PRIVATE:
                    wrong.append(f"{name}: from {node.module} import {alias.name}")
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name in modules and alias.asname:
                    aliases[alias.asname] = alias.name
    for node in ast.walk(tree):
        if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
                and node.value.id in aliases and _is_private(node.attr)):
            wrong.append(f"{name}: {aliases[node.value.id]}.{node.attr}")
    return wrong


def test_no_private_name_crosses_a_module() -> None:
    modules = _modules()
    wrong = []
    for name, path in sorted(modules.items()):
        if name in KNOWN_PRIVATE:
            continue
        wrong += private_crossings(name, ast.parse(path.read_text(encoding="utf-8")), set(modules))
    assert len(modules) > 150
    assert wrong == []


def test_the_private_name_check_sees_both_ways_in() -> None:
    modules = {"pos_app.services.shift.shifts", "pos_app.adapters.pdf.sheet"}
    source = ("from pos_app.services.shift.shifts import _begin, open_shift\n"
              "from pos_app.services.shift import shifts\n"
              "from pos_app.adapters.pdf import sheet as s\n"
              "from pos_app.i18n import _\n"
              "shifts._close(1)\n"
              "s.Sheet(), s.__name__, shifts.open_shift\n")
    assert private_crossings("pos_app.x", ast.parse(source), modules) == [
        "pos_app.x: from pos_app.services.shift.shifts import _begin",
        "pos_app.x: pos_app.services.shift.shifts._close"]


def _names_defined(tree: ast.Module) -> set[str]:
    names = set()
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.add(node.name)
        elif isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names.update(t.id for t in targets if isinstance(t, ast.Name))
        elif isinstance(node, ast.ImportFrom | ast.Import):
            names.update((a.asname or a.name).split(".")[0] for a in node.names)
    return names


def _declared_all(tree: ast.Module) -> list[str] | None:
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", "") == "__all__"
                                                 for t in node.targets):
            return list(ast.literal_eval(node.value))
    return None


def _packages() -> list[Path]:
    return sorted(d for d in [PACKAGE_DIR, *PACKAGE_DIR.rglob("*")]
                  if d.is_dir() and "migrations" not in d.relative_to(PACKAGE_DIR).parts
                  and any(d.glob("*.py")))


def test_every_package_says_what_it_offers() -> None:
    wrong = []
    for folder in _packages():
        where = folder.relative_to(PACKAGE_DIR.parent).as_posix()
        init = folder / "__init__.py"
        if not init.exists():
            wrong.append(f"{where}: no __init__.py")
            continue
        tree = ast.parse(init.read_text(encoding="utf-8"))
        offered = _declared_all(tree)
        if not ast.get_docstring(tree):
            wrong.append(f"{where}: no docstring")
        if offered is None:
            wrong.append(f"{where}: no __all__")
            continue
        here = {p.stem for p in folder.glob("*.py")} | {p.name for p in folder.iterdir()
                                                        if (p / "__init__.py").exists()}
        missing = set(offered) - here - _names_defined(tree)
        wrong += [f"{where}: __all__ names {n}, which is not there" for n in sorted(missing)]
    assert len(_packages()) >= 25
    assert wrong == []


def test_no_folder_holds_too_many_modules() -> None:
    crowded = {folder.relative_to(PACKAGE_DIR.parent).as_posix(): n for folder in _packages()
               if (n := len([p for p in folder.glob("*.py") if p.name != "__init__.py"]))
               > MAX_MODULES}
    assert crowded == {}


def test_no_module_is_too_long() -> None:
    long = {}
    for path in PACKAGE_DIR.rglob("*.py"):
        where = path.relative_to(PACKAGE_DIR).as_posix()
        if "migrations" in path.relative_to(PACKAGE_DIR).parts or where in KNOWN_LONG:
            continue
        lines = len(path.read_text(encoding="utf-8").splitlines())
        if lines > MAX_LINES:
            long[where] = lines
    assert long == {}


def test_the_known_lists_are_still_needed() -> None:
    """An entry that is no longer true goes: these lists only shrink."""
    modules = _modules()
    still_private = {name for name in KNOWN_PRIVATE
                     if private_crossings(name, ast.parse(modules[name].read_text("utf-8")),
                                          set(modules))}
    assert still_private == KNOWN_PRIVATE
    still_long = {where for where in KNOWN_LONG
                  if len((PACKAGE_DIR / where).read_text("utf-8").splitlines()) > MAX_LINES}
    assert still_long == KNOWN_LONG
