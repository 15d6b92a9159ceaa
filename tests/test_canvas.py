"""The drawing engine (kiosk.app.canvas.CanvasView), driven headless with real pygame events.

Events go through pygame's real queue (pygame.event.post, then pygame.event.get) into
CanvasView.handle(); what is checked is the model (strokes in canvas coordinates) and the pixels
CanvasView.draw() puts on the display surface.
"""

from __future__ import annotations

import os

os.environ["SDL_VIDEODRIVER"] = "dummy"  # before pygame initialises
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")

import math

import pygame
import pytest
from PIL import Image, ImageChops, ImageFilter

from kiosk.app.canvas import CanvasView
from kiosk.strokes import Drawing, render_image

SIZES = [(1920, 1080), (1280, 800), (1080, 1920)]
INK = "#1a1a1a"


class Clock:
    """A controllable now_ms: tests never depend on real time."""

    def __init__(self, start: int = 5000) -> None:
        self.ms = start

    def __call__(self) -> int:
        return self.ms


@pytest.fixture(scope="module", autouse=True)
def _pygame():
    pygame.init()
    yield
    pygame.quit()


def make_canvas(size=(1920, 1080), area=None, drawing=None, **kwargs):
    screen = pygame.display.set_mode(size)
    screen.fill((80, 80, 90))
    clock = Clock()
    cv = CanvasView(drawing or Drawing(1200, 900), area or pygame.Rect((0, 0), size), now_ms=clock, **kwargs)
    cv.color = INK
    cv.draw(screen)
    return screen, cv, clock


def finger(kind, fid, px, py, size, touch_id=1):
    """A finger event at window pixel (px, py), normalised to the window as SDL does."""
    return pygame.event.Event(kind, touch_id=touch_id, finger_id=fid, x=px / size[0], y=py / size[1],
                              dx=0.0, dy=0.0, pressure=0.37)


def mouse(kind, pos, touch=False, button=1):
    if kind == pygame.MOUSEMOTION:
        return pygame.event.Event(kind, pos=pos, rel=(0, 0), buttons=(1, 0, 0), touch=touch)
    return pygame.event.Event(kind, pos=pos, button=button, touch=touch)


def feed(cv, events, size, clock=None, step_ms=8):
    """Post events to the real queue, drain it like the app loop, and hand each to the canvas."""
    results = []
    for e in events:
        pygame.event.post(e)
    for e in pygame.event.get():
        if e.type in (pygame.FINGERDOWN, pygame.FINGERMOTION, pygame.FINGERUP, pygame.MOUSEBUTTONDOWN,
                      pygame.MOUSEMOTION, pygame.MOUSEBUTTONUP):
            if clock is not None:
                clock.ms += step_ms
            results.append(cv.handle(e, size))
    return results


def stroke_events(fid, path, size, touch_id=1):
    """Down at the first point, motion along the rest, up at the last."""
    evs = [finger(pygame.FINGERDOWN, fid, *path[0], size, touch_id)]
    evs += [finger(pygame.FINGERMOTION, fid, *p, size, touch_id) for p in path[1:]]
    evs.append(finger(pygame.FINGERUP, fid, *path[-1], size, touch_id))
    return evs


def on_screen(cv, cx, cy):
    """Canvas units -> window pixels."""
    return cv.canvas_rect.x + cx * cv.scale, cv.canvas_rect.y + cy * cv.scale


def wave(cv, y0, x0=100.0, x1=1100.0, n=30, amp=80.0):
    return [on_screen(cv, x0 + (x1 - x0) * i / n, y0 + amp * math.sin(i * 0.5)) for i in range(n + 1)]


def grab(surface, rect) -> bytes:
    return pygame.image.tobytes(surface.subsurface(rect), "RGB")


def to_pil(surface, rect) -> Image.Image:
    return Image.frombytes("RGB", rect.size, grab(surface, rect))


def ink_mask(img: Image.Image, background: str = "#ffffff", threshold: int = 100) -> Image.Image:
    """Pixels clearly away from the background (anti-aliased fringes below threshold left out)."""
    diff = ImageChops.difference(img, Image.new("RGB", img.size, background))
    r, g, b = diff.split()
    return ImageChops.lighter(ImageChops.lighter(r, g), b).point(lambda v: 255 if v > threshold else 0)


def count(mask: Image.Image) -> int:
    return mask.histogram()[255]


def assert_same_coverage(a: Image.Image, b: Image.Image) -> None:
    """Two renditions of one drawing cover the same pixels, give or take a pixel of anti-aliasing."""
    ma, mb = ink_mask(a), ink_mask(b)
    assert count(ma) > 500 and count(mb) > 500
    grown_a, grown_b = ma.filter(ImageFilter.MaxFilter(5)), mb.filter(ImageFilter.MaxFilter(5))
    a_outside_b = count(ImageChops.subtract(ma, grown_b))
    b_outside_a = count(ImageChops.subtract(mb, grown_a))
    assert a_outside_b <= 0.01 * count(ma), (a_outside_b, count(ma))
    assert b_outside_a <= 0.01 * count(mb), (b_outside_a, count(mb))
    assert 0.85 < count(ma) / count(mb) < 1.15, (count(ma), count(mb))


def fresh_render(drawing, size, area=None) -> bytes:
    """The canvas painted from the model alone, by a new CanvasView."""
    screen = pygame.display.get_surface()
    cv = CanvasView(drawing, area or pygame.Rect((0, 0), size))
    cv.draw(screen)
    return grab(screen, cv.canvas_rect)


# --- input ------------------------------------------------------------------------------


def test_two_fingers_at_once_make_two_strokes():
    size = (1920, 1080)
    screen, cv, clock = make_canvas(size)
    a, b = wave(cv, 250), wave(cv, 650)
    interleaved = [finger(pygame.FINGERDOWN, 1, *a[0], size), finger(pygame.FINGERDOWN, 2, *b[0], size)]
    for pa, pb in zip(a[1:], b[1:]):
        interleaved += [finger(pygame.FINGERMOTION, 1, *pa, size), finger(pygame.FINGERMOTION, 2, *pb, size)]
    interleaved += [finger(pygame.FINGERUP, 2, *b[-1], size), finger(pygame.FINGERUP, 1, *a[-1], size)]
    results = feed(cv, interleaved, size, clock)
    assert all(results)
    assert not cv.is_drawing()
    strokes = cv.drawing.strokes
    assert len(strokes) == 2
    # Each finger's stroke stays on its own path: the one lifted first is stored first.
    assert all(400 < p.y < 900 for p in strokes[0].points)
    assert all(p.y < 400 for p in strokes[1].points)
    assert len(strokes[0].points) > 20 and len(strokes[1].points) > 20


def test_same_finger_id_on_two_touch_devices_and_forty_fingers():
    size = (1920, 1080)
    screen, cv, clock = make_canvas(size)
    evs = []
    for i in range(40):
        x, y = on_screen(cv, 20 + i * 29, 100)
        evs.append(finger(pygame.FINGERDOWN, i % 20, x, y, size, touch_id=1 + i // 20))
    for i in range(40):
        x, y = on_screen(cv, 20 + i * 29, 700)
        evs.append(finger(pygame.FINGERMOTION, i % 20, x, y, size, touch_id=1 + i // 20))
    assert all(feed(cv, evs, size, clock))
    assert len(cv.active_strokes()) == 40
    assert len(cv.snapshot().strokes) == 40 and cv.drawing.strokes == []
    feed(cv, [finger(pygame.FINGERUP, i % 20, *on_screen(cv, 20 + i * 29, 700), size, touch_id=1 + i // 20)
              for i in range(40)], size, clock)
    assert len(cv.drawing.strokes) == 40
    cv.draw(screen)
    assert grab(screen, cv.canvas_rect) == fresh_render(cv.drawing, size)


def test_mouse_draws_and_touch_synthesised_mouse_events_are_ignored():
    size = (1920, 1080)
    screen, cv, clock = make_canvas(size)
    blank = grab(screen, cv.canvas_rect)
    path = wave(cv, 450)
    # What SDL sends for one finger: finger events plus mouse events marked touch=True.
    echoes = [mouse(pygame.MOUSEBUTTONDOWN, path[0], touch=True)]
    echoes += [mouse(pygame.MOUSEMOTION, p, touch=True) for p in path[1:]]
    echoes.append(mouse(pygame.MOUSEBUTTONUP, path[-1], touch=True))
    assert all(feed(cv, echoes, size, clock))  # consumed over the canvas, so no click leaks to the app
    cv.draw(screen)
    assert cv.drawing.strokes == [] and not cv.is_drawing()
    assert grab(screen, cv.canvas_rect) == blank
    # Finger and echo together: one stroke, not two.
    both = []
    for f, m in zip(stroke_events(1, path, size), echoes):
        both += [f, m]
    feed(cv, both, size, clock)
    assert len(cv.drawing.strokes) == 1
    # A real mouse (no touch flag) draws with its left button only.
    feed(cv, [mouse(pygame.MOUSEBUTTONDOWN, path[0], button=3), mouse(pygame.MOUSEMOTION, path[5]),
              mouse(pygame.MOUSEBUTTONUP, path[5], button=3)], size, clock)
    assert len(cv.drawing.strokes) == 1
    real = [mouse(pygame.MOUSEBUTTONDOWN, path[0])] + [mouse(pygame.MOUSEMOTION, p) for p in path[1:]]
    feed(cv, real + [mouse(pygame.MOUSEBUTTONUP, path[-1])], size, clock)
    assert len(cv.drawing.strokes) == 2
    assert len(cv.drawing.strokes[1].points) > 20


def test_repeated_finger_down_is_motion():
    size = (1920, 1080)
    screen, cv, clock = make_canvas(size)
    path = [on_screen(cv, 100 + 80 * i, 300) for i in range(6)]
    downs = [finger(pygame.FINGERDOWN, 7, *p, size) for p in path] + [finger(pygame.FINGERUP, 7, *path[-1], size)]
    assert all(feed(cv, downs, size, clock))
    assert len(cv.drawing.strokes) == 1
    pts = cv.drawing.strokes[0].points
    assert len(pts) >= 6  # five smoothed positions, then the raw one where the finger lifted
    assert pts[0].x == pytest.approx(100, abs=0.01) and pts[-1].x == pytest.approx(500, abs=0.01)


def test_finger_coordinates_are_normalised_to_the_window():
    # A 1280x800 window whose canvas sits in the lower part (the question above it).
    size = (1280, 800)
    screen, cv, clock = make_canvas(size, area=pygame.Rect(0, 200, 1280, 600))
    assert cv.canvas_rect == pygame.Rect(240, 200, 800, 600)
    # x=0.5, y=0.75 of the window = pixel (640, 600) = canvas (600, 600) at scale 800/1200.
    e = pygame.event.Event(pygame.FINGERDOWN, touch_id=1, finger_id=1, x=0.5, y=0.75, dx=0.0, dy=0.0, pressure=0.9)
    assert feed(cv, [e, finger(pygame.FINGERUP, 1, 640, 600, size)], size, clock) == [True, True]
    p = cv.drawing.strokes[0].points[0]
    assert (p.x, p.y) == pytest.approx((600, 600), abs=0.01)
    # The finger events' `pressure` is not pressure in pygame: it is not recorded.
    assert p.pressure is None


def test_outside_the_canvas_not_started_and_clamped_while_drawing():
    size = (1920, 1080)
    screen, cv, clock = make_canvas(size)
    assert cv.canvas_rect == pygame.Rect(240, 0, 1440, 1080)
    # Starting in the letterbox (where the app's toolbar could be): not the canvas's.
    assert feed(cv, stroke_events(1, [(100, 500), (400, 500), (600, 500)], size), size, clock) == [False] * 4
    assert cv.drawing.strokes == []
    # Starting inside and leaving: clamped to the canvas edge, still consumed.
    assert all(feed(cv, stroke_events(2, [(900, 500), (1800, 500), (1900, 1070), (1200, 1079.9)], size),
                    size, clock))
    pts = cv.drawing.strokes[0].points
    assert all(0 <= p.x <= 1200 and 0 <= p.y <= 900 for p in pts)
    assert max(p.x for p in pts) > 1190  # pressed against the edge (smoothing approaches it)


def test_point_times_count_from_the_drawing_start():
    size = (1920, 1080)
    screen, cv, clock = make_canvas(size)
    clock.ms = 123_456
    feed(cv, stroke_events(1, wave(cv, 300, n=5), size), size, clock, step_ms=10)
    clock.ms += 1000
    feed(cv, stroke_events(1, wave(cv, 600, n=5), size), size, clock, step_ms=10)
    first, second = cv.drawing.strokes
    assert first.points[0].t == 0
    assert [p.t for p in first.points] == sorted(p.t for p in first.points)
    assert first.points[-1].t == 60
    assert second.points[0].t == 1070
    # A restored drawing goes on after its last point instead of starting again at 0.
    screen, cv2, clock2 = make_canvas(size, drawing=cv.drawing)
    feed(cv2, stroke_events(1, wave(cv2, 450, n=3), size), size, clock2)
    assert cv2.drawing.strokes[-1].points[0].t > second.points[-1].t


# --- ink ----------------------------------------------------------------------------------


def test_fast_stroke_leaves_no_gaps():
    size = (1920, 1080)
    screen, cv, clock = make_canvas(size)
    cv.width = 6  # the thinnest pen: gaps would show first
    # A flick: 180 px between events, one event per 8 ms (22 m/s on a 55" screen).
    start, end = on_screen(cv, 60, 80), on_screen(cv, 1140, 860)
    n = math.ceil(math.dist(start, end) / 180)
    path = [(start[0] + (end[0] - start[0]) * i / n, start[1] + (end[1] - start[1]) * i / n) for i in range(n + 1)]
    feed(cv, stroke_events(1, path, size), size, clock)
    cv.draw(screen)
    ink = pygame.Color(INK)
    length = math.dist(start, end)
    for i in range(int(length)):
        x = start[0] + (end[0] - start[0]) * i / length
        y = start[1] + (end[1] - start[1]) * i / length
        c = screen.get_at((round(x), round(y)))
        assert max(abs(c.r - ink.r), abs(c.g - ink.g), abs(c.b - ink.b)) < 40, (i, (x, y), c)


def test_round_caps_and_incremental_dirty_rects():
    size = (1920, 1080)
    screen, cv, clock = make_canvas(size)
    cv.width = 32
    a = on_screen(cv, 600, 450)
    feed(cv, [finger(pygame.FINGERDOWN, 1, *a, size)], size, clock)
    rects = cv.draw(screen)
    # A dot, drawn as a disc: a small dirty rect around it, not the whole canvas.
    assert len(rects) == 1 and rects[0].w < 50 and rects[0].collidepoint(a)
    r = 32 * cv.scale / 2
    assert screen.get_at((round(a[0] + r * 0.6), round(a[1] + r * 0.6))) == pygame.Color(INK)  # inside the disc
    assert screen.get_at((round(a[0] + r * 0.8), round(a[1] + r * 0.8))) == pygame.Color("#ffffff")  # corner
    b = (a[0] + 60, a[1])
    feed(cv, [finger(pygame.FINGERMOTION, 1, *b, size)], size, clock)
    rects = cv.draw(screen)
    assert sum(r.w * r.h for r in rects) < 150 * 60
    assert cv.draw(screen) == []  # nothing changed, nothing to update


def test_undo_restores_exactly_the_pixels_under_the_stroke_and_redo_puts_them_back():
    size = (1920, 1080)
    screen, cv, clock = make_canvas(size)
    for i, colour in enumerate(["#e69f00", "#0072b2", "#009e73"]):
        cv.color, cv.width = colour, (6, 14, 32)[i]
        feed(cv, stroke_events(1, wave(cv, 250 + 200 * i, amp=250), size), size, clock)
    cv.draw(screen)
    before = grab(screen, cv.canvas_rect)
    cv.color, cv.width = "#d55e00", 14
    feed(cv, stroke_events(1, wave(cv, 450, amp=350), size), size, clock)  # crosses all three
    cv.draw(screen)
    with_stroke = grab(screen, cv.canvas_rect)
    assert with_stroke != before
    assert cv.undo()
    rects = cv.draw(screen)
    assert 0 < sum(r.w * r.h for r in rects) < cv.canvas_rect.w * cv.canvas_rect.h
    assert grab(screen, cv.canvas_rect) == before
    assert len(cv.drawing.strokes) == 3
    assert cv.redo()
    cv.draw(screen)
    assert grab(screen, cv.canvas_rect) == with_stroke
    assert not cv.redo()
    # All the way back and forth.
    for _ in range(4):
        assert cv.undo()
    assert not cv.undo()
    cv.draw(screen)
    assert ink_mask(to_pil(screen, cv.canvas_rect)).getbbox() is None
    for _ in range(4):
        assert cv.redo()
    cv.draw(screen)
    assert grab(screen, cv.canvas_rect) == with_stroke


def test_undo_and_redo_past_the_memory_budget_stay_right():
    size = (1280, 800)
    screen, cv, clock = make_canvas(size, undo_budget_bytes=200_000)
    for i in range(8):
        cv.width = (6, 14, 32)[i % 3]
        cv.color = ["#000000", "#e69f00", "#56b4e9", "#009e73"][i % 4]
        feed(cv, stroke_events(1, wave(cv, 100 + 90 * i, amp=200), size), size, clock)
    cv.draw(screen)
    for _ in range(8):
        assert cv.undo()
        cv.draw(screen)
        assert grab(screen, cv.canvas_rect) == fresh_render(cv.drawing, size)
        cv.force_full_redraw()
    for _ in range(8):
        assert cv.redo()
        cv.draw(screen)
        assert grab(screen, cv.canvas_rect) == fresh_render(cv.drawing, size)
        cv.force_full_redraw()


def test_undo_while_another_finger_draws_keeps_its_ink():
    size = (1920, 1080)
    screen, cv, clock = make_canvas(size)
    cv.width = 32
    feed(cv, stroke_events(1, wave(cv, 450, amp=300), size), size, clock)
    cv.color = "#0072b2"
    crossing = [on_screen(cv, 600, 50 + 40 * i) for i in range(21)]
    feed(cv, [finger(pygame.FINGERDOWN, 2, *crossing[0], size)]
         + [finger(pygame.FINGERMOTION, 2, *p, size) for p in crossing[1:]], size, clock)
    assert cv.undo()  # the first stroke goes, the blue one in progress stays
    feed(cv, [finger(pygame.FINGERUP, 2, *crossing[-1], size)], size, clock)
    cv.draw(screen)
    assert len(cv.drawing.strokes) == 1 and cv.drawing.strokes[0].color == "#0072b2"
    assert grab(screen, cv.canvas_rect) == fresh_render(cv.drawing, size)


def test_screen_is_the_model_rendered_again():
    """Live ink (multi-touch, eraser, undo, redo) = a fresh rendering of the stored strokes, pixel for pixel."""
    size = (1920, 1080)
    screen, cv, clock = make_canvas(size)
    a, b = wave(cv, 300, amp=200), wave(cv, 500, amp=200)
    cv.width = 14
    evs = [finger(pygame.FINGERDOWN, 1, *a[0], size)]
    evs += [finger(pygame.FINGERMOTION, 1, *p, size) for p in a[1:10]]
    feed(cv, evs, size, clock)
    cv.color = "#cc79a7"
    evs = [finger(pygame.FINGERDOWN, 2, *b[0], size)]
    for pa, pb in zip(a[10:], b[1:]):
        evs += [finger(pygame.FINGERMOTION, 1, *pa, size), finger(pygame.FINGERMOTION, 2, *pb, size)]
    evs += [finger(pygame.FINGERUP, 1, *a[-1], size), finger(pygame.FINGERUP, 2, *b[-1], size)]
    feed(cv, evs, size, clock)
    assert [s.color for s in cv.drawing.strokes] == [INK, "#cc79a7"]
    cv.tool = "eraser"
    feed(cv, stroke_events(3, [on_screen(cv, 600, 50), on_screen(cv, 620, 850)], size), size, clock)
    assert cv.drawing.strokes[-1].tool == "eraser"
    cv.tool = "pen"
    feed(cv, stroke_events(4, wave(cv, 700, amp=100), size), size, clock)
    cv.undo()
    cv.draw(screen)
    assert grab(screen, cv.canvas_rect) == fresh_render(cv.drawing, size)
    cv.redo()
    cv.draw(screen)
    assert grab(screen, cv.canvas_rect) == fresh_render(cv.drawing, size)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_screen_agrees_with_render_image(size):
    screen, cv, clock = make_canvas(size)
    for i, w in enumerate((6, 14, 32)):
        cv.width = w
        feed(cv, stroke_events(1, wave(cv, 200 + 250 * i, amp=90), size), size, clock)
    cv.tool = "eraser"
    feed(cv, stroke_events(1, [on_screen(cv, 500, 20), on_screen(cv, 560, 880)], size), size, clock)
    cv.draw(screen)
    shown = to_pil(screen, cv.canvas_rect)
    rendered = render_image(cv.drawing, scale=cv.scale, supersample=2)
    w, h = min(shown.width, rendered.width), min(shown.height, rendered.height)
    assert abs(shown.width - rendered.width) <= 1 and abs(shown.height - rendered.height) <= 1
    assert_same_coverage(shown.crop((0, 0, w, h)), rendered.crop((0, 0, w, h)))
    # The eraser's track is background on both.
    x = round(530 * cv.scale)
    y = round(450 * cv.scale)
    assert shown.getpixel((x, y)) == rendered.getpixel((x, y)) == (255, 255, 255)


def test_strokes_are_the_same_whatever_the_screen_size():
    models = []
    for size in SIZES:
        screen, cv, clock = make_canvas(size)
        r = cv.canvas_rect
        # Proportions kept, centred, as big as fits.
        assert abs(r.w / r.h - 4 / 3) < 0.01
        assert r.w == size[0] or r.h == size[1]
        assert abs(r.centerx - size[0] / 2) <= 1 and abs(r.centery - size[1] / 2) <= 1
        for i, w in enumerate((6, 14, 32)):
            cv.width = w
            feed(cv, stroke_events(1, wave(cv, 200 + 250 * i, amp=90), size), size, clock)
        models.append(cv.drawing.strokes)
    assert models[0] == models[1] == models[2]


def test_resizing_repaints_from_the_strokes_and_keeps_undo():
    screen, cv, clock = make_canvas((1920, 1080))
    for i in range(3):
        feed(cv, stroke_events(1, wave(cv, 200 + 250 * i, amp=90), (1920, 1080)), (1920, 1080), clock)
    for size in SIZES[1:]:
        screen = pygame.display.set_mode(size)
        cv.set_rect(pygame.Rect((0, 0), size))
        cv.draw(screen)
        assert grab(screen, cv.canvas_rect) == fresh_render(cv.drawing, size)
    assert cv.undo()
    cv.draw(screen)
    assert grab(screen, cv.canvas_rect) == fresh_render(cv.drawing, SIZES[-1])
    # Moving without resizing only moves it.
    cv.set_rect(pygame.Rect(0, 100, 1080, 1820))
    assert cv.canvas_rect.size == (1080, 810) and cv.canvas_rect.centery == 1010


def test_cancel_clear_and_callbacks():
    size = (1280, 800)
    ended = []
    screen, cv, clock = make_canvas(size, on_stroke_end=lambda: ended.append(len(cv.drawing.strokes)))
    feed(cv, stroke_events(1, wave(cv, 300), size), size, clock)
    assert ended == [1]
    cv.draw(screen)
    one_stroke = grab(screen, cv.canvas_rect)
    feed(cv, [finger(pygame.FINGERDOWN, 2, *on_screen(cv, 100, 600), size),
              finger(pygame.FINGERMOTION, 2, *on_screen(cv, 900, 100), size)], size, clock)
    assert cv.is_drawing()
    cv.cancel_active()
    assert not cv.is_drawing()
    cv.draw(screen)
    assert grab(screen, cv.canvas_rect) == one_stroke
    # The cancelled finger's later events are not the canvas's any more.
    assert feed(cv, [finger(pygame.FINGERUP, 2, *on_screen(cv, 900, 100), size)], size, clock) == [False]
    assert ended == [1] and len(cv.drawing.strokes) == 1
    cv.clear()
    cv.draw(screen)
    assert cv.drawing.strokes == [] and not cv.undo() and not cv.redo()  # clear is not undoable
    assert ink_mask(to_pil(screen, cv.canvas_rect)).getbbox() is None
    feed(cv, stroke_events(1, wave(cv, 300, n=3), size), size, clock)
    assert cv.drawing.strokes[0].points[0].t == 0  # a cleared drawing starts again


def test_set_drawing_shows_another_drawing():
    size = (1280, 800)
    screen, cv, clock = make_canvas(size)
    feed(cv, stroke_events(1, wave(cv, 300), size), size, clock)
    other = Drawing(800, 800, background="#fff8e7")
    cv.set_drawing(other)
    cv.draw(screen)
    assert cv.canvas_rect.size == (800, 800) and cv.drawing is other
    assert to_pil(screen, cv.canvas_rect).getpixel((10, 10)) == (255, 248, 231)


def test_lost_finger_up_and_lost_mouse_up_start_new_strokes():
    size = (1920, 1080)
    screen, cv, clock = make_canvas(size)
    a, b = on_screen(cv, 100, 100), on_screen(cv, 1100, 800)
    # A finger whose up never came, then (two seconds later) the driver reuses its id far away.
    feed(cv, [finger(pygame.FINGERDOWN, 1, *a, size), finger(pygame.FINGERMOTION, 1, a[0] + 50, a[1], size)],
         size, clock)
    clock.ms += 2000
    feed(cv, [finger(pygame.FINGERDOWN, 1, *b, size), finger(pygame.FINGERUP, 1, b[0] + 50, b[1], size)], size, clock)
    assert len(cv.drawing.strokes) == 2
    mid = on_screen(cv, 600, 450)
    cv.draw(screen)
    assert screen.get_at((round(mid[0]), round(mid[1]))) == pygame.Color("#ffffff")  # no line across
    # The mouse: a down with no up before it, and motion with the button already released.
    feed(cv, [mouse(pygame.MOUSEBUTTONDOWN, a), mouse(pygame.MOUSEMOTION, (a[0], a[1] + 60)),
              mouse(pygame.MOUSEBUTTONDOWN, b)], size, clock)
    assert len(cv.drawing.strokes) == 3 and cv.is_drawing()
    released = pygame.event.Event(pygame.MOUSEMOTION, pos=mid, rel=(0, 0), buttons=(0, 0, 0), touch=False)
    assert feed(cv, [released], size, clock) == [False]
    assert len(cv.drawing.strokes) == 4 and not cv.is_drawing()
    cv.draw(screen)
    assert screen.get_at((round(mid[0]), round(mid[1]))) == pygame.Color("#ffffff")
    # Losing the window's focus mid-stroke keeps what was drawn.
    feed(cv, [finger(pygame.FINGERDOWN, 2, *a, size), finger(pygame.FINGERMOTION, 2, *mid, size)], size, clock)
    cv.handle(pygame.event.Event(pygame.WINDOWFOCUSLOST), size)
    assert len(cv.drawing.strokes) == 5 and not cv.is_drawing()


@pytest.mark.parametrize("budget", [1, 300_000, 64 * 2**20], ids=["no-copies", "tight", "roomy"])
def test_random_sessions_always_show_the_model(budget):
    """Any mix of strokes, two-finger strokes, erasing, undo, redo, cancel, clear and resize:
    after each step the screen is exactly a fresh rendering of the model."""
    import random

    rng = random.Random(budget)
    size = (1280, 800)
    screen, cv, clock = make_canvas(size, undo_budget_bytes=budget)

    def path():
        x, y = rng.uniform(50, 1150), rng.uniform(50, 850)
        out = []
        for _ in range(rng.randint(1, 12)):
            out.append(on_screen(cv, x, y))
            x, y = min(max(x + rng.uniform(-120, 120), 0), 1200), min(max(y + rng.uniform(-120, 120), 0), 900)
        return out

    for step in range(45):
        op = rng.choice(["stroke", "stroke", "two", "undo", "undo", "redo", "cancel", "clear", "resize"])
        cv.tool = "eraser" if rng.random() < 0.15 else "pen"
        cv.color = rng.choice(["#1a1a1a", "#e69f00", "#56b4e9", "#009e73", "#d55e00"])
        cv.width = rng.choice([6, 14, 32])
        if op == "stroke":
            feed(cv, stroke_events(1, path(), size), size, clock)
        elif op == "two":
            a, b = path(), path()
            evs = [finger(pygame.FINGERDOWN, 1, *a[0], size), finger(pygame.FINGERDOWN, 2, *b[0], size)]
            for i in range(1, max(len(a), len(b))):
                evs += [finger(pygame.FINGERMOTION, k, *p[i], size) for k, p in ((1, a), (2, b)) if i < len(p)]
            evs += [finger(pygame.FINGERUP, 1, *a[-1], size)]
            if rng.random() < 0.5:
                feed(cv, evs, size, clock)
                cv.undo()  # while the second finger is still down
                evs = []
            evs += [finger(pygame.FINGERUP, 2, *b[-1], size)]
            feed(cv, evs, size, clock)
        elif op == "undo":
            cv.undo()
        elif op == "redo":
            cv.redo()
        elif op == "cancel":
            feed(cv, [finger(pygame.FINGERDOWN, 3, *path()[0], size)], size, clock)
            cv.cancel_active()
        elif op == "clear":
            if rng.random() < 0.3:
                cv.clear()
        else:
            size = rng.choice(SIZES)
            screen = pygame.display.set_mode(size)
            cv.set_rect(pygame.Rect((0, 0), size))
            cv.force_full_redraw()  # a new display surface starts blank
        cv.draw(screen)
        assert grab(screen, cv.canvas_rect) == fresh_render(cv.drawing, size), (step, op)
        cv.force_full_redraw()
        cv.draw(screen)


def test_set_rect_to_the_same_place_repaints_nothing():
    size = (1280, 800)
    screen, cv, clock = make_canvas(size)
    feed(cv, stroke_events(1, wave(cv, 300), size), size, clock)
    cv.draw(screen)
    cv.set_rect(pygame.Rect((0, 0), size))
    assert cv.draw(screen) == []
    cv.set_rect(pygame.Rect(0, 0, 1280, 700))  # moved up, same size: a full blit at the new place
    assert cv.draw(screen) == [cv.canvas_rect]
