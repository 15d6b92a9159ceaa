"""Looking up the words people see, in English and French: one lookup, no pygame.

The words are in kiosk/catalogue/ (app, zine, archive), keys namespaced ("tool.undo",
"zine.colophon", "archive.sessions"). `t(key, lang, **values)` fills
`{name}` placeholders; `tn(key, n, lang)` picks the singular or plural form (".one" /
".other"). A language the catalogue lacks falls back to English, so a question set in
Portuguese still shows working buttons. French typography: a no-break space (U+00A0)
comes before ? ! : ; and inside « », and apostrophes are typographic (’).
"""

from __future__ import annotations

import functools
import re

from kiosk.catalogue import CATALOGUE

LANGUAGES = ("en", "fr")
FALLBACK = "en"
NBSP = "\u00a0"

# How each language names itself on the welcome screen (words, never flags).
LANGUAGE_NAMES = {"en": "English", "fr": "Français", "de": "Deutsch", "es": "Español", "it": "Italiano",
                  "nl": "Nederlands", "pt": "Português", "pt-BR": "Português (Brasil)"}


_BEFORE_SIGN = re.compile(r"[ \u202f]+([?!:;»])")
_AFTER_GUILLEMET = re.compile(r"«[ \u202f]+")


@functools.lru_cache(maxsize=4096)
def typeset(text: str) -> str:
    """Visitors' typed text with French spacing: a space typed before ? ! : ; » or after « becomes
    a no-break space, so the sign never starts a line. The app, the zine and the archive all
    show typed text through this one function (remembered: an archive sets the same questions
    and titles on each of thousands of pages)."""
    return _AFTER_GUILLEMET.sub("«" + NBSP, _BEFORE_SIGN.sub(NBSP + "\\1", text))


def _own(entry: dict[str, str], lang: str) -> str | None:
    """The entry's text in `lang` or its base language ("pt-BR" -> "pt"), if it has one."""
    return entry.get(lang) or entry.get(lang.split("-")[0])


def t(key: str, lang: str, **values: object) -> str:
    """The text for `key` in `lang` (English if the catalogue lacks that language), filled in.

    This is the one fallback rule: the language, then its base language, then English."""
    entry = CATALOGUE[key]
    text = _own(entry, lang) or entry[FALLBACK]
    return text.format(**values) if values else text


def speaks(key: str, lang: str) -> bool:
    """Whether `key` has its own text in `lang` (headings shown in every language that has one)."""
    return _own(CATALOGUE[key], lang) is not None


def plural_form(n: int, lang: str) -> str:
    """"one" or "other": French treats 0 and 1 as singular, English only 1."""
    singular = n in (0, 1) if lang.split("-")[0] == "fr" else n == 1
    return "one" if singular else "other"


def tn(key: str, n: int, lang: str, **values: object) -> str:
    """The singular (".one") or plural (".other") form of `key` for `n`."""
    return t(f"{key}.{plural_form(n, lang)}", lang, n=n, **values)


def has(key: str) -> bool:
    return key in CATALOGUE


def language_name(code: str) -> str:
    """How a language names itself ("Français"), or its code when unknown."""
    return LANGUAGE_NAMES.get(code) or LANGUAGE_NAMES.get(code.split("-")[0]) or code
