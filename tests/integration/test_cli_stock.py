"""`pos-app stock ...`: receiving, on-hand, counts, adjustments, close-out and return,
movement history and products made on the spot, from the back office. Every write is checked
against the services; every refusal is one line on stderr, a non-zero exit and no change in
any table. In-process through ``pos_app.cli.main`` (English) and a few times as a real
process."""

from __future__ import annotations

import getpass
import json
from datetime import date
from pathlib import Path

import pytest

from pos_app.cli.main import main
from pos_app.services.catalog.catalog import find_by_code
from pos_app.services.setup.booth import Booth
from pos_app.services.stock.stock import check_balances, on_hand
from pos_app.services.stock.stock_docs import document, documents
from tests.integration.test_checkout import every_table
from tests.integration.test_cli import _pos_app, run

FAC = "LPKA-KPG"  # MAK-004 80, MAK-007 70, KER-008 20, LUK-005 3, MIN-008 20 in the demo
OS_USER = f"os:{getpass.getuser()}"


def stock(booth: Booth, facility: str = FAC) -> dict[str, int]:
    return {r.sku: r.on_hand for r in on_hand(booth, facility=facility)}


def cli(capsys, booth: Booth, *argv: str) -> tuple[int, str, str]:
    return run(capsys, "--db", str(booth.db.path), *argv)


def ok(capsys, booth: Booth, *argv: str) -> str:
    code, out, err = cli(capsys, booth, *argv)
    assert (code, err) == (0, ""), err
    return out


def in_indonesian(capsys, booth: Booth, *argv: str) -> str:
    code = main(["--lang", "id", "--db", str(booth.db.path), *argv])
    out, err = capsys.readouterr()
    assert (code, err) == (0, ""), err
    return out


def ok_json(capsys, booth: Booth, *argv: str) -> dict:
    return json.loads(ok(capsys, booth, *argv, "--json"))


# --- receive -----------------------------------------------------------------------------------

def test_receive_prints_the_tanda_terima_and_moves_stock(booth: Booth, capsys) -> None:
    out = ok(capsys, booth, "stock", "receive", "--facility", "lpka-kpg", "--note", "DN-7",
             "--item", "MAK-004=10", "--item", "mak-007=5", "--item", "MAK-004=2",
             "--date", "2026-11-20")
    assert out == ("Tanda terima KPG-01-TT-00001: 17 units (Rp240.000) received from "
                   "LPKA-KPG, delivery note DN-7\n")
    assert stock(booth) == {"MAK-004": 92, "MAK-007": 75, "LUK-005": 3, "MIN-008": 20,
                            "KER-008": 20}
    [doc] = documents(booth)
    assert (doc.number, doc.kind, doc.facility_code, doc.reference, doc.doc_date, doc.actor,
            doc.status) == ("KPG-01-TT-00001", "receipt", FAC, "DN-7", date(2026, 11, 20),
                            OS_USER, "done")
    assert [(ln.sku, ln.qty) for ln in document(booth, doc.number).lines] == [
        ("MAK-004", 12), ("MAK-007", 5)]


def test_receive_json_with_a_named_actor(booth: Booth, capsys) -> None:
    data = ok_json(capsys, booth, "stock", "receive", "--facility", FAC, "--note", "SJ/11/04",
                   "--item", "LUK-005=2", "--cashier", "Maria")
    today = documents(booth)[0].doc_date
    assert {k: v for k, v in data.items() if k != "id"} == {
        "number": "KPG-01-TT-00001", "kind": "receipt", "facility": FAC,
        "facility_name": "LPKA Kelas I Kupang", "reference": "SJ/11/04",
        "date": today.isoformat(), "actor": "Maria", "units": 2, "value": 500_000,
        "lines": [{"sku": "LUK-005", "name": "Lukisan Akrilik Sasando 30x40",
                   "barcode": "8994103000505", "qty": 2, "unit_price": 250_000,
                   "value": 500_000, "reason": None}]}
    assert stock(booth)["LUK-005"] == 5
    assert documents(booth)[0].actor == "Maria"


# --- on-hand -----------------------------------------------------------------------------------

def test_on_hand_table_shows_stock_below_zero(booth: Booth, capsys) -> None:
    ok(capsys, booth, "stock", "adjust", "--facility", FAC, "--item", "LUK-005=-5",
       "--reason", "lost")
    out = ok(capsys, booth, "stock", "on-hand", "--facility", FAC)
    assert out.splitlines() == [
        "SKU      Name                           Facility  On hand        Value",
        "MAK-004  Keripik Pisang Kepok           LPKA-KPG       80  Rp1.200.000",
        "MAK-007  Keripik Ubi Ungu Pedas         LPKA-KPG       70    Rp840.000",
        "LUK-005  Lukisan Akrilik Sasando 30x40  LPKA-KPG       -2   -Rp500.000  BELOW ZERO",
        "MIN-008  Miniatur Sasando Mini          LPKA-KPG       20  Rp1.000.000",
        "KER-008  Sendok Kayu Set, isi 3         LPKA-KPG       20    Rp900.000",
        "5 products, 188 units, value Rp3.440.000",
    ]
    data = ok_json(capsys, booth, "stock", "on-hand", "--low")
    low = {r["sku"]: (r["on_hand"], r["value"], r["below_zero"]) for r in data["rows"]}
    assert low["LUK-005"] == (-2, -500_000, True)
    assert all(r["on_hand"] <= 3 and r["low"] for r in data["rows"])
    assert {r.sku for r in on_hand(booth, only_low=True)} == set(low)


def test_on_hand_search_and_json_totals(booth: Booth, capsys) -> None:
    data = ok_json(capsys, booth, "stock", "on-hand", "--search", "sasando", "--facility", FAC)
    assert [(r["sku"], r["facility"], r["on_hand"], r["value"]) for r in data["rows"]] == [
        ("LUK-005", FAC, 3, 750_000), ("MIN-008", FAC, 20, 1_000_000)]
    assert (data["units"], data["value"]) == (23, 1_750_000)
    anywhere = ok_json(capsys, booth, "stock", "on-hand", "--search", "SASANDO")
    assert sorted((r["sku"], r["facility"]) for r in anywhere["rows"]) == [
        ("KER-002", "LP-KPG"), ("LUK-005", FAC), ("MIN-002", "LP-KPG"), ("MIN-008", FAC)]
    assert ok(capsys, booth, "stock", "on-hand", "--search", "tidak ada") == "No products found\n"
    everything = ok_json(capsys, booth, "stock", "on-hand")
    assert len(everything["rows"]) == len(on_hand(booth))


# --- count -------------------------------------------------------------------------------------

def test_count_enters_shows_the_variance_and_approves(booth: Booth, capsys) -> None:
    out = ok(capsys, booth, "stock", "count", "--facility", FAC, "--item", "MAK-004=77",
             "--item", "MIN-008=0", "--item", "KER-008=21")
    assert out.splitlines() == [
        "Count KPG-01-SO-00001 of LPKA-KPG (open)",
        "SKU      Name                    Expected  Counted  Difference         Value  Reason",
        "MAK-004  Keripik Pisang Kepok          80       77          -3     -Rp45.000  Lost",
        "MIN-008  Miniatur Sasando Mini         20        0         -20  -Rp1.000.000  Lost",
        "KER-008  Sendok Kayu Set, isi 3        20       21          +1      Rp45.000  Found",
        "2 products not counted yet",
        "Difference -22 units: shortage -Rp1.045.000, surplus Rp45.000, net -Rp1.000.000",
    ]
    assert stock(booth)["MAK-004"] == 80  # nothing posted before approval
    # the same open count: MIN-008 recounted, a reason given, approved
    data = ok_json(capsys, booth, "stock", "count", "--facility", FAC, "--item", "MIN-008=19",
                   "--reason", "mak-004=damaged", "--approve", "--cashier", "Maria")
    assert (data["number"], data["status"], data["started"], data["entered"],
            data["closed_by"]) == ("KPG-01-SO-00001", "approved", False, 1, "Maria")
    assert [(ln["sku"], ln["expected"], ln["counted"], ln["difference"], ln["value"],
             ln["reason"]) for ln in data["lines"]] == [
        ("MAK-004", 80, 77, -3, -45_000, "damaged"), ("MIN-008", 20, 19, -1, -50_000, "lost"),
        ("KER-008", 20, 21, 1, 45_000, "found")]
    assert (data["difference_units"], data["net_value"]) == (-3, -50_000)
    assert stock(booth) == {"MAK-004": 77, "MAK-007": 70, "LUK-005": 3, "MIN-008": 19,
                            "KER-008": 21}
    [doc] = documents(booth)
    assert (doc.number, doc.kind, doc.status) == ("KPG-01-SO-00001", "count", "approved")
    assert check_balances(booth) == []


def test_count_says_reasons_in_words(booth: Booth, capsys) -> None:
    out = in_indonesian(capsys, booth, "stock", "count", "--facility", FAC, "--item",
                        "MAK-004=77", "--reason", "MAK-004=damaged", "--approve")
    [line] = [ln for ln in out.splitlines() if ln.startswith("MAK-004")]
    assert line.split()[-1] == "Rusak" and "damaged" not in out
    data = ok_json(capsys, booth, "stock", "movements", "MAK-004")
    assert data["movements"][-1]["reason"] == "damaged"  # --json keeps the code


def test_count_cancel(booth: Booth, capsys) -> None:
    ok(capsys, booth, "stock", "count", "--facility", FAC, "--item", "MAK-004=1")
    out = ok(capsys, booth, "stock", "count", "--facility", FAC, "--cancel")
    assert out == "Count KPG-01-SO-00001 of LPKA-KPG cancelled\n"
    assert [(d.number, d.status) for d in documents(booth)] == [("KPG-01-SO-00001", "cancelled")]
    assert stock(booth)["MAK-004"] == 80
    # a new count can start now
    data = ok_json(capsys, booth, "stock", "count", "--facility", FAC, "--item", "MAK-004=80")
    assert (data["number"], data["started"], data["status"]) == ("KPG-01-SO-00002", True, "open")


# --- adjust, close-out, movements --------------------------------------------------------------

def test_adjust_adds_and_removes_with_a_reason(booth: Booth, capsys) -> None:
    out = ok(capsys, booth, "stock", "adjust", "--facility", FAC, "--item", "MAK-004=-2",
             "--item", "KER-008=+1", "--reason", "Damaged")
    assert out == "Adjustment KPG-01-SA-00001: -1 units (Rp15.000) at LPKA-KPG, Damaged\n"
    assert (stock(booth)["MAK-004"], stock(booth)["KER-008"]) == (78, 21)
    [doc] = documents(booth)
    assert [(ln.sku, ln.qty, ln.reason) for ln in document(booth, doc.id).lines] == [
        ("MAK-004", -2, "damaged"), ("KER-008", 1, "damaged")]
    data = ok_json(capsys, booth, "stock", "adjust", "--facility", FAC, "--item", "LUK-005=1",
                   "--reason", "found")
    assert (data["number"], data["units"], data["lines"][0]["reason"]) == (
        "KPG-01-SA-00002", 1, "found")


def test_close_out_per_product(booth: Booth, capsys) -> None:
    ok(capsys, booth, "stock", "receive", "--facility", FAC, "--note", "DN-1",
       "--item", "MAK-004=5")
    ok(capsys, booth, "sell", "--item", "MAK-004=3", "--pay", "cash=45000")
    ok(capsys, booth, "stock", "adjust", "--facility", FAC, "--item", "KER-008=-1",
       "--reason", "sample")
    out = ok(capsys, booth, "stock", "close-out", "--facility", FAC)
    assert out.splitlines() == [
        "Close-out of LPKA-KPG (LPKA Kelas I Kupang)",
        "SKU      Name                           Received  Sold  Refunded  Adjusted  Returned"
        "  Remaining",
        "MAK-004  Keripik Pisang Kepok                 85     3         0         0         0"
        "         82",
        "MAK-007  Keripik Ubi Ungu Pedas               70     0         0         0         0"
        "         70",
        "LUK-005  Lukisan Akrilik Sasando 30x40         3     0         0         0         0"
        "          3",
        "MIN-008  Miniatur Sasando Mini                20     0         0         0         0"
        "         20",
        "KER-008  Sendok Kayu Set, isi 3               20     0         0        -1         0"
        "         19",
        "         Total                               198     3         0        -1         0"
        "        194",
        "Remaining value Rp4.675.000",
    ]
    data = ok_json(capsys, booth, "stock", "close-out", "--facility", FAC)
    assert data["lines"][0] == {"sku": "MAK-004", "name": "Keripik Pisang Kepok",
                                "unit_price": 15_000, "received": 85, "sold": 3, "refunded": 0,
                                "adjusted": 0, "returned": 0, "remaining": 82}
    assert data["totals"] == {"received": 198, "sold": 3, "refunded": 0, "adjusted": -1,
                              "returned": 0, "remaining": 194}
    assert (data["remaining_value"], data["negatives"]) == (4_675_000, [])
    assert data["totals"]["remaining"] == sum(stock(booth).values())


def test_movements_with_documents_and_running_balance(booth: Booth, capsys) -> None:
    ok(capsys, booth, "stock", "receive", "--facility", FAC, "--note", "DN-1",
       "--item", "MAK-004=5")
    ok(capsys, booth, "sell", "--item", "MAK-004=3", "--pay", "cash=45000")
    ok(capsys, booth, "stock", "adjust", "--facility", FAC, "--item", "MAK-004=-1",
       "--reason", "damaged")
    data = ok_json(capsys, booth, "stock", "movements", "mak-004")
    assert (data["sku"], data["facility"], data["on_hand"]) == ("MAK-004", FAC, 81)
    assert [(m["kind"], m["qty"], m["balance"], m["document_number"], m["reason"])
            for m in data["movements"]] == [
        ("receive", 80, 80, "", None), ("receive", 5, 85, "KPG-01-TT-00001", None),
        ("sale", -3, 82, "KPG-01-000001", None), ("adjust", -1, 81, "KPG-01-SA-00001",
                                                   "damaged")]
    lines = ok(capsys, booth, "stock", "movements", "MAK-004").splitlines()
    assert lines[0] == "MAK-004 Keripik Pisang Kepok (LPKA-KPG): 81 on hand"
    assert lines[1].split() == ["Time", "Movement", "Qty", "Balance", "Document", "Reason"]
    assert [ln.split()[2:] for ln in lines[2:]] == [
        ["received", "+80", "80", "import"], ["received", "+5", "85", "KPG-01-TT-00001"],
        ["sold", "-3", "82", "KPG-01-000001"], ["adjusted", "-1", "81", "KPG-01-SA-00001",
                                                "Damaged"]]
    # in Indonesian the reason is a word, not the code
    lines = in_indonesian(capsys, booth, "stock", "movements", "MAK-004").splitlines()
    assert lines[-1].split()[-1] == "Rusak" and "damaged" not in lines[-1]


# --- product-add -------------------------------------------------------------------------------

def test_product_add_makes_sku_and_barcode(booth: Booth, capsys) -> None:
    out = ok(capsys, booth, "stock", "product-add", "--facility", FAC, "--category", "lukisan",
             "--name", "Lukisan  Pantai Lasiana", "--price", "Rp 350.000")
    product = find_by_code(booth, "LUK-KPG01-001")
    assert product is not None
    assert (product.name, product.price, product.facility_code) == (
        "Lukisan Pantai Lasiana", 350_000, FAC)
    assert product.barcode.startswith("2") and len(product.barcode) == 13
    assert out == (f"Product LUK-KPG01-001 added: Lukisan Pantai Lasiana, Rp350.000, "
                   f"barcode {product.barcode}\n")
    data = ok_json(capsys, booth, "stock", "product-add", "--facility", FAC, "--category",
                   "KERAJINAN", "--name", "Tempat Sirih", "--price", "75000", "--sku", "ker-099",
                   "--barcode", "4006381333931")
    assert {k: v for k, v in data.items() if k != "id"} == {
        "sku": "KER-099", "barcode": "4006381333931", "name": "Tempat Sirih", "price": 75_000,
        "facility": FAC, "category": "kerajinan"}
    assert stock(booth)["KER-099"] == 0  # in the catalog, nothing on hand yet
    ok(capsys, booth, "stock", "receive", "--facility", FAC, "--note", "DN-9",
       "--item", "KER-099=2")
    assert stock(booth)["KER-099"] == 2


# --- the whole event for one facility ----------------------------------------------------------

def test_receive_sell_count_approve_return_ends_at_zero(booth: Booth, capsys) -> None:
    ok(capsys, booth, "stock", "receive", "--facility", FAC, "--note", "DN-7",
       "--item", "MAK-004=10", "--item", "MAK-007=5")
    sale = json.loads(ok(capsys, booth, "sell", "--json", "--item", "MAK-004=3",
                         "--item", "MAK-007=1", "--pay", "cash=57000"))
    assert stock(booth)["MAK-004"] == 87 and stock(booth)["MAK-007"] == 74
    counted = ok_json(capsys, booth, "stock", "count", "--facility", FAC,
                      "--item", "MAK-004=85", "--item", "MAK-007=75")
    assert [(ln["sku"], ln["difference"]) for ln in counted["lines"] if ln["counted"] is not None
            ] == [("MAK-004", -2), ("MAK-007", 1)]
    approved = ok_json(capsys, booth, "stock", "count", "--facility", FAC,
                       "--reason", "MAK-004=damaged", "--approve")
    assert (approved["status"], approved["net_value"]) == ("approved", -30_000 + 12_000)
    assert stock(booth) == {"MAK-004": 85, "MAK-007": 75, "LUK-005": 3, "MIN-008": 20,
                            "KER-008": 20}
    returned = ok_json(capsys, booth, "stock", "return", "--facility", FAC, "--note", "R-1")
    assert (returned["number"], returned["units"], returned["reference"]) == (
        "KPG-01-SR-00001", 203, "R-1")
    assert {ln["sku"]: ln["qty"] for ln in returned["lines"]} == {
        "MAK-004": 85, "MAK-007": 75, "LUK-005": 3, "MIN-008": 20, "KER-008": 20}
    assert set(stock(booth).values()) == {0}
    assert ok_json(capsys, booth, "stock", "on-hand", "--facility", FAC)["units"] == 0
    close = ok_json(capsys, booth, "stock", "close-out", "--facility", FAC)
    assert close["totals"] == {"received": 208, "sold": 4, "refunded": 0, "adjusted": -1,
                               "returned": 203, "remaining": 0}
    assert [(d.number, d.kind, d.status) for d in documents(booth, facility_code=FAC)] == [
        ("KPG-01-SR-00001", "return", "done"), ("KPG-01-SO-00001", "count", "approved"),
        ("KPG-01-TT-00001", "receipt", "done")]
    moves = ok_json(capsys, booth, "stock", "movements", "MAK-004")["movements"]
    assert [(m["kind"], m["document_number"], m["balance"]) for m in moves][1:] == [
        ("receive", "KPG-01-TT-00001", 90), ("sale", sale["number"], 87),
        ("count", "KPG-01-SO-00001", 85), ("return", "KPG-01-SR-00001", 0)]
    assert check_balances(booth) == []
    assert ok_json(capsys, booth, "audit", "verify")["ok"] is True
    # the other facilities were not touched
    assert stock(booth, "LP-END")["KOP-001"] == 40


# --- refusals: one line, non-zero exit, nothing written ----------------------------------------

RECV = ("stock", "receive", "--facility", FAC, "--note", "DN-1")
COUNT = ("stock", "count", "--facility", FAC)
ADJ = ("stock", "adjust", "--facility", FAC)
ADD = ("stock", "product-add", "--facility", FAC, "--category", "lukisan", "--name", "Lukisan")
BELOW_ZERO = (*ADJ, "--item", "LUK-005=-4", "--reason", "lost")
OPEN_COUNT = (*COUNT, "--item", "MAK-004=80")
APPROVED = (*COUNT, "--item", "MAK-004=79", "--approve")
QTY = "Quantity must be a whole number from 1 to 100000: {}"
COUNTED = "A counted quantity must be a whole number from 0 to 100000: {}"
ADJUSTED = "An adjustment must be a whole number from -100000 to 100000, not 0: {}"
REASONS = "use one of damaged, sample, lost, found, miscounted"

FAILURES = [
    # receive
    ("receive unknown facility", (), ("stock", "receive", "--facility", "LP-XXX", "--note", "1",
                                      "--item", "MAK-004=1"), 1, "Unknown facility: LP-XXX"),
    ("receive unknown sku", (), (*RECV, "--item", "NOPE=1"), 1, "Unknown product: NOPE"),
    ("receive other facility", (), (*RECV, "--item", "MAK-004=1", "--item", "KOP-001=1"), 1,
     "KOP-001 belongs to another facility, not LPKA-KPG"),
    ("receive qty 0", (), (*RECV, "--item", "MAK-004=0"), 1, QTY.format(0)),
    ("receive qty -1", (), (*RECV, "--item", "MAK-004=-1"), 1, QTY.format(-1)),
    ("receive qty 1.5", (), (*RECV, "--item", "MAK-004=1.5"), 1,
     "Expected SKU=QTY, got MAK-004=1.5"),
    ("receive qty abc", (), (*RECV, "--item", "MAK-004=abc"), 1,
     "Expected SKU=QTY, got MAK-004=abc"),
    ("receive qty too large", (), (*RECV, "--item", "MAK-004=100001"), 1, QTY.format(100001)),
    ("receive without note", (), ("stock", "receive", "--facility", FAC, "--item", "MAK-004=1"),
     1, "Give the number of the facility's delivery note"),
    ("receive blank note", (), ("stock", "receive", "--facility", FAC, "--note", " ",
                                "--item", "MAK-004=1"),
     1, "Give the number of the facility's delivery note"),
    ("receive bad date", (), (*RECV, "--item", "MAK-004=1", "--date", "2026-02-30"), 1,
     "Not a date (use YYYY-MM-DD): 2026-02-30"),
    ("receive date format", (), (*RECV, "--item", "MAK-004=1", "--date", "21/11/2026"), 1,
     "Not a date (use YYYY-MM-DD): 21/11/2026"),
    ("receive without item", (), RECV, 2, "the following arguments are required: --item"),
    # on-hand
    ("on-hand unknown facility", (), ("stock", "on-hand", "--facility", "NOPE"), 1,
     "Unknown facility: NOPE"),
    # count
    ("count unknown facility", (), ("stock", "count", "--facility", "X", "--item", "MAK-004=1"),
     1, "Unknown facility: X"),
    ("count unknown sku", (), (*COUNT, "--item", "MAK-004=1", "--item", "NOPE=1"), 1,
     "Unknown product: NOPE"),
    ("count unknown sku, count open", (OPEN_COUNT,), (*COUNT, "--item", "NOPE=1"), 1,
     "Unknown product: NOPE"),
    ("count other facility", (), (*COUNT, "--item", "KOP-001=3"), 1,
     "KOP-001 belongs to another facility, not LPKA-KPG"),
    ("count qty -1", (), (*COUNT, "--item", "MAK-004=-1"), 1, COUNTED.format(-1)),
    ("count qty 1.5", (), (*COUNT, "--item", "MAK-004=1.5"), 1,
     "Expected SKU=QTY, got MAK-004=1.5"),
    ("count qty abc", (), (*COUNT, "--item", "MAK-004=abc"), 1,
     "Expected SKU=QTY, got MAK-004=abc"),
    ("count bad reason", (), (*COUNT, "--item", "MAK-004=70", "--reason", "MAK-004=stolen",
                              "--approve"), 1, f"Unknown reason stolen: {REASONS}"),
    ("count reason without sku", (), (*COUNT, "--item", "MAK-004=70", "--reason", "lost",
                                      "--approve"), 1, "Expected SKU=REASON, got lost"),
    ("count reason for other facility", (OPEN_COUNT,),
     (*COUNT, "--reason", "KOP-001=lost", "--approve"), 1,
     "KOP-001 belongs to another facility, not LPKA-KPG"),
    ("count reason without approve", (OPEN_COUNT,), (*COUNT, "--reason", "MAK-004=lost"), 2,
     "--reason goes with --approve"),
    ("count approve with none open", (), (*COUNT, "--approve"), 1,
     "LPKA-KPG has no open stock count"),
    ("count approve twice", (APPROVED,), (*COUNT, "--approve"), 1,
     "LPKA-KPG has no open stock count"),
    ("count show with none open", (), COUNT, 1, "LPKA-KPG has no open stock count"),
    ("count cancel with none open", (APPROVED,), (*COUNT, "--cancel"), 1,
     "LPKA-KPG has no open stock count"),
    ("count cancel with items", (OPEN_COUNT,), (*COUNT, "--cancel", "--item", "MAK-004=1"), 2,
     "--cancel cannot be combined with --item, --reason or --approve"),
    ("count approve and cancel", (OPEN_COUNT,), (*COUNT, "--cancel", "--approve"), 2,
     "argument --approve: not allowed with argument --cancel"),
    # return
    ("return unknown facility", (), ("stock", "return", "--facility", "LP-XXX"), 1,
     "Unknown facility: LP-XXX"),
    ("return below zero", (BELOW_ZERO,), ("stock", "return", "--facility", FAC), 1,
     "LPKA-KPG has products below zero (LUK-005); count them first"),
    ("return during a count", (OPEN_COUNT,), ("stock", "return", "--facility", FAC), 1,
     "Count KPG-01-SO-00001 of LPKA-KPG is still open; approve or cancel it first"),
    ("return twice", (("stock", "return", "--facility", FAC),),
     ("stock", "return", "--facility", FAC), 1, "LPKA-KPG has nothing left to return"),
    # adjust
    ("adjust unknown facility", (), ("stock", "adjust", "--facility", "LP-XXX", "--item",
                                     "MAK-004=1", "--reason", "lost"), 1,
     "Unknown facility: LP-XXX"),
    ("adjust unknown sku", (), (*ADJ, "--item", "NOPE=-1", "--reason", "lost"), 1,
     "Unknown product: NOPE"),
    ("adjust other facility", (), (*ADJ, "--item", "KOP-001=-1", "--reason", "lost"), 1,
     "KOP-001 belongs to another facility, not LPKA-KPG"),
    ("adjust qty 0", (), (*ADJ, "--item", "MAK-004=0", "--reason", "lost"), 1,
     ADJUSTED.format(0)),
    ("adjust qty 1.5", (), (*ADJ, "--item", "MAK-004=-1.5", "--reason", "lost"), 1,
     "Expected SKU=QTY, got MAK-004=-1.5"),
    ("adjust qty abc", (), (*ADJ, "--item", "MAK-004=abc", "--reason", "lost"), 1,
     "Expected SKU=QTY, got MAK-004=abc"),
    ("adjust bad reason", (), (*ADJ, "--item", "MAK-004=-1", "--reason", "eaten"), 1,
     f"Unknown reason eaten: {REASONS}"),
    ("adjust without reason", (), (*ADJ, "--item", "MAK-004=-1"), 2,
     "the following arguments are required: --reason"),
    # close-out, movements
    ("close-out unknown facility", (), ("stock", "close-out", "--facility", "LP-XXX"), 1,
     "Unknown facility: LP-XXX"),
    ("movements unknown sku", (), ("stock", "movements", "NOPE"), 1, "Unknown product: NOPE"),
    # product-add
    ("product-add unknown facility", (), ("stock", "product-add", "--facility", "LP-XXX",
                                          "--category", "lukisan", "--name", "L",
                                          "--price", "1000"), 1, "Unknown facility: LP-XXX"),
    ("product-add unknown category", (), ("stock", "product-add", "--facility", FAC,
                                          "--category", "mobil", "--name", "L",
                                          "--price", "1000"), 1, "Unknown category: mobil"),
    ("product-add bad price", (), (*ADD, "--price", "12,5"), 1,
     "Price must be a whole number of rupiah from 0 to Rp1.000.000.000.000.000: 12,5"),
    ("product-add negative price", (), (*ADD, "--price=-5000"), 1,
     "Price must be a whole number of rupiah from 0 to Rp1.000.000.000.000.000: -5000"),
    ("product-add sku taken", (), (*ADD, "--price", "1000", "--sku", "MAK-004"), 1,
     "Bad sku: that SKU belongs to another product"),
    ("product-add bad barcode", (), (*ADD, "--price", "1000", "--barcode", "123"), 1,
     "Bad barcode: not a valid EAN-13/EAN-8/UPC barcode"),
    ("product-add barcode taken", (), (*ADD, "--price", "1000", "--barcode", "8994103000352"),
     1, "Bad barcode: that barcode belongs to another product"),
    ("product-add blank name", (), ("stock", "product-add", "--facility", FAC, "--category",
                                    "lukisan", "--name", " ", "--price", "1000"), 1,
     "A product name is 1 to 160 characters"),
]


@pytest.mark.parametrize(("setup", "argv", "exit_code", "line"), [f[1:] for f in FAILURES],
                         ids=[f[0] for f in FAILURES])
def test_refusals_are_one_line_and_write_nothing(booth: Booth, capsys, setup, argv,
                                                 exit_code: int, line: str) -> None:
    for step in setup:
        ok(capsys, booth, *step)
    before = every_table(booth.db.path)
    code, out, err = cli(capsys, booth, *argv)
    assert (code, out) == (exit_code, "")
    assert err.splitlines() == [f"pos-app: {line}"]
    assert every_table(booth.db.path) == before


def test_unknown_stock_command_is_a_usage_error(booth: Booth, capsys) -> None:
    code, out, err = cli(capsys, booth, "stock", "hitung")
    assert (code, out) == (2, "")
    assert len(err.splitlines()) == 1
    assert err.startswith("pos-app: argument stock_command: invalid choice: 'hitung'")


# --- as a real process -------------------------------------------------------------------------

def test_real_process_receive_count_and_a_refusal(booth: Booth, tmp_path: Path) -> None:
    db = str(booth.db.path)
    recv = _pos_app("--db", db, "stock", "receive", "--json", "--facility", FAC,
                    "--note", "DN-3", "--item", "MIN-008=4", cwd=tmp_path)
    assert (recv.returncode, recv.stderr) == (0, "")
    assert (json.loads(recv.stdout)["number"], json.loads(recv.stdout)["units"]) == (
        "KPG-01-TT-00001", 4)
    count = _pos_app("--db", db, "stock", "count", "--facility", FAC, "--item", "MIN-008=23",
                     "--approve", cwd=tmp_path)
    assert (count.returncode, count.stderr) == (0, "")
    assert count.stdout.splitlines()[0] == "Count KPG-01-SO-00001 of LPKA-KPG (approved)"
    assert stock(booth)["MIN-008"] == 23

    before = every_table(booth.db.path)
    bad = _pos_app("--db", db, "stock", "receive", "--facility", FAC, "--note", "DN-4",
                   "--item", "MIN-008=2", "--item", "KOP-001=1", cwd=tmp_path)
    assert (bad.returncode, bad.stdout) == (1, "")
    assert bad.stderr.splitlines() == ["pos-app: KOP-001 belongs to another facility, "
                                       "not LPKA-KPG"]
    assert every_table(booth.db.path) == before


def test_real_process_default_language_refusal_is_one_line(booth: Booth, tmp_path: Path) -> None:
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-m", "pos_app", "--db", str(booth.db.path),
                           "stock", "on-hand", "--facility", "NOPE"],
                          capture_output=True, text=True, cwd=tmp_path, timeout=120)
    assert (done.returncode, done.stdout) == (1, "")
    assert len(done.stderr.splitlines()) == 1 and "NOPE" in done.stderr
    assert "Traceback" not in done.stderr
