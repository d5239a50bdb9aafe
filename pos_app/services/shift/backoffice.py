"""Back-office shifts for the command line: a float-0 shift opened and closed around
back-entry of paper sales (after a power cut) when no till shift is open."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from pos_app.services.setup.booth import Booth
from pos_app.services.shift.shifts import (
    ShiftTotals,
    close_in,
    current_shift,
    open_backoffice_in,
)


def open_backoffice_shift(booth: Booth, actor: str) -> uuid.UUID:
    """A float-0 shift for back-entry from the command line (``os:<user>`` or a cashier)."""
    with booth.db.write_connection() as conn:
        return open_backoffice_in(conn, booth.context, booth.clock.now(), actor)


def close_backoffice_shift(booth: Booth, shift_id: uuid.UUID, actor: str) -> ShiftTotals:
    """Close a back-office shift: no cash count (nothing was in a drawer), totals kept."""
    with booth.db.write_connection() as conn:
        return close_in(conn, booth.context, booth.clock.now(), shift_id, None, actor,
                        kind="backoffice")[1]


@contextmanager
def backoffice_shift(booth: Booth, actor: str) -> Iterator[uuid.UUID]:
    """``with backoffice_shift(booth, actor) as shift_id:`` opens a back-office shift and
    closes it afterwards (also when the block fails), both journaled."""
    shift_id = open_backoffice_shift(booth, actor)
    try:
        yield shift_id
    finally:
        close_backoffice_shift(booth, shift_id, actor)


@contextmanager
def sale_shift(booth: Booth, actor: str) -> Iterator[uuid.UUID]:
    """The shift a command-line sale belongs to: the open POS shift, or else a back-office
    shift opened and closed around the block."""
    current = current_shift(booth)
    if current is not None:
        yield current.id
        return
    with backoffice_shift(booth, actor) as shift_id:
        yield shift_id
