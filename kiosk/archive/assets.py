"""A response's files in the site: the drawing as PNG and SVG, its strokes, and its thumbnail.

Made from the store's files (the strokes are the source of truth; the PNG is copied as the
kiosk saved it), once per change of those files: the builder keys them by the files' hashes.
Runs in worker processes on a first build, so everything here is a plain function of
plain data, and errors come back as values rather than exceptions.
"""

from __future__ import annotations

import hashlib
import io
import os
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

from kiosk import atomic
from kiosk.strokes import StrokesFormatError, from_json, render_png, render_svg, render_thumbnail

THUMB_SIDE = 400  # pixels on the longer side: sharp in a two-column grid on a phone
THUMB_COLOURS = 64  # a palette PNG: drawings are line art, so a thumbnail stays a few kB
FILES = ("drawing.png", "drawing.svg", "strokes.json", "thumb.png")


@dataclass
class AssetJob:
    response_id: str
    source: str  # the response's folder in the store
    target: str  # r/{id}/ in the site
    strokes_sha256: str
    png_sha256: str  # "" when the store has no PNG (it is then rendered from the strokes)
    title: str  # the question, for the SVG's <title>


@dataclass
class AssetResult:
    response_id: str
    size: tuple[int, int] = (0, 0)  # the drawing's canvas
    thumb: tuple[int, int] = (0, 0)
    written: int = 0
    unchanged: int = 0
    problem: str = ""  # the drawing could not be used: why (the page is built without it)
    os_error: tuple[int, str, str] | None = None  # (errno, strerror, folder): writing failed


def put(path: Path, data: bytes) -> bool:
    """Write `data` to `path` unless it already holds exactly that; True if written.

    Temporary name then rename, so a server never hands out half a file. No fsync: the
    site is made from the store and can always be built again.
    """
    try:
        if path.stat().st_size == len(data) and path.read_bytes() == data:
            return False
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = atomic.temporary_name(path)
    try:
        tmp.write_bytes(data)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return True


def _read_checked(path: Path, sha256: str) -> bytes:
    data = path.read_bytes()
    if hashlib.sha256(data).hexdigest() != sha256:
        raise StrokesFormatError(f"{path}: its checksum differs from the one recorded (damaged)")
    return data


def thumbnail_png(drawing) -> bytes:
    img = render_thumbnail(drawing, THUMB_SIDE).quantize(THUMB_COLOURS, method=Image.Quantize.FASTOCTREE)
    buf = io.BytesIO()
    img.save(buf, "PNG", optimize=False)
    return buf.getvalue()


def make_assets(job: AssetJob) -> AssetResult:
    """Write r/{id}/drawing.png, drawing.svg, strokes.json and thumb.png for one response."""
    result = AssetResult(job.response_id)
    source, target = Path(job.source), Path(job.target)
    try:
        strokes = _read_checked(source / "strokes.json", job.strokes_sha256)
        drawing = from_json(strokes)
        png = _read_checked(source / "drawing.png", job.png_sha256) if job.png_sha256 else render_png(drawing)
    except FileNotFoundError as exc:
        result.problem = f"{exc.filename}: missing"
        return result
    except (StrokesFormatError, OSError) as exc:
        result.problem = str(exc)
        return result
    try:
        for name, data in (("drawing.png", png), ("strokes.json", strokes),
                           ("drawing.svg", render_svg(drawing, job.title).encode("utf-8")),
                           ("thumb.png", thumbnail_png(drawing))):
            if put(target / name, data):
                result.written += 1
            else:
                result.unchanged += 1
    except OSError as exc:
        result.os_error = (exc.errno or 0, exc.strerror or str(exc), str(target))
        return result
    result.size = (drawing.width, drawing.height)
    scale = THUMB_SIDE / max(drawing.width, drawing.height)
    result.thumb = (max(1, round(drawing.width * scale)), max(1, round(drawing.height * scale)))
    return result
