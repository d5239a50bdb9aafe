"""The settlement screen as a coordinator uses it: an evening of sales over several facilities
(a split QRIS + cash payment, a refund and a void), then every figure on screen checked
against ``pos-app report settlement --json`` to the rupiah, for the whole event and for one
business date; the PDF (a page per facility); the 80 mm summary on a receipt printer, byte
for byte what python-escpos's Dummy renders; and a cashier, refused by the screen and by the
service."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, Qt

from pos_app.adapters.printing.escpos_receipt import receipt_bytes
from pos_app.domain.errors import DomainError
from pos_app.domain.tenders import Method, Tender
from pos_app.i18n import _
from pos_app.services.access import auth
from pos_app.services.sale.checkout import SaleItem, SaleRequest, checkout
from pos_app.services.shift.settlement_report import (
    print_settlement_summary,
    settlement_report,
)
from pos_app.services.shift.settlement_slip import summary_elements
from pos_app.ui.common.figures import signed_rupiah
from pos_app.ui.reporting import settlement_screen
from pos_app.ui.reporting.settlement_action import SettlementAction
from pos_app.ui.reporting.settlement_screen import DATES, SettlementScreen, open_settlement
from tests.gui.cashier import Cashier, print_jobs, use_printer
from tests.gui.test_reports_screen import evening
from tests.integration.fake_printer import FakePrinter
from tests.integration.test_cli_stock import ok
from tests.integration.test_stock_pdf import words_of

TIMEOUT = 10_000
PARTS = ("pnbp", "premi", "modal", "program")
METHODS = ("cash", "qris", "transfer", "card")


@pytest.fixture
def maria(qtbot, window, ops, booth, shift) -> Cashier:
    """Maria (coordinator) at the till during Kasir's shift, after the evening's sales."""
    user = auth.login(booth, "Maria", "2468")
    window.app_ctx.login_state.start(user, shift)
    window.activateWindow()
    return Cashier(qtbot, window, ops)


@pytest.fixture
def sales(booth, clock, shift) -> list[str]:
    """The evening of 21 November, then a cash sale of a tikar the next evening."""
    numbers = evening(booth, clock, shift.id)
    clock.advance(days=1)
    numbers.append(checkout(booth, SaleRequest(items=(SaleItem(1, sku="LUK-005"),),
                                               tenders=(Tender(Method.CASH, 250_000),),
                                               shift_id=shift.id)).number)
    return numbers


def open_screen(c: Cashier) -> SettlementScreen:
    """As a coordinator does: Reports (Ctrl+R), then Settlement."""
    c.qtbot.keyClick(c.screen.scan_box, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    reports = c.wait_for(lambda: c.window.reports_dialog)
    c.qtbot.mouseClick(reports.settlement_button, Qt.MouseButton.LeftButton)
    screen = c.wait_for(lambda: reports.settlement_dialog)
    assert screen.isVisible()
    settle(c, screen)
    return screen


def settle(c: Cashier, screen: SettlementScreen) -> None:
    c.qtbot.waitUntil(lambda: screen.loaded and not c.ops.busy, timeout=TIMEOUT)


def cells(model) -> list[list[str]]:
    return [[model.index(r, col).data() for col in range(model.columnCount())]
            for r in range(model.rowCount())]


def cli_statements(capsys, booth, *period: str) -> list[dict]:
    return json.loads(ok(capsys, booth, "report", "settlement", *period, "--json"))["statements"]


def expected_rows(data: list[dict]) -> list[list[str]]:
    return [[f"{st['facility']}  {st['facility_name']}", signed_rupiah(st["sales"]),
             signed_rupiah(-st["refunds"]), signed_rupiah(st["net"]),
             signed_rupiah(st["ppn_to_remit"]), signed_rupiah(st["dpp"]),
             *(signed_rupiah(st["split"][p]) for p in PARTS)] for st in data]


def expected_methods(st: dict) -> list[list[str]]:
    names = {"cash": "Cash", "qris": "QRIS", "transfer": "Bank transfer", "card": "Card (EDC)"}
    return [[names[m], signed_rupiah(st["methods"][m]["gross"]),
             signed_rupiah(-st["methods"][m]["refunds"]), signed_rupiah(st["methods"][m]["net"])]
            for m in METHODS]


def test_the_figures_equal_the_command_lines_to_the_rupiah(maria: Cashier, booth, sales,
                                                           capsys) -> None:
    c = maria
    screen = open_screen(c)
    data = cli_statements(capsys, booth)
    # the evening: goods of several facilities, a split QRIS + cash sale, a refund, a void
    assert len(data) >= 2
    assert sum(st["refunds"] for st in data) > 0
    assert sum(1 for st in data if st["methods"]["qris"]["gross"] and
               st["methods"]["cash"]["gross"]) >= 1
    assert cells(screen.model) == expected_rows(data)
    for row, st in enumerate(data):  # each facility's net by payment method
        screen.table.selectRow(row)
        assert screen.methods_title.text() == f"Net by payment method: {st['facility']}"
        assert cells(screen.methods) == expected_methods(st)
    assert screen.pdf_button.isEnabled() and screen.print_button.isEnabled()

    # one business date: the first evening only; the same as --from/--to
    day = date(2026, 11, 21)
    screen.period.setCurrentIndex(DATES)
    screen.date_from.setDate(QDate(day.year, day.month, day.day))
    screen.date_to.setDate(QDate(day.year, day.month, day.day))
    settle(c, screen)
    assert screen.span() == (day, day)
    one_day = cli_statements(capsys, booth, "--from", day.isoformat(), "--to", day.isoformat())
    assert one_day != data  # the tikar of the 22nd is not in it
    assert cells(screen.model) == expected_rows(one_day)
    # a date with no sales: said, nothing to save or print
    screen.date_from.setDate(QDate(2026, 11, 28))
    screen.date_to.setDate(QDate(2026, 11, 28))
    settle(c, screen)
    assert screen.model.rowCount() == 0
    assert screen.banner.text() == "No sales to settle in this period"
    assert not screen.pdf_button.isEnabled() and not screen.print_button.isEnabled()
    screen.reject()


def test_save_pdf_writes_a_page_per_facility(maria: Cashier, booth, sales, tmp_path: Path,
                                             monkeypatch) -> None:
    c = maria
    screen = open_screen(c)
    out = tmp_path / "penyelesaian.pdf"
    monkeypatch.setattr(settlement_screen, "ask_pdf_path", lambda *_a: out)
    c.qtbot.mouseClick(screen.pdf_button, Qt.MouseButton.LeftButton)
    c.qtbot.waitUntil(lambda: screen.banner.text() == f"Saved: {out}", timeout=TIMEOUT)
    reader, _text = words_of(out)
    codes = [st.facility_code for st in screen.statements]
    assert len(reader.pages) == len(codes) >= 2
    for n, (page, code) in enumerate(zip(reader.pages, codes, strict=True), 1):
        page_text = " ".join(page.extract_text().split())
        assert f"Facility {code} — " in page_text
        assert f"Page {n} of {len(codes)}" in page_text
    screen.reject()


def test_print_summary_sends_the_80_mm_slip(maria: Cashier, booth, sales) -> None:
    c = maria
    with FakePrinter("ok") as printer:
        use_printer(c.window, booth, printer.uri, printer_width="80")
        screen = open_screen(c)
        c.qtbot.mouseClick(screen.print_button, Qt.MouseButton.LeftButton)
        c.qtbot.waitUntil(lambda: screen.banner.text() == "The summary was printed",
                          timeout=TIMEOUT)
        [conn] = printer.wait_closed(1)
    found = settlement_report(booth, role="coordinator").statements
    elements = summary_elements(found, _)
    assert conn.receipt == receipt_bytes(elements, 80)
    text = conn.receipt.decode("cp437", "replace")
    assert "SETTLEMENT SUMMARY" in text
    for st in found:
        assert st.facility_code in text
    total = signed_rupiah(sum(st.net for st in found)).replace("Rp", "")
    assert total in text
    assert [(j.document_kind, j.status) for j in print_jobs(booth)] == [("settlement",
                                                                          "printed")]
    screen.reject()


def test_the_back_office_action_follows_the_role(qtbot, window, booth, shift) -> None:
    """The action the main window's back office can carry: a coordinator's, not a cashier's."""
    action = SettlementAction(window)
    assert not action.isVisible()  # Kasir
    window.app_ctx.login_state.start(auth.login(booth, "Maria", "2468"), shift)
    assert action.isVisible() and action.isEnabled()
    action.trigger()
    screen = window.settlement_dialog
    qtbot.waitUntil(lambda: screen.loaded and not window.app_ctx.ops.busy, timeout=TIMEOUT)
    assert screen.isVisible()
    screen.reject()


def test_a_cashier_is_refused_by_the_screen_and_the_service(window, booth, sales) -> None:
    assert window.app_ctx.login_state.user.role == "cashier"
    assert open_settlement(window) is None
    assert window.sale_screen.notice.text() == ("Settlement is for coordinators and admins; "
                                                "ask one to log in")
    for call in (lambda: settlement_report(booth, role="cashier"),
                 lambda: print_settlement_summary(booth, role="cashier")):
        with pytest.raises(DomainError) as exc:
            call()
        assert exc.value.code == "not_allowed"
    assert print_jobs(booth) == []
