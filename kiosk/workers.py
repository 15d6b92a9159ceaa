"""Worker processes for the parallel work: demo drawings, the archive's drawing files, the
zine's prepared pages, an export's drawings. One policy for all of them.

Workers start with `forkserver` (spawn where a system has no forkserver): each is forked
from a small server process that runs none of the caller's threads, so a worker never
inherits a lock held by another thread (the app's saver, a progress bar), which a plain fork
of a threaded process can; and unlike spawn, nothing re-runs the caller's main script (a
benchmark, a notebook). The server is started by a fresh interpreter (fork+exec), so it does
not matter which threads run when the first pool starts it; it preloads the modules the
workers run, so each worker starts in milliseconds.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from typing import Any

# The modules whose functions the workers run; imported once, in the server.
PRELOAD = ["kiosk.strokes", "kiosk.demo", "kiosk.archive.assets", "kiosk.zine.prepare", "kiosk.export.drawings"]


def start_method() -> str:
    return "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"


def process_pool(workers: int, initializer: Callable[..., Any] | None = None,
                 initargs: tuple[Any, ...] = ()) -> ProcessPoolExecutor:
    """A pool of `workers` processes, started the one way described above."""
    context = multiprocessing.get_context(start_method())
    if context.get_start_method() == "forkserver":
        context.set_forkserver_preload(PRELOAD)  # also keeps the server from importing __main__
    return ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=initializer, initargs=initargs)
