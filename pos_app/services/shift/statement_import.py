"""Bank and e-wallet statements (CSV, ``;``-separated CSV or XLSX) read into statement lines
for reconciliation, through a column mapping that is remembered per statement source.

A mapping names the date column (and a time column, if the time is apart), the amount column
(or the credit and debit columns: only credits count), the reference and the description.
Dates in the forms Indonesian banks export are read in the statement's time zone (the booth's
unless the mapping or the cell says otherwise) and kept in UTC. Amounts become whole rupiah
without a float ever being involved. A file with any bad row is rejected whole, with every
problem named by row and column; a bad file writes nothing, not even its mapping.
Reading one cell's value is :mod:`pos_app.services.shift.statement_values`.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, fields
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from pathlib import Path
from zoneinfo import ZoneInfo

from pos_app.adapters.tabular import Sheet, read_tables
from pos_app.domain.errors import DomainError, ImportRejected, RowError
from pos_app.domain.reconcile import StatementLine
from pos_app.domain.text import has_control
from pos_app.services.setup.booth import Booth
from pos_app.services.setup.settings import set_setting
from pos_app.services.shift.statement_values import (
    DATE_FORMATS,
    ZONES,
    BadValue,
    detect_date_format,
    parse_amount,
    parse_date,
    parse_time,
    zone_of,
)

SETTING = "statement_mappings"
AUTO = "auto"
PREVIEW_ROWS = 8
ROLES = ("date", "time", "amount", "credit", "debit", "reference", "description")

__all__ = ["AUTO", "DATE_FORMATS", "PREVIEW_ROWS", "ROLES", "SETTING", "ZONES", "Statement",
           "StatementFile", "StatementMapping", "fits", "guess_mapping", "import_statement",
           "parse_amount", "parse_date", "parse_time", "parse_statement", "read_statement",
           "save_mapping", "saved_mappings"]

# Header words that suggest a column, for a file nobody has mapped yet.
_GUESS = {
    "date": ("tanggal transaksi", "tanggal", "tgl", "date", "waktu transaksi", "waktu",
             "transaction date", "datetime"),
    "time": ("jam", "time", "pukul"),
    "credit": ("kredit", "credit", "cr", "dana masuk", "uang masuk"),
    "debit": ("debit", "debet", "db", "dana keluar", "uang keluar"),
    "amount": ("nominal", "amount", "jumlah", "mutasi", "nilai", "total"),
    "reference": ("referensi", "reference", "no. referensi", "no referensi", "ref", "rrn",
                  "no. ref", "id transaksi", "transaction id", "trx id"),
    "description": ("keterangan", "deskripsi", "description", "uraian", "berita", "remark",
                    "catatan"),
}


@dataclass(frozen=True)
class StatementMapping:
    """Which column of a statement from ``source`` holds what ("" = not in this statement)."""

    source: str
    date: str = ""
    time: str = ""
    amount: str = ""
    credit: str = ""
    debit: str = ""
    reference: str = ""
    description: str = ""
    date_format: str = AUTO
    timezone: str = ""  # an IANA name; "" = the booth's (the event's) time zone

    def __post_init__(self) -> None:
        for role in ROLES:  # column names as the reader gives them: stripped, lower case
            object.__setattr__(self, role, getattr(self, role).strip().lower())

    def columns(self) -> dict[str, str]:
        """role -> column, for the roles this mapping uses."""
        return {role: getattr(self, role) for role in ROLES if getattr(self, role)}

    def check(self) -> None:
        if not self.source.strip():
            raise DomainError("statement_no_source")
        if not self.date:
            raise DomainError("statement_no_date_column")
        if bool(self.amount) == bool(self.credit):
            raise DomainError("statement_no_amount_column")
        if self.date_format != AUTO and self.date_format not in DATE_FORMATS:
            raise ValueError(f"unknown date format {self.date_format!r}")
        if self.timezone and self.timezone not in ZONES.values():
            raise ValueError(f"unknown statement time zone {self.timezone!r}")

    def stored(self) -> dict[str, str]:
        """What the setting keeps (the source is the key it is kept under)."""
        return {k: v for k, v in asdict(self).items() if k != "source" and v}

    @classmethod
    def from_stored(cls, source: str, data: object) -> StatementMapping | None:
        """A mapping back from the setting; None for anything that is not one."""
        if not isinstance(data, dict):
            return None
        names = {f.name for f in fields(cls)} - {"source"}
        try:
            mapping = cls(source=source, **{k: v for k, v in data.items()
                                            if k in names and isinstance(v, str)})
            mapping.check()
        except (DomainError, ValueError):
            return None
        return mapping


@dataclass(frozen=True)
class StatementFile:
    """A statement file as the mapping screen shows it: its columns and its first rows."""

    path: Path
    sheet: str | None
    header: list[str]
    preview: list[tuple[int, list[str]]]  # (row number, values in header order)
    rows: int


@dataclass(frozen=True)
class Statement:
    """The credit lines of a statement, ready to be matched."""

    path: Path
    source: str
    lines: tuple[StatementLine, ...]
    skipped: int  # debit rows and rows of no amount, which cannot be a buyer's payment
    date_format: str  # the one used (detected when the mapping said "auto")
    mapping: StatementMapping


# -- reading -----------------------------------------------------------------------------------
def _first_sheet(path: Path) -> Sheet:
    sheets = [s for s in read_tables(path) if s.rows]
    if not sheets:
        raise DomainError("import_no_rows", path=str(path))
    return sheets[0]


def read_statement(path: Path | str) -> StatementFile:
    """The header and first rows of a statement (the first sheet with rows, for XLSX)."""
    path = Path(path)
    sheet = _first_sheet(path)
    header = [h for h in sheet.header if h]
    preview = [(n, [values.get(h, "") for h in header])
               for n, values in sheet.rows[:PREVIEW_ROWS]]
    return StatementFile(path, sheet.name, header, preview, len(sheet.rows))


def guess_mapping(header: list[str], source: str = "") -> StatementMapping:
    """A first guess from the column names (tanggal, kredit, keterangan…)."""
    chosen: dict[str, str] = {}
    taken: set[str] = set()
    for role, words in _GUESS.items():
        for word in words:
            hit = next((h for h in header if h not in taken and
                        (h == word or re.search(rf"\b{re.escape(word)}\b", h))), None)
            if hit:
                chosen[role] = hit
                taken.add(hit)
                break
    if "credit" in chosen:
        chosen.pop("amount", None)
    else:
        chosen.pop("debit", None)
    return StatementMapping(source=source, **chosen)


def fits(mapping: StatementMapping, header: list[str]) -> bool:
    """Whether every column ``mapping`` names is in ``header``."""
    return set(mapping.columns().values()) <= set(header)


# -- the mappings kept in the settings ------------------------------------------------------------
def saved_mappings(booth: Booth) -> dict[str, StatementMapping]:
    """The saved mappings by source name, sorted by name; unreadable entries are left out."""
    try:
        stored = json.loads(booth.settings().statement_mappings or "{}")
    except ValueError:
        stored = {}
    if not isinstance(stored, dict):
        return {}
    found = {name: StatementMapping.from_stored(name, data) for name, data in stored.items()
             if isinstance(name, str) and name.strip()}
    return {name: found[name] for name in sorted(found, key=str.casefold) if found[name]}


def save_mapping(booth: Booth, mapping: StatementMapping, actor: str = "pos") -> None:
    """Remember ``mapping`` under its source name (journaled as a settings change; storing
    the same mapping again writes nothing)."""
    mapping.check()
    try:
        stored = json.loads(booth.settings().statement_mappings or "{}")
    except ValueError:
        stored = {}
    if not isinstance(stored, dict):
        stored = {}
    stored[mapping.source.strip()] = mapping.stored()
    text = json.dumps(dict(sorted(stored.items())), ensure_ascii=False, sort_keys=True)
    set_setting(booth, SETTING, text, actor=actor)


@dataclass
class _Row:
    row: int
    day: date
    clock: time | None
    zone: str | None
    amount: int
    reference: str
    text: str


class _Reader:
    """Reads one statement sheet through a mapping, collecting every row problem."""

    def __init__(self, sheet: Sheet, mapping: StatementMapping, form: str) -> None:
        self.sheet, self.mapping, self.form = sheet, mapping, form
        self.errors: list[RowError] = []

    def err(self, row: int, column: str, code: str, **params: object) -> None:
        self.errors.append(RowError(row, column, code, sheet=self.sheet.name, **params))

    def money(self, row: int, values: dict[str, str], column: str, *,
              required: bool) -> int | None:
        raw = values.get(column, "").strip()
        if not raw:
            if required:
                self.err(row, column, "required")
            return None if required else 0
        try:
            return parse_amount(raw)
        except BadValue as bad:
            self.err(row, column, bad.code, **bad.params)
            return None

    def when(self, row: int, values: dict[str, str]) -> tuple[date, time | None, str | None
                                                              ] | None:
        m = self.mapping
        raw = values.get(m.date, "").strip()
        if not raw:
            self.err(row, m.date, "required")
            return None
        try:
            day, clock, zone = parse_date(raw, self.form)
        except BadValue as bad:
            self.err(row, m.date, bad.code, **bad.params)
            return None
        if m.time:
            raw_time = values.get(m.time, "").strip()
            clock = None  # no time given: some time that day
            if raw_time:
                try:
                    clock, time_zone = parse_time(raw_time)
                except BadValue as bad:
                    self.err(row, m.time, bad.code, **bad.params)
                    return None
                zone = time_zone or zone
        return day, clock, zone

    def credit(self, row: int, values: dict[str, str]) -> int | None:
        """The money in on this row (0 for money out or none), None when unreadable."""
        m = self.mapping
        if m.amount:
            amount = self.money(row, values, m.amount, required=True)
            return None if amount is None else max(amount, 0)
        if m.debit:
            self.money(row, values, m.debit, required=False)  # read to catch a wrong column
        amount = self.money(row, values, m.credit, required=False)
        if amount is not None and amount < 0:
            self.err(row, m.credit, "out_of_range", value=values.get(m.credit, ""))
            return None
        return amount

    def rows(self) -> tuple[list[_Row], int]:
        m, out, skipped = self.mapping, [], 0
        for n, values in self.sheet.rows:
            when, amount = self.when(n, values), self.credit(n, values)
            if when is None or amount is None:
                continue
            if amount == 0:
                skipped += 1
                continue
            texts = {c: values.get(c, "").strip() if c else "" for c in (m.reference,
                                                                          m.description)}
            bad = [c for c, v in texts.items() if c and has_control(v)]
            if bad:  # kept on the match, which is synced: no NUL, no control characters
                self.err(n, bad[0], "control_char")
                continue
            out.append(_Row(n, *when, amount, texts[m.reference][:120],
                            texts[m.description][:200]))
        return out, skipped


def _line(row: _Row, zone: tzinfo, date_only: bool) -> StatementLine:
    tz = zone_of(row.zone, zone)
    if row.clock is None or date_only:
        start = datetime.combine(row.day, time(0), tzinfo=tz)
        end = datetime.combine(row.day + timedelta(days=1), time(0), tzinfo=tz)
        return StatementLine(row.row, start.astimezone(UTC), row.amount, row.reference,
                             row.text, until=end.astimezone(UTC))
    at = datetime.combine(row.day, row.clock, tzinfo=tz)
    return StatementLine(row.row, at.astimezone(UTC), row.amount, row.reference, row.text)


def parse_statement(sheet: Sheet, mapping: StatementMapping, path: Path | str,
                    booth_timezone: str) -> Statement:
    """The credit lines of ``sheet``; raises ``ImportRejected`` listing every bad row."""
    mapping.check()
    header_row = sheet.rows[0][0] - 1 if sheet.rows else 1
    missing = [c for c in dict.fromkeys(mapping.columns().values()) if c not in sheet.header]
    if missing:
        raise ImportRejected(str(path), [RowError(header_row, c, "missing_column",
                                                  sheet=sheet.name) for c in missing])
    form = mapping.date_format
    if form == AUTO:
        form = detect_date_format([v.get(mapping.date, "").strip()
                                   for _, v in sheet.rows if v.get(mapping.date, "").strip()])
    reader = _Reader(sheet, mapping, form)
    rows, skipped = reader.rows()
    if reader.errors:
        raise ImportRejected(str(path), reader.errors)
    # A spreadsheet's date cells come back at midnight: a statement where every line is at
    # 00:00 gives days, not times.
    date_only = not mapping.time and all(r.clock == time(0) for r in rows)
    zone = ZoneInfo(mapping.timezone or booth_timezone)
    lines = tuple(_line(r, zone, date_only) for r in rows)
    return Statement(Path(path), mapping.source.strip(), lines, skipped, form, mapping)


def import_statement(booth: Booth, path: Path | str, mapping: StatementMapping,
                     actor: str = "pos", *, save: bool = True) -> Statement:
    """Read ``path`` through ``mapping``; when every row is good and ``save``, remember the
    mapping for its source (journaled). Raises ``ImportRejected`` (nothing written)."""
    mapping.check()
    path = Path(path)
    statement = parse_statement(_first_sheet(path), mapping, path, booth.context.timezone)
    if save:
        save_mapping(booth, mapping, actor)
    return statement
