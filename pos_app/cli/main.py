"""The command line: a stable contract for scripts and head office.

Every command takes ``--db PATH``; failures exit non-zero with one translated line on stderr
and change nothing. ``pos-app`` with no command opens the desktop app.
"""

from __future__ import annotations

import argparse
import getpass
import logging
import re
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from pos_app.cli.bundle import add_bundle_commands
from pos_app.cli.central import add_central_commands
from pos_app.cli.common import (
    EXIT_ERROR,
    EXIT_USAGE,
    UsageError,
    _Parser,
    db_path,
    emit,
    open_booth,
)
from pos_app.cli.control import (
    _add_backup_and_shift_commands,
    _add_user_commands,
    cmd_audit_verify,
    cmd_refund,
    cmd_void,
    read_pin,
)
from pos_app.cli.export import add_export_commands
from pos_app.cli.report import add_report_commands
from pos_app.cli.stock import _add_stock_commands
from pos_app.cli.sync import add_sync_commands
from pos_app.domain.errors import DomainError, ImportRejected
from pos_app.i18n import DEFAULT_LANGUAGE, LANGUAGES, _, set_language


def cmd_init(args) -> int:
    from pos_app.services.setup.setup import init_booth

    if args.admin_pin_file and not args.admin:
        raise UsageError(_("--admin-pin-file needs --admin NAME"))
    pin = read_pin(_("PIN for {name}: ").format(name=args.admin),
                    args.admin_pin_file) if args.admin else None
    booth, res = init_booth(db_path(args), demo=args.demo, device_code=args.device,
                            event_name=args.event, admin_name=args.admin, admin_pin=pin)
    device_id = booth.context.device_id
    booth.close()
    human = _("Database ready: {path} (device {device}, {count} products)").format(
        path=res.path, device=res.device_code, count=res.products)
    human += "\n" + _("Device id (head office enrolls it with central add-device "
                      "--device-id): {id}").format(id=device_id)
    if res.demo_loaded:
        human += "\n" + _("NTT demo catalog loaded")
    data = {"path": str(res.path), "device": res.device_code, "device_id": str(device_id),
            "created": res.created_device,
            "demo_loaded": res.demo_loaded, "products": res.products}
    if res.admin:
        data["admin"] = res.admin
        human += "\n" + _("Admin {name} created").format(name=res.admin)
    emit(args, data, human)
    return 0


def cmd_catalog_import(args) -> int:
    from pos_app.services.catalog.catalog_import import import_catalog

    booth = open_booth(args)
    try:
        s = import_catalog(booth, Path(args.file))
    finally:
        booth.close()
    data = {k: v for k, v in vars(s).items() if k != "errors"}
    human = _("Imported: {fa} facilities, {ca} categories, {pa} products added; "
              "{pu} products updated; {units} units of stock received").format(
        fa=s.facilities_added, ca=s.categories_added, pa=s.products_added,
        pu=s.products_updated, units=s.stock_units)
    emit(args, data, human)
    return 0


def _parse_items(values: Sequence[str]):
    from pos_app.services.sale.checkout import SaleItem

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
    from pos_app.services.sale.checkout import SaleRequest, checkout

    request = SaleRequest(
        items=_parse_items(args.item), tenders=_parse_pays(args.pay or []),
        discount=_parse_discount(args.discount), cashier=args.cashier,
        actor=f"os:{getpass.getuser()}", source="cli",
    )
    booth = open_booth(args)
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
    emit(args, data, human)
    return 0


def cmd_receipt(args) -> int:
    """Print, re-print or save a receipt (or a kwitansi) of a recorded sale."""
    from pos_app.i18n import language
    from pos_app.services.sale.printing import PrinterConfig, print_receipt, printer_config
    from pos_app.services.sale.receipts import sale_number_of

    booth = open_booth(args)
    try:
        number = sale_number_of(booth, args.sale)
        if args.kwitansi:
            from pos_app.services.sale.kwitansi import save_kwitansi_pdf

            if not args.buyer or not args.pdf:
                raise UsageError(_("--kwitansi needs --buyer NAME and --pdf FILE"))
            out = save_kwitansi_pdf(booth, args.sale, Path(args.pdf), args.buyer,
                                    args.institution or "", args.purpose, _, language())
            emit(args, {"sale": number, "kwitansi": str(out)},
                  _("Kwitansi saved: {path}").format(path=out))
            return 0
        if args.pdf:
            from pos_app.services.sale.printing import save_receipt_pdf

            out = save_receipt_pdf(booth, args.sale, Path(args.pdf), args.width or 58,
                                   translate=_)
            emit(args, {"sale": number, "pdf": str(out)},
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
    emit(args, {"sale": outcome.number, "copy": outcome.copy, "printed": True,
                 "destination": outcome.destination, "job": str(outcome.job_id)}, human)
    return 0


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
    _add_stock_commands(sub, common)
    add_report_commands(sub, common)
    add_export_commands(sub, common)
    add_central_commands(sub, common)
    add_bundle_commands(sub, common)
    add_sync_commands(sub, common)
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
            import pos_app.services.setup.booth  # noqa: F401
            from pos_app.ui.app import run_app

            return run_app(db_path(args), smoke=args.smoke, language=_explicit_lang(argv))
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
