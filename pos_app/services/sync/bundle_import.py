"""Head office's side of the USB bundle: verify it, import it, acknowledge it.

The file is read twice, a line at a time (a 1 GB bundle never takes GBs of memory), inside
ONE central transaction, as the superuser or admin address given on the command line:

1. verify: its shape, the signature with the key ``device_role`` holds for the device it
   names, the SHA-256 of its payload, then the manifest against what was read: counts per
   table, rupiah totals, the sequence range and the journal head (the newest journal event
   it carries, or the one head office already holds). The verified lines are spooled into a
   temporary file in the order their tables depend on each other.
2. import the spooled lines in batches, by the same rules as a push
   (:mod:`pos_app.services.sync.sync_push`): ``INSERT ... ON CONFLICT (device_id, id) DO
   NOTHING`` (a record is keyed by its device: another booth's row of the same id never
   meets it); a record already there with the same payload counts as received, with a
   different payload it goes to ``sync_quarantine``; a record of another device, and a
   ``device`` row for any device but the bundle's own, are quarantined too. The booth's catalog
   changes go in as ``catalog_version`` rows, exactly as a network sync sends them
   (:mod:`pos_app.services.sync.sync_catalog`), after the photos they name
   (:mod:`pos_app.services.sync.photo_sync`).

Any failed check refuses the bundle in one line and imports nothing. Importing the same
bundle again changes nothing. After the commit the acknowledgement ``FILE.ack`` is written
(what was received and quarantined, naming the bundle by its manifest's ``bundle_id``), signed
with head office's own Ed25519 key (:mod:`pos_app.services.sync.head_office_key`, made on first
need), which no booth holds; if that fails (read-only
media) the error says what was imported and how to get the acknowledgement: import a copy
from a writable folder again.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import tempfile
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from pos_app.adapters.central import connection
from pos_app.adapters.central.send import ORDER, Central, Item, Outcome, send_batch
from pos_app.domain.errors import N_, DomainError, Message, os_reason
from pos_app.domain.ids import CATALOG_TABLES
from pos_app.persistence.models import PUSHED
from pos_app.services.sync import bundle, head_office_key, journal_head
from pos_app.services.sync.bundle_spool import CATALOG_ORDER, PHOTO_ORDER, Spool
from pos_app.services.sync.photo_sync import PHOTO_LINE, PhotoResult, bundle_photo, insert_central
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
    journal: tuple[int, int, int] | None = None  # see journal_head.at_import
    photos: int = 0  # product photos new centrally (photo_sync: inserted before the catalog)


def _version(n: int, rec: dict) -> Version:
    row = rec["row"]
    if set(row) != {"table_name", "row_id", "revision", "payload"} \
            or row["table_name"] not in CATALOG_TABLES or not isinstance(row["payload"], dict) \
            or type(row["revision"]) is not int or row["revision"] < 1 \
            or type(rec["seq"]) is not int:
        raise ValueError("not a catalog version")
    return Version((n,), row["table_name"], uuid.UUID(row["row_id"]), row["revision"],
                   rec["seq"], row["payload"])


LINE_LIMIT = 64 << 20  # the longest line a bundle may hold
KINDS = {"sale": "sales", "refund": "refunds", "void": "voids"}


@dataclass
class _Tally:
    """What the verifying pass read: the manifest's figures, recomputed."""

    device: uuid.UUID
    counts: dict[str, int]
    totals: dict[str, int] = field(default_factory=lambda: dict.fromkeys(KINDS.values(), 0))
    lo: int | None = None
    hi: int | None = None
    head: tuple[int, str] | None = None  # the newest own journal event carried
    records: int = 0

    def add(self, n: int, line: bytes, spool) -> None:
        rec = json.loads(line.decode("utf-8"))
        name, seq = rec["table"], rec["seq"]
        self.counts[name] += 1
        self.records += 1
        if seq is not None:
            if type(seq) is not int:
                raise ValueError("seq")
            self.lo = seq if self.lo is None else min(self.lo, seq)
            self.hi = seq if self.hi is None else max(self.hi, seq)
        if name == bundle.CATALOG_LINE:
            _version(n, rec)
            spool.append((CATALOG_ORDER, n, line))
            return
        if name == PHOTO_LINE:  # checked: the picture its name says
            bundle_photo(rec)
            spool.append((PHOTO_ORDER, n, line))
            return
        row = bundle.typed_row(name, rec["row"])
        if name == "sale" and row.get("kind") in KINDS:
            self.totals[KINDS[row["kind"]]] += int(row["total"])
        if name == "audit_event" and row.get("device_id") == self.device \
                and (self.head is None or row["chain_index"] > self.head[0]):
            self.head = (row["chain_index"], row["hash"])
        spool.append((ORDER[name], n, line))


def _lines(fh, damaged: DomainError):
    """The file's lines with their newline; a line too long or without one is damage."""
    while line := fh.readline(LINE_LIMIT + 1):
        if not line.endswith(b"\n"):
            raise damaged
        yield line


def _verify(fh, path: Path, key_of, spool: Spool) -> tuple[_Tally, dict, str, str]:
    """The verifying pass over the open bundle ``fh``: (tally, manifest, code, whole file's
    SHA-256); ``key_of(device)`` gives (code, key) or refuses."""
    damaged = DomainError("bundle_damaged", path=str(path))
    first = fh.readline(LINE_LIMIT + 1)
    try:
        header = json.loads(first.decode("utf-8"))
        ok = first.endswith(b"\n") and isinstance(header, dict) \
            and header.get("format") == bundle.FORMAT and header.get("version") == bundle.VERSION
    except (UnicodeDecodeError, ValueError):
        ok = False
    if not ok:
        raise damaged
    device = bundle.header_device(bundle.Signed(header, [], b"", b""), "bundle_damaged", path)
    code, key = key_of(device)
    manifest = header.get("manifest")
    counts = dict.fromkeys(PUSHED, 0)
    for line in (bundle.CATALOG_LINE, PHOTO_LINE):  # kinds of line older bundles lack
        if isinstance(manifest, dict) and line in (manifest.get("counts") or {}):
            counts[line] = 0
    tally = _Tally(device, counts)
    mac, payload, whole = hmac.new(key, first, hashlib.sha256), hashlib.sha256(), \
        hashlib.sha256(first)
    prev, broken, n = None, False, 0
    for line in _lines(fh, damaged):
        whole.update(line)
        if prev is not None:
            mac.update(prev)
            payload.update(prev)
            if not broken:
                try:
                    tally.add(n, prev[:-1], spool)
                except (UnicodeDecodeError, ValueError, KeyError, TypeError, AttributeError):
                    broken = True
            n += 1
        prev = line
    if prev is None:
        raise damaged
    spool.flush()
    if not hmac.compare_digest(prev[:-1], bundle.json_line({"hmac_sha256": mac.hexdigest()})):
        raise DomainError("bundle_bad_signature", path=str(path), code=code)
    if not isinstance(manifest, dict) or manifest.get("device_id") != str(device) \
            or manifest.get("payload_sha256") != payload.hexdigest():
        raise DomainError("bundle_bad_checksum", path=str(path))
    if broken:
        raise damaged
    return tally, manifest, code, whole.hexdigest()


def _check_manifest(conn, path: Path, manifest: dict, tally: _Tally) -> None:
    """The manifest's figures against what was read; the first that differs refuses."""
    seqs = None if tally.lo is None else [tally.lo, tally.hi]
    head = manifest.get("audit_head")
    what = None
    if manifest.get("records") != tally.records or manifest.get("counts") != tally.counts:
        what = N_("record counts")
    elif manifest.get("totals_rupiah") != tally.totals:
        what = N_("rupiah totals")
    elif manifest.get("seq_ranges") != {str(tally.device): seqs}:
        what = N_("sequence range")
    elif not isinstance(head, dict) or type(head.get("index")) is not int \
            or not _head_holds(conn, tally, head["index"], head.get("hash")):
        what = N_("journal head")
    if what is not None:
        raise DomainError("bundle_manifest_mismatch", path=str(path), what=Message(what))


def _head_holds(conn, tally: _Tally, index: int, digest) -> bool:
    """The journal head named is the newest event carried or, none carried, one head office
    already holds, on any branch (or the empty journal's)."""
    if tally.head is not None:
        return tally.head == (index, digest)
    if index == 0:
        return True
    return digest in [r[0] for r in conn.execute(
        "SELECT hash FROM audit_event WHERE device_id = %s AND chain_index = %s",
        (tally.device, index))]


def _not_its_own(device: uuid.UUID, item: Item) -> str:
    """Why the bundle of ``device`` may not bring ``item`` ("" when it may): as the row-level
    security holds a booth's own role (the import runs as head office's admin, past it)."""
    if item.row.get("device_id") != device:
        return "the record belongs to another device"
    if item.table_name == "device" and item.record_id != device:
        return "a device row for another device"
    return ""


def _import(central: Central, items: list[Item]) -> Outcome:
    """All ``items`` inside the caller's transaction (savepoints only)."""
    out = Outcome()
    mine = []
    for i in items:
        reason = _not_its_own(central.device_id, i)
        if reason:
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


def _ack(path: Path, private: bytes, device: uuid.UUID, manifest: dict,
         received: dict[str, list[str]], held: dict[str, list[list[str]]], catalog: Sent,
         bundle_sha256: str, journal_head: dict | None = None) -> Path:
    doc = {"format": bundle.ACK_FORMAT, "version": bundle.VERSION, "device_id": str(device),
           "journal_head": journal_head,
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


def _key_of(conn, path: Path):
    def key_of(device: uuid.UUID) -> tuple[str, bytes]:
        row = conn.execute("SELECT code, bundle_key, revoked_at FROM device_role"
                           " WHERE device_id = %s", (device,)).fetchone()
        if row is None or row[1] is None:
            raise DomainError("bundle_unknown_device", path=str(path), device=str(device))
        if row[2] is not None:
            raise DomainError("device_revoked", code=row[0], when=row[2].date().isoformat())
        return row[0], bytes(row[1])

    return key_of


@dataclass
class _Imported:
    received: dict[str, list[str]] = field(default_factory=dict)
    held: dict[str, list[list[str]]] = field(default_factory=dict)
    quarantined: list[Quarantined] = field(default_factory=list)
    inserted: int = 0
    already_there: int = 0
    catalog: Sent = field(default_factory=Sent)
    photos: PhotoResult = field(default_factory=PhotoResult)


def _import_spooled(conn, device: uuid.UUID, spool: Spool) -> _Imported:
    """The spooled records, a batch at a time, then the photos, then the catalog changes."""
    done, central = _Imported(), Central(conn, device)
    for batch in spool.batches():
        items = []
        for n, rec in batch:
            row = bundle.typed_row(rec["table"], rec["row"])
            items.append(Item(n, rec["table"], row["id"], rec["seq"], row))
        out = _import(central, items)
        by_index = {i.outbox_id: i for i in items}
        for n in sorted(out.sent):
            done.received.setdefault(by_index[n].table_name, []).append(
                str(by_index[n].record_id))
        for _n, q in sorted(out.quarantined, key=lambda p: p[0]):
            done.held.setdefault(q.table_name, []).append([str(q.record_id), q.reason])
            done.quarantined.append(q)
        done.inserted += out.inserted
        done.already_there += out.already_there
    for batch in spool.batches(PHOTO_ORDER):
        insert_central(conn, device, [bundle_photo(rec) for _n, rec in batch], done.photos)
    now = datetime.now(UTC)
    for batch in spool.batches(CATALOG_ORDER):
        part = send_versions(conn, device, [_version(n, rec) for n, rec in batch], now)
        done.catalog.sent += part.sent
        done.catalog.refused += part.refused
        done.catalog.new += part.new
    return done


def import_bundle(path: Path, url: str) -> ImportResult:
    """Verify the bundle at ``path``, import it into the central database at ``url`` (an
    admin address: row-level security is forced on the synced tables) and write
    ``path.ack``. Raises ``DomainError`` and imports nothing when the bundle fails a check;
    ``bundle_ack_unwritten`` when it was imported but the acknowledgement could not be
    written."""
    path = Path(path)
    params = connection.params(url)
    try:
        fh = open(path, "rb")  # noqa: SIM115 - closed below, after both passes
    except OSError as exc:
        raise DomainError("import_unreadable", path=str(path), reason=os_reason(exc)) from None
    try:
        conn = connection.connect(params)
    except connection.errors() as exc:
        fh.close()
        raise connection.db_error(exc) from None
    try:
        with tempfile.TemporaryDirectory(prefix="lapak-bundle-") as folder, conn:
            # one transaction: committed at the end, rolled back on any error
            spool = Spool(folder)
            try:
                tally, manifest, code, whole = _verify(fh, path, _key_of(conn, path), spool)
                _check_manifest(conn, path, manifest, tally)
                done = _import_spooled(conn, tally.device, spool)
                journal, held_head = journal_head.at_import(conn, tally.device, manifest)
            finally:
                spool.db.close()
            private, _public = head_office_key.ensure(conn.execute)
    except DomainError:
        raise
    except OSError as exc:
        raise DomainError("import_unreadable", path=str(path), reason=os_reason(exc)) from None
    except connection.errors() as exc:
        raise connection.db_error(exc) from None
    finally:
        fh.close()
        conn.close()
    catalog = done.catalog
    result = ImportResult(tally.device, code, tally.records, done.inserted + catalog.new,
                          done.already_there + len(catalog.sent) - catalog.new,
                          done.quarantined + [Quarantined(v.table_name, v.row_id, why)
                                              for v, why in catalog.refused],
                          journal=journal, photos=done.photos.sent)
    try:
        result.ack = _ack(path, private, tally.device, manifest, done.received, done.held,
                          catalog, whole, held_head)
    except (DomainError, OSError) as exc:
        reason = exc.params.get("reason", "") if isinstance(exc, DomainError) \
            else os_reason(exc)
        raise DomainError("bundle_ack_unwritten", path=str(path), new=result.inserted,
                          old=result.already_there, held=len(result.quarantined),
                          ack=str(path.with_name(path.name + ".ack")), reason=reason) from None
    return result


__all__ = ["ImportResult", "import_bundle"]
