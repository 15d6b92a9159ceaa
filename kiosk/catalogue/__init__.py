"""Every word the kiosk shows people, in one catalogue: the app, the printed zine, the web archive.

Keys are namespaced by where they are shown: the app's by screen ("welcome.*", "tool.*",
"fac.*"), the printed zine's "zine.*", the web archive's "archive.*". Plural forms end in
".one" / ".other" and are chosen by `kiosk.i18n.tn`. Each part's words live in its own file
here so that they are easy to find; they are one table, looked up one way (kiosk.i18n).
"""

from __future__ import annotations

from kiosk.catalogue import app, archive, zine


def _merge(*tables: dict[str, dict[str, str]]) -> dict[str, dict[str, str]]:
    merged: dict[str, dict[str, str]] = {}
    for table in tables:
        for key, entry in table.items():
            if key in merged:
                raise ValueError(f"the word {key!r} is defined twice in kiosk/catalogue")
            merged[key] = entry
    return merged


CATALOGUE: dict[str, dict[str, str]] = _merge(app.WORDS, zine.WORDS, archive.WORDS)
