"""The booth's settings as one typed model: every key has a type, a default, a validator and
the least role that may change it.

Stored values are text (the ``setting`` table); they are parsed once, when read, into a
frozen :class:`Settings` (attribute access: ``settings.printer_width`` is an ``int``). A
stored value that does not parse reads as the default and is logged. Changing a value
(``services.setup.settings.set_setting``) validates it with the same parser.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import time
from fractions import Fraction
from typing import Any

from pos_app.domain.errors import N_, DomainError
from pos_app.domain.stock import MAX_STOCK_QTY
from pos_app.i18n import LANGUAGES
from pos_app.services.sync.limits import BATCH_SIZE

log = logging.getLogger(__name__)

SYSTEM = "system"  # written only by the service that owns the key, never from a screen
# The least role per key follows DESIGN.md's "Who may do what": a cashier changes only the
# language; the printer and receipt texts, the QRIS payload and image, the stock rules and
# the backup folder are the coordinator's; the device (tax, day cut-off, PINs and locking,
# the scanner) and sync are the administrator's.
CASHIER, COORDINATOR, ADMIN = "cashier", "coordinator", "admin"
PRINTER_WIDTHS = (58, 80)  # mm of paper
MAX_LABEL_GRID = 10  # labels across or down a sheet (the domain checks that they fit)


def text(value: str) -> str:
    return value


@dataclass(frozen=True)
class Rule:
    """What a key takes, said to whoever typed a bad value: a message (marked for
    translation) and its fields."""

    message: str
    fields: Mapping[str, str] = dataclasses.field(default_factory=dict)


def rule_of(parse: Callable[[str], Any]) -> Rule | None:
    """The :class:`Rule` a parser was made with (None: any text)."""
    return getattr(parse, "rule", None)


def with_rule(parse: Callable[[str], Any], rule: Rule) -> Callable[[str], Any]:
    parse.rule = rule  # type: ignore[attr-defined]
    return parse


# Every number setting has an upper bound: a minute count past a day, a stock level past the
# largest quantity, would only overflow a timer or a query, never mean anything.
DAY_MINUTES = 24 * 60


def whole(low: int, high: int | None = None) -> Callable[[str], int]:
    """A whole number from ``low`` up to ``high`` (no limit when None)."""
    def parse(value: str) -> int:
        number = int(value.strip())
        if number < low or (high is not None and number > high):
            raise ValueError(f"{number} is outside {low}..{high if high is not None else ''}")
        return number
    if high is None:
        return with_rule(parse, Rule(N_("a whole number, {low} or more"), {"low": str(low)}))
    return with_rule(parse, Rule(N_("a whole number from {low} to {high}"),
                                 {"low": str(low), "high": str(high)}))


def one_of(*choices: Any) -> Callable[[str], Any]:
    """One of ``choices``, compared with their text."""
    def parse(value: str) -> Any:
        for choice in choices:
            if value.strip() == str(choice):
                return choice
        raise ValueError(f"{value!r} is not one of {choices}")
    return with_rule(parse, Rule(N_("one of: {choices}"),
                                 {"choices": ", ".join(str(c) for c in choices)}))


def flag(value: str) -> bool:
    """``1`` on, ``0`` off."""
    return one_of("1", "0")(value) == "1"


with_rule(flag, Rule(N_("1 (on) or 0 (off)")))


def fraction(low: Fraction, high: Fraction, *, above_low: bool = False
             ) -> Callable[[str], Fraction]:
    """An exact number (``12``, ``12.5``, ``11/12``) in ``[low, high]`` (``(low, high]``)."""
    def parse(value: str) -> Fraction:
        number = Fraction(value.strip().replace(",", "."))
        if number < low or number > high or (above_low and number == low):
            raise ValueError(f"{value!r} is outside {low}..{high}")
        return number
    message = (N_("a number above {low} and at most {high}") if above_low
               else N_("a number from {low} to {high}"))
    return with_rule(parse, Rule(message, {"low": str(low), "high": str(high)}))


def clock_time(value: str) -> time:
    """``HH:MM``."""
    hh, mm = value.strip().split(":")
    return time(int(hh), int(mm))


with_rule(clock_time, Rule(N_("a time of day as HH:MM")))


def printer_address(value: str) -> str:
    """Empty (no receipt printer) or an address the printer adapter can reach, checked by the
    same parser that prints (``tcp://HOST:9100``, ``usb://VID:PID`` ...)."""
    if not value.strip():
        return ""
    from pos_app.adapters.printing.uri import parse_printer_uri

    try:
        parse_printer_uri(value)
    except DomainError as exc:  # the reason travels as the cause (see settings.check_value)
        raise ValueError(exc.message()) from exc
    return value


def qris_text(value: str) -> str:
    """Empty (no QRIS) or the booth's static QRIS payload, checked as the payment makes it
    (:func:`pos_app.domain.qris.check_static`); kept as given, trimmed."""
    if not value.strip():
        return ""
    from pos_app.domain.qris import check_static

    try:
        return check_static(value).payload
    except DomainError as exc:  # the reason travels as the cause (see settings.check_value)
        raise ValueError(exc.message()) from exc


with_rule(qris_text, Rule(N_("the text of the booth's static QRIS")))


with_rule(printer_address, Rule(N_("a printer address such as tcp://HOST:9100, usb://VID:PID "
                                   "or pdf://FOLDER")))


FACILITY_TEXT_MOST = 240  # characters of a facility's text on the customer display


def facility_texts_json(value: str) -> str:
    """A JSON object of facility code -> a short text (the customer display's, between
    customers; ``services.catalog.showcase``); kept as given."""
    import json

    data = json.loads(value)
    if not isinstance(data, dict) or not all(
            isinstance(code, str) and isinstance(said, str) and len(code) <= 32
            and len(said) <= FACILITY_TEXT_MOST for code, said in data.items()):
        raise ValueError("not an object of facility code -> short text")
    return value


with_rule(facility_texts_json, Rule(N_("a JSON object of facility codes and their texts (at "
                                       "most {most} characters each)"),
                                    {"most": str(FACILITY_TEXT_MOST)}))


def store_text(value: Any) -> str:
    """How a typed value is stored: ``1``/``0`` for flags, ``HH:MM`` for times."""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, time):
        return value.strftime("%H:%M")
    return str(value)


@dataclass(frozen=True)
class Spec:
    default: str  # as stored
    parse: Callable[[str], Any]  # stored text -> value; ValueError when it is not valid
    role: str  # the least role that may change it (SYSTEM: only its own service)
    empty_is_default: bool = False  # an empty stored value reads as the default


SPECS: dict[str, Spec] = {
    "ppn_rate": Spec("12", fraction(Fraction(0), Fraction(100)), ADMIN),
    "ppn_dpp": Spec("11/12", fraction(Fraction(0), Fraction(1), above_low=True), ADMIN),
    "business_day_cutoff": Spec("04:00", clock_time, ADMIN),
    "language": Spec("id", one_of(*LANGUAGES), CASHIER),
    "qris_image": Spec("", text, COORDINATOR),
    "qris_payload": Spec("", qris_text, COORDINATOR),  # the static sticker's text
    # above this a sale's QRIS is the static sticker (the buyer types the amount)
    "qris_limit": Spec("10000000", whole(1, 10 ** 13 - 1), COORDINATOR),
    "qris_with_amount": Spec("1", flag, COORDINATOR),  # 0: always the plain static sticker
    "booth_name": Spec("", text, COORDINATOR),  # empty: the event's name (see booth_name())
    "receipt_footer": Spec("", text, COORDINATOR),  # empty: the default thank-you line
    "printer_uri": Spec("", printer_address, COORDINATOR),  # empty: no receipt printer
    "printer_width": Spec("58", one_of(*PRINTER_WIDTHS), COORDINATOR),
    "printer_timeout": Spec("8", whole(1, 120), COORDINATOR),  # seconds
    "drawer_enabled": Spec("0", flag, COORDINATOR),
    "auto_print": Spec("1", flag, COORDINATOR),  # print the receipt after every sale
    "grid_photos": Spec("1", flag, COORDINATOR),  # product photos on the sale grid's tiles
    # JSON {printer uri: true (answers the status query) or false (never does)}, learnt by
    # the test print and the first prints (services.sale.printing)
    "printer_status": Spec("{}", text, SYSTEM),
    "kwitansi_place": Spec("Kupang", text, COORDINATOR, empty_is_default=True),
    "backup_dir": Spec("", text, COORDINATOR),  # empty: the backups folder beside the database
    "backup_keep": Spec("14", whole(1, 1000), COORDINATOR),  # automatic backups kept per device
    "backup_second_dir": Spec("", text, COORDINATOR),  # a second copy (USB); empty: none
    "lockout_attempts": Spec("5", whole(1, 100), ADMIN),  # wrong PINs in a row that lock
    "approval_minutes": Spec("5", whole(1, DAY_MINUTES), ADMIN),  # how long an approval is usable
    "discount_approval_percent": Spec("10", fraction(Fraction(0), Fraction(100)), ADMIN),
    "idle_lock_minutes": Spec("5", whole(0, DAY_MINUTES), ADMIN),  # 0: never lock when idle
    # a barcode scanner types faster than this between keys, and at least this many keys
    "scan_max_gap_ms": Spec("30", whole(5, 500), ADMIN),
    "scan_min_length": Spec("6", whole(2, 64), ADMIN),
    "negative_stock": Spec("warn", one_of("warn", "block"), COORDINATOR),
    "low_stock": Spec("3", whole(0, MAX_STOCK_QTY), COORDINATOR),  # highlighted at or below this many units
    "label_cols": Spec("3", whole(1, MAX_LABEL_GRID), COORDINATOR),  # price tags across
    "label_rows": Spec("8", whole(1, MAX_LABEL_GRID), COORDINATOR),  # and down an A4
    # JSON; its reader keeps only the mappings that make sense (a hand edit may be wrong)
    "statement_mappings": Spec("{}", text, COORDINATOR),
    # the customer display: off, a window (a small USB display), or full screen on a second
    # screen when one is attached (a window until then); which screen, counted from 1 as the
    # settings list them (0: any but the cashier's)
    "customer_display": Spec("off", one_of("off", "window", "screen"), COORDINATOR),
    "customer_display_screen": Spec("0", whole(0, 16), COORDINATOR),
    # what the display says about each facility between customers (the facility table has
    # no such column; services.catalog.showcase reads and writes it)
    "facility_texts": Spec("{}", facility_texts_json, COORDINATOR),
    "sync_last_at": Spec("", text, SYSTEM),  # when the last push ended (UTC, ISO)
    "sync_last_result": Spec("", text, SYSTEM),  # how it ended: counts, or the error
    "sync_warn_hours": Spec("24", whole(1, 24 * 366), ADMIN),  # an unsent sale older than this
    "sync_minutes": Spec("5", whole(0, DAY_MINUTES), ADMIN),  # background push; 0: off
    "sync_batch": Spec(str(BATCH_SIZE), whole(1, 100 * BATCH_SIZE), ADMIN),  # records per central transaction
    # the central database, from the enrollment file (empty host: not enrolled)
    "central_device_code": Spec("", text, SYSTEM),
    "central_host": Spec("", text, SYSTEM),
    "central_port": Spec("5432", whole(1, 65_535), SYSTEM),
    "central_dbname": Spec("", text, SYSTEM),
    "central_user": Spec("", text, SYSTEM),
    "central_sslmode": Spec("verify-full", text, SYSTEM, empty_is_default=True),
    "central_sslrootcert": Spec("", text, SYSTEM),  # file | system | empty (libpq's own)
}

DEFAULTS: dict[str, str] = {key: spec.default for key, spec in SPECS.items()}


@dataclass(frozen=True)
class Settings:
    """Every setting, parsed. ``settings[key]`` is a value as it would be stored (text); for
    the device's own rows that are not settings (``device_id``, the catalog cursor) it is
    the stored text, kept in :attr:`device_rows`."""

    ppn_rate: Fraction = Fraction(12)
    ppn_dpp: Fraction = Fraction(11, 12)
    business_day_cutoff: time = time(4, 0)
    language: str = "id"
    qris_image: str = ""
    qris_payload: str = ""
    qris_limit: int = 10_000_000
    qris_with_amount: bool = True
    booth_name: str = ""
    receipt_footer: str = ""
    printer_uri: str = ""
    printer_width: int = 58
    printer_timeout: int = 8
    drawer_enabled: bool = False
    auto_print: bool = True
    grid_photos: bool = True
    printer_status: str = "{}"
    kwitansi_place: str = "Kupang"
    backup_dir: str = ""
    backup_keep: int = 14
    backup_second_dir: str = ""
    lockout_attempts: int = 5
    approval_minutes: int = 5
    discount_approval_percent: Fraction = Fraction(10)
    idle_lock_minutes: int = 5
    scan_max_gap_ms: int = 30
    scan_min_length: int = 6
    negative_stock: str = "warn"
    low_stock: int = 3
    label_cols: int = 3
    label_rows: int = 8
    statement_mappings: str = "{}"
    customer_display: str = "off"
    customer_display_screen: int = 0
    facility_texts: str = "{}"
    sync_last_at: str = ""
    sync_last_result: str = ""
    sync_warn_hours: int = 24
    sync_minutes: int = 5
    sync_batch: int = BATCH_SIZE
    central_device_code: str = ""
    central_host: str = ""
    central_port: int = 5432
    central_dbname: str = ""
    central_user: str = ""
    central_sslmode: str = "verify-full"
    central_sslrootcert: str = ""
    device_rows: Mapping[str, str] = dataclasses.field(default_factory=dict, repr=False,
                                                       compare=False)

    def __getitem__(self, key: str) -> str:
        if key in SPECS:
            return store_text(getattr(self, key))
        return self.device_rows[key]

    def __contains__(self, key: object) -> bool:
        return key in SPECS or key in self.device_rows

    def replace(self, **changes: Any) -> Settings:
        return dataclasses.replace(self, **changes)


def parse_value(key: str, stored: str) -> Any:
    """``stored`` as ``key``'s type; ``ValueError`` when it is not a valid value (``KeyError``
    for an unknown key)."""
    spec = SPECS[key]
    if spec.empty_is_default and not stored.strip():
        stored = spec.default
    try:
        return spec.parse(stored)
    except (ValueError, ZeroDivisionError) as exc:
        raise ValueError(f"bad value for {key}: {stored!r}") from exc


def parse_settings(stored: Mapping[str, str]) -> Settings:
    """The typed settings from the stored text; a bad stored value reads as the default
    (and is logged). Rows that are not settings (the device id) are kept as text."""
    values: dict[str, Any] = {"device_rows": {k: v for k, v in stored.items() if k not in SPECS}}
    for key in SPECS:
        if key not in stored:
            continue
        try:
            values[key] = parse_value(key, stored[key])
        except ValueError:
            log.warning("setting %s: stored value %r is not valid; using the default %r",
                        key, stored[key], SPECS[key].default)
    return Settings(**values)
