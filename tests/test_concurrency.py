"""Several writers at once: kiosk.json changed by two processes under its lock, one file
written atomically by many threads, and worker processes started from a threaded process."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
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


# A command that holds a pool of workers, then waits: killed with SIGKILL (the OOM killer, a
# watchdog, `kill -9`), it cannot shut its pool down; its workers must go by themselves.
HOLDER = r"""
import os, sys, time
from kiosk import workers

def pid(_):
    time.sleep(0.2)  # long enough for both workers to take a task
    return os.getpid()

if __name__ == "__main__":
    with workers.process_pool(2) as pool:
        print(*sorted(set(pool.map(pid, range(8)))), flush=True)
        time.sleep(600)
"""


def _alive(pid: int) -> bool:
    """Running, not a zombie waiting to be reaped by whoever adopted it."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def test_workers_end_when_the_command_that_started_them_is_killed(tmp_path):
    script = tmp_path / "holder.py"
    script.write_text(HOLDER)
    proc = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, text=True, env=kiosk_env())
    try:
        assert proc.stdout is not None
        pids = [int(p) for p in proc.stdout.readline().split()]
        assert pids and all(_alive(p) for p in pids)
    finally:
        proc.kill()
        proc.wait()
    deadline = time.monotonic() + 60  # not a timing check: a generous bound, so a failure does not hang
    while any(_alive(p) for p in pids) and time.monotonic() < deadline:
        time.sleep(0.1)
    left = [p for p in pids if _alive(p)]
    for p in left:  # do not leave them behind for the other tests
        os.kill(p, signal.SIGKILL)
    assert left == [], "worker processes outlived the killed command"
