"""Child process for the kill -9 test (tests/integration/test_crash_safety.py); not a test.

Usage: ``python crash_child.py DB_PATH SEED``. Opens the booth, takes the till's open shift
(the parent opens it before the storm; opened here only if there is none) and rings up random
sales into it until it is killed. Protocol on stdout, one ``os.write`` per line (atomic on a pipe):

* ``ready`` once the booth is open, the shift found and the catalog read;
* ``try <k>`` just before the k-th ``checkout()`` call (lets the parent tell where a kill
  landed; it promises nothing);
* ``ok <number> <total> <sale id hex>`` only after ``checkout()`` returned, i.e. after the
  sale committed. Only these lines are acknowledgements.

Imports only what a checkout needs (no Qt), so start-up stays cheap.
"""

from __future__ import annotations

import os
import random
import sys

from sqlalchemy import select

from pos_app.domain.cart import Discount
from pos_app.domain.tenders import Method, Tender
from pos_app.persistence.models import Product
from pos_app.services.sale.checkout import SaleItem, SaleRequest, checkout
from pos_app.services.setup.booth import Booth
from pos_app.services.shift.shifts import current_shift, open_shift


def say(line: str) -> None:
    os.write(1, (line + "\n").encode())


def random_request(rng: random.Random, products: list[tuple], shift_id) -> SaleRequest:
    picked = rng.sample(products, rng.randint(1, 5))
    items, gross = [], 0
    for product_id, price in picked:
        qty = rng.randint(1, 3)
        gross += qty * price
        disc = Discount.percent(10) if rng.random() < 0.15 else None
        items.append(SaleItem(qty, product_id=product_id, discount=disc))
    # With at most a 10% line discount and tax only ever added, total >= gross * 0.9, so a
    # QRIS part of at most gross // 2 never overpays, and the cash always covers the rest.
    cash = 2 * gross + rng.choice((0, 1_000, 50_000, 100_000)) + 1
    tenders = [Tender(Method.CASH, cash)]
    if gross >= 2 and rng.random() < 0.3:
        tenders.insert(0, Tender(Method.QRIS, rng.randint(1, gross // 2), f"Q{rng.randrange(10**9)}"))
    return SaleRequest(tuple(items), tuple(tenders), actor="crash-child", shift_id=shift_id)


def main() -> None:
    path, seed = sys.argv[1], int(sys.argv[2])
    rng = random.Random(seed)
    booth = Booth.open(path)
    _ = booth.context
    shift = current_shift(booth) or open_shift(booth, "Kasir", 0)
    with booth.db.read() as s:
        products = [tuple(r) for r in s.execute(
            select(Product.id, Product.price).where(Product.active.is_(True)).order_by(Product.sku)
        ).all()]
    say("ready")
    k = 0
    while True:
        request = random_request(rng, products, shift.id)
        k += 1
        say(f"try {k}")
        result = checkout(booth, request)
        say(f"ok {result.number} {result.total} {result.id.hex}")


if __name__ == "__main__":
    main()
