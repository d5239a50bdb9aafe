"""The reports screen (Ctrl+R, coordinators and admins): how the event is going. Filters for
event, business days, shift, cashier, facility and payment method; the totals; breakdowns by
facility, product, category, payment method and hour, each a table beside a chart; the top
products; the QRIS and transfer payments not yet matched to a statement, listed apart.
Settlement opens each facility's settlement statement (``settlement_screen``).

Every figure comes from ``services.reports.report`` run as an op, so the screen never waits on
the database; a newer filter's report replaces an older one still on its way.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from pos_app.domain.calendar import business_date
from pos_app.i18n import _, ngettext
from pos_app.services.reporting import reports
from pos_app.services.reporting.report_facts import ReportFilter
from pos_app.services.reporting.report_options import ReportOptions, report_options
from pos_app.services.reporting.reports import Report
from pos_app.ui.common.app_context import AppContext
from pos_app.ui.common.banner import Banner
from pos_app.ui.common.buttons import TouchButton
from pos_app.ui.common.dialog_layout import fit_to_screen
from pos_app.ui.common.figures import figure_label, signed_rupiah
from pos_app.ui.common.ops import OpFailure
from pos_app.ui.common.roles import actor_of
from pos_app.ui.common.tables import make_table
from pos_app.ui.reporting.report_filters import ReportFilters
from pos_app.ui.reporting.report_models import (
    MethodModel,
    TopModel,
    UnverifiedModel,
    category_model,
    category_rows,
    facility_model,
    facility_rows,
    hour_model,
    hour_rows,
    method_rows,
    product_model,
    product_rows,
    short_facility,
    top_rows,
)
from pos_app.ui.reporting.report_pages import BreakdownPage, OverviewPage, TotalsStrip

OVERVIEW, FACILITIES, PRODUCTS, CATEGORIES, METHODS_TAB, HOURS, UNVERIFIED = range(7)


def _facility_label(row) -> str:
    return short_facility(row.label)


def _hour_label(row) -> str:
    return f"{row.key:02d}"


class ReportsScreen(QDialog):
    def __init__(self, app_ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.app_ctx = app_ctx
        self.report: Report | None = None  # the report shown
        self.shown_filter: ReportFilter | None = None  # what it was made for
        self.setWindowTitle(_("Reports"))
        self.setModal(True)
        fit_to_screen(self, 1280, 800)

        ctx = app_ctx.context
        today = business_date(app_ctx.booth.clock.now(), ctx.timezone, ctx.cutoff)
        self.filters = ReportFilters(ctx.timezone, today, self)
        self.filters.changed.connect(self.refresh)
        heading = QLabel(_("Reports"), self)
        heading.setProperty("role", "title")
        self.state_label = figure_label(self, "caption")
        self.state_label.setAlignment(Qt.AlignmentFlag.AlignRight
                                      | Qt.AlignmentFlag.AlignVCenter)
        close = TouchButton(_("Close"), self, key="Esc")
        close.clicked.connect(self.reject)
        self.export_button = TouchButton(_("Export pack…"), self, role="primary")
        self.export_button.clicked.connect(self.open_export)
        self.export_dialog = None
        self.settlement_button = TouchButton(_("Settlement"), self)
        self.settlement_button.setToolTip(_("Each facility's sales proceeds and their split; "
                                            "PDF and printed summary"))
        self.settlement_button.clicked.connect(self.open_settlement)
        self.settlement_dialog = None
        self.filters.first_row.insertWidget(0, heading)
        self.filters.first_row.insertSpacing(1, 8)
        # The filter rows are full at 1024 px in Indonesian: what the figures are for (the days
        # and the number of sales) and what to do with them have a row of their own.
        actions = QHBoxLayout()
        actions.setSpacing(8)
        actions.addWidget(self.state_label, 1)
        actions.addWidget(self.settlement_button)
        actions.addWidget(self.export_button)
        actions.addWidget(close)
        self.totals = TotalsStrip(self)

        self.overview = OverviewPage(TopModel(), {
            "facility": _facility_label, "category": lambda r: r.label,
            "method": lambda r: r.label, "hour": _hour_label}, self)
        self.facility_page = BreakdownPage(facility_model(), _("Net by facility"), self,
                                           chart_label=_facility_label)
        self.product_page = BreakdownPage(product_model(), _("Net by product"), self)
        self.category_page = BreakdownPage(category_model(), _("Net by category"), self)
        self.method_page = BreakdownPage(MethodModel(), _("Net by payment method"), self)
        self.hour_page = BreakdownPage(hour_model(), _("Net by hour"), self, horizontal=False,
                                       chart_label=_hour_label)
        self.pages = {"facility": self.facility_page, "product": self.product_page,
                      "category": self.category_page, "method": self.method_page,
                      "hour": self.hour_page}
        self.tabs = QTabWidget(self)
        self.tabs.addTab(self.overview, _("Overview"))
        for page, title in ((self.facility_page, _("Facilities")),
                            (self.product_page, _("Products")),
                            (self.category_page, _("Categories")),
                            (self.method_page, _("Payment methods")),
                            (self.hour_page, _("Hours"))):
            self.tabs.addTab(page, title)
        self.tabs.addTab(self._unverified_page(), _("Unverified"))
        self.tabs.currentChanged.connect(lambda _i: self._draw_current())
        self.banner = Banner(self)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 14, 20, 14)
        layout.setSpacing(10)
        layout.addWidget(self.filters)
        layout.addLayout(actions)
        layout.addWidget(self.totals)
        layout.addWidget(self.banner)
        layout.addWidget(self.tabs, 1)
        self.state_label.setText(_("Reading the sales…"))
        app_ctx.ops.run(report_options, app_ctx.booth, on_success=self._options,
                     on_error=self._failed, owner=self)

    def _unverified_page(self) -> QWidget:
        page = QWidget(self)
        self.unverified_model = UnverifiedModel(self.app_ctx.context.timezone, page)
        self.unverified_table = make_table(self.unverified_model, page, 3)
        note = QLabel(_("QRIS and transfer payments of the chosen event and days that are not "
                        "yet matched to a bank or e-wallet statement. Their money is counted in "
                        "the totals; check it before the settlement."), page)
        note.setWordWrap(True)
        note.setProperty("role", "hint")
        self.unverified_label = figure_label(page, "field")
        box = QVBoxLayout(page)
        box.setContentsMargins(12, 12, 12, 12)
        box.setSpacing(8)
        box.addWidget(note)
        box.addWidget(self.unverified_table, 1)
        box.addWidget(self.unverified_label, 0, Qt.AlignmentFlag.AlignRight)
        return page

    # -- loading ---------------------------------------------------------------------------
    def open_export(self) -> None:
        """The end-of-event pack for what the filters select, with progress and cancel."""
        if self.filters.options is None:
            return
        from pos_app.ui.reporting.export_dialog import ExportDialog

        dialog = ExportDialog(self.app_ctx, self.filters.current(), self)
        dialog.finished.connect(dialog.deleteLater)
        self.export_dialog = dialog
        dialog.open()

    def open_settlement(self) -> None:
        """Each facility's settlement statement (its own period: the whole event at first)."""
        from pos_app.ui.reporting.settlement_screen import SettlementScreen

        dialog = SettlementScreen(self.app_ctx, self)
        dialog.finished.connect(dialog.deleteLater)
        self.settlement_dialog = dialog
        dialog.open()

    def _options(self, options: ReportOptions) -> None:
        self.filters.set_options(options)
        self.filters.set_ready(True)
        self.tabs.setFocus()  # not the Close button, which got it while the filters waited
        self.refresh()

    def refresh(self) -> None:
        """The report for the filters as they are now."""
        if self.filters.options is None:
            return
        flt = self.filters.current()
        self.state_label.setText(_("Updating…"))
        actor, role = actor_of(self.app_ctx)
        self.app_ctx.ops.run(reports.report_as, self.app_ctx.booth, flt, actor=actor,
                             actor_role=role, on_success=lambda rep: self._show(flt, rep),
                             on_error=self._failed, owner=self, key="reports-screen")

    def _show(self, flt: ReportFilter, rep: Report) -> None:
        self.report, self.shown_filter = rep, flt
        self.banner.clear()
        self.totals.show_totals(rep.totals)
        rows = {"facility": facility_rows(rep), "product": product_rows(rep),
                "category": category_rows(rep), "method": method_rows(rep),
                "hour": hour_rows(rep)}
        for key, page in self.pages.items():
            page.set_rows(rows[key])
            if key != "product":
                self.overview.set_rows(key, rows[key])
        self.overview.top_model.set_rows(top_rows(rep))
        self.unverified_model.set_rows(rep.unverified)
        count = len(rep.unverified)
        self.tabs.setTabText(UNVERIFIED, _("Unverified ({count})").format(count=count)
                             if count else _("Unverified"))
        self.unverified_label.setText(ngettext(
            "{count} payment · {amount}", "{count} payments · {amount}", count).format(
                count=count, amount=signed_rupiah(self.unverified_model.total)))
        days = (flt.date_from.strftime("%d/%m/%Y") if flt.date_from == flt.date_to
                else f"{flt.date_from:%d/%m/%Y} – {flt.date_to:%d/%m/%Y}")
        self.state_label.setText(ngettext("{days} · {count} sale", "{days} · {count} sales",
                                          rep.totals.count).format(days=days,
                                                                   count=rep.totals.count))
        self._draw_current()

    def _draw_current(self) -> None:
        page = self.tabs.currentWidget()
        if hasattr(page, "draw_if_needed"):
            page.draw_if_needed()

    def _failed(self, failure: OpFailure) -> None:
        self.state_label.clear()
        self.banner.show_error(failure.message)
