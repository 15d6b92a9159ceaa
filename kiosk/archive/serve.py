"""A small read-only web server for the built archive, for an exhibition's own Wi-Fi.

It serves the site's folder and nothing else: GET and HEAD only, no directory listings, no
hidden files (the build's manifest), nothing reached through a symbolic link that leaves the
folder, and `..` in a path leads nowhere. Visitors scan a QR code and see the drawing from
the kiosk itself, with no internet.

One thread per connection (the stdlib's ThreadingHTTPServer, accepting every waiting connection
at each wake-up), HTTP/1.1 with keep-alive, a listen backlog that absorbs a crowd scanning at
once, and a timeout on every connection so
that idle or slow ones are dropped instead of holding threads for ever. Files are answered
with ETag and Last-Modified so that phones revalidate with a 304 instead of downloading again.
"""

from __future__ import annotations

import _thread
import errno
import html
import io
import ipaddress
import os
import socket
import stat
import sys
import threading
import time
from collections import Counter
from email.utils import formatdate, parsedate_to_datetime
from functools import partial
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, BinaryIO
from urllib.parse import unquote, urlsplit

from kiosk.archive.strings import word
from kiosk.errors import KioskError

DEFAULT_PORT = 8000
# This computer only, until `--bind` says which network to serve: a kiosk often sits on a
# venue's shared network, and an archive should reach only the network it is meant for.
DEFAULT_BIND = "127.0.0.1"
ALL = ("0.0.0.0", "::", "")
IDLE_TIMEOUT_S = 10.0  # a connection silent this long (between or inside requests) is dropped
# A request's line and headers must all arrive within twice the idle timeout: a client sending
# them a byte at a time ("slowloris") would otherwise hold a thread for ever, each byte
# arriving just before the idle timeout.
HEAD_TIMEOUTS = 2
BACKLOG = 512  # connections waiting to be accepted: a crowd scanning the same QR code at once
SMALL = 256 * 1024  # files up to this size are sent with their headers in one write
ACCEPT_BATCH = 256  # connections accepted in one go after the listening loop wakes
FULL_PAUSE_S = 0.1  # out of file descriptors: the wait before accepting again
MAX_CONNECTIONS = 4096  # threads at once; above this a new connection is closed at once
# Connections at once from one address: a phone opens a handful; one machine opening thousands
# (each keeping its connection busy) would otherwise take every thread from the visitors. This
# computer itself is not limited: a reverse proxy in front of the server connects from there.
MAX_PER_ADDRESS = 256
UNLIMITED = ("127.0.0.1", "::1", "::ffff:127.0.0.1")

# No script, no plugin, nothing from another host: the site's own images and style sheet only.
CSP = "default-src 'none'; img-src 'self'; style-src 'self'; base-uri 'none'; form-action 'none'; " \
      "frame-ancestors 'none'"
# An SVG opened on its own may carry its own <style> (e.g. a drawing's animation); no script either way.
SVG_CSP = "default-src 'none'; img-src 'self'; style-src 'self' 'unsafe-inline'"

TYPES = {".html": "text/html; charset=utf-8", ".css": "text/css; charset=utf-8", ".json": "application/json",
         ".svg": "image/svg+xml", ".png": "image/png", ".webp": "image/webp", ".jpg": "image/jpeg",
         ".ico": "image/x-icon", ".xml": "application/xml", ".txt": "text/plain; charset=utf-8",
         ".atom": "application/atom+xml", ".csv": "text/csv; charset=utf-8", ".pdf": "application/pdf",
         ".jsonld": "application/ld+json"}


class BadPath(Exception):
    """A request path that cannot name a file: answered 400."""


def site_file(root: Path, raw_path: str, prefix: str = "") -> Path | str | None:
    """The file a request path names inside `root`: a Path, a redirect target (str), or None (404).

    `prefix`: the path of the site's base URL ("/kiosk" for https://host/kiosk): the printed QR
    codes lead under it, so the site answers there as well as at "/".

    Raises BadPath for a path no browser sends: bad percent-encoding, NUL or other control
    characters, backslashes.
    """
    if raw_path.lower().startswith(("http://", "https://")):  # absolute-form, as sent through a proxy
        raw = urlsplit(raw_path).path or "/"
    else:  # origin-form: not urlsplit, which reads "//x/y" as the host x
        raw = raw_path.split("?", 1)[0].split("#", 1)[0]
    if not raw.startswith("/"):
        raise BadPath("the path must start with /")
    if prefix and raw == prefix:
        return raw + "/"
    if prefix and raw.startswith(prefix + "/"):
        shown, raw = raw, raw[len(prefix):]
    else:
        shown = raw
    try:
        path = unquote(raw, errors="strict")
    except UnicodeDecodeError:
        raise BadPath("the path is not UTF-8 once decoded") from None
    if any(ord(c) < 32 or ord(c) == 127 for c in path) or "\\" in path:
        raise BadPath("the path holds a control character or a backslash")
    parts = [part for part in path.split("/") if part]
    if any(part.startswith(".") for part in parts):  # .., hidden files, the manifest
        return None
    target = root.joinpath(*parts)
    try:
        if target.is_dir():
            real_dir = target.resolve(strict=True)
            if real_dir != root and root not in real_dir.parents:  # a link to a folder elsewhere: no redirect
                return None
            if not path.endswith("/"):
                return shown + "/"
            target = target / "index.html"
        real = target.resolve(strict=True)
        if root not in real.parents or not real.is_file():  # a link out of the site, a socket, a folder
            return None
    except (OSError, ValueError):
        return None
    return real


class _DeadlineReader(io.RawIOBase):
    """The socket's reads, each waiting at most the idle timeout and never past `deadline`."""

    def __init__(self, sock: socket.socket, idle_timeout: float) -> None:
        super().__init__()
        self.sock = sock
        self.idle_timeout = idle_timeout
        self.deadline: float | None = None  # time.monotonic() by which the request's head must be in

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        timeout = self.idle_timeout
        if self.deadline is not None:
            timeout = min(timeout, self.deadline - time.monotonic())
            if timeout <= 0:
                raise TimeoutError("the request's line and headers came too slowly")
        self.sock.settimeout(timeout)
        return self.sock.recv_into(buffer)


class SiteHandler(BaseHTTPRequestHandler):
    """GET and HEAD of the files inside one folder; everything else refused."""

    server_version = "kiosk-archive"
    protocol_version = "HTTP/1.1"  # keep-alive: one connection for a page and its images

    def __init__(self, *args: Any, directory: Path, quiet: bool = False, idle_timeout: float = IDLE_TIMEOUT_S,
                 prefix: str = "", **kwargs: Any) -> None:
        self.root = directory
        self.prefix = prefix
        self.quiet = quiet
        self.idle_timeout = idle_timeout
        super().__init__(*args, **kwargs)

    def version_string(self) -> str:
        return self.server_version  # no Python version for the curious

    def setup(self) -> None:
        super().setup()
        self.connection.settimeout(self.idle_timeout)  # every read and write: idle connections end
        # Headers and body go out as two writes: without this, Nagle's algorithm holds the body
        # until the client acknowledges the headers, 40 ms per keep-alive request.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self._reader = _DeadlineReader(self.connection, self.idle_timeout)
        self.rfile = io.BufferedReader(self._reader)

    def handle_one_request(self) -> None:
        self._reader.deadline = time.monotonic() + HEAD_TIMEOUTS * self.idle_timeout
        super().handle_one_request()

    def parse_request(self) -> bool:
        parsed = super().parse_request()
        self._reader.deadline = None  # the head is in: answering has the idle timeout only
        self.connection.settimeout(self.idle_timeout)
        if parsed and (self.headers.get("Content-Length", "0").strip() not in ("", "0")
                       or "Transfer-Encoding" in self.headers):
            # A GET or HEAD with a body: never read, it would be taken for the next request
            # (a desynchronised connection). Answer this one, then close.
            self.close_connection = True
        return parsed

    # --- answering -------------------------------------------------------------------------

    def do_GET(self) -> None:  # noqa: N802
        self._safely(body=True)

    def do_HEAD(self) -> None:  # noqa: N802
        self._safely(body=False)

    def _safely(self, body: bool) -> None:
        try:
            self._answer(body)
        except (ConnectionError, TimeoutError):
            self.close_connection = True
        except Exception as exc:  # a bug must cost one answer, never the server or a traceback
            self.log_error("could not answer %r: %s: %s", self.path, type(exc).__name__, exc)
            self.close_connection = True
            try:
                self._plain(HTTPStatus.INTERNAL_SERVER_ERROR, "The archive could not answer this request.\n",
                            body, close=True)
            except OSError:
                pass

    def _answer(self, body: bool) -> None:
        try:
            found = site_file(self.root, self.path, self.prefix)
        except BadPath as bad:
            self._plain(HTTPStatus.BAD_REQUEST, f"Bad request: {bad}.\n", body, close=True)
            return
        if isinstance(found, str):
            self.send_response(HTTPStatus.MOVED_PERMANENTLY)
            self.send_header("Location", found)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if found is None:
            self._not_found(body)
            return
        try:
            f = open(found, "rb")
        except OSError:
            self._not_found(body)
            return
        with f:
            info = os.fstat(f.fileno())
            if not stat.S_ISREG(info.st_mode):
                self._not_found(body)
                return
            etag = f'"{info.st_mtime_ns:x}-{info.st_size:x}"'
            modified = formatdate(info.st_mtime, usegmt=True)
            if self._not_modified(etag, info.st_mtime):
                self.send_response(HTTPStatus.NOT_MODIFIED)
                self.send_header("ETag", etag)
                self.send_header("Last-Modified", modified)
                self._common_headers(found.suffix)
                self.end_headers()
                return
            self.send_response(HTTPStatus.OK)
            self.send_header("Content-Type", TYPES.get(found.suffix.lower(), "application/octet-stream"))
            self.send_header("Content-Length", str(info.st_size))
            self.send_header("ETag", etag)
            self.send_header("Last-Modified", modified)
            self._common_headers(found.suffix)
            if body and info.st_size <= SMALL:
                self._end_headers_with(f.read(info.st_size))
                return
            self.end_headers()
            if body:
                self._copy(f, info.st_size)

    def _end_headers_with(self, data: bytes) -> None:
        """Headers and a small body in one write: one system call, one packet for most pages."""
        self._headers_buffer.append(b"\r\n" + data)  # type: ignore[attr-defined]
        self.flush_headers()

    def _not_modified(self, etag: str, mtime: float) -> bool:
        """RFC 9110: If-None-Match wins over If-Modified-Since when both are sent."""
        match = self.headers.get("If-None-Match")
        if match is not None:
            tags = [tag.strip().removeprefix("W/") for tag in match.split(",")]
            return "*" in tags or etag in tags
        since = self.headers.get("If-Modified-Since")
        if since:
            try:
                return int(mtime) <= parsedate_to_datetime(since).timestamp()
            except (TypeError, ValueError, IndexError, OverflowError):
                return False
        return False

    def _copy(self, f: BinaryIO, size: int) -> None:
        try:
            self.connection.sendfile(f, 0, size)
        except (ValueError, OSError) as exc:
            if isinstance(exc, (BrokenPipeError, ConnectionResetError, TimeoutError)):
                self.close_connection = True
                return
            f.seek(0)
            self.wfile.write(f.read(size))

    def _common_headers(self, suffix: str) -> None:
        self.send_header("Cache-Control", "no-cache")  # always revalidate: a rebuild may change any page
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")
        self.send_header("Content-Security-Policy", SVG_CSP if suffix.lower() == ".svg" else CSP)

    def _not_found(self, body: bool) -> None:
        """The site's own 404.html when it has one, else a small page in English and French."""
        page = None
        custom = self.root / "404.html"
        try:
            if custom.is_file() and self.root in custom.resolve().parents:
                page = custom.read_bytes()
        except OSError:
            page = None
        if page is None:
            page = not_found_page().encode("utf-8")
        self.send_response(HTTPStatus.NOT_FOUND)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(page)))
        self._common_headers(".html")
        self.end_headers()
        if body:
            self.wfile.write(page)

    def _plain(self, status: HTTPStatus, text: str, body: bool, close: bool = False) -> None:
        data = text.encode("utf-8")
        if close:
            self.close_connection = True
        self.send_response(status)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        if close:
            self.send_header("Connection", "close")
        self._common_headers(".txt")
        self.end_headers()
        if body:
            self.wfile.write(data)

    def _refuse(self) -> None:
        self.close_connection = True  # the request's body, if any, is left unread
        data = b"This archive is read-only: GET and HEAD only.\n"
        self.send_response(HTTPStatus.METHOD_NOT_ALLOWED)
        self.send_header("Allow", "GET, HEAD")
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Connection", "close")
        self._common_headers(".txt")
        self.end_headers()
        self.wfile.write(data)

    do_POST = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = do_TRACE = do_CONNECT = _refuse  # noqa: N815

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """The stdlib's errors (malformed request line, headers too long...), as plain text."""
        self.close_connection = True
        try:
            status = HTTPStatus(code)
            text = f"{status.value} {message or status.phrase}\n"
        except ValueError:
            text = f"{code} {message or ''}\n"
        data = text.encode("utf-8", "replace")
        self.send_response(code, message)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Connection", "close")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command != "HEAD" and code >= 200 and code not in (HTTPStatus.NO_CONTENT, HTTPStatus.NOT_MODIFIED):
            self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        if not self.quiet:
            super().log_message(format, *args)


def not_found_page(langs: tuple[str, ...] = ("en", "fr")) -> str:
    """The built-in 404 page, for a site built before sites had their own 404.html."""
    sections = "\n".join(
        f'<section lang="{lang}"><h1>{html.escape(word("not_found", lang))}</h1>\n'
        f'<p>{html.escape(word("not_found_text", lang))}</p>\n'
        f'<p><a href="/index.html">{html.escape(word("not_found_home", lang))}</a></p></section>'
        for lang in langs)
    return f"""<!doctype html>
<html lang="{langs[0]}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>{html.escape(" · ".join(word("not_found", lang) for lang in langs))}</title>
<link rel="stylesheet" href="/style.css">
</head>
<body>
<header class="site"><div class="wrap"><a href="/index.html">{html.escape(" · ".join(word("archive", lang) for lang in langs))}</a></div></header>
<main id="main" class="wrap">
{sections}
</main>
</body>
</html>
"""


class ArchiveServer(ThreadingHTTPServer):
    """ThreadingHTTPServer with a deep backlog, a cap on threads and no tracebacks on stderr."""

    daemon_threads = True
    request_queue_size = BACKLOG

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.slots = threading.BoundedSemaphore(MAX_CONNECTIONS)
        self.per_address: Counter[str] = Counter()
        self.per_address_lock = threading.Lock()
        super().__init__(*args, **kwargs)

    def process_request(self, request: Any, client_address: Any) -> None:
        address = str(client_address[0])
        with self.per_address_lock:
            crowded = address not in UNLIMITED and self.per_address[address] >= MAX_PER_ADDRESS
            if not crowded:
                self.per_address[address] += 1
        if crowded:
            self.shutdown_request(request)
            return
        if not self.slots.acquire(blocking=False):
            self._release_address(address)
            self.shutdown_request(request)  # too many at once: the client retries, the server lives
            return
        try:
            # Not threading.Thread.start(), which waits until the new thread has run: with
            # hundreds of busy threads sharing the interpreter that wait is long, and a crowd's
            # connections queued behind it waited seconds for their first answer.
            _thread.start_new_thread(self.process_request_thread, (request, client_address))
        except RuntimeError:  # no thread could be started
            self.slots.release()
            self._release_address(address)
            self.shutdown_request(request)

    def _handle_request_noblock(self) -> None:
        """Accept every connection waiting, not one per wake-up of the listening loop."""
        super()._handle_request_noblock()  # type: ignore[misc]  # the stdlib's, not in its type stubs
        for _ in range(ACCEPT_BATCH):
            try:
                request, client_address = self.socket.accept()
            except OSError as exc:  # none left waiting (the listening socket does not block)
                if exc.errno in (errno.EMFILE, errno.ENFILE, errno.ENOBUFS, errno.ENOMEM):
                    # Out of file descriptors: the connections waiting stay in the kernel's queue
                    # until idle ones time out. Asking again at once would spin a core at 100 %.
                    time.sleep(FULL_PAUSE_S)
                return
            if self.verify_request(request, client_address):
                self.process_request(request, client_address)
            else:
                self.shutdown_request(request)

    def server_activate(self) -> None:
        super().server_activate()
        self.socket.setblocking(False)  # accept() in the batch above returns at once when none waits

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self.slots.release()
            self._release_address(str(client_address[0]))

    def _release_address(self, address: str) -> None:
        with self.per_address_lock:
            self.per_address[address] -= 1
            if self.per_address[address] <= 0:
                del self.per_address[address]

    def handle_error(self, request: Any, client_address: Any) -> None:
        exc = sys.exc_info()[1]
        if isinstance(exc, (ConnectionError, TimeoutError)):
            return  # the visitor's phone went away: nothing to report
        print(f"kiosk archive serve: request from {client_address[0]} failed: {type(exc).__name__}: {exc}",
              file=sys.stderr)


class ArchiveServer6(ArchiveServer):
    address_family = socket.AF_INET6


def _raise_file_limit() -> None:
    """Each connection is a file descriptor: allow as many as the system lets this process have."""
    try:
        import resource
        soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        wanted = MAX_CONNECTIONS + 256 if hard == resource.RLIM_INFINITY else min(hard, MAX_CONNECTIONS + 256)
        if soft != resource.RLIM_INFINITY and soft < wanted:
            resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))
    except (ImportError, ValueError, OSError):
        pass


def url_prefix(base_url: str) -> str:
    """The path of a base URL, without its last slash: "/kiosk", or "" for none."""
    path = urlsplit(base_url).path.rstrip("/") if base_url else ""
    return path if path.startswith("/") and "/." not in path else ""


def make_server(directory: Path, bind: str = DEFAULT_BIND, port: int = DEFAULT_PORT,
                quiet: bool = False, idle_timeout: float = IDLE_TIMEOUT_S, base_url: str = "") -> ThreadingHTTPServer:
    """A server for `directory` (not started: call serve_forever). Clear errors for a busy port.
    `base_url`: the site's; when it has a path, the site answers under it too (see site_file)."""
    directory = Path(directory)
    if not 0 <= port <= 65535:  # the command line first, then the folder
        raise KioskError(f"--port {port} is not a port number.", PORT_FIX)
    if not (directory / "index.html").is_file():
        raise KioskError(f"No archive has been built in {directory} yet.",
                         "build it first with: kiosk archive build" +
                         (f" --out {directory}" if directory.name != "site" else ""))
    _raise_file_limit()
    handler = partial(SiteHandler, directory=directory.resolve(), quiet=quiet, idle_timeout=idle_timeout,
                      prefix=url_prefix(base_url))
    server_class = ArchiveServer6 if ":" in bind else ArchiveServer
    try:
        return server_class((bind, port), handler)
    except OverflowError:
        raise KioskError(f"--port {port} is not a port number.", PORT_FIX) \
            from None
    except (socket.gaierror, UnicodeError):
        raise KioskError(f"--bind {bind!r} is not an address of this computer.", BIND_FIX) from None
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise KioskError(f"Port {port} is already in use on {bind}: another program (or another "
                             "`kiosk archive serve`) is listening there.",
                             f"choose another port, e.g. --port {port + 1 if port else DEFAULT_PORT + 1}, "
                             "or stop the other program") from None
        if exc.errno in (errno.EACCES, errno.EPERM):
            raise KioskError(f"Port {port} needs administrator rights.",
                             PORT_FIX) from None
        if exc.errno == errno.EADDRNOTAVAIL:
            raise KioskError(f"--bind {bind} is not an address of this computer.", BIND_FIX) from None
        raise KioskError(f"Cannot listen on {bind}:{port}: {exc.strerror or exc}.",
                         "try another --port or --bind") from None


PORT_FIX = "use a number from 1024 to 65535 (lower ones need administrator rights), or 0 for any free port"
BIND_FIX = ("leave --bind out to serve this computer only (127.0.0.1), give one of this computer's network "
            "addresses (`kiosk archive serve` names them), or --bind all for every network")


def bind_address(value: str | None) -> str:
    """--bind as given: an address, `all` (every network) or `localhost`; default this computer only."""
    if value is None or value.strip() == "":
        return DEFAULT_BIND
    value = value.strip()
    if value.lower() in ("all", "*"):
        return "0.0.0.0"
    if value.lower() == "localhost":
        return "127.0.0.1"
    value = value.strip("[]")
    # In its plain form: "0", "0.0" or "::0" listen on every network just as 0.0.0.0 does, and
    # must be named so (not printed as one address, nor taken for this computer only).
    try:
        ip: ipaddress.IPv4Address | ipaddress.IPv6Address = ipaddress.ip_address(value)
    except ValueError:
        try:
            ip = ipaddress.IPv4Address(socket.inet_aton(value))  # shorthands the system accepts: 0, 127.1
        except OSError:
            return value  # a host name: make_server says if it is not this computer's
    if ip.is_unspecified:
        return "0.0.0.0" if ip.version == 4 else "::"
    return str(ip)


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
    if bind in ALL:
        hosts = lan_addresses() + ["127.0.0.1"]
    else:
        hosts = [f"[{bind}]" if ":" in bind else bind]
    return [f"http://{h}:{port}/" for h in hosts]
