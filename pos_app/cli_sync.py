"""``pos-app sync``: push this booth's unsent records to the central database it is enrolled
with, then say what went, what was already there and what was quarantined."""

from __future__ import annotations

import sys

from pos_app.cli_common import UsageError, _Parser, emit, open_booth
from pos_app.i18n import _

EXIT_ERROR = 1


def cmd_sync(args) -> int:
    from pos_app.services.sync_status import NotEnrolled, run_push, status

    if args.batch < 1:
        raise UsageError(_("--batch must be at least 1"))
    booth = open_booth(args)
    try:
        try:
            res = run_push(booth, batch_size=args.batch)
        except NotEnrolled as exc:
            print(f"pos-app: {_(exc.msgid)}", file=sys.stderr)
            return EXIT_ERROR
        left = status(booth)
    finally:
        booth.close()
    human = [_("Sent {sent} records ({new} new, {there} already there); quarantined {q}; "
               "still unsent {left}").format(sent=res.sent, new=res.inserted,
                                             there=res.already_there,
                                             q=len(res.quarantined), left=left.unsynced)]
    human += [_("  quarantined: {table} {id}: {reason}").format(
        table=q.table_name, id=q.record_id, reason=q.reason) for q in res.quarantined]
    emit(args, {"sent": res.sent, "inserted": res.inserted,
                "already_there": res.already_there, "batches": res.batches,
                "quarantined": [{"table": q.table_name, "id": str(q.record_id),
                                 "reason": q.reason} for q in res.quarantined],
                "unsynced": left.unsynced, "catalog_pending": res.catalog_pending},
         "\n".join(human))
    return 0


def add_sync_commands(sub, common: _Parser) -> None:
    p = sub.add_parser("sync", parents=[common],
                       help=_("send unsent records to the central database now"))
    p.add_argument("--batch", metavar="N", type=int, default=500,
                   help=_("records per central transaction (default 500)"))
    p.set_defaults(func=cmd_sync)
