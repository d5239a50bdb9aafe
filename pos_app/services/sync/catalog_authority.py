"""Head office owns the shared catalog: publish, accept, reject, revert, list and history.

Every change goes through the central functions of migration ``c0009`` (granted to
``lapak_catalog`` only: a report user in ``lapak_head_office`` may read, not decide), so it is one ``published`` row of ``catalog_version`` at a
revision above every version of its row: every booth pulls it, the proposer included. Each
command runs in one transaction: a refusal changes nothing.

``publish_file`` reads the same CSV/XLSX a booth imports, with the booth's own rules
(:func:`pos_app.services.catalog.catalog_import.read_catalog`), against the central catalog.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from pos_app.adapters.central import connection
from pos_app.domain.errors import DomainError, ImportRejected, RowError
from pos_app.domain.ids import catalog_id
from pos_app.domain.text import REASON, check_text
from pos_app.services.catalog.catalog_import import present_columns, read_catalog

TABLES = ("facility", "category", "product")  # parents first
KEY = {"facility": "code", "category": "code", "product": "sku"}
KIND_TABLE = {"facilities": "facility", "categories": "category", "products": "product"}
_COPIED = ("id", "device_id", "seq", "created_at", "revision", "updated_at", "central_seq",
           "version_id", "event_scope")


@dataclass(frozen=True)
class Published:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    versions: tuple[int, ...] = ()


@dataclass(frozen=True)
class VersionRow:
    number: int
    table_name: str
    key: str
    revision: int
    status: str
    device_code: str
    received_at: datetime
    decided_by: str | None
    reason: str | None
    payload: dict

    def as_json(self) -> dict:
        return {"version": self.number, "table": self.table_name, "key": self.key,
                "revision": self.revision, "status": self.status, "device": self.device_code,
                "received_at": self.received_at.isoformat(), "decided_by": self.decided_by,
                "reason": self.reason, "payload": self.payload}


def _run(url: str, work):
    """``work(conn)`` in one central transaction as head office; DomainErrors as they are,
    database failures as one translated line."""
    try:
        with connection.connect(connection.params(url)) as conn:
            return work(conn)
    except DomainError:
        raise
    except connection.errors() as exc:
        raise _refusal(exc) from None


def _refusal(exc: BaseException) -> DomainError:
    state = getattr(exc, "sqlstate", None) or ""
    if state == "P0002":  # no_data_found: not a proposal / never current
        return DomainError("catalog_version_unusable", reason=connection.reason(exc))
    if state == "23503":  # foreign_key_violation: a parent not published
        return DomainError("catalog_parent_unpublished", reason=connection.reason(exc))
    return connection.db_error(exc)


def _rows(conn, table: str) -> dict[str, dict]:
    with connection.dict_cursor(conn) as cur:
        return {r[KEY[table]]: r for r in cur.execute(f'SELECT * FROM "{table}"').fetchall()}


def _plain(value):
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, datetime):
        return value.isoformat()
    return value


def _publish(conn, table: str, row_id, payload: dict, why: str) -> int:
    return conn.execute("SELECT lapak_catalog_publish(%s, %s, %s, %s)",
                        (table, row_id, connection.json_value(payload), why)).fetchone()[0]


def publish_file(url: str, path: Path | str) -> Published:
    """Publish a catalog file: new rows added, changed ones (the file's columns only) at a
    new revision, all or nothing."""
    path = Path(path)

    def work(conn) -> Published:
        central = {t: _rows(conn, t) for t in TABLES}
        ids = {t: {k: r["id"] for k, r in central[t].items()} for t in TABLES}
        products = {k: (r["id"], r["barcode"]) for k, r in central["product"].items()}
        plan = read_catalog(path, ids["facility"], ids["category"], products)
        _positive_prices(path, plan)
        now = datetime.now(UTC).isoformat()
        added = updated = unchanged = 0
        made: list[int] = []
        why = f"publish {path.name}"[:200]
        for kind, sheet, parsed in plan:
            table = KIND_TABLE[kind]
            present = present_columns(sheet)
            for _, row in parsed:
                row = dict(row)
                row.pop("stock", None)
                if table == "product":
                    row["facility_id"] = str(ids["facility"][row.pop("facility")])
                    code = row.pop("category")
                    if ids["category"].get(code) is None:  # named, not declared: made
                        cid = catalog_id("category", code)
                        made.append(_publish(conn, "category", cid, {
                            "code": code, "name": code.replace("-", " ").title(),
                            "sort": 1000, "updated_at": now}, why))
                        ids["category"][code] = cid
                        added += 1
                    row["category_id"] = str(ids["category"][code])
                old = central[table].get(row[KEY[table]])
                if old is None:
                    payload = {**_defaults(table), **row, "updated_at": now}
                    rid = catalog_id(table, row[KEY[table]])
                    added += 1
                else:
                    kept = {k: _plain(v) for k, v in old.items() if k not in _COPIED}
                    changes = {k: v for k, v in row.items() if k in present and kept.get(k) != v}
                    if not changes:
                        unchanged += 1
                        continue
                    payload = {**kept, **changes, "updated_at": now}
                    rid = old["id"]
                    updated += 1
                made.append(_publish(conn, table, rid, payload, why))
                if table != "product":
                    ids[table][row[KEY[table]]] = rid
        return Published(added, updated, unchanged, tuple(made))

    return _run(url, work)


def _defaults(table: str) -> dict:
    if table == "facility":
        return {"region": "", "active": True, "pnbp_bp": 0, "premi_bp": 0, "modal_bp": 0,
                "program_bp": 0}
    if table == "category":
        return {"sort": 0}
    return {"barcode": None, "tax_mode": "none", "active": True, "image": None}


def _positive_prices(path: Path, plan) -> None:
    """Head office's catalog has no free products (a booth may still give one away)."""
    errors = [RowError(n, "price", "out_of_range", sheet=sheet.name, value=str(row["price"]))
              for kind, sheet, parsed in plan if kind == "products"
              for n, row in parsed if row["price"] is not None and row["price"] <= 0]
    if errors:
        raise ImportRejected(str(path), errors)


def _device_id(conn, code: str) -> uuid.UUID:
    row = conn.execute("SELECT device_id FROM device_role WHERE code = %s",
                       (code.strip().upper(),)).fetchone()
    if row is None:
        raise DomainError("device_not_registered", code=code)
    return row[0]


def accept(url: str, numbers: list[int]) -> tuple[int, ...]:
    """Accept proposals: each applied at a new revision; returns the versions made."""
    return _run(url, lambda conn: tuple(
        conn.execute("SELECT lapak_catalog_accept(%s)", (n,)).fetchone()[0] for n in numbers))


def accept_device(url: str, code: str) -> tuple[int, ...]:
    """Accept every proposal of device ``code`` still waiting, parents first."""

    def work(conn):
        device = _device_id(conn, code)
        waiting = conn.execute(
            "SELECT no FROM catalog_version WHERE device_id = %s AND status = 'proposed'"
            " ORDER BY array_position(ARRAY['facility','category','product'], table_name::text),"
            " no", (device,)).fetchall()
        return tuple(conn.execute("SELECT lapak_catalog_accept(%s)", (n,)).fetchone()[0]
                     for (n,) in waiting)

    return _run(url, work)


def reject(url: str, numbers: list[int], reason: str) -> tuple[int | None, ...]:
    """Reject proposals with ``reason``: the current row goes out again above each, so the
    proposer's own copy is put back."""
    reason = check_text(reason.strip(), REASON, 200)
    if not reason:
        raise DomainError("catalog_reason_required")
    return _run(url, lambda conn: tuple(
        conn.execute("SELECT lapak_catalog_reject(%s, %s)", (n, reason)).fetchone()[0]
        for n in numbers))


def revert(url: str, number: int) -> int:
    """Publish an earlier version's values again."""
    return _run(url, lambda conn: conn.execute("SELECT lapak_catalog_revert(%s)",
                                               (number,)).fetchone()[0])


def revert_device(url: str, code: str) -> int:
    """Every row whose current version came from device ``code`` goes back to the version
    before it; a product the device made is taken out of sale. Returns the rows reverted."""
    return _run(url, lambda conn: conn.execute("SELECT lapak_catalog_revert_device(%s)",
                                               (_device_id(conn, code),)).fetchone()[0])


_LISTED = ("SELECT v.no, v.table_name, coalesce(v.payload->>'sku', v.payload->>'code', ''),"
           " v.revision, v.status, coalesce(r.code, ''), v.received_at, v.decided_by,"
           " v.reason, v.payload FROM catalog_version v"
           " LEFT JOIN device_role r ON r.device_id = v.device_id")


def versions(url: str, *, proposed: bool = False, key: str | None = None,
             device: str | None = None) -> list[VersionRow]:
    """Catalog versions, newest last: every one, the proposals waiting, or one row's
    history (``key``: a SKU or a facility/category code) or one device's."""

    def work(conn):
        where, args = [], []
        if proposed:
            where.append("v.status = 'proposed'")
        if key is not None:
            where.append("(upper(v.payload->>'sku') = upper(%s) OR"
                         " upper(v.payload->>'code') = upper(%s))")
            args += [key.strip(), key.strip()]
        if device is not None:
            where.append("v.device_id = %s")
            args.append(_device_id(conn, device))
        sql = _LISTED + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY v.no"
        return [VersionRow(*r) for r in conn.execute(sql, args).fetchall()]

    return _run(url, work)


def history(url: str, key: str) -> list[VersionRow]:
    """The versions of the row ``key`` names (a SKU, a facility or category code), or, when
    no row has that key, of the device with that code."""
    rows = versions(url, key=key)
    if rows:
        return rows
    try:
        return versions(url, device=key)
    except DomainError as exc:
        if exc.code == "device_not_registered":
            return []
        raise


__all__ = ["Published", "VersionRow", "accept", "accept_device", "history", "publish_file",
           "reject", "revert", "revert_device", "versions"]
