"""A response's drawing files in the bag: PNG and strokes copied, SVG rendered, all checksummed.

Runs in worker processes (the SVG is Python work; the checksums release the GIL but the
rendering does not), a chunk of responses per task. Each file is read once: its SHA-256 is
checked against the one the store recorded (so a damaged drawing is caught here, not by the
archivist) and is the manifest's; only SHA-512 is computed on top.
"""

from __future__ import annotations

import gc
import hashlib
import os
import signal
from dataclasses import dataclass, field

from kiosk.export.checksums import Entry, entry_for_bytes
from kiosk.export.metadata import drawing_names
from kiosk.store import DRAWING_PNG, STROKES_JSON
from kiosk.export.svg import svg_bytes
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


def _read_checked(src: str, name: str, recorded: str | None, problems: list[str]) -> tuple[bytes, str] | None:
    path = os.path.join(src, name)
    try:
        with open(path, "rb") as f:
            data = f.read()
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
    strokes = _read_checked(job.src, STROKES_JSON, job.files.get(STROKES_JSON), result.problems)
    png = None
    if DRAWING_PNG in job.files:
        png = _read_checked(job.src, DRAWING_PNG, job.files[DRAWING_PNG], result.problems)
    if strokes is None or (png is None and DRAWING_PNG in job.files):
        return result
    try:
        if png is None:  # saved without a PNG: render it from the strokes, as the store would have
            data = render_png(from_json(strokes[0]))
            png = (data, hashlib.sha256(data).hexdigest())
        svg = svg_bytes(strokes[0])
    except StrokesFormatError as exc:
        result.problems.append(f"{os.path.join(job.src, STROKES_JSON)}: {exc}")
        return result
    png_name, svg_name, strokes_name = drawing_names(job.rid)
    for name, data, sha256 in ((png_name, *png), (svg_name, svg, None), (strokes_name, *strokes)):
        with open(os.path.join(bag_dir, DRAWINGS_DIR, name), "wb") as f:
            f.write(data)
        result.entries.append(entry_for_bytes(f"{DRAWINGS_DIR}/{name}", data, sha256))
    return result
