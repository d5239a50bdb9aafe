"""The Indonesian catalog keeps up with the code: every message extracted from pos_app has a
non-empty translation with the same {placeholders}, so nothing falls back to English unseen."""

from __future__ import annotations

import string
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

import pos_app
from pos_app import i18n
from pos_app.domain.errors import DomainError

ROOT = Path(pos_app.__file__).resolve().parent.parent
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2)}


def extracted() -> dict[str | tuple[str, ...], list[str]]:
    """msgid (or singular/plural pair) -> where it is used."""
    with (ROOT / "resources" / "locale" / "babel.cfg").open(encoding="utf-8") as fh:
        method_map, options_map = parse_mapping_cfg(fh)
    found: dict[str | tuple[str, ...], list[str]] = {}
    for filename, lineno, message, _comments, _context in extract_from_dir(
            ROOT / "pos_app", method_map, options_map, keywords=KEYWORDS):
        found.setdefault(message, []).append(f"pos_app/{filename}:{lineno}")
    return found


def catalog():
    with i18n.catalog_path("id").open("rb") as fh:
        return read_po(fh, locale="id", domain=i18n.DOMAIN, abort_invalid=True)


def fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def test_extraction_sees_the_core_the_cli_and_the_ui() -> None:
    found = extracted()
    assert "Payment is short by {short}" in found  # N_ in domain/errors/texts.py
    assert "Database ready: {path} (device {device}, {count} products)" in found  # cli.py
    assert "Exact amount" in found and "Park" in found  # ui
    assert ("{count} item", "{count} items") in found  # ngettext
    assert len(found) > 150


def test_every_message_has_an_indonesian_translation_with_the_same_fields() -> None:
    po = catalog()
    assert po.num_plurals == 1  # Indonesian has no plural forms
    problems = []
    for msgid, where in sorted(extracted().items(), key=str):
        key = msgid[0] if isinstance(msgid, tuple) else msgid
        message = po.get(key)
        if message is None or message.fuzzy:
            problems.append(f"untranslated {msgid!r} ({where[0]})")
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if not all(s.strip() for s in strings):
            problems.append(f"empty translation of {msgid!r} ({where[0]})")
        sources = msgid if isinstance(msgid, tuple) else (msgid,)
        wanted = set().union(*(fields(s) for s in sources))
        for s in strings:
            if fields(s) != wanted:
                problems.append(f"{msgid!r}: placeholders {sorted(fields(s))} != {sorted(wanted)}")
    assert problems == []


@pytest.mark.parametrize(("code", "params", "expected"), [
    ("payment_short", {"short": "Rp5.000"}, "Pembayaran kurang Rp5.000"),
    ("empty_cart", {}, "Keranjang masih kosong"),
    ("backup_other_device", {"device": "SBA-02", "ours": "KPG-01"},
     "Cadangan ini milik perangkat SBA-02, bukan perangkat ini (KPG-01)"),
    ("backup_second_missing", {"folder": "E:\\lapak"},
     "Folder cadangan kedua tidak ada: E:\\lapak"),
    ("bad_database", {"path": "foto.db"}, "Bukan basis data Lapak: foto.db"),
])
def test_domain_errors_read_in_indonesian(code, params, expected) -> None:
    previous = i18n.language()
    i18n.set_language("id")
    try:
        assert DomainError(code, **params).message(i18n._) == expected
        assert i18n._("Exact amount") == "Uang pas"
        assert i18n.ngettext("{count} item", "{count} items", 3) == "{count} barang"
    finally:
        i18n.set_language(previous)
