"""Issue 16 item 3: head office's export tolerates rogue booths. KPG-02, an enrolled booth of
the same event, inserts with raw SQL under its own role lines (one naming an unknown product)
and a payment on KPG-01's sale, and a sale of its own numbered like KPG-01's; its own device
row claims ATB-01's code; the admin adds a sale of a device head office never registered and
a second device row under KPG-02 claiming KPG-01's code (a booth's role may no longer insert
one: ``test_rogue_keys``).
``pos-app export --central`` still completes: every such row is listed in the problems sheet
(CSV and XLSX, documented in COLUMNS.md), none of it reaches a table or a total, and the pack
is, table by table, the pack before the attack."""

from __future__ import annotations

import json
import sqlite3
import uuid
from pathlib import Path

import openpyxl
import psycopg

from pos_app.services.sync.central_export import export_central
from tests.central.test_central_export import KUPANG, read_csvs, world  # noqa: F401 - fixture
from tests.integration.test_cli import run


def _one(booth_path: Path, query: str) -> str:
    with sqlite3.connect(booth_path) as con:
        found = con.execute(query).fetchone()[0]
    con.close()
    return found


def _copy_as(conn, table: str, where: str, args: tuple, **changes) -> uuid.UUID:
    """Insert a copy of one of the role's own rows with ``changes`` (a new id and seq)."""
    cur = conn.execute(f'SELECT * FROM "{table}" WHERE {where} LIMIT 1', args)
    names = [d.name for d in cur.description]
    row = dict(zip(names, cur.fetchone(), strict=True))
    row.update(id=uuid.uuid4(), **changes)
    if "seq" in row:
        row["seq"] = 10**9 + uuid.uuid4().int % 10**6
    cols = ", ".join(f'"{n}"' for n in row)
    marks = ", ".join(["%s"] * len(row))
    conn.execute(f'INSERT INTO "{table}" ({cols}) VALUES ({marks})',
                 [psycopg.types.json.Jsonb(v) if isinstance(v, dict) else v
                  for v in row.values()])
    return row["id"]


def _pack(url: str, out: Path) -> tuple[dict, dict]:
    done = export_central(url, out, "pack", [KUPANG])
    manifest = json.loads((out / "manifest.json").read_text("utf-8"))
    return read_csvs(out / "csv"), manifest | {"devices": list(done.devices)}


def _problems(folder: Path) -> list[dict]:
    import csv

    with (folder / "csv" / "problems.csv").open(newline="", encoding="utf-8-sig") as fh:
        return list(csv.DictReader(fh))


def test_rogue_rows_are_listed_left_out_and_the_victim_is_intact(world, tmp_path,  # noqa: F811
                                                                 capsys) -> None:
    before, before_manifest = _pack(world.url, tmp_path / "before")
    assert _problems(tmp_path / "before") == []
    victim, rogue = world.booths["KPG-01"], world.booths["KPG-02"]
    vpath = victim.booth.db.path
    victim_sale = uuid.UUID(_one(vpath, "SELECT id FROM sale WHERE kind = 'sale' ORDER BY seq"))
    victim_number = _one(vpath, "SELECT number FROM sale WHERE kind = 'sale' ORDER BY seq")
    me = rogue.booth.context.device_id
    with psycopg.connect(**rogue.info, autocommit=True) as conn:  # the rogue's own role
        unknown_line = _copy_as(conn, "sale_line", "device_id = %s", (me,),
                                sale_id=victim_sale, product_id=uuid.uuid4(), line_no=901)
        known_line = _copy_as(conn, "sale_line", "device_id = %s", (me,),
                              sale_id=victim_sale, line_no=902, qty=50)
        payment = _copy_as(conn, "payment", "device_id = %s", (me,), sale_id=victim_sale)
        clash = _copy_as(conn, "sale", "device_id = %s AND kind = 'sale'", (me,),
                         number=victim_number)
    stranger = uuid.uuid4()
    with psycopg.connect(world.url, autocommit=True) as conn:  # a device never registered
        # a device row under the rogue's device for another id (its role may no longer
        # insert one since c0007, test_rogue_keys; one inserted before is still a problem)
        fake_device = _copy_as(conn, "device", "id = %s", (me,), code="KPG-01",
                               event_id=victim.booth.context.event_id)
        orphan = _copy_as(conn, "sale", "device_id = %s AND kind = 'sale'", (me,),
                          device_id=stranger, number="ZZZ-01-000001")
        # the rogue's own device row claims ATB-01's code (as if it had pushed it so)
        conn.execute("UPDATE device SET code = 'ATB-01' WHERE id = %s", (me,))

    after, manifest = _pack(world.url, tmp_path / "after")

    listed = {(p["table"], p["record_id"]): p for p in _problems(tmp_path / "after")}
    assert set(listed) == {("device", fake_device.hex), ("sale_line", unknown_line.hex),
                           ("sale_line", known_line.hex), ("payment", payment.hex),
                           ("sale", clash.hex), ("sale", orphan.hex), ("device", me.hex)}
    assert listed[("device", me.hex)]["reason"] == (
        "its device row claims the code ATB-01; head office's registry says KPG-02, which is "
        "used")
    assert "not head office's registered device" in listed[("device", fake_device.hex)]["reason"]
    assert "not the device of the sale" in listed[("sale_line", unknown_line.hex)]["reason"]
    assert "does not carry its device's code" in listed[("sale", clash.hex)]["reason"]
    assert "never registered" in listed[("sale", orphan.hex)]["reason"]
    assert listed[("sale", orphan.hex)]["device"] == ""
    assert listed[("sale", clash.hex)]["device"] == "KPG-02"
    # nothing of it reached a table or a total: the pack is the pack before the attack
    assert after == before
    assert manifest["totals"] == before_manifest["totals"]
    assert manifest["devices"] == before_manifest["devices"] == ["KPG-01", "KPG-02"]
    assert manifest["counts"]["problems"] == 7
    sheet = openpyxl.load_workbook(tmp_path / "after" / "export.xlsx", read_only=True)["problems"]
    assert sum(1 for _ in sheet.iter_rows()) == 8  # header + 7
    assert "## problems" in (tmp_path / "after" / "csv" / "COLUMNS.md").read_text("utf-8")
    code, out, err = run(capsys, "export", "--central", world.url, "--event", KUPANG,
                         "--format", "csv", "--out", str(tmp_path / "cli"))
    assert (code, err) == (0, "")
    assert "7 records could not be placed and were left out of the totals" in out
    # the other event exports as before too
    assert export_central(world.url, tmp_path / "atb.csv", "csv", ["Pameran Karya Lapas Atambua"]
                          ).devices == ("ATB-01",)
