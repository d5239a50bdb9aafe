"""The tables of the end-of-event pack: their columns, each with a type and a description.

The same definitions drive the XLSX sheets, the CSV files and ``COLUMNS.md``. Column types:
``text``; ``int`` (a count or a quantity); ``money`` (whole rupiah, an integer); ``date`` (a
business date); ``datetime`` (local time of the event); ``bool``; ``percent`` (kept in basis
points, shown as a percentage). A few columns of the big tables are left out of the workbook
(``xlsx=False``) because they repeat what another sheet holds; the CSV files have them all.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from pos_app.domain.errors import N_
from pos_app.services.reporting.report_facts import METHODS

KINDS = ("text", "int", "money", "date", "datetime", "bool", "percent")


@dataclass(frozen=True)
class Column:
    name: str
    kind: str
    doc: str  # English description (a msgid)
    xlsx: bool = True  # False: in the CSV file only
    width: int = 0  # column width in the workbook; 0 = by type

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(self.kind)


@dataclass(frozen=True)
class Table:
    name: str  # sheet name and CSV file name
    doc: str
    columns: tuple[Column, ...]

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    def index(self, name: str) -> int:
        return self.names.index(name)

    @property
    def xlsx_columns(self) -> tuple[Column, ...]:
        return tuple(c for c in self.columns if c.xlsx)

    @property
    def xlsx_index(self) -> tuple[int, ...]:
        return tuple(i for i, c in enumerate(self.columns) if c.xlsx)


def C(name: str, kind: str, doc: str, **kw) -> Column:  # noqa: N802 - a table-building short
    return Column(name, kind, doc, **kw)


DOC_NUMBER = N_("Document number (sale, void or refund), e.g. KPG-01-000123")
KIND = N_("sale, refund or void; refunds and voids are documents of their own that take "
          "money back, their amounts are recorded as positive numbers")

SALES = Table("sales", N_("One row per document: every sale, void and refund in the period."), (
    C("number", "text", DOC_NUMBER, width=16),
    C("kind", "text", KIND, width=7),
    C("refers_to", "text", N_("For a void or refund: the number of the sale it takes back"),
      width=16),
    C("business_date", "date", N_("Business day the document belongs to (the day's cut-off "
                                  "moves sales after midnight to the evening before)")),
    C("local_time", "datetime", N_("When it was recorded, in the event's time zone (CSV: ISO "
                                   "8601 with the UTC offset)"), width=19),
    C("cashier", "text", N_("Cashier who recorded it")),
    C("shift", "text", N_("Id of the shift it was recorded in (see the shifts table)"), width=34),
    C("subtotal", "money", N_("Quantity x price of its lines, before discounts")),
    C("discount", "money", N_("Line and whole-sale discounts")),
    C("tax", "money", N_("PPN (included in prices or added)")),
    C("total", "money", N_("What the buyer paid (sale) or was paid back (void, refund)")),
    C("tendered", "money", N_("Money handed over, all methods")),
    C("change", "money", N_("Change given back in cash")),
))

LINES = Table("lines", N_("One row per document line. Amounts are as recorded on the "
                          "document (positive); use kind to tell sales from money going "
                          "back."), (
    C("number", "text", DOC_NUMBER, width=16),
    C("line_no", "int", N_("Line number on the document (a refund keeps the sale's line "
                           "number)"), width=6),
    C("kind", "text", KIND, width=7),
    C("business_date", "date", N_("Business day of the document")),
    C("facility", "text", N_("Code of the facility that made the product"), width=10),
    C("facility_name", "text", N_("Facility name, frozen at the moment of sale"), xlsx=False),
    C("category", "text", N_("Product category"), xlsx=False),
    C("sku", "text", N_("Product SKU"), width=11),
    C("name", "text", N_("Product name, frozen at the moment of sale"), width=30),
    C("qty", "int", N_("Units"), width=6),
    C("unit_price", "money", N_("Price of one unit, frozen at the moment of sale")),
    C("gross", "money", N_("qty x unit_price"), xlsx=False),
    C("discount", "money", N_("Line discount plus the line's share of the whole-sale "
                              "discount")),
    C("tax", "money", N_("PPN of the line")),
    C("total", "money", N_("What the line came to")),
    *(C(m, "money", N_("The document's payments by this method, spread over its lines in "
                       "proportion to their totals (largest remainder), so they add up to "
                       "the line total"), xlsx=False) for m in METHODS),
))

PAYMENTS = Table("payments", N_("One row per payment of a document (a split payment has "
                                "several)."), (
    C("number", "text", DOC_NUMBER, width=16),
    C("kind", "text", KIND, width=7),
    C("line_no", "int", N_("Payment number on the document"), width=6),
    C("method", "text", N_("cash, qris, transfer or card"), width=9),
    C("amount", "money", N_("Amount paid (or paid back) by this method")),
    C("tendered", "money", N_("Money handed over for this payment")),
    C("change", "money", N_("Change given for this payment")),
    C("reference", "text", N_("QRIS or transfer reference, or the card's approval code"),
      width=16),
    C("verified", "bool", N_("true when the money is certain at the till (cash, card)")),
    C("confirmed", "bool", N_("true when a coordinator confirmed the QRIS or transfer "
                              "payment against a bank or e-wallet statement")),
    C("confirmed_by", "text", N_("Who confirmed it")),
    C("qris_payload", "text", N_("QRIS: the exact code the buyer was shown (with the amount, "
                                 "or the static sticker above the limit); empty for other "
                                 "methods"), width=30),
))

_T = {
    "count": N_("Sales (documents of kind sale) with at least one line in the group"),
    "qty": N_("Units sold minus units taken back"),
    "gross": N_("Quantity x price of the sales' lines, before discounts"),
    "discounts": N_("Line and whole-sale discounts of the sales (a positive amount)"),
    "added_tax": N_("PPN added: PPN charged on top of the prices"),
    "sales": N_("What buyers paid for their sales: gross - discounts + added_tax"),
    "voids": N_("What voids gave back (negative)"),
    "refunds": N_("What refunds gave back (negative)"),
    "net": N_("Net after voids and refunds: sales + voids + refunds, the money kept"),
    "tax": N_("PPN: all PPN inside net (included and added), less the PPN given back"),
    "dpp": N_("DPP: net - tax"),
}
FIGURE_COLUMNS = ("gross", "discounts", "added_tax", "sales", "voids", "refunds", "net", "tax",
                  "dpp")  # the one set of figures (domain.figures), in its order
_METHOD_NET = N_("Net money taken by this method (sales - refunds), the payments spread "
                 "over the lines")


def _totals(*, methods: bool) -> tuple[Column, ...]:
    cols = [C("sales_count", "int", _T["count"]), C("qty", "int", _T["qty"])]
    cols += [C(n, "money", _T[n]) for n in FIGURE_COLUMNS]
    if methods:
        cols += [C(m, "money", _METHOD_NET) for m in METHODS]
    return tuple(cols)


BY_FACILITY = Table("by_facility", N_("Totals per facility; the rows add up to the whole "
                                      "period's totals."), (
    C("facility", "text", N_("Facility code"), width=10),
    C("facility_name", "text", N_("Facility name"), width=34),
    *_totals(methods=True),
))

BY_PRODUCT = Table("by_product", N_("Totals per product (SKU), sorted by SKU."), (
    C("sku", "text", N_("Product SKU"), width=11),
    C("name", "text", N_("Product name (as first sold in the period)"), width=36),
    C("facility", "text", N_("Code of the facility that made it"), width=10),
    C("category", "text", N_("Product category")),
    *_totals(methods=False),
))

STOCK = Table("stock", N_("Stock reconciliation per facility and product, from the stock "
                          "ledger as of the moment of the export (all movements, whatever "
                          "the period): on_hand = received - sold + refunded + adjusted - "
                          "returned."), (
    C("facility", "text", N_("Facility code"), width=10),
    C("facility_name", "text", N_("Facility name"), width=30),
    C("sku", "text", N_("Product SKU"), width=11),
    C("name", "text", N_("Product name"), width=36),
    C("received", "int", N_("Units received from the facility")),
    C("sold", "int", N_("Units sold")),
    C("refunded", "int", N_("Units that came back with voids and refunds")),
    C("adjusted", "int", N_("Adjustments and approved counts, signed")),
    C("returned", "int", N_("Units sent back to the facility")),
    C("on_hand", "int", N_("Units at the booth now")),
    C("price", "money", N_("Current price of one unit")),
    C("value", "money", N_("on_hand x price")),
))

SHIFTS = Table("shifts", N_("Shifts with their Z report totals, as kept when the shift was "
                            "closed (an open shift has no Z report yet); the figures are the "
                            "ones its Z report prints, named and defined as in by_facility "
                            "(voids and refunds negative)."), (
    C("shift", "text", N_("Shift id"), width=34),
    C("kind", "text", N_("pos (a till) or backoffice (back-entry from the command line)")),
    C("status", "text", N_("open or closed")),
    C("business_date", "date", N_("Business day it was opened on")),
    C("opened_at", "datetime", N_("Opened, local time"), width=19),
    C("opened_by", "text", N_("Cashier who opened it")),
    C("cashier", "text", N_("Cashier at the close (after handovers)")),
    C("handovers", "text", N_("Cashiers it was handed over to, in order")),
    C("closed_at", "datetime", N_("Closed, local time"), width=19),
    C("closed_by", "text", N_("Who closed it")),
    C("opening_float", "money", N_("Cash counted into the drawer at the start")),
    C("sales_count", "int", N_("Z: number of sales")),
    C("voids_count", "int", N_("Z: number of voids")),
    C("refunds_count", "int", N_("Z: number of refunds")),
    # the shift's figures as its Z report prints them, named as in by_facility
    *(C(n, "money", _T[n]) for n in FIGURE_COLUMNS),
    *(C(m, "money", N_("Z: money taken by this method, net of voids and refunds"))
      for m in METHODS),
    C("cash_in", "money", N_("Z: cash put into the drawer")),
    C("cash_out", "money", N_("Z: cash taken out of the drawer")),
    C("expected_cash", "money", N_("Z: float + cash sales - cash paid back + cash in - cash "
                                   "out")),
    C("counted_cash", "money", N_("Z: cash counted at the close")),
    C("difference", "money", N_("Z: counted - expected (+ over, - short)")),
    C("journal_index", "int", N_("Z: position of the journal head at the close")),
    C("journal_hash", "text", N_("Z: hash of the journal head at the close"), width=66),
))

_SHARE = N_("The facility's percentage for this part (empty while not set)")
_PART = N_("The DPP's part in rupiah; the four parts add up to the DPP exactly (remainder "
           "rule in the manifest and the summary)")
SETTLEMENT = Table("settlement", N_("The settlement statement per facility: by payment "
                                    "method, and the DPP (net less PPN) split into PNBP, "
                                    "premi, modal and program by the facility's percentages; "
                                    "the PPN (tax) is tax to remit, not split."), (
    C("facility", "text", N_("Facility code"), width=10),
    C("facility_name", "text", N_("Facility name"), width=34),
    C("facility_kind", "text", N_("Lapas, Rutan, Bapas or LPKA")),
    C("sales_count", "int", _T["count"]),
    *(col for m in METHODS for col in (
        C(f"{m}_sales", "money", N_("What the facility's goods brought in by this method")),
        C(f"{m}_refunds", "money", N_("Paid back by this method on its goods by voids "
                                      "and refunds (negative)")),
        C(f"{m}_net", "money", N_("sales + refunds by this method")))),
    *(C(n, "money", _T[n]) for n in FIGURE_COLUMNS),
    *(C(f"{p}_percent", "percent", _SHARE) for p in ("pnbp", "premi", "modal", "program")),
    *(C(p, "money", _PART) for p in ("pnbp", "premi", "modal", "program")),
))

TABLES: tuple[Table, ...] = (SALES, LINES, PAYMENTS, BY_FACILITY, BY_PRODUCT, STOCK, SHIFTS,
                             SETTLEMENT)
BY_NAME = {t.name: t for t in TABLES}

# head office's pack only (``pos-app export --central``): what could not be placed
PROBLEMS = Table("problems", N_("Head office's pack only: central records that could not be "
                                "placed (a device head office never registered, a row naming "
                                "a product the central catalog lacks, a row of one device "
                                "attached to another device's document); they are left out "
                                "of every other table and of the totals."), (
    C("table", "text", N_("Central table the record is in"), width=14),
    C("record_id", "text", N_("Id of the record left out"), width=34),
    C("device_id", "text", N_("Id of the device that wrote it"), width=34),
    C("device", "text", N_("That device's code in head office's registry (empty: not "
                           "registered)")),
    C("number", "text", N_("The document's number, for a sale, void or refund"), width=16),
    C("reason", "text", N_("Why it was left out"), width=60),
))

KIND_DOCS = {
    "text": N_("text"), "int": N_("whole number"), "money": N_("whole rupiah"),
    "date": N_("date (CSV: YYYY-MM-DD)"), "datetime": N_("local date and time"),
    "bool": N_("true or false"), "percent": N_("percentage (CSV: e.g. 37.5)"),
}


def columns_markdown(translate: Callable[[str], str], *, tables=TABLES,
                     notes: tuple[str, ...] = ()) -> str:
    """``COLUMNS.md``: every table and column with its type and meaning."""
    _ = translate
    out = [f"# {_('Columns of the export')}", ""]
    for note in notes:  # already translated
        out += [note, ""]
    for t in tables:
        out += [f"## {t.name}", "", _(t.doc), "",
                f"| {_('column')} | {_('type')} | {_('meaning')} |", "|---|---|---|"]
        for c in t.columns:
            where = "" if c.xlsx else f" ({_('CSV only')})"
            out.append(f"| `{c.name}` | {_(KIND_DOCS[c.kind])} | {_(c.doc)}{where} |")
        out.append("")
    return "\n".join(out)
