"""Pictures embedded in an XLSX workbook and the row each is anchored on, read straight from
the workbook's parts (a ZIP of XML): the workbook names its sheets, each sheet's
relationships name its drawing, the drawing anchors each picture at a cell (``xdr:from``)
and its relationships name the picture's file under ``xl/media``.

openpyxl offers no public way to this: its read-only mode (the one that streams a million
rows) loads no pictures, its full mode keeps every picture of the workbook in memory, and
the anchor's cell is the private ``_from`` of its anchor objects. Only the anchors are read
here; a picture's bytes are read when asked for, one at a time, at most ``limit`` bytes.
"""

from __future__ import annotations

import posixpath
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
XDR = "{http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing}"
DRAWING_ML = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
DRAWING_TYPE = "/drawing"
ANCHORS = (f"{XDR}twoCellAnchor", f"{XDR}oneCellAnchor")
MAX_XML_BYTES = 16 * 2**20  # a workbook, sheet-relationship or drawing part larger: none read


@dataclass
class AnchoredImages:
    """``rows``: sheet title -> {row number as a spreadsheet shows it (1 = the first row):
    the picture's part in the workbook}; the first picture anchored on a row counts."""

    archive: zipfile.ZipFile | None
    rows: dict[str, dict[int, str]] = field(default_factory=dict)

    def of(self, sheet: str | None) -> dict[int, str]:
        return self.rows.get(sheet or "", {})

    def size(self, part: str) -> int:
        return self.archive.getinfo(part).file_size if self.archive else 0

    def read(self, part: str, limit: int) -> bytes:
        """At most ``limit + 1`` bytes of the picture ``part`` (more than ``limit``: too big,
        whatever the ZIP's own header claims)."""
        if self.archive is None:
            return b""
        with self.archive.open(part) as fh:
            return fh.read(limit + 1)


def _xml(archive: zipfile.ZipFile, part: str) -> ElementTree.Element | None:
    try:
        if archive.getinfo(part).file_size > MAX_XML_BYTES:
            return None
        return ElementTree.fromstring(archive.read(part))
    except (KeyError, ElementTree.ParseError, zipfile.BadZipFile, OSError, ValueError):
        return None


def _rels(archive: zipfile.ZipFile, part: str) -> dict[str, tuple[str, str]]:
    """A part's relationships: id -> (type, the target's part name)."""
    folder, name = posixpath.split(part)
    tree = _xml(archive, posixpath.join(folder, "_rels", f"{name}.rels"))
    out = {}
    for rel in tree.iter(f"{PKG_REL}Relationship") if tree is not None else ():
        target = rel.get("Target", "")
        if rel.get("TargetMode") == "External" or not target:
            continue
        full = target.lstrip("/") if target.startswith("/") else \
            posixpath.normpath(posixpath.join(folder, target))
        out[rel.get("Id", "")] = (rel.get("Type", ""), full)
    return out


def _anchored(archive: zipfile.ZipFile, drawing: str) -> dict[int, str]:
    tree = _xml(archive, drawing)
    if tree is None:
        return {}
    rels = _rels(archive, drawing)
    rows: dict[int, str] = {}
    for anchor in (a for tag in ANCHORS for a in tree.iter(tag)):
        row = anchor.find(f"{XDR}from/{XDR}row")
        blip = anchor.find(f".//{XDR}pic/{XDR}blipFill/{DRAWING_ML}blip")
        if row is None or blip is None or not (row.text or "").strip().isdigit():
            continue
        target = rels.get(blip.get(f"{REL}embed", ""))
        if target is not None and target[1] in archive.NameToInfo:
            rows.setdefault(int(row.text) + 1, target[1])
    return dict(sorted(rows.items()))


def _read(archive: zipfile.ZipFile) -> dict[str, dict[int, str]]:
    book = _xml(archive, "xl/workbook.xml")
    if book is None:
        return {}
    sheets = _rels(archive, "xl/workbook.xml")
    out: dict[str, dict[int, str]] = {}
    for sheet in book.iter(f"{MAIN}sheet"):
        part = sheets.get(sheet.get(f"{REL}id", ""), ("", ""))[1]
        rows = out.setdefault(sheet.get("name", ""), {})
        for kind, drawing in _rels(archive, part).values() if part else ():
            if kind.endswith(DRAWING_TYPE):
                for row, picture in _anchored(archive, drawing).items():
                    rows.setdefault(row, picture)
    return {name: rows for name, rows in out.items() if rows}


@contextmanager
def anchored_images(path: Path) -> Iterator[AnchoredImages]:
    """The pictures anchored on the rows of the workbook ``path`` (none for a CSV, or a file
    that is no readable workbook: reading its rows says what is wrong with it)."""
    if Path(path).suffix.lower() != ".xlsx":
        yield AnchoredImages(None)
        return
    try:
        archive = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile, ValueError):
        yield AnchoredImages(None)
        return
    with archive:
        yield AnchoredImages(archive, _read(archive))


__all__ = ["AnchoredImages", "anchored_images"]
