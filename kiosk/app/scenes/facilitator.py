"""The facilitator screen: the session, moderation of every answer of the session (a paged grid,
each answer larger at a touch, hidden or shown from there), a new session, the data folder's free
space and any save problem, the zine, printing, and quitting the kiosk."""

from __future__ import annotations

import dataclasses
import logging
import shutil
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import cast

import pygame

from kiosk import i18n
from kiosk.app import theme as th
from kiosk.app.keyboard import Keyboard
from kiosk.app.scene import Scene
from kiosk.app.scenes.tools import PrintPanel, ZinePanel
from kiosk.app.ui import Button, block, draw_block, fit, rounded, shadow
from kiosk.prompts import text_for
from kiosk.store import Response, Session, Store
from kiosk.strokes import render_thumbnail

log = logging.getLogger("kiosk.app")

THUMB = 320
LARGE = 1000  # the enlarged answer's picture, in pixels on its long side
LEAVE_AFTER_S = 300.0  # a facilitator screen left open goes back to the visitors
LOW_SPACE = 500 * 1024 * 1024
CONSENT_WORDS = {"public": "fac.consent.public", "print": "fac.consent.print"}


@dataclass
class Summary:
    session: Session | None
    total: int = 0
    public: int = 0
    print_only: int = 0
    hidden: int = 0
    answers: list[Response] = field(default_factory=list)  # every answer of the session, newest first
    free: int = 0
    space: int = 0
    path: str = ""
    quarantined: int = 0  # records left out as not valid (edited by hand, damaged): counted nowhere else
    running: bool = False  # the session shown is the one new answers go to (else: ended, the latest)


def load_summary(store: Store) -> Summary:
    """What the facilitator screen shows (read in the saver thread, which owns the store)."""
    current = store.current_session()
    session = current or next(iter(store.sessions()), None)
    s = Summary(session, path=str(store.root), running=current is not None)
    if session is not None:
        rs = store.responses(session.slug)
        s.total = len(rs)
        s.public = sum(r.consent == "public" for r in rs)
        s.print_only = sum(r.consent == "print" for r in rs)
        s.hidden = sum(r.hidden for r in rs)
        s.answers = rs[::-1]
    s.quarantined = store.quarantined_count()
    try:
        usage = shutil.disk_usage(store.root)
        s.free, s.space = usage.free, usage.total
    except OSError:
        pass
    return s


Picture = tuple[bytes, tuple[int, int]]


def load_pictures(store: Store, answers: list[Response], side: int) -> dict[str, Picture | None]:
    """The drawings of these answers as RGB pixels at most `side` wide or tall (None: no drawing,
    or a damaged one, which the grid shows by its words)."""
    out: dict[str, Picture | None] = {}
    for r in answers:
        out[r.id] = None
        try:
            d = store.load_drawing(r)
            if d is not None:
                img = render_thumbnail(d, side)
                out[r.id] = (img.tobytes(), img.size)
        except (ValueError, OSError) as exc:
            log.warning("answer %s: its drawing cannot be shown (%s)", r.id, exc)
    return out


def human_size(n: float) -> str:
    for unit in ("B", "KB", "MB", "GB", "TB"):
        if n < 1000 or unit == "TB":
            return f"{n:.0f} {unit}" if unit in ("B", "KB") else f"{n:.1f} {unit}"
        n /= 1000
    return f"{n:.1f} TB"


class FacilitatorScene(Scene):
    name = "facilitator"

    def enter(self) -> None:
        self.mode = "main"  # main | answer | new_session | zine | print
        self.summary: Summary | None = None
        self.loading: Future | None = None
        self.thumbs: dict[str, pygame.Surface | None] = {}  # None: no drawing to show
        self.thumbs_loading: Future | None = None
        self.enlarged: Response | None = None  # the answer seen large (mode "answer")
        self.large: pygame.Surface | None = None
        self.large_loading: Future | None = None
        self.hiding: Future | None = None  # hide/show being written
        self.hide_problem: str | None = None  # why the last hide/show failed: the answer is as it was
        self.per_page = 1
        self.new_title = ""
        self.keyboard: Keyboard | None = None
        self.zine = ZinePanel(self)
        self.printing = PrintPanel(self)
        self.quiet_s = 0.0
        self._problem = self.app.saver.problem
        self.read_problem: str | None = None  # the summary could not be read: why
        self.reload()
        super().enter()

    @property
    def lang(self) -> str:  # the facilitators' language: the kiosk's default
        return self.app.settings.default_language

    def reload(self) -> None:
        self.loading = self.app.saver.call(load_summary)

    # --- layout ----------------------------------------------------------------------------

    def layout(self) -> None:
        t = self.theme
        m, g = t.margin, t.gap
        W, H = t.size
        self.buttons.clear()
        back = pygame.Rect(0, 0, t.px(520), t.target)
        back.topright = (W - m, m)
        label = self.t("fac.back") if self.mode == "main" else self.t("fac.close")
        self.buttons.add(Button("back", back, label, "primary" if self.mode == "main" else "secondary", icon="back",
                                size=t.sizes.body))
        self.title_rect = pygame.Rect(m, m, back.x - m - g, t.target)
        body = pygame.Rect(m, back.bottom + m, W - 2 * m, H - back.bottom - 2 * m)
        if self.mode == "new_session":
            self._layout_new_session(body)
        elif self.mode == "zine":
            self.zine.layout(body)
        elif self.mode == "print":
            self.printing.layout(body)
        elif self.mode == "answer":
            self._layout_answer(body)
        else:
            self._layout_main(body)

    def _layout_main(self, body: pygame.Rect) -> None:
        t = self.theme
        g = t.gap
        # The tools along the bottom: the zine, printing, and (apart, in red) quitting.
        tools = pygame.Rect(body.x, body.bottom - t.target, body.width, t.target)
        third = (tools.width - 2 * t.margin) // 3
        self.buttons.add(Button("zine", pygame.Rect(tools.x, tools.y, third, t.target), self.t("fac.zine"),
                                "secondary", size=t.sizes.body))
        self.buttons.add(Button("print", pygame.Rect(tools.x + third + t.margin, tools.y, third, t.target),
                                self.t("fac.print"), "secondary", size=t.sizes.body))
        self.buttons.add(Button("quit", pygame.Rect(tools.right - third, tools.y, third, t.target),
                                self.t("fac.quit"), "danger-soft", size=t.sizes.body))
        body = pygame.Rect(body.x, body.y, body.width, tools.y - t.margin - body.y)
        if t.portrait:
            left = pygame.Rect(body.x, body.y, body.width, int(body.height * 0.38))  # the grid gets the rest
            right = pygame.Rect(body.x, left.bottom + t.margin, body.width, body.bottom - left.bottom - t.margin)
        else:
            left = pygame.Rect(body.x, body.y, int(body.width * 0.4), body.height)
            right = pygame.Rect(left.right + t.margin, body.y, body.right - left.right - t.margin, body.height)
        # Left: the session card (as tall as its lines), then the data folder card.
        lines_h = t.sizes.small + 2 * t.sizes.heading + t.sizes.small + t.sizes.body + t.sizes.small + t.px(60)
        session_h = min(2 * t.gap + t.px(8) + lines_h + t.target + 2 * t.gap, int(left.height * 0.62))
        self.session_card = pygame.Rect(left.x, left.y, left.width, session_h)
        self.storage_card = pygame.Rect(left.x, self.session_card.bottom + g, left.width,
                                        left.bottom - self.session_card.bottom - g)
        nb = pygame.Rect(0, 0, min(t.px(420), self.session_card.width - 2 * t.margin), t.target)
        nb.bottomleft = (self.session_card.x + t.margin, self.session_card.bottom - t.gap * 2)
        self.buttons.add(Button("new_session", nb, self.t("fac.new_session"), "secondary", size=t.sizes.body))
        self._layout_grid(right)

    def _layout_grid(self, area: pygame.Rect) -> None:
        """Every answer of the session, a page at a time, each with its question under it."""
        t = self.theme
        g = t.gap
        label = fit(t, self.t("fac.answers"), area.width, t.sizes.body * 3, t.sizes.body, t.sizes.small, True)
        self.recent_label = pygame.Rect(area.x, area.y, area.width, label.height)
        pager = pygame.Rect(area.x, area.bottom - t.target, area.width, t.target)
        grid = pygame.Rect(area.x, self.recent_label.bottom + g, area.width, pager.y - g - self.recent_label.bottom - g)
        self.grid = grid
        cols = max(2, min(5, grid.width // max(1, t.px(250))))
        cw = (grid.width - (cols - 1) * g) // cols
        rows = max(1, min(4, (grid.height + g) // (max(int(t.target * 1.6), int(cw * 0.7)) + g)))
        ch = min((grid.height - (rows - 1) * g) // rows, int(cw * 1.05))
        self.per_page = cols * rows
        answers = self.summary.answers if self.summary is not None else []
        pages = max(1, -(-len(answers) // self.per_page))
        page = self.app.facilitation.moderation_page = min(self.app.facilitation.moderation_page, pages - 1)
        shown = answers[page * self.per_page:(page + 1) * self.per_page]
        for i, resp in enumerate(shown):
            r = pygame.Rect(grid.x + (i % cols) * (cw + g), grid.y + (i // cols) * (ch + g), cw, ch)
            self.buttons.add(Thumb(f"response:{resp.id}", r, data=(resp, self)))
        self.page_rect = pygame.Rect(0, 0, 0, 0)
        if pages > 1:
            w = min(t.px(360), (pager.width - t.px(200)) // 2)
            self.buttons.add(Button("answers:previous", pygame.Rect(pager.x, pager.y, w, t.target),
                                    self.t("fac.previous"), "secondary", icon="back", enabled=page > 0,
                                    size=t.sizes.body))
            self.buttons.add(Button("answers:next", pygame.Rect(pager.right - w, pager.y, w, t.target),
                                    self.t("fac.next"), "secondary", icon="next", enabled=page < pages - 1,
                                    size=t.sizes.body))
            self.page_rect = pygame.Rect(pager.x + w, pager.y, pager.width - 2 * w, t.target)
            self.pages = pages
        self._want_thumbs(shown)

    def _want_thumbs(self, shown: list[Response]) -> None:
        missing = [r for r in shown if r.id not in self.thumbs]
        if missing and self.thumbs_loading is None:
            self.thumbs_loading = self.app.saver.call(lambda store: load_pictures(store, missing, THUMB))

    def _layout_answer(self, body: pygame.Rect) -> None:
        """One answer, large: its picture, its question and words, and hide or show."""
        t = self.theme
        resp = self.enlarged
        if resp is None:
            return
        if t.portrait:
            self.large_rect = pygame.Rect(body.x, body.y, body.width, int(body.height * 0.55))
            side = pygame.Rect(body.x, self.large_rect.bottom + t.margin, body.width,
                               body.bottom - self.large_rect.bottom - t.margin)
        else:
            self.large_rect = pygame.Rect(body.x, body.y, int(body.width * 0.58), body.height)
            side = pygame.Rect(self.large_rect.right + t.margin, body.y, body.right - self.large_rect.right - t.margin,
                               body.height)
        toggle = pygame.Rect(side.x, side.bottom - t.target, min(side.width, t.px(520)), t.target)
        self.buttons.add(Button("answer:show" if resp.hidden else "answer:hide", toggle,
                                self.t("fac.show" if resp.hidden else "fac.hide"),
                                "primary" if resp.hidden else "danger-soft", size=t.sizes.body))
        self.answer_text_rect = pygame.Rect(side.x, side.y, side.width, toggle.y - t.margin - side.y)

    def _layout_new_session(self, body: pygame.Rect) -> None:
        t = self.theme
        self.field = pygame.Rect(body.x, body.y + t.sizes.body + t.gap * 2, body.width, int(t.target * 1.2))
        bar = pygame.Rect(body.x, self.field.bottom + t.gap * 2, body.width, t.target)
        start = pygame.Rect(0, 0, t.px(420), t.target)
        start.topright = bar.topright
        cancel = pygame.Rect(0, 0, t.px(360), t.target)
        cancel.topright = (start.x - t.gap, bar.y)
        self.buttons.add(Button("session:start", start, self.t("fac.start"), "primary",
                                enabled=bool(self.new_title.strip())))
        self.buttons.add(Button("session:cancel", cancel, self.t("fac.cancel"), "secondary"))
        kb = pygame.Rect(body.x, bar.bottom + t.margin, body.width, body.bottom - bar.bottom - t.margin)
        if self.keyboard is None:
            self.keyboard = Keyboard(self.lang, self.t)
            self.keyboard.shift = False
        self.keyboard.place(kb, t, self.buttons)

    # --- events ------------------------------------------------------------------------------

    def on_button(self, button: Button) -> str | None:
        name = button.name
        if name == "back":
            if self.mode == "main":
                self.app.leave_facilitator()
                return None
            self.mode = "main"
        elif name == "new_session":
            self.mode = "new_session"
            s = self.summary.session if self.summary else None
            self.new_title = s.title if s else text_for(self.app.prompts.title, self.lang)
        elif name == "session:cancel":
            self.mode = "main"
        elif name == "session:start":
            self._start_session()
        elif name.startswith("key:"):
            assert self.keyboard is not None  # its keys are on the screen
            typed = self.keyboard.press(name)
            if typed == "\b":
                self.new_title = self.new_title[:-1]
            elif typed:
                self.new_title = (self.new_title + typed)[:120]
        elif name.startswith("response:"):
            self.enlarged = cast("tuple[Response, FacilitatorScene]", button.data)[0]
            self.mode = "answer"
            self.hide_problem = None
            self.large = None
            rid = self.enlarged
            self.large_loading = self.app.saver.call(lambda store: load_pictures(store, [rid], LARGE))
        elif name in ("answer:hide", "answer:show") and self.enlarged is not None:
            resp = self.enlarged
            hide = name == "answer:hide"
            self.hiding = self.app.saver.call(lambda store: store.set_hidden(resp.id, hide))
            self.hide_problem = None
            self.enlarged = resp = _replace_hidden(resp, hide)
            self.reload()
        elif name == "answers:next":
            self.app.facilitation.moderation_page += 1
        elif name == "answers:previous":
            self.app.facilitation.moderation_page = max(0, self.app.facilitation.moderation_page - 1)
        elif name == "zine":
            self.mode = "zine"
        elif name == "print":
            self.mode = "print"
            self.printing.refresh()
        elif name == "quit":  # the safe choice filled, as in every dialog
            self.open_dialog(self.t("fac.quit_question"), self.t("fac.quit_body"),
                             [("quit", self.t("fac.quit_yes"), "danger-soft"), ("stay", self.t("fac.quit_no"), "primary")])
            return None
        elif self.mode == "zine":
            self.zine.press(name)
        elif self.mode == "print":
            self.printing.press(name, button)
        self.layout()
        self.invalidate()
        return None

    def on_dialog(self, name: str) -> str | None:
        self.close_dialog()
        return "quit" if name == "quit" else None

    def on_event(self, event: pygame.event.Event, p) -> str | None:
        if self.mode == "new_session":
            if event.type == pygame.TEXTINPUT:
                self.new_title = (self.new_title + event.text)[:120]
            elif event.type == pygame.KEYDOWN and event.key == pygame.K_BACKSPACE:
                self.new_title = self.new_title[:-1]
            elif event.type == pygame.KEYDOWN and event.key in (pygame.K_RETURN, pygame.K_KP_ENTER):
                self._start_session()
            else:
                return None
            self.layout()
            self.invalidate()
        return None

    def _start_session(self) -> None:
        title = self.new_title.strip()
        if not title:
            return
        place = self.summary.session.place if self.summary and self.summary.session else ""
        self.app.saver.call(lambda store: store.start_session(title, place))
        self.mode = "main"
        self.reload()
        self.layout()
        self.invalidate()

    def update(self, dt: float) -> str | None:
        self.quiet_s = 0.0 if self.app.now - self.app.last_input < dt * 2 else self.quiet_s + dt
        if self.quiet_s >= LEAVE_AFTER_S:
            self.app.leave_facilitator()
            return None
        if self.loading is not None and self.loading.done():
            try:
                self.summary = self.loading.result()
            except Exception as exc:
                self.summary = Summary(None, path=str(self.app.settings.data))
                # Shown in the data folder's card; the saver's own state is the saver's to change.
                log.warning("the facilitator screen could not read the data folder: %s", exc)
                self.read_problem = str(getattr(exc, "problem", exc))
            self.loading = None
            if self.enlarged is not None:  # the large view follows what the store now says
                self.enlarged = next((r for r in self.summary.answers if r.id == self.enlarged.id), self.enlarged)
            self.layout()
            self.invalidate()
        if self.thumbs_loading is not None and self.thumbs_loading.done():
            for rid, pic in self._pictures(self.thumbs_loading).items():
                self.thumbs[rid] = _surface(pic)
            self.thumbs_loading = None
            self.layout()  # more of the page may be waiting
            self.invalidate()
        if self.large_loading is not None and self.large_loading.done():
            pics = self._pictures(self.large_loading)
            self.large = _surface(next(iter(pics.values()), None))
            self.large_loading = None
            self.invalidate()
        if self.hiding is not None and self.hiding.done():
            failure = self.hiding.exception()
            self.hiding = None
            if failure is not None:  # never let the facilitators believe an answer is hidden when it is not
                log.warning("hide/show failed: %s", failure)
                self.hide_problem = self.t("fac.hide_failed", reason=str(getattr(failure, "problem", failure)))
                self.invalidate()
        if self.app.saver.problem != self._problem:
            self._problem = self.app.saver.problem
            self.invalidate()
        if self.mode == "zine" and self.zine.update():
            self.layout()
            self.invalidate()
        if self.mode == "print" and self.printing.update(dt):
            self.layout()
            self.invalidate()
        return None

    def _pictures(self, future: Future) -> dict[str, Picture | None]:
        try:
            return future.result()
        except Exception:
            log.exception("the answers' pictures could not be loaded")
            return {}

    # --- drawing -------------------------------------------------------------------------------

    def paint(self, surface: pygame.Surface) -> None:
        t = self.theme
        titles = {"main": "fac.title", "new_session": "fac.new_session_title", "zine": "fac.zine.title",
                  "print": "fac.print.title", "answer": "fac.answer_title"}
        when = self.enlarged.created[11:16] if self.enlarged is not None else ""
        tb = fit(t, self.t(titles[self.mode], time=when), self.title_rect.width, self.title_rect.height,
                 t.sizes.heading, t.sizes.body, True)
        draw_block(surface, tb, self.title_rect, th.INK, "left", "center")
        if self.mode == "main":
            self._paint_main(surface)
        elif self.mode == "new_session":
            self._paint_new_session(surface)
        elif self.mode == "zine":
            self.zine.paint(surface)
        elif self.mode == "print":
            self.printing.paint(surface)
        elif self.mode == "answer":
            self._paint_answer(surface)

    def _paint_answer(self, surface: pygame.Surface) -> None:
        t = self.theme
        resp = self.enlarged
        if resp is None:
            return
        frame = self.large_rect
        rounded(surface, th.CARD, frame, t.radius)
        if self.large is not None:
            inner = frame.inflate(-2 * t.gap, -2 * t.gap)
            img = self.large
            scale = min(inner.width / img.get_width(), inner.height / img.get_height())
            pic = pygame.transform.smoothscale(img, (max(1, int(img.get_width() * scale)),
                                                     max(1, int(img.get_height() * scale))))
            surface.blit(pic, pic.get_rect(center=inner.center))
        elif not resp.has_drawing:
            words = fit(t, i18n.typeset(resp.answer_text(self.lang)), frame.width - 2 * t.margin,
                        frame.height - 2 * t.margin, t.sizes.title, t.sizes.body, True)
            draw_block(surface, words, frame.inflate(-2 * t.margin, -2 * t.margin), th.INK, "center", "center")
        rounded(surface, th.DANGER if resp.hidden else th.LINE, frame, t.radius, max(2, t.px(3)))
        a = self.answer_text_rect
        lines = [(resp.question(self.lang), th.INK, True, t.sizes.heading)]
        if resp.has_drawing and resp.answer_text(self.lang):
            lines.append((i18n.typeset(resp.answer_text(self.lang)), th.INK, False, t.sizes.body))
        consent = CONSENT_WORDS.get(resp.consent)
        lines.append((self.t(consent) if consent else resp.consent, th.ACCENT_DARK, True, t.sizes.small))
        if resp.hidden:
            lines.append((self.t("fac.hidden_note"), th.DANGER, True, t.sizes.small))
        if self.hide_problem:
            lines.append((self.hide_problem, th.DANGER, True, t.sizes.small))
        y = a.y
        for text, colour, bold, size in lines:
            b = fit(t, text, a.width, max(size, (a.bottom - y) // 2), size, t.sizes.label, bold)
            draw_block(surface, b, pygame.Rect(a.x, y, a.width, min(b.height, a.bottom - y)), colour)
            y += b.height + t.gap

    def card(self, surface: pygame.Surface, rect: pygame.Rect, fill=th.CARD) -> pygame.Rect:
        t = self.theme
        shadow(surface, rect, t.radius, t.px(8))
        rounded(surface, fill, rect, t.radius)
        return rect.inflate(-2 * t.margin, -2 * t.gap - t.px(8))

    def _paint_main(self, surface: pygame.Surface) -> None:
        t = self.theme
        s = self.summary
        inner = self.card(surface, self.session_card)
        y = inner.y
        # An ended session is shown (its zine is still to make), but never as the one answers go to.
        ended = s is not None and s.session is not None and not s.running
        words = self.t("fac.session_ended") if ended else self.t("fac.session")
        label = block(t, words, inner.width, t.sizes.small, True)
        draw_block(surface, label, pygame.Rect(inner.x, y, inner.width, label.height), th.DANGER if ended else th.ACCENT)
        y += label.height + t.px(6)
        if s is None:
            lb = block(t, self.t("fac.loading"), inner.width, t.sizes.body)
            draw_block(surface, lb, pygame.Rect(inner.x, y, inner.width, lb.height), th.MUTED)
        elif s.session is None:
            lb = block(t, self.t("fac.no_session"), inner.width, t.sizes.body)
            draw_block(surface, lb, pygame.Rect(inner.x, y, inner.width, lb.height), th.MUTED)
        else:
            new_session = self.buttons.get("new_session")
            limit = new_session.rect.y if new_session is not None else inner.bottom
            room = limit - y - t.gap
            title = fit(t, s.session.title, inner.width, max(t.sizes.heading, room // 3), t.sizes.heading,
                        t.sizes.body, True)
            title.lines = title.lines[:2]
            draw_block(surface, title, pygame.Rect(inner.x, y, inner.width, title.height), th.INK)
            y += title.height + t.px(4)
            where = " · ".join(x for x in (s.session.place, s.session.date) if x)
            lines = [(where, th.MUTED, False, t.sizes.small), (self.tn("fac.responses", s.total), th.INK, True,
                                                               t.sizes.body),
                     (self.t("fac.counts", public=s.public, print=s.print_only, hidden=s.hidden), th.MUTED, False,
                      t.sizes.small)]
            for text, colour, bold, size in lines:
                b = block(t, text, inner.width, size, bold) if text else None
                if b is not None and y + b.height <= limit:  # wrapped, it must still clear the button below
                    draw_block(surface, b, pygame.Rect(inner.x, y, inner.width, b.height), colour)
                    y += b.height + t.px(4)
        self._paint_storage(surface)
        label = fit(t, self.t("fac.answers"), self.recent_label.width, self.recent_label.height, t.sizes.body,
                    t.sizes.small, True)
        draw_block(surface, label, self.recent_label, th.INK)
        if self.page_rect.width:
            pb = block(t, self.t("fac.page", n=self.app.facilitation.moderation_page + 1, total=self.pages),
                       self.page_rect.width, t.sizes.small)
            draw_block(surface, pb, self.page_rect, th.MUTED, "center", "center")
        if s is not None and not s.answers:
            none = block(t, self.t("fac.none_yet"), self.grid.width, t.sizes.body)
            draw_block(surface, none, self.grid, th.MUTED, "center", "center")

    def _paint_storage(self, surface: pygame.Surface) -> None:
        t = self.theme
        s = self.summary
        problem = self.app.saver.problem or self.read_problem
        low = s is not None and s.space and s.free < LOW_SPACE
        damaged = s.quarantined if s is not None else 0
        fill = th.DANGER_SOFT if problem or low or damaged else th.CARD
        inner = self.card(surface, self.storage_card, fill)
        y = inner.y
        parts: list[tuple[str, tuple, bool, int]] = []
        if s is not None and s.space:
            parts.append((self.t("fac.space", free=human_size(s.free), total=human_size(s.space)), th.INK, True,
                          t.sizes.small))
        if s is not None and s.path:
            parts.append((s.path, th.MUTED, False, t.sizes.label))
        if problem:
            parts.append((self.t("fac.save_problem", reason=problem), th.DANGER, True, t.sizes.small))
            if self.app.saver.pending:
                parts.append((self.tn("fac.waiting", self.app.saver.pending), th.DANGER, False, t.sizes.label))
        elif low:
            parts.append((self.t("fac.space_low"), th.DANGER, True, t.sizes.small))
        elif not damaged:
            parts.append((self.t("fac.saved_ok"), th.ACCENT, True, t.sizes.small))
        if damaged:  # missing from the counts and the grid: say so, or nobody knows an answer is gone
            parts.append((self.tn("fac.quarantined", damaged), th.DANGER, True, t.sizes.small))
        for text, colour, bold, size in parts:
            if text == (s.path if s else None):  # the folder on one line: its end is what tells it apart
                font = t.font(size)
                while font.size(text)[0] > inner.width and len(text) > 4:
                    text = "…" + text[2:]
                b = block(t, text, inner.width, size)
            else:
                b = fit(t, text, inner.width, max(size, inner.bottom - y), size, max(14, t.sizes.label - 3), bold)
            draw_block(surface, b, pygame.Rect(inner.x, y, inner.width, min(b.height, inner.bottom - y)), colour)
            y += b.height + t.px(6)

    def _paint_new_session(self, surface: pygame.Surface) -> None:
        t = self.theme
        f = self.field
        rounded(surface, th.CARD, f, t.radius)
        rounded(surface, th.ACCENT, f, t.radius, max(2, t.px(3)))
        font = t.font(t.sizes.heading)
        text = self.new_title
        while font.size(text)[0] > f.width - 2 * t.margin and len(text) > 1:
            text = text[1:]
        img = font.render(text, True, th.INK)
        surface.blit(img, img.get_rect(midleft=(f.x + t.margin, f.centery)))
        cx = f.x + t.margin + img.get_width() + t.px(3)
        pygame.draw.rect(surface, th.ACCENT, (cx, f.centery - font.get_height() // 2, max(2, t.px(4)), font.get_height()))


class Thumb(Button):
    """A recent answer to hide or show: its drawing (or words), dimmed and marked when hidden."""

    def draw(self, surface: pygame.Surface, theme) -> None:
        resp, scene = cast("tuple[Response, FacilitatorScene]", self.data)
        r = self.rect
        rounded(surface, th.CARD, r, theme.radius // 2)
        img = scene.thumbs.get(resp.id)
        label_h = theme.sizes.label + theme.px(12)
        # The question in two lines at most, one size on every card; cut with "…" when longer.
        room = r.width - theme.px(20)
        q = block(theme, resp.question(scene.lang), room, max(12, theme.sizes.label - 4))
        if len(q.lines) > 2:
            last = q.lines[1]
            while last and q.font.size(last + "…")[0] > room:
                last = last[:-1]
            q.lines = [q.lines[0], last.rstrip() + "…"]
        q_h = q.height + theme.px(4)
        art = pygame.Rect(r.x + theme.px(8), r.y + theme.px(8), r.width - theme.px(16),
                          r.height - label_h - q_h - theme.px(12))
        if img is not None:
            scale = min(art.width / img.get_width(), art.height / img.get_height())
            pic = pygame.transform.smoothscale(img, (max(1, int(img.get_width() * scale)),
                                                     max(1, int(img.get_height() * scale))))
            surface.blit(pic, pic.get_rect(center=art.center))
        else:
            words = i18n.typeset(resp.answer_text(scene.lang)) or resp.question(scene.lang)
            tb = fit(theme, words, art.width - theme.px(8), art.height, theme.sizes.small, 12)
            draw_block(surface, tb, art.inflate(-theme.px(8), 0), th.INK, "left", "center")
        draw_block(surface, q, pygame.Rect(r.x + theme.px(10), art.bottom + theme.px(4), r.width - theme.px(20),
                                           q.height), th.INK)
        tag = scene.t("fac.hidden") if resp.hidden else scene.t("fac.print_only") if resp.consent == "print" else ""
        if resp.hidden:
            veil = pygame.Surface(r.size, pygame.SRCALPHA)
            veil.fill((246, 243, 237, 190))
            surface.blit(veil, r)
        font = theme.font(theme.sizes.label, True)
        number = font.render(resp.created[11:16], True, th.MUTED)
        img_tag = font.render(tag, True, th.DANGER if resp.hidden else th.ACCENT) if tag else None
        room = r.width - 2 * theme.px(10)
        # On a narrow card the tag (hidden, zine only) matters more than the time: drop the time.
        if img_tag is None or number.get_width() + theme.px(8) + img_tag.get_width() <= room:
            surface.blit(number, number.get_rect(bottomleft=(r.x + theme.px(10), r.bottom - theme.px(6))))
        if img_tag is not None:
            surface.blit(img_tag, img_tag.get_rect(bottomright=(r.right - theme.px(10), r.bottom - theme.px(6))))
        border = th.DANGER if resp.hidden else th.ACCENT if self.pressed else th.LINE
        rounded(surface, border, r, theme.radius // 2, max(2, theme.px(3) if resp.hidden else 1))


def _replace_hidden(resp: Response, hidden: bool) -> Response:
    return dataclasses.replace(resp, hidden=hidden)


def _surface(pic: Picture | None) -> pygame.Surface | None:
    return pygame.image.frombytes(pic[0], pic[1], "RGB") if pic is not None else None
