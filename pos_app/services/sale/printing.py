"""Printing receipts after the sale is safe on disk, and keeping a record of every attempt.

The sale's transaction is long committed when this runs; printing holds no transaction while
it talks to the printer, and each attempt (printed or failed, with the reason) becomes a
``print_job`` row. A failure is returned, never raised, so callers can offer a reprint.

Whether a printer answers the status query (DLE EOT) is remembered per printer URI (the
``printer_status`` setting): the test print finds it out afresh, the first print to a printer
not known yet learns it. A printer that took every byte and never answers is no failure: the
job is *sent* (stored as ``printed`` with the code :data:`SENT`, shown as "Sent").
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, replace
from pathlib import Path

from pos_app.domain.errors import DomainError
from pos_app.domain.receipt import ReceiptDoc, receipt_elements
from pos_app.persistence.models import PrintJob
from pos_app.services.access import approvals, audit, roles
from pos_app.services.sale.receipts import find_sale_id, receipt_for
from pos_app.services.setup.booth import Booth, stored_value, write_setting
from pos_app.services.setup.records import Recorder
from pos_app.services.setup.settings_model import Settings

DEFAULT_TIMEOUT = 8.0
STATUS_KEY = "printer_status"  # the setting: {uri: answers the status query?}
SENT = "sent"  # print_job.error_code of a job the printer took without answering its status

# What the cashier checks, by what the printer adapter saw. The adapter's own error (a refused
# connection, a timeout) is kept in the print_job record and the log, for whoever fixes it.
CAUSES = {
    "printer_refused": "printer_unreachable",
    "printer_timeout": "printer_unreachable",
    "printer_not_found": "printer_unreachable",
    "printer_disconnected": "printer_unreachable",
    "printer_offline": "printer_not_ready",
    "printer_busy": "printer_in_use",
}


def what_to_check(error: DomainError) -> DomainError:
    """A printer failure in plain words: what to check (power and cable, paper and cover,
    another program). Errors with no plain cause (a bad address, no printer) are returned
    as they are."""
    cause = CAUSES.get(error.code)
    return DomainError(cause, **error.params) if cause else error


@dataclass(frozen=True)
class PrinterConfig:
    uri: str
    width_mm: int = 58
    timeout: float = DEFAULT_TIMEOUT
    drawer: bool = False

    @property
    def columns(self) -> int:
        """Characters a line on this paper (the printer adapter's own table)."""
        from pos_app.adapters.printing.escpos_receipt import paper

        return paper(self.width_mm).columns


@dataclass(frozen=True)
class PrinterSettings:
    """Everything the settings say about the receipt printer, read in one place."""

    config: PrinterConfig  # its uri is "" when the booth has no printer
    auto_print: bool  # print the receipt after every sale

    @property
    def configured(self) -> bool:
        return bool(self.config.uri)


@dataclass(frozen=True)
class PrintOutcome:
    job_id: uuid.UUID
    document_id: uuid.UUID | None
    number: str
    copy: bool
    printed: bool  # no failure: printed, or sent to a printer that does not answer status
    destination: str
    error: DomainError | None = None
    sent: bool = False  # every byte taken, the printer said nothing (it never answers)

    @property
    def state(self) -> str:
        """``printed``, ``sent`` or ``failed``: how the print history shows the attempt."""
        return "failed" if self.error is not None else (SENT if self.sent else "printed")


def printer_settings(settings: Settings) -> PrinterSettings:
    """The printer settings of ``settings`` (``Booth.settings()``, or a screen's copy)."""
    return PrinterSettings(
        PrinterConfig(uri=settings.printer_uri.strip(), width_mm=settings.printer_width,
                      timeout=float(settings.printer_timeout),
                      drawer=settings.drawer_enabled),
        auto_print=settings.auto_print)


def printer_config(source: Booth | Settings) -> PrinterConfig | None:
    """The configured receipt printer of a booth (or of its settings), or None when the
    booth has none."""
    setup = printer_settings(source if isinstance(source, Settings) else source.settings())
    return setup.config if setup.configured else None


def known_answers(source: Booth | Settings, uri: str) -> bool | None:
    """Whether the printer at ``uri`` answers the status query: True, False (it never
    does) or None (not known yet)."""
    settings = source if isinstance(source, Settings) else source.settings()
    try:
        known = json.loads(settings.printer_status or "{}")
    except ValueError:
        return None
    value = known.get(uri.strip()) if isinstance(known, dict) else None
    return value if isinstance(value, bool) else None


def _target(booth: Booth, uri: str, *, probe: bool = False):
    """The printer target of ``uri`` with what is known about its answering (``probe``:
    find out afresh). An explicit ``?status=`` in the URI wins."""
    from pos_app.adapters.printing.uri import parse_printer_uri

    target = parse_printer_uri(uri)
    if target.answers is None and not probe:
        target = replace(target, answers=known_answers(booth, uri))
    return target


def _learn(booth: Booth, target, answered: bool | None) -> None:
    """Remember whether the printer answered, when it was asked and that is news."""
    if answered is not None and known_answers(booth, target.uri) is not answered:
        remember_answers(booth, target.uri, answered)


def remember_answers(booth: Booth, uri: str, answers: bool) -> None:
    """Store whether the printer at ``uri`` answers the status query (the test print and
    the first prints call this; a printer set up elsewhere can be told)."""
    with booth.db.write() as s:
        try:
            known = json.loads(stored_value(s, STATUS_KEY) or "{}")
        except ValueError:
            known = {}
        known = known if isinstance(known, dict) else {}
        known[uri.strip()] = answers
        write_setting(s, STATUS_KEY, json.dumps(known, sort_keys=True))
    booth.refresh()


def _send(booth: Booth, uri: str, elements: list, width_mm: int, timeout: float, name: str,
          pdf, *, drawer: bool = False, probe: bool = False) -> tuple[str, bool]:
    """Deliver ``elements``; returns (where it went, sent without an answer)."""
    from pos_app.adapters.printing.escpos_receipt import paper
    from pos_app.adapters.printing.transport import STATUS_SCHEMES, deliver

    target = _target(booth, uri, probe=probe)
    try:
        done = deliver(target, elements, paper(width_mm), timeout=timeout, drawer=drawer,
                       document_name=name, pdf=pdf)
    except DomainError as exc:
        if exc.code == "printer_offline":  # it answered (offline): a printer that answers
            _learn(booth, target, True)
        raise
    _learn(booth, target, done.answered)
    # not asked (?status=0, or known to stay silent) on a printer that could answer: sent
    return done.destination, done.answered is False or (
        done.answered is None and target.scheme in STATUS_SCHEMES)


def _record(booth: Booth, kind: str, document_id, printer: str, copy: bool,
            error: DomainError | None, sent: bool = False) -> uuid.UUID:
    job_id = uuid.uuid4()
    with booth.db.write() as s:
        Recorder(s, booth.context.device_id, booth.clock.now()).insert(PrintJob, [{
            "id": job_id, "document_kind": kind, "document_id": document_id,
            "printer": printer[:255], "copy": copy,
            "status": "failed" if error else "printed",
            "error_code": error.code if error else (SENT if sent else None),
            "error": error.message() if error else None,
        }])
    return job_id


def _deliver(booth: Booth, doc: ReceiptDoc, config: PrinterConfig, translate,
             drawer: bool) -> tuple[str, bool]:
    from pos_app.adapters.pdf.receipt_pdf import render_receipt_pdf

    elements = receipt_elements(doc, translate)
    name = doc.number + ("-copy" if doc.copy else "")
    return _send(booth, config.uri, elements, config.width_mm, config.timeout, name,
                 lambda out: render_receipt_pdf(elements, out, config.width_mm, doc.number),
                 drawer=drawer)


def print_receipt(booth: Booth, sale: str | uuid.UUID, config: PrinterConfig | None = None,
                  *, copy: bool | None = None, translate=lambda s: s) -> PrintOutcome:
    """Print (or re-print: it then says COPY) a sale's receipt and record the attempt.

    Printer failures are returned in the outcome (and recorded), not raised; an unknown sale,
    no configured printer or an address that names none raise ``DomainError``. Opens the cash drawer on the first print
    of a sale paid (partly) in cash, when enabled.
    """
    config = config or printer_config(booth)
    if config is None:  # nothing was attempted, so nothing is recorded
        raise DomainError("no_printer")
    check_printer_uri(config.uri)  # an address that names no printer: nor is this
    sale_id = find_sale_id(booth, sale)
    doc = receipt_for(booth, sale_id, copy, translate)
    drawer = config.drawer and not doc.copy and any(p.method == "cash" for p in doc.payments)
    sent = False
    try:
        destination, sent = _deliver(booth, doc, config, translate, drawer)
        error = None
    except DomainError as exc:
        destination, error = config.uri, exc
    job = _record(booth, "receipt", sale_id, config.uri, doc.copy, error, sent)
    return PrintOutcome(job, sale_id, doc.number, doc.copy, error is None, destination, error,
                        sent)


def save_receipt_pdf(booth: Booth, sale: str | uuid.UUID, out: Path, width_mm: int = 58,
                     *, translate=lambda s: s) -> Path:
    """The receipt as a roll-width PDF file (does not count as a print)."""
    from pos_app.adapters.pdf.receipt_pdf import render_receipt_pdf

    doc = receipt_for(booth, find_sale_id(booth, sale), None, translate)
    return render_receipt_pdf(receipt_elements(doc, translate), out, width_mm, doc.number)


def test_print(booth: Booth, config: PrinterConfig, translate=lambda s: s) -> PrintOutcome:
    """A short test page through ``config``; recorded like any print job. It finds out
    afresh whether the printer answers the status query, and remembers it."""
    from pos_app.adapters.pdf.receipt_pdf import render_receipt_pdf
    from pos_app.domain.money import format_rupiah
    from pos_app.domain.receipt import QR, Pair, Rule, Text

    ctx = booth.context
    elements = [Text("Lapak POS", "center", bold=True, large=True),
                Text(translate("Test print"), "center"), Rule(),
                Pair(translate("Device"), ctx.device_code),
                Pair(translate("Paper"), f"{config.width_mm} mm"),
                Pair("Rupiah", format_rupiah(1_250_000)), Rule(), QR("LAPAK:TEST")]
    sent = False
    try:
        destination, sent = _send(booth, config.uri, elements, config.width_mm, config.timeout,
                                  "test-print",
                                  lambda out: render_receipt_pdf(elements, out, config.width_mm),
                                  probe=True)
        error = None
    except DomainError as exc:
        destination, error = config.uri, exc
    job = _record(booth, "test", None, config.uri, False, error, sent)
    return PrintOutcome(job, None, "", False, error is None, destination, error, sent)


def print_document(booth: Booth, kind: str, elements: list, name: str,
                   config: PrinterConfig | None = None, *,
                   document_id: uuid.UUID | None = None) -> PrintOutcome:
    """Print any element list (an X or Z report, ...) and record the attempt as a
    ``print_job`` of ``kind``. Failures are returned (and recorded), not raised."""
    from pos_app.adapters.pdf.receipt_pdf import render_receipt_pdf

    config = config or printer_config(booth)
    if config is None:
        raise DomainError("no_printer")
    check_printer_uri(config.uri)  # refused before anything is attempted or recorded
    sent = False
    try:
        destination, sent = _send(booth, config.uri, elements, config.width_mm, config.timeout,
                                  name, lambda out: render_receipt_pdf(elements, out,
                                                                       config.width_mm, name))
        error = None
    except DomainError as exc:
        destination, error = config.uri, exc
    job = _record(booth, kind, document_id, config.uri, False, error, sent)
    return PrintOutcome(job, document_id, name, False, error is None, destination, error,
                        sent)


def open_drawer(booth: Booth, actor: str, actor_role: str, approval_id: uuid.UUID | None = None,
                config: PrinterConfig | None = None, *,
                shift_id: uuid.UUID | None = None) -> PrintOutcome:
    """Open the cash drawer without a sale (ESC p through the receipt printer).

    A cashier needs a coordinator's ``open_drawer`` approval on
    ``approvals.drawer_subject(shift_id)``. The approval is spent and a ``drawer.open``
    journal event (payload: ``by``, ``approved_by``, ``shift``) written in one transaction
    *before* the pulse is sent, so the record exists whatever the printer does. The attempt is
    then recorded as a ``print_job`` of kind ``drawer`` (pointing at the journal event), and
    a printer failure is returned in the outcome, not raised. Raises ``approval_required`` (or
    an approval error) writing nothing, and ``no_printer`` without a configured printer.
    """
    from pos_app.adapters.printing.escpos_receipt import paper
    from pos_app.adapters.printing.transport import kick_drawer
    from pos_app.adapters.printing.uri import parse_printer_uri

    roles.check_role(actor_role)
    actor = (actor or "").strip()
    config = config or printer_config(booth)
    if config is None:  # nothing was attempted, so nothing is recorded
        raise DomainError("no_printer")
    check_printer_uri(config.uri)  # an address that names no printer: nor is this
    event_id = uuid.uuid4()
    with booth.db.write() as s:
        rec = Recorder(s, booth.context.device_id, booth.clock.now())
        approved_by = None
        if approval_id is not None:
            approved_by = approvals.consume(rec, approval_id, "open_drawer",
                                            approvals.drawer_subject(shift_id), actor).approver
        elif roles.needs_approval(actor_role, "open_drawer"):
            raise DomainError("approval_required", action="open_drawer")
        audit.append(rec, actor, "drawer.open", "drawer", event_id, {
            "by": actor, "approved_by": approved_by,
            "shift": shift_id.hex if shift_id else None})
    try:
        destination = kick_drawer(parse_printer_uri(config.uri), paper(config.width_mm),
                                  timeout=config.timeout)
        error = None
    except DomainError as exc:
        destination, error = config.uri, exc
    job = _record(booth, "drawer", event_id, config.uri, False, error)
    return PrintOutcome(job, event_id, "", False, error is None, destination, error)


def check_printer_uri(uri: str) -> None:
    """Refuse a printer address that names no printer this app can reach (a DomainError
    saying what is wrong with it); the settings form checks what is typed with it."""
    from pos_app.adapters.printing.uri import parse_printer_uri

    parse_printer_uri(uri)
