"""What every command module uses: groups of subcommands, the settings and the store, sessions
named by slug or title, and the progress bar.

The command modules (kiosk/commands.py and kiosk/<room>/commands.py) import from here, never
from kiosk.cli, which only assembles them.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from kiosk import config
from kiosk.errors import KioskError

if TYPE_CHECKING:
    from kiosk.store import Store

Subparsers = argparse._SubParsersAction
Progress = Callable[[str, int, int], None]  # progress(label, done, total)

USAGE_EXIT = 2  # a command given without its subcommand prints its help and exits 2, like a usage error


class Parser(argparse.ArgumentParser):
    """argparse with short usage errors that name the fix."""

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        sys.stderr.write(f"kiosk: error: {message}\n  fix: see `{self.prog} --help`\n")
        raise SystemExit(USAGE_EXIT)


def count(n: int, noun: str) -> str:
    """'1 problem', '2 problems': English messages of the commands."""
    return f"{n} {noun}" + ("" if n == 1 else "s")


def common_options() -> argparse.ArgumentParser:
    """--config and --data, accepted before or after any subcommand."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--config", metavar="FILE", default=argparse.SUPPRESS,
                        help="settings file (default: kiosk.yaml in the working folder, else built-in defaults)")
    common.add_argument("--data", metavar="DIR", default=argparse.SUPPRESS,
                        help="data folder to work on (default: KIOSK_DATA, else the settings' data folder)")
    return common


def show_help(parser: argparse.ArgumentParser) -> int:
    """A command that needs a subcommand, given none: its help, on standard error, exit 2."""
    parser.print_help(sys.stderr)
    return USAGE_EXIT


def group(sub: Subparsers, common: argparse.ArgumentParser, name: str, help: str,
          description: str | None = None) -> Subparsers:
    """A command with subcommands of its own (`kiosk zine build`); alone, it prints its help."""
    parser = sub.add_parser(name, parents=[common], help=help, description=description or help)
    parser.set_defaults(func=lambda args: show_help(parser))
    return parser.add_subparsers(dest=f"{name.replace('-', '_')}_command", metavar="ACTION", parser_class=Parser)


def load_settings(args: argparse.Namespace) -> config.Settings:
    return config.load(getattr(args, "config", None), getattr(args, "data", None))


def open_store(args: argparse.Namespace, *, sync: bool = True, create: bool = False) -> Store:
    """The data folder's store. Only the commands that record answers (`create`: session start,
    import, demo-data) make a data folder that is not there: any other command on a mistyped --data
    would report an empty folder as all clear, and leave it behind."""
    from kiosk.store import Store

    settings = load_settings(args)
    if not create and not Path(settings.data).is_dir():
        raise KioskError(f"There is no data folder at {settings.data}.",
                         "check the path given to --data (or KIOSK_DATA, or data: in kiosk.yaml); "
                         "`kiosk session start` or `kiosk import` makes a new one")
    _refuse_other_folder(Path(settings.data), create)
    store = Store(settings.data, settings.kiosk_id, sync=sync)
    for notice in store.notices:  # an index moved aside, records quarantined just now
        print(f"kiosk: {notice}", file=sys.stderr)
    if not store.notices:
        n = store.quarantined_count()
        if n:
            print(f"kiosk: {count(n, 'record')} left out (quarantined) as not valid; `kiosk check` names them "
                  "and the fix.", file=sys.stderr)
    store.notices.clear()
    return store


def _refuse_other_folder(folder: Path, create: bool) -> None:
    """A folder that is something else: a bag (an archivist's easy slip: `--data` given the bag
    instead of `kiosk import BAG`) is never written into, and a folder of other files is not
    reported as an all-clear data folder of 0 responses, nor filled with an index and sessions/."""
    try:
        _refuse_bag_or_other(folder, create)
    except OSError:
        pass  # a folder this user may not read: opening the store names it and the fix


def _refuse_bag_or_other(folder: Path, create: bool) -> None:
    if not folder.is_dir() or any((folder / name).exists() for name in ("sessions", "kiosk.json", "index.sqlite")):
        return
    if (folder / "bagit.txt").is_file():
        raise KioskError(f"{folder} is a bag (it holds bagit.txt), not a data folder; nothing was changed.",
                         f"to merge the bag into a data folder: kiosk import {folder} --data DATA_FOLDER; "
                         "--data names the data folder to work on")
    # Hidden files do not count: a fresh checkout's output/ holds .gitkeep, a Mac's folders .DS_Store.
    if not create and any(not p.name.startswith(".") for p in folder.iterdir()):
        raise KioskError(f"{folder} is not a data folder: it holds no sessions/ folder and no kiosk.json; "
                         "nothing was changed.",
                         "check the path given to --data (or KIOSK_DATA, or data: in kiosk.yaml); "
                         "`kiosk session start` or `kiosk import` makes a new one")


def session_slug(store: Store, name: str) -> str:
    """The slug of the session named by its slug or by its title (which must be unique)."""
    sessions = store.sessions()
    if any(s.slug == name for s in sessions):
        return name
    wanted = name.strip().casefold()
    titled = [s for s in sessions if s.title.strip().casefold() == wanted]
    if len(titled) == 1:
        return titled[0].slug
    if titled:
        raise KioskError(f"{len(titled)} sessions are titled '{name}'.",
                         "name one by its slug: " + ", ".join(s.slug for s in titled))
    if not sessions:
        raise KioskError(f"No session '{name}': there are no sessions in {store.root}.",
                         'start one with `kiosk session start "TITLE"`, or point --data at another data folder')
    known = ", ".join(f"{s.slug} ({s.title})" for s in sessions[:8]) + (", …" if len(sessions) > 8 else "")
    raise KioskError(f"No session '{name}' in {store.root}.",
                     f"give a slug or a title: {known}; `kiosk session list` shows them all")


def session_slugs(store: Store, names: list[str] | None) -> list[str] | None:
    """session_slug for each of repeated --session options (None when none was given)."""
    return [session_slug(store, name) for name in names] if names else None


SESSION_HELP = "a session, by its slug or its title"


@contextmanager
def progress_bar() -> Iterator[Progress | None]:
    """A progress bar on a terminal (one line per label); None when the output is a file or a pipe.

    It refreshes from the caller's thread, never from a thread of its own: no thread runs
    beside the worker processes the commands start.
    """
    if not sys.stderr.isatty():
        yield None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeRemainingColumn

    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                  auto_refresh=False, transient=True) as bar:
        tasks: dict[str, TaskID] = {}
        last = 0.0

        def update(label: str, done: int, total: int) -> None:
            nonlocal last
            if label not in tasks:
                tasks[label] = bar.add_task(label, total=total or None)
            bar.update(tasks[label], completed=done, total=total or None)
            now = time.monotonic()
            if now - last > 0.1 or done >= total:
                last = now
                bar.refresh()

        yield update


def steps(bar: Progress | None, label: str) -> Callable[[int, int], None] | None:
    """The bar as the rooms' progress(done, total), under one label."""
    if bar is None:
        return None
    return lambda done, total: bar(label, done, total)
