"""Restoring a backup from the app, for administrators: first what the file holds (device,
when its journal was last written, sales, journal head), then, confirmed, the restore itself
(``backup.restore``: the database it replaces is kept beside it), journaled in the restored
database. A backup of another device needs its own explicit confirmation."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from pos_app.domain.errors import DomainError
from pos_app.services.access import roles
from pos_app.services.setup.backup import BackupContents, read_contents
from pos_app.services.setup.booth import Booth
from pos_app.services.setup.restore import RestoreResult, restore


@dataclass(frozen=True)
class BackupSummary:
    path: Path
    contents: BackupContents
    this_device: str  # this booth's device code
    other_device: bool  # the backup is of another device


def inspect_backup(booth: Booth, path: Path | str, *, actor: str, role: str) -> BackupSummary:
    """What ``path`` holds, nothing changed. Admins only (``not_allowed``); anything but a
    sound Lapak database is ``bad_database``."""
    roles.require(role, "restore_backup", actor)
    contents = read_contents(Path(path))
    ctx = booth.context
    other = contents.device_id.replace("-", "") != ctx.device_id.hex
    return BackupSummary(Path(path), contents, ctx.device_code, other)


def restore_backup(booth: Booth, path: Path | str, *, actor: str, role: str,
                   other_device: bool = False) -> RestoreResult:
    """Put the backup ``path`` in place of the booth's database. A backup of another device
    is refused (``backup_other_device``) unless ``other_device`` says the user confirmed it.
    The app must reload afterwards: everything it has read is of the database replaced."""
    summary = inspect_backup(booth, path, actor=actor, role=role)
    if summary.other_device and not other_device:
        raise DomainError("backup_other_device", device=summary.contents.device_code,
                          ours=summary.this_device)
    done = restore(summary.path, booth.db.path)
    booth.db.dispose()  # pooled connections of the old file are let go
    booth.refresh()
    return with_head_office(booth, done, actor=actor, file_name=summary.path.name,
                            head_index=summary.contents.head_index)


def with_head_office(booth: Booth, done: RestoreResult, *, actor: str, file_name: str,
                     head_index: int | None) -> RestoreResult:
    """After ``restore`` on ``booth`` (the restored database): head office's numbers for this
    device and the ``backup.restore`` journal event (:func:`high_marks.after_restore`)."""
    from pos_app.services.sync.high_marks import after_restore

    after = after_restore(booth, done, actor=actor, file_name=file_name, head_index=head_index)
    raised = dict(done.raised)
    for name, (was, now) in after.raised.items():
        raised[name] = (raised.get(name, (was, now))[0], now)
    return replace(done, raised=raised, central=after.central, unknown=after.unknown)


STEP_UNSEEN = 1000  # numbers skipped by stock documents, SKUs and barcodes nobody can tell


def continue_numbering(booth: Booth, last_sale: str, *, actor: str, role: str,
                       last_kwitansi: str | None = None) -> dict[str, tuple[int, int]]:
    """An administrator ends a restore's ``marks_unknown`` without head office: sales (and
    kwitansi, when given) continue after the last number printed, on the receipt roll or
    the last Z report; stock documents, SKUs and in-store barcodes, which nobody can read
    off paper, skip :data:`STEP_UNSEEN` numbers. Never lowers a counter; journaled
    (``backup.numbers``) with who said so. Returns what was raised."""
    from pos_app.domain.numbering import parse_sale_number
    from pos_app.services.access import audit
    from pos_app.services.setup.booth import write_setting
    from pos_app.services.setup.records import Recorder, counters, raise_counters
    from pos_app.services.setup.restore import UNCHECKED, UNKNOWN

    roles.require(role, "restore_backup", actor)
    ctx = booth.context
    device, sale = parse_sale_number(last_sale)
    wanted = {"sale": sale}
    if device != ctx.device_code:
        raise DomainError("bad_sale_number", number=last_sale)
    if last_kwitansi:
        *_code, digits = last_kwitansi.strip().upper().rpartition("-")
        if not digits.isdigit() or len(digits) > 18:
            raise DomainError("bad_sale_number", number=last_kwitansi)
        wanted["kwitansi"] = int(digits)
    with booth.db.write() as s:
        for name, value in counters(s, ctx.device_id).items():
            if name in ("sku", "barcode") or name.startswith("stock."):
                wanted[name] = value + STEP_UNSEEN
        raised = raise_counters(s, ctx.device_id, wanted)
        write_setting(s, UNKNOWN, "")
        write_setting(s, UNCHECKED, "1")  # head office, when reached, may know more
        audit.append(Recorder(s, ctx.device_id, booth.clock.now()), actor, "backup.numbers",
                     "backup", "numbers", {"sale": last_sale, "kwitansi": last_kwitansi,
                                           "raised": {n: v for n, (_w, v) in raised.items()}})
    return raised
