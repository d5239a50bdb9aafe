"""Reading the catalog for the sale screen and the CLI: grid pages, barcode/SKU lookup and
text search (SQLite FTS5, prefix match on every word)."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass

from sqlalchemy import func, select, text

from pos_app.domain.cart import ProductRef
from pos_app.domain.tax import TaxMode
from pos_app.domain.text import search_text
from pos_app.persistence.models import Category, Facility, Product
from pos_app.services.setup.booth import Booth


@dataclass(frozen=True)
class FacilityRow:
    id: uuid.UUID
    code: str
    name: str
    kind: str
    region: str


@dataclass(frozen=True)
class CategoryRow:
    id: uuid.UUID
    code: str
    name: str


@dataclass(frozen=True)
class ProductRow:
    id: uuid.UUID
    sku: str
    barcode: str | None
    name: str
    price: int
    tax_mode: str
    active: bool
    category_id: uuid.UUID
    facility_id: uuid.UUID
    facility_code: str
    facility_name: str
    image: str | None = None  # the photo's hash (services.catalog.photos), None: no photo

    def ref(self) -> ProductRef:
        return ProductRef(self.id, self.sku, self.name, self.price, self.facility_id,
                          self.facility_name, TaxMode(self.tax_mode), self.barcode)


_PRODUCT_COLUMNS = (
    Product.id, Product.sku, Product.barcode, Product.name, Product.price, Product.tax_mode,
    Product.active, Product.category_id, Product.facility_id, Facility.code, Facility.name,
    Product.image,
)


def _product_query():
    return select(*_PRODUCT_COLUMNS).join(Facility, Facility.id == Product.facility_id)


def _rows(result) -> list[ProductRow]:
    return [ProductRow(*row) for row in result]


def facilities(booth: Booth) -> list[FacilityRow]:
    with booth.db.read() as s:
        q = select(Facility.id, Facility.code, Facility.name, Facility.kind, Facility.region)
        return [FacilityRow(*r) for r in s.execute(q.order_by(Facility.name))]


def categories(booth: Booth) -> list[CategoryRow]:
    with booth.db.read() as s:
        q = select(Category.id, Category.code, Category.name).order_by(Category.sort, Category.name)
        return [CategoryRow(*r) for r in s.execute(q)]


def products(
    booth: Booth,
    category_id: uuid.UUID | None = None,
    facility_id: uuid.UUID | None = None,
    limit: int = 200,
    offset: int = 0,
) -> list[ProductRow]:
    """Active products for the grid, by name, optionally of one category and/or facility."""
    q = _product_query().where(Product.active.is_(True))
    if category_id is not None:
        q = q.where(Product.category_id == category_id)
    if facility_id is not None:
        q = q.where(Product.facility_id == facility_id)
    with booth.db.read() as s:
        return _rows(s.execute(q.order_by(Product.name).limit(limit).offset(offset)))


def count_products(booth: Booth) -> int:
    with booth.db.read() as s:
        return s.execute(select(func.count()).select_from(Product)).scalar_one()


def get_product(booth: Booth, product_id: uuid.UUID) -> ProductRow | None:
    with booth.db.read() as s:
        rows = _rows(s.execute(_product_query().where(Product.id == product_id)))
    return rows[0] if rows else None


def find_by_code(booth: Booth, code: str) -> ProductRow | None:
    """What a scanner sends: a barcode, or a SKU from our own labels (any case)."""
    code = code.strip()
    if not code:
        return None
    with booth.db.read() as s:
        rows = _rows(s.execute(_product_query().where(Product.barcode == code)))
        if not rows:
            rows = _rows(s.execute(_product_query().where(Product.sku == code.upper())))
    return rows[0] if rows else None


_WORD = re.compile(r"\w+", re.UNICODE)


def fts_query(text_in: str) -> str | None:
    """``kopi flo`` -> ``"kopi"* "flo"*``: every word must start some indexed word."""
    words = _WORD.findall(search_text(text_in))
    if not words:
        return None
    return " ".join(f'"{w}"*' for w in words)


SEARCH_CANDIDATES = 300  # enough for any booth; a 20k catalog narrows as the cashier types

_SEARCH = text(
    "SELECT p.id, p.sku, p.barcode, p.name, p.price, p.tax_mode, p.active, p.category_id, "
    "p.facility_id, f.code, f.name, p.image "
    "FROM (SELECT rowid AS r FROM product_fts WHERE product_fts MATCH :m LIMIT :cap) AS hit "
    "JOIN product AS p ON p.rowid = hit.r JOIN facility AS f ON f.id = p.facility_id "
    "WHERE p.active = 1 AND (:facility IS NULL OR p.facility_id = :facility) "
    "ORDER BY p.name, p.sku LIMIT :limit"
).columns(*_PRODUCT_COLUMNS)


def search(
    booth: Booth, query: str, facility_id: uuid.UUID | None = None, limit: int = 50
) -> list[ProductRow]:
    """Active products whose name, SKU or barcode words start with each typed word.

    The index yields at most ``SEARCH_CANDIDATES`` hits, sorted by name: complete for any
    real booth; on a huge catalog a one-letter query shows a first page, not all matches.
    """
    match = fts_query(query)
    if match is None:
        return []
    params = {"m": match, "cap": SEARCH_CANDIDATES, "limit": limit,
              "facility": facility_id.hex if facility_id else None}
    with booth.db.read() as s:
        return _rows(s.connection().execute(_SEARCH, params))
