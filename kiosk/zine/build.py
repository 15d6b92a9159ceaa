"""build_zine: a session's responses to a printable PDF. The command and the kiosk's facilitator
screen both call this.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date as Date
from pathlib import Path

from kiosk import __version__, atomic
from kiosk.errors import KioskError
from kiosk.store import Response, Session, Store
from kiosk.zine import qr
from kiosk.zine.content import Content, Entry, asked_questions, padding_questions, session_summary, tallies
from kiosk.zine.imposition import check_choice, page_size, sheet_count, sides
from kiosk.zine.layout import STYLES, assemble, content_width
from kiosk.zine.pdf import Meta, write_pdf
from kiosk.zine.prepare import Prepared, prepare_all, workers_for

NO_BASE_URL = ("No archive address is set, so the zine has no QR codes: "
               "set archive_base_url in the settings, or give --base-url https://…")

PAGES_PER_SIDE = {"minizine": 8, "booklet": 2, "pages": 1}
OUT_FIX = "give --out a file in a folder you can write to (with free space), or fix that folder's permissions"


@dataclass
class ZineResult:
    path: Path
    pages: int  # the zine's pages, padding included
    sheets: int  # sheets of paper it prints on
    left_out: list[str] = field(default_factory=list)  # "id: reason"
    warnings: list[str] = field(default_factory=list)
    pdf_pages: int = 0  # pages in the PDF file (sheet sides)


def default_path(settings, sessions: list[str], layout: str, paper: str) -> Path:
    # Slugs come from validated records; inside() makes sure no name ever leaves zines/.
    return atomic.inside(Path(settings.data) / "zines", f"{'+'.join(sessions)}-{layout}-{paper}.pdf")


def resolve_base_url(base_url: str | None, settings) -> str:
    """The archive address to link to: --base-url, else the settings', else "" (no QR codes)."""
    if base_url:
        return qr.check_base_url(base_url)
    configured = getattr(settings, "archive_base_url", "") or ""
    return qr.check_base_url(configured, "archive_base_url") if configured else ""


def _output_path(out: Path | None, default: Path) -> Path:
    """Where to write, with its folder made and found writable before any work is done."""
    path = Path(out).expanduser() if out else default
    if path.is_dir():
        path = path / default.name
    if path.suffix.lower() != ".pdf":
        raise KioskError(f"{path} does not end in .pdf.", "give --out a file name ending in .pdf")
    folder = path.parent
    if folder.exists() and not folder.is_dir():
        raise KioskError(f"Cannot write the zine into {folder}: it is a file, not a folder.", OUT_FIX)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise KioskError(f"Cannot make the folder {folder} for the zine: {exc.strerror or exc}.", OUT_FIX) from exc
    if not os.access(folder, os.W_OK | os.X_OK):
        raise KioskError(f"Cannot write the zine into {folder}: permission is denied.", OUT_FIX)
    return path


def _write(path: Path, data: bytes) -> None:
    try:
        atomic.write_bytes(path, data)
    except KioskError as exc:  # its fix speaks of --data; here the way out is --out
        raise KioskError(exc.problem, OUT_FIX) from exc


def _load_prompt_set(settings, warnings: list[str]):
    """The question set, for the tallies' options and the padding pages; None if it cannot be read."""
    try:
        from kiosk.prompts import load_prompt_set

        return load_prompt_set(settings.prompts)
    except (KioskError, OSError, ImportError) as exc:
        warnings.append(f"The question set {getattr(settings, 'prompts', '')} could not be read "
                        f"({str(exc).splitlines()[0]}); the tallies show only the options chosen.")
        return None


def _entries(prepared: Iterable[Prepared], store: Store, left_out: list[str], warnings: list[str]) -> list[Entry]:
    entries = []
    for p in prepared:
        r = p.response
        if p.damaged:
            left_out.append(f"{r.id}: its drawing is damaged ({p.damaged})")
            warnings.append(f"Left out response {r.id}: its strokes file is damaged: {p.damaged}. "
                            "`kiosk check` lists damaged files; restore it from a backup or an export.")
            continue
        answer = r.answer_text()
        if p.art is None and not answer.strip():
            left_out.append(f"{r.id}: nothing to show (an empty drawing and no answer)")
            continue
        entries.append(Entry(r, store.response_number(r), r.question(), answer, r.created[:10], p.url, p.art,
                             p.matrix))
    return entries


def _check_cover(cover: str, responses: list[Response], sessions: list[str]) -> None:
    """Before any work: the cover must be a shown response of these sessions, with a drawing."""
    if not any(r.id == cover.strip().lower() and r.has_drawing for r in responses):
        raise KioskError(f"Cannot put response {cover} on the cover: it is not a drawing shown in "
                         f"{', '.join(sessions)} (unknown, hidden, without a drawing or from another session).",
                         "choose a shown drawing of this session (`kiosk responses list --session S`)")


def _cover(entries: list[Entry], cover: str | None) -> Entry | None:
    """The facilitator's choice, else the first public drawing, else the first drawing."""
    drawn = [e for e in entries if e.art is not None]
    if cover:
        chosen = next((e for e in drawn if e.response.id == cover.strip().lower()), None)
        if chosen is None:
            raise KioskError(f"Cannot put response {cover} on the cover: its drawing is damaged or empty.",
                             "choose another drawing for --cover (`kiosk check` lists damaged files)")
        return chosen
    return next((e for e in drawn if e.response.consent == "public"), drawn[0] if drawn else None)


def _content(settings, found: list[Session], shown: list[Response], entries: list[Entry], base: str,
             title: str | None, cover: str | None, warnings: list[str]) -> Content:
    prompt_set = _load_prompt_set(settings, warnings)
    languages = list(getattr(settings, "languages", None) or ["en"])
    asked = asked_questions(shown, languages, prompt_set)
    zine_title, place, when = session_summary(found, title)
    return Content(
        organization=settings.organization,
        title=zine_title,
        place=place,
        date=when,
        languages=languages,
        entries=entries,
        questions=asked,
        tallies=tallies(shown, languages, prompt_set),
        cover=_cover(entries, cover),
        session_links=[(s.title, qr.session_url(base, s.slug)) for s in found] if base else [],
        padding_questions=padding_questions(asked, languages, prompt_set),
        made=Date.today().isoformat(),
    )


def build_zine(store: Store, settings, sessions: list[str], layout: str = "minizine", paper: str = "a4",
               out: Path | None = None, base_url: str | None = None, title: str | None = None,
               progress: Callable[[int, int], None] | None = None, cover: str | None = None,
               workers: int | None = None) -> ZineResult:
    """Compile the sessions' shown responses into a zine PDF and write it (atomically).

    Raises KioskError for anything the user can fix: an unknown session, one without
    responses, a bad base URL, an output folder that cannot be written. A damaged drawing
    is left out with a warning. `workers`: processes preparing the drawings (default: one
    per core for a big zine, none for a small one).
    """
    check_choice(layout, paper)
    base = resolve_base_url(base_url, settings)
    if not sessions:
        raise KioskError("No session was named.", "give --session SLUG (`kiosk session list` shows them)")
    found: list[Session] = [store.session(slug) for slug in dict.fromkeys(sessions)]
    slugs = [s.slug for s in found]
    path = _output_path(out, default_path(settings, slugs, layout, paper))

    responses = [r for s in found for r in store.responses(s.slug)]
    if not responses:
        raise KioskError(f"Session {', '.join(slugs)} has no responses yet, so there is nothing to print.",
                         "let visitors answer first, or choose another session (`kiosk session list`)")
    left_out = [f"{r.id}: hidden (moderation)" for r in responses if r.hidden]
    shown = [r for r in responses if not r.hidden]
    if not shown:
        raise KioskError(f"Every response of {', '.join(slugs)} is hidden, so there is nothing to print.",
                         "show some again with `kiosk unhide ID`")
    if cover:
        _check_cover(cover, shown, slugs)
    warnings: list[str] = [] if base else [NO_BASE_URL]

    style = STYLES[layout]
    # Progress counts the responses read, then the sheet sides painted (estimated until known).
    total = len(shown) + -(-(len(shown) + 4) // PAGES_PER_SIDE[layout])
    done = 0

    def tick(k: int = 1) -> None:
        nonlocal done
        done += k
        if progress:
            progress(min(done, total), total)

    if progress:
        progress(0, total)
    art_width = content_width(style, page_size(layout, paper)[0])
    prepared = prepare_all(store, shown, art_width, base, workers_for(len(shown), workers), tick)
    entries = _entries(prepared, store, left_out, warnings)
    content = _content(settings, found, shown, entries, base, title, cover, warnings)
    pages = assemble(content, layout, style)
    layout_sides = sides(layout, paper, len(pages))
    total = len(shown) + len(layout_sides)
    meta = Meta(
        title=content.title,
        author=settings.organization,
        subject=f"A zine of {content.title} ({content.date}): {len(entries)} answers, {layout} on {paper}",
        keywords=f"kiosk-zine layout={layout} paper={paper}",
        creator=f"kiosk {__version__}",
    )
    data = write_pdf(pages, layout_sides, layout, meta, tick)
    _write(path, data)
    return ZineResult(path, len(pages), sheet_count(layout, len(pages)), left_out, warnings, len(layout_sides))
