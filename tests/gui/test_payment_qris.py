"""Issue 18 item 3: the payment dialog shows the booth's QRIS for the amount being paid. The
QR is grabbed from the rendered dialog and read back by zxing-cpp (a decoder nobody here
wrote): it is the booth's per-sale payload for exactly that amount, at least 300 px square
on a 1366x768 screen, with the amount, merchant and NMID beside it; a split makes it again
for the part; the payment keeps the payload painted; above the limit it is the static
sticker, said in one line; with no QRIS set the dialog says how to set one."""

from __future__ import annotations

import pytest
import zxingcpp
from PIL import Image
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QSize, Qt
from PySide6.QtWidgets import QApplication

from pos_app.domain import qris as qris_rules
from pos_app.domain.tenders import Method
from pos_app.services.sale.qris import offer, set_qris
from pos_app.services.setup.settings import set_setting
from pos_app.ui.common import dialog_layout
from pos_app.ui.sale.payment_dialog import PaymentDialog
from pos_app.ui.sale.qris.qr_view import QUIET
from tests.gui.cashier import TIMEOUT, Cashier, count, payments
from tests.unit.test_qris import AHASS

KOPI_BAJAWA = "8994111000016"  # Rp85.000
SELENDANG_AMARASI = "8994102000148"  # Rp250.000
SCREEN = QSize(1366, 768)


@pytest.fixture
def qris_set(booth):
    """The booth's static QRIS (a published one), set by a coordinator before the till opens."""
    set_qris(booth, payload=AHASS, actor="Maria", role="coordinator")


@pytest.fixture
def laptop(monkeypatch):
    """A 1366x768 screen: what dialogs fit themselves to (offscreen's own is 800x600)."""
    monkeypatch.setattr(dialog_layout, "screen_room", lambda _widget=None: QSize(SCREEN))


def open_at_1366(cashier: Cashier) -> PaymentDialog:
    cashier.window.resize(SCREEN)
    cashier.qtbot.waitUntil(lambda: cashier.window.size() == SCREEN, timeout=TIMEOUT)
    return cashier.open_payment()


def shown_for(cashier: Cashier, dialog: PaymentDialog, amount: int) -> None:
    """Wait until the code painted is the one made for ``amount``."""
    cashier.wait_idle()
    cashier.qtbot.waitUntil(lambda: dialog.form.qris_offer is not None
                            and dialog.form.qris_offer.amount == amount, timeout=TIMEOUT)
    QApplication.processEvents()


def decoded(dialog: PaymentDialog) -> str:
    """The text zxing-cpp reads from the QR as it is on the screen."""
    view = dialog.form.qr
    assert view.isVisible()
    image = view.grab(view.square()).toImage()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    assert image.save(buffer, "PNG")
    buffer.close()
    from io import BytesIO

    found = zxingcpp.read_barcodes(Image.open(BytesIO(bytes(data))).convert("RGB"),
                                   formats=zxingcpp.BarcodeFormat.QRCode)
    assert len(found) == 1, found
    return found[0].text


def test_the_code_carries_the_amount_and_is_large_beside_what_it_asks(
        qris_set, laptop, cashier: Cashier, booth) -> None:
    cashier.scan(KOPI_BAJAWA)
    cashier.scan(KOPI_BAJAWA)
    dialog = open_at_1366(cashier)
    assert dialog.width() <= SCREEN.width() and dialog.height() <= SCREEN.height()
    assert not dialog.form.qr.isVisible()  # cash first: no code
    cashier.qtbot.keyClick(dialog.form.amount_edit, Qt.Key.Key_F2)
    shown_for(cashier, dialog, 170_000)

    text = decoded(dialog)
    assert text == offer(booth, 170_000).payload == qris_rules.with_amount(AHASS, 170_000)
    assert qris_rules.amount_in(text) == 170_000
    view = dialog.form.qr
    square = view.square()
    assert square.width() == square.height() >= 300
    assert square.width() % (len(dialog.form.qr.modules) + 2 * QUIET) == 0  # whole pixels
    assert dialog.rect().contains(view.mapTo(dialog, square.bottomRight()))
    info = dialog.form.qris_info
    assert (info.amount_label.text(), info.merchant_label.text(), info.nmid_label.text()) == (
        "Rp170.000", "AHASS TDM Natar, Jakarta", "NMID ID2021066246392")
    assert not info.notice.isVisible()
    # beside the code, to its right and starting level with it
    assert info.mapTo(dialog, info.rect().topLeft()).x() > view.mapTo(dialog,
                                                                       square.topRight()).x()

    cashier.qtbot.keyClicks(dialog.form.reference_edit, "QR-77812")
    cashier.confirm(dialog)
    assert [(p.method, p.amount, p.reference, p.verified, p.qris_payload)
            for p in payments(booth)] == [("qris", 170_000, "QR-77812", False, text)]


def test_a_split_makes_the_code_again_for_each_part(qris_set, laptop, cashier: Cashier,
                                                    booth) -> None:
    cashier.scan(SELENDANG_AMARASI)
    cashier.scan(KOPI_BAJAWA)
    dialog = open_at_1366(cashier)
    cashier.qtbot.keyClick(dialog.form.amount_edit, Qt.Key.Key_F2)
    shown_for(cashier, dialog, 335_000)  # the whole amount first
    assert qris_rules.amount_in(decoded(dialog)) == 335_000

    cashier.tender(dialog, Method.QRIS, "100000", reference="QR-1")  # the buyer pays a part
    shown_for(cashier, dialog, 100_000)
    first = decoded(dialog)
    assert first == offer(booth, 100_000).payload
    assert dialog.form.qris_info.amount_label.text() == "Rp100.000"
    cashier.qtbot.keyClick(dialog.form.amount_edit, Qt.Key.Key_F6)
    assert [(t.amount, t.qris_payload) for t in dialog.tenders] == [(100_000, first)]

    cashier.qtbot.keyClick(dialog.form.amount_edit, Qt.Key.Key_F2)  # the rest, by QRIS again
    shown_for(cashier, dialog, 235_000)
    rest = decoded(dialog)
    assert rest == offer(booth, 235_000).payload and rest != first
    cashier.qtbot.keyClicks(dialog.form.reference_edit, "QR-2")
    cashier.confirm(dialog)
    assert [(p.line_no, p.amount, p.reference, p.qris_payload) for p in payments(booth)] == [
        (1, 100_000, "QR-1", first), (2, 235_000, "QR-2", rest)]


def test_a_code_made_for_another_amount_is_not_confirmed(qris_set, laptop, cashier: Cashier,
                                                          booth) -> None:
    from pos_app.persistence.models import Sale

    cashier.scan(KOPI_BAJAWA)
    dialog = open_at_1366(cashier)
    cashier.tender(dialog, Method.QRIS, "50000")
    shown_for(cashier, dialog, 50_000)
    edit = dialog.form.amount_edit
    edit.blockSignals(True)  # typed, but the code for it not made yet
    edit.setText("60.000")
    edit.blockSignals(False)
    cashier.qtbot.keyClick(dialog.form.reference_edit, Qt.Key.Key_F6)
    assert dialog.tenders == []
    assert dialog.error.text() == ("The QRIS shown is not this booth's code for Rp60.000; "
                                   "show the code again")
    assert count(booth, Sale) == 0


def test_above_the_limit_the_static_sticker_and_one_line_say_so(booth, laptop, qris_set,
                                                                 cashier: Cashier) -> None:
    set_setting(booth, "qris_limit", "100000", actor="Maria", role="coordinator")
    cashier.scan(KOPI_BAJAWA)
    cashier.scan(KOPI_BAJAWA)
    dialog = open_at_1366(cashier)
    cashier.qtbot.keyClick(dialog.form.amount_edit, Qt.Key.Key_F2)
    shown_for(cashier, dialog, 170_000)
    text = decoded(dialog)
    assert text == AHASS and qris_rules.amount_in(text) is None
    notice = dialog.form.qris_info.notice
    assert notice.isVisible()
    assert notice.text() == ("Above the QRIS limit of Rp100.000: this is the static code, "
                             "the buyer types the amount.")
    assert dialog.form.qr.square().width() >= 300

    cashier.tender(dialog, Method.QRIS, "85000")  # a part below the limit carries its amount
    shown_for(cashier, dialog, 85_000)
    assert qris_rules.amount_in(decoded(dialog)) == 85_000
    assert not notice.isVisible()
    dialog.form.amount_edit.clear()
    cashier.qtbot.keyClicks(dialog.form.amount_edit, "170000")
    shown_for(cashier, dialog, 170_000)
    cashier.confirm(dialog)
    assert [(p.amount, p.qris_payload) for p in payments(booth)] == [(170_000, AHASS)]


def test_with_no_qris_set_the_dialog_says_how_to_set_it(laptop, cashier: Cashier,
                                                        booth) -> None:
    cashier.scan(KOPI_BAJAWA)
    dialog = open_at_1366(cashier)
    cashier.tender(dialog, Method.QRIS, "85000", reference="QR-9")
    cashier.wait_idle()
    info = dialog.form.qris_info
    assert not dialog.form.qr.isVisible()
    assert info.notice.isVisible()
    assert info.notice.text() == ("This booth has no QRIS yet: a coordinator sets it in "
                                  "Settings, QRIS (or pos-app qris set)")
    assert info.amount_label.text() == "Rp85.000"
    cashier.confirm(dialog)  # a code shown by the bank's own device: recorded without one
    assert [(p.method, p.reference, p.qris_payload) for p in payments(booth)] == [
        ("qris", "QR-9", None)]


@pytest.mark.parametrize("width, least", [(1024, 220), (1366, 300), (1920, 300)])
@pytest.mark.parametrize("lang", ["id", "en"])
def test_the_qris_fits_every_laptop_screen_uncut(booth, qris_set, cashier: Cashier, monkeypatch,
                                                 width: int, least: int, lang: str) -> None:
    from pos_app import i18n
    from tests.gui.test_fits import problems

    size = QSize(width, 768 if width < 1920 else 1080)
    monkeypatch.setattr(dialog_layout, "screen_room", lambda _widget=None: QSize(size))
    set_setting(booth, "qris_limit", "1000000", actor="Maria", role="coordinator")
    i18n.set_language(lang)
    for _n in range(13):  # Rp3.250.000: above the limit, the longest notice and amount
        cashier.scan(SELENDANG_AMARASI)
    cashier.window.resize(size)
    cashier.qtbot.waitUntil(lambda: cashier.window.size() == size, timeout=TIMEOUT)
    dialog = cashier.open_payment()
    cashier.qtbot.keyClick(dialog.form.amount_edit, Qt.Key.Key_F2)
    shown_for(cashier, dialog, 3_250_000)
    assert dialog.form.qris_info.notice.isVisible()
    paid = dialog.paid_label  # its row is laid out again once the event loop turns
    cashier.qtbot.waitUntil(lambda: paid.width() >= paid.sizeHint().width(), timeout=TIMEOUT)
    assert problems(dialog, size) == []
    assert dialog.form.qr.square().width() >= least
    assert decoded(dialog) == AHASS
