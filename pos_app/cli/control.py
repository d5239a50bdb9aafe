"""Back-office commands of the control layer: voids, refunds, the journal, backups, shifts
and users. Each changes money or stock only through the services, journaled with its actor."""

from __future__ import annotations

import getpass
import json
import re
import sys
from collections.abc import Sequence
from pathlib import Path

from pos_app.cli.common import UsageError, _Parser, db_path, emit, open_booth
from pos_app.domain.errors import DomainError
from pos_app.i18n import _


def _back_office_actor(args) -> str:
    return (args.cashier or "").strip() or f"os:{getpass.getuser()}"


def _reversal_data(doc) -> dict:
    return {
        "id": str(doc.id), "number": doc.number, "kind": doc.kind, "refers_to": doc.refers_to,
        "created_at": doc.created_at.isoformat(), "cashier": doc.cashier,
        "reason": doc.reason, "subtotal": doc.subtotal, "discount": doc.discount,
        "tax": doc.tax, "total": doc.total, "lines": [vars(line) for line in doc.lines],
        "payments": [{"method": p.method.value, "amount": p.amount, "reference": p.reference,
                      "verified": p.verified} for p in doc.payments],
    }


def cmd_void(args) -> int:
    """Void a whole sale from the back office: no PIN (whoever runs the command line can open
    the database file anyway), but journaled with its actor."""
    from pos_app.domain.money import format_rupiah
    from pos_app.services.sale.refunds import void_sale

    booth = open_booth(args)
    try:
        doc = void_sale(booth, args.sale, actor=_back_office_actor(args),
                        actor_role="coordinator", reason=args.reason, source="cli")
    finally:
        booth.close()
    emit(args, _reversal_data(doc), _("Void {number} of sale {original}: {total} back").format(
        number=doc.number, original=doc.refers_to, total=format_rupiah(doc.total)))
    return 0


def _parse_lines(values: Sequence[str]) -> dict[int, int]:
    lines: dict[int, int] = {}
    for arg in values:
        no, sep, qty = arg.partition("=")
        if not sep or not re.fullmatch(r"\d+", no.strip(), re.ASCII) \
                or not re.fullmatch(r"-?\d+", qty.strip(), re.ASCII):
            raise DomainError("bad_line_arg", arg=arg)
        lines[int(no)] = lines.get(int(no), 0) + int(qty)
    return lines


def cmd_refund(args) -> int:
    """Refund some lines of a sale from the back office (journaled with its actor)."""
    from pos_app.domain.money import format_rupiah
    from pos_app.services.sale.refunds import refund

    lines = _parse_lines(args.line)
    booth = open_booth(args)
    try:
        doc = refund(booth, args.sale, lines, method=args.method, reference=args.reference,
                     actor=_back_office_actor(args), actor_role="coordinator",
                     reason=args.reason, source="cli")
    finally:
        booth.close()
    emit(args, _reversal_data(doc), _("Refund {number} of sale {original}: {total} back").format(
        number=doc.number, original=doc.refers_to, total=format_rupiah(doc.total)))
    return 0


def _broken_sale(session, broken) -> str | None:
    """The sale number a broken link is about, when there is one."""
    import uuid

    from pos_app.persistence.models import AuditEvent

    if broken.reason == "unjournaled":
        return broken.event_id  # verify names an uncovered sale by its number
    event = session.get(AuditEvent, uuid.UUID(broken.event_id))
    try:
        number = json.loads(event.payload).get("number")
    except (ValueError, AttributeError):
        return None
    return number if isinstance(number, str) else None


def cmd_audit_verify(args) -> int:
    """Walk this device's hash chain; name the first broken link (exit 1) or the head."""
    from pos_app.services.access import audit

    booth = open_booth(args)
    try:
        with booth.db.read() as s:
            result = audit.verify(s.connection(), booth.context.device_id)
            broken = result.broken
            sale = _broken_sale(s, broken) if broken is not None else None
    finally:
        booth.close()
    data = {"ok": broken is None, "events": result.events, "documents": result.documents,
            "head": {"index": result.head.index, "hash": result.head.hash}, "broken": None}
    if broken is None:
        emit(args, data, _("Journal intact: {events} events, {documents} documents, "
                            "head #{index} {hash}").format(
            events=result.events, documents=result.documents, index=result.head.index,
            hash=result.head.hash[:16]))
        return 0
    if args.json:
        data["broken"] = {"index": broken.index, "reason": broken.reason, "sale": sale,
                          "event_id": broken.event_id if broken.index else None}
        emit(args, data, "")
    reason = f"{broken.reason}: {sale}" if broken.reason == "unjournaled" else broken.reason
    raise DomainError("audit_broken", index=broken.index, reason=reason)


def _shift_actor(args) -> str:
    return (getattr(args, "cashier", None) or "").strip() or f"os:{getpass.getuser()}"


def cmd_backup(args) -> int:
    """Back the database up with SQLite's backup API (never a file copy)."""
    from pos_app.services.setup.backup import backup, backup_after_close

    booth = open_booth(args)
    try:
        out = backup(booth, Path(args.out)) if args.out else backup_after_close(booth)
    finally:
        booth.close()
    emit(args, {"backup": str(out)}, _("Backup saved: {path}").format(path=out))
    return 0


def cmd_restore(args) -> int:
    """Restore a backup into --db (the database there is kept as <db>.before-restore)."""
    from pos_app.services.setup.backup import restore

    res = restore(Path(args.file), db_path(args))
    data = {"path": str(res.path), "previous": str(res.previous) if res.previous else None,
            "device": res.device_code, "sales": res.sales}
    human = _("Restored {path} (device {device}, {count} sales)").format(
        path=res.path, device=res.device_code, count=res.sales)
    if res.previous:
        human += "\n" + _("The replaced database is kept as {path}").format(path=res.previous)
    emit(args, data, human)
    return 0


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
    from pos_app.services.shift.shifts import close_shift, current_shift

    count = parse_count(args.count)
    booth = open_booth(args)
    try:
        shift = current_shift(booth)
        if shift is None:
            raise DomainError("no_open_shift")
        res = close_shift(booth, shift.id, count, _shift_actor(args))
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
    from pos_app.domain.receipt import fixed_width
    from pos_app.services.sale.printing import PrinterConfig, printer_config
    from pos_app.services.shift import shift_reports, shifts

    booth = open_booth(args)
    try:
        if args.shift:
            shift = shifts.get_shift(booth, args.shift)
        elif args.z:
            shift = shifts.last_closed_shift(booth)
            if shift is None:
                raise DomainError("shift_open" if shifts.current_shift(booth)
                                  else "no_open_shift")
        else:
            shift = shifts.current_shift(booth)
            if shift is None and not args.x:
                shift = shifts.last_closed_shift(booth)
            if shift is None:
                raise DomainError("no_open_shift")
        kind = "x" if args.x or (not args.z and shift.is_open) else "z"
        report = shift_reports.x_reading(booth, shift.id, _shift_actor(args)) if kind == "x" \
            else shift_reports.kept_report(booth, shift.id, "z")
        elements = shift_reports.elements_of(booth, report, _)
        data = {"kind": kind, "shift": str(shift.id), "totals": report.totals.to_json()}
        if report.chain_head:
            data["journal_head"] = {"index": report.chain_head.index,
                                    "hash": report.chain_head.hash}
        if args.pdf:
            from pos_app.adapters.pdf.receipt_pdf import render_receipt_pdf

            config = printer_config(booth)
            out = render_receipt_pdf(elements, Path(args.pdf), args.width or
                                     (config.width_mm if config else 58),
                                     shift_reports.report_name(booth, report))
            data["pdf"] = str(out)
            human = _("Report saved: {path}").format(path=out)
        elif args.print or args.printer:
            from pos_app.services.sale.printing import print_document

            config = printer_config(booth)
            if args.printer:
                base = config or PrinterConfig(args.printer)
                config = PrinterConfig(args.printer, args.width or base.width_mm, base.timeout)
            outcome = print_document(booth, f"{kind}_report", elements,
                                     shift_reports.report_name(booth, report), config,
                                     document_id=report.event_id)
            if outcome.error is not None:
                raise outcome.error
            data["printed"] = outcome.destination
            human = _("Report printed on {printer}").format(printer=outcome.destination)
        else:
            columns = 48 if (args.width or 80) == 80 else 32
            human = "\n".join(line for _el, line in fixed_width(elements, columns))
    finally:
        booth.close()
    emit(args, data, human)
    return 0


def _add_backup_and_shift_commands(sub, common) -> None:
    p = sub.add_parser("backup", parents=[common],
                       help=_("back the database up (SQLite backup API)"))
    p.add_argument("--out", metavar="PATH",
                   help=_("file or folder (default: the backup folder in the settings)"))
    p.set_defaults(func=cmd_backup)

    p = sub.add_parser("restore", parents=[common], help=_("restore a backup into --db"))
    p.add_argument("file", metavar="PATH")
    p.set_defaults(func=cmd_restore)

    sh = sub.add_parser("shift", parents=[common], help=_("open, close and report shifts"))
    sh_sub = sh.add_subparsers(dest="shift_command", required=True, parser_class=_Parser)
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


def read_pin(prompt: str, path: str | None = None) -> str:
    """One line holding a PIN: from ``path``, else stdin (never from the command line, where
    other users could see it). A terminal gets a prompt without echo."""
    if path:
        try:
            with open(path, encoding="utf-8") as fh:
                line = fh.readline()
        except OSError as exc:
            raise UsageError(_("cannot read {path}: {reason}").format(
                path=path, reason=exc.strerror or exc)) from None
    elif sys.stdin is not None and sys.stdin.isatty():
        line = getpass.getpass(prompt)
    else:
        line = sys.stdin.readline() if sys.stdin is not None else ""
    return line.rstrip("\r\n")


def cmd_user_add(args) -> int:
    from pos_app.services.access.auth import create_user

    pin = read_pin(_("PIN for {name}: ").format(name=args.name))
    booth = open_booth(args)
    try:
        user = create_user(booth, args.name, args.role, pin, actor=f"os:{getpass.getuser()}")
    finally:
        booth.close()
    emit(args, {"id": str(user.id), "name": user.name, "role": user.role},
          _("User {name} ({role}) added").format(name=user.name, role=user.role))
    return 0


def cmd_user_list(args) -> int:
    from pos_app.services.access.auth import users

    booth = open_booth(args)
    try:
        rows = users(booth)
    finally:
        booth.close()
    data = {"users": [{"id": str(u.id), "name": u.name, "role": u.role, "active": u.active,
                       "has_pin": u.has_pin, "locked": u.locked} for u in rows]}
    human = "\n".join(f"{u.name}\t{u.role}" + (f"\t{_('locked')}" if u.locked else "")
                      + ("" if u.active else f"\t{_('inactive')}") for u in rows)
    emit(args, data, human)
    return 0


def cmd_user_unlock(args) -> int:
    from pos_app.services.access.auth import login, unlock_user

    pin = read_pin(_("PIN for {name}: ").format(name=args.by))
    booth = open_booth(args)
    try:
        unlock_user(booth, args.name, by=login(booth, args.by, pin))
    finally:
        booth.close()
    emit(args, {"name": args.name, "unlocked": True, "by": args.by},
          _("{name} unlocked").format(name=args.name))
    return 0


def _add_user_commands(sub, common) -> None:
    user = sub.add_parser("user", parents=[common], help=_("users and their PINs"))
    user_sub = user.add_subparsers(dest="user_command", required=True, parser_class=_Parser)
    p = user_sub.add_parser("add", parents=[common],
                            help=_("add a user; the PIN is read from stdin (one line)"))
    p.add_argument("name", metavar="NAME")
    p.add_argument("--role", choices=("cashier", "coordinator", "admin"), default="cashier")
    p.set_defaults(func=cmd_user_add)
    p = user_sub.add_parser("list", parents=[common], help=_("list users"))
    p.set_defaults(func=cmd_user_list)
    p = user_sub.add_parser("unlock", parents=[common],
                            help=_("unlock a user; the coordinator's PIN is read from stdin"))
    p.add_argument("name", metavar="NAME")
    p.add_argument("--by", metavar="NAME", required=True,
                   help=_("the coordinator or admin who unlocks"))
    p.set_defaults(func=cmd_user_unlock)
