"""Which central rows head office's pack places, and why it leaves out the others.

Booths insert their rows themselves (row-level security checks only that a row carries the
inserting booth's own device id), so a rogue enrolled booth can insert rows that name another
booth's documents, a product the central catalog lacks, or an event it is not at. The pack
trusts head office's registry (``device_role``, written by ``central add-device``) instead:

- the devices of the chosen events are the registered devices whose own ``device`` row (its
  ``id`` is its ``device_id``) is at one of those events' own rows (an event row of the same
  device), under the code the registry gives;
- a record is placed only when it was written by one of those devices, by the device of the
  document it belongs to (a line of a sale, a payment, a shift's event: central records are
  keyed by (device, id), so a rogue's line naming another booth's sale id is the rogue's
  orphan, or belongs to the rogue's own sale of that id), and names a product
  and facility the central catalog has; a sale's or stock document's number must carry its
  device's code (numbers are unique in a booth's database).

Every left-out row in scope is listed, with the first reason that applies, in the pack's
``problems`` table. Each rule is SQL over alias ``t``; ``%(e)s`` are the chosen events,
``%(ev)s`` the devices of those event rows (pairwise), ``%(d)s`` the devices placed.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable

from pos_app.domain.errors import N_

_SALES = "SELECT id FROM sale WHERE event_id = ANY(%(e)s)"
# The chosen event rows as (device, id): a central record is keyed by its device (c0007).
CHOSEN = "(SELECT * FROM unnest(%(ev)s::uuid[], %(e)s::uuid[]))"
_SHIFTS = ("SELECT id FROM shift WHERE event_id = ANY(%(e)s)"
           " OR id IN (SELECT shift_id FROM sale WHERE event_id = ANY(%(e)s))")

UNREGISTERED = ("NOT EXISTS (SELECT FROM device_role r WHERE r.device_id = t.device_id)",
                N_("written by a device head office never registered"))
ELSEWHERE = ("NOT (t.device_id = ANY(%(d)s))",
             N_("its device has no device row of its own at these events"))
_PRODUCT = ("EXISTS (SELECT FROM product p WHERE p.id = {col}"
            " AND EXISTS (SELECT FROM facility f WHERE f.id = p.facility_id)"
            " AND EXISTS (SELECT FROM category c WHERE c.id = p.category_id))")
_FACILITY = "EXISTS (SELECT FROM facility f WHERE f.id = {col})"
NO_PRODUCT = (f"NOT ({_PRODUCT.format(col='t.product_id')}"
              f" AND {_FACILITY.format(col='t.facility_id')})",
              N_("it names a product or facility the central catalog lacks"))
NO_FACILITY = (f"NOT {_FACILITY.format(col='t.facility_id')}",
               N_("it names a facility the central catalog lacks"))


def _placed_sale(alias: str) -> str:
    """SQL: the sale ``alias`` is placed (every sale rule passes)."""
    return f"NOT ({_any(SALE_RULES).replace('t.', f'{alias}.')})"


NUMBER = ("NOT EXISTS (SELECT FROM device_role r WHERE r.device_id = t.device_id"
          " AND t.number LIKE r.code || '-%%')",
          N_("its number does not carry its device's code"))
_OF_COUNT = ("NOT EXISTS (SELECT FROM stock_document s WHERE s.id = t.count_id"
             " AND s.device_id = t.device_id)",
             N_("its device is not the device of its stock count"))
SALE_RULES = (
    UNREGISTERED, ELSEWHERE, NUMBER,
    ("EXISTS (SELECT FROM sale_line l WHERE l.sale_id = t.id AND l.device_id = t.device_id"
     f" AND NOT ({_PRODUCT.format(col='l.product_id')}"
     f" AND {_FACILITY.format(col='l.facility_id')}))",
     N_("one of its lines names a product or facility the central catalog lacks")),
    ("t.refers_to_id IS NOT NULL AND NOT EXISTS (SELECT FROM sale o"
     " WHERE o.id = t.refers_to_id AND o.device_id = t.device_id)",
     N_("it takes back a sale of another device")),
)
_OF_SALE = ("NOT EXISTS (SELECT FROM sale s WHERE s.id = t.sale_id"
            " AND s.device_id = t.device_id)",
            N_("its device is not the device of the sale it is attached to"))
_SALE_OUT = ("NOT EXISTS (SELECT FROM sale s WHERE s.id = t.sale_id"
             " AND s.device_id = t.device_id AND {placed})",
             N_("the sale it belongs to is left out (see that row)"))


def _sale_out() -> tuple[str, str]:
    return _SALE_OUT[0].format(placed=_placed_sale("s")), _SALE_OUT[1]


def _payment_ok(alias: str) -> str:
    return (f"EXISTS (SELECT FROM sale s WHERE s.id = {alias}.sale_id"
            f" AND s.device_id = {alias}.device_id AND {_placed_sale('s')})")


def records() -> tuple[tuple[str, str, tuple[tuple[str, str], ...]], ...]:
    """(table, scope, rules): the rows of ``table`` in ``scope`` are copied when no rule's
    condition holds; the others are listed with the first rule's reason."""
    device = ("t.device_id = ANY(%(d)s)", ())
    return (
        ("event", (f"(t.device_id, t.id) IN {CHOSEN}", ())),
        ("shift", (f"t.id IN ({_SHIFTS})", (UNREGISTERED, ELSEWHERE))),
        ("shift_event", (f"t.shift_id IN ({_SHIFTS})", (
            UNREGISTERED, ELSEWHERE,
            ("NOT EXISTS (SELECT FROM shift s WHERE s.id = t.shift_id"
             " AND s.device_id = t.device_id)",
             N_("its device is not the device of its shift"))))),
        ("sale", ("t.event_id = ANY(%(e)s)", SALE_RULES)),
        ("sale_line", (f"t.sale_id IN ({_SALES})", (_OF_SALE, NO_PRODUCT, _sale_out()))),
        ("payment", (f"t.sale_id IN ({_SALES})", (_OF_SALE, _sale_out()))),
        ("payment_match", (f"t.payment_id IN (SELECT id FROM payment WHERE sale_id IN ({_SALES}))",
                           ((f"NOT EXISTS (SELECT FROM payment p WHERE p.id = t.payment_id"
                             f" AND p.device_id = t.device_id AND {_payment_ok('p')})",
                             N_("the payment it confirms is left out or of another device")),))),
        ("stock_document", ("t.device_id = ANY(%(d)s)", (NUMBER, NO_FACILITY))),
        ("stock_count_line", ("t.device_id = ANY(%(d)s)", (
            _OF_COUNT, (f"NOT {_PRODUCT.format(col='t.product_id')}",
                        N_("it names a product the central catalog lacks"))))),
        ("stock_count_step", ("t.device_id = ANY(%(d)s)", (_OF_COUNT,))),
        ("stock_movement", ("t.device_id = ANY(%(d)s)", (NO_PRODUCT,))),
        ("audit_event", device),
    )


CATALOG_RULES = {
    "facility": (),
    "category": (),
    "product": ((f"NOT {_PRODUCT.format(col='t.id')}",
                 N_("its facility or category is missing from the central catalog")),),
}


def _holds(condition: str) -> str:
    """A rule's condition, unknown (NULL) taken as broken: never silently neither."""
    return f"COALESCE(({condition}), true)"


def _any(rules) -> str:
    return " OR ".join(_holds(c) for c, _why in rules)


def kept(scope: str, rules) -> str:
    """``WHERE`` text for the rows copied."""
    if not rules:
        return f"WHERE {scope}"
    return f"WHERE {scope} AND NOT ({_any(rules)})"


def left_out(table: str, scope: str, rules) -> str | None:
    """A query of (id, device_id, number, rule index) for the rows left out, or None."""
    if not rules:
        return None
    which = " ".join(f"WHEN {_holds(c)} THEN {i}" for i, (c, _why) in enumerate(rules))
    number = "t.number" if table == "sale" else "NULL"
    return (f'SELECT t.id, t.device_id, {number}, CASE {which} END FROM "{table}" t'
            f" {kept(scope, ()) if scope else 'WHERE true'}"
            f" AND ({_any(rules)}) ORDER BY t.device_id, t.id")


# The devices placed: registered, with a device row of their own at a chosen event row of
# their own (another booth may have made an event row of the same id); the registry's code;
# the code the row claims.
DEVICES = ("SELECT d.id, r.code, d.code FROM device d JOIN device_role r ON r.device_id = d.id"
           f" WHERE (d.id, d.event_id) IN {CHOSEN} AND d.device_id = d.id"
           " ORDER BY r.code, d.id")
DEVICE_ROWS = ("SELECT t.id, t.device_id, NULL, 0 FROM device t WHERE t.event_id = ANY(%(e)s)"
               " AND NOT (t.id = ANY(%(d)s) AND t.device_id = t.id) ORDER BY t.device_id, t.id")
DEVICE_ROW_WHY = N_("a device row that is not head office's registered device of that id")
CODE_WHY = N_("its device row claims the code {claimed}; head office's registry says "
              "{code}, which is used")
REGISTRY = "SELECT device_id, code FROM device_role"

# Columns holding the id of a record of the row's own device, with the table(s) of that
# record. Ids are unique per device only (c0007), while head office's copy is keyed by id as
# a booth is: an id that two devices' rows of one table share (``SHARED``: only ever made
# by a rogue) is made unique per device there by ``copy_id``, in every column naming it, so
# a record meets only its own device's documents, as the rules above require. Every other
# id (all of them, without a rogue) stays as it is; catalog, device and user ids always do.
SAME_DEVICE = {
    "event": {"id": ("event",)}, "device": {"event_id": ("event",)},
    "audit_event": {"id": ("audit_event",)},
    "sale": {"id": ("sale",), "event_id": ("event",), "shift_id": ("shift",),
             "refers_to_id": ("sale",)},
    "sale_line": {"id": ("sale_line",), "sale_id": ("sale",)},
    "payment": {"id": ("payment",), "sale_id": ("sale",)},
    "payment_match": {"id": ("payment_match",), "payment_id": ("payment",)},
    "shift": {"id": ("shift",), "event_id": ("event",)},
    "shift_event": {"id": ("shift_event",), "shift_id": ("shift",)},
    "stock_document": {"id": ("stock_document",), "event_id": ("event",)},
    "stock_count_line": {"id": ("stock_count_line",), "count_id": ("stock_document",)},
    "stock_count_step": {"id": ("stock_count_step",), "count_id": ("stock_document",)},
    "stock_movement": {"id": ("stock_movement",), "document_id": ("stock_document", "sale")},
}
SHARED = 'SELECT id FROM "{table}" GROUP BY id HAVING count(*) > 1'
_COPY_IDS = uuid.UUID("5d0b3c1e-2f47-4a8e-b6d9-71c4e0a2f813")


def copy_id(device: uuid.UUID, record: uuid.UUID) -> uuid.UUID:
    """The id in head office's copy of ``device``'s record ``record`` whose id is shared."""
    return uuid.uuid5(_COPY_IDS, f"{device.hex}:{record.hex}")


def own_ids(table: str, names: list[str], rows: list[tuple],
            shared: Callable[[str], set[uuid.UUID]]) -> list[tuple]:
    """``rows`` of ``table`` (columns ``names``) with every shared id made its device's own;
    ``shared(t)`` is the set of ids of ``t`` that several devices use."""
    cols = [(names.index(c), frozenset().union(*(shared(t) for t in targets)))
            for c, targets in SAME_DEVICE.get(table, {}).items()]
    cols = [(k, ids) for k, ids in cols if ids]
    if not cols:
        return rows
    device = names.index("device_id")
    out = []
    for row in rows:
        row = list(row)
        for k, ids in cols:
            if row[k] in ids:
                row[k] = copy_id(row[device], row[k])
        out.append(tuple(row))
    return out

__all__ = ["CATALOG_RULES", "CHOSEN", "CODE_WHY", "DEVICES", "DEVICE_ROWS", "DEVICE_ROW_WHY",
           "REGISTRY", "SALE_RULES", "SAME_DEVICE", "SHARED", "copy_id", "kept", "left_out", "own_ids",
           "records"]
