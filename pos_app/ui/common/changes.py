"""What an op changed, and the one application-wide signal that tells every open view.

An op names what it changed (``ops.run(fn, ..., changes={Change.CATALOG})``); once it has
succeeded, the :class:`ChangeHub` (``app_ctx.changes``) emits ``changed`` with those kinds,
and each open view that shows such data re-reads what it shows. Nothing else needs to know
which screens are open.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from enum import StrEnum

from PySide6.QtCore import QObject, Signal
from shiboken6 import isValid


class Change(StrEnum):
    """The kinds of data an op can change."""

    CATALOG = "catalog"  # products, categories, facilities, prices
    STOCK = "stock"  # movements and documents
    SALES = "sales"  # sales, refunds, payments
    SETTINGS = "settings"
    USERS = "users"
    SYNC = "sync"  # what was sent to, or came from, the central database


Changes = frozenset[Change]


class ChangeHub(QObject):
    """The one signal: ``changed(frozenset[Change])`` after an op that changed something."""

    changed = Signal(object)

    def notify(self, changes: Iterable[Change]) -> None:
        """Say that ``changes`` happened (nothing is said for an empty set)."""
        what = frozenset(Change(c) for c in changes)
        if what:
            self.changed.emit(what)

    def listen(self, owner: QObject, kinds: Iterable[Change],
               refresh: Callable[[Changes], None]) -> None:
        """Call ``refresh(changes)`` when any of ``kinds`` changed, for as long as ``owner``
        lives (the connection goes with it)."""
        wanted = frozenset(kinds)

        def heard(changes: Changes) -> None:
            if isValid(owner) and changes & wanted:
                refresh(changes)

        self.changed.connect(heard)

        def gone(*_args: object) -> None:
            if isValid(self):
                try:
                    self.changed.disconnect(heard)
                except (RuntimeError, TypeError):  # already gone with the hub's receivers
                    pass

        owner.destroyed.connect(gone)


__all__ = ["Change", "ChangeHub", "Changes"]
