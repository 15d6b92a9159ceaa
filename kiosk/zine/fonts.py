"""The zine's fonts: DejaVu Sans for most text, and bundled fallbacks for what it lacks or draws
poorly (Arabic, Hebrew, emoji). reportlab embeds each TrueType font as a subset of the glyphs
used. A fallback is read only the first time a character needs it, so a zine in English and
French never loads them.
"""

from __future__ import annotations

from functools import cache, lru_cache
from pathlib import Path

from reportlab.pdfbase import pdfmetrics, ttfonts
from reportlab.pdfbase.ttfonts import TTFont

from kiosk import resources

REGULAR = "KioskSans"
BOLD = "KioskSans-Bold"
ARABIC, ARABIC_BOLD = "KioskArabic", "KioskArabic-Bold"
HEBREW, HEBREW_BOLD = "KioskHebrew", "KioskHebrew-Bold"
EMOJI = "KioskEmoji"

FILES: dict[str, Path] = {
    REGULAR: resources.FONT_REGULAR, BOLD: resources.FONT_BOLD,
    ARABIC: resources.FONT_ARABIC, ARABIC_BOLD: resources.FONT_ARABIC_BOLD,
    HEBREW: resources.FONT_HEBREW, HEBREW_BOLD: resources.FONT_HEBREW_BOLD,
    EMOJI: resources.FONT_EMOJI,
}
_FALLBACK = {REGULAR: (ARABIC, HEBREW), BOLD: (ARABIC_BOLD, HEBREW_BOLD)}


def _to_unicode_cmap(fontname: str, subset: list[int]) -> str:
    """reportlab's ToUnicode map, with characters beyond U+FFFF written as UTF-16 (its own writes
    "<1F600>", which readers cut to U+1F60: a copied emoji came out as a Greek letter)."""
    text = _reportlab_cmap(fontname, subset)
    for i, v in enumerate(subset):
        if v > 0xFFFF:
            text = text.replace(f"<{i:02X}> <{v:04X}>", f"<{i:02X}> <{chr(v).encode('utf-16-be').hex().upper()}>")
    return text


_reportlab_cmap = ttfonts.makeToUnicodeCMap
if getattr(_reportlab_cmap, "__module__", "") != __name__:
    ttfonts.makeToUnicodeCMap = _to_unicode_cmap


def ensure(name: str) -> str:
    """Register the font `name` with reportlab if it is not yet (reportlab keeps one registry)."""
    _load(name)
    return name


@cache
def _load(name: str) -> TTFont:
    if name in pdfmetrics.getRegisteredFontNames():
        font = pdfmetrics.getFont(name)
    else:
        font = TTFont(name, str(FILES[name]))
        pdfmetrics.registerFont(font)
    return font


@cache
def _covers(name: str) -> frozenset[int]:
    return frozenset(_load(name).face.charToGlyph)


def is_arabic(cp: int) -> bool:
    return 0x0600 <= cp <= 0x06FF or 0x0750 <= cp <= 0x077F or 0xFB50 <= cp <= 0xFDFF or 0xFE70 <= cp <= 0xFEFF


def is_hebrew(cp: int) -> bool:
    return 0x0590 <= cp <= 0x05FF or 0xFB1D <= cp <= 0xFB4F


def is_emoji(cp: int) -> bool:
    """Pictographs: drawn from the emoji font even where DejaVu has a glyph, so that they match."""
    return cp >= 0x1F000 or 0x2600 <= cp <= 0x27BF or cp in (0x2B50, 0x2B55)


def font_for(ch: str, base: str) -> str:
    """The font that draws `ch` in a text set in `base` (REGULAR or BOLD)."""
    cp = ord(ch)
    if cp < 0x0590:  # Latin, Greek, Cyrillic...: the base font, without looking further
        return base
    arabic, hebrew = _FALLBACK.get(base, _FALLBACK[REGULAR])
    if is_arabic(cp):
        return ensure(arabic)
    if is_hebrew(cp):
        return ensure(hebrew)
    if is_emoji(cp) and cp in _covers(EMOJI):
        return ensure(EMOJI)
    if cp in _covers(base):
        return base
    if cp in _covers(EMOJI):
        return ensure(EMOJI)
    return base


def runs(text: str, base: str) -> list[tuple[str, str]]:
    """The text cut into runs of one font each: [(text, font name)]."""
    ensure(base)
    out: list[tuple[str, str]] = []
    for ch in text:
        font = font_for(ch, base) if not ch.isspace() else base  # the fallbacks may lack spaces
        if out and out[-1][1] == font:
            out[-1] = (out[-1][0] + ch, font)
        else:
            out.append((ch, font))
    return out


@lru_cache(maxsize=1 << 16)  # the same words are measured again at each size tried
def width(text: str, base: str, size: float) -> float:
    """The text's width in points, each character measured in the font that draws it."""
    if text.isascii():
        return pdfmetrics.stringWidth(text, ensure(base), size)
    return sum(pdfmetrics.stringWidth(t, f, size) for t, f in runs(text, base))
