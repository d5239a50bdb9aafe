"""The receipt as a document: what it says (receipt_elements), how it is laid out in 32/48
columns (fixed_width), and how text is folded to ASCII for cheap printers (ascii_fold)."""

from __future__ import annotations

import dataclasses
import unicodedata
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pos_app.domain.receipt import (
    QR,
    Pair,
    ReceiptDoc,
    ReceiptLine,
    ReceiptPayment,
    Rule,
    Text,
    ascii_fold,
    fixed_width,
    fold_elements,
    receipt_elements,
)

SALE_ID = "0b7e4c1a-3f2d-4c55-9a61-2d9f0e8b7a10"
ENDE = "Lapas Kelas IIB Ende"
KUPANG = "Lapas Kelas IIA Kupang"
PEREMPUAN = "Lapas Perempuan Kelas III Kupang"


def make_doc(**changes) -> ReceiptDoc:
    """A sale of four lines from three facilities (Kupang twice), one line discount, one
    PPN-added line, one PPN-included line, QRIS (unverified) + cash with change."""
    base = dict(
        sale_id=SALE_ID, number="KPG-01-000042", kind="sale",
        issued_at=datetime(2026, 11, 21, 19, 30, tzinfo=ZoneInfo("Asia/Makassar")),
        tz_label="WITA", cashier="Yohana", booth_name="Festival UMKM Kupang 2026",
        device_code="KPG-01",
        lines=(
            ReceiptLine("Kopi Arabika Flores Bajawa 250 g", 2, 85_000, 170_000, 10_000, 15_856,
                        "included", 160_000, ENDE),
            ReceiptLine("Se'i Sapi 250 g", 1, 45_000, 45_000, 0, 4_950, "added", 49_950, KUPANG),
            ReceiptLine("Haik Lontar", 3, 35_000, 105_000, 0, 0, "none", 105_000, KUPANG),
            ReceiptLine("Selendang Tenun Amarasi", 1, 250_000, 250_000, 0, 0, "none", 250_000,
                        PEREMPUAN),
        ),
        subtotal=570_000, discount=10_000, tax=20_806, total=564_950,
        payments=(ReceiptPayment("qris", 300_000, 300_000, 0, "QR-88213", False),
                  ReceiptPayment("cash", 264_950, 300_000, 35_050, None, True)),
        change=35_050, footer=("Terima kasih", "Sampai jumpa lagi"),
    )
    base.update(changes)
    return ReceiptDoc(**base)


EXPECTED = [
    Text("Festival UMKM Kupang 2026", "center", bold=True, large=True),
    Text("Device KPG-01", "center"),
    Rule(),
    Pair("No.", "KPG-01-000042"),
    Pair("Time", "21/11/2026 19:30 WITA"),
    Pair("Cashier", "Yohana"),
    Rule(),
    Text("Kopi Arabika Flores Bajawa 250 g"),
    Pair("  2 x Rp85.000", "Rp170.000"),
    Pair("  Discount", "-Rp10.000"),
    Text("Se'i Sapi 250 g"),
    Pair("  1 x Rp45.000", "Rp45.000"),
    Pair("  VAT (PPN)", "Rp4.950"),
    Text("Haik Lontar"),
    Pair("  3 x Rp35.000", "Rp105.000"),
    Text("Selendang Tenun Amarasi"),
    Pair("  1 x Rp250.000", "Rp250.000"),
    Rule(),
    Pair("Subtotal", "Rp570.000"),
    Pair("Discount", "-Rp10.000"),
    Pair("VAT (PPN) added", "Rp4.950"),
    Pair("TOTAL", "Rp564.950", bold=True, large=True),
    Pair("QRIS", "Rp300.000"),
    Pair("  Ref.", "QR-88213"),
    Pair("Cash", "Rp300.000"),
    Pair("Change", "Rp35.050", bold=True),
    Text("Prices include VAT (PPN) Rp15.856"),
    Rule(),
    Text("Made by inmates of Lapas Kelas IIB Ende", "center"),
    Text("Made by inmates of Lapas Kelas IIA Kupang", "center"),
    Text("Made by inmates of Lapas Perempuan Kelas III Kupang", "center"),
    QR(f"LAPAK:KPG-01-000042:{SALE_ID}"),
    Text("Terima kasih", "center"),
    Text("Sampai jumpa lagi", "center"),
]


def test_receipt_elements_exact() -> None:
    assert receipt_elements(make_doc()) == EXPECTED


def test_provenance_once_per_facility_in_order_of_first_appearance() -> None:
    doc = make_doc()
    assert doc.facilities == (ENDE, KUPANG, PEREMPUAN)
    made_by = [e.text for e in receipt_elements(doc)
               if isinstance(e, Text) and e.text.startswith("Made by inmates of ")]
    assert made_by == [f"Made by inmates of {f}" for f in (ENDE, KUPANG, PEREMPUAN)]
    reordered = make_doc(lines=(make_doc().lines[3], make_doc().lines[1], make_doc().lines[0],
                                make_doc().lines[2]))
    assert reordered.facilities == (PEREMPUAN, KUPANG, ENDE)


def test_qr_payload_names_the_sale() -> None:
    qrs = [e for e in receipt_elements(make_doc()) if isinstance(e, QR)]
    assert qrs == [QR("LAPAK:KPG-01-000042:0b7e4c1a-3f2d-4c55-9a61-2d9f0e8b7a10")]


def test_copy_only_when_asked() -> None:
    assert Text("COPY", "center", bold=True, large=True) not in receipt_elements(make_doc())
    copy = receipt_elements(make_doc(copy=True))
    assert copy[:3] == [EXPECTED[0], EXPECTED[1], Text("COPY", "center", bold=True, large=True)]
    assert copy[3:] == EXPECTED[2:]


def test_copy_is_translated() -> None:
    indonesian = {"COPY": "SALINAN", "TOTAL": "JUMLAH", "Cash": "Tunai"}
    copy = receipt_elements(make_doc(copy=True), lambda s: indonesian.get(s, s))
    assert copy[2] == Text("SALINAN", "center", bold=True, large=True)
    assert Pair("JUMLAH", "Rp564.950", bold=True, large=True) in copy
    assert Pair("Tunai", "Rp300.000") in copy
    assert Text("COPY", "center", bold=True, large=True) not in copy


@pytest.mark.parametrize(("kind", "title"), [("refund", "REFUND"), ("void", "VOID")])
def test_refund_and_void_titles_and_original_sale(kind: str, title: str) -> None:
    els = receipt_elements(make_doc(kind=kind, refers_to="KPG-01-000041"))
    assert els[2] == Text(title, "center", bold=True, large=True)
    assert els[3] == Rule()
    assert els[4:9] == [Pair("No.", "KPG-01-000042"), Pair("Time", "21/11/2026 19:30 WITA"),
                        Pair("Cashier", "Yohana"), Pair("Original sale", "KPG-01-000041"),
                        Rule()]
    both = receipt_elements(make_doc(kind=kind, refers_to="KPG-01-000041", copy=True))
    assert both[2:4] == [Text("COPY", "center", bold=True, large=True),
                         Text(title, "center", bold=True, large=True)]


def test_a_sale_has_no_title_and_no_original_line() -> None:
    els = receipt_elements(make_doc())
    assert not [e for e in els if isinstance(e, Pair) and e.left == "Original sale"]
    assert not [e for e in els if isinstance(e, Text) and e.text in ("REFUND", "VOID")]


def test_payment_labels_references_and_verification() -> None:
    doc = make_doc(payments=(
        ReceiptPayment("transfer", 200_000, 200_000, 0, "TRF-9", False),
        ReceiptPayment("card", 200_000, 200_000, 0, "APPR-77", True),
        ReceiptPayment("qris", 164_950, 164_950, 0, "QR-1", True),
    ), change=0)
    els = receipt_elements(doc)
    start = els.index(Pair("TOTAL", "Rp564.950", bold=True, large=True)) + 1
    assert els[start:start + 7] == [
        Pair("Bank transfer", "Rp200.000"), Pair("  Ref.", "TRF-9"),
        Pair("Card (EDC)", "Rp200.000"), Pair("  Ref.", "APPR-77"),
        Pair("QRIS", "Rp164.950"), Pair("  Ref.", "QR-1"),
        Text("Prices include VAT (PPN) Rp15.856"),
    ]
    assert not [e for e in els if isinstance(e, Pair) and e.left == "Change"]


def test_no_tax_lines_when_there_is_no_tax() -> None:
    lines = tuple(dataclasses.replace(ln, tax=0, tax_mode="none") for ln in make_doc().lines)
    els = receipt_elements(make_doc(lines=lines, tax=0))
    texts = [getattr(e, "text", "") + getattr(e, "left", "") for e in els]
    assert not [t for t in texts if "VAT" in t]


EXPECTED_32 = [
    "Festival UMKM",
    "Kupang 2026",
    "Device KPG-01",
    "--------------------------------",
    "No.                KPG-01-000042",
    "Time       21/11/2026 19:30 WITA",
    "Cashier                   Yohana",
    "--------------------------------",
    "Kopi Arabika Flores Bajawa 250 g",
    "  2 x Rp85.000         Rp170.000",
    "  Discount             -Rp10.000",
    "Se'i Sapi 250 g",
    "  1 x Rp45.000          Rp45.000",
    "  VAT (PPN)              Rp4.950",
    "Haik Lontar",
    "  3 x Rp35.000         Rp105.000",
    "Selendang Tenun Amarasi",
    "  1 x Rp250.000        Rp250.000",
    "--------------------------------",
    "Subtotal               Rp570.000",
    "Discount               -Rp10.000",
    "VAT (PPN) added          Rp4.950",
    "TOTAL  Rp564.950",
    "QRIS                   Rp300.000",
    "  Ref.                  QR-88213",
    "Cash                   Rp300.000",
    "Change                  Rp35.050",
    "Prices include VAT (PPN)",
    "Rp15.856",
    "--------------------------------",
    "Made by inmates of Lapas Kelas",
    "IIB Ende",
    "Made by inmates of Lapas Kelas",
    "IIA Kupang",
    "Made by inmates of Lapas",
    "Perempuan Kelas III Kupang",
    "",
    "Terima kasih",
    "Sampai jumpa lagi",
]


def test_fixed_width_32_exact() -> None:
    assert [line for _el, line in fixed_width(receipt_elements(make_doc()), 32)] == EXPECTED_32


@pytest.mark.parametrize("columns", [32, 48])
def test_fixed_width_fits_and_right_aligns(columns: int) -> None:
    laid = fixed_width(receipt_elements(make_doc()), columns)
    for el, line in laid:
        large = isinstance(el, Text | Pair) and el.large
        assert len(line) <= (columns // 2 if large else columns), (el, line)
    # every pair's last line ends exactly at the last column with its right side
    last: dict[int, str] = {}
    for el, line in laid:
        if isinstance(el, Pair):
            last[id(el)] = line
    for el, _line in laid:
        if isinstance(el, Pair):
            width = columns // 2 if el.large else columns
            assert len(last[id(el)]) == width
            assert last[id(el)].endswith(" " + el.right)
    rules = [line for el, line in laid if isinstance(el, Rule)]
    assert rules == ["-" * columns] * 4
    large_lines = [line for el, line in laid if isinstance(el, Text) and el.large]
    assert large_lines == (["Festival UMKM", "Kupang 2026"] if columns == 32
                           else ["Festival UMKM Kupang", "2026"])
    total = [line for el, line in laid if isinstance(el, Pair) and el.left == "TOTAL"]
    assert total == (["TOTAL  Rp564.950"] if columns == 32
                     else ["TOTAL          Rp564.950"])


def test_fixed_width_48_keeps_pairs_on_one_line() -> None:
    laid = dict((line.split()[0] if line.strip() else "", line)
                for _el, line in fixed_width(receipt_elements(make_doc()), 48))
    assert laid["Time"] == "Time                       21/11/2026 19:30 WITA"
    assert laid["Subtotal"] == "Subtotal                               Rp570.000"
    assert laid["Prices"] == "Prices include VAT (PPN) Rp15.856"


def test_long_left_side_wraps_before_the_amount() -> None:
    el = Pair("Kain Hinggi Tenun Ikat Sumba Timur motif kuda", "Rp2.500.000")
    assert [line for _e, line in fixed_width([el], 32)] == [
        "Kain Hinggi Tenun",
        "Ikat Sumba Timur",
        "motif kuda           Rp2.500.000",
    ]


@settings(max_examples=300, deadline=None)
@given(st.text(), st.text(max_size=12), st.booleans(), st.sampled_from([32, 48]))
def test_fixed_width_never_exceeds_the_columns(left: str, right: str, large: bool,
                                               columns: int) -> None:
    for el, line in fixed_width([Text(left, large=large), Pair(left, right, large=large),
                                 Rule(), QR(left)], columns):
        assert len(line) <= (columns // 2 if large and not isinstance(el, Rule) else columns)


def test_ascii_fold_examples() -> None:
    assert ascii_fold("Café – ü “x” ×") == 'Cafe - u "x" x'
    assert ascii_fold("Se‘i Sapi — 2 × Rp85.000 • ok") == "Se'i Sapi - 2 x Rp85.000 * ok"
    assert ascii_fold("日本") == "??"
    assert ascii_fold("kopi 😀") == "kopi ?"
    assert ascii_fold("Rp1.250.000") == "Rp1.250.000"
    assert ascii_fold("a\ud800b") == "a?b"  # a lone surrogate (broken clipboard text)


@settings(max_examples=500, deadline=None)
@given(st.text(st.characters(codec=None, exclude_categories=())))
def test_ascii_fold_any_text_is_ascii_and_never_raises(text: str) -> None:
    folded = ascii_fold(text)
    assert folded.isascii()
    # never longer than the compatibility decomposition (which CAN be longer: ½ -> 1⁄2)
    assert len(folded) <= len(unicodedata.normalize("NFKD", text))
    assert ascii_fold(folded) == folded


@given(st.text(st.characters(min_codepoint=0x20, max_codepoint=0x7E)))
def test_ascii_fold_leaves_printable_ascii_alone(text: str) -> None:
    assert ascii_fold(text) == text


# --- Folding can lengthen text, so the printer path folds BEFORE the 32/48-column layout. ---

@pytest.mark.parametrize("name", [
    "Kain tenun ½ m, motif kuda Sumba",  # ½ folds to "1?2" (3 characters)
    "Tas anyaman lontar… edisi khusus",  # … folds to "..." (3 characters)
    "Kopi ﬁne robusta Flores 250 gram",  # ﬁ folds to "fi"
])
def test_folded_lines_still_fit_the_paper(name: str) -> None:
    """NFKD expansions (½ -> 1?2, … -> ...) must not overflow the roll: the ESC/POS path lays
    out fold_elements(...), so widths are measured on what is printed."""
    assert len(name) == 32
    printed = [line for _el, line in fixed_width(fold_elements([Text(name)]), 32)]
    assert all(len(line) <= 32 and line.isascii() for line in printed), printed
    assert len(printed) == 2  # it wrapped instead of running past the edge


def test_pair_never_cuts_off_its_right_side() -> None:
    """BUG: a right side wider than the line is cut to its last ``width`` characters."""
    ref = "BRI 0012 3456 7890 1234 ANDI SUSANTO"  # 36 characters: a long transfer reference
    lines = [line for _el, line in fixed_width([Pair("  Ref.", ref)], 32)]
    assert ref.replace(" ", "") in "".join(lines).replace(" ", "")
    total = "Rp123.456.789.000"  # TOTAL at double size on 58 mm has 16 columns
    lines = [line for _el, line in fixed_width([Pair("TOTAL", total, large=True)], 32)]
    assert total in "".join(line.strip() for line in lines), lines


@pytest.mark.parametrize("columns", [32, 48])
def test_a_large_total_never_breaks_the_word_total(columns: int) -> None:
    """Double-size text gets half the columns: at 58 mm "TOTAL" + "Rp1.005.000" (17) does not
    fit in 16, and must stack rather than print "TOTA" / "L"."""
    lines = [line for _el, line in
             fixed_width([Pair("TOTAL", "Rp1.005.000", bold=True, large=True)], columns)]
    width = columns // 2
    assert all(len(line) <= width for line in lines)
    assert lines[0].startswith("TOTAL")
    assert lines[-1].endswith("Rp1.005.000")
    if columns == 32:
        assert lines == ["TOTAL", "     Rp1.005.000"]
    else:
        assert lines == ["TOTAL" + " " * 8 + "Rp1.005.000"]  # 24 columns exactly


def test_the_buyers_receipt_does_not_doubt_an_unverified_qris_payment() -> None:
    doc = make_doc()  # QRIS not yet matched with the bank's statement
    assert [(p.method, p.verified) for p in doc.payments] == [("qris", False), ("cash", True)]
    lines = [line for _el, line in fixed_width(receipt_elements(doc), 32)]
    assert lines[lines.index("  Ref.                  QR-88213") + 1] == (
        "Cash                   Rp300.000")
    assert not [line for line in lines if "verification" in line]


def test_58mm_keeps_a_quantity_with_its_unit() -> None:
    # "...Amarasi 250" is exactly 32 characters: a plain wrap would leave "g" alone below.
    name = "Selendang Tenun Ikat Amarasi 250 g"
    assert [line for _el, line in fixed_width([Text(name)], 32)] == [
        "Selendang Tenun Ikat Amarasi", "250 g"]
    # Beside an amount the left side has 23 columns: "...Flores 1,5" would fit, "kg" not.
    pair = Pair("Kopi Bajawa Flores 1,5 kg", "Rp85.000")
    assert [line for _el, line in fixed_width([pair], 32)] == [
        "Kopi Bajawa Flores", "1,5 kg" + " " * 18 + "Rp85.000"]
    assert [line for _el, line in fixed_width([Text("Se'i Sapi 250 g")], 32)] == [
        "Se'i Sapi 250 g"]  # the space glued while wrapping is a plain space on paper
