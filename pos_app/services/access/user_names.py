"""User names as people tell them apart: ``Kasir``, ``kasir`` and ``Ｋasir`` (a full-width K)
are one name, and a name mixing alphabets (``Kаsir`` with a Cyrillic а) is refused, since
it would look like another user's on the login screen (the single-script rule of Unicode's
TR39 restriction levels)."""

from __future__ import annotations

import unicodedata

from pos_app.domain.errors import DomainError

__all__ = ["check_one_script", "name_key"]


def name_key(name: str) -> str:
    """What two names are compared by: compatibility-normalised (NFKC), then case-folded."""
    return unicodedata.normalize("NFKC", name).casefold().strip()


def _script(ch: str) -> str | None:
    """The alphabet a letter belongs to, from its Unicode name (``LATIN``, ``CYRILLIC``...);
    None for what is not a letter (digits, spaces, punctuation mix with anything)."""
    if not ch.isalpha():
        return None
    words = unicodedata.name(ch, "").split()
    if not words:
        return "UNKNOWN"
    return "CJK" if words[0] in ("CJK", "HIRAGANA", "KATAKANA") else words[0]


def check_one_script(name: str) -> str:
    """``name`` unchanged, or ``user_name_mixed_scripts`` when its letters come from more
    than one alphabet (after NFKC, so a full-width Latin letter counts as Latin)."""
    scripts = {s for ch in unicodedata.normalize("NFKC", name) if (s := _script(ch))}
    if len(scripts) > 1:
        raise DomainError("user_name_mixed_scripts", name=name)
    return name
