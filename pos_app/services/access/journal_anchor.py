"""Journal anchors: heads of this device's journal seen outside it, and the check against them.

An anchor is (chain index, hash) as central held it after a push, as head office signed it
in a bundle acknowledgement, or as a Z report printed it. Each is kept in ``journal_anchor``
with an HMAC under the journal secret (a row forged without the secret is ignored); an
acknowledgement's anchor keeps the signed document, re-checked with head office's public key
before it counts. ``compare`` says whether the local chain still reaches the newest anchor
and still has its hash there: a tail cut off ("truncated") or a chain re-written after it.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, text
from sqlalchemy.engine import Connection

from pos_app.domain.errors import N_, DomainError, Message
from pos_app.persistence.models import JournalAnchor
from pos_app.services.access import audit, journal_key

__all__ = ["SOURCES", "Anchor", "AnchorProblem", "compare", "error", "newest", "record"]

SOURCES = ("central", "ack", "z")
SOURCE_NAMES = {"central": N_("the central database"), "ack": N_("head office's "
                "acknowledgement"), "z": N_("a Z report"),
                "paper": N_("the printed Z report given")}


@dataclass(frozen=True)
class Anchor:
    source: str  # one of SOURCES
    index: int
    hash: str
    evidence: str | None = None  # an acknowledgement's signed document (JSON)


@dataclass(frozen=True)
class AnchorProblem:
    kind: str  # "truncated" (events first..last missing) or "rewritten" (at anchor ``last``)
    anchor: Anchor
    first: int
    last: int


def _material(device_id: uuid.UUID, a: Anchor) -> bytes:
    return audit.canonical({"device": device_id.hex, "source": a.source, "index": a.index,
                            "hash": a.hash, "evidence": a.evidence}).encode()


def record(conn: Connection, device_id: uuid.UUID, now: datetime, anchor: Anchor) -> None:
    """Keep ``anchor`` (once: the same source, index and hash again adds nothing)."""
    if anchor.source not in SOURCES or anchor.index < 1:
        return
    seen = conn.execute(select(JournalAnchor.id).where(
        JournalAnchor.source == anchor.source, JournalAnchor.chain_index == anchor.index,
        JournalAnchor.hash == anchor.hash)).first()
    if seen is not None:
        return
    secret = audit.held_secret(device_id)
    conn.execute(JournalAnchor.__table__.insert().values(
        id=uuid.uuid4(), source=anchor.source, chain_index=anchor.index, hash=anchor.hash,
        learned_at=now, evidence=anchor.evidence,
        mac=None if secret is None else journal_key.mac(secret, _material(device_id, anchor))))


def newest(conn: Connection, device_id: uuid.UUID,
           ack_holds: Callable[[Anchor], bool] = lambda anchor: False) -> Anchor | None:
    """The kept anchor at the highest chain index that still proves itself: its HMAC holds
    under the journal secret held here (any row, when this machine holds none), and an
    acknowledgement's signature holds (``ack_holds(anchor)``)."""
    secret = audit.held_secret(device_id)
    rows = conn.execute(select(JournalAnchor.__table__).order_by(
        JournalAnchor.chain_index.desc(), JournalAnchor.learned_at.desc())).mappings()
    for row in rows:
        a = Anchor(row["source"], row["chain_index"], row["hash"], row["evidence"])
        if secret is not None and row["mac"] != journal_key.mac(secret,
                                                                _material(device_id, a)):
            continue
        if a.source == "ack" and not ack_holds(a):
            continue
        return a
    return None


_AT = text("SELECT hash FROM audit_event WHERE device_id = :d AND chain_index = :i")


_RESTORE = text("SELECT chain_index FROM audit_event WHERE device_id = :d"
                " AND action = 'backup.restore' ORDER BY chain_index DESC LIMIT 1")
_CUT = text("SELECT payload FROM audit_event WHERE device_id = :d AND chain_index >= :i"
            " AND action IN ('backup.restore', 'backup.marks')")


def _declared(conn: Connection, device_id: uuid.UUID, anchor: Anchor) -> bool:
    """Whether the newest restore journaled here declared the cut ``anchor`` shows: its
    ``backup.restore`` event (or the ``backup.marks`` after it, with head office's answer)
    names exactly that head, index and hash, as one the restore cut off. Any other anchor,
    even one between the restore and a head it names, is compared as usual."""
    at = conn.execute(_RESTORE, {"d": device_id.hex}).scalar()
    if at is None or anchor.index < at or len(anchor.hash) < 16:
        return False
    for (payload,) in conn.execute(_CUT, {"d": device_id.hex, "i": at}):
        try:
            heads = json.loads(payload).get("replaced") or []
            for head in heads if isinstance(heads, list) else [heads]:
                if int(head["index"]) == anchor.index and \
                        str(head["hash"]).startswith(anchor.hash):
                    return True
        except (ValueError, TypeError, KeyError, AttributeError):
            continue
    return False


def compare(conn: Connection, device_id: uuid.UUID, head: audit.ChainHead,
            anchor: Anchor | None) -> AnchorProblem | None:
    """None when the local chain reaches ``anchor`` with the same hash there, or when a
    restore journaled here declared the cut (:func:`_declared`: the older backup put back
    does not hold what the replaced database had, and says which head it cut off)."""
    if anchor is None:
        return None
    if head.index < anchor.index:
        problem = AnchorProblem("truncated", anchor, head.index + 1, anchor.index)
    else:
        held = conn.execute(_AT, {"d": device_id.hex, "i": anchor.index}).scalar()
        # a printed Z report shows the hash's first 16 digits: a prefix is compared as such
        if held is not None and len(anchor.hash) >= 16 and held.startswith(anchor.hash):
            return None
        problem = AnchorProblem("rewritten", anchor, anchor.index, anchor.index)
    return None if _declared(conn, device_id, anchor) else problem


def error(problem: AnchorProblem) -> DomainError:
    """The problem as the error ``audit verify`` ends with (and a sync or an import shows)."""
    source = Message(SOURCE_NAMES.get(problem.anchor.source, problem.anchor.source))
    if problem.kind == "truncated":
        return DomainError("audit_truncated", first=problem.first, last=problem.last,
                           source=source)
    return DomainError("audit_rewritten", index=problem.anchor.index, source=source)
