"""`kiosk zine build`: a session's drawings as a printable PDF zine."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk.commandline import (
    SESSION_HELP,
    Subparsers,
    count,
    group,
    load_settings,
    open_store,
    progress_bar,
    session_slugs,
    steps,
)
from kiosk.errors import KioskError
from kiosk.zine.imposition import LAYOUTS, PAPERS

if TYPE_CHECKING:
    from kiosk.store import Store


def register(sub: Subparsers, common: argparse.ArgumentParser) -> None:
    zsub = group(sub, common, "zine", "make a printable zine of a session")
    build = zsub.add_parser(
        "build", parents=[common], help="write a session's zine as a PDF",
        description="Compile a session's shown responses into a PDF zine: a cover, the questions, one page "
                    "per response (with a QR code to the archive for public ones), the tallies, a colophon.")
    build.add_argument("--session", action="append", metavar="S",
                       help=f"{SESSION_HELP}; repeat to join sessions (default: the running session, "
                            "else the most recent one)")
    build.add_argument("--layout", choices=LAYOUTS, default="minizine",
                       help="minizine: one sheet folded into 8 pages; booklet: folded and stapled; "
                            "pages: one A5 or half-Letter page each (default: minizine)")
    build.add_argument("--paper", choices=PAPERS, default="a4", help="sheet size (default: a4)")
    build.add_argument("--out", metavar="FILE", type=Path,
                       help="PDF to write (default: DATA/zines/SESSION-LAYOUT-PAPER.pdf)")
    build.add_argument("--base-url", metavar="URL",
                       help="the archive's address for the QR codes (default: archive_base_url from the settings)")
    build.add_argument("--title", metavar="T", help="title on the cover (default: the session's title)")
    build.add_argument("--cover", metavar="ID", help="response whose drawing goes on the cover "
                                                     "(default: a typographic cover, no drawing)")
    build.add_argument("--sheets-per-volume", type=int, metavar="N",
                       help="booklet: at most N sheets per volume, each stapled on its own; minizine: warn above N "
                            "sheets (default: zine_sheets_per_volume in the settings, 12)")
    build.add_argument("--grey", action="store_true", default=None,
                       help="print the pen colours as distinct greys, for photocopying (default: zine_grey)")
    build.add_argument("--paper-thickness", type=float, metavar="MM",
                       help="paper thickness in mm for the booklet's creep compensation "
                            "(default: paper_thickness_mm in the settings, 0.1)")
    build.set_defaults(func=cmd_zine_build)


def default_session(store: Store) -> str:
    """The running session, else the most recent one of this kiosk, else the most recent one. A
    session imported from another kiosk whose clock was wrong (dated years ahead) would otherwise
    be the "most recent" for years."""
    current = store.current_session()
    if current is not None:
        return current.slug
    sessions = store.sessions()
    if not sessions:
        raise KioskError(f"There are no sessions in {store.root}.",
                         'start one with `kiosk session start "TITLE"`, or point --data at another data folder')
    own = [s for s in sessions if s.kiosk_id == store.kiosk_id]
    return (own or sessions)[0].slug


def cmd_zine_build(args: argparse.Namespace) -> int:
    from kiosk.zine.build import build_zine

    settings = load_settings(args)
    if args.paper_thickness is not None and not 0 <= args.paper_thickness <= 0.3:
        raise KioskError(f"--paper-thickness {args.paper_thickness} is out of range.",
                         "give the paper's thickness in mm, from 0 to 0.3 (office paper: 0.1)")
    said: list[str] = []

    def announce(ahead) -> None:
        """What it will take, said before any drawing is read."""
        print(f"This zine will take {ahead.describe('en')}.", file=sys.stderr, flush=True)
        if ahead.warning("en"):
            said.append(ahead.warning("en"))
            print(f"warning: {ahead.warning('en')}", file=sys.stderr, flush=True)

    with open_store(args) as store, progress_bar() as bar:
        sessions = session_slugs(store, args.session) or [default_session(store)]
        if not args.session:
            print(f"note: no --session given: the zine of {sessions[0]}, the latest session of this kiosk",
                  file=sys.stderr)
        result = build_zine(store, settings, sessions, layout=args.layout, paper=args.paper, out=args.out,
                            base_url=args.base_url, title=args.title, cover=args.cover, progress=steps(bar, "zine"),
                            sheets_per_volume=args.sheets_per_volume, grey=args.grey,
                            paper_thickness_mm=args.paper_thickness, on_plan=announce)
        quarantined = store.quarantined_count()
    for warning in result.warnings:
        if warning not in said:
            print(f"note: {warning}", file=sys.stderr)
    print(result.path)
    parts = ""
    if result.plan is not None and len(result.plan.parts) > 1:
        what = "volumes" if args.layout == "booklet" else "complete minizines"
        parts = f", {len(result.plan.parts)} {what}"
    print(f"{result.pages} pages on {result.sheets} sheet{'s' if result.sheets != 1 else ''} "
          f"({args.layout}, {args.paper}; {count(result.pdf_pages, 'PDF page')}{parts})")
    if result.left_out:
        print(f"Left out {len(result.left_out)}:")
        for item in result.left_out:
            print(f"  {item}")
    elif quarantined:  # said when the store opened: not in the zine either
        print(f"Left out nothing else ({count(quarantined, 'record')} not valid, in no zine until repaired: "
              "`kiosk check` names them).")
    else:
        print("Left out nothing.")
    return 0
