"""Creating a product on the spot: a painting or a new batch that arrives at the booth with
no catalog entry. It gets its facility, category and price, a SKU and, unless it has one
already, an in-store EAN-13 (prefix 21, unique per device) for its price tag.

Creating products is a coordinator's job; each is journaled (``product.create``) and queued
for sync like any catalog row.
"""

from __future__ import annotations

import uuid

from sqlalchemy import func, select
from sqlalchemy.engine import Connection

from pos_app.domain.barcodes import in_store_ean13
from pos_app.domain.errors import N_, DomainError, Message
from pos_app.domain.ids import catalog_id
from pos_app.domain.money import MAX_AMOUNT, format_rupiah
from pos_app.domain.tax import TaxMode
from pos_app.domain.text import PRODUCT_NAME
from pos_app.persistence.models import Category, Product
from pos_app.services.access import audit, roles
from pos_app.services.catalog.catalog import ProductRow, get_product
from pos_app.services.catalog.product_rules import (
    NAME_MAX,
    Problem,
    barcode_problem,
    clean_name,
    clean_sku,
    name_problem,
    price_problem,
    sku_problem,
)
from pos_app.services.setup.booth import Booth
from pos_app.services.setup.records import Recorder, bump_counter
from pos_app.services.stock.stock import facility_by_code

BARCODE_TRIES = 50
BARCODE_TAKEN = Message(N_("that barcode belongs to another product"))
SKU_TAKEN = Message(N_("that SKU belongs to another product"))
SKU_CHARS_REASON = Message(N_("use letters, digits, - and _"))
BAD_BARCODE = Message(N_("not a valid EAN-13/EAN-8/UPC barcode"))


def _category(conn: Connection, code: str):
    row = conn.execute(select(Category.id, Category.code).where(
        func.lower(Category.code) == (code or "").strip().lower())).first()
    if row is None:
        raise DomainError("unknown_category", code=code)
    return row


def _free_barcode(conn: Connection, device_id: uuid.UUID) -> str:
    for _ in range(BARCODE_TRIES):
        n = bump_counter(conn, device_id, "barcode")
        code = in_store_ean13(device_id.hex, n)
        if conn.execute(select(Product.id).where(Product.barcode == code)).first() is None:
            return code
    raise DomainError("bad_product", field="barcode", reason=BARCODE_TAKEN)


def _sku(conn: Connection, device_code: str, device_id: uuid.UUID, category_code: str) -> str:
    device = device_code.replace("-", "")
    while True:
        n = bump_counter(conn, device_id, "sku")
        sku = f"{category_code.upper()[:3]}-{device}-{n:03d}"[:32]
        if conn.execute(select(Product.id).where(Product.sku == sku)).first() is None:
            return sku


def _refusal(problem: Problem, price: object) -> DomainError:
    """product-add's one line for the first problem the shared product rules found."""
    if problem.field == "name":
        if problem.code == "control_char":
            return DomainError("text_control_char", field=Message(PRODUCT_NAME))
        return DomainError("bad_product_name", max=NAME_MAX)
    if problem.field == "price":
        return DomainError("bad_price", amount=price, max=format_rupiah(MAX_AMOUNT))
    if problem.field == "sku":
        return DomainError("bad_product", field="sku", reason=SKU_CHARS_REASON)
    return DomainError("bad_product", field="barcode", reason=BAD_BARCODE)


def create_product(booth: Booth, *, name: str, facility_code: str, category_code: str,
                   price: int, actor: str, actor_role: str, sku: str | None = None,
                   barcode: str | None = None, tax_mode: str = "none") -> ProductRow:
    """Add a product to the catalog; SKU and barcode are made when not given."""
    roles.require(actor_role, "create_product", actor)
    name = clean_name(name or "")
    given_sku = clean_sku(sku or "") or None
    given_barcode = (barcode or "").strip() or None
    # The import's rules (a SKU is made here when none is given).
    problems = [p for p in (name_problem(name), price_problem(price),
                            given_sku and sku_problem(given_sku), barcode_problem(given_barcode))
                if p]
    if problems:
        raise _refusal(problems[0], price)
    mode = TaxMode(tax_mode).value if tax_mode in {m.value for m in TaxMode} else None
    if mode is None:
        raise DomainError("unknown_tax_mode", mode=tax_mode)
    ctx = booth.context
    with booth.db.write_connection() as conn:
        facility = facility_by_code(conn, facility_code)
        category = _category(conn, category_code)
        if given_sku and conn.execute(select(Product.id).where(Product.sku == given_sku)).first():
            raise DomainError("bad_product", field="sku", reason=SKU_TAKEN)
        if given_barcode and conn.execute(
                select(Product.id).where(Product.barcode == given_barcode)).first():
            raise DomainError("bad_product", field="barcode", reason=BARCODE_TAKEN)
        rec = Recorder(conn, ctx.device_id, booth.clock.now())
        sku = given_sku or _sku(conn, ctx.device_code, ctx.device_id, category.code)
        row = {
            "id": catalog_id("product", sku), "sku": sku,
            "barcode": given_barcode or _free_barcode(conn, ctx.device_id),
            "name": name, "category_id": category.id, "facility_id": facility.id,
            "price": price, "tax_mode": mode, "active": True, "image": None,
        }
        rec.insert(Product, [row])
        audit.append(rec, actor, "product.create", "product", row["id"], {
            "sku": row["sku"], "barcode": row["barcode"], "name": name, "price": price,
            "facility": facility.code, "category": category.code})
    return get_product(booth, row["id"])

