"""A drawing's time-lapse, in the drawing itself: drawing.svg is the still drawing, and
drawing.svg#play draws its strokes again, at the pace they were drawn.

One file for both, so that the archive's first build writes one file fewer per answer. No
script: a CSS animation in the SVG's own <style>, switched on by the :target selector when the
file is opened (or shown by an <img>) with the fragment #play, so the grids' thumbnails and
the response page's large drawing stay still. Each stroke is a path with pathLength="1",
revealed along its length by animating its dash offset, from the time its first point was
recorded to the time of its last (`t`, milliseconds since the drawing began): each stroke
takes the time it took, after the pause before it. The speed within a stroke is not kept:
two keyframes a stroke keep the film a few kB (grids show drawing.svg as thumbnails) and the
archive's first build fast.

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
from typing import Any

import orjson

from kiosk.strokes import FORMAT, TOOLS, Drawing, StrokesFormatError, svg_path_data, to_dict, to_json_lines

MAX_PAUSE_MS = 1200  # a longer pause between two strokes is shortened to this
MAX_DURATION_S = 40.0  # a longer drawing is sped up to last this long
MIN_DURATION_S = 1.0
HOLD_S = 3.0  # the finished drawing stays this long before the film starts again
_COLOUR = re.compile(r"#[0-9a-fA-F]{6}")


def _films(times: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Each stroke's start and end on the film's clock (ms), from its first and last recorded
    times: pauses between strokes shortened to MAX_PAUSE_MS, and a clock going back (a damaged
    one) counted as no time, so the film always moves forward."""
    films: list[tuple[float, float]] = []
    clock = 0.0
    last: float | None = None
    for first, end in times:
        if last is not None:
            clock += min(max(0.0, first - last), MAX_PAUSE_MS)
        took = max(0.0, end - first)
        films.append((clock, clock + took))
        clock += took
        last = end
    return films


def _times_from_text(raw: bytes) -> tuple[int, int, list[tuple[float, float]]] | None:
    """The canvas and each stroke's first and last times, read from a strokes file laid out as
    kiosk.strokes.to_json writes it (a header line, then one stroke a line), without parsing its
    thousands of other numbers; None for any other layout. The file's content was validated when
    it entered the store, and its hash was checked just before; what comes out is numbers only."""
    split = to_json_lines(raw)
    if split is None:
        return None
    header, lines = split
    w, h = header.get("width"), header.get("height")
    if type(w) is not int or type(h) is not int:
        return None
    times = []
    try:
        for line in lines:
            at = line.find(b'"points":[[') + 11
            if at < 11 or not line.endswith((b"]]}", b"]]},")):
                return None
            first = float(line[at:line.index(b"]", at)].split(b",")[2])
            end = float(line[line.rindex(b"[") + 1:line.rindex(b"]]")].split(b",")[2])
            if not (0 <= first < math.inf and 0 <= end < math.inf):
                return None
            times.append((first, end))
    except (ValueError, IndexError):
        return None
    return w, h, times


def render_playable(drawing: Drawing) -> str:
    """drawing.svg with its time-lapse, from a Drawing (a standalone file, no script, no external reference)."""
    return playable_svg(to_dict(drawing))


def playable_svg(data: Any, svg: str = "") -> str:
    """drawing.svg with its time-lapse, from a strokes file's JSON (kiosk-strokes/1) read as it is:
    what reaches the SVG is checked here (colours, numbers), anything else raises StrokesFormatError.

    `svg`: the store's drawing.svg of the same strokes, kept as it is (the film is added to it)
    when it is exactly what the kiosk writes; otherwise the drawing is made again from the strokes."""
    return _playable(data, svg.encode("utf-8", "surrogatepass")).decode("utf-8")


def _playable(data: Any, svg: bytes) -> bytes:
    """playable_svg, in bytes."""
    try:
        if data.get("format") != FORMAT:
            raise StrokesFormatError(f"format is {data.get('format')!r}, expected {FORMAT!r}")
        w, h, background = data["width"], data["height"], data.get("background", "#ffffff")
        if type(w) is not int or type(h) is not int or not _COLOUR.fullmatch(background):
            raise StrokesFormatError("width, height or background is not what kiosk-strokes/1 describes")
        strokes = [s for s in data.get("strokes", []) if s.get("points")]
        for s in strokes:
            if s.get("tool") not in TOOLS or not _COLOUR.fullmatch(s.get("color", "")) \
                    or type(s.get("width")) not in (int, float):
                raise StrokesFormatError("a stroke's tool, colour or width is not what kiosk-strokes/1 describes")
        times = [(float(s["points"][0][2]), float(s["points"][-1][2])) for s in strokes]
        if not _is_kiosk_svg(svg, w, h, len(strokes)):
            svg = _still(w, h, background, strokes).encode("utf-8")
        return _with_film(svg, _film_style(_films(times)))
    except (TypeError, ValueError, KeyError, IndexError, AttributeError) as exc:
        if isinstance(exc, StrokesFormatError):
            raise
        raise StrokesFormatError(f"the strokes cannot be replayed: {exc}") from None


def playable_svg_file(strokes: bytes, svg: bytes) -> tuple[bytes, int, int]:
    """drawing.svg with its time-lapse, and the canvas's width and height, from a strokes file's
    bytes and the store's SVG's bytes. The kiosk's own files are read from their text (a first build
    of 10,000 answers spent a third of its time parsing every point) and stay bytes (decoding and
    encoding again cost as much as the film); any other file, or an SVG that is not the kiosk's,
    is parsed whole and checked (playable_svg)."""
    quick = _times_from_text(strokes)
    if quick is not None and _is_kiosk_svg(svg, *quick[:2], len(quick[2])):
        w, h, times = quick
        return _with_film(svg, _film_style(_films(times))), w, h
    try:
        data = orjson.loads(strokes)  # ValueError if not JSON; it refuses NaN, which json lets through
    except ValueError as exc:
        raise StrokesFormatError(f"the strokes are not JSON: {exc}") from None
    return _playable(data, svg), data["width"], data["height"]


def _is_xml_text(data: bytes) -> bool:
    """UTF-8 holding only characters XML allows (the regular expression sees bytes, and lets U+FFFE/U+FFFF by)."""
    if data.isascii():  # the kiosk's drawings, unless a title has accents
        return True
    try:
        return not _NOT_XML.search(data.decode("utf-8"))
    except UnicodeDecodeError:
        return False


_ROOT = '<svg xmlns="http://www.w3.org/2000/svg" '
# Exactly what kiosk.strokes.render_svg writes, and nothing else: the site publishes the store's
# SVG only when it matches this. Any other file (a bag's SVG can be anything that matches its own
# checksum: a script, an event handler, an external reference) is drawn again from the strokes.
_KIOSK_SVG = re.compile(
    rb'<svg xmlns="http://www\.w3\.org/2000/svg" viewBox="0 0 (\d+) (\d+)" width="\1" height="\2">\n'
    rb'(?:<title>(?:[^<>&\x00-\x1f]|&(?:amp|lt|gt|quot|#9|#10|#13);)*</title>\n)?'  # as quoteattr writes it
    rb'<rect width="\1" height="\2" fill="#[0-9a-fA-F]{6}"/>\n'
    rb'<g fill="none" stroke-linecap="round" stroke-linejoin="round">\n'
    rb'(?:<path stroke="#[0-9a-fA-F]{6}" stroke-width="[0-9]+(?:\.[0-9]+)?" d="[-ML0-9. ]*"/>\n)*'
    rb'</g></svg>\n')


_NOT_XML = re.compile("[\ufffe\uffff]")  # the characters XML 1.0 refuses that the title's class lets through


def _is_kiosk_svg(svg: bytes, w: int, h: int, strokes: int) -> bool:
    """`svg` is render_svg's drawing of a w x h canvas with this many strokes."""
    m = _KIOSK_SVG.fullmatch(svg)
    return m is not None and (int(m[1]), int(m[2])) == (w, h) and svg.count(b"<path ") == strokes \
        and _is_xml_text(svg)


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


def _with_film(svg: bytes, style: str) -> bytes:
    """The still SVG, named #play, its paths measured in fractions of their length, and the film's style."""
    head, _, rest = svg.partition(b">")
    root = _ROOT.encode("ascii")
    return (head.replace(root, root + b'id="play" ', 1) + b">\n<style>" + style.encode("ascii") + b"</style>"
            + rest.replace(b"<path ", b'<path pathLength="1" '))


def _film_style(films: list[tuple[float, float]]) -> str:
    """One @keyframes per stroke, run only under #play:target, for who has not asked for less motion:
    hidden until the stroke's start, then revealed along its length (dash offset 1, nothing, to 0,
    all of it) until its end, then shown until the film starts again."""
    end_ms = max((end for _, end in films), default=0.0)
    # Seconds on screen: sped up past MAX_DURATION_S, at least MIN_DURATION_S.
    drawn_s = min(max(end_ms / 1000, MIN_DURATION_S), MAX_DURATION_S)
    scale = drawn_s / (end_ms / 1000) if end_ms else 1.0
    to_pc = 100 * scale / 1000 / (drawn_s + HOLD_S)  # film milliseconds to a share of the loop, in %
    rules = [f"#play:target path{{stroke-dasharray:1 1;animation:{_short(drawn_s + HOLD_S)}s linear infinite}}"]
    frames = []
    for n, (start, end) in enumerate(films, 1):
        begin, done = round(start * to_pc, 2), round(end * to_pc, 2)
        # (visibility goes from hidden to visible after `begin`: one end visible shows it, CSS says)
        hidden = f"0%,{begin:g}%{{visibility:hidden" if begin > 0 else "0%{visibility:hidden"
        if done > begin:
            frames.append(f"@keyframes k{n}{{{hidden};stroke-dashoffset:1}}"
                          f"{done:g}%,100%{{visibility:visible;stroke-dashoffset:0}}}}")
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




def _num(v: float) -> str:
    text = f"{float(v):.1f}"
    return text[:-2] if text.endswith(".0") else text
