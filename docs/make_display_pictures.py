"""Render the customer display of the real app, in Indonesian by default:
docs/screenshots/customer-display-sale.png (a sale paid by QRIS: the code with its amount)
and docs/screenshots/customer-display-idle.png (between customers: a facility and its goods,
with their photos).

    LAPAK_SECRETS_DIR=$(mktemp -d) PYTHON_KEYRING_BACKEND=keyring.backends.fail.Keyring \
        QT_QPA_PLATFORM=offscreen .venv/bin/python docs/make_display_pictures.py \
        [--lang id|en] [--out docs/screenshots] [--size 1366x768]

A demo booth in a temporary folder, its static QRIS set (a made-up merchant in Kupang),
two facility texts written by the coordinator, eight products given photos (illustrations
drawn by docs/sample_photos.py, not photographs), the display on as a window. The cashier scans
three goods, opens the payment and chooses QRIS; the display is grabbed at ``--size``.
Nothing is written outside ``--out``.
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

from make_screenshots import spin, wait_until  # noqa: E402 - sibling script
from PySide6.QtWidgets import QApplication  # noqa: E402
from sample_photos import give_sample_photos  # noqa: E402 - sibling script

from pos_app import i18n  # noqa: E402
from pos_app.domain.tenders import Method  # noqa: E402
from pos_app.services.access import auth  # noqa: E402
from pos_app.services.catalog import catalog  # noqa: E402
from pos_app.services.catalog.showcase import set_facility_texts  # noqa: E402
from pos_app.services.sale.qris import set_qris  # noqa: E402
from pos_app.services.setup.booth import Booth  # noqa: E402
from pos_app.services.setup.clock import FixedClock  # noqa: E402
from pos_app.services.setup.settings import set_setting  # noqa: E402
from pos_app.services.setup.setup import init_booth  # noqa: E402
from pos_app.services.shift import shifts  # noqa: E402
from pos_app.ui.common import style  # noqa: E402
from pos_app.ui.common.app_context import AppContext  # noqa: E402
from pos_app.ui.common.ops import Ops  # noqa: E402
from pos_app.ui.display.display_window import IDLE, QRIS  # noqa: E402
from pos_app.ui.main_window import MainWindow  # noqa: E402

GOODS = ("8994111000016", "8994102000148", "8994112000299")  # kopi Bajawa, selendang, ...
TEXTS = {
    "LP-END": "Kopi arabika Flores Bajawa disangrai dan dikemas di bengkel kerja Lapas Ende; "
              "hasil penjualan kembali untuk pelatihan warga binaan.",
    "LP-KPG": "Tenun ikat, anyaman lontar dan kerajinan kayu dari pelatihan keterampilan di "
              "Lapas Kupang.",
}


def static_qris() -> str:
    """A made-up static QRIS of a booth in Kupang (a well-formed one: CRC, tags, 360, ID)."""
    account = qriskit.MerchantAccount.national(nmid="ID1026123456789", criteria="UMI")
    return qriskit.build(merchant_name="KOPERASI KARYA WBP NTT", merchant_city="KUPANG", mcc="5999",
                         accounts=[account], postal_code="85111").dumps()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lang", choices=sorted(i18n.LANGUAGES), default="id")
    parser.add_argument("--out", type=Path,
                        default=Path(__file__).resolve().parent / "screenshots")
    parser.add_argument("--size", default="1366x768", help="the display's size (1366x768)")
    args = parser.parse_args(argv)
    width, height = (int(n) for n in args.size.lower().split("x"))
    args.out.mkdir(parents=True, exist_ok=True)
    if not os.environ.get("LAPAK_SECRETS_DIR"):
        raise SystemExit("make_display_pictures: set LAPAK_SECRETS_DIR to a throw-away folder")

    app = QApplication.instance() or QApplication(sys.argv[:1])
    style.apply(app)
    i18n.set_language(args.lang)
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "booth.db"
        booth, _result = init_booth(db, demo=True, device_code="KPG-01",
                                    event_name="Festival UMKM Kupang 2026")
        booth.close()  # reopened on a festival evening's clock: 18:40 WITA
        booth = Booth.open(db, clock=FixedClock(datetime(2026, 11, 21, 10, 40, tzinfo=UTC)))
        set_qris(booth, payload=static_qris(), actor="Maria", role="coordinator")
        set_setting(booth, "booth_name", "Lapak Karya WBP NTT", actor="Maria",
                    role="coordinator")
        set_facility_texts(booth, TEXTS, actor="Maria", role="coordinator")
        give_sample_photos(booth, Path(tmp) / "photos")
        set_setting(booth, "customer_display", "window", actor="Maria", role="coordinator")

        ops = Ops()
        window = MainWindow(AppContext.load(booth, ops))
        app.removeEventFilter(window.scanner)
        window.resize(1366, 768)
        window.show()
        kasir = auth.login(booth, "Kasir", "1234")
        window.app_ctx.login_state.start(kasir, shifts.open_shift(booth, "Kasir", 0))
        screen = window.sale_screen
        wait_until(lambda: screen.grid.loaded and not ops.busy)
        display = window.display.view
        display.resize(width, height)
        wait_until(lambda: display.showcase.facilities)

        showcase = display.showcase
        showcase.index = next(i for i, f in enumerate(showcase.facilities)
                              if f.code == "LP-END")
        showcase.show_current()
        spin(200)
        assert display.page() == IDLE
        display.grab().save(str(args.out / "customer-display-idle.png"))

        for code in GOODS:
            screen.add_product(catalog.find_by_code(booth, code))
        screen.add_product(catalog.find_by_code(booth, GOODS[0]))  # a second kopi
        screen.pay()
        dialog = screen.payment_dialog
        wait_until(dialog.isVisible)
        dialog.choose_method(Method.QRIS)
        wait_until(lambda: display.page() == QRIS and not ops.busy)
        spin(200)
        display.grab().save(str(args.out / "customer-display-sale.png"))
        dialog.reject()

        window.app_ctx.printer.shutdown()
        ops.wait()
        window.close()
        booth.close()
    print(f"wrote {args.out}/customer-display-sale.png, customer-display-idle.png")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
