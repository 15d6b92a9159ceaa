"""Never lose a response: a writer killed at random moments, and two writers at once."""

from __future__ import annotations

import random
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import kiosk_env, run_kiosk

from kiosk.store import Store

pytestmark = pytest.mark.slow  # real processes killed at random moments

# Saves responses in a loop and says "saved ID" only once save_response has returned.
WRITER = r"""
import random, sys
from kiosk.demo import make_drawing
from kiosk.store import Response, Store
from kiosk.strokes import render_png
store = Store(sys.argv[1], kiosk_id=sys.argv[2])
session = store.ensure_session("Crash test")
rng = random.Random(int(sys.argv[3]))
print("ready", flush=True)
for i in range(int(sys.argv[4])):
    d = make_drawing(rng, 300, 200, ["#000000", "#0072b2"])
    r = Response(id=store.new_id(), session=session.slug, prompt_id="p", kind="draw", language="en",
                 consent="public")
    store.save_response(r, d, render_png(d, supersample=1))
    print("saved", r.id, flush=True)
"""


def start_writer(data: Path, kiosk_id: str, seed: int, count: int = 100000) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", WRITER, str(data), kiosk_id, str(seed), str(count)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=kiosk_env())


def index_dump(data: Path) -> list[tuple]:
    db = sqlite3.connect(data / "index.sqlite")
    try:
        return sorted(db.execute("SELECT * FROM responses").fetchall())
    finally:
        db.close()


def test_a_writer_killed_at_random_moments_loses_nothing_it_reported_saved(data_dir):
    rng = random.Random(2026)
    reported: set[str] = set()
    for round_ in range(12):
        proc = start_writer(data_dir, "crash", seed=round_)
        assert proc.stdout.readline().strip() == "ready", proc.stderr.read()
        # Wait for one reported save before the kill, however slow the machine (a loaded CI runner).
        first = proc.stdout.readline()
        assert first.startswith("saved "), first + proc.stderr.read()
        time.sleep(rng.uniform(0.02, 0.4))
        proc.kill()  # SIGKILL: no cleanup, no flush, mid-write most likely
        out, _ = proc.communicate()
        reported |= {line.split()[1] for line in (first + out).splitlines() if line.startswith("saved ")}
    assert len(reported) >= 12

    r = run_kiosk("check", "--data", str(data_dir))
    assert r.returncode == 0, r.stdout + r.stderr
    assert "PROBLEM" not in r.stdout
    with Store(data_dir) as store:
        present = {resp.id for resp in store.responses()}
    assert reported <= present
    before = index_dump(data_dir)
    assert run_kiosk("reindex", "--data", str(data_dir)).returncode == 0
    assert index_dump(data_dir) == before


def test_two_processes_saving_at_once_do_not_corrupt_the_index(data_dir):
    Store(data_dir).close()
    procs = [start_writer(data_dir, kid, seed=i, count=40) for i, kid in enumerate(("app", "cli"))]
    outs = [p.communicate(timeout=120) for p in procs]
    for p, (out, err) in zip(procs, outs):
        assert p.returncode == 0, err
    saved = {line.split()[1] for out, _ in outs for line in out.splitlines() if line.startswith("saved ")}
    assert len(saved) == 80
    db = sqlite3.connect(data_dir / "index.sqlite")
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    db.close()
    with Store(data_dir) as store:
        assert {r.id for r in store.responses()} == saved
        assert [p for p in store.check() if p.serious] == []
