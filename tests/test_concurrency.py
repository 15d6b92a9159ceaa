"""Several writers at once: kiosk.json changed by two processes under its lock, one file
written atomically by many threads, and worker processes started from a threaded process."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from pathlib import Path

from conftest import kiosk_env

from kiosk import atomic, workers
from kiosk.store import STATE_NAME, Store

# Each process counts its own key up in kiosk.json, read-modify-write, as the app and a command do.
COUNTER = r"""
import sys
from kiosk.store import Store
store = Store(sys.argv[1], kiosk_id="k1", sync=False)
key, n = sys.argv[2], int(sys.argv[3])
for _ in range(n):
    with store._locked_state() as state:
        state[key] = state.get(key, 0) + 1
store.close()
"""


def test_two_processes_changing_kiosk_json_lose_no_change(tmp_path):
    Store(tmp_path, kiosk_id="k1", sync=False).close()
    n = 60
    procs = [subprocess.Popen([sys.executable, "-c", COUNTER, str(tmp_path), key, str(n)], env=kiosk_env())
             for key in ("app", "cli")]
    assert [p.wait(timeout=120) for p in procs] == [0, 0]
    state = json.loads((tmp_path / STATE_NAME).read_text())
    assert (state["app"], state["cli"]) == (n, n)


def test_threads_writing_one_file_atomically_never_clash(tmp_path):
    path = tmp_path / "shared.json"
    errors: list[BaseException] = []

    def write(i: int) -> None:
        try:
            for j in range(25):
                atomic.write_bytes(path, f"{i}-{j}\n".encode() * 100, sync_dir=False)
        except BaseException as exc:  # collected, then asserted empty
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    lines = set(path.read_text().splitlines())
    assert len(lines) == 1  # one whole write, never a mix
    assert [p.name for p in tmp_path.iterdir()] == ["shared.json"]  # no temporary file left


def test_worker_processes_start_from_a_threaded_process():
    assert workers.START_METHOD == "spawn"  # never a plain fork of a threaded process
    stop = threading.Event()
    busy = threading.Thread(target=stop.wait, daemon=True)  # like rich's refresh thread, or the app's saver
    busy.start()
    try:
        with workers.process_pool(2) as pool:
            assert list(pool.map(Path.as_posix, [Path("a"), Path("b/c")])) == ["a", "b/c"]
    finally:
        stop.set()
