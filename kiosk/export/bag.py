"""`kiosk export`: the store's responses as a BagIt bag (RFC 8493, BagIt 1.0), or the same bag as one ZIP.

The bag is built in a hidden folder beside OUT (same filesystem), checksummed as it is
written, flushed to disk, and only then renamed to OUT: an interrupted export leaves no half
bag under that name, and an existing OUT (with --force) is replaced only by a complete bag.
The store is only read. Memory stays flat however many responses there are: responses come
from the index one at a time, rows and manifest lines go straight to their files, and at
most a few chunks of drawings are in flight between the worker processes and this one.
"""

from __future__ import annotations

import errno
import glob
import os
import shutil
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from datetime import date as Date
from pathlib import Path

from kiosk import __version__, atomic, ids
from kiosk.config import Settings
from kiosk.errors import KioskError
from kiosk.export import metadata
from kiosk.export.checksums import (
    Entry,
    HashingFile,
    Manifests,
    entry_for_bytes,
    flush_to_disk,
    hash_tree,
    read_bag_info,
    write_tag_files,
)
from kiosk.export.drawings import DRAWINGS_DIR, DrawingJob, DrawingResult, worker_init, write_drawings
from kiosk.export.zipexport import write_zip
from kiosk.store import Response, Session, Store
from kiosk.workers import process_pool

FORMATS = ("bagit", "zip")
METADATA_DIR = "data/metadata"
SITE_DIR = "data/site"
CHUNK = 16  # responses per task for a worker process
Progress = Callable[[int, int], None]


@dataclass
class ExportResult:
    path: Path
    format: str
    responses: int
    drawings: int
    print_only: int
    hidden: int
    sessions: list[str]
    files: int  # payload files
    bytes: int  # payload bytes
    external_identifier: str
    # Responses left out (a drawing file damaged or missing in the store), and each file's problem.
    # The others are exported: one bad drawing never stops an export.
    left_out: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


@dataclass
class Selection:
    sessions: list[str] | None
    since: datetime | Date | None
    include_hidden: bool

    def accepts(self, resp: Response) -> bool:
        if self.since is None:
            return True
        try:
            created = datetime.fromisoformat(resp.created)
        except ValueError:
            return False  # no date to compare: not "since" anything
        if isinstance(self.since, datetime):
            return created >= self.since
        return created.date() >= self.since  # the day as the kiosk lived it (its own offset)


def parse_since(value: str | None) -> datetime | Date | None:
    """--since: a date (YYYY-MM-DD: that day and after) or a date and time with an offset."""
    if not value:
        return None
    try:
        if len(value.strip()) == 10:
            return Date.fromisoformat(value.strip())
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        raise KioskError(f"--since {value!r} is not a date.",
                         "write it as YYYY-MM-DD, for example --since 2026-11-01 "
                         "(or a date and time such as 2026-11-01T14:00+01:00)") from None
    return moment if moment.tzinfo else moment.astimezone()


def export_bag(store: Store, settings: Settings, out: Path | str, sessions: list[str] | None = None,
               since: str | datetime | Date | None = None, fmt: str = "bagit", include_site: bool = False,
               include_hidden: bool = False, force: bool = False, progress: Progress | None = None,
               workers: int = 2) -> ExportResult:
    """Export responses as a bag at `out` (a folder), or as a ZIP of the bag (`out`, .zip added)."""
    if fmt not in FORMATS:
        raise KioskError(f"--format {fmt!r} is not a format the export knows.", "use --format bagit or --format zip")
    out = Path(out).expanduser().absolute()
    if fmt == "zip" and out.suffix.lower() != ".zip":
        out = out.with_name(out.name + ".zip")
    check_destination(out, fmt, force, store.root)
    for slug in sessions or []:
        store.session(slug)  # an unknown session: a message listing the known ones
    selection = Selection(list(dict.fromkeys(sessions)) if sessions else None,
                          since if isinstance(since, (datetime, Date)) else parse_since(since), include_hidden)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise _write_error(out.parent, exc) from exc

    tmp = out.parent / f".{out.name}.kiosk-tmp-{os.getpid()}"
    _remove_stale_temps(out)
    try:
        tmp.mkdir()
        result = _build_bag(store, settings, tmp, selection, include_site, progress, workers)
        if fmt == "zip":
            zip_tmp = out.parent / f".{out.name}.kiosk-tmp-{os.getpid()}.zip"
            write_zip(tmp, zip_tmp, top=out.stem)
            _replace(zip_tmp, out)
            shutil.rmtree(tmp, ignore_errors=True)
        else:
            _replace(tmp, out)
    except OSError as exc:
        raise _write_error(out.parent, exc) from exc
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
        for leftover in out.parent.glob(f".{glob.escape(out.name)}.kiosk-tmp-{os.getpid()}*"):
            _remove(leftover)
    result.path, result.format = out, fmt
    return result


def _write_error(folder: Path, exc: OSError) -> KioskError:
    what = {errno.ENOSPC: "the disk is full", errno.EDQUOT: "the disk quota is used up",
            errno.EROFS: "the disk is read-only", errno.EACCES: "permission is denied",
            errno.EPERM: "permission is denied"}.get(exc.errno or 0, exc.strerror or str(exc))
    return KioskError(f"Cannot write the export in {folder}: {what}. Nothing was left behind.",
                      "free some space there, or export to another disk or folder you can write to")


def check_destination(out: Path, fmt: str, force: bool, store_root: Path) -> None:
    """Refuse an OUT that would hide or destroy something: the store itself, or (without --force) anything."""
    resolved = out.resolve()
    if resolved == store_root or store_root.is_relative_to(resolved) or resolved.is_relative_to(store_root / "sessions"):
        raise KioskError(f"{out} is (or holds) the data folder being exported.",
                         "export to a folder outside the data folder, for example ~/exports/kiosk-bag")
    if not out.exists() and not out.is_symlink():
        return
    if fmt == "zip" and out.is_dir():
        raise KioskError(f"{out} is a folder, not a ZIP file.", "give a file name ending in .zip")
    if out.is_dir() and not any(out.iterdir()):
        return  # an empty folder: the bag takes its place
    if force:
        return
    what = "a file"
    if out.is_dir():
        info = read_bag_info(out) if (out / "bagit.txt").exists() else None
        what = "a folder that is not empty"
        if info is not None:
            ident = info.get("External-Identifier") or info.get("Bag-Software-Agent") or "unnamed"
            what = f"a folder that already holds a bag ({ident}, bagged {info.get('Bagging-Date', 'on an unknown date')})"
    raise KioskError(f"{out} already exists: it is {what}; the export will not overwrite it.",
                     "choose another name, or add --force to replace it once the new export is complete")


class _Payload:
    """The bag's metadata files and manifests, written response by response as the drawings come back."""

    def __init__(self, store: Store, settings: Settings, bag: Path, selection: Selection, exported: str) -> None:
        self.store, self.settings, self.bag = store, settings, bag
        self.manifests = Manifests(bag)
        self.csv_file = HashingFile(bag / METADATA_DIR / "responses.csv")
        self.json_file = HashingFile(bag / METADATA_DIR / "responses.json")
        self.rows = metadata.CsvRows(self.csv_file, metadata.HEADER)
        self.records = metadata.JsonRecords(self.json_file, exported)
        self.questions = metadata.Questions()
        self.session_slugs = dict.fromkeys(selection.sessions or [])  # asked for, then met, in order
        self.titles: dict[str, str] = {}
        self.counts = {"responses": 0, "drawings": 0, "print": 0, "hidden": 0}
        self.left_out: list[str] = []  # ids of the answers left out
        self.problems: list[str] = []  # why: each damaged or missing file

    def add(self, chunk: list[Response], results: list[DrawingResult]) -> None:
        by_id = {r.rid: r for r in results}
        for resp in chunk:
            done = by_id.get(resp.id)
            if done is not None and done.problems:
                # One bad drawing never stops the others: the answer stays out of the bag whole
                # (no row naming files that are not there) and is named; the store keeps it.
                self.problems.extend(done.problems)
                self.left_out.append(resp.id)
                continue
            if done is not None:
                self.manifests.add_all(done.entries)
                self.counts["drawings"] += 1
            if resp.session not in self.titles:
                self.titles[resp.session] = self.store.session(resp.session).title
                self.session_slugs[resp.session] = None
            self.rows.write(metadata.response_row(resp, self.titles[resp.session], self.settings.rights,
                                                  self.settings.license))
            self.records.write(resp)
            self.questions.add(resp)
            self.counts["responses"] += 1
            self.counts["print"] += resp.consent == "print"
            self.counts["hidden"] += resp.hidden

    def finish(self, stats: dict) -> list[Session]:
        """Close the CSV and JSON, write the small metadata files; returns the sessions exported."""
        sessions = [self.store.session(slug) for slug in self.session_slugs]
        self.records.close(sessions)
        for name, f in (("responses.csv", self.csv_file), ("responses.json", self.json_file)):
            sums = f.close()
            self.manifests.add(Entry(f"{METADATA_DIR}/{name}", f.size, sums["sha256"], sums["sha512"]))
        stats.update(responses=self.counts["responses"], drawings=self.counts["drawings"], sessions=len(sessions))
        texts = {
            "questions.csv": metadata.csv_bytes([n for n, _ in metadata.QUESTION_COLUMNS], self.questions.rows()),
            "README.md": metadata.data_dictionary_markdown(stats).encode("utf-8"),
            "data-dictionary.csv": metadata.csv_bytes(["file", "column", "description"],
                                                      metadata.data_dictionary_rows()),
        }
        for name, data in texts.items():
            (self.bag / METADATA_DIR / name).write_bytes(data)
            self.manifests.add(entry_for_bytes(f"{METADATA_DIR}/{name}", data))
        return sessions


def _build_bag(store: Store, settings: Settings, bag: Path, selection: Selection, include_site: bool,
               progress: Progress | None, workers: int) -> ExportResult:
    (bag / DRAWINGS_DIR).mkdir(parents=True)
    (bag / METADATA_DIR).mkdir(parents=True)
    now = datetime.now(UTC).astimezone()
    external_id = f"kiosk-export-{ids.new_response_id(store.kiosk_id)}"
    total = sum(1 for _ in _selected(store, selection)) if progress else 0
    payload = _Payload(store, settings, bag, selection, now.isoformat(timespec="seconds"))

    def take(chunk: list[Response], results: list[DrawingResult]) -> None:
        payload.add(chunk, results)
        if progress:
            progress(payload.counts["responses"], total)

    _run_drawings(store, bag, selection, take, workers)
    sessions = payload.finish({"exported": now.isoformat(timespec="seconds"),
                               "include_hidden": selection.include_hidden, "site": include_site})
    manifests, counts = payload.manifests, payload.counts
    if include_site:
        _write_site(store, settings, bag, manifests, progress)
    manifests.close()
    write_tag_files(bag, _bag_info(settings, external_id, now, manifests.oxum, counts, sessions, selection,
                                   len(payload.left_out)))
    flush_to_disk(bag)  # before the rename: OUT never names a bag still in the page cache
    return ExportResult(bag, "bagit", counts["responses"], counts["drawings"], counts["print"], counts["hidden"],
                        [s.slug for s in sessions], manifests.count, manifests.bytes, external_id,
                        payload.left_out, payload.problems)


def _selected(store: Store, selection: Selection) -> Iterator[Response]:
    slugs: list[str | None] = list(selection.sessions) if selection.sessions else [None]
    for slug in slugs:
        for resp in store.iter_responses(slug, include_hidden=selection.include_hidden):
            if selection.accepts(resp):
                yield resp


def _chunks(responses: Iterator[Response]) -> Iterator[list[Response]]:
    chunk: list[Response] = []
    for resp in responses:
        chunk.append(resp)
        if len(chunk) == CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _run_drawings(store: Store, bag: Path, selection: Selection,
                  take: Callable[[list[Response], list[DrawingResult]], None], workers: int) -> None:
    """Hand chunks of drawings to the worker processes, and their results to `take` in order."""
    def jobs(chunk: list[Response]) -> list[DrawingJob]:
        return [DrawingJob(r.id, str(store.response_dir(r)), r.files) for r in chunk if r.has_drawing]

    if workers <= 1:
        for chunk in _chunks(_selected(store, selection)):
            take(chunk, write_drawings(jobs(chunk), str(bag)))
        return
    window: deque[tuple[list[Response], Future]] = deque()
    with process_pool(workers, initializer=worker_init) as pool:
        for chunk in _chunks(_selected(store, selection)):
            window.append((chunk, pool.submit(write_drawings, jobs(chunk), str(bag))))
            if len(window) > 2 * workers:  # a few chunks in flight: both cores busy, memory flat
                done, fut = window.popleft()
                take(done, fut.result())
        while window:
            done, fut = window.popleft()
            take(done, fut.result())


def _write_site(store: Store, settings: Settings, bag: Path, manifests: Manifests, progress: Progress | None) -> None:
    try:
        from kiosk.archive.build import build_site
    except ImportError:
        raise KioskError("--include-site: this kiosk has no archive builder yet.",
                         "export without --include-site, and build the site with `kiosk archive build`") from None
    site = bag / SITE_DIR
    build_site(store, settings, out=site, progress=progress)  # the bar starts again: the site's own steps
    with ThreadPoolExecutor(max_workers=2) as pool:
        manifests.add_all(hash_tree(site, bag, pool))


def _bag_info(settings: Settings, external_id: str, now: datetime, oxum: str, counts: dict[str, int],
              sessions: list[Session], selection: Selection, left_out: int = 0) -> list[tuple[str, str]]:
    names = ", ".join(s.slug for s in sessions[:5]) + (f" and {len(sessions) - 5} more" if len(sessions) > 5 else "")
    description = (
        f"Drawings and answers from the drawing kiosk of {settings.organization or 'its organisation'}: "
        f"{counts['responses']} anonymous responses ({counts['drawings']} drawings) from "
        f"{len(sessions)} session(s): {names or 'none'}"
        + (f", created since {selection.since.isoformat()}" if selection.since else "")
        + f". {counts['print']} are print-only (dcterms:accessRights): not for publication online. "
        + ("Hidden responses included (column hidden). " if selection.include_hidden else "Hidden responses left out. ")
        + (f"{left_out} selected response(s) left out: a drawing file damaged or missing in the data folder "
           "(`kiosk check` names them). " if left_out else "")
        + "See data/metadata/README.md.")
    info = [("Source-Organization", settings.organization)]
    if settings.contact_email:
        info.append(("Contact-Email", settings.contact_email))
    info += [
        ("External-Description", description),
        ("External-Identifier", external_id),
        ("Bagging-Date", now.date().isoformat()),
        ("Payload-Oxum", oxum),
        ("Bag-Software-Agent", f"kiosk {__version__}"),
    ]
    return [(label, value) for label, value in info if value]


def _replace(new: Path, out: Path) -> None:
    """Put `new` at `out`; an existing `out` is moved aside first and removed only once `new` is in place."""
    if not (out.exists() or out.is_symlink()):
        os.rename(new, out)
    elif new.is_dir() and out.is_dir() and not out.is_symlink() and not any(out.iterdir()):
        os.rename(new, out)  # POSIX: a folder may replace an empty folder in one step
    elif new.is_file() and out.is_file():
        os.replace(new, out)
    else:
        old = out.parent / f".{out.name}.kiosk-old-{os.getpid()}"
        os.rename(out, old)
        try:
            os.rename(new, out)
        except OSError:
            os.rename(old, out)
            raise
        _remove(old)
    atomic.fsync_dir(out.parent)


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        try:
            path.unlink()
        except OSError:
            pass


def _remove_stale_temps(out: Path) -> None:
    """Half-built exports of the same name whose process was killed.

    A `.kiosk-old-` leftover is kept: it is a previous export moved aside for --force.
    """
    for leftover in out.parent.glob(f".{glob.escape(out.name)}.kiosk-tmp-*"):
        pid = leftover.name.rsplit("-", 1)[-1].split(".")[0]
        if pid.isdigit() and int(pid) != os.getpid() and not atomic.process_running(int(pid)):
            _remove(leftover)


