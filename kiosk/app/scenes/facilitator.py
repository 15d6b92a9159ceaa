"""The facilitator screen: the session, moderation of the latest answers, a new session, the
data folder's free space and any save problem, the zine, printing, and quitting the kiosk."""

from __future__ import annotations

import shutil
from concurrent.futures import Future
from dataclasses import dataclass, field

import pygame

from kiosk.app import theme as th
from kiosk.app.keyboard import Keyboard
from kiosk.app.scene import Scene
from kiosk.app.scenes.tools import PrintPanel, ZinePanel
from kiosk.app.ui import Button, block, draw_block, fit, rounded, shadow
from kiosk.prompts import text_for
from kiosk.store import Response, Session, Store
from kiosk.strokes import render_thumbnail

RECENT = 12
THUMB = 320
LEAVE_AFTER_S = 300.0  # a facilitator screen left open goes back to the visitors
LOW_SPACE = 500 * 1024 * 1024


@dataclass
class Summary:
    session: Session | None
    total: int = 0
    public: int = 0
    print_only: int = 0
    hidden: int = 0
    recent: list[tuple[Response, tuple[bytes, tuple[int, int]] | None]] = field(default_factory=list)
    free: int = 0
    space: int = 0
    path: str = ""


def load_summary(store: Store) -> Summary:
    """What the facilitator screen shows (read in the saver thread, which owns the store)."""
    session = store.current_session() or next(iter(store.sessions()), None)
    s = Summary(session, path=str(store.root))
    if session is not None:
        rs = store.responses(session.slug)
        s.total = len(rs)
        s.public = sum(r.consent == "public" for r in rs)
        s.print_only = sum(r.consent == "print" for r in rs)
        s.hidden = sum(r.hidden for r in rs)
        for r in reversed(rs[-RECENT:]):
            thumb = None
            try:
                d = store.load_drawing(r)
                if d is not None:
                    img = render_thumbnail(d, THUMB)
                    thumb = (img.tobytes(), img.size)
            except (ValueError, OSError):
                pass
            s.recent.append((r, thumb))
    try:
        usage = shutil.disk_usage(store.root)
        s.free, s.space = usage.free, usage.total
    except OSError:
        pass
    return s


def human_size(n: float) -> str:
    for unit in ("B", "KB", "MB", "GB", "TB"):
        if n < 1000 or unit == "TB":
            return f"{n:.0f} {unit}" if unit in ("B", "KB") else f"{n:.1f} {unit}"
        n /= 1000
    return f"{n:.1f} TB"


class FacilitatorScene(Scene):
    name = "facilitator"

    def enter(self) -> None:
        self.mode = "main"  # main | new_session | zine | print
        self.summary: Summary | None = None
        self.loading: Future | None = None
        self.thumbs: dict[str, pygame.Surface] = {}
        self.new_title = ""
        self.keyboard: Keyboard | None = None
        self.zine = ZinePanel(self)
        self.printing = PrintPanel(self)
        self.quiet_s = 0.0
        self._problem = self.app.saver.problem
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
            left = pygame.Rect(body.x, body.y, body.width, int(body.height * 0.5))
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
        # Right: the latest answers, to hide or show.
        self.recent_label = pygame.Rect(right.x, right.y, right.width, t.sizes.body + t.px(10))
        grid = pygame.Rect(right.x, self.recent_label.bottom + g, right.width, right.bottom - self.recent_label.bottom - g)
        self.grid = grid
        cols, rows = 4, 3
        cw = (grid.width - (cols - 1) * g) // cols
        ch = min((grid.height - (rows - 1) * g) // rows, int(cw * 0.95))
        if self.summary is not None:
            for i, (resp, _) in enumerate(self.summary.recent[:cols * rows]):
                r = pygame.Rect(grid.x + (i % cols) * (cw + g), grid.y + (i // cols) * (ch + g), cw, ch)
                self.buttons.add(Thumb(f"response:{resp.id}", r, data=(resp, self)))

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
            typed = self.keyboard.press(name)
            if typed == "\b":
                self.new_title = self.new_title[:-1]
            elif typed:
                self.new_title = (self.new_title + typed)[:120]
        elif name.startswith("response:"):
            resp: Response = button.data[0]
            self.app.saver.call(lambda store: store.set_hidden(resp.id, not resp.hidden))
            self.reload()
        elif name == "zine":
            self.mode = "zine"
        elif name == "print":
            self.mode = "print"
            self.printing.refresh()
        elif name == "quit":
            self.open_dialog(self.t("fac.quit_question"), self.t("fac.quit_body"),
                             [("quit", self.t("fac.quit_yes"), "danger"), ("stay", self.t("fac.quit_no"), "secondary")])
            return None
        elif self.mode == "zine":
            self.zine.press(name)
        elif self.mode == "print":
            self.printing.press(name)
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
                self.app.saver.problem = self.app.saver.problem or str(getattr(exc, "problem", exc))
            self.loading = None
            self.thumbs = {}
            for resp, thumb in self.summary.recent:
                if thumb is not None:
                    self.thumbs[resp.id] = pygame.image.frombytes(thumb[0], thumb[1], "RGB")
            self.layout()
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

    # --- drawing -------------------------------------------------------------------------------

    def paint(self, surface: pygame.Surface) -> None:
        t = self.theme
        title = {"main": "fac.title", "new_session": "fac.new_session_title", "zine": "fac.zine.title",
                 "print": "fac.print.title"}[self.mode]
        tb = fit(t, self.t(title), self.title_rect.width, self.title_rect.height, t.sizes.heading, t.sizes.body, True)
        draw_block(surface, tb, self.title_rect, th.INK, "left", "center")
        if self.mode == "main":
            self._paint_main(surface)
        elif self.mode == "new_session":
            self._paint_new_session(surface)
        elif self.mode == "zine":
            self.zine.paint(surface)
        elif self.mode == "print":
            self.printing.paint(surface)

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
        label = block(t, self.t("fac.session"), inner.width, t.sizes.small, True)
        draw_block(surface, label, pygame.Rect(inner.x, y, inner.width, label.height), th.ACCENT)
        y += label.height + t.px(6)
        if s is None:
            lb = block(t, self.t("fac.loading"), inner.width, t.sizes.body)
            draw_block(surface, lb, pygame.Rect(inner.x, y, inner.width, lb.height), th.MUTED)
        elif s.session is None:
            lb = block(t, self.t("fac.no_session"), inner.width, t.sizes.body)
            draw_block(surface, lb, pygame.Rect(inner.x, y, inner.width, lb.height), th.MUTED)
        else:
            room = self.buttons.get("new_session").rect.y - y - t.gap
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
                if text and y + size < self.buttons.get("new_session").rect.y:
                    b = block(t, text, inner.width, size, bold)
                    draw_block(surface, b, pygame.Rect(inner.x, y, inner.width, b.height), colour)
                    y += b.height + t.px(4)
        self._paint_storage(surface)
        label = block(t, self.t("fac.recent"), self.recent_label.width, t.sizes.body, True)
        draw_block(surface, label, self.recent_label, th.INK)
        if s is not None and not s.recent:
            none = block(t, self.t("fac.none_yet"), self.grid.width, t.sizes.body)
            draw_block(surface, none, self.grid, th.MUTED, "center", "center")

    def _paint_storage(self, surface: pygame.Surface) -> None:
        t = self.theme
        s = self.summary
        problem = self.app.saver.problem
        low = s is not None and s.space and s.free < LOW_SPACE
        fill = th.DANGER_SOFT if problem or low else th.CARD
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
        else:
            parts.append((self.t("fac.saved_ok"), th.ACCENT, True, t.sizes.small))
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
        resp, scene = self.data
        r = self.rect
        rounded(surface, th.CARD, r, theme.radius // 2)
        img = scene.thumbs.get(resp.id)
        label_h = theme.sizes.label + theme.px(12)
        art = pygame.Rect(r.x + theme.px(8), r.y + theme.px(8), r.width - theme.px(16), r.height - label_h - theme.px(8))
        if img is not None:
            scale = min(art.width / img.get_width(), art.height / img.get_height())
            pic = pygame.transform.smoothscale(img, (max(1, int(img.get_width() * scale)),
                                                     max(1, int(img.get_height() * scale))))
            surface.blit(pic, pic.get_rect(center=art.center))
        else:
            words = resp.answer_text(scene.lang) or resp.question(scene.lang)
            tb = fit(theme, words, art.width - theme.px(8), art.height, theme.sizes.small, 12)
            draw_block(surface, tb, art.inflate(-theme.px(8), 0), th.INK, "left", "center")
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
