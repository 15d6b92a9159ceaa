"""Layout and text on every visitor screen at 1920x1080, 1280x800, 1080x1920 and 3840x2160, in
English and French, and in large-text mode: no text clipped or cut (every fitted text noted by
the theme fits its box at a legible size, without an ellipsis), every control inside the window
and at least ~12 mm, the canvas and the keyboard filling the room they have.

KIOSK_SCREENSHOTS=DIR keeps the screenshots there (to look at them).
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pygame
import pytest
from PIL import Image
from test_app_driver import Driver, school_prompts, settings_for
from test_app_screens import open_prompt

from kiosk import i18n
from kiosk.app import script
from kiosk.app.theme import Theme
from kiosk.app.ui import fit
from kiosk.catalogue import _load
from kiosk.store import Store

WORDS = _load("app")  # the app's own words
SIZES = [(1920, 1080), (1280, 800), (1080, 1920), (3840, 2160)]
ids = [f"{w}x{h}" for w, h in SIZES]


def legible(theme: Theme) -> int:
    return max(14, theme.px(17))


def check_screen(d: Driver, where: str) -> None:
    """Draw the whole screen again, noting every text fitted, and check text and targets."""
    theme = d.app.theme
    theme.fits = []
    d.app.scene.resize()  # lay out again (texts are fitted there too) and draw everything
    d.step()
    fits, theme.fits = theme.fits, None
    assert fits, f"{where}: no text was drawn"
    for f in fits:
        assert not f.ellipsized, f"{where}: {f.text!r} does not fit {f.box} even at {f.size} px (cut with …)"
        assert not f.word_cut, f"{where}: {f.text!r} had a word cut between letters in {f.box}"
        assert f.block[0] <= f.box[0] and f.block[1] <= f.box[1], f"{where}: {f.text!r} {f.block} overflows {f.box}"
        assert f.size >= legible(theme), f"{where}: {f.text!r} at {f.size} px is too small to read"
    bounds = d.app.screen.get_rect()
    finger = max(48, round(min(d.size) * 0.045))  # ~12 mm, scaled from the screen
    targets = d.app.scene.targets()
    for name, r in targets.items():
        assert bounds.contains(r), f"{where}: {name} {r} is off the {bounds.size} window"
        if name != "canvas":
            assert min(r.size) >= finger, f"{where}: {name} {r.size} is smaller than a fingertip ({finger} px)"
    rects = [(n, r) for n, r in targets.items() if n != "canvas"]
    for i, (a, ra) in enumerate(rects):
        for b, rb in rects[i + 1:]:
            assert not ra.colliderect(rb), f"{where}: {a} {ra} overlaps {b} {rb}"


def tour(d: Driver, size: tuple[int, int], lang: str, large: bool, out: Path) -> list[str]:
    tag = f"{size[0]}x{size[1]}-{lang}{'-large' if large else ''}"
    seen: list[str] = []

    def start() -> None:
        if lang != "en":
            d.tap(f"lang:{lang}")
        if large:
            d.tap("large")
            assert d.app.large_text and d.app.theme.large

    def shot(name: str) -> None:
        assert d.scene != "error", f"{tag} {name}: the error screen came up"
        check_screen(d, f"{tag} {name}")
        if d.scene == "consent":  # the words are read before a choice: no choice covers them
            for n, r in d.app.scene.targets().items():
                assert not (n.startswith("consent:") and r.colliderect(d.app.scene.text_area)), \
                    f"{tag} {name}: {n} {r} covers the words {d.app.scene.text_area}"
        if name == "welcome":
            d.wait(3.0)  # a new layout starts the replay again: let it draw
        d.screenshot(out / f"{tag}-{name}.png")
        seen.append(name)

    d.until(lambda: d.app.scene.replay is not None)
    d.wait(2.0)
    start()
    shot("welcome")
    d.tap("begin")
    shot("question")
    sizes = {b.data[2] for b in d.app.scene.buttons.items if b.name.startswith("prompt:")}
    assert len(sizes) == 1, f"{tag}: the question cards of a page have text sizes {sizes}"
    open_prompt(d, "relation")
    d.drag("canvas", [(0.1, 0.2), (0.4, 0.7), (0.8, 0.3)])
    shot("draw")
    done = d.target("done").center
    d.tap("done")
    shot("consent")
    under = [n for n, r in d.app.scene.targets().items() if n.startswith("consent:") and r.collidepoint(done)]
    assert not under, f"{tag}: {under} sits where Done was"
    d.tap("consent:print")
    d.step(frames=3)
    shot("thanks")
    d.tap_at((d.size[0] // 2, d.size[1] // 2))
    d.wait(40)  # whatever the thanks screen's timeout, the welcome screen is back
    assert d.scene == "welcome" and not d.app.large_text, "the next visitor starts with the usual text size"
    start()
    d.tap("begin")
    open_prompt(d, "act")
    d.tap("option:hacking")
    shot("choice")
    d.tap("back")
    if d.scene != "question":
        d.tap("leave")
    open_prompt(d, "your-question")
    d.text("Qui possède les câbles ? « Être » ou ne pas être : voilà")
    shot("text")
    d.tap("done")
    shot("consent-text")
    return seen


@pytest.mark.slow
@pytest.mark.parametrize("size", SIZES, ids=ids)
@pytest.mark.parametrize("lang,large", [("en", False), ("fr", False), ("fr", True)], ids=["en", "fr", "fr-large"])
def test_every_visitor_screen_fits(size: tuple[int, int], lang: str, large: bool, tmp_path: Path,
                                   demo_store_dir: Path) -> None:
    out = Path(os.environ.get("KIOSK_SCREENSHOTS") or tmp_path / "shots")
    out.mkdir(parents=True, exist_ok=True)
    data = tmp_path / "data"
    shutil.copytree(demo_store_dir, data)
    d = Driver(settings_for(data, thanks_timeout_s=30), school_prompts(), size)
    try:
        assert len(tour(d, size, lang, large, out)) == 8
    finally:
        d.close()


def _filled(text: str) -> str:
    """A catalogue text with sample values in its {placeholders} (long ones: the worst case)."""
    return re.sub(r"\{(\w+)\}", lambda m: {"n": "128", "total": "12"}.get(m.group(1), "Something long enough"),
                  text)


@pytest.mark.parametrize("size", SIZES, ids=ids)
def test_every_catalogue_string_fits_its_widget(size: tuple[int, int]) -> None:
    """Every app word in both languages, in the kind of widget that shows it at this size: a
    body-text line the width of a screen's column, a tool button, a keyboard key."""
    pygame.font.init()
    for large in (False, True):
        theme = Theme(size, large)
        theme.fits = []
        column = min(theme.width - 2 * theme.margin, theme.px(1300)) // (1 if theme.portrait else 2)
        for key, entry in WORDS.items():
            for lang in ("en", "fr"):
                text = _filled(i18n.t(key, lang)) if key in i18n.CATALOGUE else entry[lang]
                if key.startswith("key."):  # a special key: 2 key units wide
                    fit(theme, text, theme.px(150), theme.px(70), theme.sizes.small)
                elif key.startswith("tool.") and key not in ("tool.done", "tool.colour"):  # a square tool button
                    fit(theme, text, theme.target - theme.px(10), theme.target // 2, theme.sizes.label,
                        None, True, 1.0, 2)
                else:
                    fit(theme, text, column, theme.sizes.body * 6, theme.sizes.body)
        bad = [f for f in theme.fits if f.ellipsized or f.word_cut or f.size < legible(theme)]
        assert not bad, f"{size} large={large}: " + "; ".join(f"{f.text!r} at {f.size} px in {f.box}" for f in bad)


# --------------------------------------------------------------------------------- shapes


def _draw_screen(tmp_path: Path, size: tuple[int, int], **settings: object) -> Driver:
    d = Driver(settings_for(tmp_path / "data", **settings), school_prompts(), size)
    d.tap("begin")
    open_prompt(d, "relation")
    assert d.scene == "draw"
    return d


@pytest.mark.parametrize("size", SIZES, ids=ids)
def test_the_canvas_fills_the_room_it_has(size: tuple[int, int], tmp_path: Path) -> None:
    d = _draw_screen(tmp_path, size)
    try:
        t, panel = d.app.theme, d.app.scene.panel
        canvas, area = panel.canvas.canvas_rect, panel.area
        if t.portrait:  # the whole width, and the tools right under it down to the bottom
            assert canvas.width >= area.width - 2, (canvas, area)
            assert panel.toolbar.bottom >= area.bottom - t.gap * 2, (panel.toolbar, area)
            assert canvas.height > canvas.width, "a tall screen gets a tall canvas"
        else:  # the whole height beside the tools
            assert canvas.height >= area.height - 2, (canvas, area)
        check_screen(d, f"draw at {size}")
    finally:
        d.close()


def test_the_canvas_shape_comes_from_the_settings(tmp_path: Path) -> None:
    d = _draw_screen(tmp_path, (1080, 1920), canvas_aspect="4:3")
    try:
        drawing = d.app.visit.drawing
        assert (drawing.width, drawing.height) == (1200, 900)
        canvas = d.app.scene.panel.canvas.canvas_rect
        assert abs(canvas.width / canvas.height - 4 / 3) < 0.01
    finally:
        d.close()
    d = _draw_screen(tmp_path / "b", (1080, 1920), canvas_aspect="fixed", canvas_width=800, canvas_height=600)
    try:
        assert (d.app.visit.drawing.width, d.app.visit.drawing.height) == (800, 600)
    finally:
        d.close()
    d = _draw_screen(tmp_path / "c", (1080, 1920))
    try:
        drawing = d.app.visit.drawing
        assert drawing.height == 1200 and 600 <= drawing.width < 1200, "screen: tall on a portrait screen"
        d.drag("canvas", [(0.2, 0.2), (0.8, 0.8)])
        d.step([pygame.event.Event(pygame.VIDEORESIZE, w=1920, h=1080)])
        assert (drawing.width, drawing.height) != (1200, 900) and drawing.height == 1200, \
            "a drawing keeps the size it was begun at"
        size = (drawing.width, drawing.height)
        d.tap("done")
        d.tap("consent:print")
        d.flush()
        with Store(d.app.settings.data) as store:
            [resp] = store.responses(consent="print")
            assert (store.load_drawing(resp).width, store.load_drawing(resp).height) == size
            assert Image.open(store.response_dir(resp) / "drawing.png").size == size, "saved as drawn"
    finally:
        d.close()


@pytest.mark.parametrize("size", [(1920, 1080), (1080, 1920)], ids=["landscape", "portrait"])
def test_a_stroke_starting_in_the_margin_enters_the_canvas(size: tuple[int, int], tmp_path: Path) -> None:
    d = _draw_screen(tmp_path, size)
    try:
        canvas = d.app.scene.panel.canvas.canvas_rect
        start = (canvas.x - d.app.theme.gap // 2, canvas.centery)  # in the band left of the canvas
        d.settle()
        d.step([script.press("down", start, d.size, 1)])
        d.step([script.press("move", (canvas.x + 80, canvas.centery + 40), d.size, 1)])
        d.step([script.press("up", (canvas.x + 160, canvas.centery + 80), d.size, 1)])
        strokes = d.app.visit.drawing.strokes
        assert len(strokes) == 1 and strokes[0].points[0].x == 0.0, "the stroke starts on the canvas's edge"
        assert d.pixel((canvas.x + 2, canvas.centery)) != (255, 255, 255), "and its ink is on the screen"
    finally:
        d.close()


def test_the_portrait_keyboard_fills_the_width(tmp_path: Path) -> None:
    d = Driver(settings_for(tmp_path / "data"), school_prompts(), (1080, 1920))
    try:
        d.tap("begin")
        open_prompt(d, "your-question")
        d.tap("key:w")
        keys = {n: r for n, r in d.app.scene.targets().items() if n.startswith("key:")}
        assert min(keys["key:w"].width, keys["key:œ"].width) > 64
        bottom = max(r.bottom for r in keys.values())
        assert bottom >= 1920 - d.app.theme.margin - 4, "the keys sit at the bottom, no band under them"
        done = d.target("done")
        top = min(r.top for r in keys.values())
        assert top - done.bottom < 200, f"a {top - done.bottom} px gap above the keyboard"
        check_screen(d, "portrait keyboard")
    finally:
        d.close()


@pytest.mark.parametrize("size", [(800, 480), (1024, 600)], ids=["800x480", "1024x600"])
def test_the_smallest_windows_still_lay_out(size: tuple[int, int], tmp_path: Path) -> None:
    d = Driver(settings_for(tmp_path / "q"), school_prompts(), size)
    try:
        check_screen(d, f"welcome at {size}")
        d.tap("begin")
        check_screen(d, f"question at {size}")
    finally:
        d.close()
    d = _draw_screen(tmp_path, size)
    try:
        assert not d.app.theme.too_small
        bounds = d.app.screen.get_rect()
        assert all(bounds.contains(r) for r in d.app.scene.targets().values())
        d.drag("canvas", [(0.2, 0.2), (0.8, 0.8)])
        check_screen(d, f"draw at {size}")
        d.tap("done")
        assert d.scene == "consent"
        check_screen(d, f"consent at {size}")
    finally:
        d.close()


def test_below_the_minimum_the_window_says_so(tmp_path: Path) -> None:
    d = Driver(settings_for(tmp_path / "data"), school_prompts(), (1280, 400))
    try:
        assert d.app.theme.too_small
        d.tap_at((640, 200))
        assert d.scene == "welcome", "nothing behind the message reacts"
        ink = {d.pixel((x, 200)) for x in range(0, 1280, 4)}
        assert len(ink) > 2, "the message is drawn"
        d.step([pygame.event.Event(pygame.VIDEORESIZE, w=1280, h=800)])
    finally:
        d.close()
