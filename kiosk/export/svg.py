"""The SVG rendition of a drawing, made fast enough for exports of thousands.

The SVG is kiosk.strokes.render_svg's, byte for byte (the tests compare them). What costs
time in an export is not the document but the path data: parsing a few thousand numbers
per drawing into Point objects and formatting them back. Strokes files are written by
strokes.to_json one stroke per line, and their coordinates are usually already written the
way render_svg writes them (at most one decimal, "12.0" as "12"), so the path data can be
taken from the text with a few regular expressions (in C) instead. render_svg still writes
the document around it: each stroke goes in with a placeholder point whose path is then
replaced. A file laid out otherwise, or with a coordinate render_svg would round, takes
the ordinary way.
"""

from __future__ import annotations

import re

from kiosk.strokes import Drawing, Point, Stroke, from_json, render_svg, to_json_lines

# A coordinate as render_svg writes it once ".0" is dropped: exact in a float (10 digits at most).
_NUMBER = rb"-?(?:0|[1-9][0-9]{0,8})(?:\.[0-9])?"
_JSON_NUMBER = rb"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?"
_POINT = re.compile(rb"\[(" + _NUMBER + rb"),(" + _NUMBER + rb"),(?:" + _JSON_NUMBER + rb")(?:," + _JSON_NUMBER + rb")?\]")
_STROKE = re.compile(rb'\{"tool":"(pen|eraser)","color":"(#[0-9a-fA-F]{6})","width":(' + _NUMBER + rb'),'
                     rb'"points":\[(.*)\]\},?')
_POINT_ZERO = re.compile(rb"\.0(?![0-9])")
_BACKGROUND = re.compile(r"#[0-9a-fA-F]{6}")
_PLACEHOLDER = re.compile(r'd="M(\d+) 0L\1 0"')


class _Unusual(Exception):
    """The file is not laid out as to_json lays it out: take the ordinary way."""


def svg_bytes(strokes_json: bytes) -> bytes:
    """render_svg of a strokes file, as UTF-8; a damaged file raises from_json's StrokesFormatError."""
    try:
        return _from_text(strokes_json)
    except _Unusual:
        return render_svg(from_json(strokes_json)).encode("utf-8")


def _from_text(strokes_json: bytes) -> bytes:
    split = to_json_lines(strokes_json)
    if split is None:
        raise _Unusual
    data, lines = split
    background = data.get("background", "#ffffff")
    if not (isinstance(background, str) and _BACKGROUND.fullmatch(background)
            and all(type(data.get(k)) is int and data[k] > 0 for k in ("width", "height"))):
        raise _Unusual  # from_json accepts it or names the problem
    strokes, paths = [], []
    for i, line in enumerate(lines):
        m = _STROKE.fullmatch(line)
        if m is None:
            raise _Unusual
        width = float(m[3])
        if not width > 0:
            raise _Unusual
        # A placeholder point: render_svg writes d="M{i} 0L{i} 0", replaced below by the real path.
        strokes.append(Stroke(m[1].decode(), m[2].decode(), width, [Point(i, 0, 0)]))
        paths.append(_path_data(m[4]))
    drawing = Drawing(data["width"], data["height"], background, strokes)
    return _PLACEHOLDER.sub(lambda m: paths[int(m[1])], render_svg(drawing)).encode("utf-8")


def _path_data(points: bytes) -> str:
    """svg_path_data of the points' text: "M x y" then "L x y" for each further point."""
    pairs = _POINT.findall(points)  # [(x, y), ...] as bytes: no float is parsed, none formatted
    if not pairs or len(pairs) != points.count(b"["):  # a point render_svg would write differently
        raise _Unusual
    if len(pairs) == 1:  # a dot: a zero-length segment, drawn by its round caps
        pairs *= 2
    path = _POINT_ZERO.sub(b"", b"M" + b"L".join(map(b" ".join, pairs)))
    return 'd="' + path.decode("ascii") + '"'
