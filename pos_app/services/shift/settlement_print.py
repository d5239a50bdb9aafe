"""Printing the settlement statements (laporan hasil penjualan) to PDF, one facility per page,
and the same statements as plain data for ``--json`` and the exports.

The file is written under a temporary name in the target folder and renamed into place, so a
refusal or a failure never leaves a half-written PDF under the name the user asked for.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path

from pos_app.domain.errors import DomainError
from pos_app.domain.settlement import PARTS
from pos_app.services.reporting.report_facts import ReportFilter
from pos_app.services.setup.booth import Booth
from pos_app.services.shift.settlement import Statement, statements
from pos_app.services.stock.stock_print import write_atomically

Translate = Callable[[str], str]


def _identity(text: str) -> str:
    return text


def check_period(date_from: date | None, date_to: date | None) -> None:
    """A period that ends before it starts is refused (``bad_period``)."""
    if date_from is not None and date_to is not None and date_from > date_to:
        raise DomainError("bad_period", start=date_from.isoformat(), end=date_to.isoformat())


def settlement_statements(booth: Booth, flt: ReportFilter | None = None,
                          facility_code: str | None = None) -> list[Statement]:
    """The statements to print: the one facility asked for (even with no sales), or every
    facility with sales in the period (``no_sales_to_settle`` when there is none). With no
    filter, the whole of this device's event."""
    flt = flt or ReportFilter(event_id=booth.context.event_id)
    check_period(flt.date_from, flt.date_to)
    found = statements(booth, flt, facility_code)
    if not found:
        raise DomainError("no_sales_to_settle")
    return found


def save_settlement_pdf(booth: Booth, out: Path | str, flt: ReportFilter | None = None,
                        facility_code: str | None = None, translate: Translate = _identity,
                        language: str = "id") -> Path:
    """The statement of ``facility_code`` (or of every facility with sales) for ``flt``."""
    found = settlement_statements(booth, flt, facility_code)
    return write_statements_pdf(booth, found, out, translate, language)


def write_statements_pdf(booth: Booth, found: Sequence[Statement], out: Path | str,
                         translate: Translate = _identity, language: str = "id") -> Path:
    """Statements already made (say, just shown on screen) as one PDF, a page each."""
    from pos_app.adapters.pdf.settlement_pdf import render_settlement_pdf

    if not found:
        raise DomainError("no_sales_to_settle")
    place = booth.settings().kwitansi_place
    return write_atomically(out, lambda tmp: render_settlement_pdf(
        found, tmp, translate, language, place))


def statement_data(st: Statement) -> dict:
    """One statement as JSON-ready data (integer rupiah, basis points, ISO dates)."""
    return {
        "facility": st.facility_code, "facility_name": st.facility_name,
        "facility_kind": st.facility_kind, "booth": st.booth_name, "event": st.event_name,
        "from": st.date_from.isoformat() if st.date_from else None,
        "to": st.date_to.isoformat() if st.date_to else None,
        "made_at": st.made_at.isoformat(),
        "methods": {m.method: {"gross": m.gross, "refunds": m.refunds, "net": m.net}
                    for m in st.methods},
        "gross": st.gross, "discounts": st.discounts, "sales": st.sales,
        "refunds": st.refunds, "net": st.net, "tax": st.tax, "count": st.count,
        "figures": st.figures.as_dict(), "dpp": st.dpp, "ppn_to_remit": st.figures.tax,
        "shares_bp": st.shares.as_dict() if st.shares.is_set else None,
        "split": {p: st.split[p] for p in PARTS} if st.split is not None else None,
        "rule": st.rule,
    }
