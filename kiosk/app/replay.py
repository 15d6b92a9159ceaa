"""A stored drawing drawing itself again, stroke by stroke, at the pace it was drawn.

Used by the welcome screen. Long pauses between strokes (the visitor thinking) are
shortened so the screen stays alive; within a stroke, time runs as it did. A drawing
without timings is paced at one point per frame.
"""

from __future__ import annotations

import pygame

from kiosk.app.theme import hex_colour
from kiosk.strokes import Drawing, stroke_colour

MAX_PAUSE_MS = 700
LEAD_IN_MS = 500
MAX_LENGTH_MS = 60_000  # after a minute, the rest appears at once
UNTIMED_STEP_MS = 16


def _timeline(drawing: Drawing) -> list[list[int]]:
    """For each stroke, the replay time (ms) of each of its points, pauses shortened."""
    strokes = drawing.strokes
    raw = [[p.t for p in s.points] for s in strokes]
    if not any(t for times in raw for t in times):  # no timings: one point per frame, one stroke after another
        out, clock = [], LEAD_IN_MS
        for times in raw:
            out.append([clock + i * UNTIMED_STEP_MS for i in range(len(times))])
            clock = out[-1][-1] + 150 if times else clock
        return out
    spans = sorted((min(times), max(times)) for times in raw if times)
    cuts: list[tuple[int, int]] = []  # (from time, ms removed before it)
    removed, end = 0, None
    for start, stop in spans:
        if end is not None and start - end > MAX_PAUSE_MS:
            removed += start - end - MAX_PAUSE_MS
            cuts.append((start, removed))
        end = stop if end is None else max(end, stop)
    first = spans[0][0] if spans else 0

    def shift(t: int) -> int:
        r = 0
        for at, total in cuts:
            if t >= at:
                r = total
            else:
                break
        return t - first - r + LEAD_IN_MS

    return [[shift(t) for t in times] for times in raw]


class Replay:
    def __init__(self, drawing: Drawing, size: tuple[int, int]) -> None:
        self.drawing = drawing
        self.surface = pygame.Surface(size)
        self.background = hex_colour(drawing.background)
        self.surface.fill(self.background)
        self.scale = min(size[0] / drawing.width, size[1] / drawing.height)
        self.offset = ((size[0] - drawing.width * self.scale) / 2, (size[1] - drawing.height * self.scale) / 2)
        self.times = _timeline(drawing)
        self.cursor = [0] * len(drawing.strokes)
        self.clock = 0.0
        self.length = max((ts[-1] for ts in self.times if ts), default=0)

    @property
    def finished(self) -> bool:
        return all(c >= len(ts) for c, ts in zip(self.cursor, self.times))

    def _xy(self, x: float, y: float) -> tuple[float, float]:
        return (self.offset[0] + x * self.scale, self.offset[1] + y * self.scale)

    def advance(self, dt_ms: float) -> list[pygame.Rect]:
        """Draw what happened in the next `dt_ms`; returns the changed parts of `surface`."""
        self.clock += dt_ms
        until = self.clock if self.clock < MAX_LENGTH_MS else float("inf")
        dirty: list[pygame.Rect] = []
        for i, stroke in enumerate(self.drawing.strokes):
            times, c = self.times[i], self.cursor[i]
            if c >= len(times) or times[c] > until:
                continue
            colour = hex_colour(stroke_colour(stroke, self.drawing))
            width = max(1, round(stroke.width * self.scale))
            end = c
            while end < len(times) and times[end] <= until:
                end += 1
            pts = [self._xy(p.x, p.y) for p in stroke.points[max(0, c - 1):end]]
            dirty.append(self._paint(pts, colour, width))
            self.cursor[i] = end
        return dirty

    def _paint(self, pts: list[tuple[float, float]], colour: tuple[int, int, int], width: int) -> pygame.Rect:
        s = self.surface
        r = width / 2
        if len(pts) > 1:
            pygame.draw.lines(s, colour, False, pts, width)
        if width >= 3:  # round caps and joins
            for x, y in pts:
                pygame.draw.circle(s, colour, (x, y), r)
        elif len(pts) == 1:
            s.set_at((int(pts[0][0]), int(pts[0][1])), colour)
        xs = [p[0] for p in pts]
        ys = [p[1] for p in pts]
        rect = pygame.Rect(int(min(xs) - r - 1), int(min(ys) - r - 1), int(max(xs) - min(xs) + width + 3),
                           int(max(ys) - min(ys) + width + 3))
        return rect.clip(s.get_rect())

    def finish(self) -> None:
        self.advance(float("inf"))
