"""Changing the booth's stored settings (language, static QRIS image, ...) from the UI or
scripts: validated by the typed model, allowed by role, journaled."""

from __future__ import annotations

from pathlib import Path

from pos_app.domain.errors import DomainError
from pos_app.i18n import LANGUAGES
from pos_app.services.access import audit, roles
from pos_app.services.setup.booth import Booth, stored_value, write_setting
from pos_app.services.setup.records import Recorder
from pos_app.services.setup.settings_model import SPECS, SYSTEM, parse_value


def set_setting(booth: Booth, key: str, value: str, actor: str = "pos",
                role: str = "admin") -> None:
    """Store one known setting, journaled with who changed it from what, in one transaction;
    drop the booth's cached context. Storing the same value again changes (and logs) nothing.

    ``role`` is the changer's (scripts act for the booth's owner); below the key's role
    raises ``not_allowed``, a value the key does not take ``bad_setting``. An unknown key, a
    key only its own service writes (``central_*``, ``sync_last_*``) or a non-text value is a
    programming error, not a cashier's mistake.
    """
    spec = SPECS[key] if key in SPECS else None
    if spec is None:
        raise KeyError(f"unknown setting {key!r}")
    if spec.role == SYSTEM:
        raise ValueError(f"setting {key!r} is written by its own service")
    if not isinstance(value, str):
        raise TypeError(f"setting {key!r} must be text, got {type(value).__name__}")
    if not roles.holds(role, spec.role):
        raise DomainError("not_allowed", name=actor, role=role, action=key)
    try:
        parse_value(key, value)
    except ValueError:
        raise DomainError("bad_setting", key=key, value=value) from None
    with booth.db.write() as s:
        old = stored_value(s, key)
        old = spec.default if old is None else old
        if old == value:
            return
        write_setting(s, key, value)
        rec = Recorder(s, booth.context.device_id, booth.clock.now())
        audit.append(rec, actor, "setting", "setting", key, {"key": key, "from": old,
                                                               "to": value})
    booth.refresh()


def set_language(booth: Booth, lang: str, actor: str = "pos", role: str = "admin") -> str:
    """Remember the language the app opens in, journaled with who chose it; returns it."""
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}; expected one of {sorted(LANGUAGES)}")
    set_setting(booth, "language", lang, actor=actor, role=role)
    return lang


def set_qris_image(booth: Booth, path: Path | str | None) -> str:
    """Remember the booth's static QRIS sticker image; ``None`` or ``""`` forgets it.

    Stored as an absolute path so the app finds it whatever directory it was started from.
    """
    text = "" if path is None or str(path).strip() == "" else str(Path(path).expanduser().resolve())
    set_setting(booth, "qris_image", text)
    return text
