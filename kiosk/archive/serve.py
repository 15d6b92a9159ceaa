"""A small read-only web server for the built archive, for an exhibition's own Wi-Fi.

It serves the site's folder and nothing else: GET and HEAD only, no directory listings, no
hidden files (the build's manifest), nothing reached through a symbolic link that leaves the
folder, and `..` in a path leads nowhere. Visitors scan a QR code and see the drawing from
the kiosk itself, with no internet.
"""

from __future__ import annotations

import errno
import socket
from functools import partial
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

from kiosk.archive.pages import CSP
from kiosk.errors import KioskError

DEFAULT_PORT = 8000
DEFAULT_BIND = "0.0.0.0"


class SiteHandler(SimpleHTTPRequestHandler):
    """SimpleHTTPRequestHandler, narrowed to reading files that lie inside one folder."""

    server_version = "kiosk-archive"

    def version_string(self) -> str:
        return self.server_version  # no Python version for the curious
    extensions_map = {**SimpleHTTPRequestHandler.extensions_map,
                      ".html": "text/html; charset=utf-8", ".css": "text/css; charset=utf-8",
                      ".json": "application/json", ".svg": "image/svg+xml", ".png": "image/png"}

    def __init__(self, *args, directory: str, quiet: bool = False, **kwargs) -> None:
        self.quiet = quiet
        super().__init__(*args, directory=directory, **kwargs)

    def send_head(self):  # type: ignore[override]
        path = unquote(urlsplit(self.path).path)
        if any(part.startswith(".") for part in path.split("/") if part):  # .., hidden files, the manifest
            self.send_error(HTTPStatus.NOT_FOUND)
            return None
        target = Path(self.translate_path(self.path))
        root = Path(self.directory).resolve()
        try:
            real = target.resolve()
        except OSError:
            real = target
        if real != root and root not in real.parents:  # a link pointing out of the site
            self.send_error(HTTPStatus.NOT_FOUND)
            return None
        return super().send_head()

    def list_directory(self, path):  # type: ignore[override]
        self.send_error(HTTPStatus.NOT_FOUND)  # no listings: only pages the site links to
        return None

    def end_headers(self) -> None:
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")
        self.send_header("Content-Security-Policy", CSP)
        super().end_headers()

    def _refuse(self) -> None:
        body = b"This archive is read-only: GET and HEAD only.\n"
        self.close_connection = True  # the request's body, if any, is left unread
        self.send_response(HTTPStatus.METHOD_NOT_ALLOWED)
        self.send_header("Allow", "GET, HEAD")
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(body)

    do_POST = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = do_TRACE = do_CONNECT = _refuse  # noqa: N815

    def log_message(self, format: str, *args) -> None:  # noqa: A002
        if not self.quiet:
            super().log_message(format, *args)


def make_server(directory: Path, bind: str = DEFAULT_BIND, port: int = DEFAULT_PORT,
                quiet: bool = False) -> ThreadingHTTPServer:
    """A server for `directory` (not started: call serve_forever). Clear errors for a busy port."""
    directory = Path(directory)
    if not (directory / "index.html").is_file():
        raise KioskError(f"No archive has been built in {directory} yet.",
                         "build it first with: kiosk archive build" +
                         (f" --out {directory}" if directory.name != "site" else ""))
    handler = partial(SiteHandler, directory=str(directory.resolve()), quiet=quiet)
    family = socket.AF_INET6 if ":" in bind else socket.AF_INET
    server_class = type("ArchiveServer", (ThreadingHTTPServer,), {"address_family": family,
                                                                  "daemon_threads": True})
    try:
        return server_class((bind, port), handler)
    except OverflowError:
        raise KioskError(f"--port {port} is not a port number.", "use a number from 1024 to 65535, e.g. --port 8000") \
            from None
    except socket.gaierror:
        raise KioskError(f"--bind {bind!r} is not an address of this computer.",
                         "leave it out to serve on every network (0.0.0.0), or use 127.0.0.1 for this computer only") \
            from None
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise KioskError(f"Port {port} is already in use on {bind}: another program (or another "
                             "`kiosk archive serve`) is listening there.",
                             f"choose another port, e.g. --port {port + 1 if port else DEFAULT_PORT + 1}, "
                             "or stop the other program") from None
        if exc.errno in (errno.EACCES, errno.EPERM):
            raise KioskError(f"Port {port} needs administrator rights.",
                             "use a port from 1024 up, e.g. --port 8000") from None
        if exc.errno == errno.EADDRNOTAVAIL:
            raise KioskError(f"--bind {bind} is not an address of this computer.",
                             "leave it out to serve on every network (0.0.0.0), or use 127.0.0.1") from None
        raise KioskError(f"Cannot listen on {bind}:{port}: {exc.strerror or exc}.",
                         "try another --port or --bind") from None


def lan_addresses() -> list[str]:
    """This computer's IPv4 addresses on its networks, found without sending anything.

    A UDP socket "connected" to a private address sends no packet; it only asks the system
    which local address it would use. The host name's addresses fill in the rest.
    """
    found: list[str] = []

    def add(addr: str) -> None:
        if addr and not addr.startswith("127.") and addr != "0.0.0.0" and addr not in found:
            found.append(addr)

    for probe in ("10.255.255.255", "192.168.255.255", "172.31.255.255"):
        try:
            with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
                s.connect((probe, 9))
                add(s.getsockname()[0])
        except OSError:
            pass
    try:
        for info in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET):
            add(str(info[4][0]))
    except OSError:
        pass
    return found


def server_urls(bind: str, port: int) -> list[str]:
    """The addresses to give visitors (or to open here) for a server bound to `bind`."""
    if bind in ("0.0.0.0", "", "::"):
        hosts = lan_addresses() + ["127.0.0.1"]
    else:
        hosts = [f"[{bind}]" if ":" in bind else bind]
    return [f"http://{h}:{port}/" for h in hosts]

