"""Receiving goods from a facility (tanda terima): the facility, its delivery note number and
date, and the lines - scanned (each scan adds one), found by name, or made on the spot as a new
product - with quantities that can be typed over. Recording writes one stock document; its PDF
is offered afterwards. A refused receipt writes nothing."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, replace

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDateEdit,
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QWidget,
)

from pos_app.domain.calendar import business_date
from pos_app.domain.errors import DomainError
from pos_app.domain.money import format_number, format_rupiah
from pos_app.domain.stock import MAX_STOCK_QTY
from pos_app.i18n import _, ngettext
from pos_app.services.catalog import catalog
from pos_app.services.catalog.catalog import CategoryRow, FacilityRow, ProductRow
from pos_app.services.stock import stock_docs
from pos_app.services.stock.stock_docs import DocResult
from pos_app.ui.common.app_context import AppContext
from pos_app.ui.common.banner import Banner
from pos_app.ui.common.buttons import TouchButton
from pos_app.ui.common.dialog_layout import fit_to_screen, shortcut, titled
from pos_app.ui.common.facility_box import FacilityBox
from pos_app.ui.common.figures import figure_label
from pos_app.ui.common.ops import OpFailure, error_text
from pos_app.ui.common.roles import actor_of
from pos_app.ui.common.rows import Column, EditSignals
from pos_app.ui.common.style import BORDER, PRIMARY, SURFACE
from pos_app.ui.common.tables import make_table, selected_rows
from pos_app.ui.sale.scan_box import ScanBox
from pos_app.ui.stock.stock_files import PdfSaver
from pos_app.ui.stock.stock_models import QtyDelegate
from pos_app.ui.stock.stock_product import NewProductDialog

MATCHES = 30
DATE_STYLE = (f"QDateEdit {{ background: {SURFACE}; border: 1px solid {BORDER}; "
              f"border-radius: 8px; padding: 0 12px; font-size: 16px; }}"
              f"QDateEdit:focus {{ border: 2px solid {PRIMARY}; }}"
              "QDateEdit::drop-down { border: none; width: 28px; }")


@dataclass(frozen=True)
class ReceiptLine:
    product: ProductRow
    qty: int

    @property
    def value(self) -> int:
        return self.qty * self.product.price


QTY = 4


class ReceiptLinesModel(EditSignals):
    def __init__(self, parent=None) -> None:
        super().__init__([
            Column(_("Product"), lambda r: r.product.name),
            Column(_("SKU"), lambda r: r.product.sku),
            Column(_("Barcode"), lambda r: r.product.barcode or ""),
            Column(_("Price"), lambda r: format_rupiah(r.product.price), numeric=True),
            Column(_("Qty"), lambda r: format_number(r.qty), numeric=True, editable=True,
                   tip=lambda _r: _("Type a number to change it")),
            Column(_("Value"), lambda r: format_rupiah(r.value), numeric=True),
        ], parent)

    def edit_value(self, row: ReceiptLine, col: int):
        return row.qty if col == QTY else None

    def bold(self, row: ReceiptLine, col: int) -> bool:
        return col == QTY


def find_for_receipt(booth, text: str, facility_id: uuid.UUID | None
                     ) -> tuple[ProductRow | None, list[ProductRow]]:
    """Runs in an op: the product a scanned code names, else the products whose name, SKU or
    barcode words start with the typed words (of the receipt's facility, when chosen)."""
    exact = catalog.find_by_code(booth, text)
    if exact is not None:
        return exact, []
    return None, catalog.search(booth, text, facility_id, limit=MATCHES)


class ReceiveDialog(QDialog):
    recorded = Signal(object)  # DocResult

    def __init__(self, app_ctx: AppContext, facilities: Sequence[FacilityRow],
                 categories: Sequence[CategoryRow], facility_code: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.app_ctx = app_ctx
        self.facilities, self.categories = list(facilities), list(categories)
        self.lines: list[ReceiptLine] = []
        self.result: DocResult | None = None
        self.busy = False
        self.product_dialog: NewProductDialog | None = None
        self.setMinimumWidth(1000)
        fit_to_screen(self, 1120, 720)
        layout = titled(self, _("Receive goods (tanda terima)"), _(
            "Scan each piece (every scan adds one), or type a SKU or name and press Enter. "
            "Type over a quantity to change it. The facility signs the printed tanda terima."))

        self.facility_box = FacilityBox(_("Choose the facility…"), self)
        self.facility_box.set_facilities(self.facilities, facility_code)
        self.note_edit = QLineEdit(self)
        self.note_edit.setMaxLength(stock_docs.TEXT_MAX["reference"])
        self.note_edit.setPlaceholderText(_("Number on the facility's delivery note"))
        self.date_edit = QDateEdit(self)
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("dd/MM/yyyy")
        today = business_date(app_ctx.booth.clock.now(), app_ctx.context.timezone, app_ctx.context.cutoff)
        self.date_edit.setDate(QDate(today.year, today.month, today.day))
        self.date_edit.setMinimumHeight(44)
        self.date_edit.setStyleSheet(DATE_STYLE)
        head = QGridLayout()
        head.setHorizontalSpacing(12)
        head.setVerticalSpacing(4)
        for col, (text, widget, stretch) in enumerate((
                (_("Facility"), self.facility_box, 3), (_("Delivery note no."), self.note_edit, 2),
                (_("Date"), self.date_edit, 1))):
            label = QLabel(text, self)
            label.setProperty("role", "field")
            head.addWidget(label, 0, col)
            head.addWidget(widget, 1, col)
            head.setColumnStretch(col, stretch)
        layout.addLayout(head)

        self.scan_box = ScanBox(self)
        self.scan_box.setPlaceholderText(_("Scan a barcode, or type a SKU or name + Enter"))
        self.scan_box.code_entered.connect(self.find)
        self.scan_box.qty_step.connect(self.step)
        self.scan_box.remove_line.connect(self.remove_selected)
        self.new_button = TouchButton(_("New product…"), self)
        self.new_button.setToolTip(_("A product that is not in the catalog yet"))
        self.new_button.clicked.connect(self.new_product)
        scan_row = QHBoxLayout()
        scan_row.addWidget(self.scan_box, 1)
        scan_row.addWidget(self.new_button)
        layout.addLayout(scan_row)
        self.matches = QListWidget(self)
        self.matches.setMaximumHeight(180)
        self.matches.itemActivated.connect(self._match_chosen)
        self.matches.itemClicked.connect(self._match_chosen)
        self.matches.hide()
        layout.addWidget(self.matches)

        self.model = ReceiptLinesModel(self)
        self.model.edited.connect(self._qty_typed)
        self.table = make_table(self.model, self, 0)
        self.table.setItemDelegateForColumn(QTY, QtyDelegate(1, self.table))
        layout.addWidget(self.table, 1)
        self.totals_label = figure_label(self, "field")
        self.remove_button = TouchButton(_("Remove line"), self, role="danger", key="Del")
        self.remove_button.clicked.connect(self.remove_selected)
        delete = QAction(self.table)
        delete.setShortcut(QKeySequence(QKeySequence.StandardKey.Delete))
        delete.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        delete.triggered.connect(self.remove_selected)
        self.table.addAction(delete)
        foot = QHBoxLayout()
        foot.addWidget(self.remove_button)
        foot.addStretch(1)
        foot.addWidget(self.totals_label)
        layout.addLayout(foot)

        self.banner = Banner(self)
        layout.addWidget(self.banner)
        self.pdf = PdfSaver(app_ctx, self, self.banner)
        self.cancel_button = TouchButton(_("Cancel"), self, key="Esc")
        self.cancel_button.clicked.connect(self.reject)
        self.pdf_button = TouchButton(_("Save tanda terima PDF…"), self)
        self.pdf_button.clicked.connect(self.save_pdf)
        self.pdf_button.hide()
        self.save_button = TouchButton(_("Record receipt"), self, role="primary", key="Ctrl+S")
        self.save_button.clicked.connect(self.save)
        shortcut(self, "Ctrl+S", self.save)
        buttons = QHBoxLayout()
        buttons.addWidget(self.cancel_button)
        buttons.addStretch(1)
        buttons.addWidget(self.pdf_button)
        buttons.addWidget(self.save_button)
        layout.addLayout(buttons)
        self._show_lines()
        (self.note_edit if facility_code else self.facility_box).setFocus()

    # -- finding -----------------------------------------------------------------------------
    def facility(self) -> FacilityRow | None:
        code = self.facility_box.code()
        return next((f for f in self.facilities if f.code == code), None)

    def find(self, text: str) -> None:
        if self.result is not None:
            return
        facility = self.facility()
        self.app_ctx.ops.run(find_for_receipt, self.app_ctx.booth, text,
                          facility.id if facility else None,
                          on_success=lambda found: self._found(text, *found),
                          on_error=self._failed, owner=self)

    def accepts_scan(self) -> bool:  # a scan from anywhere in the dialog (ui/common/scanner)
        return self.result is None

    def take_scan(self, code: str) -> None:
        self.scan_box.show_scanned(code)
        self.find(code)

    def _found(self, text: str, exact: ProductRow | None, matches: list[ProductRow]) -> None:
        self.scan_box.ready_for_next_scan()
        if exact is None and len(matches) == 1:
            exact = matches[0]
        if exact is not None:
            self.matches.hide()
            self.add(exact)
            return
        if not matches:
            self.matches.hide()
            self.banner.show_error(error_text(DomainError("unknown_product", ref=text)))
            return
        self.matches.clear()
        for row in matches:
            item = QListWidgetItem(f"{row.name}   ·   {row.sku}   ·   {row.facility_code}   ·   "
                                   f"{format_rupiah(row.price)}", self.matches)
            item.setData(Qt.ItemDataRole.UserRole, row)
        self.matches.show()
        self.banner.show_message(_("{count} products match: pick one").format(
            count=len(matches)), "info")

    def _match_chosen(self, item: QListWidgetItem) -> None:
        self.matches.hide()
        self.add(item.data(Qt.ItemDataRole.UserRole))
        self.scan_box.ready_for_next_scan()

    def add(self, product: ProductRow, qty: int = 1) -> None:
        """One more of ``product`` (a new line, or on its line); the first product chooses
        the facility when none was chosen."""
        facility = self.facility()
        if facility is None:
            self.facility_box.select(product.facility_code)
        elif product.facility_code != facility.code:
            self.banner.show_error(error_text(DomainError(
                "wrong_facility", ref=f"{product.name} ({product.sku})",
                facility=facility.code)))
            return
        self.banner.clear()
        for i, line in enumerate(self.lines):
            if line.product.id == product.id:
                if line.qty + qty > MAX_STOCK_QTY:
                    self.banner.show_error(error_text(DomainError(
                        "bad_quantity", qty=line.qty + qty, max=MAX_STOCK_QTY)))
                    return
                self.lines[i] = replace(line, qty=line.qty + qty)
                self._show_lines(i)
                return
        self.lines.append(ReceiptLine(product, qty))
        self._show_lines(len(self.lines) - 1)

    # -- lines -------------------------------------------------------------------------------
    def _show_lines(self, select: int | None = None) -> None:
        self.model.set_rows(self.lines)
        units = sum(line.qty for line in self.lines)
        value = sum(line.value for line in self.lines)
        self.totals_label.setText(ngettext(
            "{count} line · {units} units · {value}", "{count} lines · {units} units · {value}",
            len(self.lines)).format(count=len(self.lines), units=format_number(units),
                                    value=format_rupiah(value)))
        # one receipt is from one facility: the choice is fixed while it has lines
        self.facility_box.setEnabled(not self.lines and self.result is None)
        self.facility_box.setToolTip(_("Remove the lines to change the facility")
                                     if self.lines else "")
        self.remove_button.setEnabled(bool(self.lines) and self.result is None)
        if select is not None and 0 <= select < len(self.lines):
            self.table.selectRow(select)
            self.table.scrollTo(self.model.index(select, 0))

    def _qty_typed(self, line: ReceiptLine, qty: int) -> None:
        if self.result is not None or line not in self.lines:
            return
        if not 1 <= qty <= MAX_STOCK_QTY:
            self.banner.show_error(error_text(DomainError("bad_quantity", qty=qty,
                                                          max=MAX_STOCK_QTY)))
            return
        i = self.lines.index(line)
        self.lines[i] = replace(line, qty=qty)
        self._show_lines(i)

    def step(self, delta: int) -> None:
        """``+``/``-`` in the empty scan box: the selected line's quantity (not below one)."""
        rows = selected_rows(self.table)
        if rows and self.result is None:
            line = self.lines[rows[0]]
            self._qty_typed(line, max(1, line.qty + delta))

    def remove_selected(self) -> None:
        rows = selected_rows(self.table)
        if rows and self.result is None:
            del self.lines[rows[0]]
            self._show_lines(min(rows[0], len(self.lines) - 1))

    def items(self) -> list[tuple[str, int]]:
        return [(line.product.sku, line.qty) for line in self.lines]

    # -- new product ---------------------------------------------------------------------------
    def new_product(self) -> None:
        facility = self.facility()
        if facility is None:
            self.banner.show_error(_("Choose the facility first: the new product is made by it"))
            self.facility_box.setFocus()
            return
        dialog = NewProductDialog(self.app_ctx, facility, self.categories, self)
        dialog.created.connect(self._product_created)
        dialog.finished.connect(lambda _r: self.scan_box.ready_for_next_scan())
        self.product_dialog = dialog
        dialog.open()

    def _product_created(self, row: ProductRow) -> None:
        self.add(row)
        self.banner.show_message(_("New product {name}: SKU {sku}, barcode {barcode}").format(
            name=row.name, sku=row.sku, barcode=row.barcode or "—"), "success")

    # -- recording -----------------------------------------------------------------------------
    def save(self) -> None:
        if self.busy or self.result is not None:
            return
        facility = self.facility()
        if facility is None:
            self.banner.show_error(_("Choose the facility that delivered the goods"))
            self.facility_box.setFocus()
            return
        actor, role = actor_of(self.app_ctx)
        self.busy = True
        self.save_button.setEnabled(False)
        self.app_ctx.ops.run(stock_docs.receive, self.app_ctx.booth, facility.code, self.items(),
                          reference=self.note_edit.text(), actor=actor, actor_role=role,
                          doc_date=self.date_edit.date().toPython(),
                          on_success=self._recorded, on_error=self._refused, owner=self)

    def _recorded(self, result: DocResult) -> None:
        self.busy = False
        self.result = result
        for widget in (self.facility_box, self.note_edit, self.date_edit, self.scan_box,
                       self.new_button, self.remove_button):
            widget.setEnabled(False)
        self.table.setEditTriggers(self.table.EditTrigger.NoEditTriggers)
        self.save_button.hide()
        self.pdf_button.show()
        self.pdf_button.setFocus()
        self.cancel_button.setText(_("Close"))
        self.banner.show_message(ngettext(
            "Tanda terima {number} recorded: {units} unit from {facility}",
            "Tanda terima {number} recorded: {units} units from {facility}",
            result.units).format(number=result.number, units=format_number(result.units),
                                 facility=result.facility_code), "success")
        self.recorded.emit(result)

    def _refused(self, failure: OpFailure) -> None:
        self.busy = False
        self.save_button.setEnabled(True)
        self.banner.show_error(failure.message)
        if failure.code == "note_required":
            self.note_edit.setFocus()

    def _failed(self, failure: OpFailure) -> None:
        self.banner.show_error(failure.message)

    def save_pdf(self) -> None:
        if self.result is not None:
            self.pdf.document(self.result.number)

    def reject(self) -> None:
        if not self.busy:
            super().reject()
