"""Changing the booth's stored settings (language, static QRIS image) from the UI or scripts."""

from __future__ import annotations

from pathlib import Path

from pos_app.i18n import LANGUAGES
from pos_app.services.access import audit
from pos_app.services.setup.booth import DEFAULTS, Booth, read_settings, write_setting
from pos_app.services.setup.records import Recorder


def set_setting(booth: Booth, key: str, value: str, actor: str = "pos") -> None:
    """Store one known setting, journaled with who changed it from what, in one transaction;
    drop the booth's cached context. Storing the same value again changes (and logs) nothing.

    An unknown key or a non-text value is a programming error, not a cashier's mistake.
    """
    if key not in DEFAULTS:
        raise KeyError(f"unknown setting {key!r}")
    if not isinstance(value, str):
        raise TypeError(f"setting {key!r} must be text, got {type(value).__name__}")
    with booth.db.write() as s:
        old = read_settings(s)[key]
        if old == value:
            return
        write_setting(s, key, value)
        rec = Recorder(s, booth.context.device_id, booth.clock.now())
        audit.append(rec, actor, "setting", "setting", key, {"key": key, "from": old,
                                                               "to": value})
    booth.refresh()


def set_language(booth: Booth, lang: str) -> str:
    """Remember the language the app opens in; returns it."""
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}; expected one of {sorted(LANGUAGES)}")
    set_setting(booth, "language", lang)
    return lang


def set_qris_image(booth: Booth, path: Path | str | None) -> str:
    """Remember the booth's static QRIS sticker image; ``None`` or ``""`` forgets it.

    Stored as an absolute path so the app finds it whatever directory it was started from.
    """
    text = "" if path is None or str(path).strip() == "" else str(Path(path).expanduser().resolve())
    set_setting(booth, "qris_image", text)
    return text
