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
from functools import lru_cache

from reportlab.pdfgen.canvas import Canvas

from kiosk.dates import format_date
from kiosk.tally import Tally
from kiosk.zine import qr
from kiosk.zine.content import Content, Entry, Question, colophon, dates_in, label, labels, labels_n, texts_in
from kiosk.zine.imposition import MM
from kiosk.zine.pdf import BOLD, REGULAR, Art, art_box, draw_art, draw_block, draw_qr
from kiosk.zine.plan import SHEETS_PER_VOLUME, Plan, plan
from kiosk.zine.text import Block, Para, clean, fit


@dataclass(frozen=True)
class Style:
    margin: float  # points, from every edge of the page
    qr: float  # a QR code's width, quiet zone included
    gap: float  # between the parts of a page
    text: float  # body text size
    small: float  # the smallest text ever set
    big: float  # a typed answer alone on its page
    title: float  # the cover's title


MIN_SIZE = 6.5  # points: the smallest text anywhere, what a photocopier still renders

STYLES = {
    # A minizine panel is 74 x 105 mm (A4) or 70 x 108 mm (Letter).
    "minizine": Style(margin=6 * MM, qr=22 * MM, gap=2 * MM, text=7.5, small=MIN_SIZE, big=16.0, title=15.0),
    # Half an A4 or Letter sheet: 13 mm at the fold, so that with creep (at most 3 mm) it keeps 10 mm.
    "booklet": Style(margin=13 * MM, qr=26 * MM, gap=3 * MM, text=10.0, small=MIN_SIZE, big=24.0, title=24.0),
    # A5 / half-Letter.
    "pages": Style(margin=11 * MM, qr=26 * MM, gap=3 * MM, text=10.0, small=MIN_SIZE, big=24.0, title=24.0),
}


def content_width(style: Style, page_width: float) -> float:
    return page_width - 2 * style.margin


class Page:
    """A page of the zine; `folio` is its printed page number (None: not shown)."""

    folio: int | None = None
    bookmark: tuple[int, str] | None = None  # (outline level, title) for the PDF's bookmarks
    links: bool = False  # QR codes are also clickable links (the layouts read on screens)

    def __init__(self, style: Style, content: Content) -> None:
        self.style = style
        self.content = content

    def _qr(self, c: Canvas, matrix, url: str, x: float, y: float, size: float) -> None:
        draw_qr(c, matrix, x, y, size)
        if self.links:
            c.linkURL(url, (x, y, x + size, y + size), relative=1)

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


@dataclass
class Part:
    """Which part of the zine a cover opens: a minizine sheet or a booklet volume."""

    number: int
    total: int
    kind: str  # "sheet" | "volume" | ""
    first: int | None = None  # the answers' numbers it holds
    last: int | None = None


class CoverPage(Page):
    """A typographic cover: who, what, where and when, which part, and the session's QR code.
    A drawing only when the facilitator chose one (--cover), and then it is not repeated inside."""

    def __init__(self, style: Style, content: Content, part: Part,
                 code: tuple[str, list[list[bool]]] | None = None) -> None:
        super().__init__(style, content)
        self.part = part
        self.code = code  # the session's (URL, QR code), made once for every part's cover
        kind = {"sheet": "zine.sheet_of", "volume": "zine.volume_of"}.get(part.kind)
        name = content.title + (f" ({label(kind, content.main_language, n=str(part.number), total=str(part.total))})"
                                if kind and part.total > 1 else "")
        self.bookmark = (0, name)

    def paint(self, c: Canvas, width: float, height: float) -> None:
        st, ct = self.style, self.content
        m = st.margin
        cw, ch = width - 2 * m, height - 2 * m
        top = height - m
        bottom = m
        if self.code is not None:
            bottom = self._code(c, width, m)
        langs = ct.languages
        org = fit([Para(ct.organization, BOLD)], cw, ch * 0.12, st.text * 1.1, st.small)
        draw_block(c, org, m, top, cw)
        top -= org.height + st.gap
        c.setFillGray(0)
        c.rect(m, top - 1.2, cw, 1.2, stroke=0, fill=1)  # a heavy rule under the School's name
        top -= st.gap * 1.5
        title = fit([Para(ct.title, BOLD, lang=ct.main_language)], cw, ch * 0.3, st.title, st.text)
        draw_block(c, title, m, top, cw)
        top -= title.height + st.gap
        lines = [Para(" · ".join(v for v in (ct.place, dates_in(ct.date, langs)) if v), REGULAR)]
        if self.part.kind and self.part.total > 1:
            key = "sheet_of" if self.part.kind == "sheet" else "volume_of"
            lines.append(Para(" / ".join(labels(key, langs, n=str(self.part.number), total=str(self.part.total))),
                              BOLD, space_before=0.3))
        if self.part.first is not None and self.part.last is not None and self.part.total > 1:
            lines.append(Para(" / ".join(labels("numbers", langs, first=str(self.part.first),
                                                last=str(self.part.last))), REGULAR))
        if ct.set_title:
            lines.append(Para(" / ".join(dict.fromkeys(ct.set_title[lang] for lang in langs if lang in ct.set_title)
                                         ) or next(iter(ct.set_title.values())), REGULAR, 0.9, 0.5))
        info = fit(lines, cw, max(st.small * 2, (top - bottom) * 0.6), st.text, st.small)
        draw_block(c, info, m, top, cw)
        top -= info.height + st.gap * 1.5
        if ct.palette and top - bottom > st.gap * 4:
            top -= self._pens(c, m, top, cw) + st.gap * 1.5
        art = ct.cover.art if ct.cover is not None and self.part.number == 1 else None
        if isinstance(art, Art) and top - bottom > 15 * MM:
            aw, ah = art_box(art, cw, top - bottom - st.gap)
            draw_art(c, art, m + (cw - aw) / 2, bottom + st.gap + (top - bottom - st.gap - ah) / 2, aw, ah)

    def _pens(self, c: Canvas, x: float, top: float, width: float) -> float:
        """The kiosk's pens, a band of their colours (greys with --grey): the cover's ornament."""
        colours = self.content.palette
        if self.content.grey:
            from kiosk.zine.grey import grey_map

            greys = grey_map(colours)
            colours = [greys[colour.lower()] for colour in colours]
        h = self.style.gap * 1.6
        w = width / len(colours)
        for i, colour in enumerate(colours):
            c.setFillColorRGB(*(int(colour[k:k + 2], 16) / 255 for k in (1, 3, 5)))
            c.rect(x + i * w, top - h, w, h, stroke=0, fill=1)
        c.setFillGray(0)
        return h

    def _code(self, c: Canvas, width: float, y: float) -> float:
        """The session's QR code at the foot, its caption and address beside it; returns its top."""
        st, ct = self.style, self.content
        assert self.code is not None
        url, matrix = self.code
        m = st.margin
        cw = width - 2 * m
        self._qr(c, matrix, url, m, y, st.qr)
        text_w = cw - st.qr - st.gap
        caption = fit([Para(" / ".join(labels("archive", ct.languages)), BOLD), Para(url, REGULAR, 1.0, 0.3)],
                      text_w, st.qr, st.small + 0.5, st.small)
        draw_block(c, caption, m + st.qr + st.gap, y + st.qr / 2 + caption.height / 2, text_w)
        return y + st.qr + st.gap


def _question_paras(questions: Sequence[Question], first_number: int, all_languages: bool) -> list[Para]:
    paras: list[Para] = []
    for i, q in enumerate(questions, first_number):
        paras.append(Para(f"{i}. {q.texts[0]}", BOLD, 0.95, 0.6 if i > first_number else 0))
        if all_languages:
            paras.extend(Para(t, REGULAR, 0.85, 0.1) for t in q.texts[1:])
    return paras


class QuestionsPage(Page):
    """The questions asked, in every language: over as many pages as they need at a legible size."""

    def __init__(self, style: Style, content: Content, questions: Sequence[Question], first_number: int = 1,
                 continued: bool = False, all_languages: bool = True) -> None:
        super().__init__(style, content)
        self.questions = list(questions)
        self.first_number = first_number
        self.continued = continued
        self.all_languages = all_languages

    def _blocks(self, c: Canvas | None, width: float, height: float) -> tuple[Block, Block, float, float, float]:
        st, ct = self.style, self.content
        m = st.margin
        cw = width - 2 * m
        top = height - m
        bottom = m + ((st.small + 1) * 1.2 + st.gap / 2 if self.folio is not None or c is None else 0.0)
        words = labels("questions_more", ct.languages) if self.continued else labels("questions", ct.languages)
        head = fit([Para(" / ".join(words), BOLD)], cw, (top - bottom) * 0.2,
                   st.text * 1.15, st.small)
        room = top - head.height - st.gap - bottom
        body = fit(_question_paras(self.questions, self.first_number, self.all_languages), cw, room,
                   st.text, st.small)
        return head, body, m, top, cw

    def fits(self, width: float, height: float) -> bool:
        return not self._blocks(None, width, height)[1].truncated

    def paint(self, c: Canvas, width: float, height: float) -> None:
        st = self.style
        m, cw, top, bottom = self._area(c, width, height)
        head, body, m, _, cw = self._blocks(c, width, height)
        draw_block(c, head, m, top, cw)
        draw_block(c, body, m, top - head.height - st.gap, cw)


def question_pages(style: Style, content: Content, width: float, height: float) -> list[QuestionsPage]:
    """The questions over as few pages as they fit at the smallest size (never below MIN_SIZE):
    every language if each question fits a page so, else the main language only."""
    key = tuple((q.prompt_id, tuple(q.texts)) for q in content.questions)
    groups, all_languages = _question_groups(style, key, tuple(content.languages), width, height)
    out: list[QuestionsPage] = []
    for first, count in groups:
        out.append(QuestionsPage(style, content, content.questions[first - 1:first - 1 + count], first, bool(out),
                                 all_languages))
    return out


@lru_cache(maxsize=8)  # the plan said before building and the build itself ask the same
def _question_groups(style: Style, questions: tuple[tuple[str, tuple[str, ...]], ...], languages: tuple[str, ...],
                     width: float, height: float) -> tuple[list[tuple[int, int]], bool]:
    """(first number, how many) per page, and whether in every language. Each question's height
    is measured once, so this is quick however many questions there are."""
    m = style.margin
    cw = width - 2 * m
    head = fit([Para(" / ".join(labels("questions_more", languages)), BOLD)], cw, (height - 2 * m) * 0.2,
               style.text * 1.15, style.small)
    room = height - 2 * m - (style.small + 1) * 1.2 - style.gap / 2 - head.height - style.gap
    qs = [Question(pid, list(texts)) for pid, texts in questions]

    def paginate(all_languages: bool) -> list[tuple[int, int]] | None:
        out: list[tuple[int, int]] = []
        first, count, used = 1, 0, 0.0
        for i, q in enumerate(qs, 1):
            block = layout_block(_question_paras([q], i, all_languages), cw, style.small)
            h = block.height + 0.6 * style.small * 0.95 * 1.22  # the space before a question
            if h > room:
                return None
            if count and used + h > room:
                out.append((first, count))
                first, count, used = i, 0, 0.0
            count += 1
            used += h
        if count or not out:
            out.append((first, count))
        return out

    for all_languages in (True, False):
        groups = paginate(all_languages)
        if groups is not None:
            return groups, all_languages
    return [(1, len(qs))], False


def layout_block(paras: list[Para], width: float, size: float) -> Block:
    """The paragraphs set at exactly `size`, cleaned as fit() cleans them."""
    return fit(paras, width, 1e9, size, size)


class EntryPage(Page):
    """One response: its question, its drawing or typed text, its answer, number, date and QR code."""

    def __init__(self, style: Style, content: Content, entry: Entry) -> None:
        super().__init__(style, content)
        self.entry = entry
        self.matrix = entry.matrix
        self.bookmark = (1, f"№ {entry.number}: {clean(entry.question)[:60]}")

    def paint(self, c: Canvas, width: float, height: float) -> None:
        st, e = self.style, self.entry
        m, cw, top, bottom = self._area(c, width, height)
        ch = height - 2 * m

        # The foot: number and date on the left, the QR code in the bottom right corner.
        qr_w = st.qr if self.matrix is not None else 0.0
        meta = [Para(f"№ {e.number}", BOLD), Para(format_date(e.date, e.language), REGULAR)]
        if e.response.consent != "public":
            meta.append(Para(label("print_only", e.language), REGULAR, 0.9))
        meta_w = cw - qr_w - st.gap if qr_w else cw
        meta_block = fit(meta, meta_w, max(qr_w, ch * 0.12), st.text, st.small)
        foot = max(st.qr, meta_block.height)  # the same on every page, QR code or not: facing pages align
        draw_block(c, meta_block, m, bottom + meta_block.height, meta_w)
        if self.matrix is not None and e.url:
            self._qr(c, self.matrix, e.url, width - m - qr_w, bottom, qr_w)
        floor = bottom + foot + st.gap

        question = fit([Para(e.question, REGULAR, lang=e.language)], cw, ch * 0.25, st.text, st.small)
        avail = top - question.height - st.gap - floor
        art = e.art if isinstance(e.art, Art) else None
        if art is None:  # a typed answer alone: big, in the middle of the page
            draw_block(c, question, m, top, cw)
            top -= question.height + st.gap
            block = fit([Para(e.answer, REGULAR, lang=e.language)], cw, avail, st.big, st.small, leading=1.18)
            draw_block(c, block, m, top - max(0.0, (avail - block.height) / 2), cw)
            return
        answer: Block | None = None
        if e.answer:
            answer = fit([Para(e.answer, BOLD, lang=e.language)], cw, avail * 0.3, st.text * 1.1, st.small)
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
    """A choice question's answers counted, as a bar chart: the School's own statistics (kiosk.tally)."""

    def __init__(self, style: Style, content: Content, tally: Tally) -> None:
        super().__init__(style, content)
        self.tally = tally

    def paint(self, c: Canvas, width: float, height: float) -> None:
        st, t, langs = self.style, self.tally, self.content.languages
        m, cw, top, bottom = self._area(c, width, height)
        top -= self._heading(c, labels("tallies", langs), m, top, cw, (top - bottom) * 0.15)
        epigraph = fit([Para(" / ".join(labels("epigraph", langs)), REGULAR, 0.9)],
                       cw, (top - bottom) * 0.12, st.text, st.small)
        draw_block(c, epigraph, m, top - st.gap / 2, cw)
        top -= epigraph.height + st.gap * 1.5
        question = Question(t.prompt_id, texts_in(t.question, langs) or [t.prompt_id])
        top -= self._question(c, question, m, top, cw, (top - bottom) * 0.25) + st.gap / 2
        note = fit([Para(" / ".join(labels_n("answers", t.total, langs)) + ". "
                         + " ".join(labels("tally_note_print", langs)), REGULAR, 0.95)],
                   cw, (top - bottom) * 0.25, st.small, st.small)
        bottom += note.height + st.gap  # the note goes under the chart
        draw_block(c, note, m, bottom - st.gap, cw)
        if not t.rows:
            return
        row = min((top - bottom) / len(t.rows), st.text * 4.2)
        size = max(st.small, min(st.text, row / 3.2))
        most = max(r.count for r in t.rows) or 1
        count_w = c.stringWidth(str(most), BOLD, size) + size
        for r in t.rows:
            name = " / ".join(texts_in(r.label, langs)) or r.option
            name_block = fit([Para(name, REGULAR)], cw, max(size * 1.3, row - size * 1.6), size, st.small)
            draw_block(c, name_block, m, top, cw)
            bar_top = top - name_block.height - size * 0.2
            bar_h = size * 0.95
            length = (cw - count_w) * r.count / most
            c.setFillGray(0.25)
            c.rect(m, bar_top - bar_h, length, bar_h, stroke=0, fill=1)
            c.setFillGray(0)
            c.setFont(BOLD, size)
            c.drawString(m + length + size * 0.4, bar_top - bar_h + size * 0.15, str(r.count))
            top -= max(row, name_block.height + bar_h + size * 0.8)


class BackPage(Page):
    """The colophon: how it was made, whose questions, consent, rights and licence, who to ask for a
    removal, the archive's address, the date. With several sessions, each one's QR code."""

    def __init__(self, style: Style, content: Content) -> None:
        super().__init__(style, content)
        links = content.session_links if len(content.session_links) > 1 else []
        self.matrices = [(title, url, qr.matrix(url)) for title, url in links]
        self._fitted: dict[tuple[float, float], Block] = {}

    def paint(self, c: Canvas, width: float, height: float) -> None:
        st, ct = self.style, self.content
        m = st.margin
        cw = width - 2 * m
        top = height - m
        bottom = m
        if self.matrices:
            bottom = self._codes(c, width, top)
        top -= self._heading(c, labels("colophon", ct.languages), m, top, cw, (top - bottom) * 0.2) + st.gap
        draw_block(c, self._colophon(cw, top - bottom), m, top, cw)

    def _colophon(self, width: float, height: float) -> Block:
        """Every language if it fits at a legible size, else the main language; fitted once for
        all the parts' back pages (they are the same page)."""
        key = (round(width, 2), round(height, 2))
        if key not in self._fitted:
            ct, st = self.content, self.style
            for langs in (ct.languages, ct.languages[:1]):
                paras = [Para(p, REGULAR, 1.0, (1.2 if i == 0 else 0.45) if (i or k) else 0)
                         for k, lang in enumerate(langs) for i, p in enumerate(colophon(ct, lang))]
                block = fit(paras, width, height, st.text * 0.95, st.small)
                if not block.truncated:
                    break
            self._fitted[key] = block
        return self._fitted[key]

    def _codes(self, c: Canvas, width: float, top: float) -> float:
        """The QR codes in rows from the bottom, each with its caption; returns the top of the rows."""
        st = self.style
        m = st.margin
        cw = width - 2 * m
        cols = max(1, int((cw + st.gap) // (st.qr + st.gap)))
        cell_w = st.qr + (cw - cols * st.qr) / cols
        caption_h = (st.small + 1) * 1.22 * 3 + st.gap  # three lines: the label over two, the URL
        rows = math.ceil(len(self.matrices) / cols)
        y = m
        for r in reversed(range(rows)):
            chunk = self.matrices[r * cols:(r + 1) * cols]
            row_w = len(chunk) * cell_w
            x0 = m + (cw - row_w) / 2
            for i, (title, url, matrix) in enumerate(chunk):
                x = x0 + i * cell_w
                text_w = cell_w - st.gap  # a gap between neighbours' captions
                block = fit([Para(title, BOLD), Para(url, REGULAR)], text_w, caption_h - st.gap / 2,
                            st.small + 1, st.small)
                draw_block(c, block, x + st.gap / 2, y + block.height, text_w, align="center")
                self._qr(c, matrix, url, x + (cell_w - st.qr) / 2, y + caption_h, st.qr)
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


def assemble(content: Content, layout: str, style: Style, page: tuple[float, float],
             sheets_per_volume: int = SHEETS_PER_VOLUME) -> tuple[list[Page], Plan]:
    """Every page in reading order, cut into complete parts (kiosk.zine.plan): each minizine sheet
    and each booklet volume has its cover and back page, padded before the back page."""
    inside: list[Page] = list(question_pages(style, content, *page))
    inside.extend(EntryPage(style, content, e) for e in content.entries
                  if content.cover is None or e is not content.cover)
    inside.extend(TalliesPage(style, content, t) for t in content.tallies)
    zine_plan = plan(layout, len(inside), sheets_per_volume)
    kind = {"minizine": "sheet", "booklet": "volume"}.get(layout, "")
    questions = content.padding_questions or content.questions
    back = BackPage(style, content)  # the same page closes every part
    code = None
    if content.session_links:
        url = content.session_links[0][1]
        code = (url, qr.matrix(url))
    back.links = layout != "minizine"
    pages: list[Page] = []
    start = 0
    padded = 0
    for number, (count, total) in enumerate(zip(zine_plan.parts, zine_plan.part_pages), 1):
        chunk = inside[start:start + count]
        start += count
        numbers = [p.entry.number for p in chunk if isinstance(p, EntryPage)]
        part = Part(number, len(zine_plan.parts), kind, min(numbers, default=None), max(numbers, default=None))
        part_pages: list[Page] = [CoverPage(style, content, part, code), *chunk]
        while len(part_pages) < total - 1:
            part_pages.append(PaddingPage(style, content, questions[padded % len(questions)] if questions else None))
            padded += 1
        for n, p in enumerate(part_pages, 1):
            p.folio = n if n > 1 else None
            p.links = layout != "minizine"
        part_pages.append(back)
        pages.extend(part_pages)
    return pages, zine_plan
