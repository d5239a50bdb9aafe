"""Big booth databases for the lookup and startup benchmarks, built once and cached.

* ``catalog_db(n)``: a fresh booth (``init_booth``) plus ``n`` products with realistic NTT
  names, loaded through the app's own CSV import (``import_catalog``: validation, FTS
  triggers, outbox rows, opening stock), with ~20 facilities and 12 categories.
* ``sales_db(n, m)``: that catalog plus ``m`` past sales over a 10-day event, inserted with
  raw SQL in bulk into the real schema: a POS shift a day (open and close events), and per
  sale the sale + lines + payment + stock movements + its journal event (hash-chained, with
  the document digest, by the app's own ``audit`` functions) + outbox rows (all sent but
  the last 500 sales'), with correct sequences, counters, sale numbers and business dates.
  It passes ``PRAGMA foreign_key_check`` and opens normally in the app. Built with
  ``executemany`` in 20,000-sale transactions, ``synchronous=OFF`` and no rollback journal
  (a half-built file is thrown away), so a million sales take minutes, not hours.

Cached under ``common.cache_dir()`` keyed by sizes, generator version and schema head.
``python bench/make_big_db.py [--products N] [--sales M]`` builds (or finds) them.
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import cache_dir, checkpoint, copy_db, raw_connect, remove_tree, scratch_dir  # noqa: E402

GEN_VERSION = 2  # 2: shifts, journal events, a cashier with a PIN
SEED = 2026

FACILITIES = [
    ("LP-KPG", "Lapas Kelas IIA Kupang", "Lapas", "Kota Kupang"),
    ("LPP-KPG", "Lapas Perempuan Kelas III Kupang", "Lapas", "Kota Kupang"),
    ("LPKA-KPG", "LPKA Kelas I Kupang", "LPKA", "Kota Kupang"),
    ("BP-KPG", "Bapas Kelas II Kupang", "Bapas", "Kota Kupang"),
    ("RT-KPG", "Rutan Kelas IIB Kupang", "Rutan", "Kabupaten Kupang"),
    ("RT-SOE", "Rutan Kelas IIB Soe", "Rutan", "Timor Tengah Selatan"),
    ("LP-ATB", "Lapas Kelas IIB Atambua", "Lapas", "Belu"),
    ("RT-KFM", "Rutan Kelas IIB Kefamenanu", "Rutan", "Timor Tengah Utara"),
    ("LP-WGP", "Lapas Kelas IIA Waingapu", "Lapas", "Sumba Timur"),
    ("RT-WKB", "Rutan Kelas IIB Waikabubak", "Rutan", "Sumba Barat"),
    ("LP-MME", "Lapas Kelas IIB Maumere", "Lapas", "Sikka"),
    ("RT-RTG", "Rutan Kelas IIB Ruteng", "Rutan", "Manggarai"),
    ("LP-END", "Lapas Kelas IIB Ende", "Lapas", "Ende"),
    ("RT-BJW", "Rutan Kelas IIB Bajawa", "Rutan", "Ngada"),
    ("LP-LRT", "Lapas Kelas III Larantuka", "Lapas", "Flores Timur"),
    ("RT-LBJ", "Rutan Kelas IIB Labuan Bajo", "Rutan", "Manggarai Barat"),
    ("RT-KLB", "Rutan Kelas IIB Kalabahi", "Rutan", "Alor"),
    ("LP-LBT", "Lapas Kelas III Lembata", "Lapas", "Lembata"),
    ("RT-BAA", "Rutan Kelas IIB Ba'a", "Rutan", "Rote Ndao"),
    ("RT-SBU", "Rutan Kelas IIB Seba", "Rutan", "Sabu Raijua"),
]

PLACES = ["Flores", "Sumba", "Timor", "Kupang", "Sikka", "Ende", "Bajawa", "Manggarai",
          "Ruteng", "Alor", "Rote", "Sabu", "Lembata", "Belu", "Insana", "Amarasi", "Mollo",
          "Lio", "Larantuka", "Soe", "Atambua", "Waingapu", "Maumere", "Labuan Bajo"]

# category code, name, sku prefix, price range (rupiah), name templates
CATEGORIES = [
    ("kopi", "Kopi", "KOP", (25_000, 250_000), [
        ("Kopi", ["Arabika", "Robusta", "Kolo", "Luwak", "Jahe", "Bubuk", "Biji Sangrai",
                  "Lanang", "Wine"], "@place", ["100 g", "200 g", "250 g", "500 g", "1 kg"])]),
    ("tenun", "Tenun Ikat", "TEN", (150_000, 3_500_000), [
        (["Sarung", "Selendang", "Kain", "Selimut", "Syal", "Tais Feto", "Tais Mane",
          "Kain Hinggi", "Kain Songke", "Dompet", "Taplak"],
         ["Tenun Ikat", "Tenun", "Tenun Buna", "Tenun Sotis"], "@place",
         ["Motif Kuda", "Motif Manusia", "Motif Buaya", "Motif Kakatua", "Motif Rusa",
          "Motif Bunga", "Motif Ayam", "Motif Cicak", "Motif Lintang", "Warna Alam",
          "Merah Mengkudu", "Biru Nila", "Hitam"])]),
    ("anyaman", "Anyaman", "ANY", (15_000, 450_000), [
        (["Tas", "Topi", "Tikar", "Bakul", "Kotak Tisu", "Keranjang", "Dompet", "Sokal",
          "Haik", "Nyiru", "Oko Mama", "Topi Ti'i Langga"],
         ["Anyaman Lontar", "Anyaman Pandan", "Anyaman Bambu", "Anyaman Rotan",
          "Anyaman Gewang", "Daun Lontar"], "@place", ["Kecil", "Sedang", "Besar", ""])]),
    ("makanan", "Makanan Ringan", "MAK", (8_000, 120_000), [
        ("Keripik", ["Pisang", "Pisang Kepok", "Singkong", "Ubi Ungu", "Talas", "Sukun",
                     "Jagung", "Nangka"], "@place",
         ["Original 100 g", "Pedas 100 g", "Balado 200 g", "Manis 250 g"]),
        (["Jagung Titi", "Jagung Bose", "Kue Rambut", "Kue Kompiang", "Rengginang Jagung",
          "Dodol Rumput Laut", "Kacang Mete", "Kacang Tanah Sangrai", "Sambal Lu'at",
          "Se'i Sapi", "Se'i Babi", "Gula Lempeng Lontar"], "", "@place",
         ["150 g", "250 g", "500 g", "1 kg"])]),
    ("madu", "Madu Hutan", "MAD", (45_000, 350_000), [
        ("Madu", ["Hutan", "Lebah Liar", "Klanceng", "Hutan Murni"], "@place",
         ["250 ml", "350 ml", "500 ml", "1 L"])]),
    ("lukisan", "Lukisan", "LUK", (250_000, 7_500_000), [
        ("Lukisan", ["Kanvas", "Cat Minyak", "Akrilik", "Pasir", "Cat Air"],
         ["Pantai Lasiana", "Danau Kelimutu", "Komodo", "Pasola Sumba", "Penari Caci",
          "Kuda Sandelwood", "Sunset Kupang", "Penenun Perempuan", "Wae Rebo",
          "Pantai Maumere", "Bukit Wairinding", "Sasando"],
         ["30x40 cm", "40x60 cm", "50x70 cm", "60x90 cm", "80x120 cm"])]),
    ("miniatur", "Miniatur", "MIN", (35_000, 1_500_000), [
        ("Miniatur", ["Rumah Adat Sumba", "Mbaru Niang Wae Rebo", "Sasando", "Perahu Phinisi",
                      "Perahu Peledang Lamalera", "Ume Kbubu Timor", "Moko Alor",
                      "Kuda Sumba", "Komodo", "Lopo Timor", "Rumah Adat Belu"],
         ["Kayu Cendana", "Kayu Jati", "Kayu Mahoni", "Bambu", "Lontar"],
         ["Kecil", "Sedang", "Besar", ""])]),
    ("kerajinan", "Kerajinan Kayu", "KER", (15_000, 2_000_000), [
        (["Asbak", "Patung", "Tempat Tisu", "Gantungan Kunci", "Kotak Perhiasan", "Talenan",
          "Mangkuk", "Sendok Set", "Tongkat", "Ukiran Dinding"],
         ["Kayu Cendana", "Kayu Jati", "Kayu Mahoni", "Kayu Kelapa", "Kayu Ukir"], "@place",
         ["", "Motif Sumba", "Motif Timor", "Motif Alor"])]),
    ("sabun", "Sabun & Minyak", "SAB", (10_000, 150_000), [
        (["Sabun", "Minyak"], ["Sereh", "Kelapa Dalam", "Kayu Putih", "Susu Kambing", "Cendana",
                               "Kopi", "Kemiri", "Kelor"], "@place",
         ["10 ml", "60 ml", "100 ml", "500 ml", "1 batang", ""])]),
    ("kelor", "Kelor", "KEL", (20_000, 180_000), [
        (["Teh", "Serbuk", "Kapsul", "Kue", "Mi"], "Daun Kelor", "@place",
         ["50 g", "100 g", "250 g", "60 kapsul"])]),
    ("aksesoris", "Aksesoris", "AKS", (15_000, 900_000), [
        (["Gelang", "Kalung", "Anting", "Bros", "Ikat Kepala", "Gantungan Tas"],
         ["Manik", "Tenun", "Perak", "Kerang", "Tempurung", "Mutisalah"], "@place",
         ["", "Motif Kuda", "Motif Bunga"])]),
    ("bangunan", "Bahan Bangunan", "BAN", (2_500, 15_000), [
        (["Paving Block", "Batako Press", "Batako Berlubang", "Roster Beton"],
         ["Segi Enam", "Bata", "Cacing", "10x20x40", "8 cm", "6 cm"], "",
         ["(per buah)"])]),
]


CASHIER, CASHIER_PIN = "Kasir", "1234"


def _pick(rng: random.Random, part, place: str) -> str:
    if part == "@place":
        return place
    if isinstance(part, list):
        return rng.choice(part)
    return part


def product_names(n: int, rng: random.Random) -> list[tuple[str, str, int, str]]:
    """``n`` (category code, name, price, sku prefix), weighted like a real NTT fair."""
    weights = [14, 16, 10, 14, 6, 6, 6, 8, 5, 4, 7, 4]
    out = []
    for _ in range(n):
        code, _name, prefix, (lo, hi), templates = rng.choices(CATEGORIES, weights)[0]
        template = rng.choice(templates)
        place = rng.choice(PLACES)
        name = " ".join(w for w in (_pick(rng, p, place) for p in template) if w)
        price = rng.randint(lo // 500, hi // 500) * 500
        out.append((code, name, price, prefix))
    return out


def ean13(body12: str) -> str:
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(body12))
    return body12 + str((10 - total % 10) % 10)


def barcode_for(i: int) -> str:
    """Valid EAN-13 with the Indonesian prefix 899; ``i`` >= 10**8 are never in the DB."""
    return ean13(f"899{i:09d}")


def _head() -> str:
    from pos_app.persistence.migrate import HEAD

    return HEAD


def catalog_path(n_products: int) -> Path:
    return cache_dir() / f"catalog-p{n_products}-g{GEN_VERSION}-s{_head()}.db"


def sales_path(n_products: int, n_sales: int) -> Path:
    return cache_dir() / f"sales-p{n_products}-s{n_sales}-g{GEN_VERSION}-s{_head()}.db"


def write_catalog_csvs(folder: Path, n_products: int) -> tuple[Path, Path, Path]:
    rng = random.Random(SEED)
    fac = folder / "facilities.csv"
    cat = folder / "categories.csv"
    prod = folder / "products.csv"
    with fac.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["code", "name", "kind", "region"])
        w.writerows(FACILITIES)
    with cat.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["code", "name", "sort"])
        for k, c in enumerate(CATEGORIES, start=1):
            w.writerow([c[0], c[1], k * 10])
    counters: dict[str, int] = {}
    with prod.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["sku", "barcode", "name", "category", "facility", "price", "tax_mode",
                    "active", "stock"])
        for i, (code, name, price, prefix) in enumerate(product_names(n_products, rng)):
            counters[prefix] = counters.get(prefix, 0) + 1
            sku = f"{prefix}-{counters[prefix]:05d}"
            barcode = barcode_for(i + 1) if rng.random() < 0.9 else ""  # 10% unlabelled
            tax = rng.choices(["none", "included", "added"], [80, 15, 5])[0]
            active = "1" if rng.random() < 0.97 else "0"
            w.writerow([sku, barcode, name, code, rng.choice(FACILITIES)[0], price, tax,
                        active, rng.randint(5, 400)])
    return fac, cat, prod


def build_catalog(path: Path, n_products: int, verbose: bool = True) -> float:
    """A booth DB with ``n_products`` imported the app's way; returns the import seconds."""
    from pos_app.services.catalog.catalog_import import import_catalog
    from pos_app.services.setup.setup import init_booth

    work = scratch_dir("gen")
    try:
        booth, _ = init_booth(path, device_code="KPG-01", event_name="Festival UMKM Kupang 2026")
        from pos_app.services.access.auth import create_user

        create_user(booth, CASHIER, "cashier", CASHIER_PIN, actor="os:bench")
        files = write_catalog_csvs(work, n_products)
        t0 = time.perf_counter()
        for f in files:
            import_catalog(booth, f)
        took = time.perf_counter() - t0
        booth.close()
        checkpoint(path)
        if verbose:
            print(f"  imported {n_products} products via import_catalog in {took:.1f} s")
        return took
    finally:
        remove_tree(work)


def catalog_db(n_products: int, verbose: bool = True) -> Path:
    path = catalog_path(n_products)
    if not path.exists():
        if verbose:
            print(f"building {path.name} (once; cached in {path.parent}) ...")
        tmp = path.with_suffix(".tmp")
        for p in (tmp, Path(f"{tmp}-wal"), Path(f"{tmp}-shm")):
            p.unlink(missing_ok=True)
        build_catalog(tmp, n_products, verbose)
        tmp.rename(path)
    return path


# ---- past sales -------------------------------------------------------------------------

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

    def event(self, ts: str, actor: str, action: str, kind: str, subject: str, payload: dict,
              seq: int) -> tuple:
        self.index += 1
        body = self.audit.canonical(payload)
        fields = {"chain_index": self.index, "device_id": self.device, "created_at": ts,
                  "actor": actor, "action": action, "subject_kind": kind,
                  "subject_id": subject, "payload": body, "prev_hash": self.prev}
        digest = self.audit.event_hash(fields)
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


def sales_db(n_products: int, n_sales: int, verbose: bool = True) -> Path:
    path = sales_path(n_products, n_sales)
    if not path.exists():
        src = catalog_db(n_products, verbose)
        if verbose:
            print(f"building {path.name} (once; cached in {path.parent}) ...")
        tmp = path.with_suffix(".tmp")
        for p in (tmp, Path(f"{tmp}-wal"), Path(f"{tmp}-shm")):
            p.unlink(missing_ok=True)
        copy_db(src, tmp)
        add_sales(tmp, n_sales, verbose)
        tmp.rename(path)
    return path


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="build (or find) the cached big databases")
    ap.add_argument("--products", type=int, default=20_000)
    ap.add_argument("--sales", type=int, default=100_000)
    args = ap.parse_args(argv)
    print(catalog_db(args.products))
    if args.sales:
        print(sales_db(args.products, args.sales))
    return 0


if __name__ == "__main__":
    sys.exit(main())
