"""A stored drawing drawing itself again, stroke by stroke, at the pace it was drawn.

Used by the welcome screen. Long pauses between strokes (the visitor thinking) are
shortened so the screen stays alive; within a stroke, time runs as it did. A drawing
without timings is paced at one point per frame.
"""

from __future__ import annotations

import pygame

from kiosk.app.ink import paint_dot, paint_segment, pixel_radius, to_screen
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
        self.offset = (round((size[0] - drawing.width * self.scale) / 2), round((size[1] - drawing.height * self.scale) / 2))
        self.times = _timeline(drawing)
        self.cursor = [0] * len(drawing.strokes)
        self.clock = 0.0
        self.length = max((ts[-1] for ts in self.times if ts), default=0)

    @property
    def finished(self) -> bool:
        return all(c >= len(ts) for c, ts in zip(self.cursor, self.times))

    def _xy(self, x: float, y: float) -> tuple[int, int]:
        sx, sy = to_screen(x, y, self.scale)
        return sx + self.offset[0], sy + self.offset[1]

    def advance(self, dt_ms: float) -> list[pygame.Rect]:
        """Draw what happened in the next `dt_ms`; returns the changed parts of `surface`."""
        self.clock += dt_ms
        until = self.clock if self.clock < MAX_LENGTH_MS else float("inf")
        dirty: list[pygame.Rect] = []
        bounds = self.surface.get_rect()
        for i, stroke in enumerate(self.drawing.strokes):
            times, c = self.times[i], self.cursor[i]
            if c >= len(times) or times[c] > until:
                continue
            # The same ink as the live canvas (kiosk.app.ink): it replays as it was drawn.
            colour = pygame.Color(stroke_colour(stroke, self.drawing))
            r = pixel_radius(stroke.width, self.scale)
            while c < len(times) and times[c] <= until:
                p = stroke.points[c]
                b = self._xy(p.x, p.y)
                if c == 0:
                    rect = paint_dot(self.surface, colour, b, r)
                else:
                    a = self._xy(stroke.points[c - 1].x, stroke.points[c - 1].y)
                    rect = paint_segment(self.surface, colour, a, b, r)
                dirty.append(rect.clip(bounds))
                c += 1
            self.cursor[i] = c
        return _merge(dirty)

    def finish(self) -> None:
        self.advance(float("inf"))


def _merge(rects: list[pygame.Rect]) -> list[pygame.Rect]:
    """Few rectangles for the display update: one per stroke's run of segments is plenty."""
    if len(rects) <= 4:
        return rects
    return [rects[0].unionall(rects[1:])]
