"""The command line: a stable contract for scripts and head office.

Every command takes ``--db PATH``; failures exit non-zero with one translated line on stderr
and change nothing. ``pos-app`` with no command opens the desktop app.
"""

from __future__ import annotations

import argparse
import getpass
import json
import logging
import re
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from pos_app.domain.errors import DomainError, ImportRejected
from pos_app.i18n import DEFAULT_LANGUAGE, LANGUAGES, _, set_language

EXIT_ERROR = 1
EXIT_USAGE = 2


class UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    """argparse that reports a bad command line as one line instead of usage + error."""

    def error(self, message: str):  # type: ignore[override]
        raise UsageError(message)


def _db_path(args) -> Path:
    if args.db:
        return Path(args.db)
    from pos_app.paths import default_db_path

    return default_db_path()


def _open(args):
    from pos_app.services.booth import Booth

    path = _db_path(args)
    if not path.exists():
        raise DomainError("no_device")
    return Booth.open(path)


def _emit(args, data: dict, human: str) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2) if args.json else human)


def cmd_init(args) -> int:
    from pos_app.services.setup import init_booth

    if args.admin_pin_file and not args.admin:
        raise UsageError(_("--admin-pin-file needs --admin NAME"))
    pin = _read_pin(_("PIN for {name}: ").format(name=args.admin),
                    args.admin_pin_file) if args.admin else None
    booth, res = init_booth(_db_path(args), demo=args.demo, device_code=args.device,
                            event_name=args.event, admin_name=args.admin, admin_pin=pin)
    booth.close()
    human = _("Database ready: {path} (device {device}, {count} products)").format(
        path=res.path, device=res.device_code, count=res.products)
    if res.demo_loaded:
        human += "\n" + _("NTT demo catalog loaded")
    data = {"path": str(res.path), "device": res.device_code, "created": res.created_device,
            "demo_loaded": res.demo_loaded, "products": res.products}
    if res.admin:
        data["admin"] = res.admin
        human += "\n" + _("Admin {name} created").format(name=res.admin)
    _emit(args, data, human)
    return 0


def cmd_catalog_import(args) -> int:
    from pos_app.services.catalog_import import import_catalog

    booth = _open(args)
    try:
        s = import_catalog(booth, Path(args.file))
    finally:
        booth.close()
    data = {k: v for k, v in vars(s).items() if k != "errors"}
    human = _("Imported: {fa} facilities, {ca} categories, {pa} products added; "
              "{pu} products updated; {units} units of stock received").format(
        fa=s.facilities_added, ca=s.categories_added, pa=s.products_added,
        pu=s.products_updated, units=s.stock_units)
    _emit(args, data, human)
    return 0


def _parse_items(values: Sequence[str]):
    from pos_app.services.checkout import SaleItem

    items = []
    for arg in values:
        sku, sep, qty = arg.partition("=")
        if not sep or not sku.strip() or not re.fullmatch(r"-?\d+", qty.strip(), re.ASCII):
            raise DomainError("bad_item_arg", arg=arg)
        items.append(SaleItem(int(qty), sku=sku.strip()))
    return tuple(items)


def _parse_pays(values: Sequence[str]):
    from pos_app.domain.money import parse_rupiah
    from pos_app.domain.tenders import Method, Tender

    tenders = []
    for arg in values:
        method, sep, rest = arg.partition("=")
        if not sep:
            raise DomainError("bad_pay_arg", arg=arg)
        amount, _sep, reference = rest.partition(":")
        tenders.append(Tender(Method.parse(method), parse_rupiah(amount), reference or None))
    return tuple(tenders)


def _parse_discount(text: str | None):
    from pos_app.domain.cart import Discount
    from pos_app.domain.money import parse_rupiah

    if not text:
        return None
    text = text.strip()
    if text.endswith("%"):
        return Discount.percent(text[:-1])
    return Discount.amount(parse_rupiah(text))


def cmd_sell(args) -> int:
    from pos_app.domain.money import format_rupiah
    from pos_app.services.checkout import SaleRequest, checkout

    request = SaleRequest(
        items=_parse_items(args.item), tenders=_parse_pays(args.pay or []),
        discount=_parse_discount(args.discount), cashier=args.cashier,
        actor=f"os:{getpass.getuser()}", source="cli",
    )
    booth = _open(args)
    try:
        sale = checkout(booth, request)
    finally:
        booth.close()
    data = {
        "id": str(sale.id), "number": sale.number, "created_at": sale.created_at.isoformat(),
        "cashier": sale.cashier, "subtotal": sale.subtotal, "discount": sale.discount,
        "tax": sale.tax, "total": sale.total, "tendered": sale.tendered, "change": sale.change,
        "lines": [vars(line) for line in sale.lines],
        "payments": [{"method": p.method.value, "amount": p.amount, "tendered": p.tendered,
                      "change": p.change, "reference": p.reference, "verified": p.verified}
                     for p in sale.payments],
    }
    human = _("Sale {number}: total {total}, paid {paid}, change {change}").format(
        number=sale.number, total=format_rupiah(sale.total),
        paid=format_rupiah(sale.tendered), change=format_rupiah(sale.change))
    _emit(args, data, human)
    return 0


def cmd_receipt(args) -> int:
    """Print, re-print or save a receipt (or a kwitansi) of a recorded sale."""
    from pos_app.i18n import language
    from pos_app.services.printing import PrinterConfig, print_receipt, printer_config
    from pos_app.services.receipts import sale_number_of

    booth = _open(args)
    try:
        number = sale_number_of(booth, args.sale)
        if args.kwitansi:
            from pos_app.services.kwitansi import save_kwitansi_pdf

            if not args.buyer or not args.pdf:
                raise UsageError(_("--kwitansi needs --buyer NAME and --pdf FILE"))
            out = save_kwitansi_pdf(booth, args.sale, Path(args.pdf), args.buyer,
                                    args.institution or "", args.purpose, _, language())
            _emit(args, {"sale": number, "kwitansi": str(out)},
                  _("Kwitansi saved: {path}").format(path=out))
            return 0
        if args.pdf:
            from pos_app.services.printing import save_receipt_pdf

            out = save_receipt_pdf(booth, args.sale, Path(args.pdf), args.width or 58,
                                   translate=_)
            _emit(args, {"sale": number, "pdf": str(out)},
                  _("Receipt saved: {path}").format(path=out))
            return 0
        config = printer_config(booth)
        if args.printer:
            base = config or PrinterConfig(args.printer)
            config = PrinterConfig(args.printer, args.width or base.width_mm, base.timeout,
                                   base.drawer)
        elif config is not None and args.width:
            config = PrinterConfig(config.uri, args.width, config.timeout, config.drawer)
        outcome = print_receipt(booth, args.sale, config, translate=_)
    finally:
        booth.close()
    if outcome.error is not None:
        raise outcome.error
    human = (_("Copy of receipt {number} printed on {printer}") if outcome.copy
             else _("Receipt {number} printed on {printer}")).format(
        number=outcome.number, printer=outcome.destination)
    _emit(args, {"sale": outcome.number, "copy": outcome.copy, "printed": True,
                 "destination": outcome.destination, "job": str(outcome.job_id)}, human)
    return 0


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
    """Void a whole sale from the back office (journaled with its actor; no PIN: DESIGN.md)."""
    from pos_app.domain.money import format_rupiah
    from pos_app.services.refunds import void_sale

    booth = _open(args)
    try:
        doc = void_sale(booth, args.sale, actor=_back_office_actor(args),
                        actor_role="coordinator", reason=args.reason, source="cli")
    finally:
        booth.close()
    _emit(args, _reversal_data(doc), _("Void {number} of sale {original}: {total} back").format(
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
    from pos_app.services.refunds import refund

    lines = _parse_lines(args.line)
    booth = _open(args)
    try:
        doc = refund(booth, args.sale, lines, method=args.method, reference=args.reference,
                     actor=_back_office_actor(args), actor_role="coordinator",
                     reason=args.reason, source="cli")
    finally:
        booth.close()
    _emit(args, _reversal_data(doc), _("Refund {number} of sale {original}: {total} back").format(
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
    from pos_app.services import audit

    booth = _open(args)
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
        _emit(args, data, _("Journal intact: {events} events, {documents} documents, "
                            "head #{index} {hash}").format(
            events=result.events, documents=result.documents, index=result.head.index,
            hash=result.head.hash[:16]))
        return 0
    if args.json:
        data["broken"] = {"index": broken.index, "reason": broken.reason, "sale": sale,
                          "event_id": broken.event_id if broken.index else None}
        _emit(args, data, "")
    reason = f"{broken.reason}: {sale}" if broken.reason == "unjournaled" else broken.reason
    raise DomainError("audit_broken", index=broken.index, reason=reason)


def _shift_actor(args) -> str:
    return (getattr(args, "cashier", None) or "").strip() or f"os:{getpass.getuser()}"


def cmd_backup(args) -> int:
    """Back the database up with SQLite's backup API (never a file copy)."""
    from pos_app.services.backup import backup, backup_after_close

    booth = _open(args)
    try:
        out = backup(booth, Path(args.out)) if args.out else backup_after_close(booth)
    finally:
        booth.close()
    _emit(args, {"backup": str(out)}, _("Backup saved: {path}").format(path=out))
    return 0


def cmd_restore(args) -> int:
    """Restore a backup into --db (the database there is kept as <db>.before-restore)."""
    from pos_app.services.backup import restore

    res = restore(Path(args.file), _db_path(args))
    data = {"path": str(res.path), "previous": str(res.previous) if res.previous else None,
            "device": res.device_code, "sales": res.sales}
    human = _("Restored {path} (device {device}, {count} sales)").format(
        path=res.path, device=res.device_code, count=res.sales)
    if res.previous:
        human += "\n" + _("The replaced database is kept as {path}").format(path=res.previous)
    _emit(args, data, human)
    return 0


def cmd_shift_open(args) -> int:
    from pos_app.domain.cash import parse_count
    from pos_app.domain.money import format_rupiah, parse_rupiah
    from pos_app.services.shifts import open_shift

    opening = parse_rupiah(args.float) if args.float is not None else None
    count = parse_count(args.count) if args.count else None
    booth = _open(args)
    try:
        shift = open_shift(booth, args.cashier, opening, count, by=args.cashier)
    finally:
        booth.close()
    _emit(args, {"shift": str(shift.id), "cashier": shift.cashier,
                 "opening_float": shift.opening_float,
                 "business_date": shift.business_date.isoformat()},
          _("Shift opened for {cashier} with a float of {amount}").format(
              cashier=shift.cashier, amount=format_rupiah(shift.opening_float)))
    return 0


def cmd_shift_close(args) -> int:
    """The blind close: the count goes in first; expected and difference come out after."""
    from pos_app.domain.cash import parse_count
    from pos_app.domain.money import format_rupiah
    from pos_app.services.shifts import close_shift, current_shift

    count = parse_count(args.count)
    booth = _open(args)
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
    _emit(args, data, human)
    if res.backup_error is not None:
        print(f"pos-app: {res.backup_error.message(_)}", file=sys.stderr)
    return 0


def cmd_shift_report(args) -> int:
    """An X reading of the open shift (kept), or the Z report of the last closed shift:
    as text, a PDF (--pdf) or on a printer (--print / --printer)."""
    from pos_app.domain.receipt import fixed_width
    from pos_app.services import shifts
    from pos_app.services.printing import PrinterConfig, printer_config

    booth = _open(args)
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
        report = shifts.x_reading(booth, shift.id, _shift_actor(args)) if kind == "x" \
            else shifts.kept_report(booth, shift.id, "z")
        elements = shifts.elements_of(booth, report, _)
        data = {"kind": kind, "shift": str(shift.id), "totals": report.totals.to_json()}
        if report.chain_head:
            data["journal_head"] = {"index": report.chain_head.index,
                                    "hash": report.chain_head.hash}
        if args.pdf:
            from pos_app.adapters.pdf.receipt_pdf import render_receipt_pdf

            config = printer_config(booth)
            out = render_receipt_pdf(elements, Path(args.pdf), args.width or
                                     (config.width_mm if config else 58),
                                     shifts.report_name(booth, report))
            data["pdf"] = str(out)
            human = _("Report saved: {path}").format(path=out)
        elif args.print or args.printer:
            from pos_app.services.printing import print_document

            config = printer_config(booth)
            if args.printer:
                base = config or PrinterConfig(args.printer)
                config = PrinterConfig(args.printer, args.width or base.width_mm, base.timeout)
            outcome = print_document(booth, f"{kind}_report", elements,
                                     shifts.report_name(booth, report), config,
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
    _emit(args, data, human)
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


def _read_pin(prompt: str, path: str | None = None) -> str:
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
    from pos_app.services.auth import create_user

    pin = _read_pin(_("PIN for {name}: ").format(name=args.name))
    booth = _open(args)
    try:
        user = create_user(booth, args.name, args.role, pin, actor=f"os:{getpass.getuser()}")
    finally:
        booth.close()
    _emit(args, {"id": str(user.id), "name": user.name, "role": user.role},
          _("User {name} ({role}) added").format(name=user.name, role=user.role))
    return 0


def cmd_user_list(args) -> int:
    from pos_app.services.auth import users

    booth = _open(args)
    try:
        rows = users(booth)
    finally:
        booth.close()
    data = {"users": [{"id": str(u.id), "name": u.name, "role": u.role, "active": u.active,
                       "has_pin": u.has_pin, "locked": u.locked} for u in rows]}
    human = "\n".join(f"{u.name}\t{u.role}" + (f"\t{_('locked')}" if u.locked else "")
                      + ("" if u.active else f"\t{_('inactive')}") for u in rows)
    _emit(args, data, human)
    return 0


def cmd_user_unlock(args) -> int:
    from pos_app.services.auth import login, unlock_user

    pin = _read_pin(_("PIN for {name}: ").format(name=args.by))
    booth = _open(args)
    try:
        unlock_user(booth, args.name, by=login(booth, args.by, pin))
    finally:
        booth.close()
    _emit(args, {"name": args.name, "unlocked": True, "by": args.by},
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


def build_parser() -> _Parser:
    common = _Parser(add_help=False)
    common.add_argument("--db", metavar="PATH", default=argparse.SUPPRESS,
                        help=_("database file (default: the per-user data directory)"))
    common.add_argument("--json", action="store_true", default=argparse.SUPPRESS,
                        help=_("print machine-readable output"))
    common.add_argument("--lang", choices=sorted(LANGUAGES), default=argparse.SUPPRESS,
                        help=_("language of messages"))

    parser = _Parser(prog="pos-app", parents=[common],
                     description=_("Lapak POS: an offline point of sale for booths"))
    parser.add_argument("--smoke", action="store_true",
                        help=_("start the app, open the sale screen, quit (for CI)"))
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)

    p = sub.add_parser("init", parents=[common], help=_("create or upgrade the database"))
    p.add_argument("--demo", action="store_true", help=_("load the NTT demo catalog"))
    p.add_argument("--device", metavar="CODE", help=_("this device's code, e.g. KPG-01"))
    p.add_argument("--event", metavar="NAME", help=_("the event's name"))
    p.add_argument("--admin", metavar="NAME",
                   help=_("create this admin user; the PIN is read from stdin (one line)"))
    p.add_argument("--admin-pin-file", metavar="FILE", help=_("read the admin's PIN from FILE"))
    p.set_defaults(func=cmd_init)

    cat = sub.add_parser("catalog", parents=[common], help=_("catalog tools"))
    cat_sub = cat.add_subparsers(dest="catalog_command", required=True, parser_class=_Parser)
    p = cat_sub.add_parser("import", parents=[common],
                           help=_("import products from CSV or XLSX (all rows or none)"))
    p.add_argument("file", metavar="FILE")
    p.set_defaults(func=cmd_catalog_import)

    p = sub.add_parser("sell", parents=[common], help=_("ring up one sale headlessly"))
    p.add_argument("--item", metavar="SKU=QTY", action="append", required=True)
    p.add_argument("--pay", metavar="METHOD=AMOUNT[:REF]", action="append")
    p.add_argument("--discount", metavar="AMOUNT|PCT%", help=_("whole-sale discount"))
    p.add_argument("--cashier", metavar="NAME")
    p.set_defaults(func=cmd_sell)

    p = sub.add_parser("receipt", parents=[common],
                       help=_("print, re-print or save a sale's receipt"))
    p.add_argument("sale", metavar="SALE_NUMBER")
    where = p.add_mutually_exclusive_group()
    where.add_argument("--printer", metavar="URI",
                       help=_("e.g. tcp://192.168.1.50:9100, usb://0416:5011, pdf://DIR"))
    where.add_argument("--pdf", metavar="FILE", help=_("save as PDF instead of printing"))
    p.add_argument("--width", type=int, choices=(58, 80), help=_("paper width in mm"))
    p.add_argument("--kwitansi", action="store_true", help=_("an A4 kwitansi (with --pdf)"))
    p.add_argument("--buyer", metavar="NAME")
    p.add_argument("--institution", metavar="NAME")
    p.add_argument("--purpose", metavar="TEXT")
    p.set_defaults(func=cmd_receipt)

    p = sub.add_parser("void", parents=[common], help=_("void a whole sale (back office)"))
    p.add_argument("sale", metavar="SALE_NUMBER")
    p.add_argument("--reason", metavar="TEXT", required=True)
    p.add_argument("--cashier", metavar="NAME")
    p.set_defaults(func=cmd_void)

    p = sub.add_parser("refund", parents=[common],
                       help=_("refund some lines of a sale (back office)"))
    p.add_argument("sale", metavar="SALE_NUMBER")
    p.add_argument("--line", metavar="LINE=QTY", action="append", required=True)
    p.add_argument("--method", choices=("cash", "qris", "transfer", "card"), required=True)
    p.add_argument("--reference", metavar="REF")
    p.add_argument("--reason", metavar="TEXT", required=True)
    p.add_argument("--cashier", metavar="NAME")
    p.set_defaults(func=cmd_refund)

    aud = sub.add_parser("audit", parents=[common], help=_("the tamper-evident journal"))
    aud_sub = aud.add_subparsers(dest="audit_command", required=True, parser_class=_Parser)
    p = aud_sub.add_parser("verify", parents=[common],
                           help=_("walk the hash chain; name the first broken link"))
    p.set_defaults(func=cmd_audit_verify)
    _add_backup_and_shift_commands(sub, common)
    _add_user_commands(sub, common)
    return parser


def _fail(message: str, code: int) -> int:
    print(f"pos-app: {message}", file=sys.stderr)
    return code


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    from pos_app.logs import log_to_file

    log_to_file()
    set_language(_peek_lang(argv))
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except UsageError as exc:
        return _fail(str(exc), EXIT_USAGE)
    for name, default in (("db", None), ("json", False), ("lang", DEFAULT_LANGUAGE)):
        if not hasattr(args, name):
            setattr(args, name, default)
    func: Callable[[argparse.Namespace], int] | None = getattr(args, "func", None)
    try:
        if func is None:
            # The data layer first: PySide6 installs an import hook that slows every module
            # imported after it (SQLAlchemy is hundreds of them).
            import pos_app.services.booth  # noqa: F401
            from pos_app.ui.app import run_app

            return run_app(_db_path(args), smoke=args.smoke, language=_explicit_lang(argv))
        return func(args)
    except UsageError as exc:
        return _fail(str(exc), EXIT_USAGE)
    except ImportRejected as exc:
        print(f"pos-app: {exc.message(_)}", file=sys.stderr)
        for err in exc.errors:
            print(f"  {err.message(_)}", file=sys.stderr)
        return EXIT_ERROR
    except DomainError as exc:
        return _fail(exc.message(_), EXIT_ERROR)
    except KeyboardInterrupt:
        return _fail(_("interrupted"), 130)
    except Exception as exc:  # a bug, not bad input: one line for the user, details in the log
        logging.getLogger("pos_app").exception("unexpected error")
        return _fail(_("unexpected error ({kind}); nothing was changed").format(
            kind=type(exc).__name__), EXIT_ERROR)


def _explicit_lang(argv: list[str]) -> str | None:
    """The language asked for with ``--lang``, or None to use the one stored in the app."""
    return _peek_lang(argv) if any(a.split("=")[0] == "--lang" for a in argv) else None


def _peek_lang(argv: list[str]) -> str:
    for i, arg in enumerate(argv):
        if arg.startswith("--lang="):
            return arg.split("=", 1)[1]
        if arg == "--lang" and i + 1 < len(argv):
            return argv[i + 1]
    return DEFAULT_LANGUAGE
