"""``pos-app central catalog publish|list|history|accept|reject|revert``: head office's
catalog, as a login granted ``lapak_catalog`` (the address as for the other ``central``
verbs: ``--url`` or ``$LAPAK_CENTRAL_URL``)."""

from __future__ import annotations

from pathlib import Path

from pos_app.cli.central import central_url
from pos_app.cli.common import Parser, UsageError, emit
from pos_app.i18n import _


def _status(status: str) -> str:
    return {"published": _("published"), "applied": _("applied"), "proposed": _("proposed"),
            "accepted": _("accepted"), "rejected": _("rejected")}.get(status, status)


def cmd_publish(args) -> int:
    from pos_app.services.sync import catalog_authority as ca

    url = central_url(args)
    if (args.file is None) == (args.from_device is None):
        raise UsageError(_("give a catalog FILE or --from-device CODE, not both"))
    if args.file is not None:
        res = ca.publish_file(url, Path(args.file))
        human = _("Catalog published: {added} added, {updated} changed, {unchanged} "
                  "unchanged").format(added=res.added, updated=res.updated,
                                      unchanged=res.unchanged)
        emit(args, {"added": res.added, "updated": res.updated, "unchanged": res.unchanged,
                    "versions": list(res.versions)}, human)
        return 0
    made = ca.accept_device(url, args.from_device)
    emit(args, {"accepted": len(made), "versions": list(made)},
         _("{count} catalog proposals of {code} accepted").format(
             count=len(made), code=args.from_device))
    return 0


def _print_versions(args, rows) -> None:
    if args.json:
        emit(args, {"versions": [r.as_json() for r in rows]}, "")
        return
    if not rows:
        print(_("No catalog versions"))
        return
    for r in rows:
        name = r.payload.get("name", "") if isinstance(r.payload, dict) else ""
        price = r.payload.get("price") if isinstance(r.payload, dict) else None
        extra = f" Rp{price:,}".replace(",", ".") if isinstance(price, int) else ""
        who = r.device_code or _("head office")
        print(f"{r.number:>6}  {r.table_name:<8} {r.key:<16} rev {r.revision:<6} "
              f"{_status(r.status):<10} {who:<10} {name}{extra}"
              + (f"  ({r.reason})" if r.reason else ""))


def cmd_list(args) -> int:
    from pos_app.services.sync import catalog_authority as ca

    _print_versions(args, ca.versions(central_url(args), proposed=args.proposed))
    return 0


def cmd_history(args) -> int:
    from pos_app.services.sync import catalog_authority as ca

    _print_versions(args, ca.history(central_url(args), args.key))
    return 0


def cmd_accept(args) -> int:
    from pos_app.services.sync import catalog_authority as ca

    made = ca.accept(central_url(args), args.versions)
    emit(args, {"accepted": args.versions, "versions": list(made)},
         _("{count} catalog proposals accepted").format(count=len(made)))
    return 0


def cmd_reject(args) -> int:
    from pos_app.services.sync import catalog_authority as ca

    made = ca.reject(central_url(args), args.versions, args.reason)
    emit(args, {"rejected": args.versions, "versions": [m for m in made if m is not None]},
         _("{count} catalog proposals rejected").format(count=len(made)))
    return 0


def cmd_revert(args) -> int:
    from pos_app.services.sync import catalog_authority as ca

    url = central_url(args)
    if (args.version is None) == (args.device is None):
        raise UsageError(_("give a catalog VERSION or --device CODE, not both"))
    if args.device is not None:
        count = ca.revert_device(url, args.device)
        emit(args, {"device": args.device, "reverted": count},
             _("{count} catalog rows of {code} reverted").format(count=count,
                                                                 code=args.device))
        return 0
    made = ca.revert(url, args.version)
    emit(args, {"reverted_to": args.version, "version": made},
         _("Catalog version {version} published again as {made}").format(
             version=args.version, made=made))
    return 0


def add_catalog_commands(cen_sub, common: Parser) -> None:
    cat = cen_sub.add_parser("catalog", parents=[common],
                             help=_("head office's shared catalog: publish, decide, revert"))
    sub = cat.add_subparsers(dest="catalog_command", required=True, parser_class=Parser)

    def verb(name: str, helptext: str, func):
        p = sub.add_parser(name, parents=[common], help=helptext)
        p.add_argument("--url", metavar="URL", help=_("postgresql://USER@HOST:PORT/DATABASE"))
        p.set_defaults(func=func)
        return p

    p = verb("publish", _("publish a catalog file (as a booth imports it) to every booth"),
             cmd_publish)
    p.add_argument("file", metavar="FILE", nargs="?", help=_("a CSV or XLSX catalog"))
    p.add_argument("--from-device", metavar="CODE",
                   help=_("accept every proposal of that device instead"))
    p = verb("list", _("list catalog versions"), cmd_list)
    p.add_argument("--proposed", action="store_true", help=_("only proposals waiting"))
    p = verb("history", _("the versions of one SKU, code or device"), cmd_history)
    p.add_argument("key", metavar="SKU|CODE")
    p = verb("accept", _("accept booths' proposals"), cmd_accept)
    p.add_argument("versions", metavar="VERSION", nargs="+", type=int)
    p = verb("reject", _("reject booths' proposals"), cmd_reject)
    p.add_argument("versions", metavar="VERSION", nargs="+", type=int)
    p.add_argument("--reason", metavar="TEXT", required=True, help=_("why, for the booth"))
    p = verb("revert", _("publish an earlier version again, or undo a device's changes"),
             cmd_revert)
    p.add_argument("version", metavar="VERSION", nargs="?", type=int)
    p.add_argument("--device", metavar="CODE", help=_("every row last changed by that device"))
