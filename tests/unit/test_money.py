"""Integer rupiah: the one formatter, the one parser, the one rounding rule."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest

from pos_app.domain.errors import DomainError
from pos_app.domain.money import (
    MAX_AMOUNT,
    check_amount,
    format_number,
    format_percent,
    format_rupiah,
    parse_percent,
    parse_rupiah,
    round_half_up,
)


@pytest.mark.parametrize(
    ("amount", "text"),
    [
        (10_000, "Rp10.000"),
        (1_250_000, "Rp1.250.000"),
        (0, "Rp0"),
        (-1_250_000, "-Rp1.250.000"),
        (500, "Rp500"),
        (1_000, "Rp1.000"),
        (MAX_AMOUNT, "Rp1.000.000.000.000.000"),
    ],
)
def test_format_rupiah(amount: int, text: str) -> None:
    assert format_rupiah(amount) == text


@pytest.mark.parametrize("bad", [1.0, 10_000.0, Decimal("10000"), Fraction(1, 2), True, "10000"])
def test_format_rupiah_refuses_anything_but_int(bad: object) -> None:
    with pytest.raises(TypeError):
        format_rupiah(bad)  # type: ignore[arg-type]


def test_format_number_is_the_grouped_figure() -> None:
    assert format_number(1_250_000) == "1.250.000"
    assert format_number(999) == "999"


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("50000", 50_000),
        ("50.000", 50_000),
        ("Rp 50.000", 50_000),
        ("Rp50.000", 50_000),
        ("rp 50.000", 50_000),
        ("  1.250.000 ", 1_250_000),
        ("0", 0),
        ("Rp1.000.000.000.000.000", MAX_AMOUNT),
    ],
)
def test_parse_rupiah_accepts_what_a_cashier_types(text: str, amount: int) -> None:
    assert parse_rupiah(text) == amount


@pytest.mark.parametrize(
    "text", ["50,5", "abc", "-5", "", "Rp", "Rp -5", "5 0x", "50000-"]
)
def test_parse_rupiah_rejects_garbage_with_bad_amount(text: str) -> None:
    with pytest.raises(DomainError) as exc:
        parse_rupiah(text)
    assert exc.value.code == "bad_amount"
    assert exc.value.params["amount"] == text


def test_parse_rupiah_rejects_more_than_the_maximum() -> None:
    with pytest.raises(DomainError) as exc:
        parse_rupiah("1.000.000.000.000.001")
    assert exc.value.code == "bad_amount"


@pytest.mark.parametrize("text", ["50.5", "50000.0", "12.50", "5.0.0", "1.25.000", ".500"])
def test_parse_rupiah_rejects_decimals_and_misplaced_groups(text: str) -> None:
    # '.' is only a thousands separator: "50000.0" must not become Rp500.000 (ten times more)
    # and "50.5" must not become Rp505.
    with pytest.raises(DomainError) as exc:
        parse_rupiah(text)
    assert exc.value.code == "bad_amount"


@pytest.mark.parametrize("text", ["²", "5²", "½"])
def test_parse_rupiah_rejects_unicode_digit_lookalikes_as_domain_error(text: str) -> None:
    # str.isdigit() accepts '²' but int() does not: the cashier must get bad_amount, not a crash.
    with pytest.raises(DomainError) as exc:
        parse_rupiah(text)
    assert exc.value.code == "bad_amount"


@pytest.mark.parametrize("value", [50_000.0, 50_000.5])
def test_parse_rupiah_rejects_float_objects(value: float) -> None:
    with pytest.raises((TypeError, DomainError)):
        parse_rupiah(value)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("value", "rounded"),
    [
        (Fraction(5, 2), 3),
        (Fraction(-5, 2), -3),
        (Fraction(1, 2), 1),
        (Fraction(-1, 2), -1),
        (Fraction(3, 2), 2),
        (Fraction(7, 3), 2),
        (Fraction(8, 3), 3),
        (Fraction(-8, 3), -3),
        (Fraction(49, 100), 0),
        (Fraction(11, 2), 6),
        (4, 4),
        (0, 0),
    ],
)
def test_round_half_up(value: Fraction | int, rounded: int) -> None:
    result = round_half_up(value)
    assert result == rounded
    assert type(result) is int


@pytest.mark.parametrize("good", [0, 1, MAX_AMOUNT])
def test_check_amount_passes_whole_rupiah(good: int) -> None:
    assert check_amount(good) == good


@pytest.mark.parametrize("bad", [-1, MAX_AMOUNT + 1, 1.0, True, False, "5", None])
def test_check_amount_refuses(bad: object) -> None:
    with pytest.raises(DomainError) as exc:
        check_amount(bad)
    assert exc.value.code == "bad_amount"
    assert exc.value.params["max"] == "Rp1.000.000.000.000.000"


def test_check_amount_uses_the_given_code() -> None:
    with pytest.raises(DomainError) as exc:
        check_amount(-1, code="bad_price")
    assert exc.value.code == "bad_price"


@pytest.mark.parametrize(
    ("text", "value"),
    [("12.5", Fraction(25, 2)), ("12,5", Fraction(25, 2)), ("10", Fraction(10)), (0, Fraction(0)),
     (100, Fraction(100)), (Fraction(1, 3), Fraction(1, 3)), (" 7 ", Fraction(7))],
)
def test_parse_percent(text: object, value: Fraction) -> None:
    assert parse_percent(text) == value


@pytest.mark.parametrize("bad", ["101", "-1", "abc", "", "1/0"])
def test_parse_percent_refuses(bad: str) -> None:
    with pytest.raises(DomainError) as exc:
        parse_percent(bad)
    assert exc.value.code == "bad_percent"


def test_domain_error_message_fills_its_template() -> None:
    err = DomainError("payment_short", short=format_rupiah(35_000))
    assert err.code == "payment_short"
    assert err.message() == "Payment is short by Rp35.000"
    assert str(err) == "Payment is short by Rp35.000"
    assert err.message(lambda _msgid: "Pembayaran kurang {short}") == "Pembayaran kurang Rp35.000"


def test_domain_error_refuses_unregistered_codes() -> None:
    with pytest.raises(KeyError):
        DomainError("no_such_code")


@pytest.mark.parametrize(("value", "kwargs", "text"), [
    (4250, {}, "42,5 %"), (3333, {}, "33,33 %"), (10_000, {}, "100 %"), (0, {}, "0 %"),
    (500, {}, "5 %"), (-1250, {}, "-12,5 %"), (Fraction(85, 2), {"basis_points": False}, "42,5 %"),
    (Fraction(200, 3), {"basis_points": False}, "66,67 %"),  # rounded half up, 2 decimals
    (1_234_567, {}, "12.345,67 %"), (4250, {"locale": "en"}, "42.5 %"),
])
def test_format_percent_is_indonesian_by_default(value, kwargs, text: str) -> None:
    assert format_percent(value, **kwargs) == text


def test_format_number_keeps_asked_decimals_after_a_comma() -> None:
    assert format_number(Decimal("400400.35"), decimals=4) == "400.400,35"
    assert format_number(Decimal("61835.375"), decimals=4) == "61.835,375"
