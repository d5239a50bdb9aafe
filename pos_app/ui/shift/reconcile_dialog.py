"""The reconciliation screen, for coordinators: open a bank or e-wallet statement, say which
column is which (remembered per statement source), and confirm which QRIS and transfer
payments it shows arrived. Each confirmation records who made it; reading the file, matching
and confirming all run as ops, so the screen never waits on the disk."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from pos_app.domain.errors import ImportRejected
from pos_app.domain.money import format_rupiah
from pos_app.domain.reconcile import Matching, OpenPayment, StatementLine
from pos_app.i18n import _, ngettext
from pos_app.services.setup.booth import Booth
from pos_app.services.shift import reconcile, statement_import
from pos_app.services.shift.reconcile import Review
from pos_app.services.shift.statement_import import StatementFile, StatementMapping
from pos_app.ui.common.app_context import AppContext
from pos_app.ui.common.banner import Banner
from pos_app.ui.common.buttons import TouchButton
from pos_app.ui.common.dialog_layout import fit_to_screen
from pos_app.ui.common.files import ask_open_path, documents_folder
from pos_app.ui.common.labels import method_label
from pos_app.ui.common.ops import OpFailure, error_text
from pos_app.ui.common.roles import actor_of
from pos_app.ui.shift.reconcile_lists import MatchLists
from pos_app.ui.shift.reconcile_mapping import MappingPage

STATEMENT_TAB, MATCHES_TAB = range(2)
ERRORS_SHOWN = 8  # row errors listed in the banner; the rest are counted


def read_and_match(booth: Booth, path: Path, mapping: StatementMapping,
                   actor: str) -> Review | ImportRejected:
    """Runs in an op: a rejected file comes back as a value, so its row errors can be listed."""
    try:
        return reconcile.load_statement(booth, path, mapping, actor)
    except ImportRejected as exc:
        return exc


def rejection_text(exc: ImportRejected) -> str:
    rows = [e.message(_) for e in exc.errors[:ERRORS_SHOWN]]
    more = len(exc.errors) - ERRORS_SHOWN
    if more > 0:
        rows.append(ngettext("…and {count} more problem", "…and {count} more problems",
                             more).format(count=more))
    return "\n".join([error_text(exc), *rows])


class ReconcileDialog(QDialog):
    def __init__(self, app_ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.app_ctx = app_ctx
        self.path: Path | None = None
        self.review: Review | None = None
        self.confirmed: list[uuid.UUID] = []  # payment_match ids written from this screen
        self.setWindowTitle(_("Payment reconciliation"))
        self.setModal(True)
        fit_to_screen(self, 1240, 760)

        heading = QLabel(_("Payment reconciliation"), self)
        heading.setProperty("role", "title")
        intro = QLabel(_("QRIS and transfer payments are recorded unverified at the till. "
                         "Match them to the bank or e-wallet statement and confirm the ones "
                         "that arrived."), self)
        intro.setProperty("role", "hint")
        intro.setWordWrap(True)
        tz = app_ctx.context.timezone
        self.page = MappingPage(tz, self)
        self.page.choose_requested.connect(self.choose_file)
        self.page.load_requested.connect(self.load)
        self.lists = MatchLists(tz, self)
        self.lists.confirm_requested.connect(self.confirm)
        self.tabs = QTabWidget(self)
        self.tabs.addTab(self.page, _("1  Statement and columns"))
        self.tabs.addTab(self.lists, _("2  Matches"))
        self.tabs.setTabEnabled(MATCHES_TAB, False)
        self.tabs.currentChanged.connect(lambda i: intro.setVisible(i == STATEMENT_TAB))
        self.banner = Banner(self)
        close = TouchButton(_("Close"), self, key="Esc")
        close.clicked.connect(self.reject)
        bottom = QHBoxLayout()
        bottom.addWidget(self.banner, 1)
        bottom.addWidget(close, 0, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignBottom)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 16)
        layout.setSpacing(10)
        layout.addWidget(heading)
        layout.addWidget(intro)
        layout.addWidget(self.tabs, 1)
        layout.addLayout(bottom)
        self._load_saved()

    # -- the file and its columns ------------------------------------------------------------
    def _load_saved(self) -> None:
        self.app_ctx.ops.run(statement_import.saved_mappings, self.app_ctx.booth,
                          on_success=self.page.set_saved, on_error=self._failed, owner=self)

    def choose_file(self) -> None:
        path = ask_open_path(self, _("Open a bank or e-wallet statement"),
                             _("Statements (*.csv *.xlsx)"), documents_folder())
        if path is not None:
            self.open_file(path)

    def open_file(self, path: Path) -> None:
        """Read the file's header and first rows, then offer the columns."""
        self.banner.clear()
        self.app_ctx.ops.run(statement_import.read_statement, path,
                          on_success=self._opened, on_error=self._failed, owner=self)

    def _opened(self, shown: StatementFile) -> None:
        self.path = shown.path
        self.review = None  # the matches shown were another file's
        self.tabs.setTabEnabled(MATCHES_TAB, False)
        self.page.set_file(shown)
        self.tabs.setCurrentIndex(STATEMENT_TAB)

    def load(self) -> None:
        """Read every row through the chosen columns and match the open payments."""
        if self.path is None:
            return
        self.banner.show_message(_("Reading {name}…").format(name=self.path.name), "info")
        self._busy(True)
        self.app_ctx.ops.run(read_and_match, self.app_ctx.booth, self.path, self.page.mapping(),
                          actor_of(self.app_ctx)[0], on_success=self._loaded,
                          on_error=self._failed, owner=self)

    def _loaded(self, result: Review | ImportRejected) -> None:
        self._busy(False)
        if isinstance(result, ImportRejected):
            self.banner.show_error(rejection_text(result))
            self.tabs.setCurrentIndex(STATEMENT_TAB)
            return
        self.banner.clear()
        self.review = result
        self._show(result.matching)
        self.tabs.setTabEnabled(MATCHES_TAB, True)
        self.tabs.setCurrentIndex(MATCHES_TAB)
        self._load_saved()  # the mapping was remembered under its source

    def _show(self, matching: Matching) -> None:
        self.lists.show_matching(matching)
        statement = self.review.statement if self.review else None
        if statement is None:
            return
        read = ngettext("{count} line of money in read from {name}",
                        "{count} lines of money in read from {name}",
                        len(statement.lines)).format(count=len(statement.lines),
                                                     name=statement.path.name)
        skipped = ngettext("{count} other row left out (money out or no amount)",
                           "{count} other rows left out (money out or no amount)",
                           statement.skipped).format(count=statement.skipped)
        waiting = len(matching.matched) + len(matching.ambiguous) + len(matching.unmatched)
        open_text = ngettext("{count} QRIS or transfer payment waiting to be confirmed",
                             "{count} QRIS or transfer payments waiting to be confirmed",
                             waiting).format(count=waiting)
        parts = [f"{statement.source}: {read}", *([skipped] if statement.skipped else []),
                 open_text]
        self.lists.summarize(" · ".join(parts))

    # -- confirming ----------------------------------------------------------------------------
    def confirm(self, pairs: Sequence[tuple[OpenPayment, StatementLine]]) -> None:
        review = self.review
        if review is None or not pairs:
            return
        name, role = actor_of(self.app_ctx)
        source = f"{review.statement.source} · {review.statement.path.name}"
        self._busy(True)
        self.app_ctx.ops.run(reconcile.confirm_all, self.app_ctx.booth,
                          [(p.payment_id, line) for p, line in pairs], actor=name,
                          actor_role=role, source=source,
                          on_success=lambda ids: self._confirmed(list(pairs), ids),
                          on_error=self._confirm_failed, owner=self)

    def _confirmed(self, pairs: list[tuple[OpenPayment, StatementLine]],
                   ids: list[uuid.UUID]) -> None:
        self.confirmed.extend(ids)
        if len(pairs) == 1:
            payment, line = pairs[0]
            text = _("Confirmed: {method} payment of {number}, {amount}, is statement row "
                     "{row}").format(method=method_label(payment.method), number=payment.sale_number,
                                     amount=format_rupiah(payment.amount), row=line.row)
        else:
            total = sum(p.amount for p, _line in pairs)
            text = ngettext("Confirmed {count} payment, {amount}",
                            "Confirmed {count} payments, {amount}", len(pairs)).format(
                count=len(pairs), amount=format_rupiah(total))
        self.banner.show_message(text, "success")
        self._rematch()

    def _confirm_failed(self, failure: OpFailure) -> None:
        self.banner.show_error(failure.message)
        self._rematch()  # someone may have confirmed meanwhile: show what is open now

    def _rematch(self) -> None:
        review = self.review
        if review is None:
            self._busy(False)
            return
        self._busy(True)
        self.app_ctx.ops.run(reconcile.propose, self.app_ctx.booth, list(review.statement.lines),
                          on_success=self._rematched, on_error=self._failed, owner=self)

    def _rematched(self, matching: Matching) -> None:
        self._busy(False)
        if self.review is not None:
            self.review = Review(self.review.statement, matching)
        self._show(matching)

    # -- shared --------------------------------------------------------------------------------
    def _busy(self, busy: bool) -> None:
        self.lists.setEnabled(not busy)
        self.page.load_button.setEnabled(not busy and self.path is not None)
        self.page.choose_button.setEnabled(not busy)

    def _failed(self, failure: OpFailure) -> None:
        self._busy(False)
        self.banner.show_error(failure.message)
