"""Build the static archive: public, visible responses only, written incrementally.

The site (default <data>/site/) holds index.html, s/{slug}/index.html (a session; long
sessions continue on s/{slug}/page-N/index.html) and r/{id}/index.html (a response, beside
drawing.png, drawing.svg, strokes.json and thumb.png). Those two paths are the URL scheme the
zine's QR codes print (kiosk.urls), fixed forever.

Incremental: a manifest (.kiosk-site.json in the site folder) records, for every file the
build wrote, a key: the hash of everything that file is made from (the page's context and
the code that renders it; a drawing's stored file hashes). A file whose key is unchanged and
that still exists is left alone without being rendered; a file whose key changed is
rendered and written only if its bytes differ; a file the manifest lists that the new build
does not make (a response hidden since, made print-only or deleted) is removed.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kiosk import atomic, strokes, urls
from kiosk.archive import assets, pages
from kiosk.errors import KioskError
from kiosk.store import DRAWING_PNG, STROKES_JSON, Response, Store

MANIFEST = ".kiosk-site.json"
MANIFEST_FORMAT = "kiosk-site/1"
STYLE = Path(__file__).with_name("style.css")
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


def _code_version(*paths: Path) -> str:
    """A hash of the code that renders: a new version of it re-renders what it makes."""
    h = hashlib.sha256()
    for path in paths:
        h.update(path.read_bytes())
    return h.hexdigest()[:16]


def _key(*parts: Any) -> str:
    """A digest of plain data (str, int, None, lists, dicts built in a fixed order).

    repr, not JSON: three times faster, and this runs once per page on every build.
    """
    return hashlib.blake2b(repr(parts).encode("utf-8"), digest_size=16).hexdigest()


class _Manifest:
    """What the last build wrote: {relative path: key}, and each drawing's sizes."""

    def __init__(self, out: Path) -> None:
        self.path = out / MANIFEST
        self.files: dict[str, str] = {}
        self.drawings: dict[str, dict[str, Any]] = {}
        try:
            data = json.loads(self.path.read_bytes())
            if data.get("format") == MANIFEST_FORMAT:
                self.files = dict(data["files"])
                self.drawings = dict(data["drawings"])
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            pass  # no manifest or a damaged one: every file is compared with what it should hold

    def save(self, files: dict[str, str], drawings: dict[str, dict[str, Any]]) -> None:
        data = {"format": MANIFEST_FORMAT, "files": files, "drawings": drawings}
        assets.put(self.path, json.dumps(data, sort_keys=True, separators=(",", ":")).encode("utf-8"))


def check_output_folder(out: Path, data_root: Path) -> None:
    """Refuse to write a site over something that is not a site this program built."""
    where = out.resolve()
    if where == data_root or where in data_root.parents or where.is_relative_to(data_root / "sessions"):
        raise KioskError(f"{out} holds the kiosk's data; the site cannot be built there.",
                         "choose a folder of its own, e.g. --out site (default: the data folder's site/)")
    if out.is_file():
        raise KioskError(f"{out} is a file, not a folder.", "choose a folder for the site with --out DIR")
    if out.is_dir() and not (out / MANIFEST).exists():
        try:
            busy = any(os.scandir(out))
        except OSError as exc:
            raise atomic.disk_error(out, exc) from exc
        if busy:
            raise KioskError(f"{out} is not empty and holds no site built by kiosk; building there could "
                             "mix the archive with other files.",
                             "choose a new or empty folder with --out DIR, or empty that one first")


def build_site(store: Store, settings: Any, out: Path | None = None, base_url: str | None = None,
               progress: Progress | None = None) -> SiteResult:
    """Write (or bring up to date) the static archive of `store`'s public, visible responses.

    `base_url` (default: settings.archive_base_url) is only printed in citations; every link
    in the site is relative. `progress(done, total)` is called as the work goes on.
    """
    try:
        base = urls.check_base_url(settings.archive_base_url if base_url is None else base_url)
    except ValueError as exc:
        raise KioskError(f"The archive's base address {exc}.",
                         "give the address the site will be published at, e.g. --base-url "
                         "https://archive.example.org/kiosk (or set archive_base_url in kiosk.yaml)") from None
    out = Path(out) if out is not None else Path(settings.data) / "site"
    check_output_folder(out, store.root)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise atomic.disk_error(out.parent, exc) from exc
    return _Build(store, settings, out.resolve(), base, progress).run()


class _Build:
    def __init__(self, store: Store, settings: Any, out: Path, base: str, progress: Progress | None) -> None:
        self.store, self.out, self.progress = store, out, progress
        self.site = pages.site_context(settings.organization, settings.rights, settings.license,
                                       list(settings.languages), base)
        page_version = _code_version(Path(pages.__file__), Path(pages.__file__).with_name("strings.py"), STYLE)
        self.page_key = _key(page_version, self.site)  # in every page's key: the code and the settings shown
        self.asset_version = _code_version(Path(assets.__file__), Path(strokes.__file__))
        self.old = _Manifest(out)
        self.files: dict[str, str] = {}  # this build's manifest
        self.drawings: dict[str, dict[str, Any]] = {}
        self.result = SiteResult(out)
        self.done = 0
        self.total = 0

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
        if self.old.files.get(rel) == key and os.path.exists(f"{self.out}/{rel}"):
            self.result.unchanged += 1
            return
        path = atomic.inside(self.out, rel)  # rel holds ids and slugs: never a write outside the site
        try:
            written = assets.put(path, render())
        except OSError as exc:
            raise atomic.disk_error(path.parent, exc) from exc
        if written:
            self.result.written += 1
        else:
            self.result.unchanged += 1

    # --- the build ---------------------------------------------------------------------------

    def run(self) -> SiteResult:
        numbers = _numbers(self.store)
        public = self.store.responses(include_hidden=False, consent="public")
        by_session: dict[str, list[Response]] = defaultdict(list)
        for r in public:
            by_session[r.session].append(r)
        with_responses = set(numbers.sessions)
        sessions = [s for s in self.store.sessions() if s.slug in with_responses]

        jobs = self.plan_drawings(public)
        page_count = 1 + len(public) + sum(_page_count(len(by_session[s.slug])) for s in sessions)
        self.total = len(jobs) + page_count
        self.make_drawings(jobs)

        items = {r.id: self.item(r, numbers[r.id]) for r in public}
        for s in sessions:
            rs = by_session[s.slug]
            sctx = {"slug": s.slug, "title": s.title, "place": s.place, "date": s.date}
            for i, r in enumerate(rs):
                prev_id = rs[i - 1].id if i > 0 else None
                next_id = rs[i + 1].id if i + 1 < len(rs) else None
                self.response_page(items[r.id], r, sctx, prev_id, next_id)
            self.session_pages(sctx, [items[r.id] for r in rs], rs)
        self.index_page(sessions, by_session, items)
        self.emit("style.css", self.page_key, STYLE.read_bytes)
        self.remove_stale()
        self.old.save(self.files, self.drawings)
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
                       r.question())
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
            jobs.append(assets.AssetJob(r.id, str(self.store.response_dir(r)), str(atomic.inside(self.out, folder)),
                                        r.files.get(STROKES_JSON, ""), r.files.get(DRAWING_PNG, ""),
                                        r.question()))
            self.drawings[r.id] = {"key": key}
        return jobs

    def make_drawings(self, jobs: list[assets.AssetJob]) -> None:
        for res in _run_jobs(jobs):
            self.tick()
            if res.os_error:
                errno_, strerror, folder = res.os_error
                raise atomic.disk_error(Path(folder), OSError(errno_, strerror))
            if res.problem:
                self.result.problems.append(f"{res.response_id}: {res.problem}")
                del self.drawings[res.response_id]  # the page goes without the drawing
                continue
            entry = self.drawings[res.response_id]
            entry.update(w=res.size[0], h=res.size[1], tw=res.thumb[0], th=res.thumb[1])
            for name in assets.FILES:
                self.files[urls.response_path(res.response_id) + name] = entry["key"]
            self.result.written += res.written
            self.result.unchanged += res.unchanged

    def item(self, r: Response, number: int) -> dict[str, Any]:
        """What a grid, an alt text and a response page need to know of a response."""
        d = self.drawings.get(r.id)
        return {"id": r.id, "number": number, "lang": r.language, "kind": r.kind,
                "question": r.prompt_text, "options": r.option_text if r.kind == "choice" else {},
                "text": r.text if r.kind == "text" else "",
                "thumb": [d["tw"], d["th"]] if d else None}

    def response_page(self, item: dict[str, Any], r: Response, sctx: dict[str, Any],
                      prev_id: str | None, next_id: str | None) -> None:
        d = self.drawings.get(r.id)
        response = dict(item, created=r.created, prev=prev_id, next=next_id,
                        drawing={"w": d["w"], "h": d["h"]} if d else None)
        ctx = {"site": self.site, "session": sctx, "response": response}
        self.emit(urls.response_path(r.id) + "index.html", self.key("r", ctx),
                  lambda: pages.response_page(ctx).encode("utf-8"))
        self.tick()

    def session_pages(self, sctx: dict[str, Any], items: list[dict[str, Any]], rs: list[Response]) -> None:
        count = _page_count(len(items))
        questions, tallies = _questions_and_tallies(rs)
        for n in range(1, count + 1):
            chunk = items[(n - 1) * pages.PAGE_SIZE: n * pages.PAGE_SIZE]
            # The count is on the first page only: one more response then changes the first and the
            # last page, not all of them.
            ctx = {"site": self.site, "session": sctx, "page": n, "pages": count, "count": len(items) if n == 1 else None,
                   "items": chunk, "questions": questions if n == 1 else [], "tallies": tallies if n == 1 else []}
            rel = urls.session_path(sctx["slug"]) + pages.session_page_dir(n) + "index.html"
            self.emit(rel, self.key("s", ctx), lambda ctx=ctx: pages.session_page(ctx).encode("utf-8"))
            self.tick()

    def index_page(self, sessions: list, by_session: dict[str, list[Response]], items: dict[str, dict]) -> None:
        listed = []
        for s in sessions:
            rs = by_session[s.slug]
            thumbs = [items[r.id] for r in rs if items[r.id]["thumb"]][:pages.INDEX_THUMBS]
            listed.append({"slug": s.slug, "title": s.title, "place": s.place, "date": s.date,
                           "count": len(rs), "thumbs": thumbs})
        ctx = {"site": self.site, "sessions": listed}
        self.emit("index.html", self.key("i", ctx), lambda: pages.index_page(ctx).encode("utf-8"))
        self.tick()

    def remove_stale(self) -> None:
        """Remove what the last build wrote and this one does not make, then the folders left empty."""
        folders: set[Path] = set()
        for rel in self.old.files.keys() - self.files.keys():
            path = self.out / rel
            if not path.resolve().is_relative_to(self.out.resolve()):
                continue  # a manifest naming a file outside the site (edited by hand): never delete it
            try:
                path.unlink()
                self.result.removed += 1
            except FileNotFoundError:
                pass
            except OSError as exc:
                raise atomic.disk_error(path.parent, exc) from exc
            folders.add(path.parent)
        for folder in sorted(folders, key=lambda p: len(p.parts), reverse=True):
            while folder != self.out and folder.is_relative_to(self.out):
                try:
                    folder.rmdir()
                except OSError:
                    break  # not empty (or gone): leave it
                folder = folder.parent


class _Numbers(dict):
    """Each response's number in its session, counting every response (Store.response_number,
    as the zine prints it); `sessions` counts the responses of each session."""

    def __init__(self, pairs: Iterable[tuple[str, str]]) -> None:
        super().__init__()
        self.sessions: Counter[str] = Counter()
        for session, rid in pairs:  # in id order, i.e. the order they were made
            self.sessions[session] += 1
            self[rid] = self.sessions[session]


def _numbers(store: Store) -> _Numbers:
    # Straight from the index: reading every response whole only to count them would double
    # the time of a rebuild of a large archive.
    return _Numbers(store.db.execute("SELECT session, id FROM responses ORDER BY id"))


def _page_count(n: int) -> int:
    return max(1, -(-n // pages.PAGE_SIZE))


def _questions_and_tallies(rs: list[Response]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The questions answered in a session (in the order first asked), and the choices counted."""
    questions: dict[str, dict[str, Any]] = {}
    tallies: dict[str, dict[str, Any]] = {}
    for r in rs:
        q = questions.setdefault(r.prompt_id, {"id": r.prompt_id, "text": r.prompt_text, "count": 0})
        q["count"] += 1
        if r.kind != "choice":
            continue
        t = tallies.setdefault(r.prompt_id, {"question": r.prompt_text, "rows": {}})
        for i, option in enumerate(r.options):
            row = t["rows"].setdefault(option, {"id": option, "count": 0, "label": {}})
            row["count"] += 1
            for lang, texts in r.option_text.items():
                if i < len(texts) and texts[i]:
                    row["label"].setdefault(lang, texts[i])
    tally_list = []
    for t in tallies.values():
        rows = sorted(t["rows"].values(), key=lambda row: -row["count"])
        tally_list.append({"question": t["question"], "rows": rows})
    return list(questions.values()), tally_list


def _run_jobs(jobs: list[assets.AssetJob]) -> Iterable[assets.AssetResult]:
    """Make the drawings' files, on every core when there are many."""
    workers = min(os.cpu_count() or 1, 4)
    if len(jobs) < PARALLEL_FROM or workers < 2:
        yield from map(assets.make_assets, jobs)
        return
    # fork where there is one: spawn would re-run the caller's main script in every worker, which
    # breaks a script without an `if __name__ == "__main__"` guard (a benchmark, a notebook). The
    # workers touch only files and Pillow, never a lock a caller's thread (the progress bar) holds.
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else None
    with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context(method)) as pool:
        yield from pool.map(assets.make_assets, jobs, chunksize=8)
