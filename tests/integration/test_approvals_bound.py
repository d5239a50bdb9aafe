"""Approvals bound to what was approved (issue 17 item 5): a discount or price approval names
the cart and the amount, and any change to the cart voids it; subjects of two SKUs never
collide; setting the clock back cannot make an expired approval valid again."""

from __future__ import annotations

import uuid
from datetime import timedelta
from pathlib import Path

import pytest

from pos_app.domain.cart import Cart, Discount, ProductRef
from pos_app.domain.errors import DomainError
from pos_app.domain.tax import TaxSettings
from pos_app.domain.tenders import Method, Tender
from pos_app.services.access import approvals
from pos_app.services.sale.checkout import SaleItem, SaleRequest, approvals_needed, checkout
from pos_app.services.setup.booth import Booth
from pos_app.services.setup.records import Recorder
from pos_app.services.shift.shifts import ShiftRow
from tests.conftest import copy_database
from tests.integration.journal import events
from tests.integration.test_approvals import SUBJECT, code_of, grant, use
from tests.integration.test_manager_actions import snapshot

PAY = (Tender(Method.CASH, 10**9),)
KEY = uuid.UUID(int=17)
HALF = Discount.percent(50)

pytestmark = pytest.mark.usefixtures("secrets")


def request(till_shift: ShiftRow, skus: tuple[str, ...], *, discount=None, line=None,
            qty: int = 1, approval_ids=()) -> SaleRequest:
    items = tuple(SaleItem(qty, sku=sku, discount=line) for sku in skus)
    return SaleRequest(items, PAY, discount, cashier="Kasir", shift_id=till_shift.id,
                       cart_key=KEY, approval_ids=tuple(approval_ids))


def maria(booth: Booth, wanted: SaleRequest) -> uuid.UUID:
    """Maria approves the one guarded change of ``wanted``, on the cart as it is."""
    [(action, change)] = approvals_needed(booth, wanted)
    return approvals.approve(booth, "Maria", "2468", action, change, "Kasir").id


def test_half_off_a_small_cart_does_not_cover_a_big_item_added_after(booth, till_shift) -> None:
    """The issue's case: 50% approved on Rp85.000; a Rp1.500.000 item added would have made it
    Rp792.500 off. Refused, nothing written; the same approval still fits the cart it was
    given for."""
    small = request(till_shift, ("KOP-001",), discount=HALF)
    approval = maria(booth, small)
    [grant_event] = events(booth, "approval.grant")
    assert grant_event["payload"]["change"] == {
        "scope": "sale", "value": "50%", "cart_total": 85_000, "amount": 42_500}
    before = snapshot(booth.db.path)
    bigger = request(till_shift, ("KOP-001", "TEN-002"), discount=HALF, approval_ids=[approval])
    with pytest.raises(DomainError) as err:
        checkout(booth, bigger)
    assert err.value.code == "approval_cart_changed"
    assert "ask the coordinator again" in err.value.message()
    assert snapshot(booth.db.path) == before
    sale = checkout(booth, request(till_shift, ("KOP-001",), discount=HALF,
                                   approval_ids=[approval]))
    assert (sale.subtotal, sale.discount, sale.total) == (85_000, 42_500, 42_500)


def test_a_line_discount_approval_is_void_when_the_quantity_changes(booth, till_shift) -> None:
    approval = maria(booth, request(till_shift, ("KOP-001",), line=HALF))
    before = snapshot(booth.db.path)
    with pytest.raises(DomainError) as err:
        checkout(booth, request(till_shift, ("KOP-001",), line=HALF, qty=3,
                                approval_ids=[approval]))
    assert err.value.code == "approval_cart_changed"
    assert snapshot(booth.db.path) == before


def test_a_price_approval_is_void_when_a_line_is_added(booth, till_shift) -> None:
    item = SaleItem(1, sku="KOP-001", unit_price=50_000)
    alone = SaleRequest((item,), PAY, cashier="Kasir", shift_id=till_shift.id, cart_key=KEY)
    approval = maria(booth, alone)
    [grant_event] = events(booth, "approval.grant")
    assert grant_event["payload"]["change"] == {
        "scope": "price:KOP-001", "value": "Rp50000", "cart_total": 85_000, "amount": 35_000}
    more = SaleRequest((item, SaleItem(1, sku="TEN-002")), PAY, cashier="Kasir",
                       shift_id=till_shift.id, cart_key=KEY, approval_ids=(approval,))
    before = snapshot(booth.db.path)
    with pytest.raises(DomainError) as err:
        checkout(booth, more)
    assert err.value.code == "approval_cart_changed"
    assert snapshot(booth.db.path) == before
    sale = checkout(booth, SaleRequest((item,), PAY, cashier="Kasir", shift_id=till_shift.id,
                                       cart_key=KEY, approval_ids=(approval,)))
    assert sale.total == 50_000


def test_two_approved_changes_do_not_void_each_other(booth, till_shift) -> None:
    """Each approval binds its own change: a second line's discount, approved after the
    first, leaves the first one valid."""
    one = request(till_shift, ("KOP-001", "TEN-002"))
    first = SaleItem(1, sku="KOP-001", discount=HALF)
    both = SaleRequest((first, SaleItem(1, sku="TEN-002", discount=HALF)), PAY, cashier="Kasir",
                       shift_id=till_shift.id, cart_key=KEY)
    a = maria(booth, SaleRequest((first, one.items[1]), PAY, cashier="Kasir", cart_key=KEY))
    [change_b] = [c for _, c in approvals_needed(booth, both)
                  if c.detail["scope"] == "line:TEN-002"]
    b = approvals.approve(booth, "Maria", "2468", "discount", change_b, "Kasir").id
    sale = checkout(booth, SaleRequest(both.items, PAY, cashier="Kasir", shift_id=till_shift.id,
                                       cart_key=KEY, approval_ids=(a, b)))
    assert sale.discount == 42_500 + 750_000


def _ref(sku: str) -> ProductRef:
    return ProductRef(uuid.uuid4(), sku, "Kain", 250_000, uuid.UUID(int=1), "Lapas Kupang")


def test_skus_sharing_a_long_suffix_get_different_subjects() -> None:
    """The old subject kept only the last characters of ``line:<sku>:<value>``: these two
    SKUs (same last 26 characters) got the same one."""
    suffix = "-TENUN-IKAT-SUMBA-MERAH-01"
    tax = TaxSettings()
    subjects = {}
    for sku in ("KPG" + suffix, "ATB" + suffix):
        cart = Cart()
        cart.add(_ref(sku))
        cart.set_line_discount(0, HALF)
        line = approvals.line_discount_change(KEY, cart, 0, tax).subject
        cart.set_price(0, 200_000)
        price = approvals.price_change(KEY, cart, 0, tax).subject
        subjects[sku] = (line, price)
        assert all(len(s) == approvals.SUBJECT_MAX and s.startswith(f"cart:{KEY.hex}:")
                   for s in (line, price))
    first, second = subjects.values()
    assert len({*first, *second}) == 4


def test_the_same_cart_gives_the_same_subject() -> None:
    """What the screen asks for and what checkout looks for agree: same cart, same change."""
    ref, tax = _ref("KOP-001"), TaxSettings()
    carts = []
    for _ in range(2):
        cart = Cart()
        cart.add(ref, 2)
        cart.set_discount(HALF)
        carts.append(approvals.sale_discount_change(KEY, cart, tax))
    assert carts[0] == carts[1]
    cart.add(ref)  # one more of it
    assert approvals.sale_discount_change(KEY, cart, tax).subject != carts[0].subject


def test_setting_the_clock_back_does_not_revive_an_expired_approval(booth, clock) -> None:
    token = grant(booth)
    clock.advance(minutes=6)
    assert code_of(use, booth, token.id) == "approval_expired"
    clock.advance(days=-365)
    assert code_of(use, booth, token.id) == "approval_expired"
    clock.advance(days=365, minutes=-6)  # back to the grant's own minute: still too late
    assert code_of(use, booth, token.id) == "approval_expired"


def test_a_restart_with_the_clock_set_back_keeps_the_journals_time(booth, clock,
                                                                   tmp_path: Path) -> None:
    """A new process (here: the same data under another file, so nothing is remembered in
    memory) never runs earlier than this device's newest journal event."""
    token = grant(booth)
    clock.advance(minutes=6)
    grant(booth, subject="f" * 32)  # something journaled after the approval had expired
    copy = tmp_path / "restarted.db"
    copy_database(booth.db.path, copy)
    clock.advance(days=-365)
    restarted = Booth.open(copy, clock=clock)
    try:
        assert code_of(use, restarted, token.id) == "approval_expired"
        assert restarted.db.path != booth.db.path
    finally:
        restarted.close()


def test_an_approval_is_still_good_when_the_clock_goes_back_before_it_expires(booth,
                                                                             clock) -> None:
    """Only its own five minutes count: the clock set back does not expire it early either,
    and it is spent with the time it was given at."""
    token = grant(booth)
    clock.advance(days=-365)
    assert use(booth, token.id).approver == "Maria"
    [used] = events(booth, "approval.use")
    assert used["payload"]["subject"] == SUBJECT


def test_consume_refuses_on_steady_time_not_the_callers(booth, clock) -> None:
    """``consume`` checks expiry on the steady time even when the caller's ``rec.now`` is
    the year-old clock (as checkout passes it)."""
    token = grant(booth)
    clock.advance(minutes=6)
    grant(booth, subject="e" * 32)
    with booth.db.write() as s:
        rec = Recorder(s, booth.context.device_id, clock.now() - timedelta(days=365))
        with pytest.raises(DomainError) as err:
            approvals.consume(rec, token.id, "void", SUBJECT, "Kasir")
    assert err.value.code == "approval_expired"
