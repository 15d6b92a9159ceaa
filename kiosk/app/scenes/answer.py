"""The answer screens, one per kind of question: draw, choice (with a canvas if the question
has one) and text (an on-screen keyboard; a physical one works too)."""

from __future__ import annotations

import pygame

from kiosk import i18n
from kiosk.app import steps
from kiosk.app import theme as th
from kiosk.app.drawpanel import DrawPanel
from kiosk.app.keyboard import Keyboard
from kiosk.app.scene import VisitScene
from kiosk.app.ui import Button, Pointer, TextBlock, block, column, draw_block, fit, rounded, row, shadow
from kiosk.prompts import text_for
from kiosk.strokes import Drawing

TOAST_S = 6.0  # how long "your answer was kept" stays after a restart (a touch ends it sooner)


class AnswerScene(VisitScene):
    """The question at the top, the answer below; back to the questions; the idle watch."""

    idle = True

    def enter(self) -> None:
        self.prompt = self.visit.prompt
        self.panel: DrawPanel | None = None
        self.toast_until = self.app.now + TOAST_S if self.visit.restored else 0.0
        self.visit.restored = False
        self.toast_rect = pygame.Rect(0, 0, 0, 0)
        self._invited = False  # the invitation to draw is on the empty canvas
        super().enter()

    # --- header ---------------------------------------------------------------------------------

    def layout_header(self) -> pygame.Rect:
        """Place the back button, the question and its hint; returns the area left below."""
        t = self.theme
        m, g = t.margin, t.gap
        W, H = t.size
        self.buttons.clear()
        x = m
        if self.app.settings.question_flow == "choose" and len(self.app.prompts.prompts) > 1:
            self.buttons.add(Button("back", pygame.Rect(m, m, t.target, t.target), "", "quiet", icon="back"))
            x = m + t.target + g * 2
        speak_w = min(t.px(300), max(t.target, (W - 2 * m) // 4))
        self.speak_button(pygame.Rect(W - m - speak_w, m, speak_w, t.target))
        width = W - x - m - speak_w - g
        # Where the visitor is (question · answer · keep?), one small line above the question.
        self.steps_rect = pygame.Rect(x, m // 4, width, steps.height(t))
        top = max(m, self.steps_rect.bottom + t.px(4))
        max_h = int(H * (0.2 if t.portrait else 0.22))
        self.question = fit(t, text_for(self.prompt.text, self.lang), width, max_h, t.sizes.question,
                            max(24, t.px(38)), True, 1.1)
        hint = text_for(self.prompt.hint, self.lang) if self.prompt.hint else ""
        self.hint = block(t, hint, width, t.sizes.body) if hint else None
        total = self.question.height + (self.hint.height + t.px(6) if self.hint else 0)
        # A short question sits level with the back button; a long one starts at the top.
        y = top + max(0, (t.target - total) // 2) if x > m else top
        self.question_rect = pygame.Rect(x, y, width, self.question.height)
        y = self.question_rect.bottom
        if self.hint:
            self.hint_rect = pygame.Rect(x, y + t.px(6), width, self.hint.height)
            y = self.hint_rect.bottom
        y = max(y, m + t.target if x > m else y)
        return pygame.Rect(m, y + g * 2, W - 2 * m, H - y - g * 2 - m)

    def paint_header(self, surface: pygame.Surface) -> None:
        steps.paint(surface, self.theme, self.steps_rect, self.lang, steps.ANSWER)
        draw_block(surface, self.question, self.question_rect, th.INK)
        if self.hint:
            draw_block(surface, self.hint, self.hint_rect, th.MUTED)

    def paint_toast(self, surface: pygame.Surface) -> pygame.Rect | None:
        if self.app.now >= self.toast_until:
            return None
        t = self.theme
        r, tb = self.toast_place()
        shadow(surface, r, t.radius, t.px(10))
        rounded(surface, th.ACCENT_DARK, r, t.radius)
        draw_block(surface, tb, r.inflate(-2 * t.margin, 0), th.WHITE, "center", "center")
        self.toast_rect = r
        return r

    def answer_area(self) -> pygame.Rect | None:
        """Where the answer itself is made, besides a canvas (the text field)."""
        return None

    def toast_place(self) -> tuple[pygame.Rect, TextBlock]:
        """Where the note goes, and its words: over no button (Done above all) nor the question;
        at the bottom, else at the top of the answer area, else over the middle of the canvas or
        the text field, narrowed to it."""
        t = self.theme
        targets = self.targets()
        controls = [rect for name, rect in targets.items() if name != "canvas"]
        free = pygame.Rect(t.margin, self.question_rect.bottom + t.gap, t.width - 2 * t.margin,
                           t.height - self.question_rect.bottom - t.gap - t.margin)
        middle = targets.get("canvas") or self.answer_area() or free
        wide = min(t.width - 2 * t.margin, t.px(1200))
        tries = [(wide, "midbottom", (t.width // 2, t.height - t.margin)), (wide, "midtop", (t.width // 2, free.y)),
                 (min(wide, middle.width - 2 * t.gap), "center", middle.center)]
        for width, anchor, pos in tries:
            tb = block(t, self.t("answer.restored"), width - 2 * t.margin, t.sizes.body, True)
            rect = pygame.Rect(0, 0, width, tb.height + 2 * t.gap + t.px(8))
            setattr(rect, anchor, pos)
            rect.clamp_ip(free)
            if not any(rect.colliderect(c) for c in controls):
                return rect, tb
        return rect, tb

    @property
    def drawing(self) -> Drawing:
        """The visitor's drawing, on the screens that have a canvas."""
        drawing = self.visit.drawing
        assert drawing is not None, f"{self.prompt.id} has no canvas"
        return drawing

    # --- shared behaviour ----------------------------------------------------------------------------

    def changed(self) -> None:
        """The answer changed: checkpoint it, and let "done" follow."""
        self.app.checkpoint()
        self.refresh()

    def refresh(self) -> None:
        if self.panel is not None:
            self.panel.refresh()
        done = self.buttons.get("done")
        if done is not None and done.enabled != self.visit.is_complete():
            done.enabled = self.visit.is_complete()
            self.dirty = True

    def busy(self) -> bool:
        return self.panel is not None and self.panel.busy()

    def live_drawing(self) -> Drawing | None:
        """The drawing with the strokes still under a finger (for a checkpoint while drawing)."""
        if self.panel is not None and self.panel.busy():
            return self.panel.canvas.snapshot()
        return None

    def cancel_active(self) -> None:
        if self.panel is not None:
            self.panel.canvas.cancel_active()

    def go_back(self) -> str | None:
        if self.visit.has_content():
            # The safe choice is the filled one, in every dialog (docs/app.md says why).
            self.open_dialog(self.t("answer.leave"), self.t("answer.leave_body"),
                             [("leave", self.t("answer.leave_yes"), "danger-soft"),
                              ("stay", self.t("answer.leave_no"), "primary")])
            return None
        self.app.discard_visit()
        return "question"

    def finish(self) -> str | None:
        if not self.visit.is_complete():
            return None
        done = self.targets().get("done")
        if done is not None:
            self.app.left_from([done])  # no consent choice under the finger that pressed Done
        return "consent"

    def on_dialog(self, name: str) -> str | None:
        self.close_dialog()
        if name == "leave":
            self.app.discard_visit()
            return "question"
        if name == "clear" and self.panel is not None:
            self.panel.clear()
        return None

    def ask_clear(self) -> None:
        self.open_dialog(self.t("clear.question"), "", [("clear", self.t("clear.yes"), "danger-soft"),
                                                          ("keep", self.t("clear.no"), "primary")])

    def on_button(self, button: Button) -> str | None:
        if button.name == "speak":
            hint = text_for(self.prompt.hint, self.lang) if self.prompt.hint else ""
            self.read_aloud(text_for(self.prompt.text, self.lang), hint)
            return None
        if button.name == "back":
            return self.go_back()
        if button.name == "done":
            return self.finish()
        return None

    def handle(self, event: pygame.event.Event) -> str | None:
        if event.type in (pygame.FINGERDOWN, pygame.MOUSEBUTTONDOWN, pygame.KEYDOWN, pygame.TEXTINPUT):
            self.toast_until = min(self.toast_until, self.app.now)  # the visitor has carried on
        return super().handle(event)

    def panel_event(self, event: pygame.event.Event, p: Pointer | None) -> str | None:
        if self.panel is None:
            return None
        action = self.panel.handle(event, p)
        if action == "clear":
            self.ask_clear()
        elif action == "done":
            return self.finish()
        return None

    def update(self, dt: float) -> str | None:
        if self.toast_rect.width and self.app.now >= self.toast_until:
            self.toast_rect = pygame.Rect(0, 0, 0, 0)
            self.invalidate()
        return None

    def invalidate(self) -> None:
        super().invalidate()
        if self.panel is not None:
            self.panel.invalidate()

    def invites(self) -> bool:
        """The invitation to draw shows on an empty canvas, until the first stroke begins."""
        return self.panel is not None and not self.visit.has_ink() and not self.panel.busy() \
            and "canvas" in self.panel.targets()

    def paint_invitation(self, surface: pygame.Surface) -> None:
        t = self.theme
        canvas = self.panel.targets()["canvas"] if self.panel is not None else None
        if canvas is None:
            return
        inner = canvas.inflate(-2 * t.margin, -2 * t.margin)
        tb = fit(t, self.t("canvas.invite"), inner.width, inner.height // 2, t.sizes.heading, t.sizes.body)
        draw_block(surface, tb, inner, th.MUTED, "center", "center")

    def draw(self, surface: pygame.Surface) -> list[pygame.Rect] | None:
        if self._invited and not self.invites():
            self.invalidate()  # the first stroke: the invitation goes
        if self.dirty:
            surface.fill(self.background)
            self.paint(surface)
            self.paint_header(surface)
            if self.panel is not None:
                self.panel.paint_frame(surface)
                self.panel.invalidate()
                self.panel.draw(surface, self.background)
            self._invited = self.invites()
            if self._invited:
                self.paint_invitation(surface)
            self.buttons.draw(surface, self.theme)
            self.paint_toast(surface)
            if self.dialog is not None:
                self.dialog.draw(surface, self.theme)
            self.dirty = False
            return None
        rects: list[pygame.Rect] = []
        if self.panel is not None:
            rects = self.panel.draw(surface, self.background)
        if self.buttons.changed:
            rects.extend(self.buttons.draw_changed(surface, self.theme, self.background))
        if rects and self.toast_rect.width and any(self.toast_rect.colliderect(r) for r in rects):
            rects.append(self.paint_toast(surface) or self.toast_rect)
        return rects

    def targets(self) -> dict[str, pygame.Rect]:
        out = super().targets()
        if self.panel is not None and self.dialog is None:
            out.update(self.panel.targets())
        return out


class DrawScene(AnswerScene):
    name = "draw"

    def layout(self) -> None:
        area = self.layout_header()
        if self.panel is None:
            self.panel = DrawPanel(self, self.drawing, done_enabled=self.visit.is_complete)
        self.panel.layout(area)

    def on_event(self, event: pygame.event.Event, p: Pointer | None) -> str | None:
        return self.panel_event(event, p)


class ChoiceScene(AnswerScene):
    name = "choice"

    def layout(self) -> None:
        t = self.theme
        area = self.layout_header()
        options = self.prompt.options
        hint = self.t("choice.many" if self.prompt.multiple else "choice.single")
        self.choose_label = block(t, hint, area.width, t.sizes.small, True)
        self.choose_rect = pygame.Rect(area.x, area.y, area.width, self.choose_label.height)
        area = pygame.Rect(area.x, self.choose_rect.bottom + t.gap, area.width, area.bottom - self.choose_rect.bottom - t.gap)
        if self.prompt.canvas and not t.portrait:
            # Beside the canvas, in a column: the canvas keeps the screen's full height.
            col_w = min(int(area.width * 0.26), t.px(480))
            n = len(options)
            each = max(56, min(int(t.target * 1.1), (area.height - (n - 1) * t.gap) // max(1, n)))
            stack = pygame.Rect(area.x, area.y, col_w, n * each + (n - 1) * t.gap)
            self._place_options(stack, 1, n)
            rest = pygame.Rect(area.x + col_w + t.margin, area.y - self.choose_label.height - t.gap,
                               area.width - col_w - t.margin, area.height + self.choose_label.height + t.gap)
            if self.panel is None:
                self.panel = DrawPanel(self, self.drawing, done_enabled=self.visit.is_complete)
            self.panel.layout(rest)
        elif self.prompt.canvas:
            cols = 2 if len(options) > 1 else 1
            n_rows = -(-len(options) // cols)
            band = pygame.Rect(area.x, area.y, area.width, n_rows * t.target + (n_rows - 1) * t.gap)
            self._place_options(band, cols, n_rows)
            rest = pygame.Rect(area.x, band.bottom + t.gap * 2, area.width, area.bottom - band.bottom - t.gap * 2)
            if self.panel is None:
                self.panel = DrawPanel(self, self.drawing, done_enabled=self.visit.is_complete)
            self.panel.layout(rest)
        else:
            done_h = t.target
            grid = pygame.Rect(area.x, area.y, area.width, area.height - done_h - t.margin)
            cols = 1 if len(options) <= 3 and t.portrait else 2
            n_rows = -(-len(options) // cols)
            height = min(grid.height, n_rows * int(t.target * 1.5) + (n_rows - 1) * t.gap)
            width = min(grid.width, t.px(1500))
            top = grid.y + max(0, (grid.height - height) // 3)  # a little above the middle
            self._place_options(pygame.Rect(grid.centerx - width // 2, top, width, height), cols, n_rows)
            done = pygame.Rect(0, 0, max(t.px(420), t.target * 3), done_h)
            done.bottomright = (area.right, area.bottom)
            self.buttons.add(Button("done", done, self.t("tool.done"), "primary", icon="done",
                                    enabled=self.visit.is_complete()))

    def _place_options(self, rect: pygame.Rect, cols: int, n_rows: int) -> None:
        rows = column(rect, n_rows, self.theme.gap)
        options = self.prompt.options
        for i, opt in enumerate(options):
            r = row(rows[i // cols], cols, self.theme.gap)[i % cols]
            self.buttons.add(Button(f"option:{opt.id}", r, text_for(opt.text, self.lang), "secondary",
                                    icon="done" if opt.id in self.visit.options else None,
                                    selected=opt.id in self.visit.options, data=opt.id))

    def on_button(self, button: Button) -> str | None:
        if button.name.startswith("option:"):
            oid = str(button.data)
            chosen = self.visit.options
            if oid in chosen:
                chosen.remove(oid)
            elif self.prompt.multiple:
                chosen.append(oid)
            else:
                chosen[:] = [oid]
            for b in self.buttons.items:
                if b.name.startswith("option:"):
                    b.selected = b.data in chosen
                    b.icon = "done" if b.selected else None
            self.changed()
            self.buttons.changed = True
            return None
        return super().on_button(button)

    def on_event(self, event: pygame.event.Event, p: Pointer | None) -> str | None:
        return self.panel_event(event, p)

    def paint(self, surface: pygame.Surface) -> None:
        draw_block(surface, self.choose_label, self.choose_rect, th.ACCENT)


class TextScene(AnswerScene):
    name = "text"

    def enter(self) -> None:
        self.keyboard = Keyboard(self.app.language, self.t)
        self.keyboard.auto_shift(self.visit.text)
        self.mode = "keyboard"
        pygame.key.start_text_input()
        super().enter()

    def leave(self) -> None:
        pygame.key.stop_text_input()

    def answer_area(self) -> pygame.Rect | None:
        return self.field

    @property
    def limit(self) -> int:
        return self.prompt.max_length or self.app.settings.text_max_length

    def layout(self) -> None:
        t = self.theme
        area = self.layout_header()
        kb_w = min(area.width, t.px(1800))
        # The keyboard takes the height it wants (at most 60 %); the text field the rest.
        kb_h = min(int(area.height * 0.6), self.keyboard.height_for(kb_w, t))
        field_h = max(t.sizes.heading * 3, area.height - kb_h - t.target - t.gap * 3)
        if not t.portrait:
            field_h = min(field_h, max(t.sizes.heading * 3, int(area.height * 0.3)))
        self.field = pygame.Rect(area.x, area.y, area.width, field_h)
        bar_y = self.field.bottom + t.gap
        done = pygame.Rect(0, 0, max(t.px(380), t.target * 3), t.target)
        done.topright = (area.right, bar_y)
        self.buttons.add(Button("done", done, self.t("tool.done"), "primary", icon="done",
                                enabled=self.visit.is_complete()))
        self.counter_rect = pygame.Rect(area.x, bar_y, done.x - area.x - t.gap, t.target)
        if self.prompt.canvas:
            label = self.t("text.drawing") if self.mode == "keyboard" else self.t("text.keyboard")
            toggle = pygame.Rect(0, 0, t.px(360), t.target)
            toggle.topright = (done.x - t.gap, bar_y)
            self.buttons.add(Button("mode", toggle, label, "secondary",
                                    icon="pen" if self.mode == "keyboard" else "keyboard"))
            self.counter_rect.width = toggle.x - area.x - t.gap
        lower = pygame.Rect(area.x, bar_y + t.target + t.gap * 2, area.width,
                            area.bottom - bar_y - t.target - t.gap * 2)
        if self.mode == "keyboard":
            self.keyboard.place(pygame.Rect(lower.centerx - kb_w // 2, lower.y, kb_w, lower.height), t, self.buttons)
        else:
            self.keyboard.buttons = []
            if self.panel is None:
                self.panel = DrawPanel(self, self.drawing, done=False)
            self.panel.layout(lower)

    # --- typing ----------------------------------------------------------------------------------

    def type(self, text: str) -> None:
        visit = self.visit
        if text == "\b":
            visit.text = visit.text[:-1]
        else:
            text = "".join(ch for ch in text if ch == " " or ch.isprintable()).replace("\t", " ")
            room = self.limit - len(visit.text)
            if room <= 0 or not text:
                return
            visit.text += text[:room]
        self.keyboard.auto_shift(visit.text)
        self.layout()
        self.changed()
        self.invalidate()

    def on_button(self, button: Button) -> str | None:
        if button.name.startswith("key:"):
            keys = (self.keyboard.layout, self.keyboard.layer, self.keyboard.shift)
            typed = self.keyboard.press(button.name)
            if typed is not None:
                self.type(typed)
            if keys != (self.keyboard.layout, self.keyboard.layer, self.keyboard.shift):
                self.layout()  # other labels on the keys
            self.invalidate()
            return None
        if button.name == "mode":
            self.mode = "drawing" if self.mode == "keyboard" else "keyboard"
            self.layout()
            self.invalidate()
            return None
        return super().on_button(button)

    def on_event(self, event: pygame.event.Event, p: Pointer | None) -> str | None:
        if event.type == pygame.TEXTINPUT:
            self.type(event.text)
            return None
        if event.type == pygame.KEYDOWN and event.key == pygame.K_BACKSPACE:
            self.type("\b")
            return None
        if self.mode == "drawing":
            return self.panel_event(event, p)
        return None

    # --- drawing -----------------------------------------------------------------------------------

    def paint(self, surface: pygame.Surface) -> None:
        t = self.theme
        f = self.field
        shadow(surface, f, t.radius, t.px(8))
        rounded(surface, th.CARD, f, t.radius)
        rounded(surface, th.ACCENT, f, t.radius, max(2, t.px(3)))
        inner = f.inflate(-2 * t.margin, -2 * t.gap)
        text = i18n.typeset(self.visit.text)  # French spacing, as the zine and the archive show it
        size = t.sizes.heading
        font = t.font(size)
        if text:
            # As big as fits; a long text stays at body size and shows its end, where the visitor types.
            for size in (t.sizes.heading, (t.sizes.heading + t.sizes.body) // 2, t.sizes.body):
                tb = block(t, text, inner.width, size)
                if tb.height <= inner.height:
                    break
            # Show the end of a long text: that is where the visitor types.
            visible = max(1, inner.height // tb.line_height)
            tb.lines = tb.lines[-visible:]
            draw_block(surface, tb, inner, th.INK)
            last = tb.lines[-1]
            cx = inner.x + tb.font.size(last)[0] + t.px(3)
            cy = inner.y + (len(tb.lines) - 1) * tb.line_height
            pygame.draw.rect(surface, th.ACCENT, (cx, cy + tb.line_height * 0.12, max(2, t.px(4)),
                                                  tb.line_height * 0.8))
        else:
            pygame.draw.rect(surface, th.ACCENT, (inner.x, inner.y + t.px(4), max(2, t.px(4)), font.get_linesize()))
            ph = fit(t, self.t("text.placeholder"), inner.width - t.px(14), inner.height, size)
            draw_block(surface, ph, inner.move(t.px(14), 0), th.MUTED)
        left = self.limit - len(self.visit.text)
        if left <= max(20, self.limit // 5):
            words = self.t("text.full") if left <= 0 else self.tn("text.left", left)
            colour = th.DANGER if left <= 0 else th.WARN if left <= 10 else th.MUTED
            cb = block(t, words, self.counter_rect.width, t.sizes.body, left <= 10)
            draw_block(surface, cb, self.counter_rect, colour, "left", "center")
