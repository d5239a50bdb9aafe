"""Issue 16, item 1: ``pos-app central catalog ...`` as head office's own login (a member of
``lapak_catalog``, no superuser, no CREATEROLE), against a real PostgreSQL: each verb,
and each refusal as one translated line with nothing changed."""

from __future__ import annotations

import json
import uuid
from urllib.parse import quote

import psycopg
import pytest
from psycopg.types.json import Jsonb

from pos_app.cli.main import main
from pos_app.domain.ids import catalog_id
from tests.central.test_catalog_sync import KOPI, product, set_price, sync

PASSWORD = "rahasia-kantor"


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(["--lang", "en", *argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def head_office(pg_server, central_url, register):
    """The address of a head office catalog editor: only a member of ``lapak_catalog``
    (which reads as ``lapak_head_office`` does); no superuser, no CREATEROLE."""
    _server, socket_dir = pg_server
    name = f"kantor_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(central_url, autocommit=True) as conn:
        conn.execute(f"CREATE ROLE {name} LOGIN PASSWORD '{PASSWORD}' IN ROLE lapak_catalog")
        dbname = conn.execute("SELECT current_database()").fetchone()[0]
    yield (f"postgresql://{name}:{PASSWORD}@/{dbname}?host={quote(str(socket_dir), safe='')}"
           "&sslmode=disable")
    with psycopg.connect(central_url, autocommit=True) as conn:
        conn.execute(f"DROP ROLE {name}")


def count_versions(url: str) -> int:
    with psycopg.connect(url, autocommit=True) as conn:
        return conn.execute("SELECT count(*) FROM catalog_version").fetchone()[0]


def test_publish_a_file_reaches_every_booth(capsys, booth, enroll, head_office, central_url,
                                            tmp_path) -> None:
    connect = enroll(booth)
    sync(booth, connect)
    f = tmp_path / "katalog.csv"
    f.write_text("sku,name,category,facility,price\n"
                 f"{KOPI},Kopi Arabika Flores Bajawa 250 g,kopi,LP-END,86.000\n"
                 "TEN-900,Selendang Tenun Ikat,tenun-baru,LP-KPG,150000\n")
    code, out, err = run(capsys, "central", "catalog", "publish", str(f), "--url", head_office)
    assert (code, err) == (0, "")
    assert out.strip() == "Catalog published: 2 added, 1 changed, 0 unchanged"  # + category
    sync(booth, connect)
    assert product(booth, KOPI).price == 86_000
    assert product(booth, "TEN-900").price == 150_000
    code, out, _ = run(capsys, "--json", "central", "catalog", "history", "TEN-900",
                       "--url", head_office)
    rows = json.loads(out)["versions"]
    assert [(r["status"], r["device"], r["payload"]["price"]) for r in rows] == [
        ("published", "", 150_000)]


def test_publish_refuses_a_bad_file_whole(capsys, booth, enroll, head_office,
                                          tmp_path) -> None:
    enroll(booth)
    f = tmp_path / "katalog.csv"
    f.write_text("sku,name,category,facility,price\n"
                 "NEW-1,Barang Gratis,kopi,LP-KPG,0\n"
                 "NEW-2,Nama\u0007Aneh,kopi,LP-KPG,1000\n"
                 "NEW-3,Fasilitas Lain,kopi,LP-XXX,1000\n")
    before = count_versions(head_office)
    code, _out, err = run(capsys, "central", "catalog", "publish", str(f), "--url", head_office)
    assert code == 1
    assert err.splitlines()[0].startswith("pos-app: Nothing was imported: 2 error(s)")
    assert count_versions(head_office) == before
    f.write_text("sku,name,category,facility,price\nNEW-1,Barang Gratis,kopi,LP-KPG,0\n")
    code, _out, err = run(capsys, "central", "catalog", "publish", str(f), "--url", head_office)
    assert code == 1 and "out of range: 0" in err
    assert count_versions(head_office) == before


def test_list_accept_reject_revert_and_from_device(capsys, booth, other, enroll, head_office,
                                                   tmp_path) -> None:
    a_connect = enroll(booth)
    b = other()
    b_connect = enroll(b)
    sync(booth, a_connect)
    sync(b, b_connect)
    set_price(b, KOPI, 90_000, tmp_path)
    set_price(b, "KOP-002", 46_000, tmp_path)
    sync(b, b_connect)
    code, out, _ = run(capsys, "--json", "central", "catalog", "list", "--proposed",
                       "--url", head_office)
    waiting = {r["key"]: r["version"] for r in json.loads(out)["versions"]}
    assert code == 0 and set(waiting) == {KOPI, "KOP-002"}
    code, out, _ = run(capsys, "central", "catalog", "list", "--proposed", "--url", head_office)
    assert "Rp90.000" in out and "KPG-02" in out and "proposed" in out
    code, out, _ = run(capsys, "--json", "central", "catalog", "history", "KPG-02",
                       "--url", head_office)  # a device's versions: its proposals, and the
    mine = json.loads(out)["versions"]  # copies of the catalog it started with (no change)
    assert {r["device"] for r in mine} == {"KPG-02"}
    assert sorted(r["key"] for r in mine if r["status"] == "proposed") == ["KOP-001", "KOP-002"]
    assert {r["reason"] for r in mine if r["status"] == "rejected"} == {
        "the same as the current row"}

    code, out, err = run(capsys, "central", "catalog", "accept", str(waiting[KOPI]),
                         "--url", head_office)
    assert (code, err, out.strip()) == (0, "", "1 catalog proposals accepted")
    code, out, err = run(capsys, "central", "catalog", "reject", str(waiting["KOP-002"]),
                         "--reason", "harga lama", "--url", head_office)
    assert (code, err, out.strip()) == (0, "", "1 catalog proposals rejected")
    sync(booth, a_connect)
    sync(b, b_connect)
    assert product(booth, KOPI).price == product(b, KOPI).price == 90_000
    assert product(b, "KOP-002").price == 45_000  # pulled back

    code, out, _ = run(capsys, "--json", "central", "catalog", "history", KOPI,
                       "--url", head_office)
    first = json.loads(out)["versions"][0]["version"]  # head office's first KOP-001
    code, out, err = run(capsys, "central", "catalog", "revert", str(first),
                         "--url", head_office)
    assert code == 0 and err == "" and out.startswith(f"Catalog version {first} published")
    sync(booth, a_connect)
    assert product(booth, KOPI).price == 85_000

    set_price(b, "KOP-003", 12_345, tmp_path)
    sync(b, b_connect)
    code, out, err = run(capsys, "central", "catalog", "publish", "--from-device", "KPG-02",
                         "--url", head_office)
    assert (code, err, out.strip()) == (0, "", "1 catalog proposals of KPG-02 accepted")
    sync(booth, a_connect)
    assert product(booth, "KOP-003").price == 12_345


def test_refusals_are_one_line_and_change_nothing(capsys, booth, other, enroll, register,
                                                  head_office, central_url) -> None:
    connect = enroll(booth)
    sync(booth, connect)
    made = catalog_id("product", KOPI)
    with psycopg.connect(central_url, autocommit=True) as conn:
        published = conn.execute("SELECT no FROM catalog_version WHERE row_id = %s",
                                 (made,)).fetchone()[0]
    before = count_versions(head_office)
    for argv, words in [
        (("accept", str(published)), "not a proposal waiting"),
        (("accept", "999999"), "not a proposal waiting"),
        (("reject", str(published), "--reason", "x"), "not a proposal waiting"),
        (("reject", str(published), "--reason", "baris\u0007"), "control character"),
        (("revert", "999999"), "never in use"),
        (("revert", "--device", "KPG-77"), "No device KPG-77 is registered centrally"),
        (("publish", "--from-device", "KPG-77"), "No device KPG-77"),
        (("accept", "1", "--url", "http://nope"), "Not a PostgreSQL address"),
    ]:
        url = () if "--url" in argv else ("--url", head_office)
        code, out, err = run(capsys, "central", "catalog", *argv, *url)
        assert code == 1 and out == "", argv
        assert len(err.strip().splitlines()) == 1 and words in err, (argv, err)
    code, _out, err = run(capsys, "central", "catalog", "revert", "--url", head_office)
    assert code == 2 and "VERSION or --device" in err
    code, _out, err = run(capsys, "central", "catalog", "reject", "1", "--url", head_office)
    assert code == 2  # --reason is required
    assert count_versions(head_office) == before

    # a booth's own login is not head office
    from pos_app.services.sync import enrollment

    b = other()
    info = enrollment.read_file(register(b)).conninfo()
    booth_url = psycopg.conninfo.make_conninfo(**info)
    code, out, err = run(capsys, "central", "catalog", "accept", str(published),
                         "--url", booth_url)
    assert code == 1 and out == "" and len(err.strip().splitlines()) == 1
    assert "refused" in err and "permission denied" in err
    assert count_versions(head_office) == before


def test_head_office_s_own_rows_keep_the_entry_rules(booth, enroll, head_office) -> None:
    enroll(booth)
    with psycopg.connect(head_office, autocommit=True) as conn:
        cur = conn.cursor(row_factory=psycopg.rows.dict_row)
        row = cur.execute("SELECT * FROM product WHERE sku = %s", (KOPI,)).fetchone()
        payload = {k: str(v) if not isinstance(v, int | bool | type(None)) else v
                   for k, v in row.items()}
        for bad, words in (({"price": 0}, "above 0"), ({"name": "Kopi\u202e"}, "control")):
            with pytest.raises(psycopg.errors.CheckViolation, match=words):
                conn.execute("SELECT lapak_catalog_publish('product', %s, %s)",
                             (row["id"], Jsonb({**payload, **bad})))
        assert conn.execute("SELECT price FROM product WHERE sku = %s",
                            (KOPI,)).fetchone() == (85_000,)


def test_revert_a_revoked_device(capsys, booth, other, enroll, head_office, central_url) -> None:
    from pos_app.services.catalog.catalog_edit import create_product
    from pos_app.services.sync import central

    a_connect = enroll(booth)
    r = other("KPG-09")
    r_connect = enroll(r)
    sync(booth, a_connect)
    made = create_product(r, name="Tas Anyaman Lontar", facility_code="LP-KPG",
                          category_code="kopi", price=120_000, actor="Maria",
                          actor_role="coordinator")
    sync(r, r_connect)
    sync(booth, a_connect)
    assert product(booth, made.sku).active is True
    central.revoke_device(central_url, "KPG-09")
    code, out, err = run(capsys, "central", "catalog", "revert", "--device", "KPG-09",
                         "--url", head_office)
    assert (code, err, out.strip()) == (0, "", "1 catalog rows of KPG-09 reverted")
    sync(booth, a_connect)
    assert product(booth, made.sku).active is False
    code, out, err = run(capsys, "central", "catalog", "revert", "--device", "KPG-09",
                         "--url", head_office)
    assert (code, out.strip()) == (0, "0 catalog rows of KPG-09 reverted")  # nothing left
