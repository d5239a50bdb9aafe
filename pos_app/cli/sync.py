"""``pos-app sync``: push this booth's unsent records to the central database it is enrolled
with, send its catalog changes and bring the central catalog down, then say what went, what
was already there, what was quarantined and what the catalog brought."""

from __future__ import annotations

import sys

from pos_app.cli.common import EXIT_ERROR, Parser, UsageError, emit, open_booth
from pos_app.i18n import _


def _progress(done: int, total: int) -> None:
    """``Sending: 20,000 of 66,110 records`` rewritten in place on a terminal."""
    from pos_app.domain.money import format_number

    sys.stderr.write("\r" + _("Sending: {done} of {total} records").format(
        done=format_number(done), total=format_number(total)))
    if done >= total:
        sys.stderr.write("\n")
    sys.stderr.flush()


def cmd_sync(args) -> int:
    from pos_app.services.access.journal_anchor import error
    from pos_app.services.sync.sync_now import sync_now
    from pos_app.services.sync.sync_status import NotEnrolled

    if args.batch is not None and args.batch < 1:
        raise UsageError(_("--batch must be at least 1"))
    booth = open_booth(args)
    try:
        now = sync_now(booth, central_url=args.central, retry_quarantined=args.retry_quarantined,
                       batch_size=args.batch,
                       progress=_progress if sys.stderr.isatty() else None)
    except NotEnrolled as exc:
        print(f"pos-app: {_(exc.msgid)}", file=sys.stderr)
        return EXIT_ERROR
    finally:
        booth.close()
    retried, done, left = now.retried, now.done, now.left
    res, cat = done.push, done.catalog
    human = [_("Quarantined records sent again: {n}").format(n=retried)] \
        if args.retry_quarantined else []
    human += [_("Sent {sent} records ({new} new, {there} already there); quarantined {q}; "
               "still unsent {left}").format(sent=res.sent, new=res.inserted,
                                             there=res.already_there,
                                             q=len(res.quarantined), left=left.unsynced)]
    human += [_("  quarantined: {table} {id}: {reason}").format(
        table=q.table_name, id=q.record_id, reason=q.reason) for q in res.quarantined]
    if res.journal is not None:
        human.append(error(res.journal).message(_))
    human.append(_("Catalog: sent {sent} changes; received {added} new and {updated} changed "
                   "rows; {superseded} local changes superseded; {conflicts} conflicts").format(
        sent=cat.sent, added=cat.added, updated=cat.updated, superseded=cat.superseded,
        conflicts=len(cat.conflicts)))
    human += [_("  quarantined: {table} {id}: {reason}").format(table=t, id=rid, reason=why)
              for t, rid, why in cat.quarantined]
    if cat.waiting:
        human.append(_("{count} catalog changes waiting for head office").format(
            count=cat.waiting))
    if cat.photos.sent or cat.photos.received:
        human.append(_("Photos: sent {sent}, received {received}").format(
            sent=cat.photos.sent, received=cat.photos.received))
    human += [_("  not applied: {table} {key}: {reason}").format(table=t, key=k, reason=why)
              for t, k, why in cat.conflicts]
    emit(args, {"retried": retried, "sent": res.sent, "inserted": res.inserted,
                "already_there": res.already_there, "batches": res.batches,
                "quarantined": [{"table": q.table_name, "id": str(q.record_id),
                                 "reason": q.reason} for q in res.quarantined],
                "journal": None if res.journal is None else {
                    "problem": res.journal.kind, "first": res.journal.first,
                    "last": res.journal.last, "message": error(res.journal).message(_)},
                "unsynced": left.unsynced, "catalog_pending": left.catalog_pending,
                "catalog": {"sent": cat.sent, "added": cat.added, "updated": cat.updated,
                            "kept": cat.kept, "superseded": cat.superseded,
                            "waiting": cat.waiting,
                            "quarantined": [{"table": t, "id": str(rid), "reason": why}
                                            for t, rid, why in cat.quarantined],
                            "conflicts": [{"table": t, "key": k, "reason": why}
                                          for t, k, why in cat.conflicts],
                            "cursor": cat.cursor,
                            "photos": {"sent": cat.photos.sent, "already": cat.photos.already,
                                       "received": cat.photos.received}}},
         "\n".join(human))
    return 0


def add_sync_commands(sub, common: Parser) -> None:
    p = sub.add_parser("sync", parents=[common],
                       help=_("send unsent records and catalog changes to the central "
                              "database now, and bring its catalog"))
    from pos_app.services.sync.limits import BATCH_SIZE

    p.add_argument("--batch", metavar="N", type=int, default=None,
                   help=_("records per central transaction (default {n})").format(
                       n=BATCH_SIZE))
    p.add_argument("--central", metavar="URL",
                   help=_("the central server to use this time (host, port, database, TLS); "
                          "the login is this booth's own, from its enrollment"))
    p.add_argument("--retry-quarantined", action="store_true",
                   help=_("send the quarantined records again (once head office has sorted "
                          "out why they were set aside)"))
    p.set_defaults(func=cmd_sync)
