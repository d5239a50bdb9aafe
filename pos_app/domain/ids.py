"""Identity of catalog rows: made from their business key, the same on every booth.

A facility, category or product is the same thing on every booth that knows its code or SKU
(the shipped demo catalog, one catalog file imported at several booths), so its id is a
UUID5 of the table and the key, not a random one: the central catalog then has one row per
product, and booths that load the same file agree on every id without asking anybody.
Records (sales, movements...) keep random ids, and a booth's own products get their own SKU.
"""

from __future__ import annotations

import uuid

# A fixed namespace for Lapak POS (a UUID4 made once; never change it).
NAMESPACE = uuid.UUID("8a4f1d2e-6b1c-4f7e-9a53-2c7d0e5b9f31")
CATALOG_TABLES = ("facility", "category", "product")


def catalog_id(table: str, key: str) -> uuid.UUID:
    """The id of the ``table`` row whose code (or SKU, for products) is ``key``."""
    if table not in CATALOG_TABLES:
        raise ValueError(f"not a catalog table: {table}")
    return uuid.uuid5(NAMESPACE, f"{table}:{key}")


def catalog_version_id(table: str, row_id: uuid.UUID, revision: int,
                       device_id: uuid.UUID) -> uuid.UUID:
    """The id of one version of a catalog row as one device sends it (a re-send is the
    same id, so the central ``ON CONFLICT (id) DO NOTHING`` keeps one copy)."""
    return uuid.uuid5(NAMESPACE, f"{table}:{row_id}:{revision}:{device_id}")
