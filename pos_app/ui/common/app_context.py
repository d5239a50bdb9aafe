"""What every screen shares: the booth, the ops, the print queue, the session (who is logged in,
which shift is open) and the settings.

Settings and the device context are read from disk once, at start-up; after a change they are
re-read inside the op that stored it, so the GUI thread never touches the database.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QObject
from shiboken6 import isValid

from pos_app.domain.tax import TaxSettings
from pos_app.services.setup.booth import Booth, BoothContext
from pos_app.services.setup.settings_model import Settings
from pos_app.ui.access.login_state import LoginState
from pos_app.ui.common.changes import Change, ChangeHub
from pos_app.ui.common.ops import OpFailure, Ops, WalKeeper
from pos_app.ui.display.feed import DisplayFeed
from pos_app.ui.sale.print_queue import PrintQueue


def _store_and_reload(booth: Booth, change: Callable[..., Any], args: tuple
                      ) -> tuple[BoothContext, Settings]:
    change(booth, *args)
    return booth.context, booth.settings()


@dataclass
class AppContext:
    booth: Booth
    ops: Ops
    context: BoothContext
    settings: Settings  # typed, parsed once (services.setup.settings_model)
    printer: PrintQueue = field(init=False)  # receipts, on a thread of their own, in order
    login_state: LoginState = field(init=False)  # the logged-in user and the open shift
    wal: WalKeeper = field(init=False)  # checkpoints after sales, off the sale path
    display: DisplayFeed = field(init=False)  # what the customer display shows (ui/display)

    def __post_init__(self) -> None:
        self.printer = PrintQueue(self.booth)
        self.printer.configure(self.settings)
        self.login_state = LoginState()
        self.wal = WalKeeper(self.booth)
        self.display = DisplayFeed()

    @property
    def changes(self) -> ChangeHub:
        """The one signal every open view listens to for what an op changed."""
        return self.ops.changes

    @property
    def cashier(self) -> str:
        """The logged-in user's name ("" while nobody is)."""
        return self.login_state.cashier

    @property
    def actor(self) -> str:
        """Who journaled changes are by: the logged-in user, else the till itself."""
        return self.login_state.cashier or "pos"

    @property
    def role(self) -> str:
        """The role changes are made with: the logged-in user's, else the till's (cashier)."""
        user = self.login_state.user
        return user.role if user is not None else "cashier"

    @classmethod
    def load(cls, booth: Booth, ops: Ops) -> AppContext:
        """Start-up only: reads the device and the settings on the calling thread."""
        return cls(booth, ops, booth.context, booth.settings())

    @property
    def tax(self) -> TaxSettings:
        return self.context.tax

    def store(
        self,
        change: Callable[..., Any],
        *args: Any,
        on_done: Callable[[], None] | None = None,
        on_error: Callable[[OpFailure], None] | None = None,
        owner: QObject | None = None,
    ) -> None:
        """Run a settings service ``change(booth, *args)`` as an op, then refresh the copy here."""

        def alive() -> bool:
            return owner is None or isValid(owner)

        def stored(result: tuple[BoothContext, Settings]) -> None:
            self.context, self.settings = result  # even if the asking widget is gone
            if on_done is not None and alive():
                on_done()

        def failed(failure: OpFailure) -> None:
            handler = on_error or self.ops.error_sink
            if handler is not None and alive():
                handler(failure)

        self.ops.run(_store_and_reload, self.booth, change, args, on_success=stored,
                     on_error=failed, changes={Change.SETTINGS})
