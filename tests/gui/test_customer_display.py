"""Issue 18 item 4: the customer display follows a sale on the real till: the lines as they
are added (name, quantity, price) and the total, the QRIS for the amount (grabbed from the
display and read back by zxing-cpp), the change after cash, the thank-you naming the
facilities, then the showcase between customers. It never takes the cashier's focus: a
scanner's burst typed into whatever has the focus reaches the scan box.

The time from a cart change to the display's labels is printed (``-s``), never asserted:
``bench/bench_display_update.py`` measures it against a baseline."""

from __future__ import annotations

import time
from io import BytesIO

import pytest
import zxingcpp
from PIL import Image
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from pos_app import i18n
from pos_app.domain.tenders import Method
from pos_app.services.catalog import catalog
from pos_app.services.catalog.showcase import set_facility_texts
from pos_app.services.sale.qris import offer, set_qris
from pos_app.services.setup.settings import set_setting
from pos_app.ui.common.changes import Change
from pos_app.ui.display.display_window import CART, FINISH, IDLE, QRIS, CustomerDisplay
from pos_app.ui.display.sale_pages import FinishPage
from pos_app.ui.main_window import MainWindow
from tests.gui.cashier import TIMEOUT, Cashier
from tests.unit.test_qris import ours

KOPI_BAJAWA = "8994111000016"  # Kopi Arabika Flores Bajawa 250 g, Rp85.000, Lapas Ende
SELENDANG = "8994102000148"  # Selendang Tenun Amarasi, Rp250.000, Lapas Perempuan Kupang


@pytest.fixture
def display_on(booth):
    """The booth's static QRIS set and the display on (a window: one screen here)."""
    set_qris(booth, payload=ours(), actor="Maria", role="coordinator")
    set_setting(booth, "customer_display", "window", actor="Maria", role="coordinator")
    set_facility_texts(booth, {"LP-END": "Kopi Bajawa dari bengkel kerja Lapas Ende."},
                       actor="Maria", role="coordinator")


@pytest.fixture
def till(display_on, cashier: Cashier) -> Cashier:
    """The cashier's window with the display beside it, the showcase read."""
    cashier.qtbot.waitUntil(lambda: bool(shown(cashier).showcase.facilities), timeout=TIMEOUT)
    return cashier


def shown(cashier: Cashier) -> CustomerDisplay:
    view = cashier.window.display.view
    assert view is not None and view.isVisible()
    return view


def decoded(display: CustomerDisplay) -> str:
    """The text zxing-cpp reads from the display's QR as it is on the screen."""
    square = display.qris.qr
    image = square.grab(square.square()).toImage()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    assert image.save(buffer, "PNG")
    buffer.close()
    found = zxingcpp.read_barcodes(Image.open(BytesIO(bytes(data))).convert("RGB"),
                                   formats=zxingcpp.BarcodeFormat.QRCode)
    assert len(found) == 1, found
    return found[0].text


def rows(display: CustomerDisplay) -> list[tuple[str, str, str, str]]:
    return [(r.name.text(), r.facility.text(), r.qty.text(), r.total.text())
            for r in display.cart.rows if not r.isHidden()]


def add_timed(cashier: Cashier, code: str) -> float:
    """Add ``code`` as the scan handler does; the seconds until ``add_product`` returned,
    by which time the display's labels must already say so (no event processed between)."""
    row = catalog.find_by_code(cashier.window.app_ctx.booth, code)
    start = time.perf_counter()
    cashier.screen.add_product(row)
    return time.perf_counter() - start


def test_a_sale_followed_on_the_display(till: Cashier, booth) -> None:
    display = shown(till)
    assert display.page() == IDLE
    assert display.booth.text() == booth.name()
    ende = next(f for f in display.showcase.facilities if f.code == "LP-END")
    assert ende.text == "Kopi Bajawa dari bengkel kerja Lapas Ende."

    took = add_timed(till, KOPI_BAJAWA)
    # synchronous: the labels changed inside the cart change, in the same event-loop turn
    assert display.page() == CART
    assert rows(display) == [("Kopi Arabika Flores Bajawa 250 g", "Lapas Kelas IIB Ende",
                              "1 × Rp85.000", "Rp85.000")]
    assert display.cart.total.text() == "Rp85.000"
    took2 = add_timed(till, SELENDANG)
    assert display.cart.total.text() == "Rp335.000"
    took3 = add_timed(till, KOPI_BAJAWA)  # a second kopi: the first line changes
    assert rows(display)[0][2:] == ("2 × Rp85.000", "Rp170.000")
    assert display.cart.rows[0].property("fresh") is True  # the line just changed stands out
    assert display.cart.total.text() == "Rp420.000" == till.total_shown()
    assert display.cart.count.text() == "3 items"
    print(f"\ncart change -> display labels: {took * 1000:.2f}, {took2 * 1000:.2f}, "
          f"{took3 * 1000:.2f} ms (offscreen, synchronous)")

    dialog = till.open_payment()
    till.qtbot.keyClick(dialog.form.amount_edit, Qt.Key.Key_F2)  # QRIS
    till.wait_idle()
    till.qtbot.waitUntil(lambda: display.page() == QRIS, timeout=TIMEOUT)
    QApplication.processEvents()
    made = offer(booth, 420_000)
    assert made.with_amount and decoded(display) == made.payload
    assert display.qris.amount.text() == "Rp420.000"
    assert display.qris.merchant.text() == "KOPERASI LAPAS ENDE, ENDE"
    assert display.qris.nmid.text() == "NMID ID1020012345678"
    assert display.qris.qr.square().width() >= 300  # on an 800x480 window

    till.qtbot.keyClick(dialog.form.amount_edit, Qt.Key.Key_F1)  # cash after all
    assert display.page() == CART
    till.tender(dialog, Method.CASH, "500000")
    till.confirm(dialog)
    till.qtbot.waitUntil(lambda: not till.screen.cart.lines, timeout=TIMEOUT)
    assert display.page() == FINISH
    assert display.finish.change.text() == "Rp80.000" and display.finish.change.isVisibleTo(
        display)
    assert display.finish.thanks.text() == "Thank you!"
    assert display.finish.made_by.text() == (
        "Made by the inmates (WBP) of Lapas Kelas IIB Ende and Lapas Perempuan Kelas III "
        "Kupang")
    assert display.finish_timer.isActive()

    display.finish_timer.timeout.emit()  # the thank-you's time is up
    assert display.page() == IDLE and display.showcase.timer.isActive()


def test_paid_by_qris_no_change_and_a_cancel_goes_back_to_the_cart(till: Cashier,
                                                                   booth) -> None:
    display = shown(till)
    till.scan(KOPI_BAJAWA)
    dialog = till.open_payment()
    till.qtbot.keyClick(dialog.form.amount_edit, Qt.Key.Key_F2)
    till.wait_idle()
    till.qtbot.waitUntil(lambda: display.page() == QRIS, timeout=TIMEOUT)
    dialog.reject()  # the buyer would rather not, after all: the cart again
    assert display.page() == CART
    till.qtbot.waitUntil(lambda: QApplication.activeWindow() is till.window, timeout=TIMEOUT)

    dialog = till.open_payment()
    till.qtbot.keyClick(dialog.form.amount_edit, Qt.Key.Key_F2)
    till.wait_idle()
    till.qtbot.waitUntil(lambda: display.page() == QRIS, timeout=TIMEOUT)
    till.qtbot.waitUntil(lambda: dialog.form.draft() is not None, timeout=TIMEOUT)
    till.confirm(dialog)
    till.qtbot.waitUntil(lambda: display.page() == FINISH, timeout=TIMEOUT)
    assert display.finish.change.isHidden()  # nothing to hand back
    assert display.finish.made_by.text() == "Made by the inmates (WBP) of Lapas Kelas IIB Ende"
    till.scan(SELENDANG)  # the next buyer does not wait for the thank-you to end
    assert display.page() == CART and not display.finish_timer.isActive()


def test_the_thank_you_in_indonesian(qapp) -> None:
    previous = i18n.language()
    i18n.set_language("id")
    try:
        page = FinishPage(None)
        page.set_facilities(("Lapas Kelas IIB Ende",))
        assert page.made_by.text() == "Hasil karya WBP Lapas Kelas IIB Ende"
        page.set_facilities(("Lapas Kelas IIB Ende", "Rutan Kelas IIB Ruteng",
                             "LPKA Kelas I Kupang"))
        assert page.made_by.text() == ("Hasil karya WBP Lapas Kelas IIB Ende, Rutan Kelas "
                                       "IIB Ruteng dan LPKA Kelas I Kupang")
        page.deleteLater()
    finally:
        i18n.set_language(previous)


def test_the_cashier_keeps_the_focus_and_a_scan_reaches_the_scan_box(till: Cashier) -> None:
    window: MainWindow = till.window
    display = shown(till)
    assert display.windowFlags() & Qt.WindowType.WindowDoesNotAcceptFocus
    assert display.testAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)
    till.qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=TIMEOUT)
    till.scan(KOPI_BAJAWA)  # the display changes page and repaints
    assert display.page() == CART

    # a window manager (or a tap on a touch display) activates the display: it hands back
    display.windowHandle().requestActivate()
    display.activateWindow()
    till.qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=TIMEOUT)
    assert QApplication.focusWidget() is till.screen.scan_box

    # a scanner's burst into whatever has the focus, then Enter
    QTest.keyClicks(QApplication.focusWidget(), SELENDANG)
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    till.wait_idle()
    assert till.cart() == [("Kopi Arabika Flores Bajawa 250 g", 1),
                           ("Selendang Tenun Amarasi", 1)]
    assert display.cart.total.text() == "Rp335.000"
    assert QApplication.activeWindow() is window


def test_turned_on_and_off_from_the_settings(cashier: Cashier, booth) -> None:
    window = cashier.window
    assert window.display.view is None  # off by default
    cashier.scan(KOPI_BAJAWA)

    def store(key: str, value: str) -> None:
        set_setting(booth, key, value, actor="Maria", role="coordinator")
        window.app_ctx.settings = booth.settings()
        window.app_ctx.changes.notify({Change.SETTINGS})

    store("customer_display", "screen")  # one screen here: a plain window
    display = shown(cashier)
    assert not display.isFullScreen()
    assert display.page() == CART and display.cart.total.text() == "Rp85.000"  # mid-sale
    store("booth_name", "Lapak Karya WBP")
    assert display.booth.text() == "Lapak Karya WBP"
    store("customer_display", "off")
    assert window.display.view is None


def test_it_fits_a_small_usb_display_on_every_page(till: Cashier, booth) -> None:
    display = shown(till)
    display.resize(800, 480)
    for row in catalog.products(booth, limit=7):  # more lines than there are rows
        till.screen.add_product(row, 12)
    QApplication.processEvents()
    assert display.cart.earlier.text() == "+ 2 more items above"  # 5 rows and this one
    for page in (IDLE, CART, QRIS, FINISH):
        display.pages.setCurrentIndex(page)
        QApplication.processEvents()
        hint = display.minimumSizeHint()
        assert hint.width() <= 800 and hint.height() <= 480, (page, hint)
    assert display.size().width() == 800 and display.size().height() == 480


def test_a_coordinator_turns_it_on_and_writes_a_facility_text(coordinator_at_till: Cashier,
                                                              booth) -> None:
    from pos_app.services.catalog.showcase import FACILITY_TEXT_MOST, facility_texts

    maria = coordinator_at_till
    window = maria.window
    maria.press(Qt.Key.Key_F9)
    dialog = maria.wait_for(lambda: window.settings_dialog)
    page = dialog.display_page
    dialog.tabs.setCurrentWidget(page)
    assert page.mode.currentData() == "off" and not page.screen.isEnabled()
    page.mode.setCurrentIndex(page.mode.findData("screen"))
    assert page.screen.isEnabled() and page.screen.currentData() == 0  # any but the till's
    page.mode.setCurrentIndex(page.mode.findData("window"))
    maria.qtbot.waitUntil(lambda: page.facility_list.count() > 0, timeout=TIMEOUT)
    codes = [page.facility_list.item(i).data(Qt.ItemDataRole.UserRole)
             for i in range(page.facility_list.count())]
    page.facility_list.setCurrentRow(codes.index("LP-END"))
    page.text_edit.setFocus()
    maria.qtbot.keyClicks(page.text_edit, "Kopi Bajawa  dari Lapas Ende.")
    page.facility_list.setCurrentRow(codes.index("RT-RTG"))
    page.text_edit.setPlainText("x" * (FACILITY_TEXT_MOST + 20))  # a paste too long: cut
    assert len(page.text_edit.toPlainText()) == FACILITY_TEXT_MOST
    assert page.left.text() == f"{FACILITY_TEXT_MOST} of {FACILITY_TEXT_MOST} characters"
    maria.qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    maria.wait_idle()
    assert not dialog.isVisible()
    assert facility_texts(booth) == {"LP-END": "Kopi Bajawa dari Lapas Ende.",
                                     "RT-RTG": "x" * FACILITY_TEXT_MOST}
    assert booth.settings().customer_display == "window"
    display = shown(maria)
    maria.qtbot.waitUntil(lambda: any(f.text == "Kopi Bajawa dari Lapas Ende."
                                      for f in display.showcase.facilities), timeout=TIMEOUT)


def test_between_customers_a_photo_when_the_catalog_has_one(display_on, booth, tmp_path,
                                                            cashier: Cashier) -> None:
    from PIL import Image as PILImage

    from pos_app.services.catalog.photos import set_photo

    PILImage.new("RGB", (320, 240), (120, 70, 30)).save(tmp_path / "kopi.png")
    set_photo(booth, KOPI_BAJAWA, tmp_path / "kopi.png", actor="Maria",
              actor_role="coordinator")
    cashier.window.app_ctx.changes.notify({Change.CATALOG})  # as an op that changed it says
    display = shown(cashier)
    page = display.showcase
    cashier.qtbot.waitUntil(lambda: any(p.photo for f in page.facilities for p in f.products),
                            timeout=TIMEOUT)
    page.index = next(i for i, f in enumerate(page.facilities) if f.code == "LP-END")
    page.show_current()
    card = page.cards[0]
    assert card.name.text() == "Kopi Arabika Flores Bajawa 250 g"  # photos first
    assert card.pixmap is not None and not card.photo.isHidden()
    assert page.cards[1].photo.isHidden()  # a text card
    page.turn()
    assert page.index != next(i for i, f in enumerate(page.facilities) if f.code == "LP-END")


def test_each_photo_fills_its_place_on_the_card(display_on, booth, tmp_path,
                                               cashier: Cashier) -> None:
    """Photos shown on cards that held text cards a moment before (or photos of another
    size) are scaled to the place the card's layout gives them, not to a passing size."""
    from PIL import Image as PILImage

    from pos_app.services.catalog.photos import set_photo

    for k, sku in enumerate(("KOP-001", "KOP-007", "MAK-006", "LUK-003", "MIN-004",
                             "TEN-008")):
        PILImage.new("RGB", (320, 240), (40 * k, 70, 30)).save(tmp_path / f"{sku}.png")
        set_photo(booth, sku, tmp_path / f"{sku}.png", actor="Maria", actor_role="coordinator")
    cashier.window.app_ctx.changes.notify({Change.CATALOG})
    display = shown(cashier)
    page = display.showcase
    cashier.qtbot.waitUntil(lambda: any(p.photo for f in page.facilities for p in f.products),
                            timeout=TIMEOUT)
    display.resize(1366, 768)
    page.index = next(i for i, f in enumerate(page.facilities) if f.code != "LP-END")
    page.show_current()  # text cards first
    QTest.qWait(50)
    page.index = next(i for i, f in enumerate(page.facilities) if f.code == "LP-END")
    page.show_current()

    def filled() -> bool:  # as wide or as tall as its place, and not a sliver
        for card in page.cards:
            shown_, place = card.photo.pixmap().size(), card.photo.size()
            if shown_.height() < 60 or (shown_.width() < place.width() - 1
                                        and shown_.height() < place.height() - 1):
                return False
        return True

    assert all(card.pixmap is not None for card in page.cards)
    cashier.qtbot.waitUntil(filled, timeout=TIMEOUT)


def test_the_display_follows_the_till_into_another_language(till: Cashier) -> None:
    window = till.window
    till.scan(KOPI_BAJAWA)
    old = shown(till)
    window.switch_language("id")
    till.qtbot.waitUntil(lambda: window.display.view is not old
                         and window.display.view is not None, timeout=TIMEOUT)
    display = shown(till)
    assert display.tagline.text() == "Belanja Anda" and display.page() == CART
    assert display.cart.count.text() == "1 barang"
    assert display.showcase.facilities  # kept: not read again for a language
