"""Translations (gettext catalogs in ``resources/locale``, compiled in memory with Babel).

Source strings are English; Bahasa Indonesia is the default language. The core marks strings
with ``N_``; the CLI and UI translate with ``_``.
"""

from __future__ import annotations

import gettext
import io

from pos_app.paths import resources_dir

DOMAIN = "lapak"
LANGUAGES = {"id": "Bahasa Indonesia", "en": "English"}
DEFAULT_LANGUAGE = "id"

_active: gettext.NullTranslations = gettext.NullTranslations()
_language = "en"


def catalog_path(lang: str):
    return resources_dir() / "locale" / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def load(lang: str) -> gettext.NullTranslations:
    """The translations for ``lang``; English (the source) and unknown languages are identity."""
    path = catalog_path(lang)
    if lang == "en" or not path.exists():
        return gettext.NullTranslations()
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with path.open("rb") as fh:
        catalog = read_po(fh, locale=lang, domain=DOMAIN)
    buf = io.BytesIO()
    write_mo(buf, catalog)
    buf.seek(0)
    return gettext.GNUTranslations(buf)


def set_language(lang: str) -> None:
    global _active, _language
    lang = lang if lang in LANGUAGES else DEFAULT_LANGUAGE
    _active, _language = load(lang), lang


def language() -> str:
    return _language


def _(message: str) -> str:
    return _active.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _active.ngettext(singular, plural, n)
