"""``pos-app qris set|show|payload``: the booth's static QRIS, checked and journaled as in the
app's settings, and the per-sale payload for an amount (and its QR code as a PNG), made
offline exactly as a payment makes it. Bad payloads, images without a QR code and amounts
out of range get one line and change nothing."""

from __future__ import annotations

from pathlib import Path

from pos_app.cli.common import Parser, UsageError, back_office_actor, emit, open_booth
from pos_app.cli.settings import DEVICE_OWNER_ROLE
from pos_app.i18n import _


def _shown(q) -> dict:
    return {"merchant": q.merchant, "city": q.city, "nmid": q.nmid, "payload": q.payload}


def _lines(q) -> list[str]:
    return [_("Merchant: {name}").format(name=q.merchant), _("City: {city}").format(city=q.city),
            _("NMID: {nmid}").format(nmid=q.nmid)]


def cmd_qris_set(args) -> int:
    from pos_app.services.sale.qris import set_qris

    if (args.payload is None) == (args.image is None):
        raise UsageError(_("give the QRIS as --payload TEXT or --image FILE"))
    booth = open_booth(args)
    try:
        q = set_qris(booth, payload=args.payload,
                     image=Path(args.image) if args.image else None,
                     actor=back_office_actor(args), role=DEVICE_OWNER_ROLE)
    finally:
        booth.close()
    emit(args, _shown(q), "\n".join([_("QRIS kept for this booth."), *_lines(q)]))
    return 0


def cmd_qris_show(args) -> int:
    from pos_app.services.sale.qris import booth_qris

    booth = open_booth(args)
    try:
        q = booth_qris(booth)
    finally:
        booth.close()
    if q is None:
        emit(args, {"merchant": None, "city": None, "nmid": None, "payload": None},
             _("This booth has no QRIS yet."))
        return 0
    emit(args, _shown(q), "\n".join([*_lines(q), q.payload]))
    return 0


def cmd_qris_payload(args) -> int:
    from pos_app.cli.args import parse_price
    from pos_app.services.sale.qris import offer, payload_png

    amount = parse_price(args.amount)
    booth = open_booth(args)
    try:
        if args.png:
            made, png = payload_png(booth, amount, Path(args.png))
        else:
            made, png = offer(booth, amount), None
    finally:
        booth.close()
    data = {**_shown(made), "amount": made.amount, "with_amount": made.with_amount,
            "over_limit": made.over_limit, "png": str(png) if png else None}
    human = [made.payload]
    if made.over_limit:
        human.append(_("Above the QRIS limit of {limit}: the static code is shown and the buyer "
                       "types the amount").format(limit=made.limit))
    if png:
        human.append(_("QR code saved: {path}").format(path=png))
    emit(args, data, "\n".join(human))
    return 0


def add_qris_commands(sub, common: Parser) -> None:
    """``qris set|show|payload``."""
    q = sub.add_parser("qris", parents=[common], help=_("the booth's QRIS"))
    q_sub = q.add_subparsers(dest="qris_command", required=True, parser_class=Parser)
    p = q_sub.add_parser("set", parents=[common],
                         help=_("set the booth's static QRIS (checked, journaled)"))
    p.add_argument("--payload", metavar="TEXT", help=_("the QRIS text"))
    p.add_argument("--image", metavar="FILE", help=_("a photo or scan of the QRIS sticker"))
    p.add_argument("--cashier", metavar="NAME", help=_("who makes the change (journaled)"))
    p.set_defaults(func=cmd_qris_set)
    p = q_sub.add_parser("show", parents=[common], help=_("the booth's QRIS: merchant, NMID"))
    p.set_defaults(func=cmd_qris_show)
    p = q_sub.add_parser("payload", parents=[common],
                         help=_("the QRIS for one payment of an amount"))
    p.add_argument("--amount", metavar="N", required=True, help=_("the amount in rupiah"))
    p.add_argument("--png", metavar="FILE", help=_("also save its QR code as a PNG"))
    p.set_defaults(func=cmd_qris_payload)
