"""The open cart survives: it is drafted as it changes, comes back at the next login with the
last recorded sale, and closing the window with items asks to park or discard them."""

from __future__ import annotations

import json
import threading
import uuid
from dataclasses import replace

from pos_app.domain.cart import Cart, Discount
from pos_app.domain.tenders import Method, Tender
from pos_app.persistence.models import ParkedSale, Sale
from pos_app.services.catalog.catalog import find_by_code
from pos_app.services.sale import draft, parking
from pos_app.services.sale.checkout import checkout, request_from_cart
from tests.gui.cashier import TIMEOUT, Cashier, count

KOPI_BAJAWA = "8994111000016"  # Rp85.000
HAIK_LONTAR = "8994101000248"  # Rp35.000


def cart_of(booth, *codes: str) -> Cart:
    cart = Cart()
    for code in codes:
        cart.add(find_by_code(booth, code).ref())
    return cart


def drafted(booth) -> list[tuple[str, int]] | None:
    data = draft.read_draft(booth)
    return None if data is None else [(ln["name"], ln["qty"]) for ln in data["lines"]]


def test_the_cart_is_drafted_as_it_changes_and_dropped_when_sold(cashier: Cashier,
                                                                 booth) -> None:
    cashier.scan(KOPI_BAJAWA)
    cashier.scan(HAIK_LONTAR)
    cashier.scan(HAIK_LONTAR)
    cashier.wait_idle()
    assert drafted(booth) == [("Kopi Arabika Flores Bajawa 250 g", 1), ("Haik Lontar", 2)]
    dialog = cashier.open_payment()
    cashier.confirm(dialog)
    cashier.wait_idle()
    assert count(booth, Sale) == 1
    assert not draft.draft_path(booth).exists()


def test_the_draft_comes_back_at_login_with_the_last_sale(qtbot, door, ops, booth, kasir,
                                                          shift) -> None:
    sold = cart_of(booth, KOPI_BAJAWA)
    checkout(booth, replace(request_from_cart(sold, [Tender(Method.CASH, 85_000)], "Kasir"),
                            shift_id=shift.id))
    cart = cart_of(booth, HAIK_LONTAR, HAIK_LONTAR)
    cart.set_line_discount(0, Discount.amount(5_000))
    draft.save_draft(booth, cart)  # what the till held when the power went

    door.app_ctx.login_state.start(kasir, shift)
    Cashier(qtbot, door, ops).wait_idle()
    screen = door.sale_screen
    assert [(ln.product.name, ln.qty, ln.discount) for ln in screen.cart.lines] == [
        ("Haik Lontar", 2, Discount.amount(5_000))]
    assert screen.panel.total_label.text() == "Rp65.000"
    assert screen.notice.text() == ("Last cart restored. Last recorded sale: KPG-01-000001, "
                                    "Rp85.000 at 21/11 19:30.")
    assert screen.notice.kind() == "info"
    assert count(booth, Sale) == 1  # a draft, not a sale
    assert drafted(booth) == [("Haik Lontar", 2)]  # still kept until sold or parked


def test_a_draft_whose_product_is_gone_says_so(qtbot, door, ops, booth, kasir, shift) -> None:
    draft.save_draft(booth, cart_of(booth, KOPI_BAJAWA))
    data = json.loads(draft.draft_path(booth).read_text(encoding="utf-8"))
    data["lines"].append({"product_id": uuid.uuid4().hex, "name": "Kue Hilang", "qty": 3,
                          "discount": None, "unit_price": None})
    draft.write_file(draft.draft_path(booth), data)

    door.app_ctx.login_state.start(kasir, shift)
    Cashier(qtbot, door, ops).wait_idle()
    screen = door.sale_screen
    assert [(ln.product.name, ln.qty) for ln in screen.cart.lines] == [
        ("Kopi Arabika Flores Bajawa 250 g", 1)]
    assert screen.notice.text() == ("Last cart restored. No sale was recorded before it. "
                                    "Left out, no longer in the catalog: Kue Hilang.")
    assert screen.notice.kind() == "warning"


def test_closing_with_items_asks_and_cancel_keeps_everything(cashier: Cashier, booth) -> None:
    cashier.scan(KOPI_BAJAWA)
    cashier.window.close()
    keeper = cashier.screen.keeper
    dialog = cashier.wait_for(lambda: keeper.close_dialog)
    assert cashier.window.isVisible()
    assert dialog.caption_label.text() == ("1 item (Rp85.000) is in the cart. Park the sale to "
                                           "resume it later, or discard it?")
    dialog.reject()
    assert cashier.window.isVisible()
    assert cashier.cart() == [("Kopi Arabika Flores Bajawa 250 g", 1)]
    assert count(booth, ParkedSale) == 0


def test_closing_with_items_can_park_them(cashier: Cashier, booth) -> None:
    cashier.scan(KOPI_BAJAWA)
    cashier.scan(HAIK_LONTAR)
    cashier.window.close()
    dialog = cashier.wait_for(lambda: cashier.screen.keeper.close_dialog)
    dialog.park_button.click()
    cashier.qtbot.waitUntil(lambda: not cashier.window.isVisible(), timeout=TIMEOUT)
    cashier.wait_idle()
    [row] = parking.parked(booth)
    assert (row.item_count, row.total) == (2, 120_000)
    assert not draft.draft_path(booth).exists()
    assert count(booth, Sale) == 0


def test_closing_with_items_can_discard_them(cashier: Cashier, booth) -> None:
    cashier.scan(KOPI_BAJAWA)
    cashier.wait_idle()
    assert draft.draft_path(booth).exists()
    cashier.window.close()
    dialog = cashier.wait_for(lambda: cashier.screen.keeper.close_dialog)
    dialog.discard_button.click()
    cashier.qtbot.waitUntil(lambda: not cashier.window.isVisible(), timeout=TIMEOUT)
    cashier.wait_idle()
    assert not draft.draft_path(booth).exists()
    assert count(booth, ParkedSale) == 0 and count(booth, Sale) == 0


def test_a_draft_is_kept_while_a_checkout_holds_the_main_worker(cashier: Cashier, booth,
                                                                 ops) -> None:
    """The draft's write (an fsync) is off the sale's critical path, and the sale's work is
    off the draft's: a change is drafted even while the main worker is still busy."""
    cashier.scan(KOPI_BAJAWA)
    cashier.wait_idle()
    gate = threading.Event()
    ops.run(gate.wait, 10)  # a slow checkout on the main worker
    try:
        cashier.screen.cart.add(find_by_code(booth, HAIK_LONTAR).ref())
        cashier.screen.keeper.cart_shown()
        cashier.qtbot.waitUntil(
            lambda: drafted(booth) == [("Kopi Arabika Flores Bajawa 250 g", 1),
                                       ("Haik Lontar", 1)], timeout=TIMEOUT)
        assert not gate.is_set()  # written while the main worker was still held
    finally:
        gate.set()
    cashier.wait_idle()
