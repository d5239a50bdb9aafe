"""X and Z reports of a shift: the kept totals as a receipt-like document, printed, saved as
a PDF or turned into ESC/POS bytes at any time after they were taken."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from pathlib import Path

from pos_app.domain.errors import DomainError
from pos_app.domain.receipt import Element
from pos_app.domain.shift_report import (
    ReportHeading,
    ShiftTotals,
    x_report_elements,
    z_report_elements,
)
from pos_app.services.access import audit
from pos_app.services.access.audit import ChainHead
from pos_app.services.setup.booth import Booth
from pos_app.services.shift.shifts import record_x_reading, shift_events


@dataclass(frozen=True)
class KeptReport:
    kind: str  # x | z
    event_id: uuid.UUID
    totals: ShiftTotals
    chain_head: ChainHead | None  # Z only


def kept_report(booth: Booth, shift_id, kind: str, by: str = "pos") -> KeptReport:
    """The report as it was kept: a Z from the close event; an X from the latest X reading
    (taking one, as ``by``, when the open shift has none yet)."""
    if kind not in ("x", "z"):
        raise ValueError(kind)
    shift, events = shift_events(booth, shift_id)
    wanted = "close" if kind == "z" else "x_report"
    kept = [e for e in events if e["kind"] == wanted]
    if not kept:
        if kind == "z":
            raise DomainError("shift_open")
        return x_reading(booth, shift["id"], by)
    event = kept[-1]
    payload = json.loads(event["payload"])
    head = payload.get("chain_head")
    return KeptReport(kind, event["id"], ShiftTotals.from_json(payload["totals"]),
                      ChainHead(head["index"], head["hash"]) if head else None)


def _heading(booth: Booth) -> ReportHeading:
    from pos_app.services.sale.receipts import TZ_LABELS

    ctx = booth.context
    return ReportHeading(booth.name(), ctx.timezone,
                         TZ_LABELS.get(ctx.timezone, ctx.timezone), booth.clock.now())


def x_reading(booth: Booth, shift_id, by: str) -> KeptReport:
    """Take an X reading now (kept as an ``x_report`` event) and return it as a report."""
    event_id, totals = record_x_reading(booth, shift_id, by)
    return KeptReport("x", event_id, totals, None)


def elements_of(booth: Booth, report: KeptReport, translate=lambda s: s) -> list[Element]:
    heading = _heading(booth)
    if report.kind == "z":
        head = report.chain_head or ChainHead(0, audit.GENESIS)
        return z_report_elements(report.totals, heading, head.index, head.hash, translate)
    return x_report_elements(report.totals, heading, translate)


def report_elements(booth: Booth, shift_id, kind: str, translate=lambda s: s,
                    by: str = "pos") -> list[Element]:
    return elements_of(booth, kept_report(booth, shift_id, kind, by), translate)


def report_name(booth: Booth, report: KeptReport) -> str:
    return f"{report.kind}-report-{booth.context.device_code}-{report.totals.shift_id[:8]}"


def report_bytes(booth: Booth, shift_id, kind: str, width_mm: int = 58,
                 translate=lambda s: s, by: str = "pos") -> bytes:
    """The ESC/POS bytes of the report (what a thermal printer gets)."""
    from pos_app.adapters.printing.escpos_receipt import receipt_bytes

    return receipt_bytes(report_elements(booth, shift_id, kind, translate, by), width_mm)


def save_report_pdf(booth: Booth, shift_id, kind: str, out: Path, width_mm: int | None = None,
                    *, translate=lambda s: s, by: str = "pos") -> Path:
    """The X or Z report as a roll-width PDF, drawn from the kept totals (any time later)."""
    from pos_app.adapters.pdf.receipt_pdf import render_receipt_pdf
    from pos_app.services.sale.printing import printer_settings

    if width_mm is None:
        setup = printer_settings(booth.settings())
        width_mm = setup.config.width_mm if setup.configured else 58
    report = kept_report(booth, shift_id, kind, by)
    return render_receipt_pdf(elements_of(booth, report, translate), Path(out), width_mm,
                              report_name(booth, report))


def print_report(booth: Booth, shift_id, kind: str, config=None, *, translate=lambda s: s,
                 by: str = "pos"):
    """Print the report on ``config`` (default: the booth's printer); the attempt is a
    ``print_job`` (``x_report`` / ``z_report``). Failures come back in the outcome."""
    from pos_app.services.sale.printing import print_document

    report = kept_report(booth, shift_id, kind, by)
    return print_document(booth, f"{kind}_report", elements_of(booth, report, translate),
                          report_name(booth, report), config, document_id=report.event_id)
