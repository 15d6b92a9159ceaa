"""An on-screen keyboard: AZERTY for French, QWERTY for English (switchable), a row of French
accents and signs always in view, a second layer of digits and punctuation."""

from __future__ import annotations

from collections.abc import Callable

import pygame

from kiosk.app.theme import Theme
from kiosk.app.ui import Button, Buttons

LETTERS = {
    "qwerty": ["qwertyuiop", "asdfghjkl’", "zxcvbnm,.?"],
    "azerty": ["azertyuiop", "qsdfghjklm", "wxcvbn’,.?"],
}
ACCENTS = "éèêàçùôîïëœ«»"
SYMBOLS = ["1234567890", "-/:;()&@\"'", "!?%+=#*…,."]
LAYOUT_FOR = {"fr": "azerty"}  # the rest: qwerty
LABEL_KEYS = {"space": "key.space", "symbols": "key.symbols", "letters": "key.letters", "azerty": "key.azerty",
              "qwerty": "key.qwerty"}  # the catalogue's words on the special keys

# A key: (name, label, width in key units). Names: "key:<char>" or "key:<action>".
Key = tuple[str, str, float]


def rows_for(layout: str, layer: str, shift: bool, lang_labels: dict[str, str],
             narrow: bool = False) -> list[list[Key]]:
    """The rows of keys. `narrow` (a portrait screen): the accents on two rows and slimmer
    shift keys, so that every row is at most 12 keys wide and the keys grow."""
    def chars(s: str) -> list[Key]:
        return [(f"key:{c}", c.upper() if shift and layer == "letters" else c, 1.0) for c in s]

    letters = LETTERS[layout] if layer == "letters" else SYMBOLS
    other = "qwerty" if layout == "azerty" else "azerty"
    shift_w = 1.0 if narrow else 1.5
    accents = [chars(ACCENTS[:7]), chars(ACCENTS[7:])] if narrow else [chars(ACCENTS)]
    return [
        *accents,
        chars(letters[0]) + [("key:backspace", "⌫", 2.0)],
        chars(letters[1]),
        [("key:shift", "⇧", shift_w)] + chars(letters[2]) + [("key:shift2", "⇧", shift_w)],
        [("key:layer", lang_labels["letters" if layer == "symbols" else "symbols"], 2.0),
         ("key:layout", lang_labels[other], 2.0 if narrow else 2.5),
         ("key:space", lang_labels["space"], 8.0 if narrow else 8.5)],
    ]


class Keyboard:
    def __init__(self, language: str, words: Callable[[str], str]) -> None:
        """`words`: a catalogue key -> the text in the visitor's language (Scene.t)."""
        labels = {name: words(key) for name, key in LABEL_KEYS.items()}
        self.layout = LAYOUT_FOR.get(language.split("-")[0], "qwerty")
        self.layer = "letters"
        self.shift = True  # a text starts with a capital
        self.labels = labels
        self.rect = pygame.Rect(0, 0, 0, 0)
        self.buttons: list[Button] = []

    def _metrics(self, width: int, theme: Theme) -> tuple[list[list[Key]], int, float, float]:
        rows = rows_for(self.layout, self.layer, self.shift, self.labels, theme.portrait)
        gap = max(4, theme.px(10))
        widest = max(sum(w for _, _, w in r) for r in rows)
        most = max(len(r) for r in rows)
        unit = (width - gap * (most - 1)) / widest
        # Keys a little taller than wide (more so on portrait screens, which have the height).
        return rows, gap, unit, unit * (1.45 if theme.portrait else 1.05)

    def height_for(self, width: int, theme: Theme) -> int:
        """The height the keys want at this width."""
        rows, gap, _, key_h = self._metrics(width, theme)
        return int(key_h * len(rows) + gap * (len(rows) - 1))

    def place(self, rect: pygame.Rect, theme: Theme, group: Buttons) -> None:
        """Lay the keys out in `rect` and add them to `group` (the scene's buttons)."""
        for b in self.buttons:
            if b in group.items:
                group.items.remove(b)
        self.rect = rect
        rows, gap, unit, natural_h = self._metrics(rect.width, theme)
        key_h = min((rect.height - gap * (len(rows) - 1)) / len(rows), natural_h)
        total_h = key_h * len(rows) + gap * (len(rows) - 1)
        y = rect.y + (rect.height - total_h) / 2
        self.buttons = []
        for r in rows:
            total = sum(w for _, _, w in r) * unit + gap * (len(r) - 1)
            x = rect.x + (rect.width - total) / 2
            for name, label, w in r:
                kw = w * unit
                style = "quiet" if name.split(":")[1] in ("backspace", "shift", "shift2", "layer", "layout") \
                    else "secondary"
                b = Button(name, pygame.Rect(round(x), round(y), round(kw), round(key_h)), label, style,
                           size=max(16, int(min(key_h * 0.46, theme.sizes.body * (1.2 if theme.large else 1)))),
                           bold=False,
                           selected=name.startswith("key:shift") and self.shift and self.layer == "letters")
                if name in ("key:layer", "key:layout", "key:space"):
                    b.size = max(14, int(min(key_h * 0.36, theme.sizes.small)))
                self.buttons.append(b)
                group.add(b)
                x += kw + gap
            y += key_h + gap

    def press(self, name: str) -> str | None:
        """What a key does: the text it types, "\\b" for backspace, or None (it changed the keyboard)."""
        what = name.split(":", 1)[1]
        if what == "backspace":
            return "\b"
        if what in ("shift", "shift2"):
            self.shift = not self.shift
            return None
        if what == "layer":
            self.layer = "symbols" if self.layer == "letters" else "letters"
            return None
        if what == "layout":
            self.layout = "qwerty" if self.layout == "azerty" else "azerty"
            return None
        if what == "space":
            return " "
        ch = what.upper() if self.shift and self.layer == "letters" else what
        if self.shift and self.layer == "letters":
            self.shift = False
        return ch

    def auto_shift(self, text: str) -> bool:
        """Capitals at the start of the text and of a sentence; True if that changed the keys."""
        stripped = text.rstrip(" ")
        want = not stripped or (stripped[-1] in ".?!" and text.endswith(" "))
        if want != self.shift and self.layer == "letters":
            self.shift = want
            return True
        return False
