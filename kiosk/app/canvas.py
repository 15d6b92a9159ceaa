"""The drawing area of the draw screen: input -> strokes in canvas coordinates -> incremental rendering.

How it works (docs/canvas.md has the longer story):
- The model (kiosk.strokes.Drawing, canvas coordinates) is the source of truth. Screen pixels are
  a rendition at the current scale, made by kiosk.app.ink, live and on replay alike.
- Two offscreen surfaces at screen scale: `base` holds the finished strokes, `ink` is base plus the
  strokes still being drawn (what the screen shows). Each input event paints one segment on ink
  and adds a small dirty rectangle; draw() blits only those.
- When a stroke ends, the tiles it touched are copied from base first (what it painted over), then
  its pixels go to base. Undo blits that copy back; the first undo also keeps the stroke's own
  pixels, so redo is a blit too. Both cost the same with 5 strokes or 5,000. Copies are kept up to
  a memory budget (newest first); undoing past it repaints the drawing from its strokes.
- clear() empties the drawing and its undo history: it is NOT undoable (the app asks first).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass

import pygame

from kiosk.app import patches
from kiosk.app.ink import ScreenPoint, paint_dot, paint_points, paint_segment, pixel_radius, stroke_tiles, to_screen
from kiosk.app.patches import TileMap
from kiosk.app.smoothing import OneEuroFilter
from kiosk.strokes import Drawing, Point, Stroke, stroke_colour

PEN_WIDTHS = (6.0, 14.0, 32.0)  # canvas units on a 1200x900 canvas: fine, medium, bold
ERASER_WIDTH = 48.0  # canvas units: wide enough to clean up a bold line in one pass
UNDO_BUDGET_BYTES = 192 * 1024 * 1024  # pixel copies kept for instant undo/redo
DEFAULT_COLOR = "#1a1a1a"
# A finger-down repeated within this time is motion (resistive screens send a stream of downs);
# after a longer silence it is a new touch whose finger-up was lost (some drivers drop them).
STALE_MS = 500

_FINGER_EVENTS = (pygame.FINGERDOWN, pygame.FINGERMOTION, pygame.FINGERUP)
_MOUSE_EVENTS = (pygame.MOUSEBUTTONDOWN, pygame.MOUSEMOTION, pygame.MOUSEBUTTONUP)
_MOUSE = "mouse"


@dataclass
class _Active:
    """A stroke being drawn by one finger or the mouse."""

    stroke: Stroke
    colour: pygame.Color
    radius: int  # px at the current scale
    screen: list[ScreenPoint]  # the stroke's points at screen scale (ink coordinates)
    smooth: OneEuroFilter
    tiles: TileMap
    last_ms: int  # when its last event came
    bounds: pygame.Rect | None = None  # everything it painted so far
    dirty: pygame.Rect | None = None  # what it painted since the last draw()
    concurrent: bool = False  # another stroke was drawn at the same time (multi-touch)


@dataclass
class _Record:
    """A finished stroke and the pixels that make undo and redo a blit."""

    stroke: Stroke
    rects: list[pygame.Rect] | None  # the tiles it touched at the current scale
    before: list[pygame.Surface] | None = None  # base under rects before it was painted
    after: list[pygame.Surface] | None = None  # base under rects with it (kept at its first undo)


class CanvasView:
    """The drawing area of the draw screen: input -> strokes in canvas coordinates -> incremental rendering.

    Attributes the app sets: tool ("pen" | "eraser"), color ("#rrggbb"), width (pen width in canvas
    units, see PEN_WIDTHS), eraser_width (canvas units). Read: drawing (the model), canvas_rect
    (where the canvas is on screen), scale (screen px per canvas unit).
    """

    def __init__(self, drawing: Drawing, rect: pygame.Rect, *, now_ms: Callable[[], int] | None = None,
                 on_stroke_end: Callable[[], None] | None = None,
                 undo_budget_bytes: int = UNDO_BUDGET_BYTES) -> None:
        self.drawing = drawing
        self.tool = "pen"
        self.color = DEFAULT_COLOR
        self.width = PEN_WIDTHS[0]
        self.eraser_width = ERASER_WIDTH
        self.now_ms = now_ms or pygame.time.get_ticks
        self.on_stroke_end = on_stroke_end
        self.undo_budget_bytes = undo_budget_bytes
        self.canvas_rect = pygame.Rect(0, 0, 0, 0)
        # A stroke may start this far outside the canvas (px): a finger aimed at the edge often
        # lands in the margin; it enters the canvas, clamped to its edge.
        self.reach = 0
        self._area = pygame.Rect(rect)
        self.scale = 1.0
        # Made for real by set_rect(); _painted says whether they show the drawing at this size.
        self._base = pygame.Surface((1, 1))
        self._ink = pygame.Surface((1, 1))
        self._painted = False
        self._active: dict[Hashable, _Active] = {}
        self._done: list[_Record] = []  # mirrors drawing.strokes
        self._undone: list[_Record] = []  # mirrors drawing.undone
        self._patch_bytes = 0
        self._dirty: list[pygame.Rect] = []
        self._full = True
        self._resync = TileMap((1, 1))  # tiles where ink shows multi-touch strokes interleaved
        self._t0: int | None = None
        self._t_offset = self._time_offset(drawing)
        self.set_rect(rect)

    # --- layout ---------------------------------------------------------------------------

    def set_rect(self, rect: pygame.Rect) -> None:
        """Place the canvas in `rect`: the biggest rect of the drawing's proportions, centred.

        A new size repaints the drawing from its strokes at the new scale; a move only moves it;
        the same place changes nothing (after a new display surface, call force_full_redraw()).
        """
        self._area = pygame.Rect(rect)
        w, h = self.drawing.width, self.drawing.height
        s = min(rect.w / w, rect.h / h)
        size = (max(1, min(rect.w, round(w * s))), max(1, min(rect.h, round(h * s))))
        placed = pygame.Rect((0, 0), size)
        placed.center = rect.center
        if self._painted and placed == self.canvas_rect:
            return  # the same place (a layout pass every frame costs nothing)
        self.canvas_rect = placed
        if not self._painted or self._ink.get_size() != size:
            self._painted = True
            self.scale = min(size[0] / w, size[1] / h)
            self._base = self._new_surface(size)
            self._ink = self._new_surface(size)
            self._resync = TileMap(size)
            self._rebuild()
        self._full = True

    def set_drawing(self, drawing: Drawing) -> None:
        """Show another drawing (a new visitor, a restored checkpoint); strokes in progress are dropped."""
        self._active.clear()
        self.drawing = drawing
        self._t0 = None
        self._t_offset = self._time_offset(drawing)
        self._painted = False  # the new drawing may have other proportions: lay out and paint afresh
        self.set_rect(self._area)

    # --- input ----------------------------------------------------------------------------

    def handle(self, event: pygame.event.Event, window_size: tuple[int, int]) -> bool:
        """Take one input event; True if the canvas consumed it.

        Fingers draw (each its own stroke); the mouse draws with its left button. Mouse events
        SDL makes from touches (event.touch) never draw; they count as consumed over the canvas,
        so the app does not take them for clicks there.
        """
        kind = event.type
        if kind in _FINGER_EVENTS:
            key = (event.touch_id, event.finger_id)
            pos = (event.x * window_size[0], event.y * window_size[1])  # SDL normalises to the window
            if kind == pygame.FINGERUP:
                return self._up(key, pos)
            active = self._active.get(key)
            if active is not None:
                if kind == pygame.FINGERDOWN and self.now_ms() - active.last_ms > STALE_MS:
                    self._end(key)  # its finger-up never came: that stroke is over, this is a new one
                    return self._down(key, pos)
                self._move(key, pos)  # motion, or a repeated down (resistive screens send only downs)
                return True
            return kind == pygame.FINGERDOWN and self._down(key, pos)
        if kind in _MOUSE_EVENTS:
            if getattr(event, "touch", False):
                return self.canvas_rect.collidepoint(event.pos)
            if kind == pygame.MOUSEMOTION:
                if _MOUSE not in self._active:
                    return False
                if not getattr(event, "buttons", (1,))[0]:
                    self._end(_MOUSE)  # the button went up where we could not see it (outside the window)
                    return False
                self._move(_MOUSE, event.pos)
                return True
            if event.button != pygame.BUTTON_LEFT:
                return False
            if kind == pygame.MOUSEBUTTONUP:
                return self._up(_MOUSE, event.pos)
            if _MOUSE in self._active:
                self._end(_MOUSE)  # a down without the up before it: finish that stroke as it was
            return self._down(_MOUSE, event.pos)
        if kind == pygame.WINDOWFOCUSLOST:
            self.end_active()  # the ups will go to another window: keep what was drawn
        return False

    def is_drawing(self) -> bool:
        """A finger or the mouse is down on the canvas."""
        return bool(self._active)

    def active_strokes(self) -> list[Stroke]:
        """The strokes being drawn now (not yet in the drawing)."""
        return [a.stroke for a in self._active.values()]

    def snapshot(self) -> Drawing:
        """A copy of the drawing with the strokes in progress, for a checkpoint while drawing."""
        d = self.drawing
        live = [Stroke(s.tool, s.color, s.width, list(s.points)) for s in self.active_strokes()]
        return Drawing(d.width, d.height, d.background, list(d.strokes) + live)

    def end_active(self) -> None:
        """Finish the strokes in progress as they are (they go into the drawing, undoable)."""
        for key in list(self._active):
            self._end(key)

    def cancel_active(self) -> None:
        """Drop the strokes in progress (idle reset, a dialog opening over the canvas)."""
        if not self._active:
            return
        tiles = self._resync
        for a in self._active.values():
            tiles.update(a.tiles)
        self._active.clear()
        rects = tiles.runs()
        tiles.clear()
        self._refresh_ink(rects)

    # --- history --------------------------------------------------------------------------

    def undo(self) -> bool:
        """Take back the last finished stroke. False if there is none."""
        if not self.drawing.strokes:
            return False
        self._sync()
        rec = self._done.pop()
        self.drawing.undo()
        self._undone.append(rec)
        if rec.before is None or rec.rects is None:
            # Past the memory budget: paint the drawing again from its strokes (slower, still right).
            self._rebuild()
            self._full = True
            return True
        if rec.after is None:
            rec.after = patches.save(self._base, rec.rects)
            self._patch_bytes += patches.nbytes(rec.rects, self._base)
        patches.restore(self._base, rec.rects, rec.before)
        self._refresh_ink(rec.rects)
        self._trim()
        return True

    def redo(self) -> bool:
        """Put back the last undone stroke. False if there is none."""
        if not self.drawing.undone:
            return False
        self._sync()
        rec = self._undone.pop()
        stroke = self.drawing.redo()
        assert stroke is not None  # the undone list was not empty
        self._done.append(rec)
        if rec.after is not None and rec.rects is not None:
            rects = rec.rects
            patches.restore(self._base, rects, rec.after)
        else:
            pts, r = self._screen_points(stroke), pixel_radius(stroke.width, self.scale)
            if rec.rects is None or rec.before is None:
                rec.rects = stroke_tiles(pts, r, self._base.get_size()).runs()
                rec.before = patches.save(self._base, rec.rects)
                self._patch_bytes += patches.nbytes(rec.rects, self._base)
            rects = rec.rects
            paint_points(self._base, self._colour(stroke), pts, r)
        self._refresh_ink(rects)
        self._trim()
        return True

    def clear(self) -> None:
        """Empty the drawing. Not undoable: the model's clear() forgets the undo history too."""
        self._active.clear()
        self._resync.clear()
        self.drawing.clear()
        self._done, self._undone, self._patch_bytes = [], [], 0
        self._base.fill(self._background())
        self._ink.fill(self._background())
        self._t0, self._t_offset = None, 0
        self._full = True

    # --- output ---------------------------------------------------------------------------

    def draw(self, surface: pygame.Surface) -> list[pygame.Rect]:
        """Paint what changed since the last call; return the screen rects for pygame.display.update."""
        ox, oy = self.canvas_rect.topleft
        if self._full:
            self._full = False
            self._dirty.clear()
            for a in self._active.values():
                a.dirty = None
            surface.blit(self._ink, self.canvas_rect)
            return [self.canvas_rect.copy()]
        rects = self._dirty
        for a in self._active.values():
            if a.dirty is not None:
                rects.append(a.dirty)
                a.dirty = None
        self._dirty = []
        bounds = self._ink.get_rect()
        out = []
        for r in rects:
            r = r.clip(bounds)
            if r.w and r.h:
                screen_rect = r.move(ox, oy)
                surface.blit(self._ink, screen_rect, r)
                out.append(screen_rect)
        return out

    def force_full_redraw(self) -> None:
        """Repaint the whole canvas at the next draw() (after an overlay covered it)."""
        self._full = True

    # --- strokes in progress --------------------------------------------------------------

    def accepts(self, pos: tuple[float, float]) -> bool:
        """Does a stroke starting at `pos` draw (on the canvas or in the band around it)?"""
        return self.canvas_rect.inflate(2 * self.reach, 2 * self.reach).collidepoint(pos)

    def _down(self, key: Hashable, pos: tuple[float, float]) -> bool:
        if not self.accepts(pos):
            return False
        now = self.now_ms()
        x, y = self._to_canvas(pos)
        eraser = self.tool == "eraser"
        stroke = Stroke("eraser" if eraser else "pen", self.drawing.background if eraser else self.color,
                        float(self.eraser_width if eraser else self.width), [Point(x, y, self._time(now))])
        for other in self._active.values():
            other.concurrent = True
        active = _Active(stroke, self._colour(stroke), pixel_radius(stroke.width, self.scale),
                         [to_screen(x, y, self.scale)], OneEuroFilter(x, y, now / 1000),
                         TileMap(self._ink.get_size()), now, concurrent=bool(self._active))
        rect = paint_dot(self._ink, active.colour, active.screen[0], active.radius, active.tiles)
        active.bounds, active.dirty = rect, rect.copy()
        self._active[key] = active
        return True

    def _move(self, key: Hashable, pos: tuple[float, float]) -> None:
        active = self._active[key]
        now = self.now_ms()
        x, y = self._to_canvas(pos)
        self._extend(active, *active.smooth(x, y, now / 1000), now)

    def _up(self, key: Hashable, pos: tuple[float, float]) -> bool:
        active = self._active.pop(key, None)
        if active is None:
            return False
        # The raw last position, not a smoothed one: the line ends where the finger lifted.
        self._extend(active, *self._to_canvas(pos), self.now_ms())
        self._commit(active)
        return True

    def _end(self, key: Hashable) -> None:
        """Finish a stroke at its last point (its finger-up was lost)."""
        self._commit(self._active.pop(key))

    def _extend(self, active: _Active, x: float, y: float, now: int) -> None:
        active.last_ms = now
        x, y = round(x, 2), round(y, 2)
        sp = to_screen(x, y, self.scale)
        if sp == active.screen[-1]:
            return  # less than a pixel: nothing to paint, nothing worth storing
        active.stroke.points.append(Point(x, y, self._time(now)))
        rect = paint_segment(self._ink, active.colour, active.screen[-1], sp, active.radius, active.tiles)
        active.screen.append(sp)
        if active.bounds is None:
            active.bounds = rect.copy()
        else:
            active.bounds.union_ip(rect)
        if active.dirty is None:
            active.dirty = rect
        else:
            active.dirty.union_ip(rect)

    def _commit(self, active: _Active) -> None:
        base, ink = self._base, self._ink
        rects = active.tiles.runs()
        before = patches.save(base, rects)
        if active.concurrent:
            # Ink holds other fingers' strokes interleaved with this one: paint it on base alone.
            paint_points(base, active.colour, active.screen, active.radius)
            self._resync.update(active.tiles)
        else:
            # Ink under its tiles is exactly base plus this stroke: a copy is all it takes.
            patches.copy(ink, base, rects)
        if active.dirty is not None:
            self._dirty.append(active.dirty)
        self.drawing.add(active.stroke)  # which forgets the undone strokes
        self._patch_bytes -= sum(self._record_bytes(rec) for rec in self._undone)
        self._undone.clear()
        self._done.append(_Record(active.stroke, rects, before))
        self._patch_bytes += patches.nbytes(rects, base)
        self._trim()
        if not self._active and self._resync:
            # All fingers up: show the strokes in the order the model keeps them.
            resync = self._resync.runs()
            self._resync.clear()
            patches.copy(base, ink, resync)
            self._dirty.extend(resync)
        if self.on_stroke_end is not None:
            self.on_stroke_end()

    # --- helpers --------------------------------------------------------------------------

    def _to_canvas(self, pos: tuple[float, float]) -> tuple[float, float]:
        """Window pixels -> canvas units, clamped to the canvas (a stroke may leave it and come back)."""
        x = (pos[0] - self.canvas_rect.x) / self.scale
        y = (pos[1] - self.canvas_rect.y) / self.scale
        return min(max(x, 0.0), float(self.drawing.width)), min(max(y, 0.0), float(self.drawing.height))

    def _time(self, now: int) -> int:
        if self._t0 is None:
            self._t0 = now - self._t_offset
        return max(0, now - self._t0)

    @staticmethod
    def _time_offset(drawing: Drawing) -> int:
        # A restored drawing goes on after its last point; a new one starts at 0.
        return drawing.duration_ms() + 1 if drawing.strokes else 0

    def _background(self) -> pygame.Color:
        return pygame.Color(self.drawing.background)

    def _colour(self, stroke: Stroke) -> pygame.Color:
        return pygame.Color(stroke_colour(stroke, self.drawing))

    def _screen_points(self, stroke: Stroke) -> list[ScreenPoint]:
        s = self.scale
        return [to_screen(p.x, p.y, s) for p in stroke.points]

    @staticmethod
    def _new_surface(size: tuple[int, int]) -> pygame.Surface:
        surface = pygame.Surface(size)
        # In the display's pixel format, blits to the screen are plain copies.
        return surface.convert() if pygame.display.get_surface() is not None else surface

    def _refresh_ink(self, rects: list[pygame.Rect]) -> None:
        """Ink = base under rects, with the strokes in progress painted again on top."""
        patches.copy(self._base, self._ink, rects)
        for r in rects:
            over = [a for a in self._active.values() if a.bounds is not None and a.bounds.colliderect(r)]
            if over:
                self._ink.set_clip(r)
                for a in over:
                    paint_points(self._ink, a.colour, a.screen, a.radius)
        self._ink.set_clip(None)
        self._dirty.extend(r.copy() for r in rects)

    def _rebuild(self) -> None:
        """Paint base and ink again from the model, keeping undo copies for the newest strokes."""
        base, size = self._base, self._base.get_size()
        base.fill(self._background())
        strokes = self.drawing.strokes
        plans = []
        for s in strokes:
            pts, r = self._screen_points(s), pixel_radius(s.width, self.scale)
            plans.append((s, pts, r, stroke_tiles(pts, r, size).runs()))
        # The newest strokes are the ones undo reaches first: they get the budget.
        keep_from, total = len(plans), 0
        for i in range(len(plans) - 1, -1, -1):
            nb = patches.nbytes(plans[i][3], base)
            if total + nb > self.undo_budget_bytes and i < len(plans) - 1:
                break
            total, keep_from = total + nb, i
        self._done = []
        for i, (s, pts, r, rects) in enumerate(plans):
            before = patches.save(base, rects) if i >= keep_from else None
            paint_points(base, self._colour(s), pts, r)
            self._done.append(_Record(s, rects, before))
        self._undone = [_Record(s, None) for s in self.drawing.undone]
        self._patch_bytes = total
        self._resync.clear()
        self._ink.blit(base, (0, 0))
        for a in self._active.values():
            a.screen = self._screen_points(a.stroke)
            a.radius = pixel_radius(a.stroke.width, self.scale)
            a.tiles = TileMap(size)
            paint_points(self._ink, a.colour, a.screen, a.radius, a.tiles)
            a.bounds = self._ink.get_rect()
            a.dirty = None
        self._full = True

    def _sync(self) -> None:
        """If the model was changed behind the canvas's back, start again from it."""
        d = self.drawing
        if (len(self._done) != len(d.strokes) or len(self._undone) != len(d.undone)
                or any(r.stroke is not s for r, s in zip(self._done, d.strokes))
                or any(r.stroke is not s for r, s in zip(self._undone, d.undone))):
            self._rebuild()

    def _record_bytes(self, rec: _Record) -> int:
        copies = (rec.before is not None) + (rec.after is not None)
        return copies * patches.nbytes(rec.rects or [], self._base) if copies else 0

    def _trim(self) -> None:
        """Keep the pixel copies within budget: drop the ones undo or redo would reach last."""
        if self._patch_bytes <= self.undo_budget_bytes:
            return
        # Redo reaches the bottom of the undone stack last; undo reaches the oldest strokes last.
        for rec in self._undone + self._done[:-1]:
            if self._patch_bytes <= self.undo_budget_bytes:
                break
            for name in ("after", "before"):
                if getattr(rec, name) is not None:
                    setattr(rec, name, None)
                    self._patch_bytes -= patches.nbytes(rec.rects or [], self._base)
