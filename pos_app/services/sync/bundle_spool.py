"""Head office's spool of a bundle's verified lines (:mod:`pos_app.services.sync.bundle_import`):
a temporary SQLite file, so a 1 GB bundle is read back in import order without sitting in
memory. Each line is spooled under an order: a record's table's (``ORDER``, 0 and up, parents
first), or :data:`PHOTO_ORDER` and :data:`CATALOG_ORDER` for the lines that go in apart."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

BATCH = 2_000  # records per round of the import
BATCH_BYTES = 4 << 20  # ... or fewer, when their lines are this long together
CATALOG_ORDER = -1  # catalog changes spool apart: they go in after the records
PHOTO_ORDER = -2  # and photos apart again: they go in before the catalog changes


class Spool:
    """Verified lines in a temporary SQLite file, read back in import order."""

    def __init__(self, folder: str) -> None:
        self.db = sqlite3.connect(Path(folder) / "spool.db", isolation_level=None)
        self.db.execute("PRAGMA journal_mode=OFF")
        self.db.execute("PRAGMA synchronous=OFF")
        self.db.execute("CREATE TABLE spool (o INTEGER, n INTEGER, line BLOB, "
                        "PRIMARY KEY (o, n)) WITHOUT ROWID")
        self.db.execute("BEGIN")
        self.pending: list[tuple] = []
        self.size = 0

    def append(self, entry: tuple) -> None:
        """Spool (order, line number, line)."""
        self.pending.append(entry)
        self.size += len(entry[2])
        if len(self.pending) >= BATCH or self.size >= BATCH_BYTES:
            self.flush()

    def flush(self) -> None:
        self.db.executemany("INSERT INTO spool VALUES (?, ?, ?)", self.pending)
        self.pending, self.size = [], 0

    def batches(self, order: int | None = None):
        """Lists of (line number, record), at most ``BATCH`` records or about
        ``BATCH_BYTES`` of lines each: the records (``order`` None), else the lines spooled
        under ``order``."""
        where = "o >= 0" if order is None else "o = ?"
        batch, size = [], 0
        for n, line in self.db.execute(f"SELECT n, line FROM spool WHERE {where} "
                                       "ORDER BY o, n", () if order is None else (order,)):
            rec = json.loads(bytes(line).decode("utf-8"))
            batch.append((n, {k: rec[k] for k in ("table", "seq", "row")}))
            size += len(line)
            if len(batch) >= BATCH or size >= BATCH_BYTES:
                yield batch
                batch, size = [], 0
        if batch:
            yield batch


__all__ = ["BATCH", "BATCH_BYTES", "CATALOG_ORDER", "PHOTO_ORDER", "Spool"]
