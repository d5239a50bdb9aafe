"""The one check of text at entry (``pos_app.domain.text``): control characters refused
(a line break only where the field has several lines), the central column's length kept."""

from __future__ import annotations

import pytest

from pos_app.domain.errors import DomainError
from pos_app.domain.tenders import REFERENCE_MAX, Method, Tender, check_reference, settle
from pos_app.domain.text import PRODUCT_NAME, check_text, has_control
from pos_app.i18n import load


@pytest.mark.parametrize("bad", ["Kopi\x00", "a\tb", "a\nb", "a\rb", "\x1b[2J", "x\x7f",
                                 "a\u2028b", "a\u2029b", "\u202egnp.exe", "a\u2066b",
                                 "\ud800", "\x85"])
def test_control_characters_are_refused(bad: str) -> None:
    assert has_control(bad)
    with pytest.raises(DomainError) as e:
        check_text(bad, PRODUCT_NAME, 160)
    assert e.value.code == "text_control_char"
    assert str(e.value) == '"Product name" may not hold control characters (such as NUL or a tab)'


@pytest.mark.parametrize("good", ["Kopi Arabika Flores", "Se'i Sapi 250 g", "Tenun ikat — "
                                  "motif Sumba", "咖啡", "Kopi 🌶", "", "a\u00a0b"])
def test_ordinary_text_passes_as_given(good: str) -> None:
    assert not has_control(good)
    assert check_text(good, PRODUCT_NAME, 160) == good


def test_a_line_break_only_where_the_field_has_lines() -> None:
    assert check_text("Terima kasih\nSampai jumpa", PRODUCT_NAME, 80, multiline=True)
    with pytest.raises(DomainError):
        check_text("Terima kasih\x00", PRODUCT_NAME, 80, multiline=True)
    with pytest.raises(DomainError):
        check_text("Terima\tkasih", PRODUCT_NAME, 80, multiline=True)


def test_the_length_is_the_limit_given() -> None:
    assert check_text("x" * 160, PRODUCT_NAME, 160) == "x" * 160
    with pytest.raises(DomainError) as e:
        check_text("x" * 161, PRODUCT_NAME, 160)
    assert e.value.code == "text_too_long" and e.value.params["max"] == 160
    assert str(e.value) == '"Product name" is at most 160 characters'


def test_the_refusals_read_in_indonesian() -> None:
    _ = load("id").gettext
    with pytest.raises(DomainError) as e:
        check_text("a\x00", PRODUCT_NAME, 10)
    assert e.value.message(_) == ('"Nama produk" tidak boleh berisi karakter kendali (seperti '
                                  'NUL atau tab)')
    with pytest.raises(DomainError) as e:
        check_reference("R" * 65)
    assert e.value.message(_) == '"Referensi pembayaran" paling banyak 64 karakter'


def test_a_payment_reference_is_checked_when_settled() -> None:
    assert REFERENCE_MAX == 64
    assert check_reference("  QR-88 ") == "QR-88" and check_reference("  ") is None
    assert settle(10_000, [Tender(Method.QRIS, 10_000, "R" * 64)]).payments[0].reference \
        == "R" * 64
    for bad in ("R" * 65, "QR\x0088"):
        with pytest.raises(DomainError) as e:
            settle(10_000, [Tender(Method.QRIS, 10_000, bad)])
        assert e.value.code in ("text_too_long", "text_control_char")
