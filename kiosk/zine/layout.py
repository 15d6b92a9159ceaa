"""The zine's pages: what each kind of page shows and where, in its own box.

Every page paints itself into a box of the page size with its origin at the bottom left;
kiosk.zine.pdf places that box on the sheet (turned upside down for the minizine's top
row). Nothing is painted closer to the box's edge than the style's margin, which is at
least 5 mm: the box's edges are the paper's edges, folds or cuts.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.pdfgen.canvas import Canvas

from kiosk.zine import qr
from kiosk.zine.content import Content, Entry, Question, Tally, colophon, label, labels, labels_n
from kiosk.zine.imposition import MM, padded_count
from kiosk.zine.pdf import BOLD, REGULAR, Art, art_box, draw_art, draw_block, draw_qr
from kiosk.zine.text import Block, Para, fit


@dataclass(frozen=True)
class Style:
    margin: float  # points, from every edge of the page
    qr: float  # a QR code's width, quiet zone included
    gap: float  # between the parts of a page
    text: float  # body text size
    small: float  # the smallest text ever set
    big: float  # a typed answer alone on its page
    title: float  # the cover's title


STYLES = {
    # A minizine panel is 74 x 105 mm (A4) or 70 x 108 mm (Letter).
    "minizine": Style(margin=6 * MM, qr=22 * MM, gap=2 * MM, text=7.0, small=4.8, big=16.0, title=15.0),
    # Half an A4 or Letter sheet, or A5 / half-Letter.
    "booklet": Style(margin=11 * MM, qr=26 * MM, gap=3 * MM, text=10.0, small=6.0, big=24.0, title=24.0),
    "pages": Style(margin=11 * MM, qr=26 * MM, gap=3 * MM, text=10.0, small=6.0, big=24.0, title=24.0),
}


def content_width(style: Style, page_width: float) -> float:
    return page_width - 2 * style.margin


class Page:
    """A page of the zine; `folio` is its printed page number (None: not shown)."""

    folio: int | None = None

    def __init__(self, style: Style, content: Content) -> None:
        self.style = style
        self.content = content

    def paint(self, c: Canvas, width: float, height: float) -> None:
        raise NotImplementedError

    # Helpers shared by the kinds of page.

    def _area(self, c: Canvas, width: float, height: float) -> tuple[float, float, float, float]:
        """Print the folio; return the room left inside the margins: left, width, top, bottom."""
        m = self.style.margin
        return m, width - 2 * m, height - m, m + self._folio(c, width)

    def _folio(self, c: Canvas, width: float) -> float:
        """Print the page number at the foot of the page; return the height it takes."""
        st = self.style
        if self.folio is None:
            return 0.0
        c.setFillGray(0)
        c.setFont(REGULAR, st.small + 1)
        c.drawCentredString(width / 2, st.margin + 0.25 * (st.small + 1), str(self.folio))
        return (st.small + 1) * 1.2 + st.gap / 2

    def _heading(self, c: Canvas, texts: Sequence[str], x: float, top: float, width: float, max_h: float,
                 scale: float = 1.15) -> float:
        st = self.style
        block = fit([Para(" / ".join(texts), BOLD)], width, max_h, st.text * scale, st.small)
        draw_block(c, block, x, top, width)
        return block.height

    def _question(self, c: Canvas, q: Question, x: float, top: float, width: float, max_h: float) -> float:
        """A question in its languages: the first in bold, the others below it."""
        st = self.style
        paras = [Para(q.texts[0], BOLD)] + [Para(t, REGULAR, 0.92, 0.25) for t in q.texts[1:]]
        block = fit(paras, width, max_h, st.text, st.small)
        if block.truncated and len(q.texts) > 1:
            block = fit(paras[:1], width, max_h, st.text, st.small)
        draw_block(c, block, x, top, width)
        return block.height


class CoverPage(Page):
    def paint(self, c: Canvas, width: float, height: float) -> None:
        st, ct = self.style, self.content
        m = st.margin
        cw, ch = width - 2 * m, height - 2 * m
        top = height - m
        org = fit([Para(ct.organization, BOLD)], cw, ch * 0.15, st.text * 1.2, st.small)
        draw_block(c, org, m, top, cw)
        top -= org.height + st.gap * 1.5
        title = fit([Para(ct.title, BOLD)], cw, ch * 0.3, st.title, st.text)
        draw_block(c, title, m, top, cw)
        top -= title.height + st.gap / 2
        where = " · ".join(v for v in (ct.place, ct.date) if v)
        if where:
            line = fit([Para(where, REGULAR)], cw, ch * 0.12, st.text, st.small)
            draw_block(c, line, m, top, cw)
            top -= line.height
        top -= st.gap * 1.5
        art = ct.cover.art if ct.cover is not None else None
        if isinstance(art, Art) and top - m > 10 * MM:
            aw, ah = art_box(art, cw, top - m)
            draw_art(c, art, m + (cw - aw) / 2, top - ah - (top - m - ah) / 2, aw, ah)


class QuestionsPage(Page):
    def paint(self, c: Canvas, width: float, height: float) -> None:
        st, ct = self.style, self.content
        m, cw, top, bottom = self._area(c, width, height)
        top -= self._heading(c, labels("questions", ct.languages), m, top, cw, (top - bottom) * 0.2) + st.gap
        paras: list[Para] = []
        for i, q in enumerate(ct.questions, 1):
            paras.append(Para(f"{i}. {q.texts[0]}", BOLD, 0.95, 0.6 if i > 1 else 0))
            paras.extend(Para(t, REGULAR, 0.85, 0.1) for t in q.texts[1:])
        block = fit(paras, cw, top - bottom, st.text, st.small)
        if block.truncated:  # too many to show in every language: the main language only
            block = fit([p for p in paras if p.font == BOLD], cw, top - bottom, st.text, st.small)
        draw_block(c, block, m, top, cw)


class EntryPage(Page):
    """One response: its question, its drawing or typed text, its answer, number, date and QR code."""

    def __init__(self, style: Style, content: Content, entry: Entry) -> None:
        super().__init__(style, content)
        self.entry = entry
        self.matrix = entry.matrix

    def paint(self, c: Canvas, width: float, height: float) -> None:
        st, e = self.style, self.entry
        m, cw, top, bottom = self._area(c, width, height)
        ch = height - 2 * m

        # The foot: number and date on the left, the QR code in the bottom right corner.
        qr_w = st.qr if self.matrix is not None else 0.0
        meta = [Para(f"№ {e.number}", BOLD), Para(e.date, REGULAR)]
        if e.response.consent != "public":
            meta.append(Para(label("print_only", e.language), REGULAR, 0.9))
        meta_w = cw - qr_w - st.gap if qr_w else cw
        meta_block = fit(meta, meta_w, max(qr_w, ch * 0.12), st.text, st.small)
        foot = max(st.qr, meta_block.height)  # the same on every page, QR code or not: facing pages align
        draw_block(c, meta_block, m, bottom + meta_block.height, meta_w)
        if self.matrix is not None:
            draw_qr(c, self.matrix, width - m - qr_w, bottom, qr_w)
        floor = bottom + foot + st.gap

        question = fit([Para(e.question, REGULAR)], cw, ch * 0.25, st.text, st.small)
        avail = top - question.height - st.gap - floor
        art = e.art if isinstance(e.art, Art) else None
        if art is None:  # a typed answer alone: big, in the middle of the page
            draw_block(c, question, m, top, cw)
            top -= question.height + st.gap
            block = fit([Para(e.answer, REGULAR)], cw, avail, st.big, st.small, leading=1.18)
            draw_block(c, block, m, top - max(0.0, (avail - block.height) / 2), cw)
            return
        answer: Block | None = None
        if e.answer:
            answer = fit([Para(e.answer, BOLD)], cw, avail * 0.3, st.text * 1.1, st.small)
        answer_h = answer.height + st.gap if answer else 0.0
        aw, ah = art_box(art, cw, avail - answer_h)
        # The question, the drawing and its answer as one group, in the middle of the room above the foot.
        top -= max(0.0, (avail - ah - answer_h) / 2)
        draw_block(c, question, m, top, cw)
        top -= question.height + st.gap
        draw_art(c, art, m + (cw - aw) / 2, top - ah, aw, ah)
        if answer:
            draw_block(c, answer, m, top - ah - st.gap, cw)


class TalliesPage(Page):
    """A choice question's answers counted, as a bar chart: the School's own statistics."""

    def __init__(self, style: Style, content: Content, tally: Tally) -> None:
        super().__init__(style, content)
        self.tally = tally

    def paint(self, c: Canvas, width: float, height: float) -> None:
        st, t = self.style, self.tally
        m, cw, top, bottom = self._area(c, width, height)
        top -= self._heading(c, labels("tallies", self.content.languages), m, top, cw, (top - bottom) * 0.15)
        epigraph = fit([Para(" / ".join(labels("epigraph", self.content.languages)), REGULAR, 0.9)],
                       cw, (top - bottom) * 0.1, st.text, st.small)
        draw_block(c, epigraph, m, top - st.gap / 2, cw)
        top -= epigraph.height + st.gap * 1.5
        top -= self._question(c, t.question, m, top, cw, (top - bottom) * 0.3) + st.gap / 2
        n = fit([Para(" / ".join(labels_n("answers", t.total, self.content.languages)), REGULAR)],
                cw, st.text * 3, st.text * 0.9, st.small)
        draw_block(c, n, m, top, cw)
        top -= n.height + st.gap
        if not t.bars:
            return
        row = min((top - bottom) / len(t.bars), st.text * 4.2)
        size = max(st.small, min(st.text, row / 3.2))
        most = max(count for _, count in t.bars) or 1
        count_w = c.stringWidth(str(most), BOLD, size) + size
        for name, count in t.bars:
            name_block = fit([Para(name, REGULAR)], cw, row - size * 1.6, size, st.small)
            draw_block(c, name_block, m, top, cw)
            bar_top = top - name_block.height - size * 0.2
            bar_h = size * 0.95
            length = (cw - count_w) * count / most
            if length > 0:
                c.setFillGray(0.25)
                c.rect(m, bar_top - bar_h, length, bar_h, stroke=0, fill=1)
            c.setFillGray(0)
            c.setFont(BOLD, size)
            c.drawString(m + length + size * 0.4, bar_top - bar_h + size * 0.15, str(count))
            top -= max(row, name_block.height + bar_h + size * 0.8)


class BackPage(Page):
    """The colophon and one QR code per session: the session's page in the archive."""

    def __init__(self, style: Style, content: Content) -> None:
        super().__init__(style, content)
        self.matrices = [(title, url, qr.matrix(url)) for title, url in content.session_links]

    def paint(self, c: Canvas, width: float, height: float) -> None:
        st, ct = self.style, self.content
        m = st.margin
        cw = width - 2 * m
        top = height - m
        bottom = m
        if self.matrices:
            bottom = self._codes(c, width, top)
        top -= self._heading(c, labels("colophon", ct.languages), m, top, cw, (top - bottom) * 0.2) + st.gap
        paras = [Para(p, REGULAR, 1.0, 0.5 if i else 0) for i, p in enumerate(colophon(ct))]
        block = fit(paras, cw, top - bottom, st.text, st.small)
        draw_block(c, block, m, top, cw)

    def _codes(self, c: Canvas, width: float, top: float) -> float:
        """The QR codes in rows from the bottom, each with its caption; returns the top of the rows."""
        st = self.style
        m = st.margin
        cw = width - 2 * m
        cols = max(1, int((cw + st.gap) // (st.qr + st.gap)))
        # A lone code gets the wider caption area; several share the row.
        cell_w = cw if len(self.matrices) == 1 else st.qr + (cw - cols * st.qr) / cols
        caption_h = (st.small + 1) * 1.22 * 3 + st.gap  # three lines: the label over two, the URL
        rows = math.ceil(len(self.matrices) / cols)
        y = m
        for r in reversed(range(rows)):
            chunk = self.matrices[r * cols:(r + 1) * cols]
            row_w = len(chunk) * cell_w
            x0 = m + (cw - row_w) / 2
            for i, (title, url, matrix) in enumerate(chunk):
                x = x0 + i * cell_w
                caption = [title if len(self.matrices) > 1 else " / ".join(labels("archive", self.content.languages)),
                           url]
                text_w = cell_w - st.gap  # a gap between neighbours' captions
                block = fit([Para(caption[0], BOLD), Para(caption[1], REGULAR)], text_w, caption_h - st.gap / 2,
                            st.small + 1, st.small)
                draw_block(c, block, x + st.gap / 2, y + block.height, text_w, align="center")
                draw_qr(c, matrix, x + (cell_w - st.qr) / 2, y + caption_h, st.qr)
            y += caption_h + st.qr + st.gap
        return y


class PaddingPage(Page):
    """A page left for the reader: one of the School's questions and room to draw an answer."""

    def __init__(self, style: Style, content: Content, question: Question | None) -> None:
        super().__init__(style, content)
        self.question = question

    def paint(self, c: Canvas, width: float, height: float) -> None:
        st = self.style
        m, cw, top, bottom = self._area(c, width, height)
        top -= self._heading(c, labels("your_turn", self.content.languages), m, top, cw, (top - bottom) * 0.2)
        top -= st.gap
        if self.question is not None:
            top -= self._question(c, self.question, m, top, cw, (top - bottom) * 0.3) + st.gap
        if top - bottom > 10 * MM:
            c.saveState()
            c.setStrokeGray(0.6)
            c.setLineWidth(0.5)
            c.setDash(2, 2)
            c.rect(m, bottom, cw, top - bottom, stroke=1, fill=0)
            c.restoreState()


def assemble(content: Content, layout: str, style: Style) -> list[Page]:
    """Every page in reading order, padded (before the back cover) to what the layout folds into."""
    pages: list[Page] = [CoverPage(style, content), QuestionsPage(style, content)]
    for entry in content.entries:
        pages.append(EntryPage(style, content, entry))
    pages.extend(TalliesPage(style, content, t) for t in content.tallies)
    back = BackPage(style, content)
    total = padded_count(layout, len(pages) + 1) if layout != "pages" else len(pages) + 1
    questions = content.padding_questions or content.questions
    for i in range(total - len(pages) - 1):
        pages.append(PaddingPage(style, content, questions[i % len(questions)] if questions else None))
    pages.append(back)
    for n, page in enumerate(pages, 1):
        page.folio = n if 1 < n < len(pages) else None
    return pages
