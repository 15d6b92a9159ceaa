"""Thanks: the answer's number in the session and, for a public answer when the archive's
address is known, the QR code of its future page with the address in words beside it.

Back to the welcome screen by itself: after `thanks_qr_s` when there is a code to scan (time to
unlock a phone), else after `thanks_timeout_s`. Touches do not end it early (a visitor reaching
for the code with a phone must not lose it); the "Finish" button does, and it sits where none of
the consent choices was."""

from __future__ import annotations

import pygame

from kiosk.app import theme as th
from kiosk.app.qr import qr_surface
from kiosk.app.scene import Scene
from kiosk.app.theme import Theme
from kiosk.app.ui import Button, block, draw_block, fit, rounded, shadow
from kiosk.urls import response_url


def address_lines(theme: Theme, url: str, width: int, size: int) -> tuple[list[str], pygame.font.Font]:
    """The address without its scheme, in lines cut only after a "/" (never inside a name or the
    answer's id), at `size` or smaller until every line fits `width`."""
    short = url.split("://", 1)[-1]
    parts = [p + "/" for p in short.rstrip("/").split("/")]
    for sz in range(size, 11, -1):
        font = theme.font(sz)
        lines: list[str] = []
        for part in parts:
            if lines and font.size(lines[-1] + part)[0] <= width:
                lines[-1] += part
            else:
                lines.append(part)
        if all(font.size(line)[0] <= width for line in lines):
            return lines, font
    return lines, font


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
        self.stay_s = self.app.settings.thanks_qr_s if self.url else self.app.settings.thanks_timeout_s
        self._bar_shown = -1
        self._bar_dirty = False
        super().enter()

    def layout(self) -> None:
        t = self.theme
        m = t.margin
        W, H = t.size
        self.buttons.clear()
        self.bar = pygame.Rect(0, 0, min(W - 4 * m, t.px(900)), max(6, t.px(10)))
        self.bar.midbottom = (W // 2, H - m)
        finish = self._place_finish(pygame.Rect(0, 0, max(t.px(420), t.target * 3), t.target))
        self.buttons.add(Button("finish", finish, self.t("thanks.finish"), "secondary", icon="done",
                                size=t.sizes.body))
        # The words and the code keep clear of the button.
        top = m * 2 if finish.y > H // 2 else finish.bottom + m
        bottom = finish.y - m if finish.y > H // 2 else self.bar.y - m
        if self.url:
            if t.portrait:
                self.text_rect = pygame.Rect(m * 2, top, W - 4 * m, int((bottom - top) * 0.36))
                side = min(W - 4 * m, int((bottom - self.text_rect.bottom) * 0.7), t.px(620))
                self.qr_rect = pygame.Rect(0, 0, side, side)
                self.qr_rect.midtop = (W // 2, self.text_rect.bottom + m)
                self.address_rect = pygame.Rect(m * 2, self.qr_rect.bottom + t.gap, W - 4 * m,
                                                bottom - self.qr_rect.bottom - t.gap)
            else:
                side = min(int((bottom - top) * 0.72), int(W * 0.3))
                self.qr_rect = pygame.Rect(0, 0, side, side)
                self.qr_rect.topright = (W - m * 3, top + max(0, (bottom - top - side) // 4))
                self.text_rect = pygame.Rect(m * 3, top, self.qr_rect.x - m * 5, bottom - top)
                self.address_rect = pygame.Rect(self.qr_rect.x - m, self.qr_rect.bottom + t.gap,
                                                self.qr_rect.width + 2 * m, bottom - self.qr_rect.bottom - t.gap)
        else:
            self.qr_rect = pygame.Rect(0, 0, 0, 0)
            self.address_rect = pygame.Rect(0, 0, 0, 0)
            self.text_rect = pygame.Rect(m * 3, top, W - 6 * m, bottom - top)

    def _place_finish(self, r: pygame.Rect) -> pygame.Rect:
        """Bottom left, else bottom right, else top left: the first place none of the consent
        choices covered (a double tap there lands on nothing)."""
        t = self.theme
        m = t.margin
        avoid = self.app.avoid_rect()
        y_low = self.bar.y - t.gap - r.height
        for pos in ((m * 2, y_low), (t.width - m * 2 - r.width, y_low), (m * 2, m), (t.width - m - r.width, m)):
            candidate = pygame.Rect(pos, r.size)
            if avoid is None or not candidate.colliderect(avoid):
                return candidate
        return pygame.Rect((m * 2, y_low), r.size)

    def update(self, dt: float) -> str | None:
        self.elapsed += dt
        if self.result is not None and self.number is None and self.result[1].done():
            self.number = self.result[1].result() or 0
            self.invalidate()
        shown = int(self.bar.width * self._fraction_left())
        if shown != self._bar_shown:
            self._bar_dirty = True
        if self.elapsed >= self.stay_s:
            return "welcome"
        return None

    def _fraction_left(self) -> float:
        return max(0.0, 1 - self.elapsed / max(0.1, self.stay_s))

    def on_button(self, button: Button) -> str | None:
        return "welcome" if button.name == "finish" else None

    def draw(self, surface: pygame.Surface) -> list[pygame.Rect] | None:
        if self.dirty:
            super().draw(surface)
            self._draw_bar(surface)
            return None
        rects = []
        if self.buttons.changed:
            rects.extend(self.buttons.draw_changed(surface, self.theme, self.background))
        if self._bar_dirty:
            rects.append(self._draw_bar(surface))
        return rects

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
        title = fit(t, self.t("thanks.title"), r.width, r.height // 3, int(t.sizes.title * 1.3), t.sizes.heading,
                    True)
        parts = []
        if self.result is None:
            parts.append(self.t("thanks.discarded"))
        else:
            if self.number:
                parts.append(self.t("thanks.number", n=self.number))
            parts.append(self.t("thanks.public" if self.result[0].consent == "public" else "thanks.print"))
            if self.url:
                parts.append(self.t("thanks.qr"))
        body = fit(t, "\n".join(parts), r.width, r.height - title.height - t.margin, t.sizes.heading, t.sizes.small)
        total = title.height + t.margin + body.height
        y = r.y + max(0, (r.height - total) // 2)
        draw_block(surface, title, pygame.Rect(r.x, y, r.width, title.height), th.ACCENT_DARK, align)
        draw_block(surface, body, pygame.Rect(r.x, y + title.height + t.margin, r.width, body.height), th.INK, align)
        if self.url:
            self._paint_code(surface)

    def _paint_code(self, surface: pygame.Surface) -> None:
        t = self.theme
        card = self.qr_rect
        shadow(surface, card, t.radius, t.px(12))
        rounded(surface, th.WHITE, card, t.radius)
        code = qr_surface(self.url, card.width - 2 * t.gap)
        surface.blit(code, code.get_rect(center=card.center))
        # The address in words too, for whoever has no camera at hand: short, cut only at a "/".
        a = self.address_rect
        lead = block(t, self.t("thanks.address"), a.width, t.sizes.label)
        lines, font = address_lines(t, self.url, a.width, t.sizes.body)
        y = a.y
        draw_block(surface, lead, pygame.Rect(a.x, y, a.width, lead.height), th.MUTED, "center")
        y += lead.height
        for line in lines:
            img = font.render(line, True, th.INK)
            surface.blit(img, img.get_rect(midtop=(a.centerx, y)))
            y += font.get_linesize()
