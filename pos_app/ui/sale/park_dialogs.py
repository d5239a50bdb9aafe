"""Parking a sale (with an optional name to find it by) and picking a parked sale to resume."""

from __future__ import annotations

import uuid

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLineEdit, QWidget

from pos_app.domain.calendar import local_time
from pos_app.domain.money import format_rupiah
from pos_app.i18n import _, ngettext
from pos_app.services.sale.parking import ParkedRow
from pos_app.ui.common.buttons import TouchButton
from pos_app.ui.common.dialog_layout import titled
from pos_app.ui.common.rows import Column, RowsModel
from pos_app.ui.common.tables import fix_widths, make_table


class ParkDialog(QDialog):
    """Asks for a name for the parked sale (may stay empty); :attr:`confirmed` gives it."""

    confirmed = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMinimumWidth(460)
        layout = titled(self, _("Park this sale"), _(
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


class ParkedModel(RowsModel):
    def __init__(self, rows: list[ParkedRow], timezone: str, parent=None) -> None:
        self.tz = timezone
        super().__init__([
            Column(_("Parked at"), lambda r: local_time(r.created_at, self.tz)
                   .strftime("%d/%m %H:%M")),
            Column(_("Name"), lambda r: r.label or _("(no name)")),
            Column(_("Items"), lambda r: str(r.item_count), numeric=True),
            Column(_("Total"), lambda r: format_rupiah(r.total), numeric=True),
        ], parent)
        self.set_rows(rows)

    def parked_id(self, row: int) -> uuid.UUID:
        return self.row(row).id


class ParkedDialog(QDialog):
    """The parked sales, oldest first; a tap on a row or Enter resumes it."""

    chosen = Signal(object)  # uuid.UUID of the parked sale

    def __init__(self, rows: list[ParkedRow], timezone: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMinimumSize(620, 420)
        layout = titled(self, _("Resume a parked sale"),
                        _("Pick the sale to bring back into the cart."))
        self.model = ParkedModel(rows, timezone, self)
        self.table = make_table(self.model, self, stretch=1, row_height=52, editable=False)
        fix_widths(self.table, ((0, 120), (2, 80), (3, 130)))
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


class CloseCartDialog(QDialog):
    """Closing the window with items in the cart: park it, discard it, or go back.
    :attr:`chosen` gives ``"park"`` or ``"discard"``."""

    chosen = Signal(str)

    def __init__(self, items: int, total: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMinimumWidth(520)
        layout = titled(self, _("The cart is not empty"), ngettext(
            "{items} item ({total}) is in the cart. Park the sale to resume it later, or "
            "discard it?",
            "{items} items ({total}) are in the cart. Park the sale to resume it later, or "
            "discard it?", items).format(items=items, total=total))
        cancel = TouchButton(_("Cancel"), self, key="Esc")
        cancel.clicked.connect(self.reject)
        self.discard_button = TouchButton(_("Discard and close"), self, role="danger")
        self.discard_button.clicked.connect(lambda: self._choose("discard"))
        self.park_button = TouchButton(_("Park and close"), self, role="primary", key="Enter")
        self.park_button.clicked.connect(lambda: self._choose("park"))
        buttons = QHBoxLayout()
        buttons.addWidget(cancel)
        buttons.addStretch(1)
        buttons.addWidget(self.discard_button)
        buttons.addWidget(self.park_button)
        layout.addLayout(buttons)
        self.park_button.setFocus()

    def _choose(self, choice: str) -> None:
        self.chosen.emit(choice)
        self.accept()
