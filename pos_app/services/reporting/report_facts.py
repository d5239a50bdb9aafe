"""The facts every report and export is built from: one row per document line (sales, and
voids and refunds with the opposite sign), with the money of its document's payments spread
over the document's lines by method.

A split payment (QRIS + cash) on a sale with lines from two facilities is spread over the
lines in proportion to their totals, by the largest-remainder rule of
``domain.settlement.allocate``, so that for every document the per-line method amounts add
up exactly to its payments and to its total. Facts stream in document order, a chunk of
documents at a time, so an export of any size runs in constant memory.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.engine import Connection

from pos_app.domain.calendar import local_time
from pos_app.domain.money import allocate
from pos_app.persistence.models import Category, Facility, Payment, Product, Sale, SaleLine

CHUNK = 2_000  # documents per round trip
METHODS = ("cash", "qris", "transfer", "card")


@dataclass(frozen=True)
class ReportFilter:
    """Which documents count. Dates are business dates, both ends included. ``facility_id``
    keeps only that facility's lines; ``method`` keeps only documents paid (partly) by it."""

    event_id: uuid.UUID | None = None
    date_from: date | None = None
    date_to: date | None = None
    shift_id: uuid.UUID | None = None
    cashier: str | None = None
    facility_id: uuid.UUID | None = None
    method: str | None = None
    device_id: uuid.UUID | None = None


@dataclass(frozen=True)
class LineFact:
    doc_id: uuid.UUID
    number: str
    kind: str  # sale | refund | void
    refers_to: uuid.UUID | None
    business_date: date
    created_at: datetime  # UTC
    hour: int  # local hour of the event's time zone
    shift_id: uuid.UUID | None
    cashier: str
    line_no: int
    facility_id: uuid.UUID
    facility_code: str
    facility_name: str
    category: str
    sku: str
    name: str
    qty: int
    unit_price: int
    gross: int
    discount: int
    tax: int
    total: int
    sign: int  # +1 sale, -1 refund or void
    added_tax: int = 0  # the part of ``tax`` added on top of the price (tax mode "added")
    methods: dict[str, int] = field(default_factory=dict)  # unsigned money by method


def doc_query(flt: ReportFilter):
    """A SELECT of the header columns of the sale documents ``flt`` picks, in recorded order."""
    q = select(Sale.id, Sale.number, Sale.kind, Sale.refers_to_id, Sale.business_date,
               Sale.created_at, Sale.shift_id, Sale.cashier_name, Sale.seq)
    if flt.event_id is not None:
        q = q.where(Sale.event_id == flt.event_id)
    if flt.device_id is not None:
        q = q.where(Sale.device_id == flt.device_id)
    if flt.date_from is not None:
        q = q.where(Sale.business_date >= flt.date_from)
    if flt.date_to is not None:
        q = q.where(Sale.business_date <= flt.date_to)
    if flt.shift_id is not None:
        q = q.where(Sale.shift_id == flt.shift_id)
    if flt.cashier:
        q = q.where(Sale.cashier_name == flt.cashier)
    if flt.method:
        q = q.where(Sale.id.in_(select(Payment.sale_id).where(Payment.method == flt.method,
                                                              Payment.amount > 0)))
    return q.order_by(Sale.created_at, Sale.seq, Sale.id)


def iter_facts(conn: Connection, flt: ReportFilter, tz: str) -> Iterator[LineFact]:
    """Every line fact of the filtered documents, in document order."""
    result = conn.execution_options(yield_per=CHUNK).execute(doc_query(flt))
    for docs in result.partitions(CHUNK):
        yield from _facts_of(conn, docs, flt, tz)


def _facts_of(conn: Connection, docs, flt: ReportFilter, tz: str) -> Iterator[LineFact]:
    ids = [d.id for d in docs]
    lines: dict[uuid.UUID, list] = {i: [] for i in ids}
    lq = (select(SaleLine.sale_id, SaleLine.line_no, SaleLine.facility_id, Facility.code,
                 SaleLine.facility_name, Category.name, SaleLine.sku, SaleLine.name,
                 SaleLine.qty, SaleLine.unit_price, SaleLine.gross, SaleLine.line_discount,
                 SaleLine.sale_discount, SaleLine.tax, SaleLine.total, SaleLine.tax_mode)
          .join(Facility, Facility.id == SaleLine.facility_id)
          .join(Product, Product.id == SaleLine.product_id)
          .join(Category, Category.id == Product.category_id)
          .where(SaleLine.sale_id.in_(ids)))
    for row in conn.execute(lq):
        lines[row[0]].append(row)
    pays: dict[uuid.UUID, list[tuple[str, int]]] = {i: [] for i in ids}
    for sale_id, method, amount in conn.execute(
            select(Payment.sale_id, Payment.method, Payment.amount)
            .where(Payment.sale_id.in_(ids)).order_by(Payment.sale_id, Payment.line_no)):
        pays[sale_id].append((method, amount))
    for d in docs:
        rows = sorted(lines[d.id], key=lambda r: r[1])
        if not rows:
            continue
        spread: list[dict[str, int]] = [{} for _ in rows]
        weights = [r[14] for r in rows]
        for method, amount in pays[d.id]:
            if amount:
                for i, part in enumerate(allocate(amount, weights)):
                    if part:
                        spread[i][method] = spread[i].get(method, 0) + part
        sign = 1 if d.kind == "sale" else -1
        hour = local_time(d.created_at, tz).hour
        for r, methods in zip(rows, spread, strict=True):
            if flt.facility_id is not None and r[2] != flt.facility_id:
                continue
            yield LineFact(
                doc_id=d.id, number=d.number, kind=d.kind, refers_to=d.refers_to_id,
                business_date=d.business_date, created_at=d.created_at, hour=hour,
                shift_id=d.shift_id, cashier=d.cashier_name, line_no=r[1], facility_id=r[2],
                facility_code=r[3], facility_name=r[4], category=r[5], sku=r[6], name=r[7],
                qty=r[8], unit_price=r[9], gross=r[10], discount=r[11] + r[12], tax=r[13],
                total=r[14], sign=sign, added_tax=r[13] if r[15] == "added" else 0,
                methods=methods)
