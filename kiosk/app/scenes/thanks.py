"""Thanks: the answer's number in the session and, for a public answer when the archive's
address is known, the QR code of its future page. Back to the welcome screen by itself."""

from __future__ import annotations

import pygame

from kiosk.app import theme as th
from kiosk.app.qr import qr_surface
from kiosk.app.scene import Scene
from kiosk.app.ui import block, draw_block, fit, rounded, shadow
from kiosk.urls import response_url


class ThanksScene(Scene):
    name = "thanks"

    def enter(self) -> None:
        self.result = self.app.result
        self.elapsed = 0.0
        self.number: int | None = None
        self.url = ""
        if self.result is not None:
            response = self.result[0]
            base = self.app.settings.archive_base_url
            if response.consent == "public" and base:
                self.url = response_url(base, response.id)
        self._bar_shown = -1
        super().enter()

    def layout(self) -> None:
        t = self.theme
        m = t.margin
        W, H = t.size
        if self.url:
            if t.portrait:
                self.text_rect = pygame.Rect(m * 2, int(H * 0.1), W - 4 * m, int(H * 0.42))
                side = min(W - 4 * m, int(H * 0.3), t.px(620))
                self.qr_rect = pygame.Rect(0, 0, side, side)
                self.qr_rect.midtop = (W // 2, self.text_rect.bottom + m)
            else:
                side = min(int(H * 0.56), int(W * 0.34))
                self.qr_rect = pygame.Rect(0, 0, side, side)
                self.qr_rect.midright = (W - m * 3, int(H * 0.46))
                self.text_rect = pygame.Rect(m * 3, int(H * 0.16), self.qr_rect.x - m * 5, int(H * 0.62))
        else:
            self.qr_rect = pygame.Rect(0, 0, 0, 0)
            self.text_rect = pygame.Rect(m * 3, int(H * 0.2), W - 6 * m, int(H * 0.55))
        self.bar = pygame.Rect(0, 0, min(W - 4 * m, t.px(900)), max(6, t.px(10)))
        self.bar.midbottom = (W // 2, H - m * 2)
        self.finish_rect = pygame.Rect(m, self.bar.y - t.target - t.gap, W - 2 * m, t.target)

    def update(self, dt: float) -> str | None:
        self.elapsed += dt
        if self.result is not None and self.number is None and self.result[1].done():
            self.number = self.result[1].result() or 0
            self.invalidate()
        shown = int(self.bar.width * self._fraction_left())
        if shown != self._bar_shown:
            self._bar_dirty = True
        if self.elapsed >= self.app.settings.thanks_timeout_s:
            return "welcome"
        return None

    def _fraction_left(self) -> float:
        return max(0.0, 1 - self.elapsed / max(0.1, self.app.settings.thanks_timeout_s))

    def on_event(self, event: pygame.event.Event, p) -> str | None:
        return "welcome" if self.touched(p) else None

    def draw(self, surface: pygame.Surface) -> list[pygame.Rect] | None:
        if self.dirty:
            super().draw(surface)
            self._draw_bar(surface)
            return None
        if getattr(self, "_bar_dirty", False):
            return [self._draw_bar(surface)]
        return []

    def _draw_bar(self, surface: pygame.Surface) -> pygame.Rect:
        self._bar_dirty = False
        surface.fill(self.background, self.bar)
        rounded(surface, th.LINE, self.bar, self.bar.height // 2)
        left = self.bar.copy()
        left.width = int(self.bar.width * self._fraction_left())
        self._bar_shown = left.width
        if left.width > 0:
            rounded(surface, th.ACCENT, left, self.bar.height // 2)
        return self.bar

    def paint(self, surface: pygame.Surface) -> None:
        t = self.theme
        r = self.text_rect
        align = "center" if not self.url or t.portrait else "left"
        title = block(t, self.t("thanks.title"), r.width, int(t.sizes.title * 1.3), True)
        parts = []
        if self.result is None:
            parts.append(self.t("thanks.discarded"))
        else:
            if self.number:
                parts.append(self.t("thanks.number", n=self.number))
            parts.append(self.t("thanks.public" if self.result[0].consent == "public" else "thanks.print"))
            if self.url:
                parts.append(self.t("thanks.qr"))
        body = fit(t, "\n".join(parts), r.width, r.height - title.height - t.margin, t.sizes.heading, t.sizes.body)
        total = title.height + t.margin + body.height
        y = r.y + max(0, (r.height - total) // 2)
        draw_block(surface, title, pygame.Rect(r.x, y, r.width, title.height), th.ACCENT_DARK, align)
        draw_block(surface, body, pygame.Rect(r.x, y + title.height + t.margin, r.width, body.height), th.INK, align)
        if self.url:
            card = self.qr_rect
            shadow(surface, card, t.radius, t.px(12))
            rounded(surface, th.WHITE, card, t.radius)
            code = qr_surface(self.url, card.width - 2 * t.gap)
            surface.blit(code, code.get_rect(center=card.center))
            # The address in words too, for whoever has no camera at hand.
            url = block(t, self.url, card.width + 2 * t.margin, t.sizes.label)
            draw_block(surface, url, pygame.Rect(card.x - t.margin, card.bottom + t.gap, card.width + 2 * t.margin,
                                                 url.height), th.MUTED, "center")
        fin = block(t, self.t("thanks.finish"), self.finish_rect.width, t.sizes.body)
        draw_block(surface, fin, self.finish_rect, th.MUTED, "center", "center")
