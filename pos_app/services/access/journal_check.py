"""Checking this device's tamper-evident journal from the back office: walk the hash chain
and, when a link is broken, name the sale it is about."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass

from pos_app.persistence.models import AuditEvent
from pos_app.services.access import audit
from pos_app.services.setup.booth import Booth


@dataclass(frozen=True)
class JournalCheck:
    result: audit.VerifyResult
    sale: str | None  # the number of the sale the first broken link is about, if any


def _broken_sale(session, broken: audit.BrokenLink) -> str | None:
    """The sale number a broken link is about, when there is one."""
    if broken.reason == "unjournaled":
        return broken.event_id  # verify names an uncovered sale by its number
    event = session.get(AuditEvent, uuid.UUID(broken.event_id))
    try:
        number = json.loads(event.payload).get("number")
    except (ValueError, AttributeError):
        return None
    return number if isinstance(number, str) else None


def check_journal(booth: Booth) -> JournalCheck:
    """Walk this device's hash chain in one read snapshot."""
    with booth.db.read() as s:
        result = audit.verify(s.connection(), booth.context.device_id)
        sale = _broken_sale(s, result.broken) if result.broken is not None else None
    return JournalCheck(result, sale)
