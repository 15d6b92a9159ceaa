"""`kiosk run` (the visitor kiosk) and `kiosk autostart install|remove` (an exhibition machine).

pygame is imported only when the kiosk runs, so every other command works without a display.
"""

from __future__ import annotations

import argparse
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

from kiosk.commandline import Subparsers, group, load_settings
from kiosk.errors import KioskError
from kiosk.pin import pin_is_default
from kiosk.prompts import available_sets, named_set

EXIT_AFTER_FIRST_FRAME = "KIOSK_EXIT_AFTER_FIRST_FRAME"
EVENT_SCRIPT = "KIOSK_EVENT_SCRIPT"


def register(sub: Subparsers, common: argparse.ArgumentParser) -> None:
    run = sub.add_parser("run", parents=[common], help="run the visitor kiosk",
                         description="Run the visitor kiosk. Flags override the settings file for this run.")
    screen = run.add_mutually_exclusive_group()
    screen.add_argument("--fullscreen", dest="fullscreen", action="store_true", default=None,
                        help="the whole screen, locked for visitors (settings: fullscreen: true)")
    screen.add_argument("--windowed", dest="fullscreen", action="store_false",
                        help="in a window: Escape and closing the window quit (settings: fullscreen: false)")
    run.add_argument("--size", metavar="WxH", help="window size in pixels, e.g. 1280x800 (default 1280x800; "
                                                   "fullscreen: the screen's own)")
    run.add_argument("--prompts", metavar="FILE", help="question set: a .yaml file or a shipped set's name "
                                                       "(settings: prompts)")
    run.add_argument("--supervise", action="store_true",
                     help="start the kiosk again whenever it stops with an error (used by autostart without systemd)")
    run.set_defaults(func=cmd_run)

    asub = group(sub, common, "autostart", "start the kiosk at login on an exhibition machine")
    install = asub.add_parser("install", parents=[common],
                              help="start `kiosk run --fullscreen` at login, and again whenever it stops")
    install.add_argument("--method", choices=("auto", "systemd", "xdg"), default="auto",
                         help="systemd user unit, or XDG autostart entry (default: systemd when it runs)")
    install.add_argument("--no-enable", dest="enable", action="store_false",
                         help="write the systemd unit without enabling it")
    remove = asub.add_parser("remove", parents=[common], help="undo `kiosk autostart install`")
    for p in (install, remove):
        p.add_argument("--unit-dir", metavar="DIR", help="where the systemd user unit goes "
                                                         "(default: ~/.config/systemd/user, or KIOSK_SYSTEMD_USER_DIR)")
        p.add_argument("--autostart-dir", metavar="DIR", help="where the XDG autostart entry goes "
                                                              "(default: ~/.config/autostart, or KIOSK_AUTOSTART_DIR)")
    install.set_defaults(func=cmd_autostart_install)
    remove.set_defaults(func=cmd_autostart_remove)


def parse_size(text: str) -> tuple[int, int]:
    m = re.fullmatch(r"\s*(\d{2,5})\s*[xX×]\s*(\d{2,5})\s*", text or "")
    if not m or not (320 <= int(m.group(1)) <= 16000 and 240 <= int(m.group(2)) <= 16000):
        raise KioskError(f"--size {text!r} is not a window size.", "write WIDTHxHEIGHT in pixels, e.g. --size 1280x800")
    return int(m.group(1)), int(m.group(2))


def prompts_path(value: str) -> Path:
    """A question set from --prompts: a file, or the name of a shipped set."""
    path = named_set(value)
    if path.is_file():
        return path.resolve()
    names = ", ".join(p.stem for p in available_sets())
    raise KioskError(f"--prompts {value}: there is no such file or shipped question set.",
                     f"give the path of a .yaml file, or one of: {names}")


def import_pygame():
    """pygame-ce, or a clear message when plain pygame (or none) is what Python finds."""
    os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
    # Fullscreen on Windows: Alt+F4 must not close the kiosk (the loop ignores the quit it sends elsewhere).
    os.environ.setdefault("SDL_WINDOWS_NO_CLOSE_ON_ALT_F4", "1")
    # SDL would turn SIGTERM into a window-close event, which a fullscreen kiosk ignores: the loop
    # handles SIGTERM itself (a clean stop), and Ctrl+C stays Python's.
    os.environ.setdefault("SDL_NO_SIGNAL_HANDLERS", "1")
    try:
        import pygame
    except ImportError as exc:
        raise KioskError(f"pygame-ce is not installed ({exc}).", "run: pip install pygame-ce") from exc
    if not getattr(pygame, "IS_CE", False):
        raise KioskError("The kiosk needs pygame-ce, but plain pygame is installed and shadows it.",
                         "run: pip uninstall pygame && pip install pygame-ce")
    return pygame


def cmd_run(args: argparse.Namespace) -> int:
    settings = load_settings(args)
    if args.fullscreen is not None:
        settings.fullscreen = args.fullscreen
        settings.sources["fullscreen"] = "--fullscreen" if args.fullscreen else "--windowed"
    if settings.fullscreen and pin_is_default(settings):
        # Locked down for visitors, with a PIN anyone can look up: the facilitator door would be open.
        raise KioskError("The kiosk will not start fullscreen with the default facilitator PIN.",
                         "choose a PIN first with: kiosk pin set (or try it in a window with --windowed)")
    if args.supervise:
        return supervise(sys.argv[1:])
    if args.prompts:
        settings.prompts = prompts_path(args.prompts)
        settings.sources["prompts"] = "--prompts"
    size = parse_size(args.size) if args.size else None

    from kiosk.prompts import load_prompt_set

    prompt_set = load_prompt_set(settings.prompts)
    pygame = import_pygame()
    script = None
    if os.environ.get(EVENT_SCRIPT):
        from kiosk.app.script import Script

        script = Script.load(os.environ[EVENT_SCRIPT])

    from kiosk.app.loop import App, Options

    options = Options(size=size, fullscreen=settings.fullscreen,
                      exit_after_first_frame=os.environ.get(EXIT_AFTER_FIRST_FRAME) == "1")
    try:
        app = App(settings, prompt_set, options)
    except pygame.error as exc:
        raise KioskError(f"Cannot open the kiosk's window: {exc}.",
                         "run it in a graphical session (DISPLAY or WAYLAND_DISPLAY set); to try it without a "
                         "screen, set SDL_VIDEODRIVER=dummy") from exc
    return app.run(script)


def supervise(argv: list[str]) -> int:
    """Run `kiosk run` again whenever it stops with an error, until it is quit on purpose (status 0)."""
    child_args = [a for a in argv if a != "--supervise"] or ["run", "--fullscreen"]
    child: subprocess.Popen | None = None

    def stop(signum, frame):  # logging out: stop the kiosk with us
        if child is not None and child.poll() is None:
            child.terminate()
        raise SystemExit(0)

    signal.signal(signal.SIGTERM, stop)
    while True:
        child = subprocess.Popen([sys.executable, "-m", "kiosk", *child_args])
        code = child.wait()
        if code == 0:
            return 0
        print(f"kiosk: the kiosk stopped (status {code}); starting it again in 2 s", file=sys.stderr)
        time.sleep(2)


def cmd_autostart_install(args: argparse.Namespace) -> int:
    from kiosk.app import autostart

    settings = load_settings(args)
    outcome = autostart.install(settings.file, settings.data, method=args.method, unit_folder=args.unit_dir,
                                autostart_folder=args.autostart_dir, enable=args.enable)
    kind = "systemd user unit" if outcome.method == "systemd" else "XDG autostart entry"
    print(f"Wrote the {kind} {outcome.path}")
    print(f"  it runs: kiosk run --fullscreen --data {settings.data}"
          + (f" --config {settings.file}" if settings.file else ""))
    for note in outcome.notes:
        print(f"  {note}")
    if pin_is_default(settings):
        print("  note: the kiosk will not start fullscreen until a facilitator PIN is set: run `kiosk pin set`"
              + (f" --config {settings.file}" if settings.file else ""))
    return 0


def cmd_autostart_remove(args: argparse.Namespace) -> int:
    from kiosk.app import autostart

    removed = autostart.remove(unit_folder=args.unit_dir, autostart_folder=args.autostart_dir)
    if not removed:
        print("Nothing to remove: the kiosk does not start at login.")
    for path in removed:
        print(f"Removed {path}")
    return 0
