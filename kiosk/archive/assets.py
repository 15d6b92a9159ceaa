"""A response's files in the site: the drawing as PNG, and as SVG holding its time-lapse.

Made from the store's files (the strokes are the source of truth; the PNG is copied as the
kiosk saved it and the SVG is the kiosk's with the time-lapse added, both checked against their
recorded hashes), once per change of those files: the builder keys them by the files' hashes.
Nothing is rasterised unless the store lacks a PNG or an SVG (older data). Two files and no
more: on a first build of thousands of answers, creating files is most of the time. The
strokes themselves are in the export (`kiosk export`), the archival copy.
The thumbnail in grids is drawing.svg itself: vector, a few kB, sharp on any screen.
Runs in worker processes on a first build, so everything here is a plain function of
plain data, and errors come back as values rather than exceptions.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from kiosk import atomic, reading
from kiosk.archive.timelapse import playable_svg_file
from kiosk.strokes import StrokesFormatError, from_json, render_png, render_svg

FILES = ("drawing.png", "drawing.svg")  # the last is written last


@dataclass
class AssetJob:
    response_id: str
    source: str  # the response's folder in the store
    target: str  # r/{id}/ in the site
    strokes_sha256: str
    png_sha256: str  # "" when the store has no PNG (it is then rendered from the strokes)
    svg_sha256: str  # "" when the store has no SVG (older data: rendered from the strokes)


@dataclass
class AssetResult:
    response_id: str
    size: tuple[int, int] = (0, 0)  # the drawing's canvas
    written: int = 0
    unchanged: int = 0
    problem: str = ""  # the drawing could not be used: why (the page is built without it)
    os_error: tuple[int, str, str] | None = None  # (errno, strerror, folder): writing failed


def put(path: Path | str, data: bytes, new: bool = False) -> bool:
    """Write `data` to `path` unless it already holds exactly that; True if written.

    Temporary name then rename, so a server never hands out half a file. No fsync: the
    site is made from the store and can always be built again. `new`: no build has published
    this file yet (its folder was just made, or the manifest does not list it), so no page links
    to it: when it is not there, it is written under its own name (a rename costs a third of a
    file's creation on ext4; a file cut short by a kill is not in the manifest, so the next
    build compares and rewrites it). When it is there after all, it is compared as usual.
    """
    path = os.fspath(path)
    if new:
        try:
            try:
                _create(path, data)
            except FileNotFoundError:  # its folder is not there yet
                os.makedirs(os.path.dirname(path), exist_ok=True)
                _create(path, data)
            return True
        except FileExistsError:
            pass
    try:
        if os.stat(path).st_size == len(data) and reading.read_bytes(path) == data:
            return False
    except (FileNotFoundError, reading.NotAFileError):  # a link planted there is replaced, not followed
        pass
    tmp = os.fspath(atomic.temporary_name(Path(path)))
    try:
        try:
            _create(tmp, data)
        except FileNotFoundError:  # its folder is not there yet (made only then: a mkdir is not free)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            _create(tmp, data)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
    return True


# A file descriptor rather than open(): Python's file objects add system calls and an object
# per file, and a first build of 10,000 answers writes 20,000 of them.

def _create(path: str, data: bytes) -> None:
    """A new file holding `data` (FileExistsError if `path` is there)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o666)  # the umask decides
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
    finally:
        os.close(fd)


def _read_checked(path: str, sha256: str) -> bytes:
    data = reading.read_bytes(path)
    if hashlib.sha256(data).hexdigest() != sha256:
        raise StrokesFormatError(f"{path}: its checksum differs from the one recorded (damaged)")
    return data


def make_assets(job: AssetJob) -> AssetResult:
    """Write r/{id}/drawing.png and drawing.svg (with its time-lapse) for one response."""
    result = AssetResult(job.response_id)
    source, target = job.source, job.target
    try:
        strokes = _read_checked(f"{source}/strokes.json", job.strokes_sha256)
        # Not read as a Drawing: the time-lapse needs only each stroke's times, and a first build
        # of 10,000 drawings would spend most of its time making Point objects it does not need.
        if job.png_sha256 and job.svg_sha256:
            png = _read_checked(f"{source}/drawing.png", job.png_sha256)
            svg = _read_checked(f"{source}/drawing.svg", job.svg_sha256)
        else:  # older data: rendered from the strokes
            drawing = from_json(strokes)
            png = _read_checked(f"{source}/drawing.png", job.png_sha256) if job.png_sha256 else render_png(drawing)
            svg = (_read_checked(f"{source}/drawing.svg", job.svg_sha256) if job.svg_sha256
                   else render_svg(drawing).encode("utf-8"))
        svg, w, h = playable_svg_file(strokes, svg)
    except FileNotFoundError as exc:
        result.problem = f"{exc.filename}: missing"
        return result
    except OSError as exc:  # unreadable, or not a file
        result.problem = f"{exc.filename}: {exc.strerror}" if exc.filename and exc.strerror else str(exc)
        return result
    except (StrokesFormatError, ValueError) as exc:  # ValueError: not JSON
        result.problem = str(exc)
        return result
    try:
        try:
            os.makedirs(target)
            new = True
        except FileExistsError:
            new = False
        for name, content in (("drawing.png", png), ("drawing.svg", svg)):
            if put(f"{target}/{name}", content, new):
                result.written += 1
            else:
                result.unchanged += 1
    except OSError as exc:
        result.os_error = (exc.errno or 0, exc.strerror or str(exc), target)
        return result
    result.size = (w, h)
    return result
