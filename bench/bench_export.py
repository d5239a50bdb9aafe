"""(6) The end-of-event pack on a big event: 50,000 sales (~250,000 lines) exported to the
full pack (XLSX + CSV + PDF + manifest), with wall time and peak memory, against a raw
``sqlite3`` -> CSV dump of the same rows (sales, lines, payments) measured in the same run.

The export runs in a child process (``python bench_export.py --child ...``) so its peak RSS is
its own: the child reports ``getrusage(RUSAGE_SELF)`` for itself and
``getrusage(RUSAGE_CHILDREN)`` for the XLSX writer it starts; both are printed, and their sum
is the combined peak (an upper bound: the two peaks need not coincide).

The database (cached, keyed by size, generator version and schema head) is the 20k-product
catalog of ``make_big_db`` plus ten fair days, each one POS shift opened and closed through
the app's services (so the Z reports are real), with sales inserted by bulk raw SQL: 3-7
lines per sale, line discounts, PPN where the product has it, cash / QRIS / transfer / card
and split QRIS + cash payments, voids and refunds with their stock coming back.

    .venv/bin/python bench/bench_export.py [--quick] [--sales N] [--products N] [--keep]
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import resource
import shutil
import sqlite3
import subprocess
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from common import (  # noqa: E402
    cache_dir,
    checkpoint,
    copy_db,
    machine_line,
    raw_connect,
    remove_tree,
    scratch_dir,
    verdict,
)

GEN_VERSION = 1
SEED = 2027
DAYS = 10
TARGET_S = 15.0
TARGET_MB = 300.0

SALE_SQL = ("INSERT INTO sale (number, event_id, business_date, cashier_id, cashier_name, "
            "shift_id, kind, refers_to_id, source, subtotal, discount, tax, total, tendered, "
            "change, id, device_id, seq, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)")
LINE_SQL = ("INSERT INTO sale_line (sale_id, line_no, product_id, facility_id, sku, name, "
            "facility_name, qty, unit_price, gross, line_discount, sale_discount, discount_bp, "
            "tax_mode, tax, net, total, id, device_id, seq, created_at) "
            "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)")
PAY_SQL = ("INSERT INTO payment (sale_id, line_no, method, amount, tendered, change, reference, "
           "verified, id, device_id, seq, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)")
MOVE_SQL = ("INSERT INTO stock_movement (product_id, facility_id, qty, kind, document_kind, "
            "document_id, note, id, device_id, seq, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)")


# ---- the database -----------------------------------------------------------------------------

def _head() -> str:
    from pos_app.persistence.migrate import HEAD

    return HEAD


def export_db(n_products: int, n_sales: int) -> Path:
    """The cached event database, built on first use."""
    from make_big_db import catalog_db

    path = cache_dir() / f"export-p{n_products}-s{n_sales}-g{GEN_VERSION}-s{_head()}.db"
    if path.exists():
        return path
    src = catalog_db(n_products)
    print(f"building {path.name} (once; cached in {path.parent}) ...", flush=True)
    tmp = path.with_suffix(".tmp")
    for p in (tmp, Path(f"{tmp}-wal"), Path(f"{tmp}-shm")):
        p.unlink(missing_ok=True)
    copy_db(src, tmp)
    t0 = time.perf_counter()
    _fill(tmp, n_sales)
    checkpoint(tmp)
    tmp.rename(path)
    print(f"  built in {time.perf_counter() - t0:.0f} s", flush=True)
    return path


def _priced(rng: random.Random, products: list, hot: list) -> list[tuple]:
    """3-7 distinct products, each (product, qty, gross, line_discount, tax, net, total)."""
    picks: dict = {}
    want = rng.randint(3, 7)
    while len(picks) < want:
        p = rng.choice(hot if rng.random() < 0.8 else products)
        picks[p[0]] = p
    out = []
    for p in picks.values():
        qty = rng.choices((1, 2, 3), (80, 15, 5))[0]
        gross = p[3] * qty
        disc = (gross + 5) // 10 if rng.random() < 0.05 else 0  # 10 % off, half up
        net = gross - disc
        if p[6] == "added":
            tax = (net * 11 + 50) // 100
            total = net + tax
        elif p[6] == "included":
            tax, total = (net * 11 + 55) // 111, net
        else:
            tax, total = 0, net
        out.append((p, qty, gross, disc, tax, net, total))
    return out


def _payments(rng: random.Random, total: int) -> list[tuple]:
    """(method, amount, tendered, change, reference, verified) for a sale of ``total``."""
    ref = f"QR{rng.randrange(10**10):010d}"
    kind = rng.choices(("cash", "qris", "transfer", "card", "split"), (60, 25, 5, 3, 7))[0]
    if kind == "cash":
        tendered = -(-total // 50_000) * 50_000 if rng.random() < 0.6 else total
        return [("cash", total, tendered, tendered - total, None, 1)]
    if kind == "split" and total >= 2_000:
        part = max(1_000, (total // 2 // 1_000) * 1_000)
        rest = total - part
        tendered = -(-rest // 10_000) * 10_000
        return [("qris", part, part, 0, ref, 0), ("cash", rest, tendered, tendered - rest, None, 1)]
    method = "qris" if kind == "split" else kind
    return [(method, total, total, 0, ref if method != "card" else "APPR" + ref[2:8],
             1 if method == "card" else 0)]


class _Rows:
    """One day's rows for the bulk inserts, numbered the way the app numbers them."""

    def __init__(self, device: str, code: str, event_id: str, cashier_id: str, seq: int,
                 sale_no: int) -> None:
        self.device, self.code, self.event_id, self.cashier_id = device, code, event_id, cashier_id
        self.seq, self.sale_no = seq, sale_no
        self.sales: list[tuple] = []
        self.lines: list[tuple] = []
        self.pays: list[tuple] = []
        self.moves: list[tuple] = []

    def next_seq(self) -> int:
        self.seq += 1
        return self.seq

    def doc(self, kind: str, items, payments, shift_id: str, ts: str, bdate: str,
            refers: str | None = None) -> str:
        self.sale_no += 1
        sale_id, number = uuid.uuid4().hex, f"{self.code}-{self.sale_no:06d}"
        total = sum(x[6] for x in items)
        tendered = sum(p[2] for p in payments)
        self.sales.append((number, self.event_id, bdate, self.cashier_id, "Kasir", shift_id,
                           kind, refers, "pos", sum(x[2] for x in items),
                           sum(x[3] for x in items), sum(x[4] for x in items), total, tendered,
                           tendered - total, sale_id, self.device, self.next_seq(), ts))
        back = kind != "sale"
        for n, (p, qty, gross, disc, tax, net, ltotal) in enumerate(items, 1):
            self.lines.append((sale_id, n, p[0], p[4], p[1], p[2], p[5], qty, p[3], gross, disc,
                               0, 1000 if disc else None, p[6], tax, net, ltotal,
                               uuid.uuid4().hex, self.device, self.next_seq(), ts))
            self.moves.append((p[0], p[4], qty if back else -qty, "refund" if back else "sale",
                               "sale", sale_id, number, uuid.uuid4().hex, self.device,
                               self.next_seq(), ts))
        for n, (method, amount, tend, change, ref, verified) in enumerate(payments, 1):
            self.pays.append((sale_id, n, method, amount, tend, change, ref, verified,
                              uuid.uuid4().hex, self.device, self.next_seq(), ts))
        return sale_id


def _fill(path: Path, n_sales: int) -> None:
    from pos_app.services.setup.booth import Booth
    from pos_app.services.setup.clock import FixedClock
    from pos_app.services.shift.shifts import close_shift, open_shift

    rng = random.Random(SEED)
    c = raw_connect(path, synchronous="OFF")
    device = c.execute("SELECT value FROM setting WHERE key='device_id'").fetchone()[0]
    code, event_id = c.execute("SELECT code, event_id FROM device WHERE id=?", (device,)).fetchone()
    tz = ZoneInfo(c.execute("SELECT timezone FROM event WHERE id=?", (event_id,)).fetchone()[0])
    now0 = datetime(2026, 11, 20, 1, 0, tzinfo=UTC).isoformat(timespec="microseconds")
    if c.execute("SELECT count(*) FROM user WHERE name='Kasir'").fetchone()[0] == 0:
        c.execute("INSERT INTO user (id, device_id, seq, created_at, name, role, active, revision) "
                  "VALUES (?, ?, 0, ?, 'Kasir', 'cashier', 1, 1)", (uuid.uuid4().hex, device, now0))
    cashier_id = c.execute("SELECT id FROM user WHERE name='Kasir'").fetchone()[0]
    # settlement percentages for every other facility (the rest stay unset)
    for k, (fid,) in enumerate(c.execute("SELECT id FROM facility ORDER BY code").fetchall()):
        if k % 2 == 0:
            c.execute("UPDATE facility SET pnbp_bp=4000, premi_bp=3500, modal_bp=2000, "
                      "program_bp=500 WHERE id=?", (fid,))
    products = c.execute(
        "SELECT p.id, p.sku, p.name, p.price, p.facility_id, f.name, p.tax_mode FROM product p "
        "JOIN facility f ON f.id = p.facility_id WHERE p.active = 1 AND p.price > 0").fetchall()
    hot = products[: max(1, len(products) // 20)]
    clock = FixedClock(datetime(2026, 11, 20, 1, 30, tzinfo=UTC))
    booth = Booth.open(path, clock=clock)
    per_day = -(-n_sales // DAYS)
    sale_no = (c.execute("SELECT value FROM counter WHERE device_id=? AND name='sale'",
                         (device,)).fetchone() or [0])[0]
    done = 0
    for day in range(DAYS):
        n_today = min(per_day, n_sales - done)
        start = datetime(2026, 11, 20, 2, 0, tzinfo=UTC) + timedelta(days=day)  # 10:00 WITA
        clock.current = start - timedelta(minutes=30)
        shift_id = open_shift(booth, "Kasir", 500_000).id.hex
        seq = c.execute("SELECT value FROM counter WHERE device_id=? AND name='record'",
                        (device,)).fetchone()[0]
        rows = _Rows(device, code, event_id, cashier_id, seq, sale_no)
        today: list[tuple] = []
        step = 12 * 3600 / max(n_today, 1)
        for k in range(n_today):
            at = start + timedelta(seconds=k * step + rng.random() * step)
            ts = at.isoformat(timespec="microseconds")
            bdate = (at.astimezone(tz) - timedelta(hours=4)).date().isoformat()
            roll = rng.random()
            if today and roll < 0.01:  # void an earlier sale of today, whole
                sid, items, payments = today.pop(rng.randrange(len(today)))
                rows.doc("void", items, [(m, a, a, 0, r, v) for m, a, _t, _c, r, v in payments],
                         shift_id, ts, bdate, sid)
            elif today and roll < 0.02:  # refund one line of an earlier sale, in cash
                sid, items, _paid = today.pop(rng.randrange(len(today)))
                item = items[0]
                rows.doc("refund", [item], [("cash", item[6], item[6], 0, None, 1)], shift_id,
                         ts, bdate, sid)
            else:
                items = _priced(rng, products, hot)
                payments = _payments(rng, sum(x[6] for x in items))
                today.append((rows.doc("sale", items, payments, shift_id, ts, bdate), items,
                              payments))
                if len(today) > 200:
                    today.pop(0)
        c.execute("BEGIN IMMEDIATE")
        c.executemany(SALE_SQL, rows.sales)
        c.executemany(LINE_SQL, rows.lines)
        c.executemany(PAY_SQL, rows.pays)
        c.executemany(MOVE_SQL, rows.moves)
        sale_no = rows.sale_no
        for name, value in (("record", rows.seq), ("sale", sale_no)):
            c.execute("INSERT INTO counter(device_id, name, value) VALUES (?, ?, ?) ON CONFLICT"
                      "(device_id, name) DO UPDATE SET value = excluded.value", (device, name, value))
        c.execute("COMMIT")
        done += n_today
        clock.current = start + timedelta(hours=12, minutes=30)
        close_shift(booth, shift_id, {100_000: 40 + day}, "Kasir")
        print(f"  day {day + 1}: {done}/{n_sales} sales", flush=True)
    booth.close()
    bad = c.execute("PRAGMA foreign_key_check").fetchall()
    c.close()
    if bad:
        raise RuntimeError(f"foreign key violations: {bad[:5]}")


# ---- the measurements -------------------------------------------------------------------------

def raw_dump(db: Path, folder: Path) -> tuple[float, dict[str, int]]:
    """The baseline: plain ``sqlite3`` -> ``csv`` of every column of the three big tables."""
    folder.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    con = sqlite3.connect(str(db))
    counts = {}
    try:
        for table in ("sale", "sale_line", "payment"):
            cur = con.execute(f"SELECT * FROM {table}")  # noqa: S608 - fixed names
            with (folder / f"{table}.csv").open("w", newline="", encoding="utf-8") as fh:
                writer = csv.writer(fh)
                writer.writerow([d[0] for d in cur.description])
                n = 0
                while rows := cur.fetchmany(5_000):
                    writer.writerows(rows)
                    n += len(rows)
            counts[table] = n
    finally:
        con.close()
    return time.perf_counter() - t0, counts


def child(db: str, out: str, serial: bool) -> int:
    """In the measured child: one full pack, then figures as JSON on stdout."""
    from pos_app.services.reporting.export_pack import export_pack
    from pos_app.services.setup.booth import Booth

    booth = Booth.open(db)
    t0, c0 = time.perf_counter(), time.process_time()
    res = export_pack(booth, out, parallel=False if serial else None)
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    booth.close()
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    print(json.dumps({"wall": wall, "cpu": cpu, "rss_mb": me.ru_maxrss / 1024,
                      "writer_rss_mb": kids.ru_maxrss / 1024,
                      "writer_cpu": kids.ru_utime + kids.ru_stime,
                      "counts": res.counts, "totals": res.totals, "documents": res.documents}))
    return 0


def _database_sums(db: Path) -> dict[str, int]:
    con = sqlite3.connect(str(db))
    try:
        one = con.execute
        sales, back = (one("SELECT coalesce(sum(total), 0) FROM sale WHERE kind " + cond)
                       .fetchone()[0] for cond in ("= 'sale'", "<> 'sale'"))
        return {"sales": sales, "refunds": back, "net": sales - back,
                "documents": one("SELECT count(*) FROM sale").fetchone()[0],
                "lines": one("SELECT count(*) FROM sale_line").fetchone()[0],
                "payments": one("SELECT count(*) FROM payment").fetchone()[0]}
    finally:
        con.close()


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sales", type=int, default=50_000)
    ap.add_argument("--products", type=int, default=20_000)
    ap.add_argument("--quick", action="store_true", help="5,000 sales")
    ap.add_argument("--keep", action="store_true", help="keep the pack (prints where)")
    ap.add_argument("--serial", action="store_true",
                    help="write the workbook in the export's own process (no second process)")
    ap.add_argument("--child", nargs=2, metavar=("DB", "OUT"), help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        return child(*args.child, serial=args.serial)
    n_sales = 5_000 if args.quick else args.sales
    print(f"bench_export: {n_sales} sales over {DAYS} days, {args.products} products, workbook "
          f"{'in the same process' if args.serial else 'in a second process'}")
    print(machine_line())
    source = export_db(args.products, n_sales)
    work = scratch_dir("export")
    try:
        db = work / "event.db"
        copy_db(source, db)
        checkpoint(db)
        sums = _database_sums(db)
        print(f"database: {sums['documents']} documents, {sums['lines']} lines, "
              f"{sums['payments']} payments, {db.stat().st_size / 2**20:.0f} MB")
        raw_before, raw_counts = raw_dump(db, work / "raw1")
        t0 = time.perf_counter()
        proc = subprocess.run([sys.executable, __file__, "--child", str(db), str(work / "pack"),
                               *(["--serial"] if args.serial else [])],
                              capture_output=True, text=True)
        end_to_end = time.perf_counter() - t0
        if proc.returncode != 0:
            print(proc.stderr)
            return 0
        got = json.loads(proc.stdout)
        raw_after, _ = raw_dump(db, work / "raw2")
        raw = (raw_before + raw_after) / 2
        tree = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        combined = got["rss_mb"] + got["writer_rss_mb"]
        t = got["totals"]
        same = (got["documents"], got["counts"]["lines"], got["counts"]["payments"], t["sales"],
                t["refunds"], t["net"]) == (sums["documents"], sums["lines"], sums["payments"],
                                            sums["sales"], sums["refunds"], sums["net"])
        pack = work / "pack"
        size = sum(p.stat().st_size for p in pack.rglob("*") if p.is_file()) / 2**20
        print(f"raw rows dumped: {raw_counts}")
        print(f"pack: {size:.0f} MB; every count and rupiah total equal to the database: "
              f"{'yes' if same else 'NO'}")
        print()
        print(f"{'':34} {'wall s':>8} {'cpu s':>8} {'peak RSS MB':>12}")
        print(f"{'export_pack (in the child)':34} {got['wall']:8.2f} {got['cpu']:8.2f} "
              f"{got['rss_mb']:12.0f}")
        print(f"{'  XLSX writer process':34} {'':8} {got['writer_cpu']:8.2f} "
              f"{got['writer_rss_mb']:12.0f}")
        print(f"{'  both processes (sum of peaks)':34} {'':8} {'':8} {combined:12.0f}")
        print(f"{'child process, start to exit':34} {end_to_end:8.2f} {'':8} {tree:12.0f}")
        print(f"{'raw sqlite3 -> csv (mean of 2)':34} {raw:8.2f}   (runs: {raw_before:.2f}, "
              f"{raw_after:.2f})")
        print()
        print(f"ratio export/raw: {got['wall'] / raw:.1f}x (start to exit: "
              f"{end_to_end / raw:.1f}x)")
        print(f"time  < {TARGET_S:.0f} s: {end_to_end:.1f} s start to exit "
              f"{verdict(end_to_end < TARGET_S)}")
        print(f"peak  < {TARGET_MB:.0f} MB: {combined:.0f} MB (both processes) "
              f"{verdict(combined < TARGET_MB)}")
        if args.keep:
            keep = Path(f"{source}.pack")
            remove_tree(keep)
            shutil.move(str(pack), keep)
            print(f"pack kept in {keep}")
    finally:
        remove_tree(work)
    return 0


if __name__ == "__main__":
    sys.exit(main())
