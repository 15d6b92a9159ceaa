"""Choosing a question: big cards, a page at a time (a finger turns pages more surely than it scrolls)."""

from __future__ import annotations

from typing import cast

import pygame

from kiosk import i18n
from kiosk.app import theme as th
from kiosk.app.scene import Scene
from kiosk.app.theme import Theme
from kiosk.app.ui import Button, block, draw_block, fit, icon, quietly, rounded, shadow
from kiosk.prompts import Prompt, text_for

KIND_KEYS = {"draw": "kind.draw", "choice": "kind.choice", "text": "kind.text"}
KIND_ICONS = {"draw": "pen", "choice": "done", "text": "keyboard"}


def card_text_rect(r: pygame.Rect, theme: Theme) -> pygame.Rect:
    pad = theme.px(28)
    label_h = theme.sizes.label + theme.px(10)
    return pygame.Rect(r.x + pad, r.y + pad, r.width - 2 * pad, r.height - 2 * pad - label_h - theme.px(8))


class Card(Button):
    """A question on a card: its words big, what kind of answer it takes small, below."""

    def draw(self, surface: pygame.Surface, theme: Theme) -> None:
        r = self.rect
        lift = 0 if self.pressed else theme.px(10)
        if lift:
            shadow(surface, r, theme.radius, lift)
        rounded(surface, th.ACCENT_SOFT if self.pressed else th.CARD, r, theme.radius)
        prompt, lang, size = cast("tuple[Prompt, str, int]", self.data)
        text_rect = card_text_rect(r, theme)
        tb = fit(theme, text_for(prompt.text, lang), text_rect.width, text_rect.height, size, size)
        draw_block(surface, tb, text_rect, th.INK)
        kind = i18n.t(KIND_KEYS[prompt.kind], lang)
        font = theme.font(theme.sizes.label, True)
        img = font.render(kind, True, theme.colour(th.ACCENT))
        label_h = theme.sizes.label + theme.px(10)
        ic = pygame.Rect(text_rect.x, r.bottom - (text_rect.x - r.x) - label_h, label_h, label_h)
        icon(surface, KIND_ICONS[prompt.kind], ic, theme.colour(th.ACCENT), theme)
        surface.blit(img, img.get_rect(midleft=(ic.right + theme.px(8), ic.centery)))


class QuestionScene(Scene):
    name = "question"
    idle = True

    def enter(self) -> None:
        self.page = self.app.question_page  # back from an answer: the page the visitor came from
        super().enter()

    def _fits(self, cols: int, rows: int, area: pygame.Rect, longest: str) -> bool:
        """Does the longest question stay readable on a card of this grid?"""
        t = self.theme
        card_w = (area.width - t.gap * (cols - 1)) // cols
        card_h = (area.height - t.gap * (rows - 1)) // rows
        if card_w < t.px(300) or card_h < t.target * 1.4:
            return False
        box = card_text_rect(pygame.Rect(0, 0, card_w, card_h), t)
        readable = max(t.sizes.least, t.sizes.small)
        tb = quietly(t, longest, box.width, box.height, readable, readable)
        return not tb.ellipsized and tb.height <= box.height

    def _grid(self, area: pygame.Rect) -> tuple[int, int]:
        """Columns and rows: the fewest pages, each card readable; then the biggest cards."""
        prompts = self.app.prompts.prompts
        longest = max((text_for(p.text, self.lang) for p in prompts), key=len, default="")
        best: tuple[int, int, int] | None = None  # (pages, cards a page, -cols)
        choice = (1, 1)
        t = self.theme
        # Large text: fewer, wider cards (the words stay big).
        for cols in ((1, 2, 3) if t.portrait else (2, 3) if t.large else (2, 3, 4)):
            for rows in range(1, 7):
                if not self._fits(cols, rows, area, longest):
                    break
                per_page = cols * rows
                pages = -(-len(prompts) // per_page)
                key = (pages, per_page, -cols)
                if best is None or key < best:
                    best, choice = key, (cols, rows)
                if per_page >= len(prompts):
                    break
        return choice

    def layout(self) -> None:
        t = self.theme
        m, g = t.margin, t.gap
        W, H = t.size
        self.buttons.clear()
        top = pygame.Rect(m, m, W - 2 * m, t.target)
        back = self.back_button("back", self.t("question.back"), t.px(260) + t.target)
        langs = [c for c in self.app.settings.languages if c != self.lang]
        if langs:
            w = t.px(300)
            for i, code in enumerate(langs):
                r = pygame.Rect(top.right - (i + 1) * w - i * g, top.y, w, t.target)
                self.buttons.add(Button(f"lang:{code}", r, i18n.language_name(code), "quiet", size=t.sizes.body))
        right = top.right - len(langs) * (t.px(300) + g)  # left of the language buttons
        speak_w = max(t.target, min(t.px(300), right - back.rect.right - g))
        speak = self.speak_button(pygame.Rect(right - speak_w, top.y, speak_w, t.target))
        self.title_rect = pygame.Rect(back.rect.right + g, top.y, speak.rect.x - g - back.rect.right - g, t.target)
        if t.portrait:  # narrow: the title gets its own line under the buttons
            self.title_rect = pygame.Rect(m, top.bottom + g, W - 2 * m, t.target)
            top = top.union(self.title_rect)
        prompts = self.app.prompts.prompts
        footer = t.target + m
        area = pygame.Rect(m, top.bottom + m, W - 2 * m, H - top.bottom - 2 * m)
        cols, rows = self._grid(area)
        per_page = cols * rows
        self.pages = max(1, -(-len(prompts) // per_page))
        if self.pages > 1:
            cols, rows = self._grid(area.inflate(0, -footer).move(0, -footer // 2))
            per_page = cols * rows
            self.pages = max(1, -(-len(prompts) // per_page))
            area.height -= footer
        self.page = self.app.question_page = min(self.page, self.pages - 1)
        card_w = (area.width - g * (cols - 1)) // cols
        # The cards fill the area (no empty band under one short row), within reason.
        card_h = min((area.height - g * (rows - 1)) // rows, int(card_w * 2))
        shown = prompts[self.page * per_page:(self.page + 1) * per_page]
        # One size for every card of the page (the one the longest question needs): calmer to read.
        box = card_text_rect(pygame.Rect(0, 0, card_w, card_h), t)
        size = min((quietly(t, text_for(p.text, self.lang), box.width, box.height, t.sizes.heading,
                        t.sizes.least).size for p in shown), default=t.sizes.heading)
        for i, prompt in enumerate(shown):
            c, n = i % cols, i // cols
            rect = pygame.Rect(area.x + c * (card_w + g), area.y + n * (card_h + g), card_w, card_h)
            self.buttons.add(Card(f"prompt:{prompt.id}", rect, data=(prompt, self.lang, size)))
        if self.pages > 1:
            y = H - m - t.target
            w = min(t.px(480), (W - 2 * m - t.px(220)) // 2)
            self.buttons.add(Button("previous", pygame.Rect(m, y, w, t.target), self.t("question.previous"),
                                    "secondary", icon="back", enabled=self.page > 0))
            self.buttons.add(Button("next", pygame.Rect(W - m - w, y, w, t.target), self.t("question.next"),
                                    "primary" if self.page == 0 else "secondary", icon="next",
                                    enabled=self.page < self.pages - 1))
            self.page_rect = pygame.Rect(m + w, y, W - 2 * (m + w), t.target)

    def on_button(self, button: Button) -> str | None:
        name = button.name
        if name == "speak":  # the title, then the questions of this page
            cards = [cast(tuple, b.data)[0] for b in self.buttons.items if b.name.startswith("prompt:")]
            self.read_aloud(self.t("question.title"), *(text_for(p.text, self.lang) for p in cards))
            return None
        if name == "back":
            return "welcome"
        if name.startswith("lang:"):
            self.app.language = name.split(":", 1)[1]
        elif name == "next":
            self.page = self.app.question_page = self.page + 1
        elif name == "previous":
            self.page = self.app.question_page = self.page - 1
        elif name.startswith("prompt:"):
            prompt = cast("tuple[Prompt, str, int]", button.data)[0]
            self.app.start_visit(prompt)
            return None
        self.layout()
        self.invalidate()
        return None

    def paint(self, surface: pygame.Surface) -> None:
        t = self.theme
        tb = fit(t, self.t("question.title"), self.title_rect.width, self.title_rect.height, t.sizes.heading,
                 None, True)
        draw_block(surface, tb, self.title_rect, th.INK, "center", "center")
        if self.pages > 1:
            label = block(t, self.t("question.page", n=self.page + 1, total=self.pages), self.page_rect.width,
                          t.sizes.body)
            draw_block(surface, label, self.page_rect, th.MUTED, "center", "center")
