"""Pieces the stock dialogs share: the facility picker, a table set up the same way
everywhere, an inline "are you sure?" bar, and the file choosers for PDFs and exports."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import QStandardPaths, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableView,
    QWidget,
)

from pos_app.i18n import _
from pos_app.services.catalog.catalog import FacilityRow
from pos_app.ui.common.app_context import AppContext
from pos_app.ui.common.buttons import TouchButton
from pos_app.ui.stock.stock_models import TintDelegate

ROW_HEIGHT = 42


def actor_of(app_ctx: AppContext) -> tuple[str, str]:
    """(name, role) of the logged-in user, for the stock services' ``actor``/``actor_role``."""
    user = app_ctx.login_state.user
    return (user.name, user.role) if user is not None else (app_ctx.actor, "cashier")


class FacilityBox(QComboBox):
    """The facilities by name (code in brackets); ``placeholder`` is the first choice, meaning
    "all facilities" (a filter) or "none chosen yet" (a document)."""

    picked = Signal(str)  # the code, "" for the placeholder

    def __init__(self, placeholder: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.placeholder = placeholder
        self.setMinimumContentsLength(22)
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.addItem(placeholder, "")
        self.currentIndexChanged.connect(lambda _i: self.picked.emit(self.code()))

    def set_facilities(self, rows: Sequence[FacilityRow], keep: str = "") -> None:
        keep = keep or self.code()
        self.blockSignals(True)
        self.clear()
        self.addItem(self.placeholder, "")
        for row in rows:
            self.addItem(f"{row.name} ({row.code})", row.code)
        self.blockSignals(False)
        self.select(keep)

    def code(self) -> str:
        return self.currentData() or ""

    def select(self, code: str) -> None:
        index = self.findData(code or "")
        self.setCurrentIndex(max(index, 0))


def make_table(model, parent: QWidget, stretch: int = 0, *, multi: bool = False) -> QTableView:
    """A read-mostly table: whole rows selected, no grid, touch-height rows, column
    ``stretch`` taking the spare width and the others sized to their contents."""
    table = QTableView(parent)
    table.setModel(model)
    table.setItemDelegate(TintDelegate(table))
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection if multi
                           else QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                          | QAbstractItemView.EditTrigger.EditKeyPressed
                          | QAbstractItemView.EditTrigger.AnyKeyPressed)
    table.verticalHeader().hide()
    table.verticalHeader().setDefaultSectionSize(ROW_HEIGHT)
    table.setShowGrid(False)
    table.setWordWrap(False)
    table.setTextElideMode(Qt.TextElideMode.ElideRight)
    header = table.horizontalHeader()
    header.setHighlightSections(False)
    header.setMinimumSectionSize(70)
    for col in range(model.columnCount()):
        header.setSectionResizeMode(col, QHeaderView.ResizeMode.Stretch if col == stretch
                                    else QHeaderView.ResizeMode.ResizeToContents)
    return table


def selected_rows(table: QTableView) -> list[int]:
    return sorted(index.row() for index in table.selectionModel().selectedRows())


class ConfirmBar(QFrame):
    """An inline question with two buttons ("Return everything?" Yes / Keep), so a big step
    needs a second, deliberate tap, without a modal box."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setProperty("kind", "warning")
        self._action: Callable[[], None] | None = None
        self.label = QLabel(self)
        self.label.setWordWrap(True)
        self.yes_button = TouchButton("", self, role="primary")
        self.yes_button.clicked.connect(self._yes)
        self.no_button = TouchButton(_("Not now"), self)
        self.no_button.clicked.connect(self.dismiss)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(16, 10, 10, 10)
        layout.setSpacing(10)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.no_button)
        layout.addWidget(self.yes_button)
        self.hide()

    def ask(self, text: str, yes: str, action: Callable[[], None]) -> None:
        self.label.setText(text)
        self.yes_button.setText(yes)
        self._action = action
        self.show()
        self.yes_button.setFocus()

    def dismiss(self) -> None:
        self._action = None
        self.hide()

    def _yes(self) -> None:
        action, self._action = self._action, None
        self.hide()
        if action is not None:
            action()


def documents_folder() -> Path:
    return Path(QStandardPaths.writableLocation(
        QStandardPaths.StandardLocation.DocumentsLocation))


def ask_pdf_path(parent: QWidget, title: str, name: str) -> Path | None:
    """The PDF file to write, chosen in the file dialog; None when cancelled."""
    path, _filter = QFileDialog.getSaveFileName(parent, title, str(documents_folder() / name),
                                                _("PDF files (*.pdf)"))
    if not path:
        return None
    return Path(path if path.lower().endswith(".pdf") else path + ".pdf")


def ask_export_path(parent: QWidget, name: str) -> Path | None:
    """A .csv or .xlsx file to export to (the suffix follows the chosen filter if not typed)."""
    csv_filter, xlsx_filter = _("CSV files (*.csv)"), _("Excel workbooks (*.xlsx)")
    path, chosen = QFileDialog.getSaveFileName(parent, _("Export the stock list"),
                                               str(documents_folder() / name),
                                               f"{csv_filter};;{xlsx_filter}")
    if not path:
        return None
    if Path(path).suffix.lower() not in (".csv", ".xlsx"):
        path += ".xlsx" if chosen == xlsx_filter else ".csv"
    return Path(path)


def figure_label(parent: QWidget, role: str = "hint") -> QLabel:
    label = QLabel(parent)
    label.setProperty("role", role)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label
