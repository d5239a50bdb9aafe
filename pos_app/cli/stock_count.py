"""``pos-app stock count``: a stock count (stock opname) from the back office. It uses the
facility's open count or starts one, enters what was counted, shows the variance, and with
``--approve`` posts it or with ``--cancel`` drops the open count.
"""

from __future__ import annotations

from pos_app.cli.args import parse_reasons, stock_items
from pos_app.cli.common import (
    BACK_OFFICE_ROLE,
    UsageError,
    back_office_actor,
    emit,
    open_booth,
    reason_word,
    short,
    signed,
    table,
)
from pos_app.i18n import _


def _variance_output(report, number: str, started: bool, entered: int) -> tuple[dict, str]:
    from pos_app.domain.money import format_rupiah

    h = report.header
    data = {"number": number, "facility": h.facility_code, "facility_name": h.facility_name,
            "status": report.status, "started": started, "entered": entered,
            "closed_by": report.closed_by,
            "lines": [{"sku": ln.sku, "name": ln.name, "unit_price": ln.unit_price,
                       "expected": ln.expected, "counted": ln.counted,
                       "difference": ln.difference, "value": ln.value, "reason": ln.reason}
                      for ln in report.lines],
            "difference_units": report.difference_units, "shortage_value": report.shortage_value,
            "surplus_value": report.surplus_value, "net_value": report.net_value}
    status = {"open": _("open"), "approved": _("approved"), "cancelled": _("cancelled")}
    out = [_("Count {number} of {facility} ({status})").format(
        number=number, facility=h.facility_code, status=status[report.status])]
    counted = report.counted_lines
    if counted:
        out += table((_("SKU"), _("Name"), _("Expected"), _("Counted"), _("Difference"),
                       _("Value"), _("Reason")),
                      [(ln.sku, short(ln.name), str(ln.expected), str(ln.counted),
                        signed(ln.difference), format_rupiah(ln.value), reason_word(ln.reason))
                       for ln in counted], right={2, 3, 4, 5})
    left = len(report.lines) - len(counted)
    if left and report.status == "open":
        out.append(_("{count} products not counted yet").format(count=left))
    out.append(_("Difference {units} units: shortage {shortage}, surplus {surplus}, "
                 "net {net}").format(units=signed(report.difference_units),
                                     shortage=format_rupiah(report.shortage_value),
                                     surplus=format_rupiah(report.surplus_value),
                                     net=format_rupiah(report.net_value)))
    return data, "\n".join(out)


def cmd_stock_count(args) -> int:
    """Use the facility's open count (or start one), enter what was counted, show the
    variance; ``--approve`` posts it, ``--cancel`` drops the open count."""
    from pos_app.services.stock.counting import count_stock

    if args.cancel and (args.item or args.reason or args.approve):
        raise UsageError(_("--cancel cannot be combined with --item, --reason or --approve"))
    if args.reason and not args.approve:
        raise UsageError(_("--reason goes with --approve"))
    items = stock_items(args.item or [])
    reasons = parse_reasons(args.reason or [])
    booth = open_booth(args)
    try:
        done = count_stock(booth, args.facility, items, actor=back_office_actor(args),
                           actor_role=BACK_OFFICE_ROLE, reasons=reasons,
                           approve=args.approve, cancel=args.cancel)
    finally:
        booth.close()
    if done.cancelled:
        emit(args, {"number": done.number, "facility": done.facility_code,
                    "status": "cancelled"},
             _("Count {number} of {facility} cancelled").format(
                 number=done.number, facility=done.facility_code))
        return 0
    emit(args, *_variance_output(done.report, done.number, done.started, done.entered))
    return 0


def add_commands(command) -> None:
    """Register ``count`` with ``command(name, func, help, facility=, actor=)``."""
    p = command("count", cmd_stock_count,
                _("count a facility's stock, see the variance, approve or cancel"))
    p.add_argument("--item", metavar="SKU=QTY", action="append",
                   help=_("a counted quantity (0 allowed)"))
    p.add_argument("--reason", metavar="SKU=REASON", action="append",
                   help=_("damaged, sample, lost, found or miscounted (with --approve)"))
    what = p.add_mutually_exclusive_group()
    what.add_argument("--approve", action="store_true", help=_("post the differences"))
    what.add_argument("--cancel", action="store_true", help=_("cancel the open count"))
