"""A voided or refunded sale looks it when its receipt is reprinted or saved as PDF: a voided
sale says VOIDED (DIBATALKAN) with the void's number, a refunded one names its refund
documents. Read back from the ESC/POS bytes (python-escpos Dummy) and with pdftotext."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from pos_app import i18n
from pos_app.adapters.printing.escpos_receipt import receipt_bytes
from pos_app.domain.receipt import receipt_elements
from pos_app.domain.tenders import Method, Tender
from pos_app.services.sale.checkout import SaleItem, SaleRequest, checkout
from pos_app.services.sale.printing import save_receipt_pdf
from pos_app.services.sale.receipts import find_sale_id, receipt_for
from pos_app.services.sale.refunds import refund, void_sale
from pos_app.services.setup.booth import Booth
from pos_app.services.shift.shifts import ShiftRow

BOSS = {"actor": "os:budi", "actor_role": "coordinator"}
INDONESIAN = i18n.load("id").gettext


def sell(booth: Booth, till_shift: ShiftRow, *items: tuple[str, int]):
    return checkout(booth, SaleRequest(items=tuple(SaleItem(q, sku=s) for s, q in items),
                                       tenders=(Tender(Method.CASH, 10**7),),
                                       shift_id=till_shift.id))


def escpos_text(booth: Booth, number: str, translate, width: int = 58) -> str:
    doc = receipt_for(booth, find_sale_id(booth, number), True, translate)
    return receipt_bytes(receipt_elements(doc, translate), width).decode("ascii")


def pdf_text(booth: Booth, number: str, out: Path, translate) -> str:
    save_receipt_pdf(booth, number, out, 80, translate=translate)
    text = subprocess.run(["pdftotext", "-layout", str(out), "-"], capture_output=True,
                          text=True, check=True).stdout
    return " ".join(text.split())


@pytest.mark.parametrize(("translate", "mark", "void_label"), [
    (INDONESIAN, "DIBATALKAN", "Pembatalan: KPG-01-000002"),
    (lambda s: s, "VOIDED", "Void: KPG-01-000002"),
])
def test_voided_sale_says_so_with_the_void_number(booth: Booth, till_shift: ShiftRow,
                                                  tmp_path: Path, translate, mark,
                                                  void_label) -> None:
    sold = sell(booth, till_shift, ("TEN-002", 1))
    void = void_sale(booth, sold.number, reason="salah", shift_id=till_shift.id, **BOSS)
    assert void.number == "KPG-01-000002"
    printed = escpos_text(booth, sold.number, translate)
    assert mark in printed and void_label in printed
    pdf = pdf_text(booth, sold.number, tmp_path / "r.pdf", translate)
    assert mark in pdf and void_label in pdf
    # The void document's own receipt is not itself "voided".
    own = escpos_text(booth, void.number, translate)
    assert mark not in own


def test_an_open_sale_carries_no_mark(booth: Booth, till_shift: ShiftRow, tmp_path: Path) -> None:
    sold = sell(booth, till_shift, ("TEN-002", 1))
    for text in (escpos_text(booth, sold.number, INDONESIAN),
                 pdf_text(booth, sold.number, tmp_path / "r.pdf", INDONESIAN)):
        assert "DIBATALKAN" not in text and "Pengembalian" not in text


def test_refunded_sale_names_its_refund_documents(booth: Booth, till_shift: ShiftRow,
                                                  tmp_path: Path) -> None:
    sold = sell(booth, till_shift, ("KOP-001", 2), ("MAK-003", 1))
    first = refund(booth, sold.number, {2: 1}, method="cash", reason="salah",
                   shift_id=till_shift.id, **BOSS)
    second = refund(booth, sold.number, {1: 1}, method="cash", reason="rusak",
                    shift_id=till_shift.id, **BOSS)
    assert [(first.number, first.total), (second.number, second.total)] == [
        ("KPG-01-000002", 49_950), ("KPG-01-000003", 85_000)]
    printed = escpos_text(booth, sold.number, INDONESIAN, 80)
    pdf = pdf_text(booth, sold.number, tmp_path / "r.pdf", INDONESIAN)
    for text in (printed, pdf):
        assert "DIBATALKAN" not in text
    lines = [" ".join(line.split()) for line in printed.splitlines()]
    assert any(line.endswith("Pengembalian: KPG-01-000002 Rp49.950") for line in lines)
    assert any(line.endswith("Pengembalian: KPG-01-000003 Rp85.000") for line in lines)
    assert "Pengembalian: KPG-01-000002 Rp49.950" in pdf
    assert "Pengembalian: KPG-01-000003 Rp85.000" in pdf
    english = escpos_text(booth, sold.number, lambda s: s, 80)
    assert "Refund: KPG-01-000002" in english
