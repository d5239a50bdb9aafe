"""Starting the desktop app: open (or on first run create) the booth, pick the language, ask
(on a fresh database) whether this is a real booth or a demo and for the first administrator
if there is none, then the login screen (the sale screen comes
after a PIN and an open shift). ``smoke`` starts unattended -- no administrator dialog, the
login screen up and nobody logged in -- waits until the sale screen behind it has its first
product page, prints "smoke ok" and quits (for CI)."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from pos_app import i18n
from pos_app.domain.errors import DomainError
from pos_app.i18n import _
from pos_app.logs import log_to_file
from pos_app.paths import resources_dir
from pos_app.services.access import auth
from pos_app.services.setup.booth import Booth
from pos_app.ui import fonts, qt_words
from pos_app.ui.common import style
from pos_app.ui.common.app_context import AppContext
from pos_app.ui.common.ops import OpFailure, Ops, failure_of
from pos_app.ui.main_window import MainWindow

log = logging.getLogger("pos_app")
SMOKE_TIMEOUT_MS = 60_000


def open_booth(db_path: Path, demo: bool = False) -> Booth:
    """The booth in ``db_path``; the first run creates it empty, with no user (the first-run
    dialog then asks: a real booth or a demo). ``demo`` (smoke mode, unattended) loads the
    NTT demo catalog and its users straight away."""
    booth = Booth.open(db_path)
    if booth.stored("device_id"):
        return booth
    booth.close()
    from pos_app.services.setup.setup import init_booth  # only on the first run

    booth, _result = init_booth(db_path, demo=demo)
    return booth


def choose_language(requested: str | None, stored: str) -> str:
    """``--lang`` wins when given; otherwise the language the cashier last picked."""
    if requested and requested in i18n.LANGUAGES:
        return requested
    return stored if stored in i18n.LANGUAGES else i18n.DEFAULT_LANGUAGE


def _fail(message: str, smoke: bool) -> int:
    if smoke or QApplication.instance() is None:
        print(f"pos-app: {message}", file=sys.stderr)
    else:
        QMessageBox.critical(None, _("Lapak POS"), message)
    return 1


def run_app(db_path: Path, smoke: bool = False, language: str | None = None) -> int:
    """Run the desktop app until its window closes; returns the process exit code."""
    log_to_file()  # already done when started by the command line; idempotent
    app = QApplication.instance() or QApplication([sys.argv[0] if sys.argv else "pos-app"])
    app.setApplicationName("Lapak POS")
    app.setDesktopFileName("lapak-pos")  # resources/launcher/lapak-pos.desktop
    app.setWindowIcon(QIcon(str(resources_dir() / "icons" / "lapak-pos.png")))
    fonts.install()  # the bundled DejaVu Sans: text renders with no font package installed
    style.apply(app)
    ops = Ops()
    try:
        booth = open_booth(Path(db_path), demo=smoke)
        app_ctx = AppContext.load(booth, ops)
        # the first run's administrator only on a database with no user at all: on one with
        # users (a demo's cashier and coordinator) nobody gets in without a credential
        first_run = auth.has_no_users(booth)
    except DomainError as exc:
        return _fail(exc.message(_), smoke)
    except Exception as exc:  # never a traceback in the cashier's face; it goes to the log
        log.error("start-up failed", exc_info=exc)
        return _fail(failure_of(exc).message, smoke)

    i18n.set_language(choose_language(language, app_ctx.settings.language))
    qt_words.install(app)  # Qt's own buttons and file chooser speak the cashier's language
    window = MainWindow(app_ctx)
    window.resize(1280, 800)
    previous_hook = sys.excepthook

    def excepthook(kind, value, tb) -> None:  # a bug in a slot: log it, tell the cashier calmly
        log.error("unhandled error", exc_info=(kind, value, tb))
        sink = ops.error_sink
        if sink is not None:
            sink(OpFailure(failure_of(value).message))

    sys.excepthook = excepthook
    exit_code = 0
    if smoke:
        exit_code = _smoke(app, window, ops)
    else:
        window.showMaximized()
        if first_run:
            window.first_run()
        exit_code = app.exec()
    sys.excepthook = previous_hook
    window.sync_runner.shutdown()  # idempotent: closing the window may have stopped it
    app_ctx.printer.shutdown()
    app_ctx.wal.shutdown()
    ops.wait()
    booth.close()
    return exit_code


def _smoke(app: QApplication, window: MainWindow, ops: Ops) -> int:
    """Check that text can render, show the window (at the login screen), wait until the sale
    screen's grid has its first product page, quit. Nobody logs in and nothing is written."""
    outcome = {"code": 1}
    grid = window.sale_screen.grid
    problem = fonts.text_problem(app.font())
    if problem:
        print(f"pos-app: {problem}", file=sys.stderr)
        return 1

    def loaded(count: int) -> None:
        if outcome["code"] == 0:
            return
        outcome["code"] = 0
        print("smoke ok", flush=True)
        app.quit()

    def failed(failure: OpFailure) -> None:
        print(f"pos-app: {failure.message}", file=sys.stderr)
        app.exit(1)

    def timed_out() -> None:
        print("pos-app: the sale screen did not load in time", file=sys.stderr)
        app.exit(1)

    ops.error_sink = failed
    grid.page_loaded.connect(loaded)
    window.show()
    if grid.loaded:
        loaded(grid.model.rowCount())
        return 0
    QTimer.singleShot(SMOKE_TIMEOUT_MS, timed_out)
    code = app.exec()
    return 0 if outcome["code"] == 0 and code == 0 else 1
