"""`kiosk export` and `kiosk import` (registered by kiosk/cli.py)."""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from kiosk.cli import load_settings, open_store


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "export", parents=[common], help="export responses as a validated BagIt bag (or a ZIP of one)",
        description="Write the responses, their drawings (PNG, SVG, strokes) and metadata (CSV with Dublin Core "
                    "columns, JSON, a data dictionary) as a BagIt bag that `python -m bagit --validate` accepts.")
    p.add_argument("out", metavar="OUT", help="the bag folder to write (with --format zip: the .zip file)")
    p.add_argument("--session", action="append", metavar="S", dest="sessions",
                   help="only this session (its slug; repeat for several; default: all)")
    p.add_argument("--since", metavar="DATE", help="only responses created on or after DATE (YYYY-MM-DD)")
    p.add_argument("--format", choices=("bagit", "zip"), default="bagit", dest="fmt",
                   help="bagit: a bag folder (default); zip: the same bag as one ZIP file")
    p.add_argument("--include-site", action="store_true", help="add the static web archive under data/site/")
    p.add_argument("--include-hidden", action="store_true", help="include responses hidden by moderation")
    p.add_argument("--force", action="store_true",
                   help="replace OUT if it exists (only once the new export is complete)")
    p.set_defaults(func=cmd_export)

    p = sub.add_parser(
        "import", parents=[common], help="merge a bag (or .zip) from `kiosk export` into this data folder",
        description="Check the bag completely (files, checksums, records), then add its responses to this data "
                    "folder. Responses already here are skipped, so importing twice changes nothing.")
    p.add_argument("bag", metavar="BAG_OR_ZIP", help="a bag folder or a .zip written by `kiosk export`")
    p.set_defaults(func=cmd_import)


@contextmanager
def _progress_bar() -> Iterator[Callable[[str, int, int], None] | None]:
    """A rich progress bar on a terminal; nothing otherwise (logs, pipes, tests).

    It refreshes from the caller's thread (no refresh thread): the export forks worker
    processes, and a fork must not find another thread holding a lock.
    """
    if not sys.stderr.isatty():
        yield None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                  auto_refresh=False, transient=True) as bar:
        tasks: dict[str, int] = {}
        last = [0.0]

        def update(label: str, done: int, total: int) -> None:
            if label not in tasks:
                tasks[label] = bar.add_task(label, total=total)
            bar.update(tasks[label], completed=done, total=total)
            now = time.monotonic()
            if now - last[0] > 0.1 or done >= total:
                last[0] = now
                bar.refresh()

        yield update


def cmd_export(args: argparse.Namespace) -> int:
    from kiosk.export.bag import export_bag

    settings = load_settings(args)
    with open_store(args) as store, _progress_bar() as bar:
        result = export_bag(store, settings, Path(args.out), sessions=args.sessions, since=args.since,
                            fmt=args.fmt, include_site=args.include_site, include_hidden=args.include_hidden,
                            force=args.force, progress=(lambda d, t: bar("exporting", d, t)) if bar else None)
    what = "ZIP of a BagIt bag" if result.format == "zip" else "BagIt bag"
    print(f"Exported {result.responses} responses ({result.drawings} drawings, {result.print_only} print-only"
          + (f", {result.hidden} hidden" if args.include_hidden else "")
          + f") from {len(result.sessions)} session(s) to {result.path}")
    print(f"  a {what}: {result.files} files, {result.bytes / 1e6:.1f} MB, {result.external_identifier}")
    if result.format == "bagit":
        print(f"  check it with: python -m bagit --validate {result.path}")
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from kiosk.export.importer import import_bag

    with open_store(args) as store, _progress_bar() as bar:
        result = import_bag(store, Path(args.bag), progress=bar)
    print(f"Imported {result.imported} responses from {result.source} into {store.root}; "
          f"skipped {result.skipped} already here.")
    if result.sessions_created:
        print(f"  new sessions: {', '.join(result.sessions_created)}")
    for line in result.privacy:
        print(f"  kept private: {line}")
    return 0
