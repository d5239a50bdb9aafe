"""The open cart's draft: the cart of this moment, kept in a small JSON file beside the database
so that a crash or a power cut does not lose it. It is working state, never a sale.

Every write is atomic (a temporary file, fsync, rename), so the file on disk is always either
the previous cart or the new one. A file that cannot be read is ignored (and logged).
"""

from __future__ import annotations

import json
import logging
import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from pos_app.domain.cart import Cart
from pos_app.domain.errors import DomainError
from pos_app.services.sale.history import SaleSummary, find_sales
from pos_app.services.sale.parking import cart_from_payload, cart_payload
from pos_app.services.setup.booth import Booth

log = logging.getLogger("pos_app")

VERSION = 1


@dataclass(frozen=True)
class RestoredDraft:
    """What comes back at login: the cart, the lines whose products are gone, and the last
    recorded sale (so the cashier knows whether the sale of that moment went through)."""

    cart: Cart
    missing: list[str]
    saved_at: datetime | None
    last_sale: SaleSummary | None


def draft_path(booth: Booth) -> Path:
    """``<database>.draft.json``, beside the database."""
    db_path = booth.db.path
    return db_path.with_name(db_path.name + ".draft.json")


def write_file(path: Path, data: dict) -> None:
    """Write ``data`` as JSON atomically: temp file in the same folder, fsync, rename."""
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(data, f, ensure_ascii=False)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)
    try:  # the rename itself reaches the disk with the folder's entry
        fd = os.open(path.parent, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def save_draft(booth: Booth, cart: Cart) -> None:
    """Keep ``cart`` as the draft; an empty cart removes the draft."""
    path = draft_path(booth)
    if not cart.lines:
        clear_draft(booth)
        return
    data = {"version": VERSION, "saved_at": booth.clock.now().isoformat(),
            **cart_payload(cart)}
    write_file(path, data)


def clear_draft(booth: Booth) -> None:
    """The cart was sold, parked or discarded: nothing to bring back."""
    path = draft_path(booth)
    path.unlink(missing_ok=True)
    path.with_name(path.name + ".tmp").unlink(missing_ok=True)


def read_draft(booth: Booth) -> dict | None:
    """The stored draft's data, or None when there is none or it cannot be read."""
    path = draft_path(booth)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except OSError as exc:
        log.warning("cart draft %s cannot be read (%s); ignored", path.name, exc)
        return None
    try:
        data = json.loads(text)
        if not isinstance(data, dict) or not isinstance(data.get("lines"), list):
            raise ValueError("not a cart draft")
        for line in data["lines"]:
            if not isinstance(line, dict) or not isinstance(line.get("qty"), int):
                raise ValueError("a line without a quantity")
    except ValueError as exc:  # json.JSONDecodeError is a ValueError
        log.warning("cart draft %s is damaged (%s); ignored", path.name, exc)
        return None
    return data


def restore_draft(booth: Booth) -> RestoredDraft | None:
    """The draft left by the last run (None if there is none), with today's product data.

    A damaged draft is ignored (logged) and removed, so it is not offered again.
    """
    data = read_draft(booth)
    if data is None:
        if draft_path(booth).exists():
            clear_draft(booth)
        return None
    try:
        cart, missing = cart_from_payload(booth, data)
    except (KeyError, TypeError, ValueError, DomainError) as exc:
        log.warning("cart draft cannot be rebuilt (%s); ignored", exc)
        clear_draft(booth)
        return None
    if not cart.lines and not missing:
        clear_draft(booth)
        return None
    try:
        saved_at = datetime.fromisoformat(data["saved_at"]) if data.get("saved_at") else None
    except (TypeError, ValueError):
        saved_at = None
    sales = find_sales(booth, "", limit=1)
    return RestoredDraft(cart, missing, saved_at, sales[0] if sales else None)
