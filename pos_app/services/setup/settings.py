"""Changing the booth's stored settings (language, static QRIS image, ...) from the UI or
scripts: validated by the typed model, allowed by role, journaled.

The screens and the command line ask the same questions here: which keys a role may change
(:func:`may_change`), what a key holds (:func:`setting_rows`), and :func:`set_setting`, which
checks the role and the value before anything is written.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pos_app.domain.errors import DomainError, Message
from pos_app.i18n import LANGUAGES
from pos_app.services.access import audit, roles
from pos_app.services.setup.booth import Booth, stored_value, write_setting
from pos_app.services.setup.records import Recorder
from pos_app.services.setup.settings_model import SPECS, SYSTEM, Spec, parse_value, rule_of


@dataclass(frozen=True)
class SettingRow:
    """One setting as the command line lists it: its stored text and who may change it."""

    key: str
    value: str  # as stored (the default when never set)
    default: str
    role: str  # the least role that may change it (SYSTEM: only the app itself)


def may_change(role: str, key: str) -> bool:
    """May someone of ``role`` change ``key``? Never a key only its own service writes."""
    spec = SPECS[key]
    return spec.role != SYSTEM and roles.holds(role, spec.role)


def editable_spec(key: str) -> Spec:
    """``key``'s spec when it is a setting anyone may change by hand: ``unknown_setting``
    for a name the model does not have, ``setting_read_only`` for one the app writes."""
    spec = SPECS.get(key)
    if spec is None:
        raise DomainError("unknown_setting", key=key)
    if spec.role == SYSTEM:
        raise DomainError("setting_read_only", key=key)
    return spec


def setting_rows(booth: Booth) -> list[SettingRow]:
    """Every key of the model, in its order, with the value stored now."""
    settings = booth.settings()
    return [SettingRow(key, settings[key], spec.default, spec.role)
            for key, spec in SPECS.items()]


def known_setting(booth: Booth, key: str) -> SettingRow:
    """One key's row; ``unknown_setting`` for a name the model does not have."""
    if key not in SPECS:
        raise DomainError("unknown_setting", key=key)
    spec = SPECS[key]
    return SettingRow(key, booth.settings()[key], spec.default, spec.role)


def change_setting(booth: Booth, key: str, value: str, *, actor: str,
                   role: str) -> tuple[str, str]:
    """A change typed by a person (the command line): an unknown or app-written key is a
    ``DomainError`` like a bad value; then :func:`set_setting`. Returns (old, new) stored
    text."""
    editable_spec(key)
    old = booth.settings()[key]
    set_setting(booth, key, value, actor=actor, role=role)
    return old, booth.settings()[key]


def check_value(key: str, value: str) -> None:
    """``bad_setting`` (naming the key, the value and what the key takes) unless ``value``
    is one ``key`` takes."""
    try:
        parse_value(key, value)
    except ValueError as exc:
        cause = exc.__cause__.__cause__ if exc.__cause__ else None
        if isinstance(cause, DomainError):  # the parser knows exactly what is wrong
            raise cause from None
        rule = rule_of(SPECS[key].parse)
        if rule is None:  # text keys take any text; nothing else fails
            raise
        raise DomainError("bad_setting", key=key, value=value,
                          reason=Message(rule.message), **rule.fields) from None


def set_setting(booth: Booth, key: str, value: str, actor: str = "pos",
                role: str = "admin") -> None:
    """Store one known setting, journaled with who changed it from what, in one transaction;
    drop the booth's cached context. Storing the same value again changes (and logs) nothing.

    ``role`` is the changer's (scripts act for the booth's owner); below the key's role
    raises ``setting_not_allowed``, a value the key does not take ``bad_setting``. An unknown
    key, a key only its own service writes (``central_*``, ``sync_last_*``) or a non-text
    value is a programming error, not a cashier's mistake (the command line asks
    :func:`editable_spec` first).
    """
    spec = SPECS[key] if key in SPECS else None
    if spec is None:
        raise KeyError(f"unknown setting {key!r}")
    if spec.role == SYSTEM:
        raise ValueError(f"setting {key!r} is written by its own service")
    if not isinstance(value, str):
        raise TypeError(f"setting {key!r} must be text, got {type(value).__name__}")
    if not roles.holds(role, spec.role):
        raise DomainError("setting_not_allowed", name=actor, role=role, key=key)
    check_value(key, value)
    with booth.db.write() as s:
        old = stored_value(s, key)
        old = spec.default if old is None else old
        if old == value:
            return
        write_setting(s, key, value)
        rec = Recorder(s, booth.context.device_id, booth.clock.now())
        audit.append(rec, actor, "setting", "setting", key, {"key": key, "from": old,
                                                               "to": value, "role": role})
    booth.refresh()


def set_language(booth: Booth, lang: str, actor: str = "pos", role: str = "admin") -> str:
    """Remember the language the app opens in, journaled with who chose it; returns it."""
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}; expected one of {sorted(LANGUAGES)}")
    set_setting(booth, "language", lang, actor=actor, role=role)
    return lang


def set_qris_image(booth: Booth, path: Path | str | None, actor: str = "pos",
                   role: str = "admin") -> str:
    """Remember the booth's static QRIS sticker image; ``None`` or ``""`` forgets it.

    Stored as an absolute path so the app finds it whatever directory it was started from;
    ``role`` below a coordinator is refused like any other setting.
    """
    text = "" if path is None or str(path).strip() == "" else str(Path(path).expanduser().resolve())
    set_setting(booth, "qris_image", text, actor=actor, role=role)
    return text
