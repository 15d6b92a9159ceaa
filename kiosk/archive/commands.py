"""`kiosk archive build` and `kiosk archive serve` (registered by kiosk/cli.py)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from kiosk.commandline import Subparsers, count, group, load_settings, open_store, progress_bar, steps


def register(sub: Subparsers, common: argparse.ArgumentParser) -> None:
    asub = group(sub, common, "archive", "build and serve the static web archive")

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

    serve = asub.add_parser("serve", parents=[common], help="serve the built site, read-only (this computer, "
                                                            "or the network given with --bind)",
                            description="Serve the built archive so that visitors on the same network "
                                        "(the exhibition's Wi-Fi) can open the zine's QR codes. Read-only: "
                                        "GET and HEAD only, nothing outside the site's folder. By default only "
                                        "this computer can open it; --bind names the network to serve.")
    serve.add_argument("--port", type=int, default=None, metavar="P", help="port to listen on (default: 8000)")
    serve.add_argument("--dir", type=Path, metavar="DIR", help="the site's folder (default: the data folder's site/)")
    serve.add_argument("--bind", "--host", dest="bind", default=None, metavar="ADDR",
                       help="address to listen on: 127.0.0.1 (the default: this computer only), one of this "
                            "computer's network addresses (e.g. 192.168.1.20: that network only), or all "
                            "(every network)")
    serve.set_defaults(func=cmd_serve)


def cmd_build(args: argparse.Namespace) -> int:
    from kiosk.archive.build import build_site

    settings = load_settings(args)
    with open_store(args) as store, progress_bar() as bar:
        result = build_site(store, settings, out=args.out, base_url=args.base_url, include_zine=args.include_zine,
                            progress=steps(bar, "archive"))
    for problem in result.problems:
        print(f"kiosk: left a drawing out: {problem}", file=sys.stderr)
    if result.problems:
        print("  fix: `kiosk check` names the damaged files; restore them from a backup or an export, "
              "then build again", file=sys.stderr)
    print(f"Archive in {result.out}: {count(result.responses, 'public response')} in {count(result.sessions, 'session')}; "
          f"{result.written} files written, {result.removed} removed, {result.unchanged} unchanged.")
    if result.withdrawn:
        print(f"{count(result.withdrawn, 'withdrawn response')} {'keeps' if result.withdrawn == 1 else 'keep'} "
              "a page at its address saying so (printed QR codes still lead there).")
    if result.unavailable:
        print(f"{count(result.unavailable, 'published response')} left out as not valid "
              f"{'has' if result.unavailable == 1 else 'have'} a page saying it cannot be shown for now, "
              "not that it was withdrawn: `kiosk check` names the records to repair.", file=sys.stderr)
    if not result.base_url:
        print("No base URL, so no sitemap.xml or feed.xml (they need absolute addresses) and no canonical links: "
              "set archive_base_url in kiosk.yaml or pass --base-url https://… to have them.")
    print(f"Open {result.out / 'index.html'} in a browser, or serve it with: kiosk archive serve"
          + (f" --dir {result.out}" if args.out else ""))
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from kiosk.archive.serve import (
        ALL,
        DEFAULT_PORT,
        bind_address,
        lan_addresses,
        make_server,
        server_urls,
        url_prefix,
    )

    settings = load_settings(args)
    directory = args.dir if args.dir is not None else Path(settings.data) / "site"
    port = DEFAULT_PORT if args.port is None else args.port
    bind = bind_address(args.bind)
    server = make_server(directory, bind, port, base_url=settings.archive_base_url or "")
    port = server.server_address[1]  # the real one when --port 0 asked for any free port
    addresses = server_urls(bind, port)
    print(f"Serving the archive in {directory.resolve()} (read-only) at:", flush=True)
    prefix = url_prefix(settings.archive_base_url or "")
    for url in addresses:
        print(f"  {url}" + (f" and {url.rstrip('/')}{prefix}/ (archive_base_url's path, where the QR codes lead)"
                            if prefix else ""), flush=True)
    lan = [u for u in addresses if "127.0.0.1" not in u and "[::1]" not in u]
    if lan:
        example = lan[0].rstrip("/")
        print(f"For the zine's QR codes to lead here, set `archive_base_url: {example}` in kiosk.yaml "
              f"(or pass --base-url {example}), then print the zine and run `kiosk archive build` again.", flush=True)
    elif bind in ALL:
        print("No network address found: connect this computer to the exhibition's Wi-Fi for visitors to reach it.",
              flush=True)
    else:
        found = lan_addresses()
        how = f"--bind {found[0]}" if found else "--bind ADDRESS (once this computer is on the exhibition's Wi-Fi)"
        print(f"Only this computer can open it. To serve visitors on the exhibition's Wi-Fi: "
              f"kiosk archive serve {how}" + (" (or --bind all for every network)" if found else ""), flush=True)
    print("Press Ctrl+C to stop.", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        print("Stopped.", flush=True)
    finally:
        server.server_close()
    return 0
