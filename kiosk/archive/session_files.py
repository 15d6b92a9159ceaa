"""A session's downloads in the archive: its metadata as CSV and, when it may go online, its zine.

The CSV is the export's (kiosk/export/metadata.py: the same columns, the same writer), for the
session's public responses only. Its `filename`, `svg` and `strokes` columns name the files as
an export's bag holds them ({id}.png ...); in the site the PNG and SVG are r/{id}/drawing.png
and drawing.svg, and the strokes are only in an export (the column says which file to ask for).

A zine PDF prints every answer that is not hidden, print-only ones included: so a session's
zine goes online only when none of its responses is print-only or hidden, and only a PDF
made after its newest response (an older one may miss it) and after the build that found one
of its published answers deleted (an older one still prints it).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from kiosk.errors import KioskError
from kiosk.export import metadata
from kiosk.store import Response, Store

CSV_NAME = "responses.csv"
LAYOUTS = ("pages", "booklet", "minizine")  # the first found is linked: `pages` reads best on a screen
PAPERS = ("a4", "letter")


def csv_version() -> str:
    return metadata.EXPORT_FORMAT + ",".join(metadata.HEADER)


def csv_rows(rs: list[Response], title: str, rights: str, license: str) -> list[list[str]]:
    """The export's rows for these responses (also the CSV's key: cheaper than rendering it)."""
    return [metadata.response_row(r, title, rights, license) for r in rs]


def session_csv(rows: list[list[str]]) -> bytes:
    return metadata.csv_bytes(metadata.HEADER, rows)


def _epoch(stamp: str) -> float:
    try:
        return datetime.fromisoformat(stamp).timestamp()
    except ValueError:
        return float("inf")  # unknown: no PDF counts as newer


def _found(data: Path, slug: str, newest: float) -> Path | None:
    for layout in LAYOUTS:
        for paper in PAPERS:
            path = data / "zines" / f"{slug}-{layout}-{paper}.pdf"
            try:
                if path.is_file() and path.stat().st_mtime >= newest:
                    return path
            except OSError:
                continue
    return None


def zine_for(store: Store, settings: Any, slug: str, unpublished: int, rs: list[Response], make: bool,
             problems: list[str], not_before: float = 0.0) -> Path | None:
    """The session's zine PDF to publish, or None. `make`: build one (layout pages) when none is found.
    `not_before`: when an answer of the session was found withdrawn (deleted): an older PDF may print it."""
    if unpublished or not rs:
        return None  # the zine would show print-only or hidden answers
    data = Path(settings.data)
    newest = max(not_before, *(_epoch(r.created) for r in rs))
    found = _found(data, slug, newest)
    if found is not None or not make:
        return found
    from kiosk.zine.build import build_zine  # only for --include-zine: the zine's code is large

    try:
        return build_zine(store, settings, [slug], layout="pages", paper="a4").path
    except KioskError as exc:
        problems.append(f"zine of {slug}: {exc}")
        return None
