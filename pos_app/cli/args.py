"""Reading the values of command-line arguments: ``SKU=QTY`` items, payments, a discount,
refund lines, stock reasons, dates and prices. A bad value is one translated error."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date

from pos_app.domain.errors import DomainError
from pos_app.domain.money import is_whole, whole_number


def parse_items(values: Sequence[str]):
    """``SKU=QTY`` arguments as sale items."""
    from pos_app.services.sale.checkout import SaleItem

    items = []
    for arg in values:
        sku, sep, qty = arg.partition("=")
        if not sep or not sku.strip() or not is_whole(qty):
            raise DomainError("bad_item_arg", arg=arg)
        items.append(SaleItem(whole_number(qty), sku=sku.strip()))
    return tuple(items)


def parse_pays(values: Sequence[str]):
    """``METHOD=AMOUNT[:REF]`` arguments as tenders."""
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


def parse_discount(text: str | None):
    """``AMOUNT`` or ``PCT%``: a whole-sale discount, or None."""
    from pos_app.domain.cart import Discount
    from pos_app.domain.money import parse_rupiah

    if not text:
        return None
    text = text.strip()
    if text.endswith("%"):
        return Discount.percent(text[:-1])
    return Discount.amount(parse_rupiah(text))


def parse_lines(values: Sequence[str]) -> dict[int, int]:
    """``LINE=QTY`` arguments of a refund: line number -> quantity (added up)."""
    lines: dict[int, int] = {}
    for arg in values:
        no, sep, qty = arg.partition("=")
        if not sep or not is_whole(no, signed=False) or not is_whole(qty):
            raise DomainError("bad_line_arg", arg=arg)
        line = whole_number(no)
        lines[line] = lines.get(line, 0) + whole_number(qty)
    return lines


def stock_items(values: Sequence[str], *, signed: bool = False) -> list[tuple[str, int]]:
    """``SKU=QTY`` arguments as (SKU, qty) pairs, read by the same rules as ``sell``
    (``SKU=+2`` is also accepted for an adjustment)."""
    if signed:
        values = [_drop_plus(v) for v in values]
    return [(item.sku, item.qty) for item in parse_items(values)]


def _drop_plus(arg: str) -> str:
    sku, sep, qty = arg.partition("=")
    if sep and re.fullmatch(r"\+\d+", qty.strip(), re.ASCII):
        return f"{sku}={qty.strip()[1:]}"
    return arg


def parse_reasons(values: Sequence[str]) -> dict[str, str]:
    """``SKU=REASON`` arguments: SKU (upper case) -> a checked stock reason."""
    from pos_app.domain.stock import check_reason

    out: dict[str, str] = {}
    for arg in values:
        sku, sep, reason = arg.partition("=")
        if not sep or not sku.strip() or not reason.strip():
            raise DomainError("bad_reason_arg", arg=arg)
        out[sku.strip().upper()] = check_reason(reason)
    return out


def parse_date(text: str | None) -> date | None:
    """``YYYY-MM-DD``, or None when the argument was not given."""
    if text is None:
        return None
    value = text.strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value, re.ASCII):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise DomainError("bad_date", value=text)


def parse_price(text: str) -> int:
    """A price in rupiah; a bad one names the limit."""
    from pos_app.domain.money import MAX_AMOUNT, format_rupiah, parse_rupiah

    try:
        return parse_rupiah(text)
    except DomainError:
        raise DomainError("bad_price", amount=text, max=format_rupiah(MAX_AMOUNT)) from None


def parse_period(date_from: str | None, date_to: str | None) -> tuple[date | None, date | None]:
    """``--from`` and ``--to`` as dates; a period that ends before it starts is refused."""
    start, end = parse_date(date_from), parse_date(date_to)
    if start is not None and end is not None and start > end:
        raise DomainError("bad_period", start=start.isoformat(), end=end.isoformat())
    return start, end
