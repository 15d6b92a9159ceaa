"""Whole visitor journeys through the real app loop, with real pygame events (dummy video driver)."""

from __future__ import annotations

import json
from pathlib import Path

import pygame
import pytest
from PIL import Image
from test_app_driver import Driver, settings_for

from kiosk import checkpoint
from kiosk.store import Store
from kiosk.strokes import from_json, render_svg


@pytest.fixture
def data(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def driver(data: Path):
    d = Driver(settings_for(data))
    yield d
    d.close()


def to_canvas(c: pygame.Rect, pos: tuple[float, float], size: tuple[int, int] = (1200, 900)) -> tuple[float, float]:
    """Window pixels on the canvas `c` -> canvas units (a drawing of `size`)."""
    w, h = size
    return (pos[0] - c.x) * w / c.width, (pos[1] - c.y) * h / c.height


def two_finger_strokes(d: Driver) -> tuple[list[tuple[float, float]], list[tuple[float, float]]]:
    """Two fingers drawing at once: one across the top, one down the left side, events interleaved."""
    c = d.target("canvas")
    a = [(c.x + c.width * (0.15 + 0.07 * i), c.y + c.height * 0.25) for i in range(10)]
    b = [(c.x + c.width * 0.2, c.y + c.height * (0.45 + 0.045 * i)) for i in range(10)]
    from kiosk.app.script import finger

    d.settle()
    d.step([finger("down", a[0], d.size, 1), finger("down", b[0], d.size, 2)])
    for pa, pb in zip(a[1:], b[1:]):
        d.step([finger("move", pa, d.size, 1), finger("move", pb, d.size, 2)])
    d.step([finger("up", a[-1], d.size, 1)])
    d.step([finger("up", b[-1], d.size, 2)])
    return a, b


def responses(data: Path) -> list:
    with Store(data) as store:
        return store.responses()


def test_draw_with_two_fingers_undo_done_public_thanks(driver: Driver, data: Path) -> None:
    d = driver
    assert d.scene == "welcome"
    d.tap("begin")
    assert d.scene == "question"
    d.tap("prompt:relation", finger=5)
    assert d.scene == "draw"
    assert not d.app.scene.panel.buttons.get("done").enabled  # nothing drawn yet
    top, left = two_finger_strokes(d)
    c = d.target("canvas")
    assert len(d.app.visit.drawing.strokes) == 2
    d.tap("undo")  # takes back the stroke that ended last: the one down the left side
    assert len(d.app.visit.drawing.strokes) == 1
    d.tap("done")
    assert d.scene == "consent"
    d.tap("consent:public")
    assert d.scene == "thanks"  # at once, while the saver works
    d.flush()
    d.step(frames=2)
    assert d.app.scene.number == 1

    [resp] = responses(data)
    assert (resp.kind, resp.consent, resp.language, resp.prompt_id) == ("draw", "public", "en", "relation")
    assert resp.consent_version == d.app.settings.consent["version"]
    assert resp.prompt_text["fr"].startswith("Dessinez la relation")
    with Store(data) as store:
        assert store.response_number(resp) == 1
        folder = store.response_dir(resp)
        drawing = store.load_drawing(resp)
    # The strokes JSON: the stroke along the top, in canvas coordinates.
    # Its size: the long side 1200 (canvas_width), the shape of the screen's room for it.
    assert drawing.width == 1200 and abs(drawing.width / drawing.height - c.width / c.height) < 0.01
    size = (drawing.width, drawing.height)
    [stroke] = drawing.strokes
    assert stroke.tool == "pen" and stroke.color == d.app.settings.palette[0]
    start, end = to_canvas(c, top[0], size), to_canvas(c, top[-1], size)
    assert abs(stroke.points[0].x - start[0]) < 3 and abs(stroke.points[0].y - start[1]) < 3
    assert abs(stroke.points[-1].x - end[0]) < 3 and abs(stroke.points[-1].y - end[1]) < 3
    assert from_json((folder / "strokes.json").read_bytes()).strokes[0].points == stroke.points
    # The PNG: ink where the top stroke went, paper where the undone one was.
    png = Image.open(folder / "drawing.png").convert("RGB")
    assert png.size == size
    mid = to_canvas(c, top[5], size)
    assert max(png.getpixel((int(mid[0]), int(mid[1])))) < 80
    gone = to_canvas(c, left[6], size)
    assert png.getpixel((int(gone[0]), int(gone[1]))) == (255, 255, 255)
    # The SVG, rendered by the saver with the PNG: one path, the kept stroke.
    svg = (folder / "drawing.svg").read_text()
    assert svg == render_svg(drawing) and svg.count("<path ") == 1
    # Nothing unfinished is left behind, and the thanks screen goes back to the welcome by itself.
    assert not list(checkpoint.folder(data).glob("*.json"))
    d.wait(d.app.settings.thanks_timeout_s + 0.5)
    assert d.scene == "welcome"


def test_a_choice_with_a_canvas_keeps_the_option_and_the_drawing(driver: Driver, data: Path) -> None:
    d = driver
    d.tap("begin")
    d.tap("prompt:act")
    d.drag("canvas", [(0.2, 0.2), (0.7, 0.6)])
    assert not d.app.scene.panel.buttons.get("done").enabled  # no action chosen yet
    d.tap("option:crossing")
    d.tap("option:hacking")  # one only: the second replaces the first
    assert d.app.visit.options == ["hacking"]
    d.tap("done")
    d.tap("consent:print")
    d.flush()
    [resp] = responses(data)
    assert (resp.kind, resp.options, resp.consent) == ("choice", ["hacking"], "print")
    assert resp.option_text == {"en": ["Hacking"], "fr": ["Hacker"]}
    assert resp.has_drawing and "drawing.png" in resp.files


def test_a_choice_of_several_without_a_canvas(driver: Driver, data: Path) -> None:
    d = driver
    d.tap("lang:fr")
    d.tap("begin")
    d.tap("prompt:tools")
    assert "canvas" not in d.app.scene.targets()
    d.tap("option:maps")
    d.tap("option:feeds")
    d.tap("option:chat")
    d.tap("option:chat")  # and back
    d.tap("done")
    d.tap("consent:public")
    d.flush()
    [resp] = responses(data)
    assert resp.options == ["maps", "feeds"] and resp.language == "fr"
    assert resp.option_text["fr"] == ["Cartes", "Fils d’actualité"]
    assert not resp.has_drawing and resp.files == {}


def test_text_with_the_on_screen_keyboard_accents_and_a_physical_keyboard(driver: Driver, data: Path) -> None:
    d = driver
    d.tap("lang:fr")
    d.tap("begin")
    d.tap("prompt:your-question")
    kb = d.app.scene.keyboard
    assert kb.layout == "azerty" and "key:z" in d.app.scene.targets()
    d.tap("key:é")  # the text starts with a capital
    for k in ("key:t", "key:é", "key:space", "key:«", "key:space", "key:ç", "key:a", "key:space", "key:»"):
        d.tap(k)
    assert d.app.visit.text == "Été « ça »"
    for k in ("key:space", "key:è", "key:ê", "key:à", "key:ù", "key:ô", "key:î", "key:ï", "key:ë", "key:œ",
              "key:’"):
        d.tap(k)
    assert d.app.visit.text == "Été « ça » èêàùôîïëœ’"
    d.key("backspace")
    d.tap("key:backspace")
    d.text(" Où ?")  # a physical keyboard (TEXTINPUT events)
    assert d.app.visit.text == "Été « ça » èêàùôîïë Où ?"
    d.tap("key:layout")
    assert kb.layout == "qwerty"
    d.tap("key:layer")
    d.tap("key:4")
    d.tap("key:2")
    # The limit (40 characters for this question): what goes past it is not taken.
    d.text(" et encore des mots, beaucoup trop de mots")
    assert len(d.app.visit.text) == 40
    d.tap("done")
    d.tap("consent:public")
    d.flush()
    [resp] = responses(data)
    assert resp.kind == "text" and resp.text == d_text_expected()


def d_text_expected() -> str:
    return ("Été « ça » èêàùôîïë Où ?42 et encore des mots, beaucoup trop de mots")[:40]


def test_text_in_english_gets_qwerty_and_capitals_after_a_full_stop(driver: Driver) -> None:
    d = driver
    d.tap("begin")
    d.tap("prompt:your-question")
    assert d.app.scene.keyboard.layout == "qwerty" and "key:w" in d.app.scene.targets()
    for k in ("key:h", "key:i", "key:.", "key:space", "key:o", "key:k"):
        d.tap(k)
    assert d.app.visit.text == "Hi. Ok"


def test_dont_keep_it_leaves_nothing_on_disk(driver: Driver, data: Path) -> None:
    d = driver
    d.tap("begin")
    d.tap("prompt:relation")
    d.drag("canvas", [(0.2, 0.2), (0.8, 0.8)])
    d.flush()
    assert list(checkpoint.folder(data).glob("*.json")), "the stroke was checkpointed"
    d.tap("done")
    d.tap("consent:discard")
    assert d.scene == "thanks"
    d.flush()
    assert responses(data) == []
    left = [p for p in data.rglob("*") if p.is_file() and p.suffix in (".json", ".png")]
    assert [p.name for p in left] in ([], ["kiosk.json"])  # the kiosk's own id, nothing of the visitor
    assert not list(checkpoint.folder(data).glob("*"))


def test_idle_asks_then_discards_the_unfinished_answer(data: Path) -> None:
    d = Driver(settings_for(data, idle_timeout_s=20, idle_countdown_s=10))
    try:
        d.tap("begin")
        d.tap("prompt:relation")
        d.drag("canvas", [(0.2, 0.2), (0.8, 0.8)])
        d.wait(21)
        assert d.app.overlay is not None
        d.tap_at((5, d.size[1] - 5))  # any touch keeps going
        assert d.app.overlay is None and d.scene == "draw" and len(d.app.visit.drawing.strokes) == 1
        d.wait(21)
        assert d.app.overlay is not None
        d.wait(11)
        assert d.scene == "welcome" and d.app.visit is None
        d.flush()
        assert not list(checkpoint.folder(data).glob("*.json"))
        assert responses(data) == []
        # The next visitor starts afresh.
        d.tap("begin")
        d.tap("prompt:relation")
        assert d.app.visit.drawing.strokes == []
    finally:
        d.close()


def test_quit_keys_and_window_close_are_ignored_in_fullscreen(data: Path) -> None:
    d = Driver(settings_for(data), fullscreen=True)
    try:
        assert not pygame.mouse.get_visible()
        for k in ("escape", "alt+f4", "ctrl+q", "ctrl+w"):
            d.key(k)
        d.step([pygame.event.Event(pygame.QUIT)])
        d.step([pygame.event.Event(pygame.WINDOWCLOSE)])
        assert d.app.running and d.scene == "welcome"
    finally:
        d.close()


def test_escape_and_closing_the_window_quit_in_a_window(data: Path) -> None:
    for event in (["escape"], None):
        d = Driver(settings_for(data))
        try:
            if event:
                d.key(event[0])
            else:
                d.step([pygame.event.Event(pygame.QUIT)])
            assert not d.app.running and d.app.exit_code == 0
        finally:
            d.close()


def test_the_error_screen_keeps_the_kiosk_going_and_logs(driver: Driver, data: Path) -> None:
    d = driver
    d.tap("begin")
    d.tap("prompt:relation")
    d.drag("canvas", [(0.2, 0.2), (0.8, 0.8)])

    def broken(dt):
        raise RuntimeError("a bug in a screen")

    d.app.scene.update = broken
    d.step()
    assert d.scene == "error" and d.app.running
    log = (data / "logs" / "kiosk.log").read_text()
    assert "RuntimeError: a bug in a screen" in log and "Traceback" in log
    d.tap_at((d.size[0] // 2, d.size[1] // 2))
    assert d.scene == "draw" and len(d.app.visit.drawing.strokes) == 1  # the drawing survived
    assert d.app.scene.toast_until > d.app.now
    d.app.scene.update = broken  # a second error in the same answer: start afresh
    d.step()
    d.tap_at((d.size[0] // 2, d.size[1] // 2))
    assert d.scene == "welcome" and d.app.visit is None


def test_an_error_while_drawing_the_screen_is_caught_too(driver: Driver) -> None:
    d = driver

    def broken(surface):
        raise ValueError("cannot draw")

    d.app.scene.draw = broken
    d.step()
    assert d.scene == "error"
    d.step(frames=3)
    assert d.scene == "error"
    d.tap_at((10, 10))
    assert d.scene == "welcome"


def test_question_flow_in_order_skips_the_list(data: Path) -> None:
    d = Driver(settings_for(data, question_flow="order"))
    try:
        seen = []
        for _ in range(3):
            d.tap("begin")
            assert "back" not in d.app.scene.targets()  # the kiosk chose: no list to go back to
            seen.append(d.app.visit.prompt.id)
            d.app.discard_visit()
            d.app.go("welcome")
        assert seen == ["relation", "act", "tools"]
    finally:
        d.close()


def test_the_language_follows_the_visitor_and_resets_for_the_next(driver: Driver) -> None:
    d = driver
    d.tap("lang:fr")
    d.tap("begin")
    d.tap("prompt:relation")
    assert d.app.language == "fr" and d.app.visit.language == "fr"
    d.drag("canvas", [(0.2, 0.2), (0.8, 0.8)])
    d.tap("done")
    assert d.app.scene.words("public").startswith("Oui, partager")
    d.tap("consent:print")
    d.tap("finish")
    assert d.scene == "welcome" and d.app.language == "en"


def test_leaving_an_answer_asks_first(driver: Driver, data: Path) -> None:
    d = driver
    d.tap("begin")
    d.tap("prompt:relation")
    d.drag("canvas", [(0.2, 0.2), (0.8, 0.8)])
    d.tap("back")
    assert d.app.scene.dialog is not None
    d.tap("stay")
    assert d.scene == "draw" and d.app.visit.has_ink()
    d.tap("clear")
    d.tap("keep")
    assert d.app.visit.has_ink()
    d.tap("clear")
    d.tap("clear")
    assert not d.app.visit.has_ink()
    d.drag("canvas", [(0.3, 0.3), (0.5, 0.5)])
    d.tap("back")
    d.tap("leave")
    assert d.scene == "question" and d.app.visit is None
    d.flush()
    assert not list(checkpoint.folder(data).glob("*.json"))


@pytest.mark.slow
def test_the_welcome_screen_replays_only_public_shown_drawings(demo_store_dir: Path) -> None:
    from kiosk.app.scenes.welcome import recent_public_drawings

    with Store(demo_store_dir, sync=False) as store:
        shown = recent_public_drawings(store, limit=100)
        public = {json.dumps(store.load_drawing(r).strokes[0].points[0])
                  for r in store.responses(consent="public", include_hidden=False) if r.has_drawing}
        others = [r for r in store.responses() if r.has_drawing and (r.hidden or r.consent != "public")]
        assert others, "the demo data has hidden and print-only drawings"
    assert shown
    for drawing, _ in shown:
        assert json.dumps(drawing.strokes[0].points[0]) in public


def qr_codes_on_thanks(data: Path, consent: str) -> tuple[list, list]:
    """Draw, choose `consent`, and read the QR codes on the thanks screen."""
    import zxingcpp

    d = Driver(settings_for(data, archive_base_url="https://archive.example.org/kiosk"), size=(1280, 800))
    try:
        d.tap("begin")
        d.tap("prompt:relation")
        d.drag("canvas", [(0.2, 0.2), (0.8, 0.8)])
        d.tap("done")
        d.tap(f"consent:{consent}")
        d.flush()
        d.step(frames=2)
        shot = d.app.screen
        img = Image.frombytes("RGB", shot.get_size(), pygame.image.tobytes(shot, "RGB"))
        return zxingcpp.read_barcodes(img), responses(data)
    finally:
        d.close()


def test_the_thanks_screen_shows_the_archive_qr_code(data: Path) -> None:
    [code], [resp] = qr_codes_on_thanks(data, "public")
    assert code.text == f"https://archive.example.org/kiosk/r/{resp.id}/"


def test_no_qr_code_for_a_print_only_answer(data: Path) -> None:
    codes, [resp] = qr_codes_on_thanks(data, "print")
    assert codes == [] and resp.consent == "print"


def test_events_from_the_real_queue_and_touch_echoes(driver: Driver) -> None:
    """Events posted to SDL's queue are drained by step(); the mouse events SDL makes up from a
    touch (touch=True) never press anything a second time."""
    d = driver
    begin = d.target("begin").center
    echo = {"pos": begin, "button": 1, "touch": True}
    d.settle()
    pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONDOWN, **echo))
    pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONUP, **echo))
    d.app.step(None, 1 / 60)
    assert d.scene == "welcome"
    from kiosk.app.script import finger

    pygame.event.post(finger("down", begin, d.size, 3))
    pygame.event.post(finger("up", begin, d.size, 3))
    d.app.step(None, 1 / 60)
    assert d.scene == "question"
