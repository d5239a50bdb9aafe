"""Every way a product enters obeys the same rules (issue 17): what product-add refuses, the
catalog import refuses too, against the same row and column, and nothing is written."""

from __future__ import annotations

import csv
import sqlite3
from pathlib import Path

import pytest

from pos_app.domain.errors import DomainError, ImportRejected
from pos_app.domain.money import MAX_AMOUNT
from pos_app.services.catalog.catalog_edit import create_product
from pos_app.services.catalog.catalog_import import import_catalog
from pos_app.services.setup.booth import Booth

BOSS = {"actor": "Maria", "actor_role": "coordinator"}
GOOD = {"sku": "NEW-001", "name": "Kopi Baru", "barcode": "", "price": 25000}


def _counts(booth: Booth) -> tuple[int, int]:
    with sqlite3.connect(booth.db.path) as con:
        return con.execute("SELECT (SELECT count(*) FROM product), "
                           "(SELECT count(*) FROM outbox)").fetchone()


def _import(booth: Booth, tmp_path: Path, fields: dict) -> list[tuple[int, str, str]]:
    f = tmp_path / "one.csv"
    with f.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["sku", "barcode", "name", "category", "facility", "price"])
        w.writerow([fields["sku"], fields["barcode"], fields["name"], "kopi", "LP-END",
                    fields["price"]])
    with pytest.raises(ImportRejected) as exc:
        import_catalog(booth, f)
    return [(e.row, e.column, e.code) for e in exc.value.errors]


def _add(booth: Booth, fields: dict) -> DomainError:
    with pytest.raises(DomainError) as exc:
        create_product(booth, name=fields["name"], facility_code="LP-END", category_code="kopi",
                       price=fields["price"], sku=fields["sku"],
                       barcode=fields["barcode"] or None, **BOSS)
    return exc.value


@pytest.mark.parametrize("column,value,code", [
    ("sku", "NEW 001", "unknown_choice"),       # a space
    ("sku", "-NEW", "unknown_choice"),          # must start with a letter or digit
    ("sku", "NEW.001", "unknown_choice"),
    ("sku", "KOPI-É1", "unknown_choice"),       # not ASCII
    ("sku", "NEW\x00", "control_char"),
    ("sku", "NEW\u202e1", "control_char"),       # a bidi override
    ("sku", "A" * 33, "too_long"),
    ("name", "Kopi\tBaru", "control_char"),     # a tab inside is refused, not made a space
    ("name", "Kopi\u2028Baru", "control_char"),
    ("name", "Kopi\x7f", "control_char"),
    ("name", "K" * 161, "too_long"),
    ("barcode", "123", "bad_barcode"),
    ("barcode", "8994111000017", "bad_barcode"),  # wrong check digit
    ("barcode", "٨٩٩٤١١١٠٠٠٠١٦", "bad_barcode"),  # Arabic-Indic digits of a valid EAN
])
def test_bad_fields_are_refused_by_import_and_product_add_alike(
        booth: Booth, tmp_path: Path, column: str, value: str, code: str) -> None:
    before = _counts(booth)
    fields = {**GOOD, column: value}
    assert _import(booth, tmp_path, fields) == [(2, column, code)]
    refused = _add(booth, fields)
    assert refused.code in {"bad_product", "bad_product_name", "text_control_char"}
    assert "None" not in refused.message()
    assert _counts(booth) == before


@pytest.mark.parametrize("price", ["-1", str(MAX_AMOUNT + 1)])
def test_prices_out_of_range_are_refused_by_both(booth: Booth, tmp_path: Path,
                                                 price: str) -> None:
    before = _counts(booth)
    assert _import(booth, tmp_path, {**GOOD, "price": price}) == [(2, "price", "out_of_range")]
    assert _add(booth, {**GOOD, "price": int(price)}).code == "bad_price"
    assert _add(booth, {**GOOD, "price": True}).code == "bad_price"  # a boolean is no price
    assert _counts(booth) == before


def test_a_good_product_is_stored_the_same_way_by_both(booth: Booth, tmp_path: Path) -> None:
    """Trimmed, spaces made one, SKU in capitals: the same row from either path."""
    f = tmp_path / "good.csv"
    f.write_text("sku,barcode,name,category,facility,price\n"
                 " new_01 ,8991234567891,  Kopi   Baru ,kopi,LP-END,25000\n", encoding="utf-8")
    assert import_catalog(booth, f).products_added == 1
    made = create_product(booth, name="  Teh   Baru ", facility_code="LP-END",
                          category_code="kopi", price=25000, sku=" new_02 ",
                          barcode="8991234567884", **BOSS)
    with sqlite3.connect(booth.db.path) as con:
        rows = con.execute("SELECT sku, name FROM product WHERE sku LIKE 'NEW_0%' "
                           "ORDER BY sku").fetchall()
    assert rows == [("NEW_01", "Kopi Baru"), ("NEW_02", "Teh Baru")]
    assert made.sku == "NEW_02"
