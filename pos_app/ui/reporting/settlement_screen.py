"""The settlement screen (laporan hasil penjualan), for coordinators and admins: each
facility's statement for the whole event or a range of business dates (sales, refunds, the
net and its split, and the net by payment method of the facility picked), saved as a PDF (a
page per facility) or printed as a short summary on the receipt printer. The figures come
from the same service as ``pos-app report settlement``."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QHBoxLayout,
    QLabel,
    QWidget,
)

from pos_app.domain.calendar import local_time
from pos_app.domain.receipt import METHOD_LABELS
from pos_app.domain.settlement import PARTS
from pos_app.i18n import _, language
from pos_app.services.shift.settlement import MethodLine, Statement
from pos_app.services.shift.settlement_report import (
    print_settlement_summary,
    settlement_report,
)
from pos_app.services.shift.settlement_slip import PART_LABELS, period_text
from pos_app.ui.common.app_context import AppContext
from pos_app.ui.common.banner import Banner
from pos_app.ui.common.buttons import TouchButton
from pos_app.ui.common.dialog_layout import fit_to_screen, shortcut, titled
from pos_app.ui.common.figures import signed_rupiah
from pos_app.ui.common.files import ask_pdf_path
from pos_app.ui.common.ops import OpFailure
from pos_app.ui.common.rows import Column, RowsModel
from pos_app.ui.common.tables import make_table
from pos_app.ui.reporting.report_filters import DATE_STYLE
from pos_app.ui.sale.print_queue import PrintResult

WHOLE_EVENT, DATES = 0, 1


def _split(part: str):
    return lambda st: signed_rupiah(st.split[part]) if st.split is not None else "—"


def statement_columns() -> list[Column]:
    return [Column(_("Facility"), lambda st: f"{st.facility_code}  {st.facility_name}",
                   tip=lambda st: st.facility_name),
            Column(_("Sales"), lambda st: signed_rupiah(st.sales), numeric=True),
            Column(_("Voids and refunds"), lambda st: signed_rupiah(-st.refunds), numeric=True),
            Column(_("Net"), lambda st: signed_rupiah(st.net), numeric=True,
                   tip=lambda st: _("Net after voids and refunds")),
            Column(_("PPN"), lambda st: signed_rupiah(st.figures.tax), numeric=True,
                   tip=lambda st: _("PPN collected: tax to remit, not split")),
            Column(_("DPP"), lambda st: signed_rupiah(st.dpp), numeric=True,
                   tip=lambda st: _("Net - PPN: what is split into the parts")),
            *(Column(_(PART_LABELS[p]), _split(p), numeric=True) for p in PARTS)]


def method_columns() -> list[Column]:
    return [Column(_("Payment method"), lambda m: _(METHOD_LABELS[m.method])),
            Column(_("Sales"), lambda m: signed_rupiah(m.gross), numeric=True),
            Column(_("Voids and refunds"), lambda m: signed_rupiah(-m.refunds),
                   numeric=True),
            Column(_("Net"), lambda m: signed_rupiah(m.net), numeric=True)]


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


class SettlementScreen(QDialog):
    """Statements of the period chosen; Save PDF and Print act on exactly what is shown."""

    def __init__(self, app_ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.app_ctx = app_ctx
        self.statements: list[Statement] = []
        self.loaded = False
        fit_to_screen(self, 1180, 720)
        layout = titled(self, _("Settlement"), _(
            "Each facility's sales proceeds for the period, and how the net is split. "
            "Save them as a PDF (a page per facility) or print a summary."))
        today = local_time(app_ctx.booth.clock.now(), app_ctx.context.timezone).date()
        self.period = QComboBox(self)
        self.period.addItem(_("Whole event"))
        self.period.addItem(_("Business dates"))
        self.date_from, self.date_to = QDateEdit(_qdate(today), self), QDateEdit(
            _qdate(today), self)
        for edit in (self.date_from, self.date_to):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("dd/MM/yyyy")
            edit.setStyleSheet(DATE_STYLE)
            edit.dateChanged.connect(lambda _d: self.load())
        self.period.currentIndexChanged.connect(lambda _i: self.load())
        row = QHBoxLayout()
        row.addWidget(QLabel(_("Period"), self))
        row.addWidget(self.period)
        row.addWidget(self.date_from)
        row.addWidget(QLabel("–", self))
        row.addWidget(self.date_to)
        row.addStretch(1)
        layout.addLayout(row)
        self.model = RowsModel(statement_columns(), self)
        self.table = make_table(self.model, self, stretch=0, editable=False)
        self.table.selectionModel().currentRowChanged.connect(lambda *_a: self._picked())
        layout.addWidget(self.table, 3)
        self.methods_title = QLabel("", self)
        self.methods_title.setProperty("role", "field")
        layout.addWidget(self.methods_title)
        self.methods = RowsModel(method_columns(), self)
        self.methods_table = make_table(self.methods, self, stretch=0, editable=False)
        layout.addWidget(self.methods_table, 2)
        self.banner = Banner(self)
        layout.addWidget(self.banner)
        close = TouchButton(_("Close"), self, key="Esc")
        close.clicked.connect(self.reject)
        self.pdf_button = TouchButton(_("Save PDF"), self)
        self.pdf_button.clicked.connect(self.save_pdf)
        self.print_button = TouchButton(_("Print summary"), self, role="primary",
                                        key="Ctrl+P")
        self.print_button.clicked.connect(self.print_summary)
        shortcut(self, "Ctrl+P", lambda: self.print_button.isEnabled() and self.print_summary())
        buttons = QHBoxLayout()
        buttons.addWidget(close)
        buttons.addStretch(1)
        buttons.addWidget(self.pdf_button)
        buttons.addWidget(self.print_button)
        layout.addLayout(buttons)
        self.load()

    # -- the period ---------------------------------------------------------------------
    def span(self) -> tuple[date | None, date | None]:
        """The business dates asked for; (None, None) for the whole event."""
        dates = self.period.currentIndex() == DATES
        for edit in (self.date_from, self.date_to):
            edit.setEnabled(dates)
        if not dates:
            return None, None
        return self.date_from.date().toPython(), self.date_to.date().toPython()

    def load(self) -> None:
        date_from, date_to = self.span()
        self._set_ready(False)
        self.app_ctx.ops.run(settlement_report, self.app_ctx.booth, role=self.app_ctx.role,
                             date_from=date_from, date_to=date_to, key="settlement",
                             on_success=lambda done: self._show(done.statements),
                             on_error=self._not_shown, owner=self)

    def _set_ready(self, ready: bool) -> None:
        for button in (self.pdf_button, self.print_button):
            button.setEnabled(ready and bool(self.statements))

    def _show(self, found: list[Statement]) -> None:
        self.loaded = True
        self.statements = list(found)
        self.banner.clear()
        self.model.set_rows(self.statements)
        if self.statements:
            self.table.selectRow(0)
        self._picked()
        self._set_ready(True)

    def _not_shown(self, failure: OpFailure) -> None:
        self.loaded = True
        self.statements = []
        self.model.set_rows([])
        self._picked()
        self._set_ready(False)
        if failure.code == "no_sales_to_settle":
            self.banner.show_message(failure.message, "info")
        else:
            self.banner.show_error(failure.message)

    def _picked(self) -> None:
        index = self.table.currentIndex()
        st = self.model.row(index.row()) if index.isValid() else None
        lines: list[MethodLine] = list(st.methods) if st is not None else []
        self.methods.set_rows(lines)
        self.methods_title.setText(
            _("Net by payment method: {facility}").format(facility=st.facility_code)
            if st is not None else "")

    # -- saving and printing ------------------------------------------------------------
    def save_pdf(self) -> None:
        date_from, date_to = self.span()
        name = f"settlement-{self.app_ctx.context.device_code}-" + (
            period_text(date_from, date_to, lambda s: s).replace(" – ", "-").replace(" ", "-"))
        path = ask_pdf_path(self, _("Save the settlement as PDF"), name + ".pdf")
        if not path:
            return
        self.app_ctx.ops.run(settlement_report, self.app_ctx.booth, role=self.app_ctx.role,
                             date_from=date_from, date_to=date_to, pdf=path, translate=_,
                             language=language(),
                             on_success=lambda done: self.banner.show_message(
                                 _("Saved: {path}").format(path=done.pdf), "success"),
                             on_error=lambda failure: self.banner.show_error(failure.message),
                             owner=self)

    def print_summary(self) -> None:
        if not self.app_ctx.printer.configured:
            self.banner.show_error(_("No receipt printer is set up. Set one up in Settings "
                                     "(F9), or save a PDF."))
            return
        date_from, date_to = self.span()
        booth, role = self.app_ctx.booth, self.app_ctx.role
        self.banner.show_message(_("The summary was sent to the printer…"), "info")
        self.app_ctx.printer.document(
            lambda: print_settlement_summary(booth, role=role, date_from=date_from,
                                             date_to=date_to, translate=_),
            self._printed, owner=self)

    def _printed(self, result: PrintResult) -> None:
        if result.printed:
            self.banner.show_message(_("The summary was printed"), "success")
        else:
            self.banner.show_error(_("The summary was not printed: {reason}").format(
                reason=result.message))


def open_settlement(window) -> SettlementScreen | None:
    """Open the settlement screen over ``window`` (the main window) for a coordinator or an
    admin; anyone else is told why nothing opens."""
    login_state = window.app_ctx.login_state
    if not login_state.can("settlement"):
        window.sale_screen.notice.show_error(
            _("Settlement is for coordinators and admins; ask one to log in"))
        return None
    screen = SettlementScreen(window.app_ctx, window)
    screen.finished.connect(lambda _r: window.sale_screen.dialog_closed())
    screen.finished.connect(screen.deleteLater)
    window.settlement_dialog = screen
    screen.open()
    return screen
