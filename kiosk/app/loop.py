"""The visitor kiosk's loop: the display, the clock, the scenes, and what holds across them
(the visitor's language and answer, the saver thread, the idle watch, the facilitators'
hidden gesture, the calm error screen).

`App.step(events, dt)` runs one frame and is what tests drive with real pygame events;
`App.run()` calls it at the display's pace until the kiosk is quit.
"""

from __future__ import annotations

import logging
import logging.handlers
import os
import random
import signal
import sys
import time
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pygame

from kiosk import checkpoint, i18n, ids
from kiosk.app import theme as th
from kiosk.app.facilitation import Facilitation
from kiosk.app.guard import InputGuard
from kiosk.app.saver import Saver
from kiosk.app.scene import Scene
from kiosk.app.speech import Speaker
from kiosk.app.theme import MIN_WINDOW, Theme
from kiosk.app.ui import block, draw_block, is_input, pointer, rounded, scrim, shadow, too_small
from kiosk.app.visit import Visit
from kiosk.config import Settings
from kiosk.errors import KioskError
from kiosk.pin import load_lockout
from kiosk.prompts import Prompt, PromptSet, text_for
from kiosk.store import Response

ANSWER_SCENES = ("draw", "choice", "text", "consent")
log = logging.getLogger("kiosk.app")

HOLD_TO_OPEN_S = 3.0  # the facilitators' corner
CHECKPOINT_EVERY_S = 3.0  # while a finger is drawing
LOG_BYTES = 1_000_000
LOG_KEEP = 5


@dataclass
class Options:
    """How this run differs from the settings (command-line flags, tests)."""
    size: tuple[int, int] | None = None
    fullscreen: bool | None = None
    exit_after_first_frame: bool = False
    retry_s: float = 10.0
    fps: int = 60


def _require_a_screen() -> None:
    """SDL falls back to an invisible 'offscreen' display when it finds no screen: say so instead
    of running a kiosk nobody can see."""
    if pygame.display.get_driver() == "offscreen" and not os.environ.get("SDL_VIDEODRIVER"):
        pygame.display.quit()
        raise KioskError("No screen to show the kiosk on (no DISPLAY or WAYLAND_DISPLAY in this session).",
                         "run it from the desktop session, or set DISPLAY (e.g. DISPLAY=:0); "
                         "SDL_VIDEODRIVER=dummy runs it without a screen, for tests")


class App:
    def __init__(self, settings: Settings, prompts: PromptSet, options: Options | None = None) -> None:
        self.settings = settings
        self.prompts = prompts
        self.options = options or Options()
        self.fullscreen = settings.fullscreen if self.options.fullscreen is None else self.options.fullscreen
        self._log_handler = _start_log(settings.data)
        pygame.display.init()  # not pygame.init(): the kiosk makes no sound, and needs no mixer
        _require_a_screen()
        pygame.font.init()
        self.screen = self._open_display()
        self.large_text = False  # the visitor's large-text, high-contrast mode (welcome screen)
        self.theme = Theme(self.screen.get_size())
        self.speaker = Speaker()  # read aloud (espeak-ng), never waited on
        self.language = settings.default_language
        self.now = 0.0  # seconds since start: every timer of the app reads this clock
        self.running = True
        self._closed = False
        self.exit_code = 0
        self.frames = 0
        self.visit: Visit | None = None
        # For the thanks screen: the response kept, and the future of its number in the session.
        self.result: tuple[Response, Future] | None = None
        self.saver = Saver(settings.data, settings.kiosk_id, text_for(prompts.title, settings.default_language),
                           retry_s=self.options.retry_s)
        # The facilitator screens' own state; the PIN lock-out survives a restart.
        self.facilitation = Facilitation(pin_lockout=load_lockout(settings.data, self.now))
        self.question_page = 0  # the page of questions the visitor chose from (Back returns to it)
        # Where the touch that changed the screen was (set by left_from), and for the screen shown now.
        self._left_from: tuple[pygame.Rect, tuple[int, int]] | None = None
        self._avoid: tuple[pygame.Rect, tuple[int, int]] | None = None
        self.overlay: IdleOverlay | None = None
        self._last_input = 0.0
        self._last_checkpoint = 0.0
        # Taken during this frame, sent to the saver at its end.
        self._due_checkpoint: checkpoint.Checkpoint | None = None
        self._corner: dict[tuple, float] = {}
        self._swallowed: set[tuple] = set()
        self.guard = InputGuard()  # touches act only on the screen they began on
        self._order_index = 0
        self._rng = random.Random()
        self.scene: Scene = None  # type: ignore[assignment]
        self._last_tick = time.monotonic()
        self.go(self._restore() or "welcome")

    # --- display ------------------------------------------------------------------------------

    def _open_display(self) -> pygame.Surface:
        title = text_for(self.prompts.title, self.settings.default_language)
        pygame.display.set_caption(title)
        if self.fullscreen:
            screen = pygame.display.set_mode(self.options.size or (0, 0), pygame.FULLSCREEN)
            pygame.mouse.set_visible(False)  # a touch screen: no pointer over the drawings
        else:
            screen = pygame.display.set_mode(self.options.size or (1280, 800), pygame.RESIZABLE)
        return screen

    def _resized(self) -> None:
        surface = pygame.display.get_surface()
        if surface is None:
            return
        self.screen = surface
        if self.screen.get_size() == self.theme.size:
            return
        self._new_theme()

    def _new_theme(self) -> None:
        self.theme = Theme(self.screen.get_size(), self.large_text)
        self.scene.resize()
        if self.overlay is not None:
            self.overlay.dirty = True

    def set_large_text(self, on: bool) -> None:
        """Large text and high contrast on every visitor screen, until the next visitor."""
        if on != self.large_text:
            self.large_text = on
            self._new_theme()

    # --- scenes -----------------------------------------------------------------------------------

    def go(self, name: str) -> None:
        from kiosk.app.scenes import make_scene

        old = self.scene
        if old is not None:
            self._guard(old.leave, fallback=None)
            if name in ("pin", "facilitator") and old.name not in ("pin", "facilitator", "error"):
                self.facilitation.resume_scene = old.name
        if name == "welcome":
            self.language = self.settings.default_language
            self.question_page = 0
            self.speaker.stop()
            if self.large_text:
                self.large_text = False
                self.theme = Theme(self.screen.get_size())
        self.overlay = None
        self._last_input = self.now
        self.guard.new_screen(self.now)
        self._avoid, self._left_from = self._left_from, None
        try:
            self.scene = make_scene(name, self)
            self.scene.enter()
        except Exception:
            if name == "error":
                raise
            self._fail(f"entering {name}")

    def left_from(self, rects: list[pygame.Rect]) -> None:
        """The screen is about to change at a touch on one of `rects`: the next screen keeps its
        choices away from there (a second tap of the same finger lands on nothing)."""
        if rects:
            area = rects[0].unionall(rects[1:]) if len(rects) > 1 else rects[0].copy()
            self._left_from = (area, self.theme.size)

    def avoid_rect(self) -> pygame.Rect | None:
        """Where the finger that opened this screen was (see left_from), at this screen size."""
        if self._avoid is not None and self._avoid[1] == self.theme.size:
            return self._avoid[0]
        return None

    def _fail(self, where: str) -> None:
        """An unexpected error: log it, show the calm error screen, carry on."""
        log.exception("unexpected error while %s (screen: %s)", where, getattr(self.scene, "name", "?"))
        if getattr(self.scene, "name", "") != "error":  # the error screen itself failing: stay put
            self.go("error")

    def _guard(self, fn: Callable, *args, fallback=None):
        try:
            return fn(*args)
        except Exception:
            self._fail(getattr(fn, "__name__", "a scene"))
            return fallback

    def _switch(self, next_name: str | None) -> None:
        if next_name:
            if next_name == "quit":
                self.quit()
            else:
                self.go(next_name)

    # --- the visitor's answer ---------------------------------------------------------------------

    def start_visit(self, prompt: Prompt) -> None:
        self.visit = Visit.new(prompt, self.language, self.now,
                               (self.settings.canvas_width, self.settings.canvas_height))
        self.go(self.visit.answer_scene)

    def next_prompt(self) -> Prompt:
        """The next question when the kiosk chooses: in the set's order, or at random."""
        prompts = self.prompts.prompts
        if self.settings.question_flow == "random":
            return self._rng.choice(prompts)
        prompt = prompts[self._order_index % len(prompts)]
        self._order_index += 1
        return prompt

    def begin(self) -> None:
        """From the welcome screen: the question list, or straight to a question."""
        if self.settings.question_flow == "choose" and len(self.prompts.prompts) > 1:
            self.go("question")
        else:
            self.start_visit(self.next_prompt())

    def checkpoint(self) -> None:
        """Take the unfinished answer as it is now, from the screen it is on, to be written to disk.

        The saver thread writes it once this frame is on the screen (see _send_checkpoint): its
        work then falls in the pause between frames instead of competing with the frame for
        the interpreter.
        """
        if self.visit is not None and self.scene is not None:
            live = self.scene.live_drawing()
            self._due_checkpoint = self.visit.to_checkpoint(self.scene.name, self.now, live)
            self._last_checkpoint = self.now

    def _send_checkpoint(self) -> None:
        """Hand the checkpoint taken this frame to the saver, unless its visit ended meanwhile
        (saved or discarded: a late checkpoint would bring the answer back after a restart)."""
        cp, self._due_checkpoint = self._due_checkpoint, None
        if cp is not None and self.visit is not None and self.visit.key == cp.key:
            self.saver.checkpoint(cp)

    def discard_visit(self) -> None:
        """Forget the answer in progress, and its checkpoint."""
        if self.visit is not None:
            self.saver.discard(self.visit.key)
        self.visit = None

    def finish_visit(self, consent: str | None) -> None:
        """The visitor chose how to keep it (None: don't keep it). The thanks screen comes at once."""
        if consent is not None and self.visit is not None and self.saver.full:
            # Nothing can be written and the memory holds all it may: no "thanks" for an answer
            # that would not be kept. The error screen brings the answer back at a touch.
            log.warning("answer not taken: %d answers already wait to be saved (%s)", self.saver.pending,
                        self.saver.problem)
            self.go("error")
            return
        visit = self.visit
        self.visit = None
        self.result = None
        if visit is None:
            self.go("welcome")
            return
        if consent is None:
            self.saver.discard(visit.key)
        else:
            kiosk_id = self.saver.kiosk_id.result(timeout=30)
            version = str(self.settings.consent.get("version", ""))
            response = visit.to_response(ids.new_response_id(kiosk_id), consent, version, self.now)
            cp = visit.to_checkpoint("consent", self.now)
            cp.consent, cp.response_id, cp.consent_version = consent, response.id, version
            number = self.saver.save(response, visit.snapshot_drawing(), cp)
            self.result = (response, number)
        self.go("thanks")

    def _restore(self) -> str | None:
        """At start-up: save answers whose visitors had consented, offer the newest unfinished
        one again on the screen it was on, and forget the rest."""
        data = self.settings.data
        found, damaged = checkpoint.load_all(data)
        for path in damaged:
            log.warning("checkpoint %s cannot be read; kept as %s.damaged", path, path.name)
            try:
                path.rename(path.with_suffix(".damaged"))
            except OSError as exc:
                log.warning("checkpoint %s could not be renamed: %s", path, exc)
        sorted_out = checkpoint.sort_out(found, self.settings.restore_window_s)
        for cp in sorted_out.to_save:
            visit = Visit.from_checkpoint(cp, self.prompts, self.now)
            if visit is None:
                log.warning("checkpoint %s: question %s is gone; kept on disk", cp.key, cp.prompt_id)
                continue
            response = visit.to_response(cp.response_id or "", cp.consent or "", cp.consent_version, self.now)
            response.created = datetime.fromtimestamp(cp.saved_at).astimezone().isoformat(timespec="seconds")
            self.saver.save(response, visit.drawing, cp)
        for cp in sorted_out.stale:
            self.saver.discard(cp.key)
        last = sorted_out.restore
        if last is None:
            return None
        visit = Visit.from_checkpoint(last, self.prompts, self.now)
        if visit is None:
            self.saver.discard(last.key)
            return None
        self.visit = visit
        self.language = visit.language
        log.info("restored the unfinished answer %s on the %s screen", last.key, last.scene)
        return last.scene if last.scene in ANSWER_SCENES else visit.answer_scene

    # --- one frame ---------------------------------------------------------------------------------

    def step(self, events: list[pygame.event.Event] | None = None, dt: float | None = None) -> None:
        """Handle `events` (default: the real queue), move time on by `dt` (default: the real
        time since the last step), draw, and update the display."""
        tick = time.monotonic()
        if dt is None:
            dt = min(0.25, tick - self._last_tick)
        self._last_tick = tick
        if events is None:
            events = pygame.event.get()
        self.now += dt
        for event in events:
            self._dispatch(event)
            if not self.running:
                return  # close() sends the checkpoint
        self._timers()
        self._switch(self._guard(self.scene.update, dt))
        self._render()
        self._send_checkpoint()

    def _dispatch(self, event: pygame.event.Event) -> None:
        t = event.type
        if t == pygame.QUIT:
            if not self.fullscreen:
                self.quit()
            return  # fullscreen: visitors cannot close the kiosk (window close, Alt+F4)
        if t in (pygame.VIDEORESIZE, pygame.WINDOWSIZECHANGED):
            self._resized()
            return
        if t in (pygame.WINDOWEXPOSED, pygame.WINDOWRESTORED, pygame.WINDOWSHOWN):
            self.scene.invalidate()
            return
        if t == pygame.KEYDOWN and self._app_key(event):
            return
        if is_input(event):
            self._last_input = self.now
            if self.theme.too_small:
                return  # nothing to touch but the message
            if self._gesture(event):
                return
            if self.overlay is not None:  # any touch keeps going
                p = pointer(event, self.theme.size)
                if p is not None and p.kind == "down":
                    self._swallowed.add(p.pid)
                self.close_overlay()
                return
            p = pointer(event, self.theme.size)
            if p is not None and not self.guard.admit(p, self.now):
                return  # it began on another screen, or just as this one appeared
        self._switch(self._guard(self.scene.handle, event))

    def _app_key(self, event: pygame.event.Event) -> bool:
        """Keys the app itself answers; True when the key is used up."""
        mods = event.mod
        if event.key == pygame.K_f and mods & pygame.KMOD_CTRL and mods & pygame.KMOD_ALT:
            self.open_facilitator()
            return True
        quit_key = (event.key == pygame.K_ESCAPE
                    or (event.key == pygame.K_F4 and mods & pygame.KMOD_ALT)
                    or (event.key in (pygame.K_q, pygame.K_w) and mods & (pygame.KMOD_CTRL | pygame.KMOD_META)))
        if quit_key:
            if not self.fullscreen and (event.key == pygame.K_ESCAPE or event.key == pygame.K_F4):
                self.quit()
            return True  # fullscreen: ignored, and no screen sees it either
        return False

    def _gesture(self, event: pygame.event.Event) -> bool:
        """Follow presses in the top-left corner; True when the event must not reach the scene."""
        p = pointer(event, self.theme.size)
        if p is None:
            return False
        if p.pid in self._swallowed:
            if p.kind == "up":
                self._swallowed.discard(p.pid)
            return True
        inside = self.gesture_rect().collidepoint(p.pos)
        if p.kind == "down" and inside and self.scene.name not in ("pin", "facilitator"):
            self._corner[p.pid] = self.now
        elif p.kind == "up" or (p.kind == "move" and not inside):
            self._corner.pop(p.pid, None)
        return False

    def gesture_rect(self) -> pygame.Rect:
        """The facilitators' corner: the screen's top-left margin, where no screen puts a button
        (tests/test_app_flow.py checks every screen), so a visitor holding a button never opens it."""
        side = self.theme.margin
        return pygame.Rect(0, 0, side, side)

    def _timers(self) -> None:
        for pid, since in list(self._corner.items()):
            if self.now - since >= HOLD_TO_OPEN_S:
                self._corner.clear()
                self._swallowed.add(pid)
                self.open_facilitator()
                return
        scene = self.scene
        busy = bool(self._guard(scene.busy, fallback=False))
        if busy:
            self._last_input = self.now
            if self.visit is not None and self.now - self._last_checkpoint >= CHECKPOINT_EVERY_S:
                self.checkpoint()
        if not scene.idle:
            self.overlay = None
            return
        if self.overlay is None and self.now - self._last_input >= self.settings.idle_timeout_s:
            self.overlay = IdleOverlay(self, self.now)
        if self.overlay is not None and self.overlay.remaining() <= 0:
            log.info("idle: the unfinished answer was discarded")
            self.discard_visit()
            self.go("welcome")

    def close_overlay(self) -> None:
        self.overlay = None
        self.scene.invalidate()

    def open_facilitator(self) -> None:
        if self.scene.name not in ("pin", "facilitator"):
            self._guard(self.scene.cancel_active)
            self.go("pin")

    @property
    def settled(self) -> bool:
        """Whether a new touch would reach the screen (not in the moment after a change)."""
        return self.guard.settled(self.now)

    @property
    def last_input(self) -> float:
        """When someone last touched the screen or a key (the app's clock)."""
        return self._last_input

    def leave_facilitator(self) -> None:
        """Back to where the facilitator screen was opened from (the visitor's answer is still there)."""
        target = self.facilitation.resume_scene
        if target in ("thanks", "error", "pin", "facilitator") or (target in ANSWER_SCENES and self.visit is None):
            target = "welcome"
        self.go(target)

    def _render(self) -> None:
        surface = self.screen
        if self.theme.too_small:
            too_small(surface, self.theme, i18n.t("app.too_small", self.language, w=MIN_WINDOW[0], h=MIN_WINDOW[1]))
            self.scene.invalidate()
            pygame.display.flip()
            self.frames += 1
            if self.options.exit_after_first_frame:
                self.quit()
            return
        rects = self._guard(self.scene.draw, surface, fallback=None)
        if self.overlay is not None and (self.overlay.changed() or rects != []):
            # The overlay sits on a dimmed copy of the screen: draw both again, whole.
            self.scene.invalidate()
            self._guard(self.scene.draw, surface)
            self.overlay.draw(surface)
            rects = None
        if rects is None:
            pygame.display.flip()
        elif rects:
            pygame.display.update(rects)
        self.frames += 1
        if self.options.exit_after_first_frame:
            self.quit()

    # --- running and stopping ----------------------------------------------------------------------

    def run(self, script: Callable[[App], list[pygame.event.Event]] | None = None) -> int:
        """Frames at the display's pace until the kiosk is quit; SIGTERM (logging out, `systemctl
        stop`) quits cleanly too, the answers in hand saved first."""
        previous = signal.signal(signal.SIGTERM, lambda signum, frame: self.quit())
        clock = pygame.time.Clock()
        try:
            while self.running:
                events = pygame.event.get()
                if script is not None:
                    events += script(self)
                self.step(events)
                if self.running:
                    clock.tick(self.options.fps)
        finally:
            signal.signal(signal.SIGTERM, previous)
            self.close()
        return self.exit_code

    def quit(self, code: int = 0) -> None:
        self.running = False
        self.exit_code = code

    def close(self) -> None:
        """Stop cleanly: let the saver finish what it holds, then close the display."""
        if self._closed:
            return
        self._closed = True
        self._send_checkpoint()  # quitting mid-answer: a restart offers it again
        self.speaker.stop()
        if self.saver.pending:
            log.warning("quitting with %d answers not saved: %s", self.saver.pending, self.saver.problem)
        self.saver.close(timeout=30)
        pygame.display.quit()
        _stop_log(self._log_handler)


class IdleOverlay:
    """ "Still there?" with a countdown, over the answer screen. Any touch closes it."""

    def __init__(self, app: App, since: float) -> None:
        self.app = app
        self.since = since
        self.shown: int | None = None
        self.dirty = True

    def remaining(self) -> float:
        return self.app.settings.idle_countdown_s - (self.app.now - self.since)

    def seconds(self) -> int:
        return max(0, int(self.remaining() + 0.999))

    def changed(self) -> bool:
        return self.dirty or self.shown != self.seconds()

    def draw(self, surface: pygame.Surface) -> None:
        theme, lang = self.app.theme, self.app.language
        n = self.seconds()
        scrim(surface)
        w = min(theme.width - 2 * theme.margin, theme.px(1000))
        inner = w - 2 * theme.margin
        title = block(theme, i18n.t("idle.title", lang), inner, theme.sizes.title, True)
        body = block(theme, i18n.tn("idle.body", n, lang), inner, theme.sizes.body)
        h = theme.margin * 3 + title.height + theme.gap + body.height + theme.target
        card = pygame.Rect(0, 0, w, h)
        card.center = (theme.width // 2, theme.height // 2)
        shadow(surface, card, theme.radius, theme.px(16))
        rounded(surface, th.CARD, card, theme.radius)
        x, y = card.x + theme.margin, card.y + theme.margin
        draw_block(surface, title, pygame.Rect(x, y, inner, title.height), th.INK, "center")
        y += title.height + theme.gap
        draw_block(surface, body, pygame.Rect(x, y, inner, body.height), th.MUTED, "center")
        # The countdown as a bar that empties: readable without reading.
        bar = pygame.Rect(x, y + body.height + theme.margin // 2, inner, max(6, theme.px(10)))
        rounded(surface, th.LINE, bar, bar.height // 2)
        total = max(0.001, self.app.settings.idle_countdown_s)
        done = bar.copy()
        done.width = int(bar.width * max(0.0, self.remaining()) / total)
        if done.width > 0:
            rounded(surface, th.ACCENT, done, bar.height // 2)
        button = pygame.Rect(0, 0, min(inner, theme.px(640)), theme.target)
        button.midbottom = (card.centerx, card.bottom - theme.margin)
        rounded(surface, th.ACCENT, button, theme.radius)
        label = block(theme, i18n.t("idle.keep", lang), button.width - 2 * theme.gap, theme.sizes.body, True)
        draw_block(surface, label, button, th.WHITE, "center", "center")
        self.shown = n
        self.dirty = False


def _start_log(data_dir: Path) -> logging.Handler | None:
    """A rotating log in <data>/logs/ (never /tmp): what went wrong, for whoever fixes it."""
    logger = logging.getLogger("kiosk")
    logger.setLevel(logging.INFO)
    try:
        folder = Path(data_dir) / "logs"
        folder.mkdir(parents=True, exist_ok=True)
        handler: logging.Handler = logging.handlers.RotatingFileHandler(
            folder / "kiosk.log", maxBytes=LOG_BYTES, backupCount=LOG_KEEP, encoding="utf-8")
    except OSError:
        handler = logging.StreamHandler(sys.stderr)  # a read-only data folder: the terminal, at least
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(threadName)s %(message)s"))
    logger.addHandler(handler)
    return handler


def _stop_log(handler: logging.Handler | None) -> None:
    if handler is not None:
        logging.getLogger("kiosk").removeHandler(handler)
        handler.close()
