"""Text that fits its box: a small text engine for the visitors' words and the zine's own.

Wrapping, shrinking, and an ellipsis when even the smallest size is too big; measured with the
fonts that draw each character (kiosk.zine.fonts: DejaVu, and Arabic, Hebrew and emoji
fallbacks), so a line never runs off a page whatever the visitor typed. Arabic is shaped (its
letters' joined forms), each paragraph's direction is found from its first strong letter and
right-to-left paragraphs are set flush right, each line reordered for display (the Unicode
bidirectional algorithm). English and French words are hyphenated when that fills a line
better (kiosk.zine.hyphen, pyphen's patterns). Only regular spaces break a line: the no-break spaces French puts before ? : ! ; and
inside « » keep the sign with its word (kiosk.i18n.typeset), and a one-letter word ("à", "a")
never ends a line.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from kiosk.i18n import typeset
from kiosk.zine import fonts, hyphen

ELLIPSIS = "…"
MAX_CHARS = 4000  # beyond this nobody reads on, and fitting would only cost time
NBSP = "\u00a0"
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b\u2028\u2029]")
# Joiners, variation selectors, skin tones and tags: they ask a colour emoji font to merge or
# vary glyphs. The monochrome font draws each emoji of a sequence on its own instead.
_EMOJI_GLUE = re.compile("[\u200d\ufe0e\ufe0f\U0001f3fb-\U0001f3ff\U000e0020-\U000e007f]")
NO_LINE_START = set("»?:!;)]}…,.")
HYPHEN_LANGS = ("en", "fr")


def clean(text: str) -> str:
    """Printable text: tabs become spaces, other control characters go, line ends are \\n.

    A space typed before ? ! : ; » or after « becomes a no-break space, so that the sign never
    starts a line (French typography; visitors type plain spaces).
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    text = _EMOJI_GLUE.sub("", _CONTROL.sub("", text))
    text = typeset(text)
    if len(text) > MAX_CHARS:
        text = text[:MAX_CHARS].rstrip() + ELLIPSIS
    return text.strip()


def is_rtl(text: str) -> bool:
    """Whether the paragraph reads right to left: its first strong letter is Hebrew or Arabic."""
    for ch in text:
        kind = unicodedata.bidirectional(ch)
        if kind in ("R", "AL"):
            return True
        if kind == "L":
            return False
    return False


_RTL_CHARS = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff\U00010800-\U00010fff\U0001e800-\U0001efff]")
_ARABIC = re.compile("[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]")


def _needs_bidi(text: str) -> bool:
    """Whether the line holds right-to-left letters (else it is already in display order)."""
    return _RTL_CHARS.search(text) is not None


def shape(text: str) -> str:
    """Arabic letters in their joined forms (presentation forms, which the Arabic font draws)."""
    if not _ARABIC.search(text):
        return text
    import arabic_reshaper

    return arabic_reshaper.reshape(text)


def visual(line: str, rtl: bool) -> str:
    """A line in display order (left to right as printed)."""
    if not _needs_bidi(line):
        return line
    from bidi import get_display

    return get_display(line, base_dir="R" if rtl else "L")


@dataclass
class Para:
    """A paragraph: its text and style. Sizes are relative to the block's base size."""

    text: str
    font: str
    scale: float = 1.0
    space_before: float = 0.0  # in lines of this paragraph's size
    lang: str = ""  # for hyphenation: "en" or "fr" (others are not hyphenated)


@dataclass
class Line:
    text: str  # in display order
    font: str
    size: float
    baseline: float  # distance from the top of the block down to this line's baseline
    rtl: bool = False
    width: float = field(default=0.0, compare=False)


@dataclass
class Block:
    lines: list[Line]
    height: float
    size: float  # the base size it was set in
    truncated: bool = False


def _break_word(word: str, font: str, size: float, width: float) -> list[str]:
    """A word wider than the line, cut into pieces that fit (a URL, a long string of letters).
    A sign that may not start a line stays with the piece before it."""
    pieces, current = [], ""
    for ch in word:
        if not current or fonts.width(current + ch, font, size) <= width:
            current += ch
        elif ch not in NO_LINE_START and ch != NBSP:
            pieces.append(current)
            current = ch
        else:  # the sign may not start a line: the letter before it goes down with it
            keep = current.rstrip("".join(NO_LINE_START) + NBSP)
            if len(keep) > 1:
                pieces.append(keep[:-1])
                current = current[len(keep) - 1:] + ch
            else:
                current += ch
    if current:
        pieces.append(current)
    return pieces


def _hyphenate(word: str, lang: str, font: str, size: float, room: float) -> tuple[str, str] | None:
    """The word cut at the last hyphenation point whose first part (with its hyphen) fits `room`."""
    if lang not in HYPHEN_LANGS or len(word) < 6:
        return None
    m = re.match(r"^(\W*)([^\W\d_]{5,})(.*)$", word)  # hyphenate the letters, not the signs around them
    if not m:
        return None
    lead, core, tail = m.groups()
    for head, rest in hyphen.splits(core, lang):
        first = lead + head + "-"
        if fonts.width(first, font, size) <= room:
            return first, rest + tail
    return None


def _glue_short_words(words: list[str]) -> list[str]:
    """A one-letter word ("à", "a", "y") is kept with the word after it."""
    out: list[str] = []
    carry = ""
    for w in words:
        if carry:
            w = carry + NBSP + w
            carry = ""
        if len(w) == 1 and w.isalpha():
            carry = w
        else:
            out.append(w)
    if carry:
        out.append(carry)
    return out


def wrap(text: str, font: str, size: float, width: float, lang: str = "") -> list[str]:
    """Greedy line breaking at spaces, hyphenating where that fills a line; hard line breaks kept;
    words too wide are cut. Lines in logical order."""
    lines: list[str] = []
    space = fonts.width(" ", font, size)
    for paragraph in text.split("\n"):
        current, current_w = "", 0.0
        hyphenated = False  # never two hyphens in a row at the ends of lines
        words = _glue_short_words([w for w in paragraph.split(" ") if w])
        i = 0
        while i < len(words):
            word = words[i]
            i += 1
            w = fonts.width(word, font, size)
            if current and current_w + space + w <= width:
                current, current_w = f"{current} {word}", current_w + space + w
                continue
            room = width - current_w - space if current else width
            cut = _hyphenate(word, lang, font, size, room) if room > size * 2 and w > room \
                and current_w < width * 0.8 and not hyphenated else None  # a well filled line needs no hyphen
            if cut:
                head, rest = cut
                hyphenated = True
                lines.append(f"{current} {head}" if current else head)
                words.insert(i, rest)
                current, current_w = "", 0.0
                continue
            if current:
                lines.append(current)
                hyphenated = False
            if w > width:
                *full, current = _break_word(word, font, size, width)
                lines.extend(full)
                current_w = fonts.width(current, font, size)
            else:
                current, current_w = word, w
        lines.append(current)
    return lines


def layout(paras: list[Para], size: float, width: float, leading: float = 1.22, floor: float = 0.0) -> Block:
    """Set the paragraphs at `size` (each scaled, never below `floor`)."""
    lines: list[Line] = []
    y = 0.0
    for i, para in enumerate(paras):
        psize = max(floor, size * para.scale)
        if i and para.space_before:
            y += para.space_before * psize * leading
        rtl = _needs_bidi(para.text) and is_rtl(para.text)
        for text in wrap(para.text, para.font, psize, width, para.lang):
            y += psize * leading if lines else psize
            shown = visual(text, rtl)
            lines.append(Line(shown, para.font, psize, y, rtl, fonts.width(shown, para.font, psize)))
    # The last line's descenders: a quarter of its size below the baseline.
    height = y + (lines[-1].size * 0.25 if lines else 0.0)
    return Block(lines, height, size)


def ellipsize(text: str, font: str, size: float, width: float) -> str:
    """The line with an ellipsis at its end, cut back until it fits."""
    words = text.split(" ")
    while words:
        candidate = " ".join(words).rstrip(".,;:!? -") + ELLIPSIS
        if fonts.width(candidate, font, size) <= width:
            return candidate
        if len(words) == 1:
            word = words[0]
            while word and fonts.width(word + ELLIPSIS, font, size) > width:
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
    paras = [Para(shape(clean(p.text)), p.font, p.scale, p.space_before, p.lang) for p in paras]
    paras = [p for p in paras if p.text]
    sizes = [max_size]
    while sizes[-1] > min_size:
        sizes.append(max(min_size, sizes[-1] * 0.92))
    # The biggest size that fits, found by halving (a smaller size never makes the text taller).
    block = layout(paras, sizes[0], width, leading, min_size)
    if block.height <= height:
        return block
    low, high = 1, len(sizes) - 1
    best = None
    while low <= high:
        mid = (low + high) // 2
        trial = layout(paras, sizes[mid], width, leading, min_size)
        if trial.height <= height:
            best, high = trial, mid - 1
        else:
            block, low = trial, mid + 1
    if best is not None:
        return best
    size = sizes[-1]
    if block.size != size:
        block = layout(paras, size, width, leading, min_size)
    kept = [line for line in block.lines if line.baseline + line.size * 0.25 <= height]
    if kept:
        last = kept[-1]
        text = ellipsize(last.text, last.font, last.size, width)
        kept[-1] = Line(text, last.font, last.size, last.baseline, last.rtl, fonts.width(text, last.font, last.size))
    height_used = kept[-1].baseline + kept[-1].size * 0.25 if kept else 0.0
    return Block(kept, height_used, size, truncated=True)
