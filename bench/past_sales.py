"""Past sales for the big benchmark databases, made like real ones and inserted in bulk.

``add_sales(path, n)`` appends ``n`` sales over a 10-day event with raw SQL into the real
schema: a POS shift a day (open and close events), and per sale the sale + lines + payment +
stock movements + its journal event (hash-chained, with the document digest, by the app's
own ``audit`` functions) + outbox rows (all sent but the last 500 sales'), with correct
sequences, counters, sale numbers and business dates. The result passes ``PRAGMA
foreign_key_check`` and ``audit.verify`` and opens normally in the app. Built with
``executemany`` in 20,000-sale transactions, ``synchronous=OFF`` and no rollback journal (a
half-built file is thrown away by the caller).
"""

from __future__ import annotations

import random
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from common import checkpoint, raw_connect

SEED = 2026

SHIFT_SQL = ("INSERT INTO shift (event_id, cashier_id, cashier_name, kind, opening_float, "
             "business_date, id, device_id, seq, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
SHIFT_EVENT_SQL = ("INSERT INTO shift_event (shift_id, kind, user_id, user_name, amount, reason, "
                   "expected, counted, payload, id, device_id, seq, created_at) "
                   "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
OPENING_FLOAT = 500_000


class Journal:
    """This device's hash chain, continued the app's way (``pos_app.services.access.audit``)."""

    def __init__(self, c, device: str) -> None:
        from pos_app.services.access import audit

        self.audit = audit
        self.device = device
        head = c.execute("SELECT chain_index, hash FROM audit_event WHERE device_id = ? "
                         "ORDER BY chain_index DESC LIMIT 1", (device,)).fetchone()
        self.index, self.prev = head if head else (0, audit.GENESIS)
        from pos_app.services.access import journal_key

        self.secret = journal_key.load(uuid.UUID(device), create=True)

    def event(self, ts: str, actor: str, action: str, kind: str, subject: str, payload: dict,
              seq: int) -> tuple:
        self.index += 1
        body = self.audit.canonical(payload)
        fields = {"chain_index": self.index, "device_id": self.device, "created_at": ts,
                  "actor": actor, "action": action, "subject_kind": kind,
                  "subject_id": subject, "payload": body, "prev_hash": self.prev}
        digest = self.audit.event_hash(fields, self.secret)
        row = (self.index, actor, action, kind, subject, body, self.prev, digest,
               uuid.uuid4().hex, self.device, seq, ts)
        self.prev = digest
        return row


def add_sales(path: Path, n_sales: int, verbose: bool = True) -> None:
    """Append ``n_sales`` consistent past sales (raw SQL, one big transaction per batch)."""
    from pos_app.services.access.audit import document_digest

    rng = random.Random(SEED + 1)
    conn = raw_connect(path, synchronous="OFF")
    c = conn
    c.execute("PRAGMA journal_mode=OFF")  # building a scratch file: a crash throws it away
    c.execute("PRAGMA cache_size=-400000")  # 400 MB: the indexes stay in memory
    device = c.execute("SELECT value FROM setting WHERE key='device_id'").fetchone()[0]
    code, event_id = c.execute("SELECT code, event_id FROM device WHERE id=?",
                               (device,)).fetchone()
    tz = ZoneInfo(c.execute("SELECT timezone FROM event WHERE id=?", (event_id,)).fetchone()[0])
    # a booth made without the demo has no users yet: the sales then name a cashier only
    cashier_id, cashier_name = c.execute("SELECT id, name FROM user LIMIT 1").fetchone() \
        or (None, "Kasir")
    products = c.execute(
        "SELECT p.id, p.sku, p.name, p.price, p.facility_id, f.name, p.tax_mode "
        "FROM product p JOIN facility f ON f.id = p.facility_id WHERE p.active = 1").fetchall()
    # A fair sells its bestsellers over and over: 80% of lines from 5% of the catalog.
    hot = products[: max(1, len(products) // 20)]
    seq = c.execute("SELECT value FROM counter WHERE device_id=? AND name='record'",
                    (device,)).fetchone()[0]
    sale_no = (c.execute("SELECT value FROM counter WHERE device_id=? AND name='sale'",
                         (device,)).fetchone() or [0])[0]
    journal = Journal(c, device)
    start = datetime(2026, 11, 20, 2, 0, tzinfo=UTC)  # 10:00 WITA on day one
    per_day = -(-n_sales // 10)  # ten fair days, open 10:00-22:00 WITA
    step = 12 * 3600 / per_day
    pending_from = n_sales - 500  # the last few hundred not yet synced
    t0 = time.perf_counter()
    batch = 20_000
    from bench_checkout import AUDIT_SQL, LINE_SQL, MOVE_SQL, PAYMENT_SQL, SALE_SQL

    outbox_sql = ("INSERT INTO outbox (table_name, record_id, seq, state, attempts, created_at,"
                  " sent_at) VALUES (?, ?, ?, ?, ?, ?, ?)")
    shift = {"id": None, "day": None, "cash": 0}

    def shift_rows(now: datetime, bdate: str, day: int, sent: bool, out: dict) -> None:
        """Close the open shift (counted = expected) and open the day's, with their events."""
        nonlocal seq
        state, sent_at = _state(now, sent)
        ts = now.isoformat(timespec="microseconds")
        if shift["id"] is not None:
            expected = OPENING_FLOAT + shift["cash"]
            seq += 1
            eid = uuid.uuid4().hex
            out["shift_events"].append((shift["id"], "close", cashier_id, cashier_name,
                                        expected, "", expected, expected,
                                        _canonical_count(), eid, device, seq, ts))
            out["outbox"].append(("shift_event", eid, seq, state, int(sent), ts, sent_at))
            seq += 1
            out["audit"].append(journal.event(ts, cashier_name, "shift.close", "shift",
                                              shift["id"], {"expected": expected,
                                                            "counted": expected,
                                                            "difference": 0}, seq))
            out["outbox"].append(("audit_event", out["audit"][-1][8], seq, state, int(sent),
                                  ts, sent_at))
        if day is None:
            return
        shift.update(id=uuid.uuid4().hex, day=day, cash=0)
        seq += 1
        out["shifts"].append((event_id, cashier_id, cashier_name, "pos", OPENING_FLOAT, bdate,
                              shift["id"], device, seq, ts))
        out["outbox"].append(("shift", shift["id"], seq, state, int(sent), ts, sent_at))
        seq += 1
        eid = uuid.uuid4().hex
        out["shift_events"].append((shift["id"], "open", cashier_id, cashier_name,
                                    OPENING_FLOAT, "", None, None, _canonical_count(), eid,
                                    device, seq, ts))
        out["outbox"].append(("shift_event", eid, seq, state, int(sent), ts, sent_at))
        seq += 1
        out["audit"].append(journal.event(ts, cashier_name, "shift.open", "shift", shift["id"],
                                          {"kind": "pos", "cashier": cashier_name,
                                           "opening_float": OPENING_FLOAT,
                                           "business_date": bdate, "count": {}}, seq))
        out["outbox"].append(("audit_event", out["audit"][-1][8], seq, state, int(sent), ts,
                              sent_at))

    def flush(out: dict) -> None:
        c.execute("BEGIN IMMEDIATE")
        c.executemany(SHIFT_SQL, out["shifts"])
        c.executemany(SHIFT_EVENT_SQL, out["shift_events"])
        c.executemany(SALE_SQL, out["sales"])
        c.executemany(LINE_SQL, out["lines"])
        c.executemany(PAYMENT_SQL, out["pays"])
        c.executemany(MOVE_SQL, out["moves"])
        c.executemany(AUDIT_SQL, out["audit"])
        c.executemany(outbox_sql, out["outbox"])
        c.execute("COMMIT")

    def fresh() -> dict:
        return {k: [] for k in ("shifts", "shift_events", "sales", "lines", "pays", "moves",
                                "audit", "outbox")}

    for b0 in range(0, n_sales, batch):
        out = fresh()
        for i in range(b0, min(n_sales, b0 + batch)):
            day, k = divmod(i, per_day)
            now = start + timedelta(days=day, seconds=k * step + rng.random() * step)
            ts = now.isoformat(timespec="microseconds")
            local = now.astimezone(tz)
            bdate = (local - timedelta(hours=4)).date().isoformat()
            sent = i < pending_from
            state, sent_at = _state(now, sent)
            if shift["day"] != day:
                shift_rows(now - timedelta(seconds=1), bdate, day, sent, out)
            sale_no += 1
            number = f"{code}-{sale_no:06d}"
            sale_id = uuid.uuid4().hex
            picks = []
            for _ in range(rng.choices([1, 2, 3, 4, 5], [30, 30, 20, 12, 8])[0]):
                p = rng.choice(hot if rng.random() < 0.8 else products)
                if p not in picks:
                    picks.append(p)
            priced = []
            for p in picks:
                qty = rng.choices([1, 2, 3], [80, 15, 5])[0]
                gross = p[3] * qty
                if p[6] == "added":
                    tax = (2 * gross * 11 + 100) // 200
                    total = gross + tax
                elif p[6] == "included":
                    tax, total = (2 * gross * 11 + 111) // 222, gross
                else:
                    tax, total = 0, gross
                priced.append((p, qty, gross, tax, total))
            subtotal = sum(x[2] for x in priced)
            tax_sum = sum(x[3] for x in priced)
            total = sum(x[4] for x in priced)
            method = rng.choices(["cash", "qris", "transfer", "card"], [70, 25, 3, 2])[0]
            if method == "cash":
                tendered = -(-total // 50_000) * 50_000 if rng.random() < 0.6 else total
                shift["cash"] += total
            else:
                tendered = total
            change = tendered - total
            seq += 1
            sale = (number, event_id, bdate, cashier_id, cashier_name, shift["id"], "sale",
                    None, "pos", subtotal, 0, tax_sum, total, tendered, change, sale_id,
                    device, seq, ts)
            out["sales"].append(sale)
            out["outbox"].append(("sale", sale_id, seq, state, int(sent), ts, sent_at))
            lines = []
            for n, (p, qty, gross, tax, ltotal) in enumerate(priced, start=1):
                seq += 1
                lid = uuid.uuid4().hex
                lines.append((sale_id, n, p[0], p[4], p[1], p[2], p[5], qty, p[3], gross, 0, 0,
                              None, p[6], tax, gross, ltotal, lid, device, seq, ts))
                out["outbox"].append(("sale_line", lid, seq, state, int(sent), ts, sent_at))
            out["lines"].extend(lines)
            seq += 1
            pid = uuid.uuid4().hex
            ref = f"QR{rng.randrange(10**10):010d}" if method != "cash" else None
            verified = method in ("cash", "card")
            out["pays"].append((sale_id, 1, method, total, tendered, change, ref, int(verified),
                                pid, device, seq, ts))
            out["outbox"].append(("payment", pid, seq, state, int(sent), ts, sent_at))
            moves = []
            for p, qty, *_ in priced:
                seq += 1
                mid = uuid.uuid4().hex
                moves.append((p[0], p[4], -qty, "sale", "sale", sale_id, number, mid, device,
                              seq, ts))
                out["outbox"].append(("stock_movement", mid, seq, state, int(sent), ts,
                                      sent_at))
            out["moves"].extend(moves)
            digest = document_digest(
                dict(zip(SALE_KEYS, sale, strict=True)),
                [dict(zip(LINE_KEYS, x, strict=True)) for x in lines],
                [{"id": pid, "line_no": 1, "method": method, "amount": total,
                  "tendered": tendered, "change": change, "reference": ref,
                  "verified": verified}],
                [{"id": m[7], "product_id": m[0], "facility_id": m[1], "qty": m[2],
                  "kind": "sale"} for m in moves])
            seq += 1
            out["audit"].append(journal.event(ts, cashier_name[:80], "sale", "sale", sale_id,
                                              {"number": number, "total": total,
                                               "digest": digest}, seq))
            out["outbox"].append(("audit_event", out["audit"][-1][8], seq, state, int(sent), ts,
                                  sent_at))
        if b0 + batch >= n_sales:  # the last day's shift is closed at the end of the day
            shift_rows(now + timedelta(seconds=1), bdate, None, False, out)
        flush(out)
        if verbose:
            print(f"  {min(n_sales, b0 + batch)}/{n_sales} sales "
                  f"({time.perf_counter() - t0:.0f} s)", flush=True)
    c.execute("BEGIN IMMEDIATE")
    for name, value in (("record", seq), ("sale", sale_no)):
        c.execute("INSERT INTO counter(device_id, name, value) VALUES (?, ?, ?) "
                  "ON CONFLICT(device_id, name) DO UPDATE SET value = excluded.value",
                  (device, name, value))
    c.execute("COMMIT")
    bad = c.execute("PRAGMA foreign_key_check").fetchall()
    if bad:
        raise RuntimeError(f"foreign key violations: {bad[:5]}")
    c.execute("PRAGMA journal_mode=WAL")
    conn.close()
    checkpoint(path)


# the columns of SALE_SQL and LINE_SQL (bench_checkout), as the journal's digest names them
SALE_KEYS = ("number", "event_id", "business_date", "cashier_id", "cashier_name", "shift_id",
             "kind", "refers_to_id", "source", "subtotal", "discount", "tax", "total",
             "tendered", "change", "id", "device_id", "seq", "created_at")
LINE_KEYS = ("sale_id", "line_no", "product_id", "facility_id", "sku", "name",
             "facility_name", "qty", "unit_price", "gross", "line_discount", "sale_discount",
             "discount_bp", "tax_mode", "tax", "net", "total", "id", "device_id", "seq",
             "created_at")


def _state(now: datetime, sent: bool) -> tuple[str, str | None]:
    if not sent:
        return "pending", None
    return "sent", (now + timedelta(minutes=5)).isoformat(timespec="microseconds")


def _canonical_count() -> str:
    return '{"count":{}}'
