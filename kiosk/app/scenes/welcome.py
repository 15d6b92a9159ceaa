"""The welcome (attract) screen: the School's title, recent public drawings drawing themselves
again, the language choice in words, and "touch to begin" (anywhere)."""

from __future__ import annotations

import logging
from concurrent.futures import Future

import pygame

from kiosk import i18n
from kiosk.app import theme as th
from kiosk.app.drawpanel import canvas_size
from kiosk.app.replay import Replay
from kiosk.app.scene import Scene
from kiosk.app.ui import Button, Pointer, block, draw_block, fit, rounded, shadow
from kiosk.prompts import text_for
from kiosk.store import Store
from kiosk.strokes import Drawing

log = logging.getLogger("kiosk.app")

RECENT = 12  # how many recent drawings the screen cycles through
HOLD_S = 4.0  # a finished drawing stays this long before the next one


def recent_public_drawings(store: Store, limit: int = RECENT) -> list[tuple[Drawing, dict[str, str]]]:
    """The newest public, non-hidden drawings with the question each answered (never a print-only
    or hidden one: the welcome screen is public)."""
    out: list[tuple[Drawing, dict[str, str]]] = []
    for resp in reversed(store.responses(consent="public", include_hidden=False)):
        if not resp.has_drawing:
            continue
        try:
            drawing = store.load_drawing(resp)
        except (ValueError, OSError) as exc:  # a damaged drawing is left off the public screen, and named
            log.warning("welcome screen: left out response %s: %s", resp.id, exc)
            continue
        if drawing is not None and drawing.strokes:
            out.append((drawing, dict(resp.prompt_text)))
        if len(out) >= limit:
            break
    return out


class WelcomeScene(Scene):
    name = "welcome"

    def enter(self) -> None:
        self._loading: Future | None = self.app.saver.call(recent_public_drawings)
        self.drawings: list[tuple[Drawing, dict[str, str]]] = []
        self.index = -1
        self.replay: Replay | None = None
        self.hold = 0.0
        super().enter()

    def layout(self) -> None:
        t = self.theme
        m, g = t.margin, t.gap
        W, H = t.size
        self.buttons.clear()
        langs = self.app.settings.languages
        if t.portrait:
            title = fit(t, text_for(self.app.prompts.title, self.lang), W - 2 * m, int(H * 0.16), t.sizes.title,
                        t.sizes.heading, True, 1.1)
            invite = fit(t, self.t("welcome.invite"), W - 2 * m, int(H * 0.08), t.sizes.heading, t.sizes.body)
            self.title_rect = pygame.Rect(m, m * 2, W - 2 * m, title.height)
            self.invite_rect = pygame.Rect(m, self.title_rect.bottom + g, W - 2 * m, invite.height)
            lang_row = pygame.Rect(m, H - m * 2 - t.target, W - 2 * m, t.target)
            begin = pygame.Rect(m, lang_row.y - g * 2 - int(t.target * 1.3), W - 2 * m, int(t.target * 1.3))
            caption_h = self._caption_height()
            top = self.invite_rect.bottom + m
            space = pygame.Rect(m, top, W - 2 * m, begin.y - m - caption_h - top)
        else:
            left = int(W * 0.42)
            lang_row = pygame.Rect(m * 2, H - m * 2 - t.target, min(left - m * 2, t.px(900)), t.target)
            # "Touch to begin" sits under the invitation, never lower than just above the languages.
            begin_y = min(int(H * 0.61) + g + m, lang_row.y - g * 2 - int(t.target * 1.3))
            self.title_rect = pygame.Rect(m * 2, int(H * 0.13), left - m * 2, int(H * 0.34))
            self.title_rect.height = min(self.title_rect.height, int((begin_y - m - g - self.title_rect.y) * 0.7))
            self.invite_rect = pygame.Rect(m * 2, self.title_rect.bottom + g, left - m * 2,
                                           begin_y - m - self.title_rect.bottom - g)
            begin = pygame.Rect(m * 2, begin_y, left - m * 2, int(t.target * 1.3))
            caption_h = self._caption_height()
            space = pygame.Rect(left + m, m * 2, W - left - m * 3, H - m * 3 - caption_h)
        self.space, self.caption_h = space, caption_h
        if self.replay is not None:
            d = self.drawings[self.index][0]
            self._place_frame(d.width / d.height)
        else:  # the shape a new drawing would have here
            w, h = canvas_size(self.app.settings, space.size)
            self._place_frame(w / h)
        self.buttons.add(Button("begin", begin, self.t("welcome.begin"), "primary", icon="next",
                                size=t.sizes.heading))
        # The languages, then the large-text toggle (a little wider: its words are longer).
        unit = (lang_row.width - g * len(langs)) / (len(langs) + 1.6)
        x = lang_row.x
        for code in langs:
            self.buttons.add(Button(f"lang:{code}", pygame.Rect(x, lang_row.y, int(unit), t.target),
                                    i18n.language_name(code), "quiet", selected=code == self.lang,
                                    bold=code == self.lang))
            x += int(unit) + g
        self.buttons.add(Button("large", pygame.Rect(x, lang_row.y, lang_row.right - x, t.target),
                                self.t("welcome.large"), "quiet", icon="textsize", selected=self.app.large_text))
        if self.replay is not None:  # a new size: start this drawing again at the new scale
            self.replay = Replay(self.drawings[self.index][0], self.frame.size)

    def _place_frame(self, ratio: float) -> None:
        """The replay frame: the drawing's proportions, as big as the space allows."""
        space, g = self.space, self.theme.gap
        fw = min(space.width, int(space.height * ratio))
        self.frame = pygame.Rect(0, 0, fw, int(fw / ratio))
        self.frame.center = space.center
        self.caption_rect = pygame.Rect(self.frame.x, self.frame.bottom + g, space.right - self.frame.x, self.caption_h - g)

    def _caption_height(self) -> int:
        """Room under the replay for "Drawn here by a visitor…" and a question of three lines."""
        t = self.theme
        small, body = t.font(t.sizes.small), t.font(t.sizes.body, True)
        return t.gap * 2 + small.get_height() + body.get_linesize() * 2 + body.get_height()

    # --- events --------------------------------------------------------------------------

    def on_button(self, button: Button) -> str | None:
        if button.name == "large":
            self.app.set_large_text(not self.app.large_text)
            return None
        if button.name.startswith("lang:"):
            self.app.language = button.name.split(":", 1)[1]
            self.layout()
            self.invalidate()
            return None
        self.app.begin()
        return None

    def on_event(self, event: pygame.event.Event, p: Pointer | None) -> str | None:
        if self.touched(p):  # touch anywhere (but the language buttons) to begin
            self.app.begin()
        return None

    # --- time ------------------------------------------------------------------------------

    def update(self, dt: float) -> str | None:
        if self._loading is not None and self._loading.done():
            try:
                self.drawings = self._loading.result()
            except Exception:  # an unreadable data folder: the welcome screen still welcomes
                log.exception("welcome screen: cannot read the recent drawings")
                self.drawings = []
            self._loading = None
            self._next()
        if self.replay is None:
            return None
        if self.replay.finished:
            self.hold += dt
            if self.hold >= HOLD_S and len(self.drawings) > 1:
                self._next()
        else:
            self._pending = self.replay.advance(dt * 1000)
        return None

    def _next(self) -> None:
        self.hold = 0.0
        self._pending = []
        if not self.drawings:
            self.replay = None
            self.invalidate()
            return
        self.index = (self.index + 1) % len(self.drawings)
        d = self.drawings[self.index][0]
        self._place_frame(d.width / d.height)
        self.replay = Replay(d, self.frame.size)
        self.invalidate()

    # --- drawing ---------------------------------------------------------------------------

    def draw(self, surface: pygame.Surface) -> list[pygame.Rect] | None:
        if self.dirty or self.replay is None:
            return super().draw(surface)
        pending = getattr(self, "_pending", [])
        self._pending = []
        rects = []
        for r in pending:
            surface.blit(self.replay.surface, (self.frame.x + r.x, self.frame.y + r.y), r)
            rects.append(r.move(self.frame.topleft))
        return rects

    def paint_caption(self, surface: pygame.Surface) -> None:
        if self.replay is None:
            return
        t = self.theme
        question = text_for(self.drawings[self.index][1], self.lang)
        cap = block(t, self.t("welcome.caption"), self.caption_rect.width, t.sizes.small)
        draw_block(surface, cap, self.caption_rect, th.MUTED)
        q = fit(t, question, self.caption_rect.width, self.caption_rect.height - cap.height, t.sizes.body,
                None, True)
        draw_block(surface, q, pygame.Rect(self.caption_rect.x, self.caption_rect.y + cap.height,
                                           self.caption_rect.width, self.caption_rect.height - cap.height), th.INK)

    def paint(self, surface: pygame.Surface) -> None:
        t = self.theme
        title = text_for(self.app.prompts.title, self.lang)
        tb = fit(t, title, self.title_rect.width, self.title_rect.height, t.sizes.title, t.sizes.heading, True, 1.1)
        draw_block(surface, tb, self.title_rect, th.INK, "center" if t.portrait else "left",
                   "top" if t.portrait else "bottom")
        invite = fit(t, self.t("welcome.invite"), self.invite_rect.width, self.invite_rect.height, t.sizes.heading)
        draw_block(surface, invite, self.invite_rect, th.MUTED, "center" if t.portrait else "left")
        self.paint_caption(surface)
        shadow(surface, self.frame, t.radius // 2, t.px(14))
        rounded(surface, th.CARD, self.frame, t.radius // 2)
        if self.replay is not None:
            surface.blit(self.replay.surface, self.frame)
        elif self._loading is None:
            first = fit(t, self.t("welcome.first"), self.frame.width - 2 * t.margin, self.frame.height // 2,
                        t.sizes.heading, t.sizes.body)
            draw_block(surface, first, self.frame.inflate(-2 * t.margin, 0), th.MUTED, "center", "center")
