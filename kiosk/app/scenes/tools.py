"""The facilitator screen's zine and printing panels. The work itself belongs to the zine and
printing rooms; it runs in a thread (kiosk.app.tasks) while these panels show its progress."""

from __future__ import annotations

import time
from collections import Counter
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pygame

from kiosk.app import tasks
from kiosk.app import theme as th
from kiosk.app.facilitation import ZineFile
from kiosk.app.tasks import Task
from kiosk.app.ui import Button, block, draw_block, fit, rounded, row
from kiosk.dates import format_date

if TYPE_CHECKING:
    from kiosk.app.scenes.facilitator import FacilitatorScene

LAYOUTS = {"minizine": "fac.zine.minizine", "booklet": "fac.zine.booklet"}  # the zine room's names -> the words
PAPERS = {"a4": "fac.zine.a4", "letter": "fac.zine.letter"}
POLL_S = 1.5
ZINES_SHOWN = 3  # zines listed on the print screen (the newest)
FOLD = {"minizine": "fac.print.fold.minizine", "booklet": "fac.print.fold.booklet", "pages": "fac.print.fold.pages"}
# Why no printer could be listed, in the facilitators' language (kiosk.printing's KioskError codes);
# any other problem is shown as CUPS put it.
PRINTER_PROBLEMS = {"no_tools": "fac.print.why.no_tools", "no_service": "fac.print.why.no_service",
                    "timeout": "fac.print.why.timeout", "list_failed": "fac.print.why.list_failed"}

# How the zine room says why it left an answer out ("id: reason (details)").
WHY = (("hidden", "hidden"), ("its drawing is damaged", "damaged"), ("nothing to show", "empty"))


def left_out_reasons(scene: FacilitatorScene, left_out: list[str]) -> str:
    """"2 hidden, 1 with a damaged drawing": the reasons, counted, in the facilitators' words."""
    counts: Counter[str] = Counter()
    for item in left_out:
        reason = item.split(": ", 1)[-1]
        counts[next((why for start, why in WHY if reason.startswith(start)), "other")] += 1
    parts = []
    if counts["hidden"]:
        parts.append(scene.tn("fac.left.hidden", counts["hidden"]))
    if counts["damaged"]:
        parts.append(scene.tn("fac.left.damaged", counts["damaged"]))
    if counts["empty"]:
        parts.append(scene.tn("fac.left.empty", counts["empty"]))
    if counts["other"]:
        parts.append(scene.tn("fac.left.other", counts["other"]))
    return ", ".join(parts)


def layout_words(scene: FacilitatorScene, layout: str) -> str:
    """The layout's name, without its explanation in brackets."""
    return scene.t(LAYOUTS[layout]).split(" (")[0] if layout in LAYOUTS else layout or "?"


def _bar(surface: pygame.Surface, rect: pygame.Rect, fraction: float) -> None:
    rounded(surface, th.LINE, rect, rect.height // 2)
    done = rect.copy()
    done.width = int(rect.width * max(0.0, min(1.0, fraction)))
    if done.width:
        rounded(surface, th.ACCENT, done, rect.height // 2)


def _lines(scene: FacilitatorScene, surface: pygame.Surface, rect: pygame.Rect,
           lines: list[tuple[str, tuple[int, int, int], bool]]) -> None:
    t = scene.theme
    y = rect.y
    for text, colour, bold in lines:
        b = fit(t, text, rect.width, max(t.sizes.body, rect.bottom - y), t.sizes.body, t.sizes.small, bold)
        draw_block(surface, b, pygame.Rect(rect.x, y, rect.width, b.height), colour)
        y += b.height + t.gap


class ZinePanel:
    def __init__(self, scene: FacilitatorScene) -> None:
        self.scene = scene
        self.layout_name = "minizine"
        self.paper = "a4"
        self.task: Task | None = None
        self._shown = (-1, -1, False)

    def layout(self, body: pygame.Rect) -> None:
        s, t = self.scene, self.scene.theme
        width = min(body.width, t.px(1300))
        x = body.centerx - width // 2
        label_w = t.px(300)
        y = body.y + t.gap
        busy = self.task is not None and not self.task.finished
        self.labels = []
        for key, options, current in (("fac.zine.layout", LAYOUTS, self.layout_name), ("fac.zine.paper", PAPERS, self.paper)):
            self.labels.append((key, pygame.Rect(x, y, label_w, t.target)))
            for opt, r in zip(options, row(pygame.Rect(x + label_w, y, width - label_w, t.target), len(options), t.gap)):
                s.buttons.add(Button(f"zine:{key.split('.')[-1]}:{opt}", r, s.t(options[opt]), "secondary",
                                     selected=opt == current, enabled=not busy, size=t.sizes.body))
            y += t.target + t.gap * 2
        make = pygame.Rect(x + label_w, y, width - label_w, t.target)
        s.buttons.add(Button("zine:make", make, s.t("fac.zine.make"), "primary", enabled=not busy))
        self.progress = pygame.Rect(x, make.bottom + t.margin, width, max(8, t.px(14)))
        self.message = pygame.Rect(x, self.progress.bottom + t.margin, width, body.bottom - self.progress.bottom - t.margin)

    def press(self, name: str) -> None:
        parts = name.split(":")
        if parts[:2] == ["zine", "layout"]:
            self.layout_name = parts[2]
        elif parts[:2] == ["zine", "paper"]:
            self.paper = parts[2]
        elif name == "zine:make":
            self.start()

    def start(self) -> None:
        summary = self.scene.summary
        app = self.scene.app
        if summary is None or summary.session is None:
            self.task = Task(lambda progress: None)
            self.task.error = self.scene.t("fac.zine.no_session")
            self.task.finished = True
            return
        slug, layout, paper = summary.session.slug, self.layout_name, self.paper
        kiosk_id = app.saver.kiosk_id.result(timeout=10)
        self.task = Task(lambda progress: tasks.make_zine(app.settings, kiosk_id, slug, layout, paper, progress))
        self.task.start()

    def update(self) -> bool:
        task = self.task
        if task is None:
            return False
        shown = (task.done, task.total, task.finished)
        if shown == self._shown:
            return False
        self._shown = shown
        if task.finished and task.result is not None:
            r = task.result
            self.scene.app.facilitation.zine = ZineFile(r.path, self.layout_name, r.pdf_pages, time.time(),
                                                        list(r.left_out), len(r.plan.parts))
        return True

    def paint(self, surface: pygame.Surface) -> None:
        s, t = self.scene, self.scene.theme
        for key, r in self.labels:
            b = block(t, s.t(key), r.width, t.sizes.body, True)
            draw_block(surface, b, r, th.INK, "left", "center")
        task = self.task
        if task is None:
            return
        if not task.finished:
            _bar(surface, self.progress, task.done / task.total if task.total else 0.0)
            _lines(s, surface, self.message, [(s.t("fac.zine.working", done=task.done, total=task.total or "…"),
                                               th.MUTED, False)])
            return
        if not task.error:
            _bar(surface, self.progress, 1.0)
        _lines(s, surface, self.message, self.result_lines())

    def result_lines(self) -> list[tuple[str, tuple[int, int, int], bool]]:
        """What the panel says once the zine is made (or why it could not be)."""
        s, task = self.scene, self.task
        if task is None or not task.finished:
            return []
        if task.error:
            return [(s.t("fac.zine.failed", reason=task.error), th.DANGER, True)]
        result = task.result
        pages, pdf_pages = int(getattr(result, "pages", 0)), int(getattr(result, "pdf_pages", 0))
        lines = [(s.tn("fac.zine.done", pages), th.ACCENT_DARK, True)]
        plan = getattr(result, "plan", None)
        if plan is not None:  # what the printing will take, as `kiosk zine build` says it
            lines.append((plan.describe(s.lang), th.INK, False))
            if plan.warning(s.lang):
                lines.append((plan.warning(s.lang), th.DANGER, True))
        if pdf_pages and pdf_pages != pages:  # the print screen counts PDF pages: say why they differ
            lines.append((s.tn("fac.zine.pdf_pages", pdf_pages), th.MUTED, False))
        lines.append((str(getattr(result, "path", "")), th.MUTED, False))
        left_out = list(getattr(result, "left_out", []) or [])
        if left_out:
            lines.append((s.tn("fac.zine.left_out", len(left_out), why=left_out_reasons(s, left_out)), th.MUTED,
                          False))
        return lines


class PrintPanel:
    def __init__(self, scene: FacilitatorScene) -> None:
        self.scene = scene
        self.printers: Task | None = None
        self.selected: str | None = None
        self.copies = 1
        self.sending: Task | None = None
        self.job: str | None = None
        self.status: Any = None
        self.polling: Task | None = None
        self.resuming: Task | None = None
        self.since_poll = 0.0
        self.zines: Task | None = None

    def refresh(self) -> None:
        self.refresh_printers()
        data = self.scene.app.settings.data
        self.zines = Task(lambda progress: tasks.zines_on_disk(data)).start()

    def refresh_printers(self) -> None:
        if self.printers is None or self.printers.finished:
            self.printers = Task(lambda progress: tasks.list_printers()).start()

    def _zines(self) -> list[ZineFile]:
        """The zines on disk, newest first (the one just made among them)."""
        if self.zines is not None and self.zines.finished and self.zines.result is not None:
            return list(self.zines.result)
        made = self.scene.app.facilitation.zine
        return [made] if made is not None else []

    def _list(self) -> list[Any]:
        """The printers last found (kept while they are looked up again, so nothing jumps)."""
        if self.printers is not None and self.printers.finished and self.printers.result is not None:
            self._known = list(self.printers.result)
        return getattr(self, "_known", [])

    def layout(self, body: pygame.Rect) -> None:
        s, t = self.scene, self.scene.theme
        width = min(body.width, t.px(1500))
        x = body.centerx - width // 2
        y = body.y
        # The zines on disk: the chosen one is what prints (the newest unless another is touched).
        zines = self._zines()[:ZINES_SHOWN]
        fac = s.app.facilitation
        if zines and (fac.zine is None or fac.zine.path not in [z.path for z in zines]):
            fac.zine = zines[0]
        elif fac.zine is not None:  # the listed copy knows its pages and layout from the file
            fac.zine = next((_merge(z, fac.zine) for z in zines if z.path == fac.zine.path), fac.zine)
        # Landscape: the zines on the left, the printer on the right; portrait: one above the other.
        if t.portrait:
            lx, lw, rx, rw = x, width, x, width
        else:
            lw = (width - t.margin) * 11 // 20
            lx, rx, rw = x, x + lw + t.margin, width - lw - t.margin
        self.zines_label = pygame.Rect(lx, y, lw, t.sizes.body + t.px(10))
        y = self.zines_label.bottom + t.gap
        for i, z in enumerate(zines):
            when = format_date(datetime.fromtimestamp(z.made).isoformat(timespec="minutes"), s.lang)  # not %b: English
            label = s.tn("fac.print.zine_line", z.pages, name=z.path.stem, layout=layout_words(s, z.layout), when=when)
            s.buttons.add(Button(f"zinefile:{i}", pygame.Rect(lx, y, lw, t.target), label, "secondary",
                                 selected=fac.zine is not None and z.path == fac.zine.path, size=t.sizes.small,
                                 bold=False, data=z))
            y += t.target + t.gap
        left_bottom = y
        y = y + t.gap if t.portrait else body.y
        printers = self._list()
        if self.selected not in [p.name for p in printers]:
            default = next((p for p in printers if getattr(p, "is_default", False)), printers[0] if printers else None)
            self.selected = default.name if default else None
        self.printer_label = pygame.Rect(rx, y, rw, t.sizes.body + t.px(10))
        y = self.printer_label.bottom + t.gap
        for p in printers[:2 if t.height < 900 else 3]:
            state = s.t(f"printer.{p.state}") if f"printer.{p.state}" in _PRINTER_KEYS else p.state
            if not p.accepting and p.state != "paused":  # "ready" would hide why nothing prints
                state = s.t("printer.refusing")
            s.buttons.add(Button(f"printer:{p.name}", pygame.Rect(rx, y, rw, t.target), f"{p.name} · {state}",
                                 "secondary", selected=p.name == self.selected, size=t.sizes.body))
            y += t.target + t.gap
        y += t.gap
        step = t.target
        label_w = min(t.px(260), rw - 2 * step - t.px(100))
        self.copies_label = pygame.Rect(rx, y, label_w, t.target)
        s.buttons.add(Button("copies:minus", pygame.Rect(rx + label_w, y, step, step), "−", "secondary",
                             enabled=self.copies > 1, size=t.sizes.heading))
        self.copies_rect = pygame.Rect(rx + label_w + step, y, t.px(100), step)
        s.buttons.add(Button("copies:plus", pygame.Rect(self.copies_rect.right, y, step, step), "+", "secondary",
                             enabled=self.copies < 50, size=t.sizes.heading))
        zine = s.app.facilitation.zine
        busy = self.sending is not None and not self.sending.finished
        send_x = self.copies_rect.right + step + t.gap
        if rx + rw - send_x >= t.px(240):
            send = pygame.Rect(send_x, y, rx + rw - send_x, t.target)
        else:  # a narrow column: the button on its own line
            y += t.target + t.gap
            send = pygame.Rect(rx, y, rw, t.target)
        s.buttons.add(Button("print:send", send, s.t("fac.print.send"), "primary",
                             enabled=bool(zine and self.selected) and not busy))
        y += t.target + t.gap
        chosen = next((p for p in printers if p.name == self.selected), None)
        if chosen is not None and _stopped(chosen):
            s.buttons.add(Button("print:resume", pygame.Rect(rx, y, min(rw, t.px(560)), t.target),
                                 s.t("fac.print.resume"), "secondary", size=t.sizes.body))
            y += t.target + t.gap
        y = max(y, left_bottom) + t.gap
        self.message = pygame.Rect(x, y, width, body.bottom - y)

    def press(self, name: str, button: Button | None = None) -> None:
        if name.startswith("zinefile:") and button is not None:
            self.scene.app.facilitation.zine = button.data  # type: ignore[assignment]
        elif name.startswith("printer:"):
            self.selected = name.split(":", 1)[1]
        elif name == "copies:minus":
            self.copies = max(1, self.copies - 1)
        elif name == "copies:plus":
            self.copies = min(50, self.copies + 1)
        elif name == "print:send" and self.scene.app.facilitation.zine is not None and self.selected:
            zine = self.scene.app.facilitation.zine
            printer, copies = self.selected, self.copies
            self.job, self.status = None, None
            self.sending = Task(lambda progress: tasks.submit(zine.path, printer, copies, zine.layout or None)).start()
        elif name == "print:resume" and self.selected:
            printer = self.selected
            self.resuming = Task(lambda progress: tasks.resume(printer)).start()

    def update(self, dt: float) -> bool:
        changed = False
        for attr in ("printers", "zines", "sending", "polling", "resuming"):
            task = getattr(self, attr)
            if task is not None and task.finished and not getattr(task, "seen", False):
                task.seen = True
                changed = True
                if attr == "sending" and task.result:
                    self.job = task.result
                elif attr == "polling" and task.result is not None:
                    self.status = task.result
                elif attr == "polling":
                    # The job can no longer be followed (its printer removed, CUPS stopped): its
                    # last state is stale, and so is the printer list, so look at them again.
                    self.status = None
                    self.refresh_printers()
                elif attr == "resuming":
                    self.refresh()
        self.since_poll += dt
        finished = self.status is not None and getattr(self.status, "finished", False)
        if self.job and not finished and self.since_poll >= POLL_S and (self.polling is None or self.polling.finished):
            self.since_poll = 0.0
            job = self.job
            self.polling = Task(lambda progress: tasks.job_status(job)).start()
        return changed

    def paint(self, surface: pygame.Surface) -> None:
        s, t = self.scene, self.scene.theme
        zl = block(t, s.t("fac.print.zines"), self.zines_label.width, t.sizes.body, True)
        draw_block(surface, zl, self.zines_label, th.INK)
        label = block(t, s.t("fac.print.printer"), self.printer_label.width, t.sizes.body, True)
        draw_block(surface, label, self.printer_label, th.INK)
        cl = block(t, s.t("fac.print.copies"), self.copies_label.width, t.sizes.body, True)
        draw_block(surface, cl, self.copies_label, th.INK, "left", "center")
        n = block(t, str(self.copies), self.copies_rect.width, t.sizes.heading, True)
        draw_block(surface, n, self.copies_rect, th.INK, "center", "center")
        _lines(s, surface, self.message, self.lines())

    def lines(self) -> list[tuple[str, tuple[int, int, int], bool]]:
        """What the panel says under its buttons: the zine, the printers, the job, every failure."""
        s = self.scene
        lines: list[tuple[str, tuple[int, int, int], bool]] = []
        zine = s.app.facilitation.zine
        if zine is None:
            if self.zines is not None and self.zines.finished:
                lines.append((s.t("fac.print.no_zine"), th.MUTED, False))
        else:
            lines.append((s.t("fac.print.will_print", path=_shown_path(zine.path, s.app.settings.data)), th.INK, True))
            if zine.layout == "booklet" and zine.parts > 1:  # folded as one, the volumes would be ruined
                lines.append((s.tn("fac.print.fold.volumes", zine.parts), th.INK, False))
            elif zine.layout in FOLD:
                lines.append((s.t(FOLD[zine.layout]), th.MUTED, False))
            if zine.left_out:
                lines.append((s.tn("fac.zine.left_out", len(zine.left_out), why=left_out_reasons(s, zine.left_out)),
                              th.MUTED, False))
        # No printer (CUPS absent, or no queue) is not a failed job: nothing was sent.
        p = self.printers
        if p is None or not p.finished:
            lines.append((s.t("fac.print.looking"), th.MUTED, False))
        elif p.error:
            why = PRINTER_PROBLEMS.get(p.error_code)
            lines.append((s.t("fac.print.no_printer", reason=s.t(why) if why else p.error), th.DANGER, True))
        elif not self._list():
            lines.append((s.t("fac.print.none"), th.DANGER, True))
        chosen = next((pr for pr in self._list() if pr.name == self.selected), None)
        job_paused = str(getattr(self.status, "printer_state", "")) == "paused"
        if chosen is not None and chosen.state == "paused" and not (self.job and job_paused):  # said once
            lines.append((s.t("fac.print.paused", reason=chosen.reason or "—"), th.DANGER, True))
        elif chosen is not None and not chosen.accepting:
            lines.append((s.t("fac.print.refusing"), th.DANGER, True))
        if self.resuming is not None and self.resuming.finished and self.resuming.error:
            lines.append((s.t("fac.print.resume_failed", reason=_why(s, self.resuming)), th.DANGER, True))
        if self.sending is not None:
            if not self.sending.finished:
                lines.append((s.t("fac.print.sending"), th.MUTED, False))
            elif self.sending.error:
                lines.append((s.t("fac.print.failed", reason=_why(s, self.sending)), th.DANGER, True))
        if self.job:
            lines += self._job_lines()
        return lines

    def _job_lines(self) -> list[tuple[str, tuple[int, int, int], bool]]:
        s, st, poll = self.scene, self.status, self.polling
        if poll is not None and poll.finished and poll.error and st is None:  # the last look failed
            # The problem only: CUPS's fix is about the command line, the screen's words say what to do.
            return [(s.t("fac.print.lost", job=self.job, reason=_why(s, poll, with_fix=False)), th.DANGER, True)]
        state = getattr(st, "state", "pending") if st is not None else "pending"
        words = s.t(f"job.{state}") if f"job.{state}" in _JOB_KEYS else state
        lines = [(s.t("fac.print.job", job=self.job, state=words), th.ACCENT_DARK, True)]
        if st is not None and str(getattr(st, "printer_state", "")) == "paused":
            lines.append((s.t("fac.print.paused", reason=getattr(st, "printer_reason", "") or "—"), th.DANGER, True))
        elif st is not None and str(getattr(st, "reason", "") or ""):
            lines.append((str(st.reason), th.MUTED, False))
        return lines


def _stopped(printer: Any) -> bool:
    """A queue the facilitator must resume before it prints: paused, or refusing new jobs."""
    return printer.state == "paused" or not printer.accepting


def _why(scene: FacilitatorScene, task: Task, with_fix: bool = True) -> str:
    """Why a task failed, with what to do: in the screen's own words when it has them."""
    key = PRINTER_PROBLEMS.get(task.error_code)
    if key:
        return scene.t(key)
    return f"{task.error} ({task.fix})" if task.fix and with_fix else str(task.error)


_PRINTER_KEYS = {"printer.idle", "printer.printing", "printer.paused"}
_JOB_KEYS = {"job.pending", "job.held", "job.processing", "job.stopped", "job.canceled", "job.aborted",
             "job.completed"}


def _merge(listed: ZineFile, made: ZineFile) -> ZineFile:
    """The zine as listed from the disk, keeping what only the making knew (what was left out)."""
    return ZineFile(listed.path, listed.layout or made.layout, listed.pages or made.pages, listed.made,
                    made.left_out, listed.parts or made.parts)


def _shown_path(path: Path, data: Path) -> str:
    """The PDF's path from the data folder (zines/...pdf), or whole when it is elsewhere."""
    try:
        return str(Path(path).relative_to(Path(data)))
    except ValueError:
        return str(path)
