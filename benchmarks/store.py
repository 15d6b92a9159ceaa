"""Store benchmark: time to commit one response (files + index), and to reindex 10,000.

Commit excludes the PNG and SVG rendering (the app renders them off the UI thread, before the
commit): they are made first, and the SVG's rendering time is reported beside (svg_render_ms_p99).
Peer, in the same run: the same files written the careless way (no temporary name, no fsync)
plus the same index insert, to show what durability costs; and for reindex, only reading and
parsing every response.json (the floor any index rebuild must pay).

Usage: python benchmarks/store.py [--commits 1000] [--reindex 10000]
Last line: one JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kiosk import atomic  # noqa: E402
from kiosk.demo import make_drawing  # noqa: E402
from kiosk.store import Response, Store  # noqa: E402
from kiosk.strokes import render_png, render_svg, to_json  # noqa: E402

PALETTE = ["#000000", "#0072b2", "#d55e00", "#009e73"]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def response_for(store: Store, session: str, rng: random.Random) -> Response:
    return Response(id=store.new_id(), session=session, prompt_id="relation", kind="draw",
                    language=rng.choice(["en", "fr"]), consent=rng.choice(["public", "print"]),
                    prompt_text={"en": "Please draw here the relation between algorithms and solidarity",
                                 "fr": "Dessinez ici la relation entre algorithmes et solidarité"},
                    consent_version="1")


def careless_save(store: Store, resp: Response, drawing, png: bytes, svg: bytes) -> None:
    """The peer: same bytes, same index insert, but no temp names and no fsync."""
    folder = store.sessions_dir / resp.session / "responses" / resp.id
    folder.mkdir()
    (folder / "strokes.json").write_text(to_json(drawing))
    (folder / "drawing.png").write_bytes(png)
    (folder / "drawing.svg").write_bytes(svg)
    (folder / "response.json").write_bytes(atomic.json_bytes(resp.to_dict()))
    store._index_response(store.db, resp)


def bench_commits(root: Path, n: int, seed: int) -> dict:
    rng = random.Random(seed)
    drawings = [make_drawing(rng, 1200, 900, PALETTE) for _ in range(n)]
    pngs = [render_png(d) for d in drawings]  # not timed
    svgs, svg_ms = [], []
    for d in drawings:
        t = time.perf_counter()
        svgs.append(render_svg(d).encode("utf-8"))
        svg_ms.append((time.perf_counter() - t) * 1000)
    results = {"svg_render": svg_ms}
    for name, save in (("atomic", None), ("careless", careless_save)):
        with Store(root / name, kiosk_id="bench") as store:
            session = store.start_session("Benchmark").slug
            times = []
            for d, png, svg in zip(drawings, pngs, svgs):
                resp = response_for(store, session, rng)
                t = time.perf_counter()
                if save is None:
                    store.save_response(resp, d, png, svg)
                else:
                    save(store, resp, d, png, svg)
                times.append((time.perf_counter() - t) * 1000)
            results[name] = times
    return results


def fill_store(root: Path, n: int, seed: int) -> None:
    """n responses with real strokes and small PNGs (reindex reads only response.json)."""
    rng = random.Random(seed)
    with Store(root, kiosk_id="bench") as store:
        session = store.start_session("Reindex").slug
        for _ in range(n):
            d = make_drawing(rng, 1200, 900, PALETTE)
            store.save_response(response_for(store, session, rng), d, render_png(d, scale=0.1, supersample=1))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--commits", type=int, default=1000)
    parser.add_argument("--reindex", type=int, default=10000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(dir=os.environ.get("BENCH_TMP")) as tmp:
        root = Path(tmp)
        commits = bench_commits(root, args.commits, args.seed)
        print(f"committed {args.commits} responses", file=sys.stderr)

        fill_store(root / "big", args.reindex, args.seed)
        print(f"made {args.reindex} responses", file=sys.stderr)
        with Store(root / "big") as store:
            t = time.perf_counter()
            count = store.reindex()
            reindex_s = time.perf_counter() - t
        assert count == args.reindex, count
        t = time.perf_counter()
        for path in (root / "big").glob("sessions/*/responses/*/response.json"):
            json.loads(path.read_bytes())
        parse_only_s = time.perf_counter() - t

    atomic_ms, careless_ms = commits["atomic"], commits["careless"]
    print(json.dumps({
        "benchmark": "store",
        "commits": args.commits,
        "commit_ms_p50": round(statistics.median(atomic_ms), 3),
        "commit_ms_p99": round(percentile(atomic_ms, 0.99), 3),
        "svg_render_ms_p50": round(statistics.median(commits["svg_render"]), 3),
        "svg_render_ms_p99": round(percentile(commits["svg_render"], 0.99), 3),
        "reindex_responses": args.reindex,
        "reindex_10k_s": round(reindex_s * 10000 / args.reindex, 3),
        "peer": {
            "name": "same files and index insert without temporary names or fsync (not crash-safe)",
            "commit_ms_p50": round(statistics.median(careless_ms), 3),
            "commit_ms_p99": round(percentile(careless_ms, 0.99), 3),
            "reindex_floor_name": "read and parse every response.json, no index",
            "reindex_floor_10k_s": round(parse_only_s * 10000 / args.reindex, 3),
        },
        "targets": {"commit_ms_p99": 20, "reindex_10k_s": 10},
    }))


if __name__ == "__main__":
    main()
