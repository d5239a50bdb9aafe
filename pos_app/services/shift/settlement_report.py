"""The settlement statements from the back office in one call each: the statements of the
event (or a range of business dates), optionally saved as one PDF or printed as a short
summary on the receipt printer, and the facilities with the percentages their net is split
by. Coordinators and admins only (the ``settlement`` duty); the command line is the back
office."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from pos_app.domain.settlement import Shares
from pos_app.services.access import roles
from pos_app.services.catalog.catalog import FacilityRow, facilities
from pos_app.services.reporting.report_facts import ReportFilter
from pos_app.services.setup.booth import Booth
from pos_app.services.shift.settlement import Statement, facility_shares
from pos_app.services.shift.settlement_print import (
    check_period,
    settlement_statements,
    write_statements_pdf,
)


@dataclass(frozen=True)
class SettlementReport:
    statements: list[Statement]
    pdf: Path | None  # where they were saved, when asked


@dataclass(frozen=True)
class FacilityShares:
    facility: FacilityRow
    shares: Shares


def settlement_report(booth: Booth, *, role: str, facility_code: str | None = None,
                      date_from: date | None = None, date_to: date | None = None,
                      pdf: Path | None = None, translate=lambda s: s,
                      language: str = "id") -> SettlementReport:
    """One facility's statement (or every facility's with sales) for this device's event or
    the business dates given; with ``pdf`` also saved there, one facility per page. ``role``
    is the asker's: below coordinator raises ``not_allowed``."""
    roles.require(role, "settlement")
    check_period(date_from, date_to)
    flt = ReportFilter(event_id=booth.context.event_id, date_from=date_from, date_to=date_to)
    found = settlement_statements(booth, flt, facility_code)
    saved = write_statements_pdf(booth, found, Path(pdf), translate, language) \
        if pdf else None
    return SettlementReport(found, saved)


def facilities_with_shares(booth: Booth) -> list[FacilityShares]:
    """Every facility, by code, with its settlement percentages (perhaps not set)."""
    shares = facility_shares(booth)
    return [FacilityShares(f, shares[f.code])
            for f in sorted(facilities(booth), key=lambda f: f.code)]


def print_settlement_summary(booth: Booth, *, role: str, date_from: date | None = None,
                             date_to: date | None = None, translate=lambda s: s,
                             config=None):
    """Print the statements of the period as a short summary on the booth's receipt
    printer (or ``config``), recorded as a ``settlement`` print job. A printer failure comes
    back in the outcome (``services.sale.printing.PrintOutcome``), never raised."""
    from pos_app.services.sale.printing import print_document
    from pos_app.services.shift.settlement_slip import slip_name, summary_elements

    found = settlement_report(booth, role=role, date_from=date_from,
                              date_to=date_to).statements
    return print_document(booth, "settlement", summary_elements(found, translate),
                          slip_name(booth.context.device_code, found), config)
