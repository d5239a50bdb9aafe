"""``pos-app export``: the end-of-event pack for head office from the back office.

``--format pack`` writes the folder with everything (``export.xlsx``, ``csv/``,
``summary.pdf``, ``manifest.json``); ``xlsx`` and ``pdf`` write just that file, ``csv`` a
folder of CSV files with ``COLUMNS.md``. The event is this device's unless ``--event`` names
another (by name or id); ``--from``/``--to`` keep a range of business dates. Progress goes to
stderr when it is a terminal. A refused or failed export prints one translated line, exits
non-zero and leaves nothing under the name asked for.

With ``--central URL`` head office writes the same pack from the central database, across
every booth of the events named (``--event`` may be repeated; none: every event), read as an
administrator or a role granted ``lapak_head_office`` (``services.central_export``). It needs
no booth database, so ``--db`` is refused with it.
"""

from __future__ import annotations

import sys

from pos_app.cli.args import parse_period
from pos_app.cli.common import BACK_OFFICE_ROLE, UsageError, back_office_actor, emit, open_booth
from pos_app.i18n import _, language

FORMATS = ("xlsx", "csv", "pdf", "pack")


class _Progress:
    """``Exporting: 2,000 of 50,000 documents`` rewritten in place on a terminal."""

    def __init__(self) -> None:
        self.shown = self.read = False

    def reading(self, rows: int) -> None:
        """While head office's copy is read: ``Reading the central database: 12,000 rows``."""
        from pos_app.domain.money import format_number

        text = _("Reading the central database: {rows} rows").format(rows=format_number(rows))
        sys.stderr.write("\r" + text)
        sys.stderr.flush()
        self.shown = self.read = True

    def __call__(self, done: int, total: int) -> None:
        from pos_app.domain.money import format_number

        text = _("Exporting: {done} of {total} documents").format(
            done=format_number(done), total=format_number(total))
        sys.stderr.write(("\r\x1b[K" if self.read else "\r") + text)  # longer line before
        sys.stderr.flush()
        self.shown = True

    def end(self) -> None:
        if self.shown:
            sys.stderr.write("\n")
            sys.stderr.flush()


def cmd_export(args) -> int:
    from pathlib import Path

    from pos_app.services.reporting.booth_export import export_booth

    date_from, date_to = parse_period(args.date_from, args.date_to)
    progress = _Progress() if sys.stderr.isatty() else None
    if args.central:
        return _export_central(args, date_from, date_to, progress)
    if args.event and len(args.event) > 1:
        raise UsageError(_("--event can be given once without --central"))
    booth = open_booth(args)
    try:
        res = export_booth(booth, Path(args.out), args.format, actor=back_office_actor(args),
                           actor_role=BACK_OFFICE_ROLE,
                           event=args.event[0] if args.event else None, date_from=date_from,
                           date_to=date_to, progress=progress, translate=_,
                           language=language())
    finally:
        if progress is not None:
            progress.end()
        booth.close()
    _report(args, res)
    return 0


def _export_central(args, date_from, date_to, progress) -> int:
    from pathlib import Path

    from pos_app.services.sync.central_export import export_central

    if args.db:
        raise UsageError(_("--central reads the central database; leave out --db"))
    try:
        done = export_central(args.central, Path(args.out), args.format, args.event or (),
                              date_from=date_from, date_to=date_to, progress=progress,
                              reading=progress.reading if progress is not None else None,
                              translate=_, language=language())
    finally:
        if progress is not None:
            progress.end()
    _report(args, done.pack, {"events": list(done.events), "devices": list(done.devices)})
    return 0


def _report(args, res, extra: dict | None = None) -> None:
    from pos_app.domain.money import format_number, format_rupiah

    t = res.totals
    data = {"format": args.format, "path": str(res.path), "documents": res.documents,
            "counts": res.counts, "totals": t,
            "files": {name: {"sha256": digest} for name, digest in res.files.items()},
            **(extra or {})}
    back = t["voids"] + t["refunds"]  # negative: given back
    human = _("Saved {path}: {documents} documents, {count} sales, net {net}, "
              "voids and refunds {refunds}").format(
        path=res.path, documents=format_number(res.documents),
        count=format_number(t["sales_count"]),
        net=format_rupiah(t["net"]) if t["net"] >= 0 else "-" + format_rupiah(-t["net"]),
        refunds=format_rupiah(back) if back >= 0 else "-" + format_rupiah(-back))
    if res.counts.get("problems"):  # head office's pack: records it could not place
        human += "\n" + _("{count} records could not be placed and were left out of the "
                          "totals: see the problems sheet").format(
            count=format_number(res.counts["problems"]))
    emit(args, data, human)


def add_export_commands(sub, common) -> None:
    p = sub.add_parser("export", parents=[common],
                       help=_("export sales for head office (XLSX, CSV, PDF or the whole "
                              "pack)"))
    p.add_argument("--format", choices=FORMATS, required=True,
                   help=_("pack: a folder with all of them and a manifest"))
    p.add_argument("--out", metavar="PATH", required=True,
                   help=_("the file (xlsx, pdf) or new folder (csv, pack) to write"))
    p.add_argument("--event", metavar="NAME_OR_ID", action="append",
                   help=_("the event (default: this device's event); with --central, by "
                          "name across its booths, may be repeated (default: every event)"))
    p.add_argument("--central", metavar="URL",
                   help=_("head office: export from the central database at URL (an "
                          "administrator or a lapak_head_office role) instead of this "
                          "booth's"))
    p.add_argument("--from", dest="date_from", metavar="YYYY-MM-DD",
                   help=_("first business date (default: the whole event)"))
    p.add_argument("--to", dest="date_to", metavar="YYYY-MM-DD",
                   help=_("last business date"))
    p.set_defaults(func=cmd_export)
