"""Consent, in plain words and in the visitor's language: share it (zine and archive), the
printed zine only, or don't keep it. The words come from the settings (each exhibition
words its own); their version is stored with the response."""

from __future__ import annotations

import pygame

from kiosk.app import theme as th
from kiosk.app.replay import Replay
from kiosk.app.scene import Scene
from kiosk.app.ui import Button, block, draw_block, fit, rounded, shadow
from kiosk.app.ui import column as column_rects
from kiosk.i18n import typeset
from kiosk.prompts import text_for

CHOICES = (("public", "primary"), ("print", "secondary"), ("discard", "quiet"))


class ConsentScene(Scene):
    name = "consent"
    idle = True

    def enter(self) -> None:
        self.visit = self.app.visit
        self.visit.restored = False  # after a restart, the preview of the answer says it was kept
        self.app.checkpoint()  # a restart comes back here, answer and all
        self._preview: pygame.Surface | None = None
        super().enter()

    def words(self, key: str) -> str:
        return text_for(self.app.settings.consent.get(key, {}), self.lang, [self.app.settings.default_language])

    def layout(self) -> None:
        t = self.theme
        m, g = t.margin, t.gap
        W, H = t.size
        self.buttons.clear()
        back = self.back_button("back", self.t("consent.back"), t.px(520))
        speak_w = min(t.px(300), W - back.rect.right - g - m)
        self.speak_button(pygame.Rect(W - m - speak_w, m, speak_w, t.target))
        top = m + t.target + m
        if t.portrait:
            self.preview_rect = pygame.Rect(m * 2, top, W - 4 * m, int(H * 0.28))
            column = pygame.Rect(m, self.preview_rect.bottom + m * 2, W - 2 * m, H - self.preview_rect.bottom - m * 3)
        else:
            left = int(W * 0.36)
            self.preview_rect = pygame.Rect(m * 2, top, left - m * 2, H - top - m * 2)
            column = pygame.Rect(left + m * 2, top, W - left - m * 4, H - top - m * 2)
        each_h = int(t.target * (1.1 if t.large else 1.4))  # large text: the words need the room
        # A short window: the buttons no taller than a finger needs, so the words keep four lines.
        words_h = t.font(t.sizes.body).get_linesize() * 4
        each_h = max(t.target, min(each_h, (column.height - m * 2 - g * 3 - words_h) // 3))
        stack_h = each_h * 3 + g * 2
        room = column.height - stack_h - m * 2
        self.question = fit(t, self.words("question"), column.width, room // 2, t.sizes.title, None, True)
        self.explanation = fit(t, self.words("explanation"), column.width, room - self.question.height - g,
                               t.sizes.heading)
        text_h = self.question.height + g + self.explanation.height
        y = column.y + max(0, (column.height - text_h - m * 2 - stack_h) // 3)
        self.text_area = pygame.Rect(column.x, y, column.width, text_h)
        stack = pygame.Rect(column.x, self.text_area.bottom + m * 2, column.width, stack_h)
        for (key, style), r in zip(CHOICES, column_rects(stack, 3, g)):
            self.buttons.add(Button(f"consent:{key}", r, self.words(key), style, size=t.sizes.body))
        self._preview = None

    def on_button(self, button: Button) -> str | None:
        if button.name == "speak":
            self.read_aloud(*(self.words(k) for k in ("question", "explanation", "public", "print", "discard")))
            return None
        if button.name == "back":
            return self.visit.answer_scene
        choice = button.name.split(":", 1)[1]
        self.app.finish_visit(None if choice == "discard" else choice)
        return None

    def paint(self, surface: pygame.Surface) -> None:
        t = self.theme
        a = self.text_area
        draw_block(surface, self.question, pygame.Rect(a.x, a.y, a.width, self.question.height), th.INK)
        draw_block(surface, self.explanation,
                   pygame.Rect(a.x, a.y + self.question.height + t.gap, a.width, self.explanation.height), th.MUTED)
        self.paint_preview(surface)

    def paint_preview(self, surface: pygame.Surface) -> None:
        """The visitor's answer, small: what they are agreeing to keep."""
        t = self.theme
        area = self.preview_rect
        label = block(t, self.t("consent.preview"), area.width, t.sizes.small, True)
        draw_block(surface, label, pygame.Rect(area.x, area.y, area.width, label.height), th.MUTED,
                   "center" if t.portrait else "left")
        area = pygame.Rect(area.x, area.y + label.height + t.gap, area.width, area.height - label.height - t.gap)
        v = self.visit
        words = ", ".join(text_for(o.text, self.lang) for o in v.prompt.options if o.id in v.options) or typeset(v.text)
        words_h = 0
        if words:
            wb = fit(t, words, area.width, area.height // 3 if v.has_ink() else area.height, t.sizes.heading,
                     t.sizes.small, True)
            draw_block(surface, wb, pygame.Rect(area.x, area.y, area.width, wb.height), th.INK)
            words_h = wb.height + t.gap
        if v.has_ink():
            d = v.drawing
            box = pygame.Rect(area.x, area.y + words_h, area.width, area.height - words_h)
            scale = min(box.width / d.width, box.height / d.height)
            frame = pygame.Rect(box.x, box.y, int(d.width * scale), int(d.height * scale))
            frame.centerx = box.centerx
            if self._preview is None or self._preview.get_size() != frame.size:
                replay = Replay(d, frame.size)
                replay.finish()
                self._preview = replay.surface
            shadow(surface, frame, 4, t.px(10))
            surface.blit(self._preview, frame)
            rounded(surface, th.LINE, frame.inflate(2, 2), 2, 1)
