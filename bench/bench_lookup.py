"""B1 (data half): product lookup on a 20,000-product catalog.

``pos_app.services.catalog.catalog.find_by_code`` (barcode hits, SKU hits, misses) and
``catalog.search`` (1-, 2-, 3-word prefixes of real names, and common short prefixes with
thousands of matches) against raw ``sqlite3`` sending the SQL the service sends (same
columns; a find_by_code that misses the barcode tries the SKU, as the service does),
interleaved query by query on the same database file in the same run. A third side on
an identical copy (its extra index would change the service's query plans),
``proto`` (bench/proto_lookup.py, information only), shows a suggested faster shape: Core
connection + prebuilt statements, and a rowid-keyed FTS index with a two-step top-50 query.

The catalog is built once through the app's own CSV import (bench/make_big_db.py) and
cached; each run works on a scratch copy.

Usage: .venv/bin/python bench/bench_lookup.py [--quick] [--products N] [--queries N]
Target: service p95 < 5 ms for every kind. Always exits 0.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import (  # noqa: E402
    Stats,
    copy_db,
    machine_line,
    ratio,
    raw_connect,
    remove_tree,
    scratch_dir,
    stats_table,
    verdict,
)
from make_big_db import barcode_for, catalog_db  # noqa: E402

P95_TARGET_MS = 5.0
COMMON_PREFIXES = ["ko", "ka", "se", "ta", "ma", "ke", "s", "t"]

COLUMNS = (
    "SELECT product.id, product.sku, product.barcode, product.name, product.price, "
    "product.tax_mode, product.active, product.category_id, product.facility_id, "
    "facility.code, facility.name AS name_1 "
    "FROM product JOIN facility ON facility.id = product.facility_id "
)
SQL_BARCODE = COLUMNS + "WHERE product.barcode = ?"
SQL_SKU = COLUMNS + "WHERE product.sku = ?"
# The same bounded query the service runs (the FTS hits by rowid, at most SEARCH_CANDIDATES,
# then sorted by name), written out for the raw sqlite3 driver.
SQL_SEARCH = (
    "SELECT p.id, p.sku, p.barcode, p.name, p.price, p.tax_mode, p.active, p.category_id, "
    "p.facility_id, f.code, f.name "
    "FROM (SELECT rowid AS r FROM product_fts WHERE product_fts MATCH ? LIMIT ?) AS hit "
    "JOIN product AS p ON p.rowid = hit.r JOIN facility AS f ON f.id = p.facility_id "
    "WHERE p.active = 1 ORDER BY p.name, p.sku LIMIT ?"
)
_WORD = re.compile(r"\w+", re.UNICODE)


class Raw:
    def __init__(self, path: Path) -> None:
        self.conn = raw_connect(path)

    def find_by_code(self, code: str):
        code = code.strip()
        rows = self.conn.execute(SQL_BARCODE, (code,)).fetchall()
        if not rows:
            rows = self.conn.execute(SQL_SKU, (code.upper(),)).fetchall()
        return rows[0] if rows else None

    def search(self, query: str, limit: int = 50):
        match = " ".join(f'"{w}"*' for w in _WORD.findall(query))
        from pos_app.services.catalog.catalog import SEARCH_CANDIDATES

        return self.conn.execute(SQL_SEARCH, (match, SEARCH_CANDIDATES, limit)).fetchall()


def make_queries(db: Path, n: int, seed: int = 5) -> dict[str, list[str]]:
    rng = random.Random(seed)
    conn = raw_connect(db)
    rows = conn.execute("SELECT sku, barcode, name FROM product").fetchall()
    conn.close()
    barcodes = [r[1] for r in rows if r[1]]
    names = [r[2] for r in rows if r[2]]

    def prefix_words(k: int) -> str:
        while True:
            words = _WORD.findall(rng.choice(names))
            if len(words) >= k:
                break
        start = rng.randrange(0, len(words) - k + 1) if k < 3 else 0
        part = words[start:start + k]
        last = part[-1]
        part[-1] = last[: max(2, rng.randint(len(last) // 2, len(last)))]
        return " ".join(w.lower() for w in part)

    return {
        "code: barcode hit": [rng.choice(barcodes) for _ in range(n)],
        "code: SKU hit": [(s.lower() if rng.random() < 0.5 else s)
                          for s in (rng.choice(rows)[0] for _ in range(n))],
        "code: miss": [barcode_for(10**8 + rng.randrange(10**8)) for _ in range(n)],
        "search: 1 word": [prefix_words(1) for _ in range(n)],
        "search: 2 words": [prefix_words(2) for _ in range(n)],
        "search: 3 words": [prefix_words(3) for _ in range(n)],
        "search: common prefix": [COMMON_PREFIXES[i % len(COMMON_PREFIXES)]
                                  for i in range(n)],
    }


def same_names(kind: str, svc, proto) -> bool:
    """Proto orders ties by SKU; the service leaves them in any order: compare names."""
    if kind.startswith("code"):
        return (svc is None) == (proto is None) and (svc is None or svc.id == proto.id)
    return [r.name for r in svc] == [r.name for r in proto]


def same_result(kind: str, svc, raw) -> bool:
    if kind.startswith("code"):
        return (svc is None and raw is None) or (
            svc is not None and raw is not None and svc.id.hex == raw[0])
    return [r.id.hex for r in svc] == [r[0] for r in raw]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="200 queries per kind, not 1000")
    ap.add_argument("--products", type=int, default=20_000)
    ap.add_argument("--queries", type=int, help="queries per kind")
    args = ap.parse_args(argv)
    n = args.queries or (200 if args.quick else 1000)

    print(f"bench_lookup: {args.products} products, {n} queries per kind, {machine_line()}")
    src = catalog_db(args.products)
    work = scratch_dir("lookup")
    try:
        path = work / "catalog.db"
        copy_db(src, path)
        import proto_lookup

        from pos_app.services.catalog import catalog
        from pos_app.services.setup.booth import Booth

        proto_path = work / "proto.db"  # its extra indexes would change the service's plans
        copy_db(src, proto_path)
        proto_lookup.install(proto_path)
        booth = Booth.open(path)
        raw = Raw(path)
        proto_booth = Booth.open(proto_path)
        proto = proto_lookup.ProtoLookup(proto_booth.db.engine)
        queries = make_queries(path, n)
        sides = {
            "service": (lambda kind, q: catalog.find_by_code(booth, q)
                        if kind.startswith("code") else catalog.search(booth, q)),
            "raw": (lambda kind, q: raw.find_by_code(q)
                    if kind.startswith("code") else raw.search(q)),
            "proto": (lambda kind, q: proto.find_by_code(q)
                      if kind.startswith("code") else proto.search(q)),
        }
        # warm the page cache and both statement caches
        for kind, qs in queries.items():
            for q in qs[:20]:
                for fn in sides.values():
                    fn(kind, q)

        results: dict[tuple[str, str], list[float]] = {}
        hits: dict[str, list[int]] = {}
        mismatches = proto_mismatches = 0
        names = list(sides)
        for kind, qs in queries.items():
            for i, q in enumerate(qs):
                order = names[i % 3:] + names[:i % 3]  # rotate who goes first
                got = {}
                for side in order:
                    t0 = time.perf_counter()
                    got[side] = sides[side](kind, q)
                    results.setdefault((kind, side), []).append(time.perf_counter() - t0)
                if not same_result(kind, got["service"], got["raw"]):
                    mismatches += 1
                if not same_names(kind, got["service"], got["proto"]):
                    proto_mismatches += 1
                r = got["raw"]
                hits.setdefault(kind, []).append(
                    (0 if r is None else 1) if kind.startswith("code") else len(r))

        rows = []
        for kind in queries:
            for side in sides:
                rows.append((f"{kind} [{side}]", Stats(results[(kind, side)])))
        print()
        print(stats_table(rows, "per-lookup wall time"))
        print()
        print(f"service and raw returned the same rows: "
              f"{'yes' if not mismatches else f'NO ({mismatches} differ)'}; proto the same "
              f"names in the same order: "
              f"{'yes' if not proto_mismatches else f'NO ({proto_mismatches} differ)'}")
        worst = 0.0
        for kind in queries:
            s, r = Stats(results[(kind, "service")]), Stats(results[(kind, "raw")])
            pr = Stats(results[(kind, "proto")])
            worst = max(worst, s.p95)
            avg = sum(hits[kind]) / len(hits[kind])
            what = "found" if kind.startswith("code") else "rows returned (limit 50)"
            print(f"{kind:22} p95 service {s.p95:7.3f} ms, raw {r.p95:7.3f} ms, "
                  f"proto {pr.p95:7.3f} ms; service/raw p95 {ratio(s.p95, r.p95):5.2f}x, "
                  f"p50 {ratio(s.p50, r.p50):5.2f}x; avg {what} {avg:.1f}"
                  f"  -> {verdict(s.p95 < P95_TARGET_MS)}")
        print(f"worst service p95 {worst:.3f} ms (target < {P95_TARGET_MS:.0f} ms each kind)"
              f"  -> {verdict(worst < P95_TARGET_MS)}")
        booth.close()
        proto_booth.close()
        raw.conn.close()
    finally:
        remove_tree(work)
    return 0


if __name__ == "__main__":
    sys.exit(main())
