"""The till's shift from the back office in one call each: close the open shift with a blind
cash count, and an X reading or Z report as text, a roll-width PDF or on a printer."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from pos_app.domain.errors import DomainError
from pos_app.domain.receipt import fixed_width
from pos_app.domain.shift_report import ShiftTotals
from pos_app.services.access.audit import ChainHead
from pos_app.services.sale.printing import PrinterConfig, printer_config
from pos_app.services.setup.booth import Booth
from pos_app.services.shift import shift_reports, shifts


@dataclass(frozen=True)
class ReportRequest:
    x: bool = False  # an X reading of the open shift (kept)
    z: bool = False  # the Z report of a closed shift
    shift: str | None = None  # this shift's report (default: the open one, else the last)
    pdf: Path | None = None  # save as a roll-width PDF
    print: bool = False  # print on the booth's printer
    printer: str | None = None  # print on this printer
    width: int | None = None  # paper width in mm


@dataclass(frozen=True)
class ShiftReport:
    kind: str  # x | z
    shift_id: uuid.UUID
    totals: ShiftTotals
    chain_head: ChainHead | None
    pdf: Path | None = None  # where it was saved
    printed: str | None = None  # where it was printed
    text: str | None = None  # the report as fixed-width text (neither saved nor printed)


def close_open_shift(booth: Booth, counted: Mapping[int, int], by: str) -> shifts.CloseResult:
    """The blind close of the open shift: the count goes in first; expected and difference
    come out after."""
    shift = shifts.current_shift(booth)
    if shift is None:
        raise DomainError("no_open_shift")
    return shifts.close_shift(booth, shift.id, counted, by)


def _which(booth: Booth, request: ReportRequest) -> shifts.ShiftRow:
    if request.shift:
        return shifts.get_shift(booth, request.shift)
    if request.z:
        shift = shifts.last_closed_shift(booth)
        if shift is None:
            raise DomainError("shift_open" if shifts.current_shift(booth) else "no_open_shift")
        return shift
    shift = shifts.current_shift(booth)
    if shift is None and not request.x:
        shift = shifts.last_closed_shift(booth)
    if shift is None:
        raise DomainError("no_open_shift")
    return shift


def shift_report(booth: Booth, request: ReportRequest, by: str,
                 translate=lambda s: s) -> ShiftReport:
    """An X reading of the open shift (taken now, as ``by``), or the Z report of the last
    closed shift, saved, printed or as text. A failed print is recorded, then raised."""
    shift = _which(booth, request)
    kind = "x" if request.x or (not request.z and shift.is_open) else "z"
    report = shift_reports.x_reading(booth, shift.id, by) if kind == "x" \
        else shift_reports.kept_report(booth, shift.id, "z")
    done = ShiftReport(kind, shift.id, report.totals, report.chain_head)
    # an X reading is kept as it is taken: the PDF and the print read that one back
    if request.pdf:
        out = shift_reports.save_report_pdf(booth, shift.id, kind, Path(request.pdf),
                                            request.width, translate=translate, by=by)
        return replace(done, pdf=out)
    if request.print or request.printer:
        config = None
        if request.printer:
            base = printer_config(booth) or PrinterConfig(request.printer)
            config = PrinterConfig(request.printer, request.width or base.width_mm,
                                   base.timeout)
        outcome = shift_reports.print_report(booth, shift.id, kind, config,
                                             translate=translate, by=by)
        if outcome.error is not None:
            raise outcome.error
        return replace(done, printed=outcome.destination)
    columns = 48 if (request.width or 80) == 80 else 32
    elements = shift_reports.elements_of(booth, report, translate)
    return replace(done, text="\n".join(line for _el, line in fixed_width(elements, columns)))
