"""Per-device sale numbers such as KPG-01-000123."""

from __future__ import annotations

import pytest

from pos_app.domain.errors import DomainError
from pos_app.domain.numbering import check_device_code, parse_sale_number, sale_number


@pytest.mark.parametrize(
    ("device", "seq", "number"),
    [
        ("KPG-01", 123, "KPG-01-000123"),
        ("KPG-01", 1, "KPG-01-000001"),
        ("KPG-01", 999_999, "KPG-01-999999"),
        ("KPG-01", 1_000_000, "KPG-01-1000000"),
        ("POS", 42, "POS-000042"),
        ("KUPANG01-A1B2", 7, "KUPANG01-A1B2-000007"),
    ],
)
def test_sale_number_and_round_trip(device: str, seq: int, number: str) -> None:
    assert sale_number(device, seq) == number
    assert parse_sale_number(number) == (device, seq)


@pytest.mark.parametrize("seq", [0, -1])
def test_sale_sequence_starts_at_one(seq: int) -> None:
    with pytest.raises(ValueError):
        sale_number("KPG-01", seq)


def test_parse_is_forgiving_about_case_and_spaces() -> None:
    assert parse_sale_number("  kpg-01-000123 ") == ("KPG-01", 123)


@pytest.mark.parametrize(
    "text",
    ["KPG-01-123", "KPG-01", "", "KPG-01-00012X", "K-01-000001", "KPG_01-000001",
     "KPG-01-000001-", "KPG 01-000001", "-000001", "KPG-01--000001"],
)
def test_bad_sale_numbers(text: str) -> None:
    with pytest.raises(DomainError) as exc:
        parse_sale_number(text)
    assert exc.value.code == "bad_sale_number"
    assert exc.value.params == {"number": text}
    assert exc.value.message() == f"Not a sale number: {text}"


def test_check_device_code() -> None:
    assert check_device_code(" kpg-01 ") == "KPG-01"
    assert check_device_code("POS") == "POS"


@pytest.mark.parametrize("bad", ["K", "KPG 01", "KPG-01-02", "TOOLONGCODE", "KPG-12345", ""])
def test_check_device_code_refuses(bad: str) -> None:
    with pytest.raises(DomainError) as exc:
        check_device_code(bad)
    assert exc.value.code == "bad_sale_number"
