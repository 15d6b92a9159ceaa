"""Worker processes for the parallel work: demo drawings, the archive's drawing files, the
zine's prepared pages, an export's drawings. One policy for all of them: spawn.

A spawned worker is a fresh interpreter: it inherits no thread and no lock from the caller,
so it cannot deadlock on a lock another thread held at the fork (the app's saver, a progress
bar), which a plain fork of a threaded process can. Unlike forkserver, each worker is a
child of the caller that the pool waits for, so the benchmarks' CPU time and peak memory
(read with wait4) include the workers' share.

A spawned worker imports the caller's main module again, under another name: a script that
builds zines, archives or exports must keep its work under `if __name__ == "__main__":`
(the `kiosk` command, `python -m kiosk` and the benchmarks do).

A worker ends itself when its caller dies: a caller killed outright (`kill -9`, the OOM
killer, a watchdog) cannot shut its pool down, and a worker waiting for work would wait
for ever, since it holds its task queue's write end too.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.connection
import os
import threading
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from typing import Any

START_METHOD = "spawn"


def process_pool(workers: int, initializer: Callable[..., Any] | None = None,
                 initargs: tuple[Any, ...] = ()) -> ProcessPoolExecutor:
    """A pool of `workers` processes, started the one way described above."""
    return ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context(START_METHOD),
                               initializer=_start_worker, initargs=(initializer, initargs))


def _start_worker(initializer: Callable[..., Any] | None, initargs: tuple[Any, ...]) -> None:
    """In each worker: watch the caller, then run the pool's own initializer."""
    threading.Thread(target=_exit_with_parent, name="kiosk-parent-watch", daemon=True).start()
    if initializer is not None:
        initializer(*initargs)


def _exit_with_parent() -> None:
    """Wait until the caller is gone (its sentinel becomes readable), then end this worker at once."""
    parent = multiprocessing.parent_process()
    if parent is None or parent.sentinel is None:
        return
    multiprocessing.connection.wait([parent.sentinel])
    os._exit(1)
