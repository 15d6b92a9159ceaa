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
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from typing import Any

START_METHOD = "spawn"


def process_pool(workers: int, initializer: Callable[..., Any] | None = None,
                 initargs: tuple[Any, ...] = ()) -> ProcessPoolExecutor:
    """A pool of `workers` processes, started the one way described above."""
    return ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context(START_METHOD),
                               initializer=initializer, initargs=initargs)
