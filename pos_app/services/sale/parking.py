"""Parked sales: a cart put aside (the buyer went to fetch money) and resumed later.

Parked carts are stored, so they survive a restart, but they are working state, not money
records: resuming one removes it, and it is not synced.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import datetime
from fractions import Fraction

from sqlalchemy import delete, func, insert, select

from pos_app.domain.cart import Cart, CartLine, Discount
from pos_app.domain.errors import DomainError
from pos_app.persistence.models import ParkedSale
from pos_app.services.catalog.catalog import get_product
from pos_app.services.setup.booth import Booth


@dataclass(frozen=True)
class ParkedRow:
    id: uuid.UUID
    created_at: datetime
    label: str
    item_count: int
    total: int


def discount_json(d: Discount | None):
    return None if d is None else {"kind": d.kind, "value": str(d.value)}


def discount_from(data) -> Discount | None:
    if data is None:
        return None
    value = Fraction(data["value"]) if data["kind"] == "percent" else int(data["value"])
    return Discount(data["kind"], value)


def park(booth: Booth, cart: Cart, label: str = "") -> uuid.UUID:
    if not cart.lines:
        raise DomainError("empty_cart")
    priced = cart.price(booth.context.tax)
    payload = cart_payload(cart)
    parked_id = uuid.uuid4()
    with booth.db.write() as s:
        s.execute(insert(ParkedSale).values(
            id=parked_id, created_at=booth.clock.now(), label=label.strip()[:80],
            item_count=sum(line.qty for line in cart.lines), total=priced.total,
            payload=json.dumps(payload)))
    return parked_id


def parked(booth: Booth) -> list[ParkedRow]:
    q = select(ParkedSale.id, ParkedSale.created_at, ParkedSale.label, ParkedSale.item_count,
               ParkedSale.total).order_by(ParkedSale.created_at)
    with booth.db.read() as s:
        return [ParkedRow(*r) for r in s.execute(q)]


def parked_count(booth: Booth) -> int:
    """How many parked sales wait (shown on the Resume button)."""
    with booth.db.read() as s:
        return s.execute(select(func.count()).select_from(ParkedSale)).scalar_one()


def resume(booth: Booth, parked_id: uuid.UUID) -> Cart:
    """Take a parked cart back (with today's product data); it leaves the parked list."""
    with booth.db.write() as s:
        payload = s.execute(select(ParkedSale.payload).where(ParkedSale.id == parked_id)).scalar()
        if payload is None:
            raise DomainError("unknown_parked")
        s.execute(delete(ParkedSale).where(ParkedSale.id == parked_id))
    cart, missing = cart_from_payload(booth, json.loads(payload))
    if missing:
        raise DomainError("unknown_product", ref=missing[0])
    return cart


def cart_payload(cart: Cart) -> dict:
    """A cart as plain JSON data: each line's product id, quantity, discount and any
    overridden price (the name only to say which product is gone when it comes back)."""
    return {
        "lines": [{"product_id": line.product.id.hex, "name": line.product.name,
                   "qty": line.qty, "discount": discount_json(line.discount),
                   "unit_price": line.product.unit_price if line.overridden else None}
                  for line in cart.lines],
        "discount": discount_json(cart.discount),
    }


def cart_from_payload(booth: Booth, data: dict) -> tuple[Cart, list[str]]:
    """The cart of :func:`cart_payload` with today's product data, and the names (or ids) of
    the products no longer in the catalog, whose lines are left out."""
    cart = Cart(discount=discount_from(data["discount"]))
    missing: list[str] = []
    for line in data["lines"]:
        product = get_product(booth, uuid.UUID(line["product_id"]))
        if product is None:
            missing.append(line.get("name") or line["product_id"])
            continue
        cart.lines.append(CartLine(product.ref(), line["qty"], discount_from(line["discount"])))
        if line.get("unit_price") is not None:  # an overridden price comes back with the cart
            cart.set_price(len(cart.lines) - 1, line["unit_price"])
    return cart, missing


def discard(booth: Booth, parked_id: uuid.UUID) -> None:
    with booth.db.write() as s:
        s.execute(delete(ParkedSale).where(ParkedSale.id == parked_id))
