"""Parking a sale (with an optional name to find it by) and picking a parked sale to resume."""

from __future__ import annotations

import uuid

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from pos_app.domain.calendar import local_time
from pos_app.domain.money import format_rupiah
from pos_app.i18n import _
from pos_app.services.sale.parking import ParkedRow
from pos_app.ui.common.buttons import TouchButton

Index = QModelIndex | QPersistentModelIndex


def _dialog_layout(dialog: QDialog, title: str, note: str) -> QVBoxLayout:
    dialog.setWindowTitle(title)
    dialog.setModal(True)
    layout = QVBoxLayout(dialog)
    layout.setContentsMargins(24, 20, 24, 20)
    layout.setSpacing(12)
    heading = QLabel(title, dialog)
    heading.setProperty("role", "heading")
    caption = QLabel(note, dialog)
    caption.setProperty("role", "caption")
    caption.setWordWrap(True)
    layout.addWidget(heading)
    layout.addWidget(caption)
    return layout


class ParkDialog(QDialog):
    """Asks for a name for the parked sale (may stay empty); :attr:`confirmed` gives it."""

    confirmed = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMinimumWidth(460)
        layout = _dialog_layout(self, _("Park this sale"), _(
            "The cart is put aside so you can serve the next buyer. Resume it with F5."))
        self.label_edit = QLineEdit(self)
        self.label_edit.setMaxLength(80)
        self.label_edit.setPlaceholderText(_("Name to find it by, e.g. lady in the red shirt"))
        self.label_edit.returnPressed.connect(self.confirm)
        layout.addWidget(self.label_edit)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        cancel = TouchButton(_("Cancel"), self, key="Esc")
        cancel.clicked.connect(self.reject)
        self.park_button = TouchButton(_("Park"), self, role="primary", key="Enter")
        self.park_button.clicked.connect(self.confirm)
        buttons.addWidget(cancel)
        buttons.addWidget(self.park_button)
        layout.addLayout(buttons)
        self.label_edit.setFocus()

    def confirm(self) -> None:
        self.confirmed.emit(self.label_edit.text().strip())
        self.accept()


class ParkedModel(QAbstractTableModel):
    def __init__(self, rows: list[ParkedRow], timezone: str, parent=None) -> None:
        super().__init__(parent)
        self._rows, self._tz = list(rows), timezone

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else 4

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole):
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return (_("Parked at"), _("Name"), _("Items"), _("Total"))[section]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return self._alignment(section)
        return None

    @staticmethod
    def _alignment(col: int) -> Qt.AlignmentFlag:
        side = Qt.AlignmentFlag.AlignRight if col >= 2 else Qt.AlignmentFlag.AlignLeft
        return side | Qt.AlignmentFlag.AlignVCenter

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row, col = self._rows[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if col == 0:
                return local_time(row.created_at, self._tz).strftime("%d/%m %H:%M")
            if col == 1:
                return row.label or _("(no name)")
            if col == 2:
                return str(row.item_count)
            return format_rupiah(row.total)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return self._alignment(col)
        return None

    def parked_id(self, row: int) -> uuid.UUID:
        return self._rows[row].id


class ParkedDialog(QDialog):
    """The parked sales, oldest first; a tap on a row or Enter resumes it."""

    chosen = Signal(object)  # uuid.UUID of the parked sale

    def __init__(self, rows: list[ParkedRow], timezone: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMinimumSize(620, 420)
        layout = _dialog_layout(self, _("Resume a parked sale"),
                                _("Pick the sale to bring back into the cart."))
        self.model = ParkedModel(rows, timezone, self)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(52)
        self.table.setShowGrid(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        for col, width in ((0, 120), (2, 80), (3, 130)):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Fixed)
            header.resizeSection(col, width)
        self.table.activated.connect(lambda index: self._choose(index.row()))
        self.table.clicked.connect(lambda index: self.table.selectRow(index.row()))
        layout.addWidget(self.table, 1)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        cancel = TouchButton(_("Cancel"), self, key="Esc")
        cancel.clicked.connect(self.reject)
        self.resume_button = TouchButton(_("Resume"), self, role="primary", key="Enter")
        self.resume_button.clicked.connect(self.confirm)
        buttons.addWidget(cancel)
        buttons.addWidget(self.resume_button)
        layout.addLayout(buttons)
        if rows:
            self.table.selectRow(0)
        self.table.setFocus()

    def confirm(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if rows:
            self._choose(rows[0].row())

    def _choose(self, row: int) -> None:
        self.chosen.emit(self.model.parked_id(row))
        self.accept()
