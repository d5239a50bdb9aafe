"""B2/B3: durable checkout of a 5-line sale through ``pos_app.services.sale.checkout.checkout``
against raw ``sqlite3`` doing the same statements, in the same run, on identical copies of
the demo database (WAL + synchronous=FULL + foreign_keys=ON, BEGIN IMMEDIATE ... COMMIT).
Each copy first gets one open POS shift (cashier ``Kasir``, float 0), opened the app's way
and not timed, as a till does once at login; every sale goes into it.

Contenders, interleaved sale by sale (rotating order) so disk noise hits all alike:

* ``service``   - the real service (Core Connection, domain pricing, shift check, stock check,
                  journal), with the shift's ``shift_id`` in every ``SaleRequest``.
* ``raw``       - sqlite3 sending the same 18 statements: BEGIN IMMEDIATE, product SELECT
                  (5 ids, join facility), stock_balance SELECT (the 5 products), cashier SELECT,
                  setting SELECT (a cashier's discount limit), shift state SELECT (the shift
                  exists, with no close event), 2 counter bumps (sale number, record sequence
                  by 12), INSERT
                  sale, 5 sale_line (executemany), payment, 5 stock_movement (executemany;
                  the ``stock_balance_ai`` trigger fires for both), 12 outbox rows
                  (executemany), journal head SELECT, counter bump (record by 1), INSERT
                  audit_event (hash-chained, document digest), its outbox row, COMMIT.
                  Same rows, same columns, same storage types (checked after the run); both
                  statement lists (full SQL text and parameter counts) are logged for the first
                  sale and compared before anything is timed, and ``audit.verify`` walks both
                  journals at the end.

The prototypes in bench/proto_checkout.py are skipped, with a printed note: they predate
shifts, the stock check and the journal, so they no longer write the same rows.

Usage: .venv/bin/python bench/bench_checkout.py [--quick] [--sales N] [--profile]
Targets: service/raw <= 3x (mean and p95), service p95 < 50 ms: reported (PASS/MISS), not
enforced. Exits 1 with "statement lists: FAIL" and nothing timed when the raw contender does
not send exactly the service's statements: the ratio would compare different work.
"""

from __future__ import annotations

import argparse
import cProfile
import hashlib
import hmac
import io
import json
import os
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

# The statements the service emits, written by hand; the run checks them against the
# service's own (``service_statements``) and stops if they differ.
PRODUCT_SQL = (
    "SELECT product.id, product.sku, product.name, product.price, product.facility_id, "
    "facility.name AS name_1, product.tax_mode, product.barcode, product.active "
    "FROM product JOIN facility ON facility.id = product.facility_id "
    "WHERE product.id IN (?, ?, ?, ?, ?)"
)
STOCK_SQL = (
    "SELECT product_id, facility_id, on_hand FROM stock_balance "
    "WHERE product_id IN (?, ?, ?, ?, ?)"
)
USER_SQL = ("SELECT user.id, user.name, user.role FROM user "
            "WHERE user.name = ? AND user.active IS 1")
SETTINGS_SQL = 'SELECT setting."key", setting.value FROM setting'
# no row: no such shift; 1: the shift has a close event
SHIFT_STATE_SQL = (
    "SELECT EXISTS (SELECT 1 FROM shift_event WHERE shift_id = ? AND kind = 'close') "
    "FROM shift WHERE id = ?"
)
AUDIT_HEAD_SQL = (
    "SELECT chain_index, hash FROM audit_event WHERE device_id = ? "
    "ORDER BY chain_index DESC LIMIT 1"
)
BUMP_SQL = (
    "INSERT INTO counter(device_id, name, value) VALUES (?, ?, ?) "
    "ON CONFLICT(device_id, name) DO UPDATE SET value = value + ? RETURNING value"
)
SALE_SQL = (
    "INSERT INTO sale (number, event_id, business_date, cashier_id, cashier_name, shift_id, "
    "kind, refers_to_id, source, subtotal, discount, tax, total, tendered, change, id, "
    "device_id, seq, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
LINE_SQL = (
    "INSERT INTO sale_line (sale_id, line_no, product_id, facility_id, sku, name, "
    "facility_name, qty, unit_price, gross, line_discount, sale_discount, discount_bp, "
    "tax_mode, tax, net, total, id, device_id, seq, created_at) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
PAYMENT_SQL = (
    "INSERT INTO payment (sale_id, line_no, method, amount, tendered, change, reference, "
    "verified, qris_payload, id, device_id, seq, created_at) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
# after a restore that cannot tell the numbers issued since its backup, none is issued
UNKNOWN_SQL = "SELECT value FROM setting WHERE key = 'marks_unknown'"
MOVE_SQL = (
    "INSERT INTO stock_movement (product_id, facility_id, qty, kind, document_kind, "
    "document_id, note, id, device_id, seq, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
OUTBOX_SQL = (
    "INSERT INTO outbox (table_name, record_id, seq, state, attempts, created_at) "
    "VALUES (?, ?, ?, ?, ?, ?)"
)
AUDIT_SQL = (
    "INSERT INTO audit_event (chain_index, actor, action, subject_kind, subject_id, payload, "
    "prev_hash, hash, id, device_id, seq, created_at) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
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
        from pos_app.services.sale import checkout as checkout_mod
        from pos_app.services.setup.booth import Booth

        self.booth = Booth.open(path)
        self.booth.context  # noqa: B018 - loaded once, as the app does
        self.shift_id = open_bench_shift(self.booth)  # the till's login, once per shift
        self._mod = checkout_mod
        self._tender = lambda amount: (Tender(Method.CASH, amount),)

    def request(self, plan):
        items, tender = plan
        sale_items = tuple(self._mod.SaleItem(qty, product_id=uuid.UUID(pid))
                           for pid, qty in items)
        return self._mod.SaleRequest(sale_items, self._tender(tender), cashier=CASHIER,
                                     shift_id=self.shift_id)

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


def open_bench_shift(booth) -> uuid.UUID:
    """Open the POS shift every sale goes into (cashier ``CASHIER``, float 0), the app's way.
    Setup, not timed: a till opens its shift once, at login."""
    from pos_app.services.shift import shifts

    return shifts.open_shift(booth, CASHIER, 0).id


def _round_half_up_div(num: int, den: int) -> int:
    return (2 * num + den) // (2 * den)


# The journal's hashing (pos_app/services/access/audit.py canonical, document_digest, event_hash),
# redone with the stdlib for the raw contender; the run ends with ``audit.verify`` over every
# contender's chain, which recomputes each hash and sale digest the service's way.
GENESIS = "0" * 64


def _canonical(obj) -> str:
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _sha(obj) -> str:
    return hashlib.sha256(_canonical(obj).encode()).hexdigest()


def _mac(secret: bytes, obj) -> str:
    """The event's hash: HMAC-SHA256 under the device's journal secret (journal_key.mac)."""
    return hmac.new(secret, _canonical(obj).encode(), hashlib.sha256).hexdigest()


class RawContender:
    """Plain sqlite3 sending the statements the service sends, writing the same rows."""

    name = "raw"

    def __init__(self, path: Path) -> None:
        from pos_app.services.setup.booth import Booth

        booth = Booth.open(path)  # the shift is opened the app's way, as for the service
        try:
            self.shift = open_bench_shift(booth).hex
        finally:
            booth.close()
        self.conn = raw_connect(path)
        c = self.conn
        device_hex = c.execute("SELECT value FROM setting WHERE key='device_id'").fetchone()[0]
        self.device = device_hex
        from pos_app.services.access import journal_key  # read once, as the service does

        self.secret = journal_key.load(uuid.UUID(device_hex), create=True)
        self.device_code, event_id = c.execute(
            "SELECT code, event_id FROM device WHERE id = ?", (device_hex,)).fetchone()
        self.event_id = event_id
        tz = c.execute("SELECT timezone FROM event WHERE id = ?", (event_id,)).fetchone()[0]
        self.tz = ZoneInfo(tz)
        # Read once, as Booth.context does (setting ``negative_stock``, default warn).
        row = c.execute("SELECT value FROM setting WHERE key='negative_stock'").fetchone()
        self.block_negative = row is not None and row[0] == "block"

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
            pids = [pid for pid, _ in items]
            rows = c.execute(PRODUCT_SQL, pids).fetchall()
            by_id = {r[0]: r for r in rows}
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
            if change < 0:
                raise ValueError("underpaid")

            # Stock check: warn (or refuse, if the setting says block) below zero.
            have = {(p, f): q for p, f, q in c.execute(STOCK_SQL, pids)}
            short = [r[2] for r, qty, *_ in lines if have.get((r[0], r[4]), 0) - qty < 0]
            if short and self.block_negative:
                raise ValueError("insufficient_stock")

            cashier_id, cashier_name, role = c.execute(USER_SQL, (CASHIER,)).fetchone()
            if role == "cashier":  # below coordinator: discounts and overrides are checked
                settings = dict(c.execute(SETTINGS_SQL).fetchall())
                _limit = int(settings.get("discount_approval_percent", "10"))  # none here

            # The shift must exist and have no close event.
            state = c.execute(SHIFT_STATE_SQL, (self.shift, self.shift)).fetchone()
            if state is None:
                raise ValueError("unknown_shift")
            if state[0]:
                raise ValueError("shift_closed")
            business_date = (now.astimezone(self.tz) - timedelta(hours=4)).date().isoformat()

            if c.execute(UNKNOWN_SQL).fetchone() is not None:
                raise ValueError("numbers_unknown")  # (the booth here has no such flag)
            seq_no = self._bump("sale", 1)
            number = f"{self.device_code}-{seq_no:06d}"
            sale_id = uuid.uuid4().hex
            d = self.device
            n_records = 1 + 2 * LINES + 1
            seq = self._bump("record", n_records) - n_records + 1
            outbox = [("sale", sale_id, seq, "pending", 0, ts)]
            c.execute(SALE_SQL, (number, self.event_id, business_date, cashier_id, cashier_name,
                                 self.shift, "sale", None, "pos", subtotal, 0, tax_sum, total,
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
                                    None, pay_id, d, seq, ts))
            outbox.append(("payment", pay_id, seq, "pending", 0, ts))
            moves = []
            for r, qty, *_ in lines:
                mid = uuid.uuid4().hex
                seq += 1
                moves.append((r[0], r[4], -qty, "sale", "sale", sale_id, number, mid, d, seq, ts))
                outbox.append(("stock_movement", mid, seq, "pending", 0, ts))
            c.executemany(MOVE_SQL, moves)
            c.executemany(OUTBOX_SQL, outbox)

            # The journal event: digest of the document, chained to this device's head.
            digest = _sha({
                "sale": {"id": sale_id, "number": number, "kind": "sale", "refers_to_id": None,
                         "shift_id": self.shift, "cashier_name": cashier_name,
                         "business_date": business_date, "subtotal": subtotal, "discount": 0,
                         "tax": tax_sum, "total": total, "tendered": tender_amount,
                         "change": change, "created_at": ts},
                "lines": [{"id": x[17], "line_no": x[1], "product_id": x[2],
                           "facility_id": x[3], "sku": x[4], "name": x[5], "qty": x[7],
                           "unit_price": x[8], "gross": x[9], "line_discount": 0,
                           "sale_discount": 0, "tax": x[14], "net": x[15], "total": x[16]}
                          for x in line_rows],
                "payments": [{"id": pay_id, "line_no": 1, "method": "cash", "amount": total,
                              "tendered": tender_amount, "change": change, "reference": None,
                              "verified": True}],
                "movements": sorted(({"id": m[7], "product_id": m[0], "facility_id": m[1],
                                      "qty": m[2], "kind": "sale"} for m in moves),
                                    key=lambda m: m["id"]),
            })
            head = c.execute(AUDIT_HEAD_SQL, (d,)).fetchone()
            index, prev = (head[0] + 1, head[1]) if head else (1, GENESIS)
            payload = _canonical({"number": number, "total": total, "digest": digest})
            actor = cashier_name[:80]
            event_hash = _mac(self.secret, {"chain_index": index, "device_id": d, "created_at": ts,
                               "actor": actor, "action": "sale", "subject_kind": "sale",
                               "subject_id": sale_id, "payload": payload, "prev_hash": prev})
            aid = uuid.uuid4().hex
            seq = self._bump("record", 1)
            c.execute(AUDIT_SQL, (index, actor, "sale", "sale", sale_id, payload, prev,
                                  event_hash, aid, d, seq, ts))
            c.execute(OUTBOX_SQL, ("audit_event", aid, seq, "pending", 0, ts))
            c.execute("COMMIT")
        except BaseException:
            c.execute("ROLLBACK")
            raise

    def set_synchronous(self, mode: str) -> None:
        self.conn.execute(f"PRAGMA synchronous={mode}")

    def close(self) -> None:
        self.conn.close()


# The prototypes are not run any more: they predate shifts, the stock check and the journal.
PROTO_NOTE = (
    "note: proto-core/proto-dbapi (bench/proto_checkout.py) SKIPPED: the prototypes predate "
    "shifts, the stock check and the journal (their sales have no shift_id, no stock_balance "
    "read, no audit_event), so they no longer write the same rows; the service has since "
    "taken proto-core's changes (prebuilt statements, a Core Connection write path)."
)


# ---- checks and measurement ---------------------------------------------------------------

SHAPE_TABLES = ("sale", "sale_line", "payment", "stock_movement", "outbox", "counter",
                "audit_event", "stock_balance", "shift", "shift_event")


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
    out["journal"] = tuple(conn.execute(
        "SELECT action, actor, count(*), max(chain_index) FROM audit_event "
        "GROUP BY 1, 2 ORDER BY 1, 2").fetchall())
    out["sales_in_pos_shift"] = conn.execute(
        "SELECT count(*) FROM sale JOIN shift ON shift.id = sale.shift_id "
        "WHERE shift.kind = 'pos'").fetchone()
    out["on_hand"] = conn.execute(
        "SELECT count(*), sum(on_hand), sum(abs(on_hand)) FROM stock_balance").fetchone()
    conn.close()
    return out


def _logged(statement: str, parameters, executemany: bool) -> str:
    """A statement as sent: its SQL with whitespace collapsed, then ``[N params]`` or, for an
    executemany, ``xN rows`` (the rows' own parameter counts are checked as ``[N params]``)."""
    sql = " ".join(statement.split())
    if executemany:
        rows = list(parameters)
        widths = sorted({len(r) for r in rows})
        return f"{sql} [{'/'.join(map(str, widths))} params] x{len(rows)}"
    return f"{sql} [{len(parameters or ())} params]"


def _head(logged: str) -> str:
    """A logged statement's first words (``SELECT .. FROM table``, ``INSERT INTO table``),
    with ``xN`` for an executemany: the short form printed for each contender."""
    sql, _, tail = logged.rpartition(" [")
    words = sql.split()
    if words[0].upper() == "SELECT":
        head = "SELECT .. FROM " + words[words.index("FROM") + 1]
    elif words[0].upper() == "INSERT":
        head = " ".join(words[:3]).split("(")[0]
    else:
        head = sql
    rows = tail.partition("] ")[2]  # "x12" for an executemany, else nothing
    return f"{head} {rows}" if rows else head


def service_statements(contender: ServiceContender, plan) -> list[str]:
    """What one service checkout sends to SQLite, in order (see ``_logged``)."""
    from sqlalchemy import event

    seen: list[str] = []
    engine = contender.booth.db.engine

    def _log(conn, cursor, statement, parameters, context, executemany):
        seen.append(_logged(statement, parameters, executemany))

    event.listen(engine, "before_cursor_execute", _log)
    try:
        contender.run(contender.prepare(plan))
    finally:
        event.remove(engine, "before_cursor_execute", _log)
    return [*seen, "COMMIT [0 params]"]  # SQLAlchemy commits through the driver


class _LoggedConnection:
    """Forwards execute/executemany to a sqlite3 connection, noting each call like
    ``service_statements`` does (only for the one logged sale, never in the timed runs)."""

    def __init__(self, conn, seen: list[str]) -> None:
        self._conn, self._seen = conn, seen

    def execute(self, sql, params=()):
        self._seen.append(_logged(sql, params, False))
        return self._conn.execute(sql, params)

    def executemany(self, sql, rows):
        rows = list(rows)
        self._seen.append(_logged(sql, rows, True))
        return self._conn.executemany(sql, rows)


def raw_statements(contender: RawContender, plan) -> list[str]:
    """What one raw checkout sends to SQLite, in order (see ``_logged``)."""
    seen: list[str] = []
    conn = contender.conn
    contender.conn = _LoggedConnection(conn, seen)
    try:
        contender.run(contender.prepare(plan))
    finally:
        contender.conn = conn
    return seen


def verify_journal(db: Path) -> str:
    """``audit.verify`` over the device's chain: every hash and sale digest recomputed."""
    from pos_app.services.access import audit
    from pos_app.services.setup.booth import Booth

    booth = Booth.open(db)
    try:
        with booth.db.read() as s:
            res = audit.verify(s.connection(), booth.context.device_id)
    finally:
        booth.close()
    state = "ok" if res.ok else f"BROKEN at {res.broken.index}: {res.broken.reason}"
    return f"{res.events} events, {res.documents} sale documents, {state}"


def compare_statements(service: list[str], raw: list[str]) -> bool:
    """Print both lists (short form) and, if they differ anywhere, a loud FAIL and a diff."""
    import difflib

    print(f"service sends {len(service)} statements per checkout: "
          + "; ".join(map(_head, service)))
    print(f"raw     sends {len(raw)} statements per checkout: " + "; ".join(map(_head, raw)))
    if service == raw:
        print("statement lists: identical (full SQL text and parameter counts)")
        return True
    print(f"statement lists: FAIL - the raw contender does not send the service's statements "
          f"({len(service)} vs {len(raw)}); nothing timed, the ratio would be meaningless:")
    for line in difflib.unified_diff(service, raw, "service", "raw", lineterm="", n=1):
        print("  " + line)
    return False


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
    ap.add_argument("--no-proto", action="store_true",
                    help="accepted for old command lines: the prototypes are always skipped")
    ap.add_argument("--keep", action="store_true", help="keep the scratch databases")
    args = ap.parse_args(argv)
    n = args.sales or (200 if args.quick else 1000)
    warmup = 10 if args.quick else 25

    work = scratch_dir("checkout")
    # the demo booth's device secret goes to the scratch folder, not the user's own
    os.environ.setdefault("LAPAK_SECRETS_DIR", str(work / "secrets"))
    print(f"bench_checkout: {n} durable 5-line sales per contender (+{warmup} warm-up), "
          f"{machine_line()}")
    print(f"scratch: {work}")
    try:
        template = work / "template.db"
        make_demo_db(template)
        print(PROTO_NOTE)
        names = ["service", "raw"]
        paths = {name: work / f"{name}.db" for name in names}
        for p in paths.values():
            copy_db(template, p)
        plans = plan_sales(template, n + warmup)
        contenders = [ServiceContender(paths["service"]), RawContender(paths["raw"])]

        # The same first sale everywhere, logged: both must send the same statements.
        same = compare_statements(service_statements(contenders[0], plans[0]),
                                  raw_statements(contenders[1], plans[0]))
        if not same:
            for c in contenders:
                c.close()
            return 1
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
        rm, r50, rp = ratio(s.mean, r.mean), ratio(s.p50, r.p50), ratio(s.p95, r.p95)
        print()
        print(f"ratio service/raw: mean {rm:.2f}x, p50 {r50:.2f}x, p95 {rp:.2f}x"
              f"  (target <= {RATIO_TARGET:.0f}x on mean and p95)"
              f"  -> {verdict(rm <= RATIO_TARGET and rp <= RATIO_TARGET)}")
        print(f"service: mean {s.mean:.2f} ms, p50 {s.p50:.2f} ms, p95 {s.p95:.2f} ms"
              f" (target p95 < {P95_TARGET_MS:.0f} ms)  -> {verdict(s.p95 < P95_TARGET_MS)}")
        print(f"raw:     mean {r.mean:.2f} ms, p50 {r.p50:.2f} ms, p95 {r.p95:.2f} ms")
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
        print()
        for name in names:  # every chain, all sales of the run (durable and diagnosis)
            print(f"journal of {name:8}: audit.verify -> {verify_journal(paths[name])}")
    finally:
        if args.keep:
            print(f"kept {work}")
        else:
            remove_tree(work)
    return 0


if __name__ == "__main__":
    sys.exit(main())
