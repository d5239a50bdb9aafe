"""Between customers the display shows the facilities and their goods (issue 18 item 4): the
showcase read, and the coordinator's short text per facility (the ``facility_texts``
setting: the facility table has no column for it)."""

from __future__ import annotations

import pytest

from pos_app.domain.errors import DomainError
from pos_app.services.catalog import catalog
from pos_app.services.catalog.showcase import (
    FACILITY_TEXT_MOST,
    facility_texts,
    parse_texts,
    set_facility_texts,
    showcase,
)
from pos_app.services.setup.booth import Booth
from tests.gui.cashier import journal


def test_every_facility_with_goods_with_some_of_them(booth: Booth) -> None:
    shown = showcase(booth, per_facility=3)
    names = [f.name for f in shown]
    assert names == sorted(names)
    ende = next(f for f in shown if f.code == "LP-END")
    assert ende.name == "Lapas Kelas IIB Ende" and ende.region == "Ende"
    assert 1 <= len(ende.products) <= 3 and ende.product_count >= len(ende.products)
    assert [p.name for p in ende.products] == sorted(p.name for p in ende.products)
    assert all(p.price > 0 and p.photo is None for f in shown for p in f.products)
    assert ende.text == ""


def test_the_coordinator_writes_a_text_per_facility(booth: Booth) -> None:
    kept = set_facility_texts(booth, {"LP-END": "  Kopi dan tenun\n dari Ende.  "},
                              actor="Maria", role="coordinator")
    assert kept == {"LP-END": "Kopi dan tenun dari Ende."}
    set_facility_texts(booth, {"RT-RTG": "Kopi Manggarai."}, actor="Maria", role="coordinator")
    assert facility_texts(booth) == {"LP-END": "Kopi dan tenun dari Ende.",
                                     "RT-RTG": "Kopi Manggarai."}
    assert next(f for f in showcase(booth) if f.code == "LP-END").text == \
        "Kopi dan tenun dari Ende."
    set_facility_texts(booth, {"LP-END": ""}, actor="Maria", role="coordinator")  # removed
    assert facility_texts(booth) == {"RT-RTG": "Kopi Manggarai."}
    changes = [e for e in journal(booth, "setting") if e.subject_id == "facility_texts"]
    assert [e.actor for e in changes] == ["Maria"] * 3  # each change journaled, by whom


def test_texts_are_checked(booth: Booth) -> None:
    with pytest.raises(DomainError) as err:
        set_facility_texts(booth, {"NOPE": "x"}, actor="Maria", role="coordinator")
    assert err.value.code == "unknown_facility_code"
    with pytest.raises(DomainError) as err:
        set_facility_texts(booth, {"LP-END": "x" * (FACILITY_TEXT_MOST + 1)}, actor="Maria",
                           role="coordinator")
    assert err.value.code == "bad_setting"
    with pytest.raises(DomainError) as err:
        set_facility_texts(booth, {"LP-END": "x"}, actor="Kasir", role="cashier")
    assert err.value.code == "setting_not_allowed"
    assert facility_texts(booth) == {}


def test_a_hand_edited_value_reads_leniently() -> None:
    assert parse_texts("not json") == {}
    assert parse_texts("[1, 2]") == {}
    assert parse_texts('{"A": " x ", "B": 3, "C": ""}') == {"A": "x"}


def test_products_with_a_photo_come_first_with_their_picture(booth: Booth, tmp_path) -> None:
    from PIL import Image

    from pos_app.services.catalog.photos import set_photo

    ende = next(f for f in showcase(booth, per_facility=50) if f.code == "LP-END")
    last = ende.products[-1].name  # by name, the last of Ende's goods
    sku = next(r.sku for r in catalog.products(booth, limit=500) if r.name == last)
    Image.new("RGB", (400, 300), (180, 90, 40)).save(tmp_path / "kopi.png")
    set_photo(booth, sku, tmp_path / "kopi.png", actor="Maria", actor_role="coordinator")
    first = next(f for f in showcase(booth, per_facility=2) if f.code == "LP-END").products
    assert first[0].name == last and first[0].photo is not None
    assert first[0].photo[:3] in (b"\x89PN", b"\xff\xd8\xff")  # a PNG or a JPEG
    assert first[1].photo is None
