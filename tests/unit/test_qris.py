"""The QRIS module (issue 18 items 1-2): published payloads and our own, refusals with one
reason each, the per-sale payload checked with a TLV walker and a CRC written here (bit by
bit, not binascii), and property tests over every amount."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pos_app.domain import qris
from pos_app.domain.errors import DomainError

# Published examples: a charity's static QRIS shown in a public QRIS parser's API docs, and a
# static QRIS used in an open-source Java QRIS parser's tests.
BAZNAS = ("00020101021126550016ID.CO.SHOPEE.WWW01189360091800000000180202180303UBE51440014ID."
          "CO.QRIS.WWW0215ID20190022915550303UBE5204839853033605802ID5906Baznas6013Jakarta Pu"
          "sat61051034062070703A016304A402")
AHASS = ("00020101021126640018ID.CO.ASTRAPAY.WWW011893600822321000024002092100002400303UBE514"
         "40014ID.CO.QRIS.WWW0215ID20210662463920303UBE5204581253033605802ID5915AHASS TDM Nata"
         "r6007Jakarta61054433562080704AP0163042702")


def crc(text: str) -> str:
    """CRC-16/CCITT-FALSE (poly 0x1021, init 0xFFFF, no reflection), bit by bit."""
    value = 0xFFFF
    for byte in text.encode("ascii"):
        value ^= byte << 8
        for _ in range(8):
            value = ((value << 1) ^ 0x1021) if value & 0x8000 else value << 1
            value &= 0xFFFF
    return f"{value:04X}"


def tlv(text: str) -> list[tuple[str, str]]:
    """The root tags in order, as (tag, value): two digits of tag, two of length."""
    out, i = [], 0
    while i < len(text):
        tag, size = text[i:i + 2], int(text[i + 2:i + 4])
        out.append((tag, text[i + 4:i + 4 + size]))
        i += 4 + size
    assert i == len(text)
    return out


def sealed(body: str) -> str:
    """``body`` (everything before tag 63) with its CRC."""
    return body + "6304" + crc(body + "6304")


def field(tag: str, value: str) -> str:
    return f"{tag}{len(value):02d}{value}"


MERCHANT_51 = field("51", field("00", "ID.CO.QRIS.WWW") + field("02", "ID1020012345678")
                    + field("03", "UMI"))


def ours(name: str = "KOPERASI LAPAS ENDE", *, extra: str = "") -> str:
    """A static payload of our own: a booth in Ende, NTT."""
    return sealed(field("00", "01") + field("01", "11") + MERCHANT_51 + field("52", "5499")
                  + field("53", "360") + extra + field("58", "ID") + field("59", name)
                  + field("60", "ENDE") + field("61", "86312"))


def test_the_crc_written_here_agrees_with_the_published_examples() -> None:
    for payload in (BAZNAS, AHASS):
        assert crc(payload[:-4]) == payload[-4:]


@pytest.mark.parametrize("payload, merchant, city, nmid", [
    (BAZNAS, "Baznas", "Jakarta Pusat", "ID2019002291555"),
    (AHASS, "AHASS TDM Natar", "Jakarta", "ID2021066246392"),
    (ours(), "KOPERASI LAPAS ENDE", "ENDE", "ID1020012345678"),
])
def test_published_and_own_static_payloads_are_read(payload, merchant, city, nmid) -> None:
    got = qris.check_static(f"  {payload}\n")
    assert (got.payload, got.merchant, got.city, got.nmid) == (payload, merchant, city, nmid)


@pytest.mark.parametrize("payload", [BAZNAS, AHASS, ours()])
def test_the_per_sale_payload_differs_only_in_tags_01_54_and_63(payload) -> None:
    made = qris.with_amount(payload, 85_000)
    before, after = tlv(payload), tlv(made)
    assert dict(after)["01"] == "12" and dict(after)["54"] == "85000"
    assert [t for t in after if t[0] not in ("01", "54", "63")] == \
        [t for t in before if t[0] not in ("01", "54", "63")]
    tags = [t for t, _ in after]
    assert tags.index("53") < tags.index("54") < tags.index("58") and tags[-1] == "63"
    assert made[-8:-4] == "6304" and made[-4:] == crc(made[:-4])
    assert qris.amount_in(made) == 85_000


def test_a_crc_below_0x1000_keeps_its_leading_zeros() -> None:
    found = []
    for n in range(1, 5000):
        made = qris.with_amount(ours(), n)
        if made[-4:].startswith("0"):
            found.append(made)
            assert len(made[-4:]) == 4 and made[-4:] == crc(made[:-4])
            assert qris.amount_in(made) == n
    assert len(found) >= 5  # about 1 in 16 starts with 0: the test did see some


def test_a_merchant_name_holding_6304_or_5802id_is_read_by_its_tags() -> None:
    tricky = ours("TOKO 6304 5802ID 010211")
    got = qris.check_static(tricky)
    assert got.merchant == "TOKO 6304 5802ID 010211"
    made = qris.with_amount(tricky, 1_500_000)
    assert dict(tlv(made))["59"] == "TOKO 6304 5802ID 010211"
    assert dict(tlv(made))["54"] == "1500000" and made[-4:] == crc(made[:-4])


def test_old_tags_54_to_57_of_the_static_payload_are_removed() -> None:
    # a sticker printed with tip tags (55, 56): the per-sale payload drops them
    with_tip = ours(extra=field("55", "02") + field("56", "1000"))
    made = qris.with_amount(with_tip, 20_000)
    assert "55" not in dict(tlv(made)) and "56" not in dict(tlv(made))
    assert dict(tlv(made))["54"] == "20000"


def refusal(payload: str) -> str:
    with pytest.raises(DomainError) as caught:
        qris.check_static(payload)
    assert caught.value.code == "qris_bad_payload"
    return caught.value.message()


@pytest.mark.parametrize("payload, says", [
    (ours()[:-4] + ("0000" if ours()[-4:] != "0000" else "FFFF"), "checksum (CRC, tag 63)"),
    (ours()[:-1], "not the text of a payment QR code"),  # a character lost at the end
    ("hello", "not the text of a payment QR code"),
    ("", "not the text of a payment QR code"),
    (sealed(field("00", "01") + field("01", "11") + MERCHANT_51 + field("52", "5499")
            + field("58", "ID") + field("59", "A") + field("60", "ENDE")),
     "currency (tag 53) is missing"),
    (sealed(field("00", "01") + field("01", "11") + MERCHANT_51 + field("52", "5499")
            + field("53", "840") + field("58", "ID") + field("59", "A") + field("60", "ENDE")),
     "not rupiah (360)"),
    (sealed(field("00", "01") + field("01", "11") + MERCHANT_51 + field("52", "5499")
            + field("53", "360") + field("58", "SG") + field("59", "A") + field("60", "X")),
     "not Indonesia (ID)"),
    (sealed(field("00", "01") + field("01", "11") + field("26", field("00", "ID.DANA.WWW"))
            + field("52", "5499") + field("53", "360") + field("58", "ID") + field("59", "A")
            + field("60", "ENDE")), "no QRIS merchant account with an NMID (tag 51)"),
    (qris.with_amount(ours(), 10_000), "dynamic, tag 01 = 12"),
    (ours() + "\x00", "characters a QRIS cannot carry"),
    (ours().replace("ENDE", "ÉNDE"), "characters a QRIS cannot carry"),
    ("0002010102" + "9" * 600, "longer than a QRIS can be"),
])
def test_bad_payloads_are_refused_with_one_reason(payload, says) -> None:
    message = refusal(payload)
    assert says in message and message.startswith("This QRIS cannot be used: ")
    assert "\n" not in message


@pytest.mark.parametrize("amount", [0, -1, 10 ** 13, True, "85000"])
def test_amounts_out_of_range_are_refused(amount) -> None:
    with pytest.raises(DomainError) as caught:
        qris.with_amount(ours(), amount)
    assert caught.value.code == "qris_amount_range"


@given(st.integers(min_value=1, max_value=10 ** 13 - 1), st.sampled_from([BAZNAS, AHASS]))
def test_any_amount_parses_carries_exactly_it_and_changes_only_01_54_63(amount, payload):
    made = qris.with_amount(payload, amount)
    assert qris.amount_in(made) == amount
    assert made[-4:] == crc(made[:-4])
    before, after = tlv(payload), tlv(made)
    assert [t for t in after if t[0] not in ("01", "54", "63")] == \
        [t for t in before if t[0] not in ("01", "54", "63")]
    assert dict(after)["54"] == str(amount)
