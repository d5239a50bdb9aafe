"""Safe spreadsheets: product names that a spreadsheet would run as a formula (the OWASP CSV
injection rule: a cell starting with =, +, -, @, a tab or a carriage return) go through a
sale into the booth's pack and come back as words: in the CSV files with a leading ', in the
workbook as text cells, and LibreOffice (headless) evaluates none of them. Numbers stay
numbers (a short cash count's difference stays -45000). The CSV files start with a UTF-8
byte-order mark, and COLUMNS.md says so."""

from __future__ import annotations

import csv
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

import openpyxl
import pytest

from pos_app.adapters.export.csv_pack import safe_text
from pos_app.domain.tenders import Method, Tender
from pos_app.services.catalog.catalog_edit import create_product
from pos_app.services.reporting.export_pack import export_pack
from pos_app.services.reporting.report_facts import ReportFilter
from pos_app.services.sale.checkout import SaleItem, SaleRequest, checkout
from pos_app.services.setup.booth import Booth
from pos_app.services.shift.shifts import ShiftRow, close_shift
from pos_app.services.stock.stock import on_hand
from pos_app.services.stock.stock_export import export_on_hand

BOSS = {"actor": "Maria", "actor_role": "coordinator"}
EVIL = ('=HYPERLINK("http://evil.example/x","Kopi")', "+1", "-1+2", "@SUM(A1)", "\tx", "\rx")
PRICE = 10_000
BOM = b"\xef\xbb\xbf"


def words(text: str) -> str:
    """A cell's text with its line break however the reader hands it back: openpyxl leaves
    OOXML's escape of a carriage return (``_x000D_``) as it is, and XML and LibreOffice turn
    a bare carriage return into a line feed."""
    return text.replace("_x000D_", "\r").replace("\n", "\r")


def _product_names(booth: Booth) -> dict[str, str]:
    """One product per dangerous name; returns sku -> name. Tabs and carriage returns never
    get through the catalog form (it folds white space), so those two are written the way
    older data or a hand-edited database could carry them."""
    made = {}
    for i, name in enumerate(EVIL):
        p = create_product(booth, name=f"Evil {i}", facility_code="LP-KPG",
                           category_code="kopi", price=PRICE, **BOSS)
        made[p.sku] = name
    with sqlite3.connect(booth.db.path) as con:
        con.executemany("UPDATE product SET name = ? WHERE sku = ?",
                        [(name, sku) for sku, name in made.items()])
    con.close()
    return made


@pytest.fixture
def evil_pack(booth: Booth, till_shift: ShiftRow, tmp_path: Path):
    names = _product_names(booth)
    checkout(booth, SaleRequest(items=tuple(SaleItem(1, sku=s) for s in names),
                                tenders=(Tender(Method.CASH, PRICE * len(names)),),
                                shift_id=till_shift.id))
    # counted 45.000 short of the float + the sale: the Z difference is -45000
    expected = PRICE * len(names)  # the fixture's float is 0
    shift = close_shift(booth, till_shift.id, {5_000: (expected - 45_000) // 5_000}, "Kasir")
    assert shift is not None
    pack = export_pack(booth, tmp_path / "pack", ReportFilter(event_id=booth.context.event_id))
    return pack.path, names


def test_the_rule() -> None:
    assert [safe_text(v) for v in EVIL] == [
        '\'=HYPERLINK("http://evil.example/x","Kopi")', "'+1", "'-1+2", "'@SUM(A1)", "'\tx",
        "'\rx"]
    assert [safe_text(v) for v in ("Kopi", "", None, -45_000, 0, "a=b", " -1")] == [
        "Kopi", "", None, -45_000, 0, "a=b", " -1"]


def _csv(path: Path) -> list[dict]:
    assert path.read_bytes().startswith(BOM)
    with path.open(newline="", encoding="utf-8-sig") as fh:
        return list(csv.DictReader(fh))


def test_pack_csv_neutralises_names_and_keeps_numbers(evil_pack) -> None:
    pack, names = evil_pack
    lines = _csv(pack / "csv" / "lines.csv")
    got = {r["sku"]: r["name"] for r in lines}
    assert got == {sku: "'" + name for sku, name in names.items()}
    assert all(int(r["total"]) == PRICE for r in lines)
    by_product = {r["sku"]: r["name"] for r in _csv(pack / "csv" / "by_product.csv")}
    assert by_product == got
    [shift] = _csv(pack / "csv" / "shifts.csv")
    assert shift["difference"] == "-45000" and int(shift["difference"]) == -45_000
    stock = {r["sku"]: r for r in _csv(pack / "csv" / "stock.csv") if r["sku"] in names}
    assert {s: r["name"] for s, r in stock.items()} == got
    assert {r["on_hand"] for r in stock.values()} == {"-1"}  # sold, never received: a number
    columns = (pack / "csv" / "COLUMNS.md").read_text(encoding="utf-8")
    assert "byte-order mark" in columns and "leading '" in columns


def test_pack_xlsx_keeps_names_as_text(evil_pack) -> None:
    pack, names = evil_pack
    book = openpyxl.load_workbook(pack / "export.xlsx")  # not read-only: cells keep data_type
    try:
        for sheet in ("lines", "by_product", "stock"):
            ws = book[sheet]
            head = [c.value for c in ws[1]]
            sku_col, name_col = head.index("sku"), head.index("name")
            cells = {row[sku_col].value: row[name_col] for row in ws.iter_rows(min_row=2)
                     if row[sku_col].value in names}
            assert {s: words(c.value) for s, c in cells.items()} == names, sheet
            assert {c.data_type for c in cells.values()} == {"s"}, sheet
        ws = book["shifts"]
        head = [c.value for c in ws[1]]
        diff = ws.cell(2, head.index("difference") + 1)
        assert diff.value == -45_000 and diff.data_type == "n"
    finally:
        book.close()


def test_on_hand_export_is_safe_too(booth: Booth, till_shift: ShiftRow, tmp_path: Path) -> None:
    names = _product_names(booth)
    rows = [r for r in on_hand(booth) if r.sku in names]
    out = export_on_hand(rows, tmp_path / "stok.csv")
    assert {r["sku"]: r["name"] for r in _csv(out)} == {s: "'" + n for s, n in names.items()}
    book = openpyxl.load_workbook(export_on_hand(rows, tmp_path / "stok.xlsx"))
    ws = book["on_hand"]
    cells = {r[0].value: r[2] for r in ws.iter_rows(min_row=2)}
    book.close()
    assert {s: words(c.value) for s, c in cells.items()} == names
    assert {c.data_type for c in cells.values()} == {"s"}


def _soffice_csv(src: Path, out: Path) -> dict[str, list[list[str]]]:
    """Every sheet of ``src`` as LibreOffice computes it, written back out as CSV (a CSV
    ``src`` is read as UTF-8, comma-separated, as its import dialog proposes)."""
    out.mkdir()
    infilter = ["--infilter=CSV:44,34,76,1"] if src.suffix == ".csv" else []
    # UTF-8 (76), every sheet (-1) into <name>-<sheet>.csv; formulas would be exported as
    # their results, so an evaluated HYPERLINK would come out as "Kopi"
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{out}/profile",
                    *infilter, "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,"
                    "false,false,false,-1", "--outdir", str(out), str(src)],
                   check=True, capture_output=True, timeout=120)
    sheets = {}
    for path in out.glob("*.csv"):
        with path.open(newline="", encoding="utf-8-sig") as fh:
            sheets[path.stem] = list(csv.reader(fh))
    return sheets


@pytest.mark.skipif(shutil.which("soffice") is None and not os.environ.get("LAPAK_REQUIRE_TOOLS"),
                    reason="LibreOffice is not installed (.ci/test installs it)")
def test_libreoffice_evaluates_no_name(evil_pack, tmp_path: Path) -> None:
    pack, names = evil_pack
    book = _soffice_csv(pack / "export.xlsx", tmp_path / "from-xlsx")
    [lines] = [rows for stem, rows in book.items() if stem.endswith("-lines")]
    head = lines[0]
    got = {r[head.index("sku")]: words(r[head.index("name")]) for r in lines[1:]}
    assert got == names  # the text as typed, nothing evaluated
    [shifts] = [rows for stem, rows in book.items() if stem.endswith("-shifts")]
    assert shifts[1][shifts[0].index("difference")] in ("-45000", "-Rp45,000")

    [table] = _soffice_csv(pack / "csv" / "lines.csv", tmp_path / "from-csv").values()
    head = table[0]
    assert head[0] == "number"  # the byte-order mark is not part of the first name
    got = {r[head.index("sku")]: words(r[head.index("name")]) for r in table[1:]}
    assert set(got) == set(names)
    for sku, name in names.items():  # words, with or without the guarding '
        assert got[sku] in (name, "'" + name), (sku, got[sku])
    assert "Kopi" not in got.values()
    assert {r[head.index("total")] for r in table[1:]} == {str(PRICE)}
