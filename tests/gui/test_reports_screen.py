"""The reports screen (Ctrl+R) as a coordinator uses it: a festival evening of sales, a refund
and a void made with the services, then the totals, the tables and the charts on screen checked
against ``services.reports.report`` for the same filter, to the rupiah; the facility, method
and date filters; what a cashier gets; and no plotting library anywhere (the charts are painted)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QLabel

from pos_app.domain.cart import Discount
from pos_app.domain.figures import FIGURE_KEYS
from pos_app.domain.money import format_rupiah
from pos_app.domain.tenders import Method, Tender
from pos_app.services.access import auth
from pos_app.services.catalog.catalog import facilities
from pos_app.services.reporting.reports import Report, Totals, report
from pos_app.services.sale.checkout import SaleItem, SaleRequest, checkout
from pos_app.services.sale.refunds import refund, void_sale
from pos_app.ui.common.figures import signed_rupiah
from pos_app.ui.reporting.report_chart import short_rupiah
from pos_app.ui.reporting.report_models import BreakdownRow, product_model
from pos_app.ui.reporting.report_pages import MAX_BARS, BreakdownPage
from pos_app.ui.reporting.reports_screen import (
    CATEGORIES,
    FACILITIES,
    HOURS,
    METHODS_TAB,
    OVERVIEW,
    PRODUCTS,
    UNVERIFIED,
    ReportsScreen,
)
from tests.gui.cashier import Cashier

TIMEOUT = 10_000
BOSS = {"actor": "Maria", "actor_role": "coordinator"}
FIRST_DAY, LAST_DAY = date(2026, 11, 20), date(2026, 11, 29)  # the demo event


def evening(booth, clock, shift_id) -> list[str]:
    """Three sales an hour apart (19.30, 20.30, 21.30 WITA), then at 22.30 a refund of one
    tikar from the first and a void of the card sale."""
    requests = [
        SaleRequest(items=(SaleItem(2, sku="KOP-001"), SaleItem(1, sku="TEN-001"),
                           SaleItem(3, sku="MAK-004")),
                    tenders=(Tender(Method.QRIS, 200_000, "QR-1"), Tender(Method.CASH, 500_000)),
                    discount=Discount.percent(5), shift_id=shift_id),
        SaleRequest(items=(SaleItem(1, sku="LUK-005"),),
                    tenders=(Tender(Method.TRANSFER, 250_000, "TRF-9"),), shift_id=shift_id),
        SaleRequest(items=(SaleItem(5, sku="MAK-007"), SaleItem(1, sku="KOP-002")),
                    tenders=(Tender(Method.CARD, 105_000, "APPR-1"),), shift_id=shift_id),
    ]
    numbers = []
    for request in requests:
        numbers.append(checkout(booth, request).number)
        clock.advance(hours=1)
    refund(booth, numbers[0], {3: 1}, method="cash", reason="torn", shift_id=shift_id, **BOSS)
    void_sale(booth, numbers[2], reason="card declined later", shift_id=shift_id, **BOSS)
    return numbers


@pytest.fixture
def coordinator(qtbot, window, ops, booth, shift) -> Cashier:
    """Maria (coordinator) at the till during Kasir's shift."""
    maria = auth.login(booth, "Maria", "2468")
    window.app_ctx.login_state.start(maria, shift)
    window.activateWindow()
    return Cashier(qtbot, window, ops)


@pytest.fixture
def sales(booth, clock, shift) -> list[str]:
    return evening(booth, clock, shift.id)


def facility_id(booth, code: str):
    return next(f.id for f in facilities(booth) if f.code == code)


def open_reports(c: Cashier) -> ReportsScreen:
    c.qtbot.keyClick(c.screen.scan_box, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    screen = c.wait_for(lambda: c.window.reports_dialog)
    settle(c, screen)
    return screen


def settle(c: Cashier, screen: ReportsScreen) -> None:
    """Wait until the report for the filters as set now is on screen."""
    c.qtbot.waitUntil(lambda: screen.report is not None and not c.ops.busy
                      and screen.shown_filter == screen.filters.current(), timeout=TIMEOUT)


def pick(c: Cashier, screen: ReportsScreen, box, data) -> None:
    box.setCurrentIndex(box.findData(data))
    settle(c, screen)


def shown_totals(screen: ReportsScreen) -> dict[str, str]:
    return {key: screen.totals.text(key) for key in (*FIGURE_KEYS, "count")}


def expected_totals(rep: Report) -> dict[str, str]:
    t = rep.totals
    return {**{key: signed_rupiah(amount) for key, _label, amount in t.figures().shown()},
            "count": str(t.count)}


def column(model, col: int) -> list[str]:
    return [model.index(r, col).data() for r in range(model.rowCount())]


def test_the_screen_shows_the_report_of_the_whole_event(coordinator: Cashier, booth,
                                                        sales) -> None:
    c = coordinator
    screen = open_reports(c)
    assert screen.filters.from_edit.date() == QDate(2026, 11, 20)
    assert screen.filters.to_edit.date() == QDate(2026, 11, 29)
    flt = screen.shown_filter
    assert (flt.event_id, flt.date_from, flt.date_to) == (booth.context.event_id, FIRST_DAY,
                                                         LAST_DAY)
    assert (flt.shift_id, flt.cashier, flt.facility_id, flt.method) == (None, None, None, None)

    whole = report(booth)  # every sale of the booth is in the event
    assert whole.totals.count == 3 and whole.totals.refunds > 0
    assert shown_totals(screen) == expected_totals(whole) == expected_totals(report(booth, flt))

    facility = screen.facility_page.model
    assert column(facility, facility.net_column) == [
        signed_rupiah(t.net) for t in whole.by_facility.values()]
    assert column(facility, 0) == [whole.facility_names[code] for code in whole.by_facility]
    products = screen.product_page.model
    assert column(products, 1) == [sku for sku, _t in sorted(
        whole.by_product.items(), key=lambda kv: (-kv[1].net, kv[0]))]
    assert column(screen.category_page.model, 0) == list(whole.by_category)
    assert column(screen.hour_page.model, 0) == ["19.00–19.59", "20.00–20.59", "21.00–21.59",
                                                 "22.00–22.59"]
    net_by_method = whole.totals.net_by_method()
    assert column(screen.method_page.model, 0) == ["Cash", "QRIS", "Bank transfer", "Card (EDC)"]
    assert column(screen.method_page.model, 3) == [
        signed_rupiah(net_by_method[m]) for m in ("cash", "qris", "transfer", "card")]
    assert net_by_method["card"] == 0  # the card sale was voided
    top = screen.overview.top_model
    assert [r.key for r in top.rows()] == [sku for sku, _t in whole.top_products()]

    unverified = screen.unverified_model
    assert [(r.sale_number, r.method, r.amount, r.reference) for r in unverified.rows()] == [
        (sales[0], "qris", 200_000, "QR-1"), (sales[1], "transfer", 250_000, "TRF-9")]
    assert screen.tabs.tabText(UNVERIFIED) == "Unverified (2)"
    assert screen.unverified_label.text() == "2 payments · Rp450.000"
    assert not screen.banner.isVisible()


def test_facility_and_method_filters_change_the_figures(coordinator: Cashier, booth,
                                                        sales) -> None:
    c = coordinator
    screen = open_reports(c)
    whole = screen.report
    ende = whole.by_facility["LP-END"]
    assert 0 < ende.net < whole.totals.net

    pick(c, screen, screen.filters.facility_box, "LP-END")
    assert screen.shown_filter.facility_id == facility_id(booth, "LP-END")
    only = report(booth, screen.shown_filter)
    assert shown_totals(screen) == expected_totals(only)
    assert screen.totals.text("net") == format_rupiah(ende.net)
    assert list(screen.report.by_facility) == ["LP-END"]
    assert screen.facility_page.model.rowCount() == 1

    pick(c, screen, screen.filters.facility_box, "")
    pick(c, screen, screen.filters.method_box, "card")
    assert screen.shown_filter.method == "card"
    assert shown_totals(screen) == expected_totals(report(booth, screen.shown_filter))
    assert screen.totals.text("count") == "1"
    assert screen.totals.text("net") == "Rp0"  # sold and voided
    assert screen.totals.text("voids") == signed_rupiah(-105_000)
    assert screen.totals.text("refunds") == "Rp0"

    pick(c, screen, screen.filters.method_box, "qris")
    assert screen.totals.text("count") == "1"  # the split QRIS + cash sale
    assert shown_totals(screen) == expected_totals(report(booth, screen.shown_filter))

    pick(c, screen, screen.filters.method_box, None)
    assert shown_totals(screen) == expected_totals(whole)


def test_every_breakdown_has_a_chart_with_a_bar_per_row(coordinator: Cashier, booth,
                                                        sales) -> None:
    c = coordinator
    screen = open_reports(c)
    for tab, page in ((FACILITIES, screen.facility_page), (PRODUCTS, screen.product_page),
                      (CATEGORIES, screen.category_page), (METHODS_TAB, screen.method_page),
                      (HOURS, screen.hour_page)):
        screen.tabs.setCurrentIndex(tab)
        rows = page.model.rows()
        assert len(rows) > 1
        assert page.chart.bar_count() == page.model.rowCount() == len(rows)
        assert page.chart.values == [r.net for r in rows]  # exact integers, as in the table
        assert all(type(v) is int for v in page.chart.values)
    screen.tabs.setCurrentIndex(OVERVIEW)
    pages = {"facility": screen.facility_page, "category": screen.category_page,
             "method": screen.method_page, "hour": screen.hour_page}
    for key, chart in screen.overview.charts.items():
        assert chart.bar_count() == pages[key].model.rowCount()
        assert chart.values == pages[key].chart.values
    hours = screen.overview.charts["hour"]
    assert hours.labels == ["19", "20", "21", "22"]
    assert hours.values[-1] < 0  # the hour of the refund and the void


def test_an_empty_period_shows_zeros_and_no_error(coordinator: Cashier, booth, sales) -> None:
    c = coordinator
    screen = open_reports(c)
    screen.filters.set_dates(date(2026, 11, 22), date(2026, 11, 23))  # after the evening
    settle(c, screen)
    assert shown_totals(screen) == {**dict.fromkeys(FIGURE_KEYS, "Rp0"), "count": "0"}
    assert screen.state_label.text() == "22/11/2026 – 23/11/2026 · 0 sales"
    for tab, page in ((FACILITIES, screen.facility_page), (HOURS, screen.hour_page)):
        screen.tabs.setCurrentIndex(tab)
        assert page.model.rowCount() == 0 and page.chart.bar_count() == 0
    assert screen.unverified_model.rowCount() == 0
    assert screen.tabs.tabText(UNVERIFIED) == "Unverified"
    assert not screen.banner.isVisible()

    screen.filters.whole_button.click()
    settle(c, screen)
    assert screen.totals.text("count") == "3"


def test_a_booth_with_no_sales_at_all(coordinator: Cashier, booth) -> None:
    screen = open_reports(coordinator)
    assert screen.totals.text("net") == "Rp0" and screen.totals.text("count") == "0"
    assert all(chart.bar_count() == 0 for chart in screen.overview.charts.values())
    assert not screen.banner.isVisible()


def test_a_cashier_cannot_open_reports(cashier: Cashier, sales) -> None:
    window = cashier.window
    assert not window.reports_action.isVisible()
    cashier.qtbot.keyClick(cashier.screen.scan_box, Qt.Key.Key_R,
                           Qt.KeyboardModifier.ControlModifier)
    cashier.wait_idle()
    assert window.reports_dialog is None
    assert window.sale_screen.notice.text() == ("Reports are for coordinators and admins; "
                                                "ask one to log in")


def test_a_coordinator_opens_reports_from_the_toolbar(coordinator: Cashier) -> None:
    window = coordinator.window
    assert window.reports_action.isVisible() and window.reports_action.isEnabled()
    window.reports_action.trigger()
    coordinator.wait_for(lambda: window.reports_dialog)


def test_chart_labels_are_the_integers_shortened() -> None:
    assert [short_rupiah(v) for v in (0, 950, 85_000, 1_250_000, 1_249_999, -374_250,
                                      2_000_000_000)] == [
        "0", "950", "85 k", "1,3 M", "1,2 M", "−374,3 k", "2 bn"]


def test_neither_matplotlib_nor_numpy_is_loaded_even_with_the_reports_screen() -> None:
    """The charts are painted with QPainter: the bundle carries no plotting library."""
    code = ("import sys; import pos_app.ui.app, pos_app.ui.main_window, "
            "pos_app.ui.reporting.reports_screen, pos_app.ui.reporting.report_chart; "
            "print(sorted({'matplotlib', 'numpy'} & set(sys.modules)))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert out.stdout.strip() == "[]"


def test_a_long_list_charts_its_first_rows_and_says_so(qtbot) -> None:
    page = BreakdownPage(product_model(), "Net by product")
    qtbot.addWidget(page)
    rows = [BreakdownRow(f"SKU-{i:03d}", f"Product {i}", f"SKU-{i:03d}",
                         Totals(sales=10_000 * (100 - i), count=1))
            for i in range(MAX_BARS + 5)]
    page.set_rows(rows)
    page.draw_if_needed()
    assert page.model.rowCount() == MAX_BARS + 5
    assert page.chart.bar_count() == MAX_BARS
    assert page.chart.values == [r.net for r in rows[:MAX_BARS]]
    heading = page.findChild(QLabel, "heading")
    assert heading.text() == f"Net by product · the first {MAX_BARS} of {MAX_BARS + 5}"
    page.set_rows(rows[:3])
    page.draw_if_needed()
    assert page.chart.bar_count() == 3 and heading.text() == "Net by product"


# --- the end-of-event pack from this screen: progress, cancel ---------------------------------

def test_one_action_writes_the_whole_pack(coordinator: Cashier, booth, sales,
                                          tmp_path: Path) -> None:
    screen = open_reports(coordinator)
    coordinator.qtbot.mouseClick(screen.export_button, Qt.MouseButton.LeftButton)
    dialog = coordinator.wait_for(lambda: screen.export_dialog)
    target = tmp_path / "exports" / "pack"
    target.parent.mkdir()
    dialog.folder_edit.setText(str(target))
    seen: list[tuple[int, int]] = []
    dialog.progress.valueChanged.connect(
        lambda _v: seen.append((dialog.progress.value(), dialog.progress.maximum())))
    coordinator.qtbot.mouseClick(dialog.start_button, Qt.MouseButton.LeftButton)
    coordinator.qtbot.waitUntil(lambda: dialog.result is not None and dialog.worker is None,
                                timeout=TIMEOUT * 3)
    assert dialog.banner.kind() == "success"
    manifest = json.loads((target / "manifest.json").read_text(encoding="utf-8"))
    assert {"export.xlsx", "summary.pdf"} <= set(manifest["files"])
    assert seen and seen[-1][0] == seen[-1][1]  # progress reached the end
    assert dialog.progress.value() == dialog.progress.maximum()
    assert manifest["totals"]["net"] == report(booth).totals.net
    assert not dialog.start_button.isEnabled()  # written once; close and reopen to redo


def test_cancel_leaves_nothing(coordinator: Cashier, booth, sales, tmp_path: Path) -> None:
    screen = open_reports(coordinator)
    coordinator.qtbot.mouseClick(screen.export_button, Qt.MouseButton.LeftButton)
    dialog = coordinator.wait_for(lambda: screen.export_dialog)
    target = tmp_path / "exports" / "pack"
    target.parent.mkdir()
    dialog.folder_edit.setText(str(target))
    coordinator.qtbot.mouseClick(dialog.start_button, Qt.MouseButton.LeftButton)
    dialog.worker.cancel.set()  # as if Cancel was pressed before the first chunk was written
    coordinator.qtbot.waitUntil(lambda: dialog.worker is None, timeout=TIMEOUT * 3)
    assert dialog.result is None
    assert dialog.banner.kind() == "error"
    assert list(target.parent.iterdir()) == []
    assert dialog.start_button.isEnabled() and dialog.close_button.isEnabled()
