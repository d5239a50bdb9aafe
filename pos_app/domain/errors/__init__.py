"""Domain errors carry a stable code and parameters; the UI and CLI translate them.

Messages are marked with ``N_`` so Babel extracts them; ``message()`` translates at the edge.
"""

from __future__ import annotations

import errno
import unicodedata
from collections.abc import Callable
from pathlib import Path

from pos_app.domain.errors.texts import MESSAGES, N_, OS_REASONS, ROW_MESSAGES

__all__ = ["BIDI", "DomainError", "ImportRejected", "MESSAGES", "Message", "N_", "OS_REASONS",
           "ROW_MESSAGES", "RowError", "SHOWN_MAX", "cannot_read", "cannot_write", "is_folder",
           "os_failure", "os_reason", "shown"]

# Bidirectional overrides and isolates could make the text read other than typed.
BIDI = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
# A value quoted in a message (what someone typed, a cell of a file) is shown at most this
# long: a 5,000-digit amount or a 100 kB name is named by its ends, not printed whole.
SHOWN_MAX = 120


def shown(value: object) -> object:
    """``value`` as a message quotes it: text longer than :data:`SHOWN_MAX` keeps its start
    and end around "…", and a control or bidirectional character is written as its escape
    (``\\x00``, ``\\u202e``), so a quoted value can neither flood the line, end it, nor
    turn it around. Anything else (a number, a translated :class:`Message`) is left as it
    is."""
    if not isinstance(value, str) or isinstance(value, Message):
        return value
    if len(value) > SHOWN_MAX:
        half = (SHOWN_MAX - 1) // 2
        value = f"{value[:half]}…{value[-half:]}"
    return "".join(ascii(ch)[1:-1] if ch in BIDI or unicodedata.category(ch) in ("Cc", "Cs")
                   else ch for ch in value)


class Message(str):
    """A message id passed as a parameter of another message: ``reason=Message(N_("..."))``."""


class DomainError(Exception):
    """A rule was broken. ``code`` is stable; ``params`` fill the message template."""

    def __init__(self, code: str, /, **params: object) -> None:
        if code not in MESSAGES:
            raise KeyError(f"unregistered error code {code!r}")
        self.code = code
        self.params = params
        super().__init__(self.message())

    def message(self, translate: Callable[[str], str] = lambda s: s) -> str:
        """The message in the language ``translate`` gives (English by default)."""
        # A parameter that is itself a message (``Message``) is translated too, and filled
        # from the same parameters; other text (a product name, a path) is shown as it is.
        # A message filled into another (``why=os_reason(exc)`` in ``reason``) is translated
        # as it stands.
        plain = {k: translate(v) if isinstance(v, Message) else shown(v)
                 for k, v in self.params.items()}
        params = {k: translate(v).format(**plain) if isinstance(v, Message) else shown(v)
                  for k, v in self.params.items()}
        return translate(MESSAGES[self.code]).format(**params)


class RowError(Exception):
    """One problem in one row and column of an imported file."""

    def __init__(
        self, row: int, column: str, code: str, sheet: str | None = None, **params: object
    ) -> None:
        if code not in ROW_MESSAGES:
            raise KeyError(f"unregistered row error code {code!r}")
        self.row, self.column, self.code, self.sheet, self.params = row, column, code, sheet, params
        super().__init__(self.message())

    def message(self, translate: Callable[[str], str] = lambda s: s) -> str:
        detail = translate(ROW_MESSAGES[self.code]).format(
            **{k: shown(v) for k, v in self.params.items()})
        where = translate(N_("row {row}, column {column}")).format(row=self.row, column=self.column)
        if self.sheet:
            where = translate(N_("sheet {sheet}, {where}")).format(sheet=self.sheet, where=where)
        return f"{where}: {detail}"


class ImportRejected(DomainError):
    """An import had errors; nothing was written. ``errors`` lists every row problem."""

    def __init__(self, path: str, errors: list[RowError], count: int | None = None) -> None:
        self.errors = errors  # the first ones when ``count`` says there are more
        super().__init__("import_failed", count=len(errors) if count is None else count,
                         path=path)


def os_reason(exc: OSError) -> str:
    """Why ``exc`` happened, as a :class:`Message` the edge translates for the common
    errors, else the system's text."""
    words = OS_REASONS.get(exc.errno) if exc.errno is not None else None
    return Message(words) if words else (exc.strerror or str(exc))


def cannot_write(path: Path | str, exc: OSError) -> DomainError:
    """``cannot_write`` naming ``path`` and why (translated)."""
    return DomainError("cannot_write", path=str(path), reason=os_reason(exc))


def cannot_read(path: Path | str, exc: OSError) -> DomainError:
    """``import_unreadable`` ("Cannot read {path}: {reason}") naming ``path`` and why."""
    return DomainError("import_unreadable", path=str(path), reason=os_reason(exc))


def os_failure(code: str, path: Path | str, exc: OSError) -> DomainError:
    """``code`` (a message with a ``{reason}``) saying "cannot write PATH: why", for the file
    the system names in ``exc`` (else ``path``)."""
    return DomainError(code, reason=Message(N_("cannot write {path}: {why}")),
                       path=str(exc.filename or path), why=os_reason(exc))


def is_folder(path: Path | str) -> DomainError:
    """``cannot_write`` for a path that is a folder where a file should be written."""
    return DomainError("cannot_write", path=str(path), reason=Message(OS_REASONS[errno.EISDIR]))
