"""A drawing's time-lapse, in the drawing itself: drawing.svg is the still drawing, and
drawing.svg#play draws its strokes again, at the pace they were drawn.

One file for both, so that the archive's first build writes one file fewer per answer. No
script: a CSS animation in the SVG's own <style>, switched on by the :target selector when the
file is opened (or shown by an <img>) with the fragment #play, so the grids' thumbnails and
the response page's large drawing stay still. Each stroke is a path with pathLength="1",
revealed from its start by animating its dash offset through the times its points were
recorded (`t`, milliseconds since the drawing began).

Pauses between strokes longer than MAX_PAUSE_MS are shortened and a drawing longer than
MAX_DURATION_S is sped up to fit, so that a visitor who spent ten minutes still watches a
short film. The film holds the finished drawing for HOLD_S, then starts again. Visitors who
ask their system for reduced motion get the still drawing: the animation is inside
`@media (prefers-reduced-motion: no-preference)`, and the page also offers the still file to
them through a <picture> (see pages.py). A server's CSP without 'unsafe-inline' styles for SVG
files only drops the film: the drawing stays.
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
KEYS_PER_STROKE = 6  # at most this many timed points per stroke: the pace, without a heavy thumbnail
_COLOUR = re.compile(r"#[0-9a-fA-F]{6}")
_XY = itemgetter(0, 1)
_T = itemgetter(2)


def _keys(points: list, clock: float) -> tuple[list[tuple[float, float]], float, float]:
    """(film time in ms, share of the stroke's length drawn) at up to KEYS_PER_STROKE points, the
    film's clock at the stroke's end, and the stroke's last recorded time. Times never go back: a
    point recorded earlier than one before it (a damaged clock) is taken as drawn at that one's
    time, so the film's keyframes always move forward."""
    xy = list(map(_XY, points))  # (x, y) of each point, made in C: a drawing has thousands
    lengths = list(accumulate(map(math.dist, xy, xy[1:]), initial=0.0))
    total = lengths[-1]
    times = list(accumulate(map(_T, points), max))
    start_t = times[0]
    step = max(1, -(-len(points) // KEYS_PER_STROKE))
    picks = list(range(0, len(points), step))
    if picks[-1] != len(points) - 1:
        picks.append(len(points) - 1)
    keys = [(clock + times[i] - start_t, lengths[i] / total if total else 1.0) for i in picks]
    return keys, clock + times[-1] - start_t, times[-1]


def render_playable(drawing: Drawing) -> str:
    """drawing.svg with its time-lapse, from a Drawing (a standalone file, no script, no external reference)."""
    return playable_svg(to_dict(drawing))


def playable_svg(data: Any, svg: str = "") -> str:
    """drawing.svg with its time-lapse, from a strokes file's JSON (kiosk-strokes/1) read as it is:
    what reaches the SVG is checked here (colours, numbers), anything else raises StrokesFormatError.

    `svg`: the store's drawing.svg of the same strokes, kept as it is (the film is added to it)
    when it holds one path per stroke; otherwise the drawing is made again from the strokes."""
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
            keys, clock, last_t = _keys(s["points"], clock)
            films.append(keys)
        if not _is_kiosk_svg(svg, w, h, len(strokes)):
            svg = _still(w, h, background, strokes)
        return _with_film(svg, _film_style(films))
    except (TypeError, ValueError, KeyError, IndexError, AttributeError) as exc:
        if isinstance(exc, StrokesFormatError):
            raise
        raise StrokesFormatError(f"the strokes cannot be replayed: {exc}") from None


_ROOT = '<svg xmlns="http://www.w3.org/2000/svg" '
# Exactly what kiosk.strokes.render_svg writes, and nothing else: the site publishes the store's
# SVG only when it matches this. Any other file (a bag's SVG can be anything that matches its own
# checksum: a script, an event handler, an external reference) is drawn again from the strokes.
_KIOSK_SVG = re.compile(
    r'<svg xmlns="http://www\.w3\.org/2000/svg" viewBox="0 0 (\d+) (\d+)" width="\1" height="\2">\n'
    r'(?:<title>(?:[^<>&\x00-\x1f]|&(?:amp|lt|gt|quot|#9|#10|#13);)*</title>\n)?'  # as quoteattr writes it
    r'<rect width="\1" height="\2" fill="#[0-9a-fA-F]{6}"/>\n'
    r'<g fill="none" stroke-linecap="round" stroke-linejoin="round">\n'
    r'(?:<path stroke="#[0-9a-fA-F]{6}" stroke-width="[0-9]+(?:\.[0-9]+)?" d="[-ML0-9. ]*"/>\n)*'
    r'</g></svg>\n')


def _is_kiosk_svg(svg: str, w: int, h: int, strokes: int) -> bool:
    """`svg` is render_svg's drawing of a w x h canvas with this many strokes."""
    m = _KIOSK_SVG.fullmatch(svg)
    return m is not None and (int(m[1]), int(m[2])) == (w, h) and svg.count("<path ") == strokes


def _still(w: int, h: int, background: str, strokes: list) -> str:
    """The drawing as kiosk.strokes.render_svg makes it, from the strokes' JSON."""
    out = [f'{_ROOT}viewBox="0 0 {w} {h}" width="{w}" height="{h}">',
           f'<rect width="{w}" height="{h}" fill="{background}"/>',
           '<g fill="none" stroke-linecap="round" stroke-linejoin="round">']
    for s in strokes:
        colour = background if s["tool"] == "eraser" else s["color"]
        out.append(f'<path stroke="{colour}" stroke-width="{_num(s["width"])}" d="{svg_path_data(s["points"])}"/>')
    out.append("</g></svg>\n")
    return "\n".join(out)


def _with_film(svg: str, style: str) -> str:
    """The still SVG, named #play, its paths measured in fractions of their length, and the film's style."""
    head, _, rest = svg.partition(">")
    return (head.replace(_ROOT, f'{_ROOT}id="play" ', 1) + ">\n<style>" + style + "</style>"
            + rest.replace("<path ", '<path pathLength="1" '))


def _film_style(films: list) -> str:
    """One @keyframes per stroke, run only under #play:target, for who has not asked for less motion."""
    end_ms = max((k[-1][0] for k in films if k), default=0.0)
    # Seconds on screen: sped up past MAX_DURATION_S, at least MIN_DURATION_S.
    drawn_s = min(max(end_ms / 1000, MIN_DURATION_S), MAX_DURATION_S)
    scale = drawn_s / (end_ms / 1000) if end_ms else 1.0
    to_pc = 100 * scale / 1000 / (drawn_s + HOLD_S)  # film milliseconds to a share of the loop, in %
    rules = [f"#play:target path{{stroke-dasharray:1 1;animation:{_short(drawn_s + HOLD_S)}s linear infinite}}"]
    frames = []
    for n, keys in enumerate(films, 1):
        times: list[float] = []
        shares: list[float] = []
        for at, share in keys:
            pc = round(at * to_pc, 2)
            if times and pc <= times[-1]:  # keyframes must move on: keep the later share at the same instant
                shares[-1] = share
                continue
            times.append(pc)
            shares.append(share)
        begin = f"{times[0]:g}%"
        hidden = f"0%,{begin}{{visibility:hidden" if times[0] > 0 else "0%{visibility:visible"
        if shares[-1] == 1.0 and len(times) > 1 and shares[0] < 1.0:
            # revealed along its length: dash offset 1 (nothing) ... 0 (all), through the recorded times
            # (visibility goes from hidden to visible at `begin`: one end visible shows it, CSS says)
            steps = "".join(f"{t:g}%{{stroke-dashoffset:{_OFFSETS[round(1000 - 1000 * x)]}}}"
                            for t, x in zip(times[1:], shares[1:]))
            frames.append(f"@keyframes k{n}{{{hidden};stroke-dashoffset:1}}{steps}"
                          f"100%{{visibility:visible;stroke-dashoffset:0}}}}")
            rules.append(f"#play:target path:nth-of-type({n}){{animation-name:k{n}}}")
        else:  # a dot, or a stroke drawn in an instant: it appears whole
            frames.append(f"@keyframes k{n}{{{hidden}}}100%{{visibility:visible}}}}")
            rules.append(f"#play:target path:nth-of-type({n}){{animation-name:k{n};stroke-dasharray:none}}")
    return ("@media (prefers-reduced-motion:no-preference){\n" + "\n".join(rules) + "\n}\n"
            + "\n".join(frames) + "\n")


def _short(v: float) -> str:
    """A number in at most 3 decimals, without the zeros CSS does not need: 0.850 is .85."""
    text = f"{v:.3f}".rstrip("0").rstrip(".")
    return text[1:] if text.startswith("0.") else text or "0"


_OFFSETS = [_short(i / 1000) for i in range(1001)]  # dash offsets 0 to 1 by thousandths, made once


def _num(v: float) -> str:
    text = f"{float(v):.1f}"
    return text[:-2] if text.endswith(".0") else text
