"""Render docs/payment-qris.png: the payment dialog of the real app at 1366x768, in Indonesian,
showing the booth's QRIS made for the amount being paid.

    LAPAK_SECRETS_DIR=$(mktemp -d) PYTHON_KEYRING_BACKEND=keyring.backends.fail.Keyring \
        QT_QPA_PLATFORM=offscreen .venv/bin/python docs/make_qris_picture.py [--lang id|en] [--out docs]

The demo booth in a temporary folder, its static QRIS set by the coordinator (a sticker of
our own: a merchant in Kupang, not a real one); five lines from five facilities in the cart;
the buyer pays Rp200.000 in cash and the rest by QRIS: the code carries that rest, its
wallet reference typed. Nothing is written outside ``--out``.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

import qriskit

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from make_screenshots import CART, over_window, spin, wait_until  # noqa: E402 - sibling script
from PySide6.QtCore import QSize  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from pos_app import i18n  # noqa: E402
from pos_app.domain.tenders import Method  # noqa: E402
from pos_app.services.access import auth  # noqa: E402
from pos_app.services.catalog import catalog  # noqa: E402
from pos_app.services.sale.qris import set_qris  # noqa: E402
from pos_app.services.setup.booth import Booth  # noqa: E402
from pos_app.services.setup.clock import FixedClock  # noqa: E402
from pos_app.services.setup.setup import init_booth  # noqa: E402
from pos_app.services.shift import shifts  # noqa: E402
from pos_app.ui.common import dialog_layout, style  # noqa: E402
from pos_app.ui.common.app_context import AppContext  # noqa: E402
from pos_app.ui.common.ops import Ops  # noqa: E402
from pos_app.ui.main_window import MainWindow  # noqa: E402

SIZE = (1366, 768)
CASH_PART = 200_000


def sticker() -> str:
    """A static QRIS of our own (NMID made up): what a booth's printed sticker holds."""
    account = qriskit.MerchantAccount.national(nmid="ID1026118822307", criteria="UMI")
    return qriskit.build(merchant_name="KOPERASI LAPAK WBP NTT", merchant_city="KUPANG", mcc="5999",
                         accounts=[account], postal_code="85111").dumps()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lang", choices=sorted(i18n.LANGUAGES), default="id")
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent)
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    if not os.environ.get("LAPAK_SECRETS_DIR"):
        raise SystemExit("make_qris_picture: set LAPAK_SECRETS_DIR to a throw-away folder")

    app = QApplication.instance() or QApplication(sys.argv[:1])
    style.apply(app)
    # the offscreen platform's screen is 800x600: dialogs are sized for the laptop's instead
    dialog_layout.screen_room = lambda _widget=None: QSize(*SIZE)
    i18n.set_language(args.lang)
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "booth.db"
        booth, _result = init_booth(db, device_code="KPG-01", demo=True,
                                    event_name="Festival UMKM Kupang 2026")
        booth.close()  # reopened on a festival evening's clock: 18:40 WITA
        booth = Booth.open(db, clock=FixedClock(datetime(2026, 11, 21, 10, 40, tzinfo=UTC)))
        set_qris(booth, payload=sticker(), actor="Maria", role="coordinator")

        ops = Ops()
        window = MainWindow(AppContext.load(booth, ops))
        window.resize(*SIZE)
        window.show()
        screen = window.sale_screen
        wait_until(lambda: screen.grid.loaded and not ops.busy)
        kasir = auth.login(booth, "Kasir", "1234")
        window.app_ctx.login_state.start(kasir, shifts.open_shift(booth, kasir.name, 0))
        wait_until(lambda: screen.isVisible() and not ops.busy)
        for code, qty in CART:
            row = catalog.find_by_code(booth, code)
            assert row is not None, code
            screen.add_product(row, qty)
        screen.refresh(0)

        screen.pay()
        dialog = screen.payment_dialog
        wait_until(lambda: dialog is not None and dialog.isVisible())
        dialog.form.set_amount(CASH_PART)  # cash first, kept; QRIS for the rest
        dialog.add_tender()
        dialog.choose_method(Method.QRIS)
        rest = dialog.remaining()
        wait_until(lambda: not ops.busy and dialog.form.qris_offer is not None
                   and dialog.form.qris_offer.amount == rest)
        dialog.form.reference_edit.setText("QR-20261121-0042")
        dialog.form.reference_edit.setFocus()
        spin(300)
        shot = args.out / "payment-qris.png"
        over_window(window.grab(), dialog.grab()).save(str(shot))
        dialog.reject()
        window.app_ctx.printer.shutdown()
        window.sync_runner.shutdown()
        ops.wait()
        window.close()
        booth.close()
    print(shot)
    return 0


if __name__ == "__main__":
    sys.exit(main())
