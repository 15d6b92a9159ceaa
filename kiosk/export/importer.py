"""`kiosk import`: merge a bag (or a ZIP of one) written by `kiosk export` into this data folder.

Several kiosks, one archive: an archivist carries bags from several kiosks to one machine,
imports them all, and builds one archive and one zine. The bag is checked completely first
(every file, every checksum, and that each response record agrees with its files); if
anything is wrong, the whole list is reported and nothing is imported. Then each response
is written through the store like a new one (a whole folder, renamed into place), with its
recorded hashes, so the folder is byte for byte the one the other kiosk wrote. Responses
already here (same id) are skipped: importing twice changes nothing, and ids carry the
kiosk id, so two kiosks' responses never collide.
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

from kiosk import atomic, ids
from kiosk.errors import KioskError
from kiosk.export.bag import METADATA_DIR
from kiosk.export.drawings import DRAWINGS_DIR
from kiosk.export.metadata import EXPORT_FORMAT, READABLE_FORMATS, drawing_names
from kiosk.export.validate import bag_problems, listing
from kiosk.export.zipexport import safe_members
from kiosk.store import CONSENTS, DRAWING_PNG, DRAWING_SVG, STROKES_JSON, Response, Session, Store

Progress = Callable[[str, int, int], None]
FIX = ("get an intact copy of the bag (or export it again on the kiosk it came from); "
       "`python -m bagit --validate BAG` shows the same problems")


@dataclass
class ImportResult:
    source: Path
    imported: int = 0
    skipped: int = 0
    sessions_created: list[str] = field(default_factory=list)


@dataclass
class _Contents:
    responses: list[Response]
    sessions: list[Session]


def import_bag(store: Store, source: Path | str, progress: Progress | None = None) -> ImportResult:
    """Validate the bag at `source` (a folder or a .zip), then merge its responses into `store`."""
    source = Path(source).expanduser().absolute()
    if not source.exists():
        raise KioskError(f"{source} does not exist.", "give the path of a bag folder or .zip written by `kiosk export`")
    tmp = store.root / f".tmp-import-{os.getpid()}"
    try:
        if source.is_dir():
            bag_dir = _bag_root(source)
        elif zipfile.is_zipfile(source) or source.suffix.lower() == ".zip":
            bag_dir = _bag_root(_extract(source, tmp))
        else:
            raise KioskError(f"{source} is neither a bag folder nor a ZIP file: nothing was imported.",
                             "give the folder or the .zip that `kiosk export` wrote")
        problems = bag_problems(bag_dir, (lambda d, t: progress("checking", d, t)) if progress else None)
        contents = None if problems else _read_contents(bag_dir, problems)
        if problems or contents is None:
            raise KioskError(f"{source} cannot be imported: {len(problems)} problem(s) found, nothing was imported:\n"
                             + listing(problems), FIX)
        return _merge(store, source, bag_dir, contents, progress)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


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


def _read_contents(bag_dir: Path, problems: list[str]) -> _Contents | None:
    """The response and session records, checked against the bag's files; problems are appended."""
    path = bag_dir / METADATA_DIR / "responses.json"
    try:
        data: Any = json.loads(path.read_bytes())
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
    sessions, responses = [], []
    for i, rec in enumerate(data.get("sessions") or []):
        try:
            sessions.append(Session.from_dict(rec))
        except (TypeError, ValueError, KeyError) as exc:
            problems.append(f"{path}: session record {i + 1} is not valid ({exc})")
    slugs = {s.slug for s in sessions}
    sha256s = _manifest_sha256(bag_dir)
    for i, rec in enumerate(data.get("responses") or []):
        try:
            resp = Response.from_dict(rec)
        except (TypeError, ValueError) as exc:
            problems.append(f"{path}: response record {i + 1} is not valid ({exc})")
            continue
        what = _record_problem(resp, slugs)
        if what:
            problems.append(f"{path}: response {resp.id}: {what}")
            continue
        for name, digest in resp.files.items():
            rel = _bag_file(resp.id, name)
            if rel is None:
                problems.append(f"{path}: response {resp.id}: unknown file {name!r}")
            elif sha256s.get(rel) is None:
                problems.append(f"{bag_dir / rel}: missing (response {resp.id} records it)")
            elif sha256s[rel] != digest:
                problems.append(f"{bag_dir / rel}: differs from the file response {resp.id} recorded when it was saved")
        responses.append(resp)
    return _Contents(responses, sessions)


def _record_problem(resp: Response, slugs: set[str]) -> str:
    if not ids.is_response_id(resp.id):
        return "not a response id"
    if resp.consent not in CONSENTS:
        return f"consent {resp.consent!r} is not one of {', '.join(CONSENTS)}"
    if resp.session not in slugs:
        return f"its session {resp.session!r} has no session record"
    return ""


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
    for session in contents.sessions:
        if store.add_session(session):
            result.sessions_created.append(session.slug)
    if result.sessions_created:
        store.sync()  # a session folder that existed without its record is indexed too
    total = len(contents.responses)
    for i, resp in enumerate(contents.responses, 1):
        if _present(store, resp):
            result.skipped += 1
        else:
            files = {name: bag_dir / _bag_file(resp.id, name) for name in resp.files}  # type: ignore[operator]
            store.add_response_files(resp, files)
            result.imported += 1
        if progress:
            progress("importing", i, total)
    return result


def _present(store: Store, resp: Response) -> bool:
    try:
        store.response(resp.id)
        return True
    except KioskError:
        return store.response_dir(resp).exists()
