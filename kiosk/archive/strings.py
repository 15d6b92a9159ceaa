"""The archive's own words, in English and French, and dates written out in each language.

Pages show their interface words in every language of the kiosk (in the settings' order), so a visitor who answered in French reads the page as easily as one who
answered in English. A language with no entry here falls back to English. French
typography as in kiosk/i18n.py: a no-break space before : ? ! ;
"""

from __future__ import annotations

from datetime import date, datetime

from kiosk import i18n

NBSP = "\u00a0"


MONTHS = {
    "en": ["January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December"],
    "fr": ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
           "octobre", "novembre", "décembre"],
}


def word(key: str, lang: str, **values: object) -> str:
    """One interface phrase in one language (English when the language has none)."""
    return i18n.t(key if key.startswith("archive.") else f"archive.{key}", lang, **values)


def word_n(key: str, n: int, lang: str, **values: object) -> str:
    """The singular or plural form of an interface phrase for `n`."""
    return i18n.tn(f"archive.{key}", n, lang, **values)


def ui_languages(languages: list[str]) -> list[str]:
    """The languages the interface is shown in: the kiosk's own that we have words for, in the
    settings' order (`languages: [fr, en]`: French first, and the pages' language)."""
    known = [lang for lang in languages if i18n.speaks("archive.archive", lang)]
    return known or ["en"]


def format_date(value: str, lang: str) -> str:
    """'2026-11-21' or an ISO timestamp as '21 November 2026' / '21 novembre 2026' (with the time if given)."""
    try:
        if "T" in value:
            dt = datetime.fromisoformat(value)
            d, clock = dt.date(), dt.strftime("%H:%M")
        else:
            d, clock = date.fromisoformat(value), ""
    except ValueError:
        return value
    months = MONTHS.get(lang, MONTHS["en"])
    day = "1er" if (lang == "fr" and d.day == 1) else str(d.day)
    text = f"{day} {months[d.month - 1]} {d.year}"
    if clock:
        # French: "14 h 03", held together by no-break spaces.
        text += f", {clock.replace(':', NBSP + 'h' + NBSP)}" if lang == "fr" else f", {clock}"
    return text
