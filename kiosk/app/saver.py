"""The one thread that touches the data folder, so the screen never waits for the disk.

The visitor sees "Thanks" at once; rendering the PNG and SVG and writing the response happen here.
The store's SQLite connection is opened in this thread and used only by it: the screens
ask for what they need with `call(fn)`, which returns a Future.

A save that fails, whatever the cause (disk full, read-only folder, permission denied, a
record the store refuses, a bug), keeps the response in memory, tries again every `retry_s`
seconds, and sets `problem` for the facilitator screen; its checkpoint, marked with the
visitor's consent, stays on disk when it can, so a restart saves it too. The visitor has
seen "Thanks": the answer must not be lost.
"""

from __future__ import annotations

import logging
import queue
import sqlite3
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from kiosk import atomic, checkpoint, ids
from kiosk.checkpoint import Checkpoint
from kiosk.errors import KioskError
from kiosk.store import Response, Store
from kiosk.strokes import Drawing, render_png, render_svg

T = TypeVar("T")
# Answers waiting in memory at most: a drawing can weigh megabytes, and a disk that never comes
# back must not fill the memory. At this many, the kiosk takes no new answer (see App.finish_visit).
MAX_PENDING = 50
log = logging.getLogger("kiosk.app")


@dataclass
class SaveJob:
    response: Response
    drawing: Drawing | None
    checkpoint: Checkpoint | None
    number: Future = field(default_factory=Future)  # the response's number in its session


class Saver:
    def __init__(self, data_dir: Path, kiosk_id: str, session_title: str, *, retry_s: float = 10.0) -> None:
        self.data_dir = Path(data_dir)
        self.session_title = session_title
        self.retry_s = retry_s
        self.max_pending = MAX_PENDING
        self.problem: str | None = None  # why answers are not being saved, for the facilitator
        self.kiosk_id: Future[str] = Future()
        self._settings_kiosk_id = kiosk_id
        self._queue: queue.Queue = queue.Queue()
        # Encoded strokes of the drawing being checkpointed (used by this thread only).
        self._stroke_json: dict = {}
        self._checkpoints: dict[str, Checkpoint] = {}  # newest per visit: writes are coalesced
        self._lock = threading.Lock()
        self._pending: list[SaveJob] = []
        self._store: Store | None = None
        self._opened = 0.0  # when _store was opened (time.monotonic)
        self._thread = threading.Thread(target=self._run, name="kiosk-saver", daemon=True)
        self._thread.start()

    # --- asked from the screens ------------------------------------------------------------

    @property
    def pending(self) -> int:
        """Responses waiting in memory because they could not be written yet."""
        return len(self._pending)

    @property
    def full(self) -> bool:
        """As many answers wait in memory as it may hold: a new one could not be kept."""
        return len(self._pending) >= self.max_pending

    def call(self, fn: Callable[[Store], T]) -> Future[T]:
        """Run fn(store) in this thread; the Future holds its result or its exception."""
        fut: Future = Future()
        self._queue.put(("call", fn, fut))
        return fut

    def save(self, response: Response, drawing: Drawing | None, cp: Checkpoint | None) -> Future:
        """Save a finished response; the Future gives its number in the session as soon as known."""
        job = SaveJob(response, drawing, cp)
        self._queue.put(("save", job))
        return job.number

    def checkpoint(self, cp: Checkpoint) -> None:
        with self._lock:
            first = cp.key not in self._checkpoints
            self._checkpoints[cp.key] = cp
        if first:
            self._queue.put(("checkpoint", cp.key))

    def discard(self, key: str) -> None:
        with self._lock:
            self._checkpoints.pop(key, None)
        self._queue.put(("discard", key))

    def flush(self, timeout: float = 30) -> bool:
        """Wait until everything asked so far is done (tests, and before quitting)."""
        fut: Future = Future()
        self._queue.put(("call", lambda store: None, fut))
        try:
            fut.result(timeout)
        except TimeoutError:
            log.warning("saver: still busy after %g s", timeout)
        except Exception as exc:  # the store could not open: already kept, logged and retried by the saver
            log.info("saver: flushed with the data folder failing: %s", exc)
        return fut.done()

    def close(self, timeout: float = 10) -> None:
        self._queue.put(("stop",))
        self._thread.join(timeout)

    # --- the thread -----------------------------------------------------------------------------

    def _run(self) -> None:
        self._resolve_kiosk_id()
        while True:
            try:
                item = self._queue.get(timeout=self.retry_s if self._pending else None)
            except queue.Empty:
                self._retry()
                continue
            what = item[0]
            if what == "stop":
                self._retry()
                break
            try:
                if what == "call":
                    self._call(item[1], item[2])
                elif what == "save":
                    self._save(item[1])
                elif what == "checkpoint":
                    self._write_checkpoint(item[1])
                elif what == "discard":
                    checkpoint.discard(self.data_dir, item[1])
            except Exception:  # never let the saver die: it holds the visitors' answers
                log.exception("saver: %s failed", what)
        if self._store is not None:
            self._store.close()

    def _open(self) -> Store:
        # A store read through an index in memory (its folder read-only or its disk full when it
        # was opened) sees nothing other programs change: a `kiosk hide` would leave a drawing on
        # the public welcome screen. Open it afresh now and then, to take the real index back as
        # soon as the folder can hold it.
        if self._store is not None and self._store.read_only and time.monotonic() - self._opened >= self.retry_s:
            self._store.close()
            self._store = None
        if self._store is None:
            self._store = Store(self.data_dir, self.kiosk_id.result() if self.kiosk_id.done() else "")
            self._opened = time.monotonic()
        return self._store

    def _resolve_kiosk_id(self) -> None:
        kid = self._settings_kiosk_id
        if not kid:
            try:
                kid = self._open().kiosk_id
            except Exception as exc:  # a read-only folder: still take answers, with an id for today
                log.warning("no kiosk id from %s (%s); using a temporary one", self.data_dir, exc)
                kid = ids.new_kiosk_id()
        self.kiosk_id.set_result(kid)

    def _call(self, fn: Callable[[Store], Any], fut: Future) -> None:
        if not fut.set_running_or_notify_cancel():
            return
        try:
            fut.set_result(fn(self._open()))
        except BaseException as exc:
            fut.set_exception(exc)

    def _write_checkpoint(self, key: str) -> None:
        with self._lock:
            cp = self._checkpoints.pop(key, None)
        if cp is None:
            return
        try:
            checkpoint.save(self.data_dir, cp, cache=self._stroke_json)
        except KioskError as exc:
            self._set_problem(exc)

    def _save(self, job: SaveJob) -> None:
        try:
            self._write(job)
            if not self._pending:
                self.problem = None
        except Exception as exc:  # any cause at all: the visitor was thanked, the answer stays
            self._set_problem(exc)
            if not job.number.done():
                job.number.set_result(None)
            if job not in self._pending:
                self._pending.append(job)
                if job.checkpoint is not None:  # so that a restart can save it too
                    try:
                        checkpoint.save(self.data_dir, job.checkpoint)
                    except Exception as cp_exc:
                        log.warning("response %s: its checkpoint could not be kept either: %s",
                                    job.response.id, cp_exc)
            if isinstance(exc, (KioskError, OSError)):
                log.warning("response %s kept in memory: %s", job.response.id, exc)
            else:
                log.exception("response %s kept in memory after an unexpected error", job.response.id)

    def _write(self, job: SaveJob) -> None:
        store = self._open()
        resp = job.response
        if not resp.session:
            resp.session = store.ensure_session(self.session_title).slug
        if not job.number.done():
            earlier = sum(1 for p in self._pending if p.response.session == resp.session and p.response.id < resp.id)
            job.number.set_result(store.response_number(resp) + 1 + earlier)
        if not store.response_dir(resp).is_dir():  # already there: a restart re-saving a checkpoint
            drawing = job.drawing if job.drawing is not None and job.drawing.strokes else None
            png = render_png(drawing) if drawing is not None else None
            svg = render_svg(drawing).encode("utf-8") if drawing is not None else None
            store.save_response(resp, drawing, png, svg)
        if job.checkpoint is not None:
            with self._lock:
                self._checkpoints.pop(job.checkpoint.key, None)
            checkpoint.discard(self.data_dir, job.checkpoint.key)
        log.info("saved response %s (%s)", resp.id, resp.consent)

    def _retry(self) -> None:
        for job in list(self._pending):
            try:
                self._write(job)
            except Exception as exc:
                self._set_problem(exc)
                if _disk_trouble(exc):
                    return  # the disk is still unwell: the others would fail too; try again later
                # This answer's own trouble (a session gone, a record refused): the ones after
                # it may still go through.
                log.warning("retrying response %s failed again: %s: %s", job.response.id, type(exc).__name__, exc)
                continue
            self._pending.remove(job)
        if not self._pending:
            self.problem = None

    def _set_problem(self, exc: Exception) -> None:
        if isinstance(exc, KioskError):
            self.problem = exc.problem
        elif isinstance(exc, OSError):
            self.problem = str(atomic.disk_error(self.data_dir, exc).problem)
        else:
            self.problem = f"the data folder refused it ({type(exc).__name__}: {exc}); see the kiosk's log"
        # Open the store afresh next time: a folder that was read-only may be writable again,
        # and then it gets its real index back (a read-only folder is read through one in memory).
        if self._store is not None and getattr(self._store, "read_only", False):
            self._store.close()
            self._store = None


def _disk_trouble(exc: BaseException) -> bool:
    """Whether a failed save was the data folder's fault (full, read-only, denied), not the answer's."""
    if isinstance(exc, sqlite3.OperationalError):
        return any(word in str(exc) for word in ("disk", "readonly", "read-only", "unable to open"))
    return isinstance(exc, OSError) or isinstance(exc.__cause__, (OSError, sqlite3.OperationalError))
