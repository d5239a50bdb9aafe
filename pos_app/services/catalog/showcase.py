"""What the customer display shows between customers: the facilities whose goods the booth
sells, each with a short text of its own and some of its products.

The facility texts are the coordinator's, kept in the ``facility_texts`` setting (JSON by
facility code, journaled like any setting): the ``facility`` table has no column for them,
and a schema change was not this slice's to make. :func:`facility_texts` reads them,
:func:`set_facility_texts` checks and keeps them.

Products with a photo this booth has come first, each with its thumbnail's bytes
(``services.catalog.photos``); the others are text cards.
"""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import case, func, select

from pos_app.domain.errors import DomainError
from pos_app.persistence.models import Facility, Product
from pos_app.services.catalog.photos import thumbnails
from pos_app.services.setup.booth import Booth
from pos_app.services.setup.settings import set_setting
from pos_app.services.setup.settings_model import FACILITY_TEXT_MOST

__all__ = ["FACILITY_TEXT_MOST", "ShowcaseFacility", "ShowcaseProduct", "facility_texts",
           "parse_texts", "set_facility_texts", "showcase"]

log = logging.getLogger(__name__)

PER_FACILITY = 6  # products shown with each facility


@dataclass(frozen=True)
class ShowcaseProduct:
    name: str
    price: int
    photo: bytes | None = None  # the thumbnail (JPEG/PNG bytes); None: a text card


@dataclass(frozen=True)
class ShowcaseFacility:
    id: uuid.UUID
    code: str
    name: str
    kind: str
    region: str
    text: str  # the coordinator's short text ("" when none is written yet)
    products: tuple[ShowcaseProduct, ...]
    product_count: int  # active products of this facility in the catalog


def parse_texts(stored: str) -> dict[str, str]:
    """The ``facility_texts`` setting as a dict; anything unreadable reads as none."""
    try:
        data = json.loads(stored or "{}")
    except ValueError:
        log.warning("facility_texts: stored value is not JSON; showing no texts")
        return {}
    if not isinstance(data, dict):
        return {}
    return {str(k): v.strip() for k, v in data.items() if isinstance(v, str) and v.strip()}


def facility_texts(booth: Booth) -> dict[str, str]:
    """Each facility's short text by facility code (none written: not in the dict)."""
    return parse_texts(booth.settings().facility_texts)


def set_facility_texts(booth: Booth, texts: Mapping[str, str], *, actor: str,
                       role: str) -> dict[str, str]:
    """Keep the texts of the facilities in ``texts`` (code -> text; an empty text removes
    it), the others as they were. A coordinator's (``setting_not_allowed`` below); an unknown
    code is ``unknown_facility_code``, a text over :data:`FACILITY_TEXT_MOST` characters
    ``bad_setting``. Returns every text now kept."""
    with booth.db.read() as s:
        known = set(s.scalars(select(Facility.code)))
    for code in texts:
        if code not in known:
            raise DomainError("unknown_facility_code", code=code)
    merged = facility_texts(booth)
    for code, said in texts.items():
        said = " ".join(said.split())  # one paragraph: the display wraps it
        if said:
            merged[code] = said
        else:
            merged.pop(code, None)
    set_setting(booth, "facility_texts", json.dumps(dict(sorted(merged.items())),
                                                    ensure_ascii=False),
                actor=actor, role=role)
    return merged


def showcase(booth: Booth, per_facility: int = PER_FACILITY) -> list[ShowcaseFacility]:
    """The active facilities with active products, by name, each with its text and its
    first ``per_facility`` products (those with a photo first, then by name). Reads the
    database: call it in an op."""
    texts = facility_texts(booth)
    pictured = case((Product.image.is_(None), 1), else_=0)
    ranked = (select(Product.facility_id, Product.name, Product.price, Product.image,
                     func.row_number().over(partition_by=Product.facility_id,
                                            order_by=(pictured, Product.name)).label("n"),
                     func.count().over(partition_by=Product.facility_id).label("total"))
              .where(Product.active.is_(True)).subquery())
    q = (select(Facility.id, Facility.code, Facility.name, Facility.kind, Facility.region,
                ranked.c.name, ranked.c.price, ranked.c.image, ranked.c.total)
         .join(ranked, ranked.c.facility_id == Facility.id)
         .where(Facility.active.is_(True), ranked.c.n <= per_facility)
         .order_by(Facility.name, ranked.c.n))
    found: dict[uuid.UUID, dict] = {}
    with booth.db.read() as s:
        rows = s.execute(q).all()
    pictures = thumbnails(booth, [row.image for row in rows if row.image])
    for fid, code, name, kind, region, product, price, image, total in rows:
        entry = found.setdefault(fid, {"code": code, "name": name, "kind": kind,
                                       "region": region, "total": total, "products": []})
        entry["products"].append(ShowcaseProduct(product, price, pictures.get(image or "")))
    return [ShowcaseFacility(fid, e["code"], e["name"], e["kind"], e["region"],
                             texts.get(e["code"], ""), tuple(e["products"]), e["total"])
            for fid, e in found.items()]
