"""Build the static archive: public, visible responses only, written incrementally.

The site (default <data>/site/) holds index.html, s/{slug}/index.html (a session; long
sessions continue on s/{slug}/page-N/index.html), q/{prompt_id}/index.html (a question's
answers across sessions) and r/{id}/index.html (a response, beside drawing.png and drawing.svg, whose
time-lapse plays as drawing.svg#play). Those paths are the URL scheme the zine's QR codes print
(kiosk.urls), fixed forever: a response published once and withdrawn since (hidden, made
print-only, deleted) keeps a page at r/{id}/index.html that says so, because printed QR codes
still lead there. The manifest remembers every id ever published for that. Around them:
about/, 404.html, sitemap.xml, robots.txt, feed.xml, favicon.svg and favicon.ico.

Incremental: a manifest (.kiosk-site.json in the site folder) records, for every file the
build wrote, a key: the hash of everything that file is made from (the page's context and
the code that renders it; a drawing's stored file hashes). A file whose key is unchanged and
that still exists is left alone without being rendered; a file whose key changed is
rendered and written only if its bytes differ; a file the manifest lists that the new build
does not make (a response hidden since, made print-only or deleted) is removed.

Recovery: a build first writes a marker (.kiosk-site-building) and removes it once the
manifest is saved. A folder with the marker and no manifest is what a first build killed
(or stopped by a full disk) left: every file in it is the build's own, so the next build
empties it and starts again. With a manifest, the marker means a rebuild was killed: its temporary files (.tmp-*) are
swept at once, and the files it wrote that no manifest lists (pages and drawings of answers
new then, perhaps hidden since) are removed once the next build knows what it makes: under
r/, s/ and q/, whatever this build did not make goes.
"""

from __future__ import annotations

import hashlib
import json
import marshal
import os
import shutil
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Generator, Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from kiosk import atomic, catalogue, strokes, urls
from kiosk.archive import assets, discovery, notices, pages, session_files, timelapse
from kiosk.errors import KioskError
from kiosk.i18n import typeset
from kiosk.store import DRAWING_PNG, DRAWING_SVG, STROKES_JSON, Response, Store
from kiosk.tally import tally
from kiosk.workers import process_pool

MANIFEST = ".kiosk-site.json"
BUILDING = ".kiosk-site-building"  # present while a build runs: see the module's docstring
MANIFEST_FORMAT = "kiosk-site/1"
STYLE = Path(str(resources.files("kiosk.archive").joinpath("style.css")))  # package data
FAVICON = Path(str(resources.files("kiosk.archive").joinpath("favicon.svg")))
FAVICON_ICO = Path(str(resources.files("kiosk.archive").joinpath("favicon.ico")))
PARALLEL_FROM = 24  # drawings to render before worker processes pay for their start-up

Progress = Callable[[int, int], None]


@dataclass
class SiteResult:
    out: Path
    written: int = 0  # files written (new or changed)
    removed: int = 0  # files removed (responses hidden, made print-only or deleted since)
    unchanged: int = 0  # files left as they were
    responses: int = 0  # public responses in the site
    sessions: int = 0
    problems: list[str] = field(default_factory=list)  # drawings that could not be used, and why
    base_url: str = ""  # "" : no sitemap.xml or feed.xml (they need absolute addresses)
    withdrawn: int = 0  # responses published once and withdrawn since: their pages say so
    unavailable: int = 0  # of those, the ones left out as not valid (quarantined): their pages say so


def _code_version(*paths: Path) -> str:
    """A hash of the code that renders: a new version of it re-renders what it makes."""
    h = hashlib.sha256()
    for path in paths:
        h.update(path.read_bytes())
    return h.hexdigest()[:16]


def _key(*parts: Any) -> str:
    """A digest of plain data (str, int, float, None, lists, dicts built in a fixed order).

    marshal's oldest format, not repr or JSON: four times faster than repr, and this runs once per
    page on every build. Format 0 has no back-references or interned strings, so equal data gives
    equal bytes whatever objects hold it. Anything marshal does not take (a date a setting holds)
    is read through repr.
    """
    try:
        data = marshal.dumps(parts, 0)
    except ValueError:
        data = repr(parts).encode("utf-8")
    return hashlib.blake2b(data, digest_size=16).hexdigest()


class _Manifest:
    """What the last build wrote: {relative path: key}, each drawing's sizes, every response
    ever published ({id: session slug}), so that a withdrawn one keeps a page at its address,
    and when a build first found each withdrawn ({id: seconds since the epoch}): a zine PDF
    older than that may still print it."""

    def __init__(self, out: Path) -> None:
        self.path = out / MANIFEST
        self.files: dict[str, str] = {}
        self.drawings: dict[str, dict[str, Any]] = {}
        self.published: dict[str, str] = {}
        self.withdrawn: dict[str, float] = {}
        try:
            data = json.loads(self.path.read_bytes())
            if data.get("format") == MANIFEST_FORMAT:
                self.files = dict(data["files"])
                self.drawings = dict(data["drawings"])
                self.published = {str(k): str(v) for k, v in dict(data.get("published") or {}).items()}
                self.withdrawn = {str(k): float(v) for k, v in dict(data.get("withdrawn") or {}).items()}
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            pass  # no manifest or a damaged one: every file is compared with what it should hold
        # A site built before ids were remembered: its response pages say what was published.
        for rel in self.files:
            parts = rel.split("/")
            if len(parts) == 3 and parts[0] == "r" and parts[2] == "index.html":
                self.published.setdefault(parts[1], "")

    def save(self, files: dict[str, str], drawings: dict[str, dict[str, Any]], published: dict[str, str],
             withdrawn: dict[str, float]) -> None:
        data = {"format": MANIFEST_FORMAT, "files": files, "drawings": drawings, "published": published,
                "withdrawn": withdrawn}
        assets.put(self.path, json.dumps(data, sort_keys=True, separators=(",", ":")).encode("utf-8"))


def check_output_folder(out: Path, data_root: Path) -> None:
    """Refuse to write a site over something that is not a site this program built."""
    where = out.resolve()
    if where == data_root or where in data_root.parents or where.is_relative_to(data_root / "sessions"):
        raise KioskError(f"{out} holds the kiosk's data; the site cannot be built there.",
                         "choose a folder of its own, e.g. --out site (default: the data folder's site/)")
    if out.exists() and not out.is_dir():  # a file, or a device such as /dev/null
        raise KioskError(f"{out} is a file, not a folder.", "choose a folder for the site with --out DIR")
    if out.is_dir() and not (out / MANIFEST).exists() and not (out / BUILDING).exists():
        try:
            busy = any(os.scandir(out))
        except OSError as exc:
            raise atomic.disk_error(out, exc, "--out") from exc
        if busy:
            raise KioskError(f"{out} is not empty and holds no site built by kiosk; building there could "
                             "mix the archive with other files.",
                             "choose a new or empty folder with --out DIR, or empty that one first")


def build_site(store: Store, settings: Any, out: Path | None = None, base_url: str | None = None,
               progress: Progress | None = None, include_zine: bool = False) -> SiteResult:
    """Write (or bring up to date) the static archive of `store`'s public, visible responses.

    `base_url` (default: settings.archive_base_url) is printed in citations and used for the
    absolute addresses that must be absolute (canonical links, sitemap, feed); every link
    between pages is relative. `progress(done, total)` is called as the work goes on.
    `include_zine`: make a zine PDF (layout `pages`) for each session that can be published
    whole and has none up to date in the data folder.
    """
    try:
        base = urls.check_base_url(settings.archive_base_url if base_url is None else base_url)
    except ValueError as exc:
        raise KioskError(f"The archive's base address {exc}.",
                         "give the address the site will be published at, e.g. --base-url "
                         "https://archive.example.org/kiosk (or set archive_base_url in kiosk.yaml)") from None
    out = Path(out) if out is not None else Path(settings.data) / "site"
    check_output_folder(out, store.root)
    old = _Manifest(out)
    check_same_data(out, old, store)
    try:
        recovered = recover(out)
        out.mkdir(parents=True, exist_ok=True)
        # Before any other file: whatever this build leaves if it is killed is recognised as its own.
        (out / BUILDING).write_bytes(b"kiosk archive build in progress\n")
    except OSError as exc:
        raise atomic.disk_error(out, exc, "--out") from exc
    builder = _Build(store, settings, out.resolve(), base, progress, old, include_zine,
                     after_kill=recovered == "swept")
    try:
        result = builder.run()
    finally:
        if builder.pool is not None:  # a build stopped before its drawings: its workers end too
            builder.pool.shutdown(wait=True, cancel_futures=True)
    try:
        (out / BUILDING).unlink()
    except OSError as exc:
        raise atomic.disk_error(out, exc, "--out") from exc
    return result


def check_same_data(out: Path, old: _Manifest, store: Store) -> None:
    """Refuse to rebuild a site from a data folder that holds none of the sessions it was built from.

    The wrong --data (an empty folder, another kiosk's) would otherwise call every answer of the
    site withdrawn at its author's request and take every drawing offline. The data folder's own
    site/ is its own whatever it holds: there, no session left means every one was deleted on
    purpose, and the site must take them offline (it is the one `kiosk archive serve` serves).
    """
    if out.resolve().parent == store.root:
        return
    built_from = set(old.published.values()) - {""}  # a site from before slugs were recorded: not known
    if not built_from or built_from & {s.slug for s in store.sessions()}:
        return
    raise KioskError(f"None of the {len(built_from)} sessions the site in {out} was built from is in {store.root} "
                     "(another data folder?): building it from there would withdraw every answer it shows.",
                     "pass the data folder it was built from with --data, or build into a new folder with --out DIR "
                     "(also if every session was deleted on purpose)")


def recover(out: Path) -> str:
    """Clean up after a build that was killed or stopped: "first" (emptied), "swept" or ""."""
    if not (out / BUILDING).exists():
        return ""
    if not (out / MANIFEST).exists():
        # Only a build writes the marker, and only a first build lacks the manifest: all of it is ours.
        # The marker itself stays (the build writes it again): a clean-up killed half-way then
        # leaves a folder that is still recognised, not one refused as "not empty".
        for entry in os.scandir(out):
            if entry.name == BUILDING:
                continue
            if entry.is_dir(follow_symlinks=False):
                shutil.rmtree(entry.path)
            else:
                os.unlink(entry.path)
        return "first"
    for folder, _, names in os.walk(out):
        for name in names:
            if name.startswith(".tmp-"):
                os.unlink(os.path.join(folder, name))
    return "swept"


class _Build:
    def __init__(self, store: Store, settings: Any, out: Path, base: str, progress: Progress | None,
                 old: _Manifest, include_zine: bool = False, after_kill: bool = False) -> None:
        self.store, self.out, self.progress = store, out, progress
        self.after_kill = after_kill  # the last build was killed: files it wrote may be listed nowhere
        self.pool: ProcessPoolExecutor | None = None  # started early on a large first build
        self.settings, self.include_zine = settings, include_zine
        self.site = pages.site_context(settings.organization, settings.rights, settings.license,
                                       list(settings.languages), base,
                                       contact=getattr(settings, "contact_email", ""),
                                       consent=getattr(settings, "consent", {}))
        page_version = _code_version(*(Path(str(m.__file__)) for m in (pages, notices, discovery, session_files)),
                                     Path(pages.__file__).with_name("strings.py"), STYLE,
                                     catalogue.source("archive"))
        self.page_key = _key(page_version, self.site)  # in every page's key: the code and the settings shown
        self.asset_version = _code_version(Path(assets.__file__), Path(strokes.__file__), Path(timelapse.__file__))
        self.crawlers = bool(getattr(settings, "archive_crawlers", True))
        self.sitemap: list[str] = []  # the site's pages for search engines (withdrawn ones left out)
        self.old = old
        self.files: dict[str, str] = {}  # this build's manifest
        self.drawings: dict[str, dict[str, Any]] = {}
        self.result = SiteResult(out)
        self.done = 0
        self.total = 0
        # {session slug: time}: a zine PDF older than an answer of its session withdrawn since (a
        # deleted one: a hidden or print-only one keeps the zine offline anyway) may still print it.
        self.zine_not_before: dict[str, float] = {}

    # --- bookkeeping -------------------------------------------------------------------------

    def tick(self, n: int = 1) -> None:
        self.done += n
        if self.progress and (self.done % 50 == 0 or self.done >= self.total):
            self.progress(self.done, self.total)

    def key(self, kind: str, ctx: dict[str, Any]) -> str:
        """A page's key: its kind and context; the settings it shows are in page_key already."""
        return _key(self.page_key, kind, [v for k, v in ctx.items() if k != "site"])

    def emit(self, rel: str, key: str, render: Callable[[], bytes]) -> None:
        """Make the file `rel` unless the last build made it from the same inputs and it is still there."""
        self.files[rel] = key
        if rel.endswith("index.html") and not rel.startswith("r/") or rel == "index.html":
            self.sitemap.append(rel)
        before = self.old.files.get(rel)
        if before == key and os.path.exists(f"{self.out}/{rel}"):
            self.result.unchanged += 1
            return
        path = atomic.inside_str(self.out, rel)  # rel holds ids and slugs: never a write outside the site
        try:
            written = assets.put(path, render(), new=before is None)
        except OSError as exc:
            raise atomic.disk_error(Path(path).parent, exc, "--out") from exc
        if written:
            self.result.written += 1
        else:
            self.result.unchanged += 1

    # --- the build ---------------------------------------------------------------------------

    def run(self) -> SiteResult:
        started = time.time()  # an answer found withdrawn by this build: no zine made from now on holds it
        numbers = _numbers(self.store)
        if not self.old.files and len(numbers) >= PARALLEL_FROM:  # a first build: all to draw
            self.pool = _started_pool()
        public = self.store.responses(include_hidden=False, consent="public")
        by_session: dict[str, list[Response]] = defaultdict(list)
        for r in public:
            by_session[r.session].append(r)
        with_responses = set(numbers.sessions)
        sessions = [s for s in self.store.sessions() if s.slug in with_responses]
        by_question: dict[str, list[Response]] = defaultdict(list)
        for r in public:
            if urls.is_prompt_id(r.prompt_id):  # any other id makes no folder
                by_question[r.prompt_id].append(r)
        published = dict(self.old.published)
        published.update((r.id, r.session) for r in public)
        public_ids = {r.id for r in public}
        withdrawn = {rid: slug for rid, slug in published.items() if rid not in public_ids}
        # Known withdrawn since an earlier build, or since this one started (a zine made from now on
        # cannot hold it). An id public again loses its date: withdrawn again, it gets a new one.
        withdrawn_since = {rid: self.old.withdrawn.get(rid, started) for rid in withdrawn}
        for rid, slug in withdrawn.items():
            self.zine_not_before[slug] = max(self.zine_not_before.get(slug, 0.0), withdrawn_since[rid])

        # Drawings in the order their pages are made, so that each response's page is made here
        # as soon as its drawing is done, while the workers make the next ones.
        in_pages = [r for s in sessions for r in by_session[s.slug]]
        paged = {r.id for r in in_pages}
        jobs = self.plan_drawings(in_pages + [r for r in public if r.id not in paged])
        page_count = (4 + len(public) + len(withdrawn) + sum(_page_count(len(by_session[s.slug])) for s in sessions)
                      + sum(_page_count(len(rs)) for rs in by_question.values()))
        self.total = len(jobs) + page_count
        pending = {job.response_id for job in jobs}
        items: dict[str, dict[str, Any]] = {}
        drawn = self.make_drawings(jobs)
        try:
            for s in sessions:
                rs = by_session[s.slug]
                sctx = {"slug": s.slug, "title": typeset(s.title), "place": typeset(s.place), "date": s.date}
                for i, r in enumerate(rs):
                    while r.id in pending:  # its drawing is (in the order of the jobs) the next one done
                        pending.discard(next(drawn))
                    prev_id = rs[i - 1].id if i > 0 else None
                    next_id = rs[i + 1].id if i + 1 < len(rs) else None
                    items[r.id] = self.item(r, numbers[r.id])
                    self.response_page(items[r.id], r, sctx, prev_id, next_id)
                # The session's own pages now, while the workers draw the next session's answers.
                extras = self.session_extras(s.slug, s.title, rs, numbers)
                self.session_pages(sctx, [items[r.id] for r in rs], rs, extras)
            for _ in drawn:  # drawings of responses without a page of their own
                pass
        finally:
            drawn.close()  # a disk error in a page: the workers' remaining jobs are cancelled

        items.update((r.id, self.item(r, numbers[r.id])) for r in public if r.id not in items)
        titles = {s.slug: typeset(s.title) for s in sessions}
        for prompt_id, rs in by_question.items():
            self.question_pages(prompt_id, rs, items, titles)
        self.index_page(sessions, by_session, items)
        # Left out as not valid (a damaged record): not withdrawn, to be repaired; their pages say so.
        damaged = self.store.quarantined_response_ids() & withdrawn.keys()
        # Every session with a page (one whose answers were all withdrawn keeps it): the About page
        # lists them as the front page does, and a withdrawn answer's notice links to its own.
        self.site_pages(sessions, withdrawn, damaged, public)
        self.remove_stale()
        self.old.save(self.files, self.drawings, published, withdrawn_since)
        self.result.base_url = self.site["base_url"]
        self.result.withdrawn, self.result.unavailable = len(withdrawn) - len(damaged), len(damaged)
        self.result.responses = len(public)
        self.result.sessions = len(sessions)
        if self.progress:
            self.progress(self.total, self.total)
        return self.result

    def plan_drawings(self, public: list[Response]) -> list[assets.AssetJob]:
        """The drawings whose files must be made again; the others keep theirs."""
        jobs = []
        for r in public:
            if not r.has_drawing:
                continue
            key = _key(self.asset_version, r.files.get(STROKES_JSON), r.files.get(DRAWING_PNG, ""),
                       r.files.get(DRAWING_SVG, ""))
            folder = urls.response_path(r.id)
            rels = [folder + name for name in assets.FILES]
            old = self.old.drawings.get(r.id)
            # One stat stands for the folder: its files are written together.
            if old and old.get("key") == key and all(self.old.files.get(rel) == key for rel in rels) \
                    and os.path.exists(f"{self.out}/{rels[-1]}"):
                self.drawings[r.id] = old
                for rel in rels:
                    self.files[rel] = key
                self.result.unchanged += len(rels)
                continue
            jobs.append(assets.AssetJob(r.id, self.store.response_folder(r), atomic.inside_str(self.out, folder),
                                        r.files.get(STROKES_JSON, ""), r.files.get(DRAWING_PNG, ""),
                                        r.files.get(DRAWING_SVG, "")))
            self.drawings[r.id] = {"key": key}
        return jobs

    def make_drawings(self, jobs: list[assets.AssetJob]) -> Generator[str, None, None]:
        """Make the drawings' files (on every core when there are many), yielding each response's
        id once its files are done, in the order of `jobs`."""
        for res in _run_jobs(jobs, self.pool):
            self.tick()
            if res.os_error:
                errno_, strerror, folder = res.os_error
                raise atomic.disk_error(Path(folder), OSError(errno_, strerror), "--out")
            if res.problem:
                self.result.problems.append(f"{res.response_id}: {res.problem}")
                del self.drawings[res.response_id]  # the page goes without the drawing
                yield res.response_id
                continue
            entry = self.drawings[res.response_id]
            entry.update(w=res.size[0], h=res.size[1])
            for name in assets.FILES:
                self.files[urls.response_path(res.response_id) + name] = entry["key"]
            self.result.written += res.written
            self.result.unchanged += res.unchanged
            yield res.response_id

    def item(self, r: Response, number: int) -> dict[str, Any]:
        """What a grid, an alt text and a response page need to know of a response."""
        d = self.drawings.get(r.id)
        return {"id": r.id, "number": number, "lang": r.language, "kind": r.kind,
                "question": {k: typeset(v) for k, v in r.prompt_text.items()}, "options": r.option_text if r.kind == "choice" else {},
                "text": r.text if r.kind == "text" else "",
                "thumb": [d["w"], d["h"]] if d else None}

    def response_page(self, item: dict[str, Any], r: Response, sctx: dict[str, Any],
                      prev_id: str | None, next_id: str | None) -> None:
        d = self.drawings.get(r.id)
        response = dict(item, created=r.created, prev=prev_id, next=next_id, prompt_id=r.prompt_id,
                        question_page=urls.is_prompt_id(r.prompt_id),
                        drawing={"w": d["w"], "h": d["h"]} if d else None)
        ctx = {"site": self.site, "session": sctx, "response": response}
        self.emit(urls.response_path(r.id) + "index.html", self.key("r", ctx),
                  lambda: pages.response_page(ctx).encode("utf-8"))
        self.tick()

    def session_extras(self, slug: str, title: str, rs: list[Response], numbers: _Numbers) -> dict[str, str]:
        """The session's downloads: its CSV (always) and its zine PDF (when one may be published)."""
        extras = {}
        if rs:
            rel = urls.session_path(slug) + session_files.CSV_NAME
            rows = session_files.csv_rows(rs, title, self.site["rights"], self.site["license"])
            self.emit(rel, _key(session_files.csv_version(), rows), lambda: session_files.session_csv(rows))
            extras["csv"] = session_files.CSV_NAME
        zine = session_files.zine_for(self.store, self.settings, slug, numbers.unpublished[slug], rs,
                                      self.include_zine, self.result.problems, self.zine_not_before.get(slug, 0.0))
        if zine is not None:
            st = zine.stat()
            # under its own name (SESSION-LAYOUT-PAPER.pdf): a downloaded copy says what it is
            self.emit(urls.session_path(slug) + zine.name, _key("zine", st.st_size, st.st_mtime_ns), zine.read_bytes)
            extras["zine"] = zine.name
        return extras

    def session_pages(self, sctx: dict[str, Any], items: list[dict[str, Any]], rs: list[Response],
                      extras: dict[str, str]) -> None:
        count = _page_count(len(items))
        questions, tallies = _questions_and_tallies(rs)
        for q in questions:
            q["linked"] = urls.is_prompt_id(q["id"])
        for n in range(1, count + 1):
            chunk = items[(n - 1) * pages.PAGE_SIZE: n * pages.PAGE_SIZE]
            # The count is on the first page only: one more response then changes the first and the
            # last page, not all of them.
            ctx = {"site": self.site, "session": sctx, "page": n, "pages": count, "count": len(items) if n == 1 else None,
                   "items": chunk, "questions": questions if n == 1 else [], "tallies": tallies if n == 1 else [],
                   "extras": extras if n == 1 else {}}
            rel = urls.session_path(sctx["slug"]) + pages.session_page_dir(n) + "index.html"
            self.emit(rel, self.key("s", ctx), _html(pages.session_page, ctx))
            self.tick()

    def question_pages(self, prompt_id: str, rs: list[Response], items: dict[str, dict],
                       titles: dict[str, str]) -> None:
        """q/{prompt_id}/index.html (and further pages): one question's public answers, every session."""
        count = _page_count(len(rs))
        sessions: dict[str, int] = {}
        for r in rs:
            sessions[r.session] = sessions.get(r.session, 0) + 1
        texts = {k: typeset(v) for k, v in rs[-1].prompt_text.items()}  # as most recently asked
        listed = [{"slug": slug, "title": titles.get(slug, slug), "count": n} for slug, n in sessions.items()]
        for n in range(1, count + 1):
            chunk = [items[r.id] for r in rs[(n - 1) * pages.PAGE_SIZE: n * pages.PAGE_SIZE]]
            ctx = {"site": self.site, "prompt_id": prompt_id, "question": texts, "page": n, "pages": count,
                   "count": len(rs) if n == 1 else None, "sessions": listed if n == 1 else [], "items": chunk}
            rel = urls.prompt_path(prompt_id) + pages.session_page_dir(n) + "index.html"
            self.emit(rel, self.key("q", ctx), _html(pages.question_page, ctx))
            self.tick()

    def site_pages(self, sessions: list, withdrawn: dict[str, str], damaged: set[str], public: list[Response]) -> None:
        """The pages and files around the archive: about, 404, withdrawn notices, favicon, discovery files."""
        listed = [{"slug": s.slug, "title": typeset(s.title), "place": typeset(s.place), "date": s.date}
                  for s in sessions]
        ctx = {"site": self.site, "sessions": listed}
        self.emit("about/index.html", self.key("about", ctx), lambda: notices.about_page(ctx).encode("utf-8"))
        self.emit("404.html", self.page_key, lambda: notices.not_found_page(self.site).encode("utf-8"))
        live = {s.slug for s in sessions}
        titles = {s.slug: typeset(s.title) for s in sessions}
        for rid, slug in withdrawn.items():
            wctx = {"site": self.site, "session": {"slug": slug, "title": titles[slug]} if slug in live else None,
                    "unavailable": rid in damaged}
            self.emit(urls.response_path(rid) + "index.html", self.key("w", wctx),
                      _html(notices.withdrawn_page, wctx))
            self.tick()
        self.emit("style.css", self.page_key, STYLE.read_bytes)
        self.emit("favicon.svg", self.page_key, FAVICON.read_bytes)
        self.emit("favicon.ico", self.page_key, FAVICON_ICO.read_bytes)
        base = self.site["base_url"]
        sitemap = sorted(set(self.sitemap) | {urls.response_path(r.id) + "index.html" for r in public})
        if base:
            self.emit("sitemap.xml", _key(self.page_key, sitemap), lambda: discovery.sitemap(base, sitemap))
            newest = public[-discovery.FEED_ENTRIES:][::-1]
            fctx = [(r.id, r.created, r.language, r.prompt_text, r.answer_text(), r.has_drawing) for r in newest]
            self.emit("feed.xml", _key(self.page_key, fctx), lambda: discovery.atom_feed(self.site, newest))
        self.emit("robots.txt", _key(self.page_key, self.crawlers),
                  lambda: discovery.robots(base, self.crawlers))
        self.tick(4)

    def index_page(self, sessions: list, by_session: dict[str, list[Response]], items: dict[str, dict]) -> None:
        listed = []
        for s in sessions:
            rs = by_session[s.slug]
            thumbs = [items[r.id] for r in rs if items[r.id]["thumb"]][:pages.INDEX_THUMBS]
            listed.append({"slug": s.slug, "title": typeset(s.title), "place": typeset(s.place), "date": s.date,
                           "count": len(rs), "thumbs": thumbs})
        ctx = {"site": self.site, "sessions": listed, "feed": bool(self.site["base_url"])}
        self.emit("index.html", self.key("i", ctx), lambda: pages.index_page(ctx).encode("utf-8"))
        self.tick()

    def remove_stale(self) -> None:
        """Remove what the last build wrote and this one does not make, then the folders left empty."""
        folders: set[Path] = set()
        stale = self.old.files.keys() - self.files.keys()
        if self.after_kill:
            stale |= self.unlisted()
        for rel in stale:
            path = self.out / rel
            if not path.resolve().is_relative_to(self.out.resolve()):
                continue  # a manifest naming a file outside the site (edited by hand): never delete it
            try:
                path.unlink()
                self.result.removed += 1
            except FileNotFoundError:
                pass
            except OSError as exc:
                raise atomic.disk_error(path.parent, exc, "--out") from exc
            folders.add(path.parent)
        for folder in sorted(folders, key=lambda p: len(p.parts), reverse=True):
            while folder != self.out and folder.is_relative_to(self.out):
                try:
                    folder.rmdir()
                except OSError:
                    break  # not empty (or gone): leave it
                folder = folder.parent

    def unlisted(self) -> set[str]:
        """Files under the build's own folders (r/, s/, q/) that this build did not make: what a killed
        build wrote before it could record it. Dot files and anything else in the site are not ours to judge."""
        found: set[str] = set()
        for top in ("r", "s", "q"):
            for folder, dirs, names in os.walk(self.out / top):  # links are not followed
                dirs[:] = [d for d in dirs if not d.startswith(".")]
                rel_folder = Path(folder).relative_to(self.out).as_posix()
                found.update(f"{rel_folder}/{name}" for name in names if not name.startswith("."))
        return found - self.files.keys()


class _Numbers(dict):
    """Each response's number in its session, counting every response (Store.response_number,
    as the zine prints it); `sessions` counts the responses of each session."""

    def __init__(self, rows: Iterable[tuple[str, str, str, int]]) -> None:
        super().__init__()
        self.sessions: Counter[str] = Counter()
        self.unpublished: Counter[str] = Counter()  # print-only or hidden: a zine of the session holds them
        for session, rid, consent, hidden in rows:  # in id order, i.e. the order they were made
            self.sessions[session] += 1
            self[rid] = self.sessions[session]
            if consent != "public" or hidden:
                self.unpublished[session] += 1


def _numbers(store: Store) -> _Numbers:
    # Straight from the index: reading every response whole only to count them would double
    # the time of a rebuild of a large archive.
    return _Numbers(store.db.execute("SELECT session, id, consent, hidden FROM responses ORDER BY id"))


def _html(render: Callable[[dict[str, Any]], str], ctx: dict[str, Any]) -> Callable[[], bytes]:
    """A page's bytes, made only if the page must be written."""
    return lambda: render(ctx).encode("utf-8")


def _page_count(n: int) -> int:
    return max(1, -(-n // pages.PAGE_SIZE))


def _questions_and_tallies(rs: list[Response]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The questions answered in a session (in the order first asked), and the choices counted
    (kiosk.tally, the zine's rules: the web counts public answers)."""
    questions: dict[str, dict[str, Any]] = {}
    for r in rs:
        q = questions.setdefault(r.prompt_id, {"id": r.prompt_id, "text": r.prompt_text, "count": 0})
        q["count"] += 1
    tally_list = [{"question": t.question, "total": t.total,
                   "rows": [{"id": row.option, "count": row.count, "label": row.label} for row in t.rows]}
                  for t in tally(rs, "web")]
    return list(questions.values()), tally_list


def _workers() -> int:
    return min(os.cpu_count() or 1, 4)


def _started_pool() -> ProcessPoolExecutor | None:
    """Worker processes, started now (a first task makes them spawn) rather than at the first
    drawing: their start-up then overlaps the reading and planning of a large first build."""
    if _workers() < 2:
        return None
    pool = process_pool(_workers())
    pool.submit(int)
    return pool


def _run_jobs(jobs: list[assets.AssetJob], pool: ProcessPoolExecutor | None = None) -> Iterable[assets.AssetResult]:
    """Make the drawings' files, on every core when there are many (in `pool` if one was started)."""
    if len(jobs) < PARALLEL_FROM or _workers() < 2:
        yield from map(assets.make_assets, jobs)
        return
    pool = pool or process_pool(_workers())
    try:
        # Large chunks: each result the pool hands back wakes two threads of this process, which
        # then compete with the page-making for the GIL (8 a chunk cost a tenth of a large build's
        # CPU); small enough that both workers still share a small build.
        chunk = max(8, min(64, len(jobs) // (_workers() * 8)))
        yield from pool.map(assets.make_assets, jobs, chunksize=chunk)
    finally:  # also when the caller stops early (a disk error): drop the jobs not started
        pool.shutdown(wait=True, cancel_futures=True)
