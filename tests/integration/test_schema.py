"""The SQLite schema: Alembic head, models in step with migrations, durability pragmas,
append-only money and stock records, and refusing files that are not ours."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from pos_app.domain.errors import DomainError
from pos_app.domain.reconcile import StatementLine
from pos_app.domain.tenders import Method, Tender
from pos_app.persistence.database import Database
from pos_app.persistence.migrate import (
    HEAD,
    MIGRATIONS,
    alembic_config,
    current_revision,
    upgrade,
)
from pos_app.persistence.models import APPEND_ONLY, Base
from pos_app.services.access import approvals
from pos_app.services.sale import refunds
from pos_app.services.sale.checkout import SaleItem, SaleRequest, checkout
from pos_app.services.sale.printing import PrinterConfig, print_receipt
from pos_app.services.setup.booth import Booth
from pos_app.services.shift import reconcile, shifts
from pos_app.services.stock import stock_counts

FTS_TABLES = ("product_fts", "product_fts_data", "product_fts_idx", "product_fts_content",
              "product_fts_docsize", "product_fts_config")


@pytest.fixture
def migrated(db_path: Path) -> Database:
    db = Database(db_path)
    assert upgrade(db.engine) is True
    yield db
    db.dispose()


def _schema(path: Path) -> list[tuple]:
    with sqlite3.connect(path) as con:
        return con.execute("SELECT type, name, tbl_name, sql FROM sqlite_master "
                           "ORDER BY type, name").fetchall()


def test_head_is_the_newest_migration() -> None:
    script = ScriptDirectory.from_config(alembic_config())
    assert script.get_heads() == [HEAD]
    newest = max(p.name.split("_")[0] for p in (MIGRATIONS / "versions").glob("[0-9]*.py"))
    assert HEAD == newest


def test_migrated_database_matches_the_models(migrated: Database) -> None:
    def is_fts(diff) -> bool:
        if isinstance(diff, list):  # column changes: [(op, schema, table, column, ...)]
            return diff[0][2] in FTS_TABLES
        obj = diff[1]
        name = getattr(obj, "name", "")
        table = getattr(getattr(obj, "table", None), "name", "")
        return name in FTS_TABLES or table in FTS_TABLES

    with migrated.engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": True,
                                                     "compare_server_default": False})
        diffs = [d for d in compare_metadata(ctx, Base.metadata) if not is_fts(d)]
    assert diffs == []


def test_fts_table_and_triggers_exist(migrated: Database) -> None:
    names = {(t, n) for t, n, _tbl, _sql in _schema(migrated.path)}
    assert ("table", "product_fts") in names
    assert {("trigger", f"product_fts_{s}") for s in ("ai", "au", "ad")} <= names
    assert {("trigger", f"{t}_no_{v}") for t in APPEND_ONLY for v in ("update", "delete")} <= names


def test_alembic_version_is_head(migrated: Database) -> None:
    assert current_revision(migrated.engine) == HEAD


def test_durability_pragmas_on_every_engine_connection(migrated: Database) -> None:
    for _ in range(2):  # a fresh pool connection each time
        migrated.engine.dispose()
        with migrated.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 10_000


def test_write_transaction_is_immediate(migrated: Database) -> None:
    # While one writer holds BEGIN IMMEDIATE, a second writer cannot start.
    with migrated.write() as s:
        s.execute(text("INSERT INTO setting(key, value) VALUES ('probe', '1')"))
        other = sqlite3.connect(migrated.path, timeout=0)
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            other.execute("BEGIN IMMEDIATE")
        other.close()
    with sqlite3.connect(migrated.path) as con:
        assert con.execute("SELECT value FROM setting WHERE key='probe'").fetchone() == ("1",)


def test_foreign_keys_are_enforced(migrated: Database) -> None:
    with pytest.raises(IntegrityError, match="FOREIGN KEY"), migrated.engine.begin() as conn:
        conn.exec_driver_sql(
            "INSERT INTO payment(id, sale_id, line_no, method, amount, tendered, change, "
            "verified, created_at) VALUES ('aa', 'nosuchsale', 1, 'cash', 1, 1, 0, 1, 'x')")


@pytest.fixture
def sold(booth: Booth, tmp_path: Path) -> Booth:
    """At least one row in every append-only table: a shift with a sale, its receipt, and a
    cashier's void approved by a coordinator."""
    shift = shifts.open_shift(booth, "Kasir", 100_000)
    sale = checkout(booth, SaleRequest(
        items=(SaleItem(2, sku="KOP-001"), SaleItem(1, sku="TEN-001")),
        tenders=(Tender(Method.QRIS, 400_000, "QR-9"), Tender(Method.CASH, 200_000)),
        shift_id=shift.id))
    print_receipt(booth, sale.number, PrinterConfig(f"pdf://{tmp_path / 'receipts'}"))
    token = approvals.approve(booth, "Maria", "2468", "void", sale.id.hex, "Kasir")
    refunds.void_sale(booth, sale.number, actor="Kasir", actor_role="cashier",
                      reason="wrong item", approval_id=token.id, shift_id=shift.id)
    count = stock_counts.start_count(booth, "LP-END", actor="Maria", actor_role="coordinator")
    stock_counts.enter_counts(booth, count.number, [("KOP-001", 39)], actor="Maria",
                              actor_role="coordinator")
    stock_counts.approve_count(booth, count.number, actor="Maria", actor_role="coordinator")
    [qris] = reconcile.open_payments(booth)
    reconcile.confirm(booth, qris.payment_id, StatementLine(1, qris.at, qris.amount, "QR-9"),
                      actor="Maria", actor_role="coordinator")
    return booth


def _row_counts(path: Path) -> dict[str, int]:
    with sqlite3.connect(path) as con:
        return {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in APPEND_ONLY}


@pytest.mark.parametrize("table", APPEND_ONLY)
def test_append_only_refuses_update_and_delete_raw(sold: Booth, table: str) -> None:
    path = sold.db.path
    before = _row_counts(path)
    assert before == {"sale": 2, "sale_line": 4, "payment": 4, "stock_movement": 94,
                      "print_job": 1, "shift": 1, "shift_event": 1, "approval": 1,
                      "approval_use": 1, "audit_event": before["audit_event"],
                      "stock_document": 1, "stock_count_line": 1, "stock_count_step": 1,
                      "payment_match": 1}
    assert before["audit_event"] >= 5  # shift.open, sale, approval.grant/use, void, ...
    con = sqlite3.connect(path)
    try:
        with pytest.raises(sqlite3.IntegrityError, match=f"{table} is append-only"):
            con.execute(f"UPDATE {table} SET created_at = 'tampered'")
        with pytest.raises(sqlite3.IntegrityError, match=f"{table} is append-only"):
            con.execute(f"DELETE FROM {table}")
        con.rollback()
        assert con.execute(
            f"SELECT count(*) FROM {table} WHERE created_at = 'tampered'").fetchone() == (0,)
    finally:
        con.close()
    assert _row_counts(path) == before


@pytest.mark.parametrize("table", APPEND_ONLY)
def test_append_only_refuses_update_and_delete_through_the_engine(sold: Booth, table: str) -> None:
    before = _row_counts(sold.db.path)
    for sql in (f"UPDATE {table} SET seq = seq + 1000", f"DELETE FROM {table}"):
        with pytest.raises(IntegrityError, match=f"{table} is append-only"):
            with sold.db.write() as s:
                s.execute(text(sql))
    assert _row_counts(sold.db.path) == before


def test_catalog_rows_stay_mutable(sold: Booth) -> None:
    with sold.db.write() as s:
        changed = s.execute(text("UPDATE product SET price = 90000 WHERE sku = 'KOP-001'"))
        assert changed.rowcount == 1


def test_upgrade_again_is_a_no_op(migrated: Database) -> None:
    before = _schema(migrated.path)
    assert upgrade(migrated.engine) is False
    assert _schema(migrated.path) == before
    with sqlite3.connect(migrated.path) as con:
        assert con.execute("SELECT version_num FROM alembic_version").fetchall() == [(HEAD,)]


def test_booth_open_on_a_current_database_changes_nothing(sold: Booth) -> None:
    path = sold.db.path
    before = _schema(path)
    Booth.open(path).close()
    assert _schema(path) == before


def test_empty_file_is_migrated(db_path: Path) -> None:
    db_path.write_bytes(b"")
    db = Database(db_path)
    try:
        assert upgrade(db.engine) is True
        assert current_revision(db.engine) == HEAD
    finally:
        db.dispose()


@pytest.mark.parametrize("content", [b"sku,name\nKOP-001,Kopi\n", b"\x00" * 4096,
                                     b"PK\x03\x04 not a database"])
def test_non_sqlite_file_is_refused(db_path: Path, content: bytes) -> None:
    db_path.write_bytes(content)
    with pytest.raises(DomainError) as exc:
        Booth.open(db_path)
    assert exc.value.code == "bad_database"
    assert exc.value.params == {"path": str(db_path)}
    assert db_path.read_bytes() == content


def test_sqlite_header_with_garbage_is_refused(db_path: Path) -> None:
    """A sound header over broken pages: a damaged database, named so with the way to
    restore (issue 17), and left as it was."""
    content = b"SQLite format 3\x00" + b"\xff" * 4080
    db_path.write_bytes(content)
    with pytest.raises(DomainError) as exc:
        Booth.open(db_path)
    assert exc.value.code == "database_damaged"
    assert "restore" in exc.value.message()
    assert db_path.read_bytes()[:16] == b"SQLite format 3\x00"


def test_database_from_a_newer_version_is_refused(migrated: Database) -> None:
    with migrated.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE alembic_version SET version_num = '0099'")
    before = _schema(migrated.path)
    with pytest.raises(DomainError) as exc:
        upgrade(migrated.engine)
    assert exc.value.code == "db_newer"
    assert exc.value.params == {"revision": "0099"}
    with pytest.raises(DomainError) as exc2:
        Booth.open(migrated.path)
    assert exc2.value.code == "db_newer"
    assert _schema(migrated.path) == before
