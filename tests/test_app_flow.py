"""The visitor's way through the kiosk, as an impatient or distracted visitor takes it: double taps
on every main button never act on the next screen, the facilitators' corner overlaps no control on
any screen, consent asks about what the visitor made with three equal choices, the thanks screen
stays long enough to scan its code, and the small things on the way (the page of questions, the
dialogs, the invitation to draw, the "welcome back" note). All through real pygame events.
"""

from __future__ import annotations

import dataclasses
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pygame
import pytest
from test_app_driver import Driver, school_prompts, settings_for

from kiosk import i18n
from kiosk.app import theme as th
from kiosk.app.script import finger
from kiosk.dates import MONTHS
from kiosk.store import Store

SIZES = [(1920, 1080), (1280, 800), (1080, 1920)]
ALL_SIZES = [*SIZES, (3840, 2160), (1024, 600)]
ids = [f"{w}x{h}" for w, h in SIZES]
all_ids = [f"{w}x{h}" for w, h in ALL_SIZES]


def saved(data: Path) -> list:
    if not (data / "sessions").exists():
        return []
    with Store(data) as store:
        return store.responses()


def draw_something(d: Driver) -> None:
    d.drag("canvas", [(0.2, 0.3), (0.5, 0.6), (0.8, 0.4)])


def to_answer(d: Driver, prompt: str) -> None:
    d.tap("begin")
    d.tap(f"prompt:{prompt}")
    assert d.scene in ("draw", "choice", "text")


def finish_answer(d: Driver, prompt: str) -> None:
    """Make each kind of answer complete, so Done is enabled."""
    if prompt == "relation":
        draw_something(d)
    elif prompt == "tools":
        d.tap("option:maps")
    elif prompt == "your-question":
        d.text("Who repairs the cables?")
    assert d.app.visit.is_complete()


# ------------------------------------------------------------------------------ double taps


@pytest.mark.parametrize("size", SIZES, ids=ids)
def test_a_double_tap_never_acts_on_the_next_screen(size: tuple[int, int], tmp_path: Path) -> None:
    data = tmp_path / "data"
    d = Driver(settings_for(data, archive_base_url="https://archive.example.org/kiosk"), size=size)
    try:
        # Welcome: "Touch to begin", twice: the question list, no question opened.
        d.double_tap("begin")
        assert d.scene == "question" and d.app.visit is None
        # A question card, twice: its answer screen, nothing drawn on it.
        d.double_tap("prompt:relation")
        assert d.scene == "draw" and d.app.visit.drawing.strokes == []
        # Done on each kind of answer, twice: the consent screen, no choice made for the visitor.
        # Then each consent choice, twice: thanks, not ended by the second tap; then Finish, twice:
        # the welcome screen, not the questions.
        kept = []
        for prompt, choice in (("relation", "discard"), ("tools", "print"), ("your-question", "public")):
            if d.scene != "draw":
                to_answer(d, prompt)
            finish_answer(d, prompt)
            spot = d.double_tap("done")
            assert d.scene == "consent", prompt
            assert d.app.visit is not None and len(saved(data)) == len(kept), prompt
            # ...and no choice even sits where Done was.
            for name, r in d.app.scene.targets().items():
                assert not (name.startswith("consent:") and r.collidepoint(spot)), f"{name} under Done ({prompt})"
            d.double_tap(f"consent:{choice}")
            assert d.scene == "thanks", choice
            if choice != "discard":
                kept.append(choice)
            d.flush()
            assert [r.consent for r in saved(data)] == kept
            d.double_tap("finish")
            assert d.scene == "welcome" and d.app.visit is None
    finally:
        d.close()


@pytest.mark.parametrize("size", SIZES, ids=ids)
@pytest.mark.parametrize("taps,gap_s", [(3, 0.2), (4, 0.12)], ids=["3-taps", "4-taps"])
def test_a_burst_of_taps_never_acts_on_the_next_screen(size: tuple[int, int], taps: int, gap_s: float,
                                                       tmp_path: Path) -> None:
    """Three or four quick taps go past the guard's first moments: they stay one burst, in large
    text too (where a consent choice can sit where Done was), and never draw a dot."""
    data = tmp_path / "data"
    d = Driver(settings_for(data), school_prompts(), size=size)
    try:
        d.tap("large")
        d.burst("begin", taps, gap_s)
        assert d.scene == "question" and d.app.visit is None
        d.burst("prompt:read-44gb", taps, gap_s)
        assert d.scene == "draw" and d.app.visit.drawing.strokes == []
        draw_something(d)
        d.tap("back")
        d.burst("stay", taps, gap_s)
        d.tap("clear")
        d.burst("keep", taps, gap_s)
        assert d.scene == "draw" and len(d.app.visit.drawing.strokes) == 1
        d.burst("done", taps, gap_s)
        assert d.scene == "consent" and d.app.visit is not None  # nothing chosen for the visitor
        d.wait(1.0)
        d.tap("consent:public")
        d.flush()
        with Store(data) as store:
            assert [len(store.load_drawing(r).strokes) for r in store.responses()] == [1]
    finally:
        d.close()


def test_a_touch_that_began_on_the_previous_screen_never_acts(tmp_path: Path) -> None:
    d = Driver(settings_for(tmp_path / "data"), size=(1920, 1080))
    try:
        d.settle()
        # A second finger rests on the screen while the first touches "begin".
        card = (d.size[0] // 2, d.size[1] // 2)
        d.step([finger("down", (d.size[0] - 40, d.size[1] // 2), d.size, 7)])
        d.tap("begin", finger=1)
        assert d.scene == "question"
        d.wait(1.0)
        targets = d.app.scene.targets()
        under = [n for n, r in targets.items() if r.collidepoint(card) and n.startswith("prompt:")]
        # It slides onto a card and lifts there, long after the guard: the card does not open.
        d.step([finger("move", card, d.size, 7)])
        d.step([finger("up", card, d.size, 7)])
        assert d.scene == "question" and d.app.visit is None, under
    finally:
        d.close()


# ------------------------------------------------------------------------ facilitators' corner


def every_screen(d: Driver, data: Path) -> Iterator[str]:
    """Walk through every visitor screen (and its dialogs), yielding each one's name."""
    yield "welcome"
    d.tap("begin")
    yield "question"
    if "next" in d.app.scene.targets():
        d.tap("next")
        yield "question-2"
        d.tap("previous")
    for prompt in ("relation", "act", "tools", "your-question"):
        for _ in range(3):
            if f"prompt:{prompt}" in d.app.scene.targets() or "next" not in d.app.scene.targets():
                break
            d.tap("next")
        d.tap(f"prompt:{prompt}")
        yield f"answer-{prompt}"
        if "canvas" in d.app.scene.targets():
            draw_something(d)
            d.tap("clear")
            yield f"clear-dialog-{prompt}"
            d.tap("keep")
        if prompt == "act":
            d.tap("option:hacking")
        if prompt == "tools":
            d.tap("option:maps")
        if prompt == "your-question":
            d.text("Who repairs the cables?")
        d.tap("back")
        yield f"leave-dialog-{prompt}"
        d.tap("stay")
        d.tap("done")
        yield f"consent-{prompt}"
        d.tap("consent:public")
        yield f"thanks-{prompt}"
        d.tap("finish")
        d.tap("begin")
    d.app.scene.update = lambda dt: 1 / 0
    d.step()
    yield "error"


@pytest.mark.parametrize("size", ALL_SIZES, ids=all_ids)
def test_the_facilitators_corner_overlaps_no_control(size: tuple[int, int], tmp_path: Path,
                                                      demo_store_dir: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(demo_store_dir, data)
    settings = settings_for(data, archive_base_url="https://archive.example.org/kiosk")
    from test_app_driver import small_prompts

    d = Driver(settings, small_prompts(), size=size)
    seen = []
    try:
        for screen in every_screen(d, data):
            corner = d.app.gesture_rect()
            assert min(corner.size) >= 1
            for name, r in d.app.scene.targets().items():
                assert not corner.colliderect(r), f"{screen} at {size}: {name} {r} overlaps the corner {corner}"
            seen.append(screen)
    finally:
        d.close()
    assert len(seen) >= 20, seen


def test_holding_a_back_button_never_opens_the_pin_pad(tmp_path: Path) -> None:
    d = Driver(settings_for(tmp_path / "data"), size=(1920, 1080))
    try:
        d.tap("begin")
        back = d.target("back")
        d.settle()
        d.step([finger("down", (back.x + 2, back.y + 2), d.size, 1)])
        d.wait(4.0)
        assert d.scene == "question"
        d.step([finger("up", (back.x + 2, back.y + 2), d.size, 1)])
        assert d.scene == "welcome"  # the back button did its own work, and only that
    finally:
        d.close()


# ------------------------------------------------------------------------------ consent


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_consent_asks_about_what_the_visitor_made_with_three_equal_choices(lang: str, tmp_path: Path) -> None:
    d = Driver(settings_for(tmp_path / "data"), size=(1280, 800))
    asked = {}
    try:
        for prompt in ("relation", "tools", "your-question"):
            if lang == "fr":
                d.tap("lang:fr")
            to_answer(d, prompt)
            finish_answer(d, prompt)
            d.tap("done")
            scene = d.app.scene
            asked[prompt] = scene.words("question")
            styles = {b.style for b in scene.buttons.items if b.name.startswith("consent:")}
            sizes = {b.rect.size for b in scene.buttons.items if b.name.startswith("consent:")}
            assert len(styles) == 1 and len(sizes) == 1, (styles, sizes)
            assert [n for n in scene.targets() if n.startswith("consent:")] == \
                ["consent:public", "consent:print", "consent:discard"]
            d.tap("consent:discard")
            d.tap("finish")
    finally:
        d.close()
    drawing = {"en": "drawing", "fr": "dessin"}[lang]
    assert drawing in asked["relation"]
    assert drawing not in asked["tools"] and drawing not in asked["your-question"]
    assert {"en": "wrote", "fr": "écrit"}[lang] in asked["your-question"]
    assert {"en": "choice", "fr": "choix"}[lang] in asked["tools"]
    assert len(set(asked.values())) == 3


def test_a_typed_answer_sits_in_the_middle_above_the_consent_question_in_portrait(tmp_path: Path) -> None:
    """No drawing to show: the visitor's words are not stuck under the header with an empty band
    below them; they sit halfway between the header and the question (looked at in screenshots)."""
    d = Driver(settings_for(tmp_path / "data"), size=(1080, 1920))
    try:
        to_answer(d, "your-question")
        d.text("Who repairs the cables?")
        d.tap("done")
        d.step(frames=2)
        scene = d.app.scene
        space = scene.preview_rect
        assert space.bottom >= scene.text_area.y - 2 * scene.theme.margin  # all the room above the question
        ink_rows = [y for y in range(space.y, space.bottom)
                    if any(sum(d.pixel((x, y))) < 200 for x in range(space.x, space.right, 3))]
        assert ink_rows, "the typed words are not shown"
        middle = (ink_rows[0] + ink_rows[-1]) / 2
        assert abs(middle - space.centery) < space.height * 0.1, (ink_rows[0], ink_rows[-1], space)
    finally:
        d.close()


# ------------------------------------------------------------------------------ thanks


@pytest.mark.parametrize("size", SIZES, ids=ids)
def test_the_qr_code_stays_25_seconds_whatever_is_touched(size: tuple[int, int], tmp_path: Path) -> None:
    data = tmp_path / "data"
    d = Driver(settings_for(data, archive_base_url="https://archive.example.org/kiosk"), size=size)
    try:
        to_answer(d, "relation")
        finish_answer(d, "relation")
        d.tap("done")
        consent = [r for n, r in d.app.scene.targets().items() if n.startswith("consent:")]
        d.tap("consent:public")
        assert d.scene == "thanks" and d.app.scene.url
        # Finish is nowhere a consent choice was.
        finish = d.target("finish")
        assert not any(finish.colliderect(r) for r in consent)
        # Touches anywhere else, a phone bumping the screen: the code stays.
        w, h = d.size
        for pos in ((w // 2, h // 2), d.app.scene.qr_rect.center, (w - 5, h - 5), (5, h // 2)):
            d.tap_at(pos)
            assert d.scene == "thanks"
        d.wait(24.0 - d.app.scene.elapsed)
        assert d.scene == "thanks"
        d.wait(1.5)
        assert d.scene == "welcome"
    finally:
        d.close()


def test_the_address_beside_the_code_is_never_cut_inside_the_id(tmp_path: Path) -> None:
    from kiosk.app.scenes.thanks import address_lines
    from kiosk.app.theme import Theme

    pygame.font.init()
    url = "https://archive.example-of-a-long-domain.org/exhibitions/2026/kiosk/r/k1-01JDZ8Q5N6W3X0V9T2B7M4C1AE/"
    for width in (160, 240, 400, 900):
        lines, font = address_lines(Theme((1920, 1080)), url, width, 34)
        assert "".join(lines) == url.split("://")[1]
        assert any("k1-01JDZ8Q5N6W3X0V9T2B7M4C1AE/" in line for line in lines)


# ------------------------------------------------------------------ on the way through


def test_back_from_an_answer_returns_to_the_page_the_visitor_came_from(tmp_path: Path) -> None:
    d = Driver(settings_for(tmp_path / "data"), school_prompts(), size=(1080, 1920))
    try:
        d.tap("begin")
        assert d.app.scene.pages > 1
        d.tap("next")
        page = d.app.scene.page
        card = next(n for n in d.app.scene.targets() if n.startswith("prompt:"))
        d.tap(card)
        d.tap("back")
        assert d.scene == "question" and d.app.scene.page == page == 1
        d.tap("back")  # the welcome screen: the next visitor starts on page 1
        d.tap("begin")
        assert d.app.scene.page == 0
    finally:
        d.close()


def test_every_dialog_fills_the_safe_choice(tmp_path: Path) -> None:
    d = Driver(settings_for(tmp_path / "data"))
    found = {}
    try:
        to_answer(d, "relation")
        draw_something(d)
        d.tap("clear")
        found["clear"] = {name: style for name, _, style in d.app.scene.dialog.choices}
        d.tap("keep")
        d.tap("back")
        found["leave"] = {name: style for name, _, style in d.app.scene.dialog.choices}
        d.tap("stay")
        assert len(d.app.visit.drawing.strokes) == 1
        d.app.scene.dialog = None
        d.app.go("facilitator")
        d.tap("quit")
        found["quit"] = {name: style for name, _, style in d.app.scene.dialog.choices}
    finally:
        d.close()
    assert found == {"clear": {"clear": "danger-soft", "keep": "primary"},
                     "leave": {"leave": "danger-soft", "stay": "primary"},
                     "quit": {"quit": "danger-soft", "stay": "primary"}}


def contrast(a: tuple[int, int, int], b: tuple[int, int, int]) -> float:
    la, lb = sorted((th.luminance(a), th.luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def test_disabled_buttons_keep_three_to_one_contrast() -> None:
    from kiosk.app.ui import STYLES

    # A disabled button: DISABLED words and border on PAPER (kiosk.app.ui.Button.draw).
    assert contrast(th.DISABLED, th.PAPER) >= 3.0
    assert contrast(th.DISABLED, th.CARD) >= 3.0
    for fill, text, _ in STYLES.values():
        assert contrast(fill, text) >= 4.5


def test_the_empty_canvas_invites_to_draw_until_the_first_stroke(tmp_path: Path) -> None:
    d = Driver(settings_for(tmp_path / "data"), size=(1920, 1080))
    try:
        to_answer(d, "relation")
        d.step()
        canvas = d.target("canvas")

        def muted_pixels() -> int:
            area = d.app.screen.subsurface(canvas)
            return int(pygame.transform.threshold(None, area, th.MUTED, (1, 1, 1), set_behavior=0))

        assert muted_pixels() > 100
        d.settle()
        c = canvas.center
        d.step([finger("down", (c[0], c[1] + canvas.height // 3), d.size, 1)])
        d.step([finger("move", (c[0] + 40, c[1] + canvas.height // 3), d.size, 1)])
        assert muted_pixels() == 0  # gone as soon as the finger draws
        d.step([finger("up", (c[0] + 40, c[1] + canvas.height // 3), d.size, 1)])
        d.step()
        assert muted_pixels() == 0
    finally:
        d.close()


@pytest.mark.parametrize("size", SIZES, ids=ids)
def test_welcome_back_covers_no_control_and_goes(size: tuple[int, int], tmp_path: Path) -> None:
    d = Driver(settings_for(tmp_path / "data"), size=size)
    try:
        for prompt in ("relation", "your-question"):
            to_answer(d, prompt)
            finish_answer(d, prompt)
            d.app.visit.restored = True  # as after a restart (tests/test_app_checkpoint.py does it for real)
            d.app.go(d.app.visit.answer_scene)
            d.step()
            toast = d.app.scene.toast_rect
            assert toast.width > 0
            for name, r in d.app.scene.targets().items():
                if name != "canvas":
                    assert not toast.colliderect(r), f"{prompt} at {size}: the note covers {name}"
            d.wait(6.5)
            assert d.app.scene.toast_rect.width == 0
            d.app.discard_visit()
            d.app.go("welcome")
    finally:
        d.close()


def test_the_question_set_keeps_numbers_with_their_units_and_shows_no_address() -> None:
    school = school_prompts()
    read = school.get("read-44gb")
    assert "44,71\u00a0Go\u00a0?" in read.text["fr"]
    for p in school.prompts:
        for texts in (p.text, p.hint):
            for words in texts.values():
                assert "..." not in words, words
                assert "http" not in words and ".org" not in words, words  # the kiosk is offline
    assert i18n.typeset("Pourquoi ? « Oui »") == "Pourquoi\u00a0? «\u00a0Oui\u00a0»"


# ------------------------------------------------------------------------------ print screen


@pytest.mark.slow
def test_the_print_screen_lists_zines_on_disk_and_says_no_printer_apart_from_a_failed_job(
        tmp_path: Path, demo_store_dir: Path, monkeypatch) -> None:
    from kiosk.zine.build import build_zine

    data = tmp_path / "data"
    shutil.copytree(demo_store_dir, data)
    settings = settings_for(data)
    with Store(data) as store:  # two zines made before this kiosk started (by `kiosk zine build`)
        slug = store.sessions()[0].slug
        store.set_hidden(store.responses(slug)[0].id, True)
        older = build_zine(store, settings, [slug], layout="booklet")
        newer = build_zine(store, settings, [slug], layout="minizine")
    os.utime(older.path, (1_000_000_000, 1_000_000_000))
    monkeypatch.setenv("CUPS_SERVER", str(tmp_path / "no-cups-here.sock"))  # no print service at all
    d = Driver(settings, school_prompts(), size=(1920, 1080))
    try:
        d.app.go("facilitator")  # past the PIN pad (tests/test_app_facilitator.py covers it)
        d.tap("print")
        printing = d.app.scene.printing
        d.until(lambda: printing.printers.finished and printing.zines.finished, frames=3000)
        d.step(frames=2)
        listed = [b.data.path for b in d.app.scene.buttons.items if b.name.startswith("zinefile:")]
        assert listed == [newer.path, older.path]  # newest first, both from the disk
        chosen = d.app.facilitation.zine
        assert chosen.path == newer.path and chosen.layout == "minizine" and chosen.pages == newer.pdf_pages
        d.tap("zinefile:1")
        assert d.app.facilitation.zine.layout == "booklet"
        # CUPS is not there: "no printer found", and nothing says printing failed (nothing was sent).
        assert printing.printers.error and printing.printers.error_code == "no_service"
        assert printing.sending is None and not d.app.scene.buttons.get("print:send").enabled
        for lang in ("en", "fr"):  # why, in the facilitators' language (the default one): not CUPS's English
            d.app.settings = dataclasses.replace(d.app.settings, default_language=lang)
            words = i18n.t("fac.print.no_printer", lang, reason=i18n.t("fac.print.why.no_service", lang))
            assert words in screen_lines(d)
            d.app.scene.layout()
            label = d.app.scene.buttons.get("zinefile:0").label  # when it was made, in the same language
            assert any(month in label for month in MONTHS[lang]), label
        assert "Aucune imprimante trouvée\u00a0: le service d’impression (CUPS) ne fonctionne pas." in words
        assert not any(line.startswith(("Printing failed", "L’impression a échoué")) for line in screen_lines(d))
    finally:
        d.close()


def screen_lines(d: Driver) -> list[str]:
    """The lines the print panel shows under its buttons (what _lines() is given)."""
    shown: list[str] = []
    from kiosk.app.scenes import tools

    original = tools._lines
    tools._lines = lambda scene, surface, rect, lines: shown.extend(text for text, _, _ in lines)
    try:
        d.app.scene.invalidate()
        d.step()
    finally:
        tools._lines = original
    return shown


# ------------------------------------------------------------------- one tap, one action (H8)


def test_a_tap_reported_as_a_finger_and_as_a_mouse_click_acts_once(tmp_path: Path) -> None:
    """Some touch screens give SDL both, without marking the click as made up from the touch."""
    d = Driver(settings_for(tmp_path / "data"), size=(1280, 800))
    try:
        to_answer(d, "tools")
        d.wait(1.0)
        spot = d.target("option:maps").center
        mouse_at = [pygame.event.Event(t, pos=spot, button=1, touch=False)
                    for t in (pygame.MOUSEBUTTONDOWN, pygame.MOUSEBUTTONUP)]
        d.step([finger("down", spot, d.size, 5), mouse_at[0]])
        d.step([finger("up", spot, d.size, 5), mouse_at[1]])
        assert d.app.visit.options == ["maps"]  # toggled once, not on and off again
        d.wait(1.0)
        d.step([mouse_at[0], finger("down", spot, d.size, 6)])  # the click first, then the finger
        d.step([mouse_at[1], finger("up", spot, d.size, 6)])
        assert d.app.visit.options == []
        d.key("ctrl+alt+f")
        d.settle()
        key = d.target("pin:1").center
        for _ in range(2):  # two quick taps on 1: each reported twice
            d.step([finger("down", key, d.size, 7), pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=key, button=1)])
            d.step([finger("up", key, d.size, 7), pygame.event.Event(pygame.MOUSEBUTTONUP, pos=key, button=1)])
            d.wait(0.15, dt=1 / 60)
        assert d.app.scene.digits == "11"
    finally:
        d.close()


def test_forty_fingers_on_the_consent_screen_make_one_choice(tmp_path: Path) -> None:
    data = tmp_path / "data"
    d = Driver(settings_for(data), size=(1920, 1080))
    try:
        to_answer(d, "relation")
        draw_something(d)
        d.tap("done")
        d.settle()
        targets = d.app.scene.targets()
        spots = [targets[name].center for name in sorted(targets) if name.startswith("consent:")]
        d.step([finger("down", spots[i % len(spots)], d.size, 100 + i) for i in range(40)])
        d.step([finger("up", spots[i % len(spots)], d.size, 100 + i) for i in range(40)])
        d.flush()
        d.step(frames=3)
        assert d.scene == "thanks" and len(saved(data)) <= 1  # one choice: saved once, or thrown away once
    finally:
        d.close()


def test_a_window_resized_in_the_middle_of_a_stroke(tmp_path: Path) -> None:
    d = Driver(settings_for(tmp_path / "data"), size=(1280, 800))
    try:
        to_answer(d, "relation")
        d.settle()
        r = d.target("canvas")
        d.step([finger("down", (r.x + r.w * 0.3, r.y + r.h * 0.3), d.size, 1)])
        d.step([finger("move", (r.x + r.w * 0.5, r.y + r.h * 0.5), d.size, 1)])
        for size in ((800, 1200), (200, 150), (1280, 800)):
            pygame.display.set_mode(size)
            d.step([pygame.event.Event(pygame.VIDEORESIZE, size=size, w=size[0], h=size[1])])
        d.size = d.app.theme.size
        d.step([finger("up", (d.size[0] // 2, d.size[1] // 2), d.size, 1)])
        assert d.scene == "draw" and len(d.app.visit.drawing.strokes) == 1  # the stroke is kept, nothing failed
    finally:
        d.close()
