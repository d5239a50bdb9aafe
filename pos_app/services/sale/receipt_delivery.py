"""A recorded sale's receipt from the back office in one call: printed (the first time, else a
COPY) on the booth's printer or another one, saved as a roll-width PDF, or an A4 kwitansi."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from pathlib import Path

from pos_app.services.sale.printing import (
    PrinterConfig,
    PrintOutcome,
    print_receipt,
    printer_config,
    save_receipt_pdf,
)
from pos_app.services.sale.receipts import sale_number_of
from pos_app.services.setup.booth import Booth


@dataclass(frozen=True)
class ReceiptRequest:
    pdf: Path | None = None  # save as PDF instead of printing
    printer: str | None = None  # print on this printer instead of the booth's
    width: int | None = None  # paper width in mm
    kwitansi: bool = False  # an A4 kwitansi (with ``pdf`` and ``buyer``)
    buyer: str = ""
    institution: str = ""
    purpose: str | None = None
    actor: str = ""  # who issues a kwitansi (journaled)


@dataclass(frozen=True)
class ReceiptDelivery:
    number: str  # the sale's number
    saved: Path | None = None  # the PDF written (a receipt or a kwitansi)
    printed: PrintOutcome | None = None  # the print attempt (its error is raised)
    kwitansi_number: str | None = None  # the kwitansi's own number (KPG-01-KW-000001)
    kwitansi_copy: bool = False  # the kwitansi was issued before: this print says SALINAN


def deliver_receipt(booth: Booth, sale: str | uuid.UUID, request: ReceiptRequest, *,
                    translate=lambda s: s, language: str = "id") -> ReceiptDelivery:
    """Print, re-print or save the receipt (or a kwitansi) of a recorded sale. A failed print
    is recorded as a print job, then raised."""
    number = sale_number_of(booth, sale)
    if request.kwitansi:
        from pos_app.services.sale.kwitansi import issue_kwitansi_pdf

        doc, out = issue_kwitansi_pdf(booth, sale, Path(request.pdf), request.buyer,
                                      request.institution, request.purpose, translate,
                                      language, request.actor)
        return ReceiptDelivery(number, saved=out, kwitansi_number=doc.number,
                               kwitansi_copy=doc.copy)
    if request.pdf:
        out = save_receipt_pdf(booth, sale, Path(request.pdf), request.width or 58,
                               translate=translate)
        return ReceiptDelivery(number, saved=out)
    config = printer_config(booth)
    if request.printer:
        base = config or PrinterConfig(request.printer)
        config = PrinterConfig(request.printer, request.width or base.width_mm, base.timeout,
                               base.drawer)
    elif config is not None and request.width:
        config = PrinterConfig(config.uri, request.width, config.timeout, config.drawer)
    outcome = print_receipt(booth, sale, config, translate=translate)
    if outcome.error is not None:
        raise outcome.error
    return ReceiptDelivery(number, printed=outcome)
