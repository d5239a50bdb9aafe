"""Issue 16, item 1: a rogue enrolled booth R, with raw SQL on its own login, against a real
PostgreSQL, cannot rewrite the shared catalog (central migration ``c0009``). After each
attack booth A pulls and its prices, facilities and percentages are intact, and it sells at
the right price. Then head office accepts one proposal (A gets it), rejects one (R's own
copy is pulled back) and reverts everything R's device did."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import psycopg
import pytest
from psycopg.types.json import Jsonb
from sqlalchemy import select

from pos_app.domain.ids import catalog_id
from pos_app.domain.tenders import Method, Tender
from pos_app.persistence.models import Product, SaleLine
from pos_app.services.catalog.catalog_edit import create_product
from pos_app.services.sale.checkout import SaleItem, SaleRequest, checkout
from pos_app.services.setup.booth import Booth
from pos_app.services.setup.clock import FixedClock
from pos_app.services.setup.setup import init_booth
from pos_app.services.sync import catalog_authority
from tests.central.test_catalog_sync import KOPI, catalog_of, product, set_price, sync

VERSION = ("INSERT INTO catalog_version (id, device_id, seq, created_at, table_name, row_id,"
           " revision, payload) VALUES (%s, %s, 1, now(), %s, %s, %s, %s)")


def central_row(url: str, table: str, row_id: uuid.UUID) -> dict | None:
    with psycopg.connect(url, autocommit=True) as conn:
        cur = conn.cursor(row_factory=psycopg.rows.dict_row)
        return cur.execute(f'SELECT * FROM "{table}" WHERE id = %s', (row_id,)).fetchone()


def as_payload(row: dict, **changes) -> Jsonb:
    return Jsonb({k: (str(v) if isinstance(v, uuid.UUID | datetime) else v)
                  for k, v in {**row, **changes}.items() if k != "event_scope"})


def rogue(connect, url: str, table: str, row_id: uuid.UUID, device: uuid.UUID,
          jump: int = 1, **changes) -> uuid.UUID:
    """R writes a version of a central row by hand: its current values with ``changes``, at
    its revision + ``jump``. Returns the version's id."""
    row = central_row(url, table, row_id)
    vid = uuid.uuid4()
    with connect() as conn:
        conn.execute(VERSION, (vid, device, table, row_id, row["revision"] + jump,
                               as_payload(row, **changes)))
    return vid


def status(url: str, vid: uuid.UUID) -> str:
    with psycopg.connect(url, autocommit=True) as conn:
        return conn.execute("SELECT status FROM catalog_version WHERE id = %s",
                            (vid,)).fetchone()[0]


def number(url: str, vid: uuid.UUID) -> int:
    with psycopg.connect(url, autocommit=True) as conn:
        return conn.execute("SELECT no FROM catalog_version WHERE id = %s",
                            (vid,)).fetchone()[0]


def sold(b: Booth, shift, sku: str) -> tuple[int, uuid.UUID]:
    """Sell one ``sku`` on ``b``: the line's (unit price, facility)."""
    pid = product(b, sku).id
    checkout(b, SaleRequest((SaleItem(1, product_id=pid),), (Tender(Method.CASH, 1_000_000),),
                            actor="test", shift_id=shift.id))
    with b.db.read() as s:
        line = s.execute(select(SaleLine).where(SaleLine.product_id == pid)
                         .order_by(SaleLine.seq.desc())).scalars().first()
        return line.unit_price, line.facility_id


@pytest.fixture
def world(booth, other, enroll, central_url):
    """A (the demo booth) and R (KPG-09, the same event) synced with head office's catalog."""
    a_connect = enroll(booth)
    r = other("KPG-09")
    r_connect = enroll(r)
    sync(booth, a_connect)
    sync(r, r_connect)
    return booth, a_connect, r, r_connect, catalog_of(booth)


def intact(booth, a_connect, before, shift) -> None:
    """A pulls: its catalog is exactly as before, and KOP-001 sells at Rp85.000 for LP-END."""
    got = sync(booth, a_connect)
    assert got.conflicts == []
    assert catalog_of(booth) == before
    assert sold(booth, shift, KOPI) == (85_000, catalog_id("facility", "LP-END"))


KOPI_ID = catalog_id("product", KOPI)
END = catalog_id("facility", "LP-END")
KPG = catalog_id("facility", "LP-KPG")


@pytest.mark.parametrize("jump", [1, 1000])
def test_a_price_of_rp0_or_a_price_change_never_reaches_another_booth(
        jump, world, central_url, till_shift) -> None:
    booth, a_connect, r, r_connect, before = world
    rd = r.context.device_id
    with pytest.raises(psycopg.errors.CheckViolation, match="price must be above 0"):
        rogue(r_connect, central_url, "product", KOPI_ID, rd, jump, price=0)
    cheap = rogue(r_connect, central_url, "product", KOPI_ID, rd, jump, price=1)
    assert status(central_url, cheap) == "proposed"  # a proposal: changes nothing
    assert central_row(central_url, "product", KOPI_ID)["price"] == 85_000
    with pytest.raises(psycopg.errors.CheckViolation, match="more than 1000 past"):
        rogue(r_connect, central_url, "product", KOPI_ID, rd, 1001, price=2)
    intact(booth, a_connect, before, till_shift)


def test_deactivating_or_renaming_another_booths_product_is_only_a_proposal(
        world, central_url, till_shift) -> None:
    booth, a_connect, r, r_connect, before = world
    rd = r.context.device_id
    off = rogue(r_connect, central_url, "product", KOPI_ID, rd, active=False)
    formula = rogue(r_connect, central_url, "product", KOPI_ID, rd, 2,
                    name='=HYPERLINK("http://x","Kopi")')
    assert {status(central_url, off), status(central_url, formula)} == {"proposed"}
    row = central_row(central_url, "product", KOPI_ID)
    assert (row["active"], row["name"]) == (True, "Kopi Arabika Flores Bajawa 250 g")
    intact(booth, a_connect, before, till_shift)


def test_moving_a_product_or_changing_shares_is_refused_outright(
        world, central_url, till_shift) -> None:
    booth, a_connect, r, r_connect, before = world
    rd = r.context.device_id
    with pytest.raises(psycopg.errors.CheckViolation, match="another facility"):
        rogue(r_connect, central_url, "product", KOPI_ID, rd, facility_id=str(KPG))
    with pytest.raises(psycopg.errors.CheckViolation, match="settlement shares"):
        rogue(r_connect, central_url, "facility", END, rd, pnbp_bp=0, premi_bp=0, modal_bp=0,
              program_bp=10_000)
    with psycopg.connect(central_url, autocommit=True) as conn:
        assert conn.execute("SELECT count(*) FROM catalog_version WHERE device_id = %s"
                            " AND status = 'proposed'", (rd,)).fetchone() == (0,)
    intact(booth, a_connect, before, till_shift)


@pytest.mark.parametrize("name", ["Kopi\u0007", "Kopi \u202eipok", "Kopi\nBaru", "K" * 161])
def test_names_the_booth_would_refuse_are_refused_centrally(
        name, world, central_url, till_shift) -> None:
    booth, a_connect, r, r_connect, before = world
    with pytest.raises(psycopg.errors.CheckViolation, match="control character|too long"):
        rogue(r_connect, central_url, "product", KOPI_ID, r.context.device_id, name=name)
    intact(booth, a_connect, before, till_shift)


def test_a_nul_byte_cannot_even_be_sent(world, central_url) -> None:
    _booth, _a, r, r_connect, _before = world
    with pytest.raises(psycopg.DataError):  # PostgreSQL's jsonb takes no \u0000
        rogue(r_connect, central_url, "product", KOPI_ID, r.context.device_id,
              name="Kopi\x00")


def test_a_rogue_new_product_stays_in_its_own_event(world, central_url, enroll, tmp_path,
                                                    till_shift) -> None:
    booth, a_connect, r, r_connect, before = world
    path = tmp_path / "elsewhere.db"
    made, _ = init_booth(path, demo=True, device_code="END-01",
                         event_name="Pameran Ende 2026")
    made.close()
    c = Booth.open(path, clock=FixedClock(datetime(2026, 11, 21, 12, 0, tzinfo=UTC)))
    try:
        c_connect = enroll(c)
        sync(c, c_connect)
        mine = create_product(r, name="Tas Anyaman Lontar", facility_code="LP-KPG",
                              category_code="kopi", price=120_000, actor="Maria",
                              actor_role="coordinator")
        got = sync(r, r_connect)
        assert got.quarantined == [] and got.waiting == 0  # applied at once, for its event
        assert central_row(central_url, "product", mine.id)["event_scope"] is not None
        assert sync(booth, a_connect).added == 1  # A: the same event (by name) sees it
        assert product(booth, mine.sku).price == 120_000
        assert sync(c, c_connect).added == 0  # C, another event, does not
        with c.db.read() as s:
            assert s.execute(select(Product).where(Product.id == mine.id)).first() is None
        with c_connect() as conn:
            assert conn.execute("SELECT count(*) FROM product WHERE id = %s",
                                (mine.id,)).fetchone() == (0,)
        # R may keep editing its own product (price), never move it
        set_price(r, mine.sku, 125_000, tmp_path)
        assert sync(r, r_connect).waiting == 0
        assert central_row(central_url, "product", mine.id)["price"] == 125_000
        with pytest.raises(psycopg.errors.CheckViolation, match="another facility"):
            rogue(r_connect, central_url, "product", mine.id, r.context.device_id,
                  facility_id=str(END))
    finally:
        c.close()


def test_head_office_accepts_rejects_and_reverts_a_device(world, central_url, tmp_path,
                                                          till_shift) -> None:
    booth, a_connect, r, r_connect, before = world
    rd = r.context.device_id
    set_price(r, "KOP-002", 47_000, tmp_path)  # an honest proposal from R
    set_price(r, KOPI, 1_000, tmp_path)  # and one head office will refuse
    up = sync(r, r_connect)
    assert up.waiting == 2 and product(r, KOPI).price == 1_000  # R keeps its own meanwhile
    waiting = {v.key: v.number for v in catalog_authority.versions(central_url, proposed=True)}
    assert set(waiting) == {"KOP-002", KOPI}

    catalog_authority.accept(central_url, [waiting["KOP-002"]])
    catalog_authority.reject(central_url, [waiting[KOPI]], "harga salah")
    sync(booth, a_connect)
    assert product(booth, "KOP-002").price == 47_000  # A gets the accepted one
    assert product(booth, KOPI).price == 85_000
    assert sync(r, r_connect).waiting == 0
    assert product(r, KOPI).price == 85_000  # R's own copy is pulled back
    assert product(r, "KOP-002").price == 47_000
    history = catalog_authority.history(central_url, KOPI)
    assert [v.status for v in history][-2:] == ["rejected", "published"]
    assert history[-2].reason == "harga salah"

    mine = create_product(r, name="Tas Anyaman Lontar", facility_code="LP-KPG",
                          category_code="kopi", price=120_000, actor="Maria",
                          actor_role="coordinator")
    sync(r, r_connect)
    sync(booth, a_connect)
    assert product(booth, mine.sku).active is True
    assert catalog_authority.revert_device(central_url, "KPG-09") == 1  # its own product
    sync(booth, a_connect)
    assert product(booth, mine.sku).active is False  # out of sale wherever it was
    assert central_row(central_url, "product", KOPI_ID)["price"] == 85_000
    assert sold(booth, till_shift, KOPI) == (85_000, END)
    with psycopg.connect(central_url, autocommit=True) as conn:  # one row of history each
        assert conn.execute("SELECT status, reason FROM catalog_version WHERE row_id = %s"
                            " ORDER BY no DESC LIMIT 1", (mine.id,)).fetchone() == (
            "published", f"reverts device {rd}")
    # the reverted product is head office's now: R switching it back on is only a proposal
    on = rogue(r_connect, central_url, "product", mine.id, rd, active=True)
    assert status(central_url, on) == "proposed"
    assert central_row(central_url, "product", mine.id)["active"] is False


def test_a_booth_cannot_call_head_office_s_functions_or_set_a_status(world,
                                                                     central_url) -> None:
    _booth, _a, r, r_connect, _before = world
    with r_connect() as conn:
        for call in ("SELECT lapak_catalog_accept(1)", "SELECT lapak_catalog_revert(1)",
                     "SELECT lapak_catalog_reject(1, 'x')",
                     "SELECT lapak_catalog_revert_device(gen_random_uuid())"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(call)
        row = central_row(central_url, "product", KOPI_ID)
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("INSERT INTO catalog_version (id, device_id, created_at, table_name,"
                         " row_id, revision, payload, status) VALUES (%s, %s, now(),"
                         " 'product', %s, %s, %s, 'published')",
                         (uuid.uuid4(), r.context.device_id, KOPI_ID, row["revision"] + 1,
                          as_payload(row, price=1)))
    assert central_row(central_url, "product", KOPI_ID)["price"] == 85_000


def test_the_booth_says_how_many_changes_wait_for_head_office(world, tmp_path) -> None:
    from pos_app.services.sync.record import describe
    from pos_app.services.sync.sync_status import run_sync

    _booth, _a, r, r_connect, _before = world
    set_price(r, KOPI, 90_000, tmp_path)
    set_price(r, "KOP-002", 46_000, tmp_path)
    done = run_sync(r, connect=r_connect)
    assert done.catalog.waiting == 2
    assert describe(done.record, lambda m: m).endswith(
        "; 2 catalog changes waiting for head office")
    indonesian = {"{count} catalog changes waiting for head office":
                  "{count} perubahan katalog menunggu kantor pusat"}
    assert describe(done.record, lambda m: indonesian.get(m, m)).endswith(
        "2 perubahan katalog menunggu kantor pusat")
