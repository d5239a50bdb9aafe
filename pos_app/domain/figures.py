"""The one set of figures every place that shows money uses (DESIGN "One set of figures"):
their definitions and their labels, in integer rupiah.

- gross = unit price x qty of the sales' lines, as priced on the shelf;
- discounts = line and whole-sale discounts of the sales;
- added PPN = PPN charged on top of prices (tax mode "added");
- sales = gross - discounts + added PPN: what buyers paid for their sales;
- voids, refunds = what was given back by each (negative);
- net = sales + voids + refunds: the money the booth keeps (= the payments kept);
- PPN = all PPN inside net (included and added), net of what was given back;
- DPP = net - PPN.

``services.reporting.totals`` adds the sale lines up into these; the Z and X reports, the
reports screen, the summary PDF, the pack, the settlement statement and the head-office pack
all show a ``Figures`` with ``FIGURE_LABELS``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from pos_app.domain.errors import N_

__all__ = ["FIGURE_KEYS", "FIGURE_LABELS", "Figures"]

# (key, label): the order every place shows them in; the labels are translated at display
FIGURE_LABELS: tuple[tuple[str, str], ...] = (
    ("gross", N_("Gross sales")),
    ("discounts", N_("Discounts")),
    ("added_tax", N_("PPN added")),
    ("sales", N_("Sales")),
    ("voids", N_("Voids")),
    ("refunds", N_("Refunds")),
    ("net", N_("Net after voids and refunds")),
    ("tax", N_("PPN")),
    ("dpp", N_("DPP")),
)
FIGURE_KEYS = tuple(key for key, _ in FIGURE_LABELS)


@dataclass(frozen=True, slots=True)
class Figures:
    """The figures of a set of documents. Stored as what they are made of; ``discounts`` is
    positive (shown as a minus), ``voids`` and ``refunds`` are negative."""

    gross: int = 0
    discounts: int = 0
    added_tax: int = 0
    voids: int = 0
    refunds: int = 0
    tax: int = 0

    @property
    def sales(self) -> int:
        return self.gross - self.discounts + self.added_tax

    @property
    def net(self) -> int:
        return self.sales + self.voids + self.refunds

    @property
    def dpp(self) -> int:
        return self.net - self.tax

    def value(self, key: str) -> int:
        """The figure ``key`` as shown: discounts negative, like voids and refunds."""
        return -self.discounts if key == "discounts" else getattr(self, key)

    def shown(self) -> list[tuple[str, str, int]]:
        """(key, untranslated label, amount as shown) in the order of ``FIGURE_LABELS``."""
        return [(key, label, self.value(key)) for key, label in FIGURE_LABELS]

    def as_dict(self) -> dict[str, int]:
        """Every figure by key, as shown (for a JSON manifest or a CSV row)."""
        return {key: self.value(key) for key in FIGURE_KEYS}

    def to_json(self) -> dict[str, int]:
        return {"gross": self.gross, "discounts": self.discounts, "added_tax": self.added_tax,
                "voids": self.voids, "refunds": self.refunds, "tax": self.tax}

    @classmethod
    def from_json(cls, data: Mapping[str, int]) -> Figures:
        return cls(**{k: int(data.get(k, 0)) for k in
                      ("gross", "discounts", "added_tax", "voids", "refunds", "tax")})
