"""Render the README screenshots from the real app: docs/sale-screen.png and docs/payment-dialog.png.

    QT_QPA_PLATFORM=offscreen .venv/bin/python docs/make_screenshots.py [--lang id|en] [--out docs]

A fresh demo booth in a temporary directory; the cart is filled and the payment dialog driven
through the same widgets and ops a cashier uses. Nothing is written outside ``--out``.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QEventLoop, QRect, QTimer  # noqa: E402
from PySide6.QtGui import QColor, QPainter, QPixmap  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from pos_app import i18n  # noqa: E402
from pos_app.domain.cart import Discount  # noqa: E402
from pos_app.domain.tenders import Method  # noqa: E402
from pos_app.services import catalog  # noqa: E402
from pos_app.services.setup import init_booth  # noqa: E402
from pos_app.ui import style  # noqa: E402
from pos_app.ui.main_window import MainWindow  # noqa: E402
from pos_app.ui.ops import Ops  # noqa: E402
from pos_app.ui.till import Till  # noqa: E402

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
        ops = Ops()
        window = MainWindow(Till.load(booth, ops))
        window.resize(*SIZE)
        window.show()
        screen = window.sale_screen
        wait_until(lambda: screen.grid.loaded and not ops.busy)

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

        dialog.reject()
        ops.wait()
        booth.close()
    window.close()
    print(f"wrote {shot} and {pay_shot}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
