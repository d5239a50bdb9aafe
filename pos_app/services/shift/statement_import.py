"""Bank and e-wallet statements (CSV, ``;``-separated CSV or XLSX) read into statement lines
for reconciliation, through a column mapping that is remembered per statement source.

A mapping names the date column (and a time column, if the time is apart), the amount column
(or the credit and debit columns: only credits count), the reference and the description.
Dates in the forms Indonesian banks export are read in the statement's time zone (the booth's
unless the mapping or the cell says otherwise) and kept in UTC. Amounts become whole rupiah
without a float ever being involved. A file with any bad row is rejected whole, with every
problem named by row and column; a bad file writes nothing, not even its mapping.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, fields
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from pathlib import Path
from zoneinfo import ZoneInfo

from pos_app.adapters.tabular import Sheet, read_tables
from pos_app.domain.errors import DomainError, ImportRejected, RowError
from pos_app.domain.money import MAX_AMOUNT
from pos_app.domain.reconcile import StatementLine
from pos_app.services.setup.booth import Booth
from pos_app.services.setup.settings import set_setting

SETTING = "statement_mappings"
AUTO = "auto"
# Date forms, tried in this order when the mapping says "auto"; the value is an example.
DATE_FORMATS: dict[str, str] = {
    "dd/mm/yyyy": "21/11/2026 19:42",
    "yyyy-mm-dd": "2026-11-21 19:42:05",
    "dd-mm-yyyy": "21-11-2026",
    "dd mon yyyy": "21 Nov 2026 19:42",
    "dd/mm/yy": "21/11/26 19.42",
    "yyyy/mm/dd": "2026/11/21 19:42",
}
ZONES = {"WIB": "Asia/Jakarta", "WITA": "Asia/Makassar", "WIT": "Asia/Jayapura"}
PREVIEW_ROWS = 8
ROLES = ("date", "time", "amount", "credit", "debit", "reference", "description")

_D, _M, _Y = r"(?P<d>\d{1,2})", r"(?P<m>\d{1,2})", r"(?P<y>\d{4})"
_DATE_RE = {
    "dd/mm/yyyy": rf"{_D}/{_M}/{_Y}",
    "yyyy-mm-dd": rf"{_Y}-{_M}-{_D}",
    "dd-mm-yyyy": rf"{_D}-{_M}-{_Y}",
    "dd mon yyyy": rf"{_D}[ -](?P<mon>[A-Za-z]{{3,9}})\.?[ -]{_Y}",
    "dd/mm/yy": rf"{_D}/{_M}/(?P<yy>\d{{2}})",
    "yyyy/mm/dd": rf"{_Y}/{_M}/{_D}",
}
_TIME = r"(?P<H>\d{1,2})[:.](?P<MI>\d{2})(?:[:.](?P<S>\d{2})(?:[.,]\d{1,6})?)?"
_ZONE = r"(?:\s*(?P<Z>WITA|WIB|WIT|Z|[+-]\d{2}:?\d{2}))?"
_DATETIME = {key: re.compile(rf"\s*{pattern}(?:(?:\s*,\s*|\s+-\s+|\s+|T){_TIME})?{_ZONE}\s*",
                             re.ASCII | re.IGNORECASE)
             for key, pattern in _DATE_RE.items()}
_TIME_ONLY = re.compile(rf"\s*(?:\d{{4}}-\d{{2}}-\d{{2}}\s+)?{_TIME}{_ZONE}\s*",
                        re.ASCII | re.IGNORECASE)
# First three letters of month names, Indonesian and English (Agt/Ags are common too).
_MONTHS = {"jan": 1, "feb": 2, "mar": 3, "apr": 4, "mei": 5, "may": 5, "jun": 6, "jul": 7,
           "agu": 8, "agt": 8, "ags": 8, "aug": 8, "sep": 9, "okt": 10, "oct": 10, "nov": 11,
           "des": 12, "dec": 12}

_SIDE = re.compile(r"\s*\b(CR|DB|DR|K|D)\.?$", re.IGNORECASE)
_CURRENCY = re.compile(r"^(?:RP\.?|IDR)\s*", re.IGNORECASE)
_DECIMALS = re.compile(r"(?P<whole>.*?)(?P<sep>[.,])(?P<cents>\d{1,2})", re.ASCII)
_GROUPED = {".": re.compile(r"\d{1,3}(?:\.\d{3})+", re.ASCII),
            ",": re.compile(r"\d{1,3}(?:,\d{3})+", re.ASCII)}
_DIGITS = re.compile(r"\d+", re.ASCII)

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


# -- amounts -----------------------------------------------------------------------------------
class _Bad(Exception):
    def __init__(self, code: str, **params: object) -> None:
        super().__init__(code)
        self.code, self.params = code, params


def parse_amount(text: str) -> int:
    """Signed whole rupiah from a statement cell: ``1.250.000``, ``1,250,000.00``,
    ``Rp 250.000``, ``Rp250.000,-``, ``250000``; money out is negative (``-``, brackets,
    ``DB``/``DR``/``D``). A fraction of a rupiah other than ``,00``/``.00`` is refused."""
    s = text.strip().replace("\u00a0", " ")
    negative = False
    if s.startswith("(") and s.endswith(")"):
        negative, s = True, s[1:-1].strip()
    side = _SIDE.search(s)
    if side and side.start() > 0:
        negative = negative or side.group(1).upper() in ("DB", "DR", "D")
        s = s[:side.start()]
    for _pass in range(2):  # "-Rp 5.000" and "Rp -5.000" alike
        if s[:1] and s[0] in "+-":
            negative, s = negative or s[0] == "-", s[1:].strip()
        s = _CURRENCY.sub("", s)
    s = s.replace(" ", "")
    if s.endswith((",-", ".-")):
        s = s[:-2]
    if not s or not s[0].isdigit():
        raise _Bad("not_amount", value=text)
    decimal_sep = None
    decimals = _DECIMALS.fullmatch(s)
    if decimals:
        if int(decimals["cents"]):
            raise _Bad("fractional_rupiah", value=text)
        s, decimal_sep = decimals["whole"], decimals["sep"]
    if _DIGITS.fullmatch(s):
        number = int(s)
    else:
        sep = next((g for g, pattern in _GROUPED.items()
                    if g != decimal_sep and pattern.fullmatch(s)), None)
        if sep is None:
            raise _Bad("not_amount", value=text)
        number = int(s.replace(sep, ""))
    if number > MAX_AMOUNT:
        raise _Bad("out_of_range", value=text)
    return -number if negative else number


# -- dates -------------------------------------------------------------------------------------
def _zone(name: str | None, default: tzinfo) -> tzinfo:
    if not name:
        return default
    name = name.upper()
    if name in ZONES:
        return ZoneInfo(ZONES[name])
    if name == "Z":
        return UTC
    sign = -1 if name[0] == "-" else 1
    digits = name[1:].replace(":", "")
    return timezone(sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))


def _clock(m: re.Match) -> time | None:
    if m["H"] is None:
        return None
    return time(int(m["H"]), int(m["MI"]), int(m["S"] or 0))


def parse_date(text: str, form: str) -> tuple[date, time | None, str | None]:
    """(day, time or None, zone named in the cell or None); raises ``_Bad``."""
    m = _DATETIME[form].fullmatch(text)
    if not m:
        raise _Bad("bad_date", format=form, value=text)
    try:
        if form == "dd mon yyyy":
            month = _MONTHS.get(m["mon"][:3].lower())
            if month is None:
                raise ValueError(m["mon"])
        else:
            month = int(m["m"])
        year = 2000 + int(m["yy"]) if form == "dd/mm/yy" else int(m["y"])
        return date(year, month, int(m["d"])), _clock(m), m["Z"]
    except ValueError:
        raise _Bad("bad_date", format=form, value=text) from None


def parse_time(text: str) -> tuple[time, str | None]:
    m = _TIME_ONLY.fullmatch(text)
    try:
        if m:
            return _clock(m), m["Z"]  # type: ignore[return-value]
    except ValueError:
        pass
    raise _Bad("bad_time", value=text)


def detect_date_format(values: list[str]) -> str:
    """The form that reads the most of ``values`` (the first such in ``DATE_FORMATS``)."""
    def readable(form: str) -> int:
        count = 0
        for value in values:
            try:
                parse_date(value, form)
                count += 1
            except _Bad:
                pass
        return count

    scores = {form: readable(form) for form in DATE_FORMATS}
    return max(DATE_FORMATS, key=lambda form: scores[form])  # max keeps the first of equals


# -- the whole file ------------------------------------------------------------------------------
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
        except _Bad as bad:
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
        except _Bad as bad:
            self.err(row, m.date, bad.code, **bad.params)
            return None
        if m.time:
            raw_time = values.get(m.time, "").strip()
            clock = None  # no time given: some time that day
            if raw_time:
                try:
                    clock, time_zone = parse_time(raw_time)
                except _Bad as bad:
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
            out.append(_Row(n, *when, amount, values.get(m.reference, "").strip()[:120]
                            if m.reference else "",
                            values.get(m.description, "").strip()[:200]
                            if m.description else ""))
        return out, skipped


def _line(row: _Row, zone: tzinfo, date_only: bool) -> StatementLine:
    tz = _zone(row.zone, zone)
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
