"""``pos-app central init|add-device|reissue|revoke-device`` (head office) and
``pos-app enroll`` (the booth).

The central address is ``--url`` or ``$LAPAK_CENTRAL_URL`` (a libpq URL; the password may
also come from ``PGPASSWORD`` or ``~/.pgpass``). Without an explicit ``sslmode`` the
connection uses ``verify-full``. A booth's enrollment file says ``verify-full`` unless
``add-device --sslmode`` says otherwise, and carries the server's CA certificate
(``--ca``) when the server's certificate is not publicly trusted.
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path

from pos_app.cli.common import Parser, UsageError, emit, open_booth
from pos_app.i18n import _

URL_ENV = "LAPAK_CENTRAL_URL"


def central_url(args) -> str:
    url = args.url or os.environ.get(URL_ENV)
    if not url:
        raise UsageError(_("give the central database with --url URL (or {env})").format(
            env=URL_ENV))
    return url


def cmd_central_init(args) -> int:
    from pos_app.services.sync.central import init_central

    res = init_central(central_url(args))
    if res.before == res.after:
        human = _("The central database is up to date (revision {revision})").format(
            revision=res.after)
    else:
        human = _("Central database ready (revision {revision})").format(revision=res.after)
    emit(args, {"before": res.before, "revision": res.after}, human)
    return 0


def cmd_central_add_device(args) -> int:
    from pos_app.services.sync.central import add_device

    device_id = None
    if args.device_id:
        try:
            device_id = uuid.UUID(args.device_id)
        except ValueError:
            raise UsageError(_("not a device id: {value}").format(value=args.device_id)) from None
    res = add_device(central_url(args), args.code, Path(args.out), device_id=device_id,
                     host=args.host, port=args.port, sslmode=args.sslmode,
                     ca=Path(args.ca) if args.ca else None)
    human = _("Device {code} registered as {role}; enrollment file: {path} (keep it secret)"
              ).format(code=res.device_code, role=res.role, path=res.path)
    emit(args, {"device_id": str(res.device_id), "device_code": res.device_code,
                "role": res.role, "path": str(res.path)}, human)
    return 0


def cmd_central_reissue(args) -> int:
    from pos_app.services.sync.central import reissue_device

    res = reissue_device(central_url(args), args.code, Path(args.out), host=args.host,
                         port=args.port, sslmode=args.sslmode,
                         ca=Path(args.ca) if args.ca else None)
    human = _("New enrollment file for device {code}: {path} (keep it secret); its old file "
              "no longer logs in, and its bundles signed before it enrolls this one are "
              "refused (export them again)").format(code=res.device_code, path=res.path)
    if res.sessions_ended is None:
        human += _("; this login may not end the sessions the old file opened (that needs "
                   "pg_signal_backend)")
    emit(args, {"device_id": str(res.device_id), "device_code": res.device_code,
                "role": res.role, "path": str(res.path),
                "sessions_ended": res.sessions_ended}, human)
    return 0


def cmd_central_revoke_device(args) -> int:
    from pos_app.services.sync.central import revoke_device

    res = revoke_device(central_url(args), args.code)
    if res.sessions_ended is None:
        human = _("Device {code} revoked: its role {role} can no longer log in; this login may "
                  "not end its open sessions (that needs pg_signal_backend), they are refused "
                  "all the same; what it sent before stays").format(
            code=res.device_code, role=res.role)
    else:
        human = _("Device {code} revoked: its role {role} can no longer log in ({sessions} "
                  "open sessions ended); what it sent before stays").format(
            code=res.device_code, role=res.role, sessions=res.sessions_ended)
    emit(args, {"device_id": str(res.device_id), "device_code": res.device_code,
                "role": res.role, "sessions_ended": res.sessions_ended}, human)
    return 0


def cmd_enroll(args) -> int:
    from pos_app.services.sync.enrollment import enroll

    booth = open_booth(args)
    try:
        res = enroll(booth, Path(args.file))
    finally:
        booth.close()
    if res.again:
        human = _("Enrolled again as {code} with the central database {dbname} on {host}; "
                  "the new password and keys replace the old ones").format(
            code=res.device_code, dbname=res.dbname, host=res.host)
    else:
        human = _("Enrolled as {code} with the central database {dbname} on {host}").format(
            code=res.device_code, dbname=res.dbname, host=res.host)
    emit(args, {"device_code": res.device_code, "host": res.host, "dbname": res.dbname,
                "secrets": "keyring" if res.stored_in == "keyring" else "file",
                "again": res.again}, human)
    return 0


def add_central_commands(sub, common: Parser) -> None:
    cen = sub.add_parser("central", parents=[common],
                         help=_("head office: the central PostgreSQL database"))
    cen_sub = cen.add_subparsers(dest="central_command", required=True, parser_class=Parser)
    p = cen_sub.add_parser("init", parents=[common],
                           help=_("create or upgrade the central schema, roles and policies"))
    p.add_argument("--url", metavar="URL", help=_("postgresql://USER@HOST:PORT/DATABASE"))
    p.set_defaults(func=cmd_central_init)

    p = cen_sub.add_parser("add-device", parents=[common],
                           help=_("create a booth's database role and its enrollment file"))
    p.add_argument("code", metavar="CODE", help=_("the device's code, e.g. KPG-01"))
    p.add_argument("--out", metavar="FILE", required=True, help=_("the enrollment file to write"))
    p.add_argument("--url", metavar="URL", help=_("postgresql://USER@HOST:PORT/DATABASE"))
    p.add_argument("--device-id", metavar="UUID", help=_("the booth's own device id"))
    p.add_argument("--host", metavar="HOST", help=_("the server name booths connect to"))
    p.add_argument("--port", metavar="PORT", type=int, help=_("the port booths connect to"))
    p.add_argument("--sslmode", choices=("verify-full", "verify-ca", "require", "disable"),
                   help=_("TLS for booths (default: verify-full, whatever --url says)"))
    p.add_argument("--ca", metavar="CA.pem",
                   help=_("the CA certificate (PEM) of the server's certificate, given to the "
                          "booth in the file (default: the booth's system trusted roots)"))
    p.set_defaults(func=cmd_central_add_device)

    p = cen_sub.add_parser("reissue", parents=[common],
                           help=_("write a registered booth a new enrollment file (new "
                                  "password and keys; the old file stops working)"))
    p.add_argument("code", metavar="CODE", help=_("the device's code, e.g. KPG-01"))
    p.add_argument("--out", metavar="FILE", required=True, help=_("the enrollment file to write"))
    p.add_argument("--url", metavar="URL", help=_("postgresql://USER@HOST:PORT/DATABASE"))
    p.add_argument("--host", metavar="HOST", help=_("the server name booths connect to"))
    p.add_argument("--port", metavar="PORT", type=int, help=_("the port booths connect to"))
    p.add_argument("--sslmode", choices=("verify-full", "verify-ca", "require", "disable"),
                   help=_("TLS for booths (default: verify-full, whatever --url says)"))
    p.add_argument("--ca", metavar="CA.pem",
                   help=_("the CA certificate (PEM) of the server's certificate, given to the "
                          "booth in the file (default: the booth's system trusted roots)"))
    p.set_defaults(func=cmd_central_reissue)

    p = cen_sub.add_parser("revoke-device", parents=[common],
                           help=_("take a booth's access away (a lost or replaced laptop)"))
    p.add_argument("code", metavar="CODE", help=_("the device's code, e.g. KPG-01"))
    p.add_argument("--url", metavar="URL", help=_("postgresql://USER@HOST:PORT/DATABASE"))
    p.set_defaults(func=cmd_central_revoke_device)

    from pos_app.cli.central_catalog import add_catalog_commands

    add_catalog_commands(cen_sub, common)

    p = sub.add_parser("enroll", parents=[common],
                       help=_("connect this booth to the central database (enrollment file)"))
    p.add_argument("file", metavar="FILE")
    p.set_defaults(func=cmd_enroll)
