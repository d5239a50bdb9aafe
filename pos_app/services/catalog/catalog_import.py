"""Catalog import from CSV or XLSX: facilities, categories and products, all rows or none.

Each table is recognised by its header. Every row is checked against the file and the
database before anything is written; any problem rejects the whole import with a list of
row-numbered, column-named errors. Products are upserted by SKU (a changed product gets a
new revision); a ``stock`` column records opening stock as received goods; a ``photo`` (or
``foto``) column names a picture file beside the catalog file, and an XLSX may hold pictures
anchored on product rows (:mod:`pos_app.services.catalog.import_photos`). Facilities may
carry their settlement percentages (``pnbp``, ``premi``, ``modal``, ``program``): all four,
adding up to 100, or none (not set).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path

from sqlalchemy import select, update

from pos_app.adapters.tabular import Sheet, open_tables
from pos_app.domain.errors import DomainError, ImportRejected, RowError
from pos_app.domain.ids import catalog_id
from pos_app.domain.settlement import PARTS
from pos_app.persistence.models import Category, Facility, Product, StockMovement
from pos_app.services.catalog.catalog_rows import (
    SHAPES,
    Errors,
    Parse,
    Rows,
    kind_of,
)
from pos_app.services.catalog.import_photos import ImportPhotos
from pos_app.services.setup.booth import Booth
from pos_app.services.setup.records import Recorder

BATCH = 500  # rows written at a time (and the SKUs of one IN list)



@dataclass
class ImportSummary:
    facilities_added: int = 0
    facilities_updated: int = 0
    categories_added: int = 0
    categories_updated: int = 0
    products_added: int = 0
    products_updated: int = 0
    stock_units: int = 0
    photos_made: int = 0  # thumbnails made and kept (a picture this booth had is not counted)
    errors: list[RowError] = field(default_factory=list)








@contextmanager
def _catalog_sheets(path: Path) -> Iterator[list[tuple[str, Sheet]]]:
    """The file's sheets as (kind, sheet) in the order to read and write them (facilities,
    categories, products), rows still to stream; a sheet that is no table of the catalog
    refuses the file."""
    with open_tables(path, formulas=True) as sheets:
        kinds = [(sheet, kind_of(sheet)) for sheet in sheets]
        for sheet, kind in kinds:
            if kind is None:
                missing = sorted(SHAPES["products"][0] - set(sheet.header))
                raise DomainError("import_missing_column", path=str(path),
                                  column=", ".join(missing))
        order = {"facilities": 0, "categories": 1, "products": 2}
        yield sorted(((k, sheet) for sheet, k in kinds), key=lambda ks: order[ks[0]])


def check_catalog(path: Path | str, facilities: dict, categories: dict, products: dict,
                  photos: ImportPhotos | None = None) -> int:
    """Check every row of a catalog file against the codes already known (``facilities``
    and ``categories``: code -> id, ``products``: SKU -> (id, barcode)), reading it once
    as a stream. Returns the number of rows; raises ``ImportRejected`` with the row errors,
    or ``DomainError`` for a file that is no catalog. ``facilities``/``categories`` gain the
    file's new codes (id None). With ``photos`` every product's picture is found and shrunk
    (a problem is a row error); without, photo columns are not read."""
    path = Path(path)
    errors, rows_read = Errors(), 0
    owner = {bc: sku for sku, (_, bc) in products.items() if bc}
    incoming: set[str] = set()
    taken: list[tuple[int, str | None, str, str]] = []  # (row, sheet, row's SKU, owner)
    with _catalog_sheets(path) as sheets:
        for kind, sheet in sheets:
            for n, row in getattr(Parse, kind)(Rows(sheet, errors), facilities, categories):
                rows_read += 1
                if kind != "products":
                    continue
                if photos is not None:
                    photos.check(errors, sheet, n, row["photo"])
                incoming.add(row["sku"])
                holder = owner.get(row["barcode"]) if row["barcode"] else None
                if holder and holder != row["sku"]:
                    taken.append((n, sheet.name, row["sku"], holder))
    if not rows_read:
        raise DomainError("import_no_rows", path=str(path))
    # A barcode must not already belong to another SKU that this file does not also touch.
    for n, sheet_name, _sku, holder in taken:
        if holder not in incoming:
            errors.add(RowError(n, "barcode", "barcode_taken", sheet=sheet_name, sku=holder))
    errors.reject(path)
    return rows_read


@contextmanager
def planned_rows(path: Path | str, facilities: dict,
                 categories: dict) -> Iterator[Iterator[tuple[str, Sheet, Iterator]]]:
    """A checked file's rows again, streamed: (kind, sheet, (row number, values) ...) in the
    order to write them. The caller keeps ``facilities``/``categories`` up to date as it
    writes (a product names its facility's code)."""
    path = Path(path)
    with _catalog_sheets(path) as sheets:
        errors = Errors()

        def each():
            for kind, sheet in sheets:
                yield kind, sheet, getattr(Parse, kind)(Rows(sheet, errors), facilities,
                                                         categories)
            errors.reject(path)  # the file changed since it was checked

        yield each()


def read_catalog(path: Path | str, facilities: dict, categories: dict,
                 products: dict) -> list[tuple[str, Sheet, list[tuple[int, dict]]]]:
    """Read and check a catalog file against the codes already known (see
    :func:`check_catalog`), the same rules for the booth's import and head office's
    ``central catalog publish``. Returns (kind, sheet, rows) in the order to write them
    (facilities, categories, products), every row in memory: for head office's catalog,
    not for a booth's import of a million rows."""
    check_catalog(path, facilities, categories, products)
    with planned_rows(path, facilities, categories) as plan:  # no photos: booths send them
        return [(kind, sheet, [(n, {k: v for k, v in row.items() if k != "photo"})
                               for n, row in rows]) for kind, sheet, rows in plan]


def present_columns(sheet: Sheet) -> set[str]:
    """The model columns ``sheet`` carries (absent optional columns are left alone)."""
    return _present_columns(sheet)


def import_catalog(booth: Booth, path: Path | str) -> ImportSummary:
    """Import ``path``; raises ``ImportRejected`` (nothing written) when any row is wrong.

    The file is read twice as a stream, both times inside the one write transaction: first
    every row is checked, then the rows are written ``BATCH`` at a time. So a million rows
    take bounded memory, and a bad last row still leaves the database untouched."""
    path = Path(path)
    ctx = booth.context
    summary = ImportSummary()
    with booth.db.write() as s, ImportPhotos(s.connection(), path, booth.clock.now()) as photos:
        now = booth.clock.now()
        rec = Recorder(s, ctx.device_id, now)
        facilities = {code: fid for fid, code in s.execute(select(Facility.id, Facility.code))}
        categories = {code: cid for cid, code in s.execute(select(Category.id, Category.code))}
        existing = {sku: (pid, bc) for pid, sku, bc in
                    s.execute(select(Product.id, Product.sku, Product.barcode))}
        try:
            check_catalog(path, facilities, categories, existing, photos)
        except ImportRejected as exc:
            summary.errors = exc.errors
            raise
        del existing
        document = uuid.uuid4()
        with planned_rows(path, facilities, categories) as plan:
            for kind, sheet, rows in plan:
                present = _present_columns(sheet)
                if kind == "products" and photos.sheet_has_photos(sheet):
                    present.add("image")
                for batch in _batches(rows):
                    if kind == "products":
                        for n, row in batch:
                            row["image"] = photos.hash_for(sheet, n, row.pop("photo"))
                    _write_batch(s, rec, kind, batch, present, facilities, categories,
                                 path.name, document, summary)
        summary.photos_made = photos.made
    return summary


def _batches(rows: Iterator) -> Iterator[list]:
    while batch := list(islice(rows, BATCH)):
        yield batch


def _write_batch(s, rec: Recorder, kind: str, parsed: list, present: set[str],
                 facilities: dict, categories: dict, source: str, document: uuid.UUID,
                 summary: ImportSummary) -> None:
    """Write one batch of checked rows of one table (``document``: the import's id on its
    stock movements)."""
    if kind == "facilities":
        _write(s, rec, Facility, "code", parsed, present, summary, "facilities")
        facilities.update(s.execute(select(Facility.code, Facility.id)).all())
    elif kind == "categories":
        _write(s, rec, Category, "code", parsed, present, summary, "categories")
        categories.update(s.execute(select(Category.code, Category.id)).all())
    else:
        for _, row in parsed:
            code = row.pop("category")
            row["category_id"] = categories.get(code) or \
                _new_category(rec, code, categories, summary)
            row["facility_id"] = facilities[row.pop("facility")]
        stock = [(row["sku"], row.pop("stock")) for _, row in parsed]
        added = _write(s, rec, Product, "sku", parsed, present, summary, "products")
        # Opening stock only: a re-import must not receive the same goods again.
        opening = [(sku, qty) for sku, qty in stock if sku in added]
        _receive_stock(s, rec, opening, source, document, summary)




def _present_columns(sheet: Sheet) -> set[str]:
    """Model columns this sheet actually carries: absent optional columns are left alone."""
    rename = {"category": "category_id", "facility": "facility_id",
              **{part: f"{part}_bp" for part in PARTS}}
    present = {rename.get(h, h) for h in sheet.header}
    if any(part in sheet.header for part in PARTS):  # the percentages go together
        present |= {f"{part}_bp" for part in PARTS}
    return present


def _write(s, rec: Recorder, model, key: str, parsed, present: set[str],
           summary: ImportSummary, what: str) -> set[str]:
    """Insert new rows; update changed ones with a new revision (last writer wins).

    Only columns present in the file are compared and updated. Returns the keys added.
    """
    columns = [c for c in parsed[0][1] if c != key and c in present] if parsed else []
    keys = [row[key] for _, row in parsed]
    current = {getattr(r, key): r for r in
               s.execute(select(model).where(getattr(model, key).in_(keys))).scalars()}
    new_rows = []
    for _, row in parsed:
        existing = current.get(row[key])
        if existing is None:
            new_rows.append({"id": catalog_id(model.__tablename__, row[key]), **row})
            continue
        changes = {c: row[c] for c in columns if getattr(existing, c) != row[c]
                   and not (c == "image" and row[c] is None)}  # no picture: the photo stays
        if changes:
            changes.update(revision=existing.revision + 1, updated_at=rec.now)
            s.execute(update(model).where(model.id == existing.id).values(**changes))
            rec.queue(model, existing.id)
            setattr(summary, f"{what}_updated", getattr(summary, f"{what}_updated") + 1)
    rec.insert(model, new_rows)
    setattr(summary, f"{what}_added", getattr(summary, f"{what}_added") + len(new_rows))
    return {row[key] for row in new_rows}


def _new_category(rec: Recorder, code: str, categories: dict, summary: ImportSummary):
    """A product names a category nobody declared: create it, named after its code."""
    cid = catalog_id("category", code)
    rec.insert(Category, [{"id": cid, "code": code, "name": code.replace("-", " ").title(),
                           "sort": 1000}])
    summary.categories_added += 1
    categories[code] = cid
    return cid


def _receive_stock(s, rec: Recorder, stock, source: str, document: uuid.UUID,
                   summary: ImportSummary) -> None:
    """Opening stock from the file, recorded as goods received (a movement per product)."""
    if not any(qty for _, qty in stock):
        return
    skus = [sku for sku, qty in stock if qty]
    found = s.execute(select(Product.sku, Product.id, Product.facility_id)
                      .where(Product.sku.in_(skus))).all()
    ids = {sku: pid for sku, pid, _ in found}
    facility = {sku: fid for sku, _, fid in found}
    rows = [{"product_id": ids[sku], "facility_id": facility[sku], "qty": qty,
             "kind": "receive", "document_kind": "import", "document_id": document,
             "note": source[:200]} for sku, qty in stock if qty]
    rec.insert(StockMovement, rows)
    summary.stock_units += sum(r["qty"] for r in rows)
