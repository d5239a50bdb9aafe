"""``pos-app sell``, ``receipt``, ``void`` and ``refund``: a sale rung up headlessly, its
receipt printed or saved, and its reversal from the back office (journaled with its actor)."""

from __future__ import annotations

import getpass
from pathlib import Path

from pos_app.cli.args import parse_discount, parse_items, parse_lines, parse_pays
from pos_app.cli.common import (
    BACK_OFFICE_ROLE,
    Parser,
    UsageError,
    back_office_actor,
    emit,
    open_booth,
)
from pos_app.i18n import _


def cmd_sell(args) -> int:
    from pos_app.domain.money import format_rupiah
    from pos_app.services.sale.checkout import SaleRequest, checkout

    request = SaleRequest(
        items=parse_items(args.item), tenders=parse_pays(args.pay or []),
        discount=parse_discount(args.discount), cashier=args.cashier,
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
                      "change": p.change, "reference": p.reference, "verified": p.verified,
                      "qris_payload": p.qris_payload}
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
    from pos_app.services.sale.receipt_delivery import ReceiptRequest, deliver_receipt

    if args.kwitansi and (not args.buyer or not args.pdf):
        raise UsageError(_("--kwitansi needs --buyer NAME and --pdf FILE"))
    request = ReceiptRequest(pdf=Path(args.pdf) if args.pdf else None, printer=args.printer,
                             width=args.width, kwitansi=args.kwitansi, buyer=args.buyer or "",
                             institution=args.institution or "", purpose=args.purpose,
                             actor=back_office_actor(args))
    booth = open_booth(args)
    try:
        done = deliver_receipt(booth, args.sale, request, translate=_, language=language())
    finally:
        booth.close()
    if args.kwitansi:
        emit(args, {"sale": done.number, "kwitansi": str(done.saved),
                    "number": done.kwitansi_number, "copy": done.kwitansi_copy},
             (_("Copy of kwitansi {number} saved: {path}") if done.kwitansi_copy
              else _("Kwitansi {number} saved: {path}")).format(
                 number=done.kwitansi_number, path=done.saved))
        return 0
    if done.saved is not None:
        emit(args, {"sale": done.number, "pdf": str(done.saved)},
             _("Receipt saved: {path}").format(path=done.saved))
        return 0
    outcome = done.printed
    if outcome.sent:  # the printer took it and does not report its status
        human = (_("Copy of receipt {number} sent to {printer}") if outcome.copy
                 else _("Receipt {number} sent to {printer}"))
    else:
        human = (_("Copy of receipt {number} printed on {printer}") if outcome.copy
                 else _("Receipt {number} printed on {printer}"))
    emit(args, {"sale": outcome.number, "copy": outcome.copy, "printed": True,
                "sent": outcome.sent, "destination": outcome.destination,
                "job": str(outcome.job_id)},
         human.format(number=outcome.number, printer=outcome.destination))
    return 0


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
    """Void a whole sale from the back office: the command line is the device's back office
    and asks for no PIN, but journals its actor."""
    from pos_app.domain.money import format_rupiah
    from pos_app.services.sale.refunds import void_sale

    booth = open_booth(args)
    try:
        doc = void_sale(booth, args.sale, actor=back_office_actor(args),
                        actor_role=BACK_OFFICE_ROLE, reason=args.reason, source="cli")
    finally:
        booth.close()
    emit(args, _reversal_data(doc), _("Void {number} of sale {original}: {total} back").format(
        number=doc.number, original=doc.refers_to, total=format_rupiah(doc.total)))
    return 0


def cmd_refund(args) -> int:
    """Refund some lines of a sale from the back office (journaled with its actor)."""
    from pos_app.domain.money import format_rupiah
    from pos_app.services.sale.refunds import refund

    lines = parse_lines(args.line)
    booth = open_booth(args)
    try:
        doc = refund(booth, args.sale, lines, method=args.method, reference=args.reference,
                     actor=back_office_actor(args), actor_role=BACK_OFFICE_ROLE,
                     reason=args.reason, source="cli")
    finally:
        booth.close()
    emit(args, _reversal_data(doc), _("Refund {number} of sale {original}: {total} back").format(
        number=doc.number, original=doc.refers_to, total=format_rupiah(doc.total)))
    return 0


def add_sale_commands(sub, common: Parser) -> None:
    """``sell``, ``receipt``, ``void`` and ``refund``."""
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
