"""Printing stock paperwork to PDF: tanda terima, surat retur with the facility's close-out,
adjustment slips, blind count sheets, variance reports, close-outs and price-tag label sheets.

Every file is written under a temporary name in the target folder and renamed into place,
so a failure never leaves a half-written PDF under the name the user asked for.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Sequence
from pathlib import Path

from sqlalchemy import select

from pos_app.domain.barcodes import label_code
from pos_app.domain.errors import DomainError, cannot_write, is_folder
from pos_app.domain.labels import MAX_COPIES, LabelItem, LabelLayout
from pos_app.domain.money import format_rupiah
from pos_app.persistence.models import Product, StockDocument
from pos_app.services.setup.booth import Booth
from pos_app.services.stock.stock_counts import variance
from pos_app.services.stock.stock_docs import close_out, document

Translate = Callable[[str], str]


def _identity(text: str) -> str:
    return text


def write_atomically(out: Path | str, render: Callable[[Path], object]) -> Path:
    """Run ``render(tmp)`` on a temporary file next to ``out``, then rename it to ``out``."""
    out = Path(out)
    if not out.name or out.is_dir():  # "" names the current folder
        raise is_folder(out)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise cannot_write(out, exc) from exc
    # A fresh name in the same folder (so the rename stays on one file system); the renderer
    # creates it with the user's usual file permissions.
    tmp = out.with_name(f".{out.name}.{uuid.uuid4().hex[:12]}.part")
    try:
        render(tmp)
        os.replace(tmp, out)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise cannot_write(out, exc) from exc
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return out


def _place(booth: Booth) -> str:
    return booth.settings().kwitansi_place


def _as_ref(ref: str | uuid.UUID) -> str | uuid.UUID:
    """A document number, or its id given as a UUID or as the text of one."""
    if isinstance(ref, uuid.UUID):
        return ref
    try:
        return uuid.UUID(ref.strip())
    except (AttributeError, ValueError):
        return ref


def _kind_of(booth: Booth, ref: str | uuid.UUID) -> str:
    q = select(StockDocument.kind)
    with booth.db.read() as s:
        kind = s.execute(q.where(StockDocument.id == ref) if isinstance(ref, uuid.UUID) else
                         q.where(StockDocument.number == (ref or "").strip().upper())).scalar()
    if kind is None:
        raise DomainError("unknown_stock_document", number=str(ref))
    return kind


def save_stock_document_pdf(booth: Booth, ref: str | uuid.UUID, out: Path,
                            translate: Translate = _identity, language: str = "id") -> Path:
    """The printed form of a stock document (number or id): a receipt prints as a tanda
    terima, a return as a surat retur with the facility's close-out, an adjustment as a slip
    and a count as its variance report."""
    from pos_app.adapters.pdf import stock_pdf

    ref = _as_ref(ref)
    kind = _kind_of(booth, ref)
    if kind == "count":
        return save_variance_pdf(booth, ref, out, translate, language)
    doc = document(booth, ref)
    place = _place(booth)
    if kind == "receipt":
        def render(tmp: Path) -> object:
            return stock_pdf.render_receipt_note_pdf(doc, tmp, translate, language, place)
    elif kind == "return":
        report = close_out(booth, doc.header.facility_code)

        def render(tmp: Path) -> object:
            return stock_pdf.render_return_note_pdf(doc, report, tmp, translate, language,
                                                    place)
    else:
        def render(tmp: Path) -> object:
            return stock_pdf.render_adjustment_pdf(doc, tmp, translate, language, place)
    return write_atomically(out, render)


def save_count_sheet_pdf(booth: Booth, count_ref: str | uuid.UUID, out: Path,
                         translate: Translate = _identity, language: str = "id") -> Path:
    """The blind sheet to count a facility's goods by hand (no expected quantities)."""
    from pos_app.adapters.pdf.stock_pdf import render_count_sheet_pdf

    report = variance(booth, _as_ref(count_ref))
    skus = [line.sku for line in report.lines]
    with booth.db.read() as s:
        barcodes = dict(s.execute(select(Product.sku, Product.barcode)
                                  .where(Product.sku.in_(skus))).all()) if skus else {}
    place = _place(booth)
    return write_atomically(out, lambda tmp: render_count_sheet_pdf(
        report, tmp, translate, language, place, barcodes))


def save_variance_pdf(booth: Booth, count_ref: str | uuid.UUID, out: Path,
                      translate: Translate = _identity, language: str = "id") -> Path:
    """Expected, counted, difference and value per product of a count, with its status."""
    from pos_app.adapters.pdf.stock_pdf import render_variance_pdf

    report = variance(booth, _as_ref(count_ref))
    place = _place(booth)
    return write_atomically(out, lambda tmp: render_variance_pdf(
        report, tmp, translate, language, place))


def save_close_out_pdf(booth: Booth, facility_code: str, out: Path,
                       translate: Translate = _identity, language: str = "id") -> Path:
    """A facility's received, sold, refunded, adjusted, returned and remaining goods."""
    from pos_app.adapters.pdf.stock_pdf import render_close_out_pdf

    report = close_out(booth, facility_code)
    place = _place(booth)
    return write_atomically(out, lambda tmp: render_close_out_pdf(
        report, tmp, translate, language, place))


def label_layout(booth: Booth) -> LabelLayout:
    """The label sheet from the settings ``label_cols`` and ``label_rows``."""
    settings = booth.settings()
    return LabelLayout(cols=settings.label_cols, rows=settings.label_rows)


def label_items(booth: Booth, items: Sequence[tuple[str, int]]) -> list[LabelItem]:
    """(SKU, copies) -> the labels in order, each SKU repeated ``copies`` times."""
    wanted = []
    for sku, copies in items:
        if isinstance(copies, bool) or not isinstance(copies, int) \
                or not 1 <= copies <= MAX_COPIES:
            raise DomainError("bad_quantity", qty=copies, max=MAX_COPIES)
        wanted.append(((sku or "").strip().upper(), sku, copies))
    with booth.db.read() as s:
        found = {row.sku: row for row in s.execute(
            select(Product.sku, Product.barcode, Product.name, Product.price)
            .where(Product.sku.in_([key for key, _, _ in wanted])))}
    labels = []
    for key, sku, copies in wanted:
        row = found.get(key)
        if row is None:
            raise DomainError("unknown_product", ref=sku)
        item = LabelItem(row.name, format_rupiah(row.price), label_code(row.sku, row.barcode))
        labels.extend([item] * copies)
    return labels


def save_labels_pdf(booth: Booth, items: Sequence[tuple[str, int]], out: Path,
                    layout: LabelLayout | None = None) -> Path:
    """Price tags for (SKU, copies), on as many sheets as they need."""
    from pos_app.adapters.pdf.labels_pdf import render_labels_pdf

    labels = label_items(booth, items)
    grid = layout or label_layout(booth)
    return write_atomically(out, lambda tmp: render_labels_pdf(labels, grid, tmp))
