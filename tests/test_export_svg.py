"""The export's SVG rendition is kiosk.strokes.render_svg's, byte for byte, whichever way it is made."""

from __future__ import annotations

import random

import pytest

from kiosk.demo import make_drawing
from kiosk.export.svg import _from_text, svg_bytes
from kiosk.strokes import Drawing, Point, Stroke, StrokesFormatError, from_json, render_svg, to_json

PALETTE = ["#000000", "#0072b2", "#d55e00", "#009e73"]


def reference(drawing: Drawing) -> bytes:
    return render_svg(from_json(to_json(drawing))).encode("utf-8")


@pytest.mark.parametrize("seed", range(12))
def test_hand_drawings_render_as_render_svg_does(seed):
    drawing = make_drawing(random.Random(seed), 1200, 900, PALETTE)  # pens, erasers, dots, pressure
    assert svg_bytes(to_json(drawing).encode()) == reference(drawing)
    assert _from_text(to_json(drawing).encode()) == reference(drawing)  # the quick way was taken


def odd_drawing() -> Drawing:
    d = Drawing(400, 300, "#fafafa")
    d.add(Stroke("pen", "#112233", 4, [Point(0, 0, 0), Point(12.0, -0.0, 5), Point(399.96, 0.05, 9)]))  # rounding
    d.add(Stroke("pen", "#abcdef", 2.5, [Point(7, 8, 10, 0.5)]))  # a dot with pressure
    d.add(Stroke("eraser", "#fafafa", 48, [Point(1e-7, 3.25, 11), Point(200, 150.123456, 12)]))
    d.add(Stroke("pen", "#000000", 10, [Point(5, 5, 13), Point(5, 5, 14)]))
    return d


def test_coordinates_written_otherwise_take_the_ordinary_way():
    drawing = odd_drawing()
    assert svg_bytes(to_json(drawing).encode()) == reference(drawing)
    empty = Drawing(1200, 900)
    assert svg_bytes(to_json(empty).encode()) == reference(empty)


def test_a_file_laid_out_differently_renders_the_same():
    import json

    drawing = odd_drawing()
    pretty = json.dumps(json.loads(to_json(drawing)), indent=2).encode()
    assert svg_bytes(pretty) == reference(drawing)


HEAD = b'{"format": "kiosk-strokes/1", "width": 10, "height": 10, "background": "#ffffff", "strokes": [\n'


@pytest.mark.parametrize("content", [
    HEAD + b'{"tool":"pen"}\n]}\n',
    HEAD + b'{"tool":"marker","color":"#000000","width":4,"points":[[1,2,0]]}\n]}\n',
    HEAD + b'{"tool":"pen","color":"#000000","width":0,"points":[[1,2,0]]}\n]}\n',
    HEAD + b'{"tool":"pen","color":"#000000","width":4,"points":[[1,2,"soon"]]}\n]}\n',
    HEAD + b'{"tool":"pen","color":"#000000","width":4,"points":[]}\n]}\n',
    HEAD.replace(b'"height": 10', b'"height": 0') + b'{"tool":"pen","color":"#000000","width":4,"points":[[1,2,0]]}\n]}\n',
    HEAD.replace(b"#ffffff", b"white") + b'{"tool":"pen","color":"#000000","width":4,"points":[[1,2,0]]}\n]}\n',
    b"not json",
])
def test_what_from_json_refuses_is_refused(content):
    with pytest.raises(StrokesFormatError):
        from_json(content)
    with pytest.raises(StrokesFormatError):
        svg_bytes(content)
