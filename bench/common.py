"""Shared helpers for the benchmarks: timing statistics, verdict lines, raw sqlite3
connections with the app's pragmas, and scratch/cache directories on the real disk.

Benchmarks are measurements, not gates: they print PASS/MISS and exit 0 on a missed target
(a failed fairness check, such as bench_checkout's statement lists, exits 1).
"""

from __future__ import annotations

import math
import os
import platform
import shutil
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Sequence
from contextlib import contextmanager
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
REPO = BENCH_DIR.parent

# The app's durable pragmas (pos_app/persistence/database.py make_engine).
PRAGMAS = (
    "PRAGMA journal_mode=WAL",
    "PRAGMA synchronous=FULL",
    "PRAGMA foreign_keys=ON",
    "PRAGMA busy_timeout=10000",
)


def raw_connect(path: Path | str, synchronous: str = "FULL") -> sqlite3.Connection:
    """A plain sqlite3 connection configured exactly like the app's engine connections:
    autocommit driver (we emit BEGIN/COMMIT ourselves), WAL, synchronous=FULL, FKs on."""
    conn = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False, timeout=10)
    for pragma in PRAGMAS:
        if pragma.startswith("PRAGMA synchronous"):
            pragma = f"PRAGMA synchronous={synchronous}"
        conn.execute(pragma)
    return conn


def scratch_dir(tag: str) -> Path:
    """A fresh directory on the real disk (not tmpfs), so fsync costs are real.

    ``LAPAK_BENCH_TMP`` overrides the parent directory."""
    parent = os.environ.get("LAPAK_BENCH_TMP") or None
    return Path(tempfile.mkdtemp(prefix=f"lapak-bench-{tag}-", dir=parent))


def cache_dir() -> Path:
    """Where big generated databases are kept between runs (``LAPAK_BENCH_CACHE``)."""
    base = os.environ.get("LAPAK_BENCH_CACHE")
    path = Path(base) if base else Path(tempfile.gettempdir()) / "lapak-bench-cache"
    path.mkdir(parents=True, exist_ok=True)
    return path


def remove_tree(path: Path) -> None:
    shutil.rmtree(path, ignore_errors=True)


def copy_db(src: Path, dst: Path) -> None:
    """A consistent copy of an SQLite database (online backup API, WAL folded in)."""
    s = sqlite3.connect(str(src))
    d = sqlite3.connect(str(dst))
    try:
        s.backup(d)
        d.execute("PRAGMA journal_mode=WAL")
    finally:
        d.close()
        s.close()


def checkpoint(path: Path) -> None:
    conn = sqlite3.connect(str(path))
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()


# ---- statistics ------------------------------------------------------------------------

def percentile(sorted_values: Sequence[float], pct: float) -> float:
    """Nearest-rank percentile of an already sorted sequence."""
    if not sorted_values:
        return float("nan")
    rank = max(1, math.ceil(pct / 100 * len(sorted_values)))
    return sorted_values[min(rank, len(sorted_values)) - 1]


class Stats:
    """Summary of timings given in seconds; figures are reported in milliseconds."""

    def __init__(self, samples_s: Iterable[float]) -> None:
        self.samples = sorted(samples_s)
        n = len(self.samples)
        self.n = n
        self.mean = sum(self.samples) / n * 1000 if n else float("nan")
        self.p50 = percentile(self.samples, 50) * 1000
        self.p95 = percentile(self.samples, 95) * 1000
        self.p99 = percentile(self.samples, 99) * 1000
        self.min = self.samples[0] * 1000 if n else float("nan")
        self.max = self.samples[-1] * 1000 if n else float("nan")


def ms(value: float) -> str:
    if value != value:  # nan
        return "-"
    return f"{value:.3f}" if value < 10 else f"{value:.1f}"


def stats_table(rows: Sequence[tuple[str, Stats]], title: str | None = None) -> str:
    w = max([28, *(len(name) for name, _ in rows)])
    head = f"{'':{w}} {'n':>6} {'mean':>8} {'p50':>8} {'p95':>8} {'p99':>8} {'max':>8}  (ms)"
    lines = [title] if title else []
    lines.append(head)
    for name, st in rows:
        lines.append(f"{name:{w}} {st.n:>6} {ms(st.mean):>8} {ms(st.p50):>8} {ms(st.p95):>8} "
                     f"{ms(st.p99):>8} {ms(st.max):>8}")
    return "\n".join(lines)


def ratio(a: float, b: float) -> float:
    return a / b if b else float("inf")


def verdict(ok: bool) -> str:
    return "PASS" if ok else "MISS"


def timed(fn: Callable[[], object]) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def machine_line() -> str:
    load = ", load {:.1f}/{:.1f}/{:.1f}".format(*os.getloadavg()) if hasattr(os, "getloadavg") else ""
    return (f"python {platform.python_version()}, sqlite {sqlite3.sqlite_version}, "
            f"{os.cpu_count()} cpu{load}, {platform.system()} {platform.release()}")


@contextmanager
def quiet_stdout():
    """Swallow prints from code under test (none expected; belt and braces)."""
    old = sys.stdout
    sys.stdout = open(os.devnull, "w")  # noqa: SIM115
    try:
        yield
    finally:
        sys.stdout.close()
        sys.stdout = old


def make_demo_db(path: Path) -> None:
    """A booth database made the app's way: migrate, create the device, load the NTT demo."""
    from pos_app.services.setup.setup import init_booth

    booth, _res = init_booth(path, demo=True)
    booth.close()
    checkpoint(path)
