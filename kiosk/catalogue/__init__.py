"""Every word the kiosk shows people, in one catalogue: the app, the printed zine, the web archive.

The words are data, one JSON file per part (app.json, zine.json, archive.json beside this
file), so that a translator edits text and never code. Keys are namespaced by where they are
shown: the app's by screen ("welcome.*", "tool.*", "fac.*"), the printed zine's "zine.*", the
web archive's "archive.*". Plural forms end in ".one" / ".other" and are chosen by
`kiosk.i18n.tn`. The three files are one table, looked up one way (kiosk.i18n).
"""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

PARTS = ("app", "zine", "archive")


def _unique(pairs: list[tuple[str, dict[str, str]]]) -> dict[str, dict[str, str]]:
    keys = [key for key, _ in pairs]
    twice = sorted({key for key in keys if keys.count(key) > 1})
    if twice:
        raise ValueError(f"defined twice in one file of kiosk/catalogue: {', '.join(twice)}")
    return dict(pairs)


def source(part: str) -> Path:
    """The file that holds one part's words (builds key their pages on it)."""
    return Path(str(resources.files(__name__).joinpath(f"{part}.json")))


def _load(part: str) -> dict[str, dict[str, str]]:
    return json.loads(source(part).read_text(encoding="utf-8"), object_pairs_hook=_unique)


def _merge(*tables: dict[str, dict[str, str]]) -> dict[str, dict[str, str]]:
    merged: dict[str, dict[str, str]] = {}
    for table in tables:
        for key, entry in table.items():
            if key in merged:
                raise ValueError(f"the word {key!r} is defined twice in kiosk/catalogue")
            merged[key] = entry
    return merged


CATALOGUE: dict[str, dict[str, str]] = _merge(*(_load(part) for part in PARTS))
