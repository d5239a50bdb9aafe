"""Push against a real PostgreSQL, as the booth's own device role: everything arrives exactly
once through kills, lost answers, two pushes at once and conflicting ids."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import uuid
from contextlib import contextmanager
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import func, select

from pos_app.domain.errors import DomainError
from pos_app.domain.tenders import Method, Tender
from pos_app.persistence.models import PUSHED, Base, Outbox, Product
from pos_app.services.sale.checkout import SaleItem, SaleRequest, checkout
from pos_app.services.setup.booth import Booth
from pos_app.services.sync import enrollment
from pos_app.services.sync.sync_push import push

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def device(register, booth: Booth) -> dict:
    """The central database set up and the demo booth registered under its own device id:
    how to log in as it."""
    return enrollment.read_file(register(booth)).conninfo()


def make_sales(booth: Booth, shift, n: int) -> None:
    with booth.db.read() as s:
        products = s.execute(select(Product.id, Product.price).where(
            Product.active.is_(True)).order_by(Product.sku).limit(4)).all()
    for k in range(n):
        pid, price = products[k % len(products)]
        qty = 1 + k % 3
        checkout(booth, SaleRequest((SaleItem(qty, product_id=pid),),
                                    (Tender(Method.CASH, qty * price * 2 + 1000),),
                                    actor="test", shift_id=shift.id))


def local_ids(booth: Booth) -> dict[str, set[uuid.UUID]]:
    with booth.db.read() as s:
        return {t: set(s.execute(select(Base.metadata.tables[t].c.id)).scalars())
                for t in PUSHED}


def central_ids(url: str) -> dict[str, list[uuid.UUID]]:
    with psycopg.connect(url, autocommit=True) as conn:
        return {t: [r[0] for r in conn.execute(f'SELECT id FROM "{t}"')] for t in PUSHED}


def states(booth: Booth) -> dict[str, int]:
    with booth.db.read() as s:
        return dict(s.execute(select(Outbox.state, func.count()).where(
            Outbox.table_name.in_(PUSHED)).group_by(Outbox.state)).all())


def assert_converged(booth: Booth, url: str) -> None:
    mine, theirs = local_ids(booth), central_ids(url)
    for t in PUSHED:
        assert len(theirs[t]) == len(set(theirs[t])), t  # no duplicates
        assert set(theirs[t]) == mine[t], t  # no loss, nothing extra
    assert set(states(booth)) == {"sent"}


def test_push_sends_everything_once_then_nothing(booth, till_shift, device, central_url) -> None:
    make_sales(booth, till_shift, 6)
    seen = []
    result = push(booth, lambda: psycopg.connect(**device, autocommit=True), batch_size=10,
                  progress=lambda done, total: seen.append((done, total)))
    total = sum(len(v) for v in local_ids(booth).values())
    assert result.sent == result.inserted == total
    assert result.quarantined == []
    assert result.batches == -(-total // 10)
    assert seen[0] == (0, total) and seen[-1] == (total, total)
    assert result.catalog_pending > 0  # the catalog goes as versions (sync_catalog)
    assert_converged(booth, central_url)
    with booth.db.read() as s:
        assert s.execute(select(func.count()).where(
            Outbox.table_name.not_in(PUSHED), Outbox.state != "pending")).scalar_one() == 0

    again = push(booth, lambda: psycopg.connect(**device, autocommit=True))
    assert (again.sent, again.inserted, again.batches) == (0, 0, 0)
    assert_converged(booth, central_url)


class Flaky:
    """A real psycopg connection that drops after ``fail_after`` statements, or loses the
    answer to its ``lose_commit``-th COMMIT (the server has committed; we never hear it)."""

    def __init__(self, conninfo: dict, *, fail_after: int | None = None,
                 lose_commit: int | None = None) -> None:
        self.conn = psycopg.connect(**conninfo, autocommit=True)
        self.fail_after, self.lose_commit = fail_after, lose_commit
        self.statements = self.commits = self.depth = 0

    def _drop(self):
        self.conn.close()
        return psycopg.OperationalError("server closed the connection unexpectedly")

    def execute(self, *args, **kw):
        self.statements += 1
        if self.fail_after is not None and self.statements > self.fail_after:
            raise self._drop()
        return self.conn.execute(*args, **kw)

    def cursor(self, *args, **kw):
        return self.conn.cursor(*args, **kw)

    @contextmanager
    def transaction(self):
        self.depth += 1
        try:
            with self.conn.transaction():
                yield
        finally:
            self.depth -= 1
        if self.depth == 0:
            self.commits += 1
            if self.commits == self.lose_commit:
                raise self._drop()

    def close(self):
        self.conn.close()


def test_connection_dropped_mid_batch_then_rerun_converges(booth, till_shift, device,
                                                            central_url) -> None:
    make_sales(booth, till_shift, 5)
    with pytest.raises(DomainError) as err:
        push(booth, lambda: Flaky(device, fail_after=9), batch_size=8)
    assert err.value.code == "central_unreachable"
    assert 0 < states(booth)["sent"] < sum(states(booth).values())  # some batches went
    result = push(booth, lambda: psycopg.connect(**device, autocommit=True), batch_size=8)
    assert result.already_there == 0  # the dropped batch was rolled back whole
    assert_converged(booth, central_url)


def test_lost_answer_after_commit_then_retry_stores_one_copy(booth, till_shift, device,
                                                             central_url) -> None:
    make_sales(booth, till_shift, 4)
    with pytest.raises(DomainError):
        push(booth, lambda: Flaky(device, lose_commit=2), batch_size=6)
    # batch 1 marked sent; batch 2 committed centrally but still pending here
    assert states(booth).get("sent") == 6
    result = push(booth, lambda: psycopg.connect(**device, autocommit=True), batch_size=6)
    assert result.already_there == 6
    assert result.quarantined == []
    assert_converged(booth, central_url)


CHILD = """
import os, sys, psycopg
from pos_app.services.setup.booth import Booth
from pos_app.services.sync.sync_push import push
path, batch = sys.argv[1], int(sys.argv[2])
info = dict(a.split("=", 1) for a in sys.argv[3:])
booth = Booth.open(path)
def progress(done, total):
    if done:
        os.write(1, f"batch {done}\\n".encode())
        sys.stdin.readline()  # hold here until the parent kills us
push(booth, lambda: psycopg.connect(**info, autocommit=True), batch_size=batch,
     progress=progress)
os.write(1, b"finished\\n")
"""


def test_push_killed_between_batches_then_rerun_converges(booth, till_shift, device, central_url,
                                                          db_path) -> None:
    make_sales(booth, till_shift, 5)
    args = [f"{k}={v}" for k, v in device.items()]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(db_path), "7", *args],
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env, cwd=ROOT)
    try:
        line = child.stdout.readline().decode()
        assert line == "batch 7\n"
        child.send_signal(signal.SIGKILL)
    finally:
        child.wait()
        child.stdin.close()
        child.stdout.close()
    assert child.returncode == -signal.SIGKILL
    assert states(booth)["sent"] == 7
    result = push(booth, lambda: psycopg.connect(**device, autocommit=True), batch_size=7)
    assert result.already_there == 0
    assert_converged(booth, central_url)


def test_two_pushes_at_once_store_one_copy(booth, till_shift, device, central_url) -> None:
    make_sales(booth, till_shift, 8)
    errors, results = [], []
    start = threading.Barrier(2)

    def run() -> None:
        try:
            start.wait()
            results.append(push(booth, lambda: psycopg.connect(**device, autocommit=True),
                                batch_size=5))
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    total = sum(len(v) for v in local_ids(booth).values())
    assert sum(r.inserted for r in results) == total  # each row inserted by exactly one push
    assert all(r.quarantined == [] for r in results)
    assert_converged(booth, central_url)


def _local_row(booth: Booth, table: str, **where) -> dict:
    t = Base.metadata.tables[table]
    with booth.db.read() as s:
        q = select(t)
        for k, v in where.items():
            q = q.where(t.c[k] == v)
        return dict(s.execute(q.limit(1)).mappings().one())


def _insert_as_admin(url: str, table: str, row: dict) -> None:
    cols = ", ".join(f'"{k}"' for k in row)
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f'INSERT INTO "{table}" ({cols}) VALUES ({", ".join(["%s"] * len(row))})',
                     list(row.values()))


def test_same_id_different_payload_is_quarantined_and_the_rest_go(booth, till_shift, device,
                                                                  central_url) -> None:
    make_sales(booth, till_shift, 3)
    sale = _local_row(booth, "sale")
    _insert_as_admin(central_url, "sale", {**sale, "cashier_name": "Someone Else"})
    connect = lambda: psycopg.connect(**device, autocommit=True)  # noqa: E731
    result = push(booth, connect, batch_size=4)
    assert [(q.table_name, q.record_id) for q in result.quarantined] == [("sale", sale["id"])]
    with booth.db.read() as s:
        box = s.execute(select(Outbox).where(Outbox.record_id == sale["id"])).scalar_one()
    assert box.state == "quarantined" and "different payload" in box.last_error
    with psycopg.connect(central_url, autocommit=True) as conn:
        assert conn.execute("SELECT cashier_name FROM sale WHERE id = %s",
                            (sale["id"],)).fetchone() == ("Someone Else",)  # not overwritten
        q = conn.execute("SELECT record_id, table_name, device_id, received->>'cashier_name',"
                         " stored->>'cashier_name' FROM sync_quarantine").fetchall()
    assert q == [(sale["id"], "sale", booth.context.device_id, sale["cashier_name"],
                  "Someone Else")]
    mine, theirs = local_ids(booth), central_ids(central_url)
    for t in PUSHED:
        assert set(theirs[t]) == mine[t], t
    assert states(booth) == {"sent": sum(len(v) for v in mine.values()) - 1, "quarantined": 1}
    assert push(booth, connect).sent == 0  # the quarantined record is not retried


def test_record_refused_centrally_is_quarantined_and_the_rest_go(booth, till_shift, device,
                                                                 central_url) -> None:
    make_sales(booth, till_shift, 2)
    event = _local_row(booth, "audit_event", chain_index=1)
    # another id on the same (device, chain index): the central unique key refuses ours
    theirs_id = uuid.uuid4()
    _insert_as_admin(central_url, "audit_event", {**event, "id": theirs_id})
    result = push(booth, lambda: psycopg.connect(**device, autocommit=True), batch_size=50)
    assert [(q.table_name, q.record_id) for q in result.quarantined] == [
        ("audit_event", event["id"])]
    assert "rejected centrally" in result.quarantined[0].reason
    mine, theirs = local_ids(booth), central_ids(central_url)
    mine["audit_event"] = mine["audit_event"] - {event["id"]} | {theirs_id}
    for t in PUSHED:
        assert sorted(theirs[t]) == sorted(mine[t]), t
    assert states(booth)["quarantined"] == 1
    with psycopg.connect(central_url, autocommit=True) as conn:
        assert conn.execute("SELECT record_id, table_name FROM sync_quarantine").fetchall() == [
            (event["id"], "audit_event")]


@pytest.mark.parametrize("temp", [True, False], ids=["copy", "values"])
def test_both_paths_store_every_value_as_the_booth_has_it(temp, booth, till_shift, device,
                                                          central_url) -> None:
    """The bulk path COPYs the values as SQLite stores them through a session temporary
    table; a server that took TEMP away from PUBLIC gets multi-row INSERTs of typed values
    instead. Either way the central rows equal the booth's, column by column."""
    make_sales(booth, till_shift, 5)
    if not temp:
        with psycopg.connect(central_url, autocommit=True) as conn:
            db = conn.execute("SELECT current_database()").fetchone()[0]
            conn.execute(f'REVOKE TEMP ON DATABASE "{db}" FROM PUBLIC')
    with psycopg.connect(**device, autocommit=True) as conn:
        assert conn.execute("SELECT has_database_privilege(current_database(), 'TEMP')"
                            ).fetchone() == (temp,)
    result = push(booth, lambda: psycopg.connect(**device, autocommit=True), batch_size=7)
    assert result.sent == result.inserted and not result.quarantined
    assert_converged(booth, central_url)
    with booth.db.read() as s:  # the values, not just the ids: every column as stored
        for name in ("sale", "sale_line", "payment", "stock_movement", "shift_event",
                     "audit_event"):
            t = Base.metadata.tables[name]
            mine = {r["id"]: dict(r) for r in s.execute(select(t)).mappings()}
            with psycopg.connect(central_url, autocommit=True) as conn:
                cur = conn.cursor(row_factory=psycopg.rows.dict_row)
                theirs = {r["id"]: r for r in cur.execute(f'SELECT * FROM "{name}"')}
            assert mine.keys() == theirs.keys()
            for rid, row in mine.items():
                assert {k: theirs[rid][k] for k in row} == row, (name, rid)
