"""Text that fits its box: wrapping, shrinking, and an ellipsis when even the smallest size is too big.

Measured with the bundled fonts (kiosk.zine.pdf registers them), so a line never runs off
a page whatever the visitor typed. Only regular spaces break a line: the no-break spaces
French puts before ? : ! ; keep the sign with its word.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from reportlab.pdfbase.pdfmetrics import stringWidth

from kiosk.i18n import typeset

ELLIPSIS = "…"
MAX_CHARS = 4000  # beyond this nobody reads on, and fitting would only cost time
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b\u2028\u2029]")


def clean(text: str) -> str:
    """Printable text: tabs become spaces, other control characters go, line ends are \\n.

    A space typed before ? ! : ; » or after « becomes a no-break space, so that the sign never
    starts a line (French typography; visitors type plain spaces).
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    text = _CONTROL.sub("", text)
    text = typeset(text)
    if len(text) > MAX_CHARS:
        text = text[:MAX_CHARS].rstrip() + ELLIPSIS
    return text.strip()


@dataclass
class Para:
    """A paragraph: its text and style. Sizes are relative to the block's base size."""

    text: str
    font: str
    scale: float = 1.0
    space_before: float = 0.0  # in lines of this paragraph's size


@dataclass
class Line:
    text: str
    font: str
    size: float
    baseline: float  # distance from the top of the block down to this line's baseline


@dataclass
class Block:
    lines: list[Line]
    height: float
    size: float  # the base size it was set in
    truncated: bool = False


def _break_word(word: str, font: str, size: float, width: float) -> list[str]:
    """A word wider than the line, cut into pieces that fit (a URL, a long string of letters)."""
    pieces, current = [], ""
    for ch in word:
        if current and stringWidth(current + ch, font, size) > width:
            pieces.append(current)
            current = ch
        else:
            current += ch
    if current:
        pieces.append(current)
    return pieces


def wrap(text: str, font: str, size: float, width: float) -> list[str]:
    """Greedy line breaking at spaces; hard line breaks kept; words too wide are cut."""
    lines: list[str] = []
    space = stringWidth(" ", font, size)
    for paragraph in text.split("\n"):
        current, current_w = "", 0.0
        for word in paragraph.split(" "):
            if not word:
                continue
            w = stringWidth(word, font, size)
            if current and current_w + space + w <= width:
                current, current_w = f"{current} {word}", current_w + space + w
                continue
            if current:
                lines.append(current)
            if w > width:
                *full, current = _break_word(word, font, size, width)
                lines.extend(full)
                current_w = stringWidth(current, font, size)
            else:
                current, current_w = word, w
        lines.append(current)
    return lines


def layout(paras: list[Para], size: float, width: float, leading: float = 1.22) -> Block:
    lines: list[Line] = []
    y = 0.0
    for i, para in enumerate(paras):
        psize = size * para.scale
        if i and para.space_before:
            y += para.space_before * psize * leading
        for text in wrap(para.text, para.font, psize, width):
            y += psize * leading if lines else psize
            lines.append(Line(text, para.font, psize, y))
    # The last line's descenders: a quarter of its size below the baseline.
    height = y + (lines[-1].size * 0.25 if lines else 0.0)
    return Block(lines, height, size)


def ellipsize(text: str, font: str, size: float, width: float) -> str:
    """The line with an ellipsis at its end, cut back until it fits."""
    words = text.split(" ")
    while words:
        candidate = " ".join(words).rstrip(".,;:!? ") + ELLIPSIS
        if stringWidth(candidate, font, size) <= width:
            return candidate
        if len(words) == 1:
            word = words[0]
            while word and stringWidth(word + ELLIPSIS, font, size) > width:
                word = word[:-1]
            return word + ELLIPSIS
        words.pop()
    return ELLIPSIS


def fit(paras: list[Para], width: float, height: float, max_size: float, min_size: float,
        leading: float = 1.22) -> Block:
    """The biggest size from max_size down to min_size at which the paragraphs fit the box.

    If even min_size is too big, the text is cut after the last line that fits and ends
    with an ellipsis: it never runs off the page.
    """
    paras = [Para(clean(p.text), p.font, p.scale, p.space_before) for p in paras]
    paras = [p for p in paras if p.text]
    size = max_size
    while True:
        block = layout(paras, size, width, leading)
        if block.height <= height or size <= min_size:
            break
        size = max(min_size, size * 0.92)
    if block.height <= height:
        return block
    kept = [line for line in block.lines if line.baseline + line.size * 0.25 <= height]
    if kept:
        last = kept[-1]
        kept[-1] = Line(ellipsize(last.text, last.font, last.size, width), last.font, last.size, last.baseline)
    height_used = kept[-1].baseline + kept[-1].size * 0.25 if kept else 0.0
    return Block(kept, height_used, size, truncated=True)
