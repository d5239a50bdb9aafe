"""Matching unverified QRIS and transfer payments to the lines of a bank or e-wallet
statement: same amount, and the statement time within a window after (or slightly before)
the sale. Pure data in, pure data out.

- matched: the payment has exactly one candidate line, and that line has no other candidate;
- ambiguous: several candidates (or its one candidate is also another payment's);
- unmatched: no line of that amount in the window.
Statement lines that no payment could use are reported as well. A line from a statement that
gives only dates spans its whole day and is a candidate when that day meets the window.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

WINDOW_BEFORE = timedelta(minutes=10)  # clocks differ; a statement may look a little early
WINDOW_AFTER = timedelta(hours=2)  # settlement of a QRIS or transfer can lag


@dataclass(frozen=True)
class StatementLine:
    row: int  # 1-based data row in the file, for messages
    at: datetime  # aware UTC
    amount: int
    reference: str = ""
    text: str = ""
    # A statement that gives only the date: the money came in some time in [at, until).
    until: datetime | None = None

    def overlaps(self, start: datetime, end: datetime) -> bool:
        """Whether the line's time (or its span) falls within ``start``..``end``."""
        if self.until is None:
            return start <= self.at <= end
        return self.at <= end and start < self.until


@dataclass(frozen=True)
class OpenPayment:
    payment_id: uuid.UUID
    sale_number: str
    method: str
    amount: int
    at: datetime  # the sale's time, aware UTC
    reference: str | None = None
    qris_payload: str | None = None  # the exact QRIS the buyer was shown, with the amount


@dataclass(frozen=True)
class Matching:
    matched: tuple[tuple[OpenPayment, StatementLine], ...]
    ambiguous: tuple[tuple[OpenPayment, tuple[StatementLine, ...]], ...]
    unmatched: tuple[OpenPayment, ...]
    unused_lines: tuple[StatementLine, ...]


def candidates(payment: OpenPayment, lines: list[StatementLine],
               before: timedelta = WINDOW_BEFORE,
               after: timedelta = WINDOW_AFTER) -> list[StatementLine]:
    return [line for line in lines if line.amount == payment.amount
            and line.overlaps(payment.at - before, payment.at + after)]


def match(payments: list[OpenPayment], lines: list[StatementLine],
          before: timedelta = WINDOW_BEFORE, after: timedelta = WINDOW_AFTER) -> Matching:
    found = {p.payment_id: candidates(p, lines, before, after) for p in payments}
    claims: dict[int, int] = {}
    for options in found.values():
        for line in options:
            claims[line.row] = claims.get(line.row, 0) + 1
    matched, ambiguous, unmatched = [], [], []
    for p in payments:
        options = found[p.payment_id]
        if not options:
            unmatched.append(p)
        elif len(options) == 1 and claims[options[0].row] == 1:
            matched.append((p, options[0]))
        else:
            ambiguous.append((p, tuple(options)))
    unused = tuple(line for line in lines if line.row not in claims)
    return Matching(tuple(matched), tuple(ambiguous), tuple(unmatched), unused)
