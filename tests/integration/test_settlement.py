"""Settlement percentages per facility (catalog import, ``set_shares``, ``pos-app facility``)
and the settlement statement: its figures against the database's own sums, the split that
adds up to the net, the PDF read back as text, ``pos-app report settlement`` and its
refusals (one line, nothing written)."""

from __future__ import annotations

import json
import sqlite3
import subprocess
from pathlib import Path

import openpyxl
import pytest

from pos_app.adapters.pdf.settlement_pdf import RULE
from pos_app.domain.errors import DomainError, ImportRejected
from pos_app.domain.money import format_rupiah
from pos_app.domain.settlement import REMAINDER_RULE, Shares, split
from pos_app.domain.tenders import Method, Tender
from pos_app.services.catalog.catalog_import import ImportSummary, import_catalog
from pos_app.services.sale.checkout import SaleItem, SaleRequest, checkout
from pos_app.services.sale.refunds import refund
from pos_app.services.setup.booth import Booth
from pos_app.services.shift.settlement import facility_shares, set_shares, statements
from pos_app.services.shift.settlement_print import save_settlement_pdf, statement_data
from pos_app.services.shift.shifts import ShiftRow
from tests.integration.test_checkout import every_table
from tests.integration.test_cli_stock import OS_USER, cli, ok
from tests.integration.test_receipt_pdf import assert_dejavu_embedded
from tests.integration.test_reports import _day
from tests.integration.test_stock_pdf import words_of

MARIA = {"actor": "Maria", "actor_role": "coordinator"}
HEADER = "code,name,kind,region,pnbp,premi,modal,program"
DEMO = {"LP-KPG": Shares(4000, 3500, 2000, 500), "LPP-KPG": Shares(3500, 4000, 2000, 500),
        "LPKA-KPG": Shares(3000, 3000, 2500, 1500), "BP-KPG": Shares(4000, 3000, 2500, 500),
        "RT-SOE": Shares(4000, 3500, 2000, 500), "LP-ATB": Shares(4000, 3500, 2000, 500),
        "RT-KFM": Shares(3750, 3250, 2500, 500), "LP-WGP": Shares(4000, 3500, 2000, 500),
        "LP-MME": Shares(4500, 3000, 2000, 500), "RT-RTG": Shares(4000, 3500, 2000, 500),
        "LP-END": Shares(4250, 3250, 2000, 500), "RT-KLB": Shares(4000, 3500, 2000, 500)}


def q(booth: Booth, sql: str, *params) -> list[tuple]:
    with sqlite3.connect(booth.db.path) as con:
        rows = con.execute(sql, params).fetchall()
    con.close()
    return rows


def write_csv(path: Path, *lines: str) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def revision(booth: Booth, code: str) -> int:
    return q(booth, "SELECT revision FROM facility WHERE code = ?", code)[0][0]


def money(amount: int) -> str:
    return "-" + format_rupiah(-amount) if amount < 0 else format_rupiah(amount)


# --- percentages in the catalog import ---------------------------------------------------------

def test_the_demo_facilities_have_their_percentages(booth: Booth) -> None:
    assert facility_shares(booth) == DEMO


def test_import_sets_percentages_as_a_new_revision(booth: Booth, tmp_path: Path) -> None:
    before = revision(booth, "LP-KPG")
    f = write_csv(tmp_path / "upt.csv", HEADER,
                  "LP-KPG,Lapas Kelas IIA Kupang,Lapas,Kota Kupang,50,30,15,5",
                  "RT-SOE,Rutan Kelas IIB Soe,Rutan,Timor Tengah Selatan,40,35,20,5",
                  "LP-BJW,Lapas Kelas IIB Bajawa,Lapas,Ngada,37.5,32.5,25,5",
                  "LP-LBJ,Lapas Kelas III Labuan Bajo,Lapas,Manggarai Barat,,,,")
    assert import_catalog(booth, f) == ImportSummary(facilities_added=2, facilities_updated=1)
    shares = facility_shares(booth)
    assert shares["LP-KPG"] == Shares(5000, 3000, 1500, 500)
    assert shares["RT-SOE"] == DEMO["RT-SOE"]  # unchanged: no new revision
    assert shares["LP-BJW"] == Shares(3750, 3250, 2500, 500)
    assert shares["LP-LBJ"] == Shares() and not shares["LP-LBJ"].is_set
    assert (revision(booth, "LP-KPG"), revision(booth, "RT-SOE")) == (before + 1, 1)
    # the changed facility is queued for head office again (after its first insert)
    assert q(booth, "SELECT count(*) FROM outbox o JOIN facility f ON f.id = o.record_id "
                    "WHERE f.code = 'LP-KPG' AND o.state = 'pending'") == [(2,)]
    assert import_catalog(booth, f) == ImportSummary()  # the same file again: nothing new


def test_a_blank_row_leaves_the_percentages_not_set(booth: Booth, tmp_path: Path) -> None:
    f = write_csv(tmp_path / "kosong.csv", HEADER,
                  "LPKA-KPG,LPKA Kelas I Kupang,LPKA,Kota Kupang,,,,")
    assert import_catalog(booth, f) == ImportSummary(facilities_updated=1)
    assert not facility_shares(booth)["LPKA-KPG"].is_set


def test_xlsx_percentages_may_be_numbers(booth: Booth, tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "UPT"
    ws.append(HEADER.split(","))
    ws.append(["LP-END", "Lapas Kelas IIB Ende", "Lapas", "Ende", 37.5, 32.5, 25, 5])
    ws.append(["RT-KLB", "Rutan Kelas IIB Kalabahi", "Rutan", "Alor", 33.33, 33.33, 33.34, 0])
    wb.save(tmp_path / "upt.xlsx")
    import_catalog(booth, tmp_path / "upt.xlsx")
    shares = facility_shares(booth)
    assert (shares["LP-END"], shares["RT-KLB"]) == (Shares(3750, 3250, 2500, 500),
                                                     Shares(3333, 3333, 3334, 0))


def test_bad_percentages_are_refused_by_row_and_nothing_is_written(booth: Booth,
                                                                   tmp_path: Path) -> None:
    f = write_csv(tmp_path / "upt.csv", HEADER,
                  "LP-KPG,Lapas Kelas IIA Kupang,Lapas,Kota Kupang,40,35,20,",
                  "LP-ATB,Lapas Kelas IIB Atambua,Lapas,Belu,abc,35,20,5",
                  "LP-END,Lapas Kelas IIB Ende,Lapas,Ende,40.125,35,20,4.875",
                  "RT-SOE,Rutan Kelas IIB Soe,Rutan,Timor Tengah Selatan,40,35,20,10",
                  "RT-KLB,Rutan Kelas IIB Kalabahi,Rutan,Alor,101,0,0,0",
                  "BP-KPG,Bapas Kelas II Kupang,Bapas,Kota Kupang,-5,55,45,5",
                  "LP-WGP,Lapas Kelas IIA Waingapu,Lapas,Sumba Timur,40,35,20,5")
    before = every_table(booth.db.path)
    with pytest.raises(ImportRejected) as exc:
        import_catalog(booth, f)
    assert [e.message() for e in exc.value.errors] == [
        "row 2, column program: give all four percentages (pnbp, premi, modal, program) "
        "or none",
        "row 3, column pnbp: not a percentage from 0 to 100 with at most two decimals: abc",
        "row 4, column pnbp: not a percentage from 0 to 100 with at most two decimals: "
        "40.125",
        "row 4, column program: not a percentage from 0 to 100 with at most two decimals: "
        "4.875",
        "row 5, column pnbp+premi+modal+program: the percentages add up to 105, not 100",
        "row 6, column pnbp: not a percentage from 0 to 100 with at most two decimals: 101",
        "row 7, column pnbp: not a percentage from 0 to 100 with at most two decimals: -5",
    ]
    assert exc.value.message() == f"Nothing was imported: 7 error(s) in {f}"
    assert every_table(booth.db.path) == before


# --- set_shares and pos-app facility -----------------------------------------------------------

def test_set_shares_is_a_journaled_new_revision(booth: Booth) -> None:
    before = revision(booth, "LPKA-KPG")
    set_shares(booth, "lpka-kpg", Shares(5000, 3000, 1500, 500), **MARIA)
    assert facility_shares(booth)["LPKA-KPG"] == Shares(5000, 3000, 1500, 500)
    assert revision(booth, "LPKA-KPG") == before + 1
    [(actor, payload)] = q(booth, "SELECT actor, payload FROM audit_event "
                                  "WHERE action = 'facility.shares'")
    assert actor == "Maria"
    assert json.loads(payload) == {"facility": "LPKA-KPG", "pnbp": 5000, "premi": 3000,
                                   "modal": 1500, "program": 500}
    untouched = every_table(booth.db.path)
    for shares, role, code in ((Shares(5000, 3000, 1500, 400), "coordinator", "bad_shares"),
                               (Shares(5000, 3000, 1500, 500), "cashier", "not_allowed")):
        with pytest.raises(DomainError) as exc:
            set_shares(booth, "LPKA-KPG", shares, actor="Kasir", actor_role=role)
        assert exc.value.code == code
    with pytest.raises(DomainError) as exc:
        set_shares(booth, "NOPE", Shares(5000, 3000, 1500, 500), **MARIA)
    assert exc.value.code == "unknown_facility_code"
    assert every_table(booth.db.path) == untouched


def test_cli_facility_shares_and_list(booth: Booth, capsys) -> None:
    out = ok(capsys, booth, "facility", "shares", "lpka-kpg", "--pnbp", "50", "--premi",
             "27,5", "--modal", "17.5", "--program", "5")
    assert out == "Percentages of LPKA-KPG: PNBP 50 %, premi 27.5 %, modal 17.5 %, " \
                  "program 5 %\n"
    assert facility_shares(booth)["LPKA-KPG"] == Shares(5000, 2750, 1750, 500)
    assert q(booth, "SELECT actor FROM audit_event WHERE action = 'facility.shares'") == [
        (OS_USER,)]
    data = json.loads(ok(capsys, booth, "facility", "list", "--json"))["facilities"]
    assert [f["code"] for f in data] == sorted(DEMO)
    assert data[[f["code"] for f in data].index("LPKA-KPG")] == {
        "code": "LPKA-KPG", "name": "LPKA Kelas I Kupang", "kind": "LPKA",
        "region": "Kota Kupang",
        "shares_bp": {"pnbp": 5000, "premi": 2750, "modal": 1750, "program": 500}}
    lines = [" ".join(line.split()) for line in
             ok(capsys, booth, "facility", "list").splitlines()]
    assert lines[0] == "Code Name Kind PNBP Premi Modal Program"
    assert "LPKA-KPG LPKA Kelas I Kupang LPKA 50 % 27.5 % 17.5 % 5 %" in lines
    assert "RT-KFM Rutan Kelas IIB Kefamenanu Rutan 37.5 % 32.5 % 25 % 5 %" in lines
    assert len(lines) == 13


@pytest.mark.parametrize(("argv", "message"), [
    (("NOPE", "40", "35", "20", "5"), "Unknown facility: NOPE"),
    (("LP-KPG", "40", "35", "20", "4"),
     "The PNBP, premi, modal and program percentages must add up to 100, not 99"),
    (("LP-KPG", "abc", "35", "20", "5"), "Percentage must be between 0 and 100: abc"),
    (("LP-KPG", "40.555", "35", "20", "4.445"), "Percentage must be between 0 and 100: 40.555"),
])
def test_cli_facility_shares_refusals(booth: Booth, capsys, argv, message) -> None:
    before = every_table(booth.db.path)
    code, *figures = argv
    opts = [x for part, value in zip(("--pnbp", "--premi", "--modal", "--program"), figures,
                                     strict=True) for x in (part, value)]
    assert cli(capsys, booth, "facility", "shares", code, *opts) == (
        1, "", f"pos-app: {message}\n")
    assert every_table(booth.db.path) == before


# --- the statement against the database --------------------------------------------------------

def test_statements_equal_the_database(booth: Booth, till_shift: ShiftRow) -> None:
    _day(booth, till_shift)
    found = {st.facility_code: st for st in statements(booth)}
    sold = {code: rest for code, *rest in q(
        booth, "SELECT f.code, sum(l.gross), sum(l.line_discount + l.sale_discount), "
               "sum(l.total), sum(l.tax), count(DISTINCT s.id) FROM sale_line l "
               "JOIN sale s ON s.id = l.sale_id JOIN facility f ON f.id = l.facility_id "
               "WHERE s.kind = 'sale' GROUP BY f.code")}
    back = {code: rest for code, *rest in q(
        booth, "SELECT f.code, sum(l.total), sum(l.tax) FROM sale_line l "
               "JOIN sale s ON s.id = l.sale_id JOIN facility f ON f.id = l.facility_id "
               "WHERE s.kind IN ('refund', 'void') GROUP BY f.code")}
    assert sorted(found) == sorted(sold) == ["LP-END", "LP-WGP", "LPKA-KPG", "RT-RTG"]
    for code, st in found.items():
        gross, discounts, sales, tax, count = sold[code]
        refunds, back_tax = back.get(code, (0, 0))
        assert (st.gross, st.discounts, st.sales, st.refunds, st.net, st.tax, st.count) == (
            gross, discounts, sales, refunds, sales - refunds, tax - back_tax, count), code
        assert sum(m.gross for m in st.methods) == st.sales
        assert sum(m.refunds for m in st.methods) == st.refunds
        assert sum(m.net for m in st.methods) == st.net
        assert st.shares == DEMO[code]
        # the split is of the DPP (net less PPN); the PPN is listed apart, never split
        assert st.dpp == st.net - st.tax == st.figures.dpp
        assert st.split == split(st.dpp, DEMO[code])
        assert sum(st.split.values()) == st.dpp
    # the first sale had goods of three facilities: it counts once for each
    assert {code: st.count for code, st in found.items()} == {
        "LP-END": 1, "LP-WGP": 1, "LPKA-KPG": 3, "RT-RTG": 1}
    for kinds, side in (("'sale'", "gross"), ("'refund', 'void'", "refunds")):
        paid = dict(q(booth, f"SELECT p.method, sum(p.amount) FROM payment p JOIN sale s "
                             f"ON s.id = p.sale_id WHERE s.kind IN ({kinds}) "
                             f"GROUP BY p.method"))
        by_method = {m: sum(getattr(st.methods[i], side) for st in found.values())
                     for i, m in enumerate(("cash", "qris", "transfer", "card"))}
        assert {m: v for m, v in by_method.items() if v} == paid


def test_one_facility_with_no_sales_gets_a_statement_of_zeros(booth: Booth) -> None:
    [st] = statements(booth, facility_code="rt-klb")
    assert (st.facility_code, st.sales, st.net, st.count) == ("RT-KLB", 0, 0, 0)
    assert st.split == {"pnbp": 0, "premi": 0, "modal": 0, "program": 0}
    with pytest.raises(DomainError) as exc:
        statements(booth, facility_code="NOPE")
    assert exc.value.code == "unknown_facility_code"


# --- the PDF -----------------------------------------------------------------------------------

def test_the_rule_printed_is_the_domains() -> None:
    assert RULE == REMAINDER_RULE


def test_the_pdf_shows_every_figure_and_the_rule(booth: Booth, till_shift: ShiftRow,
                                                 tmp_path: Path) -> None:
    _day(booth, till_shift)
    [st] = statements(booth, facility_code="LP-END")
    path = save_settlement_pdf(booth, tmp_path / "ende.pdf", facility_code="lp-end")
    reader, text = words_of(path)
    assert len(reader.pages) == 1
    assert_dejavu_embedded(reader)
    assert "SALES PROCEEDS STATEMENT" in text
    assert "Facility LP-END — Lapas Kelas IIB Ende (Lapas)" in text
    assert "Period Whole event" in text and "Made at 21 November 2026, 19:30 WITA" in text
    labels = {"cash": "Cash", "qris": "QRIS", "transfer": "Bank transfer", "card": "Card (EDC)"}
    for m in st.methods:
        assert f"{labels[m.method]} {money(m.gross)} {money(-m.refunds)} {money(m.net)}" in text
    assert f"Total {money(st.sales)} {money(-st.refunds)} {money(st.net)}" in text
    assert (f"Gross sales {money(st.gross)} Discounts {money(-st.discounts)} "
            f"PPN added Rp0 Sales {money(st.sales)} Voids Rp0 Refunds Rp0 "
            f"Net after voids and refunds {money(st.net)} PPN {money(st.tax)} "
            f"DPP {money(st.dpp)} PPN collected: tax to remit, not split {money(st.tax)}"
            ) in text
    # net 161.500 (2 x 85.000 less 5 %) holds PPN 16.005 (included in the prices): the DPP
    # 145.495 is split, 42,5 / 32,5 / 20 / 5 % are 61.835,375 / 47.285,875 / 29.099 /
    # 7.274,75; the two rupiah left go to the largest fractions (premi .875, program .75)
    assert (st.net, st.tax, st.dpp) == (161_500, 16_005, 145_495)
    assert st.split == {"pnbp": 61_835, "premi": 47_286, "modal": 29_099, "program": 7_275}
    for row in ("PNBP (state revenue) 42,5 % Rp61.835,375 — Rp61.835",
                "Premi (makers' wages) 32,5 % Rp47.285,875 +Rp1 Rp47.286",
                "Modal (production cost) 20 % Rp29.099 — Rp29.099",
                "Program 5 % Rp7.274,75 +Rp1 Rp7.275",
                "Total 100 % Rp145.495 +Rp2 Rp145.495",
                "The PPN collected (Rp16.005) is tax to remit: it is not split."):
        assert row in text, row
    assert f"Remainder rule: {REMAINDER_RULE}." in text
    assert ("Prepared by Acknowledged by Booth officer Facility coordinator "
            "( ........................................ ) "
            "( ........................................ )") in text
    assert "Kupang, 21 November 2026" in text
    assert "Page 1 of 1" in text


def test_all_facilities_one_page_each(booth: Booth, till_shift: ShiftRow, tmp_path: Path) -> None:
    _day(booth, till_shift)
    reader, text = words_of(save_settlement_pdf(booth, tmp_path / "semua.pdf"))
    codes = ["LP-END", "LP-WGP", "LPKA-KPG", "RT-RTG"]
    assert len(reader.pages) == len(codes)
    for n, (page, code) in enumerate(zip(reader.pages, codes, strict=True), 1):
        page_text = " ".join(page.extract_text().split())
        assert f"Facility {code} — " in page_text
        assert f"Page {n} of {len(codes)}" in page_text
        assert "Remainder rule:" in page_text


def test_not_set_says_so_instead_of_a_split(booth: Booth, till_shift: ShiftRow, capsys,
                                            tmp_path: Path) -> None:
    _day(booth, till_shift)
    import_catalog(booth, write_csv(tmp_path / "upt.csv", HEADER,
                                    "LPKA-KPG,LPKA Kelas I Kupang,LPKA,Kota Kupang,,,,"))
    [st] = statements(booth, facility_code="LPKA-KPG")
    assert st.split is None and st.net > 0
    _, text = words_of(save_settlement_pdf(booth, tmp_path / "lpka.pdf",
                                           facility_code="LPKA-KPG"))
    assert ("The settlement percentages of LPKA-KPG are not set, so the DPP is "
            "not split.") in text
    assert "Remainder rule" not in text and "PNBP" not in text
    out = ok(capsys, booth, "report", "settlement", "--facility", "LPKA-KPG")
    assert out.splitlines()[-1] == ("Percentages not set for LPKA-KPG: the DPP is not split "
                                    "(set them with `pos-app facility shares LPKA-KPG`)")
    data = json.loads(ok(capsys, booth, "report", "settlement", "--facility", "LPKA-KPG",
                         "--json"))
    assert (data["statements"][0]["split"], data["statements"][0]["shares_bp"]) == (None, None)


# --- pos-app report settlement -----------------------------------------------------------------

def _lpka_sale(booth: Booth, till_shift: ShiftRow) -> None:
    """LUK-005 250.000 + 2 x MAK-004 15.000 = 280.000 (QRIS 100.000 + cash 180.000); one
    MAK-004 refunded in cash: net 265.000."""
    sale = checkout(booth, SaleRequest(
        items=(SaleItem(1, sku="LUK-005"), SaleItem(2, sku="MAK-004")),
        tenders=(Tender(Method.QRIS, 100_000, "QR-9"), Tender(Method.CASH, 180_000)),
        shift_id=till_shift.id))
    refund(booth, sale.number, {2: 1}, method="cash", reason="crushed", shift_id=till_shift.id,
           **MARIA)


def test_cli_report_settlement(booth: Booth, till_shift: ShiftRow, capsys, tmp_path: Path) -> None:
    _lpka_sale(booth, till_shift)
    set_shares(booth, "LPKA-KPG", Shares(3333, 3333, 3334, 0), **MARIA)
    pdf = tmp_path / "out" / "lpka.pdf"
    out = ok(capsys, booth, "report", "settlement", "--facility", "lpka-kpg", "--pdf", str(pdf))
    # 265.000 x 33,33 % = 88.324,5 twice and x 33,34 % = 88.351: 264.999 in whole rupiah; the
    # rupiah left goes to the tie of .5 in the order PNBP, premi: PNBP 88.325
    assert [" ".join(line.split()) for line in out.splitlines()] == [
        "Sales proceeds statement of LPKA-KPG (LPKA Kelas I Kupang, LPKA), whole event",
        "Payment method Sales Voids and refunds Net",
        "Cash Rp180.000 -Rp15.000 Rp165.000",
        "QRIS Rp100.000 Rp0 Rp100.000",
        "Bank transfer Rp0 Rp0 Rp0",
        "Card (EDC) Rp0 Rp0 Rp0",
        "Total Rp280.000 -Rp15.000 Rp265.000",
        "1 sale",
        "Gross sales Rp280.000",
        "Discounts Rp0",
        "PPN added Rp0",
        "Sales Rp280.000",
        "Voids Rp0",
        "Refunds -Rp15.000",
        "Net after voids and refunds Rp265.000",
        "PPN Rp0",
        "DPP Rp265.000",
        "DPP (net less PPN) Rp265.000; PPN Rp0 is tax to remit, not split",
        "Part Percentage Amount",
        "PNBP 33.33 % Rp88.325",
        "Premi 33.33 % Rp88.324",
        "Modal 33.34 % Rp88.351",
        "Program 0 % Rp0",
        "Total 100 % Rp265.000",
        f"Remainder rule: {REMAINDER_RULE}.",
        f"Statement saved to {pdf}",
    ]
    _, text = words_of(pdf)
    assert "PNBP (state revenue) 33,33 % Rp88.324,5 +Rp1 Rp88.325" in text
    assert "Premi (makers' wages) 33,33 % Rp88.324,5 — Rp88.324" in text
    data = json.loads(ok(capsys, booth, "report", "settlement", "--json", "--from",
                         "2026-11-21", "--to", "2026-11-21"))
    assert data["pdf"] is None
    [lpka] = data["statements"]
    lpka.pop("made_at")  # the command's own clock
    expected = statement_data(statements(booth, facility_code="LPKA-KPG")[0])
    expected.pop("made_at")
    assert lpka == expected | {"from": "2026-11-21", "to": "2026-11-21"}
    assert (lpka["methods"]["cash"], lpka["net"], lpka["split"]) == (
        {"gross": 180_000, "refunds": 15_000, "net": 165_000}, 265_000,
        {"pnbp": 88_325, "premi": 88_324, "modal": 88_351, "program": 0})
    # the next business day had no sales: one facility asked for is a statement of zeros
    data = json.loads(ok(capsys, booth, "report", "settlement", "--json", "--facility",
                         "LPKA-KPG", "--from", "2026-11-22"))
    assert (data["statements"][0]["sales"], data["statements"][0]["split"]) == (
        0, {"pnbp": 0, "premi": 0, "modal": 0, "program": 0})


@pytest.mark.parametrize(("argv", "message"), [
    (("--from", "2026-13-01"), "Not a date (use YYYY-MM-DD): 2026-13-01"),
    (("--to", "21-11-2026"), "Not a date (use YYYY-MM-DD): 21-11-2026"),
    (("--from", "2026-11-22", "--to", "2026-11-21"),
     "The period starts after it ends: 2026-11-22 to 2026-11-21"),
    (("--facility", "NOPE"), "Unknown facility: NOPE"),
    (("--from", "2026-12-01"), "No sales to settle in this period"),
])
def test_cli_report_refusals_write_nothing(booth: Booth, till_shift: ShiftRow, capsys,
                                           tmp_path: Path, argv, message) -> None:
    _lpka_sale(booth, till_shift)
    folder = tmp_path / "pdfs"
    folder.mkdir()
    code, out, err = cli(capsys, booth, "report", "settlement", *argv, "--pdf",
                         str(folder / "out.pdf"))
    assert (code, out, err) == (1, "", f"pos-app: {message}\n")
    assert list(folder.iterdir()) == []


def test_cli_report_an_unwritable_pdf_is_one_line(booth: Booth, till_shift: ShiftRow, capsys,
                                                  tmp_path: Path) -> None:
    _lpka_sale(booth, till_shift)
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    code, out, err = cli(capsys, booth, "report", "settlement", "--pdf",
                         str(blocker / "st.pdf"))
    assert (code, out) == (1, "")
    assert err.startswith(f"pos-app: Cannot write {blocker / 'st.pdf'}: ")
    assert len(err.splitlines()) == 1


# --- PPN: the DPP is split, the PPN is tax to remit ---------------------------------------------

def test_ppn_is_listed_apart_and_the_dpp_is_split(booth: Booth, till_shift: ShiftRow,
                                                 tmp_path: Path) -> None:
    """LP-END sells KOP-001 (PPN included in 85.000) and a sachet with PPN added on top; its
    statement splits the DPP (net less PPN) and lists the PPN apart, never split."""
    from pos_app.i18n import load
    from pos_app.services.catalog.catalog_edit import create_product

    sachet = create_product(booth, name="Kopi Bajawa Sachet", facility_code="LP-END",
                            category_code="kopi", price=40_000, tax_mode="added", **MARIA)
    sale = checkout(booth, SaleRequest(
        items=(SaleItem(3, sku="KOP-001"), SaleItem(2, sku=sachet.sku)),
        tenders=(Tender(Method.CASH, 400_000),), shift_id=till_shift.id))
    refund(booth, sale.number, {2: 1}, method="cash", reason="torn", shift_id=till_shift.id,
           **MARIA)
    [st] = statements(booth, facility_code="LP-END")
    # sold: 3 x 85.000 (PPN 85.000 x 11/111 = 8.423,4 -> 8.423 a line of 255.000: 25.270,3
    # -> 25.270) + 2 x 40.000 + 11 % = 88.800 (PPN 8.800); one sachet back: 44.400 (PPN 4.400)
    line_tax = q(booth, "SELECT sum(CASE WHEN s.kind = 'sale' THEN l.tax ELSE -l.tax END) "
                        "FROM sale_line l JOIN sale s ON s.id = l.sale_id")[0][0]
    assert (st.figures.added_tax, st.figures.refunds, st.net) == (8_800, -44_400, 299_400)
    assert st.tax == st.figures.tax == line_tax == 25_270 + 8_800 - 4_400
    assert st.dpp == 299_400 - 29_670 == 269_730
    # 42,5 / 32,5 / 20 / 5 % of 269.730: 114.635,25 / 87.662,25 / 53.946 / 13.486,5; the
    # rule (whole rupiah below each share first, the rest one each to the largest fractions,
    # ties PNBP first) gives the one rupiah left to program (.5)
    assert st.split == {"pnbp": 114_635, "premi": 87_662, "modal": 53_946, "program": 13_487}
    assert sum(st.split.values()) == st.dpp and st.split == split(st.dpp, DEMO["LP-END"])
    data = statement_data(st)
    assert (data["dpp"], data["ppn_to_remit"], data["figures"]["tax"]) == (
        269_730, 29_670, 29_670)
    _, text = words_of(save_settlement_pdf(booth, tmp_path / "ppn.pdf", facility_code="LP-END"))
    assert "PPN collected: tax to remit, not split Rp29.670" in text
    assert "Total 100 % Rp269.730 +Rp1 Rp269.730" in text
    assert "The PPN collected (Rp29.670) is tax to remit: it is not split." in text
    # in Indonesian, read by pdftotext: the labels of DESIGN and Indonesian figures
    out = save_settlement_pdf(booth, tmp_path / "ppn-id.pdf", facility_code="LP-END",
                              translate=load("id").gettext, language="id")
    words = " ".join(subprocess.run(["pdftotext", "-layout", str(out), "-"], check=True,
                                    capture_output=True, text=True).stdout.split())
    for part in ("Penjualan kotor Rp335.000", "PPN ditambahkan Rp8.800",
                 "Penjualan Rp343.800", "Pembatalan Rp0", "Retur -Rp44.400",
                 "Bersih setelah pembatalan dan retur Rp299.400", "PPN Rp29.670",
                 "DPP Rp269.730", "42,5 %", "Rp114.635,25"):
        assert part in words, part
    assert "42.5" not in words
