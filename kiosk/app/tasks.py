"""Slow facilitator work (the zine, printing) in a thread of its own, with progress the screen
reads each frame. The zine and printing rooms are imported when first used, so the kiosk
starts without loading reportlab."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kiosk.app.facilitation import ZineFile
from kiosk.errors import KioskError

log = logging.getLogger("kiosk.app")


@dataclass
class Task:
    """fn(progress) in a thread; `done`/`total` follow progress(done, total); then `result` or `error`."""
    fn: Callable[[Callable[[int, int], None]], Any]
    done: int = 0
    total: int = 0
    result: Any = None
    error: str | None = None
    error_code: str = ""  # KioskError.code: the kind of problem, for the screen's own words
    fix: str = ""  # KioskError.fix: what to do about it (a failure must say so on the screen too)
    finished: bool = False
    _thread: threading.Thread | None = field(default=None, repr=False)

    def start(self) -> Task:
        self._thread = threading.Thread(target=self._run, name="kiosk-task", daemon=True)
        self._thread.start()
        return self

    def progress(self, done: int, total: int) -> None:
        self.done, self.total = done, total

    def _run(self) -> None:
        try:
            self.result = self.fn(self.progress)
        except KioskError as exc:
            self.error, self.error_code, self.fix = exc.problem, exc.code, exc.fix
        except Exception as exc:  # a bug in another room: say so calmly, keep the details in the log
            log.exception("facilitator task failed")
            self.error = f"{exc.__class__.__name__}: {exc}"
        finally:
            self.finished = True

    def join(self, timeout: float | None = None) -> None:
        if self._thread is not None:
            self._thread.join(timeout)


def make_zine(settings: Any, kiosk_id: str, session: str, layout: str, paper: str,
              progress: Callable[[int, int], None]) -> Any:
    """kiosk.zine.build.build_zine on the session, with a store of this thread's own."""
    from kiosk.store import Store
    from kiosk.zine.build import build_zine

    with Store(settings.data, kiosk_id, sync=False) as store:
        return build_zine(store, settings, [session], layout=layout, paper=paper, progress=progress)


def zines_on_disk(data: Path) -> list[ZineFile]:
    """The zine PDFs in <data>/zines/, newest first, each with its layout and page count (read
    from the file: zines made by `kiosk zine build` or before a restart are listed too)."""
    from kiosk.printing import _read_pdf, detect_layout, detect_parts

    folder = Path(data) / "zines"
    try:
        paths = [p for p in folder.glob("*.pdf") if p.is_file()]
    except OSError:
        return []
    found = []
    for path in paths:
        try:
            made = path.stat().st_mtime
        except OSError:
            continue
        layout, pages, parts = "", 0, 0
        try:
            reader = _read_pdf(path)
            pages, layout, parts = len(reader.pages), detect_layout(path, reader) or "", detect_parts(reader)
        except KioskError as exc:  # listed all the same: the print screen says what is wrong when sent
            log.warning("zine %s cannot be read: %s", path, exc.problem)
        found.append(ZineFile(path, layout, pages, made, parts=parts))
    return sorted(found, key=lambda z: z.made, reverse=True)


def list_printers() -> list[Any]:
    from kiosk import printing

    return printing.list_printers()


def submit(path: Any, printer: str, copies: int, layout: str | None) -> str:
    from kiosk import printing

    return printing.submit(path, printer, copies=copies, layout=layout)


def job_status(job_id: str) -> Any:
    from kiosk import printing

    return printing.job_status(job_id)


def resume(printer: str) -> Any:
    from kiosk import printing

    return printing.resume(printer)
