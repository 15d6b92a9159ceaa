"""A scene is one screen: it handles events, moves with time, draws itself, and names the
next scene when it is done. The loop (kiosk.app.loop.App) owns the clock and the display.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pygame

from kiosk import i18n
from kiosk.app import theme as th
from kiosk.app.ui import Button, Buttons, Dialog, Pointer, pointer

if TYPE_CHECKING:
    from kiosk.app.loop import App
    from kiosk.app.visit import Visit
    from kiosk.strokes import Drawing


class Scene:
    name = ""
    idle = False  # the "Still there?" watch applies (screens holding an unfinished answer)

    def __init__(self, app: App) -> None:
        self.app = app
        self.theme = app.theme
        self.buttons = Buttons()
        self.dialog: Dialog | None = None
        self.dirty = True
        self._presses: set = set()  # pointers that went down on this screen (not on a button)

    @property
    def background(self) -> th.Colour:
        return self.theme.paper

    # --- words in the visitor's language ------------------------------------------------

    @property
    def lang(self) -> str:
        return self.app.language

    def t(self, key: str, **values: object) -> str:
        return i18n.t(key, self.lang, **values)

    def tn(self, key: str, n: int, **values: object) -> str:
        return i18n.tn(key, n, self.lang, **values)

    # --- the life of a scene --------------------------------------------------------------

    def enter(self) -> None:
        self.layout()

    def leave(self) -> None:
        pass

    def layout(self) -> None:
        """(Re)compute every rectangle from self.theme."""

    def resize(self) -> None:
        self.theme = self.app.theme
        self.layout()
        if self.dialog is not None:
            self.dialog.layout(self.theme)
        self.invalidate()

    def invalidate(self) -> None:
        """Everything must be drawn again (after an overlay, a resize)."""
        self.dirty = True

    def open_dialog(self, title: str, body: str, choices: list[tuple[str, str, str]]) -> None:
        self.dialog = Dialog(title, body, choices)
        self.dialog.layout(self.theme)
        self.app.guard.hold(self.app.now)  # the tap that opened it must not answer it
        self.invalidate()

    def close_dialog(self) -> None:
        self.dialog = None
        self.app.guard.hold(self.app.now)
        self.invalidate()

    # --- events ---------------------------------------------------------------------------

    def handle(self, event: pygame.event.Event) -> str | None:
        if self.dialog is not None:
            name = self.dialog.handle(event, self.theme.size)
            if self.dialog.buttons.changed:
                self.dirty = True
            return self.on_dialog(name) if name else None
        p = pointer(event, self.theme.size)
        b = self.buttons.handle(p)
        if self.buttons.changed:
            self.dirty = True
        if b is not None:
            return self.on_button(b)
        return self.on_event(event, p)

    def on_button(self, button: Button) -> str | None:
        return None

    def on_dialog(self, name: str) -> str | None:
        self.close_dialog()
        return None

    def on_event(self, event: pygame.event.Event, p: Pointer | None) -> str | None:
        return None

    def touched(self, p: Pointer | None) -> bool:
        """A touch anywhere, ended: True on the release of a press that began on this screen
        (so the touch that opened the screen, still down, does not also close it)."""
        if p is None:
            return False
        if p.kind == "down":
            self._presses.add(p.pid)
        elif p.kind == "up" and p.pid in self._presses:
            self._presses.discard(p.pid)
            return True
        return False

    def back_button(self, name: str, label: str, width: int) -> Button:
        """The quiet arrow button at the top left that goes back a screen."""
        t = self.theme
        return self.buttons.add(Button(name, pygame.Rect(t.margin, t.margin, width, t.target), label, "quiet",
                                       icon="back", size=t.sizes.body))

    def speak_button(self, rect: pygame.Rect) -> Button:
        """The read-aloud button (its words spoken by the app's speaker, see read_aloud())."""
        return self.buttons.add(Button("speak", rect, self.t("speak.read"), "quiet", icon="speaker",
                                       size=self.theme.sizes.small))

    def read_aloud(self, *texts: str) -> None:
        """Speak the texts in the visitor's language (a new tap starts again from the top)."""
        self.app.speaker.say("\n".join(t for t in texts if t), self.lang)

    def update(self, dt: float) -> str | None:
        return None

    # --- hooks the loop calls on every screen (most screens have nothing to say) -------------

    def busy(self) -> bool:
        """A finger is drawing: the visitor is there (the idle watch waits, checkpoints follow)."""
        return False

    def live_drawing(self) -> Drawing | None:
        """The drawing with the strokes still under a finger, for a checkpoint while drawing."""
        return None

    def cancel_active(self) -> None:
        """Drop strokes in progress (the facilitator screen is opening over them)."""

    # --- drawing --------------------------------------------------------------------------

    def draw(self, surface: pygame.Surface) -> list[pygame.Rect] | None:
        """Draw what changed: [] for nothing, a list of rectangles, or None for the whole screen."""
        if not self.dirty:
            return []
        surface.fill(self.background)
        self.paint(surface)
        self.buttons.draw(surface, self.theme)
        if self.dialog is not None:
            self.dialog.draw(surface, self.theme)
        self.dirty = False
        return None

    def paint(self, surface: pygame.Surface) -> None:
        """Draw everything but the buttons (drawn after) and the dialog (drawn last)."""

    def targets(self) -> dict[str, pygame.Rect]:
        """Named places to touch, for scripted journeys (tests, the crash test)."""
        if self.dialog is not None:
            return self.dialog.buttons.targets()
        return self.buttons.targets()


class VisitScene(Scene):
    """A screen about the visitor's answer in progress (answer, consent): it exists on these
    screens (kiosk.app.scenes.make_scene sends a stale name to the welcome screen instead)."""

    @property
    def visit(self) -> Visit:
        visit = self.app.visit
        assert visit is not None, f"the {self.name} screen needs a visitor's answer"
        return visit
