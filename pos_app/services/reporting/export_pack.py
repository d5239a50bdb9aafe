"""The end-of-event pack in one action: an XLSX workbook, the same tables as CSV files with
``COLUMNS.md``, a PDF summary with charts, and ``manifest.json`` (record counts, rupiah
totals, the filter, the journal heads, and the SHA-256 of every other file).

Everything is read in one read snapshot, so every file tells the same story even while the
till goes on selling, and streamed a chunk of documents at a time (``export_data``), so a
big event exports in constant memory. The pack is written into a temporary folder next to
the target and renamed into place at the end: a cancelled or failed export leaves nothing
under the final name. On a machine with a second core the workbook is written by a child
process fed with the rows while this one writes the CSV files and the PDF.

Layout of a pack::

    export.xlsx  csv/<table>.csv  csv/COLUMNS.md  summary.pdf  manifest.json
"""

from __future__ import annotations

import json
import os
import shutil
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import select

import pos_app
from pos_app.domain.calendar import local_time
from pos_app.domain.errors import DomainError, is_folder
from pos_app.domain.settlement import REMAINDER_RULE
from pos_app.persistence.models import Device, Event, Facility
from pos_app.services.access import roles
from pos_app.services.reporting.export_data import Aggregates, count_documents, stream
from pos_app.services.reporting.export_sheets import (
    audit_heads,
    by_facility_rows,
    by_product_rows,
    figure_values,
    settlement_rows,
    shift_rows,
    stock_rows,
)
from pos_app.services.reporting.export_tables import (
    BY_FACILITY,
    BY_PRODUCT,
    FIGURE_COLUMNS,
    PROBLEMS,
    SETTLEMENT,
    SHIFTS,
    STOCK,
    TABLES,
    Table,
    columns_markdown,
)
from pos_app.services.reporting.export_target import (
    cannot_write,
    check_free,
    hashes,
    place,
    temp_folder,
    write_text,
)
from pos_app.services.reporting.report_facts import CHUNK, METHODS, ReportFilter
from pos_app.services.reporting.reports import unverified_payments
from pos_app.services.setup.booth import Booth

FORMATS = ("xlsx", "csv", "pdf")
XLSX_NAME, CSV_DIR, PDF_NAME = "export.xlsx", "csv", "summary.pdf"
MANIFEST, COLUMNS_MD = "manifest.json", "COLUMNS.md"
PACK_FORMAT = "lapak-export-pack/1"
ROWS_PER_MESSAGE = 5_000  # small tables go to the writers in pieces this big

Translate = Callable[[str], str]
Progress = Callable[[int, int], None]
Problems = Callable[[], Iterable[tuple]]  # the rows of the problems table, read when written


def _identity(text: str) -> str:
    return text


@dataclass(frozen=True)
class PackResult:
    path: Path
    files: dict[str, str]  # path relative to the pack (POSIX) -> SHA-256
    counts: dict[str, int]  # table -> rows
    totals: dict  # rupiah, as in the manifest
    documents: int


def export_pack(booth: Booth, out_dir: Path | str, flt: ReportFilter | None = None, *,
                formats: Sequence[str] = FORMATS, progress: Progress | None = None,
                cancel=None, translate: Translate = _identity, language: str = "id",
                parallel: bool | None = None, chunk: int = CHUNK,
                problems: Problems | None = None) -> PackResult:
    """Write the pack into the folder ``out_dir`` (which must not exist, or be empty).

    ``progress(done, total)`` is called after every chunk of documents (``total`` is the
    number of documents, counted first); ``cancel`` (an object with ``is_set()``, such as a
    ``threading.Event``) is checked between chunks and raises ``export_cancelled``.
    ``parallel``: write the workbook in a child process (default: when one can be started).
    ``chunk``: documents read per round trip. ``problems``: rows of a ``problems`` table
    (head office's pack: records left out), written as one more sheet and CSV file.
    """
    formats = _formats(formats)
    target = Path(out_dir)
    check_free(target)
    tmp = temp_folder(target)
    try:
        result = _build(booth, tmp, flt or ReportFilter(), formats, manifest=True,
                        progress=progress, cancel=cancel, translate=translate,
                        language=language, parallel=parallel, chunk=chunk, problems=problems)
        _check_cancel(cancel)
        place(tmp, target)
    except OSError as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        raise cannot_write(target, exc) from exc
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return PackResult(target, result.files, result.counts, result.totals, result.documents)


def export_pack_as(booth: Booth, out_dir: Path | str, flt: ReportFilter | None = None, *,
                   actor: str, actor_role: str, **options) -> PackResult:
    """:func:`export_pack` for a person (the export dialog): coordinators and admins only;
    a refusal writes nothing."""
    roles.require(actor_role, "export", actor)
    return export_pack(booth, out_dir, flt, **options)


def export_one(booth: Booth, out: Path | str, fmt: str, flt: ReportFilter | None = None, *,
               progress: Progress | None = None, cancel=None, translate: Translate = _identity,
               language: str = "id", parallel: bool | None = None,
               chunk: int = CHUNK, problems: Problems | None = None) -> PackResult:
    """Just one format: ``xlsx`` or ``pdf`` to the file ``out`` (replaced if it exists), or
    ``csv`` to the folder ``out`` (which must not exist, or be empty). Atomic like the pack."""
    (fmt,) = _formats((fmt,))
    target = Path(out)
    if fmt == "csv":
        check_free(target)
    elif target.is_dir():
        raise is_folder(target)
    tmp = temp_folder(target)
    try:
        result = _build(booth, tmp, flt or ReportFilter(), (fmt,), manifest=False,
                        progress=progress, cancel=cancel, translate=translate,
                        language=language, parallel=parallel, chunk=chunk, problems=problems)
        _check_cancel(cancel)
        made = tmp / {"xlsx": XLSX_NAME, "pdf": PDF_NAME, "csv": CSV_DIR}[fmt]
        if fmt == "csv":
            place(made, target)
        else:
            os.replace(made, target)
    except OSError as exc:
        raise cannot_write(target, exc) from exc
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    prefix = {"xlsx": XLSX_NAME, "pdf": PDF_NAME, "csv": CSV_DIR + "/"}[fmt]
    files = {k[len(CSV_DIR) + 1:] if fmt == "csv" else target.name: v
             for k, v in result.files.items() if k.startswith(prefix)}
    return PackResult(target, files, result.counts, result.totals, result.documents)


def _formats(formats: Sequence[str]) -> tuple[str, ...]:
    chosen = tuple(f for f in FORMATS if f in formats)
    unknown = set(formats) - set(FORMATS)
    if unknown or not chosen:
        raise ValueError(f"formats must be some of {FORMATS}, got {tuple(formats)}")
    return chosen


def _check_cancel(cancel) -> None:
    if cancel is not None and cancel.is_set():
        raise DomainError("export_cancelled")


# --- building the files --------------------------------------------------------------------------

class _Writers:
    """The CSV tables and the workbook, fed the same rows (the workbook only its columns)."""

    def __init__(self, folder: Path, formats: tuple[str, ...], parallel: bool | None,
                 tables: tuple[Table, ...] = TABLES) -> None:
        self.csv = self.xlsx = None
        self._project = {t.name: _projector(t) for t in tables}
        try:
            if "csv" in formats:
                from pos_app.adapters.export.csv_pack import CsvTables

                self.csv = CsvTables(folder / CSV_DIR, [_spec(t, all_columns=True)
                                                        for t in tables])
            if "xlsx" in formats:
                from pos_app.adapters.export import xlsx_pack

                specs = [_spec(t, all_columns=False) for t in tables]
                if parallel is None:
                    parallel = xlsx_pack.can_fork_writer() and (os.cpu_count() or 1) > 1
                kind = xlsx_pack.XlsxProcess if parallel else xlsx_pack.XlsxBook
                self.xlsx = kind(folder / XLSX_NAME, specs)
        except BaseException:
            self.discard()
            raise

    def __call__(self, table: Table, rows: list) -> None:
        if not rows:
            return
        if self.csv is not None:
            self.csv.rows(table.name, rows)
        if self.xlsx is not None:
            project = self._project[table.name]
            self.xlsx.rows(table.name, rows if project is None else list(map(project, rows)))

    def many(self, table: Table, rows) -> int:
        """Rows from an iterable, in pieces; returns how many."""
        count, piece = 0, []
        for row in rows:
            piece.append(row)
            if len(piece) == ROWS_PER_MESSAGE:
                self(table, piece)
                count, piece = count + len(piece), []
        self(table, piece)
        return count + len(piece)

    def discard(self) -> None:
        for writer in (self.csv, self.xlsx):
            if writer is not None:
                writer.discard()
        self.csv = self.xlsx = None


def _spec(table: Table, *, all_columns: bool) -> tuple:
    cols = table.columns if all_columns else table.xlsx_columns
    return table.name, [(c.name, c.kind, c.width) for c in cols]


def _projector(table: Table):
    index = table.xlsx_index
    if len(index) == len(table.columns):
        return None
    from operator import itemgetter

    return itemgetter(*index)


@dataclass(frozen=True)
class _Built:
    files: dict[str, str]
    counts: dict[str, int]
    totals: dict
    documents: int


def _build(booth: Booth, folder: Path, flt: ReportFilter, formats: tuple[str, ...], *,
           manifest: bool, progress, cancel, translate: Translate, language: str,
           parallel: bool | None, chunk: int, problems: Problems | None = None) -> _Built:
    from pos_app.services.reporting.export_summary import summary_of

    ctx = booth.context
    tz = ctx.timezone
    tables = TABLES if problems is None else (*TABLES, PROBLEMS)
    writers = _Writers(folder, formats, parallel, tables)
    try:
        with booth.db.read() as session:
            conn = session.connection()
            total = count_documents(conn, flt)
            agg = stream(conn, flt, tz, writers, total=total, progress=progress, cancel=cancel,
                         chunk=chunk)
            _check_cancel(cancel)
            counts = dict(agg.rows)
            rows = by_facility_rows(agg)
            writers(BY_FACILITY, rows)
            counts[BY_FACILITY.name] = len(rows)
            counts[BY_PRODUCT.name] = writers.many(BY_PRODUCT, by_product_rows(agg))
            counts[STOCK.name] = writers.many(STOCK, stock_rows(conn, flt))
            counts[SHIFTS.name] = writers.many(SHIFTS, shift_rows(conn, flt, agg.shift_ids, tz))
            statements = settlement_rows(conn, agg)
            writers(SETTLEMENT, [s.row() for s in statements])
            counts[SETTLEMENT.name] = len(statements)
            if problems is not None:
                counts[PROBLEMS.name] = writers.many(PROBLEMS, problems())
            if writers.xlsx is not None:
                writers.xlsx.note(SETTLEMENT.name, translate("Remainder rule: {rule}").format(
                    rule=translate(REMAINDER_RULE)))
            unverified = unverified_payments(conn, flt)
            heads = audit_heads(conn)
            names = _names(conn, flt)
        made_at = booth.clock.now()
        totals = _totals(agg, unverified)
        _check_cancel(cancel)
        if writers.csv is not None:
            writers.csv.close()
            write_text(folder / CSV_DIR / COLUMNS_MD, _columns_doc(translate, tz, tables))
        elif manifest:
            write_text(folder / COLUMNS_MD, _columns_doc(translate, tz, tables))
        if "pdf" in formats:
            from pos_app.adapters.pdf.summary_pdf import render_summary_pdf

            render_summary_pdf(summary_of(booth, agg, statements, unverified, heads, flt, names,
                                          made_at, translate), folder / PDF_NAME, translate,
                               language)
        _check_cancel(cancel)
        if writers.xlsx is not None:
            writers.xlsx.close()
            writers.xlsx = None
    except BaseException:
        writers.discard()
        raise
    files = hashes(folder)
    if manifest:
        doc = _manifest(booth, flt, names, made_at, counts, totals, heads, files, formats)
        write_text(folder / MANIFEST, json.dumps(doc, ensure_ascii=False, indent=2) + "\n")
    return _Built(files, counts, totals, total)


def _columns_doc(translate: Translate, tz: str, tables: tuple[Table, ...]) -> str:
    return columns_markdown(translate, tables=tables, notes=(
        translate("Money is in whole rupiah; local times are in the time zone {zone}.")
        .format(zone=tz),
        translate("Remainder rule: {rule}").format(rule=translate(REMAINDER_RULE)),
        translate("The CSV files are UTF-8 with a byte-order mark (Excel reads accents and "
                  "symbols right; read them as utf-8-sig). Text that starts with =, +, -, @, "
                  "a tab or a carriage return is written with a leading ' so that no "
                  "spreadsheet takes it for a formula (remove that ' to get the text as "
                  "typed); numbers are never changed.")))


# --- totals and the manifest ---------------------------------------------------------------------

def _totals(agg: Aggregates, unverified) -> dict:
    t = agg.totals
    net_by_method = t.net_by_method()
    # what voids and refunds gave back is negative, as in the figures and every table
    by_method = {m: {"sales": t.methods[m], "refunds": -t.refunded_methods[m],
                     "net": net_by_method[m]} for m in METHODS}
    by_facility = {code: {"sales_count": a.count,
                          **dict(zip(FIGURE_COLUMNS, figure_values(a.figures()), strict=True))}
                   for code, a in sorted(agg.by_facility.items())}
    return {
        "sales_count": t.count, "qty": t.qty,
        **dict(zip(FIGURE_COLUMNS, figure_values(t.figures()), strict=True)),
        "by_method": by_method, "by_facility": by_facility,
        "documents": {kind: {"count": c, "total": s if kind == "sale" else -s}
                      for kind, (c, s) in agg.documents.items()},
        "unverified": {"count": len(unverified), "amount": sum(u.amount for u in unverified)},
    }


def _names(conn, flt: ReportFilter) -> dict[str, str | None]:
    """Names of what the filter points at (for the manifest and the summary)."""
    def one(model, column, value):
        if value is None:
            return None
        return conn.execute(select(column).where(model.id == value)).scalar()

    return {"event": one(Event, Event.name, flt.event_id),
            "facility": one(Facility, Facility.code, flt.facility_id),
            "device": one(Device, Device.code, flt.device_id)}


def _plain(value):
    if isinstance(value, uuid.UUID):
        return value.hex
    if isinstance(value, date | datetime):
        return value.isoformat()
    return value


def _manifest(booth: Booth, flt: ReportFilter, names, made_at: datetime, counts, totals,
              heads, files, formats) -> dict:
    ctx = booth.context
    return {
        "format": PACK_FORMAT,
        "app": {"name": "Lapak POS", "version": pos_app.__version__},
        "created_at": made_at.isoformat(timespec="seconds"),
        "created_at_local": local_time(made_at, ctx.timezone).isoformat(timespec="seconds"),
        "timezone": ctx.timezone,
        "device": ctx.device_code,
        "formats": list(formats),
        "filter": {**{k: _plain(v) for k, v in flt.__dict__.items()},
                   **{f"{k}_name": v for k, v in names.items() if v is not None}},
        "counts": counts,
        "totals": totals,
        "remainder_rule": REMAINDER_RULE,
        "audit": [{"device": h.device, "device_id": h.device_id, "index": h.index,
                   "hash": h.hash} for h in heads],
        "files": {name: {"sha256": digest} for name, digest in files.items()},
    }
