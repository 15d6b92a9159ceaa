"""The `kiosk` command: thin. It parses arguments and calls the rooms below it.

Each room registers its own subcommands (kiosk/<room>/commands.py `register(sub, common)`),
so that every command is also a plain Python function elsewhere.
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
from kiosk import config as config_mod
from kiosk.errors import KioskError

# Rooms that add subcommands; each module has register(sub, common).
ROOMS = [
    "kiosk.commands",
    "kiosk.config_commands",
    "kiosk.app.commands",
    "kiosk.zine.commands",
    "kiosk.archive.commands",
    "kiosk.export.commands",
    "kiosk.printing_commands",
]


def common_options() -> argparse.ArgumentParser:
    """--config and --data, accepted before or after any subcommand."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--config", metavar="FILE", default=argparse.SUPPRESS,
                        help="settings file (default: kiosk.yaml in the working folder, else built-in defaults)")
    common.add_argument("--data", metavar="DIR", default=argparse.SUPPRESS,
                        help="data folder to work on (default: KIOSK_DATA, else the settings' data folder)")
    return common


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # argparse's usage errors: short, exit 2
        self.print_usage(sys.stderr)
        sys.stderr.write(f"kiosk: error: {message}\n  fix: see `{self.prog} --help`\n")
        raise SystemExit(2)


def build_parser() -> argparse.ArgumentParser:
    common = common_options()
    parser = _Parser(prog="kiosk", description="The School of algorithmic solidarity's drawing kiosk.",
                     parents=[common])
    parser.add_argument("--version", action="version", version=f"kiosk {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for room in ROOMS:
        importlib.import_module(room).register(sub, common)
    return parser


def load_settings(args: argparse.Namespace) -> config_mod.Settings:
    return config_mod.load(getattr(args, "config", None), getattr(args, "data", None))


def open_store(args: argparse.Namespace, *, sync: bool = True):  # -> kiosk.store.Store
    from kiosk.store import Store

    settings = load_settings(args)
    store = Store(settings.data, settings.kiosk_id, sync=sync)
    for notice in store.notices:  # an index moved aside, records quarantined just now
        print(f"kiosk: {notice}", file=sys.stderr)
    if not store.notices:
        n = store.quarantined_count()
        if n:
            print(f"kiosk: {n} record(s) left out (quarantined) as not valid; `kiosk check` names them "
                  "and the fix.", file=sys.stderr)
    store.notices.clear()
    return store


def _log_crash(args: argparse.Namespace | None) -> Path | None:
    """Keep the traceback for whoever fixes the bug, out of the user's way."""
    try:
        folder = load_settings(args).data / "logs" if args is not None else Path.cwd()
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / "kiosk-cli-errors.log"
        with open(path, "a", encoding="utf-8") as f:
            f.write(f"--- {datetime.now().isoformat(timespec='seconds')} kiosk {' '.join(sys.argv[1:])}\n")
            f.write(traceback.format_exc())
        return path
    except Exception:
        return None


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = None
    try:
        args = parser.parse_args(argv)
        func: Callable[[argparse.Namespace], int | None] | None = getattr(args, "func", None)
        if func is None:
            parser.print_help()
            return 2
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
