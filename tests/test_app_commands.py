"""`kiosk run` flags and their errors, `kiosk autostart install|remove`, and plain pygame shadowing pygame-ce."""

from __future__ import annotations

import configparser
import shlex
from pathlib import Path

import pytest
from conftest import ROOT, kiosk_env, run_kiosk

from kiosk.app import autostart
from kiosk.app.commands import parse_size, prompts_path


def test_bad_flags_get_a_clear_message(tmp_path: Path) -> None:
    r = run_kiosk("run", "--size", "big", "--data", str(tmp_path / "d"), cwd=tmp_path)
    assert r.returncode == 1 and "--size 'big' is not a window size" in r.stderr and "fix:" in r.stderr
    r = run_kiosk("run", "--prompts", "nowhere", "--data", str(tmp_path / "d"), cwd=tmp_path)
    assert r.returncode == 1 and "school" in r.stderr and "fix:" in r.stderr
    r = run_kiosk("run", "--fullscreen", "--windowed", cwd=tmp_path)
    assert r.returncode == 2 and "Traceback" not in r.stderr


def test_a_broken_question_set_is_named_before_any_window_opens(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("title: {en: X}\nlanguages: [en]\nprompts:\n  - id: q\n    kind: dance\n    text: {en: Hi}\n")
    r = run_kiosk("run", "--prompts", str(bad), "--data", str(tmp_path / "d"), cwd=tmp_path)
    assert r.returncode == 1 and "bad.yaml" in r.stderr and "Traceback" not in r.stderr


def test_sizes_and_shipped_question_sets() -> None:
    assert parse_size("1080x1920") == (1080, 1920) and parse_size(" 1280 X 800 ") == (1280, 800)
    assert prompts_path("forum-ouvert").name == "forum-ouvert.yaml"


def test_plain_pygame_shadowing_pygame_ce_is_named_with_the_fix(tmp_path: Path) -> None:
    fake = tmp_path / "shadow" / "pygame"
    fake.mkdir(parents=True)
    (fake / "__init__.py").write_text("# plain pygame: no IS_CE\nversion = None\n")
    env = kiosk_env(KIOSK_EXIT_AFTER_FIRST_FRAME="1")
    env["PYTHONPATH"] = f"{fake.parent}:{ROOT}"
    r = run_kiosk("run", "--data", str(tmp_path / "d"), cwd=tmp_path, env=env)
    assert r.returncode == 1
    assert "plain pygame is installed and shadows it" in r.stderr
    assert "pip uninstall pygame && pip install pygame-ce" in r.stderr


@pytest.mark.slow
def test_autostart_systemd_unit_install_and_remove(tmp_path: Path) -> None:
    config = tmp_path / "kiosk.yaml"
    config.write_text("fullscreen: true\n")
    units, entries = tmp_path / "units", tmp_path / "autostart"
    r = run_kiosk("autostart", "install", "--method", "systemd", "--no-enable", "--config", str(config),
                  "--data", str(tmp_path / "my data"), "--unit-dir", str(units), "--autostart-dir", str(entries),
                  cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    unit = configparser.ConfigParser(interpolation=None, strict=False)
    unit.optionxform = str
    unit.read(units / "kiosk.service")
    service = unit["Service"]
    assert service["Restart"] == "always"
    cmd = shlex.split(service["ExecStart"])
    assert cmd[1:5] == ["-m", "kiosk", "run", "--fullscreen"]
    assert cmd[cmd.index("--config") + 1] == str(config)
    assert cmd[cmd.index("--data") + 1] == str(tmp_path / "my data")
    assert unit["Install"]["WantedBy"] == "graphical-session.target"
    assert not entries.exists()
    r = run_kiosk("autostart", "remove", "--unit-dir", str(units), "--autostart-dir", str(entries), cwd=tmp_path)
    assert r.returncode == 0 and "Removed" in r.stdout
    assert not (units / "kiosk.service").exists()
    r = run_kiosk("autostart", "remove", "--unit-dir", str(units), "--autostart-dir", str(entries), cwd=tmp_path)
    assert r.returncode == 0 and "Nothing to remove" in r.stdout


@pytest.mark.slow
def test_autostart_without_systemd_writes_an_xdg_entry_that_restarts_itself(tmp_path: Path) -> None:
    entries = tmp_path / "autostart"
    env = kiosk_env(KIOSK_AUTOSTART_DIR=str(entries), KIOSK_SYSTEMD_USER_DIR=str(tmp_path / "units"))
    r = run_kiosk("autostart", "install", "--method", "xdg", "--data", str(tmp_path / "d"), cwd=tmp_path, env=env)
    assert r.returncode == 0, r.stderr
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str
    entry.read(entries / "kiosk.desktop")
    desktop = entry["Desktop Entry"]
    assert desktop["Type"] == "Application"
    cmd = shlex.split(desktop["Exec"])
    assert "--supervise" in cmd and "--fullscreen" in cmd and cmd[cmd.index("--data") + 1] == str(tmp_path / "d")
    r = run_kiosk("autostart", "remove", cwd=tmp_path, env=env)
    assert r.returncode == 0 and not (entries / "kiosk.desktop").exists()


def test_autostart_picks_xdg_when_systemd_is_not_running(tmp_path: Path) -> None:
    if autostart.systemd_user_available():
        return  # this machine has a systemd user manager: nothing to check here
    outcome = autostart.install(None, tmp_path / "d", unit_folder=tmp_path / "u", autostart_folder=tmp_path / "a")
    assert outcome.method == "xdg" and outcome.path == tmp_path / "a" / "kiosk.desktop"


@pytest.mark.slow
def test_supervise_stops_when_the_kiosk_is_quit_on_purpose(tmp_path: Path) -> None:
    r = run_kiosk("run", "--supervise", "--windowed", "--data", str(tmp_path / "d"), cwd=tmp_path,
                  env=kiosk_env(KIOSK_EXIT_AFTER_FIRST_FRAME="1"))
    assert r.returncode == 0, r.stderr


def test_run_without_a_screen_says_so_instead_of_running_invisibly(tmp_path) -> None:
    env = {k: v for k, v in kiosk_env().items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "SDL_VIDEODRIVER")}
    r = run_kiosk("run", "--data", str(tmp_path / "data"), env=env, timeout=60)
    assert r.returncode == 1
    assert "No screen to show the kiosk on" in r.stderr and "fix:" in r.stderr
    assert "Traceback" not in r.stderr
