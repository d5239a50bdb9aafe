"""The dialog that writes through an op: while the op runs it is busy, its action button is
off and Esc or Cancel do nothing, so what is being written finishes before the dialog goes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QDialog, QWidget

from pos_app.ui.common.app_context import AppContext
from pos_app.ui.common.ops import OpFailure


class BusyDialog(QDialog):
    """Subclasses start their write with :meth:`run_op`; a dialog that shows a result page
    after the write says so in :meth:`is_done`, and then Esc is Done."""

    def __init__(self, app_ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.app_ctx = app_ctx
        self.busy = False

    def run_op(self, fn: Callable[..., Any], *args: Any,
               on_success: Callable[[Any], None], on_error: Callable[[OpFailure], None],
               button: QWidget | None = None, **kwargs: Any) -> None:
        """``fn(*args, **kwargs)`` as an op of this dialog, busy until it ends. ``button`` is
        off meanwhile and comes back only after a failure (after a success the dialog moves on)."""
        self.busy = True
        if button is not None:
            button.setEnabled(False)

        def succeeded(result: Any) -> None:
            self.busy = False
            on_success(result)

        def failed(failure: OpFailure) -> None:
            self.busy = False
            if button is not None:
                button.setEnabled(True)
            on_error(failure)

        self.app_ctx.ops.run(fn, *args, on_success=succeeded, on_error=failed, owner=self,
                             **kwargs)

    def is_done(self) -> bool:
        """True once the write is on disk and leaving means going on (not cancelling)."""
        return False

    def reject(self) -> None:
        if self.busy:
            return
        if self.is_done():
            self.accept()
            return
        super().reject()
