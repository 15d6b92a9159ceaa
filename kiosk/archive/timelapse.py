"""A drawing's time-lapse: an SVG that draws its strokes again, at the pace they were drawn.

No script: SMIL animation only (`<animate>`), which a page's Content-Security-Policy cannot
block (it is not a style or a script) and which runs inside an SVG shown by an <img>. Each
stroke is a path with pathLength="1", revealed from its start by animating its dash offset
through the times its points were recorded (`t`, milliseconds since the drawing began).

Pauses between strokes longer than MAX_PAUSE_MS are shortened and a drawing longer than
MAX_DURATION_S is sped up to fit, so that a visitor who spent ten minutes still watches a
short film. The film holds the finished drawing for HOLD_S, then starts again. Visitors who
ask their system for reduced motion get the still drawing instead: the page offers the two
in a <picture> whose <source> is chosen by `prefers-reduced-motion` (see pages.py), and the
file opened by itself shows every stroke at once to them (its own @media rule).
"""

from __future__ import annotations

import math
import re
from itertools import accumulate
from operator import itemgetter
from typing import Any

from kiosk.strokes import FORMAT, TOOLS, Drawing, StrokesFormatError, svg_path_data, to_dict

MAX_PAUSE_MS = 1200  # a longer pause between two strokes is shortened to this
MAX_DURATION_S = 40.0  # a longer drawing is sped up to last this long
MIN_DURATION_S = 1.0
HOLD_S = 3.0  # the finished drawing stays this long before the film starts again
KEYS_PER_STROKE = 8  # at most this many timed points per stroke: the pace, without a huge file
_COLOUR = re.compile(r"#[0-9a-fA-F]{6}")
_PATH_D = re.compile(r' d="([^"]*)"')
_XY = itemgetter(0, 1)


def _keys(points: list, clock: float) -> tuple[list[tuple[float, float]], float]:
    """(film time in ms, share of the stroke's length drawn) at up to KEYS_PER_STROKE points, and
    the film's clock at the stroke's end. Times never go back (a damaged clock keeps the order)."""
    xy = list(map(_XY, points))  # (x, y) of each point, made in C: a drawing has thousands
    lengths = list(accumulate(map(math.dist, xy, xy[1:]), initial=0.0))
    total = lengths[-1]
    start_t = points[0][2]
    step = max(1, -(-len(points) // KEYS_PER_STROKE))
    picks = list(range(0, len(points), step))
    if picks[-1] != len(points) - 1:
        picks.append(len(points) - 1)
    keys = [(clock + max(0, points[i][2] - start_t), lengths[i] / total if total else 1.0) for i in picks]
    return keys, clock + max(0, points[-1][2] - start_t)


def render_timelapse(drawing: Drawing) -> str:
    """The animated SVG of `drawing` (a standalone file, no script, no external reference)."""
    return render_timelapse_data(to_dict(drawing))


def render_timelapse_data(data: Any, svg: str = "") -> str:
    """The animated SVG from a strokes file's JSON (kiosk-strokes/1), read as it is: what reaches the
    SVG is checked here (colours, numbers), anything else raises StrokesFormatError.

    `svg`: the store's drawing.svg of the same strokes, whose path data is reused when it holds
    one path per stroke (the archive's first build makes thousands of these)."""
    try:
        if data.get("format") != FORMAT:
            raise StrokesFormatError(f"format is {data.get('format')!r}, expected {FORMAT!r}")
        w, h, background = data["width"], data["height"], data.get("background", "#ffffff")
        if type(w) is not int or type(h) is not int or not _COLOUR.fullmatch(background):
            raise StrokesFormatError("width, height or background is not what kiosk-strokes/1 describes")
        strokes = [s for s in data.get("strokes", []) if s.get("points")]
        films = []
        clock = 0.0
        last_t = None
        for s in strokes:
            if s.get("tool") not in TOOLS or not _COLOUR.fullmatch(s.get("color", "")) \
                    or type(s.get("width")) not in (int, float):
                raise StrokesFormatError("a stroke's tool, colour or width is not what kiosk-strokes/1 describes")
            if last_t is not None:
                clock += min(max(0.0, s["points"][0][2] - last_t), MAX_PAUSE_MS)
            keys, clock = _keys(s["points"], clock)
            last_t = s["points"][-1][2]
            films.append(keys)
        paths = _PATH_D.findall(svg) if svg else []
        if len(paths) != len(strokes):
            paths = [svg_path_data(s["points"]) for s in strokes]
        return _svg(w, h, background, strokes, films, paths)
    except (TypeError, ValueError, KeyError, IndexError, AttributeError) as exc:
        if isinstance(exc, StrokesFormatError):
            raise
        raise StrokesFormatError(f"the strokes cannot be replayed: {exc}") from None


def _svg(w: int, h: int, background: str, strokes: list, films: list, paths: list[str]) -> str:
    end_ms = max((k[-1][0] for k in films if k), default=0.0)
    # Seconds on screen: sped up past MAX_DURATION_S, at least MIN_DURATION_S.
    drawn_s = min(max(end_ms / 1000, MIN_DURATION_S), MAX_DURATION_S)
    scale = drawn_s / (end_ms / 1000) if end_ms else 1.0
    dur = drawn_s + HOLD_S
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="{w}" height="{h}">',
           # Opened by itself (not through the page's <picture>): still, for who asks for less motion.
           # !important beats the animation; a server's CSP without 'unsafe-inline' only drops it.
           "<style>@media (prefers-reduced-motion: reduce) { path { visibility: visible !important; "
           "stroke-dashoffset: 0 !important; } }</style>",
           f'<rect width="{w}" height="{h}" fill="{background}"/>',
           '<g fill="none" stroke-linecap="round" stroke-linejoin="round">']
    for stroke, keys, d in zip(strokes, films, paths):
        times: list[float] = []
        shares: list[float] = []
        last = -1.0
        for at, share in keys:
            kt = round(at / 1000 * scale / dur, 4)
            if kt <= last:  # keyTimes must increase: keep the later share at the same instant
                shares[-1] = share
                continue
            times.append(kt)
            shares.append(share)
            last = kt
        begin = times[0]
        colour = background if stroke["tool"] == "eraser" else stroke["color"]
        path = f'<path stroke="{colour}" stroke-width="{_num(stroke["width"])}" d="{d}" visibility="hidden"'
        show = (f'<animate attributeName="visibility" dur="{dur:.3f}s" repeatCount="indefinite" calcMode="discrete" '
                f'keyTimes="0;{begin:g}" values="hidden;visible"/>' if begin > 0 else
                '<set attributeName="visibility" to="visible"/>')
        if shares[-1] == 1.0 and len(times) > 1 and shares[0] < 1.0:
            # revealed along its length: dash offset 1 (nothing) ... 0 (all), through the recorded times
            kts = ["0", *(f"{x:g}" for x in times), "1"]
            vals = ["1", *(f"{1 - x:.3f}" for x in shares), "0"]
            if kts[1] == "0":
                kts, vals = kts[1:], vals[1:]
            reveal = (f'<animate attributeName="stroke-dashoffset" dur="{dur:.3f}s" repeatCount="indefinite" '
                      f'keyTimes="{";".join(kts)}" values="{";".join(vals)}"/>')
            out.append(f'{path} pathLength="1" stroke-dasharray="1 1" stroke-dashoffset="1">{show}{reveal}</path>')
        else:  # a dot, or a stroke drawn in an instant: it appears whole
            out.append(f"{path}>{show}</path>")
    out.append("</g></svg>\n")
    return "\n".join(out)


def _num(v: float) -> str:
    text = f"{float(v):.1f}"
    return text[:-2] if text.endswith(".0") else text
