"""The drawing model: a canvas, its strokes and their points; undo and redo; PNG and SVG renditions.

The strokes are the source of truth for a drawing. Everything else (PNG, SVG, the zine's
vector paths, thumbnails) is rendered from them, so a drawing prints crisp at any size.
No pygame here: the store, the zine and the archive use this without a display.
"""

from __future__ import annotations

import io
import json
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import repeat
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:  # Pillow is imported where a drawing is rendered: the zine never needs it
    from PIL import Image, ImageDraw

FORMAT = "kiosk-strokes/1"
TOOLS = ("pen", "eraser")


class StrokesFormatError(ValueError):
    """A strokes file that is not what kiosk-strokes/1 describes."""


class Point(NamedTuple):
    """A NamedTuple rather than a dataclass: drawings hold hundreds of thousands of points,
    and a tuple is three times cheaper to make when a zine or an export reads them all."""

    x: float
    y: float
    t: int  # milliseconds since the drawing began
    pressure: float | None = None  # only where the platform gives real pressure


@dataclass
class Stroke:
    tool: str  # "pen" or "eraser"
    color: str  # "#rrggbb"; an eraser paints the drawing's background
    width: float  # in canvas units
    points: list[Point] = field(default_factory=list)

    def bounds(self) -> tuple[float, float, float, float]:
        """The box the stroke paints, its width included: (left, top, right, bottom)."""
        xs = [p.x for p in self.points]
        ys = [p.y for p in self.points]
        r = self.width / 2 + 1
        return (min(xs) - r, min(ys) - r, max(xs) + r, max(ys) + r)


def _move_last(source: list[Stroke], target: list[Stroke]) -> Stroke | None:
    """Undo and redo: the newest stroke of one list goes to the end of the other."""
    if not source:
        return None
    target.append(source.pop())
    return target[-1]


@dataclass
class Drawing:
    width: int
    height: int
    background: str = "#ffffff"
    strokes: list[Stroke] = field(default_factory=list)
    # Strokes taken back by undo, newest last; not saved, a new stroke forgets them.
    undone: list[Stroke] = field(default_factory=list, repr=False, compare=False)

    def add(self, stroke: Stroke) -> None:
        self.strokes.append(stroke)
        self.undone.clear()

    def undo(self) -> Stroke | None:
        return _move_last(self.strokes, self.undone)

    def redo(self) -> Stroke | None:
        return _move_last(self.undone, self.strokes)

    def clear(self) -> None:
        self.strokes.clear()
        self.undone.clear()

    def is_empty(self) -> bool:
        return not any(s.tool == "pen" for s in self.strokes)

    def point_count(self) -> int:
        return sum(len(s.points) for s in self.strokes)

    def duration_ms(self) -> int:
        return max((p.t for s in self.strokes for p in s.points), default=0)


# --- JSON -----------------------------------------------------------------------------


def _stroke_dict(s: Stroke) -> dict[str, Any]:
    # Points stay tuples ([x, y, t] or [x, y, t, pressure] once encoded): no copying per point.
    return {"tool": s.tool, "color": s.color, "width": s.width,
            "points": [p[:3] if p[3] is None else p for p in s.points]}


def to_dict(drawing: Drawing) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "width": drawing.width,
        "height": drawing.height,
        "background": drawing.background,
        "strokes": [_stroke_dict(s) for s in drawing.strokes],
    }


StrokeCache = dict  # id(stroke) -> (stroke, number of points, its JSON line)


def _stroke_json(s: Stroke, cache: StrokeCache | None) -> str:
    hit = cache.get(id(s)) if cache is not None else None
    if hit is not None and hit[0] is s and hit[1] == len(s.points):
        return hit[2]
    return json.dumps(_stroke_dict(s), separators=(",", ":"))


def to_json(drawing: Drawing, cache: StrokeCache | None = None) -> str:
    """Compact JSON, one stroke a line: small files, readable diffs, and json's fast C encoder.

    `cache` (a dict the caller keeps) reuses the lines of strokes already encoded: the app
    checkpoints the same drawing at every stroke's end, and finished strokes never change.
    """
    head = json.dumps({"format": FORMAT, "width": drawing.width, "height": drawing.height,
                       "background": drawing.background}, ensure_ascii=False)
    strokes = [_stroke_json(s, cache) for s in drawing.strokes]
    if cache is not None:
        cache.clear()
        cache.update((id(s), (s, len(s.points), line)) for s, line in zip(drawing.strokes, strokes))
    return head[:-1] + ', "strokes": [\n' + ",\n".join(strokes) + "\n]}\n"


def to_json_lines(raw: bytes) -> tuple[dict[str, Any], list[bytes]] | None:
    """A strokes file laid out as to_json writes it, split into its header (kiosk-strokes/1, no
    strokes) and one line of bytes a stroke; None for any other layout. For the readers that take
    what they need from the text instead of parsing every point (the export's SVG, the archive's film)."""
    head, sep, body = raw.partition(b"\n")
    if not (sep and body.endswith(b"\n]}\n")):
        return None
    try:
        header = json.loads(head + b"]}")
    except (ValueError, RecursionError):
        return None
    if not (isinstance(header, dict) and header.get("format") == FORMAT and header.get("strokes") == []):
        return None
    return header, (body[:-4].split(b"\n") if body != b"\n]}\n" else [])


def _check(cond: bool, message: str) -> None:
    if not cond:
        raise StrokesFormatError(message)


def _is_colour(value: Any) -> bool:
    return isinstance(value, str) and len(value) == 7 and value[0] == "#" and all(
        c in "0123456789abcdefABCDEF" for c in value[1:]
    )


_NUMBER = (int, float)

# Limits on what a drawing may hold, so that no file (an import, a folder copied in) can make a
# render run for hours or fill the memory. Far above what a visitor draws (a long drawing has
# some tens of thousands of points) and within the canvas sizes the settings allow.
MAX_CANVAS_SIDE = 8000  # settings canvas_width/height go up to 8000
MAX_STROKE_WIDTH = 1000.0  # canvas units
MAX_STROKES = 20_000
MAX_POINTS = 500_000  # in one drawing
MAX_T_MS = 7 * 24 * 3600 * 1000  # a point's time: within a week of the drawing's start
MAX_STROKES_BYTES = 32 * 1024 * 1024  # a strokes.json larger than this is refused unread


def _points(raw: Any, i: int, w: int, h: int) -> list[Point]:
    """Read one stroke's points: checked all at once where they are what a kiosk writes, else
    point by point (which names the first bad one)."""
    if type(raw) is list and raw:
        fast = _points_at_once(raw, w, h)
        if fast is not None:
            return fast
    return _points_one_by_one(raw, i, w, h)


_NUMBER_TYPES = frozenset(_NUMBER)


def _points_at_once(raw: list, w: int, h: int) -> list[Point] | None:
    """The points if every one is [x, y, t] (or every one [x, y, t, pressure]) of numbers in range,
    else None. The same rules as point by point, checked with whole-column operations (types,
    sums for NaN and infinities, min and max for the ranges): a drawing has thousands of points."""
    if not set(map(type, raw)) <= {list}:
        return None
    lengths = set(map(len, raw))
    if lengths == {3}:
        xs, ys, ts = zip(*raw)
        pressures: tuple = ()
    elif lengths == {4}:
        xs, ys, ts, pressures = zip(*raw)
    else:
        return None
    if not _columns_ok(xs, ys, ts, pressures, w, h):
        return None
    if not set(map(type, ts)) <= {int}:
        ts = tuple(map(int, ts))
    # Point._make without its length check (every length was just checked): a third of the time.
    return list(map(tuple.__new__, repeat(Point), zip(xs, ys, ts, pressures or repeat(None))))


def _columns_ok(xs: Sequence, ys: Sequence, ts: Sequence, pressures: Sequence, w: int, h: int) -> bool:
    """Whole columns of a stroke's points as the point-by-point rules want them: numbers, within
    range (pressures: those given, 0 to 1), no NaN."""
    columns = (xs, ys, ts, pressures)
    if not all(set(map(type, c)) <= _NUMBER_TYPES for c in columns):
        return False
    if not (-w <= min(xs) and max(xs) <= 2 * w and -h <= min(ys) and max(ys) <= 2 * h and 0 <= min(ts)
            and max(ts) <= MAX_T_MS and (not pressures or (0 <= min(pressures) and max(pressures) <= 1))):
        return False
    total = sum(map(sum, columns))  # min and max can pass a NaN by; a sum cannot (all else is in range now)
    return total == total


def _points_one_by_one(raw: Any, i: int, w: int, h: int) -> list[Point]:
    """Read one stroke's points, point by point, naming the first that is not right.

    A point may lie off the canvas by up to the canvas's size (renderers clip it; older
    drawings and hand-made ones have some), never further. The chained comparisons also
    refuse NaN and infinities (they compare false)."""
    if not isinstance(raw, list):
        raise StrokesFormatError(f"stroke {i}: points is a list")
    points: list[Point] = []
    append = points.append
    for j, p in enumerate(raw):
        try:
            if len(p) == 3:
                x, y, t = p
                pressure = None
            else:
                x, y, t, pressure = p
        except (TypeError, ValueError):
            raise StrokesFormatError(f"stroke {i}, point {j}: [x, y, t] or [x, y, t, pressure]") from None
        if (type(x) not in _NUMBER or type(y) not in _NUMBER or type(t) not in _NUMBER
                or (pressure is not None and type(pressure) not in _NUMBER)) or type(p) not in (list, tuple):
            raise StrokesFormatError(f"stroke {i}, point {j}: [x, y, t] or [x, y, t, pressure], numbers")
        if not (-w <= x <= 2 * w and -h <= y <= 2 * h and 0 <= t <= MAX_T_MS
                and (pressure is None or 0 <= pressure <= 1)):
            raise StrokesFormatError(
                f"stroke {i}, point {j}: {_show(p)} is too far outside the canvas (x {-w} to {2 * w}, "
                f"y {-h} to {2 * h}), "
                f"or its time is not 0 to {MAX_T_MS} ms, or its pressure not 0 to 1")
        append(Point(x, y, int(t), pressure))
    return points


def _show(value: Any) -> str:
    return json.dumps(value)[:80]


def from_dict(data: Any) -> Drawing:
    _check(isinstance(data, dict), "a strokes file holds a JSON object")
    _check(data.get("format") == FORMAT, f"format is {_show(data.get('format'))}, expected {FORMAT!r}")
    w, h = data.get("width"), data.get("height")
    _check(type(w) is int and type(h) is int and 0 < w <= MAX_CANVAS_SIDE and 0 < h <= MAX_CANVAS_SIDE,
           f"width and height are whole numbers from 1 to {MAX_CANVAS_SIDE} (found {_show(w)} x {_show(h)})")
    _check(_is_colour(data.get("background", "#ffffff")), "background is a #rrggbb colour")
    raw_strokes = data.get("strokes", [])
    _check(isinstance(raw_strokes, list), "strokes is a list")
    _check(len(raw_strokes) <= MAX_STROKES, f"{len(raw_strokes)} strokes: at most {MAX_STROKES} are kept")
    strokes = []
    total = 0
    for i, s in enumerate(raw_strokes):
        _check(isinstance(s, dict), f"stroke {i} is an object")
        _check(s.get("tool") in TOOLS, f"stroke {i}: tool is one of {', '.join(TOOLS)}")
        _check(_is_colour(s.get("color")), f"stroke {i}: color is a #rrggbb colour")
        width = s.get("width")
        if not (type(width) in _NUMBER and 0 < width <= MAX_STROKE_WIDTH):  # the message only when needed
            raise StrokesFormatError(f"stroke {i}: width is a number above 0 and at most {MAX_STROKE_WIDTH:g} "
                                     f"(found {_show(width)})")
        raw = s.get("points", [])
        total += len(raw) if isinstance(raw, list) else 0
        _check(total <= MAX_POINTS, f"more than {MAX_POINTS} points: too many for one drawing")
        points = _points(raw, i, w, h)
        _check(bool(points), f"stroke {i} has no points")
        strokes.append(Stroke(s["tool"], s["color"], s["width"], points))
    return Drawing(w, h, data.get("background", "#ffffff"), strokes)


def from_json(text: str | bytes) -> Drawing:
    if len(text) > MAX_STROKES_BYTES:
        raise StrokesFormatError(f"{len(text)} bytes: larger than the {MAX_STROKES_BYTES} bytes a drawing may take")
    try:
        data = json.loads(text)
    except (ValueError, UnicodeDecodeError) as exc:
        raise StrokesFormatError(f"not valid JSON: {exc}") from exc
    except RecursionError:
        raise StrokesFormatError("nested too deep: a drawing is strokes of points, three levels") from None
    return from_dict(data)


def surely_readable(drawing: Drawing) -> bool:
    """True when from_json(to_json(drawing)) is sure to read the drawing back: from_dict's rules,
    checked on the objects with whole-column operations instead of parsing the JSON again (a
    saved drawing of 10,000 points took 12 ms to parse back, more than its files' writing).
    False means "not sure", never "bad": the caller then parses the JSON, which names the problem."""
    w, h = drawing.width, drawing.height
    if not (type(w) is int and type(h) is int and 0 < w <= MAX_CANVAS_SIDE and 0 < h <= MAX_CANVAS_SIDE
            and _is_colour(drawing.background) and len(drawing.strokes) <= MAX_STROKES):
        return False
    total = 0
    for s in drawing.strokes:
        pts = s.points
        total += len(pts)
        if not (pts and total <= MAX_POINTS and s.tool in TOOLS and _is_colour(s.color)
                and type(s.width) in _NUMBER_TYPES and 0 < s.width <= MAX_STROKE_WIDTH
                and type(pts) is list and set(map(type, pts)) == {Point}):
            return False
        xs, ys, ts, ps = zip(*pts)
        if not _columns_ok(xs, ys, ts, [p for p in ps if p is not None], w, h):  # no pressure: written [x, y, t]
            return False
    return True


# --- Geometry -------------------------------------------------------------------------


def simplify(points: list[Point], tolerance: float) -> list[Point]:
    """Drop points closer than `tolerance` to the line through their neighbours (Ramer-Douglas-Peucker).

    Used where a drawing is printed small: detail finer than the printer's dot is invisible.
    The inner loop works on plain lists and compares unnormalised distances: it runs for
    every stroke of every drawing of a zine.
    """
    n = len(points)
    if n < 3 or tolerance <= 0:
        return list(points)
    xs = [p[0] for p in points]
    ys = [p[1] for p in points]
    keep = bytearray(n)
    keep[0] = keep[n - 1] = 1
    stack = [(0, n - 1)]
    while stack:
        first, last = stack.pop()
        if last - first < 2:
            continue
        ax, ay, bx, by = xs[first], ys[first], xs[last], ys[last]
        dx, dy = bx - ax, by - ay
        norm = math.hypot(dx, dy)
        worst, worst_i = -1.0, -1
        if norm == 0:
            for i in range(first + 1, last):
                d = math.hypot(xs[i] - ax, ys[i] - ay)
                if d > worst:
                    worst, worst_i = d, i
        else:
            c = bx * ay - by * ax
            for i in range(first + 1, last):
                d = dy * xs[i] - dx * ys[i] + c
                if d < 0:
                    d = -d
                if d > worst:
                    worst, worst_i = d, i
            worst /= norm
        if worst > tolerance:
            keep[worst_i] = 1
            stack.append((first, worst_i))
            stack.append((worst_i, last))
    return [p for p, k in zip(points, keep) if k]


def stroke_colour(stroke: Stroke, drawing: Drawing) -> str:
    """The colour a stroke paints: an eraser paints the background back."""
    return drawing.background if stroke.tool == "eraser" else stroke.color


# --- PNG (Pillow) ---------------------------------------------------------------------


def _paint(draw: ImageDraw.ImageDraw, stroke: Stroke, colour: str, scale: float) -> None:
    w = max(1.0, stroke.width * scale)
    r = w / 2
    pts = [(p.x * scale, p.y * scale) for p in stroke.points]
    if len(pts) > 1:
        draw.line(pts, fill=colour, width=max(1, round(w)))
    # Round caps and joins: a disc at every point (cheaper than joint="curve", and it also
    # rounds the very short segments that joint="curve" misses).
    if w >= 2.5:
        for x, y in pts:
            draw.ellipse((x - r, y - r, x + r, y + r), fill=colour)
    elif len(pts) == 1:
        draw.point(pts, fill=colour)


def render_image(drawing: Drawing, scale: float = 1.0, supersample: int = 2) -> Image.Image:
    """The drawing as an RGB image `scale` times the canvas size, anti-aliased by supersampling."""
    size = (max(1, round(drawing.width * scale)), max(1, round(drawing.height * scale)))
    big = (size[0] * supersample, size[1] * supersample)
    from PIL import Image, ImageDraw

    img = Image.new("RGB", big, drawing.background)
    draw = ImageDraw.Draw(img)
    for stroke in drawing.strokes:
        _paint(draw, stroke, stroke_colour(stroke, drawing), scale * supersample)
    return img.resize(size, Image.Resampling.LANCZOS) if supersample > 1 else img


def render_png(drawing: Drawing, scale: float = 1.0, supersample: int = 2) -> bytes:
    buf = io.BytesIO()
    render_image(drawing, scale, supersample).save(buf, "PNG", optimize=False)
    return buf.getvalue()


def render_thumbnail(drawing: Drawing, max_side: int = 320) -> Image.Image:
    scale = max_side / max(drawing.width, drawing.height)
    return render_image(drawing, scale, supersample=2)


# --- SVG ------------------------------------------------------------------------------


def _fmt(v: float) -> str:
    s = f"{v:.1f}"
    return s[:-2] if s.endswith(".0") else s


_POINT_ZERO = re.compile(r"\.0(?![0-9])")  # _fmt's rule for a whole path: "12.0" is written "12"


def svg_path_data(points: Iterable[Point] | Iterable[list]) -> str:
    # By index, so that the archive can pass a strokes file's points as JSON read them ([x, y, t]).
    xy = [v for p in points for v in p[:2]]
    if len(xy) == 2:  # a dot: a zero-length segment, drawn by its round caps
        xy *= 2
    # One formatting call per stroke rather than two per point: exports render thousands.
    return _POINT_ZERO.sub("", ("M%.1f %.1f" + "L%.1f %.1f" * (len(xy) // 2 - 1)) % tuple(xy))


def render_svg(drawing: Drawing, title: str = "") -> str:
    """A standalone SVG: one path per stroke, round caps and joins, viewBox = canvas size."""
    w, h = drawing.width, drawing.height
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="{w}" height="{h}">',
    ]
    if title:
        from xml.sax.saxutils import quoteattr  # here: it loads urllib and email, which reading a drawing never needs

        out.append(f"<title>{quoteattr(title)[1:-1]}</title>")
    out.append(f'<rect width="{w}" height="{h}" fill="{drawing.background}"/>')
    out.append('<g fill="none" stroke-linecap="round" stroke-linejoin="round">')
    for s in drawing.strokes:
        out.append(
            f'<path stroke="{stroke_colour(s, drawing)}" stroke-width="{_fmt(s.width)}" d="{svg_path_data(s.points)}"/>'
        )
    out.append("</g></svg>\n")
    return "\n".join(out)
