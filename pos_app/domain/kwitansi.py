"""The kwitansi: a formal receipt for institutional buyers, amount in figures and in words."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from pos_app.domain.money import Rupiah
from pos_app.domain.terbilang import terbilang


@dataclass(frozen=True)
class KwitansiDoc:
    number: str
    issued_on: date
    place: str
    buyer: str
    institution: str
    amount: Rupiah
    purpose: str
    booth_name: str
    receiver: str  # who signs for the booth
    demo: bool = False  # from a demo database: not a real receipt

    @property
    def amount_in_words(self) -> str:
        words = terbilang(self.amount)
        return words[:1].upper() + words[1:]
