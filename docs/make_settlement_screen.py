"""Render the settlement screen for the README from the real app.

    QT_QPA_PLATFORM=offscreen .venv/bin/python docs/make_settlement_screen.py [--lang id|en] [--out docs]

A fresh demo booth in a temporary directory with the two festival days of
``make_report_pictures.py`` (the same seed), then Maria (coordinator) opens Reports, then
Settlement, for the whole event, at 1366x768. Writes docs/settlement-1366-<lang>.png: the
settlement screen over the dimmed main window. Nothing is written outside ``--out``.
"""

from __future__ import annotations

import argparse
import os
import tempfile
from datetime import UTC, datetime
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from make_report_pictures import festival, spin, wait_until  # noqa: E402 - the sibling script
from make_screenshots import over_window  # noqa: E402
from PySide6.QtCore import QSize  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from pos_app import i18n  # noqa: E402
from pos_app.services.access import auth  # noqa: E402
from pos_app.services.setup.booth import Booth  # noqa: E402
from pos_app.services.setup.clock import FixedClock  # noqa: E402
from pos_app.services.setup.setup import init_booth  # noqa: E402
from pos_app.services.shift import shifts  # noqa: E402
from pos_app.ui.common import dialog_layout, style  # noqa: E402
from pos_app.ui.common.app_context import AppContext  # noqa: E402
from pos_app.ui.common.ops import Ops  # noqa: E402
from pos_app.ui.main_window import MainWindow  # noqa: E402

SIZE = (1366, 768)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lang", choices=sorted(i18n.LANGUAGES), default="id")
    parser.add_argument("--out", type=Path, default=Path(__file__).parent)
    args = parser.parse_args()
    app = QApplication.instance() or QApplication([])
    # the offscreen screen is 800x600: dialogs fit themselves to the laptop's screen instead
    dialog_layout.screen_room = lambda _widget=None: QSize(*SIZE)
    style.apply(app)
    i18n.set_language(args.lang)
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        os.environ.setdefault("LAPAK_SECRETS_DIR", str(work / "secrets"))
        booth, _summary = init_booth(work / "r.db", demo=True)
        booth.close()
        clock = FixedClock(datetime(2026, 11, 20, 2, 0, tzinfo=UTC))
        booth = Booth.open(work / "r.db", clock=clock)
        festival(booth, clock)
        clock.current = datetime(2026, 11, 21, 15, 0, tzinfo=UTC)  # 23:00 WITA: closing
        shift = shifts.current_shift(booth) or shifts.open_shift(booth, "Maria", 0)

        ops = Ops()
        window = MainWindow(AppContext.load(booth, ops))
        window.resize(*SIZE)
        window.show()
        wait_until(lambda: window.sale_screen.grid.loaded and not ops.busy)
        window.app_ctx.login_state.start(auth.login(booth, "Maria", "2468"), shift)
        wait_until(lambda: not ops.busy)
        window.open_reports()
        reports = window.reports_dialog
        wait_until(lambda: reports.report is not None and not ops.busy)
        reports.hide()  # the settlement screen is shown over the till, as a coordinator sees it
        reports.open_settlement()
        screen = reports.settlement_dialog
        screen.resize(1180, 700)
        wait_until(lambda: screen.loaded and not ops.busy)
        spin(400)
        out = args.out / f"settlement-1366-{args.lang}.png"
        over_window(window.grab(), screen.grab()).save(str(out))
        print(out)
        screen.reject()
        reports.reject()
        window.app_ctx.printer.shutdown()
        ops.wait()
        window.close()
        booth.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
