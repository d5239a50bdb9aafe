"""The command line contract: exact output, one-line errors, non-zero exits, nothing written
on failure. In-process through ``pos_app.cli.main`` and as a real ``python -m pos_app``."""

from __future__ import annotations

import getpass
import json
import sqlite3
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from pos_app.cli.main import main
from pos_app.persistence.database import Database
from pos_app.persistence.migrate import upgrade

TABLES = ("sale", "sale_line", "payment", "stock_movement", "outbox", "counter", "product",
          "facility", "category")


def snapshot(path: Path) -> dict[str, list[tuple]]:
    with sqlite3.connect(path) as con:
        return {t: sorted(con.execute(f"SELECT * FROM {t}").fetchall(), key=repr) for t in TABLES}


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(["--lang", "en", *argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def demo_db(tmp_path: Path, capsys) -> Path:
    path = tmp_path / "cli.db"
    code, _out, err = run(capsys, "--db", str(path), "init", "--demo")
    assert (code, err) == (0, "")
    return path


def test_init_demo_json(tmp_path: Path, capsys) -> None:
    path = tmp_path / "baru.db"
    code, out, err = run(capsys, "init", "--demo", "--json", "--db", str(path))
    assert (code, err) == (0, "")
    first = json.loads(out)
    device_id = str(uuid.UUID(first.pop("device_id")))  # what head office enrolls
    assert first == {"path": str(path), "device": "KPG-01", "created": True,
                     "demo_loaded": True, "products": 89}
    code, out, err = run(capsys, "init", "--demo", "--json", "--db", str(path))
    assert (code, err) == (0, "")
    assert json.loads(out) == {"path": str(path), "device": "KPG-01", "device_id": device_id,
                               "created": False, "demo_loaded": False, "products": 89}


def test_init_human_output(tmp_path: Path, capsys) -> None:
    path = tmp_path / "kosong.db"
    code, out, err = run(capsys, "--db", str(path), "init", "--device", "sba-02")
    assert (code, err) == (0, "")
    first, second, third = out.splitlines()
    assert first == f"Database ready: {path} (device SBA-02, 0 products)"
    assert third.startswith("No administrator yet: add one with `pos-app user add NAME")
    device_id = uuid.UUID(second.rsplit(": ", 1)[1])
    assert second == ("Device id (head office enrolls it with central add-device --device-id):"
                      f" {device_id}")


def test_sell_json_has_exact_totals(demo_db: Path, capsys) -> None:
    code, out, err = run(capsys, "sell", "--db", str(demo_db), "--json",
                         "--item", "KOP-001=2", "--item", "mak-003=1", "--pay", "cash=250.000")
    assert (code, err) == (0, "")
    data = json.loads(out)
    assert data["number"] == "KPG-01-000001"
    assert data["cashier"] == f"os:{getpass.getuser()}"
    assert {k: data[k] for k in ("subtotal", "discount", "tax", "total", "tendered", "change")} == {
        "subtotal": 215_000, "discount": 0, "tax": 21_797, "total": 219_950,
        "tendered": 250_000, "change": 30_050}
    assert data["lines"] == [
        {"sku": "KOP-001", "name": "Kopi Arabika Flores Bajawa 250 g",
         "facility_name": "Lapas Kelas IIB Ende", "qty": 2, "unit_price": 85_000, "discount": 0,
         "tax": 16_847, "total": 170_000},
        {"sku": "MAK-003", "name": "Se'i Sapi 250 g", "facility_name": "Lapas Kelas IIA Kupang",
         "qty": 1, "unit_price": 45_000, "discount": 0, "tax": 4_950, "total": 49_950},
    ]
    assert data["payments"] == [{"method": "cash", "amount": 219_950, "tendered": 250_000,
                                 "change": 30_050, "reference": None, "verified": True,
                                 "qris_payload": None}]
    with sqlite3.connect(demo_db) as con:
        assert con.execute("SELECT number, total, source, cashier_name FROM sale").fetchall() == [
            ("KPG-01-000001", 219_950, "cli", f"os:{getpass.getuser()}")]


def test_sell_human_output_split_discount_and_cashier(demo_db: Path, capsys) -> None:
    code, out, err = run(capsys, "--db", str(demo_db), "sell", "--item", "TEN-001=1",
                         "--item", "MAK-006=5", "--discount", "10%", "--cashier", "Kasir",
                         "--pay", "qris=300000:QR-88", "--pay", "cash=Rp 100.000")
    # 350.000 - 35.000 + 50.000 - 5.000 = 360.000; QRIS 300.000 + cash 60.000, change 40.000
    assert (code, err) == (0, "")
    assert out == "Sale KPG-01-000001: total Rp360.000, paid Rp400.000, change Rp40.000\n"
    with sqlite3.connect(demo_db) as con:
        assert con.execute("SELECT method, amount, change, reference, verified FROM payment "
                           "ORDER BY line_no").fetchall() == [
            ("qris", 300_000, 0, "QR-88", 0), ("cash", 60_000, 40_000, None, 1)]
        assert con.execute("SELECT cashier_name, discount FROM sale").fetchall() == [
            ("Kasir", 40_000)]


def test_db_before_and_after_the_subcommand(demo_db: Path, capsys) -> None:
    first = run(capsys, "--db", str(demo_db), "--json", "sell", "--item", "MAK-006=1",
                "--pay", "cash=10000")
    second = run(capsys, "sell", "--item", "MAK-006=1", "--pay", "cash=10000",
                 "--db", str(demo_db), "--json")
    assert (first[0], second[0]) == (0, 0)
    assert [json.loads(r[1])["number"] for r in (first, second)] == [
        "KPG-01-000001", "KPG-01-000002"]


SELL_FAILURES = [
    ("unknown sku", ["--item", "NOPE=1", "--pay", "cash=1000"], 1,
     "pos-app: Unknown product: NOPE"),
    ("item without qty", ["--item", "KOP-001", "--pay", "cash=85000"], 1,
     "pos-app: Expected SKU=QTY, got KOP-001"),
    ("item qty not a number", ["--item", "KOP-001=dua", "--pay", "cash=85000"], 1,
     "pos-app: Expected SKU=QTY, got KOP-001=dua"),
    ("item without sku", ["--item", "=2", "--pay", "cash=85000"], 1,
     "pos-app: Expected SKU=QTY, got =2"),
    ("item qty 0", ["--item", "KOP-001=0", "--pay", "cash=85000"], 1,
     "pos-app: Quantity must be a whole number from 1 to 100000: 0"),
    ("item qty negative", ["--item", "KOP-001=-2", "--pay", "cash=85000"], 1,
     "pos-app: Quantity must be a whole number from 1 to 100000: -2"),
    ("item qty superscript", ["--item", "KOP-001=²", "--pay", "cash=85000"], 1,
     "pos-app: Expected SKU=QTY, got KOP-001=²"),
    ("pay without amount", ["--item", "KOP-001=1", "--pay", "cash"], 1,
     "pos-app: Expected METHOD=AMOUNT, got cash"),
    ("pay amount not a number", ["--item", "KOP-001=1", "--pay", "cash=banyak"], 1,
     "pos-app: Amount must be a whole number of rupiah from 0 to Rp1.000.000.000.000.000: banyak"),
    ("pay amount superscript", ["--item", "KOP-001=1", "--pay", "cash=²"], 1,
     "pos-app: Amount must be a whole number of rupiah from 0 to Rp1.000.000.000.000.000: ²"),
    ("unknown method", ["--item", "KOP-001=1", "--pay", "btc=85000"], 1,
     "pos-app: Unknown payment method: btc"),
    ("short", ["--item", "KOP-001=1", "--pay", "cash=80000"], 1,
     "pos-app: Payment is short by Rp5.000"),
    ("no pay", ["--item", "KOP-001=1"], 1, "pos-app: Payment is short by Rp85.000"),
    ("card without reference", ["--item", "KOP-001=1", "--pay", "card=85000"], 1,
     "pos-app: card needs a reference (approval code)"),
    ("inactive", ["--item", "KOP-009=1", "--pay", "cash=42000"], 1,
     "pos-app: Product KOP-009 is no longer sold"),
    ("unknown cashier", ["--item", "KOP-001=1", "--pay", "cash=85000", "--cashier", "Budi"], 1,
     "pos-app: Unknown cashier: Budi"),
    ("bad discount", ["--item", "KOP-001=1", "--pay", "cash=85000", "--discount", "150%"], 1,
     "pos-app: Percentage must be between 0 and 100: 150"),
    ("missing item", ["--pay", "cash=85000"], 2,
     "pos-app: the following arguments are required: --item"),
]


@pytest.mark.parametrize(("args", "exit_code", "line"), [f[1:] for f in SELL_FAILURES],
                         ids=[f[0] for f in SELL_FAILURES])
def test_sell_failures_are_one_line_and_write_nothing(demo_db: Path, capsys, args,
                                                      exit_code: int, line: str) -> None:
    before = snapshot(demo_db)
    code, out, err = run(capsys, "--db", str(demo_db), "sell", *args)
    assert (code, out) == (exit_code, "")
    assert err.splitlines() == [line]
    assert snapshot(demo_db) == before


def test_sell_on_a_missing_database_creates_nothing(tmp_path: Path, capsys) -> None:
    path = tmp_path / "belum-ada.db"
    code, out, err = run(capsys, "--db", str(path), "sell", "--item", "KOP-001=1",
                         "--pay", "cash=85000")
    assert (code, out) == (1, "")
    assert err.splitlines() == [
        "pos-app: This database has no device yet; run `pos-app init` first"]
    assert list(tmp_path.iterdir()) == []


def test_sell_on_a_database_without_a_device(tmp_path: Path, capsys) -> None:
    path = tmp_path / "tanpa-device.db"
    db = Database(path)
    upgrade(db.engine)
    db.dispose()
    code, out, err = run(capsys, "--db", str(path), "sell", "--item", "KOP-001=1",
                         "--pay", "cash=85000")
    assert (code, out) == (1, "")
    assert err.splitlines() == [
        "pos-app: This database has no device yet; run `pos-app init` first"]
    with sqlite3.connect(path) as con:
        assert con.execute("SELECT count(*) FROM sale").fetchone() == (0,)


def test_sell_on_a_file_that_is_not_a_database(tmp_path: Path, capsys) -> None:
    path = tmp_path / "catatan.db"
    path.write_text("bukan database\n")
    code, out, err = run(capsys, "--db", str(path), "sell", "--item", "KOP-001=1",
                         "--pay", "cash=85000")
    assert (code, out) == (1, "")
    assert err.splitlines() == [f"pos-app: Not a Lapak database: {path}"]
    assert path.read_text() == "bukan database\n"


def test_catalog_import_good_file(demo_db: Path, tmp_path: Path, capsys) -> None:
    f = tmp_path / "baru.csv"
    f.write_text("sku,name,category,facility,price,stock\nNEW-1,Kopi Baru,kopi,LP-END,25000,5\n")
    code, out, err = run(capsys, "--db", str(demo_db), "catalog", "import", str(f))
    assert (code, err) == (0, "")
    assert out == ("Imported: 0 facilities, 0 categories, 1 products added; 0 products updated; "
                   "5 units of stock received\n")


def test_catalog_import_bad_file_prints_every_row_error(demo_db: Path, tmp_path: Path,
                                                        capsys) -> None:
    f = tmp_path / "salah.csv"
    f.write_text("sku,name,category,facility,price\n"
                 "NEW-1,Kopi Baru,kopi,LP-END,25000\n"
                 "NEW-2,Kopi Koma,kopi,LP-END,\"12,5\"\n"
                 "NEW-3,,kopi,LP-XXX,1000\n")
    before = snapshot(demo_db)
    code, out, err = run(capsys, "catalog", "import", str(f), "--db", str(demo_db))
    assert (code, out) == (1, "")
    assert err.splitlines() == [
        f"pos-app: Nothing was imported: 3 error(s) in {f}",
        "  row 3, column price: not a whole number: 12,5",
        "  row 4, column facility: unknown facility: LP-XXX",
        "  row 4, column name: a value is required",
    ]
    assert snapshot(demo_db) == before


def test_catalog_import_unknown_format(demo_db: Path, tmp_path: Path, capsys) -> None:
    f = tmp_path / "katalog.ods"
    f.write_bytes(b"x")
    code, out, err = run(capsys, "--db", str(demo_db), "catalog", "import", str(f))
    assert (code, out) == (1, "")
    assert err.splitlines() == [f"pos-app: Unknown file type {f}: use .csv or .xlsx"]


def test_unknown_command_is_a_usage_error(capsys) -> None:
    code, out, err = run(capsys, "jual")
    assert (code, out) == (2, "")
    assert len(err.splitlines()) == 1
    assert err.startswith("pos-app: argument command: invalid choice: 'jual'")


def _pos_app(*argv: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "pos_app", "--lang", "en", *argv],
                          capture_output=True, text=True, cwd=cwd, timeout=120)


def test_real_process(tmp_path: Path) -> None:
    path = tmp_path / "proses.db"
    init = _pos_app("--db", str(path), "init", "--demo", "--json", cwd=tmp_path)
    assert (init.returncode, init.stderr) == (0, "")
    assert json.loads(init.stdout)["products"] == 89

    sale = _pos_app("sell", "--db", str(path), "--json", "--item", "TEN-002=1",
                    "--pay", "transfer=1000000:TRF-1", "--pay", "cash=600000", cwd=tmp_path)
    assert (sale.returncode, sale.stderr) == (0, "")
    data = json.loads(sale.stdout)
    assert (data["number"], data["total"], data["change"]) == ("KPG-01-000001", 1_500_000, 100_000)
    assert [(p["method"], p["amount"], p["verified"]) for p in data["payments"]] == [
        ("transfer", 1_000_000, False), ("cash", 500_000, True)]

    before = snapshot(path)
    bad = _pos_app("sell", "--db", str(path), "--item", "TEN-002=1", "--pay", "cash=1",
                   cwd=tmp_path)
    assert (bad.returncode, bad.stdout) == (1, "")
    assert bad.stderr.splitlines() == ["pos-app: Payment is short by Rp1.499.999"]
    assert snapshot(path) == before
