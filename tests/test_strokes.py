"""The drawing model: JSON round trip, undo/redo, and PNG and SVG renditions that agree."""

from __future__ import annotations

import io
import json
import random
import shutil
import subprocess

import pytest
from PIL import Image, ImageChops

from kiosk import strokes
from kiosk.demo import make_drawing
from kiosk.strokes import Drawing, Point, Stroke


def sample_drawing() -> Drawing:
    d = Drawing(400, 300, "#ffffff")
    d.add(Stroke("pen", "#0072b2", 12, [Point(20, 20, 0), Point(200, 150, 40, 0.5), Point(380, 40, 80)]))
    d.add(Stroke("pen", "#d55e00", 30, [Point(60, 250, 200)]))  # a dot
    d.add(Stroke("eraser", "#ffffff", 20, [Point(100, 60, 300), Point(300, 120, 340)]))
    return d


def test_json_round_trip_is_exact():
    d = sample_drawing()
    text = strokes.to_json(d)
    assert json.loads(text)["format"] == "kiosk-strokes/1"
    back = strokes.from_json(text)
    assert back == d
    assert back.strokes[0].points[1].pressure == 0.5
    assert back.strokes[0].points[0].pressure is None


def test_json_round_trip_of_random_hand_drawings():
    rng = random.Random(3)
    for _ in range(20):
        d = make_drawing(rng, 1200, 900, ["#000000", "#e69f00"])
        assert strokes.from_json(strokes.to_json(d)) == d


@pytest.mark.parametrize("bad, words", [
    ("{", "not valid JSON"),
    ('{"format": "other/1", "width": 1, "height": 1}', "format"),
    ('{"format": "kiosk-strokes/1", "width": 0, "height": 1}', "width and height"),
    ('{"format": "kiosk-strokes/1", "width": 9, "height": 9, "strokes": [{"tool": "brush", "color": "#000000",'
     ' "width": 1, "points": [[1, 1, 0]]}]}', "tool"),
    ('{"format": "kiosk-strokes/1", "width": 9, "height": 9, "strokes": [{"tool": "pen", "color": "red",'
     ' "width": 1, "points": [[1, 1, 0]]}]}', "color"),
    ('{"format": "kiosk-strokes/1", "width": 9, "height": 9, "strokes": [{"tool": "pen", "color": "#000000",'
     ' "width": 1, "points": [[1, 1]]}]}', "point 0"),
])
def test_bad_strokes_files_are_named(bad, words):
    with pytest.raises(strokes.StrokesFormatError, match=words):
        strokes.from_json(bad)


@pytest.mark.parametrize("point", ["[1, NaN, 0]", "[1, 2, Infinity]", "[-Infinity, 1, 0]", "[1e999, 1, 0]",
                                   "[1, 1, 1" + "0" * 400 + "]", "[true, 1, 0]", "[1, 1, 0, 2]", "[1, 1, 0, NaN]",
                                   '[1, "1", 0]', "[1, 1, -1]", "[30, 1, 0]", "[1, 1, 0.5, null, 3]"])
def test_a_bad_point_among_good_ones_is_named(point):
    """Points are checked a whole stroke at a time; one bad point among many still fails, by its number."""
    good = ", ".join(f"[{k % 9}, {k % 7}.5, {k}]" for k in range(50))
    text = ('{"format": "kiosk-strokes/1", "width": 10, "height": 10, "strokes": [{"tool": "pen", '
            f'"color": "#000000", "width": 1, "points": [{good}, {point}, {good}]}}]}}')
    with pytest.raises(strokes.StrokesFormatError, match="point 50"):
        strokes.from_json(text)


def test_points_read_at_once_are_the_points_read_one_by_one():
    rng = random.Random(5)
    for _ in range(5):
        data = json.loads(strokes.to_json(make_drawing(rng, 1200, 900, ["#000000"])))
        data["strokes"][0]["points"] = [[*p[:3], 0.5] for p in data["strokes"][0]["points"]]  # with pressure
        data["strokes"][-1]["points"][0][2] = 7.0  # a time written as a float: read as a whole number
        d = strokes.from_dict(data)
        for i, s in enumerate(data["strokes"]):
            assert d.strokes[i].points == strokes._points_one_by_one(s["points"], i, 1200, 900)
        assert all(type(p) is Point and type(p.t) is int for s in d.strokes for p in s.points)


def test_undo_redo_work_on_strokes():
    d = sample_drawing()
    first = list(d.strokes)
    assert d.undo() is first[2]
    assert d.undo() is first[1]
    assert d.strokes == first[:1]
    assert d.redo() is first[1]
    d.add(Stroke("pen", "#000000", 4, [Point(1, 1, 500)]))
    assert d.redo() is None  # a new stroke forgets what was undone
    d.clear()
    assert d.undo() is None and d.is_empty()


def test_png_has_ink_where_the_strokes_went_and_eraser_removes_it():
    d = sample_drawing()
    img = Image.open(io.BytesIO(strokes.render_png(d))).convert("RGB")
    assert img.size == (400, 300)
    assert img.getpixel((20, 20)) == (0x00, 0x72, 0xB2)  # the pen's start, under its round cap
    assert img.getpixel((60, 250))[0] > 200 and img.getpixel((60, 250))[2] < 50  # the orange dot
    assert img.getpixel((200, 90)) == (255, 255, 255)  # erased across the blue line
    assert img.getpixel((390, 290)) == (255, 255, 255)  # untouched corner


def test_png_scales():
    img = Image.open(io.BytesIO(strokes.render_png(sample_drawing(), scale=0.5)))
    assert img.size == (200, 150)


def test_svg_is_paths_with_round_caps_and_viewbox():
    svg = strokes.render_svg(sample_drawing(), title="a <title> & more")
    assert 'viewBox="0 0 400 300"' in svg
    assert svg.count("<path ") == 3
    assert 'stroke-linecap="round"' in svg and 'stroke-linejoin="round"' in svg
    assert "&lt;title&gt; &amp; more" in svg


def _ink(img: Image.Image) -> Image.Image:
    """A mask of non-white pixels."""
    return img.convert("L").point(lambda v: 255 if v < 200 else 0)


@pytest.mark.skipif(shutil.which("rsvg-convert") is None, reason="rsvg-convert (librsvg2-bin) is not installed")
def test_png_and_svg_renditions_agree(tmp_path):
    rng = random.Random(11)
    d = make_drawing(rng, 600, 450, ["#000000", "#0072b2", "#d55e00"])
    svg = tmp_path / "d.svg"
    svg.write_text(strokes.render_svg(d))
    out = tmp_path / "svg.png"
    subprocess.run(["rsvg-convert", "-o", str(out), str(svg)], check=True)
    from_svg = _ink(Image.open(out).convert("RGB"))
    from_png = _ink(strokes.render_image(d))
    assert from_svg.size == from_png.size
    diff = ImageChops.difference(from_svg, from_png)
    differing = diff.width * diff.height - diff.histogram()[0]
    inked = from_png.width * from_png.height - from_png.histogram()[0]
    assert inked > 1000
    # Anti-aliased edges may fall either side of the threshold; the shapes must be the same.
    assert differing / inked < 0.05, (differing, inked)


def test_simplify_keeps_the_shape_with_fewer_points():
    pts = [Point(x, 100 + (x % 2) * 0.2, x) for x in range(500)]  # a straight line with 0.2 of jitter
    simple = strokes.simplify(pts, 0.5)
    assert simple[0] == pts[0] and simple[-1] == pts[-1]
    assert len(simple) < 10
    corner = [Point(0, 0, 0), Point(50, 0, 1), Point(100, 0, 2), Point(100, 50, 3), Point(100, 100, 4)]
    assert Point(100, 0, 2) in strokes.simplify(corner, 1.0)


def test_to_json_with_a_cache_is_identical_and_sees_strokes_grow():
    d = sample_drawing()
    cache: dict = {}
    assert strokes.to_json(d, cache) == strokes.to_json(d)
    d.strokes[0].points.append(Point(1, 2, 900))  # a stroke still being drawn grows
    d.add(Stroke("pen", "#000000", 4, [Point(5, 5, 1000)]))
    assert strokes.to_json(d, cache) == strokes.to_json(d)
    assert strokes.from_json(strokes.to_json(d, cache)) == d
    d.undo()
    assert len(cache) == 4 and strokes.to_json(d, cache) == strokes.to_json(d) and len(cache) == 3


def _mutations() -> list:
    """Drawings one field wrong each, as a bug in the app could make them."""
    def drawing(*points, tool="pen", color="#000000", width=4, w=100, h=100, background="#ffffff"):
        return strokes.Drawing(w, h, background, [strokes.Stroke(tool, color, width, list(points))])
    ok = strokes.Point(10, 10, 0)
    nan, inf = float("nan"), float("inf")
    return [
        drawing(ok, strokes.Point(nan, 1, 5)), drawing(ok, strokes.Point(1, inf, 5)),
        drawing(ok, strokes.Point(1, 1, -1)), drawing(ok, strokes.Point(301, 1, 5)),
        drawing(ok, strokes.Point(True, 1, 5)), drawing(ok, strokes.Point("1", 1, 5)),  # type: ignore[arg-type]
        drawing(ok, strokes.Point(1, 1, 5, 2.0)), drawing(ok, strokes.Point(1, 1, 5, nan)),
        drawing(ok, strokes.Point(1, 1, strokes.MAX_T_MS + 1)), drawing(ok, tool="brush"),
        drawing(ok, color="red"), drawing(ok, width=0), drawing(ok, width=True), drawing(ok, width=nan),
        drawing(ok, w=0), drawing(ok, w=100.0), drawing(ok, background="#fff"),  # type: ignore[arg-type]
        drawing(),  # a stroke without points
    ]


def test_a_drawing_surely_readable_is_read_back_and_every_bad_one_is_left_to_the_parser():
    """surely_readable (the saver's quick check) never vouches for a drawing from_json would refuse."""
    rng = random.Random(11)
    for _ in range(40):
        d = make_drawing(rng, 1200, 900, ["#000000", "#0072b2"])
        d.strokes[0].points[0] = d.strokes[0].points[0]._replace(pressure=0.5)  # mixed pressures
        assert strokes.surely_readable(d)
        assert strokes.from_json(strokes.to_json(d)).strokes == d.strokes
    for bad in _mutations():
        assert not strokes.surely_readable(bad), bad
        with pytest.raises(strokes.StrokesFormatError):
            strokes.from_json(strokes.to_json(bad))  # the parser the saver falls back on names it
