"""Every screen at 1920x1080, 1280x800 and portrait 1080x1920: it draws without an error, every
touch target is on the screen, at least ~12 mm (48 px) and apart from the others.

KIOSK_SCREENSHOTS=DIR keeps the screenshots there (to look at them); otherwise they go to tmp_path.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from test_app_driver import Driver, school_prompts, settings_for, small_prompts

SIZES = [(1920, 1080), (1280, 800), (1080, 1920)]
MIN_TARGET = 48


def check_targets(d: Driver, screen: str) -> None:
    bounds = d.app.screen.get_rect()
    targets = d.app.scene.targets()
    for name, r in targets.items():
        if name == "canvas":
            continue
        assert bounds.contains(r), f"{screen}: {name} {r} is off the {bounds.size} screen"
        assert min(r.width, r.height) >= MIN_TARGET, f"{screen}: {name} {r.size} is smaller than a fingertip"
    rects = [(n, r) for n, r in targets.items() if n != "canvas"]
    for i, (a, ra) in enumerate(rects):
        for b, rb in rects[i + 1:]:
            assert not ra.colliderect(rb), f"{screen}: {a} {ra} overlaps {b} {rb}"


def open_prompt(d: Driver, prompt_id: str) -> None:
    """On the question list: turn pages until the card is there, and touch it."""
    for _ in range(3):
        if f"prompt:{prompt_id}" in d.app.scene.targets():
            break
        d.tap("next")
    d.tap(f"prompt:{prompt_id}")


class Tour:
    def __init__(self, d: Driver, out: Path, size: tuple[int, int]) -> None:
        self.d, self.out, self.tag = d, out, f"{size[0]}x{size[1]}"
        self.shots: list[Path] = []

    def shot(self, name: str) -> None:
        assert self.d.scene != "error" or name == "error", f"{name}: the error screen came up"
        check_targets(self.d, f"{name} at {self.tag}")
        path = self.out / f"{self.tag}-{name}.png"
        self.d.screenshot(path)
        self.shots.append(path)


@pytest.mark.slow
@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_every_screen_lays_out(size: tuple[int, int], tmp_path: Path, demo_store_dir: Path) -> None:
    out = Path(os.environ.get("KIOSK_SCREENSHOTS") or tmp_path / "shots")
    out.mkdir(parents=True, exist_ok=True)
    data = tmp_path / "data"
    shutil.copytree(demo_store_dir, data)
    settings = settings_for(data, archive_base_url="https://archive.example.org/kiosk", idle_timeout_s=30,
                            idle_countdown_s=15)
    d = Driver(settings, school_prompts(), size)
    tour = Tour(d, out, size)
    try:
        d.until(lambda: d.app.scene.replay is not None)
        d.wait(3.0)
        tour.shot("welcome")
        d.tap("lang:fr")
        d.wait(2.0)
        tour.shot("welcome-fr")
        d.tap("lang:en")
        d.tap("begin")
        tour.shot("question")
        d.tap("next")
        tour.shot("question-2")
        d.tap("prompt:network" if "prompt:network" in d.app.scene.targets() else "previous")
        if d.scene == "question":
            d.tap("prompt:relation")
        assert d.scene == "draw"
        d.drag("canvas", [(0.1, 0.2), (0.4, 0.7), (0.8, 0.3)])
        d.tap("colour:1")
        d.tap("width:thick")
        d.drag("canvas", [(0.2, 0.8), (0.6, 0.5)], finger=2)
        tour.shot("draw")
        d.tap("clear")
        tour.shot("draw-clear-dialog")
        d.tap("keep")
        d.wait(31)
        tour.shot("idle")
        d.tap_at((d.size[0] // 2, d.size[1] // 2))
        d.tap("back")
        tour.shot("draw-leave-dialog")
        d.tap("stay")
        d.tap("done")
        tour.shot("consent")
        d.tap("consent:public")
        d.until(lambda: d.app.scene.number is not None)
        d.step(frames=2)
        tour.shot("thanks-qr")
        d.tap("finish")
        # The choice with a canvas, in French.
        d.tap("lang:fr")
        d.tap("begin")
        open_prompt(d, "act")
        d.tap("option:hacking")
        d.drag("canvas", [(0.3, 0.3), (0.6, 0.6)])
        tour.shot("choice-canvas-fr")
        d.tap("back")
        d.tap("leave")
        open_prompt(d, "your-question")
        for key in ("key:o", "key:ù", "key:space", "key:s", "key:o", "key:n", "key:t"):
            d.tap(key)
        d.text(" les câbles, et qui les répare ? « Être » ou ne pas être")
        tour.shot("text-fr-azerty")
        d.tap("key:layout")
        tour.shot("text-fr-qwerty")
        d.tap("key:layer")
        tour.shot("text-symbols")
        d.tap("done")
        tour.shot("consent-text-fr")
        d.tap("consent:print")
        tour.shot("thanks-print-fr")
        d.tap("finish")
        d.tap("begin")
        open_prompt(d, "your-question")
        d.text("Who owns the servers that hold our memories?")
        tour.shot("text-en-qwerty")
        # The error screen, the PIN pad, the facilitator screen.
        d.app.scene.update = lambda dt: 1 / 0
        d.step()
        tour.shot("error")
        d.tap_at((d.size[0] // 2, d.size[1] // 2))
        d.key("ctrl+alt+f")
        for k in ("pin:1", "pin:2"):
            d.tap(k)
        tour.shot("pin")
        d.tap("pin:backspace")
        d.tap("pin:backspace")
        for k in ("pin:0", "pin:0", "pin:0", "pin:0", "pin:ok"):
            d.tap(k)
        d.until(lambda: d.scene == "facilitator" and d.app.scene.summary is not None)
        d.step()
        tour.shot("facilitator")
        d.app.saver.problem = f"Cannot write to {data}/sessions: the disk is full."
        d.step(frames=2)
        tour.shot("facilitator-warning")
        d.app.saver.problem = None
        d.tap("new_session")
        tour.shot("facilitator-new-session")
        d.tap("session:cancel")
        d.tap("zine")
        tour.shot("facilitator-zine")
        d.tap("zine:make")
        d.until(lambda: d.app.scene.zine.task.finished, frames=3000)
        d.step(frames=2)
        tour.shot("facilitator-zine-done")
        d.tap("back")
        d.tap("print")
        d.until(lambda: d.app.scene.printing.printers.finished, frames=3000)
        d.step(frames=2)
        tour.shot("facilitator-print")
    finally:
        d.close()
    assert len(tour.shots) >= 25


def test_a_choice_without_canvas_lays_out(tmp_path: Path) -> None:
    out = Path(os.environ.get("KIOSK_SCREENSHOTS") or tmp_path)
    for size in SIZES:
        d = Driver(settings_for(tmp_path / f"data{size[0]}"), small_prompts(), size)
        try:
            d.tap("begin")
            d.tap("prompt:tools")
            d.tap("option:maps")
            d.tap("option:feeds")
            check_targets(d, f"choice at {size}")
            d.screenshot(out / f"{size[0]}x{size[1]}-choice.png")
            assert d.app.visit.options == ["maps", "feeds"]
        finally:
            d.close()
