"""What every command shares: one-line usage errors, the database path, JSON or human
output."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from pos_app.domain.errors import DomainError

EXIT_ERROR = 1
EXIT_USAGE = 2


class UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    """argparse that reports a bad command line as one line instead of usage + error."""

    def error(self, message: str):  # type: ignore[override]
        raise UsageError(message)


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
    return Booth.open(path)


def emit(args, data: dict, human: str) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2) if args.json else human)
