"""Where an export lands: it is written into a temporary folder beside the target and renamed
into place at the end, so a cancelled or failed export leaves nothing under the final name
(and one killed leaves a temporary the next export there sweeps up: ``adapters.workfiles``);
a target that already holds something is refused before any work begins."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from pos_app.adapters import workfiles
from pos_app.domain.errors import DomainError, cannot_write

__all__ = ["cannot_write", "check_free", "hashes", "place", "temp_folder", "write_text"]


def temp_folder(target: Path) -> Path:
    """A new hidden folder beside ``target`` (its parent made if need be)."""
    try:
        if not target.parent.exists():
            target.parent.mkdir(parents=True)
        workfiles.sweep(target)  # what a killed export of the same target left
        tmp = workfiles.temp_name(target)
        tmp.mkdir()
    except OSError as exc:
        raise cannot_write(target, exc) from exc
    return tmp


def check_free(target: Path) -> None:
    """Refuse an export target that already holds something (a file, a non-empty folder)."""
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise DomainError("export_exists", path=str(target))


def place(tmp: Path, target: Path) -> None:
    """Rename ``tmp`` to ``target`` (an empty folder already there is replaced)."""
    if target.is_dir() and not target.is_symlink():
        target.rmdir()  # empty: checked before the export began
    os.replace(tmp, target)


def write_text(path: Path, text: str) -> None:
    with path.open("w", encoding="utf-8", newline="\n") as fh:
        fh.write(text)


def hashes(folder: Path) -> dict[str, str]:
    """path relative to ``folder`` (POSIX) -> SHA-256, for every file under it."""
    out = {}
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest = hashlib.sha256()
        with path.open("rb") as fh:
            for block in iter(lambda fh=fh: fh.read(1 << 20), b""):
                digest.update(block)
        out[path.relative_to(folder).as_posix()] = digest.hexdigest()
    return out
