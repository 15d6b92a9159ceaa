"""`kiosk archive serve`: the built site only, read-only, on the local network."""

from __future__ import annotations

import http.client
import os
import re
import select
import shutil
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from conftest import ROOT, kiosk_env, run_kiosk

from kiosk import config, urls
from kiosk.archive.build import MANIFEST, build_site
from kiosk.archive.serve import lan_addresses, make_server
from kiosk.errors import KioskError
from kiosk.store import Store

pytestmark = pytest.mark.slow  # a module-wide site built from demo data, and real servers


@pytest.fixture(scope="module")
def site(tmp_path_factory, demo_store_dir) -> tuple[Path, str]:
    root = tmp_path_factory.mktemp("serve")
    data = root / "data"
    shutil.copytree(demo_store_dir, data)
    with Store(data) as store:
        build_site(store, config.load(None, data))
        rid = next(r.id for r in store.responses() if r.consent == "public" and not r.hidden and r.has_drawing)
    (root / "secret.txt").write_text("outside the site")
    (data / "site" / "link-out").symlink_to(root / "secret.txt")
    return data / "site", rid


def serving(srv):
    """Run `srv` in a thread while the test uses its port."""
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    yield srv.server_address[1]
    srv.shutdown()
    srv.server_close()
    thread.join(5)


@pytest.fixture
def server(site):
    yield from serving(make_server(site[0], "127.0.0.1", 0, quiet=True))


def request(port: int, method: str, path: str, body: bytes | None = None) -> tuple[int, http.client.HTTPMessage, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.putrequest(method, path, skip_accept_encoding=True)  # the path exactly as given: no normalising
        if body is not None:
            conn.putheader("Content-Length", str(len(body)))
        conn.endheaders(body)
        resp = conn.getresponse()
        return resp.status, resp.headers, resp.read()
    finally:
        conn.close()


def test_serves_a_response_page_by_its_permanent_path(server, site):
    path = "/" + urls.response_path(site[1])
    status, headers, body = request(server, "GET", path)
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    assert b'<article class="response">' in body and b'src="drawing.svg"' in body
    status, headers, body = request(server, "HEAD", path + "index.html")
    assert status == 200 and body == b""
    status, headers, body = request(server, "GET", "/" + urls.response_path(site[1]) + "drawing.png")
    assert status == 200 and headers["Content-Type"] == "image/png" and body.startswith(b"\x89PNG")
    assert request(server, "GET", "/style.css")[0] == 200
    assert request(server, "GET", "/")[0] == 200


def test_the_base_urls_path_is_served_where_the_qr_codes_lead(site):
    """A site built for http://host:port/kiosk prints QR codes to /kiosk/r/ID/: served there (and at /)."""
    srv = make_server(site[0], "127.0.0.1", 0, quiet=True, base_url="http://127.0.0.1:8765/kiosk/")
    for port in serving(srv):
        path = "/kiosk/" + urls.response_path(site[1])
        status, _, body = request(port, "GET", path)
        assert status == 200 and b'<article class="response">' in body
        assert request(port, "GET", "/" + urls.response_path(site[1]))[0] == 200
        status, headers, _ = request(port, "GET", "/kiosk")
        assert status == 301 and headers["Location"] == "/kiosk/"
        status, headers, _ = request(port, "GET", path.rstrip("/"))
        assert status == 301 and headers["Location"] == path
        assert request(port, "GET", "/kiosk/../secret.txt")[0] in (400, 404)
        assert request(port, "GET", "/kiosk/.kiosk-site.json")[0] == 404
        assert request(port, "GET", "/kioskx/index.html")[0] == 404


@pytest.mark.parametrize("path", ["/../secret.txt", "/r/../../secret.txt", "/%2e%2e/secret.txt",
                                  "/r/%2e%2e/%2e%2e/secret.txt", "/..%2fsecret.txt", "/link-out", "/" + MANIFEST,
                                  "/r/", "/s/", "//etc/passwd", "/nothing-here"])
def test_nothing_outside_the_site_no_listings_no_hidden_files(server, path):
    status, _, body = request(server, "GET", path)
    assert status in (403, 404), (path, status)
    assert b"outside the site" not in body and b"root:" not in body


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "PATCH"])
def test_read_only(server, site, method):
    before = sorted(p.name for p in site[0].iterdir())
    status, headers, _ = request(server, method, "/index.html", body=b"x=1")
    assert status in (405, 501)
    assert headers.get("Allow") == "GET, HEAD"
    assert sorted(p.name for p in site[0].iterdir()) == before


def test_refuses_a_folder_with_no_site(tmp_path):
    with pytest.raises(KioskError) as exc:
        make_server(tmp_path, "127.0.0.1", 0)
    assert "kiosk archive build" in exc.value.fix


def test_cli_serve_prints_its_addresses_and_serves(site):
    proc = subprocess.Popen([sys.executable, "-m", "kiosk", "archive", "serve", "--dir", str(site[0]),
                             "--bind", "127.0.0.1", "--port", "0"], cwd=ROOT, env=kiosk_env(),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        lines = [proc.stdout.readline() for _ in range(2)]
        assert "read-only" in lines[0], lines
        url = lines[1].strip()
        assert url.startswith("http://127.0.0.1:")
        port = int(url.rsplit(":", 1)[1].strip("/"))
        assert request(port, "GET", "/" + urls.response_path(site[1]))[0] == 200
        assert request(port, "POST", "/index.html", b"")[0] == 405
    finally:
        proc.terminate()
        proc.wait(10)
        proc.stdout.close()
        proc.stderr.close()


def test_cli_serve_errors_are_clear(tmp_path, site):
    r = run_kiosk("archive", "serve", "--data", str(tmp_path / "empty"), "--port", "0")
    assert r.returncode == 1 and "kiosk archive build" in r.stderr and "Traceback" not in r.stderr
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        r = run_kiosk("archive", "serve", "--dir", str(site[0]), "--bind", "127.0.0.1", "--port", str(port))
    assert r.returncode == 1 and "already in use" in r.stderr and "--port" in r.stderr
    r = run_kiosk("archive", "serve", "--dir", str(site[0]), "--port", "70000")
    assert r.returncode == 1 and "fix:" in r.stderr and "Traceback" not in r.stderr


def test_lan_addresses_are_ipv4_and_not_loopback():
    for addr in lan_addresses():
        socket.inet_aton(addr)
        assert not addr.startswith("127.")


# --- issue 9 and 12: a server that holds a crowd, answers HTTP/1.1 and never a traceback -------


@pytest.fixture
def quick_server(site):
    """A server whose connections time out after half a second of silence."""
    yield from serving(make_server(site[0], "127.0.0.1", 0, quiet=True, idle_timeout=0.5))


def test_an_idle_connection_is_dropped(quick_server):
    with socket.create_connection(("127.0.0.1", quick_server), timeout=30) as idle:
        assert idle.recv(100) == b""  # the server closed it; a never-timed-out one would block 30 s and fail
    with socket.create_connection(("127.0.0.1", quick_server), timeout=30) as slow:
        slow.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n")  # a request never finished
        data = slow.recv(1000)
        assert data == b"" or data.startswith(b"HTTP/1.")
        while data:
            data = slow.recv(1000)


@pytest.mark.slow
def test_a_thousand_idle_connections_do_not_block_a_visitor(server):
    idle = []
    try:
        for _ in range(1000):
            s = socket.socket()
            s.settimeout(30)
            s.connect(("127.0.0.1", server))
            idle.append(s)
        status, _, body = request(server, "GET", "/index.html")
        assert status == 200 and b"<html" in body
    finally:
        for s in idle:
            s.close()


def test_a_crowd_connecting_at_once_is_accepted_in_one_go_and_all_answered(server):
    """300 phones scanning the same QR code: every connection waiting is accepted and answered."""
    crowd = []
    try:
        for _ in range(300):
            s = socket.create_connection(("127.0.0.1", server), timeout=30)
            s.sendall(b"GET /style.css HTTP/1.1\r\nHost: kiosk\r\nConnection: close\r\n\r\n")
            crowd.append(s)
        for s in crowd:
            answer = b""
            while chunk := s.recv(65536):
                answer += chunk
            assert answer.startswith(b"HTTP/1.1 200 ")
    finally:
        for s in crowd:
            s.close()
    assert request(server, "GET", "/index.html")[0] == 200


@pytest.mark.slow
def test_out_of_file_descriptors_the_server_waits_instead_of_spinning(site):
    """A server allowed 64 files, 200 connections held: it does not burn a core asking for
    more, and answers again once they are gone."""
    port = free_port()
    code = ("import resource, sys; resource.setrlimit(resource.RLIMIT_NOFILE, (64, 64)); "
            "from pathlib import Path; from kiosk.archive.serve import make_server; "
            f"make_server(Path(sys.argv[1]), '127.0.0.1', {port}, quiet=True, idle_timeout=30).serve_forever()")
    proc = subprocess.Popen([sys.executable, "-c", code, str(site[0])], env=kiosk_env(),
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    held: list[socket.socket] = []
    try:
        wait_for_port(port)
        for _ in range(200):
            held.append(socket.create_connection(("127.0.0.1", port), timeout=5))
        time.sleep(0.5)
        before = cpu_seconds(proc.pid)
        time.sleep(2.0)
        used = cpu_seconds(proc.pid) - before
        assert used < 0.8, f"{used:.2f} s of CPU in 2 s while out of file descriptors"
        for s in held:
            s.close()
        held.clear()
        deadline = time.monotonic() + 30
        while True:  # the closed connections' threads end, then a visitor is answered
            try:
                assert request(port, "GET", "/index.html")[0] == 200
                break
            except OSError:
                assert time.monotonic() < deadline
                time.sleep(0.2)
    finally:
        for s in held:
            s.close()
        proc.terminate()
        _, err = proc.communicate(timeout=10)
    assert b"Traceback" not in err, err


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for_port(port: int) -> None:
    deadline = time.monotonic() + 20
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            assert time.monotonic() < deadline, "the server did not start"
            time.sleep(0.1)


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process, from /proc (Linux)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@pytest.mark.parametrize("path", ["/%00", "/index.html%00", "/r/%00/", "/%ff", "/%c3%28", "/a%0ab", "/a%5c..%5csecret"])
def test_malformed_paths_are_a_bad_request(server, path):
    status, headers, body = request(server, "GET", path)
    assert status == 400, path
    assert b"Traceback" not in body
    assert request(server, "GET", "/index.html")[0] == 200  # the server lives on


def test_complete_csp_and_http11(server):
    status, headers, _ = request(server, "GET", "/index.html")
    csp = headers["Content-Security-Policy"]
    for directive in ("default-src 'none'", "img-src 'self'", "style-src 'self'"):
        assert directive in csp
    assert "script-src" not in csp  # default-src 'none' already forbids every script
    assert headers["X-Content-Type-Options"] == "nosniff"


def test_etag_and_last_modified_give_304(server):
    _, headers, body = request_with(server, "/style.css")
    etag, modified = headers["ETag"], headers["Last-Modified"]
    assert etag and modified and body
    status, headers, body = request_with(server, "/style.css", {"If-None-Match": etag})
    assert status == 304 and body == b"" and headers["ETag"] == etag
    status, _, body = request_with(server, "/style.css", {"If-Modified-Since": modified})
    assert status == 304 and body == b""
    status, _, body = request_with(server, "/style.css", {"If-None-Match": '"other"'})
    assert status == 200 and body
    status, _, _ = request_with(server, "/style.css", {"If-Modified-Since": "Thu, 01 Jan 1970 00:00:00 GMT"})
    assert status == 200


def request_with(port: int, path: str, headers: dict | None = None) -> tuple[int, http.client.HTTPMessage, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request("GET", path, headers=headers or {})
        resp = conn.getresponse()
        return resp.status, resp.headers, resp.read()
    finally:
        conn.close()


def test_keep_alive_two_requests_on_one_connection(server, site):
    conn = http.client.HTTPConnection("127.0.0.1", server, timeout=10)
    try:
        conn.request("GET", "/index.html")
        first = conn.getresponse()
        assert first.version == 11 and first.status == 200
        first.read()
        sock = conn.sock
        assert sock is not None
        conn.request("GET", "/" + urls.response_path(site[1]))
        second = conn.getresponse()
        assert second.status == 200 and b'<article class="response">' in second.read()
        assert conn.sock is sock  # the same connection served both
        conn.request("GET", "/nothing-here")  # a 404 keeps the connection too
        third = conn.getresponse()
        assert third.status == 404
        third.read()
        conn.request("GET", "/style.css")
        assert conn.getresponse().status == 200 and conn.sock is sock
    finally:
        conn.close()


def test_404_page_built_in_in_both_languages(server):
    status, headers, body = request(server, "GET", "/r/no-such-answer/")
    assert status == 404 and headers["Content-Type"].startswith("text/html")
    text = body.decode("utf-8")
    assert "Page not found" in text and "Page introuvable" in text and 'href="/index.html"' in text
    assert "Error response" not in text


def test_404_page_of_the_site_itself(tmp_path, site):
    copy = tmp_path / "site"
    shutil.copytree(site[0], copy, symlinks=True)
    (copy / "404.html").write_text("<!doctype html><title>Withdrawn or missing</title><p>our own 404</p>")
    srv = make_server(copy, "127.0.0.1", 0, quiet=True)
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    try:
        status, _, body = request(srv.server_address[1], "GET", "/r/gone/")
        assert status == 404 and b"our own 404" in body
        status, _, body = request(srv.server_address[1], "HEAD", "/r/gone/")
        assert status == 404 and body == b""
    finally:
        srv.shutdown()
        srv.server_close()
        thread.join(5)


def test_default_bind_is_this_computer_only():
    from kiosk.archive.serve import bind_address
    assert bind_address(None) == "127.0.0.1"
    assert bind_address("all") == "0.0.0.0"
    assert bind_address("192.168.1.20") == "192.168.1.20"


def test_cli_serve_by_default_only_here_and_says_how_to_open_it(site):
    proc = subprocess.Popen([sys.executable, "-m", "kiosk", "archive", "serve", "--dir", str(site[0]),
                             "--port", "0"], cwd=ROOT, env=kiosk_env(),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        lines = [proc.stdout.readline() for _ in range(3)]
        assert lines[1].strip().startswith("http://127.0.0.1:"), lines
        assert "--bind" in lines[2] and "Only this computer" in lines[2]
    finally:
        proc.terminate()
        proc.wait(10)
        proc.stdout.close()
        proc.stderr.close()


def test_a_request_head_sent_a_byte_at_a_time_is_cut_off(quick_server):
    """Slowloris: each byte arrives before the idle timeout, yet the head must be in within two of them."""
    head = b"GET /index.html HTTP/1.1\r\nHost: x\r\nX-Slow: " + b"z" * 200 + b"\r\n\r\n"
    with socket.create_connection(("127.0.0.1", quick_server), timeout=30) as slow:
        cut = False
        for byte in head:  # 0.25 s apart: 60 s to send it all, far beyond the 1 s the server allows
            try:
                slow.sendall(bytes([byte]))
            except OSError:
                cut = True
                break
            readable, _, _ = select.select([slow], [], [], 0.25)
            if readable:
                try:
                    cut = slow.recv(1000) == b""
                except OSError:
                    cut = True
                break
        assert cut, "the server was still waiting for the rest of a head trickled byte by byte"


def test_a_get_with_a_body_does_not_desynchronise_the_connection(server):
    """The unread body of a GET must never be taken for a second request."""
    for extra in (b"Content-Length: 5\r\n\r\nhello", b"Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n"):
        with socket.create_connection(("127.0.0.1", server), timeout=10) as s:
            s.sendall(b"GET /index.html HTTP/1.1\r\nHost: x\r\n" + extra + b"GET /style.css HTTP/1.1\r\nHost: x\r\n\r\n")
            data = b""
            while chunk := s.recv(65536):
                data += chunk
        assert data.startswith(b"HTTP/1.1 200") and data.count(b"HTTP/1.1 ") == 1, data[-300:]
        assert b"501" not in data and b"400 Bad request" not in data


def test_a_link_to_a_folder_outside_is_not_even_redirected(server, site):
    link = site[0] / "folder-out"
    link.symlink_to(site[0].parent.parent, target_is_directory=True)
    try:
        assert request(server, "GET", "/folder-out")[0] == 404  # no 301 telling that it exists
        assert request(server, "GET", "/folder-out/")[0] == 404
    finally:
        link.unlink()


def test_one_address_cannot_take_every_connection(server):
    """Connections from one other address beyond MAX_PER_ADDRESS are closed; another address is served."""
    from kiosk.archive.serve import MAX_PER_ADDRESS

    def connect(source: str) -> socket.socket:
        s = socket.socket()
        s.settimeout(10)
        s.bind((source, 0))
        s.connect(("127.0.0.1", server))
        return s

    held = []
    try:
        for _ in range(MAX_PER_ADDRESS):
            held.append(connect("127.0.0.2"))
        held[-1].sendall(b"GET /index.html HTTP/1.1\r\nHost: x\r\n\r\n")  # all of them were let in
        assert held[-1].recv(12) == b"HTTP/1.1 200"
        extra = connect("127.0.0.2")
        held.append(extra)
        extra.sendall(b"GET /index.html HTTP/1.1\r\nHost: x\r\n\r\n")
        try:
            assert extra.recv(100) == b""  # closed at once, unanswered
        except ConnectionResetError:
            pass
        visitor = connect("127.0.0.3")
        held.append(visitor)
        visitor.sendall(b"GET /index.html HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        assert visitor.recv(12) == b"HTTP/1.1 200"
    finally:
        for s in held:
            s.close()
    for _ in range(100):  # once they are gone, the address is welcome again
        s = connect("127.0.0.2")
        try:
            s.sendall(b"GET /index.html HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            if s.recv(12) == b"HTTP/1.1 200":
                break
        except OSError:
            pass
        finally:
            s.close()
        time.sleep(0.1)
    else:
        raise AssertionError("the address stayed refused after its connections closed")


def test_bind_shorthands_for_every_network_are_named_so():
    from kiosk.archive.serve import ALL, bind_address
    for value in ("0", "0.0", "0.0.0.0", "::", "::0", "[::]", "0:0::0"):
        assert bind_address(value) in ALL, value  # "0" listens everywhere: never printed as http://0:8000/
    assert bind_address("127.1") == "127.0.0.1"
    assert bind_address("[::1]") == "::1"
    assert bind_address("kiosk.local") == "kiosk.local"


@pytest.mark.parametrize("head, status", [
    (b"GET /" + b"a" * 1_000_000 + b" HTTP/1.1\r\n\r\n", b"414"),  # a request line of 1 MB
    (b"GET / HTTP/1.1\r\nX-Big: " + b"a" * 1_000_000 + b"\r\n\r\n", b"431"),  # a header of 1 MB
    (b"GET / HTTP/1.1\r\n" + b"".join(b"X-%d: y\r\n" % i for i in range(10_000)) + b"\r\n", b"431"),
])
def test_oversized_heads_are_refused_and_the_server_lives(server, head, status):
    with socket.create_connection(("127.0.0.1", server), timeout=10) as s:
        try:
            s.sendall(head)
        except (BrokenPipeError, ConnectionResetError):
            pass  # refused before it was all sent
        data = b""
        try:
            while chunk := s.recv(65536):
                data += chunk
        except ConnectionResetError:
            pass
    assert data.startswith(b"HTTP/1.1 " + status), data[:80]
    assert b"Traceback" not in data
    assert request(server, "GET", "/index.html")[0] == 200


def test_pipelined_requests_are_answered_in_order(server, site):
    with socket.create_connection(("127.0.0.1", server), timeout=10) as s:
        s.sendall(b"GET /index.html HTTP/1.1\r\nHost: x\r\n\r\nHEAD /style.css HTTP/1.1\r\nHost: x\r\n\r\n"
                  b"GET /no-such-page HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        data = b""
        while chunk := s.recv(65536):
            data += chunk
    statuses = re.findall(rb"HTTP/1\.1 (\d{3}) ", data)
    assert statuses == [b"200", b"200", b"404"]
