"""Price-tag labels for the products picked on the on-hand list: how many of each (one per
piece on hand to start with), then a sheet of labels as a PDF to print on sticker paper."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from PySide6.QtWidgets import QDialog, QHBoxLayout, QWidget

from pos_app.domain.labels import MAX_COPIES
from pos_app.domain.money import format_number, format_rupiah
from pos_app.i18n import _, ngettext
from pos_app.services.stock.stock import OnHandRow
from pos_app.ui.common.app_context import AppContext
from pos_app.ui.common.banner import Banner
from pos_app.ui.common.buttons import TouchButton
from pos_app.ui.common.dialog_layout import fit_to_screen, titled
from pos_app.ui.common.figures import figure_label, signed
from pos_app.ui.common.rows import Column, EditSignals
from pos_app.ui.common.tables import make_table
from pos_app.ui.stock.stock_files import PdfSaver
from pos_app.ui.stock.stock_models import QtyDelegate

L_COPIES = 5


@dataclass(frozen=True)
class LabelLine:
    product: OnHandRow
    copies: int


class LabelLinesModel(EditSignals):
    def __init__(self, parent=None) -> None:
        super().__init__([
            Column(_("Product"), lambda r: r.product.name),
            Column(_("SKU"), lambda r: r.product.sku),
            Column(_("Barcode"), lambda r: r.product.barcode or _("(SKU as code)")),
            Column(_("Price"), lambda r: format_rupiah(r.product.price), numeric=True),
            Column(_("On hand"), lambda r: format_number(r.product.on_hand)
                   if r.product.on_hand >= 0 else signed(r.product.on_hand), numeric=True),
            Column(_("Labels"), lambda r: format_number(r.copies), numeric=True, editable=True,
                   tip=lambda _r: _("Type a number to change it; 0 prints none")),
        ], parent)

    def edit_value(self, row: LabelLine, col: int):
        return row.copies if col == L_COPIES else None

    def bold(self, row: LabelLine, col: int) -> bool:
        return col == L_COPIES


class LabelsDialog(QDialog):
    def __init__(self, app_ctx: AppContext, products: Sequence[OnHandRow],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.app_ctx = app_ctx
        self.lines = [LabelLine(p, min(max(p.on_hand, 0), MAX_COPIES)) for p in products]
        self.setMinimumWidth(900)
        fit_to_screen(self, 980, 560)
        layout = titled(self, _("Labels"), _(
            "One label per piece on hand to start with; type over a number to print more or "
            "fewer. Labels without a barcode carry the SKU as a code the scanner reads."))
        self.model = LabelLinesModel(self)
        self.model.edited.connect(self._typed)
        self.table = make_table(self.model, self, 0)
        self.table.setItemDelegateForColumn(L_COPIES, QtyDelegate(0, self.table))
        layout.addWidget(self.table, 1)
        self.total_label = figure_label(self, "field")
        layout.addWidget(self.total_label)
        self.banner = Banner(self)
        layout.addWidget(self.banner)
        self.pdf = PdfSaver(app_ctx, self, self.banner)
        close = TouchButton(_("Close"), self, key="Esc")
        close.clicked.connect(self.reject)
        self.save_button = TouchButton(_("Save label sheet PDF…"), self, role="primary")
        self.save_button.clicked.connect(self.save)
        row = QHBoxLayout()
        row.addWidget(close)
        row.addStretch(1)
        row.addWidget(self.save_button)
        layout.addLayout(row)
        self._show()

    def _typed(self, line: LabelLine, copies: int) -> None:
        if line in self.lines and 0 <= copies <= MAX_COPIES:
            self.lines[self.lines.index(line)] = replace(line, copies=copies)
            self._show()

    def _show(self) -> None:
        self.model.set_rows(self.lines)
        total = sum(line.copies for line in self.lines)
        self.total_label.setText(ngettext("{count} label", "{count} labels", total).format(
            count=format_number(total)))

    def items(self) -> list[tuple[str, int]]:
        return [(line.product.sku, line.copies) for line in self.lines if line.copies > 0]

    def save(self) -> None:
        items = self.items()
        if not items:
            self.banner.show_error(_("Give at least one label to print"))
            return
        self.pdf.labels(items)
