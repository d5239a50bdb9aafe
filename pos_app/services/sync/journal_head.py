"""The journal head central holds for this booth, learned after a push or asked for by
``audit verify``, kept as a local anchor and compared with the local chain; and the check of
an acknowledgement's anchor against head office's public key.

Asking is quick and never hangs: a short connect timeout and a short statement timeout; any
failure (not enrolled, unreachable, a central database from before ``journal_anchor``) is
"no answer", and verify falls back on the anchors already kept.
"""

from __future__ import annotations

import json
import logging
import uuid
from typing import Any

from pos_app.adapters.central import connection
from pos_app.domain.errors import DomainError
from pos_app.services.access import audit, journal_anchor
from pos_app.services.access.journal_anchor import Anchor, AnchorProblem
from pos_app.services.setup.booth import Booth

__all__ = ["ASK_TIMEOUT", "ack_holds", "ask_central", "at_import", "connect_briefly",
           "held_by_central", "learn", "learn_from"]

ASK_TIMEOUT = 3  # seconds, to connect and to answer

log = logging.getLogger("pos_app")


def held_by_central(conn: Any, device_id: uuid.UUID) -> Anchor | None:
    """Central's held head for this device (None: none held, or no such table there)."""
    try:
        if conn.autocommit:
            row = conn.execute("SELECT chain_index, hash FROM journal_anchor"
                               " WHERE device_id = %s", (device_id,)).fetchone()
        else:
            with conn.transaction():
                row = conn.execute("SELECT chain_index, hash FROM journal_anchor"
                                   " WHERE device_id = %s", (device_id,)).fetchone()
    except connection.errors() as exc:
        log.info("central holds no journal head for this booth: %s", connection.first_line(exc))
        return None
    return None if row is None else Anchor("central", int(row[0]), str(row[1]))


def learn(booth: Booth, anchor: Anchor | None) -> AnchorProblem | None:
    """Keep ``anchor`` and compare the local chain with it."""
    if anchor is None:
        return None
    me = booth.context.device_id
    with booth.db.write() as s:
        conn = s.connection()
        journal_anchor.record(conn, me, booth.clock.now(), anchor)
        return journal_anchor.compare(conn, me, audit.head(conn, me), anchor)


def learn_from(booth: Booth, conn: Any) -> AnchorProblem | None:
    """After a push: what central now holds for this booth, kept and compared."""
    return learn(booth, held_by_central(conn, booth.context.device_id))


def connect_briefly(booth: Booth) -> Any:
    """A connection as this device's role that gives up quickly (``ASK_TIMEOUT`` to connect
    and per statement); None when not enrolled or no answer."""
    from pos_app.services.sync.sync_status import NotEnrolled, conninfo_from_enrollment

    try:
        params = {**conninfo_from_enrollment(booth), "connect_timeout": ASK_TIMEOUT,
                  "options": f"-c statement_timeout={ASK_TIMEOUT * 1000}"}
        return connection.connector(params, autocommit=True)()
    except (NotEnrolled, DomainError, OSError, *connection.errors()) as exc:
        log.info("central not asked: %s", exc)
        return None


def ask_central(booth: Booth) -> Anchor | None:
    """Central's held head for this booth, asked quickly (None: not enrolled, no answer)."""
    conn = connect_briefly(booth)
    if conn is None:
        return None
    try:
        return held_by_central(conn, booth.context.device_id)
    finally:
        conn.close()


def ack_holds(booth: Booth):
    """A check of an acknowledgement anchor's evidence: head office's signature (with the
    public key from this booth's enrollment) over a document naming this device and head."""
    from pos_app.services.sync import enrollment, head_office_key

    me = booth.context.device_id
    stored = enrollment.load_secrets(me) or {}
    public = stored.get("head_office_key")

    def holds(anchor: Anchor) -> bool:
        if not public:
            return False
        try:
            doc = json.loads(anchor.evidence or "")
            signed = bytes.fromhex(doc["signed"])
            ok = head_office_key.verify(bytes.fromhex(public), signed, doc["signature"])
            header = json.loads(signed.decode("utf-8").split("\n", 1)[0])
        except (ValueError, KeyError, TypeError, AttributeError):
            return False
        head = header.get("journal_head") if isinstance(header, dict) else None
        return ok and header.get("device_id") == str(me) and isinstance(head, dict) \
            and head.get("index") == anchor.index and head.get("hash") == anchor.hash

    return holds


# The hash of event #i in the chain central holds for device d: from the held head down its
# branch to where that branch starts (a restore, central migration c0010), then down the
# branch that restore links to, and so on.
_HELD_AT = """
WITH RECURSIVE seg(branch, hi, lo) AS (
    SELECT a.branch, a.chain_index, (SELECT min(e.chain_index) FROM audit_event e
                                      WHERE e.device_id = a.device_id AND e.branch = a.branch)
      FROM journal_anchor a WHERE a.device_id = %(d)s
  UNION ALL
    SELECT p.branch, p.chain_index, (SELECT min(e.chain_index) FROM audit_event e
                                      WHERE e.device_id = p.device_id AND e.branch = p.branch)
      FROM seg
      JOIN audit_event r ON r.device_id = %(d)s AND r.branch = seg.branch
                        AND r.chain_index = seg.lo
      JOIN audit_event p ON p.device_id = %(d)s AND p.chain_index = seg.lo - 1
                        AND p.hash = r.prev_hash AND p.branch < seg.branch
     WHERE seg.lo > %(i)s
)
SELECT e.hash FROM seg JOIN audit_event e ON e.device_id = %(d)s AND e.branch = seg.branch
   AND e.chain_index = %(i)s WHERE %(i)s BETWEEN seg.lo AND seg.hi"""


def at_import(conn, device: uuid.UUID, manifest: dict) -> tuple[tuple | None, dict | None]:
    """Head office's import: (the bundle's journal head, central's held head, the first event
    refused) when the bundle's head is not in the chain central holds (re-written or cut),
    else None; and central's held head, for the acknowledgement. In the import's transaction."""
    row = conn.execute("SELECT chain_index, hash FROM journal_anchor WHERE device_id = %s",
                       (device,)).fetchone()
    held = None if row is None else {"index": int(row[0]), "hash": str(row[1])}
    head = manifest.get("audit_head") or {}
    index = head.get("index")
    if held is None or type(index) is not int or index < 1:
        return None, held
    at = conn.execute(_HELD_AT, {"d": device, "i": index}).fetchone()
    if at is not None and at[0] == head.get("hash"):
        return None, held
    return (index, held["index"], min(index, held["index"] + 1)), held
