"""The till all event long: does a scan, a payment or a start-up grow with the event's history?

Three booths with the same 20,000-product catalog and 0, 100,000 and 1,000,000 past sales
made like real ones (bench/make_big_db.py: a shift a day, lines, payments, stock movements,
journal events, outbox rows all sent but the last 500 sales'), cached, each run on a scratch
copy. Each till runs in its own process, as at a booth (one app, one window per laptop):
the real main window (offscreen), logged in with the shift open, driven the way a cashier
drives it. The parent process hands the tills their sales in rotating order, one sale at a
time, so the three see the same machine over the same minutes and their ratio is fair:

* ``scan -> line``      - a barcode typed into the scan box, the clock starts at Enter and
                          stops when its line is in the cart (the second and third scans);
* ``pay -> ready``      - Enter on "Exact amount" in the payment dialog until the sale screen
                          is ready for the next customer (as bench_pay_to_ready.py);
* ``next scan``         - the first scan of the next sale, typed at once after "ready" on
                          the same till, while the status bar's unsynced count, the parked
                          count and the draft are being refreshed (the tills take turns
                          between sales, never between a payment and its next scan);
* ``start-up``          - ``python -m pos_app --db X --smoke`` in a fresh process, to the first
                          product page (median of the runs).

Raw baselines in the same run: ``raw lookup`` - ``sqlite3`` finding the scanned barcode in
the same file (what a scan cannot go below), and ``bare window`` - a PySide6 window started
the same way as the app (as bench_startup.py).

Usage: .venv/bin/python bench/bench_till.py [--quick] [--sales N] [--sizes 0,100000,1000000]
Targets: p95 < 50 ms at 1M for each figure; 1M/0 ratio <= 1.5x (p95); start-up at 1M
<= 1.2x start-up at 0 (medians). Prints PASS/MISS; always exits 0.
"""

from __future__ import annotations

import argparse
import faulthandler
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_pay_to_ready import ready_for_next, spin_until  # noqa: E402
from bench_startup import BARE, PY, run_once  # noqa: E402
from common import (  # noqa: E402
    Stats,
    machine_line,
    ratio,
    raw_connect,
    remove_tree,
    scratch_dir,
    stats_table,
    verdict,
)
from make_big_db import CASHIER, CASHIER_PIN, catalog_db, sales_db  # noqa: E402
from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from pos_app import i18n  # noqa: E402
from pos_app.services.access import auth  # noqa: E402
from pos_app.services.setup.booth import Booth  # noqa: E402
from pos_app.services.shift import shifts  # noqa: E402
from pos_app.ui.common import style  # noqa: E402
from pos_app.ui.common.app_context import AppContext  # noqa: E402
from pos_app.ui.common.ops import Ops  # noqa: E402
from pos_app.ui.main_window import MainWindow  # noqa: E402

PRODUCTS = 20_000
TARGET_MS = 50.0
RATIO_TARGET = 1.5
STARTUP_RATIO_TARGET = 1.2
WARMUP = 3
FIGURES = ("scan -> line", "pay -> ready", "next scan", "raw lookup")


def barcodes(dbs: list[Path], n: int = 60) -> list[str]:
    """Barcodes of active products with more than 50 on hand in every booth (so no scan
    meets a stock warning), spread over the catalog, the same for every till."""
    found = None
    for db in dbs:
        conn = raw_connect(db)
        try:
            rows = [r[0] for r in conn.execute(
                "SELECT p.barcode FROM product p JOIN stock_balance b ON b.product_id = p.id "
                "WHERE p.active = 1 AND p.barcode IS NOT NULL AND p.barcode != '' "
                "AND b.on_hand > 50 ORDER BY p.rowid")]
        finally:
            conn.close()
        found = rows if found is None else [r for r in found if r in set(rows)]
    step = max(1, len(found) // n)
    return found[::step][:n]


@dataclass
class Till:
    name: str
    sales: int
    db: Path
    booth: Booth
    ops: Ops
    window: MainWindow
    raw: object

    @classmethod
    def start(cls, name: str, sales: int, db: Path) -> Till:
        booth = Booth.open(db)
        ops = Ops()
        app_ctx = AppContext.load(booth, ops)
        window = MainWindow(app_ctx)
        app_ctx.login_state.start(auth.login(booth, CASHIER, CASHIER_PIN),
                                  shifts.open_shift(booth, CASHIER, 0))
        window.resize(1366, 768)
        window.show()
        spin_until(lambda: window.sale_screen.grid.loaded and not ops.busy)
        return cls(name, sales, db, booth, ops, window, raw_connect(db))

    def ready(self) -> bool:
        return ready_for_next(self.window)

    def scan(self, code: str) -> float:
        screen = self.window.sale_screen
        before = len(screen.cart.lines)
        QTest.keyClicks(screen.scan_box, code)
        start = time.perf_counter()
        QTest.keyClick(screen.scan_box, Qt.Key.Key_Return)
        spin_until(lambda: len(screen.cart.lines) == before + 1)
        return time.perf_counter() - start

    def raw_lookup(self, code: str) -> float:
        start = time.perf_counter()
        row = self.raw.execute(
            "SELECT p.id, p.sku, p.name, p.price, f.code FROM product p JOIN facility f "
            "ON f.id = p.facility_id WHERE p.barcode = ?", (code,)).fetchone()
        took = time.perf_counter() - start
        assert row is not None, code
        return took

    def pay(self) -> float:
        screen = self.window.sale_screen
        screen.pay()
        dialog = screen.payment_dialog
        spin_until(lambda: dialog.isVisible())
        dialog.activateWindow()
        spin_until(dialog.isActiveWindow)
        dialog.form.quick_buttons[0].click()  # exact amount, in cash
        dialog.form.amount_edit.setFocus()
        start = time.perf_counter()
        QTest.keyClick(dialog.form.amount_edit, Qt.Key.Key_Return)
        spin_until(self.ready)
        return time.perf_counter() - start

    def one_sale(self, codes: list[str]) -> dict[str, float]:
        """A sale on this till: its first line is the previous sale's "next scan" (typed at
        once after that sale's "ready", on the same till, with no other window in between);
        then a scan, the payment, and at once the first scan of the next sale."""
        self.window.activateWindow()
        spin_until(lambda: self.window.isActiveWindow() and not self.ops.busy)
        took = {}
        if not self.window.sale_screen.cart.lines:  # this till's first sale
            self.scan(codes[0])
        took["scan -> line"] = self.scan(codes[1])
        took["raw lookup"] = self.raw_lookup(codes[1])
        took["pay -> ready"] = self.pay()
        took["next scan"] = self.scan(codes[2])
        return took

    def close(self) -> None:
        self.window.sale_screen.cart.clear()  # the last "next scan": not a sale to park
        self.raw.close()
        self.window.app_ctx.printer.shutdown(15_000)
        self.window.app_ctx.wal.shutdown()
        self.ops.wait()
        self.window.close()
        self.booth.close()


def copy_to_disk(source: Path, target: Path) -> None:
    """Copy and fsync: a booth's database is on disk, not gigabytes of dirty page cache that
    the first commit's fsync would have to flush (at 1M sales the copy is 4.8 GB)."""
    shutil.copyfile(source, target)
    fd = os.open(target, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def database(products: int, sales: int) -> Path:
    return catalog_db(products) if sales == 0 else sales_db(products, sales)


REPLY = "@@till "  # the child's answers on stdout start with this; anything else is logging


def child(sales: int, db: Path) -> int:
    """One till in this process: start it, then run one sale per line read from stdin
    (a JSON list of three barcodes) and answer with that sale's timings; "close" ends it."""
    app = QApplication.instance() or QApplication(sys.argv[:1])
    style.apply(app)
    i18n.set_language("id")
    till = Till.start(f"{sales:,} sales", sales, db)
    print(REPLY + "ready", flush=True)
    for line in sys.stdin:
        if line.strip() == "close":
            break
        faulthandler.dump_traceback_later(20)  # a stuck sale leaves every thread's stack
        took = till.one_sale(json.loads(line))
        spin_until(lambda: not till.ops.busy)  # its refreshes done before the next till's turn
        faulthandler.cancel_dump_traceback_later()
        print(REPLY + json.dumps(took), flush=True)
    till.close()
    print(REPLY + "closed", flush=True)
    return 0


class TillProcess:
    """The parent's handle on a till running in a child process."""

    def __init__(self, sales: int, db: Path) -> None:
        self.name = f"{sales:,} sales"
        self.db = db
        self.samples: dict[str, list[float]] = {f: [] for f in FIGURES}
        self.startup: list[float] = []
        self.log = db.with_suffix(".log")  # the child's stderr (Qt's offscreen chatter)
        with self.log.open("w") as log:
            self.proc = subprocess.Popen(
                [PY, str(Path(__file__).resolve()), "--child", str(sales), str(db)],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=log, text=True, bufsize=1)

    def answer(self) -> str:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            if line.startswith(REPLY):
                return line[len(REPLY):].strip()
        lines = self.log.read_text(errors="replace").splitlines()
        tail = "\n".join(x for x in lines if "propagateSizeHints" not in x)[-6000:]
        raise SystemExit(f"{self.name}: the till stopped (exit {self.proc.wait()}):\n{tail}")

    def ask(self, text: str) -> str:
        assert self.proc.stdin is not None
        self.proc.stdin.write(text + "\n")
        self.proc.stdin.flush()
        return self.answer()

    def one_sale(self, codes: list[str], measure: bool) -> None:
        took = json.loads(self.ask(json.dumps(codes)))
        if measure:
            for figure, seconds in took.items():
                self.samples[figure].append(seconds)

    def close(self) -> None:
        if self.proc.poll() is None:
            if self.ask("close") != "closed":
                raise SystemExit(f"{self.name}: the till did not close")
        self.proc.wait(60)


def measure_startups(tills: list[TillProcess], runs: int) -> list[float]:
    """Cold starts of the app on each till's database, interleaved, and of a bare window."""
    bare: list[float] = []
    for i in range(runs + 1):  # the first round is untimed: byte code and page cache warm
        order = tills if i % 2 == 0 else tills[::-1]
        for till in order:
            took, ok, tail = run_once([PY, "-m", "pos_app", "--db", str(till.db), "--smoke"])
            if not ok:
                raise SystemExit(f"{till.name}: the app did not start: {tail}")
            if i:
                till.startup.append(took)
        took, ok, tail = run_once([PY, "-c", BARE])
        if i and ok:
            bare.append(took)
    return bare


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="10 sales per till, 3 starts")
    parser.add_argument("--sales", type=int, default=None, help="measured sales per till (40)")
    parser.add_argument("--runs", type=int, default=None, help="start-ups per till (5)")
    parser.add_argument("--products", type=int, default=PRODUCTS, help="catalog size")
    parser.add_argument("--sizes", default="0,100000,1000000",
                        help="past sales of each booth, comma-separated")
    parser.add_argument("--child", nargs=2, metavar=("SALES", "DB"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        return child(int(args.child[0]), Path(args.child[1]))
    sales = args.sales or (10 if args.quick else 40)
    runs = args.runs or (3 if args.quick else 5)
    sizes = [int(x) for x in args.sizes.split(",")]
    sources = {n: database(args.products, n) for n in sizes}  # built once and cached (minutes for 1M)

    work = scratch_dir("till")
    tills: list[TillProcess] = []
    try:
        for n in sizes:  # the cached files are checkpointed and closed: a plain copy, on disk
            copy_to_disk(sources[n], work / f"till-{n}.db")
        codes = barcodes([work / f"till-{n}.db" for n in sizes])
        for n in sizes:
            tills.append(TillProcess(n, work / f"till-{n}.db"))
        for till in tills:
            if till.answer() != "ready":
                raise SystemExit(f"{till.name}: the till did not start")
        for k in range(WARMUP + sales):
            order = tills[k % len(tills):] + tills[:k % len(tills)]
            for till in order:
                picked = [codes[(3 * k + j) % len(codes)] for j in range(3)]
                till.one_sale(picked, measure=k >= WARMUP)
        for till in tills:
            till.close()
        bare = measure_startups(tills, runs)
    finally:
        for till in tills:
            if till.proc.poll() is None:
                till.proc.kill()
        remove_tree(work)

    print(machine_line())
    print(f"{args.products} products; {sales} measured sales per till after {WARMUP} warm-up "
          "sales, rotating across the tills, each till in its own process; offscreen Qt; "
          "durable writes (WAL + FULL)")
    for figure in FIGURES:
        print(stats_table([(t.name, Stats(t.samples[figure])) for t in tills], figure))
    first, last = tills[0], tills[-1]
    print(f"start-up (median of {runs}): " + "; ".join(
        f"{t.name} {statistics.median(t.startup):.3f} s" for t in tills)
        + f"; bare window {statistics.median(bare):.3f} s")
    print(f"\nratios {last.name} / {first.name}:")
    for figure in FIGURES[:3]:
        a, b = Stats(last.samples[figure]), Stats(first.samples[figure])
        r = ratio(a.p95, b.p95)
        print(f"  {figure:14} p50 {ratio(a.p50, b.p50):.2f}x  p95 {r:.2f}x   "
              f"{verdict(r <= RATIO_TARGET)} <= {RATIO_TARGET}x;  "
              f"{verdict(a.p95 < TARGET_MS)} p95 {a.p95:.1f} ms < {TARGET_MS:.0f} ms")
    su = ratio(statistics.median(last.startup), statistics.median(first.startup))
    print(f"  start-up       median {su:.2f}x   {verdict(su <= STARTUP_RATIO_TARGET)} "
          f"<= {STARTUP_RATIO_TARGET}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
