"""A cashier's large discount, price override and drawer opening need a coordinator's
approval, enforced by the services: single-use, bound to action and subject, both names on
record, and nothing written when refused."""

from __future__ import annotations

import json
import sqlite3
import uuid
from pathlib import Path

import pytest

from pos_app.domain.cart import Discount
from pos_app.domain.errors import DomainError
from pos_app.domain.tenders import Method, Tender
from pos_app.services.access import approvals
from pos_app.services.sale.checkout import SaleItem, SaleRequest, approvals_needed, checkout
from pos_app.services.sale.printing import PrinterConfig, open_drawer
from pos_app.services.setup.booth import Booth
from pos_app.services.shift.shifts import ShiftRow
from tests.integration.fake_printer import FakePrinter, refused_port

TABLES = ("sale", "sale_line", "payment", "stock_movement", "audit_event", "approval",
          "approval_use", "outbox", "counter", "print_job")
PAY = (Tender(Method.CASH, 10**9),)
KEY = uuid.UUID(int=42)


def snapshot(path: Path) -> dict[str, list[tuple]]:
    with sqlite3.connect(path) as con:
        return {t: sorted(con.execute(f"SELECT * FROM {t}").fetchall(), key=repr)
                for t in TABLES}


def rows(path: Path, sql: str, *params) -> list[sqlite3.Row]:
    con = sqlite3.connect(path)
    con.row_factory = sqlite3.Row
    try:
        return con.execute(sql, params).fetchall()
    finally:
        con.close()


def request(till_shift: ShiftRow, *, cashier="Kasir", discount=None, price=None,
            approval_ids=()) -> SaleRequest:
    item = SaleItem(1, sku="KOP-001", discount=discount, unit_price=price)
    return SaleRequest((item,), PAY, cashier=cashier, shift_id=till_shift.id, cart_key=KEY,
                       approval_ids=tuple(approval_ids))


def sell(booth: Booth, till_shift: ShiftRow, **kwargs):
    return checkout(booth, request(till_shift, **kwargs))


def change(booth: Booth, till_shift: ShiftRow, action: str, **kwargs) -> approvals.CartChange:
    """The change of ``action`` that selling with ``kwargs`` needs approved."""
    [found] = [c for a, c in approvals_needed(booth, request(till_shift, **kwargs))
               if a == action]
    return found


def maria(booth: Booth, action: str, subject, requested_by: str = "Kasir") -> uuid.UUID:
    return approvals.approve(booth, "Maria", "2468", action, subject, requested_by).id


def last_event(booth: Booth, action: str) -> sqlite3.Row:
    return rows(booth.db.path, "SELECT * FROM audit_event WHERE action = ? "
                "ORDER BY chain_index DESC LIMIT 1", action)[0]


TWENTY = Discount.percent(20)


def line_20(booth: Booth, till_shift: ShiftRow, **kwargs) -> approvals.CartChange:
    return change(booth, till_shift, "discount", discount=TWENTY, **kwargs)


def test_large_discount_needs_approval_and_writes_nothing_without(booth, till_shift) -> None:
    before = snapshot(booth.db.path)
    with pytest.raises(DomainError) as err:
        sell(booth, till_shift, discount=TWENTY)
    assert err.value.code == "approval_required"
    assert snapshot(booth.db.path) == before


def test_large_discount_with_approval_is_single_use(booth, till_shift) -> None:
    approval = maria(booth, "discount", line_20(booth, till_shift))
    sale = sell(booth, till_shift, discount=TWENTY, approval_ids=[approval])
    use = rows(booth.db.path, "SELECT * FROM approval_use")
    assert [(uuid.UUID(r["approval_id"]), r["used_by"]) for r in use] == [(approval, "Kasir")]
    event = last_event(booth, "sale")
    assert json.loads(event["payload"])["approved_by"] == "Maria"
    assert sale.discount > 0
    before = snapshot(booth.db.path)
    with pytest.raises(DomainError) as err:
        sell(booth, till_shift, discount=TWENTY, approval_ids=[approval])
    assert err.value.code == "approval_used"
    assert snapshot(booth.db.path) == before


def test_approval_bound_to_its_subject(booth, till_shift) -> None:
    other = maria(booth, "discount", change(booth, till_shift, "discount",
                                            discount=Discount.percent(15)))
    with pytest.raises(DomainError) as err:
        sell(booth, till_shift, discount=TWENTY, approval_ids=[other])
    assert err.value.code == "approval_cart_changed"  # given for 15%, not 20%
    with pytest.raises(DomainError) as err:
        sell(booth, till_shift, discount=TWENTY, approval_ids=[uuid.uuid4()])
    assert err.value.code == "approval_invalid"


def test_small_discount_and_coordinator_need_none(booth, till_shift) -> None:
    sell(booth, till_shift, discount=Discount.percent(5))
    sell(booth, till_shift, cashier="Maria", discount=TWENTY)
    sell(booth, till_shift, cashier="Maria", price=1_000)
    assert rows(booth.db.path, "SELECT count(*) AS n FROM approval_use")[0]["n"] == 0


def test_whole_sale_discount_is_guarded(booth, till_shift) -> None:
    item = SaleItem(1, sku="KOP-001")
    request = SaleRequest((item,), PAY, Discount.percent(20), cashier="Kasir",
                          shift_id=till_shift.id, cart_key=KEY)
    with pytest.raises(DomainError) as err:
        checkout(booth, request)
    assert err.value.code == "approval_required"
    [(action, whole)] = approvals_needed(booth, SaleRequest(request.items, PAY, TWENTY,
                                                            cashier="Kasir", cart_key=KEY))
    approval = maria(booth, action, whole)
    checkout(booth, SaleRequest(request.items, PAY, TWENTY, cashier="Kasir",
                                shift_id=till_shift.id, cart_key=KEY, approval_ids=(approval,)))


def test_price_override(booth, till_shift) -> None:
    catalog = rows(booth.db.path, "SELECT price FROM product WHERE sku = 'KOP-001'")[0][0]
    before = snapshot(booth.db.path)
    with pytest.raises(DomainError) as err:
        sell(booth, till_shift, price=catalog - 1_000)
    assert err.value.code == "approval_required"
    assert snapshot(booth.db.path) == before
    subject = change(booth, till_shift, "price_override", price=catalog - 1_000)
    # a discount approval is not a price approval
    wrong = maria(booth, "discount", subject)
    with pytest.raises(DomainError) as err:
        sell(booth, till_shift, price=catalog - 1_000, approval_ids=[wrong])
    assert err.value.code == "approval_required"
    approval = maria(booth, "price_override", subject)
    sale = sell(booth, till_shift, price=catalog - 1_000, approval_ids=[approval])
    assert sale.lines[0].unit_price == catalog - 1_000
    line = rows(booth.db.path, "SELECT unit_price FROM sale_line WHERE sale_id = ?",
                sale.id.hex)
    assert [r[0] for r in line] == [catalog - 1_000]
    assert rows(booth.db.path, "SELECT price FROM product WHERE sku = 'KOP-001'")[0][0] == \
        catalog
    assert json.loads(last_event(booth, "sale")["payload"])["approved_by"] == "Maria"
    with pytest.raises(DomainError) as err:
        sell(booth, till_shift, price=catalog - 1_000, approval_ids=[approval])
    assert err.value.code == "approval_used"
    sell(booth, till_shift, price=catalog)  # the catalog price is no override


def test_override_and_large_discount_need_one_approval_each(booth, till_shift) -> None:
    catalog = rows(booth.db.path, "SELECT price FROM product WHERE sku = 'KOP-001'")[0][0]
    price = change(booth, till_shift, "price_override", price=catalog + 500)
    one = maria(booth, "price_override", price)
    with pytest.raises(DomainError) as err:
        sell(booth, till_shift, price=catalog + 500, discount=TWENTY, approval_ids=[one])
    assert (err.value.code, err.value.params.get("action")) == ("approval_required",
                                                                 "discount")
    two = maria(booth, "discount", line_20(booth, till_shift, price=catalog + 500))
    sell(booth, till_shift, price=catalog + 500, discount=TWENTY, approval_ids=[one, two])
    assert rows(booth.db.path, "SELECT count(*) FROM approval_use")[0][0] == 2


def test_drawer_needs_approval(booth, till_shift) -> None:
    with FakePrinter("ok") as printer:
        config = PrinterConfig(printer.uri, 58, 3.0)
        before = snapshot(booth.db.path)
        with pytest.raises(DomainError) as err:
            open_drawer(booth, "Kasir", "cashier", config=config, shift_id=till_shift.id)
        assert err.value.code == "approval_required"
        assert snapshot(booth.db.path) == before
        approval = maria(booth, "open_drawer", approvals.drawer_subject(till_shift.id))
        outcome = open_drawer(booth, "Kasir", "cashier", approval, config, shift_id=till_shift.id)
        assert outcome.printed and outcome.error is None
        data = bytes(printer.wait_closed()[0].data)
    assert b"\x1bp" in data
    event = last_event(booth, "drawer.open")
    payload = json.loads(event["payload"])
    assert (event["actor"], payload["by"], payload["approved_by"]) == ("Kasir", "Kasir", "Maria")
    job = rows(booth.db.path, "SELECT * FROM print_job WHERE document_kind = 'drawer'")
    assert [r["status"] for r in job] == ["printed"]
    with pytest.raises(DomainError) as err:
        open_drawer(booth, "Kasir", "cashier", approval, config, shift_id=till_shift.id)
    assert err.value.code == "approval_used"


def test_drawer_by_coordinator_with_refused_printer_is_still_recorded(booth, till_shift) -> None:
    with refused_port() as port:
        config = PrinterConfig(f"tcp://127.0.0.1:{port}", 58, 3.0)
        outcome = open_drawer(booth, "Maria", "coordinator", config=config, shift_id=till_shift.id)
    assert not outcome.printed and outcome.error.code == "printer_refused"
    payload = json.loads(last_event(booth, "drawer.open")["payload"])
    assert (payload["by"], payload["approved_by"]) == ("Maria", None)
    job = rows(booth.db.path, "SELECT * FROM print_job WHERE document_kind = 'drawer'")
    assert [(r["status"], r["error_code"]) for r in job] == [("failed", "printer_refused")]


def test_drawer_cashier_refused_printer_keeps_approved_event(booth, till_shift) -> None:
    approval = maria(booth, "open_drawer", approvals.drawer_subject(till_shift.id))
    with refused_port() as port:
        config = PrinterConfig(f"tcp://127.0.0.1:{port}", 58, 3.0)
        outcome = open_drawer(booth, "Kasir", "cashier", approval, config, shift_id=till_shift.id)
    assert outcome.error.code == "printer_refused"
    payload = json.loads(last_event(booth, "drawer.open")["payload"])
    assert (payload["by"], payload["approved_by"]) == ("Kasir", "Maria")
    assert rows(booth.db.path, "SELECT status FROM print_job")[0][0] == "failed"
