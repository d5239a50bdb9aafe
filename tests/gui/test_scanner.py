"""A scan is a scan wherever the focus is: taps mixed with a keyboard-wedge scanner, a slow
typist, and the fields that take no scans (the PIN pad, the amount). The rows of the sale are
checked after paying."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QLineEdit, QVBoxLayout, QWidget

from pos_app import i18n
from pos_app.domain.tenders import Method
from pos_app.ui.common.scanner import ScanFilter
from tests.gui.cashier import Cashier, sale_lines
from tests.gui.scanner_keys import Wedge
from tests.gui.test_stock_screen import open_count, open_receive, open_stock

KOPI_BAJAWA = "8994111000016"  # KOP-001, Rp85.000
KERIPIK = "Keripik Pisang Kepok"  # MAK-004, Rp15.000
REFUSED = ("This screen does not take scans: “8994111000016” was not entered. Scan on the "
           "sale screen, or in receive goods or a stock count.")


@pytest.fixture
def wedge(window) -> Wedge:
    yield (w := Wedge(window.scanner))
    w.stop()


def tap(c: Cashier, widget: QWidget, pos: QPoint | None = None) -> None:
    if pos is None:
        c.qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)
    else:
        c.qtbot.mouseClick(widget, Qt.MouseButton.LeftButton, pos=pos)


def tap_category(c: Cashier) -> None:
    [kopi] = [b for b in c.screen.grid.category_buttons() if b.text() == "Kopi"]
    tap(c, kopi)
    c.wait_idle()


def tap_facility_filter(c: Cashier) -> None:
    tap(c, c.screen.grid.facility_combo)  # its list drops down and is left open


def tap_cart_line(c: Cashier) -> None:
    view = c.screen.panel.view
    tap(c, view.viewport(), view.visualRect(view.model().index(0, 0)).center())


def tap_banner(c: Cashier) -> None:
    c.screen.notice.show_message("Something to read", "info")
    [close] = [b for b in c.screen.notice.children() if getattr(b, "text", None)
               and b.text() == "×"]
    tap(c, close)


@pytest.mark.parametrize("then_tap", [lambda c: c.tap_product(KERIPIK), tap_category,
                                      tap_facility_filter, tap_cart_line, tap_banner],
                         ids=["tile", "category", "facility", "cart-line", "banner"])
def test_after_any_tap_a_scan_adds_the_scanned_product_once(
        cashier: Cashier, wedge: Wedge, booth, then_tap) -> None:
    c = cashier
    c.tap_product(KERIPIK)
    then_tap(c)
    wedge.scan(KOPI_BAJAWA)
    c.wait_idle()
    expected_keripik = 2 if then_tap.__name__ == "<lambda>" else 1  # the tile tapped twice
    assert sorted(c.cart()) == [("Keripik Pisang Kepok", expected_keripik),
                                ("Kopi Arabika Flores Bajawa 250 g", 1)]
    assert wedge.refused == []
    assert QApplication.activePopupWidget() is None  # a dropdown left open was closed

    c.window.activateWindow()  # what the window manager does when a dropdown goes
    c.qtbot.waitUntil(c.window.isActiveWindow, timeout=10_000)
    wedge.stop()
    dialog = c.open_payment()
    c.tender(dialog, Method.CASH, "200000")
    c.confirm(dialog)
    assert sorted((line.sku, line.qty, line.total) for line in sale_lines(booth)) == [
        ("KOP-001", 1, 85_000), ("MAK-004", expected_keripik, 15_000 * expected_keripik)]


def test_letters_typed_after_a_tap_search_and_never_pick_the_tapped_tile(
        cashier: Cashier, wedge: Wedge) -> None:
    c = cashier
    c.tap_product(KERIPIK)
    assert c.screen.grid.view.hasFocus()
    wedge.type("kopi")  # a person, on the grid: the letters go to the search box
    box = c.screen.scan_box
    assert box.text() == "kopi" and box.hasFocus()
    wedge.enter()  # looks "kopi" up as a code: not the tapped tile again
    c.wait_idle()
    assert c.cart() == [("Keripik Pisang Kepok", 1)]
    assert c.screen.notice.text() == "No product has the code “kopi”"


def test_a_slow_typist_types_in_the_search_box(cashier: Cashier, wedge: Wedge) -> None:
    box = cashier.screen.scan_box
    box.setFocus()
    wedge.type("bajawa")  # six letters, as many as a scan, but a person's pace
    assert box.text() == "bajawa"
    cashier.qtbot.waitUntil(lambda: "Kopi Arabika Flores Bajawa 250 g" in cashier.grid_names()
                            and len(cashier.grid_names()) < 5, timeout=10_000)
    assert cashier.cart() == [] and wedge.refused == []


def test_a_scan_into_the_amount_field_is_refused_and_types_nothing(
        cashier: Cashier, wedge: Wedge, booth) -> None:
    c = cashier
    c.tap_product(KERIPIK)
    dialog = c.open_payment()
    amount = dialog.form.amount_edit
    before = amount.text()
    wedge.scan(KOPI_BAJAWA, amount)
    assert amount.text() == before
    assert wedge.refused == [REFUSED]
    notice = wedge.scanner.notice
    assert notice.isVisible() and notice.text() == REFUSED
    assert c.cart() == [("Keripik Pisang Kepok", 1)] and dialog.isVisible()
    assert sale_lines(booth) == []
    dialog.reject()


def test_a_scan_into_the_pin_pad_is_refused_and_types_nothing(door, qtbot) -> None:
    wedge = Wedge(door.scanner)
    try:
        pin = door.login_screen.pin_edit
        pin.setFocus()
        wedge.scan(KOPI_BAJAWA, pin)
        assert pin.text() == ""
        assert wedge.refused == [REFUSED]
        wedge.type("12", pin)  # the cashier's own PIN still goes in
        assert pin.text() == "12"
    finally:
        wedge.stop()


@pytest.fixture
def coordinator(qtbot, window, ops, booth, shift) -> Cashier:
    from pos_app.services.access import auth

    window.app_ctx.login_state.start(auth.login(booth, "Maria", "2468"), shift)
    window.activateWindow()
    return Cashier(qtbot, window, ops)


def test_receive_goods_and_a_stock_count_take_the_scan(coordinator: Cashier) -> None:
    c = coordinator
    screen = open_stock(c)
    receive = open_receive(c, screen)
    receive.facility_box.select("LP-END")
    wedge = Wedge(c.window.scanner)
    try:
        receive.note_edit.setFocus()  # any field of the dialog: the scan is the dialog's
        wedge.scan(KOPI_BAJAWA, receive.note_edit)
        c.wait_idle()
        assert receive.items() == [("KOP-001", 1)]
        assert receive.note_edit.text() == "" and wedge.refused == []
    finally:
        wedge.stop()
    receive.reject()
    c.wait_idle()

    count = open_count(c, screen, "LP-END")
    wedge = Wedge(c.window.scanner)
    try:
        wedge.scan("8994111000610", count.table)  # Miniatur Perahu, with the table focused
        c.wait_idle()
        assert count.last_label.text() == "Miniatur Perahu Peledang Lamalera: 1 counted"
    finally:
        wedge.stop()


# -- the filter on its own ---------------------------------------------------------------------
class Taker(QWidget):
    def __init__(self) -> None:
        super().__init__()
        self.edit = QLineEdit(self)
        QVBoxLayout(self).addWidget(self.edit)
        self.taken: list[str] = []
        self.open = True

    def accepts_scan(self) -> bool:
        return self.open

    def take_scan(self, code: str) -> None:
        self.taken.append(code)


@pytest.fixture
def taker(qtbot) -> Taker:
    widget = Taker()
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    widget.activateWindow()
    widget.edit.setFocus()
    return widget


@pytest.fixture
def filter_wedge(qtbot) -> Wedge:
    scanner = ScanFilter(30, 6)
    yield (w := Wedge(scanner))
    w.stop()
    scanner.deleteLater()


def test_a_fast_burst_ended_by_enter_or_tab_is_a_scan(taker: Taker, filter_wedge: Wedge) -> None:
    filter_wedge.scan("ABC123", taker.edit)
    filter_wedge.scan("XYZ789", taker.edit, end=Qt.Key.Key_Tab)
    assert taker.taken == ["ABC123", "XYZ789"] and taker.edit.text() == ""


def test_short_or_slow_or_unended_keys_are_typing(taker: Taker, filter_wedge: Wedge, qtbot
                                                  ) -> None:
    w, edit = filter_wedge, taker.edit
    w.scan("12345", edit)  # shorter than scan_min_length: typed, Enter passes on
    assert edit.text() == "12345" and taker.taken == []
    edit.clear()
    for char in "ABC123":  # fast, but no Enter: the timer hands the keys on
        w.key(char, 8, edit)
    assert edit.text() == ""
    qtbot.waitUntil(lambda: edit.text() == "ABC123", timeout=2_000)
    edit.clear()
    w.type("ABC", edit)
    w.key("1", 8, edit)  # a burst starting mid-word is still a person's word
    w.key("2", 500, edit)
    w.enter(edit)
    assert edit.text() == "ABC12" and taker.taken == []


def test_a_screen_that_is_busy_refuses_the_scan(taker: Taker, filter_wedge: Wedge) -> None:
    taker.open = False
    filter_wedge.scan("ABC123", taker.edit)
    assert taker.taken == [] and taker.edit.text() == ""
    assert filter_wedge.refused == [REFUSED.replace("8994111000016", "ABC123")]


def test_the_refusal_is_said_in_indonesian(taker: Taker, filter_wedge: Wedge) -> None:
    previous = i18n.language()
    i18n.set_language("id")
    try:
        taker.open = False
        filter_wedge.scan("ABC123", taker.edit)
    finally:
        i18n.set_language(previous)
    assert filter_wedge.refused == [
        "Layar ini tidak menerima pindaian: “ABC123” tidak dimasukkan. Pindai di layar "
        "penjualan, di Terima barang, atau di stock opname."]
    assert filter_wedge.scanner.notice.text() == filter_wedge.refused[0]


def test_a_repeated_digit_inside_a_burst_stays_in_the_scan(taker: Taker, filter_wedge: Wedge
                                                           ) -> None:
    """X11 marks the scanner's "000" of 8994105000060 as auto-repeated keys."""
    w, edit = filter_wedge, taker.edit
    w.now += 1_000
    for i, char in enumerate("8994105000060"):
        w.key(char, 3, edit, repeat=i in (8, 9))
    w.key("\r", 3, edit, Qt.Key.Key_Return)
    assert taker.taken == ["8994105000060"] and edit.text() == ""
    w.key("a", 1_000, edit)  # a key held down by a person, on its own, is typing
    w.key("a", 30, edit, repeat=True)
    w.scanner.flush()
    assert edit.text() == "aa" and taker.taken == ["8994105000060"]


def test_the_window_systems_key_stamps_decide_the_gap(taker: Taker, filter_wedge: Wedge
                                                      ) -> None:
    """Read late by a busy event loop (50 ms apart on our clock), the keys were stamped 8 ms
    apart by the X server: a scan. Stamped 150 ms apart, they were typed."""
    w, edit = filter_wedge, taker.edit
    stamp = 5_000_000
    for char in "ABC123":
        stamp += 8
        w.key(char, 50, edit, stamp=stamp)
    w.key("\r", 50, edit, Qt.Key.Key_Return, stamp=stamp + 8)
    assert taker.taken == ["ABC123"] and edit.text() == ""
    for char in "XYZ789":
        stamp += 150
        w.key(char, 1, edit, stamp=stamp)
    w.key("\r", 1, edit, Qt.Key.Key_Return, stamp=stamp + 150)
    assert taker.taken == ["ABC123"] and edit.text() == "XYZ789"
