"""How the last sync ended, as data: the push's and the catalog's figures, the figures per
table, and a failure as its error code and parameters. It is kept as JSON in the setting
``sync_last_result`` and said in the reader's language by :func:`describe`, the one
rendering the sync screen, the status bar and ``pos-app`` use.

A value written before the record existed (an English line) is read as that text and shown
as it is.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field

from pos_app.domain.errors import MESSAGES, N_, DomainError, Message
from pos_app.services.access.journal_anchor import error
from pos_app.services.sync.sync_catalog import CatalogResult
from pos_app.services.sync.sync_push import PushResult

VERSION = 1
PARAM_MAX = 300  # characters kept of a text parameter (libpq's words can run long)

PUSHED = N_("Sent {sent} (new {new}, already there {there}), quarantined {quarantined}")
CATALOG = N_("catalog: sent {sent}, received {received}, superseded {superseded}, conflicts "
             "{conflicts}")
FAILED = N_("Failed: {reason}")
CATALOG_FAILED = N_("catalog failed: {reason}")
WAITING = N_("{count} catalog changes waiting for head office")
NOTHING = "—"

Translate = Callable[[str], str]


@dataclass(frozen=True)
class PushFigures:
    sent: int = 0
    new: int = 0
    already_there: int = 0
    quarantined: int = 0


@dataclass(frozen=True)
class CatalogFigures:
    sent: int = 0
    received: int = 0  # rows added or updated here
    superseded: int = 0
    conflicts: int = 0
    waiting: int = 0  # this booth's catalog proposals head office has not decided


@dataclass(frozen=True)
class SyncFailure:
    """Where a sync stopped (``push`` or ``catalog``) and why, as a ``DomainError``'s code and
    parameters; a parameter that is itself a message is kept as ``{"message": msgid}``."""

    stage: str
    code: str
    params: dict[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class SyncRecord:
    push: PushFigures | None = None
    catalog: CatalogFigures | None = None
    tables: dict[str, dict[str, int]] = field(default_factory=dict)  # table -> figure -> n
    failure: SyncFailure | None = None
    text: str = ""  # an old English line, from before the record
    # the local journal against central's head after the push: re-written or cut (stage
    # "journal", an ``audit_truncated``/``audit_rewritten`` code and its parameters)
    journal: SyncFailure | None = None

    def to_json(self) -> str:
        data = {"v": VERSION, **{k: v for k, v in asdict(self).items() if v not in (None, "")}}
        if not self.tables:
            data.pop("tables", None)
        return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))

    @classmethod
    def from_json(cls, stored: str) -> SyncRecord:
        """The record as stored; "" is an empty record, anything not a record is ``text``."""
        if not stored:
            return cls()
        try:
            data = json.loads(stored)
        except ValueError:
            return cls(text=stored)
        if not isinstance(data, dict) or data.get("v") != VERSION:
            return cls(text=stored)
        try:
            failure = data.get("failure")
            return cls(
                push=PushFigures(**data["push"]) if data.get("push") else None,
                catalog=CatalogFigures(**data["catalog"]) if data.get("catalog") else None,
                tables={t: dict(f) for t, f in data.get("tables", {}).items()},
                failure=SyncFailure(**failure) if failure else None,
                journal=SyncFailure(**data["journal"]) if data.get("journal") else None)
        except (TypeError, AttributeError):
            return cls(text=stored)

    @property
    def empty(self) -> bool:
        return self == SyncRecord()


def _tables(*rows: Iterable[tuple[str, str]]) -> dict[str, dict[str, int]]:
    counts = Counter(pair for group in rows for pair in group)
    out: dict[str, dict[str, int]] = {}
    for (table, figure), n in sorted(counts.items()):
        out.setdefault(table, {})[figure] = n
    return out


def _param(value: object) -> object:
    if isinstance(value, Message):
        return {"message": str(value)}
    if isinstance(value, bool | int):
        return value
    return str(value)[:PARAM_MAX]


def failure_of(stage: str, exc: DomainError) -> SyncFailure:
    return SyncFailure(stage, exc.code, {k: _param(v) for k, v in exc.params.items()})


def record_of(push: PushResult | None, catalog: CatalogResult | None = None, *,
              failure: SyncFailure | None = None) -> SyncRecord:
    """The record of one sync: what the push and the catalog did, and how it failed."""
    pushed = None if push is None else PushFigures(
        push.sent, push.inserted, push.already_there, len(push.quarantined))
    cat = None if catalog is None else CatalogFigures(
        catalog.sent, catalog.added + catalog.updated, catalog.superseded,
        len(catalog.conflicts), catalog.waiting)
    tables = _tables(
        ((q.table_name, "quarantined") for q in (push.quarantined if push else ())),
        ((t, "quarantined") for t, _id, _why in (catalog.quarantined if catalog else ())),
        ((t, "conflicts") for t, _key, _why in (catalog.conflicts if catalog else ())))
    journal = None
    if push is not None and push.journal is not None:
        journal = failure_of("journal", error(push.journal))
    return SyncRecord(pushed, cat, tables, failure, journal=journal)


def _default_translate(msgid: str) -> str:
    from pos_app.i18n import _

    return _(msgid)


def reason(failure: SyncFailure, translate: Translate = _default_translate) -> str:
    """The failure's message in the reader's language (its own words if the code is new)."""
    params = {k: translate(v["message"]) if isinstance(v, dict) and "message" in v else v
              for k, v in failure.params.items()}
    template = MESSAGES.get(failure.code)
    if template is None:
        return failure.code
    try:
        return translate(template).format(**params)
    except (KeyError, IndexError):
        return failure.code


def describe(record: SyncRecord, translate: Translate = _default_translate) -> str:
    """The record in the reader's language: ``Sent 5 (new 5, already there 0), quarantined
    0; catalog: sent 0, received 2, superseded 0, conflicts 0``, or why it failed."""
    if record.text:
        return record.text
    said = []
    if record.push is not None:
        p = record.push
        said.append(translate(PUSHED).format(sent=p.sent, new=p.new, there=p.already_there,
                                             quarantined=p.quarantined))
    if record.catalog is not None:
        c = record.catalog
        said.append(translate(CATALOG).format(sent=c.sent, received=c.received,
                                              superseded=c.superseded, conflicts=c.conflicts))
        if c.waiting:
            said.append(translate(WAITING).format(count=c.waiting))
    if record.journal is not None:
        said.append(reason(record.journal, translate))
    if record.failure is not None:
        template = CATALOG_FAILED if record.failure.stage == "catalog" else FAILED
        said.append(translate(template).format(reason=reason(record.failure, translate)))
    return "; ".join(said) or NOTHING


__all__ = ["CatalogFigures", "PushFigures", "SyncFailure", "SyncRecord", "describe",
           "failure_of", "reason", "record_of"]
