"""`kiosk export` and `kiosk import` (registered by kiosk/cli.py)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from kiosk.commandline import (
    SESSION_HELP,
    Subparsers,
    count,
    load_settings,
    open_store,
    progress_bar,
    session_slugs,
    steps,
)

EXIT_INCOMPLETE = 3  # the export was written, without the responses it names


def register(sub: Subparsers, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "export", parents=[common], help="export responses as a validated BagIt bag (or a ZIP of one)",
        description="Write the responses, their drawings (PNG, SVG, strokes) and metadata (CSV with Dublin Core "
                    "columns, JSON, a data dictionary) as a BagIt bag that `python -m bagit --validate` accepts.")
    p.add_argument("out", metavar="OUT", help="the bag folder to write (with --format zip: the .zip file)")
    p.add_argument("--session", action="append", metavar="S", dest="sessions",
                   help=f"only this session ({SESSION_HELP}; repeat for several; default: all)")
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


def cmd_export(args: argparse.Namespace) -> int:
    from kiosk.export.bag import export_bag
    from kiosk.export.validate import listing

    settings = load_settings(args)
    with open_store(args) as store, progress_bar() as bar:
        result = export_bag(store, settings, Path(args.out), sessions=session_slugs(store, args.sessions),
                            since=args.since, fmt=args.fmt, include_site=args.include_site,
                            include_hidden=args.include_hidden, force=args.force, progress=steps(bar, "exporting"))
    what = "ZIP of a BagIt bag" if result.format == "zip" else "BagIt bag"
    print(f"Exported {result.responses} responses ({result.drawings} drawings, {result.print_only} print-only"
          + (f", {result.hidden} hidden" if args.include_hidden else "")
          + f") from {len(result.sessions)} session(s) to {result.path}")
    print(f"  a {what}: {result.files} files, {result.bytes / 1e6:.1f} MB, {result.external_identifier}")
    if result.format == "bagit":
        print(f"  check it with: python -m bagit --validate {result.path}")
    if result.left_out:
        print(f"kiosk: left out {count(len(result.left_out), 'response')} whose drawing files are damaged or "
              f"missing (the others are all in the export):\n{listing(result.problems)}\n"
              "  fix: restore those files from a backup or an earlier export (`kiosk check` lists them), then "
              "export again with --force; or hide those responses (`kiosk hide ID`)", file=sys.stderr)
    if not result.responses:  # a valid bag all the same (a weekly export of a quiet week)
        why = f"none since {args.since}" if args.since else "none in the sessions chosen" if args.sessions else \
            "the data folder holds none"
        print(f"kiosk: note: the export holds no responses ({why}); `kiosk responses list` shows what there is",
              file=sys.stderr)
    # Written but incomplete: a script (a weekly `--since` export) must see it, and 3 tells it
    # from a failure (1) that wrote nothing.
    return EXIT_INCOMPLETE if result.left_out else 0


def cmd_import(args: argparse.Namespace) -> int:
    from kiosk.export.importer import import_bag

    with open_store(args, create=True) as store, progress_bar() as bar:
        result = import_bag(store, Path(args.bag), progress=bar)
    print(f"Imported {result.imported} responses from {result.source} into {store.root}; "
          f"skipped {result.skipped} already here.")
    if result.sessions_created:
        print(f"  new sessions: {', '.join(result.sessions_created)}")
    for line in result.privacy:
        print(f"  kept private: {line}")
    for line in result.joined:
        print(f"  same session: {line}")
    return 0
