"""Stock use cases of the back office (the command line): each writes one stock document
and returns it as written, or reads what one command shows, so a command is one call."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from pos_app.domain.errors import DomainError
from pos_app.domain.stock import StockDoc
from pos_app.services.catalog.catalog import ProductRow, categories, find_by_code
from pos_app.services.catalog.catalog_edit import create_product
from pos_app.services.setup.booth import Booth
from pos_app.services.stock.stock import MovementRow, movements
from pos_app.services.stock.stock_counts import open_count_of
from pos_app.services.stock.stock_docs import (
    DocResult,
    adjust,
    document,
    receive,
    return_goods,
)
from pos_app.services.stock.stock_print import save_count_sheet_pdf


@dataclass(frozen=True)
class WrittenDoc:
    result: DocResult
    doc: StockDoc  # the document as it now reads


@dataclass(frozen=True)
class ProductHistory:
    product: ProductRow
    movements: list[MovementRow]
    timezone: str  # the booth's, to show the times in

    @property
    def on_hand(self) -> int:
        return self.movements[-1].balance if self.movements else 0


@dataclass(frozen=True)
class NewProduct:
    product: ProductRow
    category_code: str | None


@dataclass(frozen=True)
class CountSheet:
    number: str
    path: Path


def receive_goods(booth: Booth, facility_code: str, items: Iterable[tuple[str, int]], *,
                  reference: str, actor: str, actor_role: str,
                  doc_date: date | None = None) -> WrittenDoc:
    """Goods received from a facility (a tanda terima), read back for showing."""
    res = receive(booth, facility_code, items, reference=reference, actor=actor,
                  actor_role=actor_role, doc_date=doc_date)
    return WrittenDoc(res, document(booth, res.id))


def return_remaining(booth: Booth, facility_code: str, *, actor: str, actor_role: str,
                     reference: str = "") -> WrittenDoc:
    """A facility's remaining goods sent back (a surat retur), read back for showing."""
    res = return_goods(booth, facility_code, actor=actor, actor_role=actor_role,
                       reference=reference)
    return WrittenDoc(res, document(booth, res.id))


def adjust_stock(booth: Booth, facility_code: str, items: Iterable[tuple[str, int]], *,
                 reason: str, actor: str, actor_role: str) -> WrittenDoc:
    """A stand-alone adjustment, read back for showing."""
    res = adjust(booth, facility_code, items, reason=reason, actor=actor,
                 actor_role=actor_role)
    return WrittenDoc(res, document(booth, res.id))


def product_history(booth: Booth, code: str) -> ProductHistory:
    """A product (by SKU or barcode) with its stock movements, oldest first."""
    product = find_by_code(booth, code)
    if product is None:
        raise DomainError("unknown_product", ref=code)
    return ProductHistory(product, movements(booth, product.id), booth.context.timezone)


def add_product(booth: Booth, *, name: str, facility_code: str, category_code: str,
                price: int, actor: str, actor_role: str, sku: str | None = None,
                barcode: str | None = None) -> NewProduct:
    """A product created on the spot (e.g. a painting with no catalog entry)."""
    row = create_product(booth, name=name, facility_code=facility_code,
                         category_code=category_code, price=price, actor=actor,
                         actor_role=actor_role, sku=sku, barcode=barcode)
    category = {c.id: c.code for c in categories(booth)}.get(row.category_id)
    return NewProduct(row, category)


def save_open_count_sheet(booth: Booth, facility_code: str, out: Path, *, translate,
                          language: str) -> CountSheet:
    """The blind count sheet of the facility's open count as a PDF."""
    number = open_count_of(booth, facility_code)
    if number is None:
        raise DomainError("no_open_count", facility=facility_code.strip().upper())
    return CountSheet(number, save_count_sheet_pdf(booth, number, out, translate=translate,
                                                   language=language))
