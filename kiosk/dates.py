"""Dates written out in each language ('21 November 2026', '1er décembre 2026'): one function for
the zine and the archive."""

from __future__ import annotations

from datetime import date, datetime

NBSP = "\u00a0"

MONTHS = {
    "en": ["January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December"],
    "fr": ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
           "octobre", "novembre", "décembre"],
}


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
    months = MONTHS.get(lang.split("-")[0], MONTHS["en"])
    day = "1er" if (lang.startswith("fr") and d.day == 1) else str(d.day)
    text = f"{day} {months[d.month - 1]} {d.year}"
    if clock:
        # French: "14 h 03", held together by no-break spaces.
        text += f", {clock.replace(':', NBSP + 'h' + NBSP)}" if lang.startswith("fr") else f", {clock}"
    return text
