"""Per response, the slow part of a zine: read its strokes, turn them into PDF paths, make its QR code.

Each response is independent of the others, so a big zine spreads them over the machine's
cores (separate processes: the work is pure Python). A small one does them in-process,
where starting workers would cost more than it saves.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from kiosk.store import Response, Store
from kiosk.strokes import StrokesFormatError
from kiosk.zine import qr
from kiosk.zine.pdf import Art, prepare_art

CHUNK = 16  # responses per job: few enough jobs to keep the workers' overhead small
MIN_FOR_WORKERS = 100  # below this, the work is a second or less: not worth starting workers


@dataclass
class Prepared:
    response: Response
    art: Art | None  # None: no drawing, or an empty one
    matrix: list[list[bool]] | None  # its QR code, if it gets one
    url: str | None
    damaged: str | None = None  # why its drawing could not be read


def prepare_one(store: Store, r: Response, art_width: float, base_url: str,
                greys: dict[str, str] | None = None) -> Prepared:
    url = qr.response_url(base_url, r.id) if base_url and r.consent == "public" else None
    try:
        drawing = store.load_drawing(r)
    except StrokesFormatError as exc:
        return Prepared(r, None, None, None, damaged=str(exc))
    art = prepare_art(drawing, art_width, greys=greys) if drawing is not None and not drawing.is_empty() else None
    return Prepared(r, art, qr.matrix(url) if url else None, url)


def prepare_chunk(root: str, responses: list[Response], art_width: float, base_url: str,
                  greys: dict[str, str] | None = None) -> list[Prepared]:
    """A worker's job: a few responses, with the store opened once for them (only to read)."""
    with Store(Path(root), sync=False) as store:
        return [prepare_one(store, r, art_width, base_url, greys) for r in responses]


def workers_for(count: int, workers: int | None) -> int:
    """How many worker processes to use: `workers` if given, else one per core for a big zine."""
    if workers is not None:
        return max(0, workers)
    return min(os.cpu_count() or 1, 4) if count >= MIN_FOR_WORKERS else 0


def prepare_all(store: Store, responses: list[Response], art_width: float, base_url: str,
                workers: int = 0, tick: Callable[[int], None] | None = None,
                greys: dict[str, str] | None = None) -> Iterator[Prepared]:
    """Prepared responses, in order. With workers > 1, made in that many processes."""
    if workers <= 1:
        for r in responses:
            yield prepare_one(store, r, art_width, base_url, greys)
            if tick:
                tick(1)
        return
    from kiosk.workers import process_pool  # here: a small zine starts no process, nor loads multiprocessing

    chunks = [responses[i:i + CHUNK] for i in range(0, len(responses), CHUNK)]
    with process_pool(workers) as pool:  # never a plain fork: the app runs threads
        jobs = [pool.submit(prepare_chunk, str(store.root), chunk, art_width, base_url, greys)
                for chunk in chunks]
        for job in jobs:
            done = job.result()
            yield from done
            if tick:
                tick(len(done))
