"""Writing stock: goods received from a facility, stand-alone adjustments, stock counts
(opname) and the return of unsold goods at close-out. Each is a ``stock_document`` with its
movements, numbered per device, journaled with a digest of its movements, and written in one
``BEGIN IMMEDIATE`` transaction; a refused request writes nothing. Counts are in
``stock_counts``.

Numbers: ``<device>-TT-00001`` tanda terima (receipt), ``-SO-`` stock opname (count),
``-SR-`` surat retur (return), ``-SA-`` stock adjustment.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.engine import Connection

from pos_app.domain.calendar import business_date, local_time
from pos_app.domain.errors import DomainError
from pos_app.domain.stock import (
    CloseOut,
    CloseOutLine,
    DocHeader,
    DocLine,
    StockDoc,
    check_reason,
    check_stock_qty,
)
from pos_app.domain.text import NOTE, REFERENCE, check_text
from pos_app.persistence.models import (
    Facility,
    Product,
    StockCountStep,
    StockDocument,
    StockMovement,
)
from pos_app.services.access import audit, roles
from pos_app.services.setup.booth import Booth, booth_name, read_settings
from pos_app.services.setup.records import Recorder, bump_counter
from pos_app.services.stock.stock import facility_by_code, ledger_totals

PREFIX = {"receipt": "TT", "count": "SO", "return": "SR", "adjust": "SA"}
MOVEMENT_KIND = {"receipt": "receive", "return": "return", "adjust": "adjust", "count": "count"}
TEXT_MAX = {"reference": 64, "note": 200}
TEXT_LABEL = {"reference": REFERENCE, "note": NOTE}



@dataclass(frozen=True)
class DocResult:
    id: uuid.UUID
    number: str
    kind: str
    facility_code: str
    units: int  # signed total of its movements
    lines: int


@dataclass(frozen=True)
class DocSummary:
    id: uuid.UUID
    number: str
    kind: str
    facility_code: str
    facility_name: str
    reference: str
    doc_date: date
    actor: str
    created_at: datetime
    status: str  # done, or for counts: open | approved | cancelled


def require_role(actor_role: str, action: str, actor: str) -> None:
    """``roles.require`` for a stock document (the command line acts as a coordinator)."""
    roles.require(actor_role, action, actor)


def _text(value: str | None, key: str) -> str:
    return check_text(" ".join((value or "").split())[:TEXT_MAX[key]], TEXT_LABEL[key],
                      TEXT_MAX[key])


def merge_items(items: Iterable[tuple[str, int]], *, allow_zero: bool = False,
           signed: bool = False, last_wins: bool = False) -> dict[str, int]:
    """SKU -> quantity; a SKU given twice is added up (receiving) or replaced (counting)."""
    out: dict[str, int] = {}
    for sku, qty in items:
        check_stock_qty(qty, allow_zero=allow_zero, signed=signed)
        key = (sku or "").strip().upper()
        if not key:
            raise DomainError("unknown_product", ref=sku)
        out[key] = qty if last_wins or key not in out else out[key] + qty
    for qty in out.values():
        check_stock_qty(qty, allow_zero=allow_zero, signed=signed)
    return out


def facility_products(conn: Connection, facility_id: uuid.UUID, facility_code: str,
              skus: Iterable[str]) -> dict[str, Mapping]:
    skus = list(skus)
    rows = {r["sku"]: r for r in conn.execute(
        select(Product.id, Product.sku, Product.barcode, Product.name, Product.price,
               Product.facility_id).where(Product.sku.in_(skus))).mappings()}
    for sku in skus:
        row = rows.get(sku)
        if row is None:
            raise DomainError("unknown_product", ref=sku)
        if row["facility_id"] != facility_id:
            raise DomainError("wrong_facility", ref=sku, facility=facility_code)
    return rows


def new_document(rec: Recorder, booth: Booth, kind: str, facility, actor: str,
                  reference: str = "", note: str = "", doc_date: date | None = None) -> dict:
    ctx = booth.context
    seq = bump_counter(rec.conn, ctx.device_id, f"stock.{kind}")
    row = {
        "id": uuid.uuid4(), "kind": kind,
        "number": f"{ctx.device_code}-{PREFIX[kind]}-{seq:05d}",
        "event_id": ctx.event_id, "facility_id": facility.id,
        "reference": _text(reference, "reference"), "note": _text(note, "note"),
        "doc_date": doc_date or business_date(rec.now, ctx.timezone, ctx.cutoff),
        "actor_name": actor[:80],
    }
    rec.insert(StockDocument, [row])
    return row


def movement_rows(doc: dict, kind: str, facility_id: uuid.UUID,
                   qtys: Iterable[tuple[uuid.UUID, int, str | None]]) -> list[dict]:
    return [{"product_id": pid, "facility_id": facility_id, "qty": qty, "kind": kind,
             "document_kind": doc["kind"], "document_id": doc["id"], "note": doc["number"],
             "reason": reason} for pid, qty, reason in qtys if qty]


def post_movements(rec: Recorder, doc: dict, rows: list[dict], actor: str, action: str,
          extra: Mapping | None = None) -> None:
    rec.insert(StockMovement, rows)
    audit.append(rec, actor, action, "stock", doc["id"], {
        "number": doc["number"], "units": sum(r["qty"] for r in rows), "lines": len(rows),
        "digest": audit.movements_digest(rows), **(extra or {})})


# --- receiving -------------------------------------------------------------------------------

def receive(booth: Booth, facility_code: str, items: Iterable[tuple[str, int]], *,
            reference: str, actor: str, actor_role: str, doc_date: date | None = None,
            note: str = "") -> DocResult:
    """Goods received from a facility against its delivery note (``reference``)."""
    require_role(actor_role, "receive", actor)
    if not _text(reference, "reference"):
        raise DomainError("note_required")
    qtys = merge_items(items)
    if not qtys:
        raise DomainError("nothing_to_receive")
    with booth.db.write_connection() as conn:
        facility = facility_by_code(conn, facility_code)
        products = facility_products(conn, facility.id, facility.code, qtys)
        rec = Recorder(conn, booth.context.device_id, booth.clock.now())
        doc = new_document(rec, booth, "receipt", facility, actor, reference, note, doc_date)
        rows = movement_rows(doc, "receive", facility.id,
                              ((products[sku]["id"], qty, None) for sku, qty in qtys.items()))
        post_movements(rec, doc, rows, actor, "stock.receive", {"reference": doc["reference"]})
    return DocResult(doc["id"], doc["number"], "receipt", facility.code,
                     sum(qtys.values()), len(rows))


# --- stand-alone adjustments -------------------------------------------------------------------

def adjust(booth: Booth, facility_code: str, items: Iterable[tuple[str, int]], *, reason: str,
           actor: str, actor_role: str, note: str = "") -> DocResult:
    """Correct stock outside a count (e.g. a damaged piece, a sample given away)."""
    require_role(actor_role, "adjust", actor)
    reason = check_reason(reason)
    qtys = merge_items(items, signed=True)
    if not qtys:
        raise DomainError("nothing_to_adjust")
    with booth.db.write_connection() as conn:
        facility = facility_by_code(conn, facility_code)
        products = facility_products(conn, facility.id, facility.code, qtys)
        rec = Recorder(conn, booth.context.device_id, booth.clock.now())
        doc = new_document(rec, booth, "adjust", facility, actor, "", note)
        rows = movement_rows(doc, "adjust", facility.id,
                              ((products[sku]["id"], qty, reason) for sku, qty in qtys.items()))
        post_movements(rec, doc, rows, actor, "stock.adjust", {"reason": reason})
    return DocResult(doc["id"], doc["number"], "adjust", facility.code,
                     sum(qtys.values()), len(rows))


def open_count_row(conn: Connection, facility_id: uuid.UUID):
    return conn.execute(
        select(StockDocument.id, StockDocument.number)
        .outerjoin(StockCountStep, StockCountStep.count_id == StockDocument.id)
        .where(StockDocument.kind == "count", StockDocument.facility_id == facility_id,
               StockCountStep.id.is_(None))).first()


def doc_header(conn: Connection, booth: Booth, doc_id: uuid.UUID) -> DocHeader:
    row = conn.execute(
        select(StockDocument.__table__, Facility.code.label("f_code"),
               Facility.name.label("f_name"), Facility.kind.label("f_kind"))
        .join(Facility, Facility.id == StockDocument.facility_id)
        .where(StockDocument.id == doc_id)).mappings().one()
    ctx = booth.context
    settings = read_settings(conn)
    return DocHeader(
        number=row["number"], kind=row["kind"], facility_code=row["f_code"],
        facility_name=row["f_name"], facility_kind=row["f_kind"],
        booth_name=booth_name(settings.booth_name, ctx.event_name), device_code=ctx.device_code,
        actor=row["actor_name"], created_at=local_time(row["created_at"], ctx.timezone),
        doc_date=row["doc_date"], reference=row["reference"], note=row["note"])


# --- close-out and return ----------------------------------------------------------------------

def _close_out(conn: Connection, booth: Booth, facility) -> CloseOut:
    ledger = ledger_totals(conn, facility.id)
    lines = []
    for pid, sku, name, price in conn.execute(
            select(Product.id, Product.sku, Product.name, Product.price)
            .where(Product.facility_id == facility.id).order_by(Product.name, Product.sku)):
        totals = ledger.get((pid, facility.id))
        if totals is not None:
            lines.append(CloseOutLine(sku, name, price, totals))
    ctx = booth.context
    return CloseOut(facility.code, facility.name, tuple(lines),
                    booth_name=booth_name(read_settings(conn).booth_name, ctx.event_name),
                    as_of=local_time(booth.clock.now(), ctx.timezone),
                    negatives=tuple(line.sku for line in lines if line.remaining < 0))


def close_out(booth: Booth, facility_code: str) -> CloseOut:
    """Received, sold, refunded, adjusted, returned and remaining per product of a facility."""
    with booth.db.read() as s:
        conn = s.connection()
        return _close_out(conn, booth, facility_by_code(conn, facility_code))


def return_goods(booth: Booth, facility_code: str, *, actor: str, actor_role: str,
                 reference: str = "", note: str = "") -> DocResult:
    """Send every remaining unit of a facility back (surat retur): the booth ends at zero
    for it. Refused while a count of it is open or any of its products is below zero."""
    require_role(actor_role, "return", actor)
    with booth.db.write_connection() as conn:
        facility = facility_by_code(conn, facility_code)
        existing = open_count_row(conn, facility.id)
        if existing is not None:
            raise DomainError("count_open", number=existing.number, facility=facility.code)
        report = _close_out(conn, booth, facility)
        if report.negatives:
            raise DomainError("negative_stock", facility=facility.code,
                              skus=", ".join(report.negatives))
        back = [line for line in report.lines if line.remaining > 0]
        if not back:
            raise DomainError("nothing_to_return", facility=facility.code)
        ids = dict(conn.execute(select(Product.sku, Product.id).where(
            Product.sku.in_([line.sku for line in back]))).all())
        rec = Recorder(conn, booth.context.device_id, booth.clock.now())
        doc = new_document(rec, booth, "return", facility, actor, reference, note)
        rows = movement_rows(doc, "return", facility.id,
                              ((ids[line.sku], -line.remaining, None) for line in back))
        post_movements(rec, doc, rows, actor, "stock.return")
    return DocResult(doc["id"], doc["number"], "return", facility.code,
                     sum(r["qty"] for r in rows), len(rows))


# --- documents -------------------------------------------------------------------------------

def _doc_id(conn: Connection, ref: str | uuid.UUID) -> uuid.UUID:
    q = select(StockDocument.id)
    row = conn.execute(q.where(StockDocument.id == ref) if isinstance(ref, uuid.UUID)
                       else q.where(StockDocument.number == (ref or "").strip().upper())).first()
    if row is None:
        raise DomainError("unknown_stock_document", number=str(ref))
    return row[0]


def document(booth: Booth, ref: str | uuid.UUID) -> StockDoc:
    """A receipt, return or adjustment with its lines (quantities as units moved: a return's
    lines are positive units going back)."""
    with booth.db.read() as s:
        conn = s.connection()
        doc_id = _doc_id(conn, ref)
        header = doc_header(conn, booth, doc_id)
        if header.kind == "count":
            raise DomainError("unknown_stock_document", number=str(ref))
        sign = -1 if header.kind == "return" else 1
        rows = conn.execute(
            select(Product.sku, Product.name, StockMovement.qty, Product.price, Product.barcode,
                   StockMovement.reason)
            .join(Product, Product.id == StockMovement.product_id)
            .where(StockMovement.document_id == doc_id)
            .order_by(Product.name, Product.sku)).all()
    return StockDoc(header, tuple(DocLine(sku, name, sign * qty, price, barcode, reason)
                                  for sku, name, qty, price, barcode, reason in rows))


def documents(booth: Booth, *, facility_code: str | None = None, kind: str | None = None,
              limit: int = 500) -> list[DocSummary]:
    """Stock documents, newest first."""
    q = (select(StockDocument.id, StockDocument.number, StockDocument.kind, Facility.code,
                Facility.name, StockDocument.reference, StockDocument.doc_date,
                StockDocument.actor_name, StockDocument.created_at, StockCountStep.kind)
         .join(Facility, Facility.id == StockDocument.facility_id)
         .outerjoin(StockCountStep, StockCountStep.count_id == StockDocument.id)
         .order_by(StockDocument.seq.desc()).limit(limit))
    if kind is not None:
        q = q.where(StockDocument.kind == kind)
    with booth.db.read() as s:
        conn = s.connection()
        if facility_code:
            q = q.where(StockDocument.facility_id == facility_by_code(conn, facility_code).id)
        rows = conn.execute(q).all()
    out = []
    for r in rows:
        status = "done" if r[2] != "count" else \
            {None: "open", "approve": "approved", "cancel": "cancelled"}[r[9]]
        out.append(DocSummary(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], status))
    return out

