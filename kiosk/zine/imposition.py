"""Where each page of a zine goes on the paper: the sheet sizes and the imposition tables.

Pure arithmetic, no PDF: a layout turns N pages (numbered from 1) into a list of PDF
pages ("sides"), each a sheet size and the slots it holds. A slot is a page number, a
box on the side (in points, origin bottom left, as PDF has it) and whether the page is
turned upside down. The PDF writer paints each page into its slot; the tests read these
same tables back from the PDF.
"""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.errors import KioskError

MM = 72 / 25.4
INCH = 72.0

LAYOUTS = ("minizine", "booklet", "pages")
PAPERS = ("a4", "letter")

# The sheet each paper name means, landscape, exactly (nothing is ever scaled to fit).
SHEETS: dict[str, tuple[float, float]] = {
    "a4": (297 * MM, 210 * MM),
    "letter": (11 * INCH, 8.5 * INCH),
}
# The `pages` layout prints on half a sheet, portrait: A5 and half-Letter.
HALF_SHEETS: dict[str, tuple[float, float]] = {
    "a4": (148 * MM, 210 * MM),
    "letter": (5.5 * INCH, 8.5 * INCH),
}

# The classic eight-page minizine: the top row is upside down (it ends up on the inside of
# the fold), the bottom row upright. Page numbers within one sheet, left to right.
MINIZINE_TOP = (5, 4, 3, 2)
MINIZINE_BOTTOM = (6, 7, 8, 1)
PAGES_PER_MULTIPLE = {"minizine": 8, "booklet": 4, "pages": 1}
# Creep is capped so that a booklet page's margin at the fold stays at least 10 mm
# (kiosk.zine.layout gives it 13 mm).
MAX_CREEP = 3 * MM


@dataclass(frozen=True)
class Slot:
    page: int  # 1-based page number in the (padded) zine
    x: float
    y: float
    width: float
    height: float
    rotated: bool = False  # True: the page is painted turned by 180 degrees
    shift: float = 0.0  # creep compensation: the page's content moved this far right (points)


@dataclass(frozen=True)
class Side:
    """One side of a sheet as one PDF page."""

    width: float
    height: float
    slots: tuple[Slot, ...]


def check_choice(layout: str, paper: str) -> None:
    if layout not in LAYOUTS:
        raise KioskError(f"There is no zine layout {layout!r}.", f"use one of: {', '.join(LAYOUTS)}")
    if paper not in PAPERS:
        raise KioskError(f"There is no paper size {paper!r}.", f"use one of: {', '.join(PAPERS)}")


def padded_count(layout: str, n: int) -> int:
    """The page count once padded to what the layout folds into (8 per minizine sheet, 4 per booklet sheet)."""
    k = PAGES_PER_MULTIPLE[layout]
    return max(k, -(-n // k) * k)


def page_size(layout: str, paper: str) -> tuple[float, float]:
    """The size of one page (a panel of the sheet for the imposed layouts)."""
    w, h = SHEETS[paper]
    if layout == "minizine":
        return w / 4, h / 2
    if layout == "booklet":
        return w / 2, h
    return HALF_SHEETS[paper]


def minizine_table(n: int) -> list[tuple[tuple[int, ...], tuple[int, ...]]]:
    """Per sheet: the pages of the top row (upside down) and of the bottom row, left to right."""
    if n % 8:
        raise ValueError(f"a minizine has a multiple of 8 pages, not {n}")
    return [(tuple(p + 8 * s for p in MINIZINE_TOP), tuple(p + 8 * s for p in MINIZINE_BOTTOM))
            for s in range(n // 8)]


def booklet_table(n: int) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    """Per sheet, from the outside in: its front (left, right) and back (left, right).

    Sheet s has front [N-2s+2 | 2s-1] and back [2s | N-2s+1]; printed double-sided,
    flipped on the short edge, folded and stapled, the pages read 1..N.
    """
    if n % 4:
        raise ValueError(f"a booklet has a multiple of 4 pages, not {n}")
    return [((n - 2 * s + 2, 2 * s - 1), (2 * s, n - 2 * s + 1)) for s in range(1, n // 4 + 1)]


def sides(layout: str, paper: str, n: int) -> list[Side]:
    """The PDF pages for a zine of n pages (n already padded for the layout)."""
    check_choice(layout, paper)
    pw, ph = page_size(layout, paper)
    if layout == "minizine":
        sw, sh = SHEETS[paper]
        out = []
        for top, bottom in minizine_table(n):
            slots = [Slot(p, i * pw, ph, pw, ph, rotated=True) for i, p in enumerate(top)]
            slots += [Slot(p, i * pw, 0.0, pw, ph) for i, p in enumerate(bottom)]
            out.append(Side(sw, sh, tuple(slots)))
        return out
    if layout == "booklet":
        sw, sh = SHEETS[paper]
        out = []
        for front, back in booklet_table(n):
            for left, right in (front, back):
                out.append(Side(sw, sh, (Slot(left, 0.0, 0.0, pw, ph), Slot(right, pw, 0.0, pw, ph))))
        return out
    return [Side(pw, ph, (Slot(p, 0.0, 0.0, pw, ph),)) for p in range(1, n + 1)]


def sheet_count(layout: str, n: int) -> int:
    """Sheets of paper used: one per 8 pages (minizine), per 4 (booklet, both sides), per page."""
    return n // PAGES_PER_MULTIPLE[layout]


def creep(sheet: int, thickness_mm: float) -> float:
    """How far the pages of a booklet's sheet `sheet` (1: the outermost) move towards the fold, in points.

    Folded together, each sheet wraps around the ones inside it, so the inner sheets stick out
    at the fore-edge by about one paper thickness per sheet outside them: their pages are moved
    that much towards the fold, and the fore-edges' margins look the same through the volume.
    """
    return min(MAX_CREEP, max(0.0, (sheet - 1) * thickness_mm * MM))


def part_sides(layout: str, paper: str, part_pages: list[int], thickness_mm: float = 0.0) -> list[Side]:
    """The PDF pages for a zine cut into parts (minizine sheets or booklet volumes, each padded):
    each booklet volume is imposed on its own, its pages shifted for creep."""
    if layout != "booklet":
        return sides(layout, paper, sum(part_pages))
    check_choice(layout, paper)
    pw, ph = page_size(layout, paper)
    sw, sh = SHEETS[paper]
    out: list[Side] = []
    offset = 0
    for n in part_pages:
        for s, (front, back) in enumerate(booklet_table(n), 1):
            shift = creep(s, thickness_mm)
            for left, right in (front, back):
                out.append(Side(sw, sh, (Slot(offset + left, 0.0, 0.0, pw, ph, shift=shift),
                                         Slot(offset + right, pw, 0.0, pw, ph, shift=-shift))))
        offset += n
    return out
