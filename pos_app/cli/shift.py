"""``pos-app shift open|close|report``: a till shift opened with a float, closed with a blind
cash count, and its X reading or Z report as text, a PDF or on the receipt printer."""

from __future__ import annotations

import sys
from pathlib import Path

from pos_app.cli.common import Parser, back_office_actor, emit, open_booth
from pos_app.i18n import _


def cmd_shift_open(args) -> int:
    from pos_app.domain.cash import parse_count
    from pos_app.domain.money import format_rupiah, parse_rupiah
    from pos_app.services.shift.shifts import open_shift

    opening = parse_rupiah(args.float) if args.float is not None else None
    count = parse_count(args.count) if args.count else None
    booth = open_booth(args)
    try:
        shift = open_shift(booth, args.cashier, opening, count, by=args.cashier)
    finally:
        booth.close()
    emit(args, {"shift": str(shift.id), "cashier": shift.cashier,
                 "opening_float": shift.opening_float,
                 "business_date": shift.business_date.isoformat()},
          _("Shift opened for {cashier} with a float of {amount}").format(
              cashier=shift.cashier, amount=format_rupiah(shift.opening_float)))
    return 0


def cmd_shift_close(args) -> int:
    """The blind close: the count goes in first; expected and difference come out after."""
    from pos_app.domain.cash import parse_count
    from pos_app.domain.money import format_rupiah
    from pos_app.services.shift.till import close_open_shift

    count = parse_count(args.count)
    booth = open_booth(args)
    try:
        res = close_open_shift(booth, count, back_office_actor(args))
    finally:
        booth.close()
    data = {"shift": str(res.shift_id), "expected": res.expected, "counted": res.counted,
            "difference": res.difference,
            "journal_head": {"index": res.chain_head.index, "hash": res.chain_head.hash},
            "backup": str(res.backup_path) if res.backup_path else None,
            "backup_error": res.backup_error.message(_) if res.backup_error else None}
    sign = "+" if res.difference > 0 else "-" if res.difference < 0 else ""
    human = _("Shift closed. Expected {expected}, counted {counted}, difference {difference}"
              ).format(expected=format_rupiah(res.expected),
                       counted=format_rupiah(res.counted),
                       difference=sign + format_rupiah(abs(res.difference)))
    if res.backup_path:
        human += "\n" + _("Backup saved: {path}").format(path=res.backup_path)
    emit(args, data, human)
    if res.backup_error is not None:
        print(f"pos-app: {res.backup_error.message(_)}", file=sys.stderr)
    return 0


def cmd_shift_report(args) -> int:
    """An X reading of the open shift (kept), or the Z report of the last closed shift:
    as text, a PDF (--pdf) or on a printer (--print / --printer)."""
    from pos_app.services.shift.till import ReportRequest, shift_report

    request = ReportRequest(x=args.x, z=args.z, shift=args.shift,
                            pdf=Path(args.pdf) if args.pdf else None, print=args.print,
                            printer=args.printer, width=args.width)
    booth = open_booth(args)
    try:
        report = shift_report(booth, request, back_office_actor(args), _)
    finally:
        booth.close()
    data = {"kind": report.kind, "shift": str(report.shift_id),
            "totals": report.totals.to_json()}
    if report.chain_head:
        data["journal_head"] = {"index": report.chain_head.index,
                                "hash": report.chain_head.hash}
    if report.pdf is not None:
        data["pdf"] = str(report.pdf)
        human = _("Report saved: {path}").format(path=report.pdf)
    elif report.printed is not None:
        data["printed"] = report.printed
        human = _("Report printed on {printer}").format(printer=report.printed)
    else:
        human = report.text
    emit(args, data, human)
    return 0


def add_shift_commands(sub, common: Parser) -> None:
    """``shift open|close|report``."""
    sh = sub.add_parser("shift", parents=[common], help=_("open, close and report shifts"))
    sh_sub = sh.add_subparsers(dest="shift_command", required=True, parser_class=Parser)
    p = sh_sub.add_parser("open", parents=[common], help=_("open a shift with a float"))
    p.add_argument("--cashier", metavar="NAME", required=True)
    p.add_argument("--float", metavar="AMOUNT")
    p.add_argument("--count", metavar="DENOMINATION=PIECES", action="append",
                   help=_("the float counted by denomination, e.g. 50000=2"))
    p.set_defaults(func=cmd_shift_open)
    p = sh_sub.add_parser("close", parents=[common],
                          help=_("close the open shift with a blind cash count"))
    p.add_argument("--count", metavar="DENOMINATION=PIECES", action="append", required=True,
                   help=_("cash counted by denomination, e.g. 100000=3"))
    p.add_argument("--cashier", metavar="NAME")
    p.set_defaults(func=cmd_shift_close)
    p = sh_sub.add_parser("report", parents=[common],
                          help=_("X reading of the open shift or Z report of the last close"))
    which = p.add_mutually_exclusive_group()
    which.add_argument("--x", action="store_true", help=_("X reading (the shift stays open)"))
    which.add_argument("--z", action="store_true", help=_("Z report of a closed shift"))
    p.add_argument("--shift", metavar="ID")
    where = p.add_mutually_exclusive_group()
    where.add_argument("--pdf", metavar="FILE", help=_("save as PDF"))
    where.add_argument("--print", action="store_true", help=_("print on the receipt printer"))
    where.add_argument("--printer", metavar="URI")
    p.add_argument("--width", type=int, choices=(58, 80), help=_("paper width in mm"))
    p.add_argument("--cashier", metavar="NAME")
    p.set_defaults(func=cmd_shift_report)
