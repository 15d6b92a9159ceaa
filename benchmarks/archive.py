"""Benchmark: the first build of the web archive of N demo responses, beside only copying their PNGs.

    .venv/bin/python benchmarks/archive.py                   # 10,000 responses (the first run makes them)
    .venv/bin/python benchmarks/archive.py --responses 300   # a quick run

The demo store is benchmarks/export.py's, made once with `kiosk demo-data` and cached under /tmp.

Figures (the JSON object on the last line):
- first_build_s: wall time of kiosk.archive.build.build_site into an empty folder (every page, the
  drawings' files, the time-lapses, the discovery files);
- copy_png_s: the peer, in the same run: only copying the same responses' drawing.png bytes into
  r/{id}/drawing.png of another empty folder (folders made as the build makes them);
  ratio_vs_copy = first_build_s / copy_png_s;
- first_build_cpu_s / copy_png_cpu_s: the CPU time (user + system, this process and its workers) of
  each: on a machine shared with other work, wall times vary from run to run, CPU time much less;
- rebuild_s: build_site again after one new response was saved;
- site_mb, site_kb_per_response: the site's size on disk (files' sizes) over the public responses;
- create_file_ms: what creating one empty file cost just before (the filesystem's state: on a
  shared virtual machine it moves from 0.1 to 0.6 ms, and the copy's time with it).
Targets: first_build_s < 15, ratio_vs_copy <= 3, rebuild_s <= 2.
"""

from __future__ import annotations

import json
import os
import random
import resource
import shutil
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from export import cached_store, read_all  # noqa: E402  (the cached demo store)

from kiosk.archive.build import build_site  # noqa: E402
from kiosk.config import load  # noqa: E402
from kiosk.demo import make_drawing  # noqa: E402
from kiosk.store import DRAWING_PNG, Response, Store  # noqa: E402
from kiosk.strokes import render_png  # noqa: E402


def copy_pngs(store: Store, out: Path) -> int:
    """The peer: each public response's PNG copied to r/{id}/drawing.png, nothing else."""
    n = 0
    for r in store.iter_responses(include_hidden=False, consent="public"):
        if DRAWING_PNG not in r.files:
            continue
        folder = out / "r" / r.id
        folder.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(store.response_dir(r) / DRAWING_PNG, folder / DRAWING_PNG)
        n += 1
    return n


def cpu_s() -> float:
    """User + system CPU seconds of this process and its finished children (the build's workers)."""
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def create_file_ms(work: Path, n: int = 2000) -> float:
    """What creating one empty file costs on this disk right now (ms): the state of the filesystem,
    which moves both figures (the copy's most of all) from one run to the next."""
    probe = work / "probe"
    probe.mkdir()
    start = time.perf_counter()
    for i in range(n):
        open(probe / str(i), "xb").close()
    took = (time.perf_counter() - start) * 1000 / n
    shutil.rmtree(probe)
    return took


def size_of(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def main() -> None:
    load_before = os.getloadavg()[0]  # other work on the machine: wall times depend on it
    store_dir, work, args = cached_store(__doc__ or "", "archive-")
    settings = load(None, store_dir)
    try:
        read_all(store_dir)
        os.sync()
        file_ms = create_file_ms(work)
        with Store(store_dir, settings.kiosk_id) as store:
            start, cpu0 = time.perf_counter(), cpu_s()
            copied = copy_pngs(store, work / "peer")
            copy_s, copy_cpu = time.perf_counter() - start, cpu_s() - cpu0
            os.sync()

            site = work / "site"
            start, cpu0 = time.perf_counter(), cpu_s()
            result = build_site(store, settings, out=site, base_url="https://archive.example.org/kiosk")
            first, first_cpu = time.perf_counter() - start, cpu_s() - cpu0
            os.sync()
            site_bytes = size_of(site)

            session = store.sessions()[0]
            drawing = make_drawing(random.Random(99), settings.canvas_width, settings.canvas_height, settings.palette)
            resp = Response(id=store.new_id(), session=session.slug, prompt_id="benchmark", kind="draw",
                            language="en", consent="public", consent_version="1",
                            prompt_text={"en": "One more drawing", "fr": "Un dessin de plus"})
            resp = store.save_response(resp, drawing, render_png(drawing))
            try:
                start = time.perf_counter()
                build_site(store, settings, out=site, base_url="https://archive.example.org/kiosk")
                rebuild = time.perf_counter() - start
            finally:  # put the cached store back as it was
                shutil.rmtree(store.response_dir(resp))
                store.reindex()
    finally:
        shutil.rmtree(work, ignore_errors=True)
        os.sync()  # the next run starts without this one's 3 GB of deletions still being written out

    ratio = first / copy_s
    out = {
        "benchmark": "archive",
        "responses": args.responses,
        "public_responses": result.responses,
        "pngs_copied": copied,
        "first_build_s": round(first, 2),
        "copy_png_s": round(copy_s, 2),
        "ratio_vs_copy": round(ratio, 2),
        "first_build_cpu_s": round(first_cpu, 2),
        "copy_png_cpu_s": round(copy_cpu, 2),
        "rebuild_s": round(rebuild, 2),
        "site_mb": round(site_bytes / 1e6, 1),
        "site_kb_per_response": round(site_bytes / 1e3 / max(1, result.responses), 1),
        "files_written": result.written,
        "create_file_ms": round(file_ms, 3),
        "cores": os.cpu_count(),
        "load_avg_1m": round(os.getloadavg()[0], 2),
        "load_avg_1m_before": round(load_before, 2),
        "targets": {"first_build_s": "< 15", "ratio_vs_copy": "<= 3", "rebuild_s": "<= 2"},
        "met": {"first_build_s": first < 15, "ratio_vs_copy": ratio <= 3, "rebuild_s": rebuild <= 2},
    }
    print(json.dumps(out))


if __name__ == "__main__":
    main()
