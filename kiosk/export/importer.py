"""`kiosk import`: merge a bag (or a ZIP of one) written by `kiosk export` into this data folder.

Several kiosks, one archive: an archivist carries bags from several kiosks to one machine,
imports them all, and builds one archive and one zine. The bag is checked completely first
(every file, every checksum, and that each response record agrees with its files); if
anything is wrong, the whole list is reported and nothing is imported. Every record (session,
response, drawing) goes through kiosk/records.py, the validator the store uses, before anything
is written; a bag holding an id twice is refused. Then each response
is written through the store like a new one (a whole folder, renamed into place), with its
recorded hashes, so the folder is byte for byte the one the other kiosk wrote. Responses
already here (same id) are skipped: importing twice changes nothing, and ids carry the
kiosk id, so two kiosks' responses never collide. Where the bag's copy of an answer already
here is more private (consent "print", or hidden), the more private value wins and is said.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import bagit

from kiosk import atomic, reading, records
from kiosk.errors import KioskError
from kiosk.export.bag import METADATA_DIR
from kiosk.export.drawings import DRAWINGS_DIR
from kiosk.export.metadata import EXPORT_FORMAT, READABLE_FORMATS, drawing_names
from kiosk.export.validate import bag_problems, listing
from kiosk.export.zipexport import safe_members
from kiosk.store import (
    DRAWING_PNG,
    DRAWING_SVG,
    IMPORT_SOURCE,
    IMPORT_TMP_PREFIX,
    STROKES_JSON,
    Response,
    Session,
    Store,
)

Progress = Callable[[str, int, int], None]
FIX = ("get an intact copy of the bag (or export it again on the kiosk it came from); "
       "`python -m bagit --validate BAG` shows the same problems")
RECORD_FIX = ("export the bag again on the kiosk it came from; or correct the named fields in the bag's "
              "data/metadata/responses.json (docs/formats.md says what each holds) and make its manifests again")
# A ZIP is refused before anything is unpacked when it would expand beyond these.
MAX_ZIP_RATIO = 200  # uncompressed / compressed, for a large member: a kiosk's bag compresses far less
MAX_ZIP_ENTRIES = 1_000_000
ZIP_SPARE_BYTES = 64 * 1024 * 1024  # left free on the data folder's disk after unpacking


@dataclass
class ImportResult:
    source: Path
    imported: int = 0
    skipped: int = 0
    sessions_created: list[str] = field(default_factory=list)
    # Answers already here whose consent or hidden flag met a different one in the bag:
    # one line each, saying which value was kept (always the more private).
    privacy: list[str] = field(default_factory=list)
    # Sessions of the bag whose slug is already here under another title: their answers join ours.
    joined: list[str] = field(default_factory=list)


@dataclass
class _Contents:
    responses: list[Response]
    sessions: list[Session]


def import_bag(store: Store, source: Path | str, progress: Progress | None = None) -> ImportResult:
    """Validate the bag at `source` (a folder or a .zip), then merge its responses into `store`."""
    source = Path(source).expanduser().absolute()
    if not source.exists():
        raise KioskError(f"{source} does not exist.", "give the path of a bag folder or .zip written by `kiosk export`")
    _clean_leftovers(store.root)
    tmp = store.root / f"{IMPORT_TMP_PREFIX}{os.getpid()}"
    try:
        if source.is_dir():
            bag_dir = _bag_root(source)
        elif zipfile.is_zipfile(source) or source.suffix.lower() == ".zip":
            bag_dir = _bag_root(_extract(source, tmp))
        else:
            raise KioskError(f"{source} is neither a bag folder nor a ZIP file: nothing was imported.",
                             "give the folder or the .zip that `kiosk export` wrote")
        problems = bag_problems(bag_dir, (lambda d, t: progress("checking", d, t)) if progress else None)
        if problems:
            raise KioskError(f"{source} cannot be imported: {len(problems)} problem(s) found, nothing was imported:\n"
                             + listing(problems), FIX)
        contents = _read_contents(bag_dir, problems)
        if problems or contents is None:
            raise KioskError(f"{source} cannot be imported: {len(problems)} record(s) not valid, nothing was "
                             "imported:\n" + listing(problems), RECORD_FIX)
        try:  # said while it merges: `kiosk check` names an import killed half-way, and its bag
            tmp.mkdir(exist_ok=True)
            (tmp / IMPORT_SOURCE).write_text(str(source), encoding="utf-8")
        except OSError:
            pass  # the merge says what is wrong with the disk
        return _merge(store, source, bag_dir, contents, progress)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _clean_leftovers(root: Path) -> None:
    """Remove what a killed import left (its unpacked ZIP), unless that import still runs."""
    try:
        entries = list(os.scandir(root))
    except OSError:
        return
    for entry in entries:
        if not entry.name.startswith(IMPORT_TMP_PREFIX):
            continue
        pid = entry.name[len(IMPORT_TMP_PREFIX):]
        # One of this process's own from an earlier call is done with; another's may be in use.
        if pid.isdigit() and int(pid) != os.getpid() and atomic.process_running(int(pid)):
            continue
        shutil.rmtree(entry.path, ignore_errors=True)


def _bag_root(folder: Path) -> Path:
    """The bag: the folder itself, or the one folder inside it that is a bag (an unzipped export)."""
    if (folder / "bagit.txt").exists():
        return folder
    inner = [p for p in folder.iterdir() if p.is_dir() and not p.name.startswith(".")]
    if len(inner) == 1 and (inner[0] / "bagit.txt").exists():
        return inner[0]
    return folder  # bag_problems says what is missing


def _extract(zip_path: Path, dest: Path) -> Path:
    """Unzip into dest (inside the data folder: same disk, and nothing left behind on failure)."""
    problems: list[str] = []
    try:
        with zipfile.ZipFile(zip_path) as zf:
            members, unsafe = safe_members(zf)
            problems += [f"{zip_path}: {name}: a path outside the bag's folder (refused)" for name in unsafe]
            problems += _zip_size_problems(zip_path, zf.infolist(), dest.parent)
            if problems:  # nothing unpacked yet
                raise KioskError(f"{zip_path} cannot be imported: {len(problems)} problem(s) found, nothing was "
                                 "imported:\n" + listing(problems), FIX)
            dest.mkdir(parents=True)
            for info in members:
                try:
                    zf.extract(info, dest)
                except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
                    problems.append(f"{zip_path}: {info.filename}: damaged in the ZIP ({exc})")
    except zipfile.BadZipFile as exc:
        problems.append(f"{zip_path}: not a complete ZIP file ({exc}); was the copy cut short?")
    except OSError as exc:
        if exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES):
            raise atomic.disk_error(dest.parent, exc) from exc  # the data folder's problem, not the bag's
        problems.append(f"{zip_path}: cannot be read ({exc.strerror or exc})")
    if problems:
        raise KioskError(f"{zip_path} cannot be imported: {len(problems)} problem(s) found, nothing was imported:\n"
                         + listing(problems), FIX)
    return dest


def _zip_size_problems(zip_path: Path, infos: list[zipfile.ZipInfo], data_dir: Path) -> list[str]:
    """Encrypted members, and what the ZIP would take once unpacked, checked before unpacking."""
    problems = [f"{zip_path}: {i.filename}: encrypted (refused: a kiosk export is never encrypted; "
                "unpack it with its password and import the folder)" for i in infos if i.flag_bits & 0x1]
    if len(infos) > MAX_ZIP_ENTRIES:
        problems.append(f"{zip_path}: {len(infos)} files, more than the {MAX_ZIP_ENTRIES} an import takes")
    for info in infos:
        if info.file_size > 16 * 1024 * 1024 and info.file_size > MAX_ZIP_RATIO * max(1, info.compress_size):
            problems.append(f"{zip_path}: {info.filename}: would unpack to {info.file_size} bytes from "
                            f"{info.compress_size} (more than {MAX_ZIP_RATIO} times: refused, not a kiosk export)")
    total = sum(i.file_size for i in infos)
    try:
        free = shutil.disk_usage(data_dir).free
    except OSError:
        free = None
    if free is not None and total + ZIP_SPARE_BYTES > free:
        raise KioskError(f"{zip_path} would take {total / 1e6:.1f} MB once unpacked, and {data_dir} has only "
                         f"{free / 1e6:.1f} MB free: nothing was imported.",
                         "free some space on that disk, or unpack the ZIP elsewhere and import the folder")
    return problems


def _read_contents(bag_dir: Path, problems: list[str]) -> _Contents | None:
    """The response and session records, checked against the bag's files; problems are appended."""
    path = bag_dir / METADATA_DIR / "responses.json"
    try:
        data: Any = json.loads(reading.read_bytes(path))
    except FileNotFoundError:
        problems.append(f"{path}: missing: this bag was not written by `kiosk export`, so it has no records to import")
        return None
    except (OSError, ValueError) as exc:
        problems.append(f"{path}: not readable JSON ({exc})")
        return None
    if not isinstance(data, dict) or data.get("format") not in READABLE_FORMATS:
        found = data.get("format") if isinstance(data, dict) else None
        problems.append(f"{path}: format {found!r}, expected {EXPORT_FORMAT!r} (a newer kiosk? update this one)")
        return None
    raw_sessions, raw_responses = data.get("sessions") or [], data.get("responses") or []
    if not isinstance(raw_sessions, list) or not isinstance(raw_responses, list):
        problems.append(f"{path}: sessions and responses must be lists")
        return None
    sessions: list[Session] = []
    for i, rec in enumerate(raw_sessions):
        slug = rec.get("slug") if isinstance(rec, dict) else None
        issues = records.session_issues(rec)
        problems += [f"{path}: session {_name(slug, i)}: {issue}" for issue in issues]
        if not issues:
            sessions.append(Session.from_dict(rec))
    problems += _duplicates(path, "session", [s.slug for s in sessions])
    slugs = {s.slug for s in sessions}
    sha256s = _manifest_sha256(bag_dir)
    responses: list[Response] = []
    for i, rec in enumerate(raw_responses):
        rid = rec.get("id") if isinstance(rec, dict) else None
        issues = records.response_issues(rec)
        if issues:
            problems += [f"{path}: response {_name(rid, i)}: {issue}" for issue in issues]
            continue
        resp = Response.from_dict(rec)
        if resp.session not in slugs:
            problems.append(f"{path}: response {resp.id}: session: {resp.session!r} has no valid session record")
        problems += _file_problems(bag_dir, path, resp, sha256s)
        responses.append(resp)
    problems += _duplicates(path, "response", [r.id for r in responses])
    return _Contents(responses, sessions)


def _name(value: object, i: int) -> str:
    return value if isinstance(value, str) and len(value) <= 100 else f"(record {i + 1})"


def _duplicates(path: Path, what: str, names: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    for name in names:
        seen[name] = seen.get(name, 0) + 1
    return [f"{path}: {what} {name}: appears {n} times; a bag holds each {what} once (which copy is right "
            "cannot be told, so none is imported)" for name, n in seen.items() if n > 1]


def _file_problems(bag_dir: Path, path: Path, resp: Response, sha256s: dict[str, str]) -> list[str]:
    """Each file the record lists: in the bag, the one recorded, within its size, and a drawing valid."""
    problems = []
    for name, digest in resp.files.items():
        rel = _bag_file(resp.id, name)
        if rel is None:
            problems.append(f"{path}: response {resp.id}: unknown file {name!r}")
            continue
        if sha256s.get(rel) is None:
            problems.append(f"{bag_dir / rel}: missing (response {resp.id} records it)")
            continue
        if sha256s[rel] != digest:
            problems.append(f"{bag_dir / rel}: differs from the file response {resp.id} recorded when it was saved")
            continue
        size = os.stat(bag_dir / rel).st_size  # a regular file: bag_problems hashed every listed one
        if size > records.MAX_FILE_BYTES[name]:
            problems.append(f"{bag_dir / rel}: response {resp.id}: {size} bytes, more than the "
                            f"{records.MAX_FILE_BYTES[name]} a {name} may take")
        elif name == STROKES_JSON:
            problems += [f"{bag_dir / rel}: response {resp.id}: {issue}"
                         for issue in records.strokes_issues(reading.read_bytes(bag_dir / rel))]
    return problems


def _bag_file(rid: str, name: str) -> str | None:
    png, svg, strokes = drawing_names(rid)
    mapped = {DRAWING_PNG: png, DRAWING_SVG: svg, STROKES_JSON: strokes}.get(name)
    return f"{DRAWINGS_DIR}/{mapped}" if mapped else None


def _manifest_sha256(bag_dir: Path) -> dict[str, str]:
    """Path in the bag -> SHA-256, as the (already verified) manifest says; empty without one."""
    try:
        bag = bagit.Bag(str(bag_dir))
    except bagit.BagError:
        return {}
    return {Path(rel).as_posix(): sums["sha256"].lower() for rel, sums in bag.entries.items() if "sha256" in sums}


def _merge(store: Store, source: Path, bag_dir: Path, contents: _Contents, progress: Progress | None) -> ImportResult:
    result = ImportResult(source)
    here = {s.slug: s for s in store.sessions()}
    for session in contents.sessions:
        if store.add_session(session):
            result.sessions_created.append(session.slug)
        elif session.slug in here and here[session.slug].title.strip() != session.title.strip():
            result.joined.append(f"{session.slug}: the bag's \"{session.title}\" joins \"{here[session.slug].title}\" "
                                 "(same date and name); its answers are listed under this one's title")
    if result.sessions_created:
        store.sync()  # a session folder that existed without its record is indexed too
    total = len(contents.responses)
    for i, resp in enumerate(contents.responses, 1):
        if _present(store, resp):
            result.skipped += 1
            _keep_more_private(store, resp, result)
        else:
            files = {name: bag_dir / _bag_file(resp.id, name) for name in resp.files}  # type: ignore[operator]
            try:
                store.add_response_files(resp, files)
            except KioskError as exc:
                raise _stopped(exc, result, total) from exc
            result.imported += 1
        if progress:
            progress("importing", i, total)
    return result


def _stopped(exc: KioskError, result: ImportResult, total: int) -> KioskError:
    """A write that failed half-way (a full disk): say how far the import got, and that running it
    again finishes it, since what is already here is skipped; otherwise people think nothing came in."""
    return KioskError(f"{exc.problem} The import stopped after {result.imported} of {total} responses "
                      f"({result.skipped} were already here); those are kept, complete.",
                      f"{exc.fix}; then run the same `kiosk import` again: it skips what is already here "
                      "and imports the rest", exc.code)


def _keep_more_private(store: Store, theirs: Response, result: ImportResult) -> None:
    """An answer already here: the bag's consent and hidden flag are taken only if more private."""
    try:
        ours = store.response(theirs.id)
    except KioskError:
        return  # its folder is here but quarantined: `kiosk check` names it
    consent = "print" if "print" in (ours.consent, theirs.consent) else ours.consent
    hidden = ours.hidden or theirs.hidden
    if (consent, hidden) != (ours.consent, ours.hidden):
        store.set_private(ours.id, consent=consent, hidden=hidden)
        result.privacy.append(f"{ours.id}: {_privacy(ours.consent, ours.hidden)} here, "
                              f"{_privacy(theirs.consent, theirs.hidden)} in the bag: now "
                              f"{_privacy(consent, hidden)} (the more private wins)")
    elif (theirs.consent, theirs.hidden) != (ours.consent, ours.hidden):
        result.privacy.append(f"{ours.id}: {_privacy(ours.consent, ours.hidden)} here, "
                              f"{_privacy(theirs.consent, theirs.hidden)} in the bag: kept "
                              f"{_privacy(consent, hidden)} (the more private wins)")


def _privacy(consent: str, hidden: bool) -> str:
    return f"consent {consent}" + (", hidden" if hidden else "")


def _present(store: Store, resp: Response) -> bool:
    try:
        store.response(resp.id)
        return True
    except KioskError:
        return store.response_dir(resp).exists()
