"""Tenders and change: cash, QRIS, transfer, card and splits."""

from __future__ import annotations

import pytest

from pos_app.domain.errors import DomainError
from pos_app.domain.money import MAX_AMOUNT
from pos_app.domain.tenders import AppliedPayment, Method, Settlement, Tender, quick_tenders, settle

CASH, QRIS, TRANSFER, CARD = Method.CASH, Method.QRIS, Method.TRANSFER, Method.CARD


def test_exact_cash() -> None:
    assert settle(85_000, [Tender(CASH, 85_000)]) == Settlement(
        (AppliedPayment(CASH, 85_000, 85_000, 0, None, True),), 85_000, 0)


def test_cash_with_change() -> None:
    s = settle(170_000, [Tender(CASH, 200_000)])
    assert s == Settlement((AppliedPayment(CASH, 170_000, 200_000, 30_000, None, True),),
                           200_000, 30_000)


def test_split_qris_and_cash() -> None:
    s = settle(219_950, [Tender(QRIS, 200_000, " QR-123 "), Tender(CASH, 50_000)])
    assert s.payments == (
        AppliedPayment(QRIS, 200_000, 200_000, 0, "QR-123", False),
        AppliedPayment(CASH, 19_950, 50_000, 30_050, None, True),
    )
    assert (s.tendered, s.change) == (250_000, 30_050)


@pytest.mark.parametrize(("method", "verified"), [(CASH, True), (QRIS, False),
                                                  (TRANSFER, False), (CARD, True)])
def test_verified_on_receipt(method: Method, verified: bool) -> None:
    s = settle(10_000, [Tender(method, 10_000, "REF-1")])
    assert s.payments[0].verified is verified
    assert method.verified_on_receipt is verified


@pytest.mark.parametrize("ref", [None, "", "   "])
def test_card_needs_a_reference(ref: str | None) -> None:
    with pytest.raises(DomainError) as exc:
        settle(10_000, [Tender(CARD, 10_000, ref)])
    assert exc.value.code == "reference_required"
    assert exc.value.params == {"method": "card"}
    assert exc.value.message() == "card needs a reference (approval code)"


def test_card_reference_is_kept_stripped() -> None:
    s = settle(276_000, [Tender(CARD, 276_000, " APR-77 ")])
    assert s.payments == (AppliedPayment(CARD, 276_000, 276_000, 0, "APR-77", True),)


def test_blank_reference_becomes_none() -> None:
    s = settle(10_000, [Tender(QRIS, 10_000, "  ")])
    assert s.payments[0].reference is None


@pytest.mark.parametrize(
    ("tenders", "method", "over"),
    [
        ([Tender(QRIS, 150_000)], "qris", "Rp50.000"),
        ([Tender(CARD, 100_001, "A1")], "card", "Rp1"),
        ([Tender(QRIS, 60_000), Tender(TRANSFER, 50_000)], "qris", "Rp10.000"),
        ([Tender(CASH, 20_000), Tender(TRANSFER, 100_500)], "transfer", "Rp500"),
    ],
)
def test_noncash_cannot_exceed_the_total(tenders, method: str, over: str) -> None:
    with pytest.raises(DomainError) as exc:
        settle(100_000, tenders)
    assert exc.value.code == "overpaid_noncash"
    assert exc.value.params == {"method": method, "over": over}


@pytest.mark.parametrize(
    ("tenders", "short"),
    [
        ([Tender(CASH, 50_000)], "Rp35.000"),
        ([], "Rp85.000"),
        ([Tender(QRIS, 80_000), Tender(CASH, 4_999)], "Rp1"),
    ],
)
def test_short_payment(tenders, short: str) -> None:
    with pytest.raises(DomainError) as exc:
        settle(85_000, tenders)
    assert exc.value.code == "payment_short"
    assert exc.value.params == {"short": short}
    assert exc.value.message() == f"Payment is short by {short}"


@pytest.mark.parametrize("amount", [-1, 1.5, True, MAX_AMOUNT + 1])
def test_bad_tender_amounts(amount: object) -> None:
    with pytest.raises(DomainError) as exc:
        settle(1_000, [Tender(CASH, amount)])  # type: ignore[arg-type]
    assert exc.value.code == "bad_amount"


def test_a_tender_of_nothing_says_from_1() -> None:
    """A payment of Rp0 is refused saying the amount starts at 1 (never "from 0 ...: 0")."""
    with pytest.raises(DomainError) as exc:
        settle(1_000, [Tender(CASH, 0)])
    assert exc.value.code == "bad_positive_amount"
    assert "from 1 to" in exc.value.message()


def test_method_must_be_a_method() -> None:
    with pytest.raises(DomainError) as exc:
        settle(1_000, [Tender("cash", 1_000)])  # type: ignore[arg-type]
    assert exc.value.code == "unknown_method"


def test_tendered_overflow() -> None:
    with pytest.raises(DomainError) as exc:
        settle(10, [Tender(CASH, MAX_AMOUNT), Tender(CASH, MAX_AMOUNT)])
    assert exc.value.code == "amount_overflow"


def test_bad_total() -> None:
    with pytest.raises(DomainError) as exc:
        settle(-1, [Tender(CASH, 1)])
    assert exc.value.code == "bad_amount"


def test_change_comes_from_the_last_cash_tender() -> None:
    s = settle(60_000, [Tender(CASH, 50_000), Tender(QRIS, 30_000), Tender(CASH, 20_000)])
    assert [(p.method, p.amount, p.tendered, p.change) for p in s.payments] == [
        (CASH, 30_000, 50_000, 20_000),
        (QRIS, 30_000, 30_000, 0),
        (CASH, 0, 20_000, 20_000),
    ]
    assert (s.tendered, s.change) == (100_000, 40_000)


def test_change_from_last_cash_only_when_it_covers() -> None:
    s = settle(102_000, [Tender(CASH, 100_000), Tender(CASH, 5_000)])
    assert [(p.amount, p.tendered, p.change) for p in s.payments] == [
        (100_000, 100_000, 0), (2_000, 5_000, 3_000)]
    assert s.change == 3_000


def test_zero_total_needs_no_tender() -> None:
    assert settle(0, []) == Settlement((), 0, 0)


@pytest.mark.parametrize(("text", "method"), [("cash", CASH), (" QRIS ", QRIS),
                                              ("Transfer", TRANSFER), ("card", CARD)])
def test_method_parse(text: str, method: Method) -> None:
    assert Method.parse(text) is method


def test_method_parse_unknown() -> None:
    with pytest.raises(DomainError) as exc:
        Method.parse("bitcoin")
    assert exc.value.code == "unknown_method"
    assert exc.value.message() == "Unknown payment method: bitcoin"


@pytest.mark.parametrize(
    ("total", "options"),
    [
        (170_000, [170_000, 180_000, 200_000]),
        (15_000, [15_000, 20_000, 50_000, 100_000]),
        (219_950, [219_950, 220_000, 250_000, 300_000]),
        (100_000, [100_000]),
        (0, [0, 20_000, 50_000, 100_000]),
        (1, [1, 20_000, 50_000, 100_000]),
    ],
)
def test_quick_tenders(total: int, options: list[int]) -> None:
    assert quick_tenders(total) == options


def test_quick_tenders_with_other_notes() -> None:
    assert quick_tenders(12_500, notes=(5_000, 10_000)) == [12_500, 15_000, 20_000]
