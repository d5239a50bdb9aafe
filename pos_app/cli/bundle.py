"""``pos-app bundle export|import|ack``: records on a USB stick when there is no network.

``export`` and ``ack`` run on the booth; ``import`` runs at head office with an admin address
of the central database (``--central URL`` or ``$LAPAK_CENTRAL_URL``).
"""

from __future__ import annotations

import os
from pathlib import Path

from pos_app.cli.central import URL_ENV
from pos_app.cli.common import Parser, UsageError, emit, open_booth
from pos_app.domain.errors import DomainError
from pos_app.i18n import _


def cmd_bundle_export(args) -> int:
    from pos_app.services.sync.bundle import export_bundle

    booth = open_booth(args)
    try:
        res = export_bundle(booth, Path(args.out), everything=args.all)
    finally:
        booth.close()
    human = _("Bundle written: {path} ({count} records)").format(path=res.path,
                                                                 count=res.records)
    emit(args, {"path": str(res.path), "manifest": res.manifest}, human)
    return 0


def cmd_bundle_import(args) -> int:
    from pos_app.services.sync.bundle_import import import_bundle

    url = args.central or os.environ.get(URL_ENV)
    if not url:
        raise UsageError(_("give the central database with --central URL (or {env})").format(
            env=URL_ENV))
    res = import_bundle(Path(args.file), url)
    human = _("Bundle of {code}: {count} records, {new} new, {old} already there, "
              "{held} quarantined; acknowledgement: {ack}").format(
        code=res.device_code, count=res.records, new=res.inserted, old=res.already_there,
        held=len(res.quarantined), ack=res.ack)
    journal = None
    if res.journal is not None:
        index, held, first = res.journal
        journal = DomainError("journal_not_extended", index=index, held=held,
                              first=first).message(_)
        human += "\n" + journal
    emit(args, {"device_id": str(res.device_id), "device_code": res.device_code,
                "records": res.records, "inserted": res.inserted,
                "already_there": res.already_there, "ack": str(res.ack), "journal": journal,
                "quarantined": [{"table": q.table_name, "id": str(q.record_id),
                                 "reason": q.reason} for q in res.quarantined]}, human)
    return 0


def cmd_bundle_ack(args) -> int:
    from pos_app.services.sync.bundle import apply_ack

    booth = open_booth(args)
    try:
        res = apply_ack(booth, Path(args.file))
    finally:
        booth.close()
    human = _("Acknowledgement applied: {sent} records delivered, {held} quarantined").format(
        sent=res.marked_sent, held=res.marked_quarantined)
    emit(args, {"sent": res.marked_sent, "quarantined": res.marked_quarantined}, human)
    return 0


def add_bundle_commands(sub, common: Parser) -> None:
    bun = sub.add_parser("bundle", parents=[common],
                         help=_("records on a USB stick when there is no network"))
    bun_sub = bun.add_subparsers(dest="bundle_command", required=True, parser_class=Parser)
    p = bun_sub.add_parser("export", parents=[common],
                           help=_("write this booth's unsent records into a signed bundle"))
    p.add_argument("--out", metavar="FILE", required=True, help=_("the bundle to write"))
    p.add_argument("--all", action="store_true", help=_("every record, not only the unsent"))
    p.set_defaults(func=cmd_bundle_export)
    p = bun_sub.add_parser("import", parents=[common],
                           help=_("head office: verify a bundle and import it centrally"))
    p.add_argument("file", metavar="FILE")
    p.add_argument("--central", metavar="URL", help=_("postgresql://USER@HOST:PORT/DATABASE"))
    p.set_defaults(func=cmd_bundle_import)
    p = bun_sub.add_parser("ack", parents=[common],
                           help=_("mark the records an acknowledgement names as delivered"))
    p.add_argument("file", metavar="ACKFILE")
    p.set_defaults(func=cmd_bundle_ack)
