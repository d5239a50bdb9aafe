"""The end-of-event pack: a day with sales of three facilities' goods (a split QRIS + cash
sale with a discount, a transfer confirmed against a statement, a card sale later voided, a
refund), exported to XLSX + CSV + PDF + manifest and read back with openpyxl, csv and pypdf.
Every total is checked to the rupiah against raw SQL sums of the database, and against the
report and settlement services; the manifest's hashes against the files. A cancelled or
failed export leaves nothing behind; the command line refuses bad input in one line."""

from __future__ import annotations

import csv
import hashlib
import json
import sqlite3
import threading
from collections import defaultdict
from datetime import UTC, date, datetime
from pathlib import Path

import openpyxl
import pytest
from pypdf import PdfReader

from pos_app.domain.cart import Discount
from pos_app.domain.errors import DomainError
from pos_app.domain.money import format_rupiah
from pos_app.domain.reconcile import StatementLine
from pos_app.domain.settlement import PARTS, Shares, split
from pos_app.domain.tenders import Method, Tender
from pos_app.services.access import audit
from pos_app.services.reporting.export_pack import export_one, export_pack
from pos_app.services.reporting.export_tables import FIGURE_COLUMNS, TABLES
from pos_app.services.reporting.report_facts import ReportFilter
from pos_app.services.reporting.reports import report
from pos_app.services.sale.checkout import SaleItem, SaleRequest, checkout
from pos_app.services.sale.refunds import refund, void_sale
from pos_app.services.setup.booth import Booth
from pos_app.services.shift.reconcile import confirm
from pos_app.services.shift.settlement import set_shares, statements
from pos_app.services.shift.shifts import ShiftRow, close_shift
from tests.integration.test_cli import run

BOSS = {"actor": "Maria", "actor_role": "coordinator"}
SHARES = {"LP-END": Shares(3333, 3333, 3334, 0), "LP-WGP": Shares(4000, 3500, 2000, 500),
          "LPKA-KPG": Shares(2500, 2500, 2500, 2500), "RT-RTG": Shares(5000, 3000, 1500, 500)}
METHODS = ("cash", "qris", "transfer", "card")


def _day(booth: Booth, till_shift: ShiftRow) -> None:
    for code, shares in SHARES.items():
        set_shares(booth, code, shares, **BOSS)
    split_sale = checkout(booth, SaleRequest(
        items=(SaleItem(2, sku="KOP-001"), SaleItem(1, sku="TEN-001"), SaleItem(3, sku="MAK-004")),
        tenders=(Tender(Method.QRIS, 200_000, "QR-1"), Tender(Method.CASH, 500_000)),
        discount=Discount.percent(5), shift_id=till_shift.id))
    transfer = checkout(booth, SaleRequest(items=(SaleItem(1, sku="LUK-005"),),
                                           tenders=(Tender(Method.TRANSFER, 250_000, "TRF-9"),),
                                           shift_id=till_shift.id))
    card = checkout(booth, SaleRequest(items=(SaleItem(5, sku="MAK-007"), SaleItem(1, sku="KOP-002")),
                                       tenders=(Tender(Method.CARD, 105_000, "APPR-1"),),
                                       shift_id=till_shift.id))
    refund(booth, split_sale.number, {3: 1}, method="cash", reason="torn", shift_id=till_shift.id,
           **BOSS)
    void_sale(booth, card.number, reason="card declined later", shift_id=till_shift.id, **BOSS)
    [pay] = [p for p in transfer.payments if p.method is Method.TRANSFER]
    with sqlite3.connect(booth.db.path) as con:
        pay_id = con.execute("SELECT p.id FROM payment p JOIN sale s ON s.id = p.sale_id "
                             "WHERE s.number = ?", (transfer.number,)).fetchone()[0]
    con.close()
    import uuid

    confirm(booth, uuid.UUID(pay_id), StatementLine(1, datetime.now(UTC), pay.amount, "BNI-77"),
            **BOSS)
    close_shift(booth, till_shift.id, {100_000: 5}, "Kasir")


def sql(booth: Booth, query: str, *args) -> list[tuple]:
    with sqlite3.connect(booth.db.path) as con:
        rows = con.execute(query, args).fetchall()
    con.close()
    return rows


def by_kind(booth: Booth, query: str) -> dict:
    """``{key: sales - refunds}`` from rows of (key, kind, amount)."""
    out: dict = defaultdict(int)
    for key, kind, amount in sql(booth, query):
        out[key] += amount if kind == "sale" else -amount
    return dict(out)


def read_xlsx(path: Path) -> dict[str, list[dict]]:
    book = openpyxl.load_workbook(path, read_only=True)
    out = {}
    for ws in book.worksheets:
        rows = list(ws.iter_rows(values_only=True))
        header = rows[0]
        out[ws.title] = [dict(zip(header, r, strict=True)) for r in rows[1:]
                         if r[0] is not None and any(v is not None for v in r[1:])]
    book.close()
    return out


def read_csvs(folder: Path) -> dict[str, list[dict]]:
    out = {}
    for table in TABLES:
        with (folder / f"{table.name}.csv").open(newline="", encoding="utf-8-sig") as fh:
            reader = csv.DictReader(fh)
            assert tuple(reader.fieldnames) == table.names
            out[table.name] = list(reader)
    return out


def net_of(rows, key=None, field="total") -> dict:
    out: dict = defaultdict(int)
    for r in rows:
        amount = int(r[field])
        out[r[key] if key else None] += amount if r["kind"] == "sale" else -amount
    return dict(out)


@pytest.fixture
def pack(booth: Booth, till_shift: ShiftRow, tmp_path: Path) -> Path:
    _day(booth, till_shift)
    res = export_pack(booth, tmp_path / "pack", ReportFilter(event_id=booth.context.event_id))
    assert res.path == tmp_path / "pack"
    return res.path


def test_every_total_in_every_file_equals_the_database(booth: Booth, pack: Path) -> None:
    assert sorted(p.relative_to(pack).as_posix() for p in pack.rglob("*") if p.is_file()) == \
        sorted(["export.xlsx", "summary.pdf", "manifest.json", "csv/COLUMNS.md"]
               + [f"csv/{t.name}.csv" for t in TABLES])
    book, tables = read_xlsx(pack / "export.xlsx"), read_csvs(pack / "csv")
    assert list(book) == [t.name for t in TABLES]
    net_by_facility = by_kind(booth, "SELECT f.code, s.kind, l.total FROM sale_line l "
                                     "JOIN sale s ON s.id = l.sale_id "
                                     "JOIN facility f ON f.id = l.facility_id")
    assert net_by_facility == {"LP-END": 161_500, "LP-WGP": 332_500, "LPKA-KPG": 278_500,
                               "RT-RTG": 0}
    docs = sql(booth, "SELECT kind, count(*), sum(total) FROM sale GROUP BY kind")
    for rows in (book, tables):
        # sales: one row per document, totals by kind as in the database
        assert {k: (len([r for r in rows["sales"] if r["kind"] == k]),
                    sum(int(r["total"]) for r in rows["sales"] if r["kind"] == k))
                for k, _n, _t in docs} == {k: (n, t) for k, n, t in docs}
        # lines and payments
        assert net_of(rows["lines"], "facility") == net_by_facility
        assert net_of(rows["payments"], "method", "amount") == by_kind(
            booth, "SELECT p.method, s.kind, p.amount FROM payment p "
                   "JOIN sale s ON s.id = p.sale_id")
        # by facility and settlement
        for r in rows["by_facility"]:
            assert int(r["net"]) == int(r["sales"]) + int(r["voids"]) + int(r["refunds"]) \
                == net_by_facility[r["facility"]]
            assert int(r["sales"]) == int(r["gross"]) - int(r["discounts"]) \
                + int(r["added_tax"])
            assert int(r["dpp"]) == int(r["net"]) - int(r["tax"])
            assert sum(int(r[m]) for m in METHODS) == int(r["net"])
        for r in rows["settlement"]:
            code, n = r["facility"], int(r["net"])
            assert n == net_by_facility[code]
            # the DPP is split; the PPN is not
            assert {p: int(r[p]) for p in PARTS} == split(int(r["dpp"]), SHARES[code])
            assert sum(int(r[f"{m}_net"]) for m in METHODS) == n
        # by product
        assert {r["sku"]: int(r["net"]) for r in rows["by_product"]} == by_kind(
            booth, "SELECT l.sku, s.kind, l.total FROM sale_line l JOIN sale s ON s.id = l.sale_id")
    # the split payments per line add up to each line and to each document's payments
    per_doc: dict = defaultdict(lambda: dict.fromkeys(METHODS, 0))
    for r in tables["lines"]:
        assert sum(int(r[m]) for m in METHODS) == int(r["total"])
        for m in METHODS:
            per_doc[r["number"]][m] += int(r[m])
    for number, method, amount in sql(booth, "SELECT s.number, p.method, sum(p.amount) FROM "
                                             "payment p JOIN sale s ON s.id = p.sale_id "
                                             "GROUP BY s.number, p.method"):
        assert per_doc[number][method] == amount
    # method totals by facility add up to the database's payments by method
    pay_net = by_kind(booth, "SELECT p.method, s.kind, p.amount FROM payment p "
                             "JOIN sale s ON s.id = p.sale_id")
    assert {m: sum(int(r[m]) for r in book["by_facility"]) for m in METHODS} == \
        {m: pay_net.get(m, 0) for m in METHODS}


def test_counts_stock_shifts_and_payment_flags(booth: Booth, pack: Path) -> None:
    book, tables = read_xlsx(pack / "export.xlsx"), read_csvs(pack / "csv")
    sales_with = dict(sql(booth, "SELECT f.code, count(DISTINCT l.sale_id) FROM sale_line l "
                                 "JOIN sale s ON s.id = l.sale_id JOIN facility f "
                                 "ON f.id = l.facility_id WHERE s.kind = 'sale' GROUP BY f.code"))
    assert {r["facility"]: r["sales_count"] for r in book["by_facility"]} == sales_with
    ledger = {(f, sku): (on_hand, sold) for f, sku, on_hand, sold in sql(
        booth, "SELECT f.code, p.sku, sum(m.qty), -sum(CASE WHEN m.kind = 'sale' THEN m.qty "
               "ELSE 0 END) FROM stock_movement m JOIN product p ON p.id = m.product_id "
               "JOIN facility f ON f.id = m.facility_id GROUP BY f.code, p.sku")}
    for rows in (book, tables):
        assert {(r["facility"], r["sku"]): (int(r["on_hand"]), int(r["sold"]))
                for r in rows["stock"]} == ledger
    [shift] = book["shifts"]
    z_net, z_cash = sql(booth, "SELECT sum(total), 0 FROM sale WHERE kind = 'sale'")[0]
    assert (shift["status"], shift["sales"], shift["sales_count"], shift["voids_count"],
            shift["refunds_count"], shift["counted_cash"]) == ("closed", z_net, 3, 1, 1, 500_000)
    # the shift's figures are the pack's (one shift), named as in by_facility
    manifest = json.loads((pack / "manifest.json").read_text(encoding="utf-8"))["totals"]
    assert {k: shift[k] for k in FIGURE_COLUMNS} == {k: manifest[k] for k in FIGURE_COLUMNS}
    assert shift["voids"] < 0 > shift["refunds"]
    assert shift["net"] == shift["sales"] + shift["voids"] + shift["refunds"]
    cash_net = by_kind(booth, "SELECT p.method, s.kind, p.amount FROM payment p "
                              "JOIN sale s ON s.id = p.sale_id")["cash"]
    assert shift["cash"] == cash_net and shift["expected_cash"] == cash_net
    assert shift["difference"] == 500_000 - cash_net
    flags = {(r["method"], r["kind"]): (r["verified"], r["confirmed"], r["confirmed_by"])
             for r in tables["payments"]}
    assert flags[("qris", "sale")] == ("false", "false", "")
    assert flags[("transfer", "sale")] == ("false", "true", "Maria")
    assert flags[("card", "void")] == ("true", "false", "")
    xflags = {(r["method"], r["kind"]): (r["verified"], r["confirmed"]) for r in book["payments"]}
    assert xflags[("transfer", "sale")] == (False, True)


def test_the_workbook_has_real_numbers_and_dates(booth: Booth, pack: Path) -> None:
    book = openpyxl.load_workbook(pack / "export.xlsx")
    ws = book["sales"]
    header = [c.value for c in ws[1]]
    first = {h: c for h, c in zip(header, ws[2], strict=True)}
    assert isinstance(first["total"].value, int) and "Rp" in first["total"].number_format
    assert isinstance(first["business_date"].value, datetime)
    assert first["business_date"].value.date() == date(2026, 11, 21)
    assert first["local_time"].value == datetime(2026, 11, 21, 19, 30)
    assert first["local_time"].number_format == "yyyy-mm-dd hh:mm:ss"
    notes = [c.value for row in book["settlement"].iter_rows() for c in row
             if isinstance(c.value, str) and c.value.startswith("Remainder rule")]
    assert len(notes) == 1


def test_manifest_counts_totals_heads_and_hashes(booth: Booth, pack: Path) -> None:
    manifest = json.loads((pack / "manifest.json").read_text(encoding="utf-8"))
    files = {p.relative_to(pack).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
             for p in pack.rglob("*") if p.is_file() and p.name != "manifest.json"}
    assert {k: v["sha256"] for k, v in manifest["files"].items()} == files
    tables = read_csvs(pack / "csv")
    assert manifest["counts"] == {name: len(rows) for name, rows in tables.items()}
    t = manifest["totals"]
    sales, tax_in = sql(booth, "SELECT sum(total), sum(tax) FROM sale WHERE kind = 'sale'")[0]
    back, tax_back = sql(booth, "SELECT sum(total), sum(tax) FROM sale WHERE kind <> 'sale'")[0]
    gross, discounts = sql(booth, "SELECT sum(l.gross), sum(l.line_discount + l.sale_discount) "
                                  "FROM sale_line l JOIN sale s ON s.id = l.sale_id "
                                  "WHERE s.kind = 'sale'")[0]
    assert (t["sales"], -t["voids"] - t["refunds"], t["net"], t["tax"], t["gross"],
            t["discounts"]) == (sales, back, sales - back, tax_in - tax_back, gross, discounts)
    pay_net = by_kind(booth, "SELECT p.method, s.kind, p.amount FROM payment p "
                             "JOIN sale s ON s.id = p.sale_id")
    assert {m: v["net"] for m, v in t["by_method"].items()} == \
        {m: pay_net.get(m, 0) for m in METHODS}
    assert t["unverified"] == {"count": 1, "amount": 200_000}  # the QRIS part; transfer matched
    # what was given back is negative, as in the figures: by method and by kind of document
    for v in t["by_method"].values():
        assert v["refunds"] <= 0 and v["net"] == v["sales"] + v["refunds"]
    assert sum(v["refunds"] for v in t["by_method"].values()) == t["voids"] + t["refunds"] < 0
    docs = t["documents"]
    assert (docs["sale"]["total"], docs["void"]["total"], docs["refund"]["total"]) == (
        t["sales"], t["voids"], t["refunds"])
    rep = report(booth, ReportFilter(event_id=booth.context.event_id))
    assert (rep.totals.net, rep.totals.gross, rep.totals.tax, rep.totals.count) == (
        t["net"], t["gross"], t["tax"], t["sales_count"])
    assert {c: (f["net"], f["sales_count"]) for c, f in t["by_facility"].items()} == \
        {c: (x.net, x.count) for c, x in rep.by_facility.items()}
    products = {r["sku"]: (int(r["net"]), int(r["sales_count"]), int(r["qty"]))
                for r in read_csvs(pack / "csv")["by_product"]}
    assert products == {sku: (x.net, x.count, x.qty) for sku, x in rep.by_product.items()}
    with booth.db.read() as s:
        head = audit.head(s.connection(), booth.context.device_id)
    assert [(h["device"], h["index"], h["hash"]) for h in manifest["audit"]] == [
        (booth.context.device_code, head.index, head.hash)]
    assert manifest["filter"]["event_id"] == booth.context.event_id.hex
    assert manifest["filter"]["event_name"] == booth.context.event_name


def test_settlement_sheet_equals_the_statements(booth: Booth, pack: Path) -> None:
    rows = {r["facility"]: r for r in read_csvs(pack / "csv")["settlement"]}
    found = statements(booth, ReportFilter(event_id=booth.context.event_id))
    assert sorted(rows) == [st.facility_code for st in found]
    for st in found:
        r = rows[st.facility_code]
        assert {p: int(r[p]) for p in PARTS} == st.split
        assert [(int(r[f"{m.method}_sales"]), int(r[f"{m.method}_refunds"]))
                for m in st.methods] == [(m.gross, -m.refunds) for m in st.methods]
        assert (int(r["sales_count"]), int(r["net"]), int(r["tax"])) == (st.count, st.net, st.tax)
        assert r["pnbp_percent"] == {"LP-END": "33.33", "LP-WGP": "40", "LPKA-KPG": "25",
                                     "RT-RTG": "50"}[st.facility_code]


def test_pdf_summary_shows_the_totals(booth: Booth, pack: Path) -> None:
    text = " ".join(p.extract_text() for p in PdfReader(pack / "summary.pdf").pages)
    text = " ".join(text.split())
    manifest = json.loads((pack / "manifest.json").read_text(encoding="utf-8"))
    t = manifest["totals"]
    assert "SALES SUMMARY" in text
    for amount in (t["net"], t["gross"], t["refunds"], t["by_method"]["cash"]["net"], 200_000):
        assert format_rupiah(amount) in text
    rows = read_csvs(pack / "csv")["settlement"]
    for r in rows:
        assert r["facility"] in text
        for p in PARTS:
            if int(r[p]):
                assert format_rupiah(int(r[p])) in text
    assert "KPG-01-000001" in text  # the unverified QRIS payment is listed


def test_a_pack_of_some_formats(booth: Booth, till_shift: ShiftRow, tmp_path: Path) -> None:
    _day(booth, till_shift)
    res = export_pack(booth, tmp_path / "p", formats=("pdf",))
    files = sorted(p.relative_to(res.path).as_posix() for p in res.path.rglob("*"))
    assert files == ["COLUMNS.md", "manifest.json", "summary.pdf"]
    manifest = json.loads((res.path / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["formats"] == ["pdf"]
    assert {k: v["sha256"] for k, v in manifest["files"].items()} == {
        name: hashlib.sha256((res.path / name).read_bytes()).hexdigest()
        for name in ("COLUMNS.md", "summary.pdf")}
    with pytest.raises(ValueError):
        export_pack(booth, tmp_path / "q", formats=("docx",))
    assert not (tmp_path / "q").exists()


def test_the_workbook_is_the_same_written_here_or_in_a_child(booth: Booth, till_shift: ShiftRow,
                                                             tmp_path: Path) -> None:
    _day(booth, till_shift)
    a = export_one(booth, tmp_path / "a.xlsx", "xlsx", parallel=True)
    b = export_one(booth, tmp_path / "b.xlsx", "xlsx", parallel=False)
    assert a.path.exists() and b.path.exists()
    assert read_xlsx(a.path) == read_xlsx(b.path)
    assert _leftovers(tmp_path) == []


def test_bulk_rows_are_the_xml_xlsxwriter_writes(tmp_path: Path) -> None:
    """The fast row writer and XlsxWriter's own ``write_row`` give byte-identical sheets."""
    import zipfile
    from zoneinfo import ZoneInfo

    from pos_app.adapters.export.xlsx_pack import XlsxBook
    from pos_app.adapters.export.xlsx_rows import bulk_sheet_class

    assert bulk_sheet_class() is not None  # the pinned XlsxWriter has what it needs
    wita = ZoneInfo("Asia/Makassar")
    kinds = ("text", "int", "money", "date", "datetime", "bool", "percent", "text")
    specs = [("t", [(f"c{i}", kind, 0) for i, kind in enumerate(kinds)])]
    rows = [("KPG & <x>", 3, -125_000, date(2026, 11, 21),
             datetime(2026, 11, 21, 19, 30, 5, tzinfo=wita), True, 3750, " lead"),
            ("ctrl\x01 _x0041_ \u2013 \u201cq\u201d", None, 0, None, None, False, None, "trail\n"),
            ("", 10**15, 5, date(2026, 1, 1), datetime(2026, 1, 1, tzinfo=wita), None, 10_000,
             "=1+2")]
    parts = {}
    for bulk in (True, False):
        path = tmp_path / f"{bulk}.xlsx"
        book = XlsxBook(path, specs, bulk=bulk)
        book.rows("t", rows[:2])
        book.rows("t", rows[2:])
        book.note("t", "Remainder rule: x")
        book.close()
        with zipfile.ZipFile(path) as z:
            parts[bulk] = z.read("xl/worksheets/sheet1.xml")
    assert parts[True] == parts[False]
    values = list(openpyxl.load_workbook(tmp_path / "True.xlsx")["t"].values)
    assert values[1][:3] == ("KPG & <x>", 3, -125_000) and values[1][5:] == (True, 37.5, " lead")
    # Excel reads XlsxWriter's _xHHHH_ escapes back; openpyxl shows them as they are
    assert values[2][0] == "ctrl_x0001_ _x005F_x0041_ \u2013 \u201cq\u201d"
    assert values[3][6:] == (100, "=1+2") and values[5][0] == "Remainder rule: x"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["False.xlsx", "True.xlsx"]


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(".") or
                  p.name.endswith(".part"))


@pytest.mark.parametrize("parallel", [True, False])
def test_cancel_half_way_leaves_nothing(booth: Booth, till_shift: ShiftRow, tmp_path: Path,
                                        parallel: bool) -> None:
    _day(booth, till_shift)
    cancel, seen = threading.Event(), []

    def progress(done: int, total: int) -> None:
        seen.append((done, total))
        if done >= 2:
            cancel.set()

    out = tmp_path / "out" / "pack"
    with pytest.raises(DomainError) as err:
        export_pack(booth, out, progress=progress, cancel=cancel, chunk=2, parallel=parallel)
    assert err.value.code == "export_cancelled"
    assert seen == [(0, 5), (2, 5)]
    assert not out.exists() and list((tmp_path / "out").iterdir()) == []


def test_unwritable_target_is_one_clear_error(booth: Booth, till_shift: ShiftRow,
                                              tmp_path: Path) -> None:
    _day(booth, till_shift)
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    with pytest.raises(DomainError) as err:
        export_pack(booth, blocker / "pack")
    assert err.value.code == "cannot_write"
    assert err.value.message() == (f"Cannot write {blocker / 'pack'}: part of the path is not "
                                   "a folder")
    with pytest.raises(DomainError) as err:
        export_one(booth, blocker / "x.pdf", "pdf")
    assert err.value.code == "cannot_write"
    taken = tmp_path / "taken"
    taken.mkdir()
    (taken / "keep.txt").write_text("mine")
    with pytest.raises(DomainError) as err:
        export_pack(booth, taken)
    assert err.value.code == "export_exists"
    assert [p.name for p in taken.iterdir()] == ["keep.txt"]
    assert _leftovers(tmp_path) == []


# --- the command line --------------------------------------------------------------------------

def cli(capsys, booth: Booth, *argv: str) -> tuple[int, str, str]:
    return run(capsys, "--db", str(booth.db.path), "export", *argv)


def test_cli_writes_each_format_and_the_pack(booth: Booth, till_shift: ShiftRow, tmp_path: Path,
                                             capsys) -> None:
    _day(booth, till_shift)
    code, out, err = cli(capsys, booth, "--format", "pack", "--out", str(tmp_path / "p"),
                         "--json")
    assert (code, err) == (0, "")
    data = json.loads(out)
    assert data["documents"] == 5 and data["totals"]["net"] == 772_500
    assert set(data["files"]) >= {"export.xlsx", "summary.pdf", "csv/lines.csv"}
    assert (tmp_path / "p" / "manifest.json").exists()
    code, out, err = cli(capsys, booth, "--format", "xlsx", "--out", str(tmp_path / "e.xlsx"),
                         "--from", "2026-11-21", "--to", "2026-11-21")
    assert (code, err) == (0, "")
    assert out == (f"Saved {tmp_path / 'e.xlsx'}: 5 documents, 3 sales, net Rp772.500, "
                   "voids and refunds -Rp119.250\n")
    assert read_xlsx(tmp_path / "e.xlsx") == read_xlsx(tmp_path / "p" / "export.xlsx")
    code, _out, err = cli(capsys, booth, "--format", "csv", "--out", str(tmp_path / "c"),
                          "--event", booth.context.event_name.upper())
    assert (code, err) == (0, "")
    assert sorted(p.name for p in (tmp_path / "c").iterdir()) == sorted(
        ["COLUMNS.md"] + [f"{t.name}.csv" for t in TABLES])
    code, _out, err = cli(capsys, booth, "--format", "pdf", "--out", str(tmp_path / "s.pdf"),
                          "--from", "2026-11-22")
    assert (code, err) == (0, "")
    assert "Rp0" in PdfReader(tmp_path / "s.pdf").pages[0].extract_text()


@pytest.mark.parametrize(("argv", "exit_code", "message"), [
    (["--format", "pack", "--from", "2026-11-31"], 1,
     "pos-app: Not a date (use YYYY-MM-DD): 2026-11-31\n"),
    (["--format", "xlsx", "--to", "21-11-2026"], 1,
     "pos-app: Not a date (use YYYY-MM-DD): 21-11-2026\n"),
    (["--format", "csv", "--from", "2026-11-22", "--to", "2026-11-21"], 1,
     "pos-app: The period starts after it ends: 2026-11-22 to 2026-11-21\n"),
    (["--format", "zip"], 2,
     "pos-app: argument --format: invalid choice: 'zip' (choose from 'xlsx', 'csv', 'pdf', "
     "'pack')\n"),
    (["--format", "pdf", "--event", "Pasar Malam"], 1, "pos-app: Unknown event: Pasar Malam\n"),
])
def test_cli_refuses_bad_input_in_one_line(booth: Booth, till_shift: ShiftRow, tmp_path: Path,
                                           capsys, argv, exit_code, message) -> None:
    _day(booth, till_shift)
    before = sorted(p.name for p in tmp_path.iterdir())
    code, out, err = cli(capsys, booth, *argv, "--out", str(tmp_path / "x"))
    assert (code, out, err) == (exit_code, "", message)
    assert sorted(p.name for p in tmp_path.iterdir()) == before


def test_the_lines_sheet_names_the_product_and_the_day(booth: Booth, pack: Path) -> None:
    """The workbook's lines carry the product name and the business date (the event's local
    day, after the cut-off), the same as the CSV lines file and the database."""
    book, tables = read_xlsx(pack / "export.xlsx"), read_csvs(pack / "csv")
    wb = openpyxl.load_workbook(pack / "export.xlsx", read_only=True)
    head = next(wb["lines"].iter_rows(max_row=1, values_only=True))
    wb.close()
    assert head[:9] == ("number", "line_no", "kind", "business_date", "facility", "sku",
                        "name", "qty", "unit_price")
    expected = {(n, int(line), name, date.fromisoformat(day)) for n, line, name, day in sql(
        booth, "SELECT s.number, l.line_no, l.name, s.business_date FROM sale_line l "
               "JOIN sale s ON s.id = l.sale_id")}
    got = {(r["number"], r["line_no"], r["name"], r["business_date"].date())
           for r in book["lines"]}
    assert got == expected and len(got) == len(book["lines"]) == 9
    assert {(r["number"], int(r["line_no"]), r["name"], date.fromisoformat(r["business_date"]))
            for r in tables["lines"]} == expected
    assert {d for *_rest, d in expected} == {date(2026, 11, 21)}
