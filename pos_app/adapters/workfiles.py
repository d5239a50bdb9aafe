"""Temporary files and folders a writer renames into place when it is done (a backup, an
export, a bundle), and the sweeping up of those a killed writer left behind.

A temporary name is hidden, sits beside its target (so the final rename stays on one file
system) and says which process made it: ``.<target>.<pid>-<start>.<random>.part``, ``start``
being the process's start time. On the next run for the same target, a temporary whose
process is gone (or is another process under a reused pid) is removed; one a running writer
still holds is left alone. A name the user chose is never touched: only names of this form."""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import shutil
from functools import cache
from pathlib import Path

import psutil

__all__ = ["sweep", "temp_name"]


@cache
def _me() -> str:
    return f"{os.getpid()}-{int(psutil.Process().create_time())}"


def temp_name(target: Path) -> Path:
    """A fresh temporary name for ``target`` (nothing is created)."""
    target = Path(target)
    return target.with_name(f".{target.name}.{_me()}.{secrets.token_hex(6)}.part")


def _alive(pid: int, start: int) -> bool:
    try:
        return int(psutil.Process(pid).create_time()) == start
    except (psutil.NoSuchProcess, psutil.AccessDenied, psutil.ZombieProcess):
        return False


def sweep(target: Path) -> list[Path]:
    """Remove the temporaries of ``target`` whose writer is gone; returns those removed.
    Never raises: what cannot be removed stays (and is tried again next time)."""
    target = Path(target)
    pattern = re.compile(rf"\.{re.escape(target.name)}\.(\d+)-(\d+)\.[0-9a-f]+\.part")
    removed = []
    try:
        siblings = list(target.parent.iterdir())
    except OSError:
        return removed
    for path in siblings:
        found = pattern.fullmatch(path.name)
        if found is None or _alive(int(found[1]), int(found[2])):
            continue
        with contextlib.suppress(OSError):
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path)
            else:
                path.unlink()
            removed.append(path)
    return removed
