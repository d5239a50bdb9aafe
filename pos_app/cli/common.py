"""What every command shares: the parser class that reports a bad command line in one line,
the database path, the back office's actor, JSON or human output and aligned tables."""

from __future__ import annotations

import argparse
import getpass
import json
import re
import sys
from collections.abc import Sequence
from pathlib import Path

from pos_app.domain.errors import SHOWN_MAX, DomainError, os_reason, shown
from pos_app.i18n import _

EXIT_ERROR = 1
EXIT_USAGE = 2
BACK_OFFICE_ROLE = "coordinator"  # the command line is the back office
NAME_WIDTH = 40


class UsageError(Exception):
    pass


class Parser(argparse.ArgumentParser):
    """argparse that reports a bad command line as one line instead of usage + error, in the
    user's language."""

    def error(self, message: str):  # type: ignore[override]
        from pos_app.cli.usage_words import translate

        # argparse quotes a refused value whole: a 5,000-digit --batch is named by its ends.
        quoted = re.sub(rf"'([^']{{{SHOWN_MAX + 1},}})'", lambda m: f"'{shown(m[1])}'",
                        message)
        raise UsageError(translate(quoted))


def db_path(args) -> Path:
    if args.db:
        return Path(args.db)
    from pos_app.paths import default_db_path

    return default_db_path()


def open_booth(args):
    from pos_app.services.setup.booth import Booth

    path = db_path(args)
    if not path.exists():
        raise DomainError("no_device")
    if path.is_file() and path.stat().st_size == 0:  # never turned into a database here
        raise DomainError("database_empty", path=str(path))
    return Booth.open(path)


def back_office_actor(args) -> str:
    """Who a back-office command acts as: ``--cashier NAME``, else the operating-system user."""
    return (getattr(args, "cashier", None) or "").strip() or f"os:{getpass.getuser()}"


def read_pin(prompt: str, path: str | None = None) -> str:
    """One line holding a PIN: from ``path``, else stdin (never from the command line, where
    other users could see it). A terminal gets a prompt without echo."""
    if path:
        try:
            with open(path, encoding="utf-8") as fh:
                line = fh.readline()
        except OSError as exc:
            raise UsageError(_("cannot read {path}: {reason}").format(
                path=path, reason=_(os_reason(exc)))) from None
    elif sys.stdin is not None and sys.stdin.isatty():
        line = getpass.getpass(prompt)
    else:
        line = sys.stdin.readline() if sys.stdin is not None else ""
    return line.rstrip("\r\n")


def emit(args, data: dict, human: str) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2) if args.json else human)


def signed(n: int) -> str:
    return f"{n:+d}" if n else "0"


def reason_word(reason: str | None) -> str:
    """A stock reason code (``damaged``…) as the translated word people read ("" for none)."""
    from pos_app.domain.stock import REASON_LABELS

    if not reason:
        return ""
    return _(REASON_LABELS[reason]) if reason in REASON_LABELS else reason


def short(text: str, width: int = NAME_WIDTH) -> str:
    return text if len(text) <= width else text[:width - 1] + "…"


def table(header: Sequence[str], rows: Sequence[Sequence[str]], right: set[int]) -> list[str]:
    """Aligned columns; the columns in ``right`` (numbers) are right-aligned."""
    widths = [max(len(str(r[i])) for r in (header, *rows)) for i in range(len(header))]

    def line(cells: Sequence[str]) -> str:
        return "  ".join(str(c).rjust(w) if i in right else str(c).ljust(w)
                         for i, (c, w) in enumerate(zip(cells, widths, strict=True))).rstrip()

    return [line(header), *(line(r) for r in rows)]
