"""``pos-app catalog photo SKU FILE``: give a product its photo (a JPEG or PNG beside the
command), kept as a small thumbnail and sent to head office with the catalog. A file that is
no picture, is damaged or too large is refused in one line and nothing is written."""

from __future__ import annotations

from pos_app.cli.common import Parser, back_office_actor, emit, open_booth
from pos_app.i18n import _


def cmd_catalog_photo(args) -> int:
    from pos_app.cli.common import BACK_OFFICE_ROLE
    from pos_app.services.catalog.photos import set_photo

    booth = open_booth(args)
    try:
        done = set_photo(booth, args.sku, args.file, actor=back_office_actor(args),
                         actor_role=BACK_OFFICE_ROLE)
    finally:
        booth.close()
    if done.changed:
        human = _("Photo of {sku} ({name}) set: {width}×{height} px").format(
            sku=done.sku, name=done.name, width=done.width, height=done.height)
    else:
        human = _("{sku} ({name}) already has this photo; nothing was changed").format(
            sku=done.sku, name=done.name)
    emit(args, {"sku": done.sku, "name": done.name, "photo": done.photo, "kind": done.kind,
                "width": done.width, "height": done.height, "changed": done.changed}, human)
    return 0


def add_photo_command(cat_sub, common: Parser) -> None:
    """``catalog photo`` under the ``catalog`` group."""
    p = cat_sub.add_parser("photo", parents=[common],
                           help=_("give a product its photo (JPEG or PNG)"))
    p.add_argument("sku", metavar="SKU", help=_("the product's SKU or barcode"))
    p.add_argument("file", metavar="FILE", help=_("the photo file"))
    p.add_argument("--cashier", metavar="NAME",
                   help=_("who did it (default: the operating-system user)"))
    p.set_defaults(func=cmd_catalog_photo)
