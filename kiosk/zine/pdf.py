"""The PDF side of the zine: fonts, drawings as vector paths, QR codes, sheets (reportlab).

Drawings are written as raw PDF path operators, one path per stroke, with round caps and
joins, in the drawing's own coordinates snapped to a 1/600 inch grid: points less than a
printer dot away from the line through their neighbours are dropped first
(kiosk.strokes.simplify). That keeps the file small
and the build fast, and the lines stay sharp at any size.
"""

from __future__ import annotations

import io
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Protocol

from reportlab import rl_config
from reportlab.pdfbase import pdfdoc, pdfmetrics
from reportlab.pdfgen.canvas import Canvas

from kiosk.strokes import Drawing, simplify, stroke_colour
from kiosk.zine import fonts
from kiosk.zine.grey import to_grey
from kiosk.zine.imposition import MM, Side
from kiosk.zine.text import Block

REGULAR, BOLD = fonts.REGULAR, fonts.BOLD
PRINTER_DPI = 600
DEFLATE_LEVEL = 1


def register_fonts() -> None:
    """Register the bundled DejaVu fonts (the fallbacks are registered when a text needs them)."""
    fonts.ensure(REGULAR)
    fonts.ensure(BOLD)


@dataclass
class Meta:
    title: str
    author: str
    subject: str
    keywords: str
    creator: str
    lang: str = "en"


class Paintable(Protocol):
    """What write_pdf paints: anything that paints itself into a box of the page size."""

    def paint(self, c: Canvas, width: float, height: float) -> None: ...


# --- colours and numbers ------------------------------------------------------------------


@lru_cache(maxsize=256)  # a palette has a few colours, drawn in thousands of strokes
def rgb(colour: str) -> str:
    """'#rrggbb' as PDF colour operands."""
    return " ".join(_channel(colour[i:i + 2]) for i in (1, 3, 5))


def _channel(hex2: str) -> str:
    v = int(hex2, 16) / 255
    return f"{v:.3f}".rstrip("0").rstrip(".") or "0"


def num(v: float) -> str:
    return f"{v:.2f}".rstrip("0").rstrip(".") or "0"


# --- drawings ---------------------------------------------------------------------------------


@dataclass
class Art:
    """A drawing ready to print at about `width_pt` wide: PDF path operators on a printer grid."""

    width: int  # canvas units
    height: int
    background: str
    grid: float  # canvas units per unit of `ops`
    ops: str  # operators; x right, y down from the canvas's top left corner, in grid units


def prepare_art(drawing: Drawing, width_pt: float, dpi: int = PRINTER_DPI,
                greys: dict[str, str] | None = None) -> Art:
    """The drawing's strokes as PDF paths, for printing `width_pt` points wide.

    Coordinates are snapped to a 1/dpi inch grid and points within one dot of the line
    through their neighbours are dropped: finer detail than the printer's dot cannot print.
    """
    pt_per_unit = width_pt / drawing.width
    grid = (72 / dpi) / pt_per_unit  # canvas units per printer dot
    inv = 1 / grid
    tolerance = grid
    parts: list[str] = []
    colour = width = None
    for stroke in drawing.strokes:
        c = stroke_colour(stroke, drawing)
        if greys is not None:
            c = to_grey(c, greys)
        if c != colour:
            parts.append(rgb(c) + " RG")
            colour = c
        w = num(stroke.width * inv)
        if w != width:
            parts.append(w + " w")
            width = w
        points = simplify(stroke.points, tolerance) if len(stroke.points) > 2 else stroke.points
        coords: list[str] = []
        last = ""
        for p in points:
            xy = f"{round(p.x * inv)} {round(p.y * inv)}"
            if xy != last:
                coords.append(xy)
                last = xy
        if len(coords) == 1:  # a dot: a zero-length line, which round caps paint as a disc
            coords.append(coords[0])
        parts.append(coords[0] + " m " + " l ".join(coords[1:]) + " l S")
    background = to_grey(drawing.background, greys) if greys is not None else drawing.background
    return Art(drawing.width, drawing.height, background, grid, "\n".join(parts))


def art_box(art: Art, width: float, height: float) -> tuple[float, float]:
    """The size of the art fitted into width x height, keeping its proportions."""
    s = max(0.0, min(width / art.width, height / art.height))
    return art.width * s, art.height * s


def draw_art(c: Canvas, art: Art, x: float, y: float, width: float, height: float, frame: bool = True) -> None:
    """Paint the art filling the box (x, y bottom left; the box has the art's proportions), clipped to it."""
    if width < 1 or height < 1:  # no room left on the page: nothing rather than a speck
        return
    s = width / art.width * art.grid
    c.addLiteral(
        f"q {num(x)} {num(y)} {num(width)} {num(height)} re W n "
        f"{rgb(art.background)} rg {num(x)} {num(y)} {num(width)} {num(height)} re f "
        f"{s:.6f} 0 0 {-s:.6f} {num(x)} {num(y + height)} cm 1 J 1 j\n{art.ops}\nQ"
    )
    if frame:  # a hairline, so that a white drawing on white paper still has an edge
        c.addLiteral(f"q 0.6 G 0.3 w {num(x)} {num(y)} {num(width)} {num(height)} re S Q")


# --- QR codes --------------------------------------------------------------------------------


def draw_qr(c: Canvas, matrix: Sequence[Sequence[bool]], x: float, y: float, size: float) -> None:
    """A QR code `size` points wide, quiet zone included (the matrix carries it): pure black on white."""
    n = len(matrix)
    module = size / n
    rects: list[str] = []
    for row, cells in enumerate(matrix):
        col = 0
        while col < n:
            if cells[col]:
                start = col
                while col < n and cells[col]:
                    col += 1
                rects.append(f"{start} {n - row - 1} {col - start} 1 re")
            col += 1
    c.addLiteral(
        f"q 1 g {num(x)} {num(y)} {num(size)} {num(size)} re f "
        f"{module:.6f} 0 0 {module:.6f} {num(x)} {num(y)} cm 0 g\n" + "\n".join(rects) + "\nf Q"
    )


# --- text ------------------------------------------------------------------------------------


def draw_block(c: Canvas, block: Block, x: float, top: float, width: float, align: str = "left") -> None:
    """Set a fitted block of text with its top at `top`, in solid black.

    "left" means the paragraph's start: right-to-left lines are set flush right. Each run of
    the line is drawn in the font that has its glyphs (kiosk.zine.fonts)."""
    c.setFillGray(0)
    for line in block.lines:
        y = top - line.baseline
        if align == "center":
            at = x + (width - line.width) / 2
        elif align == "right" or line.rtl:
            at = x + width - line.width
        else:
            at = x
        if line.text.isascii():
            c.setFont(fonts.ensure(line.font), line.size)
            c.drawString(at, y, line.text)
            continue
        for text, font in fonts.runs(line.text, line.font):
            c.setFont(font, line.size)
            c.drawString(at, y, text)
            at += pdfmetrics.stringWidth(text, font, line.size)


# --- sheets ----------------------------------------------------------------------------------


def _minizine_guides(c: Canvas, side: Side) -> None:
    """Light dashed fold lines on the panel borders, and the solid cut line in the middle.

    The borders lie in the panels' margins, so the guides never cross a drawing.
    """
    w, h = side.width, side.height
    c.saveState()
    c.setStrokeGray(0.72)
    c.setLineWidth(0.5)
    c.setDash(3, 3)
    for i in (1, 2, 3):
        c.line(w * i / 4, 0, w * i / 4, h)
    c.line(0, h / 2, w / 4, h / 2)
    c.line(w * 3 / 4, h / 2, w, h / 2)
    c.setDash()
    c.setStrokeGray(0)
    c.setLineWidth(0.6)
    c.line(w / 4, h / 2, w * 3 / 4, h / 2)
    c.restoreState()


def _booklet_guides(c: Canvas, side: Side) -> None:
    """Short fold marks in the top and bottom margins, where the staples go."""
    w, h = side.width, side.height
    c.saveState()
    c.setStrokeGray(0.72)
    c.setLineWidth(0.5)
    c.setDash(2, 2)
    c.line(w / 2, h, w / 2, h - 4 * MM)
    c.line(w / 2, 0, w / 2, 4 * MM)
    c.restoreState()


GUIDES: dict[str, Callable[[Canvas, Side], None]] = {"minizine": _minizine_guides, "booklet": _booklet_guides}


def write_pdf(pages: Sequence[Paintable], sides: Sequence[Side], layout: str, meta: Meta,
              progress: Callable[[], None] | None = None) -> bytes:
    """Paint every page into its slot, side by side; return the PDF's bytes."""
    register_fonts()
    # reportlab wraps compressed streams in ASCII85 unless told not to: a quarter bigger, and slow
    # in pure Python. The setting is reportlab's own global, so it is restored afterwards.
    # Its streams are deflated at zlib's default level 6; level 1 makes files about 10 % bigger
    # (still a twentieth of the drawings' PNGs) and takes a fifth of the time, which for a small
    # zine was a tenth of the whole run. Both are restored afterwards.
    saved_a85, saved_encode = rl_config.useA85, pdfdoc.PDFStreamFilterZCompress.encode
    rl_config.useA85 = 0
    pdfdoc.PDFStreamFilterZCompress.encode = _deflate
    try:
        return _write(pages, sides, layout, meta, progress)
    finally:
        rl_config.useA85 = saved_a85
        pdfdoc.PDFStreamFilterZCompress.encode = saved_encode


def _deflate(self, text: str | bytes) -> bytes:
    return zlib.compress(text.encode("utf8") if isinstance(text, str) else text, DEFLATE_LEVEL)


def _write(pages: Sequence[Paintable], sides: Sequence[Side], layout: str, meta: Meta,
           progress: Callable[[], None] | None) -> bytes:
    buf = io.BytesIO()
    first = sides[0]
    c = Canvas(buf, pagesize=(first.width, first.height), pageCompression=1,
               initialFontName=REGULAR, initialFontSize=10, lang=meta.lang)
    c.setTitle(meta.title)
    c.setAuthor(meta.author)
    c.setSubject(meta.subject)
    c.setKeywords(meta.keywords)
    c.setCreator(meta.creator)
    guides = GUIDES.get(layout)
    marks: list[tuple[int, int, str]] = []  # (page, level, title): the outline, in reading order
    for side in sides:
        c.setPageSize((side.width, side.height))
        for slot in side.slots:
            page = pages[slot.page - 1]
            c.saveState()
            if slot.rotated:
                c.translate(slot.x + slot.width, slot.y + slot.height)
                c.rotate(180)
            else:
                c.translate(slot.x + slot.shift, slot.y)
            page.paint(c, slot.width, slot.height)
            c.restoreState()
            mark = getattr(page, "bookmark", None)
            if mark:
                c.bookmarkPage(f"p{slot.page}", fit="FitR", left=slot.x, bottom=slot.y,
                               right=slot.x + slot.width, top=slot.y + slot.height)
                marks.append((slot.page, *mark))
        if guides:
            guides(c, side)
        c.showPage()
        if progress:
            progress()
    level = -1
    for number, lvl, title in sorted(marks):
        lvl = min(lvl, level + 1)  # an outline cannot skip a level
        c.addOutlineEntry(title, f"p{number}", lvl, closed=lvl == 0 and len(marks) > 40)
        level = lvl
    c.save()
    return buf.getvalue()
