"""The values in a bank statement's cells: rupiah amounts (whole rupiah, never through a
float) and dates and times in the forms Indonesian banks export, with the time zone a cell
may name. A value that cannot be read raises :class:`BadValue` saying why."""

from __future__ import annotations

import re
from datetime import UTC, date, time, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo

from pos_app.domain.money import MAX_AMOUNT

__all__ = ["DATE_FORMATS", "ZONES", "BadValue", "detect_date_format", "parse_amount",
           "parse_date", "parse_time", "zone_of"]

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


# -- amounts -----------------------------------------------------------------------------------
class BadValue(Exception):
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
        raise BadValue("not_amount", value=text)
    decimal_sep = None
    decimals = _DECIMALS.fullmatch(s)
    if decimals:
        if int(decimals["cents"]):
            raise BadValue("fractional_rupiah", value=text)
        s, decimal_sep = decimals["whole"], decimals["sep"]
    if _DIGITS.fullmatch(s):
        number = int(s)
    else:
        sep = next((g for g, pattern in _GROUPED.items()
                    if g != decimal_sep and pattern.fullmatch(s)), None)
        if sep is None:
            raise BadValue("not_amount", value=text)
        number = int(s.replace(sep, ""))
    if number > MAX_AMOUNT:
        raise BadValue("out_of_range", value=text)
    return -number if negative else number


# -- dates -------------------------------------------------------------------------------------
def zone_of(name: str | None, default: tzinfo) -> tzinfo:
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
    """(day, time or None, zone named in the cell or None); raises ``BadValue``."""
    m = _DATETIME[form].fullmatch(text)
    if not m:
        raise BadValue("bad_date", format=form, value=text)
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
        raise BadValue("bad_date", format=form, value=text) from None


def parse_time(text: str) -> tuple[time, str | None]:
    m = _TIME_ONLY.fullmatch(text)
    try:
        if m:
            return _clock(m), m["Z"]  # type: ignore[return-value]
    except ValueError:
        pass
    raise BadValue("bad_time", value=text)


def detect_date_format(values: list[str]) -> str:
    """The form that reads the most of ``values`` (the first such in ``DATE_FORMATS``)."""
    def readable(form: str) -> int:
        count = 0
        for value in values:
            try:
                parse_date(value, form)
                count += 1
            except BadValue:
                pass
        return count

    scores = {form: readable(form) for form in DATE_FORMATS}
    return max(DATE_FORMATS, key=lambda form: scores[form])  # max keeps the first of equals


# -- the whole file ------------------------------------------------------------------------------
