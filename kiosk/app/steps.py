"""Where the visitor is on the way: question · answer · keep? — one short line on the answer and
consent screens, so a visitor knows there is one more step before their answer is kept."""

from __future__ import annotations

import pygame

from kiosk import i18n
from kiosk.app import theme as th
from kiosk.app.theme import Theme

STEPS = ("step.question", "step.answer", "step.keep")
ANSWER, KEEP = 1, 2


def height(theme: Theme) -> int:
    return theme.sizes.label + theme.px(12)


def width(theme: Theme, lang: str, current: int) -> int:
    """The line's width at its own size (the label size)."""
    regular, bold = theme.font(theme.sizes.label), theme.font(theme.sizes.label, True)
    words = [i18n.t(key, lang, n=i + 1) for i, key in enumerate(STEPS)]
    return sum((bold if i == current else regular).size(w)[0] for i, w in enumerate(words)) + \
        regular.size("  ·  ")[0] * (len(words) - 1)


def paint(surface: pygame.Surface, theme: Theme, rect: pygame.Rect, lang: str, current: int,
          align: str = "left") -> pygame.Rect:
    """The three steps in `rect` (one line, smaller if it must); the current one bold, in the accent."""
    sep = "  ·  "
    words = [i18n.t(key, lang, n=i + 1) for i, key in enumerate(STEPS)]
    size = theme.sizes.label
    while True:
        regular, bold = theme.font(size), theme.font(size, True)
        widths = [(bold if i == current else regular).size(w)[0] for i, w in enumerate(words)]
        total = sum(widths) + regular.size(sep)[0] * (len(words) - 1)
        if total <= rect.width or size <= 12:
            break
        size -= 1
    x = rect.x if align == "left" else rect.right - total if align == "right" else rect.centerx - total // 2
    x = max(rect.x, x)  # too narrow even at the smallest size: cut at the right, never over a button
    cy = rect.centery
    old_clip = surface.get_clip()
    surface.set_clip(rect.clip(old_clip))
    for i, w in enumerate(words):
        font = bold if i == current else regular
        img = font.render(w, True, th.ACCENT if i == current else th.MUTED)
        surface.blit(img, img.get_rect(midleft=(x, cy)))
        x += widths[i]
        if i < len(words) - 1:
            s = regular.render(sep, True, th.MUTED)
            surface.blit(s, s.get_rect(midleft=(x, cy)))
            x += s.get_width()
    surface.set_clip(old_clip)
    return rect
