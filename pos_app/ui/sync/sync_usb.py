"""Records on a USB stick, from the sync screen, for a booth with no network at all.

*Save for USB…* writes this booth's unsent records into a signed bundle
(:func:`pos_app.services.sync.bundle.export_bundle`) for head office to import; *Load
acknowledgement…* applies the ``.ack`` head office gives back
(:func:`pos_app.services.sync.bundle.apply_ack`): the records it names are marked delivered (or
quarantined), and the screen's figures drop.

Both need only the bundle key the booth keeps since its enrollment, never the central
database: that is the point. Both are open to anyone logged in, like the sync screen itself:
saving only copies records, and an acknowledgement is signed with the booth's own key and
checked before anything is marked (a changed one marks nothing).

The work runs on a worker of its own, never on the GUI thread and never on the till's op
queue, so a slow USB stick never delays a sale. The worker belongs to the sync runner, not
to the screen: closing the screen never cuts a bundle short.
"""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QWidget

from pos_app.domain.calendar import local_time
from pos_app.domain.errors import DomainError
from pos_app.i18n import _
from pos_app.services.setup.booth import Booth
from pos_app.services.sync import enrollment
from pos_app.services.sync.bundle import (
    CATALOG_LINE,
    AckResult,
    ExportResult,
    apply_ack,
    export_bundle,
)
from pos_app.ui.common.buttons import TouchButton
from pos_app.ui.common.changes import Change, ChangeHub
from pos_app.ui.common.files import ask_open_path, ask_save_path, documents_folder
from pos_app.ui.common.ops import OpFailure, Ops

SUFFIX, ACK_SUFFIX = ".lapak", ".ack"
WORKER_NAME = "usb_bundle_worker"


def has_bundle_key(booth: Booth) -> bool:
    """Runs in an op: whether this booth keeps the key its bundles are signed with."""
    try:
        stored = enrollment.load_secrets(booth.context.device_id)
    except (OSError, ValueError):
        return False
    return bool(isinstance(stored, dict) and stored.get("signing_key"))


def usb_worker(owner: QObject, changes: ChangeHub | None = None) -> Ops:
    """The single worker the USB work runs on, a child of ``owner`` (made on first use); what
    its ops change is said on ``changes`` (the app's change signal)."""
    worker = owner.findChild(Ops, WORKER_NAME)
    if worker is None:
        worker = Ops(owner, max_threads=1, changes=changes)
        worker.setObjectName(WORKER_NAME)
    return worker


def bundle_name(device_code: str, booth: Booth, timezone: str) -> str:
    """``KPG-01-2026-11-23-1930.lapak``: the device and the booth clock's local time."""
    code = re.sub(r"[^A-Za-z0-9_-]+", "-", device_code).strip("-") or "lapak"
    when = local_time(booth.clock.now(), timezone)
    return f"{code}-{when:%Y-%m-%d-%H%M}{SUFFIX}"


def ask_bundle_path(parent: QWidget, start: Path) -> Path | None:
    """The bundle to write, chosen in the file dialog; None when cancelled."""
    return ask_save_path(parent, _("Save the records for USB"), start,
                         _("Lapak bundles (*.lapak)"), SUFFIX)


def ask_ack_path(parent: QWidget, folder: Path) -> Path | None:
    """The acknowledgement to load, chosen in the file dialog; None when cancelled."""
    return ask_open_path(parent, _("Load the acknowledgement"), _("Acknowledgements (*.ack)"),
                         folder)


class UsbBundle(QObject):
    """The sync screen's USB row: a hint, Save for USB… and Load acknowledgement…
    (``acknowledged`` once an acknowledgement marked records delivered).

    ``screen`` is the :class:`~pos_app.ui.sync.sync_screen.SyncScreen`: its till, its banner,
    its facts (the device code, the time zone, whether the booth has a bundle key) and its
    ``refresh``."""

    acknowledged = Signal()

    def __init__(self, screen, worker_owner: QObject) -> None:
        super().__init__(screen)
        self.screen, self.app_ctx = screen, screen.app_ctx
        self.worker = usb_worker(worker_owner, self.app_ctx.changes)
        self.ready = False  # enrolled, with its bundle key: known once the facts are read
        self.busy = False
        self.folder: Path | None = None  # where the last bundle went (the USB stick)

        self.hint = QLabel(_("No network? Take the records to head office on a USB stick."),
                           screen)
        self.hint.setWordWrap(True)
        self.hint.setProperty("role", "hint")
        self.save_button = TouchButton(_("Save for USB…"), screen)
        self.save_button.clicked.connect(self.save)
        self.load_button = TouchButton(_("Load acknowledgement…"), screen)
        self.load_button.clicked.connect(self.load)
        self.row = QHBoxLayout()
        self.row.addWidget(self.hint, 1)
        self.row.addWidget(self.save_button)
        self.row.addWidget(self.load_button)
        self.set_ready(False)

    def set_ready(self, ready: bool) -> None:
        """Enable the buttons for an enrolled booth; otherwise say why they are off."""
        self.ready = ready
        for button in (self.save_button, self.load_button):
            button.setEnabled(ready and not self.busy)
            button.setToolTip("" if ready else DomainError("bundle_not_enrolled").message())

    def _start_folder(self) -> Path:
        return self.folder or documents_folder()

    def _begin(self, text: str) -> None:
        self.busy = True
        self.set_ready(self.ready)
        self.screen.banner.show_message(text, "info")

    def _end(self) -> None:
        self.busy = False
        self.set_ready(self.ready)

    # -- Save for USB… ----------------------------------------------------------------------
    def save(self) -> None:
        if not self.ready or self.busy:
            return
        facts = self.screen.facts
        code = facts.device_code if facts is not None else self.app_ctx.context.device_code
        timezone = facts.timezone if facts is not None else self.app_ctx.context.timezone
        name = bundle_name(code, self.app_ctx.booth, timezone)
        path = ask_bundle_path(self.screen, self._start_folder() / name)
        if path is None:
            return
        self.folder = path.parent
        self._begin(_("Saving the records to {path}…").format(path=path))
        self.worker.run(export_bundle, self.app_ctx.booth, path, on_success=self._saved,
                        on_error=self._failed, owner=self)

    def _saved(self, result: ExportResult) -> None:
        self._end()
        catalog = int(result.manifest.get("counts", {}).get(CATALOG_LINE, 0))
        self.screen.banner.show_message(
            _("{count} records and {catalog} catalog changes saved to {path}. Take the file "
              "to head office, then load the acknowledgement it brings back ({ack}) "
              "here.").format(count=result.records - catalog, catalog=catalog,
                              path=result.path, ack=result.path.name + ACK_SUFFIX),
            "success")

    # -- Load acknowledgement… ----------------------------------------------------------------
    def load(self) -> None:
        if not self.ready or self.busy:
            return
        path = ask_ack_path(self.screen, self._start_folder())
        if path is None:
            return
        self.folder = path.parent
        self._begin(_("Loading the acknowledgement {path}…").format(path=path))
        self.worker.run(apply_ack, self.app_ctx.booth, path, on_success=self._loaded,
                        changes={Change.SYNC},
                        on_error=self._failed, owner=self)

    def _loaded(self, result: AckResult) -> None:
        self._end()
        self.screen.banner.show_message(
            _("Acknowledgement loaded: {sent} marked delivered, {held} quarantined.").format(
                sent=result.marked_sent, held=result.marked_quarantined),
            "success")
        self.screen.refresh()
        self.acknowledged.emit()

    def _failed(self, failure: OpFailure) -> None:
        self._end()
        self.screen.banner.show_error(failure.message)


__all__ = ["UsbBundle", "ask_ack_path", "ask_bundle_path", "bundle_name", "has_bundle_key",
           "usb_worker"]
