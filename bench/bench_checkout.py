"""B2/B3: durable checkout of a 5-line sale through ``pos_app.services.checkout.checkout``
against raw ``sqlite3`` doing the same statements, in the same run, on identical copies of
the demo database (WAL + synchronous=FULL + foreign_keys=ON, BEGIN IMMEDIATE ... COMMIT).

Contenders, interleaved sale by sale (rotating order) so disk noise hits all alike:

* ``service``   - the real service (Session, ORM bulk insert, domain pricing).
* ``raw``       - sqlite3 sending the same statements: BEGIN IMMEDIATE, product SELECT (5 ids,
                  join facility), cashier SELECT, 2 counter bumps (sale number, record sequence
                  by 12), INSERT sale, 5 sale_line (executemany), payment, 5 stock_movement
                  (executemany), 12 outbox rows (executemany), COMMIT. Same rows, same columns,
                  same storage types (checked after the run).
* ``proto``     - bench/proto_checkout.py: the same domain code over a Core Connection
                  (a prototype of the suggested service change), unless ``--no-proto``.

Usage: .venv/bin/python bench/bench_checkout.py [--quick] [--sales N] [--profile]
Targets: service/raw <= 3x (mean and p95), service p95 < 50 ms. Always exits 0.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import random
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import (  # noqa: E402
    Stats,
    copy_db,
    machine_line,
    make_demo_db,
    ratio,
    raw_connect,
    remove_tree,
    scratch_dir,
    stats_table,
    verdict,
)

RATIO_TARGET = 3.0
P95_TARGET_MS = 50.0
LINES = 5
CASHIER = "Kasir"

# The statements the service emits (captured with echo=True), written by hand.
PRODUCT_SQL = (
    "SELECT product.id, product.sku, product.name, product.price, product.facility_id, "
    "facility.name AS name_1, product.tax_mode, product.barcode, product.active "
    "FROM product JOIN facility ON facility.id = product.facility_id "
    "WHERE product.id IN (?, ?, ?, ?, ?)"
)
USER_SQL = "SELECT user.id, user.name FROM user WHERE user.name = ? AND user.active IS 1"
BUMP_SQL = (
    "INSERT INTO counter(device_id, name, value) VALUES (?, ?, ?) "
    "ON CONFLICT(device_id, name) DO UPDATE SET value = value + ? RETURNING value"
)
SALE_SQL = (
    "INSERT INTO sale (number, event_id, business_date, cashier_id, cashier_name, kind, "
    "refers_to_id, source, subtotal, discount, tax, total, tendered, change, id, device_id, "
    "seq, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
LINE_SQL = (
    "INSERT INTO sale_line (sale_id, line_no, product_id, facility_id, sku, name, "
    "facility_name, qty, unit_price, gross, line_discount, sale_discount, discount_bp, "
    "tax_mode, tax, net, total, id, device_id, seq, created_at) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
PAYMENT_SQL = (
    "INSERT INTO payment (sale_id, line_no, method, amount, tendered, change, reference, "
    "verified, id, device_id, seq, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
MOVE_SQL = (
    "INSERT INTO stock_movement (product_id, facility_id, qty, kind, document_kind, "
    "document_id, note, id, device_id, seq, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
OUTBOX_SQL = (
    "INSERT INTO outbox (table_name, record_id, seq, state, attempts, created_at) "
    "VALUES (?, ?, ?, ?, ?, ?)"
)


# ---- the sales to ring up ----------------------------------------------------------------

def plan_sales(db: Path, n: int, seed: int = 11) -> list[tuple[list[tuple[str, int]], int]]:
    """``n`` sales of 5 distinct active products, qty 1-3, paid in cash with change."""
    conn = raw_connect(db)
    products = conn.execute(
        "SELECT id, price, tax_mode FROM product WHERE active = 1 ORDER BY sku").fetchall()
    conn.close()
    rng = random.Random(seed)
    plans = []
    for _ in range(n):
        picks = rng.sample(products, LINES)
        items = [(pid, rng.randint(1, 3)) for pid, _price, _tm in picks]
        upper = sum(price * qty for (_pid, price, _tm), (_p, qty) in zip(picks, items,
                                                                          strict=True))
        tender = (upper * 112 // 100 // 50_000 + 1) * 50_000  # next 50k note above total+PPN
        plans.append((items, tender))
    return plans


# ---- contenders ----------------------------------------------------------------------------

class ServiceContender:
    name = "service"

    def __init__(self, path: Path) -> None:
        from pos_app.domain.tenders import Method, Tender
        from pos_app.services import checkout as checkout_mod
        from pos_app.services.booth import Booth

        self.booth = Booth.open(path)
        self.booth.context  # noqa: B018 - loaded once, as the app does
        self._mod = checkout_mod
        self._tender = lambda amount: (Tender(Method.CASH, amount),)

    def request(self, plan):
        items, tender = plan
        sale_items = tuple(self._mod.SaleItem(qty, product_id=uuid.UUID(pid))
                           for pid, qty in items)
        return self._mod.SaleRequest(sale_items, self._tender(tender), cashier=CASHIER)

    def prepare(self, plan):
        return self.request(plan)

    def run(self, prepared) -> None:
        self._mod.checkout(self.booth, prepared)

    def set_synchronous(self, mode: str) -> None:
        from sqlalchemy import event

        @event.listens_for(self.booth.db.engine, "connect")
        def _sync(dbapi_conn, _rec):
            dbapi_conn.execute(f"PRAGMA synchronous={mode}")

        self.booth.db.engine.dispose()

    def close(self) -> None:
        self.booth.close()


def _round_half_up_div(num: int, den: int) -> int:
    return (2 * num + den) // (2 * den)


class RawContender:
    """Plain sqlite3 sending the statements the service sends, writing the same rows."""

    name = "raw"

    def __init__(self, path: Path) -> None:
        self.conn = raw_connect(path)
        c = self.conn
        device_hex = c.execute("SELECT value FROM setting WHERE key='device_id'").fetchone()[0]
        self.device = device_hex
        self.device_code, event_id = c.execute(
            "SELECT code, event_id FROM device WHERE id = ?", (device_hex,)).fetchone()
        self.event_id = event_id
        tz = c.execute("SELECT timezone FROM event WHERE id = ?", (event_id,)).fetchone()[0]
        self.tz = ZoneInfo(tz)

    def prepare(self, plan):
        return plan

    def _bump(self, name: str, by: int) -> int:
        return self.conn.execute(BUMP_SQL, (self.device, name, by, by)).fetchone()[0]

    def run(self, plan) -> None:
        items, tender_amount = plan
        c = self.conn
        now = datetime.now(UTC)
        ts = now.isoformat(timespec="microseconds")
        c.execute("BEGIN IMMEDIATE")
        try:
            rows = c.execute(PRODUCT_SQL, [pid for pid, _ in items]).fetchall()
            by_id = {r[0]: r for r in rows}
            cashier_id, cashier_name = c.execute(USER_SQL, (CASHIER,)).fetchone()
            lines = []
            for pid, qty in items:
                r = by_id[pid]
                if not r[8]:
                    raise ValueError("inactive")
                gross = r[3] * qty
                if r[6] == "added":
                    tax = _round_half_up_div(gross * 11, 100)
                    total = gross + tax
                elif r[6] == "included":
                    tax, total = _round_half_up_div(gross * 11, 111), gross
                else:
                    tax, total = 0, gross
                lines.append((r, qty, gross, tax, total))
            subtotal = sum(x[2] for x in lines)
            tax_sum = sum(x[3] for x in lines)
            total = sum(x[4] for x in lines)
            change = tender_amount - total
            business_date = (now.astimezone(self.tz) - timedelta(hours=4)).date().isoformat()

            seq_no = self._bump("sale", 1)
            number = f"{self.device_code}-{seq_no:06d}"
            sale_id = uuid.uuid4().hex
            d = self.device
            n_records = 1 + 2 * LINES + 1
            seq = self._bump("record", n_records) - n_records + 1
            outbox = [("sale", sale_id, seq, "pending", 0, ts)]
            c.execute(SALE_SQL, (number, self.event_id, business_date, cashier_id, cashier_name,
                                 "sale", None, "pos", subtotal, 0, tax_sum, total,
                                 tender_amount, change, sale_id, d, seq, ts))
            line_rows = []
            for n, (r, qty, gross, tax, ltotal) in enumerate(lines, start=1):
                lid = uuid.uuid4().hex
                seq += 1
                line_rows.append((sale_id, n, r[0], r[4], r[1], r[2], r[5], qty, r[3], gross,
                                  0, 0, None, r[6], tax, gross, ltotal, lid, d, seq, ts))
                outbox.append(("sale_line", lid, seq, "pending", 0, ts))
            c.executemany(LINE_SQL, line_rows)
            pay_id = uuid.uuid4().hex
            seq += 1
            c.execute(PAYMENT_SQL, (sale_id, 1, "cash", total, tender_amount, change, None, 1,
                                    pay_id, d, seq, ts))
            outbox.append(("payment", pay_id, seq, "pending", 0, ts))
            moves = []
            for r, qty, *_ in lines:
                mid = uuid.uuid4().hex
                seq += 1
                moves.append((r[0], r[4], -qty, "sale", "sale", sale_id, number, mid, d, seq, ts))
                outbox.append(("stock_movement", mid, seq, "pending", 0, ts))
            c.executemany(MOVE_SQL, moves)
            c.executemany(OUTBOX_SQL, outbox)
            c.execute("COMMIT")
        except BaseException:
            c.execute("ROLLBACK")
            raise

    def set_synchronous(self, mode: str) -> None:
        self.conn.execute(f"PRAGMA synchronous={mode}")

    def close(self) -> None:
        self.conn.close()


class ProtoContender(ServiceContender):
    def __init__(self, path: Path, mode: str) -> None:
        super().__init__(path)
        import proto_checkout

        self.name = f"proto-{mode}"
        self._proto = proto_checkout.ProtoCheckout(self.booth, mode)

    def run(self, prepared) -> None:
        self._proto.checkout(prepared)


# ---- checks and measurement ---------------------------------------------------------------

SHAPE_TABLES = ("sale", "sale_line", "payment", "stock_movement", "outbox", "counter")


def shape(db: Path) -> dict[str, tuple]:
    """Per table: row count and the distinct per-row column type signatures."""
    conn = raw_connect(db)
    out = {}
    for table in SHAPE_TABLES:
        cols = [r[1] for r in conn.execute(f"PRAGMA table_info({table})")]
        sig = " || ',' || ".join(f'typeof("{c}")' for c in cols)
        sigs = tuple(sorted(r[0] for r in conn.execute(f"SELECT DISTINCT {sig} FROM {table}")))
        count = conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        out[table] = (count, sigs)
    out["money"] = conn.execute(
        "SELECT count(*), sum(subtotal), sum(tax), sum(total), sum(tendered), sum(change) "
        "FROM sale").fetchone()
    out["line_money"] = conn.execute(
        "SELECT sum(qty), sum(gross), sum(tax), sum(net), sum(total) FROM sale_line").fetchone()
    out["counter_values"] = tuple(conn.execute(
        "SELECT name, value FROM counter ORDER BY name").fetchall())
    out["outbox_tables"] = tuple(conn.execute(
        "SELECT table_name, count(*) FROM outbox GROUP BY 1 ORDER BY 1").fetchall())
    conn.close()
    return out


def service_statements(contender: ServiceContender, plan) -> list[str]:
    """What one service checkout sends to SQLite, in order (executemany shown as xN)."""
    from sqlalchemy import event

    seen: list[str] = []
    engine = contender.booth.db.engine

    def _log(conn, cursor, statement, parameters, context, executemany):
        words = statement.split()
        head = " ".join(words[:3]) if words[0].upper() == "INSERT" else " ".join(words[:2])
        if words[0].upper() == "SELECT":
            head = "SELECT .. FROM " + words[words.index("FROM") + 1]
        seen.append(head + (f" x{len(parameters)}" if executemany else ""))

    event.listen(engine, "before_cursor_execute", _log)
    try:
        contender.run(contender.prepare(plan))
    finally:
        event.remove(engine, "before_cursor_execute", _log)
    return seen + ["COMMIT"]


def measure(contenders, plans, warmup: int) -> dict[str, list[float]]:
    samples: dict[str, list[float]] = {c.name: [] for c in contenders}
    k = len(contenders)
    for i, plan in enumerate(plans):
        for j in range(k):
            c = contenders[(i + j) % k]  # rotate who goes first
            prepared = c.prepare(plan)
            t0 = time.perf_counter()
            c.run(prepared)
            dt = time.perf_counter() - t0
            if i >= warmup:
                samples[c.name].append(dt)
    return samples


def profile_service(contender: ServiceContender, plans, top: int = 25) -> str:
    prepared = [contender.prepare(p) for p in plans]
    prof = cProfile.Profile()
    prof.enable()
    for req in prepared:
        contender.run(req)
    prof.disable()
    out = io.StringIO()
    for key in ("cumulative", "tottime"):
        out.write(f"\n--- service checkout x{len(plans)}: top {top} by {key} ---\n")
        st = pstats.Stats(prof, stream=out)
        st.strip_dirs().sort_stats(key).print_stats(top)
    return out.getvalue()


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="200 sales instead of 1000")
    ap.add_argument("--sales", type=int, help="timed sales per contender")
    ap.add_argument("--profile", action="store_true", help="cProfile the service afterwards")
    ap.add_argument("--no-proto", action="store_true", help="skip the prototype contender")
    ap.add_argument("--keep", action="store_true", help="keep the scratch databases")
    args = ap.parse_args(argv)
    n = args.sales or (200 if args.quick else 1000)
    warmup = 10 if args.quick else 25

    work = scratch_dir("checkout")
    print(f"bench_checkout: {n} durable 5-line sales per contender (+{warmup} warm-up), "
          f"{machine_line()}")
    print(f"scratch: {work}")
    try:
        template = work / "template.db"
        make_demo_db(template)
        protos = [] if args.no_proto else ["core", "dbapi"]
        names = ["service", "raw"] + [f"proto-{m}" for m in protos]
        paths = {name: work / f"{name}.db" for name in names}
        for p in paths.values():
            copy_db(template, p)
        plans = plan_sales(template, n + warmup)
        contenders = [ServiceContender(paths["service"]), RawContender(paths["raw"])]
        contenders += [ProtoContender(paths[f"proto-{m}"], m) for m in protos]

        stmts = service_statements(contenders[0], plans[0])
        print(f"service sends {len(stmts)} statements per checkout: " + "; ".join(stmts))
        for c in contenders[1:]:
            c.run(c.prepare(plans[0]))  # the same first sale everywhere
        samples = measure(contenders, plans[1:], warmup - 1)
        stats = {name: Stats(s) for name, s in samples.items()}
        print()
        print(stats_table([(name, stats[name]) for name in names],
                          "per-checkout wall time, WAL + synchronous=FULL (durable)"))

        # Same rows? Compare the shape of what each contender wrote.
        ref = shape(paths["service"])
        print()
        for name in names[1:]:
            other = shape(paths[name])
            diffs = [f"{t}: {ref[t]} != {other[t]}" for t in ref if ref[t] != other[t]]
            print(f"rows written by {name:8} vs service: "
                  + ("identical counts, column types and counters" if not diffs
                     else "DIFFER\n  " + "\n  ".join(diffs)))
        print(f"outbox rows by table (service): {dict(ref['outbox_tables'])}")

        # Diagnosis: the same work without fsync shows the CPU part of each figure.
        diag_n = max(100, n // 2)
        for c in contenders:
            c.set_synchronous("OFF")
        diag_plans = plan_sales(template, diag_n + 10, seed=99)
        diag = {name: Stats(s) for name, s in measure(contenders, diag_plans, 10).items()}
        print()
        print(stats_table([(name, diag[name]) for name in names],
                          "diagnosis only: synchronous=OFF (not durable) = CPU + SQLite, "
                          "no fsync"))
        for c in contenders:
            c.set_synchronous("FULL")

        s, r = stats["service"], stats["raw"]
        rm, rp = ratio(s.mean, r.mean), ratio(s.p95, r.p95)
        print()
        print(f"ratio service/raw: mean {rm:.2f}x, p95 {rp:.2f}x  (target <= {RATIO_TARGET:.0f}x)"
              f"  -> {verdict(rm <= RATIO_TARGET and rp <= RATIO_TARGET)}")
        print(f"service p95 {s.p95:.2f} ms (target < {P95_TARGET_MS:.0f} ms)"
              f"  -> {verdict(s.p95 < P95_TARGET_MS)}")
        for m in protos:
            pr = stats[f"proto-{m}"]
            print(f"ratio proto-{m}/raw: mean {ratio(pr.mean, r.mean):.2f}x, "
                  f"p95 {ratio(pr.p95, r.p95):.2f}x (prototype, information)")
        dr = diag["raw"]
        print("CPU-only means (sync=OFF): " + ", ".join(
            f"{name} {diag[name].mean:.2f} ms ({ratio(diag[name].mean, dr.mean):.1f}x raw)"
            for name in names))
        print(f"durable minus CPU-only (~fsync + WAL growth): service "
              f"{s.mean - diag['service'].mean:.2f} ms, raw {r.mean - dr.mean:.2f} ms")

        if args.profile:
            prof_n = 100 if args.quick else 300
            print(profile_service(contenders[0], plan_sales(template, prof_n, seed=7)))
        for c in contenders:
            c.close()
    finally:
        if args.keep:
            print(f"kept {work}")
        else:
            remove_tree(work)
    return 0


if __name__ == "__main__":
    sys.exit(main())
