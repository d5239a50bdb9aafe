"""A kwitansi for a recorded sale, for institutional buyers (paving blocks, cloth, ...).

Issuing one numbers it per device (``KPG-01-KW-000012``) and journals it, in one write
transaction. It states the money kept: refused for a void or refund document, a voided sale
or a sale refunded in full; net of refunds (named) for a partly refunded sale. A second
print for the same sale and amount keeps the number and says SALINAN; once a later refund
changed the amount, the sale gets a new kwitansi that names the one it replaces (on paper too).
A copy repeats the original's buyer, institution and purpose: different ones are refused.

Saving a PDF renders it beside the target under a temporary name, renames it into place and
only then commits the number and its journal entry: a save that fails uses no number.
"""

from __future__ import annotations

import contextlib
import json
import os
import uuid
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select

from pos_app.domain.errors import DomainError, cannot_write, is_folder
from pos_app.domain.kwitansi import (
    BUYER,
    INSTITUTION,
    PURPOSE,
    KwitansiDoc,
    kwitansi_amount,
    kwitansi_number,
    kwitansi_text,
)
from pos_app.persistence.models import AuditEvent, Sale, SaleLine
from pos_app.services.access import audit
from pos_app.services.sale.receipts import find_sale_id, receipt_for, reversals_of
from pos_app.services.setup.booth import Booth
from pos_app.services.setup.records import Recorder, bump_counter

ISSUE, COPY = "kwitansi.issue", "kwitansi.copy"


@dataclass(frozen=True)
class KwitansiPlan:
    """What saving a kwitansi for a sale would do now (read, nothing written)."""

    amount: int
    copy_of: str | None  # the kwitansi a save would copy (SALINAN), if any
    buyer: str = ""  # the original's (a copy repeats it) or the last issued one's
    institution: str = ""
    purpose: str | None = None  # a copy's purpose; None: a new one names the goods
    replaces: str | None = None  # the kwitansi a new one would replace


def kwitansi_plan(booth: Booth, sale: str | uuid.UUID) -> KwitansiPlan:
    """Whether a save would issue or copy a kwitansi, for how much and to whom, or the
    DomainError saying why the sale gets none (writes nothing)."""
    sale_id = find_sale_id(booth, sale)
    with booth.db.read() as s:
        row = s.get(Sale, sale_id)
        void, refunds = reversals_of(s, sale_id)
        amount = kwitansi_amount(row.number, row.kind, row.total, void, refunds)
        before = last_issued(s, sale_id)
    if before is None:
        return KwitansiPlan(amount, None)
    if before["amount"] == amount:
        return KwitansiPlan(amount, before["number"], before["buyer"], before["institution"],
                            before.get("purpose"), before.get("replaces"))
    return KwitansiPlan(amount, None, before["buyer"], before["institution"],
                        replaces=before["number"])


def check_kwitansi(booth: Booth, sale: str | uuid.UUID) -> int:
    """The amount a kwitansi for ``sale`` would state, or the DomainError saying why it
    gets none (writes nothing)."""
    return kwitansi_plan(booth, sale).amount


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


def _same(typed: str, original: str | None) -> bool:
    return " ".join(typed.split()).casefold() == " ".join((original or "").split()).casefold()


def _issue(s, booth: Booth, sale_id: uuid.UUID, doc, buyer: str, institution: str,
           purpose: str | None, translate, actor: str) -> KwitansiDoc:
    """Number (or copy) and journal the kwitansi of a sale in the write session ``s``."""
    ctx = booth.context
    row = s.get(Sale, sale_id)
    void, refunds = reversals_of(s, sale_id)
    amount = kwitansi_amount(row.number, row.kind, row.total, void, refunds)
    rec = Recorder(s, ctx.device_id, booth.clock.now())
    before = last_issued(s, sale_id)
    copy = before is not None and before["amount"] == amount
    if copy:  # a copy repeats the original: a different payer would be a second kwitansi
        if not ((not buyer or _same(buyer, before["buyer"]))
                and (not institution or _same(institution, before["institution"]))
                and (not purpose or _same(purpose, before.get("purpose")))):
            raise DomainError("kwitansi_copy_differs", number=before["number"],
                              buyer=before["buyer"])
        number, replaces = before["number"], before.get("replaces")
        buyer, institution = before["buyer"], before["institution"]
        purpose = before.get("purpose") or purpose
    else:
        kwitansi_text(buyer, BUYER, required=True)
        number = kwitansi_number(ctx.device_code, bump_counter(s, ctx.device_id, "kwitansi"))
        replaces = before["number"] if before else None
    purpose = purpose or translate("Purchase of goods made by inmates: {items}").format(
        items=items_kept(s, sale_id))
    payload = {"number": number, "sale": row.number, "amount": amount, "buyer": buyer,
               "institution": institution, "refunds": [[r.number, r.total] for r in refunds]}
    if copy:
        audit.append(rec, actor or doc.cashier, COPY, "sale", sale_id, payload)
    else:
        audit.append(rec, actor or doc.cashier, ISSUE, "sale", sale_id,
                     {**payload, "purpose": purpose, "replaces": replaces})
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
        replaces=replaces or "",
    )


def _prepare(booth: Booth, sale: str | uuid.UUID, buyer: str, institution: str,
             purpose: str | None, translate):
    """The sale's id, its receipt and the user's text checked (before any write)."""
    sale_id = find_sale_id(booth, sale)
    doc = receipt_for(booth, sale_id, copy=False, translate=translate)
    return (sale_id, doc, kwitansi_text(buyer, BUYER), kwitansi_text(institution, INSTITUTION),
            kwitansi_text(purpose, PURPOSE) or None)


def kwitansi_for(booth: Booth, sale: str | uuid.UUID, buyer: str, institution: str = "",
                 purpose: str | None = None, translate=lambda s: s,
                 actor: str = "") -> KwitansiDoc:
    """Issue (or, the second time, copy) the kwitansi of a sale and journal it."""
    sale_id, doc, buyer, institution, purpose = _prepare(booth, sale, buyer, institution,
                                                         purpose, translate)
    with booth.db.write() as s:
        return _issue(s, booth, sale_id, doc, buyer, institution, purpose, translate, actor)


def issue_kwitansi_pdf(booth: Booth, sale: str | uuid.UUID, out: Path, buyer: str,
                       institution: str = "", purpose: str | None = None,
                       translate=lambda s: s, language: str = "id",
                       actor: str = "") -> tuple[KwitansiDoc, Path]:
    """Issue (or copy) the kwitansi of a sale and write it as an A4 PDF at ``out``.

    The PDF is rendered under a temporary name beside ``out`` and renamed into place inside
    the transaction that numbers and journals it: if it cannot be written, no number is used
    and nothing is journaled (``cannot_write``)."""
    from pos_app.adapters.pdf.fonts import register_fonts
    from pos_app.adapters.pdf.kwitansi_pdf import render_kwitansi_pdf

    target = Path(out)
    if target.is_dir():
        raise is_folder(target)
    sale_id, doc, buyer, institution, purpose = _prepare(booth, sale, buyer, institution,
                                                         purpose, translate)
    register_fonts()  # once per process, before the write lock is taken
    tmp = target.with_name(f".{target.name}.{uuid.uuid4().hex[:12]}.part")
    placed = False
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with booth.db.write() as s:
            made = _issue(s, booth, sale_id, doc, buyer, institution, purpose, translate,
                          actor)
            render_kwitansi_pdf(made, tmp, translate, language)
            os.replace(tmp, target)
            placed = True
    except OSError as exc:
        raise cannot_write(target, exc) from exc
    except BaseException:
        if placed:  # the commit failed: no file may show a number that was not kept
            target.unlink(missing_ok=True)
        raise
    finally:
        with contextlib.suppress(OSError):  # gone already, or its folder never was one
            tmp.unlink(missing_ok=True)
    return made, target


def save_kwitansi_pdf(booth: Booth, sale: str | uuid.UUID, out: Path, buyer: str,
                      institution: str = "", purpose: str | None = None,
                      translate=lambda s: s, language: str = "id", actor: str = "") -> Path:
    """:func:`issue_kwitansi_pdf`, returning the file written."""
    return issue_kwitansi_pdf(booth, sale, out, buyer, institution, purpose, translate,
                              language, actor)[1]
