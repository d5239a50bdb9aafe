"""Head office's side of the USB bundle: verify it, import it, acknowledge it.

Nothing is imported before the whole file has passed: its shape, the signature with the key
``device_role`` holds for the device it names, then the SHA-256 of its payload and the
manifest's counts. The records then go in ONE central transaction, as the superuser or admin
address given on the command line, by the same rules as a push
(:mod:`pos_app.services.sync.sync_push`): ``INSERT ... ON CONFLICT (id) DO NOTHING``; an id already
there with the same payload counts as received, with a different payload it goes to
``sync_quarantine``; a record of another device is quarantined too. Importing the same bundle
again changes nothing. The booth's catalog changes go in as ``catalog_version`` rows, exactly
as a network sync sends them (:mod:`pos_app.services.sync.sync_catalog`): the central catalog is
decided by revision. The acknowledgement ``FILE.ack`` lists what was received and what was
quarantined (catalog changes with their revision) and names the bundle (its manifest's
``bundle_id``); head office signs it with its own Ed25519 key
(:mod:`pos_app.services.sync.head_office_key`, made on first need), which no booth holds.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from pos_app.adapters.central import connection
from pos_app.adapters.central.send import Central, Item, Outcome, send_batch
from pos_app.domain.errors import DomainError
from pos_app.domain.ids import CATALOG_TABLES
from pos_app.persistence.models import PUSHED
from pos_app.services.sync import bundle, head_office_key
from pos_app.services.sync.sync_catalog import Sent, Version, send_versions
from pos_app.services.sync.sync_push import Quarantined


@dataclass
class ImportResult:
    device_id: uuid.UUID
    device_code: str
    records: int = 0
    inserted: int = 0
    already_there: int = 0
    quarantined: list[Quarantined] = field(default_factory=list)
    ack: Path | None = None


def _version(n: int, rec: dict) -> Version:
    row = rec["row"]
    if set(row) != {"table_name", "row_id", "revision", "payload"} \
            or row["table_name"] not in CATALOG_TABLES or not isinstance(row["payload"], dict) \
            or type(row["revision"]) is not int or row["revision"] < 1 \
            or type(rec["seq"]) is not int:
        raise ValueError("not a catalog version")
    return Version((n,), row["table_name"], uuid.UUID(row["row_id"]), row["revision"],
                   rec["seq"], row["payload"])


def _items(doc: bundle.Signed, path: Path) -> tuple[list[Item], list[Version]]:
    damaged = DomainError("bundle_damaged", path=str(path))
    items, versions = [], []
    counts = dict.fromkeys(PUSHED, 0)
    try:
        manifest = doc.header["manifest"]
        if bundle.CATALOG_LINE in manifest["counts"]:
            counts[bundle.CATALOG_LINE] = 0
        for n, line in enumerate(doc.body):
            rec = json.loads(line.decode("utf-8"))
            name = rec["table"]
            counts[name] += 1
            if name == bundle.CATALOG_LINE:
                versions.append(_version(n, rec))
                continue
            row = bundle.typed_row(name, rec["row"])
            items.append(Item(n, name, row["id"], rec["seq"], row))
        if manifest["records"] != len(items) + len(versions) or manifest["counts"] != counts:
            raise damaged
    except DomainError:
        raise
    except (UnicodeDecodeError, ValueError, KeyError, TypeError, AttributeError):
        raise damaged from None
    return items, versions


def _import(central: Central, items: list[Item]) -> Outcome:
    """All ``items`` inside the caller's transaction (savepoints only)."""
    out = Outcome()
    mine = []
    for i in items:
        if i.row.get("device_id") != central.device_id:
            reason = "the record belongs to another device"
            central.quarantine(i, None, reason)
            out.quarantined.append((i.outbox_id, Quarantined(i.table_name, i.record_id, reason)))
        else:
            mine.append(i)
    try:
        with central.conn.transaction():
            part = send_batch(central, mine, one_by_one=False)
    except Exception as exc:  # noqa: BLE001 - a refused record: find it, keep the rest
        if not connection.is_record_error(exc):
            raise
        part = send_batch(central, mine, one_by_one=True)
    out.sent += part.sent
    out.quarantined += part.quarantined
    out.inserted, out.already_there = part.inserted, part.already_there
    return out


def _ack(path: Path, private: bytes, device: uuid.UUID, manifest: dict, items: list[Item],
         out: Outcome, catalog: Sent, bundle_sha256: str) -> Path:
    by_index = {i.outbox_id: i for i in items}
    received: dict[str, list[str]] = {}
    for n in sorted(out.sent):
        received.setdefault(by_index[n].table_name, []).append(str(by_index[n].record_id))
    held: dict[str, list[list[str]]] = {}
    for _n, q in sorted(out.quarantined, key=lambda p: p[0]):
        held.setdefault(q.table_name, []).append([str(q.record_id), q.reason])
    doc = {"format": bundle.ACK_FORMAT, "version": bundle.VERSION, "device_id": str(device),
           "bundle_sha256": bundle_sha256, "bundle_id": manifest.get("bundle_id"),
           "seq_ranges": manifest.get("seq_ranges"),
           "received": received, "quarantined": held,
           "catalog": {"received": [[v.table_name, str(v.row_id), v.revision]
                                    for v in catalog.sent],
                       "quarantined": [[v.table_name, str(v.row_id), v.revision, why]
                                       for v, why in catalog.refused]}}
    ack = path.with_name(path.name + ".ack")
    bundle.write_signed(ack, [bundle.json_line(doc)], lambda signed: bundle.json_line(
        {"ed25519": head_office_key.sign(private, signed)}), replace=True)
    return ack


def import_bundle(path: Path, url: str) -> ImportResult:
    """Verify the bundle at ``path``, import it into the central database at ``url`` (an
    admin address: row-level security is forced on the synced tables) and write
    ``path.ack``. Raises ``DomainError`` and imports nothing when the bundle fails a check."""
    path = Path(path)
    doc = bundle.read_signed(path, bundle.FORMAT, "bundle_damaged")
    device = bundle.header_device(doc, "bundle_damaged", path)
    params = connection.params(url)
    try:
        conn = connection.connect(params)
    except connection.errors() as exc:
        raise connection.db_error(exc) from None
    try:
        with conn:  # one transaction: committed at the end, rolled back on any error
            row = conn.execute("SELECT code, bundle_key, revoked_at FROM device_role"
                               " WHERE device_id = %s", (device,)).fetchone()
            if row is None or row[1] is None:
                raise DomainError("bundle_unknown_device", path=str(path), device=str(device))
            if row[2] is not None:
                raise DomainError("device_revoked", code=row[0],
                                  when=row[2].date().isoformat())
            code, key = row[0], bytes(row[1])
            if not doc.valid(key):
                raise DomainError("bundle_bad_signature", path=str(path), code=code)
            manifest = doc.header.get("manifest")
            payload = b"".join(line + b"\n" for line in doc.body)
            if not isinstance(manifest, dict) or manifest.get("device_id") != str(device) \
                    or manifest.get("payload_sha256") != hashlib.sha256(payload).hexdigest():
                raise DomainError("bundle_bad_checksum", path=str(path))
            items, versions = _items(doc, path)
            private, _public = head_office_key.ensure(conn.execute)
            out = _import(Central(conn, device), items)
            catalog = send_versions(conn, device, versions, datetime.now(UTC))
    except DomainError:
        raise
    except connection.errors() as exc:
        raise connection.db_error(exc) from None
    finally:
        conn.close()
    result = ImportResult(device, code, len(items) + len(versions),
                          out.inserted + catalog.new,
                          out.already_there + len(catalog.sent) - catalog.new,
                          [q for _, q in out.quarantined]
                          + [Quarantined(v.table_name, v.row_id, why)
                             for v, why in catalog.refused])
    whole = hashlib.sha256(doc.signed + doc.signature + b"\n").hexdigest()
    result.ack = _ack(path, private, device, manifest, items, out, catalog, whole)
    return result


__all__ = ["ImportResult", "import_bundle"]
