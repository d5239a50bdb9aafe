"""``pos-app settings list|get KEY|set KEY VALUE``: the booth's settings on the one typed
model (``services/setup/settings_model``), validated and journaled as in the app.

The command line is the device's back office and needs no PIN: it changes a setting as the
device's owner (the administrator's role; whoever holds the terminal holds the data file and
already adds users and enrolls the device from it). The change is journaled with its actor
(``--cashier NAME``, else ``os:<user>``). A value the key does not take is refused naming
the key and what it takes, and nothing is written.
"""

from __future__ import annotations

from pos_app.cli.common import Parser, back_office_actor, emit, open_booth, short, table
from pos_app.i18n import _

DEVICE_OWNER_ROLE = "admin"  # the role the command line changes settings with


def role_text(role: str) -> str:
    """Who may change a key, in the reader's language."""
    return {"cashier": _("cashier"), "coordinator": _("coordinator"), "admin": _("admin"),
            }.get(role, _("the app itself"))


def cmd_settings_list(args) -> int:
    from pos_app.services.setup.settings import setting_rows

    booth = open_booth(args)
    try:
        rows = setting_rows(booth)
    finally:
        booth.close()
    data = {"settings": [{"key": r.key, "value": r.value, "default": r.default,
                          "role": r.role} for r in rows]}
    lines = table((_("Setting"), _("Value"), _("Changed by")),
                  [(r.key, short(r.value), role_text(r.role)) for r in rows], right=set())
    emit(args, data, "\n".join(lines))
    return 0


def cmd_settings_get(args) -> int:
    from pos_app.services.setup.settings import known_setting

    booth = open_booth(args)
    try:
        row = known_setting(booth, args.key)
    finally:
        booth.close()
    emit(args, {"key": row.key, "value": row.value, "default": row.default, "role": row.role},
         row.value)
    return 0


def cmd_settings_set(args) -> int:
    from pos_app.services.setup.settings import change_setting

    actor = back_office_actor(args)
    booth = open_booth(args)
    try:
        old, new = change_setting(booth, args.key, args.value, actor=actor,
                                  role=DEVICE_OWNER_ROLE)
    finally:
        booth.close()
    human = (_("{key} is already {value}").format(key=args.key, value=new or '""') if old == new
             else _("{key} changed from {old} to {new}").format(key=args.key, old=old or '""',
                                                                new=new or '""'))
    emit(args, {"key": args.key, "from": old, "to": new, "changed": old != new,
                "actor": actor}, human)
    return 0


def add_settings_commands(sub, common: Parser) -> None:
    """``settings list|get|set``."""
    st = sub.add_parser("settings", parents=[common],
                        help=_("list, read and change the booth's settings"))
    st_sub = st.add_subparsers(dest="settings_command", required=True, parser_class=Parser)
    p = st_sub.add_parser("list", parents=[common],
                          help=_("every setting, its value and who may change it"))
    p.set_defaults(func=cmd_settings_list)
    p = st_sub.add_parser("get", parents=[common], help=_("print one setting's value"))
    p.add_argument("key", metavar="KEY")
    p.set_defaults(func=cmd_settings_get)
    p = st_sub.add_parser("set", parents=[common],
                          help=_("change one setting (checked as in the app, journaled)"))
    p.add_argument("key", metavar="KEY")
    p.add_argument("value", metavar="VALUE")
    p.add_argument("--cashier", metavar="NAME", help=_("who makes the change (journaled)"))
    p.set_defaults(func=cmd_settings_set)
