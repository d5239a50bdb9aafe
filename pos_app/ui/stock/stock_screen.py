"""The stock screen (F6), for coordinators and admins: what is on hand per product and
facility (filters, low and negative stock marked, totals, export), a product's movements with
the document behind each, and the stock documents with their PDFs. From here goods are
received, counted (stock opname), returned at close-out and labelled."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from pos_app.domain.calendar import local_time
from pos_app.domain.errors import DomainError
from pos_app.domain.money import format_number, format_rupiah
from pos_app.i18n import _, ngettext
from pos_app.services.catalog import catalog
from pos_app.services.catalog.catalog import CategoryRow, FacilityRow, ProductRow
from pos_app.services.stock import stock, stock_docs
from pos_app.services.stock.stock import MovementRow, OnHandRow
from pos_app.services.stock.stock_docs import DocSummary
from pos_app.services.stock.stock_export import export_on_hand
from pos_app.ui.common.app_context import AppContext
from pos_app.ui.common.banner import Banner
from pos_app.ui.common.buttons import TouchButton
from pos_app.ui.common.dialog_layout import fit_to_screen, shortcut
from pos_app.ui.common.facility_box import FacilityBox
from pos_app.ui.common.figures import figure_label
from pos_app.ui.common.files import ask_export_path
from pos_app.ui.common.ops import OpFailure, error_text
from pos_app.ui.common.tables import make_table, selected_rows
from pos_app.ui.sale.product_grid import catalog_filters
from pos_app.ui.sale.scan_box import ScanBox
from pos_app.ui.stock.stock_closeout import CloseOutDialog
from pos_app.ui.stock.stock_count import CountDialog
from pos_app.ui.stock.stock_files import PdfSaver
from pos_app.ui.stock.stock_labels import LabelsDialog
from pos_app.ui.stock.stock_models import (
    D_REFERENCE,
    M_REASON,
    PRODUCT,
    DocumentModel,
    MovementModel,
    OnHandModel,
)
from pos_app.ui.stock.stock_product import PhotoChooser
from pos_app.ui.stock.stock_receive import ReceiveDialog

DEBOUNCE_MS = 250
ON_HAND_TAB, MOVEMENTS_TAB, DOCUMENTS_TAB = range(3)


class StockScreen(QDialog):
    def __init__(self, app_ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.app_ctx = app_ctx
        self.facilities: list[FacilityRow] = []
        self.categories: list[CategoryRow] = []
        self.product: OnHandRow | ProductRow | None = None  # whose movements are shown
        self.dialog: QDialog | None = None  # the receive/count/close-out/labels dialog open
        self.exported = None  # the last export written (tests)
        self.setWindowTitle(_("Stock"))
        self.setModal(True)
        fit_to_screen(self, 1240, 760)

        heading = QLabel(_("Stock"), self)
        heading.setProperty("role", "title")
        self.receive_button = TouchButton(_("Receive goods…"), self, role="primary")
        self.receive_button.setToolTip(_("Goods delivered by a facility (tanda terima)"))
        self.receive_button.clicked.connect(self.receive)
        self.count_button = TouchButton(_("Count (stock opname)…"), self)
        self.count_button.clicked.connect(self.count)
        self.closeout_button = TouchButton(_("Close-out and return…"), self)
        self.closeout_button.setToolTip(_("What a facility's goods did at this event; send "
                                          "the rest back (surat retur)"))
        self.closeout_button.clicked.connect(self.close_out)
        self.labels_button = TouchButton(_("Labels…"), self)
        self.labels_button.setToolTip(_("Barcode labels for the products selected in the list"))
        self.labels_button.clicked.connect(self.labels)
        self.photo_button = TouchButton(_("Photo…"), self)
        self.photo_button.setToolTip(_("Choose a picture for the product selected in the list"))
        self.photo_button.clicked.connect(self.photo)
        top = QHBoxLayout()
        top.setSpacing(10)
        top.addWidget(heading)
        top.addStretch(1)
        for button in (self.receive_button, self.count_button, self.closeout_button,
                       self.labels_button, self.photo_button):
            top.addWidget(button)

        self.tabs = QTabWidget(self)
        self.tabs.addTab(self._on_hand_page(), _("On hand"))
        self.tabs.addTab(self._movements_page(), _("Movements"))
        self.tabs.addTab(self._documents_page(), _("Documents"))
        self.tabs.currentChanged.connect(self._tab_changed)
        self.banner = Banner(self)
        self.pdf = PdfSaver(app_ctx, self, self.banner)
        self.photos = PhotoChooser(app_ctx, self, self.banner)
        close = TouchButton(_("Close"), self, key="Esc")
        close.clicked.connect(self.reject)
        bottom = QHBoxLayout()
        bottom.addWidget(self.banner, 1)
        bottom.addWidget(close, 0, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignBottom)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 16)
        layout.setSpacing(12)
        layout.addLayout(top)
        layout.addWidget(self.tabs, 1)
        layout.addLayout(bottom)
        shortcut(self, "Ctrl+F", self.focus_search)
        app_ctx.ops.run(catalog_filters, app_ctx.booth, on_success=self._filters,
                     on_error=self._failed, owner=self)
        self.refresh()

    # -- pages ------------------------------------------------------------------------------
    def _on_hand_page(self) -> QWidget:
        page = QWidget(self)
        self.facility_box = FacilityBox(_("All facilities"), page)
        self.facility_box.picked.connect(lambda _c: self.refresh())
        self.category_box = QComboBox(page)
        self.category_box.addItem(_("All categories"), None)
        self.category_box.setMinimumContentsLength(14)
        self.category_box.currentIndexChanged.connect(lambda _i: self.refresh())
        self.search_edit = QLineEdit(page)
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.setPlaceholderText(_("Name, SKU or barcode (Ctrl+F)"))
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self.refresh)
        self.search_edit.textChanged.connect(lambda _t: self._timer.start())
        self.search_edit.returnPressed.connect(self.refresh)
        self.low_check = QCheckBox(_("Low stock only"), page)
        self.low_check.toggled.connect(lambda _on: self.refresh())
        self.export_button = TouchButton(_("Export…"), page)
        self.export_button.setToolTip(_("Save this list as a CSV or Excel file"))
        self.export_button.clicked.connect(self.export)
        filters = QHBoxLayout()
        filters.setSpacing(8)
        filters.addWidget(self.facility_box, 3)
        filters.addWidget(self.category_box, 2)
        filters.addWidget(self.search_edit, 3)
        filters.addWidget(self.low_check)
        filters.addWidget(self.export_button)

        self.on_hand_model = OnHandModel(self)
        self.on_hand_table = make_table(self.on_hand_model, page, PRODUCT, multi=True)
        self.on_hand_table.selectionModel().selectionChanged.connect(self._picked)
        self.on_hand_table.doubleClicked.connect(
            lambda _i: self.tabs.setCurrentIndex(MOVEMENTS_TAB))
        self.totals_label = figure_label(page, "field")
        legend = QLabel(_("Amber: low stock · Red: below zero (count it) · "
                          "Double-click a product for its movements"), page)
        legend.setProperty("role", "caption")
        legend.setWordWrap(True)
        foot = QHBoxLayout()
        foot.addWidget(legend, 1)
        foot.addWidget(self.totals_label)
        box = QVBoxLayout(page)
        box.setContentsMargins(14, 14, 14, 10)
        box.setSpacing(10)
        box.addLayout(filters)
        box.addWidget(self.on_hand_table, 1)
        box.addLayout(foot)
        return page

    def _movements_page(self) -> QWidget:
        page = QWidget(self)
        self.movement_scan = ScanBox(page)
        self.movement_scan.setPlaceholderText(_("Scan or type a barcode or SKU"))
        self.movement_scan.code_entered.connect(self._find_for_movements)
        self.product_label = QLabel(_("Pick a product on the On hand tab, or scan it here"),
                                    page)
        self.product_label.setProperty("role", "heading")
        self.movement_model = MovementModel(self.app_ctx.context.timezone, self)
        self.movement_table = make_table(self.movement_model, page, M_REASON)
        box = QVBoxLayout(page)
        box.setContentsMargins(14, 14, 14, 10)
        box.setSpacing(10)
        box.addWidget(self.movement_scan)
        box.addWidget(self.product_label)
        box.addWidget(self.movement_table, 1)
        return page

    def _documents_page(self) -> QWidget:
        page = QWidget(self)
        self.document_model = DocumentModel(self)
        self.document_table = make_table(self.document_model, page, D_REFERENCE)
        self.document_table.selectionModel().selectionChanged.connect(
            lambda *_a: self._document_picked())
        self.document_table.doubleClicked.connect(lambda _i: self.save_document_pdf())
        self.document_pdf_button = TouchButton(_("Save PDF…"), page, role="primary")
        self.document_pdf_button.setToolTip(_("The selected document as a PDF to print "
                                              "and sign"))
        self.document_pdf_button.setEnabled(False)
        self.document_pdf_button.clicked.connect(self.save_document_pdf)
        self.documents_label = figure_label(page)
        row = QHBoxLayout()
        row.addWidget(self.documents_label, 1)
        row.addWidget(self.document_pdf_button)
        box = QVBoxLayout(page)
        box.setContentsMargins(14, 14, 14, 10)
        box.setSpacing(10)
        box.addWidget(self.document_table, 1)
        box.addLayout(row)
        return page

    # -- loading ---------------------------------------------------------------------------
    def _filters(self, result: tuple[list[CategoryRow], list[FacilityRow]]) -> None:
        self.categories, self.facilities = result
        self.facility_box.set_facilities(self.facilities)
        self.category_box.blockSignals(True)
        for row in self.categories:
            self.category_box.addItem(row.name, row.id)
        self.category_box.blockSignals(False)

    def refresh(self) -> None:
        """The on-hand list for the filters as they are now (and the open tab's data)."""
        self._timer.stop()
        self.app_ctx.ops.run(stock.on_hand, self.app_ctx.booth,
                          facility=self.facility_box.code() or None,
                          category_id=self.category_box.currentData(),
                          query=self.search_edit.text().strip(),
                          only_low=self.low_check.isChecked(),
                          on_success=self._show_on_hand, on_error=self._failed, owner=self,
                          key="stock-on-hand")
        if self.tabs.currentIndex() == DOCUMENTS_TAB:
            self.load_documents()
        self.load_movements()

    def changed(self, *_args) -> None:
        """A receipt, count, return or new product was recorded: show the new figures."""
        self.refresh()
        self.load_documents()

    def _show_on_hand(self, rows: list[OnHandRow]) -> None:
        keep = self.product.product_id if isinstance(self.product, OnHandRow) else None
        self.on_hand_model.set_rows(rows)
        model = self.on_hand_model
        self.totals_label.setText(ngettext(
            "{count} product · {units} units · {value}",
            "{count} products · {units} units · {value}", len(rows)).format(
                count=len(rows), units=format_number(model.units),
                value=format_rupiah(model.value) if model.value >= 0
                else f"−{format_rupiah(-model.value)}"))
        row = model.row_of(keep) if keep is not None else None
        if row is not None:
            self.on_hand_table.selectRow(row)

    def _picked(self, *_args) -> None:
        rows = selected_rows(self.on_hand_table)
        if rows:
            self.product = self.on_hand_model.row(rows[0])
            self.load_movements()

    def _tab_changed(self, index: int) -> None:
        if index == DOCUMENTS_TAB:
            self.load_documents()

    def focus_search(self) -> None:
        self.tabs.setCurrentIndex(ON_HAND_TAB)
        self.search_edit.setFocus()
        self.search_edit.selectAll()

    # -- movements ---------------------------------------------------------------------------
    def _find_for_movements(self, code: str) -> None:
        self.app_ctx.ops.run(catalog.find_by_code, self.app_ctx.booth, code,
                          on_success=lambda row: self._found(code, row), on_error=self._failed,
                          owner=self)

    def _found(self, code: str, row: ProductRow | None) -> None:
        self.movement_scan.ready_for_next_scan()
        if row is None:
            self.banner.show_error(error_text(DomainError("unknown_product", ref=code)))
            return
        self.banner.clear()
        self.product = row
        self.load_movements()

    def load_movements(self) -> None:
        product = self.product
        if product is None:
            return
        product_id = product.product_id if isinstance(product, OnHandRow) else product.id
        self.app_ctx.ops.run(stock.movements, self.app_ctx.booth, product_id,
                          on_success=lambda rows: self._show_movements(product, rows),
                          on_error=self._failed, owner=self, key="stock-movements")

    def _show_movements(self, product, rows: list[MovementRow]) -> None:
        if product is not self.product:
            return
        self.movement_model.set_rows(rows)
        balance = rows[-1].balance if rows else 0
        self.product_label.setText(_("{name} · {sku} · {facility} · on hand {qty}").format(
            name=product.name, sku=product.sku, facility=product.facility_code,
            qty=format_number(balance) if balance >= 0 else f"−{format_number(-balance)}"))
        self.movement_table.scrollToBottom()

    # -- documents ---------------------------------------------------------------------------
    def load_documents(self) -> None:
        self.app_ctx.ops.run(stock_docs.documents, self.app_ctx.booth,
                          on_success=self._show_documents, on_error=self._failed, owner=self,
                          key="stock-documents")

    def _show_documents(self, rows: list[DocSummary]) -> None:
        keep = self.current_document()
        self.document_model.set_rows(rows)
        self.documents_label.setText(ngettext("{count} document", "{count} documents",
                                              len(rows)).format(count=len(rows)))
        numbers = [r.number for r in rows]
        if keep is not None and keep.number in numbers:
            self.document_table.selectRow(numbers.index(keep.number))
        self._document_picked()

    def current_document(self) -> DocSummary | None:
        rows = selected_rows(self.document_table)
        return self.document_model.row(rows[0]) if rows else None

    def _document_picked(self) -> None:
        self.document_pdf_button.setEnabled(self.current_document() is not None)

    def save_document_pdf(self) -> None:
        doc = self.current_document()
        if doc is not None:
            self.pdf.document(doc.number, doc.kind)

    # -- export ------------------------------------------------------------------------------
    def export(self) -> None:
        rows = self.on_hand_model.rows()
        today = local_time(self.app_ctx.booth.clock.now(), self.app_ctx.context.timezone
                           ).strftime("%Y%m%d")
        path = ask_export_path(self, _("Export the stock list"),
                               f"stock-{self.app_ctx.context.device_code}-{today}.csv")
        if path is None:
            return
        self.app_ctx.ops.run(export_on_hand, rows, path, on_success=self._exported,
                          on_error=self._failed, owner=self)

    def _exported(self, path) -> None:
        self.exported = path
        self.banner.show_message(_("Saved: {path}").format(path=path), "success")

    # -- the dialogs -------------------------------------------------------------------------
    def _open(self, dialog: QDialog) -> QDialog:
        recorded = getattr(dialog, "recorded", None)
        if recorded is not None:
            recorded.connect(self.changed)
        dialog.finished.connect(lambda _r: self.changed())
        dialog.finished.connect(dialog.deleteLater)
        self.dialog = dialog
        dialog.open()
        return dialog

    def receive(self) -> None:
        self._open(ReceiveDialog(self.app_ctx, self.facilities, self.categories,
                                 self.facility_box.code(), self))

    def count(self) -> None:
        self._open(CountDialog(self.app_ctx, self.facilities, self.facility_box.code(), self))

    def close_out(self) -> None:
        self._open(CloseOutDialog(self.app_ctx, self.facilities, self.facility_box.code(), self))

    def labels(self) -> None:
        rows = [self.on_hand_model.row(i) for i in selected_rows(self.on_hand_table)]
        if not rows:
            self.banner.show_error(_("Select the products on the On hand list first "
                                     "(Ctrl or Shift + click for several)"))
            return
        self._open(LabelsDialog(self.app_ctx, rows, self))

    def photo(self) -> None:
        rows = selected_rows(self.on_hand_table)
        if not rows:
            self.banner.show_error(_("Select a product on the On hand list first"))
            return
        row = self.on_hand_model.row(rows[0])
        self.photos.choose(row.sku, row.name)

    def _failed(self, failure: OpFailure) -> None:
        self.banner.show_error(failure.message)
