"""`kiosk run` as a real process: killed mid-drawing and started again (the drawing is back), and
in a real X window under Xvfb (a screenshot shows the welcome screen)."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import kiosk_env
from PIL import Image

from kiosk import checkpoint
from kiosk.app import theme as th
from kiosk.pin import hash_pin
from kiosk.store import Store

pytestmark = pytest.mark.slow  # each test makes demo data, bags, PDFs or runs a real service


def start(args: list[str], env: dict[str, str], cwd: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "kiosk", "run", *args], cwd=cwd, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def wait_for(path: Path, proc: subprocess.Popen, timeout: float = 60) -> None:
    end = time.monotonic() + timeout
    while not path.exists():
        if proc.poll() is not None:
            out, err = proc.communicate()
            pytest.fail(f"kiosk run stopped early ({proc.returncode}):\n{out}\n{err}")
        if time.monotonic() > end:
            proc.kill()
            pytest.fail("kiosk run never got there")
        time.sleep(0.05)


def script(tmp_path: Path, name: str, steps: list[dict]) -> Path:
    path = tmp_path / f"{name}.json"
    path.write_text(json.dumps(steps))
    return path


def test_killed_while_drawing_the_drawing_is_back_after_a_restart(tmp_path: Path) -> None:
    data = tmp_path / "data"
    ready = tmp_path / "drawn"
    first = script(tmp_path, "first", [
        {"wait": 3}, {"tap": "begin"}, {"wait": 2}, {"tap": "prompt:read-44gb"}, {"until": "draw"},
        {"drag": "canvas", "points": [[0.1, 0.2], [0.5, 0.6], [0.9, 0.3]], "finger": 1, "steps": 10},
        {"drag": "canvas", "points": [[0.2, 0.8], [0.7, 0.85]], "steps": 6},
        {"wait": 2}, {"flush": True}, {"touch": str(ready)}, {"wait": 100000},
    ])
    args = ["--windowed", "--size", "1280x800", "--data", str(data)]
    proc = start(args, kiosk_env(KIOSK_EVENT_SCRIPT=str(first)), tmp_path)
    try:
        wait_for(ready, proc)
        [cp_file] = checkpoint.folder(data).glob("*.json")
        saved = checkpoint.read(cp_file)
        assert (saved.scene, saved.prompt_id) == ("draw", "read-44gb")
        assert len(saved.get_drawing().strokes) == 2
    finally:
        proc.send_signal(signal.SIGKILL)  # a crash, a power cut: no chance to tidy up
        proc.wait()
    restored = tmp_path / "restored"
    second = script(tmp_path, "second", [
        {"until": "draw", "timeout": 300}, {"wait": 3}, {"touch": str(restored)}, {"tap": "done"},
        {"until": "consent"}, {"tap": "consent:public"}, {"until": "thanks"}, {"flush": True}, {"quit": True},
    ])
    r = subprocess.run([sys.executable, "-m", "kiosk", "run", *args], cwd=tmp_path, capture_output=True, text=True,
                       env=kiosk_env(KIOSK_EVENT_SCRIPT=str(second)), timeout=120)
    assert r.returncode == 0, r.stderr
    assert restored.exists()
    with Store(data) as store:
        [resp] = store.responses()
        drawing = store.load_drawing(resp)
    assert resp.prompt_id == "read-44gb" and resp.consent == "public"
    assert [s.points for s in drawing.strokes] == [s.points for s in saved.get_drawing().strokes]
    assert not list(checkpoint.folder(data).glob("*.json"))


def test_kiosk_run_exits_after_its_first_frame_when_asked(tmp_path: Path) -> None:
    r = subprocess.run([sys.executable, "-m", "kiosk", "run", "--data", str(tmp_path / "data")], cwd=tmp_path,
                       capture_output=True, text=True, env=kiosk_env(KIOSK_EXIT_AFTER_FIRST_FRAME="1"), timeout=60)
    assert r.returncode == 0, r.stderr
    assert "Traceback" not in r.stderr


@pytest.mark.skipif(not shutil.which("Xvfb") or not shutil.which("import"), reason="Xvfb or ImageMagick missing")
def test_a_real_window_shows_the_welcome_screen(tmp_path: Path) -> None:
    read, write = os.pipe()
    xvfb = subprocess.Popen(["Xvfb", "-displayfd", str(write), "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
                            pass_fds=(write,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.close(write)
    display = ""
    try:
        with os.fdopen(read) as f:
            display = ":" + f.readline().strip()
        ready = tmp_path / "ready"
        steps = script(tmp_path, "xvfb", [{"wait": 20}, {"touch": str(ready)}, {"wait": 100000}])
        env = kiosk_env(KIOSK_EVENT_SCRIPT=str(steps), DISPLAY=display, SDL_VIDEODRIVER="x11")
        (tmp_path / "kiosk.yaml").write_text(f'pin_hash: "{hash_pin("4831", iterations=1000)}"\n')  # fullscreen needs one
        proc = start(["--fullscreen", "--data", str(tmp_path / "data")], env, tmp_path)
        try:
            wait_for(ready, proc)
            shot = tmp_path / "screen.png"
            subprocess.run(["import", "-display", display, "-window", "root", str(shot)], check=True, timeout=30)
        finally:
            proc.terminate()
            proc.wait(timeout=30)
        img = Image.open(shot).convert("RGB")
        assert img.size == (1280, 800)
        colours = img.getcolors(1280 * 800)
        by_count = sorted(colours, reverse=True)
        assert by_count[0][1] == th.PAPER  # the welcome screen's paper fills most of it
        counts = {c: n for n, c in colours}
        assert counts.get(th.ACCENT, 0) > 20000  # the big "touch to begin" button
        # The School's title in dark ink at the top left.
        title = img.crop((60, 100, 520, 360))
        assert sum(n for n, c in title.getcolors(title.width * title.height) if max(c) < 60) > 3000
    finally:
        xvfb.terminate()
        xvfb.wait(timeout=30)
