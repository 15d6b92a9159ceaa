"""Consent, in plain words and in the visitor's language: share it (zine and archive), the
printed zine only, or don't keep it. The words come from the settings (each exhibition
words its own); their version is stored with the response.

The three choices have the same weight (one style, one size): the screen does not push the
visitor towards any of them. The question names what they made (a drawing, a choice, words).
None of the choices sits where the finger that pressed Done was.
"""

from __future__ import annotations

from collections.abc import Callable

import pygame

from kiosk import i18n
from kiosk.app import steps
from kiosk.app import theme as th
from kiosk.app.replay import Replay
from kiosk.app.scene import VisitScene
from kiosk.app.ui import Button, TextBlock, block, draw_block, fit, quietly, rounded, shadow
from kiosk.app.ui import column as column_rects
from kiosk.config import consent_text
from kiosk.prompts import text_for

CHOICES = ("public", "print", "discard")


def clear_stack(column: pygame.Rect, top: int, heights: list[int], gap: int,
                avoid: pygame.Rect | None, beside: bool = False) -> pygame.Rect | None:
    """A rectangle for a stack of buttons in `column`, starting at `top` or lower, that misses
    `avoid`: as placed, else just above it, else just below it, else (if `beside`) narrowed to
    one side of it; None if none fits."""
    for h in heights:
        stack_h = h * 3 + gap * 2
        natural = pygame.Rect(column.x, top, column.width, stack_h)
        if avoid is None or not natural.colliderect(avoid):
            if natural.bottom <= column.bottom:
                return natural
            continue
        for y in (avoid.y - gap - stack_h, avoid.bottom + gap):
            r = pygame.Rect(column.x, y, column.width, stack_h)
            if r.y >= top and r.bottom <= column.bottom:
                return r
        sides = [pygame.Rect(column.x, top, avoid.x - gap - column.x, stack_h),
                 pygame.Rect(avoid.right + gap, top, column.right - avoid.right - gap, stack_h)]
        for r in sides if beside else []:
            if r.width >= column.width // 2 and r.bottom <= column.bottom and not r.colliderect(avoid):
                return r
    return None


def low_stack(column: pygame.Rect, top: int, heights: list[int], gap: int,
              avoid: pygame.Rect | None) -> pygame.Rect | None:
    """A stack of buttons as low in `column` as it can go (the words get the room above it), below
    `top` and missing `avoid`: at the bottom, else just above `avoid`, else at the bottom beside it
    (at least half the column wide); of those, the one leaving the words the most room."""
    for h in heights:
        stack_h = h * 3 + gap * 2
        y = column.bottom - stack_h
        found = [pygame.Rect(column.x, y, column.width, stack_h)]
        if avoid is not None:
            found += [pygame.Rect(column.x, avoid.y - gap - stack_h, column.width, stack_h),
                      pygame.Rect(column.x, y, avoid.x - gap - column.x, stack_h),
                      pygame.Rect(avoid.right + gap, y, column.right - avoid.right - gap, stack_h)]
        found = [r for r in found if r.y >= top and r.width >= column.width // 2
                 and (avoid is None or not r.colliderect(avoid))]
        if found:
            return max(found, key=lambda r: (r.y, r.width))
    return None


class ConsentScene(VisitScene):
    name = "consent"
    idle = True

    def enter(self) -> None:
        self.visit.restored = False  # after a restart, the preview of the answer says it was kept
        self.app.checkpoint()  # a restart comes back here, answer and all
        self._preview: pygame.Surface | None = None
        super().enter()

    def words(self, key: str) -> str:
        kind = self.visit.prompt.kind
        if kind != "draw" and self.visit.has_ink():
            kind = ""  # words or a choice, and a drawing: "your answer" (the question for every kind)
        texts = consent_text(self.app.settings.consent, key, kind)
        return text_for(texts, self.lang, [self.app.settings.default_language])

    def layout(self) -> None:
        t = self.theme
        m, g = t.margin, t.gap
        W, H = t.size
        self.buttons.clear()
        back = self.back_button("back", self.t("consent.back"), t.px(520))
        speak_w = min(t.px(300), (W - back.rect.right - 2 * m) // 2)
        self.speak_button(pygame.Rect(W - m - speak_w, m, speak_w, t.target))
        room = W - back.rect.right - 2 * m - speak_w - g
        if steps.width(t, self.lang, steps.KEEP) <= room:  # between the two buttons
            self.steps_rect, self.steps_align = pygame.Rect(back.rect.right + m, m, room, t.target), "right"
            top = m + t.target + m
        else:  # a narrow screen: a line of its own under them, never squeezed small
            self.steps_rect = pygame.Rect(m, m + t.target + g, W - 2 * m, steps.height(t))
            self.steps_align = "left"
            top = self.steps_rect.bottom + m
        avoid = self.app.avoid_rect()
        heights = [int(t.target * 1.4), int(t.target * 1.15), t.target]
        stack = None
        # Full width if it can be (the preview and the words smaller, the buttons lower), else beside
        # the old finger. (beside, room for the words, portrait preview's share of the height)
        tries = ((False, 0.5, 0.26), (False, 0.5, 0.18), (False, 0.35, 0.14), (True, 0.5, 0.26), (True, 0.35, 0.2),
                 (True, 0.2, 0.14), (False, 0.6, 0.1), (True, 0.6, 0.1), (False, 0.7, 0.06), (True, 0.7, 0.06))
        for n, (beside, share, preview_share) in enumerate(tries):
            last = n == len(tries) - 1
            if t.portrait:
                preview_h = int(H * preview_share)
                column = pygame.Rect(m, top + preview_h + m, W - 2 * m, H - top - preview_h - 2 * m)
            else:
                left = int(W * 0.36)
                column = pygame.Rect(left + m * 2, top, W - left - m * 4, H - top - m * 2)
            room = int(column.height * share)
            # Trial layouts are fitted quietly: only the one kept counts (the layout tests read it).
            fitter = fit if last else quietly
            question = fitter(t, self.words("question"), column.width, room * 2 // 3, t.sizes.title,
                              t.sizes.question, True)
            explanation = fitter(t, self.words("explanation"), column.width, room - question.height - g,
                                 t.sizes.heading, t.sizes.body)
            text_h = question.height + g + explanation.height
            stack = clear_stack(column, column.y + text_h + m, heights, g, avoid, beside)
            whole = not (question.ellipsized or explanation.ellipsized)
            if stack is not None and (whole or last):
                if not last:  # fitted again, recorded, now that this layout is the one
                    question = fit(t, self.words("question"), column.width, room * 2 // 3, t.sizes.title,
                                   t.sizes.question, True)
                    explanation = fit(t, self.words("explanation"), column.width, room - question.height - g,
                                      t.sizes.heading, t.sizes.body)
                break
        if stack is None:
            # The words fit whole in no layout: the choices first, low and clear of the old finger,
            # the words in the room above them, smaller. In a tiny window where the words would then
            # be cut, the choices go anywhere (the guard still holds). Never over the words: they
            # are read before choosing.
            anywhere = low_stack(column, column.y, heights[-1:], g, None) or pygame.Rect(
                column.x, column.bottom - heights[-1] * 3 - 2 * g, column.width, heights[-1] * 3 + 2 * g)
            clear = low_stack(column, column.y + t.target, heights[::-1], g, avoid)
            whole = clear is not None and not any(b.ellipsized for b in self._words_above(column, clear, quietly))
            stack = clear if clear is not None and whole else anywhere
            question, explanation = self._words_above(column, stack, fit)
            text_h = question.height + g + explanation.height
        self.question, self.explanation = question, explanation
        # The words sit just above the choices, wherever the choices had to go.
        self.text_area = pygame.Rect(column.x, max(column.y, stack.y - m - text_h), column.width, text_h)
        if t.portrait and not self.visit.has_ink():  # words only: the whole space above the question
            self.preview_rect = pygame.Rect(m * 2, top, W - 4 * m, self.text_area.y - top - m)
        elif t.portrait:
            self.preview_rect = pygame.Rect(m * 2, top, W - 4 * m, min(preview_h, self.text_area.y - top - m))
        else:
            self.preview_rect = pygame.Rect(m * 2, top, int(W * 0.36) - m * 2, H - top - m * 2)
        rects = column_rects(stack, 3, g)
        # One text size for the three (the size the longest needs): none looks more important.
        pad = t.px(20)
        size = min(fit(t, self.words(key), r.width - 2 * pad, r.height - t.px(12), t.sizes.body,
                       max(14, int(t.sizes.body * 0.7)), True, 1.05).size for key, r in zip(CHOICES, rects))
        for key, r in zip(CHOICES, rects):
            self.buttons.add(Button(f"consent:{key}", r, self.words(key), "secondary", size=size))
        self._preview = None

    def _words_above(self, column: pygame.Rect, stack: pygame.Rect, fitter: Callable) -> tuple[TextBlock, TextBlock]:
        """The question and the explanation, fitted into the room between the column's top and `stack`."""
        t = self.theme
        room = max(1, stack.y - t.margin - column.y)
        question = fitter(t, self.words("question"), column.width, room * 2 // 3, t.sizes.title, t.sizes.question, True)
        explanation = fitter(t, self.words("explanation"), column.width, room - question.height - t.gap,
                             t.sizes.heading, t.sizes.body)
        return question, explanation

    def on_button(self, button: Button) -> str | None:
        if button.name == "speak":
            self.read_aloud(*(self.words(k) for k in ("question", "explanation", "public", "print", "discard")))
            return None
        if button.name == "back":
            return self.visit.answer_scene
        self.app.left_from([b.rect for b in self.buttons.items if b.name.startswith("consent:")])
        choice = button.name.split(":", 1)[1]
        self.app.finish_visit(None if choice == "discard" else choice)
        return None

    def paint(self, surface: pygame.Surface) -> None:
        t = self.theme
        a = self.text_area
        steps.paint(surface, t, self.steps_rect, self.lang, steps.KEEP, self.steps_align)
        draw_block(surface, self.question, pygame.Rect(a.x, a.y, a.width, self.question.height), th.INK)
        draw_block(surface, self.explanation,
                   pygame.Rect(a.x, a.y + self.question.height + t.gap, a.width, self.explanation.height), th.MUTED)
        self.paint_preview(surface)

    def paint_preview(self, surface: pygame.Surface) -> None:
        """The visitor's answer, small: what they are agreeing to keep."""
        t = self.theme
        area = self.preview_rect
        if area.height <= 0:
            return
        label = block(t, self.t("consent.preview"), area.width, t.sizes.small, True)
        v = self.visit
        chosen = ", ".join(text_for(o.text, self.lang) for o in v.prompt.options if o.id in v.options)
        words = chosen or i18n.typeset(v.text)
        below = area.height - label.height - t.gap
        wb = fit(t, words, area.width, below // 3 if v.has_ink() else below, t.sizes.heading, t.sizes.small,
                 True) if words else None
        if t.portrait and not v.has_ink() and wb is not None:
            # Words only, in portrait: in the middle of the space above the question, not stuck at
            # its top with an empty band below.
            used = label.height + t.gap + wb.height
            area = pygame.Rect(area.x, area.y + max(0, (area.height - used) // 2), area.width, used)
        draw_block(surface, label, pygame.Rect(area.x, area.y, area.width, label.height), th.MUTED,
                   "center" if t.portrait else "left")
        area = pygame.Rect(area.x, area.y + label.height + t.gap, area.width, area.height - label.height - t.gap)
        words_h = 0
        if wb is not None:
            draw_block(surface, wb, pygame.Rect(area.x, area.y, area.width, wb.height), th.INK,
                       "center" if t.portrait else "left")
            words_h = wb.height + t.gap
        if v.has_ink() and v.drawing is not None:
            d = v.drawing
            box = pygame.Rect(area.x, area.y + words_h, area.width, area.height - words_h)
            if box.height <= 0:
                return
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
