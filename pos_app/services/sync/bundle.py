"""The USB bundle: the booth's append-only records on a stick, when there is no network.

A bundle is one UTF-8 text file of JSON lines, written under a temporary name and renamed:

1. a header: the format, and the manifest (device, counts per table, rupiah totals, the
   per-device sequence range, the audit chain head, the SHA-256 of the payload lines);
2. one line per record: ``{"table", "seq", "row"}``, oldest first;
3. the last line: ``{"hmac_sha256": ...}``, an HMAC-SHA256 with the device's bundle key over
   every byte before it.

Any flipped byte makes the signature (or the checksum) fail, a cut file loses its last line:
head office rejects either whole (:mod:`pos_app.services.sync.bundle_import`). The acknowledgement
head office writes back (``FILE.ack``) has the same form (a header line and a signature line),
but is signed by head office's own Ed25519 key (:mod:`pos_app.services.sync.head_office_key`),
whose public key came with the enrollment: the booth's bundle key cannot make one. Each export
is recorded (``bundle_export``: its id and what it carried); :func:`apply_ack` checks the
signature, that the acknowledgement names a bundle this booth exported and only records that
bundle carried, and then marks them as sent (or quarantined); otherwise it marks nothing.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Date, DateTime, Uuid, select, update

from pos_app.adapters import workfiles
from pos_app.domain.errors import N_, DomainError, Message, cannot_write, os_reason
from pos_app.domain.ids import CATALOG_TABLES
from pos_app.persistence.models import PUSHED, Base, BundleExport, Outbox
from pos_app.persistence.types import UTCDateTime
from pos_app.services.access import audit, journal_anchor
from pos_app.services.access.journal_anchor import Anchor
from pos_app.services.setup.booth import Booth
from pos_app.services.setup.records import plain
from pos_app.services.sync import enrollment, head_office_key, sync_catalog, sync_copy
from pos_app.services.sync.photo_sync import bundle_lines

FORMAT = "lapak-pos-bundle"
CATALOG_LINE = "catalog_version"  # the table named by a catalog change's line
ACK_FORMAT = "lapak-pos-bundle-ack"
VERSION = 1
_CHUNK = 500


@dataclass(frozen=True)
class ExportResult:
    path: Path
    records: int
    manifest: dict


@dataclass(frozen=True)
class AckResult:
    device_id: uuid.UUID
    marked_sent: int
    marked_quarantined: int


# --- the signed file -------------------------------------------------------------------------

def sign(key: bytes, data: bytes) -> str:
    return hmac.new(key, data, hashlib.sha256).hexdigest()


def json_line(doc: Any) -> bytes:
    """``doc`` as one canonical JSON line (sorted keys, no spaces): what gets signed."""
    return json.dumps(doc, sort_keys=True, separators=(",", ":"), ensure_ascii=False
                      ).encode("utf-8")


def _signature_line(key: bytes, signed: bytes) -> bytes:
    return json_line({"hmac_sha256": sign(key, signed)})


def write_signed(path: Path, lines: list[bytes], key: bytes | Callable[[bytes], bytes], *,
                 replace: bool = False) -> None:
    """``lines`` and their signature into ``path``: a temporary file renamed into place.
    ``key``: the HMAC key, or a function giving the signature line of the signed bytes."""
    path = Path(path)
    if path.exists() and not replace:
        raise DomainError("cannot_write", path=str(path),
                          reason=Message(N_("the file already exists")))
    signed = b"".join(line + b"\n" for line in lines)
    tail = key(signed) if callable(key) else _signature_line(key, signed)
    data = signed + tail + b"\n"
    workfiles.sweep(path)  # what a killed export of the same bundle left
    tmp = workfiles.temp_name(path)
    try:
        with open(tmp, "xb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        raise cannot_write(path, exc) from None
    finally:
        tmp.unlink(missing_ok=True)


@dataclass(frozen=True)
class Signed:
    header: dict
    body: list[bytes]  # the lines between the header and the signature
    signed: bytes  # every byte the signature covers
    signature: bytes  # the signature line as found

    def valid(self, key: bytes) -> bool:
        return hmac.compare_digest(self.signature, _signature_line(key, self.signed))


def read_signed(path: Path, fmt: str, damaged: str) -> Signed:
    """The parts of a signed file (not yet verified); ``DomainError(damaged)`` when it is not
    even shaped like one: unreadable, cut short, or with a header that is not ours."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise DomainError("import_unreadable", path=str(path),
                          reason=os_reason(exc)) from None
    bad = DomainError(damaged, path=str(path))
    if not raw.endswith(b"\n"):
        raise bad
    lines = raw[:-1].split(b"\n")
    if len(lines) < 2:
        raise bad
    try:
        header = json.loads(lines[0].decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise bad from None
    if not isinstance(header, dict) or header.get("format") != fmt \
            or header.get("version") != VERSION:
        raise bad
    sig = lines[-1]
    return Signed(header, lines[1:-1], raw[:len(raw) - len(sig) - 1], sig)


def header_device(s: Signed, damaged: str, path: Path) -> uuid.UUID:
    try:
        return uuid.UUID(str(s.header["device_id"]))
    except (KeyError, ValueError):
        raise DomainError(damaged, path=str(path)) from None


# --- rows as JSON and back -------------------------------------------------------------------

def typed_row(table_name: str, row: dict) -> dict:
    """A row read back from JSON with the Python types of its columns; ValueError if it
    does not fit the table."""
    if table_name not in PUSHED or not isinstance(row, dict):
        raise ValueError(table_name)
    cols = Base.metadata.tables[table_name].columns
    if set(row) - set(cols.keys()):
        raise ValueError("unknown column")
    out = {}
    for name, v in row.items():
        t = cols[name].type
        if v is not None:
            if isinstance(t, Uuid):
                v = uuid.UUID(v)
            elif isinstance(t, UTCDateTime | DateTime):
                v = datetime.fromisoformat(v)
            elif isinstance(t, Date):
                v = date.fromisoformat(v)
        out[name] = v
    return out


# --- export ----------------------------------------------------------------------------------

def signing_key(device_id: uuid.UUID) -> bytes:
    stored = enrollment.load_secrets(device_id)
    if not stored or not stored.get("signing_key"):
        raise DomainError("bundle_not_enrolled")
    return bytes.fromhex(stored["signing_key"])


def _encodable(row: dict) -> bool:
    try:
        for v in row.values():
            if isinstance(v, str):
                v.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _records(booth: Booth, everything: bool) -> list[tuple[str, int, dict]]:
    me = booth.context.device_id
    with booth.db.read() as s, sync_copy.lenient_text(s):
        q = select(Outbox.table_name, Outbox.record_id, Outbox.seq).where(
            Outbox.table_name.in_(PUSHED))
        if not everything:
            q = q.where(Outbox.state == "pending")
        box = s.execute(q.order_by(Outbox.seq, Outbox.id)).all()
        wanted: dict[str, list[uuid.UUID]] = {}
        for name, rid, _seq in box:
            wanted.setdefault(name, []).append(rid)
        found: dict[tuple[str, uuid.UUID], dict] = {}
        for name, ids in wanted.items():
            for k in range(0, len(ids), _CHUNK):  # an unreadable record is left out
                rows, _unreadable = sync_copy.typed_rows(s, name, ids[k:k + _CHUNK])
                found.update(((name, i), r) for i, r in rows.items())
    out, seen = [], set()
    for name, rid, seq in box:
        row = found.get((name, rid))
        if row is None or row.get("device_id") != me or (name, rid) in seen \
                or not _encodable(row):  # not valid UTF-8 here: it stays pending
            continue
        seen.add((name, rid))
        out.append((name, seq, row))
    return out


def _catalog(booth: Booth, everything: bool) -> list[tuple[str, int, dict]]:
    """This booth's catalog changes as ``catalog_version`` lines (the catalog is mutable: it
    travels as versions, decided centrally by revision, exactly as by network), after the
    ``photo`` lines of the photos they name."""
    return bundle_lines(booth, [
        (CATALOG_LINE, v.seq, {"table_name": v.table_name, "row_id": v.row_id,
                               "revision": v.revision, "payload": v.payload})
        for v in sync_catalog.versions(booth, everything=everything) if v.payload is not None])


def _manifest(booth: Booth, records: list[tuple[str, int, dict]], everything: bool,
              payload_sha256: str) -> dict:
    counts = {t: 0 for t in (*PUSHED, CATALOG_LINE)}  # photo: only when it carries some
    totals = {"sales": 0, "refunds": 0, "voids": 0}
    kinds = {"sale": "sales", "refund": "refunds", "void": "voids"}
    for name, _seq, row in records:
        counts[name] = counts.get(name, 0) + 1
        if name == "sale" and row.get("kind") in kinds:
            totals[kinds[row["kind"]]] += int(row["total"])
    seqs = [seq for _n, seq, _r in records if seq is not None]
    me = booth.context.device_id
    with booth.db.read() as s:
        chain = audit.head(s, me)
    return {
        "device_id": str(me), "device_code": booth.context.device_code,
        "created_at": booth.clock.now().isoformat(), "scope": "all" if everything else "unsent",
        "records": len(records), "counts": counts, "totals_rupiah": totals,
        "seq_ranges": {str(me): [min(seqs), max(seqs)] if seqs else None},
        "audit_head": {"index": chain.index, "hash": chain.hash},
        "payload_sha256": payload_sha256,
    }


def _carried(records: list[tuple[str, int, dict]]) -> dict:
    out: dict = {"records": {}, "catalog": []}
    for name, _seq, row in records:
        if name == CATALOG_LINE:
            out["catalog"].append([row["table_name"], str(row["row_id"]), row["revision"]])
        elif name in PUSHED:  # (photos are content: nothing to acknowledge)
            out["records"].setdefault(name, []).append(str(row["id"]))
    return out


def export_bundle(booth: Booth, out: Path, *, everything: bool = False) -> ExportResult:
    """Write this device's unsent (or all) records and catalog changes into a signed bundle,
    recorded first (an export whose file then fails leaves a record no ack can match)."""
    key = signing_key(booth.context.device_id)
    records = _catalog(booth, everything) + _records(booth, everything)
    bundle_id = uuid.uuid4()
    with booth.db.write() as s:
        s.add(BundleExport(id=bundle_id, created_at=booth.clock.now(),
                           carried=json_line(_carried(records)).decode("utf-8")))
    body = [json_line({"table": name, "seq": seq, "row": {k: plain(v) for k, v in row.items()}})
            for name, seq, row in records]
    digest = hashlib.sha256(b"".join(line + b"\n" for line in body)).hexdigest()
    manifest = {**_manifest(booth, records, everything, digest), "bundle_id": str(bundle_id)}
    header = {"format": FORMAT, "version": VERSION, "device_id": manifest["device_id"],
              "manifest": manifest}
    write_signed(Path(out), [json_line(header), *body], key)
    return ExportResult(Path(out), len(records), manifest)


# --- the acknowledgement, on the booth ---------------------------------------------------------

def _check_head_office(booth: Booth, doc: Signed, path: Path) -> None:
    """Refuse ``doc`` unless head office's key (from the enrollment) signed it."""
    stored = enrollment.load_secrets(booth.context.device_id)
    if not stored:
        raise DomainError("bundle_not_enrolled")
    public = stored.get("head_office_key")
    if not public:  # enrolled before c0006: head office reissues its file (central reissue)
        code = booth.settings().central_device_code or booth.context.device_code
        raise DomainError("ack_no_head_office_key", path=str(path), code=code)
    try:
        sig = json.loads(doc.signature.decode("utf-8"))
        ok = set(sig) == {"ed25519"} and head_office_key.verify(
            bytes.fromhex(public), doc.signed, sig["ed25519"])
    except (UnicodeDecodeError, ValueError, TypeError):
        ok = False
    if not ok:
        raise DomainError("ack_not_head_office", path=str(path))


def _exported(booth: Booth, doc: Signed, path: Path) -> dict:
    """What the bundle ``doc`` acknowledges carried: ``records`` as sets of ids by table,
    ``catalog`` as a set of (table, id, revision); refused for a bundle never exported here."""
    try:
        bundle_id = uuid.UUID(str(doc.header["bundle_id"]))
    except (KeyError, ValueError):
        raise DomainError("ack_unknown_bundle", path=str(path)) from None
    with booth.db.read() as s:
        row = s.get(BundleExport, bundle_id)
        if row is None:
            raise DomainError("ack_unknown_bundle", path=str(path))
        carried = json.loads(row.carried)
    return {"records": {t: set(ids) for t, ids in carried["records"].items()},
            "catalog": {(t, i, r) for t, i, r in carried["catalog"]}}


def apply_ack(booth: Booth, path: Path) -> AckResult:
    """Check an acknowledgement and mark the records it names: received -> sent, quarantined
    centrally -> quarantined. Refuses (marking nothing) one changed, cut or for another booth."""
    path = Path(path)
    me = booth.context.device_id
    doc = read_signed(path, ACK_FORMAT, "ack_invalid")
    if header_device(doc, "ack_invalid", path) != me or doc.body:
        raise DomainError("ack_invalid", path=str(path))
    _check_head_office(booth, doc, path)
    carried = _exported(booth, doc, path)
    try:
        received = {t: [uuid.UUID(i) for i in ids]
                    for t, ids in doc.header["received"].items() if t in PUSHED}
        quarantined = {t: [(uuid.UUID(i), str(r)) for i, r in items]
                       for t, items in doc.header["quarantined"].items() if t in PUSHED}
    except (KeyError, ValueError, TypeError, AttributeError):
        raise DomainError("ack_invalid", path=str(path)) from None
    try:
        catalog = doc.header.get("catalog") or {"received": [], "quarantined": []}
        cat_sent = [(str(t), uuid.UUID(i), int(r)) for t, i, r in catalog["received"]]
        cat_held = [(str(t), uuid.UUID(i), int(r), str(why))
                    for t, i, r, why in catalog["quarantined"]]
    except (KeyError, ValueError, TypeError, AttributeError):
        raise DomainError("ack_invalid", path=str(path)) from None
    if any(str(i) not in carried["records"].get(t, ()) for t, ids in received.items()
           for i in ids) \
            or any(str(i) not in carried["records"].get(t, ()) for t, items in quarantined.items()
                   for i, _r in items) \
            or any((t, str(i), r) not in carried["catalog"] for t, i, r, *_ in cat_sent + cat_held):
        raise DomainError("ack_not_in_bundle", path=str(path))
    now = booth.clock.now()
    sent = held = 0
    with booth.db.write() as s:
        for table, rid, revision, why in [(*c, None) for c in cat_sent] + cat_held:
            # A catalog row's outbox rows are covered only while the row is still at the
            # revision head office received: a later change stays pending, to go next time.
            if table not in CATALOG_TABLES:
                continue
            t = Base.metadata.tables[table]
            if s.execute(select(t.c.revision).where(t.c.id == rid)).scalar() != revision:
                continue
            done = {"state": "sent", "sent_at": now, "last_error": None} if why is None \
                else {"state": "quarantined", "last_error": why[:500]}
            n = s.execute(update(Outbox).where(
                Outbox.table_name == table, Outbox.record_id == rid, Outbox.state == "pending",
            ).values(attempts=Outbox.attempts + 1, **done)).rowcount
            if why is None:
                sent += n
            else:
                held += n
        for name, ids in received.items():
            for k in range(0, len(ids), _CHUNK):
                sent += s.execute(update(Outbox).where(
                    Outbox.table_name == name, Outbox.record_id.in_(ids[k:k + _CHUNK]),
                    Outbox.state == "pending",
                ).values(state="sent", sent_at=now, attempts=Outbox.attempts + 1,
                         last_error=None)).rowcount
        for name, items in quarantined.items():
            for rid, reason in items:
                held += s.execute(update(Outbox).where(
                    Outbox.table_name == name, Outbox.record_id == rid,
                    Outbox.state == "pending",
                ).values(state="quarantined", attempts=Outbox.attempts + 1,
                         last_error=reason[:500])).rowcount
        head = doc.header.get("journal_head")
        if isinstance(head, dict) and type(head.get("index")) is int \
                and isinstance(head.get("hash"), str):
            # head office's held head, signed: an anchor verify re-checks with its key
            evidence = json.dumps({"signed": doc.signed.hex(),
                                   "signature": json.loads(doc.signature)["ed25519"]})
            journal_anchor.record(s.connection(), me, now,
                                  Anchor("ack", head["index"], head["hash"], evidence))
    return AckResult(me, sent, held)


__all__ = ["AckResult", "ExportResult", "apply_ack", "export_bundle", "read_signed",
           "json_line", "sign", "typed_row", "write_signed"]
