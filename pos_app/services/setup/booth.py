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

from pos_app.domain.calendar import DEFAULT_TZ
from pos_app.domain.errors import DomainError
from pos_app.domain.tax import TaxSettings
from pos_app.persistence.database import Database
from pos_app.persistence.migrate import upgrade
from pos_app.persistence.models import Device, Event, Setting
from pos_app.services.setup.clock import Clock, SystemClock
from pos_app.services.setup.settings_model import DEFAULTS as DEFAULTS
from pos_app.services.setup.settings_model import Settings, parse_settings


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
    demo: bool = False  # seeded with the demo users (setting ``demo``): DEMO on screen and paper


_SETTINGS = select(Setting.key, Setting.value)


def stored_settings(session: Session) -> dict[str, str]:
    """Every row of the setting table as stored (text), the device's own keys included."""
    return dict(session.execute(_SETTINGS).all())


def stored_value(session: Session, key: str) -> str | None:
    """One stored row's text (a key the model does not type, such as ``device_id``)."""
    return session.execute(select(Setting.value).where(Setting.key == key)).scalar_one_or_none()


def read_settings(session: Session) -> Settings:
    """The typed settings (``settings_model``), parsed once from what is stored."""
    return parse_settings(stored_settings(session))


def write_setting(session: Session, key: str, value: str) -> None:
    """Store ``value`` as it is; for a service's own keys (a screen's change goes through
    ``settings.set_setting``, which validates, checks the role and journals it)."""
    session.merge(Setting(key=key, value=value))


DEMO_KEY = "demo"  # written by the demo seeding (services.setup.setup.seed_demo)
FALLBACK_NAME = "Lapak"  # neither a booth name nor an event name


def booth_name(stored: str, event_name: str) -> str:
    """The name at the top of receipts and documents: the ``booth_name`` setting, else the
    event's name, else "Lapak"."""
    return stored.strip() or event_name or FALLBACK_NAME


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

    def settings(self) -> Settings:
        with self.db.read() as s:
            return read_settings(s)

    def name(self) -> str:
        """:func:`booth_name` of this booth (reads the settings)."""
        return booth_name(self.settings().booth_name, self.context.event_name)

    def stored(self, key: str) -> str | None:
        """One stored row's text, for the device's own keys (``device_id``, a cursor)."""
        with self.db.read() as s:
            return stored_value(s, key)

    def _load_context(self) -> BoothContext:
        with self.db.read() as s:
            stored = stored_settings(s)
            settings = parse_settings(stored)
            device_id = stored.get("device_id")
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
            tax=TaxSettings(settings.ppn_rate, settings.ppn_dpp),
            cutoff=settings.business_day_cutoff,
            block_negative_stock=settings.negative_stock == "block",
            demo=stored.get(DEMO_KEY) == "1",
        )

    def tidy_wal(self) -> bool:
        """Checkpoint the write-ahead log once it has grown (for a background thread: the
        sale path never waits for it). Returns whether a checkpoint ran."""
        return self.db.checkpoint()

    def close(self) -> None:
        self.db.dispose()
