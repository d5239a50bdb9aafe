"""Issue 16, as it is shown: every attack the issue reports, made at once by R (KPG-02, a
second enrolled booth of A's event) against a real PostgreSQL set up as the README says,
first with raw SQL on R's own device role, then through a bundle R crafts in its own
database and signs with its own key. A (KPG-01, the demo booth) has sales R learnt from a
USB bundle and has not synced yet. Afterwards A syncs and:

- its prices, facilities and settlement shares are exactly as before, and KOP-001 still
  sells at Rp85.000 for LP-END (no Rp0 coffee, no move to another facility);
- every record of A's is central under A's device, none quarantined or made a conflict;
- head office's export of the event completes and its sales, lines, payments and totals are
  A's own pack's; every row R planted is listed as a problem under KPG-02, none is totalled.

The attacks one by one, with their refusal messages, live in test_rogue_catalog (item 1),
test_rogue_keys (2), test_rogue_export (3), test_rogue_records and test_rogue_bundle (4),
test_rogue_ack (5), test_rogue_journal (6) and test_rogue_limits (7)."""

from __future__ import annotations

import sqlite3
import uuid

import psycopg
import pytest
from sqlalchemy import update

from pos_app.domain.ids import catalog_id
from pos_app.persistence.models import Device, Event, Facility, Payment, Product, Sale, SaleLine
from pos_app.services.setup.booth import Booth
from pos_app.services.setup.records import Recorder
from pos_app.services.sync import enrollment
from pos_app.services.sync.bundle import export_bundle
from pos_app.services.sync.bundle_import import import_bundle
from pos_app.services.sync.sync_status import run_sync
from tests.central.test_catalog_sync import KOPI, catalog_of
from tests.central.test_push import make_sales
from tests.central.test_rogue_catalog import END, KOPI_ID, KPG, central_row, rogue, sold, status
from tests.central.test_rogue_keys import (
    assert_b_intact,
    b_sales,
    booth_rows,
    central_query,
    fresh_seq,
    insert_row,
    under_rogue,
)

SECOND = catalog_id("product", "KOP-002")
FORMULA = '=HYPERLINK("http://x","Kopi")'


@pytest.fixture
def world(register, secrets, booth: Booth, till_shift, other):
    """A and R enrolled and synced (head office published the catalog); then A makes three
    sales it has not synced. Returns (A, R, how to log in as R, A's catalog before)."""
    r = other("KPG-02")
    assert r.context.event_name == booth.context.event_name
    enrollment.enroll(booth, register(booth))
    r_file = register(r)
    enrollment.enroll(r, r_file)
    info = enrollment.read_file(r_file).conninfo()
    assert run_sync(booth).push.quarantined == [] and run_sync(r).push.quarantined == []
    before = catalog_of(booth)
    make_sales(booth, till_shift, 3)
    return booth, r, lambda: psycopg.connect(**info, autocommit=True), before


def _victim_intact(booth: Booth, url: str, before: dict, shift, tmp_path) -> dict:
    """A syncs: nothing of A's refused, its catalog as before, KOP-001 at Rp85.000 for
    LP-END; then head office's export is A's pack. Returns the export's problems."""
    done = run_sync(booth)
    assert done.push.quarantined == [] and done.catalog.conflicts == []
    assert catalog_of(booth) == before
    assert sold(booth, shift, KOPI) == (85_000, END)
    assert run_sync(booth).push.quarantined == []  # that sale too
    for table, row_id in (("product", KOPI_ID), ("product", SECOND), ("facility", END)):
        assert central_row(url, table, row_id)["revision"] == before[table][row_id][-1]
    return assert_b_intact(booth, url, tmp_path)


def test_every_attack_by_raw_sql_on_the_rogues_role(world, central_url, till_shift,
                                                     tmp_path) -> None:
    booth, r, as_rogue, before = world
    me, rd = booth.context.device_id, r.context.device_id
    # the shared catalog: a price of Rp0 is refused; Rp1 (at +1 and at +1000), switching a
    # product off and a formula name are proposals; a move or new shares are refused
    with pytest.raises(psycopg.errors.CheckViolation, match="price must be above 0"):
        rogue(as_rogue, central_url, "product", KOPI_ID, rd, 1000, price=0)
    proposals = [rogue(as_rogue, central_url, "product", KOPI_ID, rd, 1, price=1),
                 rogue(as_rogue, central_url, "product", KOPI_ID, rd, 1000, price=1),
                 rogue(as_rogue, central_url, "product", SECOND, rd, active=False),
                 rogue(as_rogue, central_url, "product", SECOND, rd, 2, name=FORMULA)]
    assert [status(central_url, v) for v in proposals] == ["proposed"] * 4
    with pytest.raises(psycopg.errors.CheckViolation, match="another facility"):
        rogue(as_rogue, central_url, "product", KOPI_ID, rd, facility_id=str(KPG))
    with pytest.raises(psycopg.errors.CheckViolation, match="settlement shares"):
        rogue(as_rogue, central_url, "facility", END, rd, pnbp_bp=0, premi_bp=0, modal_bp=0,
              program_bp=10_000)

    # A's records, as R read them in A's USB bundle
    first, second = b_sales(booth)[:2]
    lines = booth_rows(booth, SaleLine, SaleLine.sale_id == first["id"])
    [pay] = booth_rows(booth, Payment, Payment.sale_id == first["id"])
    [a_device] = booth_rows(booth, Device, Device.id == me)
    [a_event] = booth_rows(booth, Event)
    unknown = uuid.uuid4()
    with as_rogue() as conn:
        for claimed in (rd, me):  # A's device row, or a second one of R's claiming KPG-01
            with pytest.raises(psycopg.errors.InsufficientPrivilege), conn.transaction():
                insert_row(conn, "device", {**a_device, "device_id": claimed, "seq": fresh_seq()})
            with pytest.raises(psycopg.errors.InsufficientPrivilege), conn.transaction():
                insert_row(conn, "device", {**a_device, "id": uuid.uuid4(), "device_id": claimed,
                                         "seq": fresh_seq()})
        with pytest.raises(psycopg.errors.InsufficientPrivilege), conn.transaction():
            conn.execute("UPDATE device SET code = 'KPG-01' WHERE id = %s", (rd,))
        # A's sale id and number at Rp0, with A's line and payment ids, all under R
        insert_row(conn, "sale", under_rogue(first, rd, subtotal=0, discount=0, tax=0, total=0,
                                        tendered=0, change=0))
        for line in lines:
            insert_row(conn, "sale_line", under_rogue(line, rd))
        insert_row(conn, "payment", under_rogue(pay, rd, amount=0, tendered=0, change=0))
        # a line naming a product nobody has, on another of A's sales
        insert_row(conn, "sale_line", under_rogue(lines[0], rd, id=unknown, sale_id=second["id"],
                                             product_id=uuid.uuid4(), line_no=9))
        # an event row of A's event id, under another name
        insert_row(conn, "event", under_rogue(a_event, rd, name="Pameran Palsu"))
        with pytest.raises(psycopg.DataError):  # a NUL byte is refused by the client
            insert_row(conn, "sale", under_rogue(second, rd, id=uuid.uuid4(), cashier_name="x\x00"))
    assert central_query(central_url, "SELECT device_id, code FROM device WHERE id = %s",
                    (me,)) == [(me, a_device["code"])]  # A's own, and only that

    problems = _victim_intact(booth, central_url, before, till_shift, tmp_path)
    assert set(problems) == {("sale", first["id"].hex), ("payment", pay["id"].hex),
                             ("sale_line", unknown.hex)} | {
                                 ("sale_line", line["id"].hex) for line in lines}
    assert {p["device"] for p in problems.values()} == {"KPG-02"}
    assert central_query(central_url, "SELECT device_id, code FROM device WHERE id = %s",
                    (me,)) == [(me, a_device["code"])]
    assert [status(central_url, v) for v in proposals] == ["proposed"] * 4  # still only that


def test_every_attack_through_a_bundle_the_rogue_crafts_and_signs(world, central_url,
                                                                  till_shift,
                                                                  tmp_path) -> None:
    booth, r, _as_rogue_role, before = world
    me, rd = booth.context.device_id, r.context.device_id
    first, second = b_sales(booth)[:2]
    lines = booth_rows(booth, SaleLine, SaleLine.sale_id == first["id"])
    [pay] = booth_rows(booth, Payment, Payment.sale_id == first["id"])
    [a_device] = booth_rows(booth, Device, Device.id == me)
    third = catalog_id("product", "KOP-003")
    stamped = ("device_id", "seq", "created_at")  # R's Recorder stamps them as R's
    unknown = uuid.uuid4()
    with r.db.write() as s:  # R's own database, edited behind its services' back
        bump = Product.revision + 1000
        s.execute(update(Product).where(Product.id == KOPI_ID).values(price=1, revision=bump))
        s.execute(update(Product).where(Product.id == SECOND)
                  .values(active=False, name=FORMULA, revision=Product.revision + 1))
        s.execute(update(Product).where(Product.id == third)
                  .values(facility_id=KPG, revision=Product.revision + 1))
        s.execute(update(Facility).where(Facility.id == END).values(
            pnbp_bp=0, premi_bp=0, modal_bp=0, program_bp=10_000,
            revision=Facility.revision + 1))
        rec = Recorder(s, rd, r.clock.now())
        for model, row_id in ((Product, KOPI_ID), (Product, SECOND), (Product, third),
                              (Facility, END)):
            rec.queue(model, row_id)
        rec.insert_all([
            (Device, [{**{k: v for k, v in a_device.items() if k not in stamped},
                       "event_id": r.context.event_id}]),
            (Sale, [{**{k: v for k, v in first.items() if k not in stamped},
                     "event_id": r.context.event_id, "shift_id": None, "cashier_id": None,
                     "subtotal": 0, "discount": 0, "tax": 0, "total": 0, "tendered": 0,
                     "change": 0}]),
            (SaleLine, [{k: v for k, v in line.items() if k not in stamped}
                        for line in lines]),
            (Payment, [{**{k: v for k, v in pay.items() if k not in stamped},
                        "amount": 0, "tendered": 0, "change": 0}])])
    # a line naming a product nobody has, on another of A's sales: R's file, R's rules (the
    # sqlite3 module checks no foreign keys unless asked), queued as R's Recorder would
    con = sqlite3.connect(r.db.path, isolation_level=None)
    try:
        con.execute("BEGIN IMMEDIATE")
        [seq] = con.execute("UPDATE counter SET value = value + 1 WHERE device_id = ?"
                            " AND name = 'record' RETURNING value", (rd.hex,)).fetchone()
        row = {k: (v.hex if isinstance(v, uuid.UUID) else v) for k, v in lines[0].items()}
        row.update(id=unknown.hex, sale_id=second["id"].hex, product_id=uuid.uuid4().hex,
                   line_no=9, device_id=rd.hex, seq=seq, created_at=str(row["created_at"]))
        con.execute(f"INSERT INTO sale_line ({', '.join(row)})"
                    f" VALUES ({', '.join('?' * len(row))})", list(row.values()))
        con.execute("INSERT INTO outbox (table_name, record_id, seq, state, attempts,"
                    " created_at) VALUES ('sale_line', ?, ?, 'pending', 0, ?)",
                    (unknown.hex, seq, row["created_at"]))
        con.execute("COMMIT")
    finally:
        con.close()
    crafted = export_bundle(r, tmp_path / "r.lapak")
    got = import_bundle(crafted.path, central_url)
    refused = {(q.table_name, q.record_id): q.reason for q in got.quarantined}
    assert set(refused) == {("device", me), ("product", third), ("facility", END)}, refused
    assert "another facility" in refused[("product", third)]
    assert "settlement shares" in refused[("facility", END)]
    with psycopg.connect(central_url, autocommit=True) as conn:  # the rest: proposals only
        assert sorted(conn.execute(
            "SELECT row_id, status FROM catalog_version WHERE device_id = %s"
            " AND status NOT IN ('published', 'rejected')", (rd,)).fetchall()) == sorted(
                [(KOPI_ID, "proposed"), (SECOND, "proposed")])

    mine = export_bundle(booth, tmp_path / "a.lapak")  # A's own bundle, imported after R's
    done = import_bundle(mine.path, central_url)
    assert done.quarantined == []
    problems = _victim_intact(booth, central_url, before, till_shift, tmp_path)
    assert set(problems) == {("sale", first["id"].hex), ("payment", pay["id"].hex),
                             ("sale_line", unknown.hex)} | {
                                 ("sale_line", line["id"].hex) for line in lines}
    assert {p["device"] for p in problems.values()} == {"KPG-02"}
