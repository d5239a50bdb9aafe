"""Two festival days at the Kupang booth, settled per facility to the rupiah.

Three facilities sell: Lapas Ende (LP-END, 42,5 / 32,5 / 20 / 5 %), LPKA Kupang (LPKA-KPG,
30 / 30 / 25 / 15 %) and Rutan Kefamenanu (RT-KFM, 37,5 / 32,5 / 25 / 5 %). Day one: Kasir
opens the till with a Rp200.000 float, sells by cash, QRIS, a transfer + cash split and card,
the card sale is voided, Kasir hands the till over to Maria, who sells on, takes one woven
bag back and closes the day. Day two runs in a new shift: a whole-sale discount, a
three-facility QRIS + cash split, a refund of a day-one line by transfer, a partial refund
of a discounted line and a card sale. Every figure below is worked out by hand, and checked
in the statements, the printed statements (PDF), and the end-of-event pack's settlement sheet
(XLSX and CSV) and summary PDF.
"""

from __future__ import annotations

import csv
import sqlite3
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import openpyxl

from pos_app.adapters.pdf.settlement_pdf import remainders
from pos_app.domain.cart import Discount
from pos_app.domain.settlement import REMAINDER_RULE
from pos_app.domain.tenders import Method, Tender
from pos_app.services.reporting.report_facts import ReportFilter
from pos_app.services.reporting.reports import report
from pos_app.services.sale.checkout import SaleItem, SaleRequest, checkout
from pos_app.services.sale.refunds import refund, void_sale
from pos_app.services.setup.booth import Booth
from pos_app.services.shift import shifts
from pos_app.services.shift.settlement import statements
from pos_app.services.shift.settlement_print import save_settlement_pdf, statement_data
from tests.integration.test_stock_pdf import words_of

CASH, QRIS, TRANSFER, CARD = Method.CASH, Method.QRIS, Method.TRANSFER, Method.CARD
WITA = ZoneInfo("Asia/Makassar")
MARIA = {"actor": "Maria", "actor_role": "coordinator"}
DAY1, DAY2 = date(2026, 11, 21), date(2026, 11, 22)


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=WITA).astimezone(UTC)


def item(sku: str, qty: int, discount: Discount | None = None) -> SaleItem:
    return SaleItem(qty, sku=sku, discount=discount)


def build_event(booth: Booth) -> dict[str, object]:
    """The two days; returns the sale and refund documents and the shift results by name.
    (A pack export of this event must carry exactly the figures checked below.)"""
    clock = booth.clock
    done: dict[str, object] = {}

    def sell(name, when, cashier, shift, items, tenders, discount=None):
        clock.current = when
        done[name] = checkout(booth, SaleRequest(tuple(items), tuple(tenders), discount,
                                                 cashier=cashier, shift_id=shift.id))

    clock.current = at(DAY1, 9)
    one = shifts.open_shift(booth, "Kasir", 200_000)
    sell("S1", at(DAY1, 9, 30), "Kasir", one, [item("MAK-004", 2), item("KOP-007", 1)],
         [Tender(CASH, 200_000)])
    sell("S2", at(DAY1, 10, 15), "Kasir", one, [item("TEN-012", 1)],
         [Tender(QRIS, 175_000, "QR-0001")])
    sell("S3", at(DAY1, 11), "Kasir", one, [item("TEN-002", 1), item("LUK-005", 1)],
         [Tender(TRANSFER, 1_000_000, "TRF-0001"), Tender(CASH, 575_000)],
         Discount.percent(10))
    sell("S4", at(DAY1, 12, 30), "Kasir", one, [item("MIN-004", 1), item("MAK-007", 3)],
         [Tender(CARD, 336_000, "APR-0001")])
    clock.current = at(DAY1, 13)
    done["V1"] = void_sale(booth, done["S4"].number, reason="charged twice on the EDC",
                           shift_id=one.id, **MARIA)
    clock.current = at(DAY1, 14)
    done["handover"] = shifts.handover(booth, one.id, "Maria",
                                       {100_000: 9, 20_000: 1, 5_000: 1})
    sell("S5", at(DAY1, 15), "Maria", one,
         [item("KOP-001", 1), item("MAK-006", 5), item("KER-008", 1, Discount.amount(5_000))],
         [Tender(CASH, 175_000)])
    sell("S6", at(DAY1, 16, 30), "Maria", one, [item("ANY-010", 2), item("BAN-006", 10)],
         [Tender(QRIS, 205_000, "QR-0002")])
    clock.current = at(DAY1, 17)
    done["R1"] = refund(booth, done["S6"].number, {1: 1}, method="cash", reason="torn handle",
                        shift_id=one.id, **MARIA)
    clock.current = at(DAY1, 21)
    done["close"] = shifts.close_shift(booth, one.id, {100_000: 10, 10_000: 1, 5_000: 1},
                                       by="Maria")

    clock.current = at(DAY2, 9)
    two = shifts.open_shift(booth, "Kasir", 200_000)
    sell("S7", at(DAY2, 9, 45), "Kasir", two, [item("TEN-008", 1), item("SAB-007", 2)],
         [Tender(TRANSFER, 930_000, "TRF-0002")], Discount.amount(50_000))
    sell("S8", at(DAY2, 11, 30), "Kasir", two,
         [item("KOP-001", 1), item("MAK-004", 4), item("TEN-012", 1)],
         [Tender(QRIS, 200_000, "QR-0003"), Tender(CASH, 150_000)])
    clock.current = at(DAY2, 12)
    done["R2"] = refund(booth, done["S3"].number, {2: 1}, method="transfer",
                        reference="TRF-R001", reason="painting damaged in transit",
                        shift_id=two.id, **MARIA)
    clock.current = at(DAY2, 13)
    done["R3"] = refund(booth, done["S7"].number, {2: 1}, method="cash",
                        reason="leaking bottle", shift_id=two.id, **MARIA)
    sell("S9", at(DAY2, 15), "Kasir", two, [item("KOP-007", 2), item("MIN-008", 1)],
         [Tender(CARD, 290_000, "APR-0002")])
    clock.current = at(DAY2, 18)
    return done


# The split of the 10 % off S3 (175.000) over TEN-002 1.500.000 and LUK-005 250.000 is exact
# (150.000 / 25.000). The transfer of 1.000.000 over the lines' 1.350.000 / 225.000:
# 857.142,86 / 142.857,14 -> 857.142 + 142.857 = 999.999, the rupiah left to the larger
# fraction: 857.143 / 142.857. The cash 575.000: 492.857,14 / 82.142,86 -> 492.857 / 82.143.
# S7's Rp50.000 off over TEN-008 900.000 and SAB-007 80.000: 45.918,37 / 4.081,63 ->
# 45.918 / 4.082 (the rupiah to the larger fraction): lines 854.082 and 75.918.
# S8's QRIS 200.000 over 85.000 / 60.000 / 175.000 is exact: 53.125 / 37.500 / 109.375; the
# cash 120.000 (150.000 less 30.000 change): 31.875 / 22.500 / 65.625.
# R3 takes back 1 of 2 SAB-007 whose line came to 75.918: half is 37.959.
# KOP-001 has PPN included: 85.000 x 11/111 = 8.423,4 -> 8.423 tax on each of S5 and S8.

# facility -> (gross, discounts, sales, refunds, net, tax, number of sales)
WHOLE_EVENT = {
    # gross 120.000 (S1) + 300.000 (S4) + 85.000 + 50.000 (S5) + 900.000 (S7) + 85.000 (S8)
    #       + 240.000 (S9) = 1.780.000; discount 45.918 (S7); refunds 300.000 (the void)
    "LP-END": (1_780_000, 45_918, 1_734_082, 300_000, 1_434_082, 16_846, 6),
    # gross 30.000 (S1) + 250.000 (S3) + 36.000 (S4) + 45.000 (S5) + 60.000 (S8) + 50.000 (S9)
    #       = 471.000; discounts 25.000 (S3) + 5.000 (S5); refunds 36.000 (void) + 225.000 (R2)
    "LPKA-KPG": (471_000, 30_000, 441_000, 261_000, 180_000, 0, 6),
    # gross 175.000 (S2) + 1.500.000 (S3) + 170.000 + 35.000 (S6) + 80.000 (S7) + 175.000 (S8)
    #       = 2.135.000; discounts 150.000 + 4.082; refunds 85.000 (R1) + 37.959 (R3)
    "RT-KFM": (2_135_000, 154_082, 1_980_918, 122_959, 1_857_959, 0, 5),
}
# facility -> method -> (gross, refunds, net)
BY_METHOD = {
    "LP-END": {"cash": (286_875, 0, 286_875),  # 120.000 + 135.000 + 31.875
               "qris": (53_125, 0, 53_125),
               "transfer": (854_082, 0, 854_082),
               "card": (540_000, 300_000, 240_000)},  # 300.000 + 240.000, the void
    "LPKA-KPG": {"cash": (174_643, 0, 174_643),  # 30.000 + 82.143 + 40.000 + 22.500
                 "qris": (37_500, 0, 37_500),
                 "transfer": (142_857, 225_000, -82_143),  # R2 paid back more than came in
                 "card": (86_000, 36_000, 50_000)},  # 36.000 + 50.000, the void
    "RT-KFM": {"cash": (558_482, 122_959, 435_523),  # 492.857 + 65.625; R1 + R3
               "qris": (489_375, 0, 489_375),  # 175.000 + 205.000 + 109.375
               "transfer": (933_061, 0, 933_061),  # 857.143 + 75.918
               "card": (0, 0, 0)},
}
# facility -> what voids gave back (the rest of "refunds" is refunds')
VOIDED = {"LP-END": 300_000, "LPKA-KPG": 36_000, "RT-KFM": 0}
# The split is of the DPP (net less PPN); the PPN is tax to remit, never split.
SPLIT = {
    # DPP 1.434.082 - 16.846 = 1.417.236 x 42,5 / 32,5 / 20 / 5 % = 602.325,3 / 460.601,7 /
    # 283.447,2 / 70.861,8: 1.417.234 in whole rupiah; the 2 left go to the largest
    # fractions .8 (program), .7 (premi)
    "LP-END": {"pnbp": 602_325, "premi": 460_602, "modal": 283_447, "program": 70_862},
    # 180.000 x 30 / 30 / 25 / 15 % is exact
    "LPKA-KPG": {"pnbp": 54_000, "premi": 54_000, "modal": 45_000, "program": 27_000},
    # 1.857.959 x 37,5 / 32,5 / 25 / 5 % = 696.734,625 / 603.836,675 / 464.489,75 / 92.897,95:
    # 1.857.956; the 3 left go to .95 (program), .75 (modal), .675 (premi); PNBP's .625 none
    "RT-KFM": {"pnbp": 696_734, "premi": 603_837, "modal": 464_490, "program": 92_898},
}
LEFT_OVER = {"LP-END": {"pnbp": 0, "premi": 1, "modal": 0, "program": 1},
             "LPKA-KPG": {"pnbp": 0, "premi": 0, "modal": 0, "program": 0},
             "RT-KFM": {"pnbp": 0, "premi": 1, "modal": 1, "program": 1}}
# per business day: facility -> (sales, refunds, net, split)
DAYS = {
    DAY1: {
        # S1 120.000 + S4 300.000 + S5 135.000; the void 300.000; net 255.000 less S5's PPN
        # 8.423 = DPP 246.577: 104.795,225 / 80.137,525 / 49.315,4 / 12.328,85 -> 2 left to
        # program (.85) and premi (.525)
        "LP-END": (555_000, 300_000, 255_000,
                   {"pnbp": 104_795, "premi": 80_138, "modal": 49_315, "program": 12_329}),
        # S1 30.000 + S3 225.000 + S4 36.000 + S5 40.000; the void 36.000
        "LPKA-KPG": (331_000, 36_000, 295_000,
                     {"pnbp": 88_500, "premi": 88_500, "modal": 73_750, "program": 44_250}),
        # S2 175.000 + S3 1.350.000 + S6 205.000; R1 85.000
        "RT-KFM": (1_730_000, 85_000, 1_645_000,
                   {"pnbp": 616_875, "premi": 534_625, "modal": 411_250, "program": 82_250}),
    },
    DAY2: {
        # S7 854.082 + S8 85.000 + S9 240.000 less S8's PPN 8.423 = DPP 1.170.659:
        # x 42,5 / 32,5 / 20 / 5 % = 497.530,075 / 380.464,175 / 234.131,8 / 58.532,95
        # -> 2 rupiah left, to program (.95) and modal (.8)
        "LP-END": (1_179_082, 0, 1_179_082,
                   {"pnbp": 497_530, "premi": 380_464, "modal": 234_132, "program": 58_533}),
        # S8 60.000 + S9 50.000 less R2 225.000 (a day-one painting): a negative net, split
        # the same way with the sign carried over
        "LPKA-KPG": (110_000, 225_000, -115_000,
                     {"pnbp": -34_500, "premi": -34_500, "modal": -28_750, "program": -17_250}),
        # S7 75.918 + S8 175.000 less R3 37.959 = 212.959: 79.859,625 / 69.211,675 /
        # 53.239,75 / 10.647,95 -> 212.956; 3 left to program, modal, premi
        "RT-KFM": (250_918, 37_959, 212_959,
                   {"pnbp": 79_859, "premi": 69_212, "modal": 53_240, "program": 10_648}),
    },
}


def q(booth: Booth, sql: str) -> list[tuple]:
    with sqlite3.connect(booth.db.path) as con:
        rows = con.execute(sql).fetchall()
    con.close()
    return rows


def test_two_days_settled_per_facility(booth: Booth, tmp_path: Path) -> None:
    done = build_event(booth)

    # the documents, in the order they were made
    sales = {name: done[name] for name in ("S1", "S2", "S3", "S4", "S5", "S6", "S7", "S8",
                                           "S9")}
    assert {name: (s.total, s.change, s.tax) for name, s in sales.items()} == {
        "S1": (150_000, 50_000, 0),  # 2 x 15.000 + 120.000, paid with 200.000
        "S2": (175_000, 0, 0),
        "S3": (1_575_000, 0, 0),  # 1.750.000 less 10 %
        "S4": (336_000, 0, 0),  # 300.000 + 3 x 12.000
        "S5": (175_000, 0, 8_423),  # 85.000 + 5 x 10.000 + (45.000 - 5.000)
        "S6": (205_000, 0, 0),  # 2 x 85.000 + 10 x 3.500
        "S7": (930_000, 0, 0),  # 900.000 + 2 x 40.000 - 50.000
        "S8": (320_000, 30_000, 8_423),  # 85.000 + 4 x 15.000 + 175.000; 350.000 handed over
        "S9": (290_000, 0, 0),  # 2 x 120.000 + 50.000
    }
    assert {name: done[name].total for name in ("V1", "R1", "R2", "R3")} == {
        "V1": 336_000, "R1": 85_000, "R2": 225_000, "R3": 37_959}
    numbers = [done[n].number for n in ("S1", "S2", "S3", "S4", "V1", "S5", "S6", "R1", "S7",
                                        "S8", "R2", "R3", "S9")]
    assert numbers == [f"KPG-01-{n:06d}" for n in range(1, 14)]
    # the till: float 200.000 + cash 150.000 (S1) + 575.000 (S3) at the handover; then
    # + 175.000 (S5) - 85.000 (R1) at the close; both counted right
    handover, close = done["handover"], done["close"]
    assert (handover.expected, handover.counted, handover.difference) == (925_000, 925_000, 0)
    assert (close.expected, close.counted, close.difference) == (1_015_000, 1_015_000, 0)
    assert q(booth, "SELECT business_date, count(*) FROM sale GROUP BY business_date") == [
        ("2026-11-21", 8), ("2026-11-22", 5)]

    # the whole event, per facility
    found = {st.facility_code: st for st in statements(booth)}
    assert list(found) == ["LP-END", "LPKA-KPG", "RT-KFM"]
    for code, st in found.items():
        assert (st.gross, st.discounts, st.sales, st.refunds, st.net, st.tax, st.count) == \
            WHOLE_EVENT[code], code
        assert {m.method: (m.gross, m.refunds, m.net) for m in st.methods} == BY_METHOD[code]
        assert st.split == SPLIT[code]
        assert st.dpp == st.net - st.tax
        assert sum(st.split.values()) == st.dpp
        # the rupiah each part got above the whole rupiah below its exact share
        assert remainders(st.dpp, st.shares.as_dict(), st.split) == LEFT_OVER[code]

    # and in total: the report, the statements and the database agree
    t = report(booth).totals
    # gross 1.780.000 + 471.000 + 2.135.000; discounts 45.918 + 30.000 + 154.082;
    # sales = the nine sales' totals; refunds 336.000 + 85.000 + 225.000 + 37.959
    assert (t.gross, t.discounts, t.sales, t.refunds, t.net, t.tax, t.count) == (
        4_386_000, 230_000, 4_156_000, 683_959, 3_472_041, 16_846, 9)
    assert t.methods == {"cash": 1_020_000,  # 150.000 + 575.000 + 175.000 + 120.000
                         "qris": 580_000,  # 175.000 + 205.000 + 200.000
                         "transfer": 1_930_000,  # 1.000.000 + 930.000
                         "card": 626_000}  # 336.000 + 290.000
    assert t.refunded_methods == {"cash": 122_959, "qris": 0, "transfer": 225_000,
                                  "card": 336_000}
    for i, field in enumerate(("gross", "discounts", "sales", "refunds", "net", "tax")):
        assert sum(row[i] for row in WHOLE_EVENT.values()) == getattr(t, field)
    assert q(booth, "SELECT sum(total) FROM sale WHERE kind = 'sale'") == [(4_156_000,)]
    assert q(booth, "SELECT sum(total) FROM sale WHERE kind <> 'sale'") == [(683_959,)]
    assert {p: sum(SPLIT[c][p] for c in SPLIT) for p in ("pnbp", "premi", "modal",
                                                         "program")} == {
        "pnbp": 1_353_059, "premi": 1_118_439, "modal": 792_937, "program": 190_760}
    assert 1_353_059 + 1_118_439 + 792_937 + 190_760 == 3_472_041 - 16_846  # the DPP

    # per business day: a day-one sale refunded on day two counts on day two
    for day, expected in DAYS.items():
        flt = ReportFilter(date_from=day, date_to=day)
        got = {st.facility_code: (st.sales, st.refunds, st.net, st.split)
               for st in statements(booth, flt)}
        assert got == expected, day
    for code in WHOLE_EVENT:
        assert DAYS[DAY1][code][2] + DAYS[DAY2][code][2] == WHOLE_EVENT[code][4]

    # the printed statements: one page per facility with every figure and the rule
    reader, _ = words_of(save_settlement_pdf(booth, tmp_path / "berita-acara.pdf"))
    pages = [" ".join(p.extract_text().split()) for p in reader.pages]
    assert len(pages) == 3
    labels = {"cash": "Cash", "qris": "QRIS", "transfer": "Bank transfer", "card": "Card (EDC)"}
    for page, code in zip(pages, WHOLE_EVENT, strict=True):
        assert f"Facility {code} — " in page and "Period Whole event" in page
        assert "Made at 22 November 2026, 18:00 WITA" in page
        for method, (gross, refunds, net) in BY_METHOD[code].items():
            assert f"{labels[method]} {rp(gross)} {rp(refunds, minus=True)} {rp(net)}" in page
        gross, discounts, sales_, refunds, net, tax, count = WHOLE_EVENT[code]
        voided = VOIDED[code]
        assert (f"Gross sales {rp(gross)} Discounts {rp(discounts, minus=True)} "
                f"PPN added Rp0 Sales {rp(sales_)} Voids {rp(voided, minus=True)} "
                f"Refunds {rp(refunds - voided, minus=True)} "
                f"Net after voids and refunds {rp(net)} PPN {rp(tax)} DPP {rp(net - tax)} "
                f"PPN collected: tax to remit, not split {rp(tax)}") in page
        assert f"Number of sales {count}" in page
        assert "Remainder rule: whole rupiah below each exact share first; the rupiah left " \
               "over go one each to the largest fractions, ties in the order PNBP, premi, " \
               "modal, program." in page
    for row in ("PNBP (state revenue) 42,5 % Rp602.325,3 — Rp602.325",
                "Premi (makers' wages) 32,5 % Rp460.601,7 +Rp1 Rp460.602",
                "Modal (production cost) 20 % Rp283.447,2 — Rp283.447",
                "Program 5 % Rp70.861,8 +Rp1 Rp70.862",
                "Total 100 % Rp1.417.236 +Rp2 Rp1.417.236"):
        assert row in pages[0], row
    for row in ("PNBP (state revenue) 30 % Rp54.000 — Rp54.000",
                "Program 15 % Rp27.000 — Rp27.000",
                "Total 100 % Rp180.000 — Rp180.000"):
        assert row in pages[1], row
    for row in ("PNBP (state revenue) 37,5 % Rp696.734,625 — Rp696.734",
                "Premi (makers' wages) 32,5 % Rp603.836,675 +Rp1 Rp603.837",
                "Modal (production cost) 25 % Rp464.489,75 +Rp1 Rp464.490",
                "Program 5 % Rp92.897,95 +Rp1 Rp92.898",
                "Total 100 % Rp1.857.959 +Rp3 Rp1.857.959"):
        assert row in pages[2], row

    # day two of LPKA-KPG alone: a negative net, printed with its minus signs
    _, text = words_of(save_settlement_pdf(booth, tmp_path / "lpka-2.pdf",
                                           ReportFilter(date_from=DAY2, date_to=DAY2),
                                           "LPKA-KPG"))
    assert "Period 22 November 2026" in text
    assert "Bank transfer Rp0 -Rp225.000 -Rp225.000" in text
    assert "Net after voids and refunds -Rp115.000" in text
    assert "PNBP (state revenue) 30 % -Rp34.500 — -Rp34.500" in text
    assert "Total 100 % -Rp115.000 — -Rp115.000" in text


def rp(amount: int, minus: bool = False) -> str:
    """The PDF's figure: ``Rp1.234``, ``-Rp1.234``; ``minus`` prints a deduction."""
    value = -amount if minus else amount
    body = f"{abs(value):,}".replace(",", ".")
    return f"-Rp{body}" if value < 0 else f"Rp{body}"


SHEET_PERCENT = {"LP-END": (42.5, 32.5, 20, 5), "LPKA-KPG": (30, 30, 25, 15),
                 "RT-KFM": (37.5, 32.5, 25, 5)}


def sheet_row(code: str) -> tuple:
    """The settlement sheet's row of a facility, from the hand-worked figures above."""
    gross, discounts, sales, refunds, net, tax, count = WHOLE_EVENT[code]
    methods = [BY_METHOD[code][m] for m in ("cash", "qris", "transfer", "card")]
    return (code, count,  # per method: sales, voids and refunds (given back: negative), net
            *(x for paid, back, kept in methods for x in (paid, -back, kept)),
            gross, discounts, 0, sales, -VOIDED[code], VOIDED[code] - refunds, net, tax,
            net - tax, *SHEET_PERCENT[code],
            *SPLIT[code].values())


def test_the_end_of_event_pack_carries_the_same_settlement(booth: Booth,
                                                           tmp_path: Path) -> None:
    """The pack's settlement sheet (XLSX and CSV) and its PDF summary, read back."""
    from pos_app.services.reporting.export_pack import export_pack

    build_event(booth)
    assert [(r["facility"], r["count"], r["net"], r["split"])
            for r in map(statement_data, statements(booth))] == [
        (code, WHOLE_EVENT[code][6], WHOLE_EVENT[code][4], SPLIT[code]) for code in WHOLE_EVENT]
    pack = export_pack(booth, tmp_path / "pack").path
    expected = [sheet_row(code) for code in WHOLE_EVENT]

    wb = openpyxl.load_workbook(pack / "export.xlsx", read_only=True)
    rows = list(wb["settlement"].iter_rows(values_only=True))
    wb.close()
    head = rows[0]
    keep = [i for i, name in enumerate(head) if name not in ("facility_name", "facility_kind")]
    assert [tuple(row[i] for i in keep) for row in rows[1:4]] == expected
    assert [row[head.index("facility_name")] for row in rows[1:4]] == [
        "Lapas Kelas IIB Ende", "LPKA Kelas I Kupang", "Rutan Kelas IIB Kefamenanu"]
    assert rows[-1][0] == f"Remainder rule: {REMAINDER_RULE}"

    with (pack / "csv" / "settlement.csv").open(encoding="utf-8-sig", newline="") as fh:
        table = list(csv.reader(fh))
    assert table[0] == list(head)
    assert [tuple(row[i] for i in keep) for row in table[1:]] == [
        tuple(str(x) for x in row) for row in expected]

    _, summary = words_of(pack / "summary.pdf")
    # the split of the whole event's DPP 3.455.195: PNBP 602.325 + 54.000 + 696.734 =
    # 1.353.059, premi 460.602 + 54.000 + 603.837 = 1.118.439, modal 283.447 + 45.000 +
    # 464.490 = 792.937, program 70.862 + 27.000 + 92.898 = 190.760; PPN 16.846 apart
    assert ("Total Rp3.455.195 Rp1.353.059 Rp1.118.439 Rp792.937 Rp190.760 Rp16.846"
            in summary)
    for code in WHOLE_EVENT:
        assert f"{code} " in summary and rp(WHOLE_EVENT[code][4]) in summary
        for part in SPLIT[code].values():
            assert rp(part) in summary
