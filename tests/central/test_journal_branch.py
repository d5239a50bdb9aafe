"""A declared restore is a new branch of a booth's journal (central migration ``c0010``).

After a booth pushed its journal up to #M, a ``backup.restore`` event linked to an event
central holds (the head of the backup restored) is accepted on a new branch and the held
head moves there; an ordinary event that does not extend the held head is still refused,
and so is a restore event linked to nothing central holds. The booth never chooses the
branch. Raw SQL on the booth's own role, against a real PostgreSQL.
"""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import psycopg
import pytest

from pos_app.services.access import audit
from pos_app.services.setup.booth import Booth
from pos_app.services.sync import enrollment, journal_head
from pos_app.services.sync.central_export import export_central
from pos_app.services.sync.sync_push import push
from pos_app.services.sync.sync_status import connect_from_enrollment
from tests.central.test_rogue_journal import sales

INSERT = ("INSERT INTO audit_event (id, device_id, chain_index, created_at, actor, action,"
          " subject_kind, payload, prev_hash, hash{extra}) VALUES (%s, %s, %s, now(), 'Kasir',"
          " %s, 'device', '{{}}', %s, %s{marks})")


@pytest.fixture
def pushed(register, secrets: Path, booth: Booth, till_shift) -> Booth:
    """The booth enrolled, three sales made and its journal pushed whole."""
    enrollment.enroll(booth, register(booth))
    sales(booth, till_shift)
    res = push(booth, lambda: connect_from_enrollment(booth))
    assert not res.quarantined
    return booth


def device_conn(booth: Booth):
    return connect_from_enrollment(booth)


def add(conn, booth: Booth, index: int, prev: str, action: str = "sale", *,
        branch: int | None = None) -> str:
    """One journal event as the booth's role; its (made up) hash. Central checks links
    only: it cannot check a keyed hash."""
    digest = uuid.uuid4().hex * 2
    extra = ", branch" if branch is not None else ""
    args = (uuid.uuid4(), booth.context.device_id, index, action, prev, digest)
    conn.execute(INSERT.format(extra=extra, marks=", %s" if extra else ""),
                 (*args, branch) if extra else args)
    return digest


def held(url: str, booth: Booth) -> tuple[int, str, int]:
    with psycopg.connect(url, autocommit=True) as conn:
        return conn.execute("SELECT chain_index, hash, branch FROM journal_anchor"
                            " WHERE device_id = %s", (booth.context.device_id,)).fetchone()


def chain(url: str, booth: Booth) -> dict[tuple[int, int], str]:
    """(branch, chain_index) -> hash of every event central holds for the booth."""
    with psycopg.connect(url, autocommit=True) as conn:
        return {(b, i): h for b, i, h in conn.execute(
            "SELECT branch, chain_index, hash FROM audit_event WHERE device_id = %s",
            (booth.context.device_id,))}


def test_a_declared_restore_starts_a_branch_and_the_chain_goes_on_from_it(
        pushed, central_url) -> None:
    top, top_hash, branch = held(central_url, pushed)
    assert branch == 0 and top >= 5
    before = chain(central_url, pushed)
    assert {b for b, _i in before} == {0}
    k = top - 2  # the backup restored ended at #k
    with device_conn(pushed) as conn:
        # without a declared restore, going back is still refused
        with pytest.raises(psycopg.errors.CheckViolation, match="does not extend"):
            add(conn, pushed, k + 1, before[(0, k)])
        restore = add(conn, pushed, k + 1, before[(0, k)], "backup.restore")
        assert held(central_url, pushed) == (k + 1, restore, 1)
        after = add(conn, pushed, k + 2, restore)  # the next event, on the new branch
        assert held(central_url, pushed) == (k + 2, after, 1)
        # an ordinary event linked to the old branch, or to the branch point, is refused
        for index, prev in ((k + 1, before[(0, k)]), (top + 1, top_hash), (k + 3, restore)):
            with pytest.raises(psycopg.errors.CheckViolation, match="does not extend"):
                add(conn, pushed, index, prev)
    now = chain(central_url, pushed)
    assert {key: h for key, h in now.items() if key[0] == 0} == before  # nothing lost
    assert now[(1, k + 1)] == restore and now[(1, k + 2)] == after
    assert held(central_url, pushed) == (k + 2, after, 1)


def test_a_restore_linked_to_nothing_central_holds_is_refused(pushed, central_url) -> None:
    top, top_hash, _branch = held(central_url, pushed)
    before = chain(central_url, pushed)
    with device_conn(pushed) as conn:
        for index, prev in ((top - 1, "f" * 64),  # not a hash central holds
                            (top - 1, before[(0, top - 1)]),  # held, but not at index - 1
                            (top + 3, top_hash),  # a gap
                            (2, audit.GENESIS)):  # the empty journal's, not at #1
            with pytest.raises(psycopg.errors.CheckViolation, match="does not extend"):
                add(conn, pushed, index, prev, "backup.restore")
        # the empty journal restored: a branch from #1
        first = add(conn, pushed, 1, audit.GENESIS, "backup.restore")
    assert held(central_url, pushed) == (1, first, 1)
    assert chain(central_url, pushed) == {**before, (1, 1): first}


def test_the_booth_never_chooses_the_branch(pushed, central_url) -> None:
    top, top_hash, _branch = held(central_url, pushed)
    before = chain(central_url, pushed)
    with device_conn(pushed) as conn:
        plain = add(conn, pushed, top + 1, top_hash, branch=7)
        assert held(central_url, pushed) == (top + 1, plain, 0)
        restore = add(conn, pushed, top, before[(0, top - 1)], "backup.restore", branch=7)
        assert held(central_url, pushed) == (top, restore, 1)
        # a restore that extends the held head is an ordinary event of its branch
        again = add(conn, pushed, top + 1, restore, "backup.restore", branch=0)
        assert held(central_url, pushed) == (top + 1, again, 1)
    now = chain(central_url, pushed)
    assert now[(0, top + 1)] == plain and now[(1, top)] == restore and now[(1, top + 1)] == again
    assert {b for b, _i in now} == {0, 1}


def test_a_restore_from_an_older_longer_branch(pushed, central_url) -> None:
    """Branch 1 cut branch 0 back to #3; a backup taken on branch 0 at #top is restored
    later: its restore event (above branch 1's head) starts branch 2 from there."""
    top, _top_hash, _branch = held(central_url, pushed)
    before = chain(central_url, pushed)
    with device_conn(pushed) as conn:
        one = add(conn, pushed, 4, before[(0, 3)], "backup.restore")
        two = add(conn, pushed, top + 1, before[(0, top)], "backup.restore")
        assert held(central_url, pushed) == (top + 1, two, 2)
        add(conn, pushed, top + 2, two)
    assert chain(central_url, pushed)[(1, 4)] == one


def test_the_bundle_head_is_read_on_the_chain_central_holds(pushed, central_url) -> None:
    """Head office's import asks whether a bundle's head is in the chain it holds: the
    events before the branch point are; the ones cut off by the restore are not."""
    top, _top_hash, _branch = held(central_url, pushed)
    before = chain(central_url, pushed)
    k = top - 2
    with device_conn(pushed) as conn:
        restore = add(conn, pushed, k + 1, before[(0, k)], "backup.restore")
        after = add(conn, pushed, k + 2, restore)
    me = pushed.context.device_id

    def at(index: int, digest: str):
        with psycopg.connect(central_url, autocommit=True) as conn:
            return journal_head.at_import(
                conn, me, {"audit_head": {"index": index, "hash": digest}})

    held_head = {"index": k + 2, "hash": after}
    assert at(k + 2, after) == (None, held_head)
    assert at(k + 1, restore) == (None, held_head)
    assert at(k, before[(0, k)]) == (None, held_head)
    assert at(1, before[(0, 1)]) == (None, held_head)
    assert at(k + 1, before[(0, k + 1)]) == ((k + 1, k + 2, k + 1), held_head)  # cut off
    assert at(top, before[(0, top)]) == ((top, k + 2, top), held_head)


def test_head_office_s_pack_names_the_head_of_the_newest_branch(pushed, central_url,
                                                                tmp_path) -> None:
    top, _top_hash, _branch = held(central_url, pushed)
    before = chain(central_url, pushed)
    with device_conn(pushed) as conn:
        restore = add(conn, pushed, top - 1, before[(0, top - 2)], "backup.restore")
    export_central(central_url, tmp_path / "pack", "pack")
    manifest = json.loads((tmp_path / "pack" / "manifest.json").read_text())
    heads = {h["device_id"]: (h["index"], h["hash"]) for h in manifest["audit"]}
    assert heads[pushed.context.device_id.hex] == (top - 1, restore)


def test_an_upgrade_from_c0009_keeps_every_event_on_branch_0(pushed, central_url) -> None:
    from alembic import command

    from pos_app.persistence import central as db
    from pos_app.services.sync import central

    before = chain(central_url, pushed)
    top = held(central_url, pushed)
    engine = db.engine(central_url)
    try:
        with engine.begin() as conn:
            cfg = db.alembic_config()
            cfg.attributes["connection"] = conn
            command.downgrade(cfg, "c0009")
    finally:
        engine.dispose()
    with psycopg.connect(central_url, autocommit=True) as conn:
        assert conn.execute("SELECT count(*) FROM information_schema.columns"
                            " WHERE column_name = 'branch'").fetchone() == (0,)
    assert central.init_central(central_url).after == db.HEAD
    assert chain(central_url, pushed) == before
    assert held(central_url, pushed) == top
    with device_conn(pushed) as conn:  # and a restore is taken after the upgrade
        restore = add(conn, pushed, top[0], before[(0, top[0] - 1)], "backup.restore")
    assert held(central_url, pushed) == (top[0], restore, 1)
    # a central database with a branch cannot go back before c0010: it would lose it
    engine = db.engine(central_url)
    try:
        with engine.begin() as conn, pytest.raises(Exception, match="has a branch"):
            cfg = db.alembic_config()
            cfg.attributes["connection"] = conn
            command.downgrade(cfg, "c0009")
    finally:
        engine.dispose()
    assert held(central_url, pushed) == (top[0], restore, 1)
