"""The open cart's draft (services/sale/draft): written atomically beside the database, read
back after the writing process was killed, and a damaged draft is ignored with a log line."""

from __future__ import annotations

import json
import logging
import signal
import subprocess
import sys
import uuid

from pos_app.domain.cart import Cart, Discount
from pos_app.services.catalog.catalog import find_by_code
from pos_app.services.sale import draft

KOPI_BAJAWA = "8994111000016"  # Rp85.000
HAIK_LONTAR = "8994101000248"  # Rp35.000

# Drafts a growing cart (1, 2, 3, ... of Kopi Bajawa) until killed; "saved <qty>" after each.
WRITER = """
import os, sys
from pos_app.domain.cart import Cart
from pos_app.services.catalog.catalog import find_by_code
from pos_app.services.sale import draft
from pos_app.services.setup.booth import Booth
booth = Booth.open(sys.argv[1])
product = find_by_code(booth, sys.argv[2]).ref()
cart = Cart()
while True:
    cart.add(product)
    draft.save_draft(booth, cart)
    os.write(1, f"saved {cart.lines[0].qty}\\n".encode())
"""


def cart_of(booth, *codes: str) -> Cart:
    cart = Cart()
    for code in codes:
        cart.add(find_by_code(booth, code).ref())
    return cart


def test_a_draft_survives_a_kill_of_the_writer(booth) -> None:
    booth.db.engine.dispose()
    proc = subprocess.Popen([sys.executable, "-c", WRITER, str(booth.db.path), KOPI_BAJAWA],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        acknowledged = 0
        while acknowledged < 25:  # kill it in the middle of its writes
            line = proc.stdout.readline()
            assert line, proc.stderr.read().decode()
            acknowledged = int(line.split()[1])
        proc.send_signal(signal.SIGKILL)
        assert proc.wait(timeout=30) == -signal.SIGKILL
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.stdout.close()
        proc.stderr.close()

    restored = draft.restore_draft(booth)
    assert restored is not None and restored.missing == []
    [line] = restored.cart.lines
    assert line.product.name == "Kopi Arabika Flores Bajawa 250 g"
    # the last acknowledged write, or the one after it that the kill may have let finish
    assert line.qty >= acknowledged
    assert restored.last_sale is None


def test_save_and_restore_keep_lines_quantities_and_discounts(booth) -> None:
    cart = cart_of(booth, KOPI_BAJAWA, HAIK_LONTAR, HAIK_LONTAR)
    cart.set_line_discount(1, Discount.percent(10))
    cart.set_discount(Discount.amount(2_000))
    draft.save_draft(booth, cart)
    path = draft.draft_path(booth)
    assert path.name == "booth.db.draft.json" and path.parent == booth.db.path.parent
    assert [p.name for p in path.parent.iterdir() if p.name.endswith(".tmp")] == []

    restored = draft.restore_draft(booth)
    assert [(ln.product.sku, ln.qty, ln.discount) for ln in restored.cart.lines] == [
        (ln.product.sku, ln.qty, ln.discount) for ln in cart.lines]
    assert restored.cart.discount == Discount.amount(2_000)
    tax = booth.context.tax
    assert restored.cart.price(tax).total == cart.price(tax).total == 85_000 + 63_000 - 2_000

    draft.save_draft(booth, Cart())  # an empty cart leaves no draft
    assert not path.exists()
    assert draft.restore_draft(booth) is None


def test_a_truncated_draft_is_ignored_with_a_log_line(booth, caplog) -> None:
    draft.save_draft(booth, cart_of(booth, KOPI_BAJAWA))
    path = draft.draft_path(booth)
    text = path.read_text(encoding="utf-8")
    path.write_text(text[: len(text) // 2], encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="pos_app"):
        assert draft.restore_draft(booth) is None
    assert [r.getMessage().split(" (")[0] for r in caplog.records] == [
        "cart draft booth.db.draft.json is damaged"]
    assert not path.exists()  # not offered again


def test_a_draft_that_is_not_a_cart_is_ignored(booth, caplog) -> None:
    path = draft.draft_path(booth)
    for junk in ('{"lines": [{"product_id": "x"}]}', "[1, 2]", "\x00\x00\x00",
                 json.dumps({"lines": [{"product_id": "nothex", "qty": 1,
                                        "discount": None}], "discount": None})):
        path.write_text(junk, encoding="utf-8")
        with caplog.at_level(logging.WARNING, logger="pos_app"):
            assert draft.restore_draft(booth) is None
        assert not path.exists()
    assert len(caplog.records) == 4


def test_a_vanished_product_is_left_out_and_named(booth) -> None:
    draft.save_draft(booth, cart_of(booth, HAIK_LONTAR))
    path = draft.draft_path(booth)
    data = json.loads(path.read_text(encoding="utf-8"))
    data["lines"].append({"product_id": uuid.uuid4().hex, "name": "Kue Hilang", "qty": 2,
                          "discount": None, "unit_price": None})
    draft.write_file(path, data)
    restored = draft.restore_draft(booth)
    assert [(ln.product.name, ln.qty) for ln in restored.cart.lines] == [("Haik Lontar", 1)]
    assert restored.missing == ["Kue Hilang"]
