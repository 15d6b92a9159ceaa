"""The drawing area of an answer screen: the canvas (kiosk.app.canvas.CanvasView) and its
tool bar (the palette, three pen widths, eraser, undo, redo, clear, done), laid out to
give the canvas as much room as the screen allows while it keeps its proportions.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, cast

import pygame

from kiosk.app import theme as th
from kiosk.app.canvas import ERASER_WIDTH, PEN_WIDTHS, CanvasView
from kiosk.app.theme import hex_colour
from kiosk.app.ui import Button, Buttons, Pointer, rounded, shadow
from kiosk.strokes import Drawing

if TYPE_CHECKING:
    from kiosk.app.scenes.answer import AnswerScene
    from kiosk.config import Settings

# The canvas's three pen widths (canvas units): a fine line, a marker, a brush.
WIDTHS = tuple(zip(("thin", "medium", "thick"), PEN_WIDTHS))
WIDTH_LABELS = {"thin": "tool.thin", "medium": "tool.medium", "thick": "tool.thick"}
ERASER_SCALES = (0.5, 1.0, 2.0)  # the eraser follows the chosen width


class DrawPanel:
    def __init__(self, scene: AnswerScene, drawing: Drawing, *, done: bool = True,
                 done_enabled: Callable[[], bool] = lambda: True) -> None:
        self.scene = scene
        self.app = scene.app
        self.drawing = drawing
        self.buttons = Buttons()
        self.palette = list(self.app.settings.palette)
        self.colour = 0
        self.width = 1
        self.eraser = False
        self.show_done = done
        self.done_enabled = done_enabled
        self.area = pygame.Rect(0, 0, 0, 0)
        self.toolbar = pygame.Rect(0, 0, 0, 0)
        self.canvas = CanvasView(drawing, pygame.Rect(0, 0, 100, 75), now_ms=lambda: int(self.app.now * 1000),
                                 on_stroke_end=self._stroke_ended)
        self._apply_tool()
        self._toolbar_dirty = True

    # --- layout ----------------------------------------------------------------------------

    def layout(self, area: pygame.Rect) -> None:
        """Fit canvas and tool bar in `area`: the bar beside the canvas or under it, whichever
        leaves the bigger canvas."""
        t = self.scene.theme
        self.area = area
        n_top = len(self.palette) + 1  # colours and the eraser
        cell = t.target
        # Beside: three columns of tools, wide enough for their words at the least size.
        least = t.font(t.sizes.least, True)
        words = [self.scene.t(k) for k in (*WIDTH_LABELS.values(), "tool.undo", "tool.redo", "tool.clear",
                                           "tool.eraser")]
        cell_w = max(cell, max(least.size(w)[0] for w in words) + t.px(12) + 6)
        side_w = 3 * cell_w + 2 * t.gap
        # Under: one row of colours and eraser, one row of widths, actions and done.
        cols = max(n_top, 9)
        under_cell = min(cell * 1.15, (area.width - (cols - 1) * t.gap) / cols)
        under_h = int(2 * under_cell * (1.25 if t.portrait else 1.0) + t.gap)
        if not self.drawing.strokes and not self.drawing.undone and not self.canvas.is_drawing():
            # Nothing drawn yet (and no finger drawing the first stroke): the canvas takes its
            # shape from the settings (or the room it has).
            room = (area.width, area.height - under_h - t.gap) if t.portrait else \
                (area.width - side_w - t.gap, area.height)
            self._reshape(canvas_size(self.app.settings, room))
        ratio = self.drawing.width / self.drawing.height
        beside = _fit_ratio(area.width - side_w - t.gap, area.height, ratio)
        under = _fit_ratio(area.width, area.height - under_h - t.gap, ratio)
        if beside[0] * beside[1] > under[0] * under[1] or (beside == under and not t.portrait):
            cw, ch = beside
            total_w = cw + t.gap + side_w
            x = area.x + (area.width - total_w) // 2
            y = area.y + (area.height - ch) // 2
            canvas = pygame.Rect(x, y, cw, ch)
            self.toolbar = pygame.Rect(canvas.right + t.gap, area.y, side_w, area.height)
            self._layout_beside(self.toolbar, cell, cell_w)
        else:
            cw, ch = under
            spare = area.height - ch - t.gap - under_h
            # Spare height makes the tool buttons taller (easier to hit, room for two lines of words).
            row_h = int(under_cell + max(0, min(under_cell * 0.5, spare / 2 - t.gap)))
            if t.portrait:
                row_h = max(row_h, int(under_cell * 1.25))
                ch = max(1, min(ch, area.height - 2 * row_h - 2 * t.gap))
                cw = min(cw, int(ch * ratio))
            under_h = 2 * row_h + t.gap
            total_h = ch + t.gap + under_h
            x = area.x + (area.width - cw) // 2
            y = area.y + (area.height - total_h) // 2
            canvas = pygame.Rect(x, y, cw, ch)
            self.toolbar = pygame.Rect(area.x, canvas.bottom + t.gap, area.width, under_h)
            self._layout_under(self.toolbar, int(under_cell), row_h, cols)
        self.canvas.set_rect(canvas)
        self.canvas.reach = t.gap + t.px(8)
        self._toolbar_dirty = True

    def _reshape(self, size: tuple[int, int]) -> None:
        """An empty drawing takes another size (the visitor has not drawn yet)."""
        if (self.drawing.width, self.drawing.height) != size:
            self.drawing.width, self.drawing.height = size
            self.canvas.set_drawing(self.drawing)

    def _tool_buttons(self) -> tuple[list[Button], list[Button], list[Button], Button | None]:
        s = self.scene
        colours = [Button(f"colour:{i}", pygame.Rect(0, 0, 0, 0), s.t("tool.colour", n=i + 1),
                          swatch=hex_colour(c)) for i, c in enumerate(self.palette)]
        colours.append(Button("eraser", pygame.Rect(0, 0, 0, 0), s.t("tool.eraser"), icon="eraser"))
        widths = [Button(f"width:{name}", pygame.Rect(0, 0, 0, 0), s.t(WIDTH_LABELS[name]), dot=0, data=w)
                  for name, w in WIDTHS]
        actions = [Button("undo", pygame.Rect(0, 0, 0, 0), s.t("tool.undo"), icon="undo"),
                   Button("redo", pygame.Rect(0, 0, 0, 0), s.t("tool.redo"), icon="redo"),
                   Button("clear", pygame.Rect(0, 0, 0, 0), s.t("tool.clear"), icon="bin")]
        done = Button("done", pygame.Rect(0, 0, 0, 0), s.t("tool.done"), "primary", icon="done") \
            if self.show_done else None
        return colours, widths, actions, done

    def _layout_beside(self, bar: pygame.Rect, cell: int, cell_w: int) -> None:
        t = self.scene.theme
        colours, widths, actions, done = self._tool_buttons()
        rows = [colours[i:i + 3] for i in range(0, len(colours), 3)] + [widths, actions]
        n_rows = len(rows) + (1 if done else 0)
        groups_gap = t.gap * 2
        avail = bar.height - (n_rows - 1) * t.gap - 2 * groups_gap
        size = min(cell, (bar.width - 2 * t.gap) // 3, avail // max(1, n_rows))
        size = max(size, 48)
        # As wide as the bar allows (room for the words), as tall as the height allows.
        wide = max(size, min(cell_w, (bar.width - 2 * t.gap) // 3))
        y = bar.y + max(0, (bar.height - (n_rows * size + (n_rows - 1) * t.gap + 2 * groups_gap)) // 2)
        self.buttons.clear()
        for i, r in enumerate(rows):
            if i == len(rows) - 2 or i == len(rows) - 1:
                y += groups_gap // 2 if i == len(rows) - 1 else groups_gap
            x = bar.x + (bar.width - (3 * wide + 2 * t.gap)) // 2
            for b in r:
                b.rect = pygame.Rect(x, y, wide, size)
                self.buttons.add(b)
                x += wide + t.gap
            y += size + t.gap
        if done:
            y += groups_gap // 2
            done.rect = pygame.Rect(bar.x + (bar.width - (3 * wide + 2 * t.gap)) // 2, y, 3 * wide + 2 * t.gap, size)
            self.buttons.add(done)
        self._style_widths(size)

    def _layout_under(self, bar: pygame.Rect, cell: int, row_h: int, cols: int) -> None:
        t = self.scene.theme
        colours, widths, actions, done = self._tool_buttons()
        self.buttons.clear()
        width = cols * cell + (cols - 1) * t.gap
        x0 = bar.x + (bar.width - width) // 2
        # The colours are round: the eraser, which has a word, takes the width they leave.
        swatch = min(cell, (width - t.gap * (len(colours) - 1)) / (len(colours) + 0.6))
        for i, b in enumerate(colours[:-1]):
            b.rect = pygame.Rect(round(x0 + i * (swatch + t.gap)), bar.y, round(swatch), row_h)
            self.buttons.add(b)
        x = round(x0 + (len(colours) - 1) * (swatch + t.gap))
        colours[-1].rect = pygame.Rect(x, bar.y, x0 + width - x, row_h)
        self.buttons.add(colours[-1])
        y = bar.y + row_h + t.gap
        second = widths + actions
        # The second row's buttons carry words: they share the row's width (Done a little wider).
        done_units = 1.8 if done else 0.0
        each = (width - t.gap * (len(second) - (0 if done else 1))) / (len(second) + done_units)
        for i, b in enumerate(second):
            b.rect = pygame.Rect(round(x0 + i * (each + t.gap)), y, round(each), row_h)
            self.buttons.add(b)
        if done:
            x = round(x0 + len(second) * (each + t.gap))
            done.rect = pygame.Rect(x, y, x0 + width - x, row_h)
            self.buttons.add(done)
        self._style_widths(cell)

    def _style_widths(self, size: int) -> None:
        for b in self.buttons.items:
            if b.name.startswith("width:"):
                b.dot = max(4, min(int(size * 0.4), round(cast(float, b.data) * size / 48)))
        self._sync_buttons()

    # --- state -----------------------------------------------------------------------------

    def _apply_tool(self) -> None:
        self.canvas.tool = "eraser" if self.eraser else "pen"
        self.canvas.width = WIDTHS[self.width][1]
        self.canvas.eraser_width = ERASER_WIDTH * ERASER_SCALES[self.width]
        self.canvas.color = self.palette[self.colour]

    def _sync_buttons(self) -> None:
        for b in self.buttons.items:
            if b.name.startswith("colour:"):
                b.selected = not self.eraser and int(b.name.split(":")[1]) == self.colour
            elif b.name == "eraser":
                b.selected = self.eraser
            elif b.name.startswith("width:"):
                b.selected = b.name == f"width:{WIDTHS[self.width][0]}"
            elif b.name == "undo":
                b.enabled = bool(self.drawing.strokes)
            elif b.name == "redo":
                b.enabled = bool(self.drawing.undone)
            elif b.name == "clear":
                b.enabled = bool(self.drawing.strokes)
            elif b.name == "done":
                b.enabled = self.done_enabled()

    def _stroke_ended(self) -> None:
        self._sync_buttons()
        self.scene.changed()

    # --- events ------------------------------------------------------------------------------

    def handle(self, event: pygame.event.Event, p: Pointer | None) -> str | None:
        """Tool bar first, then the canvas. Returns "done" or "clear" for the scene to act on."""
        if p is not None and (self.buttons.owns(p.pid) or (p.kind == "down" and self.buttons.at(p.pos))):
            b = self.buttons.handle(p)
            return self._press(b) if b else None
        if event.type in (pygame.KEYDOWN,):
            return self._key(event)
        self.canvas.handle(event, self.scene.theme.size)
        return None

    def _key(self, event: pygame.event.Event) -> str | None:
        ctrl = event.mod & (pygame.KMOD_CTRL | pygame.KMOD_META)
        if ctrl and event.key == pygame.K_z:
            self.redo() if event.mod & pygame.KMOD_SHIFT else self.undo()
        elif ctrl and event.key == pygame.K_y:
            self.redo()
        return None

    def _press(self, b: Button) -> str | None:
        name = b.name
        if name.startswith("colour:"):
            self.colour, self.eraser = int(name.split(":")[1]), False
        elif name == "eraser":
            self.eraser = True
        elif name.startswith("width:"):
            self.width = [w[0] for w in WIDTHS].index(name.split(":")[1])
        elif name == "undo":
            self.undo()
        elif name == "redo":
            self.redo()
        elif name in ("clear", "done"):
            return name
        self._apply_tool()
        self._sync_buttons()
        return None

    def undo(self) -> None:
        if self.canvas.undo():
            self._sync_buttons()
            self.scene.changed()

    def redo(self) -> None:
        if self.canvas.redo():
            self._sync_buttons()
            self.scene.changed()

    def clear(self) -> None:
        self.canvas.clear()
        self._sync_buttons()
        self.scene.changed()

    def busy(self) -> bool:
        return self.canvas.is_drawing()

    def refresh(self) -> None:
        """Something outside changed what "done" may do (a choice made, text typed)."""
        self._sync_buttons()

    # --- drawing -------------------------------------------------------------------------------

    def invalidate(self) -> None:
        self.canvas.force_full_redraw()
        self._toolbar_dirty = True

    def draw(self, surface: pygame.Surface, background: tuple[int, int, int]) -> list[pygame.Rect]:
        t = self.scene.theme
        if self._toolbar_dirty:  # a new layout: the whole bar
            surface.fill(background, self.toolbar)
            self.buttons.draw(surface, t)
            self._toolbar_dirty = False
            rects = [self.toolbar.copy()]
        else:  # only the buttons whose state changed (a stroke ends: usually none)
            rects = self.buttons.draw_changed(surface, t, background)
        rects.extend(self.canvas.draw(surface))
        return rects

    def paint_frame(self, surface: pygame.Surface) -> None:
        """The canvas's shadow and edge (once per full redraw)."""
        t = self.scene.theme
        r = self.canvas.canvas_rect
        shadow(surface, r, 2, t.px(12))
        rounded(surface, th.LINE, r.inflate(2, 2), 2, 1)

    def targets(self) -> dict[str, pygame.Rect]:
        out = self.buttons.targets()
        out["canvas"] = self.canvas.canvas_rect.copy()
        return out


def canvas_size(settings: Settings, room: tuple[int, int]) -> tuple[int, int]:
    """The size of a new drawing, in canvas units. `canvas_aspect` says its shape: "fixed" is
    canvas_width x canvas_height; "W:H" that ratio; "screen" the shape of the room the screen
    leaves for the canvas (within 1:2 and 2:1). The long side is the longer of canvas_width
    and canvas_height, so the detail is the same whatever the shape."""
    w, h = settings.canvas_width, settings.canvas_height
    aspect = settings.canvas_aspect
    if aspect == "fixed":
        return w, h
    if aspect == "screen":
        ratio = max(1, room[0]) / max(1, room[1])
    else:
        a, b = aspect.split(":")
        ratio = float(a) / float(b)
    ratio = min(2.0, max(0.5, ratio))
    long = max(w, h)
    return (long, max(100, round(long / ratio))) if ratio >= 1 else (max(100, round(long * ratio)), long)


def _fit_ratio(width: int, height: int, ratio: float) -> tuple[int, int]:
    width, height = max(1, width), max(1, height)
    if width / height > ratio:
        return int(height * ratio), height
    return width, int(width / ratio)
