"""A response's drawing files in the bag: PNG, SVG and strokes copied from the store, all checksummed.

Runs in worker processes, a chunk of responses per task. Each file is read once: its SHA-256
is checked against the one the store recorded (so a damaged drawing is caught here, not by
the archivist) and is the manifest's; only SHA-512 is computed on top. A response saved
before the store kept an SVG (or without a PNG) has that file rendered from its strokes.
"""

from __future__ import annotations

import gc
import hashlib
import os
import signal
from dataclasses import dataclass, field

from kiosk import reading
from kiosk.export.checksums import Entry, entry_for_bytes
from kiosk.export.metadata import drawing_names
from kiosk.export.svg import svg_bytes
from kiosk.store import DRAWING_PNG, DRAWING_SVG, STROKES_JSON
from kiosk.strokes import StrokesFormatError, from_json, render_png

DRAWINGS_DIR = "data/drawings"


@dataclass
class DrawingJob:
    rid: str
    src: str  # the response's folder in the store
    files: dict[str, str]  # file name -> SHA-256 recorded by the store


@dataclass
class DrawingResult:
    rid: str
    entries: list[Entry] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def worker_init() -> None:
    # Ctrl-C is for the main process, which stops handing out work and removes the half-built bag.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # Parsing strokes makes many small lists and no cycles: collecting is wasted work here.
    gc.disable()


def write_drawings(jobs: list[DrawingJob], bag_dir: str) -> list[DrawingResult]:
    """Write the PNG, SVG and strokes of each job's response into bag_dir/data/drawings/."""
    return [_write_one(job, bag_dir) for job in jobs]


def write_to_disk(path: str, data: bytes) -> None:
    """Write a new file and send it on its way to the disk at once, without waiting for it.

    The export flushes everything before it names the bag; starting each file's writeback as
    soon as it is written keeps the disk busy while the processors hash, and leaves that
    final flush almost nothing to do. (POSIX_FADV_DONTNEED starts the writeback on Linux.)
    """
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
        if hasattr(os, "posix_fadvise"):
            os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
    finally:
        os.close(fd)


def _read_checked(src: str, name: str, recorded: str | None, problems: list[str]) -> tuple[bytes, str] | None:
    path = os.path.join(src, name)
    try:
        data = reading.read_bytes(path)  # a pipe in the store is refused, not waited on
    except OSError as exc:
        problems.append(f"{path}: cannot be read ({exc.strerror})")
        return None
    digest = hashlib.sha256(data).hexdigest()
    if recorded is not None and digest != recorded:
        problems.append(f"{path}: damaged (its SHA-256 differs from the one recorded when it was saved)")
        return None
    return data, digest


def _write_one(job: DrawingJob, bag_dir: str) -> DrawingResult:
    result = DrawingResult(job.rid)
    wanted = [name for name in (STROKES_JSON, DRAWING_PNG, DRAWING_SVG) if name == STROKES_JSON or name in job.files]
    read = {name: _read_checked(job.src, name, job.files.get(name), result.problems) for name in wanted}
    files = {name: found for name, found in read.items() if found is not None}
    if len(files) < len(read):  # a file missing or damaged: named in result.problems
        return result
    strokes = files[STROKES_JSON]
    try:
        if DRAWING_PNG not in files:  # saved without a PNG: render it from the strokes, as the store would have
            data = render_png(from_json(strokes[0]))
            files[DRAWING_PNG] = (data, hashlib.sha256(data).hexdigest())
        if DRAWING_SVG not in files:  # saved before the store kept SVGs
            data = svg_bytes(strokes[0])
            files[DRAWING_SVG] = (data, hashlib.sha256(data).hexdigest())
    except StrokesFormatError as exc:
        result.problems.append(f"{os.path.join(job.src, STROKES_JSON)}: {exc}")
        return result
    for name, bag_name in zip((DRAWING_PNG, DRAWING_SVG, STROKES_JSON), drawing_names(job.rid)):
        data, sha256 = files[name]
        write_to_disk(os.path.join(bag_dir, DRAWINGS_DIR, bag_name), data)
        result.entries.append(entry_for_bytes(f"{DRAWINGS_DIR}/{bag_name}", data, sha256))
    return result
