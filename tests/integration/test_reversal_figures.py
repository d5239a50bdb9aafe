"""The figures the refund and void dialogs and the sales history show come from the services:
a refund's total before it is written (exactly what ``refund`` then writes), how a sale was
paid, and each sale's state with what may still be done to it."""

from __future__ import annotations

from pos_app.domain.cart import Discount
from pos_app.domain.tenders import Method, Tender
from pos_app.services.sale.history import find_sales
from pos_app.services.sale.refunds import refund, refundable, void_sale
from pos_app.services.setup.booth import Booth
from pos_app.services.shift.shifts import ShiftRow
from tests.integration.test_refunds import sell

BUDI = {"actor": "Budi", "actor_role": "coordinator", "reason": "test"}


def states(booth: Booth) -> dict[str, tuple[str, bool, bool]]:
    return {s.number: (s.state, s.can_void, s.can_refund) for s in find_sales(booth)}


def test_the_refund_total_shown_is_the_total_written(booth: Booth, till_shift: ShiftRow) -> None:
    # 7 x with odd discounts: each unit's share of a line rounds, the last takes the rest.
    sale = sell(booth, till_shift, ("KOP-001", 7, Discount.percent("7")),
                ("MAK-003", 7, Discount.amount(7)))
    for wanted in ({1: 1}, {1: 2, 2: 3}, {1: 4, 2: 4}):
        before = refundable(booth, sale.id)
        shown = before.refund_total(wanted)
        done = refund(booth, sale.id, wanted, method="cash", **BUDI)
        assert done.total == shown
        assert shown == sum(before.lines[n - 1].refund_total(q) for n, q in wanted.items())
    assert not refundable(booth, sale.id).any_left


def test_how_a_sale_was_paid_and_its_total(booth: Booth, till_shift: ShiftRow) -> None:
    sale = sell(booth, till_shift, ("KOP-001", 2),
                pay=(Tender(Method.QRIS, 100_000, "QR-7"), Tender(Method.CASH, 100_000)))
    lines = refundable(booth, sale.id)
    assert (lines.total, lines.methods) == (170_000, (Method.QRIS, Method.CASH))
    [summary] = find_sales(booth)
    assert (summary.total, summary.methods) == (170_000, ("qris", "cash"))


def test_each_sale_says_its_state_and_what_may_still_be_done(booth: Booth,
                                                            till_shift: ShiftRow) -> None:
    first = sell(booth, till_shift, ("KOP-001", 2))
    second = sell(booth, till_shift, ("KOP-002", 1))
    assert states(booth) == {first.number: ("open", True, True),
                             second.number: ("open", True, True)}
    part = refund(booth, first.id, {1: 1}, method="cash", **BUDI)
    void = void_sale(booth, second.id, **BUDI)
    assert states(booth) == {
        first.number: ("partly_refunded", False, True),  # a void would take back too much
        second.number: ("voided", False, False),
        part.number: ("open", False, False), void.number: ("open", False, False)}
    rest = refund(booth, first.id, {1: 1}, method="cash", **BUDI)
    assert states(booth)[first.number] == ("refunded", False, False)
    assert states(booth)[rest.number] == ("open", False, False)
