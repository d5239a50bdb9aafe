"""The payment dialog: cash with change, splits, card and transfer references, rejections.
Every test checks the rows written (or not written) to the booth database, in exact rupiah."""

from __future__ import annotations

from PySide6.QtCore import Qt
from sqlalchemy import update

from pos_app import i18n
from pos_app.domain.tenders import Method
from pos_app.persistence.models import Payment, Product, Sale, SaleLine
from tests.gui.cashier import Cashier, count, payments, sale_lines, sale_movements, sales

KOPI_BAJAWA = "8994111000016"  # Rp85.000
SELENDANG_AMARASI = "8994102000148"  # Rp250.000, Lapas Perempuan Kupang


def test_cash_with_change(cashier: Cashier, booth) -> None:
    cashier.scan(KOPI_BAJAWA)
    cashier.scan(KOPI_BAJAWA)
    dialog = cashier.open_payment()
    assert dialog.due_label.text() == "Rp170.000"
    assert [b.text() for b in dialog.form.quick_buttons if b.isVisible()] == [
        "Exact amount", "Rp180.000", "Rp200.000"]
    cashier.qtbot.mouseClick(dialog.form.quick_buttons[2], Qt.MouseButton.LeftButton)
    assert dialog.change_label.text() == "Rp30.000"  # live, before confirming
    cashier.confirm(dialog)

    [sale] = sales(booth)
    assert (sale.number, sale.cashier_name, sale.total, sale.tendered, sale.change) == (
        "KPG-01-000001", "Kasir", 170_000, 200_000, 30_000)
    [pay] = payments(booth)
    assert (pay.sale_id, pay.method, pay.amount, pay.tendered, pay.change, pay.reference,
            pay.verified) == (sale.id, "cash", 170_000, 200_000, 30_000, None, True)
    assert not dialog.isVisible()


def test_after_a_sale_the_screen_shows_its_number_and_change_and_is_ready(cashier: Cashier,
                                                                         booth) -> None:
    cashier.scan(KOPI_BAJAWA)
    dialog = cashier.open_payment()
    cashier.tender(dialog, Method.CASH, "100.000")
    cashier.confirm(dialog)

    banner = cashier.screen.panel.sale_banner
    assert banner.kind() == "success"
    assert banner.text() == "Sale KPG-01-000001 — change Rp15.000"
    assert cashier.cart() == []
    assert cashier.total_shown() == "Rp0"
    cashier.qtbot.waitUntil(cashier.screen.scan_box.hasFocus, timeout=5000)
    assert [(s.number, s.change) for s in sales(booth)] == [("KPG-01-000001", 15_000)]

    cashier.scan(KOPI_BAJAWA)  # the next customer: the banner goes with the first action
    assert banner.text() == ""
    assert cashier.cart() == [("Kopi Arabika Flores Bajawa 250 g", 1)]


def test_the_banner_speaks_indonesian_by_default(cashier: Cashier, booth) -> None:
    i18n.set_language("id")
    cashier.scan(KOPI_BAJAWA)
    dialog = cashier.open_payment()
    cashier.tender(dialog, Method.CASH, "85000")
    cashier.confirm(dialog)
    assert cashier.screen.panel.sale_banner.text() == \
        "Penjualan KPG-01-000001 — uang pas, tanpa kembalian"
    assert payments(booth)[0].change == 0


def test_split_qris_then_cash(cashier: Cashier, booth) -> None:
    cashier.scan(SELENDANG_AMARASI)
    cashier.scan(KOPI_BAJAWA)
    dialog = cashier.open_payment()
    assert dialog.due_label.text() == "Rp335.000"
    cashier.tender(dialog, Method.QRIS, "100000", reference="QR-7781", add=True)
    assert dialog.tenders[0].amount == 100_000
    assert dialog.remaining_label.text() == "Rp235.000"
    assert dialog.form.method is Method.CASH  # the rest is offered as cash
    assert dialog.form.quick_buttons[0].text() == "Exact amount"
    cashier.qtbot.mouseClick(dialog.form.quick_buttons[0], Qt.MouseButton.LeftButton)
    cashier.confirm(dialog)

    [sale] = sales(booth)
    assert (sale.total, sale.tendered, sale.change) == (335_000, 335_000, 0)
    assert [(p.line_no, p.method, p.amount, p.tendered, p.change, p.reference, p.verified)
            for p in payments(booth)] == [
        (1, "qris", 100_000, 100_000, 0, "QR-7781", False),
        (2, "cash", 235_000, 235_000, 0, None, True)]
    assert sorted((ln.facility_name, ln.total) for ln in sale_lines(booth)) == [
        ("Lapas Kelas IIB Ende", 85_000), ("Lapas Perempuan Kelas III Kupang", 250_000)]


def test_short_payment_is_refused_inline_and_nothing_is_written(cashier: Cashier, booth) -> None:
    cashier.scan(KOPI_BAJAWA)
    cashier.scan(KOPI_BAJAWA)
    dialog = cashier.open_payment()
    cashier.tender(dialog, Method.CASH, "100000")
    cashier.confirm(dialog)

    assert dialog.isVisible()
    assert dialog.error.text() == "Payment is short by Rp70.000"
    assert dialog.pay_button.isEnabled()
    assert (count(booth, Sale), count(booth, SaleLine), count(booth, Payment)) == (0, 0, 0)
    assert sale_movements(booth) == []
    assert cashier.cart() == [("Kopi Arabika Flores Bajawa 250 g", 2)]


def test_noncash_cannot_be_more_than_due(cashier: Cashier, booth) -> None:
    cashier.scan(KOPI_BAJAWA)
    dialog = cashier.open_payment()
    cashier.tender(dialog, Method.TRANSFER, "90000", reference="TRF-1")
    cashier.confirm(dialog)
    assert dialog.error.text() == \
        "Only cash can be more than the amount due; Bank transfer is over by Rp5.000"
    assert count(booth, Sale) == 0


def test_a_card_needs_its_approval_code(cashier: Cashier, booth) -> None:
    cashier.scan(KOPI_BAJAWA)
    dialog = cashier.open_payment()
    cashier.tender(dialog, Method.CARD, "85000")
    cashier.confirm(dialog)
    assert dialog.error.text() == "Card (EDC) needs a reference (approval code)"
    assert count(booth, Sale) == 0

    cashier.qtbot.keyClicks(dialog.form.reference_edit, "APR 004512")
    cashier.confirm(dialog)
    assert [(p.method, p.amount, p.reference, p.verified) for p in payments(booth)] == [
        ("card", 85_000, "APR 004512", True)]


def test_a_price_change_during_payment_is_caught_by_checkout(cashier: Cashier, booth) -> None:
    cashier.scan(KOPI_BAJAWA)
    dialog = cashier.open_payment()
    with booth.db.write() as s:  # head office raised the price after it went into the cart
        s.execute(update(Product).where(Product.sku == "KOP-001").values(price=90_000))
    cashier.tender(dialog, Method.CASH, "85000")
    cashier.confirm(dialog)

    assert dialog.isVisible() and not dialog.busy
    assert dialog.error.text() == "Payment is short by Rp5.000"
    assert (count(booth, Sale), count(booth, SaleLine), count(booth, Payment)) == (0, 0, 0)
    assert sale_movements(booth) == []


def test_the_dialog_stays_while_the_sale_is_being_written(cashier: Cashier) -> None:
    cashier.scan(KOPI_BAJAWA)
    dialog = cashier.open_payment()
    dialog._set_busy(True)
    dialog.reject()
    assert dialog.isVisible()
    assert not dialog.pay_button.isEnabled() and not dialog.cancel_button.isEnabled()
    dialog._set_busy(False)
    dialog.reject()
    assert not dialog.isVisible()
    assert cashier.cart() == [("Kopi Arabika Flores Bajawa 250 g", 1)]


def test_a_sale_below_zero_is_recorded_with_a_warning(cashier: Cashier, booth) -> None:
    """The painting is already in the customer's hands: by default the sale goes through
    and the cashier is told to have the stock checked."""
    from pos_app.services.stock import stock

    for _ in range(4):  # 3 in stock
        cashier.scan("8994103000505")  # Lukisan Akrilik Sasando 30x40
    dialog = cashier.open_payment()
    cashier.tender(dialog, Method.CASH, "1.000.000")
    cashier.confirm(dialog)
    assert [s.number for s in sales(booth)] == ["KPG-01-000001"]
    notice = cashier.screen.notice
    assert notice.kind() == "warning"
    assert "Lukisan Akrilik Sasando 30x40" in notice.text()
    assert [r.on_hand for r in stock.on_hand(booth, query="LUK-005")] == [-1]
