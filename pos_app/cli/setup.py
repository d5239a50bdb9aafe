"""``pos-app init``, ``catalog import``, ``backup`` and ``restore``: setting a booth's
database up, filling its catalog, and keeping a copy of it safe."""

from __future__ import annotations

import sys
from pathlib import Path

from pos_app.cli.catalog_photo import add_photo_command
from pos_app.cli.common import (
    Parser,
    UsageError,
    back_office_actor,
    db_path,
    emit,
    open_booth,
    read_pin,
)
from pos_app.i18n import _


def cmd_init(args) -> int:
    from pos_app.services.setup.setup import init_booth

    if args.admin_pin_file and not args.admin:
        raise UsageError(_("--admin-pin-file needs --admin NAME"))
    pin = read_pin(_("PIN for {name}: ").format(name=args.admin),
                   args.admin_pin_file) if args.admin else None
    booth, res = init_booth(db_path(args), demo=args.demo, device_code=args.device,
                            event_name=args.event, admin_name=args.admin, admin_pin=pin)
    device_id = booth.context.device_id
    try:
        from pos_app.services.access.auth import needs_admin

        no_admin = needs_admin(booth)
    finally:
        booth.close()
    human = _("Database ready: {path} (device {device}, {count} products)").format(
        path=res.path, device=res.device_code, count=res.products)
    human += "\n" + _("Device id (head office enrolls it with central add-device "
                      "--device-id): {id}").format(id=device_id)
    if res.demo_loaded:
        human += "\n" + _("NTT demo catalog loaded")
    data = {"path": str(res.path), "device": res.device_code, "device_id": str(device_id),
            "created": res.created_device,
            "demo_loaded": res.demo_loaded, "products": res.products}
    if res.admin:
        data["admin"] = res.admin
        human += "\n" + _("Admin {name} created").format(name=res.admin)
    if no_admin:
        human += "\n" + _("No administrator yet: add one with `pos-app user add NAME --role "
                          "admin` (the PIN is read from stdin), or at the app's first run")
    emit(args, data, human)
    return 0


def cmd_catalog_import(args) -> int:
    from pos_app.services.catalog.catalog_import import import_catalog

    booth = open_booth(args)
    try:
        s = import_catalog(booth, Path(args.file))
    finally:
        booth.close()
    data = {k: v for k, v in vars(s).items() if k != "errors"}
    human = _("Imported: {fa} facilities, {ca} categories, {pa} products added; "
              "{pu} products updated; {units} units of stock received").format(
        fa=s.facilities_added, ca=s.categories_added, pa=s.products_added,
        pu=s.products_updated, units=s.stock_units)
    emit(args, data, human)
    return 0


def cmd_backup(args) -> int:
    """Back the database up with SQLite's backup API (never a file copy)."""
    from pos_app.services.setup.backup import AutoBackup, automatic_backup, backup

    booth = open_booth(args)
    try:
        done = AutoBackup(backup(booth, Path(args.out), replace=args.force)) if args.out \
            else automatic_backup(booth)
    finally:
        booth.close()
    human = _("Backup saved: {path}").format(path=done.path)
    if done.second is not None:
        human += "\n" + _("Copy saved: {path}").format(path=done.second)
    emit(args, {"backup": str(done.path), "second": str(done.second) if done.second else None,
                "second_error": done.second_error.message(_) if done.second_error else None},
         human)
    if done.second_error is not None:
        print(f"pos-app: {done.second_error.message(_)}", file=sys.stderr)
        return 1
    return 0


def cmd_restore(args) -> int:
    """Restore a backup into --db. The database there is kept (``<db>.before-restore``, or
    ``-2``, ``-3``... never over an earlier one); a backup of another device needs
    ``--other-device THEIRS --this-device OURS``."""
    from pos_app.domain.numbering import sale_number
    from pos_app.services.setup.backup import read_contents
    from pos_app.services.setup.backup_restore import with_head_office
    from pos_app.services.setup.restore import FROM_HEAD_OFFICE, NUMBERS_UNKNOWN, restore

    head = read_contents(Path(args.file)).head_index
    res = restore(Path(args.file), db_path(args), confirm=(args.other_device, args.this_device))
    booth = open_booth(args)
    try:
        res = with_head_office(booth, res, actor=back_office_actor(args),
                               file_name=Path(args.file).name, head_index=head)
    finally:
        booth.close()
    data = {"path": str(res.path), "previous": str(res.previous) if res.previous else None,
            "device": res.device_code, "sales": res.sales,
            "raised": {name: now for name, (_was, now) in res.raised.items()},
            "head_office_asked": res.central, "numbers_unknown": res.unknown}
    human = _("Restored {path} (device {device}, {count} sales)").format(
        path=res.path, device=res.device_code, count=res.sales)
    if res.previous:
        human += "\n" + _("The replaced database is kept as {path}").format(path=res.previous)
    if "sale" in res.raised:
        human += "\n" + _("Sale numbers continue after {number}: this device had issued them "
                          "after the backup was made").format(
            number=sale_number(res.device_code, res.raised["sale"][1]))
    if res.unknown:
        human += "\n" + _(NUMBERS_UNKNOWN)
    elif res.central and not res.kept_read:
        human += "\n" + _(FROM_HEAD_OFFICE)
    emit(args, data, human)
    return 0


def cmd_restore_marks(args) -> int:
    """End a restore's unknown numbers from the last sale number printed (an administrator's
    word, journaled)."""
    from pos_app.services.setup.backup_restore import continue_numbering

    booth = open_booth(args)
    try:
        raised = continue_numbering(booth, args.sale, actor=back_office_actor(args),
                                    role="admin", last_kwitansi=args.kwitansi)
    finally:
        booth.close()
    emit(args, {"raised": {name: now for name, (_was, now) in raised.items()}},
         _("Numbering continues after {number}.").format(number=args.sale.strip().upper()))
    return 0


def add_setup_commands(sub, common: Parser) -> None:
    """``init``, ``catalog import`` and ``catalog photo``."""
    p = sub.add_parser("init", parents=[common], help=_("create or upgrade the database"))
    p.add_argument("--demo", action="store_true", help=_("load the NTT demo catalog"))
    p.add_argument("--device", metavar="CODE", help=_("this device's code, e.g. KPG-01"))
    p.add_argument("--event", metavar="NAME", help=_("the event's name"))
    p.add_argument("--admin", metavar="NAME",
                   help=_("create this admin user; the PIN is read from stdin (one line)"))
    p.add_argument("--admin-pin-file", metavar="FILE", help=_("read the admin's PIN from FILE"))
    p.set_defaults(func=cmd_init)

    cat = sub.add_parser("catalog", parents=[common], help=_("catalog tools"))
    cat_sub = cat.add_subparsers(dest="catalog_command", required=True, parser_class=Parser)
    p = cat_sub.add_parser("import", parents=[common],
                           help=_("import products from CSV or XLSX (all rows or none)"))
    p.add_argument("file", metavar="FILE")
    p.set_defaults(func=cmd_catalog_import)
    add_photo_command(cat_sub, common)


def add_backup_commands(sub, common: Parser) -> None:
    """``backup`` and ``restore``."""
    p = sub.add_parser("backup", parents=[common],
                       help=_("back the database up (SQLite backup API)"))
    p.add_argument("--out", metavar="PATH",
                   help=_("file or folder (default: the backup folder of the settings, else "
                          "the backups folder beside the database)"))
    p.add_argument("--force", action="store_true",
                   help=_("replace a backup file already at --out (never anything else)"))
    p.set_defaults(func=cmd_backup)

    p = sub.add_parser("restore", parents=[common], help=_("restore a backup into --db"))
    p.add_argument("file", metavar="PATH")
    p.add_argument("--other-device", metavar="CODE",
                   help=_("confirm restoring a backup of device CODE (with --this-device)"))
    p.add_argument("--this-device", metavar="CODE",
                   help=_("the code of the device whose database is replaced"))
    p.set_defaults(func=cmd_restore)

    p = sub.add_parser("restore-marks", parents=[common],
                       help=_("after a restore whose numbers are unknown: continue after the "
                              "last sale number printed"))
    p.add_argument("--sale", metavar="NUMBER", required=True,
                   help=_("the last sale number printed, e.g. KPG-01-000123"))
    p.add_argument("--kwitansi", metavar="NUMBER", help=_("the last kwitansi number printed"))
    p.add_argument("--cashier", metavar="NAME", help=_("who says so (journaled)"))
    p.set_defaults(func=cmd_restore_marks)
