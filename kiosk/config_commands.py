"""Subcommands of this room (registered by kiosk/cli.py): `prompts check`, `config show`, `pin set`.

Each is a thin wrapper over plain functions of kiosk.prompts and kiosk.config.
"""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from pathlib import Path

from kiosk import config, prompts
from kiosk import pin as pins
from kiosk.errors import KioskError


def _group(sub: argparse._SubParsersAction, common: argparse.ArgumentParser, name: str,
           help: str) -> argparse._SubParsersAction:
    """A command with subcommands of its own (`kiosk prompts check`); alone, it shows its help."""
    parser = sub.add_parser(name, parents=[common], help=help, description=help)
    parser.set_defaults(func=lambda args: _usage(parser))
    return parser.add_subparsers(dest=f"{name}_command", metavar="COMMAND")


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_help(sys.stderr)
    return 2


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """Add this room's subcommands."""
    group = _group(sub, common, "prompts", "check question sets (prompts/*.yaml)")
    p = group.add_parser("check", parents=[common], help="validate question sets; list every problem with its line",
                         description="Validate question sets and list every problem as FILE:LINE: message.")
    p.add_argument("files", nargs="*", metavar="FILE",
                   help="question set files (default: the settings' prompts file)")
    p.set_defaults(func=cmd_prompts_check)

    group = _group(sub, common, "config", "show the effective settings")
    p = group.add_parser("show", parents=[common], help="show every effective setting and where it comes from",
                         description="Show every effective setting, its value, and where it comes from.")
    p.add_argument("--json", action="store_true", help="print JSON instead of a table")
    p.set_defaults(func=cmd_config_show)

    group = _group(sub, common, "pin", "set the facilitator PIN")
    p = group.add_parser("set", parents=[common], help="set the facilitator PIN (stores only a salted hash)",
                         description="Set the facilitator PIN. Only a salted hash is stored, in the --config "
                                     "file or kiosk.yaml in the working folder (created if missing).")
    p.add_argument("--pin", metavar="PIN",
                   help="the new PIN, 4 to 8 digits (avoid: it stays in the shell history; "
                        "without it the PIN is asked twice, or read from one line of standard input)")
    p.set_defaults(func=cmd_pin_set)


def cmd_prompts_check(args: argparse.Namespace) -> int:
    names = args.files
    if not names:
        names = [str(config.load(getattr(args, "config", None), getattr(args, "data", None)).prompts)]
    return check_prompt_files(names)


def check_prompt_files(names: list[str]) -> int:
    """Print every problem as FILE:LINE: message, or one summary line per valid file. 1 if any problem."""
    failed = 0
    for name in names:
        prompt_set, problems = prompts.validate(Path(name), name)
        for problem in problems:
            print(problem)
        if problems or prompt_set is None:
            failed += 1
        else:
            print(prompts.summary(prompt_set, name))
    if failed:
        print(f"kiosk: problems in {failed} of {len(names)} question set file(s)\n"
              "  fix: correct them; the format is described in docs/prompts.md", file=sys.stderr)
        return 1
    return 0


def cmd_config_show(args: argparse.Namespace) -> int:
    settings = config.load(getattr(args, "config", None), getattr(args, "data", None))
    rows = config.as_display(settings)
    if args.json:
        print(json.dumps({"file": str(settings.file) if settings.file else None,
                          "settings": {key: {"value": value, "source": source} for key, value, source in rows}},
                         ensure_ascii=False, indent=1))
        return 0
    if settings.file:
        print(f"Settings file: {settings.file}")
    else:
        print(f"Settings file: none ({config.SETTINGS_NAME} not found in {Path.cwd()}); built-in defaults")
    width = max(len(key) for key, _, _ in rows)
    value_width = min(60, max(len(value) for _, value, _ in rows))
    for key, value, source in rows:
        print(f"{key:<{width}}  {value:<{value_width}}  {source}")
    return 0


def _read_pin() -> str:
    """Ask twice on a terminal; read one line when the PIN is piped in (scripts, tests)."""
    if not sys.stdin.isatty():
        line = sys.stdin.readline()
        if not line:
            raise KioskError("No PIN given: standard input was empty.", "pipe the PIN in, or use --pin")
        return line
    first = getpass.getpass("New PIN (4 to 8 digits): ")
    pins.check_pin(first)
    if getpass.getpass("Same PIN again: ") != first:
        raise KioskError("The two PINs differ; nothing was changed.", "run `kiosk pin set` again")
    return first


def cmd_pin_set(args: argparse.Namespace) -> int:
    pin = pins.check_pin(args.pin if args.pin is not None else _read_pin())
    if pin == pins.DEFAULT_PIN:
        raise KioskError(f"{pins.DEFAULT_PIN} is the default PIN that anyone can guess.", "choose another PIN")
    path = config.settings_path(getattr(args, "config", None))
    pins.write_pin_hash(path, pins.hash_pin(pin))
    print(f"PIN set: its salted hash is stored in {path} (the PIN itself is stored nowhere).")
    if not getattr(args, "config", None):
        print(f"The kiosk reads this file when started in {path.parent}, or with --config {path}.")
    return 0
