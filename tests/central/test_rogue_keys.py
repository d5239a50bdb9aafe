"""Issue 16 item 2: central records are keyed by their device. R, a second enrolled booth of
the same event, learns B's sale (its id, number, lines and payment, as any USB bundle of B's
shows them) and B's device id before B syncs, and with raw SQL on its own role inserts: a
``device`` row of B's id (refused), a ``sale`` of B's sale id and number with lines and a
payment for it, all under R's own device, and a line naming another of B's sales. B then
pushes: every record of B's arrives, nothing quarantined, and head office's export totals
B's sales as B's own pack does and lists R's rows as problems. The same through a bundle R
crafts and signs with its own key. Role names in ``pg_roles`` give away no device id."""

from __future__ import annotations

import csv
import json
import uuid
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import select

from pos_app.persistence.models import PUSHED, Device, Event, Payment, Sale, SaleLine
from pos_app.services.reporting.export_pack import export_pack
from pos_app.services.reporting.report_facts import ReportFilter
from pos_app.services.setup.booth import Booth
from pos_app.services.setup.records import Recorder
from pos_app.services.sync import enrollment
from pos_app.services.sync.bundle import export_bundle
from pos_app.services.sync.bundle_import import import_bundle
from pos_app.services.sync.central_export import export_central
from pos_app.services.sync.sync_catalog import versions
from pos_app.services.sync.sync_status import run_sync
from tests.central.test_central_export import read_csvs
from tests.central.test_push import local_ids, make_sales

RECORD_TABLES = ("sales", "lines", "payments")


def booth_rows(booth: Booth, model, *where) -> list[dict]:
    """The booth's own rows of ``model`` as Python values (what its bundle shows)."""
    table = model.__table__
    with booth.db.read() as s:
        return [dict(r._mapping) for r in s.execute(select(table).where(*where)
                                                    .order_by(table.c.seq))]


def insert_row(conn, table: str, row: dict) -> None:
    cols = ", ".join(f'"{c}"' for c in row)
    conn.execute(f'INSERT INTO "{table}" ({cols}) VALUES ({", ".join(["%s"] * len(row))})',
                 list(row.values()))


def fresh_seq() -> int:
    return 10**9 + uuid.uuid4().int % 10**6


def under_rogue(row: dict, rogue: uuid.UUID, **changes) -> dict:
    """B's row as R inserts it: R's own device (the only one its role may write)."""
    return {**row, "device_id": rogue, "seq": fresh_seq(), **changes}


def central_query(url: str, sql: str, args: tuple = ()) -> list[tuple]:
    with psycopg.connect(url, autocommit=True) as conn:
        return conn.execute(sql, args).fetchall()


def _mine_all_there(booth: Booth, url: str) -> None:
    """Every record of ``booth`` is central under its own device, exactly once."""
    me = booth.context.device_id
    mine = local_ids(booth)
    for t in PUSHED:
        theirs = [r[0] for r in central_query(url, f'SELECT id FROM "{t}" WHERE device_id = %s',
                                         (me,))]
        assert sorted(theirs) == sorted(mine[t]), t


def _problems(folder: Path) -> dict[tuple[str, str], dict]:
    with (folder / "csv" / "problems.csv").open(newline="", encoding="utf-8-sig") as fh:
        return {(p["table"], p["record_id"]): p for p in csv.DictReader(fh)}


def _record_rows(tables: dict) -> dict[str, list[tuple]]:
    return {t: sorted(tuple(sorted(r.items())) for r in tables[t]) for t in RECORD_TABLES}


@pytest.fixture
def pair(register, secrets, booth: Booth, till_shift, other):
    """B (the demo booth) with 3 sales not yet synced; R, a second booth of the same event,
    synced; both enrolled. Returns (B, R, how to log in as R)."""
    rogue = other("KPG-02")
    assert rogue.context.event_name == booth.context.event_name
    enrollment.enroll(booth, register(booth))
    r_file = register(rogue)
    enrollment.enroll(rogue, r_file)
    r_info = enrollment.read_file(r_file).conninfo()
    assert run_sync(rogue).push.quarantined == []
    make_sales(booth, till_shift, 3)
    return booth, rogue, lambda: psycopg.connect(**r_info, autocommit=True)


def b_sales(booth: Booth) -> list[dict]:
    return booth_rows(booth, Sale, Sale.kind == "sale")


def _expected_pack(booth: Booth, folder: Path) -> tuple[dict, dict]:
    pack = export_pack(booth, folder, ReportFilter(event_id=booth.context.event_id),
                       formats=("csv",))
    return read_csvs(pack.path / "csv"), json.loads((pack.path / "manifest.json")
                                                     .read_text("utf-8"))


def _central_pack(url: str, booth: Booth, folder: Path) -> tuple[dict, dict]:
    done = export_central(url, folder, "pack", [booth.context.event_name])
    assert done.devices == ("KPG-01", "KPG-02")
    return read_csvs(folder / "csv"), json.loads((folder / "manifest.json").read_text("utf-8"))


def assert_b_intact(booth: Booth, url: str, tmp_path: Path) -> dict:
    """B's records all central, none quarantined; head office's pack has B's sales, lines
    and payments exactly as B's own pack; returns the pack's problems."""
    _mine_all_there(booth, url)
    assert central_query(url, "SELECT count(*) FROM sync_quarantine WHERE device_id = %s",
                    (booth.context.device_id,)) == [(0,)]
    want, want_manifest = _expected_pack(booth, tmp_path / "b-pack")
    got, manifest = _central_pack(url, booth, tmp_path / "central")
    assert _record_rows(got) == _record_rows(want)
    assert manifest["totals"] == want_manifest["totals"]
    return _problems(tmp_path / "central")


def test_rows_another_booth_inserted_never_make_a_booths_records_conflicts(
        pair, central_url, tmp_path) -> None:
    booth, rogue, as_rogue = pair
    me, r = booth.context.device_id, rogue.context.device_id
    first, second = b_sales(booth)[:2]
    lines = booth_rows(booth, SaleLine, SaleLine.sale_id == first["id"])
    [pay] = booth_rows(booth, Payment, Payment.sale_id == first["id"])
    [b_device] = booth_rows(booth, Device, Device.id == me)
    with as_rogue() as conn:  # R's own role, raw SQL
        for claimed in (r, me):  # a device row of B's id: under R's device or B's
            with pytest.raises(psycopg.errors.InsufficientPrivilege), conn.transaction():
                insert_row(conn, "device", {**b_device, "device_id": claimed, "seq": fresh_seq()})
        # B's sale id and number, at Rp0, with B's line and payment ids: all under R
        insert_row(conn, "sale", under_rogue(first, r, subtotal=0, discount=0, tax=0, total=0,
                                        tendered=0, change=0))
        for line in lines:
            insert_row(conn, "sale_line", under_rogue(line, r))
        insert_row(conn, "payment", under_rogue(pay, r, amount=0, tendered=0, change=0))
        orphan = uuid.uuid4()  # a line on another sale of B's, which R has no sale of
        insert_row(conn, "sale_line", under_rogue(lines[0], r, id=orphan, sale_id=second["id"],
                                             line_no=9))
    assert central_query(central_url, "SELECT device_id FROM device WHERE id = %s", (me,)) == []

    done = run_sync(booth)  # B pushes: nothing of it meets R's rows
    assert done.push.quarantined == [] and done.push.sent > 0
    assert sorted(central_query(central_url, "SELECT device_id FROM sale WHERE id = %s",
                           (first["id"],))) == sorted([(me,), (r,)])
    assert central_query(central_url, "SELECT device_id, code FROM device WHERE id = %s",
                    (me,)) == [(me, b_device["code"])]

    problems = assert_b_intact(booth, central_url, tmp_path)
    assert set(problems) == {("sale", first["id"].hex), ("sale_line", orphan.hex),
                             ("payment", pay["id"].hex)} | {
                                 ("sale_line", line["id"].hex) for line in lines}
    assert {p["device"] for p in problems.values()} == {"KPG-02"}
    assert "does not carry its device's code" in problems[("sale", first["id"].hex)]["reason"]
    assert "not the device of the sale" in problems[("sale_line", orphan.hex)]["reason"]
    assert "the sale it belongs to is left out" in \
        problems[("payment", pay["id"].hex)]["reason"]


def test_the_same_attack_through_a_bundle_the_rogue_signs(pair, central_url, tmp_path) -> None:
    booth, rogue, _as_rogue_role = pair
    me, r = booth.context.device_id, rogue.context.device_id
    [first] = b_sales(booth)[:1]
    lines = booth_rows(booth, SaleLine, SaleLine.sale_id == first["id"])
    [pay] = booth_rows(booth, Payment, Payment.sale_id == first["id"])
    [b_device] = booth_rows(booth, Device, Device.id == me)
    stamped = ("device_id", "seq", "created_at")  # R's Recorder stamps them as R's
    with rogue.db.write() as s:  # R's own database: its bundle carries them, signed
        Recorder(s, r, rogue.clock.now()).insert_all([
            (Device, [{**{k: v for k, v in b_device.items() if k not in stamped},
                       "event_id": rogue.context.event_id}]),
            (Sale, [{**{k: v for k, v in first.items() if k not in stamped},
                     "event_id": rogue.context.event_id, "shift_id": None,
                     "cashier_id": None, "subtotal": 0, "discount": 0, "tax": 0,
                     "total": 0, "tendered": 0, "change": 0}]),
            (SaleLine, [{k: v for k, v in line.items() if k not in stamped}
                        for line in lines]),
            (Payment, [{**{k: v for k, v in pay.items() if k not in stamped},
                        "amount": 0, "tendered": 0, "change": 0}])])
    crafted = export_bundle(rogue, tmp_path / "r.lapak")
    got = import_bundle(crafted.path, central_url)
    assert [(q.table_name, q.record_id, q.reason) for q in got.quarantined] == [
        ("device", me, "a device row for another device")]

    mine = export_bundle(booth, tmp_path / "b.lapak")
    done = import_bundle(mine.path, central_url)
    assert done.quarantined == [] and done.inserted + done.already_there == done.records
    # head office published B's catalog under B's own version ids: those are there already
    carried = [v for v in versions(booth, everything=True) if v.payload is not None]
    assert done.already_there == len(carried) and done.inserted == done.records - len(carried)
    problems = assert_b_intact(booth, central_url, tmp_path)
    assert set(problems) == {("sale", first["id"].hex), ("payment", pay["id"].hex)} | {
        ("sale_line", line["id"].hex) for line in lines}


def test_role_names_tell_no_device_id(pair, central_url) -> None:
    booth, rogue, as_rogue = pair
    ids = {booth.context.device_id.hex, rogue.context.device_id.hex}
    with as_rogue() as conn:  # what any login reads
        names = [n for (n,) in conn.execute("SELECT rolname FROM pg_roles")]
        assert not [n for n in names if any(i in n.replace("-", "") for i in ids)]
        mine = conn.execute("SELECT role_name FROM device_role").fetchall()
        assert mine == [(conn.info.user,)] and conn.info.user.startswith("lapak_dev_")
    registry = central_query(central_url, "SELECT role_name FROM device_role")
    assert len(registry) == 2 and all(n in names for (n,) in registry)


def test_an_event_row_of_another_booths_event_id_takes_none_of_its_sales(
        pair, central_url, tmp_path) -> None:
    """R names an event row of its own with B's event id "Pameran Palsu": that event's
    export places none of B's sales (they are listed, not totalled), B's event is intact."""
    booth, rogue, as_rogue = pair
    assert run_sync(booth).push.quarantined == []
    [b_event] = booth_rows(booth, Event)
    with as_rogue() as conn:
        insert_row(conn, "event", under_rogue(b_event, rogue.context.device_id,
                                         name="Pameran Palsu"))
    fake = export_central(central_url, tmp_path / "fake", "pack", ["Pameran Palsu"])
    assert fake.devices == () and fake.pack.documents == 0
    listed = _problems(tmp_path / "fake")
    assert {r for t, r in listed if t == "sale"} == {s["id"].hex for s in booth_rows(booth, Sale)}
    assert {p["device"] for p in listed.values()} == {"KPG-01"}  # B's rows, none placed
    assert_b_intact(booth, central_url, tmp_path)
