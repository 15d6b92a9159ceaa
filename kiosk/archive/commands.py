"""`kiosk archive build` and `kiosk archive serve` (registered by kiosk/cli.py)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from kiosk.cli import load_settings, open_store
from kiosk.errors import KioskError


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    archive = sub.add_parser("archive", parents=[common], help="build and serve the static web archive")
    asub = archive.add_subparsers(dest="archive_command", metavar="ACTION", required=True)

    build = asub.add_parser("build", parents=[common], help="write (or bring up to date) the static site",
                            description="Write the static archive of the public, visible responses: "
                                        "index.html, s/SESSION/index.html, r/ID/index.html. Building again "
                                        "writes only what changed and removes what is no longer public.")
    build.add_argument("--out", metavar="DIR", type=Path,
                       help="the site's folder (default: the data folder's site/)")
    build.add_argument("--base-url", metavar="URL",
                       help="the address the site is published at, printed in citations "
                            "(default: archive_base_url from the settings)")
    build.add_argument("--include-zine", action="store_true",
                       help="make a zine PDF (layout pages) for each session that can go online whole and "
                            "has none up to date in the data folder, and link it from the session's page")
    build.set_defaults(func=cmd_build)

    serve = asub.add_parser("serve", parents=[common], help="serve the built site on the local network, read-only",
                            description="Serve the built archive so that visitors on the same network "
                                        "(the exhibition's Wi-Fi) can open the zine's QR codes. Read-only: "
                                        "GET and HEAD only, nothing outside the site's folder.")
    serve.add_argument("--port", type=int, default=None, metavar="P", help="port to listen on (default: 8000)")
    serve.add_argument("--dir", type=Path, metavar="DIR", help="the site's folder (default: the data folder's site/)")
    serve.add_argument("--bind", default=None, metavar="ADDR",
                       help="address to listen on (default: 0.0.0.0, every network; 127.0.0.1: this computer only)")
    serve.set_defaults(func=cmd_serve)


def cmd_build(args: argparse.Namespace) -> int:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    from kiosk.archive.build import build_site

    settings = load_settings(args)
    columns = (TextColumn("archive"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with open_store(args) as store, Progress(*columns, transient=True, disable=not sys.stderr.isatty(),
                                             console=None) as bar:
        task = bar.add_task("archive", total=None)
        result = build_site(store, settings, out=args.out, base_url=args.base_url, include_zine=args.include_zine,
                            progress=lambda done, total: bar.update(task, completed=done, total=total))
    for problem in result.problems:
        print(f"kiosk: left a drawing out: {problem}", file=sys.stderr)
    if result.problems:
        print("  fix: `kiosk check` names the damaged files; restore them from a backup or an export, "
              "then build again", file=sys.stderr)
    print(f"Archive in {result.out}: {_n(result.responses, 'public response')} in {_n(result.sessions, 'session')}; "
          f"{result.written} files written, {result.removed} removed, {result.unchanged} unchanged.")
    if result.withdrawn:
        print(f"{_n(result.withdrawn, 'withdrawn response')} {'keeps' if result.withdrawn == 1 else 'keep'} "
              "a page at its address saying so (printed QR codes still lead there).")
    if not result.base_url:
        print("No base URL, so no sitemap.xml or feed.xml (they need absolute addresses) and no canonical links: "
              "set archive_base_url in kiosk.yaml or pass --base-url https://… to have them.")
    print(f"Open {result.out / 'index.html'} in a browser, or serve it with: kiosk archive serve"
          + (f" --dir {result.out}" if args.out else ""))
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from kiosk.archive.serve import DEFAULT_BIND, DEFAULT_PORT, make_server, server_urls

    settings = load_settings(args)
    directory = args.dir if args.dir is not None else Path(settings.data) / "site"
    port = DEFAULT_PORT if args.port is None else args.port
    bind = args.bind or DEFAULT_BIND
    if not 0 <= port <= 65535:
        raise KioskError(f"--port {port} is not a port number.", "use a number from 1024 to 65535, e.g. --port 8000")
    server = make_server(directory, bind, port)
    port = server.server_address[1]  # the real one when --port 0 asked for any free port
    addresses = server_urls(bind, port)
    print(f"Serving the archive in {directory.resolve()} (read-only) at:", flush=True)
    for url in addresses:
        print(f"  {url}", flush=True)
    lan = [u for u in addresses if "127.0.0.1" not in u]
    if lan:
        example = lan[0].rstrip("/")
        print(f"For the zine's QR codes to lead here, set `archive_base_url: {example}` in kiosk.yaml "
              f"(or pass --base-url {example}), then print the zine and run `kiosk archive build` again.", flush=True)
    elif bind in ("127.0.0.1", "localhost", "::1"):
        print("Only this computer can open it; leave out --bind to serve the local network.", flush=True)
    else:
        print("No network address found: connect this computer to the exhibition's Wi-Fi for visitors to reach it.",
              flush=True)
    print("Press Ctrl+C to stop.", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        print("Stopped.", flush=True)
    finally:
        server.server_close()
    return 0


def _n(count: int, noun: str) -> str:
    return f"{count} {noun}" + ("" if count == 1 else "s")
