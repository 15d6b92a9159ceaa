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
from kiosk.tally import tally
from kiosk.zine import qr
from kiosk.zine.content import Content, Entry, asked_questions, padding_questions, session_summary
from kiosk.zine.imposition import check_choice, page_size, part_sides
from kiosk.zine.layout import STYLES, assemble, content_width, question_pages
from kiosk.zine.pdf import Meta, write_pdf
from kiosk.zine.plan import SHEETS_PER_VOLUME, Plan, plan
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
    plan: Plan | None = None  # its parts (minizine sheets, booklet volumes), staples, folds, cuts

    @property
    def volumes(self) -> int:
        """Booklet volumes, minizine sheets (each a complete zine), or 1."""
        return len(self.plan.parts) if self.plan else 1


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
        if os.statvfs(folder).f_flag & os.ST_RDONLY:  # os.access says no for a read-only disk too
            raise KioskError(f"Cannot write the zine into {folder}: the disk is read-only.",
                             "give --out a file on another disk, or remount this one read-write")
        raise KioskError(f"Cannot write the zine into {folder}: permission is denied.", OUT_FIX)
    return path


def _write(path: Path, data: bytes) -> None:
    try:
        atomic.write_bytes(path, data)
    except KioskError as exc:  # its fix speaks of --data; here the way out is --out
        raise KioskError(exc.problem, OUT_FIX) from exc


def _load_prompt_set(settings, warnings: list[str], shown: list[Response] | None = None):
    """The question set, for the tallies' options, the padding pages, the cover and the colophon;
    None if it cannot be read.

    The settings' set, unless the answers were given with another one that ships with the kiosk:
    a bag imported from a kiosk that ran the open forum keeps the forum's title, attribution and
    questions, not those of the set this machine happens to run."""
    try:
        from kiosk.prompts import available_sets, load_prompt_set

        configured = load_prompt_set(settings.prompts)
    except (KioskError, OSError, ImportError) as exc:
        warnings.append(f"The question set {getattr(settings, 'prompts', '')} could not be read "
                        f"({str(exc).splitlines()[0]}); the tallies show only the options chosen.")
        return None
    if not shown or _asked_in(configured, shown):
        return configured
    for path in available_sets():
        try:
            other = load_prompt_set(path)
        except (KioskError, OSError):
            continue
        if _asked_in(other, shown):
            return other
    return configured


def _asked_in(prompt_set, shown: list[Response]) -> bool:
    """Whether every answer answers a question of the set, word for word in one of its languages."""
    for r in shown:
        prompt = prompt_set.get(r.prompt_id)
        if prompt is None or not any(prompt.text.get(lang) == text for lang, text in r.prompt_text.items()):
            return False
    return True


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


def _cover(entries: list[Entry], cover: str) -> Entry:
    """The drawing the facilitator chose for the cover (without --cover the cover is typographic)."""
    chosen = next((e for e in entries if e.art is not None and e.response.id == cover.strip().lower()), None)
    if chosen is None:
        raise KioskError(f"Cannot put response {cover} on the cover: its drawing is damaged or empty.",
                         "choose another drawing for --cover (`kiosk check` lists damaged files)")
    return chosen


def _content(settings, found: list[Session], shown: list[Response], entries: list[Entry], base: str,
             title: str | None, cover: str | None, prompt_set, grey: bool = False) -> Content:
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
        tallies=tally(shown, "print"),
        cover=_cover(entries, cover) if cover else None,
        session_links=[(s.title, qr.session_url(base, s.slug)) for s in found] if base else [],
        padding_questions=padding_questions(asked, languages, prompt_set),
        made=Date.today().isoformat(),
        set_title=dict(prompt_set.title) if prompt_set is not None else {},
        attribution=dict(getattr(prompt_set, "attribution", {}) or {}) if prompt_set is not None else {},
        base_url=base,
        rights=getattr(settings, "rights", "") or "",
        license=getattr(settings, "license", "") or "",
        contact=getattr(settings, "contact_email", "") or "",
        grey=grey,
        palette=list(getattr(settings, "palette", []) or []),
    )


def _gather(store: Store, sessions: list[str]) -> tuple[list[Session], list[Response], list[str]]:
    """The sessions, their shown responses and the hidden ones' notes; a KioskError if there is nothing."""
    if not sessions:
        raise KioskError("No session was named.", "give --session SLUG (`kiosk session list` shows them)")
    found: list[Session] = [store.session(slug) for slug in dict.fromkeys(sessions)]
    slugs = [s.slug for s in found]
    responses = [r for s in found for r in store.responses(s.slug)]
    if not responses:
        raise KioskError(f"Session {', '.join(slugs)} has no responses yet, so there is nothing to print.",
                         "let visitors answer first, or choose another session (`kiosk session list`)")
    left_out = [f"{r.id}: hidden (moderation)" for r in responses if r.hidden]
    shown = [r for r in responses if not r.hidden]
    if not shown:
        raise KioskError(f"Every response of {', '.join(slugs)} is hidden, so there is nothing to print.",
                         "show some again with `kiosk unhide ID`")
    return found, shown, left_out


def _sheets_per_volume(value: int | None, settings) -> int:
    n = value if value is not None else getattr(settings, "zine_sheets_per_volume", SHEETS_PER_VOLUME)
    if not 1 <= int(n) <= 100:
        raise KioskError(f"--sheets-per-volume {n} is out of range.", "give a number of sheets from 1 to 100 (12 folds well)")
    return int(n)


def _plan(settings, found: list[Session], shown: list[Response], layout: str, paper: str, limit: int,
          base: str, title: str | None, cover: str | None, prompt_set) -> Plan:
    entries = [Entry(r, 0, r.question(), r.answer_text(), r.created[:10], None) for r in shown
               if r.has_drawing or r.answer_text().strip()]
    content = _content(settings, found, shown, entries, base, title, None, prompt_set)
    inside = len(question_pages(STYLES[layout], content, *page_size(layout, paper))) + len(entries)
    inside += len(content.tallies) - (1 if cover else 0)
    return plan(layout, inside, limit)


def plan_zine(store: Store, settings, sessions: list[str], layout: str = "minizine", paper: str = "a4",
              sheets_per_volume: int | None = None, base_url: str | None = None,
              title: str | None = None, cover: str | None = None) -> Plan:
    """What the zine will take, before it is built: its parts, sheets, staples, folds and cuts.

    Quick (no drawing is read): the facilitator screen can show `plan_zine(...).describe(lang)`
    and `.warning(lang)` (build_zine's `on_plan` hands over the same while it builds). A damaged
    drawing found while building can make the zine a page shorter than planned, never longer.
    """
    check_choice(layout, paper)
    base = resolve_base_url(base_url, settings)
    found, shown, _ = _gather(store, sessions)
    prompt_set = _load_prompt_set(settings, [], shown)
    return _plan(settings, found, shown, layout, paper, _sheets_per_volume(sheets_per_volume, settings), base,
                 title, cover, prompt_set)


def build_zine(store: Store, settings, sessions: list[str], layout: str = "minizine", paper: str = "a4",
               out: Path | None = None, base_url: str | None = None, title: str | None = None,
               progress: Callable[[int, int], None] | None = None, cover: str | None = None,
               workers: int | None = None, sheets_per_volume: int | None = None, grey: bool | None = None,
               paper_thickness_mm: float | None = None,
               on_plan: Callable[[Plan], None] | None = None) -> ZineResult:
    """Compile the sessions' shown responses into a zine PDF and write it (atomically).

    Raises KioskError for anything the user can fix: an unknown session, one without
    responses, a bad base URL, an output folder that cannot be written. A damaged drawing
    is left out with a warning. `workers`: processes preparing the drawings (default: one
    per core for a big zine, none for a small one). `sheets_per_volume`, `grey` and
    `paper_thickness_mm` default to the settings zine_sheets_per_volume, zine_grey and
    paper_thickness_mm. `on_plan(plan)` is called with what the zine will take (kiosk.zine.plan)
    before any drawing is read.
    """
    check_choice(layout, paper)
    base = resolve_base_url(base_url, settings)
    limit = _sheets_per_volume(sheets_per_volume, settings)
    grey = bool(getattr(settings, "zine_grey", False)) if grey is None else grey
    thickness = (float(getattr(settings, "paper_thickness_mm", 0.1)) if paper_thickness_mm is None
                 else paper_thickness_mm)
    found, shown, left_out = _gather(store, sessions)
    slugs = [s.slug for s in found]
    path = _output_path(out, default_path(settings, slugs, layout, paper))
    if cover:
        _check_cover(cover, shown, slugs)
    warnings: list[str] = [] if base else [NO_BASE_URL]
    prompt_set = _load_prompt_set(settings, warnings, shown)
    if on_plan:
        on_plan(_plan(settings, found, shown, layout, paper, limit, base, title, cover, prompt_set))

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
    greys = None
    if grey:
        from kiosk.zine.grey import grey_map

        greys = grey_map(getattr(settings, "palette", []) or [])
    prepared = prepare_all(store, shown, art_width, base, workers_for(len(shown), workers), tick, greys)
    entries = _entries(prepared, store, left_out, warnings)
    content = _content(settings, found, shown, entries, base, title, cover, prompt_set, grey)
    pages, zine_plan = assemble(content, layout, style, page_size(layout, paper), limit)
    warnings.extend(zine_plan.warnings)
    layout_sides = part_sides(layout, paper, zine_plan.part_pages, thickness)
    total = len(shown) + len(layout_sides)
    lang = content.main_language
    meta = Meta(
        title=content.title,
        author=settings.organization,
        subject=f"A zine of {content.title} ({content.date}): {len(entries)} answers, {layout} on {paper}",
        # parts: the volumes (or minizine sheets), so the print screen can say how to fold a file
        keywords=f"kiosk-zine layout={layout} paper={paper} parts={len(zine_plan.parts)}",
        creator=f"kiosk {__version__}",
        lang=lang,
    )
    data = write_pdf(pages, layout_sides, layout, meta, tick)
    _write(path, data)
    return ZineResult(path, len(pages), zine_plan.sheets, left_out, warnings, len(layout_sides), zine_plan)
