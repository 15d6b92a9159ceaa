"""The calm screen shown instead of a crash: the error is in the log, the kiosk goes on."""

from __future__ import annotations

import pygame

from kiosk.app import theme as th
from kiosk.app.scene import Scene
from kiosk.app.ui import block, draw_block


class ErrorScene(Scene):
    name = "error"

    def enter(self) -> None:
        self.elapsed = 0.0
        # A visitor's answer survives one error: touching brings it back (it is checkpointed too).
        visit = self.app.visit
        self.resume = visit is not None and visit.has_content() and not visit.failed
        if visit is not None:
            visit.failed = True  # a second error in the same answer: start afresh
        super().enter()

    def on_event(self, event: pygame.event.Event, p) -> str | None:
        return self._leave() if self.touched(p) else None

    def _leave(self) -> str:
        visit = self.app.visit
        if self.resume and visit is not None:
            visit.restored = True
            return visit.answer_scene
        self.app.discard_visit()
        return "welcome"

    def update(self, dt: float) -> str | None:
        self.elapsed += dt
        if self.elapsed >= self.app.settings.idle_timeout_s:  # nobody came back: ready for the next visitor
            self.app.discard_visit()
            return "welcome"
        return None

    def paint(self, surface: pygame.Surface) -> None:
        t = self.theme
        width = min(t.width - 4 * t.margin, t.px(1300))
        title = block(t, self.t("error.title"), width, t.sizes.title, True)
        body = block(t, self.t("error.body"), width, t.sizes.heading)
        total = title.height + t.margin + body.height
        x = (t.width - width) // 2
        y = (t.height - total) // 2
        centre = (t.width // 2, y - t.px(110))
        pygame.draw.circle(surface, th.ACCENT_SOFT, centre, t.px(60))
        mark = t.font(t.px(70), True).render("↺", True, th.ACCENT)  # start again
        surface.blit(mark, mark.get_rect(center=centre))
        draw_block(surface, title, pygame.Rect(x, y, width, title.height), th.INK, "center")
        draw_block(surface, body, pygame.Rect(x, y + title.height + t.margin, width, body.height), th.MUTED, "center")
