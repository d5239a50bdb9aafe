"""The shared catalog against a real PostgreSQL: changes go up as versions, the current
catalog comes down by revision, a booth's change to a shared row is a proposal that reaches
the other booths only when head office accepts it (central migration ``c0009``), a product a
booth makes reaches the booths of its event at once, and recorded sales never change."""

from __future__ import annotations

import uuid
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import select

from pos_app.domain.ids import catalog_id
from pos_app.domain.settlement import Shares
from pos_app.persistence.models import Category, Facility, Outbox, Product, SaleLine
from pos_app.services.catalog.catalog_edit import create_product
from pos_app.services.catalog.catalog_import import import_catalog
from pos_app.services.setup.booth import Booth
from pos_app.services.shift.settlement import set_shares
from pos_app.services.sync.sync_status import run_sync
from tests.central.test_push import make_sales

KOPI = "KOP-001"  # Kopi Arabika Flores Bajawa 250 g, Rp85.000, LP-END, kopi


def sync(b: Booth, connect):
    return run_sync(b, connect=connect).catalog


def set_price(b: Booth, sku: str, price: int, tmp_path: Path) -> None:
    """A price change the way a coordinator makes one: a catalog file of one row."""
    with b.db.read() as s:
        p = s.execute(select(Product).where(Product.sku == sku)).scalar_one()
        cat = s.get(Category, p.category_id).code
        fac = s.get(Facility, p.facility_id).code
    f = tmp_path / f"price-{uuid.uuid4().hex[:6]}.csv"
    f.write_text(f"sku,name,category,facility,price\n{sku},{p.name},{cat},{fac},{price}\n")
    import_catalog(b, f)


def product(b: Booth, sku: str) -> Product:
    with b.db.read() as s:
        return s.execute(select(Product).where(Product.sku == sku)).scalar_one()


def central_rows(url: str, sql: str, *params) -> list[tuple]:
    with psycopg.connect(url, autocommit=True) as conn:
        return conn.execute(sql, params).fetchall()


def catalog_of(b: Booth) -> dict:
    """The catalog as a customer and a settlement see it, by id."""
    with b.db.read() as s:
        return {
            "facility": {r.id: (r.code, r.name, r.kind, r.pnbp_bp, r.premi_bp, r.modal_bp,
                                r.program_bp, r.revision) for r in s.scalars(select(Facility))},
            "category": {r.id: (r.code, r.name, r.sort, r.revision)
                         for r in s.scalars(select(Category))},
            "product": {r.id: (r.sku, r.barcode, r.name, r.price, r.tax_mode, r.active,
                               r.category_id, r.facility_id, r.revision)
                        for r in s.scalars(select(Product))},
        }


def test_catalog_ids_are_the_same_on_every_booth(booth, other) -> None:
    b = other()
    assert catalog_of(b) == catalog_of(booth)  # two demo booths, two devices, one catalog
    assert product(booth, KOPI).id == catalog_id("product", KOPI)
    assert b.context.device_id != booth.context.device_id


def test_a_new_booth_pulls_the_whole_catalog_with_settlement_percentages(
        booth, other, enroll, central_url) -> None:
    first = sync(booth, enroll(booth))
    local = catalog_of(booth)
    assert first.sent == sum(len(v) for v in local.values())
    assert central_rows(central_url, "SELECT count(*) FROM product") == [
        (len(local["product"]),)]
    with booth.db.read() as s:  # every catalog change of the booth is sent
        assert s.execute(select(Outbox.state).where(Outbox.table_name.in_(
            ("facility", "category", "product")))).scalars().all() == \
            ["sent"] * first.sent

    fresh = other("KPG-03", demo=False)
    assert catalog_of(fresh)["product"] == {}
    connect = enroll(fresh)
    got = sync(fresh, connect)
    assert got.added == first.sent and got.updated == 0 and got.conflicts == []
    assert catalog_of(fresh) == local  # prices, facilities, percentages (4000 = 40 %)
    assert catalog_of(fresh)["facility"][catalog_id("facility", "LP-KPG")][3:7] == \
        (4000, 3500, 2000, 500)

    again = sync(fresh, connect)
    assert (again.sent, again.added, again.updated, again.superseded) == (0, 0, 0, 0)


def waiting_numbers(url: str, device_code: str) -> list[int]:
    """The proposals of ``device_code`` head office has not decided, oldest first."""
    from pos_app.services.sync import catalog_authority

    return [v.number for v in catalog_authority.versions(url, proposed=True)
            if v.device_code == device_code]


def accept_all(url: str, device_code: str) -> None:
    from pos_app.services.sync import catalog_authority

    assert catalog_authority.accept(url, waiting_numbers(url, device_code))


def test_a_price_change_comes_down_once_accepted_and_recorded_sales_never_change(
        booth, till_shift, other, enroll, central_url, tmp_path) -> None:
    a_connect = enroll(booth)
    b = other()
    b_connect = enroll(b)
    make_sales(booth, till_shift, 6)  # sold at the old prices
    with booth.db.read() as s:
        lines_before = s.execute(select(SaleLine.id, SaleLine.name, SaleLine.unit_price,
                                        SaleLine.total, SaleLine.facility_id)).all()
    sync(booth, a_connect)
    sync(b, b_connect)

    old = product(b, KOPI)
    set_price(b, KOPI, 90_000, tmp_path)  # applies on B at once ...
    up = sync(b, b_connect)
    assert up.sent == 1 and up.superseded == 0 and up.waiting == 1
    assert product(b, KOPI).price == 90_000  # ... and stays there while head office decides
    assert central_rows(central_url, "SELECT price, revision FROM product WHERE sku = %s",
                        KOPI) == [(85_000, old.revision)]  # ... a proposal only
    assert sync(booth, a_connect).updated == 0 and product(booth, KOPI).price == 85_000

    accept_all(central_url, "KPG-02")
    down = sync(booth, a_connect)
    assert (down.added, down.updated, down.superseded) == (0, 1, 0)
    assert product(booth, KOPI).price == 90_000
    assert sync(b, b_connect).waiting == 0  # B gets head office's row (a new revision)
    assert product(b, KOPI).revision == product(booth, KOPI).revision > old.revision + 1
    with booth.db.read() as s:
        assert s.execute(select(SaleLine.id, SaleLine.name, SaleLine.unit_price,
                                SaleLine.total, SaleLine.facility_id)).all() == lines_before
    assert catalog_of(booth) == catalog_of(b)


def test_a_booths_settlement_percentages_never_reach_head_office(
        booth, other, enroll, central_url) -> None:
    a_connect = enroll(booth)
    b = other()
    b_connect = enroll(b)
    sync(booth, a_connect)
    sync(b, b_connect)
    set_shares(b, "LP-END", Shares(5000, 3000, 1500, 500), actor="Maria",
               actor_role="coordinator")
    up = sync(b, b_connect)
    assert [(t, rid) for t, rid, _ in up.quarantined] == [
        ("facility", catalog_id("facility", "LP-END"))]
    assert "settlement shares" in up.quarantined[0][2]
    sync(booth, a_connect)
    with booth.db.read() as s:
        fac = s.get(Facility, catalog_id("facility", "LP-END"))
        assert (fac.pnbp_bp, fac.premi_bp, fac.modal_bp, fac.program_bp) != (5000, 3000,
                                                                             1500, 500)
    assert central_rows(central_url, "SELECT pnbp_bp FROM facility WHERE code = 'LP-END'") \
        == [(fac.pnbp_bp,)]


def test_a_product_created_on_the_spot_goes_up_and_reaches_the_other_booths(
        booth, other, enroll, central_url) -> None:
    a_connect = enroll(booth)
    b = other()
    b_connect = enroll(b)
    sync(booth, a_connect)
    made = create_product(b, name="Lukisan Sasando 40x60", facility_code="LP-KPG",
                          category_code="kopi", price=750_000, actor="Maria",
                          actor_role="coordinator")
    assert "KPG02" in made.sku  # a SKU of this device: no other booth makes it
    assert sync(b, b_connect).sent >= 1
    assert central_rows(central_url, "SELECT name, price, device_id FROM product"
                        " WHERE id = %s", made.id) == [
        ("Lukisan Sasando 40x60", 750_000, b.context.device_id)]
    got = sync(booth, a_connect)
    assert got.added == 1
    assert product(booth, made.sku).price == 750_000
    assert catalog_of(booth) == catalog_of(b)


def test_concurrent_edits_wait_for_head_office_which_picks_one(
        booth, other, enroll, central_url, tmp_path) -> None:
    a_connect = enroll(booth)
    b = other()
    b_connect = enroll(b)
    sync(booth, a_connect)
    sync(b, b_connect)
    base = product(booth, KOPI).revision
    set_price(booth, KOPI, 88_000, tmp_path)  # both edit the same revision, offline
    set_price(b, KOPI, 92_000, tmp_path)

    sync(booth, a_connect)
    late = sync(b, b_connect)
    assert late.sent == 1 and late.superseded == 0 and late.waiting == 1
    assert (product(booth, KOPI).price, product(b, KOPI).price) == (88_000, 92_000)
    # both versions are kept centrally as proposals; the current row is unchanged
    assert sorted(central_rows(
        central_url, "SELECT payload->>'price', revision, status FROM catalog_version"
        " WHERE row_id = %s AND revision = %s", product(b, KOPI).id, base + 1)) == [
        ("88000", base + 1, "proposed"), ("92000", base + 1, "proposed")]

    accept_all(central_url, "KPG-01")  # head office takes A's
    sync(booth, a_connect)
    assert sync(b, b_connect).updated == 1
    assert product(b, KOPI).price == product(booth, KOPI).price == 88_000
    assert catalog_of(booth) == catalog_of(b)

    set_price(b, KOPI, 93_000, tmp_path)  # B edits again from the current revision
    sync(b, b_connect)
    accept_all(central_url, "KPG-02")  # the newest of B's two proposals wins (accepted last)
    assert sync(booth, a_connect).updated == 1
    assert product(booth, KOPI).price == 93_000


@pytest.mark.parametrize("b_first", [True, False])
def test_head_office_decides_whatever_order_the_syncs_come_in(
        b_first, booth, other, enroll, central_url, tmp_path) -> None:
    a_connect = enroll(booth)
    b = other()
    b_connect = enroll(b)
    sync(booth, a_connect)
    sync(b, b_connect)
    set_price(booth, KOPI, 88_000, tmp_path)  # one edit at A
    set_price(b, KOPI, 91_000, tmp_path)  # two at B
    set_price(b, KOPI, 92_000, tmp_path)
    order = [(b, b_connect), (booth, a_connect)] if b_first else \
        [(booth, a_connect), (b, b_connect)]
    for who, connect in order + order:
        sync(who, connect)
    assert (product(booth, KOPI).price, product(b, KOPI).price) == (88_000, 92_000)
    accept_all(central_url, "KPG-02")
    for who, connect in order:
        sync(who, connect)
    assert product(booth, KOPI).price == product(b, KOPI).price == 92_000
    assert catalog_of(booth) == catalog_of(b)


def test_a_booth_change_newer_than_central_is_kept_until_it_goes_up(
        booth, other, enroll, central_url, tmp_path) -> None:
    from pos_app.services.sync.sync_catalog import CatalogResult, pull_catalog

    a_connect = enroll(booth)
    b = other()
    b_connect = enroll(b)
    sync(booth, a_connect)
    sync(b, b_connect)
    set_price(booth, KOPI, 70_000, tmp_path)
    sync(booth, a_connect)
    accept_all(central_url, "KPG-01")  # central: revision +2 (above A's proposal)
    for price in (71_000, 72_000, 73_000):  # rev +3 at B: newer than central, not sent yet
        set_price(b, KOPI, price, tmp_path)
    result = CatalogResult()
    with b_connect() as conn:  # a pull alone (no push first) must keep B's newer change
        pull_catalog(b, conn, result)
    assert result.kept == 1 and product(b, KOPI).price == 73_000
    sync(b, b_connect)
    accept_all(central_url, "KPG-02")
    sync(booth, a_connect)
    assert product(booth, KOPI).price == 73_000


def test_a_refused_version_is_quarantined_and_the_rest_go_through(
        booth, other, enroll, central_url, tmp_path) -> None:
    a_connect = enroll(booth)
    b = other()
    b_connect = enroll(b)
    mine = create_product(booth, name="Miniatur Rumah Adat", facility_code="LP-KPG",
                          category_code="kopi", price=250_000, actor="Maria",
                          actor_role="coordinator", barcode="2000000000008")
    sync(booth, a_connect)
    theirs = create_product(b, name="Miniatur Sasando", facility_code="LP-KPG",
                            category_code="kopi", price=150_000, actor="Maria",
                            actor_role="coordinator", barcode="2000000000008")
    set_price(b, KOPI, 99_000, tmp_path)
    got = sync(b, b_connect)
    assert [(t, rid) for t, rid, _ in got.quarantined] == [("product", theirs.id)]
    assert "rejected centrally" in got.quarantined[0][2]
    assert central_rows(central_url, "SELECT payload->>'price', status FROM catalog_version"
                        " WHERE row_id = %s AND device_id = %s", product(b, KOPI).id,
                        b.context.device_id) == [("99000", "proposed")]  # went through
    assert central_rows(central_url, "SELECT record_id, table_name FROM sync_quarantine") == [
        (theirs.id, "product")]
    with b.db.read() as s:
        assert s.execute(select(Outbox.state).where(
            Outbox.record_id == theirs.id)).scalars().all() == ["quarantined"]
    # A's product cannot come down either: B's own product has its barcode locally. It is
    # reported, B keeps its own, and everything else came down.
    assert [(t, key) for t, key, _ in got.conflicts] == [("product", mine.sku)]
    assert "UNIQUE" in got.conflicts[0][2]
    assert product(b, theirs.sku).barcode == "2000000000008"
    with b.db.read() as s:
        assert s.execute(select(Product).where(Product.sku == mine.sku)).first() is None


def test_a_lost_answer_after_the_central_commit_resends_the_same_versions(
        booth, enroll, central_url) -> None:
    connect = enroll(booth)
    first = sync(booth, connect)
    with booth.db.write() as s:  # as if the booth died before marking the rows sent
        s.execute(Outbox.__table__.update().where(Outbox.table_name.in_(
            ("facility", "category", "product"))).values(state="pending"))
    before = central_rows(central_url, "SELECT count(*) FROM catalog_version")
    again = sync(booth, connect)
    assert again.sent == first.sent and again.quarantined == []
    assert central_rows(central_url, "SELECT count(*) FROM catalog_version") == before
