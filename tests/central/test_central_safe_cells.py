"""Safe spreadsheets at head office: the formula-like product names of a booth's sale, pushed
to the central database and exported as the head-office pack, come out of its CSV files with
a leading ' (after a UTF-8 byte-order mark) and out of its workbook as text cells; the
amounts stay numbers."""

from __future__ import annotations

import csv
from pathlib import Path

import openpyxl

from pos_app.domain.tenders import Method, Tender
from pos_app.services.sale.checkout import SaleItem, SaleRequest, checkout
from pos_app.services.setup.booth import Booth
from pos_app.services.shift.shifts import ShiftRow
from pos_app.services.sync.central_export import export_central
from pos_app.services.sync.sync_status import run_sync
from tests.integration.test_safe_spreadsheets import BOM, PRICE, _product_names, words


def test_head_office_pack_keeps_names_as_words(booth: Booth, till_shift: ShiftRow, enroll,
                                               central_url: str, tmp_path: Path) -> None:
    names = _product_names(booth)
    checkout(booth, SaleRequest(items=tuple(SaleItem(2, sku=s) for s in names),
                                tenders=(Tender(Method.CASH, 2 * PRICE * len(names)),),
                                shift_id=till_shift.id))
    done = run_sync(booth, connect=enroll(booth))
    assert done.push.quarantined == [] and done.push.sent > 0
    out = tmp_path / "head-office"
    export_central(central_url, out, "pack")

    raw = (out / "csv" / "lines.csv").read_bytes()
    assert raw.startswith(BOM)
    with (out / "csv" / "lines.csv").open(newline="", encoding="utf-8-sig") as fh:
        lines = list(csv.DictReader(fh))
    assert {r["sku"]: r["name"] for r in lines} == {s: "'" + n for s, n in names.items()}
    assert {int(r["total"]) for r in lines} == {2 * PRICE}
    assert {int(r["qty"]) for r in lines} == {2}

    book = openpyxl.load_workbook(out / "export.xlsx")
    try:
        ws = book["lines"]
        head = [c.value for c in ws[1]]
        cells = {r[head.index("sku")].value: r[head.index("name")]
                 for r in ws.iter_rows(min_row=2) if r[head.index("sku")].value in names}
        totals = {r[head.index("total")].value for r in ws.iter_rows(min_row=2)
                  if r[head.index("sku")].value in names}
    finally:
        book.close()
    assert {s: words(c.value) for s, c in cells.items()} == names
    assert {c.data_type for c in cells.values()} == {"s"}
    assert totals == {2 * PRICE}
