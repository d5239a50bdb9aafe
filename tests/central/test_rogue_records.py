"""One bad record never blocks a booth: a record psycopg refuses to send (a NUL byte, as a
catalog file could once put in a product's name) or the server refuses (a text longer than
its central column) is quarantined, alone; the rest of its batch, and every later sale, goes
through, by network push and by USB bundle alike. And the booth refuses such text at entry."""

from __future__ import annotations

import uuid
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import select

from pos_app.domain.tenders import Method, Tender
from pos_app.persistence.models import PUSHED, Outbox, Product, SaleLine
from pos_app.services.sale.checkout import SaleItem, SaleRequest, checkout
from pos_app.services.setup.booth import Booth
from pos_app.services.sync import enrollment
from pos_app.services.sync.bundle import apply_ack, export_bundle
from pos_app.services.sync.bundle_import import import_bundle
from pos_app.services.sync.sync_catalog import sync_catalog
from pos_app.services.sync.sync_push import push
from tests.central.test_push import central_ids, local_ids, make_sales, states

NUL_NAME = "Kopi\x00Hitam"


def _raw(booth: Booth, sql: str, params: tuple) -> None:
    """Straight into the booth's database, past every check (as an old catalog file could)."""
    with booth.db.write() as s:
        s.connection().exec_driver_sql(sql, params)


def _first_product(booth: Booth) -> tuple[uuid.UUID, int]:
    with booth.db.read() as s:
        return s.execute(select(Product.id, Product.price).where(Product.active.is_(True))
                         .order_by(Product.sku).limit(1)).one()


def _sell(booth: Booth, shift, pid: uuid.UUID, price: int) -> None:
    checkout(booth, SaleRequest((SaleItem(1, product_id=pid),),
                                       (Tender(Method.CASH, price),), actor="test",
                                       shift_id=shift.id))


def _bad_lines(booth: Booth) -> set[uuid.UUID]:
    with booth.db.read() as s:
        return set(s.execute(select(SaleLine.id).where(SaleLine.name == NUL_NAME)).scalars())


def _rogue_sale(booth: Booth, shift) -> uuid.UUID:
    """A product renamed with a NUL byte by raw SQL, then sold: its sale line carries it."""
    pid, price = _first_product(booth)
    _raw(booth, "UPDATE product SET name = ? WHERE id = ?", (NUL_NAME, pid.hex))
    _sell(booth, shift, pid, price)
    [line] = _bad_lines(booth)
    return line


def _other_sales(booth: Booth, shift, n: int) -> None:
    """``n`` sales of products other than the renamed one."""
    with booth.db.read() as s:
        rows = s.execute(select(Product.id, Product.price).where(
            Product.active.is_(True), Product.name != NUL_NAME).order_by(Product.sku)
            .limit(3)).all()
    for k in range(n):
        _sell(booth, shift, *rows[k % len(rows)])


def _delivered_except(booth: Booth, url: str, held: set[uuid.UUID]) -> None:
    mine, theirs = local_ids(booth), central_ids(url)
    for t in PUSHED:
        assert len(theirs[t]) == len(set(theirs[t])), t
        assert set(theirs[t]) == mine[t] - held, t


def _central_quarantine(url: str) -> list[tuple]:
    with psycopg.connect(url, autocommit=True) as conn:
        return conn.execute("SELECT record_id, table_name, received->>'name', reason"
                            " FROM sync_quarantine ORDER BY table_name").fetchall()


@pytest.fixture
def device(register, booth: Booth) -> dict:
    return enrollment.read_file(register(booth)).conninfo()


@pytest.mark.parametrize("temp", [True, False], ids=["copy", "values"])
def test_a_nul_byte_quarantines_its_record_and_later_sales_flow(temp, booth, till_shift, device,
                                                                central_url) -> None:
    if not temp:  # the multi-row VALUES path instead of COPY
        with psycopg.connect(central_url, autocommit=True) as conn:
            db = conn.execute("SELECT current_database()").fetchone()[0]
            conn.execute(f'REVOKE TEMP ON DATABASE "{db}" FROM PUBLIC')
    make_sales(booth, till_shift, 2)
    line = _rogue_sale(booth, till_shift)
    _other_sales(booth, till_shift, 2)
    connect = lambda: psycopg.connect(**device, autocommit=True)  # noqa: E731
    result = push(booth, connect, batch_size=500)
    assert [(q.table_name, q.record_id) for q in result.quarantined] == [("sale_line", line)]
    assert "NUL" in result.quarantined[0].reason
    _delivered_except(booth, central_url, {line})
    assert states(booth)["quarantined"] == 1
    with booth.db.read() as s:
        box = s.execute(select(Outbox).where(Outbox.record_id == line)).scalar_one()
    assert box.state == "quarantined" and "NUL" in box.last_error
    # kept centrally as evidence, the NUL written out
    [(rid, table, name, why)] = _central_quarantine(central_url)
    assert (rid, table, name) == (line, "sale_line", "Kopi\\u0000Hitam") and "NUL" in why

    _other_sales(booth, till_shift, 3)  # later sales keep flowing
    again = push(booth, connect, batch_size=500)
    assert again.sent > 0 and again.quarantined == []
    _delivered_except(booth, central_url, {line})
    assert states(booth)["quarantined"] == 1


def test_a_value_too_long_centrally_is_quarantined_alone(booth, till_shift, device,
                                                         central_url) -> None:
    make_sales(booth, till_shift, 3)
    with booth.db.read() as s:
        pay = s.execute(select(Outbox.record_id).where(Outbox.table_name == "payment")
                        .order_by(Outbox.seq).limit(1)).scalar_one()
    with booth.db.write() as s:  # past the append-only trigger, as a rogue could
        con = s.connection()
        triggers = con.exec_driver_sql("SELECT name, sql FROM sqlite_master WHERE type ="
                                       " 'trigger' AND tbl_name = 'payment'").all()
        for name, _ in triggers:
            con.exec_driver_sql(f'DROP TRIGGER "{name}"')
        con.exec_driver_sql("UPDATE payment SET reference = ? WHERE id = ?", ("R" * 65, pay.hex))
        for _, sql in triggers:
            con.exec_driver_sql(sql)
    result = push(booth, lambda: psycopg.connect(**device, autocommit=True), batch_size=500)
    assert [(q.table_name, q.record_id) for q in result.quarantined] == [("payment", pay)]
    assert "rejected centrally" in result.quarantined[0].reason
    _delivered_except(booth, central_url, {pay})


def test_a_nul_byte_in_the_catalog_quarantines_that_version_only(booth, device,
                                                                 central_url) -> None:
    pid, _ = _first_product(booth)
    _raw(booth, "UPDATE product SET name = ? WHERE id = ?", (NUL_NAME, pid.hex))
    conn = psycopg.connect(**device, autocommit=True)
    try:
        result = sync_catalog(booth, conn)
    finally:
        conn.close()
    assert [(t, rid) for t, rid, _ in result.quarantined] == [("product", pid)]
    assert result.sent > 0  # the rest of the catalog went up
    with psycopg.connect(central_url, autocommit=True) as c:
        assert c.execute("SELECT count(*) FROM catalog_version WHERE row_id = %s",
                         (pid,)).fetchone() == (0,)
        assert c.execute("SELECT received->>'name' FROM sync_quarantine WHERE record_id = %s",
                         (pid,)).fetchone() == ("Kopi\\u0000Hitam",)


@pytest.fixture
def enrolled(register, secrets: Path, booth: Booth) -> Booth:
    enrollment.enroll(booth, register(booth))
    return booth


def test_the_same_record_by_bundle_is_quarantined_and_the_rest_imported(
        enrolled, till_shift, central_url, tmp_path) -> None:
    make_sales(enrolled, till_shift, 2)
    line = _rogue_sale(enrolled, till_shift)
    _other_sales(enrolled, till_shift, 2)
    res = export_bundle(enrolled, tmp_path / "b.lapak")
    got = import_bundle(tmp_path / "b.lapak", central_url)
    assert [(q.table_name, q.record_id) for q in got.quarantined
            if q.table_name != "product"] == [("sale_line", line)]
    assert got.inserted == res.records - len(got.quarantined)
    _delivered_except(enrolled, central_url, {line})
    assert ("sale_line", "Kopi\\u0000Hitam") in [
        (t, n) for _, t, n, _ in _central_quarantine(central_url)]
    apply_ack(enrolled, tmp_path / "b.lapak.ack")
    assert states(enrolled) == {"sent": sum(len(v) for v in local_ids(enrolled).values()) - 1,
                                "quarantined": 1}
