"""Which touches may act on the screen shown now.

A double tap on a button that changes the screen must not also press whatever the next screen
has under the finger (a consent choice, a question card). Two rules keep a touch on its screen:
each finger (and the mouse) acts only if it went down on this screen, and a press in the first
moments after a change is ignored whole, down to its release. An impatient visitor taps three or
four times: a press as quick after an ignored one, at the same spot, belongs to the same burst
and is ignored too, however long the burst goes on; a deliberate touch there, after a pause,
acts. And one tap is one press: some
touch screens report a tap both as a finger and as a mouse click that SDL does not mark as made
up from the touch; the press of the other kind that comes just after, at the same spot, is dropped.
"""

from __future__ import annotations

from kiosk.app.ui import Pointer, PointerId

GUARD_S = 0.35  # longer than the gap of a quick double tap, shorter than a deliberate second touch
BURST_S = 0.45  # a press this soon after the last of a burst and ...
BURST_PX = 64  # ... this close to it goes on the burst (a finger's width and a half)
TWIN_S = 0.25  # a mouse press this soon after a finger's (or the reverse) and ...
TWIN_PX = 24  # ... this close to it is the same tap reported twice


class InputGuard:
    def __init__(self, guard_s: float = GUARD_S) -> None:
        self.guard_s = guard_s
        self.since = float("-inf")  # when the screen (or a dialog) appeared, on the app's clock
        self._down: set[PointerId] = set()  # pointers that went down here, after the guard
        self._last: dict[str, tuple[float, tuple[int, int]]] = {}  # "finger" | "mouse" -> its last press
        self._burst: tuple[float, tuple[int, int]] | None = None  # the last press ignored

    def new_screen(self, now: float) -> None:
        """A new screen: presses that began before it are forgotten, and new ones wait a moment."""
        self.since = now
        self._down.clear()

    def hold(self, now: float) -> None:
        """Something appeared over the same screen (a dialog): new presses wait a moment; presses
        already down (a finger drawing) go on."""
        self.since = now

    def settled(self, now: float) -> bool:
        """Whether a press anywhere would act now."""
        return now - self.since >= self.guard_s and (self._burst is None or now - self._burst[0] >= BURST_S)

    def admit(self, p: Pointer, now: float) -> bool:
        """Whether this pointer action may reach the screen."""
        kind = p.pid[0]
        if p.kind == "down":
            if now - self.since < self.guard_s or self._in_burst(p.pos, now):
                self._burst = (now, p.pos)  # the next press here, as quick, is ignored too
                return False
            if self._twin(kind, p.pos, now):
                return False
            self._down.add(p.pid)
            self._last[kind] = (now, p.pos)
            return True
        if p.pid not in self._down:
            return False  # a move or a release of a press this screen never saw begin
        if p.kind == "up":
            self._down.discard(p.pid)
        return True

    def _in_burst(self, pos: tuple[int, int], now: float) -> bool:
        """Whether a press at `pos` goes on a burst of quick taps (one of them was ignored)."""
        if self._burst is None:
            return False
        when, (x, y) = self._burst
        return now - when < BURST_S and abs(pos[0] - x) <= BURST_PX and abs(pos[1] - y) <= BURST_PX

    def _twin(self, kind: str, pos: tuple[int, int], now: float) -> bool:
        """Whether a press of `kind` at `pos` is the twin of a press of the other kind (mouse/finger)."""
        other = self._last.get("mouse" if kind == "finger" else "finger")
        if other is None:
            return False
        when, (x, y) = other
        return now - when < TWIN_S and abs(pos[0] - x) <= TWIN_PX and abs(pos[1] - y) <= TWIN_PX
