"""Head office's pack from a real central PostgreSQL: three demo booths (two of one event, on
different days and with different sales, one of another event) sell across facilities with
cash, QRIS, transfer and card, refund, void, confirm a transfer and close their shifts, push
their records, and each writes its own pack. ``pos-app export --central`` must then give,
figure by figure, the sum of the booths' own packs: for one event, for two events chosen
together or all events, and never a booth of an event not chosen. A bad address, a role that
is not head office, or an unknown event fail in one line, writing nothing; records naming a
product the central catalog lacks are listed as problems.
"""

from __future__ import annotations

import csv
import json
import re
import sqlite3
import uuid
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace

import openpyxl
import psycopg
import pytest
from pypdf import PdfReader

from pos_app.domain.cart import Discount
from pos_app.domain.reconcile import StatementLine
from pos_app.domain.settlement import PARTS, Shares
from pos_app.domain.tenders import Method, Tender
from pos_app.services.reporting.export_pack import export_pack
from pos_app.services.reporting.export_tables import BY_NAME, TABLES
from pos_app.services.reporting.report_facts import ReportFilter
from pos_app.services.sale.checkout import SaleItem, SaleRequest, checkout
from pos_app.services.sale.refunds import refund, void_sale
from pos_app.services.setup.booth import Booth
from pos_app.services.setup.clock import FixedClock
from pos_app.services.setup.setup import init_booth
from pos_app.services.shift.reconcile import confirm
from pos_app.services.shift.settlement import set_shares
from pos_app.services.shift.shifts import close_shift, open_shift
from pos_app.services.sync import central, enrollment
from pos_app.services.sync.sync_status import run_sync
from tests.central.conftest import published_by_head_office, socket_url
from tests.integration.test_cli import run

KUPANG = "Festival UMKM Kupang 2026"
ATAMBUA = "Pameran Karya Lapas Atambua"
BOSS = {"actor": "Maria", "actor_role": "coordinator"}
SHARES = {"LP-END": Shares(3333, 3333, 3334, 0), "LP-WGP": Shares(4000, 3500, 2000, 500),
          "LPKA-KPG": Shares(2500, 2500, 2500, 2500), "RT-RTG": Shares(5000, 3000, 1500, 500)}
CATALOG = ("facility", "category", "product")
# keyed tables: (key columns) -- their other numeric columns add up across booths
KEYS = {"by_facility": ("facility",), "by_product": ("sku",), "stock": ("facility", "sku"),
        "settlement": ("facility",)}
ROW_TABLES = ("sales", "lines", "payments", "shifts")  # one row per record: a union
NOT_SUMMED = {"price"} | {f"{p}_percent" for p in PARTS}


# --- the world: a central database, three booths that sold and pushed -------------------------

def _payment_id(booth: Booth, number: str) -> uuid.UUID:
    with sqlite3.connect(booth.db.path) as con:
        found = con.execute("SELECT p.id FROM payment p JOIN sale s ON s.id = p.sale_id "
                            "WHERE s.number = ? AND p.method = 'transfer'", (number,)).fetchone()
    con.close()
    return uuid.UUID(found[0])


def trade(booth: Booth, clock: FixedClock, n: int) -> None:
    """A day at a booth; ``n`` makes each booth's figures its own."""
    for code, shares in SHARES.items():
        set_shares(booth, code, shares, **BOSS)
    till_shift = open_shift(booth, "Kasir", 50_000 * n)
    split = checkout(booth, SaleRequest(
        items=(SaleItem(n, sku="KOP-001"), SaleItem(1, sku="TEN-001"), SaleItem(3, sku="MAK-004")),
        tenders=(Tender(Method.QRIS, 100_000 * n, f"QR-{n}"), Tender(Method.CASH, 900_000)),
        discount=Discount.percent(5), shift_id=till_shift.id))
    clock.advance(minutes=50)
    transfer = checkout(booth, SaleRequest(items=(SaleItem(n, sku="LUK-005"),),
                                           tenders=(Tender(Method.TRANSFER, 250_000 * n,
                                                           f"TRF-{n}"),),
                                           shift_id=till_shift.id))
    card = checkout(booth, SaleRequest(
        items=(SaleItem(5, sku="MAK-007"), SaleItem(n, sku="KOP-002")),
        tenders=(Tender(Method.CARD, 60_000 + 45_000 * n, f"APPR-{n}"),), shift_id=till_shift.id))
    for k in range(n):  # cash sales, more of them at the busier booth
        clock.advance(minutes=70)
        checkout(booth, SaleRequest(items=(SaleItem(1 + k, sku="KOP-002"),
                                           SaleItem(1, sku="MAK-004")),
                                    tenders=(Tender(Method.CASH, 1_000_000),), shift_id=till_shift.id))
    refund(booth, split.number, {3: 1}, method="cash", reason="torn", shift_id=till_shift.id, **BOSS)
    void_sale(booth, card.number, reason="card declined later", shift_id=till_shift.id, **BOSS)
    [pay] = [p for p in transfer.payments if p.method is Method.TRANSFER]
    confirm(booth, _payment_id(booth, transfer.number),
            StatementLine(1, datetime.now(UTC), pay.amount, f"BNI-{n}"), **BOSS)
    clock.advance(minutes=30)
    close_shift(booth, till_shift.id, {100_000: 5 + n}, "Kasir")


def read_csvs(folder: Path) -> dict[str, list[dict]]:
    out = {}
    for table in TABLES:
        with (folder / f"{table.name}.csv").open(newline="", encoding="utf-8-sig") as fh:
            out[table.name] = list(csv.DictReader(fh))
    return out


@pytest.fixture(scope="module")
def world(pg_server, tmp_path_factory):
    server, socket_dir = pg_server
    name = f"central_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(socket_url(socket_dir, "postgres"), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    url = socket_url(socket_dir, name)
    central.init_central(url)
    folder = tmp_path_factory.mktemp("booths")
    booths, roles = {}, []
    plan = (("KPG-01", KUPANG, datetime(2026, 11, 21, 1, 0, tzinfo=UTC), 1),
            ("KPG-02", KUPANG, datetime(2026, 11, 22, 2, 0, tzinfo=UTC), 2),
            ("ATB-01", ATAMBUA, datetime(2026, 12, 5, 3, 0, tzinfo=UTC), 3))
    try:
        for code, event, start, n in plan:
            made, _res = init_booth(folder / f"{code}.db", demo=True, device_code=code,
                                    event_name=event)
            made.close()
            clock = FixedClock(start)
            booth = Booth.open(folder / f"{code}.db", clock=clock)
            trade(booth, clock, n)
            out = folder / f"{code}.enroll"
            roles.append(central.add_device(url, code, out,
                                            device_id=booth.context.device_id).role)
            published_by_head_office(url, booth)
            info = enrollment.read_file(out).conninfo()
            done = run_sync(booth, connect=lambda info=info: psycopg.connect(
                **info, autocommit=True))  # the records, and the catalog as versions
            assert done.push.quarantined == [] and done.push.sent > 0
            assert done.catalog.quarantined == [] and done.catalog.conflicts == []
            pack = export_pack(booth, folder / f"{code}-pack", ReportFilter(
                event_id=booth.context.event_id), formats=("csv",))
            booths[code] = SimpleNamespace(
                booth=booth, info=info, tables=read_csvs(pack.path / "csv"),
                manifest=json.loads((pack.path / "manifest.json").read_text("utf-8")))
        yield SimpleNamespace(url=url, booths=booths, socket_dir=socket_dir, db=name)
    finally:
        for b in booths.values():
            b.booth.close()
        with psycopg.connect(socket_url(socket_dir, "postgres"), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            for role in roles:
                conn.execute(f'DROP ROLE IF EXISTS "{role}"')


# --- what "the sum of the booths" means for each table -----------------------------------------

def _numeric(table: str, column: str) -> bool:
    t = BY_NAME[table]
    return t.columns[t.index(column)].kind in ("int", "money")


def _rows(rows: list[dict]) -> list[tuple]:
    return sorted(tuple(sorted(r.items())) for r in rows)


def _keyed(table: str, rows: list[dict]) -> dict[tuple, dict]:
    return {tuple(r[k] for k in KEYS[table]): r for r in rows}


def expected(world, *codes: str) -> dict:
    """The booths' own packs added up: record tables side by side, keyed tables summed."""
    packs = [world.booths[c].tables for c in codes]
    out: dict = {t: sorted(r for p in packs for r in _rows(p[t])) for t in ROW_TABLES}
    for table in KEYS:
        merged: dict[tuple, dict] = {}
        for p in packs:
            for key, row in _keyed(table, p[table]).items():
                if key not in merged:
                    merged[key] = dict(row)
                    continue
                acc = merged[key]
                for col, value in row.items():
                    if col in NOT_SUMMED or not _numeric(table, col):
                        assert acc[col] == value, (table, key, col)  # the same everywhere
                    elif value != "":
                        acc[col] = str(int(acc[col] or 0) + int(value))
        out[table] = merged
    return out


def assert_sum(got: dict[str, list[dict]], want: dict) -> None:
    for table in ROW_TABLES:
        assert _rows(got[table]) == want[table], table
    for table in KEYS:
        rows = _keyed(table, got[table])
        assert set(rows) == set(want[table]), table
        for key, row in rows.items():
            for col, value in row.items():
                assert value == want[table][key][col], (table, key, col)
    for row in got["settlement"]:
        if row["pnbp"] != "":  # the booths' splits added up: still the whole DPP
            assert sum(int(row[p]) for p in PARTS) == int(row["dpp"]) \
                == int(row["net"]) - int(row["tax"])


def add_totals(*totals):
    """Manifest totals added up leaf by leaf."""
    first = totals[0]
    if isinstance(first, dict):
        keys = set().union(*(t.keys() for t in totals))
        return {k: add_totals(*(t[k] for t in totals if k in t)) for k in keys}
    return sum(totals)


def net_by(rows: list[dict], key: str, field: str = "total") -> dict[str, int]:
    out: dict[str, int] = defaultdict(int)
    for r in rows:
        out[r[key]] += int(r[field]) if r["kind"] == "sale" else -int(r[field])
    return dict(out)


def nothing_written(folder: Path) -> None:
    assert list(folder.iterdir()) == []


# --- the tests --------------------------------------------------------------------------------

def test_event_pack_is_the_sum_of_its_booths(world, tmp_path: Path, capsys) -> None:
    out = tmp_path / "pack"
    code, stdout, err = run(capsys, "export", "--central", world.url, "--event",
                            "festival umkm KUPANG 2026", "--format", "pack", "--out", str(out),
                            "--json")
    assert (code, err) == (0, ""), err
    done = json.loads(stdout)
    assert (done["events"], done["devices"]) == ([KUPANG], ["KPG-01", "KPG-02"])
    got = read_csvs(out / "csv")
    a, b = world.booths["KPG-01"], world.booths["KPG-02"]
    assert_sum(got, expected(world, "KPG-01", "KPG-02"))

    # the figures head office asks for, spelled out: per facility, method, day, product
    for key, field, table in (("facility", "total", "lines"), ("method", "amount", "payments"),
                              ("business_date", "total", "sales"), ("sku", "qty", "lines")):
        mine = add_totals(net_by(a.tables[table], key, field), net_by(b.tables[table], key, field))
        assert net_by(got[table], key, field) == mine, key
    assert set(net_by(got["sales"], "business_date")) == {"2026-11-21", "2026-11-22"}
    assert len({r["facility"] for r in got["by_facility"]}) >= 4
    assert {r["method"] for r in got["payments"]} == {"cash", "qris", "transfer", "card"}
    assert {r["kind"] for r in got["sales"]} == {"sale", "refund", "void"}

    manifest = json.loads((out / "manifest.json").read_text("utf-8"))
    assert manifest["totals"] == add_totals(a.manifest["totals"], b.manifest["totals"])
    assert manifest["totals"]["net"] == done["totals"]["net"] > 0
    for table in ROW_TABLES:
        assert manifest["counts"][table] == a.manifest["counts"][table] + \
            b.manifest["counts"][table]
    assert manifest["audit"] == sorted(a.manifest["audit"] + b.manifest["audit"],
                                       key=lambda h: (h["device"], h["device_id"]))
    assert manifest["filter"]["events"] == [KUPANG]
    assert manifest["filter"]["devices"] == ["KPG-01", "KPG-02"]
    assert manifest["device"] == "KPG-01, KPG-02"

    # the workbook and the PDF tell the same story
    book = openpyxl.load_workbook(out / "export.xlsx", read_only=True)
    sheet = list(book["by_facility"].iter_rows(values_only=True))
    book.close()
    header = sheet[0]
    want = expected(world, "KPG-01", "KPG-02")["by_facility"]
    for row in sheet[1:]:
        if row[0] is None:
            continue
        cells = dict(zip(header, row, strict=True))
        assert cells["net"] == int(want[(cells["facility"],)]["net"])
        assert cells["cash"] == int(want[(cells["facility"],)]["cash"])
    text = "".join(page.extract_text() for page in PdfReader(out / "summary.pdf").pages)
    assert KUPANG in text and "KPG-01, KPG-02" in text


def test_head_office_figures_are_the_booths_figures_label_by_label(world, tmp_path: Path,
                                                                  capsys) -> None:
    """The one set of figures (DESIGN): head office's pack (by_facility CSV and XLSX, the
    manifest, the summary PDF) shows, label by label, the sum of what each booth's own
    report shows; the net equals the money the booths kept."""
    import subprocess

    from pos_app.domain.figures import FIGURE_KEYS, FIGURE_LABELS
    from pos_app.services.reporting.reports import report

    out = tmp_path / "ho"
    code, _stdout, err = run(capsys, "export", "--central", world.url, "--event", KUPANG,
                             "--format", "pack", "--out", str(out))
    assert (code, err) == (0, ""), err
    want = dict.fromkeys(FIGURE_KEYS, 0)
    kept = 0
    for name in ("KPG-01", "KPG-02"):
        booth = world.booths[name].booth
        shown = report(booth, ReportFilter(event_id=booth.context.event_id)).totals.figures()
        for key, value in shown.as_dict().items():
            want[key] += value
        with sqlite3.connect(booth.db.path) as con:
            kept += con.execute("SELECT sum(CASE WHEN s.kind = 'sale' THEN p.amount ELSE "
                                "-p.amount END) FROM payment p JOIN sale s "
                                "ON s.id = p.sale_id").fetchone()[0]
        con.close()
    assert want["net"] == kept and want["tax"] > 0 and want["voids"] < 0 > want["refunds"]

    def columns(rows) -> dict[str, int]:
        got = {key: sum(int(r[key]) for r in rows) for key in FIGURE_KEYS}
        got["discounts"] = -got["discounts"]  # written as a positive amount
        return got

    book = openpyxl.load_workbook(out / "export.xlsx", read_only=True)
    sheet = list(book["by_facility"].iter_rows(values_only=True))
    book.close()
    places = {
        "CSV": columns(read_csvs(out / "csv")["by_facility"]),
        "XLSX": columns([dict(zip(sheet[0], r, strict=True)) for r in sheet[1:] if r[1]]),
        "manifest": columns([json.loads((out / "manifest.json").read_text("utf-8"))["totals"]]),
    }
    text = " ".join(subprocess.run(["pdftotext", "-layout", str(out / "summary.pdf"), "-"],
                                   check=True, capture_output=True, text=True).stdout.split())
    pdf = {}
    for key, label in FIGURE_LABELS:
        found = re.search(rf"(?:^| ){re.escape(label)} (-?)Rp([\d.]+)", text)
        assert found is not None, label
        pdf[key] = int(found[2].replace(".", "")) * (-1 if found[1] else 1)
    places["summary PDF"] = pdf
    for place, got in places.items():
        assert got == want, place


def test_two_events_together_are_the_sum_of_all_booths(world, tmp_path: Path, capsys) -> None:
    want = expected(world, "KPG-01", "KPG-02", "ATB-01")
    code, _out, err = run(capsys, "export", "--central", world.url, "--event", KUPANG,
                          "--event", ATAMBUA, "--format", "csv", "--out", str(tmp_path / "two"))
    assert (code, err) == (0, ""), err
    assert_sum(read_csvs(tmp_path / "two"), want)
    # no --event: every event in the central database, the same figures
    code, out, err = run(capsys, "export", "--central", world.url, "--format", "csv",
                         "--out", str(tmp_path / "all"), "--json")
    assert (code, err) == (0, ""), err
    assert json.loads(out)["devices"] == ["ATB-01", "KPG-01", "KPG-02"]
    assert_sum(read_csvs(tmp_path / "all"), want)


def test_one_event_leaves_out_the_other_events_booths(world, tmp_path: Path, capsys) -> None:
    code, _out, err = run(capsys, "export", "--central", world.url, "--event", ATAMBUA,
                          "--format", "csv", "--out", str(tmp_path / "atb"))
    assert (code, err) == (0, ""), err
    got = read_csvs(tmp_path / "atb")
    own = world.booths["ATB-01"].tables
    for table in TABLES:  # exactly the booth's own pack
        assert _rows(got[table.name]) == _rows(own[table.name]), table.name
    assert {r["number"][:6] for r in got["sales"]} == {"ATB-01"}
    code, _out, err = run(capsys, "export", "--central", world.url, "--event", KUPANG,
                          "--format", "csv", "--out", str(tmp_path / "kpg"))
    assert (code, err) == (0, ""), err
    kupang = read_csvs(tmp_path / "kpg")
    assert {r["number"][:6] for r in kupang["sales"]} == {"KPG-01", "KPG-02"}
    assert len({r["shift"] for r in kupang["shifts"]}) == 2
    stock = sum(int(r["on_hand"]) for r in kupang["stock"])
    assert stock == sum(int(r["on_hand"]) for c in ("KPG-01", "KPG-02")
                        for r in world.booths[c].tables["stock"])


def test_dates_keep_those_business_days(world, tmp_path: Path, capsys) -> None:
    """--from/--to as on a booth: the second day of the Kupang event is KPG-02's alone."""
    code, _out, err = run(capsys, "export", "--central", world.url, "--event", KUPANG,
                          "--from", "2026-11-22", "--to", "2026-11-22", "--format", "csv",
                          "--out", str(tmp_path / "day"))
    assert (code, err) == (0, ""), err
    got, own = read_csvs(tmp_path / "day"), world.booths["KPG-02"].tables
    for table in ("sales", "lines", "payments", "shifts", "by_facility", "by_product",
                  "settlement"):
        assert _rows(got[table]) == _rows(own[table]), table
    # the stock sheet is the whole ledger, whatever the dates (as on a booth)
    assert _keyed("stock", got["stock"]) == expected(world, "KPG-01", "KPG-02")["stock"]
    assert {r["number"][:6] for r in got["sales"]} == {"KPG-02"}


def test_a_head_office_role_reads_it_a_booth_role_may_not(world, tmp_path: Path,
                                                          capsys) -> None:
    role, password = f"ho_{uuid.uuid4().hex[:10]}", uuid.uuid4().hex
    admin = socket_url(world.socket_dir, world.db)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f"CREATE ROLE {role} LOGIN PASSWORD '{password}' IN ROLE lapak_head_office")
    try:
        url = socket_url(world.socket_dir, world.db, user=role) + f"&password={password}"
        code, _out, err = run(capsys, "export", "--central", url, "--event", KUPANG,
                              "--format", "csv", "--out", str(tmp_path / "ho"))
        assert (code, err) == (0, ""), err
        assert_sum(read_csvs(tmp_path / "ho"), expected(world, "KPG-01", "KPG-02"))
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f"DROP ROLE {role}")
    info = world.booths["KPG-01"].info  # a booth sees only its own rows: refused, not a part
    booth_url = " ".join(f"{k}={v}" for k, v in info.items())
    code, out, err = run(capsys, "export", "--central", booth_url, "--format", "csv",
                         "--out", str(tmp_path / "booth"))
    assert (code, out) == (1, "")
    assert err.startswith("pos-app: The central database refused: lapak_dev_")
    assert "lapak_head_office" in err and len(err.strip().splitlines()) == 1
    assert not (tmp_path / "booth").exists()


@pytest.mark.parametrize(("argv", "exit_code", "message"), [
    (("--central", "nowhere", "--event", KUPANG), 1, "pos-app: Not a PostgreSQL address"),
    (("--central", "postgresql://postgres@/x?host=%2Fnonexistent-lapak&sslmode=disable"), 1,
     "pos-app: Cannot reach the central database: "),
    (("--central", "{url}", "--event", "Pasar Malam Ende"), 1,
     "pos-app: Unknown event: Pasar Malam Ende"),
    (("--central", "{url}", "--db", "booth.db"), 2, "pos-app: --central reads the central "
                                                    "database; leave out --db"),
    (("--event", KUPANG, "--event", ATAMBUA), 2, "pos-app: --event can be given once without "
                                                 "--central"),
])
def test_refusals_are_one_line_and_write_nothing(world, tmp_path: Path, capsys, argv,
                                                 exit_code, message) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    argv = [a.replace("{url}", world.url) for a in argv]
    for fmt, name in (("pack", "pack"), ("xlsx", "export.xlsx")):
        code, out, err = run(capsys, "export", *argv, "--format", fmt, "--out",
                             str(folder / name))
        assert (code, out) == (exit_code, "")
        assert err.startswith(message) and len(err.strip().splitlines()) == 1, err
        nothing_written(folder)


def test_a_missing_catalog_is_listed_as_problems(world, tmp_path: Path, capsys) -> None:
    """Records naming products the central catalog lacks: left out of the totals and listed
    in the problems sheet; the export completes."""
    copy = f"{world.db}_nocat"
    postgres = socket_url(world.socket_dir, "postgres")
    with psycopg.connect(postgres, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{copy}" TEMPLATE "{world.db}"')
    try:
        url = socket_url(world.socket_dir, copy)
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute("DELETE FROM product WHERE sku = 'KOP-002'")
        folder = tmp_path / "out"
        folder.mkdir()
        code, out, err = run(capsys, "export", "--central", url, "--event", KUPANG,
                             "--format", "pack", "--out", str(folder / "pack"))
        assert (code, err) == (0, ""), err
        with (folder / "pack" / "csv" / "problems.csv").open(encoding="utf-8-sig") as fh:
            problems = list(csv.DictReader(fh))
        sales = [p for p in problems if p["table"] == "sale"]
        assert sales and all("central catalog lacks" in p["reason"] for p in sales)
        got = read_csvs(folder / "pack" / "csv")
        numbers = {r["number"] for r in got["sales"]}
        assert numbers and not numbers & {p["number"] for p in sales}
    finally:
        with psycopg.connect(postgres, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE "{copy}"')


def test_a_database_not_set_up_is_refused(central_url: str, tmp_path: Path, capsys) -> None:
    code, out, err = run(capsys, "export", "--central", central_url, "--format", "csv",
                         "--out", str(tmp_path / "csv"))
    assert (code, out) == (1, "")
    assert err.startswith("pos-app: The central database is not set up (revision -)"), err
    assert not (tmp_path / "csv").exists()
