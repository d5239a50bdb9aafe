"""Finding products on the sale screen: scan (barcode or SKU), type (FTS prefix search), grid."""

from __future__ import annotations

from pathlib import Path

import pytest

from pos_app.services.catalog import catalog
from pos_app.services.catalog.catalog_import import import_catalog
from pos_app.services.setup.booth import Booth


def skus(found) -> list[str]:
    return [p.sku for p in found]


def facility_id(booth: Booth, code: str):
    return next(f.id for f in catalog.facilities(booth) if f.code == code)


@pytest.mark.parametrize(("code", "sku"), [
    ("8994111000016", "KOP-001"),
    (" 8994111000016 ", "KOP-001"),
    ("KOP-001", "KOP-001"),
    ("kop-001", "KOP-001"),
    ("  ten-004", "TEN-004"),
    ("KER-001", "KER-001"),  # no barcode: the SKU label
])
def test_find_by_code(booth: Booth, code: str, sku: str) -> None:
    found = catalog.find_by_code(booth, code)
    assert found is not None
    assert found.sku == sku


def test_find_by_code_returns_the_full_row(booth: Booth) -> None:
    row = catalog.find_by_code(booth, "8994111000016")
    assert (row.sku, row.barcode, row.name, row.price, row.tax_mode, row.active,
            row.facility_code, row.facility_name) == (
        "KOP-001", "8994111000016", "Kopi Arabika Flores Bajawa 250 g", 85_000, "included", True,
        "LP-END", "Lapas Kelas IIB Ende")
    ref = row.ref()
    assert (ref.sku, ref.unit_price, ref.facility_id, ref.tax_mode.value) == (
        "KOP-001", 85_000, row.facility_id, "included")


@pytest.mark.parametrize("code", ["NOPE-1", "8994111000017", "", "   ", "KOP-0011"])
def test_find_by_code_unknown(booth: Booth, code: str) -> None:
    assert catalog.find_by_code(booth, code) is None


def test_search_kopi_flo(booth: Booth) -> None:
    found = catalog.search(booth, "kopi flo")
    assert [(p.sku, p.name) for p in found] == [
        ("KOP-001", "Kopi Arabika Flores Bajawa 250 g"),
        ("KOP-005", "Kopi Robusta Flores Sikka 250 g"),
        ("SAB-006", "Sabun Kopi Flores"),
    ]


@pytest.mark.parametrize("query", ["KOPI FLO", "Kopi Flores", "flo kopi", "kópi flóres",
                                   "  kopi   flo  "])
def test_search_ignores_case_order_and_diacritics(booth: Booth, query: str) -> None:
    assert skus(catalog.search(booth, query)) == ["KOP-001", "KOP-005", "SAB-006"]


def test_search_finds_names_with_diacritics(booth: Booth, tmp_path: Path) -> None:
    f = tmp_path / "kue.csv"
    f.write_text("sku,name,category,facility,price\n"
                 "KUE-001,Kué Lapis Légit,makanan,LP-KPG,45000\n", encoding="utf-8")
    import_catalog(booth, f)
    assert skus(catalog.search(booth, "kue legit")) == ["KUE-001"]
    assert skus(catalog.search(booth, "KUÉ LÉG")) == ["KUE-001"]


@pytest.mark.parametrize(("query", "expected"), [
    ("lio", ["TEN-008"]),  # KOP-009 "Kopi Lio Ende" is inactive
    ("nyiru", []),  # ANY-009 is inactive
    ("kopi lio", []),
])
def test_search_ignores_inactive_products(booth: Booth, query: str, expected: list[str]) -> None:
    assert skus(catalog.search(booth, query)) == expected


def test_search_by_sku_and_barcode(booth: Booth) -> None:
    assert skus(catalog.search(booth, "kop-001")) == ["KOP-001"]
    assert skus(catalog.search(booth, "8994111000016")) == ["KOP-001"]
    assert skus(catalog.search(booth, "BAN-00")) == ["BAN-006", "BAN-002", "BAN-004",
                                                      "BAN-003", "BAN-007", "BAN-001", "BAN-005"]


def test_search_prefix_of_a_barcode(booth: Booth) -> None:
    # every active LP-END product with a barcode starting 899411100 (KOP-009 is inactive)
    assert sorted(skus(catalog.search(booth, "899411100"))) == [
        "KOP-001", "KOP-007", "MAK-006", "MIN-004", "TEN-008"]


def test_search_with_facility_filter(booth: Booth) -> None:
    rtg = facility_id(booth, "RT-RTG")
    assert [(p.sku, p.name) for p in catalog.search(booth, "kopi", facility_id=rtg)] == [
        ("KOP-004", "Kopi Arabika Manggarai Juria 250 g"),
        ("KOP-003", "Kopi Kolo Ruteng 250 g"),
        ("KOP-002", "Kopi Robusta Manggarai 200 g"),
        ("SAB-006", "Sabun Kopi Flores"),
    ]
    assert catalog.search(booth, "tenun", facility_id=facility_id(booth, "LPKA-KPG")) == []


def test_search_limit(booth: Booth) -> None:
    assert len(catalog.search(booth, "kopi")) == 9
    assert len(catalog.search(booth, "kopi", limit=3)) == 3


@pytest.mark.parametrize("query", ["", "   ", '"', "*", "NEAR(", "'", "-", "^", "kopi\"", "(("])
def test_search_survives_fts_syntax(booth: Booth, query: str) -> None:
    expected = ["KOP-001", "KOP-002", "KOP-003", "KOP-004", "KOP-005", "KOP-006", "KOP-007",
                "KOP-008", "SAB-006"]
    found = sorted(skus(catalog.search(booth, query)))
    assert found == (expected if query == 'kopi"' else [])


def test_search_follows_a_renamed_product(booth: Booth, tmp_path: Path) -> None:
    f = tmp_path / "ganti.csv"
    f.write_text("sku,barcode,name,category,facility,price,tax_mode\n"
                 "KOP-002,8994110000024,Kopi Pagi Manggarai 200 g,kopi,RT-RTG,45000,none\n",
                 encoding="utf-8")
    assert import_catalog(booth, f).products_updated == 1
    assert skus(catalog.search(booth, "pagi")) == ["KOP-002"]
    assert "KOP-002" not in skus(catalog.search(booth, "robusta"))


def test_grid_lists(booth: Booth) -> None:
    assert catalog.count_products(booth) == 89
    assert len(catalog.products(booth)) == 87  # active only
    assert len(catalog.facilities(booth)) == 12
    assert [c.code for c in catalog.categories(booth)] == [
        "kopi", "tenun", "anyaman", "makanan", "kerajinan", "lukisan", "bangunan", "miniatur",
        "sabun", "madu"]
    kopi = next(c.id for c in catalog.categories(booth) if c.code == "kopi")
    assert len(catalog.products(booth, category_id=kopi)) == 8
    end = facility_id(booth, "LP-END")
    assert skus(catalog.products(booth, category_id=kopi, facility_id=end)) == [
        "KOP-007", "KOP-001"]  # by name: "Kopi Arabika Bajawa Biji..." < "Kopi Arabika Flores..."
    assert len(catalog.products(booth, limit=10, offset=80)) == 7
