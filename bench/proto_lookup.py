"""A prototype of faster catalog lookups, for the lead to judge (NOT used by the app).

* ``find_by_code``: a Core ``Connection`` (no Session, no explicit BEGIN/COMMIT around a
  single-statement read) and statements built once with ``bindparam``.
* ``search``: an FTS5 index keyed by the product's ``rowid`` (contentless, so no text is
  stored twice and no ``product_id`` column is read back per match), a covering index
  ``product(active, name, sku)``, and a two-step query: with many matches (>= 500, counted
  with a capped FTS count) SQLite walks that index in name order, keeps the rowids the FTS
  matched and stops at 50 (no sort of thousands of matches); with few it sorts them. Then
  the columns of those 50 are fetched. Ties are ordered by SKU (stable pages).
  ``install()`` adds both (``bench_fts``, ``bench_ix_product_active_name``) to a scratch
  copy; in the app it would be a migration replacing ``product_fts`` (triggers insert
  ``new.rowid``), plus repopulating it after any ``VACUUM`` (which may renumber rowids of
  a table without an INTEGER PRIMARY KEY).
"""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

from sqlalchemy import bindparam, select, text

from pos_app.persistence.models import Facility, Product
from pos_app.services.catalog.catalog import ProductRow

_P, _F = Product.__table__.c, Facility.__table__.c
_BASE = select(_P.id, _P.sku, _P.barcode, _P.name, _P.price, _P.tax_mode, _P.active,
               _P.category_id, _P.facility_id, _F.code, _F.name).join_from(
    Product.__table__, Facility.__table__, _F.id == _P.facility_id)
BY_BARCODE = _BASE.where(_P.barcode == bindparam("code"))
BY_SKU = _BASE.where(_P.sku == bindparam("code"))
# Few matches: sort them (cheap). Many: walk the name index and stop at the 50th match.
FEW = 500
COUNT_CAPPED = text(
    f"SELECT count(*) FROM (SELECT rowid FROM bench_fts WHERE bench_fts MATCH :m LIMIT {FEW})")
TOP_SORT = text(
    "SELECT rowid FROM product NOT INDEXED WHERE active = 1 AND rowid IN "
    "(SELECT rowid FROM bench_fts WHERE bench_fts MATCH :m) ORDER BY name, sku LIMIT :n")
TOP_WALK = text(
    "SELECT rowid FROM product INDEXED BY bench_ix_product_active_name WHERE active = 1 "
    "AND rowid IN (SELECT rowid FROM bench_fts WHERE bench_fts MATCH :m) "
    "ORDER BY active, name, sku LIMIT :n")
SEARCH = _BASE.where(text("product.rowid IN :ids").bindparams(
    bindparam("ids", expanding=True))).order_by(_P.name, _P.sku)
_WORD = re.compile(r"\w+", re.UNICODE)


def install(path: Path) -> None:
    """Add the rowid-keyed FTS index and the name index to a (scratch) database."""
    conn = sqlite3.connect(str(path))
    with conn:
        conn.execute("CREATE VIRTUAL TABLE IF NOT EXISTS bench_fts USING fts5(name, sku, barcode,"
                     " content='', tokenize='unicode61 remove_diacritics 2')")
        conn.execute("INSERT INTO bench_fts(rowid, name, sku, barcode) "
                     "SELECT rowid, name, sku, coalesce(barcode, '') FROM product")
        conn.execute("CREATE INDEX IF NOT EXISTS bench_ix_product_active_name "
                     "ON product(active, name, sku)")
    conn.close()


class ProtoLookup:
    def __init__(self, engine) -> None:
        self.engine = engine

    def find_by_code(self, code: str) -> ProductRow | None:
        code = code.strip()
        if not code:
            return None
        with self.engine.connect() as conn:
            row = conn.execute(BY_BARCODE, {"code": code}).first()
            if row is None:
                row = conn.execute(BY_SKU, {"code": code.upper()}).first()
        return ProductRow(*row) if row else None

    def search(self, query: str, limit: int = 50) -> list[ProductRow]:
        words = _WORD.findall(query)
        if not words:
            return []
        match = " ".join(f'"{w}"*' for w in words)
        with self.engine.connect() as conn:
            few = conn.execute(COUNT_CAPPED, {"m": match}).scalar_one() < FEW
            top = TOP_SORT if few else TOP_WALK
            ids = [r[0] for r in conn.execute(top, {"m": match, "n": limit})]
            if not ids:
                return []
            return [ProductRow(*r) for r in conn.execute(SEARCH, {"ids": ids})]
