"""The facilitators' door: a PIN on a big number pad.

Three wrong PINs lock the pad for 30 seconds, each further three for twice as long; the
lock-out is kept in the data folder, so quitting the kiosk does not lift it (kiosk/pin.py).
The PIN itself is never shown. While the kiosk has the default PIN, the first opening asks
for a new PIN (twice) before anything else.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import Future

import pygame

from kiosk import pin as pins
from kiosk.app import theme as th
from kiosk.app.scene import Scene
from kiosk.app.ui import Button, block, draw_block
from kiosk.config import settings_path
from kiosk.errors import KioskError

log = logging.getLogger("kiosk.app")

LEAVE_AFTER_S = 60.0  # a PIN pad left open goes back to the visitors
MAX_DIGITS = 8
PAD = ("1", "2", "3", "4", "5", "6", "7", "8", "9", "backspace", "0", "ok")


class PinScene(Scene):
    name = "pin"

    def enter(self) -> None:
        self.digits = ""
        self.message = ""
        self.mode = "enter"  # enter: the PIN; new, again: choosing a new one in place of the default
        self.first_new = ""
        self.checking: Future | None = None
        self.on_done: Callable[[object], str | None] | None = None
        self.quiet_s = 0.0
        self._shown_wait = -1
        super().enter()

    def locked_for(self) -> int:
        return int(self.app.facilitation.pin_lockout.remaining(self.app.now) + 0.999)

    def layout(self) -> None:
        t = self.theme
        m, g = t.margin, t.gap
        W, H = t.size
        self.buttons.clear()
        self.back_button("cancel", self.t("pin.cancel"), t.px(340))
        title_h = t.sizes.heading + t.px(10)
        dots_h = int(t.target * 0.8)
        message_h = t.sizes.body + t.px(20)
        fixed = m + t.target + g + title_h + g + dots_h + message_h + g + 3 * g + m
        key = max(56, min(t.px(150), (H - fixed) // 4))
        pad_w = key * 3 + g * 2
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

    def on_button(self, button: Button) -> str | None:
        what = button.name.split(":", 1)[-1]
        if button.name == "cancel":
            self.app.leave_facilitator()
            return None
        if what == "backspace":
            self.digits = self.digits[:-1]
        elif what == "ok":
            self._ok()
        elif len(self.digits) < MAX_DIGITS:
            self.digits += what
            self.message = ""
        self.layout()
        self.invalidate()
        return None

    def on_event(self, event: pygame.event.Event, p) -> str | None:
        if event.type == pygame.KEYDOWN and self.checking is None and self.locked_for() == 0:
            # 0-9 only: "²" or "٣" pass isdigit() but no PIN can hold them
            if len(event.unicode) == 1 and event.unicode in "0123456789" and len(self.digits) < MAX_DIGITS:
                self.digits += event.unicode
            elif event.key == pygame.K_BACKSPACE:
                self.digits = self.digits[:-1]
            elif event.key in (pygame.K_RETURN, pygame.K_KP_ENTER) and len(self.digits) >= 4:
                self._ok()
            self.layout()
            self.invalidate()
        return None

    def _ok(self) -> None:
        if self.mode == "enter":
            self._off_thread(pins.verify_pin, self.app.settings, self.digits, then=self._checked,
                             message=self.t("pin.checking"))
        elif self.mode == "new":
            if self.digits == pins.DEFAULT_PIN:
                self.message = self.t("pin.too_easy")
            else:
                self.first_new, self.mode, self.message = self.digits, "again", ""
            self.digits = ""
        elif self.digits != self.first_new:
            self.mode, self.first_new, self.digits = "new", "", ""
            self.message = self.t("pin.differ")
        else:
            self._off_thread(self._store_new_pin, self.digits, then=self._stored, message=self.t("pin.saving"))

    def _off_thread(self, work: Callable, *args: object, then: Callable[[object], str | None], message: str) -> None:
        """Run `work` off the screen's thread (the PIN's hash is slow on purpose); `then` gets its result."""
        fut: Future = Future()

        def run() -> None:
            try:
                fut.set_result(work(*args))
            except Exception as exc:
                fut.set_exception(exc)

        threading.Thread(target=run, name="kiosk-pin", daemon=True).start()
        self.checking, self.on_done = fut, then
        self.message = message

    def _store_new_pin(self, new_pin: str) -> str:
        settings = self.app.settings
        hashed = pins.hash_pin(new_pin)
        pins.write_pin_hash(settings.file or settings_path(None), hashed)
        return hashed

    def _checked(self, ok: object) -> str | None:
        lockout = self.app.facilitation.pin_lockout
        if ok:
            if lockout.failures:
                lockout.succeeded()
                self._save_lockout()
            if pins.pin_is_default(self.app.settings):
                self.mode, self.message = "new", ""  # nothing else before a PIN of their own
                return None
            return "facilitator"
        lockout.failed(self.app.now)
        self._save_lockout()
        self.message = self.t("pin.wrong")
        return None

    def _stored(self, hashed: object) -> str | None:
        if not isinstance(hashed, str):
            self.mode, self.first_new = "new", ""
            self.message = self.t("pin.save_failed")
            return None
        self.app.settings.pin_hash = hashed
        log.info("a new facilitator PIN was set on screen")
        return "facilitator"

    def _save_lockout(self) -> None:
        try:
            pins.save_lockout(self.app.settings.data, self.app.facilitation.pin_lockout, self.app.now)
        except (KioskError, OSError) as exc:  # the lock-out still holds until the kiosk quits
            log.warning("could not keep the PIN lock-out in the data folder: %s", exc)

    def update(self, dt: float) -> str | None:
        self.quiet_s = 0.0 if self.app.now - self.app.last_input < dt * 2 else self.quiet_s + dt
        if self.quiet_s >= LEAVE_AFTER_S:
            self.app.leave_facilitator()
            return None
        if self.checking is not None and self.checking.done():
            fut, then = self.checking, self.on_done
            self.checking, self.on_done = None, None
            self.digits = ""
            if fut.exception() is not None:
                log.warning("PIN step failed: %s", fut.exception())
            result = fut.result() if fut.exception() is None else None
            self.message = ""
            target = then(result) if then is not None else None
            if target:
                return target
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
        title_key = "pin.title" if self.mode == "enter" else "pin.new.title"
        title = block(t, self.t(title_key), self.title_rect.width, t.sizes.heading, True)
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
        prompt = {"enter": "pin.prompt", "new": "pin.new.prompt", "again": "pin.again.prompt"}[self.mode]
        if wait > 120:
            message = self.tn("pin.wait_min", (wait + 59) // 60)
        else:
            message = self.tn("pin.wait", wait) if wait else self.message or self.t(prompt)
        warn = (self.t("pin.wrong"), self.t("pin.differ"), self.t("pin.too_easy"), self.t("pin.save_failed"))
        colour = th.DANGER if wait or self.message in warn else th.MUTED
        mb = block(t, message, self.message_rect.width, t.sizes.body, bool(wait))
        draw_block(surface, mb, self.message_rect, colour, "center", "center")
