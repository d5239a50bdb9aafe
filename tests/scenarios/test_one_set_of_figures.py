"""One set of figures (DESIGN "One set of figures"): one event with sales of each tax mode
(none, PPN included, PPN added), a line discount, a sale discount, a void and a partial
refund; its figures read back from every place that shows money - the X and Z reports (data,
ESC/POS bytes and PDF), the reports screen, the pack's summary PDF (pdftotext), XLSX
(openpyxl), CSV and manifest (by facility and the shifts table), the settlement statements
(data, PDF and ``pos-app report settlement``) - are equal label by label, and the net equals
the payments kept (tenders taken less money paid back).
"""

from __future__ import annotations

import csv
import json
import re
import sqlite3
import subprocess
from pathlib import Path

import openpyxl
import pytest

from pos_app.cli.main import main
from pos_app.domain.cart import Discount
from pos_app.domain.figures import FIGURE_KEYS, FIGURE_LABELS, Figures
from pos_app.domain.receipt import Pair
from pos_app.domain.tenders import Method, Tender
from pos_app.services.catalog.catalog_edit import create_product
from pos_app.services.reporting.export_pack import export_pack
from pos_app.services.reporting.report_facts import ReportFilter
from pos_app.services.reporting.reports import report
from pos_app.services.sale.checkout import SaleItem, SaleRequest, checkout
from pos_app.services.sale.refunds import refund, void_sale
from pos_app.services.setup.booth import Booth
from pos_app.services.shift import shift_reports, shifts
from pos_app.services.shift.settlement import statements
from pos_app.services.shift.settlement_print import save_settlement_pdf, statement_data
from pos_app.services.shift.shifts import ShiftRow

MARIA = {"actor": "Maria", "actor_role": "coordinator"}
LABELS = dict(FIGURE_LABELS)  # key -> English label (the tests run untranslated)
MONEY = r"([-\u2212]?)Rp([\d.]+)"


def amount(sign: str, digits: str) -> int:
    return -int(digits.replace(".", "")) if sign else int(digits.replace(".", ""))


def from_text(text: str) -> dict[str, int]:
    """Each figure's label followed by its amount, the first time it appears in ``text``
    (whitespace made single)."""
    text = " ".join(text.split())
    out = {}
    for key, label in FIGURE_LABELS:
        found = re.search(rf"(?:^| ){re.escape(label)} {MONEY}", text)
        assert found is not None, (label, text[:2000])
        out[key] = amount(*found.groups())
    return out


def from_pairs(elements) -> dict[str, int]:
    """The figures of a receipt-like document (the X or Z report): its label/value pairs."""
    pairs = {e.left: e.right for e in elements if isinstance(e, Pair)}
    return {key: amount(*re.fullmatch(MONEY, pairs[label]).groups())
            for key, label in FIGURE_LABELS}


def printed(data: bytes) -> str:
    """The text of ESC/POS bytes: commands (ESC/GS, a letter and one parameter) left out."""
    data = re.sub(rb"\x1b@|[\x1b\x1d][!-~][\x00-\xff]", b"", data)
    return data.decode("cp437", "replace")


def pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True,
                          text=True).stdout


def from_columns(rows: list[dict]) -> dict[str, int]:
    """The pack's figure columns added up over its rows (one per facility); discounts are
    written as a positive amount, shown as a minus."""
    out = {key: sum(int(r[key]) for r in rows) for key in FIGURE_KEYS}
    out["discounts"] = -out["discounts"]
    return out


def xlsx_rows(path: Path, sheet: str) -> list[dict]:
    wb = openpyxl.load_workbook(path, read_only=True)
    rows = list(wb[sheet].iter_rows(values_only=True))
    wb.close()
    return [dict(zip(rows[0], r, strict=True)) for r in rows[1:] if r[0] and r[1]]


def csv_rows(path: Path) -> list[dict]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def settlement_cli(booth: Booth, capsys, lang: str = "en") -> list[str]:
    """``pos-app report settlement`` as printed: one block of text per facility."""
    code = main(["--lang", lang, "--db", str(booth.db.path), "report", "settlement"])
    out, err = capsys.readouterr()
    assert (code, err) == (0, ""), err
    return out.split("\n\n")


def added_up(per_place: list[dict[str, int]]) -> dict[str, int]:
    return {key: sum(p[key] for p in per_place) for key in FIGURE_KEYS}


def sql(booth: Booth, query: str) -> list[tuple]:
    with sqlite3.connect(booth.db.path) as con:
        rows = con.execute(query).fetchall()
    con.close()
    return rows


@pytest.fixture
def event(booth: Booth, till_shift: ShiftRow) -> dict:
    added = create_product(booth, name="Kopi Bajawa Sachet", facility_code="LP-END",
                           category_code="kopi", price=40_000, tax_mode="added", **MARIA)
    # no PPN (LUK-005, with a line discount) and PPN included (KOP-001), a sale discount
    first = checkout(booth, SaleRequest(
        items=(SaleItem(1, sku="LUK-005", discount=Discount.amount(10_000)),
               SaleItem(2, sku="KOP-001")),
        tenders=(Tender(Method.CASH, 500_000),), discount=Discount.percent(5),
        shift_id=till_shift.id))
    # PPN added on top of the price, with no PPN beside it; QRIS and cash
    second = checkout(booth, SaleRequest(
        items=(SaleItem(3, sku=added.sku), SaleItem(1, sku="MAK-004")),
        tenders=(Tender(Method.QRIS, 100_000, "QR-1"), Tender(Method.CASH, 100_000)),
        shift_id=till_shift.id))
    voided = checkout(booth, SaleRequest(items=(SaleItem(1, sku="KOP-001"),),
                                         tenders=(Tender(Method.CARD, 85_000, "APPR-1"),),
                                         shift_id=till_shift.id))
    void_sale(booth, voided.number, reason="wrong item", shift_id=till_shift.id, **MARIA)
    # a partial refund: one of the three added-PPN sachets
    refund(booth, second.number, {1: 1}, method="cash", reason="torn", shift_id=till_shift.id,
           **MARIA)
    return {"sales": (first, second, voided), "added_sku": added.sku}


def test_every_place_shows_the_same_figures(booth: Booth, till_shift: ShiftRow, event,
                                            tmp_path: Path, qtbot, capsys) -> None:
    from pos_app.ui.reporting.report_pages import TotalsStrip

    truth = report(booth).totals.figures()
    # the event's figures by hand: LUK-005 250.000 - 10.000; 2 x KOP-001 85.000 (PPN
    # included); 5 % off the sale's 410.000 = 20.500; 3 x 40.000 + 11 % PPN added 13.200;
    # MAK-004 15.000; the void gives back 85.000; the refund one sachet with its PPN 44.400
    assert (truth.gross, truth.discounts, truth.added_tax) == (
        250_000 + 170_000 + 120_000 + 15_000 + 85_000, 30_500, 13_200)
    # sales 389.500 + 148.200 + 85.000 = 622.700; PPN: 161.500 x 11/111 = 16.004,5 -> 16.005
    # (KOP-001 after the sale discount; the voided one's 8.423 in and out) + 13.200 - 4.400
    assert truth.as_dict() == {
        "gross": 640_000, "discounts": -30_500, "added_tax": 13_200, "sales": 622_700,
        "voids": -85_000, "refunds": -44_400, "net": 493_300, "tax": 24_805,
        "dpp": 468_495}
    assert (truth.voids, truth.refunds) == (-85_000, -44_400)
    assert truth.net == truth.sales + truth.voids + truth.refunds
    assert truth.dpp == truth.net - truth.tax

    # the money kept: what the tenders took less the change, less what was paid back
    [(kept,)] = sql(booth, "SELECT sum(CASE WHEN s.kind = 'sale' THEN p.amount "
                           "ELSE -p.amount END) FROM payment p JOIN sale s ON s.id = p.sale_id")
    assert truth.net == kept

    places: dict[str, dict[str, int]] = {}

    # the X report (a reading of the open shift) and the Z report, data, paper and PDF
    x = shift_reports.x_reading(booth, till_shift.id, "Kasir")
    places["X report"] = from_pairs(shift_reports.elements_of(booth, x))
    closed = shifts.close_shift(booth, till_shift.id, {100_000: 10}, "Kasir")
    places["Z report data"] = closed.totals.shown_figures().as_dict()
    places["Z report"] = from_pairs(shift_reports.report_elements(booth, till_shift.id, "z"))
    escpos = shift_reports.report_bytes(booth, till_shift.id, "z", width_mm=80)
    places["Z report ESC/POS"] = from_text(printed(escpos))
    places["Z report PDF"] = from_text(pdf_text(shift_reports.save_report_pdf(
        booth, till_shift.id, "z", tmp_path / "z.pdf")))

    # the reports screen: the figures strip, caption by caption
    strip = TotalsStrip()
    qtbot.addWidget(strip)
    strip.show_totals(report(booth).totals)
    captions = {tile.findChildren(type(strip.figures["net"]))[0].text(): key
                for tile, key in zip(strip.tiles, strip.figures, strict=True)}
    assert [captions.get(label) for _key, label in FIGURE_LABELS] == list(FIGURE_KEYS)
    places["reports screen"] = from_text(" ".join(
        f"{label} {strip.text(key)}" for key, label in FIGURE_LABELS))

    # the end-of-event pack: summary PDF, XLSX, CSV, manifest
    pack = export_pack(booth, tmp_path / "pack", ReportFilter()).path
    places["summary PDF"] = from_text(pdf_text(pack / "summary.pdf"))
    places["XLSX"] = from_columns(xlsx_rows(pack / "export.xlsx", "by_facility"))
    places["CSV"] = from_columns(csv_rows(pack / "csv" / "by_facility.csv"))
    manifest = json.loads((pack / "manifest.json").read_text("utf-8"))["totals"]
    places["manifest"] = from_columns([manifest])
    # the shifts table: the one (closed) shift's figures, named as in by_facility
    shifts_xlsx = xlsx_rows(pack / "export.xlsx", "shifts")
    shifts_csv = csv_rows(pack / "csv" / "shifts.csv")
    assert len(shifts_xlsx) == len(shifts_csv) == 1
    places["shifts XLSX"] = from_columns(shifts_xlsx)
    places["shifts CSV"] = from_columns(shifts_csv)
    assert [r["shift"] for r in shifts_csv] == [till_shift.id.hex]
    # what was given back is negative in the manifest too: by method and by document
    assert sum(m["refunds"] for m in manifest["by_method"].values()) == \
        truth.voids + truth.refunds
    assert {k: d["total"] for k, d in manifest["documents"].items()} == {
        "sale": truth.sales, "void": truth.voids, "refund": truth.refunds}

    # the settlement: the statements' data (what the CLI's --json gives) and their PDF
    found = statements(booth)
    places["settlement"] = {
        key: sum(statement_data(st)["figures"][key] for st in found) for key in FIGURE_KEYS}
    pages = pdf_text(save_settlement_pdf(booth, tmp_path / "settlement.pdf")).split("\f")
    per_page = [from_text(page) for page in pages if "Page" in page]
    assert len(per_page) == len(found)
    places["settlement PDF"] = added_up(per_page)
    # the command line: each facility's figures on lines of their own, under their labels
    blocks = settlement_cli(booth, capsys)
    assert len(blocks) == len(found)
    places["settlement CLI"] = added_up([from_text(block) for block in blocks])

    want = truth.as_dict()
    for place, figures in places.items():
        for key in FIGURE_KEYS:
            assert figures[key] == want[key], (place, LABELS[key], figures[key], want[key])
    assert Figures(**{k: v for k, v in truth.to_json().items()}) == truth


INDONESIAN = {"gross": "Penjualan kotor", "discounts": "Diskon", "added_tax": "PPN ditambahkan",
              "sales": "Penjualan", "voids": "Pembatalan", "refunds": "Retur",
              "net": "Bersih setelah pembatalan dan retur", "tax": "PPN", "dpp": "DPP"}


def test_in_indonesian_the_labels_are_designs_and_the_figures_indonesian(
        booth: Booth, till_shift: ShiftRow, event, tmp_path: Path, capsys) -> None:
    from pos_app.i18n import load

    indonesian = load("id").gettext
    assert {key: indonesian(label) for key, label in FIGURE_LABELS} == INDONESIAN
    want = report(booth).totals.figures().as_dict()
    shifts.close_shift(booth, till_shift.id, {100_000: 10}, "Kasir")
    z = shift_reports.report_elements(booth, till_shift.id, "z", indonesian)
    pairs = {e.left: e.right for e in z if isinstance(e, Pair)}
    for key, label in INDONESIAN.items():
        assert amount(*re.fullmatch(MONEY, pairs[label]).groups()) == want[key], label
    pack = export_pack(booth, tmp_path / "pack", translate=indonesian, language="id").path
    text = " ".join(pdf_text(pack / "summary.pdf").split())
    for key, label in INDONESIAN.items():
        found = re.search(rf"(?:^| ){re.escape(label)} {MONEY}", text)
        assert found is not None and amount(*found.groups()) == want[key], label
    # percentages and numbers as Indonesian writes them: the settlement's 42,5 % and the
    # pie's shares with a decimal comma; never a decimal point before a percent sign
    assert "42,5 %" in text and "32,5 %" in text
    assert re.search(r"\d\.\d{1,2} ?%", text) is None
    assert re.search(r"\(\d+,\d{1,2} %\)", text) is not None  # the pie's legend
    # pos-app report settlement in Indonesian: each figure under its DESIGN label, the
    # per-method money in under "Penjualan" and given back negative
    blocks = [" ".join(block.split()) for block in settlement_cli(booth, capsys, "id")]
    shown = []
    for block in blocks:
        found = {}
        for key, label in INDONESIAN.items():
            hit = re.search(rf"(?:^| ){re.escape(label)} {MONEY}", block)
            assert hit is not None, (label, block)
            found[key] = amount(*hit.groups())
        shown.append(found)
        assert "Metode pembayaran Penjualan Pembatalan dan retur Bersih" in block
        assert "Kotor" not in block and "setelah diskon" not in block
    assert added_up(shown) == want
    assert any(re.search(r"Tunai Rp[\d.]+ -Rp[\d.]+ ", block) for block in blocks)
