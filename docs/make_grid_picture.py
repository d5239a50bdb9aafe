"""Render docs/sale-screen-photos.png: the sale screen of the real app at 1366x768, in
Indonesian by default, its product grid showing photo tiles.

    LAPAK_SECRETS_DIR=$(mktemp -d) PYTHON_KEYRING_BACKEND=keyring.backends.fail.Keyring \
        QT_QPA_PLATFORM=offscreen .venv/bin/python docs/make_grid_picture.py [--lang id|en] [--out docs]

The demo booth in a temporary folder; eight products given photos by the coordinator
(illustrations drawn by docs/sample_photos.py, not photographs); the ``grid_photos`` setting
as it comes (on). The cashier picks the facility Lapas Kelas IIB Ende in the grid: its six
active products, each with a photo; two of them are in the cart. Nothing is written
outside ``--out``.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from make_screenshots import spin, wait_until  # noqa: E402 - sibling script
from PySide6.QtWidgets import QApplication  # noqa: E402
from sample_photos import give_sample_photos  # noqa: E402 - sibling script

from pos_app import i18n  # noqa: E402
from pos_app.services.access import auth  # noqa: E402
from pos_app.services.catalog import catalog  # noqa: E402
from pos_app.services.setup.booth import Booth  # noqa: E402
from pos_app.services.setup.clock import FixedClock  # noqa: E402
from pos_app.services.setup.setup import init_booth  # noqa: E402
from pos_app.services.shift import shifts  # noqa: E402
from pos_app.ui.common import style  # noqa: E402
from pos_app.ui.common.app_context import AppContext  # noqa: E402
from pos_app.ui.common.ops import Ops  # noqa: E402
from pos_app.ui.main_window import MainWindow  # noqa: E402

SIZE = (1366, 768)
FACILITY = "LP-END"  # Lapas Kelas IIB Ende: the coffees, the sarong, the painting, the boat
CART = [("8994111000016", 2),  # Kopi Arabika Flores Bajawa 250 g
        ("8994111000610", 1)]  # Miniatur Perahu Peledang Lamalera


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lang", choices=sorted(i18n.LANGUAGES), default="id")
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent)
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    if not os.environ.get("LAPAK_SECRETS_DIR"):
        raise SystemExit("make_grid_picture: set LAPAK_SECRETS_DIR to a throw-away folder")

    app = QApplication.instance() or QApplication(sys.argv[:1])
    style.apply(app)
    i18n.set_language(args.lang)
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "booth.db"
        booth, _result = init_booth(db, demo=True, device_code="KPG-01",
                                    event_name="Festival UMKM Kupang 2026")
        booth.close()  # reopened on a festival evening's clock: 18:40 WITA
        booth = Booth.open(db, clock=FixedClock(datetime(2026, 11, 21, 10, 40, tzinfo=UTC)))
        give_sample_photos(booth, Path(tmp) / "photos")

        ops = Ops()
        window = MainWindow(AppContext.load(booth, ops))
        app.removeEventFilter(window.scanner)
        window.resize(*SIZE)
        window.show()
        kasir = auth.login(booth, "Kasir", "1234")
        window.app_ctx.login_state.start(kasir, shifts.open_shift(booth, "Kasir", 0))
        screen = window.sale_screen
        grid = screen.grid
        wait_until(lambda: grid.loaded and not ops.busy and grid.facility_combo.count() > 1)

        facility = next(f for f in catalog.facilities(booth) if f.code == FACILITY)
        grid.loaded = False
        combo = grid.facility_combo
        combo.setCurrentIndex(next(i for i in range(combo.count())
                                   if combo.itemData(i) == facility.id))
        wait_until(lambda: grid.loaded and not ops.busy)
        for code, qty in CART:
            screen.add_product(catalog.find_by_code(booth, code), qty)
        wait_until(lambda: not ops.busy)
        screen.focus_scan()
        spin(300)
        shot = args.out / "sale-screen-photos.png"
        window.grab().save(str(shot))

        window.app_ctx.printer.shutdown()
        ops.wait()
        window.close()
        booth.close()
    print(f"wrote {shot}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
