"""A kwitansi for a recorded sale, for institutional buyers (paving blocks, cloth, ...)."""

from __future__ import annotations

import uuid
from pathlib import Path

from pos_app.domain.kwitansi import KwitansiDoc
from pos_app.services.sale.receipts import find_sale_id, receipt_for
from pos_app.services.setup.booth import Booth


def kwitansi_for(booth: Booth, sale: str | uuid.UUID, buyer: str, institution: str = "",
                 purpose: str | None = None, translate=lambda s: s) -> KwitansiDoc:
    doc = receipt_for(booth, find_sale_id(booth, sale), copy=False, translate=translate)
    items = ", ".join(f"{line.qty} {line.name}" for line in doc.lines)
    return KwitansiDoc(
        number=doc.number,
        issued_on=doc.issued_at.date(),
        place=booth.settings().kwitansi_place,
        buyer=buyer.strip(),
        institution=institution.strip(),
        amount=doc.total,
        purpose=purpose or translate("Purchase of goods made by inmates: {items}").format(
            items=items),
        booth_name=doc.booth_name,
        receiver=doc.cashier,
        demo=doc.demo,
    )


def save_kwitansi_pdf(booth: Booth, sale: str | uuid.UUID, out: Path, buyer: str,
                      institution: str = "", purpose: str | None = None,
                      translate=lambda s: s, language: str = "id") -> Path:
    from pos_app.adapters.pdf.kwitansi_pdf import render_kwitansi_pdf

    doc = kwitansi_for(booth, sale, buyer, institution, purpose, translate)
    return render_kwitansi_pdf(doc, out, translate, language)
