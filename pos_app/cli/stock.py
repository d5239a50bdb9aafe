"""``pos-app stock ...``: the stock ledger from the back office. Goods received from a
facility (tanda terima), what is on hand, counts (stock opname) with their variance and
approval, stand-alone adjustments, the close-out and return of unsold goods (surat retur), a
product's movement history, and products created on the spot.

Like every command, the back office acts as a coordinator and journals its actor
(``--cashier NAME``, else the operating-system user); each command is one service call that
writes in one transaction, so a refused command changes nothing. Counts are in
``stock_count``, the printed documents in ``stock_print``.
"""

from __future__ import annotations

from pos_app.cli import stock_count, stock_print
from pos_app.cli.args import parse_date, parse_price, stock_items
from pos_app.cli.common import (
    BACK_OFFICE_ROLE,
    Parser,
    back_office_actor,
    emit,
    open_booth,
    reason_word,
    short,
    signed,
    table,
)
from pos_app.domain.errors import N_
from pos_app.i18n import _

KIND_LABELS = {"receive": N_("received"), "sale": N_("sold"), "refund": N_("refunded"),
               "return": N_("returned"), "adjust": N_("adjusted"), "count": N_("counted")}


# --- output ------------------------------------------------------------------------------------

def _doc_data(res, doc) -> dict:
    h = doc.header
    return {"id": str(res.id), "number": res.number, "kind": res.kind,
            "facility": h.facility_code, "facility_name": h.facility_name,
            "reference": h.reference, "date": h.doc_date.isoformat(), "actor": h.actor,
            "units": doc.units, "value": doc.value,
            "lines": [{"sku": line.sku, "name": line.name, "barcode": line.barcode,
                       "qty": line.qty, "unit_price": line.unit_price, "value": line.value,
                       "reason": line.reason} for line in doc.lines]}


# --- commands ----------------------------------------------------------------------------------

def cmd_stock_receive(args) -> int:
    """Goods received from a facility against its delivery note: a tanda terima."""
    from pos_app.domain.money import format_rupiah
    from pos_app.services.stock.back_office import receive_goods

    items = stock_items(args.item)
    doc_date = parse_date(args.date)
    booth = open_booth(args)
    try:
        done = receive_goods(booth, args.facility, items, reference=args.note or "",
                             actor=back_office_actor(args), actor_role=BACK_OFFICE_ROLE,
                             doc_date=doc_date)
    finally:
        booth.close()
    res, doc = done.result, done.doc
    emit(args, _doc_data(res, doc),
         _("Tanda terima {number}: {units} units ({value}) received from {facility}, "
           "delivery note {note}").format(
             number=res.number, units=doc.units, value=format_rupiah(doc.value),
             facility=res.facility_code, note=doc.header.reference))
    return 0


def cmd_stock_on_hand(args) -> int:
    from pos_app.domain.money import format_rupiah
    from pos_app.services.stock.stock import on_hand

    booth = open_booth(args)
    try:
        rows = on_hand(booth, facility=args.facility, query=args.search or "",
                       only_low=args.low)
    finally:
        booth.close()
    units, value = sum(r.on_hand for r in rows), sum(r.value for r in rows)
    data = {"rows": [{"sku": r.sku, "barcode": r.barcode, "name": r.name,
                      "category": r.category, "facility": r.facility_code,
                      "facility_name": r.facility_name, "price": r.price,
                      "on_hand": r.on_hand, "value": r.value, "low": r.low,
                      "below_zero": r.on_hand < 0} for r in rows],
            "units": units, "value": value}
    if not rows:
        emit(args, data, _("No products found"))
        return 0
    lines = table(
        (_("SKU"), _("Name"), _("Facility"), _("On hand"), _("Value"), ""),
        [(r.sku, short(r.name), r.facility_code, str(r.on_hand), format_rupiah(r.value),
          _("BELOW ZERO") if r.on_hand < 0 else _("low") if r.low else "") for r in rows],
        right={3, 4})
    total = _("{count} products, {units} units, value {value}").format(
        count=len(rows), units=units, value=format_rupiah(value))
    emit(args, data, "\n".join([*lines, total]))
    return 0


def cmd_stock_return(args) -> int:
    """Send a facility's remaining goods back (surat retur); it ends at zero."""
    from pos_app.domain.money import format_rupiah
    from pos_app.services.stock.back_office import return_remaining

    booth = open_booth(args)
    try:
        done = return_remaining(booth, args.facility, actor=back_office_actor(args),
                                actor_role=BACK_OFFICE_ROLE, reference=args.note or "")
    finally:
        booth.close()
    res, doc = done.result, done.doc
    emit(args, _doc_data(res, doc),
         _("Surat retur {number}: {units} units ({value}) back to {facility}").format(
             number=res.number, units=doc.units, value=format_rupiah(doc.value),
             facility=res.facility_code))
    return 0


def cmd_stock_adjust(args) -> int:
    from pos_app.domain.money import format_rupiah
    from pos_app.services.stock.back_office import adjust_stock

    items = stock_items(args.item, signed=True)
    booth = open_booth(args)
    try:
        done = adjust_stock(booth, args.facility, items, reason=args.reason,
                            actor=back_office_actor(args), actor_role=BACK_OFFICE_ROLE)
    finally:
        booth.close()
    res, doc = done.result, done.doc
    emit(args, _doc_data(res, doc),
         _("Adjustment {number}: {units} units ({value}) at {facility}, {reason}").format(
             number=res.number, units=signed(doc.units), value=format_rupiah(doc.value),
             facility=res.facility_code,
             reason=reason_word(doc.lines[0].reason) if doc.lines else ""))
    return 0


def cmd_stock_close_out(args) -> int:
    from pos_app.domain.money import format_rupiah
    from pos_app.services.stock.stock_docs import close_out

    booth = open_booth(args)
    try:
        report = close_out(booth, args.facility)
    finally:
        booth.close()
    names = ("received", "sold", "refunded", "adjusted", "returned")
    data = {"facility": report.facility_code, "facility_name": report.facility_name,
            "as_of": report.as_of.isoformat() if report.as_of else None,
            "lines": [{"sku": ln.sku, "name": ln.name, "unit_price": ln.unit_price,
                       **{n: getattr(ln.totals, n) for n in names}, "remaining": ln.remaining}
                      for ln in report.lines],
            "totals": {n: report.total(n) for n in (*names, "remaining")},
            "remaining_value": report.remaining_value, "negatives": list(report.negatives)}
    out = [_("Close-out of {facility} ({name})").format(facility=report.facility_code,
                                                        name=report.facility_name)]
    if report.lines:
        totals = [str(report.total(n)) for n in (*names, "remaining")]
        out += table((_("SKU"), _("Name"), _("Received"), _("Sold"), _("Refunded"),
                       _("Adjusted"), _("Returned"), _("Remaining")),
                      [(ln.sku, short(ln.name), str(ln.totals.received), str(ln.totals.sold),
                        str(ln.totals.refunded), signed(ln.totals.adjusted),
                        str(ln.totals.returned), str(ln.remaining)) for ln in report.lines]
                      + [("", _("Total"), *totals[:3], signed(report.total("adjusted")),
                          *totals[4:])], right={2, 3, 4, 5, 6, 7})
    else:
        out.append(_("No stock movements"))
    out.append(_("Remaining value {value}").format(value=format_rupiah(report.remaining_value)))
    if report.negatives:
        out.append(_("Below zero: {skus}; count them before the return").format(
            skus=", ".join(report.negatives)))
    emit(args, data, "\n".join(out))
    return 0


def cmd_stock_movements(args) -> int:
    from pos_app.domain.calendar import local_time
    from pos_app.services.stock.back_office import product_history

    booth = open_booth(args)
    try:
        history = product_history(booth, args.sku)
    finally:
        booth.close()
    product, rows, tz = history.product, history.movements, history.timezone
    data = {"sku": product.sku, "name": product.name, "facility": product.facility_code,
            "on_hand": history.on_hand,
            "movements": [{"created_at": local_time(m.created_at, tz).isoformat(),
                           "kind": m.kind, "qty": m.qty, "balance": m.balance,
                           "document_kind": m.document_kind,
                           "document_number": m.document_number, "reason": m.reason}
                          for m in rows]}
    out = [_("{sku} {name} ({facility}): {on_hand} on hand").format(
        sku=product.sku, name=product.name, facility=product.facility_code,
        on_hand=data["on_hand"])]
    if rows:
        out += table((_("Time"), _("Movement"), _("Qty"), _("Balance"), _("Document"),
                      _("Reason")),
                     [(local_time(m.created_at, tz).strftime("%Y-%m-%d %H:%M"),
                       _(KIND_LABELS.get(m.kind, m.kind)), signed(m.qty), str(m.balance),
                       m.document_number or _(m.document_kind), reason_word(m.reason))
                      for m in rows], right={2, 3})
    else:
        out.append(_("No stock movements"))
    emit(args, data, "\n".join(out))
    return 0


def cmd_stock_product_add(args) -> int:
    """A product created on the spot (e.g. a painting with no catalog entry)."""
    from pos_app.domain.money import format_rupiah
    from pos_app.services.stock.back_office import add_product

    price = parse_price(args.price)
    booth = open_booth(args)
    try:
        done = add_product(booth, name=args.name, facility_code=args.facility,
                           category_code=args.category, price=price,
                           actor=back_office_actor(args), actor_role=BACK_OFFICE_ROLE,
                           sku=args.sku, barcode=args.barcode)
    finally:
        booth.close()
    row = done.product
    emit(args, {"id": str(row.id), "sku": row.sku, "barcode": row.barcode, "name": row.name,
                "price": row.price, "facility": row.facility_code,
                "category": done.category_code},
         _("Product {sku} added: {name}, {price}, barcode {barcode}").format(
             sku=row.sku, name=row.name, price=format_rupiah(row.price), barcode=row.barcode))
    return 0


def add_stock_commands(sub, common: Parser) -> None:
    st = sub.add_parser("stock", parents=[common],
                        help=_("stock per facility: receive, count, return (back office)"))
    st_sub = st.add_subparsers(dest="stock_command", required=True, parser_class=Parser)

    def command(name: str, func, help_text: str, *, facility: bool = True,
                actor: bool = True) -> Parser:
        p = st_sub.add_parser(name, parents=[common], help=help_text)
        if facility:
            p.add_argument("--facility", metavar="CODE", required=True)
        if actor:
            p.add_argument("--cashier", metavar="NAME",
                           help=_("who did it (default: the operating-system user)"))
        p.set_defaults(func=func)
        return p

    p = command("receive", cmd_stock_receive, _("goods received from a facility"))
    p.add_argument("--note", metavar="NUMBER", help=_("the facility's delivery note number"))
    p.add_argument("--item", metavar="SKU=QTY", action="append", required=True)
    p.add_argument("--date", metavar="YYYY-MM-DD", help=_("date of the receipt (default: today)"))

    p = command("on-hand", cmd_stock_on_hand, _("stock on hand per product"),
                facility=False, actor=False)
    p.add_argument("--facility", metavar="CODE")
    p.add_argument("--low", action="store_true", help=_("only products at or below the "
                                                          "low-stock level"))
    p.add_argument("--search", metavar="TEXT", help=_("name, SKU or barcode"))

    stock_count.add_commands(command)

    p = command("return", cmd_stock_return,
                _("send a facility's remaining goods back (surat retur)"))
    p.add_argument("--note", metavar="NUMBER", help=_("reference of the return"))

    p = command("adjust", cmd_stock_adjust, _("correct stock outside a count"))
    p.add_argument("--item", metavar="SKU=QTY", action="append", required=True,
                   help=_("units to add (5 or +5) or remove (-5)"))
    p.add_argument("--reason", metavar="REASON", required=True,
                   help=_("damaged, sample, lost, found or miscounted"))

    command("close-out", cmd_stock_close_out,
            _("received, sold, refunded, adjusted, returned, remaining per product"),
            actor=False)

    p = command("movements", cmd_stock_movements, _("a product's movement history"),
                facility=False, actor=False)
    p.add_argument("sku", metavar="SKU")

    p = command("product-add", cmd_stock_product_add, _("add a product to the catalog"))
    p.add_argument("--category", metavar="CODE", required=True)
    p.add_argument("--name", metavar="NAME", required=True)
    p.add_argument("--price", metavar="RUPIAH", required=True)
    p.add_argument("--barcode", metavar="EAN")
    p.add_argument("--sku", metavar="SKU")

    stock_print.add_commands(command)
