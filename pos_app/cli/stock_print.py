"""``pos-app stock print|sheet|labels``: the printed stock documents as PDF files.

``stock print NUMBER --out FILE`` saves any stock document: a tanda terima (``-TT-``), a surat
retur with the close-out (``-SR-``), an adjustment slip (``-SA-``) or a count's variance
report (``-SO-``). ``stock sheet`` saves the blind count sheet of a facility's open count,
``stock close-out-pdf`` the close-out, and ``stock labels`` an A4 sheet of price tags. Files
are written under a temporary name and renamed into place, so a failure leaves none.
"""

from __future__ import annotations

from pathlib import Path

from pos_app.cli.args import stock_items
from pos_app.cli.common import emit, open_booth
from pos_app.i18n import _, language


def _saved(args, path: Path, what: str) -> int:
    emit(args, {"pdf": str(path)}, _("{what} saved to {path}").format(what=what, path=path))
    return 0


def cmd_stock_print(args) -> int:
    from pos_app.services.stock.stock_print import save_stock_document_pdf

    booth = open_booth(args)
    try:
        path = save_stock_document_pdf(booth, args.number, Path(args.out), translate=_,
                                       language=language())
    finally:
        booth.close()
    return _saved(args, path, args.number.strip().upper())


def cmd_stock_sheet(args) -> int:
    from pos_app.services.stock.back_office import save_open_count_sheet

    booth = open_booth(args)
    try:
        sheet = save_open_count_sheet(booth, args.facility, Path(args.out), translate=_,
                                      language=language())
    finally:
        booth.close()
    return _saved(args, sheet.path, _("Count sheet {number}").format(number=sheet.number))


def cmd_stock_close_out_pdf(args) -> int:
    from pos_app.services.stock.stock_print import save_close_out_pdf

    booth = open_booth(args)
    try:
        path = save_close_out_pdf(booth, args.facility, Path(args.out), translate=_,
                                  language=language())
    finally:
        booth.close()
    return _saved(args, path, _("Close-out of {facility}").format(
        facility=args.facility.strip().upper()))


def cmd_stock_labels(args) -> int:
    from pos_app.services.stock.stock_print import save_labels_pdf

    items = stock_items(args.item)
    booth = open_booth(args)
    try:
        path = save_labels_pdf(booth, items, Path(args.out))
    finally:
        booth.close()
    return _saved(args, path, _("{count} price tags").format(
        count=sum(copies for _sku, copies in items)))


def add_commands(command) -> None:
    """Register the commands with ``command(name, func, help, facility=, actor=)``."""
    p = command("print", cmd_stock_print, _("save a stock document as PDF"), facility=False,
                actor=False)
    p.add_argument("number", metavar="NUMBER", help=_("a -TT-, -SR-, -SA- or -SO- number"))
    p.add_argument("--out", metavar="FILE", required=True)
    p = command("sheet", cmd_stock_sheet, _("save the blind count sheet of the open count"),
                actor=False)
    p.add_argument("--out", metavar="FILE", required=True)
    p = command("close-out-pdf", cmd_stock_close_out_pdf, _("save the close-out as PDF"),
                actor=False)
    p.add_argument("--out", metavar="FILE", required=True)
    p = command("labels", cmd_stock_labels, _("save an A4 sheet of price tags"),
                facility=False, actor=False)
    p.add_argument("--item", metavar="SKU=COPIES", action="append", required=True)
    p.add_argument("--out", metavar="FILE", required=True)
