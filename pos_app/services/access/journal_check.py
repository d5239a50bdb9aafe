"""Checking this device's tamper-evident journal from the back office: walk the hash chain
and, when a link is broken, name the sale it is about; then compare it with the newest
anchor known (central's held head, asked for quickly when enrolled; else the anchors kept:
head office's signed acknowledgements, Z reports)."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass

from pos_app.persistence.models import AuditEvent
from pos_app.services.access import audit, journal_anchor
from pos_app.services.access.journal_anchor import Anchor, AnchorProblem
from pos_app.services.setup.booth import Booth


@dataclass(frozen=True)
class JournalCheck:
    result: audit.VerifyResult
    sale: str | None  # the number of the sale the first broken link is about, if any
    anchor: Anchor | None = None  # the newest anchor compared with (None: none known)
    problem: AnchorProblem | None = None  # the chain no longer reaches or matches it


def _broken_sale(session, broken: audit.BrokenLink) -> str | None:
    """The sale number a broken link is about, when there is one."""
    if broken.reason == "unjournaled":
        return broken.event_id  # verify names an uncovered sale by its number
    if broken.event_id is None:
        return None
    event = session.get(AuditEvent, uuid.UUID(broken.event_id))
    try:
        number = json.loads(event.payload).get("number")
    except (ValueError, AttributeError):
        return None
    return number if isinstance(number, str) else None


def check_journal(booth: Booth, *, ask_central: bool = True,
                  paper: Anchor | None = None) -> JournalCheck:
    """Walk this device's hash chain in one read snapshot, then (the chain whole) compare it
    with the newest anchor: central's, asked for now (``ask_central``, quickly), or one kept;
    and with ``paper`` (the head printed on a Z report, its hash's first digits), if given."""
    from pos_app.services.sync import journal_head

    me = booth.context.device_id
    booth.db.check_whole()  # a damaged page anywhere is said first, with the way out
    with booth.db.read() as s:
        result = audit.verify(s.connection(), me)
        sale = _broken_sale(s, result.broken) if result.broken is not None else None
    if result.broken is not None:
        return JournalCheck(result, sale)
    if ask_central:
        journal_head.learn(booth, journal_head.ask_central(booth))
    with booth.db.read() as s:
        conn = s.connection()
        anchor = journal_anchor.newest(conn, me, journal_head.ack_holds(booth))
        now = audit.head(conn, me)
        problem = journal_anchor.compare(conn, me, now, paper) if paper is not None else None
        if problem is None:
            problem = journal_anchor.compare(conn, me, now, anchor)
        else:
            anchor = paper
    return JournalCheck(result, None, anchor, problem)
