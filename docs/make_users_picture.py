"""Render docs/users-1366-id.png: the users screen of the real app at 1366x768, in Indonesian.

    LAPAK_SECRETS_DIR=$(mktemp -d) PYTHON_KEYRING_BACKEND=keyring.backends.fail.Keyring \
        QT_QPA_PLATFORM=offscreen .venv/bin/python docs/make_users_picture.py [--lang id|en] [--out docs]

A real booth (no demo users) in a temporary folder: the NTT catalog imported, the
administrator Yohanes created as the first run does, three more people added through the
users service; one of them typed five wrong PINs (locked) and one has left (deactivated).
Yohanes opens the users screen and starts adding a cashier, the PIN half typed on the pad.
Nothing is written outside ``--out``.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from make_screenshots import over_window, spin, wait_until  # noqa: E402 - sibling script
from PySide6.QtCore import QSize  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from pos_app import i18n  # noqa: E402
from pos_app.domain.errors import DomainError  # noqa: E402
from pos_app.services.access import auth, users  # noqa: E402
from pos_app.services.setup.booth import Booth  # noqa: E402
from pos_app.services.setup.clock import FixedClock  # noqa: E402
from pos_app.services.setup.setup import create_first_admin, init_booth, load_demo  # noqa: E402
from pos_app.services.shift import shifts  # noqa: E402
from pos_app.ui.access.users_entry import open_users  # noqa: E402
from pos_app.ui.access.users_screen import ADD  # noqa: E402
from pos_app.ui.common import dialog_layout, style  # noqa: E402
from pos_app.ui.common.app_context import AppContext  # noqa: E402
from pos_app.ui.common.ops import Ops  # noqa: E402
from pos_app.ui.main_window import MainWindow  # noqa: E402

SIZE = (1366, 768)
PEOPLE = (("Ana Bria", "cashier", "4826"), ("Maria Goreti", "coordinator", "58203"),
          ("Yosef Lado", "cashier", "7391"), ("Dewi Ndun", "cashier", "6047"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lang", choices=sorted(i18n.LANGUAGES), default="id")
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent)
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    if not os.environ.get("LAPAK_SECRETS_DIR"):
        raise SystemExit("make_users_picture: set LAPAK_SECRETS_DIR to a throw-away folder")

    app = QApplication.instance() or QApplication(sys.argv[:1])
    style.apply(app)
    # the offscreen platform's screen is 800x600: dialogs are sized for the laptop's instead
    dialog_layout.screen_room = lambda _widget=None: QSize(*SIZE)
    i18n.set_language(args.lang)
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "booth.db"
        booth, _result = init_booth(db, device_code="KPG-01",
                                    event_name="Festival UMKM Kupang 2026")
        booth.close()  # reopened on a festival evening's clock: 18:40 WITA
        booth = Booth.open(db, clock=FixedClock(datetime(2026, 11, 21, 10, 40, tzinfo=UTC)))
        load_demo(booth)  # the NTT catalog only: no demo user, no DEMO mark
        create_first_admin(booth, "Yohanes", "86420")
        admin = auth.login(booth, "Yohanes", "86420")
        for name, role, pin in PEOPLE:
            users.add_user(booth, name, role, pin, admin)
        for _ in range(5):
            try:
                auth.login(booth, "Yosef Lado", "0000")
            except DomainError:
                pass
        users.set_active(booth, "Dewi Ndun", False, admin)

        ops = Ops()
        window = MainWindow(AppContext.load(booth, ops))
        window.resize(*SIZE)
        window.show()
        wait_until(lambda: window.sale_screen.grid.loaded and not ops.busy)
        window.app_ctx.login_state.start(admin, shifts.open_shift(booth, "Yohanes", 0))
        wait_until(lambda: window.sale_screen.isVisible() and not ops.busy)
        dialog = open_users(window)
        wait_until(lambda: dialog.model.rowCount() == 5 and not ops.busy)
        dialog.select("Ana Bria")
        dialog.start(ADD)
        dialog.name_edit.setText("Kornelis Tefa")
        dialog.pins.pad.type_pin("51")
        spin(300)
        shot = args.out / f"users-{SIZE[0]}-{args.lang}.png"
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
