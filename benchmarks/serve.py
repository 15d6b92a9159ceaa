"""Benchmark: `kiosk archive serve` beside the stdlib's `python -m http.server` serving the same site.

    .venv/bin/python benchmarks/serve.py                 # about a minute
    .venv/bin/python benchmarks/serve.py --seconds 2     # a quicker run

Both servers run as their own processes on 127.0.0.1 (nothing else is contacted) and are loaded
by the same client in this process: an asyncio loop of C connections, each asking for pages,
drawings (SVG) and the style sheet one after the other (HTTP/1.1 keep-alive where the server
allows it; a new connection for each request where it does not, as the stdlib's HTTP/1.0 does).
Every phase stops by itself: requests stop being started after --seconds, and none waits more
than --request-timeout seconds (counted as over 1 s).

Figures (the JSON object on the last line), for "kiosk" and for the peer "stdlib":
- rps_c1, rps_c200: answered requests per second at concurrency 1 and 200;
- over_1s_c1, over_1s_c200: share of requests that took more than 1 s (or failed);
- p50_ms_c200, p99_ms_c200: latency at concurrency 200;
- idle_get_s: time for one GET while 1,000 idle connections are held open (None: no answer in
  --request-timeout seconds); idle_opened: how many of the 1,000 the server let in.
Targets (kiosk): over_1s = 0 at both, rps_c200 >= rps_c1 / 2, idle_get_s < 1.
"""

from __future__ import annotations

import argparse
import asyncio
import http.client
import json
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"


def env() -> dict[str, str]:
    e = {k: v for k, v in os.environ.items() if k != "KIOSK_DATA"}
    e["PYTHONPATH"] = str(ROOT) + os.pathsep + e.get("PYTHONPATH", "")
    return e


def make_site(work: Path, responses: int) -> Path:
    data = work / "data"
    for cmd in (["demo-data", "--session", "Benchmark night", "--responses", str(responses)], ["archive", "build"]):
        subprocess.run([sys.executable, "-m", "kiosk", *cmd, "--data", str(data)], env=env(), check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=work)
    return data / "site"


def site_paths(site: Path) -> list[str]:
    """What phones ask for: the home page, response pages, their drawings (SVG), the style sheet."""
    paths = ["/", "/index.html", "/style.css"]
    for page in sorted(site.glob("r/*/index.html"))[:20]:
        paths.append("/" + page.parent.relative_to(site).as_posix() + "/")
        if (page.parent / "drawing.svg").exists():  # the drawing a grid and a response page show
            paths.append("/" + page.parent.relative_to(site).as_posix() + "/drawing.svg")
    return paths


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def start(cmd: list[str], port: int, log: Path) -> subprocess.Popen:
    with open(log, "wb") as out:
        proc = subprocess.Popen(cmd, env=env(), stdout=subprocess.DEVNULL, stderr=out, cwd=ROOT)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection((HOST, port), timeout=1).close()
            return proc
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise SystemExit(f"server did not start: {' '.join(cmd)}; see {log}")


async def one_request(state: dict, port: int, path: str) -> None:
    if state.get("writer") is None:
        state["reader"], state["writer"] = await asyncio.open_connection(HOST, port)
    reader, writer = state["reader"], state["writer"]
    writer.write(f"GET {path} HTTP/1.1\r\nHost: {HOST}:{port}\r\n\r\n".encode())
    await writer.drain()
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:] if line)}
    if "content-length" in headers:
        await reader.readexactly(int(headers["content-length"]))
    else:
        await reader.read()
        headers["connection"] = "close"
    if headers.get("connection", "").lower() == "close" or lines[0].startswith("HTTP/1.0"):
        writer.close()
        state["writer"] = None
    if not lines[0].split(" ")[1].startswith(("2", "3")):
        raise RuntimeError(lines[0])


async def worker(port: int, paths: list[str], stop_at: float, timeout: float, times: list[float],
                 failed: list[int], rng: random.Random) -> None:
    state: dict = {}
    while time.monotonic() < stop_at:
        began = time.monotonic()
        try:
            await asyncio.wait_for(one_request(state, port, rng.choice(paths)), timeout)
            times.append(time.monotonic() - began)
        except (TimeoutError, OSError, asyncio.IncompleteReadError, RuntimeError, ValueError, IndexError):
            failed.append(1)
            if state.get("writer") is not None:
                state["writer"].close()
            state["writer"] = None
    if state.get("writer") is not None:
        state["writer"].close()


async def load(port: int, paths: list[str], concurrency: int, seconds: float, timeout: float) -> dict:
    times: list[float] = []
    failed: list[int] = []
    began = time.monotonic()
    stop_at = began + seconds
    rng = random.Random(concurrency)
    await asyncio.gather(*(worker(port, paths, stop_at, timeout, times, failed, rng) for _ in range(concurrency)))
    wall = time.monotonic() - began
    total = len(times) + len(failed)
    times.sort()
    slow = sum(t > 1.0 for t in times) + len(failed)
    return {"rps": round(len(times) / wall, 1), "requests": total, "failed": len(failed),
            "over_1s": round(slow / total, 4) if total else 1.0,
            "p50_ms": round(1000 * times[len(times) // 2], 1) if times else None,
            "p99_ms": round(1000 * times[int(len(times) * 0.99)], 1) if times else None}


def idle_run(port: int, timeout: float, n: int = 1000) -> dict:
    """Hold n idle connections open, then time one ordinary GET."""
    held: list[socket.socket] = []
    try:
        give_up = time.monotonic() + 30
        for _ in range(n):
            if time.monotonic() > give_up:
                break
            s = socket.socket()
            s.settimeout(2)
            try:
                s.connect((HOST, port))
                held.append(s)
            except OSError:
                s.close()
        began = time.monotonic()
        conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
        try:
            conn.request("GET", "/index.html")
            resp = conn.getresponse()
            resp.read()
            answered = resp.status == 200
        except OSError:
            answered = False
        finally:
            conn.close()
        took = time.monotonic() - began
        return {"idle_opened": len(held), "idle_get_s": round(took, 3) if answered else None}
    finally:
        for s in held:
            s.close()


def measure(cmd: list[str], port: int, paths: list[str], args: argparse.Namespace, log: Path) -> dict:
    proc = start(cmd, port, log)
    try:
        c1 = asyncio.run(load(port, paths, 1, args.seconds, args.request_timeout))
        c200 = asyncio.run(load(port, paths, 200, args.seconds, args.request_timeout))
        idle = idle_run(port, args.request_timeout)
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    return {"rps_c1": c1["rps"], "rps_c200": c200["rps"], "over_1s_c1": c1["over_1s"],
            "over_1s_c200": c200["over_1s"], "failed_c200": c200["failed"], "requests_c200": c200["requests"],
            "p50_ms_c200": c200["p50_ms"], "p99_ms_c200": c200["p99_ms"], **idle}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=5.0, help="length of each load phase")
    parser.add_argument("--responses", type=int, default=40, help="demo responses in the site")
    parser.add_argument("--request-timeout", type=float, default=30.0, help="longest wait for one request")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="kiosk-bench-serve-"))
    try:
        site = make_site(work, args.responses)
        paths = site_paths(site)
        port = free_port()
        kiosk = measure([sys.executable, "-m", "kiosk", "archive", "serve", "--dir", str(site), "--port", str(port)],
                        port, paths, args, work / "kiosk.log")
        port = free_port()
        stdlib = measure([sys.executable, "-m", "http.server", str(port), "--bind", HOST, "--directory", str(site)],
                         port, paths, args, work / "stdlib.log")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    result = {
        "benchmark": "archive_serve", "paths": len(paths), "seconds_per_phase": args.seconds,
        "kiosk": kiosk, "stdlib": stdlib,
        "targets_met": {
            "no_request_over_1s": kiosk["over_1s_c1"] == 0 and kiosk["over_1s_c200"] == 0,
            "c200_at_least_half_c1": kiosk["rps_c200"] >= kiosk["rps_c1"] / 2,
            "get_under_1s_with_1000_idle": kiosk["idle_get_s"] is not None and kiosk["idle_get_s"] < 1.0,
        },
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
