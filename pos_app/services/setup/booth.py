"""The booth a process works for: its database, clock, device identity and settings.

Services take a ``Booth``; it caches the device context (read once, refreshed on change) so
the sale path does not re-read settings on every checkout.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import time
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from pos_app.domain.calendar import DEFAULT_CUTOFF, DEFAULT_TZ
from pos_app.domain.errors import DomainError
from pos_app.domain.tax import TaxSettings
from pos_app.persistence.database import Database
from pos_app.persistence.migrate import upgrade
from pos_app.persistence.models import Device, Event, Setting
from pos_app.services.setup.clock import Clock, SystemClock

DEFAULTS: dict[str, str] = {
    "ppn_rate": "12",
    "ppn_dpp": "11/12",
    "business_day_cutoff": "04:00",
    "language": "id",
    "qris_image": "",
    "qris_payload": "",
    "booth_name": "",  # printed at the top of receipts; empty = the event's name
    "receipt_footer": "",  # empty = the default thank-you line
    "printer_uri": "",  # empty = no receipt printer
    "printer_width": "58",
    "printer_timeout": "8",
    "drawer_enabled": "0",
    "auto_print": "1",  # print the receipt after every sale when a printer is set
    "kwitansi_place": "Kupang",
    "backup_dir": "",  # empty = no automatic backup after a shift's close
    "backup_keep": "10",  # automatic backups kept per device
    "lockout_attempts": "5",  # consecutive wrong PINs that lock a user until unlocked
    "approval_minutes": "5",  # how long a coordinator's approval stays usable
    "discount_approval_percent": "10",  # a larger discount needs a coordinator's approval
    "idle_lock_minutes": "5",  # the till asks for a PIN again after this long untouched
    "negative_stock": "warn",  # warn | block: a sale that takes stock below zero
    "low_stock": "3",  # the stock screen highlights products at or below this many units
    "label_cols": "3", "label_rows": "8",  # price-tag sheet: labels across and down an A4
    "statement_mappings": "{}",  # JSON: statement source name -> its column mapping
    "sync_last_at": "",  # when the last push to the central database ended (UTC, ISO)
    "sync_last_result": "",  # how it ended: counts, or the error
    "sync_warn_hours": "24",  # the status bar warns when an unsent sale is older
    "sync_minutes": "5",  # the till pushes in the background this often when enrolled
}


@dataclass(frozen=True)
class BoothContext:
    device_id: uuid.UUID
    device_code: str
    device_name: str
    event_id: uuid.UUID | None
    event_name: str
    timezone: str
    tax: TaxSettings
    cutoff: time
    block_negative_stock: bool = False


_SETTINGS = select(Setting.key, Setting.value)


def read_settings(session: Session) -> dict[str, str]:
    stored = dict(session.execute(_SETTINGS).all())
    return {**DEFAULTS, **stored}


def write_setting(session: Session, key: str, value: str) -> None:
    session.merge(Setting(key=key, value=value))


def _parse_cutoff(text: str) -> time:
    try:
        hh, mm = text.split(":")
        return time(int(hh), int(mm))
    except ValueError:
        raise DomainError("bad_tax_setting", key="business_day_cutoff", value=text) from None


class Booth:
    """Database + clock + this device. Open with :meth:`open` to migrate on the way in."""

    def __init__(self, db: Database, clock: Clock | None = None) -> None:
        self.db = db
        self.clock = clock or SystemClock()
        self._context: BoothContext | None = None

    @classmethod
    def open(cls, path: Path | str, clock: Clock | None = None) -> Booth:
        db = Database(path)
        upgrade(db.engine)
        return cls(db, clock)

    @property
    def context(self) -> BoothContext:
        if self._context is None:
            self._context = self._load_context()
        return self._context

    def refresh(self) -> None:
        self._context = None

    def settings(self) -> dict[str, str]:
        with self.db.read() as s:
            return read_settings(s)

    def _load_context(self) -> BoothContext:
        with self.db.read() as s:
            settings = read_settings(s)
            device_id = settings.get("device_id")
            if not device_id:
                raise DomainError("no_device")
            device = s.get(Device, uuid.UUID(device_id))
            if device is None:
                raise DomainError("no_device")
            event = s.get(Event, device.event_id) if device.event_id else None
        return BoothContext(
            device_id=device.id,
            device_code=device.code,
            device_name=device.name,
            event_id=event.id if event else None,
            event_name=event.name if event else "",
            timezone=event.timezone if event else DEFAULT_TZ,
            tax=TaxSettings.parse(settings["ppn_rate"], settings["ppn_dpp"]),
            cutoff=_parse_cutoff(settings["business_day_cutoff"]) or DEFAULT_CUTOFF,
            block_negative_stock=settings["negative_stock"] == "block",
        )

    def close(self) -> None:
        self.db.dispose()
