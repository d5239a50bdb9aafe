"""Building the receipt document of a recorded sale (for any renderer) from the database."""

from __future__ import annotations

import uuid

from sqlalchemy import exists, select

from pos_app.domain.calendar import local_time
from pos_app.domain.errors import N_, DomainError
from pos_app.domain.kwitansi import RefundNote
from pos_app.domain.numbering import parse_sale_number
from pos_app.domain.receipt import ReceiptDoc, ReceiptLine, ReceiptPayment
from pos_app.persistence.models import Payment, PrintJob, Sale, SaleLine
from pos_app.services.setup.booth import Booth, booth_name, read_settings

TZ_LABELS = {"Asia/Makassar": "WITA", "Asia/Jakarta": "WIB", "Asia/Pontianak": "WIB",
             "Asia/Jayapura": "WIT"}
DEFAULT_FOOTER = N_("Thank you for supporting the work of NTT's correctional facilities")


def find_sale_id(booth: Booth, ref: str | uuid.UUID) -> uuid.UUID:
    """A sale by number (``KPG-01-000123``), by id, or by its receipt QR payload."""
    if isinstance(ref, uuid.UUID):
        return ref
    text = ref.strip()
    if text.upper().startswith("LAPAK:"):  # scanned from a receipt's QR code
        text = text.split(":")[1]
    parse_sale_number(text)
    with booth.db.read() as s:
        sale_id = s.execute(select(Sale.id).where(Sale.number == text.upper())).scalar()
    if sale_id is None:
        raise DomainError("unknown_sale", number=text)
    return sale_id


def sale_number_of(booth: Booth, ref: str | uuid.UUID) -> str:
    """The canonical number of the sale ``ref`` names (number in any case, id or QR)."""
    sale_id = find_sale_id(booth, ref)
    with booth.db.read() as s:
        return s.execute(select(Sale.number).where(Sale.id == sale_id)).scalar_one()


def already_printed(session, sale_id: uuid.UUID) -> bool:
    q = select(exists().where(PrintJob.document_id == sale_id, PrintJob.status == "printed",
                              PrintJob.document_kind == "receipt"))
    return bool(session.execute(q).scalar())


def reversals_of(session, sale_id: uuid.UUID) -> tuple[str | None, tuple[RefundNote, ...]]:
    """What was taken back of a sale: its void document's number (or None) and its refund
    documents (number and money given back), oldest first."""
    rows = session.execute(select(Sale.kind, Sale.number, Sale.total)
                           .where(Sale.refers_to_id == sale_id).order_by(Sale.seq)).all()
    void = next((number for kind, number, _total in rows if kind == "void"), None)
    refunds = tuple(RefundNote(number, total) for kind, number, total in rows
                    if kind == "refund")
    return void, refunds


def receipt_for(booth: Booth, sale_id: uuid.UUID, copy: bool | None = None,
                translate=lambda s: s) -> ReceiptDoc:
    """The receipt of a sale. ``copy=None`` means: a copy if it was printed before."""
    ctx = booth.context
    with booth.db.read() as s:
        sale = s.get(Sale, sale_id)
        if sale is None:
            raise DomainError("unknown_sale", number=str(sale_id))
        lines = s.execute(select(SaleLine).where(SaleLine.sale_id == sale_id)
                          .order_by(SaleLine.line_no)).scalars().all()
        payments = s.execute(select(Payment).where(Payment.sale_id == sale_id)
                             .order_by(Payment.line_no)).scalars().all()
        original = s.get(Sale, sale.refers_to_id).number if sale.refers_to_id else None
        settings = read_settings(s)
        is_copy = already_printed(s, sale_id) if copy is None else copy
        voided_by, refunds = reversals_of(s, sale_id)
    footer = settings.receipt_footer or translate(DEFAULT_FOOTER)
    return ReceiptDoc(
        sale_id=str(sale.id), number=sale.number, kind=sale.kind,
        issued_at=local_time(sale.created_at, ctx.timezone),
        tz_label=TZ_LABELS.get(ctx.timezone, ctx.timezone), cashier=sale.cashier_name,
        booth_name=booth_name(settings.booth_name, ctx.event_name),
        device_code=ctx.device_code,
        lines=tuple(ReceiptLine(ln.name, ln.qty, ln.unit_price, ln.gross,
                                ln.line_discount + ln.sale_discount, ln.tax, ln.tax_mode,
                                ln.total, ln.facility_name) for ln in lines),
        subtotal=sale.subtotal, discount=sale.discount, tax=sale.tax, total=sale.total,
        payments=tuple(ReceiptPayment(p.method, p.amount, p.tendered, p.change, p.reference,
                                      p.verified, p.qris_payload) for p in payments),
        change=sale.change, footer=tuple(footer.splitlines()), refers_to=original,
        copy=is_copy, demo=ctx.demo, voided_by=voided_by, refunds=refunds,
    )
