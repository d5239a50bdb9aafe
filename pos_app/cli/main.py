"""The command line: a stable contract for scripts and head office.

Every command takes ``--db PATH``; failures exit non-zero with one translated line on stderr
and change nothing. ``pos-app`` with no command opens the desktop app.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable, Sequence

from pos_app.cli.access import add_audit_commands, add_user_commands
from pos_app.cli.bundle import add_bundle_commands
from pos_app.cli.central import add_central_commands
from pos_app.cli.common import EXIT_ERROR, EXIT_USAGE, Parser, UsageError, db_path
from pos_app.cli.export import add_export_commands
from pos_app.cli.qris import add_qris_commands
from pos_app.cli.report import add_report_commands
from pos_app.cli.sale import add_sale_commands
from pos_app.cli.settings import add_settings_commands
from pos_app.cli.setup import add_backup_commands, add_setup_commands
from pos_app.cli.shift import add_shift_commands
from pos_app.cli.stock import add_stock_commands
from pos_app.cli.sync import add_sync_commands
from pos_app.domain.errors import DomainError, ImportRejected, os_reason, shown
from pos_app.i18n import DEFAULT_LANGUAGE, LANGUAGES, _, set_language


def build_parser() -> Parser:
    common = Parser(add_help=False)
    common.add_argument("--db", metavar="PATH", default=argparse.SUPPRESS,
                        help=_("database file (default: the per-user data directory)"))
    common.add_argument("--json", action="store_true", default=argparse.SUPPRESS,
                        help=_("print machine-readable output"))
    common.add_argument("--lang", choices=sorted(LANGUAGES), default=argparse.SUPPRESS,
                        help=_("language of messages"))

    parser = Parser(prog="pos-app", parents=[common],
                     description=_("Lapak POS: an offline point of sale for booths"))
    parser.add_argument("--smoke", action="store_true",
                        help=_("start the app, open the sale screen, quit (for CI)"))
    sub = parser.add_subparsers(dest="command", parser_class=Parser)

    add_setup_commands(sub, common)
    add_sale_commands(sub, common)
    add_audit_commands(sub, common)
    add_backup_commands(sub, common)
    add_shift_commands(sub, common)
    add_user_commands(sub, common)
    add_settings_commands(sub, common)
    add_stock_commands(sub, common)
    add_report_commands(sub, common)
    add_export_commands(sub, common)
    add_central_commands(sub, common)
    add_bundle_commands(sub, common)
    add_sync_commands(sub, common)
    add_qris_commands(sub, common)
    return parser


def _fail(message: str, code: int) -> int:
    print(f"pos-app: {message}", file=sys.stderr)
    return code


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    from pos_app.logs import log_to_file

    log_to_file()
    set_language(_peek_lang(argv))
    parser = build_parser()
    if any("\x00" in arg for arg in argv):  # no real command line holds one; no path can
        return _fail(_("a command-line argument may not hold a NUL character"), EXIT_USAGE)
    # Bytes that are not UTF-8 arrive as lone surrogates, which no database or file can hold.
    if bad := next((arg for arg in argv if any("\ud800" <= c <= "\udfff" for c in arg)), None):
        return _fail(_("a command-line argument is not UTF-8 text: {arg}").format(
            arg=shown(bad)), EXIT_USAGE)
    try:
        args = parser.parse_args(argv)
    except UsageError as exc:
        return _fail(str(exc), EXIT_USAGE)
    for name, default in (("db", None), ("json", False), ("lang", DEFAULT_LANGUAGE)):
        if not hasattr(args, name):
            setattr(args, name, default)
    func: Callable[[argparse.Namespace], int] | None = getattr(args, "func", None)
    try:
        if func is None:
            # The data layer first: PySide6 installs an import hook that slows every module
            # imported after it (SQLAlchemy is hundreds of them).
            import pos_app.services.setup.booth  # noqa: F401
            from pos_app.ui.app import run_app

            return run_app(db_path(args), smoke=args.smoke, language=_explicit_lang(argv))
        return func(args)
    except UsageError as exc:
        return _fail(str(exc), EXIT_USAGE)
    except ImportRejected as exc:
        print(f"pos-app: {exc.message(_)}", file=sys.stderr)
        for err in exc.errors:
            print(f"  {err.message(_)}", file=sys.stderr)
        if exc.params["count"] > len(exc.errors):  # only the first ones are listed
            print("  " + _("... and {count} more error(s)").format(
                count=exc.params["count"] - len(exc.errors)), file=sys.stderr)
        return EXIT_ERROR
    except DomainError as exc:
        return _fail(exc.message(_), EXIT_ERROR)
    except KeyboardInterrupt:
        return _fail(_("interrupted"), 130)
    except OSError as exc:  # a file the command names or needs: say which, and why
        logging.getLogger("pos_app").exception("file error")
        if not exc.filename:
            return _fail(_("unexpected error ({kind}); nothing was changed").format(
                kind=type(exc).__name__), EXIT_ERROR)
        return _fail(DomainError("file_failed", path=str(exc.filename),
                                 reason=os_reason(exc)).message(_), EXIT_ERROR)
    except Exception as exc:  # a bug, not bad input: one line for the user, details in the log
        logging.getLogger("pos_app").exception("unexpected error")
        return _fail(_("unexpected error ({kind}); nothing was changed").format(
            kind=type(exc).__name__), EXIT_ERROR)


def _explicit_lang(argv: list[str]) -> str | None:
    """The language asked for with ``--lang``, or None to use the one stored in the app."""
    return _peek_lang(argv) if any(a.split("=")[0] == "--lang" for a in argv) else None


def _peek_lang(argv: list[str]) -> str:
    for i, arg in enumerate(argv):
        if arg.startswith("--lang="):
            return arg.split("=", 1)[1]
        if arg == "--lang" and i + 1 < len(argv):
            return argv[i + 1]
    return DEFAULT_LANGUAGE
