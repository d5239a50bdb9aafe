"""The rows of the end-of-event pack, streamed out of one read snapshot a chunk of documents
at a time, with the totals added up while the rows go by.

The documents are those of ``report_facts`` for the same filter, in the same order; each
document's payments are spread over its lines by method with the same largest-remainder rule
(``domain.money.allocate``), and the totals follow the definitions of
``services.reporting.totals``, added up in the same ``Totals``. The export reads lines and
payments with plain driver statements and adds them straight into the totals: on a big
event this pass is several times cheaper than building a ``LineFact`` per line, and the tests
hold its every figure against ``reports.report``, ``settlement.statements`` and raw SQL.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from sqlalchemy import String, func, select, type_coerce
from sqlalchemy.engine import Connection
from sqlalchemy.orm import aliased

from pos_app.domain.errors import DomainError
from pos_app.domain.money import allocate
from pos_app.persistence.models import Sale
from pos_app.services.reporting.export_tables import LINES, PAYMENTS, SALES, Table
from pos_app.services.reporting.report_facts import CHUNK, METHODS, ReportFilter, doc_query
from pos_app.services.reporting.totals import Totals

MIDX = {m: i for i, m in enumerate(METHODS)}

Emit = Callable[[Table, list], None]


@dataclass
class Aggregates:
    """What the pass added up. ``totals`` is the sum of ``by_facility`` (plus the count)."""

    totals: Totals = field(default_factory=Totals)
    by_facility: dict[str, Totals] = field(default_factory=dict)
    facility_names: dict[str, str] = field(default_factory=dict)
    by_product: dict[str, Totals] = field(default_factory=dict)  # no money by method
    product_info: dict[str, tuple[str, str, str]] = field(default_factory=dict)  # name, fac, cat
    by_hour: dict[int, Totals] = field(default_factory=dict)  # sales, refunds and count only
    documents: dict[str, list[int]] = field(default_factory=lambda: {
        k: [0, 0] for k in ("sale", "refund", "void")})  # kind -> [count, sum of totals]
    rows: dict[str, int] = field(default_factory=lambda: {"sales": 0, "lines": 0,
                                                          "payments": 0})
    shift_ids: set[str] = field(default_factory=set)
    method_counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(METHODS, 0))
    # DPP (net less PPN) per (device id, facility code): a settlement split is made on each
    # booth's own DPP and added up, so head office's figures are the sum of the booths' to
    # the rupiah
    device_dpp: dict[tuple[str, str], int] = field(default_factory=dict)

    def finish(self) -> None:
        count = self.totals.count
        self.totals = Totals()
        for acc in self.by_facility.values():
            self.totals.add_totals(acc)
        self.totals.count = count  # a sale with goods of two facilities is one sale

    def top_products(self, n: int = 10) -> list[tuple[str, Totals]]:
        return sorted(self.by_product.items(), key=lambda kv: (-kv[1].net, kv[0]))[:n]


_LINES_SQL = (
    "SELECT sale_id, line_no, facility_id, product_id, facility_name, sku, name, qty, "
    "unit_price, gross, line_discount + sale_discount, tax, total, tax_mode FROM sale_line "
    "WHERE sale_id IN ({}) ORDER BY sale_id, line_no")
_PAYMENTS_SQL = (
    "SELECT p.sale_id, p.line_no, p.method, p.amount, p.tendered, p.change, p.reference, "
    "p.verified, m.confirmed_by, p.qris_payload FROM payment p"
    " LEFT JOIN payment_match m ON m.payment_id = p.id "
    "WHERE p.sale_id IN ({}) ORDER BY p.sale_id, p.line_no")
_FACILITIES_SQL = "SELECT id, code FROM facility"
_CATEGORIES_SQL = ("SELECT p.id, c.name FROM product p JOIN category c ON c.id = p.category_id")


def documents_query(flt: ReportFilter):
    """The documents of ``flt`` (as ``report_facts`` picks and orders them), ids as hex."""
    ref = aliased(Sale)
    refers = select(ref.number).where(ref.id == Sale.refers_to_id).scalar_subquery()
    return doc_query(flt).with_only_columns(
        type_coerce(Sale.id, String).label("id"), Sale.number, Sale.kind,
        refers.label("refers_to"), Sale.business_date, Sale.created_at,
        type_coerce(Sale.shift_id, String).label("shift_id"), Sale.cashier_name,
        Sale.subtotal, Sale.discount, Sale.tax, Sale.total, Sale.tendered, Sale.change,
        type_coerce(Sale.device_id, String).label("device_id"), maintain_column_froms=True)


def count_documents(conn: Connection, flt: ReportFilter) -> int:
    return conn.execute(select(func.count()).select_from(
        doc_query(flt).subquery())).scalar_one()


def _grouped(cursor, sql: str, ids: list[str]) -> dict[str, list[tuple]]:
    out: dict[str, list[tuple]] = {}
    for row in cursor.execute(sql.format(",".join("?" * len(ids))), ids):
        out.setdefault(row[0], []).append(row)
    return out


def stream(conn: Connection, flt: ReportFilter, tz: str, emit: Emit, *, total: int,
           progress: Callable[[int, int], None] | None = None, cancel=None,
           chunk: int = CHUNK) -> Aggregates:
    """One pass over the documents: sales, lines and payments rows go to ``emit`` a chunk at
    a time while the totals are added up. ``cancel`` (``is_set()``) is checked before every
    chunk and raises ``export_cancelled``; ``progress(done, total)`` follows every chunk."""
    agg = Aggregates()
    zone = ZoneInfo(tz)
    # Plain driver statements on the snapshot's own connection: no per-row type processing.
    cursor = conn.connection.driver_connection.cursor()
    codes = dict(cursor.execute(_FACILITIES_SQL).fetchall())
    categories = dict(cursor.execute(_CATEGORIES_SQL).fetchall())
    only = flt.facility_id.hex if flt.facility_id is not None else None
    done = 0
    if progress is not None:
        progress(0, total)
    result = conn.execution_options(yield_per=chunk).execute(documents_query(flt))
    try:
        for docs in result.partitions(chunk):
            if cancel is not None and cancel.is_set():
                raise DomainError("export_cancelled")
            ids = [d.id for d in docs]
            lines = _grouped(cursor, _LINES_SQL, ids)
            pays = _grouped(cursor, _PAYMENTS_SQL, ids)
            sales_rows: list[tuple] = []
            line_rows: list[tuple] = []
            pay_rows: list[tuple] = []
            for d in docs:
                local = d.created_at.astimezone(zone).replace(microsecond=0)
                doc_pays = pays.get(d.id, ())
                kept = _document(agg, d, local, lines.get(d.id, ()), doc_pays, only, codes,
                                 categories, line_rows)
                if only is not None and not kept:
                    continue
                sales_rows.append((d.number, d.kind, d.refers_to, d.business_date, local,
                                   d.cashier_name, d.shift_id, d.subtotal, d.discount, d.tax,
                                   d.total, d.tendered, d.change))
                doc = agg.documents[d.kind]
                doc[0] += 1
                doc[1] += d.total
                if d.shift_id:
                    agg.shift_ids.add(d.shift_id)
                if d.kind == "sale":
                    for method in {p[2] for p in doc_pays if p[3]}:
                        agg.method_counts[method] += 1
                for p in doc_pays:
                    pay_rows.append((d.number, d.kind, p[1], p[2], p[3], p[4], p[5], p[6],
                                     bool(p[7]), p[8] is not None, p[8], p[9]))
            for table, rows in ((SALES, sales_rows), (LINES, line_rows),
                                (PAYMENTS, pay_rows)):
                agg.rows[table.name] += len(rows)
                emit(table, rows)
            done += len(docs)
            if progress is not None:
                progress(done, total)
    finally:
        result.close()
        cursor.close()
    agg.finish()
    return agg


def _spread(rows, pays) -> list[list[int]]:
    """Each line's share of the document's payments by method (``report_facts``' rule)."""
    n = len(rows)
    spread = [[0, 0, 0, 0] for _ in range(n)]
    weights = None
    for p in pays:
        amount = p[3]
        if not amount:
            continue
        m = MIDX[p[2]]
        if n == 1:
            spread[0][m] += amount
            continue
        if weights is None:
            weights = [r[12] for r in rows]
            whole = sum(weights)
        # paying the whole document: every line gets exactly its own total (what allocate
        # gives, without the arithmetic)
        parts = weights if amount == whole else allocate(amount, weights)
        for i, part in enumerate(parts):
            spread[i][m] += part
    return spread


def _document(agg: Aggregates, d, local, rows, pays, only: str | None, codes, categories,
              out: list) -> int:
    """Add up one document's lines and append their rows to ``out``; returns how many."""
    if not rows:
        return 0
    spread = _spread(rows, pays)
    sale = d.kind == "sale"
    number, kind, day = d.number, d.kind, d.business_date
    by_facility, by_product = agg.by_facility, agg.by_product
    facilities, skus = set(), set()
    kept = money = 0
    for r, s in zip(rows, spread, strict=True):
        if only is not None and r[2] != only:
            continue
        kept += 1
        (_sid, line_no, fid, pid, fname, sku, name, qty, price, gross, disc, tax, total,
         mode) = r
        fcode = codes[fid]
        cat = categories.get(pid, "")
        out.append((number, line_no, kind, day, fcode, fname, cat, sku, name, qty, price,
                    gross, disc, tax, total, *s))
        key = (d.device_id, fcode)
        agg.device_dpp[key] = agg.device_dpp.get(key, 0) + (total - tax if sale
                                                           else tax - total)
        fac = by_facility.get(fcode)
        if fac is None:
            fac = by_facility[fcode] = Totals()
            agg.facility_names[fcode] = fname
        prod = by_product.get(sku)
        if prod is None:
            prod = by_product[sku] = Totals()
            agg.product_info[sku] = (name, fcode, cat)
        money += total
        if sale:
            added = tax if mode == "added" else 0
            fac.add_sold(qty, gross, disc, total, tax, s, added)
            prod.add_sold(qty, gross, disc, total, tax, None, added)
            facilities.add(fcode)
            skus.add(sku)
        else:
            fac.add_returned(qty, total, tax, s, void=kind == "void")
            prod.add_returned(qty, total, tax, void=kind == "void")
    if kept:
        hour = agg.by_hour.get(local.hour)
        if hour is None:
            hour = agg.by_hour[local.hour] = Totals()
        if sale:  # by hour: sales, refunds and the count only
            hour.sales += money
            hour.count += 1
            agg.totals.count += 1
            for fcode in facilities:
                by_facility[fcode].count += 1
            for sku in skus:
                by_product[sku].count += 1
        else:
            hour.refunds += money
    return kept
