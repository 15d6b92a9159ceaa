"""Which touches may act on the screen shown now.

A double tap on a button that changes the screen must not also press whatever the next screen
has under the finger (a consent choice, a question card). Two rules keep a touch on its screen:
each finger (and the mouse) acts only if it went down on this screen, and a press in the first
moments after a change is ignored whole, down to its release.
"""

from __future__ import annotations

from kiosk.app.ui import Pointer, PointerId

GUARD_S = 0.35  # longer than the gap of a quick double tap, shorter than a deliberate second touch


class InputGuard:
    def __init__(self, guard_s: float = GUARD_S) -> None:
        self.guard_s = guard_s
        self.since = float("-inf")  # when the screen (or a dialog) appeared, on the app's clock
        self._down: set[PointerId] = set()  # pointers that went down here, after the guard

    def new_screen(self, now: float) -> None:
        """A new screen: presses that began before it are forgotten, and new ones wait a moment."""
        self.since = now
        self._down.clear()

    def hold(self, now: float) -> None:
        """Something appeared over the same screen (a dialog): new presses wait a moment; presses
        already down (a finger drawing) go on."""
        self.since = now

    def settled(self, now: float) -> bool:
        return now - self.since >= self.guard_s

    def admit(self, p: Pointer, now: float) -> bool:
        """Whether this pointer action may reach the screen."""
        if p.kind == "down":
            if not self.settled(now):
                return False
            self._down.add(p.pid)
            return True
        if p.pid not in self._down:
            return False  # a move or a release of a press this screen never saw begin
        if p.kind == "up":
            self._down.discard(p.pid)
        return True
