"""Text people type or import, checked before it is stored: no control characters, and no
longer than the column that holds it centrally (the booth's own column has the same limit).

A NUL byte can never be sent to PostgreSQL, and a text longer than its central column is
refused there: either would be quarantined at sync instead of arriving. So every entry point
(catalog import, product add, user names, payment references, reasons, notes) refuses such
text at once, with one translated line naming the field. A line break is allowed only where
the field is shown on several lines (``multiline``).
"""

from __future__ import annotations

import unicodedata

from pos_app.domain.errors import BIDI, N_, DomainError, Message

# Control characters (NUL, tab, escape, DEL ...), lone surrogates, line and paragraph separators.
_REFUSED_CATEGORIES = frozenset(("Cc", "Cs", "Zl", "Zp"))

# Field labels, as the refusal names them.
PRODUCT_NAME = N_("Product name")
USER_NAME = N_("User name")
FACILITY_NAME = N_("Facility name")
PAYMENT_REFERENCE = N_("Payment reference")
REASON = N_("Reason")
NOTE = N_("Note")
REFERENCE = N_("Reference")
EVENT_NAME = N_("Event name")


# A search box or --search reads at most this many characters: more finds nothing a shorter
# text would not, and SQLite refuses a LIKE pattern past 50,000 bytes ("too complex").
MAX_SEARCH = 200


def search_text(query: str | None) -> str:
    """What a search looks for: ``query`` with its spaces collapsed, cut to
    :data:`MAX_SEARCH` characters (the rest is ignored, not refused: a search only reads)."""
    return " ".join((query or "").split())[:MAX_SEARCH].strip()


def has_control(text: str, *, multiline: bool = False) -> bool:
    """Does ``text`` hold a character refused at entry (a line break only unless
    ``multiline``)?"""
    for ch in text:
        if multiline and ch == "\n":
            continue
        if ch in BIDI or unicodedata.category(ch) in _REFUSED_CATEGORIES:
            return True
    return False


def check_text(value: str, label: str, limit: int, *, multiline: bool = False) -> str:
    """``value`` as given, or the refusal: it holds a control character (see
    :func:`has_control`), or it is longer than ``limit`` characters. ``label`` names the
    field (a msgid, translated where the refusal is shown)."""
    if has_control(value, multiline=multiline):
        raise DomainError("text_control_char", field=Message(label))
    if len(value) > limit:
        raise DomainError("text_too_long", field=Message(label), max=limit)
    return value


__all__ = ["BIDI", "EVENT_NAME", "FACILITY_NAME", "MAX_SEARCH", "NOTE", "PAYMENT_REFERENCE",
           "PRODUCT_NAME", "REASON", "REFERENCE", "USER_NAME", "check_text", "has_control",
           "search_text"]
