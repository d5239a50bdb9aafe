"""DEMO on every receipt of a demo database, and nowhere on a real booth's (issue #14 item 3).
The mark is the ``demo`` setting the demo seeding writes, never guessed from PINs."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from pos_app.adapters.printing.escpos_receipt import receipt_bytes
from pos_app.domain.receipt import fixed_width, receipt_elements
from pos_app.domain.tenders import Method, Tender
from pos_app.services.sale.checkout import SaleItem, SaleRequest, checkout
from pos_app.services.sale.kwitansi import kwitansi_for
from pos_app.services.sale.receipts import receipt_for
from pos_app.services.setup.booth import Booth
from pos_app.services.setup.setup import create_first_admin
from pos_app.services.shift.shifts import open_shift

pytestmark = pytest.mark.usefixtures("secrets")

MARK = "DEMO - not a real sale"


def sell(booth: Booth, cashier: str, sku: str) -> str:
    shift = open_shift(booth, cashier, 0)
    return checkout(booth, SaleRequest(items=(SaleItem(1, sku=sku),),
                                       tenders=(Tender(Method.CASH, 10**7),),
                                       shift_id=shift.id)).number


def printed(booth: Booth, number: str) -> tuple[list[str], bytes]:
    from pos_app.services.sale.receipts import find_sale_id

    doc = receipt_for(booth, find_sale_id(booth, number))
    elements = receipt_elements(doc)
    return [text for _el, text in fixed_width(elements, 32)], receipt_bytes(elements, 58)


def test_a_demo_receipt_says_demo(booth: Booth) -> None:
    assert booth.context.demo
    number = sell(booth, "Kasir", "KOP-001")
    lines, data = printed(booth, number)
    assert lines[3].strip() == MARK  # under the booth's name and the device
    assert MARK.encode() in data
    assert kwitansi_for(booth, number, "Dinas Koperasi").demo is True


def catalog_file(path: Path) -> Path:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for title, rows in {
        "Fasilitas": [["code", "name", "kind", "region"],
                      ["LP-LBJ", "Lapas Kelas III Labuan Bajo", "lapas", "Manggarai Barat"]],
        "Produk": [["SKU", "Name", "Category", "Facility", "Price", "Stock"],
                   ["XL-001", "Kopi Komodo", "kopi", "LP-LBJ", 55000, 7]],
    }.items():
        sheet = wb.create_sheet(title)
        for row in rows:
            sheet.append(row)
    wb.save(path)
    return path


def test_a_real_booths_receipt_does_not(empty_booth: Booth, tmp_path: Path) -> None:
    booth = empty_booth
    create_first_admin(booth, "Yohanes", "86420", catalog_file(tmp_path / "katalog.xlsx"))
    assert not booth.context.demo and booth.stored("demo") is None
    number = sell(booth, "Yohanes", "XL-001")
    lines, data = printed(booth, number)
    assert not any("DEMO" in line for line in lines)
    assert b"DEMO" not in data
    assert kwitansi_for(booth, number, "Dinas Koperasi").demo is False
