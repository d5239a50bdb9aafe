"""One bad record never blocks a booth: a record psycopg refuses to send (a NUL byte, as a
catalog file could once put in a product's name) or the server refuses (a text longer than
its central column) is quarantined, alone; the rest of its batch, and every later sale, goes
through, by network push and by USB bundle alike. And the booth refuses such text at entry."""

from __future__ import annotations

import uuid
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import String, select

from pos_app.cli.main import main
from pos_app.domain.errors import DomainError
from pos_app.domain.ids import CATALOG_TABLES
from pos_app.domain.tenders import REFERENCE_MAX, Method, Tender
from pos_app.persistence.models import PUSHED, Base, Outbox, Product, SaleLine
from pos_app.services.access.auth import NAME_MAX as USER_NAME_MAX
from pos_app.services.access.auth import create_user
from pos_app.services.catalog.catalog_edit import NAME_MAX, create_product
from pos_app.services.sale.checkout import SaleItem, SaleRequest, checkout
from pos_app.services.sale.refunds import refund, void_sale
from pos_app.services.setup.booth import Booth
from pos_app.services.setup.setup import init_booth
from pos_app.services.shift.shifts import cash_in
from pos_app.services.stock.stock_docs import receive
from pos_app.services.sync import enrollment
from pos_app.services.sync.bundle import apply_ack, export_bundle
from pos_app.services.sync.bundle_import import import_bundle
from pos_app.services.sync.record import describe, record_of
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
    # head office has published nothing yet: the booth's catalog goes up as proposals
    return enrollment.read_file(register(booth, publish=False)).conninfo()


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
    said = describe(record_of(result), lambda m: m)  # as the sync screen says it
    assert said.endswith("quarantined 1") and said.startswith(f"Sent {result.sent} ")
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


def _undecodable_line(booth: Booth, shift) -> uuid.UUID:
    """A sale whose line's name is made bytes that are not UTF-8, past the app's triggers."""
    _sell(booth, shift, *_first_product(booth))
    with booth.db.write() as s:
        con = s.connection()
        line = con.exec_driver_sql("SELECT id FROM sale_line ORDER BY rowid DESC LIMIT 1"
                                   ).scalar_one()
        triggers = con.exec_driver_sql("SELECT name, sql FROM sqlite_master WHERE type ="
                                       " 'trigger' AND tbl_name = 'sale_line'").all()
        for name, _ in triggers:
            con.exec_driver_sql(f'DROP TRIGGER "{name}"')
        con.exec_driver_sql("UPDATE sale_line SET name = CAST(X'4b6fff' AS TEXT) WHERE id = ?",
                            (line,))
        for _, sql in triggers:
            con.exec_driver_sql(sql)
    return uuid.UUID(line)


def test_text_that_is_not_utf8_locally_quarantines_its_record_only(
        booth, till_shift, register, secrets, central_url, tmp_path) -> None:
    enrolled = register(booth)
    enrollment.enroll(booth, enrolled)
    device = enrollment.read_file(enrolled).conninfo()
    make_sales(booth, till_shift, 2)
    line = _undecodable_line(booth, till_shift)
    _other_sales(booth, till_shift, 2)
    bundle = export_bundle(booth, tmp_path / "b.lapak")  # it cannot travel: left out
    assert bundle.manifest["counts"]["sale_line"] == len(local_ids(booth)["sale_line"]) - 1
    result = push(booth, lambda: psycopg.connect(**device, autocommit=True), batch_size=500)
    assert [(q.table_name, q.record_id) for q in result.quarantined] == [("sale_line", line)]
    assert result.quarantined[0].reason.startswith("refused before sending")
    _delivered_except(booth, central_url, {line})
    with psycopg.connect(central_url, autocommit=True) as conn:
        assert conn.execute("SELECT received->>'name' FROM sync_quarantine").fetchall() == [
            ("Ko\\udcff",)]


@pytest.mark.parametrize("temp", [True, False], ids=["copy", "values"])
def test_a_value_its_column_cannot_read_quarantines_its_record_only(
        temp, booth, till_shift, register, secrets, central_url, tmp_path) -> None:
    """A payment whose time is not a time at all (written past the app's triggers): the
    booth cannot read it back as a record; it is quarantined, the rest go."""
    enrolled = register(booth)
    enrollment.enroll(booth, enrolled)
    device = enrollment.read_file(enrolled).conninfo()
    if not temp:
        with psycopg.connect(central_url, autocommit=True) as conn:
            db = conn.execute("SELECT current_database()").fetchone()[0]
            conn.execute(f'REVOKE TEMP ON DATABASE "{db}" FROM PUBLIC')
    make_sales(booth, till_shift, 3)
    with booth.db.read() as s:
        pay = s.execute(select(Outbox.record_id).where(Outbox.table_name == "payment")
                        .order_by(Outbox.seq).limit(1)).scalar_one()
    with booth.db.write() as s:
        con = s.connection()
        triggers = con.exec_driver_sql("SELECT name, sql FROM sqlite_master WHERE type ="
                                       " 'trigger' AND tbl_name = 'payment'").all()
        for name, _ in triggers:
            con.exec_driver_sql(f'DROP TRIGGER "{name}"')
        con.exec_driver_sql("UPDATE payment SET created_at = 'not-a-time' WHERE id = ?",
                            (pay.hex,))
        for _, sql in triggers:
            con.exec_driver_sql(sql)
    bundle = export_bundle(booth, tmp_path / "b.lapak")  # left out of a bundle
    assert bundle.manifest["counts"]["payment"] == len(local_ids(booth)["payment"]) - 1
    result = push(booth, lambda: psycopg.connect(**device, autocommit=True), batch_size=500)
    assert [(q.table_name, q.record_id) for q in result.quarantined] == [("payment", pay)]
    assert result.quarantined[0].reason.startswith("the record cannot be read locally")
    _delivered_except(booth, central_url, {pay})


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


def test_a_row_a_central_trigger_refuses_is_quarantined_alone(booth, till_shift, device,
                                                               central_url) -> None:
    """A refusal raised by a central trigger (RAISE EXCEPTION) belongs to the row too."""
    make_sales(booth, till_shift, 3)
    with booth.db.read() as s:
        sale = s.execute(select(Outbox.record_id).where(Outbox.table_name == "sale")
                         .order_by(Outbox.seq).limit(1)).scalar_one()
    with psycopg.connect(central_url, autocommit=True) as conn:
        conn.execute(f"""CREATE FUNCTION refuse_one() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN IF NEW.id = '{sale}' THEN RAISE EXCEPTION 'not this one'; END IF;
            RETURN NEW; END $$""")
        conn.execute("CREATE TRIGGER refuse_one BEFORE INSERT ON sale FOR EACH ROW"
                     " EXECUTE FUNCTION refuse_one()")
    result = push(booth, lambda: psycopg.connect(**device, autocommit=True), batch_size=500)
    assert [(q.table_name, q.record_id) for q in result.quarantined] == [("sale", sale)]
    assert "not this one" in result.quarantined[0].reason
    theirs = central_ids(central_url)
    assert sale not in theirs["sale"] and len(theirs["sale"]) == 2


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


def test_an_unreadable_catalog_row_is_quarantined_and_the_catalog_goes(booth, device,
                                                                       central_url) -> None:
    pid, _ = _first_product(booth)
    _raw(booth, "UPDATE product SET name = CAST(X'4b6fff' AS TEXT), updated_at = 'never'"
         " WHERE id = ?", (pid.hex,))
    conn = psycopg.connect(**device, autocommit=True)
    try:
        result = sync_catalog(booth, conn)
    finally:
        conn.close()
    assert [(t, rid) for t, rid, _ in result.quarantined] == [("product", pid)]
    assert result.sent > 0


@pytest.fixture
def enrolled(register, secrets: Path, booth: Booth) -> Booth:
    enrollment.enroll(booth, register(booth, publish=False))  # its catalog goes by bundle
    return booth


def test_the_same_record_by_bundle_is_quarantined_and_the_rest_imported(
        enrolled, till_shift, central_url, tmp_path) -> None:
    make_sales(enrolled, till_shift, 2)
    line = _rogue_sale(enrolled, till_shift)
    _other_sales(enrolled, till_shift, 2)
    res = export_bundle(enrolled, tmp_path / "b.lapak")
    got = import_bundle(tmp_path / "b.lapak", central_url)
    pid, _ = _first_product(enrolled)
    assert sorted((q.table_name, q.record_id) for q in got.quarantined) == [
        ("product", pid), ("sale_line", line)]  # the product's catalog version too
    assert got.inserted == res.records - len(got.quarantined)
    _delivered_except(enrolled, central_url, {line})
    assert ("sale_line", "Kopi\\u0000Hitam") in [
        (t, n) for _, t, n, _ in _central_quarantine(central_url)]
    apply_ack(enrolled, tmp_path / "b.lapak.ack")
    assert states(enrolled) == {"sent": sum(len(v) for v in local_ids(enrolled).values()) - 1,
                                "quarantined": 1}


# --- refused at entry ------------------------------------------------------------------------

def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(["--lang", "en", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def _counts(booth: Booth) -> dict[str, int]:
    with booth.db.read() as s:
        return {t: s.connection().exec_driver_sql(f'SELECT count(*) FROM "{t}"').scalar_one()
                for t in ("product", "facility", "sale", "payment", "outbox", "user",
                          "shift_event", "stock_document")}


def test_central_columns_are_the_limits_checked_at_entry(register, central_url) -> None:
    """The limits used at entry are the central columns' own: every text column of every
    synced table is as long centrally as on the booth, the payment reference 64."""
    register  # noqa: B018 - sets the central database up
    with psycopg.connect(central_url, autocommit=True) as conn:
        central = {(t, c): n for t, c, n in conn.execute(
            "SELECT table_name, column_name, character_maximum_length FROM"
            " information_schema.columns WHERE table_schema = 'public'"
            " AND character_maximum_length IS NOT NULL")}
    local = {(t.name, c.name): c.type.length for t in Base.metadata.sorted_tables
             if t.name in (*PUSHED, *CATALOG_TABLES) for c in t.columns
             if isinstance(c.type, String) and c.type.length}
    assert {k: central.get(k) for k in local} == local
    assert central[("payment", "reference")] == REFERENCE_MAX == 64
    assert central[("product", "name")] == NAME_MAX
    assert Base.metadata.tables["user"].c.name.type.length == USER_NAME_MAX  # booth only


def test_cli_refuses_an_oversize_payment_reference(booth, capsys) -> None:
    before = _counts(booth)
    db = str(booth.db.path)
    code, out, err = run(capsys, "--db", db, "sell", "--item", "KOP-001=1",
                         "--pay", "qris=85000:" + "R" * 65)
    assert (code, out, err) == (1, "", 'pos-app: "Payment reference" is at most 64 characters\n')
    code, out, err = run(capsys, "--db", db, "sell", "--item", "KOP-001=1",
                         "--pay", "qris=85000:QR\x0188")
    assert (code, out) == (1, "")
    assert err == 'pos-app: "Payment reference" may not hold control characters (such as NUL' \
        ' or a tab)\n'
    assert _counts(booth) == before
    code, out, err = run(capsys, "--db", db, "sell", "--item", "KOP-001=1",
                         "--pay", "qris=85000:" + "R" * 64)  # at the limit: sold
    assert (code, err) == (0, "")
    assert _counts(booth)["payment"] == before["payment"] + 1


@pytest.mark.parametrize("table,text", [
    ("products", "sku,name,category,facility,price\nNEW-1,Kopi\x00Baru,kopi,LP-END,25000\n"),
    ("products", "sku,name,category,facility,price\nNEW-1,Kopi\x1bBaru,kopi,LP-END,25000\n"),
    ("facilities", "code,name,kind\nLP-NEW,Lapas\x00Baru,Lapas\n"),
    ("categories", "code,name\nbaru,Kopi\x7fBaru\n"),
])
def test_cli_catalog_import_refuses_control_characters(table, text, booth, tmp_path,
                                                       capsys) -> None:
    f = tmp_path / f"{table}.csv"
    f.write_text(text, encoding="utf-8")
    before = _counts(booth)
    code, out, err = run(capsys, "--db", str(booth.db.path), "catalog", "import", str(f))
    assert (code, out) == (1, "")
    assert err.splitlines() == [
        f"pos-app: Nothing was imported: 1 error(s) in {f}",
        "  row 2, column name: holds a control character (such as NUL or a tab)"]
    assert _counts(booth) == before


def test_cli_product_add_refuses_control_characters(booth, capsys) -> None:
    before = _counts(booth)
    code, out, err = run(capsys, "--db", str(booth.db.path), "stock", "product-add",
                         "--facility", "LP-END", "--category", "kopi", "--name", "Kopi\x01X",
                         "--price", "1000")
    assert (code, out) == (1, "")
    assert err == 'pos-app: "Product name" may not hold control characters (such as NUL or a' \
        ' tab)\n'
    assert _counts(booth) == before


def test_services_refuse_control_characters_at_entry(booth, till_shift, tmp_path) -> None:
    """User names, product names, reasons, notes, references and the event's name."""
    before = _counts(booth)
    refusals = {
        "user": lambda: create_user(booth, "Budi\x00", "cashier", "4827", actor="os:test"),
        "product": lambda: create_product(booth, name="Kopi\x00", facility_code="LP-END",
                                          category_code="kopi", price=1000, actor="t",
                                          actor_role="admin"),
        "cash in": lambda: cash_in(booth, till_shift.id, 5000, "modal\x00", "Kasir"),
        "receive": lambda: receive(booth, "LP-END", [("KOP-001", 1)], reference="SJ\x00-1",
                                   actor="t", actor_role="admin"),
        "receive note": lambda: receive(booth, "LP-END", [("KOP-001", 1)], reference="SJ-1",
                                        note="ok\x1b", actor="t", actor_role="admin"),
    }
    for what, call in refusals.items():
        with pytest.raises(DomainError) as e:
            call()
        assert e.value.code == "text_control_char", what
    with pytest.raises(DomainError) as e:
        init_booth(tmp_path / "new.db", event_name="Festival\x00")
    assert e.value.code == "text_control_char"
    assert _counts(booth) == before


def test_void_and_refund_refuse_control_characters(booth, till_shift) -> None:
    _sell(booth, till_shift, *_first_product(booth))
    with booth.db.read() as s:
        number = s.connection().exec_driver_sql("SELECT number FROM sale").scalar_one()
    before = _counts(booth)
    for call in (
        lambda: void_sale(booth, number, actor="Maria", actor_role="coordinator",
                          reason="salah\x00input"),
        lambda: refund(booth, number, {1: 1}, method="qris", actor="Maria",
                       actor_role="coordinator", reason="rusak", reference="R" * 65),
        lambda: refund(booth, number, {1: 1}, method="cash", actor="Maria",
                       actor_role="coordinator", reason="rusak\x07"),
    ):
        with pytest.raises(DomainError) as e:
            call()
        assert e.value.code in ("text_control_char", "text_too_long")
    assert _counts(booth) == before


def test_a_bank_statement_line_with_a_control_character_is_refused(booth, tmp_path) -> None:
    """A statement line's reference and text are kept on the (synced) payment match."""
    from pos_app.domain.errors import ImportRejected
    from pos_app.services.shift.statement_import import StatementMapping, import_statement

    mapping = StatementMapping(source="BRI QRIS", date="tanggal", amount="nominal",
                               reference="referensi", description="keterangan")
    f = tmp_path / "s.csv"
    f.write_text("tanggal,nominal,referensi,keterangan\n"
                 "21/11/2026 19:42,85000,RRN1,QRIS BAYAR\n"
                 "21/11/2026 19:43,45000,RRN\x002,QRIS BAYAR\n", encoding="utf-8")
    with pytest.raises(ImportRejected) as e:
        import_statement(booth, f, mapping, save=False)
    assert [err.message() for err in e.value.errors] == [
        "row 3, column referensi: holds a control character (such as NUL or a tab)"]
    f.write_text(f.read_text(encoding="utf-8").replace("\x00", ""), encoding="utf-8")
    assert len(import_statement(booth, f, mapping, save=False).lines) == 2


def test_cli_catalog_import_lists_the_first_hundred_errors_and_counts_the_rest(
        booth, tmp_path, capsys) -> None:
    f = tmp_path / "banyak.csv"
    f.write_text("sku,name,category,facility,price\n" + "".join(
        f"BAD {i},Kopi,kopi,LP-END,1000\n" for i in range(130)), encoding="utf-8")
    before = _counts(booth)
    code, out, err = run(capsys, "--db", str(booth.db.path), "catalog", "import", str(f))
    lines = err.splitlines()
    assert (code, out, len(lines)) == (1, "", 102)
    assert lines[0] == f"pos-app: Nothing was imported: 130 error(s) in {f}"
    assert lines[1] == "  row 2, column sku: must be one of A-Z 0-9 - _: BAD 0"
    assert lines[-1] == "  ... and 30 more error(s)"
    assert _counts(booth) == before
