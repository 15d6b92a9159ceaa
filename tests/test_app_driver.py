"""Drives the real kiosk app in this process with real pygame events (SDL's dummy video driver).

Shared by the tests/test_app*.py files (imported as `test_app_driver`); its own tests check the driver.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")

import pygame  # noqa: E402

from kiosk.app import script  # noqa: E402
from kiosk.app.loop import App, Options  # noqa: E402
from kiosk.config import Settings  # noqa: E402
from kiosk.pin import hash_pin  # noqa: E402
from kiosk.prompts import Option, Prompt, PromptSet, load_prompt_set  # noqa: E402
from kiosk.resources import PROMPTS  # noqa: E402

FRAME = 1 / 60


# Tests open the facilitator screen with 0000. As a PIN that was set (not the default, which asks
# for a new PIN first), hashed with few iterations to stay fast; pass pin_hash="" for the default.
TEST_PIN_HASH = hash_pin("0000", iterations=1000)


def settings_for(data: Path, **overrides: Any) -> Settings:
    """The built-in defaults (never a kiosk.yaml lying in the working folder), with overrides."""
    overrides.setdefault("pin_hash", TEST_PIN_HASH)
    return dataclasses.replace(Settings(), data=Path(data), **overrides)


def small_prompts() -> PromptSet:
    """One question of each kind (and a choice with a canvas), in English and French."""
    return PromptSet(
        title={"en": "School of algorithmic solidarity", "fr": "École de solidarité algorithmique"},
        languages=["en", "fr"],
        prompts=[
            Prompt("relation", "draw", {"en": "Please draw the relation between algorithms and solidarity.",
                                        "fr": "Dessinez la relation entre les algorithmes et la solidarité."},
                   canvas=True),
            Prompt("act", "choice", {"en": "If you are asked to act, what action you’ll choose?",
                                     "fr": "Si on vous demande d’agir, quelle action choisirez-vous ?"},
                   options=[Option("hacking", {"en": "Hacking", "fr": "Hacker"}),
                            Option("crossing", {"en": "Crossing", "fr": "Traverser"}),
                            Option("ignoring", {"en": "Ignoring", "fr": "Ignorer"})],
                   canvas=True, hint={"en": "Choose one, then draw your action",
                                      "fr": "Choisissez-en une, puis dessinez votre action"}),
            Prompt("tools", "choice", {"en": "Which tools do you use?", "fr": "Quels outils utilisez-vous ?"},
                   options=[Option("maps", {"en": "Maps", "fr": "Cartes"}),
                            Option("chat", {"en": "Chat", "fr": "Messagerie"}),
                            Option("feeds", {"en": "Feeds", "fr": "Fils d’actualité"})],
                   multiple=True),
            Prompt("your-question", "text", {"en": "Your question here", "fr": "Votre question ici"},
                   hint={"en": "Ask the School a question", "fr": "Posez une question à l’École"}, max_length=40),
        ],
        path=Path("small.yaml"),
    )


def school_prompts() -> PromptSet:
    return load_prompt_set(PROMPTS / "school.yaml")


class Driver:
    """An App and helpers to touch its screens by target name, as a visitor would."""

    def __init__(self, settings: Settings, prompts: PromptSet | None = None, size: tuple[int, int] = (1280, 800),
                 fullscreen: bool = False) -> None:
        self.app = App(settings, prompts or small_prompts(), Options(size=size, fullscreen=fullscreen, retry_s=0.2))
        self.size = self.app.theme.size
        self.step()

    # --- time and events -----------------------------------------------------------------

    def step(self, events: list[pygame.event.Event] | None = None, frames: int = 1, dt: float = FRAME) -> None:
        self.app.step(list(events or []), dt)
        for _ in range(frames - 1):
            self.app.step([], dt)

    def wait(self, seconds: float, dt: float = 0.1) -> None:
        for _ in range(max(1, round(seconds / dt))):
            self.app.step([], dt)

    def until(self, cond: Callable[[], bool], frames: int = 600, dt: float = FRAME) -> None:
        """Run frames until `cond` holds (the saver and the welcome screen's loader are threads)."""
        import time

        for _ in range(frames):
            if cond():
                return
            self.app.step([], dt)
            time.sleep(0.002)
        assert cond(), "the app never got there"

    @property
    def scene(self) -> str:
        return self.app.scene.name

    def target(self, name: str) -> pygame.Rect:
        targets = self.app.scene.targets()
        assert name in targets, f"{name!r} is not on the {self.scene} screen: {sorted(targets)}"
        return targets[name]

    def settle(self) -> None:
        """Wait, as a person does, until a new touch reaches the screen (the guard after a change)."""
        for _ in range(120):
            if self.app.settled:
                return
            self.app.step([], FRAME)

    def tap(self, name: str, finger: int | None = None, settle: bool = True) -> None:
        """Press and release the centre of a named target (mouse, or a finger)."""
        if settle:
            self.settle()
        c = self.target(name).center
        self.tap_at(c, finger, settle=False)

    def tap_at(self, pos: tuple[int, int], finger: int | None = None, settle: bool = True) -> None:
        if settle:
            self.settle()
        self.step([script.press("down", pos, self.size, finger)])
        self.step([script.press("up", pos, self.size, finger)])

    def double_tap(self, name: str, finger: int | None = None, gap_s: float = 0.15) -> tuple[int, int]:
        """Two quick taps on the same spot, as an impatient visitor does; returns the spot."""
        c = self.target(name).center
        self.tap_at(c, finger)
        self.wait(gap_s, dt=FRAME)
        self.tap_at(c, finger, settle=False)
        return c

    def burst(self, name: str, taps: int, gap_s: float, finger: int | None = 1) -> tuple[int, int]:
        """`taps` quick taps on the same spot, `gap_s` apart, as a visitor who thinks the first did
        nothing; returns the spot."""
        self.settle()
        c = self.target(name).center
        for i in range(taps):
            if i:
                self.wait(gap_s, dt=FRAME)
            self.tap_at(c, finger, settle=False)
        return c

    def drag(self, name: str, points: list[tuple[float, float]], finger: int | None = 1, steps: int = 6) -> None:
        """Draw through `points` (fractions of the target's rectangle), one event a frame."""
        self.settle()
        r = self.target(name)
        pts = [(r.x + fx * r.width, r.y + fy * r.height) for fx, fy in points]
        self.step([script.press("down", pts[0], self.size, finger)])
        for a, b in zip(pts, pts[1:]):
            for i in range(1, steps + 1):
                p = (a[0] + (b[0] - a[0]) * i / steps, a[1] + (b[1] - a[1]) * i / steps)
                self.step([script.press("move", p, self.size, finger)])
        self.step([script.press("up", pts[-1], self.size, finger)])

    def key(self, name: str) -> None:
        self.step(script.key(name))

    def text(self, text: str) -> None:
        self.step([pygame.event.Event(pygame.TEXTINPUT, text=text)])

    def pixel(self, pos: tuple[int, int]) -> tuple[int, int, int]:
        return tuple(self.app.screen.get_at(pos))[:3]

    def screenshot(self, path: Path) -> None:
        pygame.image.save(self.app.screen, str(path))

    def flush(self) -> None:
        assert self.app.saver.flush(30)

    def close(self) -> None:
        if self.app.running:
            self.app.quit()
        self.app.close()


def test_driver_opens_the_welcome_screen(tmp_path: Path) -> None:
    d = Driver(settings_for(tmp_path / "data"))
    try:
        assert d.scene == "welcome"
        assert d.size == (1280, 800)
        assert "begin" in d.app.scene.targets()
    finally:
        d.close()
