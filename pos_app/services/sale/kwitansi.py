"""A kwitansi for a recorded sale, for institutional buyers (paving blocks, cloth, ...).

Issuing one numbers it per device (``KPG-01-KW-000012``) and journals it, in one write
transaction. It states the money kept: refused for a void or refund document, a voided sale
or a sale refunded in full; net of refunds (named) for a partly refunded sale. A second
print for the same sale and amount keeps the number and says SALINAN; once a later refund
changed the amount, the sale gets a new kwitansi that names the one it replaces.
"""

from __future__ import annotations

import json
import uuid
from pathlib import Path

from sqlalchemy import func, select

from pos_app.domain.kwitansi import KwitansiDoc, kwitansi_amount, kwitansi_number
from pos_app.persistence.models import AuditEvent, Sale, SaleLine
from pos_app.services.access import audit
from pos_app.services.sale.receipts import find_sale_id, receipt_for, reversals_of
from pos_app.services.setup.booth import Booth
from pos_app.services.setup.records import Recorder, bump_counter

ISSUE, COPY = "kwitansi.issue", "kwitansi.copy"


def check_kwitansi(booth: Booth, sale: str | uuid.UUID) -> int:
    """The amount a kwitansi for ``sale`` would state, or the DomainError saying why it
    gets none (writes nothing)."""
    sale_id = find_sale_id(booth, sale)
    with booth.db.read() as s:
        row = s.get(Sale, sale_id)
        void, refunds = reversals_of(s, sale_id)
        return kwitansi_amount(row.number, row.kind, row.total, void, refunds)


def last_issued(session, sale_id: uuid.UUID) -> dict | None:
    """The payload of the newest kwitansi issued for a sale, if any."""
    payload = session.execute(
        select(AuditEvent.payload)
        .where(AuditEvent.action == ISSUE, AuditEvent.subject_kind == "sale",
               AuditEvent.subject_id == sale_id.hex)
        .order_by(AuditEvent.created_at.desc(), AuditEvent.chain_index.desc()).limit(1)
    ).scalar()
    return json.loads(payload) if payload else None


def items_kept(session, sale_id: uuid.UUID) -> str:
    """``2 Kopi ..., 1 Se'i ...``: what the buyer kept of a sale (refunded units left out)."""
    refunded = dict(session.execute(
        select(SaleLine.line_no, func.sum(SaleLine.qty)).join(Sale, Sale.id == SaleLine.sale_id)
        .where(Sale.refers_to_id == sale_id, Sale.kind == "refund")
        .group_by(SaleLine.line_no)).all())
    lines = session.execute(select(SaleLine.line_no, SaleLine.qty, SaleLine.name)
                            .where(SaleLine.sale_id == sale_id).order_by(SaleLine.line_no))
    return ", ".join(f"{qty - refunded.get(no, 0)} {name}" for no, qty, name in lines
                     if qty > refunded.get(no, 0))


def kwitansi_for(booth: Booth, sale: str | uuid.UUID, buyer: str, institution: str = "",
                 purpose: str | None = None, translate=lambda s: s,
                 actor: str = "") -> KwitansiDoc:
    """Issue (or, the second time, copy) the kwitansi of a sale and journal it."""
    sale_id = find_sale_id(booth, sale)
    doc = receipt_for(booth, sale_id, copy=False, translate=translate)
    buyer, institution = buyer.strip(), institution.strip()
    ctx = booth.context
    with booth.db.write() as s:
        row = s.get(Sale, sale_id)
        void, refunds = reversals_of(s, sale_id)
        amount = kwitansi_amount(row.number, row.kind, row.total, void, refunds)
        purpose = purpose or translate("Purchase of goods made by inmates: {items}").format(
            items=items_kept(s, sale_id))
        rec = Recorder(s, ctx.device_id, booth.clock.now())
        before = last_issued(s, sale_id)
        payload = {"sale": row.number, "amount": amount, "buyer": buyer,
                   "institution": institution,
                   "refunds": [[r.number, r.total] for r in refunds]}
        if before is not None and before["amount"] == amount:
            number, copy = before["number"], True
            audit.append(rec, actor or doc.cashier, COPY, "sale", sale_id,
                         {"number": number, **payload})
        else:
            number = kwitansi_number(ctx.device_code, bump_counter(s, ctx.device_id, "kwitansi"))
            copy = False
            audit.append(rec, actor or doc.cashier, ISSUE, "sale", sale_id, {
                "number": number, **payload, "purpose": purpose,
                "replaces": before["number"] if before else None})
    return KwitansiDoc(
        number=number,
        issued_on=doc.issued_at.date(),
        place=booth.settings().kwitansi_place,
        buyer=buyer,
        institution=institution,
        amount=amount,
        purpose=purpose,
        booth_name=doc.booth_name,
        receiver=doc.cashier,
        demo=doc.demo,
        sale_number=row.number,
        copy=copy,
        refunds=refunds,
    )


def issue_kwitansi_pdf(booth: Booth, sale: str | uuid.UUID, out: Path, buyer: str,
                       institution: str = "", purpose: str | None = None,
                       translate=lambda s: s, language: str = "id",
                       actor: str = "") -> tuple[KwitansiDoc, Path]:
    """Issue (or copy) the kwitansi of a sale and write it as an A4 PDF at ``out``."""
    from pos_app.adapters.pdf.kwitansi_pdf import render_kwitansi_pdf

    doc = kwitansi_for(booth, sale, buyer, institution, purpose, translate, actor)
    return doc, render_kwitansi_pdf(doc, out, translate, language)


def save_kwitansi_pdf(booth: Booth, sale: str | uuid.UUID, out: Path, buyer: str,
                      institution: str = "", purpose: str | None = None,
                      translate=lambda s: s, language: str = "id", actor: str = "") -> Path:
    """:func:`issue_kwitansi_pdf`, returning the file written."""
    return issue_kwitansi_pdf(booth, sale, out, buyer, institution, purpose, translate,
                              language, actor)[1]
