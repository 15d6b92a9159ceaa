"""Benchmark: `kiosk export` of N demo responses beside bagit's own tool bagging the same files, and the archive build.

    .venv/bin/python benchmarks/export.py                   # 10,000 responses (first run makes them: minutes)
    .venv/bin/python benchmarks/export.py --responses 300   # a quick run

The demo store is made once with `kiosk demo-data` and cached under /tmp, keyed by N and
seed, so runs after the first reuse it (the benchmark puts it back as it found it).

Figures (the JSON object on the last line):
- export_s: wall time of `kiosk export OUT` (a subprocess), from start to the bag renamed into place;
- bagit_s: wall time of `python -m bagit --processes 2 --sha256 --sha512` making a bag of a copy of
  the same payload files (the copy is not timed), in the same run; ratio_vs_bagit = export_s / bagit_s;
- export_user_s / export_sys_s: CPU time of the export's processes, in Python and in the kernel
  (creating 26,000 files is kernel time, and on some disks most of the export);
- copy_then_bagit_s: for context, what making a bag with bagit's tool costs when the store must stay
  untouched: copying the payload and flushing it (sync), then bagit; and the export's ratio to that;
- peak_mb: the largest resident set of any process of the export (getrusage RUSAGE_CHILDREN, through a
  small wrapper so other commands do not count); peak_tree_mb: the export's processes together, sampled;
- first_build_s / rebuild_s: kiosk.archive.build.build_site on the same store, first build, then the
  rebuild after one new response.
Targets: ratio_vs_bagit <= 1.0, peak_mb < 200, rebuild_s < 2.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CACHE = Path(tempfile.gettempdir()) / "kiosk-bench-export"
SESSION = "Benchmark night"

# Runs a command and writes the peak RSS (kB) of its process tree's largest process to a file.
WRAPPER = """
import resource, subprocess, sys
rc = subprocess.run(sys.argv[2:]).returncode
open(sys.argv[1], "w").write(str(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss))
sys.exit(rc)
"""


def env() -> dict[str, str]:
    e = {k: v for k, v in os.environ.items() if k != "KIOSK_DATA"}
    e["PYTHONPATH"] = str(ROOT) + os.pathsep + e.get("PYTHONPATH", "")
    return e


def demo_store(n: int, seed: int) -> Path:
    """The cached store of n demo responses; made (minutes for 10,000) if missing."""
    final = CACHE / f"store-v3-n{n}-seed{seed}"  # v3: the store keeps drawing.svg
    if final.is_dir():
        return final
    building = CACHE / f"building-v3-n{n}-seed{seed}"
    shutil.rmtree(building, ignore_errors=True)
    CACHE.mkdir(parents=True, exist_ok=True)
    print(f"making {n} demo responses in {building} (once; cached for later runs)", file=sys.stderr)
    subprocess.run([sys.executable, "-m", "kiosk", "demo-data", "--session", SESSION, "--responses", str(n),
                    "--seed", str(seed), "--data", str(building)], check=True, env=env(), cwd=ROOT)
    os.rename(building, final)
    return final


def read_all(folder: Path) -> None:
    """Read every file once, so that both the export and bagit start from a warm page cache."""
    for p in folder.rglob("*"):
        if p.is_file():
            with open(p, "rb") as f:
                while f.read(1 << 20):
                    pass


def tree_rss_kb(pid: int) -> int:
    """Resident memory of pid and its descendants, from /proc."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
                ppid = int(stat.rsplit(")", 1)[1].split()[1])
                children.setdefault(ppid, []).append(int(entry))
            except (OSError, ValueError, IndexError):
                pass
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            pass
        todo.extend(children.get(p, []))
    return total


def timed(cmd: list[str], sample: bool = False) -> tuple[float, int, int]:
    """Wall time, largest process's peak RSS (kB) and sampled tree RSS (kB) of a command."""
    with tempfile.NamedTemporaryFile("r", suffix=".rss") as rss:
        start = time.perf_counter()
        proc = subprocess.Popen([sys.executable, "-c", WRAPPER, rss.name, *cmd], env=env(), cwd=ROOT,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        peak_tree = [0]

        def sampler() -> None:
            while proc.poll() is None:
                peak_tree[0] = max(peak_tree[0], tree_rss_kb(proc.pid))
                time.sleep(0.2)

        thread = threading.Thread(target=sampler, daemon=True)
        if sample:
            thread.start()
        out, err = proc.communicate()
        elapsed = time.perf_counter() - start
        if sample:
            thread.join()
        if proc.returncode != 0:
            raise SystemExit(f"{' '.join(cmd)} failed:\n{out}\n{err}")
        return elapsed, int(open(rss.name).read() or 0), peak_tree[0]


def archive_figures(store_dir: Path, work: Path) -> dict:
    try:
        from kiosk.archive.build import build_site
    except ImportError:
        return {"first_build_s": None, "rebuild_s": None, "archive_note": "kiosk.archive.build is not on this branch"}
    from kiosk.config import load
    from kiosk.demo import make_drawing
    from kiosk.store import Response, Store
    from kiosk.strokes import render_png

    settings = load(None, store_dir)
    site = work / "site"
    with Store(store_dir, settings.kiosk_id) as store:
        start = time.perf_counter()
        build_site(store, settings, out=site)
        first = time.perf_counter() - start
        session = store.sessions()[0]
        drawing = make_drawing(random.Random(99), settings.canvas_width, settings.canvas_height, settings.palette)
        resp = Response(id=store.new_id(), session=session.slug, prompt_id="benchmark", kind="draw", language="en",
                        consent="public", prompt_text={"en": "One more drawing", "fr": "Un dessin de plus"},
                        consent_version="1")
        resp = store.save_response(resp, drawing, render_png(drawing))
        try:
            start = time.perf_counter()
            build_site(store, settings, out=site)
            rebuild = time.perf_counter() - start
        finally:  # put the cached store back as it was
            shutil.rmtree(store.response_dir(resp))
            store.sync()
    return {"first_build_s": round(first, 2), "rebuild_s": round(rebuild, 2)}


def cached_store(description: str, prefix: str) -> tuple[Path, Path, argparse.Namespace]:
    """The demo store asked for on the command line (made once, cached) and a fresh work folder."""
    parser = argparse.ArgumentParser(description=description.split("\n")[0])
    parser.add_argument("--responses", type=int, default=10_000, metavar="N")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    return demo_store(args.responses, args.seed), Path(tempfile.mkdtemp(prefix=prefix, dir=CACHE)), args


def main() -> None:
    store_dir, work, args = cached_store(__doc__ or "", "work-")
    try:
        read_all(store_dir)
        os.sync()  # both start with nothing waiting to be written (bagit gets the same below)
        out = work / "bag"
        cpu0 = resource.getrusage(resource.RUSAGE_CHILDREN)
        export_s, peak_kb, tree_kb = timed([sys.executable, "-m", "kiosk", "export", str(out),
                                            "--data", str(store_dir)], sample=True)
        cpu1 = resource.getrusage(resource.RUSAGE_CHILDREN)
        info = dict(line.split(": ", 1) for line in (out / "bag-info.txt").read_text().splitlines()
                    if ": " in line and not line.startswith(" "))
        payload_bytes, payload_files = (int(x) for x in info["Payload-Oxum"].split("."))

        # bagit's own tool on the same payload: copied first (not timed), then bagged in place.
        peer = work / "bagit-payload"
        start = time.perf_counter()
        shutil.copytree(out / "data", peer)
        os.sync()
        copy_s = time.perf_counter() - start
        read_all(peer)
        bagit_s, bagit_peak_kb, _ = timed([sys.executable, "-m", "bagit", "--quiet", "--processes", "2",
                                           "--sha256", "--sha512", str(peer)])
        shutil.rmtree(peer)
        shutil.rmtree(out)

        archive = archive_figures(store_dir, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)

    ratio = export_s / bagit_s
    peak_mb = peak_kb / 1024
    result = {
        "benchmark": "export",
        "responses": args.responses,
        "seed": args.seed,
        "payload_files": payload_files,
        "payload_mb": round(payload_bytes / 1e6, 1),
        "export_s": round(export_s, 2),
        "bagit_s": round(bagit_s, 2),
        "ratio_vs_bagit": round(ratio, 2),
        "export_user_s": round(cpu1.ru_utime - cpu0.ru_utime, 2),
        "export_sys_s": round(cpu1.ru_stime - cpu0.ru_stime, 2),
        "copy_then_bagit_s": round(copy_s + bagit_s, 2),
        "ratio_vs_copy_then_bagit": round(export_s / (copy_s + bagit_s), 2),
        "peak_mb": round(peak_mb, 1),
        "peak_tree_mb": round(tree_kb / 1024, 1),
        "bagit_peak_mb": round(bagit_peak_kb / 1024, 1),
        **archive,
        "cores": os.cpu_count(),
        "load_avg_1m": round(os.getloadavg()[0], 2),
        "targets": {"ratio_vs_bagit": "<= 1.0", "peak_mb": "< 200", "rebuild_s": "< 2"},
        "met": {
            "ratio_vs_bagit": ratio <= 1.0,
            "peak_mb": peak_mb < 200,
            "rebuild_s": archive.get("rebuild_s") is not None and archive["rebuild_s"] < 2,
        },
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
