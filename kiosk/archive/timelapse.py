"""A drawing's time-lapse: an SVG that draws its strokes again, at the pace they were drawn.

No script: SMIL animation only (`<animate>`), which a page's Content-Security-Policy cannot
block (it is not a style or a script) and which runs inside an SVG shown by an <img>. Each
stroke is a path with pathLength="1", revealed from its start by animating its dash offset
through the times its points were recorded (`t`, milliseconds since the drawing began).

Pauses between strokes longer than MAX_PAUSE_MS are shortened and a drawing longer than
MAX_DURATION_S is sped up to fit, so that a visitor who spent ten minutes still watches a
short film. The film holds the finished drawing for HOLD_S, then starts again. Visitors who
ask their system for reduced motion get the still drawing instead: the page offers the two
in a <picture> whose <source> is chosen by `prefers-reduced-motion` (see pages.py).
"""

from __future__ import annotations

import math

from kiosk.strokes import Drawing, _fmt, stroke_colour, svg_path_data

MAX_PAUSE_MS = 1200  # a longer pause between two strokes is shortened to this
MAX_DURATION_S = 40.0  # a longer drawing is sped up to last this long
MIN_DURATION_S = 1.0
HOLD_S = 3.0  # the finished drawing stays this long before the film starts again
KEYS_PER_STROKE = 12  # at most this many timed points per stroke: the pace, without a huge file


def _pace(drawing: Drawing) -> list[list[tuple[float, float]]]:
    """Per stroke, (time in seconds on the film, share of the stroke's length drawn) pairs."""
    films: list[list[tuple[float, float]]] = []
    clock = 0.0  # the film's time, ms
    last_t: float | None = None
    for stroke in drawing.strokes:
        pts = stroke.points
        start_t = pts[0].t
        if last_t is None:
            clock = 0.0
        else:
            clock += min(max(0.0, start_t - last_t), MAX_PAUSE_MS)
        # cumulative length at each point
        lengths = [0.0]
        for a, b in zip(pts, pts[1:]):
            lengths.append(lengths[-1] + math.hypot(b.x - a.x, b.y - a.y))
        total = lengths[-1]
        step = max(1, -(-len(pts) // KEYS_PER_STROKE))
        picks = list(range(0, len(pts), step))
        if picks[-1] != len(pts) - 1:
            picks.append(len(pts) - 1)
        keys = []
        for i in picks:
            # Times never go back (a damaged clock): the film keeps its order.
            at = clock + max(0, pts[i].t - start_t)
            keys.append((at, lengths[i] / total if total else 1.0))
        span = max(0, pts[-1].t - start_t)
        clock += span
        last_t = pts[-1].t
        films.append(keys)
    return films


def render_timelapse(drawing: Drawing) -> str:
    """The animated SVG of `drawing` (a standalone file, no script, no external reference)."""
    w, h = drawing.width, drawing.height
    films = _pace(drawing)
    end_ms = max((k[-1][0] for k in films if k), default=0.0)
    # Seconds on screen: sped up past MAX_DURATION_S, at least MIN_DURATION_S.
    drawn_s = min(max(end_ms / 1000, MIN_DURATION_S), MAX_DURATION_S)
    scale = drawn_s / (end_ms / 1000) if end_ms else 1.0
    dur = drawn_s + HOLD_S
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="{w}" height="{h}">',
           f'<rect width="{w}" height="{h}" fill="{drawing.background}"/>',
           '<g fill="none" stroke-linecap="round" stroke-linejoin="round">']
    for stroke, keys in zip(drawing.strokes, films):
        times, shares = [], []
        last = -1.0
        for at, share in keys:
            kt = round(at / 1000 * scale / dur, 4)
            if kt <= last:  # keyTimes must increase: keep the later share at the same instant
                if shares:
                    shares[-1] = share
                continue
            times.append(kt)
            shares.append(share)
            last = kt
        begin = times[0]
        colour = stroke_colour(stroke, drawing)
        path = (f'<path stroke="{colour}" stroke-width="{_fmt(stroke.width)}" d="{svg_path_data(stroke.points)}" '
                f'visibility="hidden"')
        show = (f'<animate attributeName="visibility" dur="{dur:.3f}s" repeatCount="indefinite" calcMode="discrete" '
                f'keyTimes="0;{begin}" values="hidden;visible"/>' if begin > 0 else
                '<set attributeName="visibility" to="visible"/>')
        if shares[-1] == 1.0 and len(times) > 1 and shares[0] < 1.0:
            # revealed along its length: dash offset 1 (nothing) ... 0 (all), through the recorded times
            kts = ["0", *(f"{x:g}" for x in times), "1"]
            vals = ["1", *(f"{1 - s:.3f}" for s in shares), "0"]
            if kts[1] == "0":
                kts, vals = kts[1:], vals[1:]
            reveal = (f'<animate attributeName="stroke-dashoffset" dur="{dur:.3f}s" repeatCount="indefinite" '
                      f'keyTimes="{";".join(kts)}" values="{";".join(vals)}"/>')
            out.append(f'{path} pathLength="1" stroke-dasharray="1 1" stroke-dashoffset="1">{show}{reveal}</path>')
        else:  # a dot, or a stroke drawn in an instant: it appears whole
            out.append(f"{path}>{show}</path>")
    out.append("</g></svg>\n")
    return "\n".join(out)
