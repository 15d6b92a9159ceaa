"""The archive's own words, in English and French, and dates written out in each language.

Pages show their interface words in every language of the kiosk (in the settings' order), so a visitor who answered in French reads the page as easily as one who
answered in English. A language with no entry here falls back to English. French
typography as in kiosk/i18n.py: a no-break space before : ? ! ;
"""

from __future__ import annotations

import functools

from kiosk import i18n
from kiosk.dates import MONTHS, format_date  # noqa: F401  (shared with the zine)

NBSP = "\u00a0"


def word(key: str, lang: str, **values: object) -> str:
    """One interface phrase in one language (English when the language has none)."""
    if not values:  # the same phrases on every page of a large site: looked up once
        return _word(key, lang)
    return i18n.t(key if key.startswith("archive.") else f"archive.{key}", lang, **values)


@functools.lru_cache(maxsize=1024)
def _word(key: str, lang: str) -> str:
    return i18n.t(key if key.startswith("archive.") else f"archive.{key}", lang)


def word_n(key: str, n: int, lang: str, **values: object) -> str:
    """The singular or plural form of an interface phrase for `n`."""
    return i18n.tn(f"archive.{key}", n, lang, **values)


def ui_languages(languages: list[str]) -> list[str]:
    """The languages the interface is shown in: the kiosk's own that we have words for, in the
    settings' order (`languages: [fr, en]`: French first, and the pages' language)."""
    known = [lang for lang in languages if i18n.speaks("archive.archive", lang)]
    return known or ["en"]
