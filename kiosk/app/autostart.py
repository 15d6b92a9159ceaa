"""Start the kiosk at login and restart it if it ever stops: a systemd user unit
(Restart=always), or, where there is no systemd user manager, an XDG autostart entry whose
`kiosk run --supervise` restarts the kiosk itself. No pygame here.

The folders written to can be chosen (--unit-dir, --autostart-dir, or KIOSK_SYSTEMD_USER_DIR,
KIOSK_AUTOSTART_DIR), so that tests and unusual setups never touch the real ones.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from kiosk import atomic
from kiosk.errors import KioskError

UNIT_NAME = "kiosk.service"
DESKTOP_NAME = "kiosk.desktop"
METHODS = ("auto", "systemd", "xdg")


def _config_home() -> Path:
    return Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config")


def unit_dir(override: str | Path | None = None) -> Path:
    chosen = override or os.environ.get("KIOSK_SYSTEMD_USER_DIR")
    return Path(chosen).expanduser() if chosen else _config_home() / "systemd" / "user"


def autostart_dir(override: str | Path | None = None) -> Path:
    chosen = override or os.environ.get("KIOSK_AUTOSTART_DIR")
    return Path(chosen).expanduser() if chosen else _config_home() / "autostart"


def systemd_user_available() -> bool:
    """A systemd user manager this session can talk to."""
    if not shutil.which("systemctl") or not Path("/run/systemd/system").is_dir():
        return False
    try:
        proc = subprocess.run(["systemctl", "--user", "show-environment"], capture_output=True, timeout=10)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return proc.returncode == 0


def kiosk_command(config: Path | None, data: Path, *, supervise: bool = False) -> list[str]:
    """The command that runs this kiosk fullscreen, with absolute paths (a unit has no working folder of ours)."""
    cmd = [sys.executable, "-m", "kiosk", "run", "--fullscreen"]
    if supervise:
        cmd.append("--supervise")
    if config is not None:
        cmd += ["--config", str(Path(config).resolve())]
    cmd += ["--data", str(Path(data).resolve())]
    return cmd


def _systemd_quote(arg: str) -> str:
    if arg and all(c.isalnum() or c in "-_./:=+@,%" for c in arg):
        return arg
    return '"' + arg.replace("\\", "\\\\").replace('"', '\\"').replace("%", "%%").replace("$", "$$") + '"'


def _desktop_quote(arg: str) -> str:
    if arg and all(c.isalnum() or c in "-_./:=+@," for c in arg):
        return arg
    escaped = "".join("\\" + c if c in '"`$\\' else c for c in arg).replace("%", "%%")
    return f'"{escaped}"'


def unit_text(cmd: list[str], workdir: Path) -> str:
    return "\n".join([
        "# Written by `kiosk autostart install`; `kiosk autostart remove` deletes it.",
        "[Unit]",
        "Description=School of algorithmic solidarity drawing kiosk",
        "After=graphical-session.target",
        "PartOf=graphical-session.target",
        "",
        "[Service]",
        "Type=simple",
        f"WorkingDirectory={_systemd_quote(str(workdir))}",
        "ExecStart=" + " ".join(_systemd_quote(a) for a in cmd),
        "Restart=always",
        "RestartSec=2",
        "# \"Quit the kiosk\" on the facilitator screen exits with status 0: that one stays quit.",
        "RestartPreventExitStatus=0",
        "",
        "[Install]",
        "WantedBy=graphical-session.target",
        "",
    ])


def desktop_text(cmd: list[str], workdir: Path) -> str:
    return "\n".join([
        "[Desktop Entry]",
        "Type=Application",
        "Name=Drawing kiosk",
        "Comment=School of algorithmic solidarity drawing kiosk (kiosk autostart install)",
        "Exec=" + " ".join(_desktop_quote(a) for a in cmd),
        f"Path={workdir}",
        "Terminal=false",
        "X-GNOME-Autostart-enabled=true",
        "",
    ])


@dataclass
class Outcome:
    method: str
    path: Path
    notes: list[str]


def _write(path: Path, text: str) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise atomic.disk_error(path.parent, exc, "") from exc
    atomic.write_text(path, text)


def _systemctl(*args: str) -> tuple[bool, str]:
    try:
        proc = subprocess.run(["systemctl", "--user", *args], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return False, str(exc)
    return proc.returncode == 0, (proc.stderr or proc.stdout).strip()


def install(config: Path | None, data: Path, *, method: str = "auto", unit_folder: str | Path | None = None,
            autostart_folder: str | Path | None = None, enable: bool = True) -> Outcome:
    """Write the unit (and enable it) or the autostart entry; returns what was done."""
    if method not in METHODS:
        raise KioskError(f"There is no autostart method {method!r}.", f"use one of: {', '.join(METHODS)}")
    if method == "auto":
        method = "systemd" if systemd_user_available() else "xdg"
    workdir = Path(config).resolve().parent if config else Path.cwd()
    if method == "systemd":
        path = unit_dir(unit_folder) / UNIT_NAME
        _write(path, unit_text(kiosk_command(config, data), workdir))
        notes = []
        if enable:
            ok, out = _systemctl("daemon-reload")
            ok = ok and _systemctl("enable", UNIT_NAME)[0]
            if not ok:
                raise KioskError(f"Wrote {path}, but systemd could not enable it: {out or 'no user manager'}.",
                                 f"run: systemctl --user daemon-reload && systemctl --user enable {UNIT_NAME}")
            notes.append(f"enabled: it starts at the next login (now: systemctl --user start {UNIT_NAME})")
        else:
            notes.append(f"not enabled: run systemctl --user daemon-reload && systemctl --user enable {UNIT_NAME}")
        return Outcome("systemd", path, notes)
    path = autostart_dir(autostart_folder) / DESKTOP_NAME
    _write(path, desktop_text(kiosk_command(config, data, supervise=True), workdir))
    return Outcome("xdg", path, ["it starts at the next graphical login and restarts itself if it stops"])


def remove(*, unit_folder: str | Path | None = None, autostart_folder: str | Path | None = None,
           disable: bool = True) -> list[Path]:
    """Delete the unit (disabled first) and the autostart entry; returns the files removed."""
    removed = []
    unit = unit_dir(unit_folder) / UNIT_NAME
    if unit.exists():
        if disable and systemd_user_available():
            _systemctl("disable", UNIT_NAME)
        try:
            unit.unlink()
        except OSError as exc:
            raise atomic.disk_error(unit.parent, exc, "") from exc
        if disable and systemd_user_available():
            _systemctl("daemon-reload")
        removed.append(unit)
    entry = autostart_dir(autostart_folder) / DESKTOP_NAME
    if entry.exists():
        try:
            entry.unlink()
        except OSError as exc:
            raise atomic.disk_error(entry.parent, exc, "") from exc
        removed.append(entry)
    return removed
