"""A damaged PIN lock-out file, odd keys on the pad: the kiosk starts, the facilitators get in."""

from __future__ import annotations

import os
from pathlib import Path

import pygame
import pytest
from test_app_driver import Driver, settings_for

from kiosk import pin as pins

DAMAGED = {
    "infinite": b'{"failures": 1e400, "locked_until": 1e400}',  # json reads inf: int() overflows
    "nested": b"[" * 200_000,  # json recurses
    "negative": b'{"failures": -5, "locked_until": -1e18}',
    "huge-count": b'{"failures": ' + b"9" * 4000 + b', "locked_until": 0}',
    "not-json": b"\xff\xfe\x00garbage",
    "a-list": b"[1, 2, 3]",
    "nan": b'{"failures": 3, "locked_until": NaN}',
}


@pytest.mark.parametrize("name", sorted(DAMAGED))
def test_a_damaged_lockout_file_counts_as_none(tmp_path: Path, name: str) -> None:
    (tmp_path / pins.LOCKOUT_NAME).write_bytes(DAMAGED[name])
    lockout = pins.load_lockout(tmp_path, now=100.0)
    assert lockout.remaining(100.0) == 0 and 0 <= lockout.failures <= pins.MAX_FAILURES


def test_a_far_future_lock_is_capped_at_an_hour(tmp_path: Path) -> None:
    (tmp_path / pins.LOCKOUT_NAME).write_text('{"failures": 3, "locked_until": 1e18}')
    assert pins.load_lockout(tmp_path, now=100.0).remaining(100.0) == pins.MAX_LOCK_S


def test_a_lockout_that_is_a_device_a_pipe_or_a_folder_is_not_read(tmp_path: Path) -> None:
    lockout = tmp_path / pins.LOCKOUT_NAME
    for make in (lambda: lockout.symlink_to("/dev/zero"), lambda: os.mkfifo(lockout), lambda: lockout.mkdir()):
        make()  # /dev/zero would fill the memory, a pipe would block the start for ever
        assert pins.load_lockout(tmp_path, now=0.0).remaining(0.0) == 0
        lockout.rmdir() if lockout.is_dir() and not lockout.is_symlink() else lockout.unlink()


def test_the_kiosk_starts_and_opens_with_a_damaged_lockout_file(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / pins.LOCKOUT_NAME).write_bytes(DAMAGED["infinite"])
    d = Driver(settings_for(data))
    try:
        d.key("ctrl+alt+f")
        assert d.scene == "pin" and d.app.scene.locked_for() == 0
        for digit in "0000":
            d.tap(f"pin:{digit}")
        d.tap("pin:ok")
        d.until(lambda: d.scene != "pin")
        assert d.scene == "facilitator"
    finally:
        d.close()


def test_the_pad_takes_only_the_digits_0_to_9_from_a_keyboard(tmp_path: Path) -> None:
    d = Driver(settings_for(tmp_path / "data"))
    try:
        d.key("ctrl+alt+f")
        d.settle()
        for char in ("²", "٣", "1", "a", "௫", "2"):
            d.step([pygame.event.Event(pygame.KEYDOWN, key=0, mod=0, unicode=char, scancode=0)])
        assert d.app.scene.digits == "12"
    finally:
        d.close()


@pytest.mark.parametrize("pin_hash", [
    "pbkdf2_sha256$0$" + "ab" * 16 + "$" + "0" * 64,  # 0 iterations: every check would fail with an error
    "pbkdf2_sha256$99999999999$" + "ab" * 16 + "$" + "0" * 64,  # one check would take days
    "pbkdf2_sha256$1000$" + "abc" * 7 + "$" + "0" * 64,  # a salt of half a byte: not hex bytes
])
def test_a_damaged_pin_hash_is_refused_at_start_not_taken_for_a_wrong_pin(tmp_path: Path, pin_hash: str) -> None:
    from kiosk import config
    from kiosk.errors import KioskError

    (tmp_path / "kiosk.yaml").write_text(f'pin_hash: "{pin_hash}"\n')
    with pytest.raises(KioskError) as exc:
        config.load(tmp_path / "kiosk.yaml")
    assert "pin_hash" in str(exc.value) and "kiosk pin set" in str(exc.value)
    assert pins.verify_pin(pin_hash, "1234") is False  # and never an error, whoever asks


def test_a_hash_made_by_pin_set_is_still_accepted(tmp_path: Path) -> None:
    from kiosk import config

    hashed = pins.hash_pin("4831")
    (tmp_path / "kiosk.yaml").write_text(f'pin_hash: "{hashed}"\n')
    assert config.load(tmp_path / "kiosk.yaml").pin_hash == hashed
    assert pins.verify_pin(hashed, "4831") and not pins.verify_pin(hashed, "4832")


def test_wrong_pins_on_a_read_only_data_folder_still_lock_the_pad(tmp_path: Path) -> None:
    """The lock-out cannot be kept on disk: it still holds while the kiosk runs, and nothing fails."""
    import subprocess

    from conftest import tmpfs
    from test_app_facilitator import enter_pin

    from kiosk import config

    with tmpfs(tmp_path / "mnt", "4m") as mnt:
        data = mnt / "data"
        data.mkdir()
        settings = settings_for(data, pin_hash=config.hash_pin("4831", iterations=1000))
        subprocess.run(["mount", "-o", "remount,ro", str(mnt)], check=True)
        try:
            d = Driver(settings)
            try:
                d.key("ctrl+alt+f")
                for _ in range(3):
                    enter_pin(d, "1234")
                assert d.scene == "pin" and d.app.scene.locked_for() == 30
                assert not (data / pins.LOCKOUT_NAME).exists()
                d.wait(30.5)
                enter_pin(d, "4831")
                assert d.scene == "facilitator"
            finally:
                d.close()
        finally:
            subprocess.run(["mount", "-o", "remount,rw", str(mnt)], check=True)
