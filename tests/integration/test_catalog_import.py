"""Catalog import from CSV and XLSX: all rows or none, with every error row-numbered."""

from __future__ import annotations

import csv
import datetime as dt
import sqlite3
from pathlib import Path

import openpyxl
import pytest

from pos_app.domain.errors import DomainError, ImportRejected
from pos_app.paths import resources_dir
from pos_app.services.catalog.catalog_import import ImportSummary, import_catalog
from pos_app.services.setup.booth import Booth

TABLES = ("facility", "category", "product", "stock_movement", "outbox", "counter")
HEADER = "sku,barcode,name,category,facility,price,tax_mode,active,stock"


def snapshot(path: Path) -> dict[str, list[tuple]]:
    with sqlite3.connect(path) as con:
        return {t: sorted(con.execute(f"SELECT * FROM {t}").fetchall(), key=repr) for t in TABLES}


def query(path: Path, sql: str, *params) -> list[tuple]:
    with sqlite3.connect(path) as con:
        return con.execute(sql, params).fetchall()


def write_csv(path: Path, *lines: str) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def write_xlsx(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for title, table in sheets.items():
        ws = wb.create_sheet(title)
        for row in table:
            ws.append(row)
    wb.save(path)
    return path


def summary(**counts: int) -> ImportSummary:
    return ImportSummary(**counts)


def test_demo_catalog(booth: Booth) -> None:
    path = booth.db.path
    counts = {t: query(path, f"SELECT count(*) FROM {t}")[0][0]
              for t in ("facility", "category", "product", "stock_movement")}
    assert counts == {"facility": 12, "category": 10, "product": 89, "stock_movement": 89}
    assert query(path, "SELECT count(*) FROM product WHERE active = 0")[0][0] == 2
    with (resources_dir() / "demo" / "products.csv").open(encoding="utf-8") as fh:
        expected = {r["sku"]: int(r["stock"]) for r in csv.DictReader(fh)}
    opening = dict(query(path, "SELECT p.sku, m.qty FROM stock_movement m JOIN product p "
                               "ON p.id = m.product_id WHERE m.kind = 'receive' "
                               "AND m.document_kind = 'import'"))
    assert opening == expected
    assert sum(opening.values()) == 9_531
    assert opening["BAN-001"] == 2_000
    # movements carry the product's own facility
    assert query(path, "SELECT count(*) FROM stock_movement m JOIN product p "
                       "ON p.id = m.product_id WHERE m.facility_id <> p.facility_id")[0][0] == 0
    # event + device + the demo users (Kasir, Maria) and their two user.create journal
    # events, then every catalog row and movement, each queued once
    assert query(path, "SELECT count(*), count(DISTINCT record_id) FROM outbox "
                       "WHERE state = 'pending'")[0] == (206, 206)
    assert query(path, "SELECT name, price, tax_mode FROM product WHERE sku = 'KER-003'")[0] == (
        'Patung Kayu Mahoni "Mama Timor"', 350_000, "none")


def test_good_csv_adds_products(booth: Booth, tmp_path: Path) -> None:
    path = booth.db.path
    outbox_before = query(path, "SELECT count(*) FROM outbox")[0][0]
    f = write_csv(tmp_path / "baru.csv", HEADER,
                  "new-001,8991234567891,Kopi Baru 100 g,kopi,lp-end,25.000,added,ya,12",
                  "NEW-002,,Kain Baru,kain-baru,RT-SOE,450000,,0,")
    assert import_catalog(booth, f) == summary(categories_added=1, products_added=2,
                                               stock_units=12)
    got = query(path, "SELECT p.sku, p.barcode, p.name, c.code, f.code, p.price, p.tax_mode, "
                      "p.active, p.revision FROM product p JOIN category c ON c.id = p.category_id "
                      "JOIN facility f ON f.id = p.facility_id WHERE p.sku LIKE 'NEW-%' "
                      "ORDER BY p.sku")
    assert got == [
        ("NEW-001", "8991234567891", "Kopi Baru 100 g", "kopi", "LP-END", 25_000, "added", 1, 1),
        ("NEW-002", None, "Kain Baru", "kain-baru", "RT-SOE", 450_000, "none", 0, 1),
    ]
    assert query(path, "SELECT name, sort FROM category WHERE code = 'kain-baru'") == [
        ("Kain Baru", 1000)]
    assert query(path, "SELECT p.sku, m.qty, m.note FROM stock_movement m JOIN product p "
                       "ON p.id = m.product_id WHERE p.sku LIKE 'NEW-%'") == [
        ("NEW-001", 12, "baru.csv")]
    # 1 category + 2 products + 1 stock movement
    assert query(path, "SELECT count(*) FROM outbox")[0][0] == outbox_before + 4


def test_good_xlsx_adds_facilities_and_products(booth: Booth, tmp_path: Path) -> None:
    f = write_xlsx(tmp_path / "katalog.xlsx", {
        "Fasilitas": [["code", "name", "kind", "region"],
                      ["LP-LBJ", "Lapas Kelas III Labuan Bajo", "lapas", "Manggarai Barat"]],
        "Produk": [["SKU", "Barcode", "Name", "Category", "Facility", "Price", "Stock"],
                   ["XL-001", 8991234567891, "Kopi Komodo", "kopi", "LP-LBJ", 55000.0, 7],
                   ["XL-002", None, "Tas Lontar", "anyaman", "LP-KPG", 120000, None]],
    })
    assert import_catalog(booth, f) == summary(facilities_added=1, products_added=2,
                                               stock_units=7)
    assert query(booth.db.path, "SELECT code, name, kind, region FROM facility "
                                "WHERE code = 'LP-LBJ'") == [
        ("LP-LBJ", "Lapas Kelas III Labuan Bajo", "Lapas", "Manggarai Barat")]
    assert query(booth.db.path, "SELECT p.sku, p.barcode, p.price, f.code FROM product p "
                                "JOIN facility f ON f.id = p.facility_id "
                                "WHERE p.sku LIKE 'XL-%' ORDER BY p.sku") == [
        ("XL-001", "8991234567891", 55_000, "LP-LBJ"), ("XL-002", None, 120_000, "LP-KPG")]


@pytest.mark.parametrize("name", ["facilities.csv", "categories.csv", "products.csv"])
def test_reimporting_a_demo_file_changes_nothing(booth: Booth, name: str) -> None:
    before = snapshot(booth.db.path)
    assert import_catalog(booth, resources_dir() / "demo" / name) == summary()
    assert snapshot(booth.db.path) == before


def test_reimporting_the_same_file_changes_nothing(booth: Booth, tmp_path: Path) -> None:
    f = write_csv(tmp_path / "p.csv", "sku,name,category,facility,price",
                  "NEW-001,Kopi Baru,kopi,LP-END,25000")
    assert import_catalog(booth, f).products_added == 1
    before = snapshot(booth.db.path)
    assert import_catalog(booth, f) == summary()
    assert snapshot(booth.db.path) == before


def test_price_change_bumps_revision_and_queues_the_product(booth: Booth, tmp_path: Path) -> None:
    path = booth.db.path
    (pid, revision, updated_at), = query(path, "SELECT id, revision, updated_at FROM product "
                                              "WHERE sku = 'KOP-002'")
    assert revision == 1
    max_seq = query(path, "SELECT max(seq) FROM outbox")[0][0]
    f = write_csv(tmp_path / "harga.csv", HEADER,
                  "KOP-002,8994110000024,Kopi Robusta Manggarai 200 g,kopi,RT-RTG,47500,none,1,",
                  "KOP-004,8994110000048,Kopi Arabika Manggarai Juria 250 g,kopi,RT-RTG,95000,"
                  "none,1,")
    assert import_catalog(booth, f) == summary(products_updated=1)
    assert query(path, "SELECT price, revision, updated_at FROM product WHERE sku = 'KOP-002'") == [
        (47_500, 2, "2026-11-21T11:30:00.000000+00:00")]
    assert updated_at != "2026-11-21T11:30:00.000000+00:00"
    assert query(path, "SELECT revision FROM product WHERE sku = 'KOP-004'") == [(1,)]
    assert query(path, "SELECT table_name, record_id, seq, state FROM outbox WHERE seq > ?",
                 max_seq) == [("product", pid, max_seq + 1, "pending")]
    # importing the same prices again is a no-op
    assert import_catalog(booth, f) == summary()


def test_price_list_without_optional_columns_keeps_barcode_tax_and_active(
        booth: Booth, tmp_path: Path) -> None:
    # A price list with only the required columns must not wipe what it does not mention:
    # KOP-001 keeps its barcode (scanning) and its PPN-included mode (tax).
    f = write_csv(tmp_path / "harga.csv", "sku,name,category,facility,price",
                  "KOP-001,Kopi Arabika Flores Bajawa 250 g,kopi,LP-END,90000",
                  "KOP-009,Kopi Lio Ende 200 g,kopi,LP-END,42000")
    assert import_catalog(booth, f) == summary(products_updated=1)
    assert query(booth.db.path, "SELECT sku, barcode, price, tax_mode, active, revision "
                                "FROM product WHERE sku IN ('KOP-001', 'KOP-009') ORDER BY sku") == [
        ("KOP-001", "8994111000016", 90_000, "included", 1, 2),
        ("KOP-009", "8994111000092", 42_000, "none", 0, 1),
    ]


BAD_ROWS = [
    "sku,barcode,name,category,facility,price",
    "NEW-001,,Kopi Baik,kopi,LP-END,25000",  # row 2: fine
    "NEW-002,,Harga Koma,kopi,LP-END,\"12,5\"",  # row 3: bad price
    "NEW-003,,Lapas Antah,kopi,LP-XXX,10000",  # row 4: unknown facility
    "NEW-004,8994111000017,Barcode Salah,kopi,LP-END,10000",  # row 5: bad EAN check digit
    "new-001,,Kembar,kopi,LP-END,10000",  # row 6: duplicate SKU (case-insensitive)
    "NEW-006,,,kopi,LP-END,10000",  # row 7: no name
    "NEW-007,8994111000016,Barcode Orang Lain,kopi,LP-END,10000",  # row 8: KOP-001's barcode
]
EXPECTED_ERRORS = [
    (3, "price", "not_integer", "row 3, column price: not a whole number: 12,5"),
    (4, "facility", "unknown_facility", "row 4, column facility: unknown facility: LP-XXX"),
    (5, "barcode", "bad_barcode",
     "row 5, column barcode: not a valid EAN-13/EAN-8/UPC barcode: 8994111000017"),
    (6, "sku", "duplicate", "row 6, column sku: appears twice in the file: NEW-001"),
    (7, "name", "required", "row 7, column name: a value is required"),
    (8, "barcode", "barcode_taken", "row 8, column barcode: barcode already belongs to KOP-001"),
]


def test_bad_csv_lists_every_error_and_writes_nothing(booth: Booth, tmp_path: Path) -> None:
    before = snapshot(booth.db.path)
    f = write_csv(tmp_path / "salah.csv", *BAD_ROWS)
    with pytest.raises(ImportRejected) as exc:
        import_catalog(booth, f)
    assert exc.value.code == "import_failed"
    assert exc.value.message() == f"Nothing was imported: 6 error(s) in {f}"
    assert [(e.row, e.column, e.code, e.message()) for e in exc.value.errors] == EXPECTED_ERRORS
    assert snapshot(booth.db.path) == before


def test_bad_xlsx_names_the_sheet(booth: Booth, tmp_path: Path) -> None:
    before = snapshot(booth.db.path)
    table = [next(csv.reader([line])) for line in BAD_ROWS]
    f = write_xlsx(tmp_path / "salah.xlsx", {"Produk": table})
    with pytest.raises(ImportRejected) as exc:
        import_catalog(booth, f)
    assert [(e.row, e.column, e.code) for e in exc.value.errors] == [
        (r, c, code) for r, c, code, _m in EXPECTED_ERRORS]
    assert [e.sheet for e in exc.value.errors[:5]] == ["Produk"] * 5
    assert exc.value.errors[0].message() == (
        "sheet Produk, row 3, column price: not a whole number: 12,5")
    assert snapshot(booth.db.path) == before


def test_barcode_taken_error_names_the_sheet(booth: Booth, tmp_path: Path) -> None:
    f = write_xlsx(tmp_path / "ambil.xlsx", {"Produk": [
        ["sku", "barcode", "name", "category", "facility", "price"],
        ["NEW-007", "8994111000016", "Barcode Orang Lain", "kopi", "LP-END", 10000]]})
    with pytest.raises(ImportRejected) as exc:
        import_catalog(booth, f)
    assert [e.message() for e in exc.value.errors] == [
        "sheet Produk, row 2, column barcode: barcode already belongs to KOP-001"]


def test_more_row_errors(booth: Booth, tmp_path: Path) -> None:
    before = snapshot(booth.db.path)
    f = write_csv(tmp_path / "lain.csv", HEADER,
                  "A-1,,Harga Minus,kopi,LP-END,-5,,,",
                  "A-2,,Pajak Aneh,kopi,LP-END,5000,ppn,,",
                  "A-3,,Aktif Aneh,kopi,LP-END,5000,,mungkin,",
                  "A-4,,Stok Kebanyakan,kopi,LP-END,5000,,,100001",
                  ",,Tanpa SKU,kopi,LP-END,5000,,,",
                  "A-6,,Harga Kosong,kopi,LP-END,,,,")
    with pytest.raises(ImportRejected) as exc:
        import_catalog(booth, f)
    assert [(e.row, e.column, e.code) for e in exc.value.errors] == [
        (2, "price", "out_of_range"),
        (3, "tax_mode", "unknown_choice"),
        (4, "active", "unknown_choice"),
        (5, "stock", "out_of_range"),
        (6, "sku", "required"),
        (7, "price", "required"),
    ]
    assert snapshot(booth.db.path) == before


@pytest.mark.parametrize("price", ["12.5", "85.000,00", "1.5"])
def test_price_with_a_decimal_part_is_refused_in_csv(booth: Booth, tmp_path: Path,
                                                     price: str) -> None:
    # '.' groups thousands; "12.5" is not twelve thousand five hundred nor Rp125.
    before = snapshot(booth.db.path)
    f = write_csv(tmp_path / "p.csv", "sku,name,category,facility,price",
                  f'NEW-001,Kopi,kopi,LP-END,"{price}"')
    with pytest.raises(ImportRejected) as exc:
        import_catalog(booth, f)
    assert [(e.row, e.column, e.code) for e in exc.value.errors] == [(2, "price", "not_integer")]
    assert snapshot(booth.db.path) == before


def test_fractional_xlsx_price_is_refused(booth: Booth, tmp_path: Path) -> None:
    # A spreadsheet cell holding 12.5 must not be stored as Rp125.
    before = snapshot(booth.db.path)
    f = write_xlsx(tmp_path / "p.xlsx", {"Produk": [
        ["sku", "name", "category", "facility", "price"],
        ["NEW-001", "Kopi", "kopi", "LP-END", 12.5]]})
    with pytest.raises(ImportRejected) as exc:
        import_catalog(booth, f)
    assert [(e.row, e.column, e.code) for e in exc.value.errors] == [(2, "price", "not_integer")]
    assert snapshot(booth.db.path) == before


def test_reimport_with_a_stock_column_does_not_receive_the_stock_twice(
        booth: Booth, tmp_path: Path) -> None:
    f = write_csv(tmp_path / "stok.csv", "sku,name,category,facility,price,stock",
                  "NEW-001,Kopi Baru,kopi,LP-END,25000,5")
    assert import_catalog(booth, f) == summary(products_added=1, stock_units=5)
    before = snapshot(booth.db.path)
    assert import_catalog(booth, f) == summary()
    assert snapshot(booth.db.path) == before
    assert query(booth.db.path, "SELECT sum(m.qty) FROM stock_movement m JOIN product p "
                                "ON p.id = m.product_id WHERE p.sku = 'NEW-001'") == [(5,)]


def test_row_numbers_count_leading_blank_lines(booth: Booth, tmp_path: Path) -> None:
    # The file opens in a spreadsheet with a blank row 1, the header on row 2, data on row 3.
    f = write_csv(tmp_path / "kosong.csv", "", "sku,name,category,facility,price",
                  "NEW-001,,kopi,LP-END,5000")
    with pytest.raises(ImportRejected) as exc:
        import_catalog(booth, f)
    assert [(e.row, e.column) for e in exc.value.errors] == [(3, "name")]


def test_semicolon_csv(booth: Booth, tmp_path: Path) -> None:
    f = write_csv(tmp_path / "titikkoma.csv", "sku;name;category;facility;price;stock",
                  "SC-001;Selendang Buna, Motif Besar;tenun;RT-KFM;185.000;3",
                  "SC-002;Kopi, Gula, Susu;kopi;LP-END;15000;")
    assert import_catalog(booth, f) == summary(products_added=2, stock_units=3)
    assert query(booth.db.path, "SELECT sku, name, price FROM product WHERE sku LIKE 'SC-%' "
                                "ORDER BY sku") == [
        ("SC-001", "Selendang Buna, Motif Besar", 185_000), ("SC-002", "Kopi, Gula, Susu", 15_000)]


def test_utf8_bom_csv(booth: Booth, tmp_path: Path) -> None:
    f = tmp_path / "bom.csv"
    f.write_bytes("sku,name,category,facility,price\nBOM-1,Kué Lapis,makanan,LP-KPG,5000\n"
                  .encode("utf-8-sig"))
    assert import_catalog(booth, f) == summary(products_added=1)
    assert query(booth.db.path, "SELECT name FROM product WHERE sku = 'BOM-1'") == [("Kué Lapis",)]


@pytest.mark.parametrize("content", [b"this is not a zip file", b"PK\x03\x04garbage" * 10, b""])
def test_garbage_xlsx_is_unreadable(booth: Booth, tmp_path: Path, content: bytes) -> None:
    before = snapshot(booth.db.path)
    f = tmp_path / "rusak.xlsx"
    f.write_bytes(content)
    with pytest.raises(DomainError) as exc:
        import_catalog(booth, f)
    assert exc.value.code == "import_unreadable"
    assert exc.value.params["path"] == str(f)
    assert snapshot(booth.db.path) == before


def test_missing_csv_is_unreadable(booth: Booth, tmp_path: Path) -> None:
    with pytest.raises(DomainError) as exc:
        import_catalog(booth, tmp_path / "tidak-ada.csv")
    assert exc.value.code == "import_unreadable"


def test_a_latin1_csv_is_read_as_windows_1252(booth: Booth, tmp_path: Path) -> None:
    """Excel's plain "CSV" on Windows saves Windows-1252 (Latin-1 with more): read as such."""
    f = tmp_path / "latin1.csv"
    f.write_bytes("sku,name,category,facility,price\nL-1,Kué,kopi,LP-END,5\n".encode("latin-1"))
    assert import_catalog(booth, f).products_added == 1
    with sqlite3.connect(booth.db.path) as con:
        assert con.execute("SELECT name FROM product WHERE sku = 'L-1'").fetchall() == [("Kué",)]


def test_a_csv_in_no_known_encoding_is_refused(booth: Booth, tmp_path: Path) -> None:
    f = tmp_path / "rusak.csv"
    f.write_bytes(b"sku,name,category,facility,price\nL-1,Ku\x81\x8d,kopi,LP-END,5\n")
    with pytest.raises(DomainError) as exc:
        import_catalog(booth, f)
    assert exc.value.code == "import_not_utf8"


@pytest.mark.parametrize("name", ["katalog.txt", "katalog.xls", "katalog.ods", "katalog"])
def test_unknown_extension(booth: Booth, tmp_path: Path, name: str) -> None:
    f = tmp_path / name
    f.write_text("sku,name,category,facility,price\n")
    with pytest.raises(DomainError) as exc:
        import_catalog(booth, f)
    assert exc.value.code == "import_unknown_format"
    assert exc.value.message() == f"Unknown file type {f}: use .csv or .xlsx"


def test_wrong_columns(booth: Booth, tmp_path: Path) -> None:
    before = snapshot(booth.db.path)
    f = write_csv(tmp_path / "kolom.csv", "sku,name,harga", "NEW-1,Kopi,5000")
    with pytest.raises(DomainError) as exc:
        import_catalog(booth, f)
    assert exc.value.code == "import_missing_column"
    assert exc.value.params == {"path": str(f), "column": "category, facility, price"}
    assert snapshot(booth.db.path) == before


def test_header_only_has_no_rows(booth: Booth, tmp_path: Path) -> None:
    f = write_csv(tmp_path / "kosong.csv", "sku,name,category,facility,price")
    with pytest.raises(DomainError) as exc:
        import_catalog(booth, f)
    assert exc.value.code == "import_no_rows"


@pytest.mark.parametrize("column,cell,code,shown", [
    ("price", True, "boolean_cell", "TRUE"),      # not Rp1
    ("price", False, "boolean_cell", "FALSE"),    # not Rp0
    ("price", dt.datetime(2026, 11, 21, 9, 30), "date_cell", "2026-11-21 09:30:00"),
    ("price", dt.date(2026, 11, 21), "date_cell", "2026-11-21 00:00:00"),
    ("price", "=1+1", "formula_cell", "=1+1"),
    ("stock", True, "boolean_cell", "TRUE"),
    ("stock", "=SUM(1,2)", "formula_cell", "=SUM(1,2)"),  # not a silent 0
    ("stock", dt.datetime(2026, 1, 1), "date_cell", "2026-01-01 00:00:00"),
    ("name", "=HYPERLINK(\"x\")", "formula_cell", "=HYPERLINK(\"x\")"),
])
def test_typed_xlsx_cells_are_no_numbers(booth: Booth, tmp_path: Path, column: str,
                                         cell: object, code: str, shown: str) -> None:
    before = snapshot(booth.db.path)
    header = ["sku", "name", "category", "facility", "price", "stock"]
    row = ["NEW-001", "Kopi", "kopi", "LP-END", 25000, 3]
    row[header.index(column)] = cell
    f = write_xlsx(tmp_path / "ketik.xlsx", {"Produk": [header, row]})
    with pytest.raises(ImportRejected) as exc:
        import_catalog(booth, f)
    assert [(e.row, e.column, e.code) for e in exc.value.errors] == [(2, column, code)]
    assert exc.value.errors[0].params["value"] == shown
    assert snapshot(booth.db.path) == before


def test_typed_cells_in_facility_percentages_are_refused(booth: Booth, tmp_path: Path) -> None:
    f = write_xlsx(tmp_path / "bagi.xlsx", {"Fasilitas": [
        ["code", "name", "kind", "pnbp", "premi", "modal", "program"],
        ["LP-NEW", "Lapas Baru", "Lapas", True, 30, 30, 40],
        ["LP-NEU", "Lapas Neu", "Lapas", 25, "=25", 25, 25]]})
    with pytest.raises(ImportRejected) as exc:
        import_catalog(booth, f)
    assert [(e.row, e.column, e.code) for e in exc.value.errors] == [
        (2, "pnbp", "boolean_cell"), (3, "premi", "formula_cell")]


def test_a_true_cell_still_means_active(booth: Booth, tmp_path: Path) -> None:
    """Where a yes/no goes (``active``), TRUE and FALSE cells keep their meaning."""
    f = write_xlsx(tmp_path / "aktif.xlsx", {"Produk": [
        ["sku", "name", "category", "facility", "price", "active"],
        ["NEW-001", "Kopi", "kopi", "LP-END", 25000, True],
        ["NEW-002", "Teh", "kopi", "LP-END", 25000, False]]})
    assert import_catalog(booth, f).products_added == 2
    assert query(booth.db.path, "SELECT sku, active FROM product WHERE sku LIKE 'NEW-%' "
                                "ORDER BY sku") == [("NEW-001", 1), ("NEW-002", 0)]


def test_a_bad_last_row_of_a_long_file_writes_nothing(booth: Booth, tmp_path: Path) -> None:
    """The rows are written in batches, but all in one transaction: the 20,000th row's
    error leaves the database as it was."""
    before = snapshot(booth.db.path)
    lines = [f"BIG-{i:05d},Barang {i},kopi,LP-END,{1000 + i},1" for i in range(1, 20_000)]
    f = write_csv(tmp_path / "besar.csv", "sku,name,category,facility,price,stock", *lines,
                  "BIG-20000,Barang Terakhir,kopi,LP-END,TRUE,1")
    with pytest.raises(ImportRejected) as exc:
        import_catalog(booth, f)
    assert [(e.row, e.column, e.code) for e in exc.value.errors] == [
        (20_001, "price", "not_integer")]
    assert snapshot(booth.db.path) == before
    # the same file without the bad row goes in whole
    good = write_csv(tmp_path / "baik.csv", "sku,name,category,facility,price,stock", *lines)
    assert import_catalog(booth, good) == summary(products_added=19_999, stock_units=19_999)
    assert query(booth.db.path, "SELECT count(*) FROM product WHERE sku LIKE 'BIG-%'") == [
        (19_999,)]
    assert query(booth.db.path, "SELECT count(DISTINCT document_id) FROM stock_movement "
                                "WHERE note = 'baik.csv'") == [(1,)]


def test_many_bad_rows_list_the_first_hundred_and_count_all(booth: Booth,
                                                           tmp_path: Path) -> None:
    lines = [f"BAD {i},Barang,kopi,LP-END,1000" for i in range(1, 251)]
    f = write_csv(tmp_path / "salah.csv", "sku,name,category,facility,price", *lines)
    with pytest.raises(ImportRejected) as exc:
        import_catalog(booth, f)
    assert exc.value.params["count"] == 250
    assert exc.value.message() == f"Nothing was imported: 250 error(s) in {f}"
    assert [e.row for e in exc.value.errors] == list(range(2, 102))
