"""Colours, type sizes and spacing, all derived from the screen's size.

Sizes are given for a 1080-pixel short side and scaled from the real one, with floors
so that touch targets stay at least ~12 mm (48 px at 96 dpi) and text stays legible from
a step back on a small screen. Only the bundled fonts are used (DejaVu Sans).

A visitor may ask for large text and high contrast (the welcome screen's toggle): the same
theme with bigger type and the pale greys turned to ink (Theme.large, Theme.colour()).
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
DISABLED: Colour = (128, 122, 114)  # 3.9:1 on PAPER: greyed, still readable
WHITE: Colour = (255, 255, 255)
SCRIM = (20, 20, 18, 150)  # behind a dialog

# High contrast: what each pale colour becomes (text and edges near-black, disabled still readable).
HIGH_CONTRAST: dict[Colour, Colour] = {
    MUTED: INK,
    LINE: (60, 58, 54),
    DISABLED: (88, 84, 78),
    PAPER: WHITE,
    ACCENT: ACCENT_DARK,
    WARN: (90, 56, 0),
}
LARGE_SCALE = 1.3  # type sizes in large-text mode
MIN_WINDOW = (800, 480)  # below this the kiosk asks for a bigger window instead of laying out


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
    least: int  # the smallest text anything may shrink to (legible from a step back)


class Theme:
    """Metrics for one screen size. Make a new one when the window changes size."""

    def __init__(self, size: tuple[int, int], large: bool = False) -> None:
        self.size = size
        w, h = size
        self.width, self.height = w, h
        self.large = large
        self.unit = max(0.4, min(w, h) / 1080)
        self.portrait = h > w * 1.05
        self.margin = self.px(44)
        self.gap = self.px(18)
        self.radius = self.px(18)
        # A finger is ~12 mm wide: at 96 dpi that is 48 px; prefer 80 px and more on big screens.
        self.target = max(56, self.px(104 * (1.2 if large else 1.0)))
        k = LARGE_SCALE if large else 1.0
        self.sizes = Sizes(
            title=max(34, self.px(76 * min(k, 1.15))),
            question=max(26, self.px(50 * k)),
            heading=max(26, self.px(44 * k)),
            body=max(20, self.px(34 * k)),
            small=max(17, self.px(27 * k)),
            label=max(16, self.px(24 * k)),
            least=max(14, self.px(18 * min(k, 1.15))),
        )
        self.too_small = w < MIN_WINDOW[0] or h < MIN_WINDOW[1]
        # Every fitted text is noted here when a test asks (a list), to check nothing was cut.
        self.fits: list | None = None
        self._fonts: dict[tuple[int, bool], pygame.font.Font] = {}

    def colour(self, colour: Colour) -> Colour:
        """`colour` as this theme shows it: the pale ones darker in high contrast."""
        return HIGH_CONTRAST.get(colour, colour) if self.large else colour

    @property
    def paper(self) -> Colour:
        return self.colour(PAPER)

    def px(self, value: float) -> int:
        return max(1, round(value * self.unit))

    def font(self, size: int, bold: bool = False) -> pygame.font.Font:
        key = (size, bold)
        font = self._fonts.get(key)
        if font is None:
            font = pygame.font.Font(str(FONT_BOLD if bold else FONT_REGULAR), size)
            self._fonts[key] = font
        return font
