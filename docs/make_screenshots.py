"""Render the README screenshots from the real app and its real PDFs.

    QT_QPA_PLATFORM=offscreen .venv/bin/python docs/make_screenshots.py [--lang id|en] [--out docs]

A fresh demo booth in a temporary directory; the cart is filled and the payment dialog driven
through the same widgets and ops a cashier uses, and the sale is paid (QRIS + cash). First
docs/login.png (the login screen, a name picked and the PIN half typed); then the shift is
opened and: docs/receipt-58.png and docs/receipt-80.png (the receipt PDFs through
``pdftoppm -r 200``), docs/kwitansi.png (the kwitansi PDF's first page at 110 dpi),
docs/sales-history.png (the history with that sale's receipt on screen),
docs/printer-settings.png and docs/shift-close.png (the blind close after the count
was confirmed: expected, counted and the difference). Then the coordinator Maria opens a
shift and the stock screen (F6): docs/stock-receive.png (a tanda terima being scanned in),
docs/stock-count.png (a stock opname with its variance and reasons) and docs/stock-screen.png
(the on-hand list of one facility, with a low row and a row below zero).
Nothing is written outside ``--out``.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from make_stock_pdfs import pdf_to_png  # noqa: E402 - the sibling script, run from docs/
from PySide6.QtCore import QEventLoop, QRect, QTimer  # noqa: E402
from PySide6.QtGui import QColor, QPainter, QPixmap  # noqa: E402
from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

from pos_app import i18n  # noqa: E402
from pos_app.domain.cart import Discount  # noqa: E402
from pos_app.domain.tenders import Method, Tender  # noqa: E402
from pos_app.i18n import _  # noqa: E402
from pos_app.services.access import auth
from pos_app.services.catalog import catalog
from pos_app.services.sale.checkout import SaleItem, SaleRequest, checkout  # noqa: E402
from pos_app.services.sale.kwitansi import save_kwitansi_pdf  # noqa: E402
from pos_app.services.sale.printing import PrinterConfig, print_receipt, save_receipt_pdf  # noqa: E402
from pos_app.services.setup.booth import Booth  # noqa: E402
from pos_app.services.setup.clock import FixedClock  # noqa: E402
from pos_app.services.setup.setup import init_booth  # noqa: E402
from pos_app.services.shift import shifts
from pos_app.ui.common import style
from pos_app.ui.common.app_context import AppContext  # noqa: E402
from pos_app.ui.common.ops import Ops  # noqa: E402
from pos_app.ui.main_window import MainWindow  # noqa: E402

SIZE = (1280, 800)
# (barcode, quantity): five lines from five facilities
CART = [
    ("8994111000016", 2),  # Kopi Arabika Flores Bajawa 250 g, Lapas Ende
    ("8994102000148", 1),  # Selendang Tenun Amarasi, Lapas Perempuan Kupang
    ("8994112000299", 1),  # Tas Anyaman Pandan Alor, Rutan Kalabahi
    ("8994108000760", 1),  # Madu Hutan Sumba 500 ml, Lapas Waingapu
    ("8994101000590", 2),  # Miniatur Sasando, Lapas Kupang
]


def spin(ms: int = 50) -> None:
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def wait_until(done: Callable[[], bool], timeout: float = 20.0) -> None:
    end = time.monotonic() + timeout
    while not done():
        if time.monotonic() > end:
            raise SystemExit("make_screenshots: the app did not get there in time")
        spin(20)


def over_window(window: QPixmap, dialog: QPixmap) -> QPixmap:
    """The dialog as it appears: centred over the dimmed window, with a soft shadow."""
    out = QPixmap(window)
    p = QPainter(out)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.fillRect(out.rect(), QColor(16, 28, 38, 120))
    x, y = (out.width() - dialog.width()) // 2, (out.height() - dialog.height()) // 2
    for spread, alpha in ((14, 18), (9, 26), (5, 36)):
        p.setPen(QColor(0, 0, 0, 0))
        p.setBrush(QColor(0, 0, 0, alpha))
        p.drawRoundedRect(QRect(x - spread, y - spread + 6, dialog.width() + 2 * spread,
                                dialog.height() + 2 * spread), 16, 16)
    p.drawPixmap(x, y, dialog)
    p.end()
    return out




def earlier_sales(booth: Booth, clock: FixedClock, pdf_dir: Path, shift_id) -> None:
    """A few sales before the one on the screenshots, so the history has some to list;
    three of their receipts printed (to a PDF folder), one failed (nobody listens on port 9)."""
    sales = [
        ((("KOP-002", 1),), (Tender(Method.CASH, 50_000),)),
        ((("TEN-007", 1), ("MAK-003", 2)), (Tender(Method.QRIS, 299_900, "QR-20261121-0038"),)),
        ((("TEN-001", 1),), (Tender(Method.TRANSFER, 350_000, "BRI 7781"),)),
        ((("KOP-001", 3),), (Tender(Method.CASH, 300_000),)),
    ]
    for i, (items, tenders) in enumerate(sales):
        clock.advance(minutes=11)
        sale = checkout(booth, SaleRequest(items=tuple(SaleItem(q, sku=s) for s, q in items),
                                           tenders=tenders, cashier="Kasir", shift_id=shift_id))
        uri = f"pdf://{pdf_dir}" if i != 2 else "tcp://127.0.0.1:9"
        print_receipt(booth, sale.id, PrinterConfig(uri, timeout=2), translate=_)
    clock.advance(minutes=7)


def show_history(window: MainWindow, number: str) -> QPixmap:
    window.open_history()
    dialog = window.history_dialog
    wait_until(lambda: dialog is not None and dialog.isVisible() and dialog.model.rowCount())
    dialog.search_edit.setText(number)
    dialog.search()
    wait_until(lambda: dialog.current is not None and dialog.current.number == number
               and number in dialog.preview.text())
    dialog.search_edit.clear()
    dialog.search()
    wait_until(lambda: dialog.model.rowCount() > 1 and not window.app_ctx.ops.busy)
    dialog.table.setFocus()
    spin(200)
    composed = over_window(window.grab(), dialog.grab())
    dialog.reject()
    return composed


def show_printer_settings(window: MainWindow, booth: Booth) -> QPixmap:
    """The printer settings, as Maria (settings are a coordinator's) sees them mid-shift."""
    state = window.app_ctx.login_state
    cashier, shift = state.user, state.shift
    state.start(auth.login(booth, "Maria", "2468"), shift)
    window.open_settings()
    dialog = window.settings_dialog
    wait_until(lambda: dialog is not None and dialog.isVisible())
    page = dialog.printer_page
    page.uri_edit.setText("tcp://192.168.1.50:9100")
    page.booth_name_edit.setText("Lapak Karya WBP NTT")
    page.footer_edit.setPlainText(_(
        "Thank you for supporting the work of NTT's correctional facilities"))
    page.drawer_check.setChecked(True)
    page.uri_edit.setFocus()
    page.uri_edit.deselect()
    spin(200)
    composed = over_window(window.grab(), dialog.grab())
    dialog.reject()
    state.start(cashier, shift)
    return composed


def show_login(window: MainWindow) -> QPixmap:
    """The login screen with Kasir picked and two digits of the PIN typed."""
    screen = window.login_screen
    wait_until(lambda: "Kasir" in screen.picker.buttons and not window.app_ctx.ops.busy)
    screen.pick("Kasir")
    screen.pad.type_pin("12")
    spin(200)
    return window.grab()


def drawer_count(amount: int) -> dict[int, int]:
    """A plausible drawer holding ``amount``: notes largest first, at most 6 of each."""
    count: dict[int, int] = {}
    for value in (100_000, 50_000, 20_000, 10_000, 5_000, 2_000, 1_000, 500):
        pieces = min(6, amount // value) if value != 500 else amount // value
        if pieces:
            count[value] = pieces
            amount -= pieces * value
    return count


def show_close(window: MainWindow) -> QPixmap:
    """The blind close, after the count: the drawer is Rp2.000 short."""
    till = window.app_ctx
    expected = shifts.expected_cash(till.booth, till.login_state.shift_id)
    window.shift_menu.close()
    dialog = window.shift_menu.dialog
    wait_until(lambda: dialog is not None and dialog.isVisible())
    for value, pieces in drawer_count(expected - 2_000).items():
        dialog.count.set_pieces(value, pieces, "coin" if value < 1_000 else "note")
    dialog.confirm()
    wait_until(lambda: dialog.result is not None and not window.app_ctx.ops.busy)
    spin(200)
    return over_window(window.grab(), dialog.grab())


def stacked(window: MainWindow, *dialogs: QWidget) -> QPixmap:
    """The window with each dialog over the one before it."""
    shot = window.grab()
    for dialog in dialogs:
        shot = over_window(shot, dialog.grab())
    return shot


def stock_shots(window: MainWindow, booth: Booth, out: Path) -> list[Path]:
    """Maria's stock work after the close: a receipt, a count, the on-hand list."""
    from pos_app.ui.stock.stock_count_model import V_COUNTED

    ops = window.app_ctx.ops
    maria = auth.login(booth, "Maria", "2468")
    shift = shifts.open_shift(booth, maria.name, 0)
    checkout(booth, SaleRequest(items=(SaleItem(2, sku="LUK-001"),),  # 1 on hand: now -1
                                tenders=(Tender(Method.TRANSFER, 1_500_000, "BNI 2291"),),
                                cashier=maria.name, shift_id=shift.id))
    window.app_ctx.login_state.start(maria, shift)
    wait_until(lambda: not ops.busy)
    window.open_stock()
    screen = window.stock_dialog
    wait_until(lambda: screen is not None and bool(screen.facilities) and not ops.busy)
    written = []

    screen.receive()
    receive = screen.dialog
    receive.facility_box.select("LP-END")
    receive.note_edit.setText("SJ/LP-END/XI/2026/045")
    for code in ("8994111000016", "8994111000092", "8994111000078", "8994111000610",
                 "8994111000016"):
        receive.find(code)
        wait_until(lambda: not ops.busy)
    receive.model.setData(receive.model.index(1, 4), 24)
    receive.model.setData(receive.model.index(2, 4), 12)
    receive.scan_box.setText("8994111000177")
    receive.scan_box.setFocus()
    spin(200)
    written.append(out / "stock-receive.png")
    stacked(window, screen, receive).save(str(written[-1]))
    receive.scan_box.clear()
    receive.save()
    wait_until(lambda: receive.result is not None and not ops.busy)
    receive.accept()

    screen.count()
    counting = screen.dialog
    counting.facility_box.select("LP-END")
    wait_until(lambda: not ops.busy)
    counting.start()
    wait_until(lambda: counting.report is not None and not ops.busy)
    for _piece in range(5):  # every Perahu scanned: as many as the ledger says
        counting.scan("8994111000610")
    wait_until(lambda: not ops.busy)
    # typed: two Kopi Bajawa short (damaged), one Kopi Lio short, two Kompiang over
    for sku, off in (("KOP-001", -2), ("KOP-009", -1), ("MAK-006", 2)):
        row, line = next((i, line) for i, line in enumerate(counting.report.lines)
                         if line.sku == sku)
        counting.model.setData(counting.model.index(row, V_COUNTED), line.expected + off)
        wait_until(lambda: not ops.busy)
    wait_until(lambda: "KOP-001" in counting.reason_boxes)
    box = counting.reason_boxes["KOP-001"]
    box.setCurrentIndex(box.findData("damaged"))
    counting.table.clearSelection()
    counting.scan_box.setFocus()
    spin(200)
    written.append(out / "stock-count.png")
    stacked(window, screen, counting).save(str(written[-1]))
    counting.reject()

    screen.facility_box.select("LP-KPG")
    wait_until(lambda: not ops.busy)
    screen.on_hand_table.selectRow(3)
    screen.on_hand_table.verticalScrollBar().setValue(1)  # the low row (Patung) in full
    screen.on_hand_table.setFocus()
    wait_until(lambda: not ops.busy)
    spin(200)
    written.append(out / "stock-screen.png")
    stacked(window, screen).save(str(written[-1]))
    screen.reject()
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lang", choices=sorted(i18n.LANGUAGES), default="id")
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent)
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)

    app = QApplication.instance() or QApplication(sys.argv[:1])
    style.apply(app)
    i18n.set_language(args.lang)
    with tempfile.TemporaryDirectory() as tmp:
        booth, _result = init_booth(Path(tmp) / "screens.db", demo=True)
        booth.close()  # reopened on a clock set to a festival evening, 18:40 WITA
        clock = FixedClock(datetime(2026, 11, 21, 10, 40, tzinfo=UTC))
        booth = Booth.open(Path(tmp) / "screens.db", clock=clock)
        ops = Ops()
        window = MainWindow(AppContext.load(booth, ops))
        window.resize(*SIZE)
        window.show()
        screen = window.sale_screen
        wait_until(lambda: screen.grid.loaded and not ops.busy)
        login_shot = args.out / "login.png"
        show_login(window).save(str(login_shot))

        kasir = auth.login(booth, "Kasir", "1234")
        shift = shifts.open_shift(booth, kasir.name, None, {50_000: 2, 10_000: 5, 5_000: 6,
                                                             2_000: 10, 1_000: 10})
        earlier_sales(booth, clock, Path(tmp) / "printed", shift.id)
        window.app_ctx.login_state.start(kasir, shift)
        wait_until(lambda: screen.isVisible() and not ops.busy)

        for code, qty in CART:
            row = catalog.find_by_code(booth, code)
            assert row is not None, code
            screen.add_product(row, qty)
        screen.cart.set_line_discount(1, Discount.percent(10))  # a discount on the selendang
        screen.refresh(1)
        screen.panel.view.scrollToTop()
        screen.focus_scan()
        spin(200)
        shot = args.out / "sale-screen.png"
        window.grab().save(str(shot))

        screen.pay()
        dialog = screen.payment_dialog
        wait_until(lambda: dialog is not None and dialog.isVisible())
        dialog.choose_method(Method.QRIS)
        dialog.form.set_amount(500_000)
        dialog.form.reference_edit.setText("QR-20261121-0042")
        dialog.add_tender()
        dialog.form.quick_buttons[2].click()  # cash for the rest, with change
        dialog.form.amount_edit.deselect()
        spin(200)
        composed = over_window(window.grab(), dialog.grab())
        pay_shot = args.out / "payment-dialog.png"
        composed.save(str(pay_shot))

        dialog.confirm()  # the sale is recorded: the receipt and kwitansi shots show it
        wait_until(lambda: dialog.result is not None and not ops.busy)
        sale = dialog.result
        work = Path(tmp)
        written = [login_shot, shot, pay_shot]
        for width in (58, 80):
            pdf = save_receipt_pdf(booth, sale.id, work / f"receipt-{width}.pdf", width,
                                   translate=_)
            written.append(pdf_to_png(pdf, args.out / f"receipt-{width}.png", 200))
        kwitansi = save_kwitansi_pdf(booth, sale.id, work / "kwitansi.pdf", "Maria Goreti Bria",
                                     "Dinas Koperasi dan UKM Provinsi NTT", translate=_,
                                     language=args.lang)
        written.append(pdf_to_png(kwitansi, args.out / "kwitansi.png", 110))

        history = show_history(window, sale.number)
        written.append(args.out / "sales-history.png")
        history.save(str(written[-1]))
        settings = show_printer_settings(window, booth)
        written.append(args.out / "printer-settings.png")
        settings.save(str(written[-1]))
        closing = show_close(window)
        written.append(args.out / "shift-close.png")
        closing.save(str(written[-1]))
        written.extend(stock_shots(window, booth, args.out))

        window.app_ctx.printer.shutdown()
        ops.wait()
        booth.close()
    window.close()
    print("wrote " + ", ".join(str(path) for path in written))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
