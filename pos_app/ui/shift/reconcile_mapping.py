"""The statement page of the reconciliation screen: which file, which statement source, and
which of the file's columns holds the date, time, amount (or credit and debit), reference and
description, with the first rows of the file shown under the choices."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QRadioButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from pos_app.i18n import _, ngettext
from pos_app.services.shift.statement_import import (
    AUTO,
    DATE_FORMATS,
    ROLES,
    ZONES,
    StatementFile,
    StatementMapping,
    fits,
    guess_mapping,
)
from pos_app.ui.common.buttons import TouchButton
from pos_app.ui.common.figures import figure_label

OPTIONAL = {"time", "debit", "reference", "description"}


def role_label(role: str) -> str:
    return {"date": _("Date"), "time": _("Time"), "amount": _("Amount"),
            "credit": _("Credit (in)"), "debit": _("Debit (out)"),
            "reference": _("Reference"), "description": _("Description")}[role]


class ColumnBox(QComboBox):
    """The file's columns; optional roles start with "not in this file"."""

    def __init__(self, optional: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.optional = optional
        self.setMinimumContentsLength(8)  # three across on a 1024 px screen
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)

    def set_columns(self, header: list[str]) -> None:
        self.blockSignals(True)
        self.clear()
        self.addItem(_("— not in this file —") if self.optional else _("— choose —"), "")
        for column in header:
            self.addItem(column, column)
        self.blockSignals(False)

    def column(self) -> str:
        return self.currentData() or ""

    def select(self, column: str) -> None:
        self.setCurrentIndex(max(self.findData(column or ""), 0))


class MappingPage(QWidget):
    """File, source and columns; ``load_requested`` when the coordinator asks to match."""

    choose_requested = Signal()
    load_requested = Signal()

    def __init__(self, booth_zone: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.file: StatementFile | None = None
        self.saved: dict[str, StatementMapping] = {}

        self.file_label = QLabel(_("No statement chosen yet"), self)
        self.file_label.setProperty("role", "heading")
        self.file_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.file_hint = figure_label(self)
        self.choose_button = TouchButton(_("Choose statement file…"), self)
        self.choose_button.setToolTip(_("A CSV or Excel file exported from the bank or "
                                        "e-wallet"))
        self.choose_button.clicked.connect(self.choose_requested)
        self.source_box = QComboBox(self)
        self.source_box.setEditable(True)
        self.source_box.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.source_box.lineEdit().setPlaceholderText(_("For example BRI QRIS"))
        self.source_box.setMinimumContentsLength(8)
        self.source_box.setToolTip(_("The columns are remembered under this name and offered "
                                     "again for the next statement from the same source"))
        self.source_box.activated.connect(lambda _i: self._source_picked())

        self.boxes: dict[str, ColumnBox] = {}
        for role in ROLES:
            box = ColumnBox(role in OPTIONAL, self)
            box.currentIndexChanged.connect(lambda _i: self._show_preview())
            self.boxes[role] = box
        self.single = QRadioButton(_("One amount column (money out is negative or DB)"), self)
        self.split = QRadioButton(_("Separate credit and debit columns"), self)
        group = QButtonGroup(self)
        group.addButton(self.single)
        group.addButton(self.split)
        self.single.setChecked(True)
        self.single.toggled.connect(lambda _on: self._layout_changed())
        self.format_box = QComboBox(self)
        self.format_box.addItem(_("Detect"), AUTO)
        for key, example in DATE_FORMATS.items():
            self.format_box.addItem(f"{key}   ({example})", key)
        self.zone_box = QComboBox(self)
        for box, length in ((self.format_box, 8), (self.zone_box, 8)):
            box.setMinimumContentsLength(length)
            box.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        zone_name = next((n for n, z in ZONES.items() if z == booth_zone), booth_zone)
        self.zone_box.addItem(_("The booth's ({zone})").format(zone=zone_name), "")
        for name, zone in ZONES.items():
            self.zone_box.addItem(name, zone)

        self.load_button = TouchButton(_("Read and match"), self, role="primary")
        self.load_button.setToolTip(_("Read every row of the statement and match it to the "
                                      "QRIS and transfer payments not yet confirmed"))
        self.load_button.setEnabled(False)
        self.load_button.clicked.connect(self.load_requested)

        self.preview = QTableWidget(self)
        self.preview.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.preview.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.preview.setWordWrap(False)
        self.preview.verticalHeader().setDefaultSectionSize(34)
        self.preview.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.preview.horizontalHeader().setStretchLastSection(True)
        self.preview_label = QLabel(_("The first rows of the file"), self)
        self.preview_label.setProperty("role", "caption")
        self._build()
        self._layout_changed()

    def _build(self) -> None:
        top = QHBoxLayout()
        top.setSpacing(10)
        names = QVBoxLayout()
        names.setSpacing(2)
        names.addWidget(self.file_label)
        names.addWidget(self.file_hint)
        top.addLayout(names, 1)
        top.addWidget(self.choose_button)

        grid = QGridLayout()
        grid.setHorizontalSpacing(14)
        grid.setVerticalSpacing(8)

        def field(row: int, col: int, text: str, widget: QWidget) -> QLabel:
            label = QLabel(text, self)
            label.setProperty("role", "field")
            label.setBuddy(widget)
            grid.addWidget(label, row, col * 2)
            grid.addWidget(widget, row, col * 2 + 1)
            return label

        field(0, 0, _("Statement source"), self.source_box)
        field(0, 1, _("Date form"), self.format_box)
        field(0, 2, _("Times are in"), self.zone_box)
        field(1, 0, role_label("date"), self.boxes["date"])
        field(1, 1, role_label("time"), self.boxes["time"])
        field(1, 2, role_label("reference"), self.boxes["reference"])
        amounts = QHBoxLayout()
        amounts.setSpacing(24)
        amounts.addWidget(self.single)
        amounts.addWidget(self.split)
        amounts.addStretch(1)
        grid.addLayout(amounts, 2, 0, 1, 6)
        # one amount column, or credit and debit in its place: only one pair is shown
        self._amount_labels = {
            "amount": field(3, 0, role_label("amount"), self.boxes["amount"]),
            "credit": field(3, 0, role_label("credit"), self.boxes["credit"]),
            "debit": field(3, 1, role_label("debit"), self.boxes["debit"])}
        field(3, 2, role_label("description"), self.boxes["description"])
        for col in (1, 3, 5):
            grid.setColumnStretch(col, 1)

        bottom = QHBoxLayout()
        bottom.addWidget(self.preview_label, 1)
        bottom.addWidget(self.load_button)

        box = QVBoxLayout(self)
        box.setContentsMargins(14, 14, 14, 10)
        box.setSpacing(10)
        box.addLayout(top)
        box.addLayout(grid)
        box.addWidget(self.preview, 1)
        box.addLayout(bottom)

    # -- the saved mappings and the file -----------------------------------------------------------
    def set_saved(self, saved: dict[str, StatementMapping]) -> None:
        self.saved = saved
        text = self.source_box.currentText()
        self.source_box.blockSignals(True)
        self.source_box.clear()
        self.source_box.addItems(list(saved))
        self.source_box.setEditText(text)
        self.source_box.blockSignals(False)

    def set_file(self, shown: StatementFile) -> None:
        """A statement was opened: offer its columns, and the mapping that fits it."""
        self.file = shown
        self.file_label.setText(shown.path.name)
        self.file_hint.setText(ngettext("{rows} row", "{rows} rows", shown.rows).format(
            rows=shown.rows) + (f" · {shown.sheet}" if shown.sheet else "")
            + f" · {shown.path.parent}")
        for box in self.boxes.values():
            box.set_columns(shown.header)
        current = self.saved.get(self.source_box.currentText().strip())
        if current is None or not fits(current, shown.header):
            current = next((m for m in self.saved.values() if fits(m, shown.header)), None)
        self.apply(current or guess_mapping(shown.header, self.source_box.currentText().strip()))
        self.load_button.setEnabled(True)

    def _source_picked(self) -> None:
        mapping = self.saved.get(self.source_box.currentText().strip())
        if mapping is not None and self.file is not None:
            self.apply(mapping)

    def apply(self, mapping: StatementMapping) -> None:
        """Show ``mapping`` in the choices (columns the file lacks stay unchosen)."""
        if mapping.source:
            self.source_box.setEditText(mapping.source)
        for role, box in self.boxes.items():
            box.blockSignals(True)
            box.select(getattr(mapping, role))
            box.blockSignals(False)
        (self.split if mapping.credit else self.single).setChecked(True)
        self.format_box.setCurrentIndex(max(self.format_box.findData(mapping.date_format), 0))
        self.zone_box.setCurrentIndex(max(self.zone_box.findData(mapping.timezone), 0))
        self._layout_changed()

    def mapping(self) -> StatementMapping:
        """What the choices say now (checked by the service when it is used)."""
        split = self.split.isChecked()
        column = {role: box.column() for role, box in self.boxes.items()}
        return StatementMapping(
            source=self.source_box.currentText().strip(), date=column["date"],
            time=column["time"], amount="" if split else column["amount"],
            credit=column["credit"] if split else "", debit=column["debit"] if split else "",
            reference=column["reference"], description=column["description"],
            date_format=self.format_box.currentData() or AUTO,
            timezone=self.zone_box.currentData() or "")

    def _layout_changed(self) -> None:
        split = self.split.isChecked()
        for role, label in self._amount_labels.items():
            shown = split == (role != "amount")
            label.setVisible(shown)
            self.boxes[role].setVisible(shown)
        self._show_preview()

    def _show_preview(self) -> None:
        """The first rows, each column headed with the role it was given."""
        shown = self.file
        if shown is None:
            return
        mapping = self.mapping()
        roles = {column: role_label(role) for role, column in mapping.columns().items()}
        self.preview.clear()
        self.preview.setColumnCount(len(shown.header))
        self.preview.setRowCount(len(shown.preview))
        self.preview.setHorizontalHeaderLabels(
            [f"{h}\n→ {roles[h]}" if h in roles else f"{h}\n" for h in shown.header])
        self.preview.setVerticalHeaderLabels([str(n) for n, _v in shown.preview])
        for r, (_n, values) in enumerate(shown.preview):
            for c, value in enumerate(values):
                item = QTableWidgetItem(value)
                if shown.header[c] not in roles:
                    item.setForeground(self.palette().placeholderText())
                self.preview.setItem(r, c, item)
        self.preview.resizeColumnsToContents()
