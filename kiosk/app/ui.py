"""Small drawing and input helpers shared by the screens: text that wraps and fits, buttons
that work with a mouse, a finger or several fingers, icons drawn with shapes, dialogs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import pygame

from kiosk.app import theme as th
from kiosk.app.theme import Colour, Theme

PointerId = tuple

# ------------------------------------------------------------------------------ pointers


@dataclass
class Pointer:
    """A press, a move or a release, from the mouse or one finger, in window pixels."""
    kind: str  # down | move | up
    pid: PointerId
    pos: tuple[int, int]


def pointer(event: pygame.event.Event, size: tuple[int, int]) -> Pointer | None:
    """The pointer action an event carries, or None. Mouse events SDL makes up from touches
    are ignored (their `touch` attribute): the finger events already carry them."""
    t = event.type
    if t in (pygame.FINGERDOWN, pygame.FINGERMOTION, pygame.FINGERUP):
        pos = (int(event.x * size[0]), int(event.y * size[1]))
        kind = {pygame.FINGERDOWN: "down", pygame.FINGERMOTION: "move", pygame.FINGERUP: "up"}[t]
        return Pointer(kind, ("finger", getattr(event, "touch_id", 0), event.finger_id), pos)
    if t in (pygame.MOUSEBUTTONDOWN, pygame.MOUSEBUTTONUP, pygame.MOUSEMOTION):
        if getattr(event, "touch", False):
            return None
        if t == pygame.MOUSEMOTION:
            return Pointer("move", ("mouse",), event.pos) if event.buttons and event.buttons[0] else None
        if getattr(event, "button", 1) != 1:
            return None
        return Pointer("down" if t == pygame.MOUSEBUTTONDOWN else "up", ("mouse",), event.pos)
    return None


INPUT_EVENTS = {pygame.FINGERDOWN, pygame.FINGERMOTION, pygame.FINGERUP, pygame.MOUSEBUTTONDOWN,
                pygame.MOUSEBUTTONUP, pygame.KEYDOWN, pygame.TEXTINPUT, pygame.MOUSEWHEEL}


def is_input(event: pygame.event.Event) -> bool:
    """A sign of a person at the screen (keeps the idle timer from running out)."""
    if event.type == pygame.MOUSEMOTION:
        return not getattr(event, "touch", False)
    return event.type in INPUT_EVENTS


# ---------------------------------------------------------------------------------- text


def split_words(text: str) -> list[str]:
    """Words separated by ordinary spaces; a no-break space (French « ? ») keeps its neighbours
    together, and so does a number and the short unit after it ("44,71 Go", "12 mm")."""
    words: list[str] = []
    for word in text.split(" "):
        if words and _UNIT.fullmatch(word) and _NUMBER.fullmatch(words[-1]):
            words[-1] += "\u00a0" + word
        else:
            words.append(word)
    return words


_NUMBER = re.compile(r"[\d.,\u202f]*\d")
_UNIT = re.compile(r"[^\W\d_]{1,3}\b.*|%.*")


def wrap(text: str, font: pygame.font.Font, width: int) -> tuple[list[str], bool]:
    """Lines of `text` no wider than `width`, and whether a word had to be cut between letters
    (a word too long for a line)."""
    lines: list[str] = []
    cut_any = False
    for paragraph in text.split("\n"):
        line = ""
        for word in split_words(paragraph):
            candidate = f"{line} {word}" if line else word
            if font.size(candidate)[0] <= width:
                line = candidate
                continue
            if line:
                lines.append(line)
            line = ""
            while font.size(word)[0] > width and len(word) > 1:
                cut = len(word) - 1
                while cut > 1 and font.size(word[:cut])[0] > width:
                    cut -= 1
                lines.append(word[:cut])
                word = word[cut:]
                cut_any = True
            line = word
        lines.append(line)
    return lines, cut_any


@dataclass
class TextBlock:
    """Lines of text at one size. Lines are `line_height` apart; the last one keeps its whole
    glyph height, so descenders are never cut at the bottom of a box."""
    lines: list[str]
    font: pygame.font.Font
    line_height: int
    size: int = 0
    ellipsized: bool = False  # the text did not fit even at its smallest size: its end is cut with "…"
    theme: Theme | None = None  # whose colours it is drawn in (high contrast)

    @property
    def height(self) -> int:
        if not self.lines:
            return 0
        return self.line_height * (len(self.lines) - 1) + max(self.line_height, self.font.get_height())

    def width(self) -> int:
        return max((self.font.size(line)[0] for line in self.lines), default=0)


@dataclass
class Fitted:
    """What one call of fit() did, noted on the theme when a test asks (Theme.fits)."""
    text: str
    box: tuple[int, int]
    size: int
    least: int
    block: tuple[int, int]
    ellipsized: bool
    word_cut: bool


def _sizes(largest: int, smallest: int) -> list[int]:
    out, size = [], largest
    while size > smallest:
        out.append(size)
        size = min(size - 1, int(size * 0.94))
    out.append(smallest)
    return out


def fit(theme: Theme, text: str, width: int, height: int, largest: int, smallest: int | None = None,
        bold: bool = False, spacing: float = 1.12, max_lines: int | None = None) -> TextBlock:
    """The one text-fitting routine of every label, title, caption, key and card.

    The text at the largest size from `largest` down to `smallest` (never below the theme's
    legible least) at which it fits the box: shrinking first, wrapping between words as needed
    (a no-break space keeps its neighbours together), at most `max_lines` lines. If it fits at no
    size, the smallest size is kept and its last line ends with an ellipsis — a last resort
    the tests treat as a bug for the catalogue's words.
    """
    least = min(largest, max(smallest or 0, theme.sizes.least))
    width, height = max(1, width), max(1, height)
    tb: TextBlock | None = None
    cut = False
    for size in _sizes(largest, least):
        font = theme.font(size, bold)
        lines, cut = wrap(text, font, width)
        tb = TextBlock(lines, font, _line_height(font, spacing), size, theme=theme)
        if not cut and tb.height <= height and (max_lines is None or len(lines) <= max_lines):
            break
    else:
        assert tb is not None
        _ellipsize(tb, width, height, max_lines)
    assert tb is not None
    if theme.fits is not None:
        theme.fits.append(Fitted(text, (width, height), tb.size, least, (tb.width(), tb.height), tb.ellipsized,
                                 cut and not tb.ellipsized))
    return tb


def quietly(theme: Theme, *args: Any, **kwargs: Any) -> TextBlock:
    """fit() for a trial layout (not noted in Theme.fits: only what is drawn is)."""
    noted, theme.fits = theme.fits, None
    try:
        return fit(theme, *args, **kwargs)
    finally:
        theme.fits = noted


def _line_height(font: pygame.font.Font, spacing: float) -> int:
    return max(1, round(font.get_linesize() * spacing / 1.16))


def _ellipsize(tb: TextBlock, width: int, height: int, max_lines: int | None) -> None:
    """Keep the lines that fit the box (one at least) and end the last with "…"."""
    n = 1
    while n < len(tb.lines) and (max_lines is None or n < max_lines) and \
            tb.line_height * n + max(tb.line_height, tb.font.get_height()) <= height:
        n += 1
    if n >= len(tb.lines) and all(tb.font.size(line)[0] <= width for line in tb.lines):
        return  # it fits after all (only a long word was cut): keep every line
    kept = tb.lines[:n]
    last = kept[-1].rstrip() + "…"
    while tb.font.size(last)[0] > width and len(last) > 1:
        last = last[:-2].rstrip() + "…"
    kept[-1] = last
    tb.lines = kept
    tb.ellipsized = True


def block(theme: Theme, text: str, width: int, size: int, bold: bool = False) -> TextBlock:
    """Text at one size, wrapped to `width` (as tall as it needs)."""
    return fit(theme, text, width, 1 << 20, size, size, bold, 1.05)


def draw_block(surface: pygame.Surface, tb: TextBlock, rect: pygame.Rect, colour: Colour,
               align: str = "left", valign: str = "top") -> pygame.Rect:
    """Draw the lines in `rect` (clipped to it); returns the area drawn."""
    total = tb.height
    if tb.theme is not None:
        colour = tb.theme.colour(colour)
    if valign == "center":
        y = rect.y + (rect.height - total) // 2
    elif valign == "bottom":
        y = rect.bottom - total
    else:
        y = rect.y
    drawn = pygame.Rect(rect.x, y, 0, 0)
    old_clip = surface.get_clip()
    surface.set_clip(rect.clip(old_clip) if old_clip else rect)
    for line in tb.lines:
        img = tb.font.render(line, True, colour)
        if align == "center":
            x = rect.x + (rect.width - img.get_width()) // 2
        elif align == "right":
            x = rect.right - img.get_width()
        else:
            x = rect.x
        surface.blit(img, (x, y))
        drawn.union_ip(pygame.Rect(x, y, img.get_width(), img.get_height()))
        y += tb.line_height
    surface.set_clip(old_clip)
    return drawn


def draw_text(surface: pygame.Surface, theme: Theme, text: str, pos: tuple[int, int], size: int,
              colour: Colour = th.INK, bold: bool = False, anchor: str = "topleft") -> pygame.Rect:
    img = theme.font(size, bold).render(text, True, colour)
    rect = img.get_rect(**{anchor: pos})
    surface.blit(img, rect)
    return rect


# ---------------------------------------------------------------------------- shapes


def rounded(surface: pygame.Surface, colour: Colour, rect: pygame.Rect, radius: int, width: int = 0) -> None:
    pygame.draw.rect(surface, colour, rect, width, border_radius=max(0, min(radius, rect.height // 2)))


def shadow(surface: pygame.Surface, rect: pygame.Rect, radius: int, depth: int) -> None:
    """A soft shadow under a card: a few faint layers, offset downwards (light from above)."""
    layer = pygame.Surface((rect.width + 2 * depth, rect.height + 2 * depth), pygame.SRCALPHA)
    for i in range(3):
        spread = depth * (3 - i) // 3
        r = pygame.Rect(depth - spread, depth - spread + depth // 3, rect.width + 2 * spread, rect.height + 2 * spread)
        pygame.draw.rect(layer, (60, 50, 40, 10 + 6 * i), r, border_radius=radius + spread)
    surface.blit(layer, (rect.x - depth, rect.y - depth))


def scrim(surface: pygame.Surface) -> None:
    layer = pygame.Surface(surface.get_size(), pygame.SRCALPHA)
    layer.fill(th.SCRIM)
    surface.blit(layer, (0, 0))


def icon(surface: pygame.Surface, name: str, rect: pygame.Rect, colour: Colour, theme: Theme) -> None:
    """Simple line icons, drawn so they need no image files and scale with the screen."""
    cx, cy = rect.center
    s = min(rect.width, rect.height)
    lw = max(2, s // 11)
    if name == "eraser":
        pts = [(cx - s * 0.42, cy + s * 0.12), (cx - s * 0.05, cy - s * 0.3), (cx + s * 0.42, cy + s * 0.02),
               (cx + s * 0.08, cy + s * 0.4)]
        pygame.draw.polygon(surface, colour, pts, lw)
        mid = [(cx - s * 0.22, cy - s * 0.09), (cx + s * 0.2, cy + s * 0.24)]
        pygame.draw.polygon(surface, colour, [pts[0], mid[0], mid[1], pts[3]])
        pygame.draw.line(surface, colour, (cx - s * 0.42, cy + s * 0.44), (cx + s * 0.42, cy + s * 0.44), lw)
    elif name == "bin":
        body = pygame.Rect(0, 0, s * 0.56, s * 0.6)
        body.midtop = (cx, cy - s * 0.2)
        pygame.draw.rect(surface, colour, body, lw, border_radius=max(1, lw))
        pygame.draw.line(surface, colour, (cx - s * 0.4, cy - s * 0.28), (cx + s * 0.4, cy - s * 0.28), lw)
        pygame.draw.line(surface, colour, (cx - s * 0.12, cy - s * 0.4), (cx + s * 0.12, cy - s * 0.4), lw)
        for dx in (-0.1, 0.1):
            pygame.draw.line(surface, colour, (cx + s * dx, cy - s * 0.08), (cx + s * dx, cy + s * 0.28), lw)
    elif name == "speaker":  # a loudspeaker and two sound waves
        cone = [(cx - s * 0.42, cy - s * 0.14), (cx - s * 0.22, cy - s * 0.14), (cx + s * 0.02, cy - s * 0.36),
                (cx + s * 0.02, cy + s * 0.36), (cx - s * 0.22, cy + s * 0.14), (cx - s * 0.42, cy + s * 0.14)]
        pygame.draw.polygon(surface, colour, cone)
        for k in (0.22, 0.4):
            arc = pygame.Rect(0, 0, s * k * 2, s * k * 2)
            arc.center = (round(cx + s * 0.02), round(cy))
            pygame.draw.arc(surface, colour, arc, -0.9, 0.9, lw)
    elif name == "textsize":  # a small and a big A
        big = theme.font(max(12, int(s * 0.8)), True).render("A", True, colour)
        small = theme.font(max(10, int(s * 0.45)), True).render("A", True, colour)
        x = cx - (big.get_width() + small.get_width()) // 2
        surface.blit(small, small.get_rect(bottomleft=(x, cy + big.get_height() // 2 - s * 0.08)))
        surface.blit(big, big.get_rect(bottomleft=(x + small.get_width(), cy + big.get_height() // 2)))
    else:
        glyph = {"undo": "↶", "redo": "↷", "done": "✓", "back": "←", "next": "→", "backspace": "⌫",
                 "shift": "⇧", "keyboard": "⌨", "pen": "✎", "close": "✕"}[name]
        img = theme.font(max(12, int(s * 0.8)), True).render(glyph, True, colour)
        surface.blit(img, img.get_rect(center=(cx, cy)))


# ---------------------------------------------------------------------------- buttons

STYLES = {
    # name: (fill, text, border)
    "primary": (th.ACCENT, th.WHITE, None),
    "secondary": (th.CARD, th.INK, th.LINE),
    "quiet": (th.PAPER, th.INK, th.LINE),
    "danger": (th.DANGER, th.WHITE, None),
    "danger-soft": (th.CARD, th.DANGER, th.DANGER),
}


@dataclass
class Button:
    name: str
    rect: pygame.Rect
    label: str = ""
    style: str = "secondary"
    icon: str | None = None
    enabled: bool = True
    selected: bool = False
    size: int | None = None  # text size; None: the theme's body size
    bold: bool = True
    swatch: Colour | None = None  # a colour button
    dot: int = 0  # a pen-width button: the dot's diameter
    pressed: bool = False
    data: object = None

    def draw(self, surface: pygame.Surface, theme: Theme) -> None:
        r = self.rect
        radius = theme.radius
        if self.swatch is not None:
            self._draw_swatch(surface, theme)
            return
        fill, text, border = STYLES[self.style]
        if self.selected and self.style in ("secondary", "quiet"):
            fill, text, border = th.ACCENT_SOFT, th.ACCENT_DARK, th.ACCENT
        if not self.enabled:
            fill, text, border = th.PAPER, th.DISABLED, th.LINE
        fill, text = theme.colour(fill), theme.colour(text)
        border = theme.colour(border) if border is not None else None
        if self.pressed and self.enabled:
            fill = (max(0, fill[0] - 28), max(0, fill[1] - 28), max(0, fill[2] - 28))
        rounded(surface, fill, r, radius)
        if border is not None:
            rounded(surface, border, r, radius, max(2, theme.px(3) if self.selected or theme.large else theme.px(2)))
        for kind, area, tb in self.text_layout(theme):
            if kind == "dot":
                pygame.draw.circle(surface, text, area.center, max(2, self.dot // 2))
            elif kind == "icon":
                icon(surface, self.icon or "", area, text, theme)
            else:
                draw_block(surface, tb, area, text, "center", "center")

    def text_layout(self, theme: Theme) -> list[tuple[str, pygame.Rect, TextBlock]]:
        """Where the dot, the icon and the words go: ("dot" | "icon" | "text", rect, text block).
        The words always go through fit(), so a label shrinks, then wraps, never clipped."""
        r = self.rect
        size = self.size or theme.sizes.body
        pad = min(theme.px(20), max(2, r.width // 10))
        vpad = min(theme.px(8), max(1, r.height // 12))
        none = TextBlock([], theme.font(size), 1)
        if self.dot:  # a pen-width button: the dot above its word
            words = pygame.Rect(r.x + pad // 2, r.y + int(r.height * 0.58), r.width - pad, int(r.height * 0.38))
            dot = pygame.Rect(0, 0, self.dot, self.dot)
            dot.center = (r.centerx, r.y + int(r.height * 0.32))
            tb = fit(theme, self.label, words.width, words.height, theme.sizes.label, None, False, 1.0, 2)
            return [("dot", dot, none), ("text", words, tb)]
        if self.icon and self.label and not (r.height >= r.width * 0.7 or self._icon_above(theme, size, pad)):
            icon_size = int(min(r.height * 0.5, size * 1.3))  # icon left of the words
            room = r.width - 2 * pad - icon_size - theme.px(14)
            tb = fit(theme, self.label, room, r.height - 2 * vpad, size, None, self.bold, 1.05)
            width = icon_size + theme.px(14) + tb.width()
            x = r.centerx - width // 2
            ic = pygame.Rect(x, r.centery - icon_size // 2, icon_size, icon_size)
            words = pygame.Rect(ic.right + theme.px(14), r.y + vpad, tb.width() + 1, r.height - 2 * vpad)
            return [("icon", ic, none), ("text", words, tb)]
        if self.icon and self.label:  # icon above a word (or two); a smaller icon if two lines need it
            for share in (0.5, 0.42, 0.36):
                top = r.y + int(r.height * (1 - share))
                words = pygame.Rect(r.x + pad // 2, top, r.width - pad, r.bottom - vpad - top)
                if not quietly(theme, self.label, words.width, words.height, theme.sizes.label, None, True, 1.0,
                               2).ellipsized:
                    break
            tb = fit(theme, self.label, words.width, words.height, theme.sizes.label, None, True, 1.0, 2)
            words.height = min(words.height, tb.height)
            words.bottom = r.bottom - vpad
            side = int(min(r.width * 0.6, (words.y - r.y) * 0.78))
            ic = pygame.Rect(0, 0, side, side)
            ic.center = (r.centerx, r.y + (words.y - r.y) // 2 + vpad // 2)
            return [("icon", ic, none), ("text", words, tb)]
        if self.icon and not self.label:
            side = int(min(r.width, r.height) * 0.5)
            return [("icon", pygame.Rect(r.centerx - side // 2, r.centery - side // 2, side, side), none)]
        words = r.inflate(-2 * pad, -2 * vpad)
        return [("text", words, fit(theme, self.label, words.width, words.height, size, None, self.bold, 1.05))]

    def _icon_above(self, theme: Theme, size: int, pad: int) -> bool:
        """A narrow button whose words would shrink a lot beside the icon puts the icon above them."""
        r = self.rect
        if r.width > theme.target * 2.2:  # a wide button wraps its words beside the icon instead
            return False
        icon_size = int(min(r.height * 0.5, size * 1.3))
        room = r.width - 2 * pad - icon_size - theme.px(14)
        return theme.font(int(size * 0.8), self.bold).size(self.label)[0] > room

    def _draw_swatch(self, surface: pygame.Surface, theme: Theme) -> None:
        assert self.swatch is not None
        swatch = self.swatch
        side = min(self.rect.width, self.rect.height)
        r = pygame.Rect(0, 0, side, side)
        r.center = self.rect.center
        if self.selected:  # a ring around the chosen colour
            pygame.draw.ellipse(surface, th.INK, r, max(3, theme.px(5)))
            inner = r.inflate(-theme.px(20), -theme.px(20))
        else:
            inner = r.inflate(-theme.px(12), -theme.px(12))
        pygame.draw.ellipse(surface, swatch, inner)
        if th.luminance(swatch) > 0.6:  # a pale colour needs an edge on white
            pygame.draw.ellipse(surface, th.LINE, inner, max(1, theme.px(2)))
        if self.selected:
            mark = th.WHITE if th.luminance(swatch) < 0.4 else th.INK
            icon(surface, "done", inner.inflate(-inner.width // 3, -inner.height // 3), mark, theme)


class Buttons:
    """A set of buttons: a press activates on release over the same button (so a finger can
    slide off to change its mind); each finger and the mouse are tracked on their own."""

    def __init__(self) -> None:
        self.items: list[Button] = []
        self._down: dict[PointerId, Button] = {}
        self._drawn: dict[int, tuple] = {}  # how each button looked when last drawn
        self._rebind: dict[PointerId, str] = {}  # presses to carry over a new layout
        self.changed = False

    def clear(self) -> None:
        """Forget the buttons (a new layout follows). A finger pressing one keeps pressing the
        button of the same name in the new layout, so a screen that moves on (progress, a timer)
        never loses a press."""
        self._rebind = {pid: b.name for pid, b in self._down.items()}
        self.items.clear()
        self._down.clear()

    def add(self, button: Button) -> Button:
        self.items.append(button)
        for pid, name in self._rebind.items():
            if name == button.name and button.enabled:
                self._down[pid] = button
                button.pressed = True
        return button

    def get(self, name: str) -> Button | None:
        return next((b for b in self.items if b.name == name), None)

    def at(self, pos: tuple[int, int]) -> Button | None:
        return next((b for b in reversed(self.items) if b.rect.collidepoint(pos)), None)

    def handle(self, p: Pointer | None) -> Button | None:
        """The button activated by this pointer action, if any."""
        if p is None:
            return None
        if p.kind == "down":
            b = self.at(p.pos)
            if b is not None and b.enabled:
                self._down[p.pid] = b
                b.pressed = True
                self.changed = True
            return None
        if p.kind == "move":
            b = self._down.get(p.pid)
            if b is not None:
                inside = b.rect.collidepoint(p.pos)
                if inside != b.pressed:
                    b.pressed = inside
                    self.changed = True
            return None
        b = self._down.pop(p.pid, None)
        if b is None:
            return None
        b.pressed = False
        self.changed = True
        return b if b.rect.collidepoint(p.pos) and b.enabled else None

    def owns(self, pid: PointerId) -> bool:
        return pid in self._down

    def draw(self, surface: pygame.Surface, theme: Theme) -> None:
        for b in self.items:
            b.draw(surface, theme)
            self._drawn[id(b)] = _look(b)
        self.changed = False

    def draw_changed(self, surface: pygame.Surface, theme: Theme, background: Colour) -> list[pygame.Rect]:
        """Draw again only the buttons that look different now; returns their rectangles."""
        rects = []
        for b in self.items:
            look = _look(b)
            if self._drawn.get(id(b)) != look:
                surface.fill(background, b.rect)
                b.draw(surface, theme)
                self._drawn[id(b)] = look
                rects.append(b.rect.copy())
        self.changed = False
        return rects

    def targets(self) -> dict[str, pygame.Rect]:
        return {b.name: b.rect for b in self.items if b.enabled}


def _look(b: Button) -> tuple:
    return (b.rect.topleft, b.rect.size, b.label, b.icon, b.enabled, b.selected, b.pressed, b.style, b.dot)


def row(rect: pygame.Rect, n: int, gap: int) -> list[pygame.Rect]:
    """`n` equal rectangles side by side filling `rect`."""
    if n <= 0:
        return []
    w = (rect.width - gap * (n - 1)) / n
    return [pygame.Rect(round(rect.x + i * (w + gap)), rect.y, round(w), rect.height) for i in range(n)]


def column(rect: pygame.Rect, n: int, gap: int) -> list[pygame.Rect]:
    if n <= 0:
        return []
    h = (rect.height - gap * (n - 1)) / n
    return [pygame.Rect(rect.x, round(rect.y + i * (h + gap)), rect.width, round(h)) for i in range(n)]


# ---------------------------------------------------------------------------- dialogs


@dataclass
class Dialog:
    """A question over a dimmed screen with two or three big answers (e.g. "clear the whole drawing?")."""
    title: str
    body: str
    choices: list[tuple[str, str, str]]  # (name, label, style)
    buttons: Buttons = field(default_factory=Buttons)
    card: pygame.Rect = field(default_factory=pygame.Rect)

    def layout(self, theme: Theme) -> None:
        w = min(theme.width - 2 * theme.margin, theme.px(1100))
        inner = w - 2 * theme.margin
        title = block(theme, self.title, inner, theme.sizes.heading, True)
        body = block(theme, self.body, inner, theme.sizes.body) if self.body else None
        bh = theme.target
        stacked = len(self.choices) > 2 or theme.portrait
        buttons_h = (bh * len(self.choices) + theme.gap * (len(self.choices) - 1)) if stacked else bh
        h = theme.margin * 2 + title.height + (body.height + theme.gap if body else 0) + theme.margin + buttons_h
        self.card = pygame.Rect(0, 0, w, h)
        self.card.center = (theme.width // 2, theme.height // 2)
        area = pygame.Rect(self.card.x + theme.margin, self.card.bottom - theme.margin - buttons_h, inner, buttons_h)
        rects = column(area, len(self.choices), theme.gap) if stacked else row(area, len(self.choices), theme.gap)
        self.buttons.clear()
        for (name, label, style), r in zip(self.choices, rects):
            self.buttons.add(Button(name, r, label, style))
        self._title, self._body = title, body

    def draw(self, surface: pygame.Surface, theme: Theme) -> None:
        scrim(surface)
        shadow(surface, self.card, theme.radius, theme.px(16))
        rounded(surface, th.CARD, self.card, theme.radius)
        x, y, inner = self.card.x + theme.margin, self.card.y + theme.margin, self.card.width - 2 * theme.margin
        draw_block(surface, self._title, pygame.Rect(x, y, inner, self._title.height), th.INK)
        if self._body:
            y += self._title.height + theme.gap
            draw_block(surface, self._body, pygame.Rect(x, y, inner, self._body.height), th.MUTED)
        self.buttons.draw(surface, theme)

    def handle(self, event: pygame.event.Event, size: tuple[int, int]) -> str | None:
        b = self.buttons.handle(pointer(event, size))
        return b.name if b else None



def too_small(surface: pygame.Surface, theme: Theme, message: str) -> None:
    """The whole window says it is too small (below theme.MIN_WINDOW), instead of a layout
    whose buttons would fall off it."""
    surface.fill(theme.paper)
    area = surface.get_rect().inflate(-2 * theme.gap, -2 * theme.gap)
    tb = fit(theme, message, area.width, area.height, theme.sizes.heading, 12, True)
    draw_block(surface, tb, area, th.INK, "center", "center")
