"""``pos-app user add|list|unlock`` and ``audit verify``: the booth's users and their PINs,
and the tamper-evident journal."""

from __future__ import annotations

import getpass
import re

from pos_app.cli.common import Parser, UsageError, emit, open_booth, read_pin
from pos_app.domain.errors import DomainError
from pos_app.i18n import _


def cmd_audit_verify(args) -> int:
    """Walk this device's hash chain; name the first broken link (exit 1), a part it cannot
    check here, a tail cut off or a chain re-written after the newest anchor (exit 1), or
    the head."""
    from pos_app.services.access.journal_anchor import Anchor, error
    from pos_app.services.access.journal_check import check_journal

    paper = None
    if args.anchor:
        index, _sep, digest = args.anchor.partition(":")
        if not re.fullmatch(r"0*[1-9]\d{0,17}", index, re.ASCII) or len(digest) < 16 \
                or any(c not in "0123456789abcdef" for c in digest.lower()):
            raise UsageError(_("--anchor is INDEX:HASH as the Z report prints it "
                               "(#12 3f9a0c1d2e4b5a6f: 12:3f9a0c1d2e4b5a6f)"))
        paper = Anchor("paper", int(index), digest.lower())
    booth = open_booth(args)
    try:
        check = check_journal(booth, ask_central=not args.offline, paper=paper)
    finally:
        booth.close()
    result, broken, sale = check.result, check.result.broken, check.sale
    anchor, problem, unchecked = check.anchor, check.problem, result.unchecked
    data = {"ok": broken is None and problem is None and unchecked is None,
            "events": result.events, "documents": result.documents,
            "head": {"index": result.head.index, "hash": result.head.hash}, "broken": None,
            "keyed_from": result.keyed_from,
            "unchecked": None if unchecked is None else {"first": unchecked[0],
                                                         "last": unchecked[1]},
            "anchor": None if anchor is None else {"source": anchor.source,
                                                   "index": anchor.index, "hash": anchor.hash},
            "problem": None if problem is None else {"kind": problem.kind,
                                                     "first": problem.first,
                                                     "last": problem.last}}
    if broken is None and problem is None and unchecked is None:
        emit(args, data, _("Journal intact: {events} events, {documents} documents, "
                            "head #{index} {hash}").format(
            events=result.events, documents=result.documents, index=result.head.index,
            hash=result.head.hash[:16]))
        return 0
    if broken is not None:
        data["broken"] = {"index": broken.index, "reason": broken.reason, "sale": sale,
                          "event_id": broken.event_id if broken.index else None}
    if args.json:
        emit(args, data, "")
    if broken is not None:
        reason = f"{broken.reason}: {sale}" if broken.reason == "unjournaled" \
            else broken.reason
        raise DomainError("audit_broken", index=broken.index, reason=reason)
    if problem is not None:
        raise error(problem)
    assert unchecked is not None
    raise DomainError("audit_unchecked", first=unchecked[0], last=unchecked[1])


def cmd_user_add(args) -> int:
    """Add a user; with no user yet, ``--role admin`` makes the booth's first administrator."""
    from pos_app.services.access.users import add_user

    pin = read_pin(_("PIN for {name}: ").format(name=args.name))
    booth = open_booth(args)
    try:
        user = add_user(booth, args.name, args.role, pin, actor=f"os:{getpass.getuser()}")
    finally:
        booth.close()
    emit(args, {"id": str(user.id), "name": user.name, "role": user.role},
          _("User {name} ({role}) added").format(name=user.name, role=user.role))
    return 0


def cmd_user_list(args) -> int:
    from pos_app.services.access.auth import users

    booth = open_booth(args)
    try:
        rows = users(booth)
    finally:
        booth.close()
    data = {"users": [{"id": str(u.id), "name": u.name, "role": u.role, "active": u.active,
                       "has_pin": u.has_pin, "locked": u.locked} for u in rows]}
    human = "\n".join(f"{u.name}\t{u.role}" + (f"\t{_('locked')}" if u.locked else "")
                      + ("" if u.active else f"\t{_('inactive')}") for u in rows)
    emit(args, data, human)
    return 0


def cmd_user_unlock(args) -> int:
    from pos_app.services.access.unlocking import unlock_with_pin

    pin = read_pin(_("PIN for {name}: ").format(name=args.by))
    booth = open_booth(args)
    try:
        unlock_with_pin(booth, args.name, args.by, pin)
    finally:
        booth.close()
    emit(args, {"name": args.name, "unlocked": True, "by": args.by},
          _("{name} unlocked").format(name=args.name))
    return 0


def add_audit_commands(sub, common: Parser) -> None:
    """``audit verify``."""
    aud = sub.add_parser("audit", parents=[common], help=_("the tamper-evident journal"))
    aud_sub = aud.add_subparsers(dest="audit_command", required=True, parser_class=Parser)
    p = aud_sub.add_parser("verify", parents=[common],
                           help=_("walk the hash chain; name the first broken link"))
    p.add_argument("--offline", action="store_true",
                   help=_("do not ask the central database for its journal head; compare "
                          "with the anchors kept"))
    p.add_argument("--anchor", metavar="INDEX:HASH",
                   help=_("also compare with a journal head printed on a Z report"))
    p.set_defaults(func=cmd_audit_verify)


def add_user_commands(sub, common: Parser) -> None:
    """``user add|list|unlock``."""
    user = sub.add_parser("user", parents=[common], help=_("users and their PINs"))
    user_sub = user.add_subparsers(dest="user_command", required=True, parser_class=Parser)
    p = user_sub.add_parser("add", parents=[common],
                            help=_("add a user; the PIN is read from stdin (one line)"))
    p.add_argument("name", metavar="NAME")
    p.add_argument("--role", choices=("cashier", "coordinator", "admin"), default="cashier")
    p.set_defaults(func=cmd_user_add)
    p = user_sub.add_parser("list", parents=[common], help=_("list users"))
    p.set_defaults(func=cmd_user_list)
    p = user_sub.add_parser("unlock", parents=[common],
                            help=_("unlock a user; the coordinator's PIN is read from stdin"))
    p.add_argument("name", metavar="NAME")
    p.add_argument("--by", metavar="NAME", required=True,
                   help=_("the coordinator or admin who unlocks"))
    p.set_defaults(func=cmd_user_unlock)
