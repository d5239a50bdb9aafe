"""Issue 17: peak memory of a catalog import of 1,000,000 product rows (a CSV, and a smaller
XLSX), against a raw baseline doing the same writes in the same run.

Each contender runs in its own child process (``python bench_import_memory.py --child ...``)
on its own copy of the same demo database, and reports its own peak RSS
(``VmHWM``, see :func:`peak_mb`); the parent also prints ``RUSAGE_CHILDREN`` (the largest
of them, which counts the parent's size at the fork too). The raw baseline streams the same file through ``csv.reader`` (openpyxl
read-only for XLSX) and inserts the same rows with ``executemany``, 500 at a time, in one
transaction: the product (its FTS trigger fires), its opening stock movement (the
``stock_balance`` trigger fires) and an outbox row for each; it checks nothing.

Target: the app's import peaks under 500 MB. A missed target exits 1 (this bench is the
issue's proof, not a timing).

    .venv/bin/python bench/bench_import_memory.py [--rows N] [--xlsx-rows N] [--keep]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import resource
import subprocess
import sys
import time
import uuid
from datetime import UTC, datetime
from itertools import islice
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from common import copy_db, machine_line, raw_connect, remove_tree, scratch_dir  # noqa: E402

TARGET_MB = 500.0
HEADER = ["sku", "name", "category", "facility", "price", "stock"]
BATCH = 500


def rows(n: int):
    for i in range(1, n + 1):
        yield [f"IMP-{i:07d}", f"Barang Uji Nomor {i}", "kopi", "LP-END", 1000 + i % 90_000,
               1 + i % 50]


def write_csv(path: Path, n: int) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(HEADER)
        w.writerows(rows(n))


def write_xlsx(path: Path, n: int) -> None:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Produk")
    ws.append(HEADER)
    for r in rows(n):
        ws.append(r)
    wb.save(path)


def child_app(db: Path, src: Path) -> dict:
    from pos_app.services.catalog.catalog_import import import_catalog
    from pos_app.services.setup.booth import Booth

    booth = Booth.open(db)
    t0 = time.perf_counter()
    summary = import_catalog(booth, src)
    took = time.perf_counter() - t0
    booth.close()
    return {"seconds": took, "products": summary.products_added, "units": summary.stock_units}


def _raw_rows(src: Path):
    if src.suffix == ".csv":
        with src.open(encoding="utf-8", newline="") as fh:
            reader = csv.reader(fh)
            next(reader)
            yield from reader
        return
    from openpyxl import load_workbook

    wb = load_workbook(src, read_only=True)
    try:
        it = wb.worksheets[0].iter_rows(values_only=True)
        next(it)
        yield from it
    finally:
        wb.close()


def child_raw(db: Path, src: Path) -> dict:
    conn = raw_connect(db)
    device = conn.execute("SELECT value FROM setting WHERE key = 'device_id'").fetchone()[0]
    device = uuid.UUID(device).hex
    cat = conn.execute("SELECT id FROM category WHERE code = 'kopi'").fetchone()[0]
    fac = conn.execute("SELECT id FROM facility WHERE code = 'LP-END'").fetchone()[0]
    now = datetime.now(UTC).isoformat()
    doc = uuid.uuid4().hex
    seq = conn.execute("SELECT coalesce(max(seq), 0) FROM outbox").fetchone()[0]
    t0 = time.perf_counter()
    conn.execute("BEGIN IMMEDIATE")
    products = units = 0
    it = _raw_rows(src)
    while batch := list(islice(it, BATCH)):
        prod, moves, outbox = [], [], []
        for sku, name, _c, _f, price, stock in batch:
            pid, mid = uuid.uuid4().hex, uuid.uuid4().hex
            prod.append((sku, None, name, cat, fac, int(price), "none", 1, None, 1, now, pid,
                         device, seq + 1, now))
            moves.append((pid, fac, int(stock), "receive", "import", doc, src.name, mid,
                          device, seq + 2, now))
            outbox += [("product", pid, seq + 1, "pending", 0, now),
                       ("stock_movement", mid, seq + 2, "pending", 0, now)]
            seq += 2
            products += 1
            units += int(stock)
        conn.executemany("INSERT INTO product (sku, barcode, name, category_id, facility_id, "
                         "price, tax_mode, active, image, revision, updated_at, id, device_id, "
                         "seq, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", prod)
        conn.executemany("INSERT INTO stock_movement (product_id, facility_id, qty, kind, "
                         "document_kind, document_id, note, id, device_id, seq, created_at) "
                         "VALUES (?,?,?,?,?,?,?,?,?,?,?)", moves)
        conn.executemany("INSERT INTO outbox (table_name, record_id, seq, state, attempts, "
                         "created_at) VALUES (?,?,?,?,?,?)", outbox)
    conn.execute("COMMIT")
    took = time.perf_counter() - t0
    conn.close()
    return {"seconds": took, "products": products, "units": units}


def peak_kb() -> int:
    """This process's peak RSS in KiB since its exec."""
    try:
        status = Path("/proc/self/status").read_text()
    except OSError:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    line = next(x for x in status.splitlines() if x.startswith("VmHWM:"))
    return int(line.split()[1])


def peak_mb() -> float:
    """This process's peak RSS. ``VmHWM`` where Linux has it: ``ru_maxrss`` of a child
    started by fork + exec keeps the parent's high-water mark from before the exec."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_child(kind: str, db: Path, src: Path) -> dict:
    out = subprocess.run([sys.executable, __file__, "--child", kind, str(db), str(src)],
                         check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--xlsx-rows", type=int, default=100_000)
    ap.add_argument("--keep", action="store_true")
    ap.add_argument("--child", nargs=3, metavar=("KIND", "DB", "FILE"))
    args = ap.parse_args()
    if args.child:
        kind, db, src = args.child
        result = (child_app if kind == "app" else child_raw)(Path(db), Path(src))
        result["peak_mb"] = peak_mb()
        print(json.dumps(result))
        return 0

    work = scratch_dir("import")
    os.environ["LAPAK_SECRETS_DIR"] = str(work / "secrets")  # the demo device's, not ours
    print(machine_line())
    ok = True
    try:
        from common import make_demo_db

        demo = work / "demo.db"
        make_demo_db(demo)
        files = [(work / "katalog.csv", args.rows, write_csv)]
        if args.xlsx_rows:
            files.append((work / "katalog.xlsx", args.xlsx_rows, write_xlsx))
        for src, n, make in files:
            t0 = time.perf_counter()
            make(src, n)
            print(f"\n{src.suffix[1:].upper()}: {n:,} rows, {src.stat().st_size / 2**20:.0f} MB "
                  f"(written in {time.perf_counter() - t0:.0f} s)")
            got = {}
            for kind in ("raw", "app"):
                db = work / f"{kind}{src.suffix}.db"
                copy_db(demo, db)
                got[kind] = run_child(kind, db, src)
                g = got[kind]
                print(f"  {kind:4} peak RSS {g['peak_mb']:7.1f} MB   {g['seconds']:6.1f} s   "
                      f"{g['products']:,} products, {g['units']:,} units")
            same = (got["app"]["products"], got["app"]["units"]) == \
                (got["raw"]["products"], got["raw"]["units"]) == (n, sum(r[5] for r in rows(n)))
            print(f"  same rows written: {'yes' if same else 'NO'}")
            print(f"  app/raw peak RSS: {got['app']['peak_mb'] / got['raw']['peak_mb']:.2f}x   "
                  f"time: {got['app']['seconds'] / got['raw']['seconds']:.2f}x")
            fits = got["app"]["peak_mb"] < TARGET_MB
            print(f"  app peak < {TARGET_MB:.0f} MB: {'PASS' if fits else 'FAIL'}")
            ok = ok and fits and same
        children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        print(f"\nlargest child peak (RUSAGE_CHILDREN): {children:.1f} MB")
    finally:
        if not args.keep:
            remove_tree(work)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
