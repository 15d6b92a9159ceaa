"""The palette in greys, for a zine that will be photocopied (`--grey`, setting zine_grey).

A photocopier turns colours into greys by their luminance, and the default palette's black,
aubergine and brown come out within 20 % of each other while its yellow nearly vanishes. Here
the palette's colours are ranked by luminance and given greys evenly spaced in lightness (CIE
L*, how far apart people see them) from black to a light grey that still prints: each colour
stays distinct, in its own rank.
"""

from __future__ import annotations

from collections.abc import Sequence

LIGHTEST = 82.0  # L* of the lightest grey a pen gets: lighter would fade on a copier


def luminance(colour: str) -> float:
    """Relative luminance of '#rrggbb' (sRGB, as WCAG defines it), 0 black to 1 white."""
    def linear(v: float) -> float:
        return v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(int(colour[i:i + 2], 16) / 255) for i in (1, 3, 5))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def grey_map(palette: Sequence[str]) -> dict[str, str]:
    """Each palette colour (lower case) -> its grey as '#rrggbb', evenly spaced by luminance rank."""
    colours = list(dict.fromkeys(c.lower() for c in palette))
    ranked = sorted(colours, key=luminance)
    steps = max(1, len(ranked) - 1)
    return {c: _hex(_srgb(_from_lightness(LIGHTEST * i / steps))) for i, c in enumerate(ranked)}


def to_grey(colour: str, mapping: dict[str, str]) -> str:
    """A colour's grey: its palette rank's, else its own luminance's (white paper stays white)."""
    colour = colour.lower()
    if colour in mapping:
        return mapping[colour]
    return _hex(luminance(colour) ** (1 / 2.2))


def _hex(level: float) -> str:
    v = round(max(0.0, min(1.0, level)) * 255)
    return f"#{v:02x}{v:02x}{v:02x}"


def lightness(luma: float) -> float:
    """CIE L* (0 to 100) of a relative luminance."""
    return 116 * luma ** (1 / 3) - 16 if luma > 216 / 24389 else luma * 24389 / 27


def _from_lightness(L: float) -> float:
    return ((L + 16) / 116) ** 3 if L > 8 else L * 27 / 24389


def _srgb(luma: float) -> float:
    """The sRGB channel value of a grey of this relative luminance."""
    return 12.92 * luma if luma <= 0.0031308 else 1.055 * luma ** (1 / 2.4) - 0.055
