"""`kiosk archive serve`: the built site only, read-only, on the local network."""

from __future__ import annotations

import http.client
import shutil
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from conftest import ROOT, kiosk_env, run_kiosk

from kiosk import config, urls
from kiosk.archive.build import MANIFEST, build_site
from kiosk.archive.serve import lan_addresses, make_server
from kiosk.errors import KioskError
from kiosk.store import Store


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


@pytest.fixture
def server(site):
    srv = make_server(site[0], "127.0.0.1", 0, quiet=True)
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    yield srv.server_address[1]
    srv.shutdown()
    srv.server_close()
    thread.join(5)


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
