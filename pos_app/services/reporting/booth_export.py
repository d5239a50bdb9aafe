"""The end-of-event export of this booth from the back office in one call: the event named
(by name, any case, or id; this device's event when none is) and a range of business dates,
written as the whole pack or one of its formats."""

from __future__ import annotations

import uuid
from datetime import date
from pathlib import Path

from sqlalchemy import func, select

from pos_app.domain.errors import DomainError
from pos_app.persistence.models import Event
from pos_app.services.access import roles
from pos_app.services.reporting.export_pack import PackResult, Progress, export_one, export_pack
from pos_app.services.reporting.report_facts import ReportFilter
from pos_app.services.setup.booth import Booth
from pos_app.services.shift.settlement_print import check_period

PACK = "pack"


def find_event(booth: Booth, ref: str | None) -> uuid.UUID | None:
    """The event named (by name, any case, or id); this device's event when none is."""
    if ref is None:
        return booth.context.event_id
    text = ref.strip()
    with booth.db.read() as s:
        try:
            wanted = uuid.UUID(text)
        except ValueError:
            wanted = None
        if wanted is not None and s.get(Event, wanted) is not None:
            return wanted
        found = s.scalars(select(Event.id).where(func.lower(Event.name) == text.lower())).all()
    if len(found) > 1:
        raise DomainError("ambiguous_event", event=ref)
    if not found:
        raise DomainError("unknown_event", event=ref)
    return found[0]


def export_booth(booth: Booth, out: Path, fmt: str, *, actor: str, actor_role: str,
                 event: str | None = None,
                 date_from: date | None = None, date_to: date | None = None,
                 progress: Progress | None = None, translate=lambda s: s,
                 language: str = "id") -> PackResult:
    """Write the pack (``fmt`` ``pack``: a new folder) or one of its formats (``xlsx``,
    ``pdf``: a file; ``csv``: a new folder) of the event for the dates given, for a
    coordinator or admin (``actor_role``; the command line is the back office)."""
    roles.require(actor_role, "export", actor)
    check_period(date_from, date_to)
    flt = ReportFilter(event_id=find_event(booth, event), date_from=date_from,
                       date_to=date_to)
    options = {"progress": progress, "translate": translate, "language": language}
    if fmt == PACK:
        return export_pack(booth, Path(out), flt, **options)
    return export_one(booth, Path(out), fmt, flt, **options)
