"""Sales history: find recorded sales by number, receipt QR, date or amount, each with its
state (voided, partly refunded, refunded) and the methods it was paid by."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import case, exists, func, or_, select
from sqlalchemy.orm import aliased

from pos_app.domain.money import MAX_DIGITS, RUPIAH_TEXT
from pos_app.domain.text import search_text
from pos_app.persistence.models import Payment, PrintJob, Sale, SaleLine
from pos_app.services.sale.printing import SENT
from pos_app.services.setup.booth import Booth


@dataclass(frozen=True)
class SaleSummary:
    id: uuid.UUID
    number: str
    created_at: datetime
    business_date: date
    kind: str
    cashier: str
    total: int
    print_status: str | None  # printed | sent | failed | None (never tried)
    state: str = "open"  # open | voided | partly_refunded | refunded (a sale's, else "open")
    methods: tuple[str, ...] = ()  # the payment methods, in the order paid
    refunded_total: int = 0  # the money its refund documents gave back

    @property
    def kept(self) -> int:
        """The money the booth kept of this sale: its total net of refunds."""
        return self.total - self.refunded_total

    @property
    def can_kwitansi(self) -> bool:
        """A kwitansi states money kept: none for a void or refund document, a voided sale
        or one refunded in full (the kwitansi service refuses those too)."""
        return (self.kind == "sale" and self.state in ("open", "partly_refunded")
                and self.kept > 0)

    @property
    def can_void(self) -> bool:
        """Only a sale nothing was taken back of yet can be voided (else: refund the rest)."""
        return self.kind == "sale" and self.state == "open"

    @property
    def can_refund(self) -> bool:
        return self.kind == "sale" and self.state in ("open", "partly_refunded")


def sale_state(kind: str, voided: bool, sold: int, refunded: int) -> str:
    """A sale's state from what was taken back of it: units ``refunded`` of ``sold``."""
    if kind != "sale":
        return "open"
    if voided:
        return "voided"
    if refunded <= 0:
        return "open"
    return "refunded" if refunded >= sold else "partly_refunded"


_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$|^(\d{1,2})/(\d{1,2})/(\d{4})$")


def _parse_date(text: str) -> date | None:
    m = _DATE.match(text)
    if not m:
        return None
    try:
        if m.group(1):
            return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        return date(int(m.group(6)), int(m.group(5)), int(m.group(4)))
    except ValueError:
        return None


def find_sales(booth: Booth, query: str = "", limit: int = 200) -> list[SaleSummary]:
    """Newest first. ``query`` may be a sale number (or its tail: ``123``), a scanned receipt
    QR (``LAPAK:KPG-01-000123:...``), a business date (``2026-11-21`` or ``21/11/2026``) or an
    exact amount (``170000`` or ``170.000``)."""
    text = search_text(query)
    last_print = (
        select(case((PrintJob.error_code == SENT, SENT), else_=PrintJob.status))
        .where(PrintJob.document_id == Sale.id, PrintJob.document_kind == "receipt")
        .order_by(PrintJob.seq.desc())
        .limit(1)
        .scalar_subquery()
    )
    doc, doc_line = aliased(Sale), aliased(SaleLine)
    voided = exists().where(doc.refers_to_id == Sale.id, doc.kind == "void")
    sold = (select(func.coalesce(func.sum(SaleLine.qty), 0)).where(SaleLine.sale_id == Sale.id)
            .scalar_subquery())
    refunded = (select(func.coalesce(func.sum(doc_line.qty), 0))
                .join(doc, doc.id == doc_line.sale_id)
                .where(doc.refers_to_id == Sale.id, doc.kind == "refund").scalar_subquery())
    refund_doc = aliased(Sale)
    refunded_total = (select(func.coalesce(func.sum(refund_doc.total), 0))
                      .where(refund_doc.refers_to_id == Sale.id, refund_doc.kind == "refund")
                      .scalar_subquery())
    methods = (select(func.group_concat(Payment.method, ","))
               .where(Payment.sale_id == Sale.id, Payment.amount > 0).scalar_subquery())
    page = select(Sale.id, Sale.seq)
    if text.upper().startswith("LAPAK:"):
        page = page.where(Sale.number == text.split(":")[1].upper())
    elif (day := _parse_date(text)) is not None:
        page = page.where(Sale.business_date == day)
    elif text:
        conditions = [func.upper(Sale.number).like(f"%{text.upper()}")]
        if RUPIAH_TEXT.fullmatch(text) and len(text.replace(".", "")) <= MAX_DIGITS:
            conditions.append(Sale.total == int(text.replace(".", "")))

        page = page.where(or_(*conditions))
    # The page first, then the figures of its rows only: the per-row look-ups never run
    # over the whole history.
    page = page.order_by(Sale.seq.desc()).limit(limit).subquery()
    q = select(
        Sale.id,
        Sale.number,
        Sale.created_at,
        Sale.business_date,
        Sale.kind,
        Sale.cashier_name,
        Sale.total,
        last_print,
        voided,
        sold,
        refunded,
        methods,
        refunded_total,
    ).join(page, page.c.id == Sale.id).order_by(page.c.seq.desc())
    with booth.db.read() as s:
        rows = s.execute(q).all()
    return [SaleSummary(*row[:8], state=sale_state(row.kind, bool(row[8]), row[9], row[10]),
                        methods=_methods(row[11]), refunded_total=row[12])
            for row in rows]


def _methods(joined: str | None) -> tuple[str, ...]:
    return tuple(m for m in dict.fromkeys((joined or "").split(",")) if m)
