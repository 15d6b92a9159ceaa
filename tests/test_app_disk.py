"""A full or read-only data folder: the visitor still sees thanks, the answer waits in memory and is
saved when the disk is back, and the facilitator screen says why in red. A real tiny tmpfs (root)."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

import pytest
from conftest import fill_disk, run_kiosk, tmpfs
from test_app_driver import Driver, settings_for

from kiosk.app import theme as th
from kiosk.store import Store


@pytest.fixture
def small_disk(tmp_path: Path):
    with tmpfs(tmp_path / "mnt", "4m") as mnt:
        yield mnt


def answer(d: Driver, consent: str = "public") -> None:
    d.tap("begin")
    d.tap("prompt:relation")
    d.drag("canvas", [(0.2, 0.2), (0.5, 0.7), (0.8, 0.3)])
    d.tap("done")
    d.tap(f"consent:{consent}")
    assert d.scene == "thanks"


def wait_saved(d: Driver, timeout: float = 20) -> None:
    end = time.monotonic() + timeout
    while d.app.saver.pending and time.monotonic() < end:
        d.step()
        time.sleep(0.05)
    assert d.app.saver.pending == 0


def red_warning_shown(d: Driver) -> bool:
    d.key("ctrl+alt+f")
    for digit in "0000":
        d.tap(f"pin:{digit}")
    d.tap("pin:ok")
    d.until(lambda: d.scene == "facilitator" and d.app.scene.summary is not None)
    d.step()
    surface = d.app.screen
    card = d.app.scene.storage_card
    shown = tuple(surface.get_at((card.centerx, card.bottom - 4)))[:3] == th.DANGER_SOFT
    d.tap("back")
    return shown


def count(data: Path) -> int:
    with Store(data) as store:
        return len(store.responses())


@pytest.mark.slow
def test_a_full_disk_keeps_the_answer_in_memory_and_saves_it_later(small_disk: Path) -> None:
    data = small_disk / "data"
    d = Driver(settings_for(data))
    try:
        answer(d)
        d.flush()
        assert count(data) == 1
        d.tap("finish")
        filler = fill_disk(small_disk)
        answer(d)
        d.flush()
        d.step(frames=2)
        assert d.scene == "thanks"
        assert d.app.saver.pending == 1
        assert "disk is full" in d.app.saver.problem
        d.tap("finish")
        assert red_warning_shown(d)
        filler.unlink()
        wait_saved(d)
        assert d.app.saver.problem is None
        assert count(data) == 2
        assert not list((data / "unfinished").glob("*.json"))
    finally:
        d.close()


def test_a_read_only_disk_keeps_the_answer_and_saves_it_when_writable(small_disk: Path) -> None:
    data = small_disk / "data"
    d = Driver(settings_for(data))
    answer(d)
    d.close()
    # Remounting needs no file open for writing: the kiosk starts on a folder already read-only.
    subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], check=True)
    d = Driver(settings_for(data))
    try:
        assert d.scene == "welcome"
        answer(d, "print")
        d.flush()
        assert d.app.saver.pending == 1 and "read-only" in d.app.saver.problem
        d.tap("finish")
        assert red_warning_shown(d)
        subprocess.run(["mount", "-o", "remount,rw", str(small_disk)], check=True)
        wait_saved(d)
        assert count(data) == 2
    finally:
        d.close()


def test_started_on_a_full_disk_the_kiosk_sees_a_hide_once_space_is_back(small_disk: Path) -> None:
    """Started on a full disk, the kiosk reads through an index in memory, which sees nothing other
    programs change. Once space is back, a drawing hidden with `kiosk hide` must leave the public
    welcome screen; it stayed there until the kiosk restarted, as the memory index was kept."""
    data = small_disk / "data"
    d = Driver(settings_for(data))
    answer(d)
    d.close()
    filler = fill_disk(small_disk)
    d = Driver(settings_for(data))
    d.app.saver.retry_s = 0.2
    try:
        d.flush()
        filler.unlink()
        answer(d)  # saved: there is room again
        d.flush()
        assert d.app.saver.pending == 0
        with Store(data) as store:
            first = store.responses()[0].id
        assert run_kiosk("hide", first, "--data", str(data)).returncode == 0
        time.sleep(0.3)
        shown = d.app.saver.call(lambda store: [r.id for r in store.responses(consent="public", include_hidden=False)])
        assert first not in shown.result(10)
    finally:
        d.close()
