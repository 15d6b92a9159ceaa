"""Colours, type sizes and spacing, all derived from the screen's size.

Sizes are given for a 1080-pixel short side and scaled from the real one, with floors
so that touch targets stay at least ~12 mm (48 px at 96 dpi) and text stays legible from
a step back on a small screen. Only the bundled fonts are used (DejaVu Sans).
"""

from __future__ import annotations

from dataclasses import dataclass

import pygame

from kiosk.resources import FONT_BOLD, FONT_REGULAR

Colour = tuple[int, int, int]

# Calm and clear: warm paper, near-black ink, one deep teal for what to touch next.
PAPER: Colour = (246, 243, 237)
CARD: Colour = (255, 255, 255)
INK: Colour = (29, 28, 26)
MUTED: Colour = (92, 88, 82)  # 6.3:1 on PAPER
LINE: Colour = (213, 206, 195)
ACCENT: Colour = (18, 92, 88)  # white text on it: 7.4:1
ACCENT_DARK: Colour = (10, 64, 61)
ACCENT_SOFT: Colour = (221, 236, 233)
DANGER: Colour = (168, 36, 28)
DANGER_SOFT: Colour = (252, 234, 231)
WARN: Colour = (122, 78, 0)
WARN_SOFT: Colour = (253, 243, 214)
DISABLED: Colour = (133, 127, 119)  # 3.6:1 on PAPER: still readable, plainly not ink
WHITE: Colour = (255, 255, 255)
SCRIM = (20, 20, 18, 150)  # behind a dialog


def hex_colour(value: str) -> Colour:
    value = value.lstrip("#")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


def luminance(colour: Colour) -> float:
    """Relative luminance (WCAG), to pick readable text on a coloured background."""
    def channel(c: int) -> float:
        s = c / 255
        return s / 12.92 if s <= 0.03928 else ((s + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(c) for c in colour)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


@dataclass(frozen=True)
class Sizes:
    title: int
    question: int
    heading: int
    body: int
    small: int
    label: int


class Theme:
    """Metrics for one screen size. Make a new one when the window changes size."""

    def __init__(self, size: tuple[int, int]) -> None:
        self.size = size
        w, h = size
        self.width, self.height = w, h
        self.unit = max(0.4, min(w, h) / 1080)
        self.portrait = h > w * 1.05
        self.margin = self.px(44)
        self.gap = self.px(18)
        self.radius = self.px(18)
        # A finger is ~12 mm wide: at 96 dpi that is 48 px; prefer 80 px and more on big screens.
        self.target = max(56, self.px(104))
        self.sizes = Sizes(
            title=max(34, self.px(76)),
            question=max(26, self.px(50)),
            heading=max(26, self.px(44)),
            body=max(20, self.px(34)),
            small=max(17, self.px(27)),
            label=max(16, self.px(24)),
        )
        self._fonts: dict[tuple[int, bool], pygame.font.Font] = {}

    def px(self, value: float) -> int:
        return max(1, round(value * self.unit))

    def font(self, size: int, bold: bool = False) -> pygame.font.Font:
        key = (size, bold)
        font = self._fonts.get(key)
        if font is None:
            font = pygame.font.Font(str(FONT_BOLD if bold else FONT_REGULAR), size)
            self._fonts[key] = font
        return font
