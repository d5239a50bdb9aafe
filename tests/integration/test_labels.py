"""Price-tag label sheets: rendered to PDF, rasterised at 300 dpi with poppler's pdftoppm and
read back with a real barcode decoder (zxing-cpp); every decoded code must find its product
the way the till's scanner input does."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image
from pypdf import PdfReader

from pos_app.domain.errors import DomainError
from pos_app.domain.labels import LabelLayout
from pos_app.services.catalog.catalog import find_by_code
from pos_app.services.catalog.catalog_edit import create_product
from pos_app.services.setup.booth import Booth
from pos_app.services.setup.settings import set_setting
from pos_app.services.stock.stock_print import label_layout, save_labels_pdf

DPI = 300
EAN13, CODE128 = zxingcpp.BarcodeFormat.EAN13, zxingcpp.BarcodeFormat.Code128


def rasterise(pdf: Path) -> list[Image.Image]:
    prefix = pdf.with_suffix("")
    subprocess.run(["pdftoppm", "-r", str(DPI), "-png", str(pdf), str(prefix)], check=True,
                   capture_output=True, timeout=120)
    return [Image.open(p) for p in sorted(pdf.parent.glob(f"{prefix.name}-*.png"))]


def label_image(page: Image.Image, layout: LabelLayout, index: int) -> Image.Image:
    """The ``index``-th label of a page, cut out of the 300-dpi image."""
    px = DPI / 25.4
    x, y = layout.origin_mm(index)
    w, h = layout.label_width_mm, layout.label_height_mm
    top = layout.page_height_mm - y - h
    return page.crop((round(x * px), round(top * px), round((x + w) * px),
                      round((top + h) * px)))


def decode(image: Image.Image) -> list[tuple[str, zxingcpp.BarcodeFormat]]:
    return [(b.text, b.format) for b in zxingcpp.read_barcodes(image)]


def page_texts(pdf: Path) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in PdfReader(pdf).pages]


@pytest.fixture
def painting(booth: Booth):
    """A painting made at the booth: no barcode of its own, so it gets an in-store EAN-13."""
    return create_product(booth, name="Lukisan Senja di Pantai Lasiana 30x40",
                          facility_code="LP-KPG", category_code="lukisan", price=1_250_000,
                          actor="Maria", actor_role="coordinator")


def test_every_label_decodes_back_to_its_product(booth: Booth, painting, tmp_path) -> None:
    assert painting.barcode.startswith("21") and len(painting.barcode) == 13
    assert find_by_code(booth, "KER-001").barcode is None  # handmade, no barcode
    out = save_labels_pdf(booth, [("MAK-004", 2), ("ker-001", 1), (painting.sku, 1)],
                          tmp_path / "labels" / "tags.pdf")
    assert out == tmp_path / "labels" / "tags.pdf"
    assert [p.name for p in out.parent.iterdir()] == ["tags.pdf"]  # no temporary left
    layout = LabelLayout()
    (page,) = rasterise(out)
    expected = [("8994103000352", EAN13, "MAK-004"), ("8994103000352", EAN13, "MAK-004"),
                ("KER-001", CODE128, "KER-001"), (painting.barcode, EAN13, painting.sku)]
    for index, (text, symbology, sku) in enumerate(expected):
        found = decode(label_image(page, layout, index))
        assert found == [(text, symbology)], index
        assert find_by_code(booth, found[0][0]).sku == sku
    assert decode(label_image(page, layout, len(expected))) == []  # the rest is blank

    (text,) = page_texts(out)
    for part in ("Keripik Pisang Kepok Rp15.000", "Patung Kayu Cendana Rp450.000",
                 "Lukisan Senja di Pantai Lasiana 30x40 Rp1.250.000", "994103 000352",
                 "KER-001", painting.barcode[1:7], painting.barcode[7:]):
        assert part in text, part
    assert text.count("Rp15.000") == 2


def test_labels_flow_onto_more_pages(booth: Booth, tmp_path) -> None:
    out = save_labels_pdf(booth, [("MAK-004", 25), ("KER-001", 5)], tmp_path / "many.pdf")
    texts = page_texts(out)
    assert len(texts) == 2
    assert (texts[0].count("Rp15.000"), texts[0].count("Rp450.000")) == (24, 0)
    assert (texts[1].count("Rp15.000"), texts[1].count("Rp450.000")) == (1, 5)

    set_setting(booth, "label_cols", "2")
    set_setting(booth, "label_rows", "5")
    layout = label_layout(booth)
    assert (layout.cols, layout.rows, layout.per_page) == (2, 5, 10)
    out = save_labels_pdf(booth, [("MAK-007", 10), ("LUK-001", 1)], tmp_path / "two.pdf")
    pages = rasterise(out)
    assert len(pages) == 2
    assert decode(label_image(pages[0], layout, 9)) == [("8994103000383", EAN13)]
    assert decode(label_image(pages[1], layout, 0)) == [("LUK-001", CODE128)]
    assert decode(label_image(pages[1], layout, 1)) == []


@pytest.mark.parametrize("cols, rows", [(0, 8), (11, 8), (3, 0), (3, 11), (6, 8), (3, 12)])
def test_a_grid_that_does_not_fit_is_refused(cols: int, rows: int) -> None:
    with pytest.raises(DomainError) as err:
        LabelLayout(cols=cols, rows=rows)
    assert (err.value.code, err.value.params) == ("bad_label_layout",
                                                  {"cols": cols, "rows": rows, "max": 10})
    assert err.value.message() == (f"A label sheet needs 1 to 10 columns and rows that fit on "
                                   f"the page: {cols} x {rows}")


def test_layout_sizes_and_settings(booth: Booth) -> None:
    assert label_layout(booth) == LabelLayout(cols=3, rows=8)
    layout = LabelLayout(cols=5, rows=10)  # the densest grid that still fits
    assert (layout.label_width_mm, layout.label_height_mm) == (pytest.approx(37.2),
                                                               pytest.approx(25.9))
    assert layout.origin_mm(0) == (8, 297 - 10 - layout.label_height_mm)
    assert layout.pages(0) == 0 and layout.pages(50) == 1 and layout.pages(51) == 2
    with pytest.raises(DomainError) as err:
        LabelLayout(margin_x_mm=-1)
    assert err.value.code == "bad_label_layout"
    set_setting(booth, "label_cols", "7")
    with pytest.raises(DomainError) as err:
        label_layout(booth)
    assert err.value.params == {"cols": 7, "rows": 8, "max": 10}


def test_bad_requests_write_nothing(booth: Booth, tmp_path) -> None:
    out = tmp_path / "sheets" / "tags.pdf"
    out.parent.mkdir()
    out.write_bytes(b"an earlier sheet")
    for items, code, params in (
            ([("MAK-004", 0)], "bad_quantity", {"qty": 0, "max": 1000}),
            ([("MAK-004", 1001)], "bad_quantity", {"qty": 1001, "max": 1000}),
            ([("MAK-004", 1), ("NOPE-1", 2)], "unknown_product", {"ref": "NOPE-1"})):
        with pytest.raises(DomainError) as err:
            save_labels_pdf(booth, items, out)
        assert (err.value.code, err.value.params) == (code, params)
    assert out.read_bytes() == b"an earlier sheet"
    assert [p.name for p in out.parent.iterdir()] == ["tags.pdf"]
    # A good request replaces the earlier file in one step.
    save_labels_pdf(booth, [("MAK-004", 1000)], out)
    assert out.read_bytes().startswith(b"%PDF") and len(PdfReader(out).pages) == 42
