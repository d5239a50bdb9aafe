"""What a booth cannot do to the shared catalog, even by hand with its own login, and why a
pull never misses a change: tried against a real PostgreSQL. (More, as a rogue booth:
``test_rogue_catalog.py``.)"""

from __future__ import annotations

import threading
import uuid
from datetime import datetime

import psycopg
import pytest
from psycopg.types.json import Jsonb
from sqlalchemy import select

from pos_app.domain.ids import catalog_id
from pos_app.persistence.models import Product
from pos_app.services.sync.sync_catalog import CURSOR
from tests.central.test_catalog_sync import KOPI, accept_all, product, set_price, sync

VERSION = ("INSERT INTO catalog_version (id, device_id, seq, created_at, table_name, row_id,"
           " revision, payload) VALUES (%s, %s, 1, now(), %s, %s, %s, %s)")


def central_product(url: str, sku: str) -> dict:
    with psycopg.connect(url, autocommit=True) as conn:
        cur = conn.cursor(row_factory=psycopg.rows.dict_row)
        return cur.execute("SELECT * FROM product WHERE sku = %s", (sku,)).fetchone()


def forged(b, sku: str, revision: int, **changes) -> tuple:
    """A version of ``sku`` as ``b`` could write it by hand, with ``changes`` in its payload."""
    row = product(b, sku)
    payload = {c.name: getattr(row, c.name) for c in Product.__table__.columns}
    payload = {k: (str(v) if isinstance(v, uuid.UUID | datetime) else v)
               for k, v in {**payload, **changes}.items()}
    pid = catalog_id("product", sku)
    return (uuid.uuid4(), b.context.device_id, "product", pid, revision, Jsonb(payload))


def number_of(url: str, version_id: uuid.UUID) -> int:
    with psycopg.connect(url, autocommit=True) as conn:
        return conn.execute("SELECT no FROM catalog_version WHERE id = %s",
                            (version_id,)).fetchone()[0]


def test_a_version_cannot_rewrite_who_made_a_row_or_jump_its_revision(
        booth, other, enroll, central_url) -> None:
    from pos_app.services.sync import catalog_authority

    a_connect = enroll(booth)
    b = other()
    b_connect = enroll(b)
    sync(booth, a_connect)
    before = central_product(central_url, KOPI)
    with b_connect() as conn:  # B, by hand: the next revision, with made-up attribution
        version = forged(b, KOPI, before["revision"] + 1, price=1_000,
                         device_id=str(b.context.device_id), seq=424242,
                         created_at="1999-01-01T00:00:00+00:00")
        conn.execute(VERSION, version)
    assert central_product(central_url, KOPI) == before  # a proposal: nothing changed
    catalog_authority.accept(central_url, [number_of(central_url, version[0])])
    after = central_product(central_url, KOPI)
    assert after["price"] == 1_000 and after["revision"] == before["revision"] + 2  # accepted
    assert (after["device_id"], after["seq"], after["created_at"]) == (
        before["device_id"], before["seq"], before["created_at"])  # but not as its maker

    with b_connect() as conn, pytest.raises(psycopg.errors.CheckViolation,
                                            match="more than 1000 past"):
        conn.execute(VERSION, forged(b, KOPI, after["revision"] + 1001, price=2))
    with b_connect() as conn, pytest.raises(psycopg.errors.CheckViolation):
        conn.execute(VERSION, forged(b, KOPI, 2**62, price=3))
    assert central_product(central_url, KOPI)["price"] == 1_000


def test_a_booth_jumping_revisions_is_quarantined_and_the_rest_go_through(
        booth, enroll, central_url, tmp_path) -> None:
    connect = enroll(booth)
    sync(booth, connect)
    set_price(booth, KOPI, 80_000, tmp_path)
    set_price(booth, "KOP-002", 40_000, tmp_path)
    with booth.db.write() as s:  # a damaged booth database: a revision far ahead
        s.execute(Product.__table__.update().where(Product.sku == KOPI).values(
            revision=Product.revision + 5000))
    got = sync(booth, connect)
    assert [(t, rid) for t, rid, _ in got.quarantined] == [("product", product(booth, KOPI).id)]
    assert got.waiting == 1  # the other change went up, as a proposal
    accept_all(central_url, "KPG-01")
    assert central_product(central_url, "KOP-002")["price"] == 40_000
    assert central_product(central_url, KOPI)["price"] == 85_000


def test_settlement_percentages_are_head_office_s_and_must_add_up(
        booth, enroll, central_url) -> None:
    from pos_app.persistence.models import Facility
    from pos_app.services.setup.records import Recorder

    connect = enroll(booth)
    sync(booth, connect)
    with booth.db.write() as s:  # a booth's change of percentages: refused, quarantined
        s.execute(Facility.__table__.update().where(Facility.code == "LP-KPG").values(
            program_bp=1000, revision=Facility.revision + 1))
        Recorder(s, booth.context.device_id, booth.clock.now()).queue(
            Facility, catalog_id("facility", "LP-KPG"))
    got = sync(booth, connect)
    assert [t for t, _, _ in got.quarantined] == ["facility"]
    assert "settlement shares" in got.quarantined[0][2]
    with psycopg.connect(central_url, autocommit=True) as conn:  # head office's own: 105 %
        cur = conn.cursor(row_factory=psycopg.rows.dict_row)
        row = cur.execute("SELECT * FROM facility WHERE code = 'LP-KPG'").fetchone()
        payload = {k: (str(v) if isinstance(v, uuid.UUID | datetime) else v)
                   for k, v in {**row, "program_bp": 1000}.items()}
        with pytest.raises(psycopg.errors.CheckViolation, match="ck_facility_shares"):
            conn.execute("SELECT lapak_catalog_publish('facility', %s, %s)",
                         (row["id"], Jsonb(payload)))


def test_a_temporary_table_cannot_stand_in_for_the_catalog(booth, other, enroll,
                                                           central_url) -> None:
    a_connect = enroll(booth)
    b = other()
    b_connect = enroll(b)
    sync(booth, a_connect)
    revision = central_product(central_url, KOPI)["revision"]
    with b_connect() as conn:
        conn.execute("CREATE TEMP TABLE product (LIKE public.product)")
        conn.execute(VERSION, forged(b, KOPI, revision + 1, price=7))
        assert conn.execute("SELECT count(*) FROM pg_temp.product").fetchone() == (0,)
    accept_all(central_url, "KPG-02")
    assert central_product(central_url, KOPI)["price"] == 7  # the real table changed


def published(conn, sku: str, price: int) -> None:
    """Head office publishes ``sku`` at ``price`` on ``conn`` (its open transaction)."""
    cur = conn.cursor(row_factory=psycopg.rows.dict_row)
    row = cur.execute("SELECT * FROM product WHERE sku = %s", (sku,)).fetchone()
    payload = {k: (str(v) if isinstance(v, uuid.UUID | datetime) else v)
               for k, v in {**row, "price": price}.items()}
    conn.execute("SELECT lapak_catalog_publish('product', %s, %s)", (row["id"], Jsonb(payload)))


def test_a_change_committed_late_is_not_skipped_by_a_pull(booth, other, enroll,
                                                          central_url) -> None:
    """Without ordering, one publish could take central_seq 112 and commit after another's
    113: a pull in between would move past 113 and never see 112."""
    c = other("KPG-03")
    c_connect = enroll(c)
    sync(c, c_connect)
    a_conn = psycopg.connect(central_url, autocommit=True)
    b_conn = psycopg.connect(central_url, autocommit=True)
    a_conn.execute("BEGIN")
    published(a_conn, KOPI, 11_111)  # not committed yet
    b_pid = b_conn.info.backend_pid
    b_done = threading.Event()

    def b_sends():
        published(b_conn, "KOP-002", 22_222)
        b_done.set()

    worker = threading.Thread(target=b_sends)
    worker.start()
    with psycopg.connect(central_url, autocommit=True) as watch:  # B commits or waits
        while not b_done.is_set() and watch.execute(
                "SELECT wait_event_type IS DISTINCT FROM 'Lock' FROM pg_stat_activity"
                " WHERE pid = %s", (b_pid,)).fetchone()[0]:
            pass
    sync(c, c_connect)  # a pull while A is still open
    a_conn.execute("COMMIT")
    worker.join()
    a_conn.close()
    b_conn.close()
    sync(c, c_connect)
    assert (product(c, KOPI).price, product(c, "KOP-002").price) == (11_111, 22_222)


def test_a_row_that_cannot_come_down_is_tried_again_at_the_next_pull(
        booth, other, enroll, tmp_path) -> None:
    from pos_app.services.catalog.catalog_edit import create_product

    a_connect = enroll(booth)
    b = other()
    b_connect = enroll(b)
    mine = create_product(booth, name="Miniatur Rumah Adat", facility_code="LP-KPG",
                          category_code="kopi", price=250_000, actor="Maria",
                          actor_role="coordinator", barcode="2000000000008")
    sync(booth, a_connect)
    theirs = create_product(b, name="Miniatur Sasando", facility_code="LP-KPG",
                            category_code="kopi", price=150_000, actor="Maria",
                            actor_role="coordinator", barcode="2000000000015")
    with b.db.write() as s:  # B's own product holds A's barcode locally (an old mistake)
        s.execute(Product.__table__.update().where(Product.id == theirs.id).values(
            barcode="2000000000008"))
    first = sync(b, b_connect)
    assert [(t, k) for t, k, _ in first.conflicts] == [("product", mine.sku)]
    assert int(b.settings()[CURSOR]) < first.cursor + 1
    with b.db.write() as s:  # the coordinator fixes B's barcode
        s.execute(Product.__table__.update().where(Product.id == theirs.id).values(
            barcode="2000000000015"))
    again = sync(b, b_connect)
    assert again.conflicts == [] and again.added >= 1
    with b.db.read() as s:
        assert s.execute(select(Product.price).where(Product.sku == mine.sku)).scalar_one() \
            == 250_000


def test_head_office_readers_cannot_read_the_booths_bundle_keys(booth, enroll,
                                                                central_url) -> None:
    enroll(booth)
    name = f"ho_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(central_url, autocommit=True) as conn:
        conn.execute(f"CREATE ROLE {name} IN ROLE lapak_head_office")
        conn.execute(f"SET ROLE {name}")
        assert conn.execute("SELECT code FROM device_role").fetchall() == [("KPG-01",)]
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("SELECT bundle_key FROM device_role")
        conn.execute("RESET ROLE")
        conn.execute(f"DROP ROLE {name}")

