"""The reconciliation screen as a coordinator uses it: open a statement (the file dialog
answered by the test), map its columns over the preview, read and match, confirm a matched
payment, resolve an ambiguous one by picking its line, confirm all the rest; the mapping is
offered again next time; a bad file lists its rows; a cashier never gets the screen."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog

from pos_app.domain.tenders import Method, Tender
from pos_app.services.access import auth
from pos_app.services.sale.checkout import SaleItem, SaleRequest, checkout
from pos_app.services.shift.statement_import import StatementMapping, saved_mappings
from pos_app.ui.shift.reconcile_dialog import MATCHES_TAB, STATEMENT_TAB, ReconcileDialog
from pos_app.ui.shift.reconcile_lists import M_LINE, M_SALE
from tests.gui.cashier import Cashier
from tests.integration.journal import events, sql

TIMEOUT = 10_000
STATEMENT = [
    "Posted,Info,RRN,Keluar,Masuk",
    "21/11/2026 19:33,QRIS NMID 1021,RRN-101,,85.000",  # 2: the kopi sale
    "21/11/2026 19:41,QRIS NMID 1021,RRN-102,,45.000",  # 3, 4: one of them is the robusta
    "21/11/2026 19:47,QRIS NMID 1021,RRN-103,,45.000",
    "21/11/2026 19:50,BIAYA ADMIN,,2.500,",  # money out: left out
    "21/11/2026 20:02,TRF DARI YOHANES,TRF-7,,120.000",  # 6: the bijian sale
    "21/11/2026 23:59,QRIS NMID 1021,RRN-104,,60.000",  # 7: nobody's
]


@pytest.fixture
def coordinator(qtbot, window, ops, booth, shift) -> Cashier:
    """Maria (coordinator) at the till during the shift."""
    maria = auth.login(booth, "Maria", "2468")
    window.app_ctx.login_state.start(maria, shift)
    window.activateWindow()
    return Cashier(qtbot, window, ops)


@pytest.fixture
def evening(booth, shift, clock) -> dict[str, str]:
    """QRIS, transfer and cash sales at the till, WITA = UTC+8; sale numbers by name."""
    sold = {}
    for name, minute, sku, price, method in [
        ("kopi", 30, "KOP-001", 85_000, Method.QRIS),
        ("robusta", 40, "KOP-002", 45_000, Method.QRIS),
        ("cash", 45, "KOP-002", 45_000, Method.CASH),
        ("bijian", 55, "KOP-007", 120_000, Method.TRANSFER),
        ("jahe", 58, "KOP-006", 35_000, Method.QRIS),
    ]:
        clock.current = datetime(2026, 11, 21, 11, minute, tzinfo=UTC)
        sold[name] = checkout(booth, SaleRequest(
            items=(SaleItem(1, sku=sku),), tenders=(Tender(method, price),), shift_id=shift.id,
            cashier="Kasir")).number
    clock.current = datetime(2026, 11, 22, 1, 0, tzinfo=UTC)
    return sold


def write_statement(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def answer_open_dialog(monkeypatch, path: Path) -> list[str]:
    """The file dialog answers with ``path`` (no real dialog in a test)."""
    asked: list[str] = []

    def answer(parent, title, folder, filters):
        asked.append(filters)
        return str(path), filters

    monkeypatch.setattr(QFileDialog, "getOpenFileName", answer)
    return asked


def open_reconcile(c: Cashier) -> ReconcileDialog:
    assert c.window.reconcile_action.isVisible()
    c.window.reconcile_action.trigger()
    dialog = c.wait_for(lambda: c.window.reconcile_dialog)
    c.wait_idle()
    return dialog


def choose_file(c: Cashier, dialog: ReconcileDialog, monkeypatch, path: Path) -> None:
    asked = answer_open_dialog(monkeypatch, path)
    c.qtbot.mouseClick(dialog.page.choose_button, Qt.MouseButton.LeftButton)
    c.wait_idle()
    assert asked == ["Statements (*.csv *.xlsx)"]
    c.qtbot.waitUntil(lambda: dialog.page.file is not None, timeout=TIMEOUT)


def click(c: Cashier, button) -> None:
    assert button.isEnabled()
    c.qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    c.wait_idle()


def pick_column(box, column: str) -> None:
    index = box.findData(column)
    assert index > 0, column
    box.setCurrentIndex(index)


def matches(booth) -> list[tuple[str, str, int, str]]:
    return [(r["number"], r["statement_reference"], r["statement_amount"], r["confirmed_by"])
            for r in sql(booth, "SELECT s.number, m.statement_reference, m.statement_amount, "
                                "m.confirmed_by FROM payment_match m "
                                "JOIN payment p ON p.id = m.payment_id "
                                "JOIN sale s ON s.id = p.sale_id ORDER BY s.number")]


def test_map_columns_confirm_a_match_and_resolve_an_ambiguous_one(
        coordinator: Cashier, booth, evening, tmp_path, monkeypatch) -> None:
    c = coordinator
    dialog = open_reconcile(c)
    assert not dialog.tabs.isTabEnabled(MATCHES_TAB)
    f = write_statement(tmp_path / "bri-qris-21nov.csv", STATEMENT)
    choose_file(c, dialog, monkeypatch, f)
    page = dialog.page
    assert page.file_label.text() == "bri-qris-21nov.csv"
    # the columns offered are the file's; the preview shows its first rows
    assert [page.boxes["date"].itemData(i) for i in range(page.boxes["date"].count())] == [
        "", "posted", "info", "rrn", "keluar", "masuk"]
    assert page.preview.rowCount() == 6
    assert page.preview.item(0, 0).text() == "21/11/2026 19:33"
    assert page.boxes["reference"].column() == "rrn"  # guessed from the name

    # map the rest by hand
    page.source_box.setEditText("BRI QRIS")
    pick_column(page.boxes["date"], "posted")
    page.split.setChecked(True)
    pick_column(page.boxes["credit"], "masuk")
    pick_column(page.boxes["debit"], "keluar")
    pick_column(page.boxes["description"], "info")
    assert page.preview.horizontalHeaderItem(4).text() == "masuk\n→ Credit (in)"
    click(c, page.load_button)
    assert dialog.tabs.currentIndex() == MATCHES_TAB, dialog.banner.text()

    lists = dialog.lists
    assert [(r[0].sale_number, r[1].row) for r in lists.matched_model.rows()] == [
        (evening["kopi"], 2), (evening["bijian"], 6)]
    assert [(p.sale_number, [ln.row for ln in options])
            for p, options in lists.ambiguous_model.rows()] == [(evening["robusta"], [3, 4])]
    assert [p.sale_number for p in lists.unmatched_model.rows()] == [evening["jahe"]]
    assert [ln.row for ln in lists.unused_model.rows()] == [7]
    assert lists.matched_model.index(0, M_SALE).data() == evening["kopi"]
    assert lists.matched_model.index(0, M_LINE).data() == "row 2 · 21/11 19:33"
    assert lists.matched_label.text() == "Matched: 2 payments"
    assert lists.summary_label.text() == (
        "BRI QRIS: 5 lines of money in read from bri-qris-21nov.csv · 1 other row left out "
        "(money out or no amount) · 4 QRIS or transfer payments waiting to be confirmed")
    assert saved_mappings(booth)["BRI QRIS"] == StatementMapping(
        source="BRI QRIS", date="posted", credit="masuk", debit="keluar", reference="rrn",
        description="info")

    # confirm one matched payment
    click(c, lists.confirm_buttons[0])
    assert matches(booth) == [(evening["kopi"], "RRN-101", 85_000, "Maria")]
    assert dialog.banner.text() == (f"Confirmed: QRIS payment of {evening['kopi']}, Rp85.000, "
                                    "is statement row 2")
    assert [r[0].sale_number for r in lists.matched_model.rows()] == [evening["bijian"]]

    # the ambiguous one: pick the second line, then confirm
    assert not lists.pick_buttons[0].isEnabled()
    pick = lists.pick_boxes[0]
    assert [pick.itemText(i) for i in range(pick.count())] == [
        "— pick a line —", "row 3 · 21/11 19:41 · RRN-102 · QRIS NMID 1021",
        "row 4 · 21/11 19:47 · RRN-103 · QRIS NMID 1021"]
    pick.setCurrentIndex(2)
    click(c, lists.pick_buttons[0])
    assert matches(booth) == sorted([(evening["kopi"], "RRN-101", 85_000, "Maria"),
                                     (evening["robusta"], "RRN-103", 45_000, "Maria")])
    assert lists.ambiguous_model.rowCount() == 0
    assert [ln.row for ln in lists.unused_model.rows()] == [3, 7]  # the line not picked

    # and the rest in one go
    click(c, lists.confirm_all_button)
    assert [m[0] for m in matches(booth)] == sorted(
        [evening["kopi"], evening["robusta"], evening["bijian"]])
    assert dialog.banner.text() == (f"Confirmed: Bank transfer payment of {evening['bijian']}, "
                                    "Rp120.000, is statement row 6")
    assert not lists.confirm_all_button.isEnabled()
    assert [e["actor"] for e in events(booth, "payment.match")] == ["Maria"] * 3
    [source] = {r["source"] for r in sql(booth, "SELECT source FROM payment_match")}
    assert source == "BRI QRIS · bri-qris-21nov.csv"
    assert len(dialog.confirmed) == 3


def test_the_saved_mapping_is_offered_next_time(coordinator: Cashier, booth, evening,
                                                tmp_path, monkeypatch) -> None:
    from pos_app.services.shift.statement_import import save_mapping

    save_mapping(booth, StatementMapping(source="BRI QRIS", date="posted", credit="masuk",
                                         debit="keluar", reference="rrn",
                                         description="info"), actor="Maria")
    c = coordinator
    dialog = open_reconcile(c)
    assert [dialog.page.source_box.itemText(i)
            for i in range(dialog.page.source_box.count())] == ["BRI QRIS"]
    choose_file(c, dialog, monkeypatch, write_statement(tmp_path / "s.csv", STATEMENT))
    page = dialog.page
    assert page.source_box.currentText() == "BRI QRIS"
    assert page.split.isChecked()
    assert page.mapping() == saved_mappings(booth)["BRI QRIS"]
    click(c, page.load_button)
    assert dialog.tabs.currentIndex() == MATCHES_TAB
    assert dialog.lists.matched_model.rowCount() == 2
    assert len(events(booth, "setting")) == 1  # the same mapping is not stored again
    click(c, dialog.lists.confirm_all_button)
    assert dialog.banner.text() == "Confirmed 2 payments, Rp205.000"
    assert matches(booth) == sorted([(evening["kopi"], "RRN-101", 85_000, "Maria"),
                                     (evening["bijian"], "TRF-7", 120_000, "Maria")])


def test_a_bad_statement_lists_its_rows_and_writes_nothing(coordinator: Cashier, booth,
                                                          evening, tmp_path,
                                                          monkeypatch) -> None:
    c = coordinator
    dialog = open_reconcile(c)
    bad = [*STATEMENT[:3], "kemarin,QRIS,RRN-9,,45.000", "21/11/2026 20:00,QRIS,RRN-8,,12,5"]
    bad[-1] = '21/11/2026 20:00,QRIS,RRN-8,,"12,5"'
    f = write_statement(tmp_path / "rusak.csv", bad)
    choose_file(c, dialog, monkeypatch, f)
    page = dialog.page
    page.source_box.setEditText("BRI QRIS")
    pick_column(page.boxes["date"], "posted")
    page.split.setChecked(True)
    pick_column(page.boxes["credit"], "masuk")
    before = sql(booth, "SELECT count(*) AS n FROM audit_event")
    click(c, page.load_button)
    assert dialog.tabs.currentIndex() == STATEMENT_TAB
    assert not dialog.tabs.isTabEnabled(MATCHES_TAB)
    assert dialog.banner.kind() == "error"
    assert dialog.banner.text() == "\n".join([
        f"Nothing was imported: 2 error(s) in {f}",
        "row 4, column posted: not a date in the form dd/mm/yyyy: kemarin",
        "row 5, column masuk: has a fraction of a rupiah: 12,5"])
    assert sql(booth, "SELECT count(*) AS n FROM audit_event") == before
    assert saved_mappings(booth) == {} and matches(booth) == []

    # no source name: said in words, not a traceback
    page.source_box.setEditText("")
    click(c, page.load_button)
    assert dialog.banner.text() == ("Name the statement source (for example BRI QRIS), so its "
                                    "columns are remembered")


def test_a_cashier_has_no_reconcile_button(cashier: Cashier) -> None:
    window = cashier.window
    assert not window.reconcile_action.isVisible()
    window.open_reconcile()
    assert window.reconcile_dialog is None
