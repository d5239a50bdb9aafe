"""Render docs/backoffice-1366-id.png: a coordinator in the back office, no cash shift open,
the Back office menu open, at 1366x768 in Indonesian (the real main window).

    LAPAK_SECRETS_DIR=$(mktemp -d) PYTHON_KEYRING_BACKEND=keyring.backends.fail.Keyring \
        QT_QPA_PLATFORM=offscreen .venv/bin/python docs/make_backoffice_picture.py [--lang id|en] [--out docs]

A demo booth in a temporary folder; Maria (coordinator) logged in and the "open a shift"
step cancelled. Nothing is written outside ``--out``.
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
from PySide6.QtCore import QPoint, QSize  # noqa: E402
from PySide6.QtGui import QPainter  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from pos_app import i18n  # noqa: E402
from pos_app.services.access import auth  # noqa: E402
from pos_app.services.setup.booth import Booth  # noqa: E402
from pos_app.services.setup.clock import FixedClock  # noqa: E402
from pos_app.services.setup.setup import init_booth  # noqa: E402
from pos_app.ui.common import dialog_layout, style  # noqa: E402
from pos_app.ui.common.app_context import AppContext  # noqa: E402
from pos_app.ui.common.ops import Ops  # noqa: E402
from pos_app.ui.main_window import MainWindow  # noqa: E402

SIZE = (1366, 768)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lang", choices=sorted(i18n.LANGUAGES), default="id")
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent)
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    if not os.environ.get("LAPAK_SECRETS_DIR"):
        raise SystemExit("make_backoffice_picture: set LAPAK_SECRETS_DIR to a throw-away folder")

    app = QApplication.instance() or QApplication(sys.argv[:1])
    style.apply(app)
    dialog_layout.screen_room = lambda _widget=None: QSize(*SIZE)
    i18n.set_language(args.lang)
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "booth.db"
        booth, _result = init_booth(db, device_code="KPG-01", demo=True,
                                    event_name="Festival UMKM Kupang 2026")
        booth.close()  # reopened on a festival morning's clock: 08:40 WITA
        booth = Booth.open(db, clock=FixedClock(datetime(2026, 11, 21, 0, 40, tzinfo=UTC)))
        ops = Ops()
        window = MainWindow(AppContext.load(booth, ops))
        window.resize(*SIZE)
        window.show()
        wait_until(lambda: window.sale_screen.grid.loaded and not ops.busy)
        window.app_ctx.login_state.start(auth.login(booth, "Maria", "2468"), None)
        wait_until(lambda: window.no_shift_panel.isVisible() and not ops.busy)
        spin(300)
        shot = window.grab()
        menu = window.back_office.menu
        menu.popup(window.back_office.button.mapToGlobal(QPoint(0, 0)))
        spin(200)
        button = window.back_office.button
        below = button.mapTo(window, QPoint(0, button.height()))
        picture = menu.grab()  # where Qt puts it: under the button, kept inside the screen
        below.setX(min(below.x(), shot.width() - picture.width() - 4))
        painter = QPainter(shot)
        painter.drawPixmap(below, picture)
        painter.end()
        menu.hide()
        out = args.out / f"backoffice-{SIZE[0]}-{args.lang}.png"
        shot.save(str(out))
        window.app_ctx.printer.shutdown()
        window.sync_runner.shutdown()
        ops.wait()
        window.close()
        booth.close()
    print(out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
