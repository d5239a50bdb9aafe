"""Translations (gettext catalogs in ``resources/locale``, compiled in memory with Babel).

Source strings are English; Bahasa Indonesia is the default language. The core marks strings
with ``N_``; the CLI and UI translate with ``_``.
"""

from __future__ import annotations

import gettext
import io
from pathlib import Path

from pos_app.paths import resources_dir

DOMAIN = "lapak"
LANGUAGES = {"id": "Bahasa Indonesia", "en": "English"}
DEFAULT_LANGUAGE = "id"

_active: gettext.NullTranslations = gettext.NullTranslations()
_language = "en"


def catalog_path(lang: str):
    return resources_dir() / "locale" / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def compile_catalog(po: Path) -> bytes:
    """The ``.mo`` form of a ``.po`` catalog, compiled with Babel."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with po.open("rb") as fh:
        catalog = read_po(fh, domain=DOMAIN)
    buf = io.BytesIO()
    write_mo(buf, catalog)
    return buf.getvalue()


def _compiled(po: Path) -> bytes:
    """The compiled catalog, cached per user and rebuilt whenever the ``.po`` changes
    (compiling on every start costs more than the rest of the translation work)."""
    from platformdirs import user_cache_path

    stat = po.stat()
    key = f"{po.parent.parent.name}-{stat.st_size}-{stat.st_mtime_ns}.mo"
    cached = user_cache_path("lapak-pos", appauthor=False) / "locale" / key
    try:
        return cached.read_bytes()
    except OSError:
        pass
    data = compile_catalog(po)
    try:
        cached.parent.mkdir(parents=True, exist_ok=True)
        tmp = cached.with_suffix(".part")
        tmp.write_bytes(data)
        tmp.replace(cached)
    except OSError:  # a read-only home still gets translations, just compiled each time
        pass
    return data


def load(lang: str) -> gettext.NullTranslations:
    """The translations for ``lang``; English (the source) and unknown languages are identity."""
    path = catalog_path(lang)
    if lang == "en" or not path.exists():
        return gettext.NullTranslations()
    return gettext.GNUTranslations(io.BytesIO(_compiled(path)))


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
