"""The `kiosk` command: thin. It parses arguments and calls the rooms below it.

Each room registers its own subcommands (kiosk/commands.py and kiosk/<room>/commands.py,
`register(sub, common)`), built with the helpers of kiosk/commandline.py, so that every
command is also a plain Python function elsewhere.
"""

from __future__ import annotations

import argparse
import importlib
import sys
import traceback
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from kiosk import __version__
from kiosk.commandline import Parser, common_options, load_settings, show_help
from kiosk.errors import KioskError

# Rooms that add subcommands; each module has register(sub, common).
ROOMS = [
    "kiosk.commands",
    "kiosk.app.commands",
    "kiosk.zine.commands",
    "kiosk.archive.commands",
    "kiosk.export.commands",
]


def build_parser() -> argparse.ArgumentParser:
    common = common_options()
    parser = Parser(prog="kiosk", description="The School of algorithmic solidarity's drawing kiosk.",
                    parents=[common])
    parser.add_argument("--version", action="version", version=f"kiosk {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)
    for room in ROOMS:
        importlib.import_module(room).register(sub, common)
    parser.set_defaults(func=lambda args: show_help(parser))
    return parser


def _log_crash(args: argparse.Namespace | None) -> Path | None:
    """Keep the traceback for whoever fixes the bug, out of the user's way."""
    details = traceback.format_exc()
    try:
        folder = load_settings(args).data / "logs" if args is not None else Path.cwd()
    except KioskError:  # the settings themselves are wrong: keep the log where the command ran
        folder = Path.cwd()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / "kiosk-cli-errors.log"
        with open(path, "a", encoding="utf-8") as f:
            f.write(f"--- {datetime.now().isoformat(timespec='seconds')} kiosk {' '.join(sys.argv[1:])}\n")
            f.write(details)
        return path
    except OSError as exc:
        print(f"kiosk: could not keep the details in {folder} ({exc.strerror or exc})", file=sys.stderr)
        return None


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = None
    try:
        args = parser.parse_args(argv)
        func: Callable[[argparse.Namespace], int | None] = args.func
        return int(func(args) or 0)
    except KioskError as exc:
        print(f"kiosk: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("kiosk: stopped.", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:  # a bug: never show a traceback to a user
        where = _log_crash(args)
        print(f"kiosk: unexpected error: {exc.__class__.__name__}: {exc}", file=sys.stderr)
        if where:
            print(f"  the details are in {where}; please report them", file=sys.stderr)
        return 1
