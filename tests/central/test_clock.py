"""A booth whose clock is a year wrong: ordering and identity do not depend on the clock.

Records are ordered by the device's sequence and identified by ids made on the device; the
catalog is decided by revision. So a clock a year ahead (or behind, or put right in the
middle of the day) changes which date is printed on a receipt, and nothing else: every
record reaches the central database once, in the order it was made, and a catalog change
wins or loses exactly as it would with the right time."""

from __future__ import annotations

from datetime import timedelta

import psycopg
from sqlalchemy import select

from pos_app.persistence.models import Outbox, Sale
from pos_app.services.sync import catalog_authority
from pos_app.services.sync.sync_push import push
from tests.central.test_catalog_sync import (
    KOPI,
    catalog_of,
    product,
    set_price,
    sync,
)
from tests.central.test_push import make_sales


def test_sales_made_with_the_clock_a_year_off_arrive_once_in_the_order_made(
        booth, till_shift, clock, enroll, central_url) -> None:
    connect = enroll(booth)
    make_sales(booth, till_shift, 3)
    clock.advance(days=365)  # somebody sets the clock a year ahead ...
    make_sales(booth, till_shift, 3)
    clock.advance(days=-365 * 2)  # ... then a year behind ...
    make_sales(booth, till_shift, 3)
    clock.advance(days=365, minutes=5)  # ... then right again
    make_sales(booth, till_shift, 3)
    with booth.db.read() as s:
        made = s.execute(select(Sale.id, Sale.number, Sale.seq, Sale.created_at)
                         .order_by(Sale.seq)).all()
    assert [n for _, n, _, _ in made] == [f"KPG-01-{k:06d}" for k in range(1, 13)]
    assert sorted(made, key=lambda r: r.created_at) != made  # the clock says another order

    first = push(booth, connect)
    assert not first.quarantined
    again = push(booth, connect)
    assert (again.sent, again.inserted) == (0, 0)
    with psycopg.connect(central_url, autocommit=True) as conn:
        central = conn.execute("SELECT id, number, seq FROM sale WHERE device_id = %s"
                               " ORDER BY seq", (booth.context.device_id,)).fetchall()
        dup = conn.execute("SELECT count(*) - count(DISTINCT id) FROM sale").fetchone()[0]
    assert central == [(i, n, q) for i, n, q, _ in made]  # one copy each, the order made
    assert dup == 0
    with booth.db.read() as s:
        assert s.execute(select(Outbox.state).where(Outbox.table_name == "sale")
                         ).scalars().all() == ["sent"] * 12


def test_a_catalog_change_is_decided_by_head_office_not_by_the_booth_clock(
        booth, clock, other, enroll, central_url, tmp_path) -> None:
    a_connect = enroll(booth)
    b = other()
    b_connect = enroll(b)
    sync(booth, a_connect)
    sync(b, b_connect)
    b.clock.advance(days=-365)  # B's clock a year behind: B's two edits look a year old
    set_price(b, KOPI, 91_000, tmp_path)
    set_price(b, KOPI, 92_000, tmp_path)
    clock.advance(days=365)  # A's clock a year ahead: its one edit looks newest
    set_price(booth, KOPI, 88_000, tmp_path)
    assert product(booth, KOPI).updated_at - product(b, KOPI).updated_at > timedelta(days=700)
    for who, connect in [(booth, a_connect), (b, b_connect), (booth, a_connect)]:
        sync(who, connect)
    # proposals (central c0009): each booth keeps its own until head office decides
    assert (product(booth, KOPI).price, product(b, KOPI).price) == (88_000, 92_000)
    waiting = catalog_authority.versions(central_url, proposed=True)
    assert sorted((v.device_code, v.payload["price"]) for v in waiting) == [
        ("KPG-01", 88_000), ("KPG-02", 92_000)]  # B's two edits: one version of its row
    catalog_authority.accept(central_url, [max(v.number for v in waiting)])  # B's last one
    for who, connect in [(booth, a_connect), (b, b_connect)]:
        sync(who, connect)
    assert product(booth, KOPI).price == product(b, KOPI).price == 92_000  # head office's word
    assert catalog_of(booth) == catalog_of(b)
