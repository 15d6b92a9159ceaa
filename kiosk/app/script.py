"""Scripted input: real pygame events made from a short script, for journeys run in another
process (the crash test, the real-window test, screenshots of every screen).

`kiosk run` plays the JSON file named by KIOSK_EVENT_SCRIPT: a list of steps, one or more
frames each. Places are named touch targets of the current screen ("done", "consent:public",
"canvas", "key:é"; see each scene's targets()) or [x, y] fractions of the window.

    {"wait": 10}                          frames
    {"until": "draw", "timeout": 600}     wait for a screen (frames)
    {"tap": "begin"}                      press and release (mouse; add "finger": 3 for a finger)
    {"drag": "canvas", "points": [[0.1, 0.1], [0.5, 0.4]], "finger": 1, "steps": 12}
    {"text": "Bonjour"}                   typed on a physical keyboard (TEXTINPUT)
    {"key": "escape"}                     a key press
    {"screenshot": "welcome.png"}         the window as it is now
    {"flush": true}                       wait until the saver has written everything
    {"touch": "ready.txt"}                create a file (tell a test the app got here)
    {"quit": true}
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pygame

from kiosk.errors import KioskError

if TYPE_CHECKING:
    from kiosk.app.loop import App


def finger(kind: str, pos: tuple[float, float], size: tuple[int, int], finger_id: int = 1,
           touch_id: int = 1) -> pygame.event.Event:
    """A FINGERDOWN/MOTION/UP at window pixel `pos` (SDL gives fingers normalised to the window)."""
    t = {"down": pygame.FINGERDOWN, "move": pygame.FINGERMOTION, "up": pygame.FINGERUP}[kind]
    return pygame.event.Event(t, touch_id=touch_id, finger_id=finger_id, x=pos[0] / size[0], y=pos[1] / size[1],
                              dx=0.0, dy=0.0, pressure=1.0)


def mouse(kind: str, pos: tuple[float, float]) -> pygame.event.Event:
    p = (int(pos[0]), int(pos[1]))
    if kind == "down":
        return pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=p, button=1, touch=False)
    if kind == "up":
        return pygame.event.Event(pygame.MOUSEBUTTONUP, pos=p, button=1, touch=False)
    return pygame.event.Event(pygame.MOUSEMOTION, pos=p, rel=(0, 0), buttons=(1, 0, 0), touch=False)


def press(kind: str, pos: tuple[float, float], size: tuple[int, int], finger_id: int | None) -> pygame.event.Event:
    return mouse(kind, pos) if finger_id is None else finger(kind, pos, size, finger_id)


KEYS = {"escape": pygame.K_ESCAPE, "backspace": pygame.K_BACKSPACE, "return": pygame.K_RETURN, "f4": pygame.K_F4,
        "f": pygame.K_f, "z": pygame.K_z, "q": pygame.K_q, "w": pygame.K_w}
MODS = {"ctrl": pygame.KMOD_CTRL, "alt": pygame.KMOD_ALT, "shift": pygame.KMOD_SHIFT}


def key(name: str) -> list[pygame.event.Event]:
    """"escape", "alt+f4", "ctrl+alt+f": a key down and up, with modifiers."""
    *mods, k = name.lower().split("+")
    mod = 0
    for m in mods:
        mod |= MODS[m]
    code = KEYS[k]
    return [pygame.event.Event(pygame.KEYDOWN, key=code, mod=mod, unicode="", scancode=0),
            pygame.event.Event(pygame.KEYUP, key=code, mod=mod, unicode="", scancode=0)]


class Script:
    """Plays a list of steps, giving the loop the events of each frame."""

    def __init__(self, steps: list[dict[str, Any]]) -> None:
        self.steps = steps
        self._frames: Iterator[list[pygame.event.Event]] | None = None

    @classmethod
    def load(cls, path: Path | str) -> Script:
        try:
            steps = json.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise KioskError(f"Cannot read the event script {path}: {exc}",
                             "give KIOSK_EVENT_SCRIPT the path of a JSON list of steps") from exc
        if not isinstance(steps, list):
            raise KioskError(f"The event script {path} is not a JSON list of steps.", "see kiosk/app/script.py")
        return cls(steps)

    def __call__(self, app: App) -> list[pygame.event.Event]:
        if self._frames is None:
            self._frames = self._play(app)
        return next(self._frames, [])

    def _where(self, app: App, place: Any) -> pygame.Rect:
        size = app.theme.size
        if isinstance(place, str):
            rect = app.scene.targets().get(place)
            if rect is None:
                raise KioskError(f"The event script names {place!r}, which is not on the {app.scene.name} screen.",
                                 f"use one of: {', '.join(sorted(app.scene.targets()))}")
            return rect
        return pygame.Rect(int(place[0] * size[0]), int(place[1] * size[1]), 1, 1)

    @staticmethod
    def _settle(app: App) -> Iterator[list[pygame.event.Event]]:
        """Frames without events until a new touch reaches the screen (the guard after a change)."""
        for _ in range(120):
            if app.settled:
                return
            yield []

    def _play(self, app: App) -> Iterator[list[pygame.event.Event]]:
        for step in self.steps:
            size = app.theme.size
            fid = step.get("finger")
            if "wait" in step:
                for _ in range(int(step["wait"])):
                    yield []
            elif "until" in step:
                for _ in range(int(step.get("timeout", 600))):
                    if app.scene.name == step["until"]:
                        break
                    yield []
            elif "tap" in step:
                yield from self._settle(app)
                c = self._where(app, step["tap"]).center
                yield [press("down", c, size, fid)]
                yield [press("up", c, size, fid)]
            elif "drag" in step:
                yield from self._settle(app)
                r = self._where(app, step["drag"])
                pts = [(r.x + fx * r.width, r.y + fy * r.height) for fx, fy in step["points"]]
                n = int(step.get("steps", 8))
                yield [press("down", pts[0], size, fid)]
                for a, b in zip(pts, pts[1:]):
                    for i in range(1, n + 1):
                        p = (a[0] + (b[0] - a[0]) * i / n, a[1] + (b[1] - a[1]) * i / n)
                        yield [press("move", p, size, fid)]
                yield [press("up", pts[-1], size, fid)]
            elif "text" in step:
                yield [pygame.event.Event(pygame.TEXTINPUT, text=step["text"])]
            elif "key" in step:
                yield key(step["key"])
            elif "screenshot" in step:
                pygame.image.save(app.screen, str(step["screenshot"]))
                yield []
            elif "flush" in step:
                app.saver.flush()
                yield []
            elif "touch" in step:
                Path(step["touch"]).write_text("ok\n")
                yield []
            elif "quit" in step:
                app.quit()
                yield []
