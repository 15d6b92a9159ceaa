"""The facilitators' door: a PIN on a big number pad. Three wrong PINs: wait 30 seconds."""

from __future__ import annotations

import threading
from concurrent.futures import Future

import pygame

from kiosk import config
from kiosk.app import theme as th
from kiosk.app.scene import Scene
from kiosk.app.ui import Button, block, draw_block, rounded

MAX_TRIES = 3
LOCK_S = 30.0
LEAVE_AFTER_S = 60.0  # a PIN pad left open goes back to the visitors
MAX_DIGITS = 8
PAD = ("1", "2", "3", "4", "5", "6", "7", "8", "9", "backspace", "0", "ok")


class PinScene(Scene):
    name = "pin"

    def enter(self) -> None:
        self.digits = ""
        self.message = ""
        self.checking: Future | None = None
        self.quiet_s = 0.0
        self._shown_wait = -1
        super().enter()

    def locked_for(self) -> int:
        return max(0, int(self.app.pin_locked_until - self.app.now + 0.999))

    def layout(self) -> None:
        t = self.theme
        m, g = t.margin, t.gap
        W, H = t.size
        self.buttons.clear()
        self.back_button("cancel", self.t("pin.cancel"), t.px(340))
        self.warning = None
        if config.pin_is_default(self.app.settings):
            self.warning = block(t, self.t("pin.default"), min(W - 4 * m, t.px(1100)) - 2 * t.margin,
                                 t.sizes.small, True)
        warning_h = self.warning.height + 2 * g + m if self.warning else 0
        title_h = t.sizes.heading + t.px(10)
        dots_h = int(t.target * 0.8)
        message_h = t.sizes.body + t.px(20)
        fixed = m + t.target + g + title_h + g + dots_h + message_h + g + 3 * g + m + warning_h
        key = max(56, min(t.px(150), (H - fixed) // 4))
        pad_w = key * 3 + g * 2
        pad_h = key * 4 + g * 3
        top = m + t.target + g + max(0, (H - fixed - 4 * key) // 2)
        self.title_rect = pygame.Rect(m, top, W - 2 * m, title_h)
        self.dots_rect = pygame.Rect((W - pad_w) // 2, self.title_rect.bottom + g, pad_w, dots_h)
        self.message_rect = pygame.Rect(m, self.dots_rect.bottom, W - 2 * m, message_h)
        y0 = self.message_rect.bottom + g
        x0 = (W - pad_w) // 2
        locked = self.locked_for() > 0 or self.checking is not None
        for i, name in enumerate(PAD):
            r = pygame.Rect(x0 + (i % 3) * (key + g), y0 + (i // 3) * (key + g), key, key)
            if name == "backspace":
                b = Button("pin:backspace", r, "", "quiet", icon="backspace")
            elif name == "ok":
                b = Button("pin:ok", r, self.t("pin.ok"), "primary", enabled=len(self.digits) >= 4)
            else:
                b = Button(f"pin:{name}", r, name, "secondary", size=t.sizes.title)
            b.enabled = b.enabled and not locked
            self.buttons.add(b)
        self.warning_rect = pygame.Rect(m, y0 + pad_h + m, W - 2 * m, warning_h)

    def on_button(self, button: Button) -> str | None:
        what = button.name.split(":", 1)[-1]
        if button.name == "cancel":
            self.app.leave_facilitator()
            return None
        if what == "backspace":
            self.digits = self.digits[:-1]
        elif what == "ok":
            self._check()
        elif len(self.digits) < MAX_DIGITS:
            self.digits += what
            self.message = ""
        self.layout()
        self.invalidate()
        return None

    def on_event(self, event: pygame.event.Event, p) -> str | None:
        if event.type == pygame.KEYDOWN and self.checking is None and self.locked_for() == 0:
            if event.unicode and event.unicode.isdigit() and len(self.digits) < MAX_DIGITS:
                self.digits += event.unicode
            elif event.key == pygame.K_BACKSPACE:
                self.digits = self.digits[:-1]
            elif event.key in (pygame.K_RETURN, pygame.K_KP_ENTER) and len(self.digits) >= 4:
                self._check()
            self.layout()
            self.invalidate()
        return None

    def _check(self) -> None:
        """Check off the screen's thread: the PIN's hash is slow on purpose."""
        fut: Future = Future()
        pin, settings = self.digits, self.app.settings

        def work() -> None:
            try:
                fut.set_result(config.verify_pin(settings, pin))
            except Exception as exc:
                fut.set_exception(exc)

        threading.Thread(target=work, name="kiosk-pin", daemon=True).start()
        self.checking = fut
        self.message = self.t("pin.checking")

    def update(self, dt: float) -> str | None:
        self.quiet_s = 0.0 if self.app.now - self.app.last_input < dt * 2 else self.quiet_s + dt
        if self.quiet_s >= LEAVE_AFTER_S:
            self.app.leave_facilitator()
            return None
        if self.checking is not None and self.checking.done():
            ok = self.checking.result() if self.checking.exception() is None else False
            self.checking = None
            self.digits = ""
            if ok:
                self.app.pin_failures = 0
                return "facilitator"
            self.app.pin_failures += 1
            if self.app.pin_failures >= MAX_TRIES:
                self.app.pin_failures = 0
                self.app.pin_locked_until = self.app.now + LOCK_S
            self.message = self.t("pin.wrong")
            self.layout()
            self.invalidate()
        wait = self.locked_for()
        if wait != self._shown_wait:
            self._shown_wait = wait
            self.layout()
            self.invalidate()
        return None

    def paint(self, surface: pygame.Surface) -> None:
        t = self.theme
        title = block(t, self.t("pin.title"), self.title_rect.width, t.sizes.heading, True)
        draw_block(surface, title, self.title_rect, th.INK, "center", "center")
        # One dot a digit typed, empty rings for the rest of a 4-digit PIN.
        n = max(4, len(self.digits))
        r = self.dots_rect
        size = min(r.height // 2, r.width // (n * 2))
        gap = size
        total = n * size + (n - 1) * gap
        x = r.centerx - total // 2 + size // 2
        for i in range(n):
            if i < len(self.digits):
                pygame.draw.circle(surface, th.INK, (x, r.centery), size // 2)
            else:
                pygame.draw.circle(surface, th.LINE, (x, r.centery), size // 2, max(2, t.px(3)))
            x += size + gap
        wait = self.locked_for()
        message = self.tn("pin.wait", wait) if wait else self.message or self.t("pin.prompt")
        colour = th.DANGER if wait or self.message == self.t("pin.wrong") else th.MUTED
        mb = block(t, message, self.message_rect.width, t.sizes.body, bool(wait))
        draw_block(surface, mb, self.message_rect, colour, "center", "center")
        if self.warning is not None:
            wb = self.warning
            box = pygame.Rect(0, 0, wb.width() + 2 * t.margin, wb.height + 2 * t.gap)
            box.midtop = self.warning_rect.midtop
            rounded(surface, th.WARN_SOFT, box, t.radius)
            draw_block(surface, wb, box.inflate(-2 * t.margin, -2 * t.gap), th.WARN, "center", "center")
