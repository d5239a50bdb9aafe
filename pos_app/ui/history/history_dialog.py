"""The sales history (F8): find a sale, see its receipt, reprint it, save a PDF or a kwitansi,
void it or refund part of it (with a coordinator's approval when a cashier does it)."""

from __future__ import annotations

import uuid
from pathlib import Path

from PySide6.QtCore import QItemSelection, Qt, QTimer
from PySide6.QtWidgets import (
    QDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from pos_app import i18n
from pos_app.domain.errors import DomainError
from pos_app.domain.receipt import Element, receipt_elements
from pos_app.i18n import _, ngettext
from pos_app.services.sale.history import SaleSummary, find_sales
from pos_app.services.sale.kwitansi import KwitansiPlan, kwitansi_plan, save_kwitansi_pdf
from pos_app.services.sale.printing import save_receipt_pdf
from pos_app.services.sale.receipts import receipt_for
from pos_app.services.sale.refunds import Refundable, RefundResult, refundable
from pos_app.ui.common.app_context import AppContext
from pos_app.ui.common.banner import Banner
from pos_app.ui.common.buttons import TouchButton
from pos_app.ui.common.dialog_layout import fit_to_screen, shortcut
from pos_app.ui.common.files import ask_pdf_path
from pos_app.ui.common.ops import OpFailure, error_text
from pos_app.ui.common.tables import fix_widths, make_table
from pos_app.ui.history.history_model import CASHIER, NUMBER, PRINTED, TIME, TOTAL, SalesModel
from pos_app.ui.history.reversal_dialogs import RefundDialog, ReversalDialog, VoidDialog
from pos_app.ui.sale.kwitansi_dialog import KwitansiDialog, KwitansiRequest
from pos_app.ui.sale.print_queue import PrintResult
from pos_app.ui.sale.receipt_preview import ReceiptPreview, columns_for, paper_width

DEBOUNCE_MS = 250
CARD_MIN = 480  # px: room for the receipt's action buttons


def receipt_of(booth, sale_id: uuid.UUID) -> tuple[list[Element], list[str]]:
    """Runs in an op: the receipt as a reprint would print it (a COPY if printed before),
    and the exact QRIS payloads its payments showed the buyer (never printed)."""
    doc = receipt_for(booth, sale_id, None, _)
    return receipt_elements(doc, _), [p.qris_payload for p in doc.payments if p.qris_payload]


def kwitansi_tip(summary: SaleSummary | None) -> str:
    """Why the Kwitansi button is off for this row (or what it does)."""
    if summary is None or summary.can_kwitansi:
        return _("A kwitansi for the money kept of this sale (Ctrl+K)")
    if summary.kind == "void":
        return _("A void document gets no kwitansi")
    if summary.kind == "refund":
        return _("A refund document (money paid out) gets no kwitansi")
    if summary.state == "voided":
        return _("This sale was voided: it gets no kwitansi")
    if summary.total <= 0:
        return _("Nothing was paid for this sale: it gets no kwitansi")
    return _("This sale was refunded in full: it gets no kwitansi")


class HistoryDialog(QDialog):
    def __init__(self, app_ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.app_ctx = app_ctx
        self.current: SaleSummary | None = None
        self.kwitansi_dialog: KwitansiDialog | None = None
        self.reversal_dialog: ReversalDialog | None = None
        self.setWindowTitle(_("Sales history"))
        self.setModal(True)
        fit_to_screen(self, 1180, 720)

        self.search_edit = QLineEdit(self)
        self.search_edit.setProperty("role", "scan")
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.setPlaceholderText(_("Sale number, receipt QR, date or amount"))
        self.search_edit.setToolTip(_("e.g. 123, KPG-01-000123, a scanned receipt, 21/11/2026, "
                                      "2026-11-21, 85000 or 85.000"))
        self.count_label = QLabel(self)
        self.count_label.setProperty("role", "caption")
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self.search)
        self.search_edit.textChanged.connect(lambda _t: self._timer.start())
        self.search_edit.returnPressed.connect(self._search_now)

        self.model = SalesModel(app_ctx.context.timezone, self)
        self.table = make_table(self.model, self, stretch=CASHIER, row_height=46,
                                editable=False)
        fix_widths(self.table, ((NUMBER, 150), (TIME, 170), (TOTAL, 130), (PRINTED, 130)))
        self.table.selectionModel().selectionChanged.connect(self._selected)

        self.preview = ReceiptPreview(self)
        self.preview_hint = QLabel(_("Pick a sale to see its receipt"), self)
        self.preview_hint.setProperty("role", "hint")
        self.preview_hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.reprint_button = TouchButton(_("Reprint"), self, role="primary", key="Ctrl+P")
        self.reprint_button.clicked.connect(self.reprint)
        self.pdf_button = TouchButton(_("Save PDF"), self, key="Ctrl+S")
        self.pdf_button.clicked.connect(self.save_pdf)
        self.kwitansi_button = TouchButton(_("Kwitansi…"), self, key="Ctrl+K")
        self.kwitansi_button.clicked.connect(self.kwitansi)
        self.void_button = TouchButton(_("Void…"), self, role="danger")
        self.void_button.setToolTip(_("Take back the whole sale"))
        self.void_button.clicked.connect(self.void)
        self.refund_button = TouchButton(_("Refund…"), self, role="danger")
        self.refund_button.setToolTip(_("Take back some items of the sale"))
        self.refund_button.clicked.connect(self.refund)
        for key, handler in (("Ctrl+P", self.reprint), ("Ctrl+S", self.save_pdf),
                             ("Ctrl+K", self.kwitansi)):
            shortcut(self, key, handler)
        self.banner = Banner(self)

        card = QFrame(self)
        card.setProperty("role", "card")
        side = QVBoxLayout(card)
        side.setContentsMargins(14, 12, 14, 14)
        side.setSpacing(10)
        heading = QLabel(_("Receipt"), card)
        heading.setProperty("role", "heading")
        side.addWidget(heading)
        side.addWidget(self.preview, 1)
        side.addWidget(self.preview_hint, 1)
        # the exact QRIS code(s) the buyer was shown, for a dispute (the receipt says "QRIS")
        self.qris_label = QLabel(_("QRIS shown to the buyer:"), self)
        self.qris_label.setProperty("role", "hint")
        self.qris_edit = QLineEdit(self)
        self.qris_edit.setReadOnly(True)
        for widget in (self.qris_label, self.qris_edit):
            widget.setVisible(False)
            side.addWidget(widget)
        side.addWidget(self.reprint_button)
        files = QHBoxLayout()
        files.setSpacing(6)
        files.addWidget(self.pdf_button, 1)
        files.addWidget(self.kwitansi_button, 1)
        side.addLayout(files)
        takeback = QHBoxLayout()
        takeback.setSpacing(6)
        takeback.addWidget(self.void_button, 1)
        takeback.addWidget(self.refund_button, 1)
        side.addLayout(takeback)
        card.setFixedWidth(max(CARD_MIN, paper_width(self.columns()) + 56))

        search_row = QHBoxLayout()
        search_row.addWidget(self.search_edit, 1)
        search_row.addWidget(self.count_label)
        left = QVBoxLayout()
        left.setSpacing(10)
        left.addLayout(search_row)
        left.addWidget(self.table, 1)
        left.addWidget(self.banner)
        close = TouchButton(_("Close"), self, key="Esc")
        close.clicked.connect(self.reject)
        close_row = QHBoxLayout()
        close_row.addStretch(1)
        close_row.addWidget(close)
        left.addLayout(close_row)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(20, 18, 20, 18)
        layout.setSpacing(16)
        layout.addLayout(left, 1)
        layout.addWidget(card)

        app_ctx.printer.finished.connect(self._printed)
        self._show_sale(None)
        self.search_edit.setFocus()
        self.search()

    # -- finding ------------------------------------------------------------------------
    def _search_now(self) -> None:
        """Enter (a scanner ends the QR payload with it): search at once, keep the text
        selected so the next scan replaces it."""
        self._timer.stop()
        self.search()
        self.search_edit.selectAll()

    def search(self) -> None:
        query = self.search_edit.text().strip()
        self.app_ctx.ops.run(find_sales, self.app_ctx.booth, query, on_success=self._found,
                          owner=self, key="history-search")

    def _found(self, rows: list[SaleSummary]) -> None:
        keep = self.current.id if self.current is not None else None
        self.model.set_rows(rows)
        self.count_label.setText(ngettext("{count} sale", "{count} sales", len(rows)).format(
            count=len(rows)))
        row = self.model.row_of(keep) if keep is not None else None
        if row is None and rows:
            row = 0
        if row is None:
            self._show_sale(None)
        else:
            self.table.selectRow(row)
            self._selected()

    def _selected(self, *_args: QItemSelection) -> None:
        rows = self.table.selectionModel().selectedRows()
        summary = self.model.sale(rows[0].row()) if rows else None
        if summary != self.current:
            self._show_sale(summary)

    def _show_sale(self, summary: SaleSummary | None) -> None:
        self.current = summary
        for button in (self.reprint_button, self.pdf_button):
            button.setEnabled(summary is not None)
        self.kwitansi_button.setEnabled(summary is not None and summary.can_kwitansi)
        self.kwitansi_button.setToolTip(kwitansi_tip(summary))
        ready = summary is not None and self.app_ctx.login_state.ready
        self.void_button.setEnabled(ready and summary.can_void)
        self.refund_button.setEnabled(ready and summary.can_refund)
        self.preview.setVisible(summary is not None)
        self.preview_hint.setVisible(summary is None)
        if summary is None:
            self.preview.clear()
            return
        sale_id = summary.id
        self.qris_label.setVisible(False)
        self.qris_edit.setVisible(False)
        self.app_ctx.ops.run(receipt_of, self.app_ctx.booth, sale_id,
                          on_success=lambda got: self._preview(sale_id, *got),
                          owner=self, key="history-preview")

    def _preview(self, sale_id: uuid.UUID, elements: list[Element], shown: list[str]) -> None:
        if self.current is not None and self.current.id == sale_id:
            self.preview.show_elements(elements, self.columns())
            # a read-only line: the exact text, scrolled rather than wrapped, and copyable
            self.qris_edit.setText(" | ".join(shown))
            self.qris_edit.setCursorPosition(0)
            self.qris_label.setVisible(bool(shown))
            self.qris_edit.setVisible(bool(shown))

    def columns(self) -> int:
        return columns_for(self.app_ctx.settings)

    # -- actions --------------------------------------------------------------------------
    def reprint(self) -> None:
        sale = self.current
        if sale is None:
            return
        if not self.app_ctx.printer.configured:
            self.banner.show_error(_("{reason}. Set one up in Settings (F9), or save a PDF.")
                                   .format(reason=error_text(DomainError("no_printer"))))
            return
        self.app_ctx.printer.enqueue(sale.id, sale.number)
        self.banner.show_message(_("Receipt {number} sent to the printer…").format(
            number=sale.number), "info")

    def _printed(self, result: PrintResult) -> None:
        if result.kind != "receipt" or self.model.row_of(result.sale_id) is None:
            return
        if result.printed:
            text = (_("Copy of receipt {number} printed") if result.copy
                    else _("Receipt {number} printed")).format(number=result.number)
            self.banner.show_message(text, "success")
        else:
            self.banner.show_error(_("Receipt {number} was not printed: {reason}").format(
                number=result.number, reason=result.message))
        self.search()  # the new print status; a changed row re-shows its preview (now COPY)

    def save_pdf(self) -> None:
        sale = self.current
        if sale is None:
            return
        path = ask_pdf_path(self, _("Save the receipt as PDF"), f"{sale.number}.pdf")
        if not path:
            return
        width = 80 if self.columns() == 48 else 58
        self.app_ctx.ops.run(save_receipt_pdf, self.app_ctx.booth, sale.id, path, width,
                          translate=_, on_success=self._saved, on_error=self._failed,
                          owner=self)

    def kwitansi(self) -> None:
        sale = self.current
        if sale is None or not sale.can_kwitansi:
            return
        self.app_ctx.ops.run(kwitansi_plan, self.app_ctx.booth, sale.id,
                             on_success=lambda plan: self._open_kwitansi(sale, plan),
                             on_error=self._failed, owner=self)

    def _open_kwitansi(self, sale: SaleSummary, plan: KwitansiPlan) -> None:
        """The kwitansi dialog, filled in (and locked) when a save would be a copy."""
        dialog = KwitansiDialog(sale.number, plan.amount, self, plan)
        dialog.confirmed.connect(lambda request: self._save_kwitansi(sale, request))
        self.kwitansi_dialog = dialog
        dialog.open()

    def _save_kwitansi(self, sale: SaleSummary, request: KwitansiRequest) -> None:
        path = ask_pdf_path(self, _("Save the kwitansi as PDF"), f"kwitansi-{sale.number}.pdf")
        if not path:
            return
        self.app_ctx.ops.run(save_kwitansi_pdf, self.app_ctx.booth, sale.id, path,
                          request.buyer, request.institution, request.purpose, _,
                          i18n.language(), self.app_ctx.actor, on_success=self._saved, on_error=self._failed,
                          owner=self)

    def _saved(self, path: Path) -> None:
        self.banner.show_message(_("Saved: {path}").format(path=path), "success")

    def _failed(self, failure: OpFailure) -> None:
        self.banner.show_error(failure.message)

    # -- voids and refunds ------------------------------------------------------------------
    def void(self) -> None:
        sale = self.current
        if sale is None or not sale.can_void:
            return
        self._open_reversal(VoidDialog(self.app_ctx, sale, self))

    def refund(self) -> None:
        sale = self.current
        if sale is None or not sale.can_refund:
            return
        self.app_ctx.ops.run(refundable, self.app_ctx.booth, sale.id, on_success=self._refund_lines,
                          on_error=self._failed, owner=self)

    def _refund_lines(self, lines: Refundable) -> None:
        if lines.voided:
            self.banner.show_error(_("Sale {number} is already voided").format(
                number=lines.number))
            return
        if not lines.any_left:
            self.banner.show_error(_("Everything in sale {number} was refunded already")
                                   .format(number=lines.number))
            return
        self._open_reversal(RefundDialog(self.app_ctx, lines, self))

    def _open_reversal(self, dialog: ReversalDialog) -> None:
        dialog.recorded.connect(self._reversed)
        self.reversal_dialog = dialog
        dialog.open()

    def _reversed(self, result: RefundResult) -> None:
        text = (_("Void {number} recorded") if result.kind == "void"
                else _("Refund {number} recorded")).format(number=result.number)
        self.banner.show_message(text, "success")
        self.search()
