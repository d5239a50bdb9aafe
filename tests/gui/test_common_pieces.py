"""The shared pieces in ui/common: the one rows model every table uses, the busy dialog, and
a guard that no screen grows its own table model or file chooser again."""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QPushButton

import pos_app
from pos_app.domain.errors import DomainError
from pos_app.ui.common.busy import BusyDialog
from pos_app.ui.common.ops import Ops
from pos_app.ui.common.rows import CENTER, LEFT, RIGHT, Column, RowsModel

UI = Path(pos_app.__file__).parent / "ui"
DISPLAY, ALIGN, TIP = (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.TextAlignmentRole,
                       Qt.ItemDataRole.ToolTipRole)


@dataclass(frozen=True)
class Line:
    name: str
    qty: int


class Lines(RowsModel):
    def __init__(self) -> None:
        super().__init__([
            Column("Name", lambda r: r.name),
            Column("Qty", lambda r: str(r.qty), align=CENTER),
            Column("Total", lambda r: f"Rp{r.qty * 1000}", numeric=True,
                   tip=lambda r: f"{r.qty} × Rp1000"),
        ])

    def tip(self, row: Line, col: int) -> str | None:
        return f"about {row.name}"

    def bold(self, row: Line, col: int) -> bool:
        return col == 2


def test_a_rows_model_reads_each_row_through_its_columns(qapp) -> None:
    model = Lines()
    model.set_rows([Line("Kopi", 2), Line("Tenun", 1)])
    assert (model.rowCount(), model.columnCount()) == (2, 3)
    assert model.rowCount(model.index(0, 0)) == 0  # a table: no children
    horizontal = Qt.Orientation.Horizontal
    assert [model.headerData(c, horizontal) for c in range(3)] == ["Name", "Qty", "Total"]
    assert [model.headerData(c, horizontal, ALIGN) for c in range(3)] == [LEFT, CENTER, RIGHT]
    assert [model.data(model.index(1, c)) for c in range(3)] == ["Tenun", "1", "Rp1000"]
    assert model.data(model.index(0, 2), TIP) == "2 × Rp1000"  # the column's own tip
    assert model.data(model.index(0, 0), TIP) == "about Kopi"  # else the model's
    assert model.data(model.index(0, 2), Qt.ItemDataRole.FontRole).bold()
    assert model.data(model.index(0, 0), Qt.ItemDataRole.FontRole) is None
    assert model.data(QModelIndex()) is None
    assert model.find(lambda r: r.name == "Tenun") == 1
    assert model.find(lambda r: r.name == "Ikat") is None
    assert model.row(0) == Line("Kopi", 2) and model.rows() == [Line("Kopi", 2), Line("Tenun", 1)]


class Saving(BusyDialog):
    def __init__(self, ops: Ops, done: bool = False) -> None:
        super().__init__(SimpleNamespace(ops=ops))  # the dialog needs only the ops
        self.button = QPushButton("Save", self)
        self.failures: list[str] = []
        self.saved: list[int] = []
        self.done_after = done

    def save(self, fn) -> None:
        self.run_op(fn, on_success=self.saved.append,
                    on_error=lambda f: self.failures.append(f.message), button=self.button)

    def is_done(self) -> bool:
        return self.done_after and bool(self.saved)


def test_a_busy_dialog_stays_until_its_op_ends(qtbot, ops: Ops) -> None:
    dialog = Saving(ops)
    qtbot.addWidget(dialog)
    dialog.open()
    dialog.save(lambda: 7)
    assert dialog.busy and not dialog.button.isEnabled()
    dialog.reject()  # Esc while writing: nothing happens
    assert dialog.isVisible()
    qtbot.waitUntil(lambda: dialog.saved == [7])
    assert not dialog.busy and not dialog.button.isEnabled()  # a success moves on
    dialog.reject()
    assert not dialog.isVisible() and dialog.result() == 0  # rejected


def test_a_failed_op_gives_the_button_back(qtbot, ops: Ops) -> None:
    dialog = Saving(ops)
    qtbot.addWidget(dialog)

    def broken() -> None:
        raise DomainError("reason_required")

    dialog.save(broken)
    qtbot.waitUntil(lambda: bool(dialog.failures))
    assert not dialog.busy and dialog.button.isEnabled()


def test_after_the_write_esc_is_done(qtbot, ops: Ops) -> None:
    dialog = Saving(ops, done=True)
    qtbot.addWidget(dialog)
    dialog.open()
    dialog.save(lambda: 1)
    qtbot.waitUntil(lambda: dialog.saved == [1])
    dialog.reject()
    assert dialog.result() == 1  # accepted


def names_used(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return ({n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}
            | {a.name for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) for a in n.names})


def users_of(name: str) -> list[str]:
    return sorted(str(p.relative_to(UI)) for p in UI.rglob("*.py") if name in names_used(p))


def test_one_table_model_and_one_place_for_file_choosers() -> None:
    assert users_of("QAbstractTableModel") == ["common/rows.py"]
    assert users_of("QFileDialog") == ["common/files.py"]
