"""Creating or upgrading a booth database: this device, its event, the first admin (when a
name and PIN are given), and on request the NTT demo catalog (loaded through the same
importer as any catalog file) with two demo users.

A booth is either real or a demo. Only a demo has users with published PINs; the demo
seeding records it in the setting ``demo`` (:data:`DEMO_KEY`), and the header and every
receipt of such a database say DEMO (``BoothContext.demo``). A real booth starts with no
user at all until its administrator is made (the app's first run, ``pos-app init --admin``
or ``pos-app user add --role admin``), with a PIN that passes ``pin_rules``."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import func, select

from pos_app.domain.calendar import DEFAULT_TZ
from pos_app.domain.errors import DomainError
from pos_app.domain.numbering import check_device_code
from pos_app.domain.text import EVENT_NAME, check_text
from pos_app.paths import resources_dir
from pos_app.persistence.models import Device, Event, Product, User
from pos_app.services.access import auth
from pos_app.services.access.pin_rules import check_new_pin
from pos_app.services.catalog.catalog_import import ImportSummary, import_catalog
from pos_app.services.setup.booth import DEMO_KEY, Booth, stored_value, write_setting
from pos_app.services.setup.clock import Clock
from pos_app.services.setup.records import Recorder

DEMO_FILES = ("facilities.csv", "categories.csv", "products.csv")
# The demo's users and their PINs -- for demonstrations and tests only, never a real booth.
DEMO_USERS = (("Kasir", "cashier", "1234"), ("Maria", "coordinator", "2468"))
SETUP_ACTOR = "setup"


@dataclass(frozen=True)
class InitResult:
    path: Path
    created_device: bool
    device_code: str
    demo_loaded: bool
    products: int
    admin: str | None = None  # the admin created by this call, if any


def init_booth(
    path: Path | str,
    *,
    demo: bool = False,
    device_code: str | None = None,
    event_name: str | None = None,
    admin_name: str | None = None,
    admin_pin: str | None = None,
    clock: Clock | None = None,
) -> tuple[Booth, InitResult]:
    """Migrate ``path`` (creating it), make this device on first run, load the demo on ask.

    ``admin_name`` + ``admin_pin`` create an admin user (the GUI's first-run dialog and
    ``pos-app init --admin NAME``); without them no user is made, and
    ``auth.needs_admin(booth)`` stays true. With ``demo``, when the demo catalog is loaded
    (an empty catalog), two demo users are made too: cashier **Kasir**, PIN **1234**, and
    coordinator **Maria**, PIN **2468** (so approvals can be shown), and the database is
    marked a demo (:func:`seed_demo`). Without ``demo`` no user has a known PIN. ``clock``
    dates what setup journals (the system clock without it).
    """
    if (admin_name is None) != (admin_pin is None):
        raise ValueError("admin_name and admin_pin go together")
    if event_name is not None:
        check_text(event_name, EVENT_NAME, Event.__table__.c.name.type.length)
    if admin_pin is not None:  # refuse a bad name or PIN before anything is written
        check_new_pin(admin_pin)
        admin_name = auth.clean_name(admin_name)
    booth = Booth.open(path, clock=clock)
    created = False
    with booth.db.write() as s:
        if not stored_value(s, "device_id"):
            created = True
            now = booth.clock.now()
            device_id, event_id = uuid.uuid4(), uuid.uuid4()
            code = check_device_code(device_code or ("KPG-01" if demo else "POS-01"))
            rec = Recorder(s, device_id, now)
            rec.insert(Event, [{
                "id": event_id,
                "name": event_name or ("Festival UMKM Kupang 2026" if demo else "Lapak"),
                "place": "Kupang" if demo else "", "timezone": DEFAULT_TZ,
                "starts_on": date(2026, 11, 20) if demo else None,
                "ends_on": date(2026, 11, 29) if demo else None,
            }])
            rec.insert(Device, [{"id": device_id, "code": code, "name": f"Kasir {code}",
                                 "event_id": event_id}])
            write_setting(s, "device_id", device_id.hex)
    booth.refresh()
    try:
        if admin_name is not None:
            auth.create_user(booth, admin_name, "admin", admin_pin, actor=SETUP_ACTOR)
        demo_loaded = seed_demo(booth) if demo else False
    except BaseException:
        booth.close()
        raise
    with booth.db.read() as s:
        count = s.execute(select(func.count()).select_from(Product)).scalar_one()
    return booth, InitResult(Path(path), created, booth.context.device_code, demo_loaded, count,
                             admin_name)


def seed_demo(booth: Booth) -> bool:
    """Into an empty catalog: the demo users, the demo catalog, and the ``demo`` mark.
    Returns False (and does nothing) when the booth already has products."""
    with booth.db.read() as s:
        empty = s.execute(select(func.count()).select_from(Product)).scalar_one() == 0
        existing = set(s.scalars(select(User.name)))
    if not empty:
        return False
    with booth.db.write() as s:
        write_setting(s, DEMO_KEY, "1")  # first: a half-seeded database still says DEMO
    booth.refresh()
    for name, role, pin in DEMO_USERS:
        if name not in existing:
            auth.create_user(booth, name, role, pin, actor=SETUP_ACTOR)
    load_demo(booth)
    return True


def create_first_admin(booth: Booth, admin_name: str, admin_pin: str,
                       catalog: Path | None = None, *, demo: bool = False) -> auth.UserInfo:
    """The first run: the administrator, only on a database with no user at all
    (``first_admin_refused`` otherwise: whoever starts the app on a database with users
    never gets to make one without a credential); then ``catalog`` imported (all rows or
    none) if given, or the demo (:func:`seed_demo`) when ``demo``. A bad name or PIN, or
    a database with users, is refused before anything is written."""
    admin_name = auth.clean_name(admin_name)
    check_new_pin(admin_pin)
    if not auth.has_no_users(booth):
        raise DomainError("first_admin_refused")
    if catalog is not None:
        import_catalog(booth, Path(catalog))
    user = auth.create_user(booth, admin_name, "admin", admin_pin, actor=SETUP_ACTOR,
                            only_first_admin=True)
    if demo:
        seed_demo(booth)
    return user


def is_fresh(booth: Booth) -> bool:
    """No product and no user yet: the first run asks whether this is a real booth or a demo."""
    with booth.db.read() as s:
        products = s.execute(select(func.count()).select_from(Product)).scalar_one()
        people = s.execute(select(func.count()).select_from(User)).scalar_one()
    return products == 0 and people == 0


def is_demo(booth: Booth) -> bool:
    """Was this database seeded with the demo users (and their published PINs)?"""
    return booth.stored(DEMO_KEY) == "1"


def load_demo(booth: Booth) -> ImportSummary:
    """The shipped NTT catalog with opening stock; one import per file, in order."""
    total = ImportSummary()
    for name in DEMO_FILES:
        part = import_catalog(booth, resources_dir() / "demo" / name)
        for field in ("facilities_added", "categories_added", "products_added", "stock_units"):
            setattr(total, field, getattr(total, field) + getattr(part, field))
    return total
