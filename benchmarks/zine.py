"""Benchmark: `kiosk zine build` against img2pdf putting the same drawings' PNGs into a PDF.

For 40 and 400 demo responses, each layout: wall time, CPU time, peak memory (max RSS of
the build's process tree, from wait4) and file size, and in the same run the same for
img2pdf on the PNGs of the drawings the zine shows. Each command runs `--repeat` times and
the fastest run counts (the others only measure the machine's noise).

    .venv/bin/python benchmarks/zine.py [--sizes 40 400] [--repeat 2] [--data-cache DIR]

The last line printed is one JSON object. Targets (issue 4): ratio_vs_img2pdf <= 1.0,
a zine no larger than img2pdf's file, peak_mb < 300 for 400 drawings.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

LAYOUTS = ("minizine", "booklet", "pages")
BASE_URL = "https://archive.example.org/kiosk"


def measured(cmd: list[str], env: dict[str, str]) -> dict:
    """Run a command; its wall time, CPU time and peak memory (its own and its children's)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, env=env, cwd=ROOT)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode:
            err.seek(0)
            raise SystemExit(f"{' '.join(cmd[:4])} failed: {err.read().decode(errors='replace')}")
        out.seek(0)
        return {"time_s": wall, "cpu_s": usage.ru_utime + usage.ru_stime, "peak_mb": usage.ru_maxrss / 1024,
                "stdout": out.read().decode()}


def best_of(repeat: int, cmd: list[str], env: dict[str, str]) -> dict:
    runs = [measured(cmd, env) for _ in range(repeat)]
    best = min(runs, key=lambda r: r["time_s"])
    return {"time_s": round(best["time_s"], 3), "cpu_s": round(min(r["cpu_s"] for r in runs), 3),
            "peak_mb": round(max(r["peak_mb"] for r in runs), 1), "times_s": [round(r["time_s"], 3) for r in runs],
            "stdout": best["stdout"]}


def demo_data(folder: Path, n: int, env: dict[str, str]) -> Path:
    data = folder / f"demo-{n}"
    if not (data / "sessions").exists():
        subprocess.run([sys.executable, "-m", "kiosk", "demo-data", "--session", "Benchmark night",
                        "--responses", str(n), "--seed", "7", "--data", str(data)], check=True, env=env, cwd=ROOT)
    return data


def shown_pngs(data: Path) -> list[Path]:
    """The PNGs of the drawings a zine of this data shows: not hidden, with a drawing."""
    from kiosk.store import Store

    with Store(data) as store:
        slug = store.sessions()[0].slug
        return [store.response_dir(r) / "drawing.png" for r in store.responses(slug, include_hidden=False)
                if r.has_drawing and (store.response_dir(r) / "drawing.png").exists()]


def img2pdf_command() -> list[str]:
    script = Path(sys.executable).with_name("img2pdf")
    return [str(script)] if script.exists() else [sys.executable, "-c", "import img2pdf; img2pdf.main()"]


def bench_size(n: int, cache: Path, work: Path, repeat: int, env: dict[str, str]) -> dict:
    data = demo_data(cache, n, env)
    pngs = shown_pngs(data)
    peer_pdf = work / f"img2pdf-{n}.pdf"
    peer = best_of(repeat, img2pdf_command() + [str(p) for p in pngs] + ["-o", str(peer_pdf)], env)
    peer.pop("stdout")
    peer["size_bytes"] = peer_pdf.stat().st_size
    result = {"responses": n, "drawings": len(pngs), "img2pdf": peer, "layouts": {}}
    for layout in LAYOUTS:
        pdf = work / f"zine-{n}-{layout}.pdf"
        run = best_of(repeat, [sys.executable, "-m", "kiosk", "zine", "build", "--data", str(data),
                               "--layout", layout, "--paper", "a4", "--base-url", BASE_URL, "--out", str(pdf)], env)
        pages = int(run.pop("stdout").splitlines()[1].split()[0])
        run.update({
            "size_bytes": pdf.stat().st_size,
            "pages": pages,
            "per_drawing_ms": round(run["time_s"] / len(pngs) * 1000, 2),
            "ratio_vs_img2pdf": round(run["time_s"] / peer["time_s"], 3),
            "cpu_ratio_vs_img2pdf": round(run["cpu_s"] / peer["cpu_s"], 3),
            "size_vs_img2pdf": round(pdf.stat().st_size / peer["size_bytes"], 4),
        })
        result["layouts"][layout] = run
        print(f"{n} responses, {layout}: {run['time_s']:.2f} s ({run['cpu_s']:.2f} s CPU), "
              f"{run['peak_mb']:.0f} MB, {run['size_bytes'] / 1e6:.2f} MB; img2pdf {peer['time_s']:.2f} s "
              f"({peer['cpu_s']:.2f} s CPU), {peer['size_bytes'] / 1e6:.2f} MB", file=sys.stderr)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[40, 400])
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--data-cache", type=Path, help="keep the demo data here and reuse it next time")
    args = parser.parse_args()
    env = {k: v for k, v in os.environ.items() if k != "KIOSK_DATA"}
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    work = Path(tempfile.mkdtemp(prefix="zine-bench-"))
    cache = args.data_cache or work
    cache.mkdir(parents=True, exist_ok=True)
    try:
        runs = [bench_size(n, cache, work, args.repeat, env) for n in args.sizes]
    finally:
        shutil.rmtree(work, ignore_errors=True)
    import img2pdf

    from kiosk import __version__

    biggest = max(runs, key=lambda r: r["responses"])
    every = [layout for run in runs for layout in run["layouts"].values()]
    summary = {
        "benchmark": "zine",
        "kiosk": __version__,
        "peer": f"img2pdf {img2pdf.__version__} (the same drawings' PNGs, one per page)",
        "cores": os.cpu_count(),
        "repeat": args.repeat,
        "runs": runs,
        "targets": {"ratio_vs_img2pdf": "<= 1.0", "size_vs_img2pdf": "<= 1.0", "peak_mb_400": "< 300"},
        "met": {
            "ratio_vs_img2pdf": all(r["ratio_vs_img2pdf"] <= 1.0 for r in every),
            "size_vs_img2pdf": all(r["size_vs_img2pdf"] <= 1.0 for r in every),
            "peak_mb": all(r["peak_mb"] < 300 for r in biggest["layouts"].values()),
        },
    }
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
