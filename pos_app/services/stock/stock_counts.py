"""Stock counts (stock opname): open a count for a facility, enter counted quantities by
scanning or typing, see the variance, and approve (posting ``count`` movements with a reason)
or cancel. Sales go on during a count: each entry keeps the ledger's on-hand of its moment
(``expected``) and approval posts ``counted - expected``, so a sale made after a product was
counted is neither lost nor counted twice.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping

from sqlalchemy import select
from sqlalchemy.engine import Connection

from pos_app.domain.errors import DomainError
from pos_app.domain.stock import VarianceLine, VarianceReport, check_reason, default_reason
from pos_app.persistence.models import (
    Facility,
    Product,
    StockCountLine,
    StockCountStep,
    StockDocument,
    StockMovement,
)
from pos_app.services.access import audit
from pos_app.services.setup.booth import Booth
from pos_app.services.setup.records import Recorder
from pos_app.services.stock.stock import balances, facility_by_code, ledger_totals
from pos_app.services.stock.stock_docs import (
    DocResult,
    doc_header,
    facility_products,
    merge_items,
    movement_rows,
    new_document,
    open_count_row,
    post_movements,
    require_role,
)

# --- counts (stock opname) ---------------------------------------------------------------------

def _count_doc(conn: Connection, ref: str | uuid.UUID):
    q = select(StockDocument.id, StockDocument.number, StockDocument.facility_id,
               StockDocument.kind)
    if isinstance(ref, uuid.UUID):
        row = conn.execute(q.where(StockDocument.id == ref)).first()
    else:
        row = conn.execute(q.where(StockDocument.number == (ref or "").strip().upper())).first()
    if row is None or row.kind != "count":
        raise DomainError("unknown_count", number=str(ref))
    step = conn.execute(select(StockCountStep.kind).where(StockCountStep.count_id == row.id)
                        ).scalar()
    return row, step


def start_count(booth: Booth, facility_code: str, *, actor: str, actor_role: str,
                note: str = "") -> DocResult:
    """Open a count for one facility; sales go on meanwhile. One open count per facility."""
    require_role(actor_role, "count", actor)
    with booth.db.write_connection() as conn:
        return start_count_in(conn, booth, facility_by_code(conn, facility_code), actor, note)


def start_count_in(conn: Connection, booth: Booth, facility, actor: str,
                   note: str = "") -> DocResult:
    """``start_count`` inside the caller's transaction (``facility`` as found by code)."""
    existing = open_count_row(conn, facility.id)
    if existing is not None:
        raise DomainError("count_open", number=existing.number, facility=facility.code)
    rec = Recorder(conn, booth.context.device_id, booth.clock.now())
    doc = new_document(rec, booth, "count", facility, actor, "", note)
    audit.append(rec, actor, "stock.count.start", "stock", doc["id"],
                 {"number": doc["number"], "facility": facility.code})
    return DocResult(doc["id"], doc["number"], "count", facility.code, 0, 0)


def open_count_of(booth: Booth, facility_code: str) -> str | None:
    """The number of the facility's open count, if any."""
    with booth.db.read() as s:
        conn = s.connection()
        row = open_count_row(conn, facility_by_code(conn, facility_code).id)
    return row.number if row else None


def enter_counts(booth: Booth, count_ref: str | uuid.UUID, items: Iterable[tuple[str, int]],
                 *, actor: str, actor_role: str) -> int:
    """Record counted quantities (a SKU given again replaces its earlier count). Each entry
    keeps the ledger's on-hand of this moment, so later sales are not counted twice."""
    require_role(actor_role, "count", actor)
    with booth.db.write_connection() as conn:
        return enter_counts_in(conn, booth, count_ref, items, actor)


def enter_counts_in(conn: Connection, booth: Booth, count_ref: str | uuid.UUID,
                    items: Iterable[tuple[str, int]], actor: str) -> int:
    """``enter_counts`` inside the caller's transaction."""
    counted = merge_items(items, allow_zero=True, last_wins=True)
    if not counted:
        raise DomainError("nothing_counted")
    doc, step = _count_doc(conn, count_ref)
    if step is not None:
        raise DomainError("count_closed", number=doc.number)
    facility = conn.execute(select(Facility.code).where(Facility.id == doc.facility_id)
                            ).scalar_one()
    products = facility_products(conn, doc.facility_id, facility, counted)
    now = balances(conn, ((products[sku]["id"], doc.facility_id) for sku in counted))
    rec = Recorder(conn, booth.context.device_id, booth.clock.now())
    rec.insert(StockCountLine, [{
        "count_id": doc.id, "product_id": products[sku]["id"], "counted": qty,
        "expected": now[(products[sku]["id"], doc.facility_id)], "actor_name": actor[:80],
    } for sku, qty in counted.items()])
    return len(counted)


def _variance_lines(conn: Connection, doc, reasons: Mapping[str, str] | None = None
                    ) -> list[VarianceLine]:
    latest = {}
    for pid, counted, expected in conn.execute(
            select(StockCountLine.product_id, StockCountLine.counted, StockCountLine.expected)
            .where(StockCountLine.count_id == doc.id).order_by(StockCountLine.seq)):
        latest[pid] = (counted, expected)
    ledger = ledger_totals(conn, doc.facility_id)
    lines = []
    for pid, sku, name, price, active in conn.execute(
            select(Product.id, Product.sku, Product.name, Product.price, Product.active)
            .where(Product.facility_id == doc.facility_id).order_by(Product.name, Product.sku)):
        on_hand = ledger.get((pid, doc.facility_id))
        if pid in latest:
            counted, expected = latest[pid]
        elif active or (on_hand and on_hand.on_hand):
            counted, expected = None, on_hand.on_hand if on_hand else 0
        else:
            continue
        diff = 0 if counted is None else counted - expected
        reason = None
        if diff:
            given = (reasons or {}).get(sku)
            reason = check_reason(given) if given else default_reason(diff)
        lines.append(VarianceLine(sku, name, price, expected, counted, reason))
    return lines


def variance(booth: Booth, count_ref: str | uuid.UUID) -> VarianceReport:
    """Expected, counted, difference and value per product of the count's facility."""
    with booth.db.read() as s:
        return variance_in(s.connection(), booth, count_ref)


def variance_in(conn: Connection, booth: Booth, count_ref: str | uuid.UUID) -> VarianceReport:
    """``variance`` inside the caller's transaction."""
    doc, step = _count_doc(conn, count_ref)
    closed_by = conn.execute(select(StockCountStep.actor_name)
                             .where(StockCountStep.count_id == doc.id)).scalar()
    sheet = _variance_lines(conn, doc)  # what the count sheet lists
    lines = _approved_lines(conn, doc) if step == "approve" else sheet
    header = doc_header(conn, booth, doc.id)
    status = {None: "open", "approve": "approved", "cancel": "cancelled"}[step]
    return VarianceReport(header, status, closed_by, tuple(lines),
                          len({line.sku for line in sheet} | {line.sku for line in lines}))


def _approved_lines(conn: Connection, doc) -> list[VarianceLine]:
    """An approved count as it was approved: counted products with their posted reasons."""
    posted = {pid: reason for pid, reason in conn.execute(
        select(StockMovement.product_id, StockMovement.reason)
        .where(StockMovement.document_id == doc.id))}
    latest = {}
    for pid, counted, expected in conn.execute(
            select(StockCountLine.product_id, StockCountLine.counted, StockCountLine.expected)
            .where(StockCountLine.count_id == doc.id).order_by(StockCountLine.seq)):
        latest[pid] = (counted, expected)
    names = {pid: (sku, name, price) for pid, sku, name, price in conn.execute(
        select(Product.id, Product.sku, Product.name, Product.price)
        .where(Product.id.in_(list(latest))))}
    lines = [VarianceLine(names[pid][0], names[pid][1], names[pid][2], expected, counted,
                          posted.get(pid)) for pid, (counted, expected) in latest.items()]
    return sorted(lines, key=lambda line: (line.name, line.sku))


def approve_count(booth: Booth, count_ref: str | uuid.UUID, *, actor: str, actor_role: str,
                  reasons: Mapping[str, str] | None = None) -> DocResult:
    """Post the differences of the counted products as ``count`` movements with a reason
    (given per SKU, else lost for a shortage and found for a surplus) and close the count."""
    require_role(actor_role, "approve_count", actor)
    reasons = {k.strip().upper(): check_reason(v) for k, v in (reasons or {}).items()}
    with booth.db.write_connection() as conn:
        return approve_count_in(conn, booth, count_ref, actor, reasons)


def approve_count_in(conn: Connection, booth: Booth, count_ref: str | uuid.UUID, actor: str,
                     reasons: Mapping[str, str]) -> DocResult:
    """``approve_count`` inside the caller's transaction (``reasons`` already checked)."""
    doc, step = _count_doc(conn, count_ref)
    if step is not None:
        raise DomainError("count_closed", number=doc.number)
    lines = [line for line in _variance_lines(conn, doc, reasons) if line.counted is not None]
    if not lines:
        raise DomainError("nothing_counted")
    ids = dict(conn.execute(select(Product.sku, Product.id).where(
        Product.sku.in_([line.sku for line in lines]))).all())
    rec = Recorder(conn, booth.context.device_id, booth.clock.now())
    rows = movement_rows({"id": doc.id, "kind": "count", "number": doc.number}, "count",
                         doc.facility_id, ((ids[line.sku], line.difference, line.reason)
                                           for line in lines))
    rec.insert(StockCountStep, [{"count_id": doc.id, "kind": "approve",
                                 "actor_name": actor[:80]}])
    post_movements(rec, {"id": doc.id, "number": doc.number}, rows, actor,
                   "stock.count.approve", {"counted": len(lines)})
    facility = conn.execute(select(Facility.code).where(Facility.id == doc.facility_id)
                            ).scalar_one()
    return DocResult(doc.id, doc.number, "count", facility, sum(r["qty"] for r in rows),
                     len(rows))


def cancel_count(booth: Booth, count_ref: str | uuid.UUID, *, actor: str,
                 actor_role: str) -> None:
    require_role(actor_role, "approve_count", actor)
    with booth.db.write_connection() as conn:
        cancel_count_in(conn, booth, count_ref, actor)


def cancel_count_in(conn: Connection, booth: Booth, count_ref: str | uuid.UUID,
                    actor: str) -> None:
    """``cancel_count`` inside the caller's transaction."""
    doc, step = _count_doc(conn, count_ref)
    if step is not None:
        raise DomainError("count_closed", number=doc.number)
    rec = Recorder(conn, booth.context.device_id, booth.clock.now())
    rec.insert(StockCountStep, [{"count_id": doc.id, "kind": "cancel",
                                 "actor_name": actor[:80]}])
    audit.append(rec, actor, "stock.count.cancel", "stock", doc.id, {"number": doc.number})
