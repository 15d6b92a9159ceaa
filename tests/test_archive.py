"""The static archive: what it shows, what it never shows, its links, its URL scheme, its rebuilds."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from conftest import run_kiosk
from PIL import Image

from kiosk import config, urls
from kiosk.archive import assets
from kiosk.archive.build import MANIFEST, build_site
from kiosk.i18n import typeset
from kiosk.store import Response, Store
from kiosk.strokes import Drawing, Point, Stroke, render_png

pytestmark = pytest.mark.slow  # each test makes demo data, bags, PDFs or runs a real service

BASE = "https://archive.example.org/ecole"
LICENSE = "https://creativecommons.org/licenses/by-nc-sa/4.0/"
RIGHTS = "Drawn by an anonymous visitor & shared with consent."
HOSTILE = '<script>alert("x")</script> & "quoted" \'single\' \u202eevil reversed\u202c after <b>bold</b>'
PRINT_MARK = "print-only-marker-7f3a"
HIDDEN_MARK = "hidden-marker-91c2"
INK = "#ff00ff"  # in no palette: the only such pixels on a screen are the test drawing's


# --- helpers (also used by test_archive_browser.py) --------------------------------------------


def write_settings(folder: Path, base_url: str = BASE) -> Path:
    path = folder / "kiosk.yaml"
    path.write_text(f"archive_base_url: {base_url}\norganization: School of algorithmic solidarity\n"
                    f"rights: {RIGHTS}\nlicense: {LICENSE}\n", encoding="utf-8")
    return path


def ink_drawing() -> Drawing:
    """A drawing that is easy to find in a screenshot: thick magenta strokes across the canvas."""
    d = Drawing(1200, 900)
    for y in (200, 450, 700):
        d.add(Stroke("pen", INK, 60, [Point(100 + x, y, x) for x in range(0, 1001, 50)]))
    return d


def add_response(store: Store, session: str, *, kind: str = "text", text: str = "", consent: str = "public",
                 hidden: bool = False, drawing: Drawing | None = None, language: str = "en",
                 options: dict | None = None) -> Response:
    resp = Response(
        id=store.new_id(), session=session, prompt_id=f"test-{kind}", kind=kind, language=language,
        consent=consent, hidden=hidden, text=text,
        prompt_text={"en": "What would you ask a machine?", "fr": "Que demanderiez-vous à une machine ?"},
        options=list((options or {}).get("ids", [])), option_text=(options or {}).get("text", {}),
        created="2026-11-28T15:04:05+01:00",
    )
    return store.save_response(resp, drawing, render_png(drawing) if drawing else None)


def make_store(root: Path, demo_store_dir: Path) -> tuple[Path, Path]:
    """A copy of the demo data plus responses of our own: hostile text, print-only, hidden, a drawing."""
    data = root / "data"
    shutil.copytree(demo_store_dir, data)
    cfg = write_settings(root)
    with Store(data) as store:
        s = store.create_session('Hostile <b>"session"</b> & co', place="Salle « R&D » <i>", date="2026-11-28",
                                 started="2026-11-28T14:00:00+01:00")
        add_response(store, s.slug, text=HOSTILE, drawing=ink_drawing())
        add_response(store, s.slug, text="Une réponse typée en français, avec des accents : àéèçô œ « » ⋅",
                     language="fr")
        add_response(store, s.slug, text=f"{PRINT_MARK} must stay on paper", consent="print", drawing=ink_drawing())
        add_response(store, s.slug, text=f"{HIDDEN_MARK} was moderated away", hidden=True)
        add_response(store, s.slug, kind="choice", language="fr", drawing=ink_drawing(),
                     options={"ids": ["both"], "text": {"en": ["Both & neither <ok>"], "fr": ["Les deux & aucun"]}})
        add_response(store, s.slug, kind="choice", options={"ids": ["both"], "text": {"en": ["Both & neither <ok>"],
                                                                                       "fr": ["Les deux & aucun"]}})
    return data, cfg


class Page(HTMLParser):
    """The links, images, scripts and text of one page, and the elements around each text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.refs: list[tuple[str, str, str]] = []  # (tag, attribute, value)
        self.tags: list[tuple[str, dict]] = []
        self.texts: list[tuple[str, list[dict]]] = []  # (text, attributes of the enclosing elements)
        self.stack: list[tuple[str, dict]] = []
        self.ids: set[str] = set()

    VOID = {"meta", "link", "img", "br", "hr", "input", "source", "rect", "path"}

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.append((tag, a))
        if "id" in a:
            self.ids.add(a["id"])
        for name in ("href", "src", "srcset", "action", "data", "poster", "xlink:href"):
            if name in a:
                self.refs.append((tag, name, a[name] or ""))
        if tag not in self.VOID:
            self.stack.append((tag, a))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in self.VOID:
            self.stack.pop()

    def handle_endtag(self, tag):
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                break

    def handle_data(self, data):
        if data.strip():
            self.texts.append((data, [a for _, a in self.stack]))

    def text(self) -> str:
        return " ".join(t for t, _ in self.texts)


def parse(path: Path) -> Page:
    p = Page()
    p.feed(path.read_text(encoding="utf-8"))
    p.close()
    return p


def html_files(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


@pytest.fixture(scope="module")
def built(tmp_path_factory, demo_store_dir):
    root = tmp_path_factory.mktemp("archive")
    data, cfg = make_store(root, demo_store_dir)
    settings = config.load(cfg, data)
    calls = []
    with Store(data) as store:
        result = build_site(store, settings, progress=lambda done, total: calls.append((done, total)))
        responses = store.responses()
        sessions = store.sessions()
    return {"site": data / "site", "data": data, "cfg": cfg, "result": result, "responses": responses,
            "sessions": sessions, "progress": calls}


def public(responses):
    return [r for r in responses if r.consent == "public" and not r.hidden]


# --- the URL scheme ------------------------------------------------------------------------------


def test_paths_are_the_ones_the_qr_codes_encode(built):
    site, rs = built["site"], built["responses"]
    assert built["result"].out == site.resolve()
    shown = public(rs)
    assert len(shown) >= 10
    for r in shown:
        url = urls.response_url(BASE, r.id)
        assert url == f"{BASE}/r/{r.id}/"
        path = urlsplit(url).path[len(urlsplit(BASE).path):]
        assert (site / path.lstrip("/") / "index.html").is_file(), url
    for s in built["sessions"]:
        url = urls.session_url(BASE + "/", s.slug)  # a trailing slash on the base changes nothing
        assert url == f"{BASE}/s/{s.slug}/"
        path = urlsplit(url).path[len(urlsplit(BASE).path):]
        assert (site / path.lstrip("/") / "index.html").is_file(), url
    # and nothing else: one response folder per public response
    assert {p.name for p in (site / "r").iterdir()} == {r.id for r in shown}


def test_the_zines_qr_urls_lead_to_pages_of_the_site(built):
    """The zine makes its QR codes' URLs itself (kiosk.zine.qr): they must be the site's paths."""
    from kiosk.zine import qr

    site = built["site"]
    for r in public(built["responses"]):
        url = qr.response_url(BASE, r.id)
        assert url == urls.response_url(BASE, r.id)
        assert (site / urlsplit(url).path.removeprefix("/ecole/") / "index.html").is_file(), url
    for s in built["sessions"]:
        url = qr.session_url(BASE, s.slug)
        assert url == urls.session_url(BASE, s.slug)
        assert (site / urlsplit(url).path.removeprefix("/ecole/") / "index.html").is_file(), url


def test_print_only_and_hidden_responses_never_appear(built):
    site, rs = built["site"], built["responses"]
    secret = [r for r in rs if r.consent != "public" or r.hidden]
    assert any(r.consent == "print" for r in secret) and any(r.hidden for r in secret)
    everything = b"".join(p.read_bytes() for p in site.rglob("*") if p.is_file() and p.name != MANIFEST)
    manifest = (site / MANIFEST).read_bytes()
    for r in secret:
        assert r.id.encode() not in everything
        assert r.id.encode() not in manifest
        assert not (site / "r" / r.id).exists()
    assert PRINT_MARK.encode() not in everything
    assert HIDDEN_MARK.encode() not in everything


# --- links, images, other hosts ------------------------------------------------------------------


def test_every_link_and_image_resolves_inside_the_site(built):
    site = built["site"].resolve()
    pages = html_files(site)
    assert len(pages) >= len(public(built["responses"])) + 2
    for page in pages:
        p = parse(page)
        assert p.refs, page
        canonical = [a for t, a in p.tags if t == "link" and a.get("rel") == "canonical"]
        for tag, name, value in p.refs:
            if tag == "link" and any(a["href"] == value for a in canonical):
                # the page's own permanent address, from the base URL: it must be this very page
                assert value.startswith(BASE + "/") and value.endswith("/"), (page, value)
                rel = value[len(BASE) + 1:] + "index.html"
                assert (site / rel).resolve() == page.resolve(), (page, value)
                continue
            parts = urlsplit(value)
            if page.name == "404.html" and parts.path:  # served at any depth: its links start from the site's root path
                assert value.startswith("/ecole/") and not parts.netloc, (page, value)
                assert (site / unquote(parts.path).removeprefix("/ecole/")).is_file(), (page, value)
                continue
            assert not parts.scheme and not parts.netloc and not value.startswith("/"), (page, value)
            if not parts.path:  # a fragment of this page
                assert parts.fragment in p.ids, (page, value)
                continue
            target = (page.parent / unquote(parts.path)).resolve()
            assert target.is_relative_to(site), (page, value)
            assert target.is_file(), (page, value)  # folders are linked by their index.html
    css = (site / "style.css").read_text(encoding="utf-8")
    assert "url(" not in css and "@import" not in css


NAMESPACES = ('xmlns="http://www.w3.org/2000/svg"', 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"',
              'xmlns="http://www.w3.org/2005/Atom"', '"@context":"https://schema.org"')


def test_no_address_of_another_host_anywhere(built):
    """The rule: no href or src leaves the site (above). The only "://" in the site's text are
    the site's own addresses, built from the base URL (the citation, rel=canonical, OpenGraph,
    JSON-LD, the sitemap and the feed), the licence as configured (shown as text, never as a
    link to another host), and XML namespaces and the JSON-LD context (names, never fetched)."""
    site = built["site"]
    scheme = re.compile(r"[a-zA-Z][a-zA-Z0-9+.-]*://|(?<![:\w])//[\w.-]+\.[a-z]")
    for path in site.rglob("*"):
        if not path.is_file() or path.suffix in (".png", ".ico", ".csv") or path.name == MANIFEST:
            continue
        text = path.read_text(encoding="utf-8")
        for name in NAMESPACES:
            text = text.replace(name, "")
        if path.suffix == ".html" and path.parent.parent.name == "r" and "noindex" not in text:
            permanent = f"{BASE}/r/{path.parent.name}/"
            assert f'<span class="url">{permanent}</span>' in text, path
        if path.suffix == ".html":
            assert f'href="{LICENSE}"' not in text
        text = text.replace(BASE + "/", "").replace(LICENSE, "")
        assert not scheme.search(text), (path, scheme.search(text))


def test_pages_need_no_script_and_say_so(built):
    for page in html_files(built["site"]):
        p = parse(page)
        assert not [t for t, _ in p.tags if t in ("iframe", "object", "embed", "form", "base")], page
        # the only <script> is JSON-LD: a data block, which browsers never run
        assert all(a.get("type") == "application/ld+json" for t, a in p.tags if t == "script"), page
        assert not any(name.startswith("on") for _, a in p.tags for name in a), page
        csp = [a["content"] for t, a in p.tags if t == "meta" and a.get("http-equiv") == "Content-Security-Policy"]
        assert csp and "script-src 'none'" in csp[0]
        assert any(t == "html" and a.get("lang") for t, a in p.tags)
        assert any(t == "meta" and a.get("name") == "viewport" for t, a in p.tags)


# --- what the pages show ---------------------------------------------------------------------------


def response_page(built, r) -> Page:
    return parse(built["site"] / "r" / r.id / "index.html")


def test_hostile_text_is_shown_as_text(built):
    r = next(r for r in built["responses"] if r.text == HOSTILE)
    raw = (built["site"] / "r" / r.id / "index.html").read_text(encoding="utf-8")
    assert "<script>" not in raw and "<b>bold" not in raw
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &quot;quoted&quot; &#x27;single&#x27;" in raw
    p = parse(built["site"] / "r" / r.id / "index.html")
    # The visitor's text comes back whole from the parsed page, inside an element that isolates
    # its direction (the right-to-left override cannot reorder what follows it).
    shown = [(t, around) for t, around in p.texts if HOSTILE in t]
    assert shown, p.text()
    assert any(a.get("dir") == "auto" for a in shown[0][1]) or "bdi" in raw
    # The alt text carries the answer too, isolated by FSI ... PDI.
    alt = [a["alt"] for t, a in p.tags if t == "img"][0]
    assert f"\u2068{HOSTILE}\u2069" in alt and "What would you ask a machine?" in alt
    # Session title and place, typed by a facilitator, are escaped too, wherever they appear.
    for page in html_files(built["site"]):
        text = page.read_text(encoding="utf-8")
        assert '<b>"session"</b>' not in text and "<i>" not in text
    session_pages = [pg for pg in html_files(built["site"]) if "Hostile" in parse(pg).text()]
    assert any('Hostile <b>"session"</b> & co' in parse(pg).text() for pg in session_pages)


def test_response_page_shows_question_drawing_answer_and_citation(built):
    rs = [r for r in public(built["responses"]) if r.kind == "choice" and r.has_drawing and r.language == "fr"]
    r = rs[0]
    folder = built["site"] / "r" / r.id
    p = parse(folder / "index.html")
    # the question in the visitor's language first, the other language after it
    qs = [(t.strip(), around[-1].get("lang")) for t, around in p.texts
          if t.strip() in (typeset(r.prompt_text["fr"]), r.prompt_text["en"])]
    assert [lang for _, lang in qs][:2] == ["fr", "en"]
    # the drawing large, with its files beside it
    imgs = [a for t, a in p.tags if t == "img"]
    assert imgs[0]["src"] == "drawing.svg" and typeset(r.prompt_text["fr"]) in imgs[0]["alt"]
    hrefs = {v for _, _, v in p.refs}
    assert {"drawing.png", "drawing.svg", "drawing.svg#play"} <= hrefs
    # drawing.svg is the kiosk's, byte for byte, with the time-lapse added (#play, a <style>, dash lengths)
    site_svg = (folder / "drawing.svg").read_text(encoding="utf-8")
    kiosk_svg = re.sub(r"\n<style>.*</style>", "", site_svg, flags=re.S).replace(' id="play"', "")
    assert kiosk_svg.replace(' pathLength="1"', "") == (built["data"] / "sessions" / r.session / "responses"
                                                        / r.id / "drawing.svg").read_text(encoding="utf-8")
    assert Image.open(folder / "drawing.png").size == (1200, 900)
    text = p.text()
    assert r.option_text["fr"][0] in text
    assert f"{BASE}/r/{r.id}/" in text  # the permanent address
    assert RIGHTS in text and LICENSE in text
    assert f"../../s/{r.session}/index.html" in hrefs
    # previous / next within the session
    siblings = [x.id for x in public(built["responses"]) if x.session == r.session]
    i = siblings.index(r.id)
    if i > 0:
        assert f"../{siblings[i - 1]}/index.html" in hrefs
    if i + 1 < len(siblings):
        assert f"../{siblings[i + 1]}/index.html" in hrefs


def test_session_page_has_questions_drawings_and_a_tally_in_svg(built):
    s = next(s for s in built["sessions"] if s.title.startswith("Hostile"))
    p = parse(built["site"] / "s" / s.slug / "index.html")
    text = p.text()
    assert "28 November 2026" in text and "Salle «\u00a0R&D\u00a0» <i>" in text  # French spacing (typeset)
    # the question as asked, with French spacing (kiosk.i18n.typeset): "?" never starts a line
    assert "What would you ask a machine?" in text and "Que demanderiez-vous à une machine\u00a0?" in text
    shown = public([r for r in built["responses"] if r.session == s.slug])
    links = {v for _, _, v in p.refs}
    for r in shown:
        assert f"../../r/{r.id}/index.html" in links
    thumbs = [a for t, a in p.tags if t == "img" and a["src"].endswith("/drawing.svg")]
    assert len(thumbs) == sum(r.has_drawing for r in shown)
    assert all(a.get("alt") for a in thumbs)
    # two public choice responses picked "both": one bar, labelled, counting 2
    assert any(t == "svg" for t, _ in p.tags)
    assert [a for t, a in p.tags if t == "rect" and "bar" in a.get("class", "")]
    assert "Both & neither <ok>: 2" in text  # the chart's title, for screen readers


def test_index_lists_sessions_newest_first_with_thumbnails(built):
    p = parse(built["site"] / "index.html")
    order = [v for t, n, v in p.refs if v.startswith("s/")]
    expected = [f"s/{s.slug}/index.html" for s in built["sessions"]]
    assert [o for i, o in enumerate(order) if o not in order[:i]] == expected
    assert [a for t, a in p.tags if t == "img" and a["src"].startswith("r/") and a["src"].endswith("/drawing.svg")]


def test_progress_is_reported(built):
    calls = built["progress"]
    assert calls and calls[-1][0] == calls[-1][1] > 0


# --- incremental builds ----------------------------------------------------------------------------


def snapshot(site: Path) -> dict[str, int]:
    return {str(p.relative_to(site)): p.stat().st_mtime_ns for p in site.rglob("*") if p.is_file()}


def test_rebuild_writes_only_what_changed_and_removes_what_was_hidden(tmp_path, demo_store_dir):
    data, cfg = make_store(tmp_path, demo_store_dir)
    settings = config.load(cfg, data)
    site = data / "site"
    with Store(data) as store:
        first = build_site(store, settings)
        assert first.written > 0 and first.removed == 0
        again = build_site(store, settings)
        assert (again.written, again.removed) == (0, 0) and again.unchanged == first.written

        before = snapshot(site)
        demo = [r for r in public(store.responses()) if r.session.endswith("demo-night")]
        victim, prev_, next_ = demo[3], demo[2], demo[4]
        store.set_hidden(victim.id, True)
        hidden = build_site(store, settings)
        # its old address now says it was withdrawn; its drawing's files are gone
        assert sorted(p.name for p in (site / "r" / victim.id).iterdir()) == ["index.html"]
        assert "noindex" in (site / "r" / victim.id / "index.html").read_text(encoding="utf-8")
        assert hidden.removed == (len(assets.FILES) if victim.has_drawing else 0)
        changed = {k for k, v in snapshot(site).items() if before.get(k) != v}
        # its page, its neighbours, its session (page and CSV), its question, the front page and what lists pages
        assert changed == {f"r/{victim.id}/index.html", f"r/{prev_.id}/index.html", f"r/{next_.id}/index.html",
                           f"s/{victim.session}/index.html", f"s/{victim.session}/responses.csv",
                           f"q/{victim.prompt_id}/index.html", "index.html", "sitemap.xml", "feed.xml", MANIFEST}

        before = snapshot(site)
        session = victim.session
        new = add_response(store, session, text="A new answer", drawing=ink_drawing())
        added = build_site(store, settings)
        changed = {k for k, v in snapshot(site).items() if before.get(k) != v}
        last = [r for r in public(store.responses()) if r.session == session][-2]
        assert changed == {f"r/{new.id}/{name}" for name in ("index.html", "drawing.png", "drawing.svg")} | {
            f"r/{last.id}/index.html", f"s/{session}/index.html", f"s/{session}/responses.csv",
            f"q/{new.prompt_id}/index.html", "index.html", "sitemap.xml", "feed.xml", MANIFEST}
        assert added.written == len(changed) - 1 and added.removed == 0


def test_a_deleted_or_print_only_response_leaves_the_site(tmp_path, demo_store_dir):
    data, cfg = make_store(tmp_path, demo_store_dir)
    settings = config.load(cfg, data)
    site = data / "site"
    with Store(data) as store:
        build_site(store, settings)
        rs = public(store.responses())
        gone, to_print = rs[0], rs[1]
        shutil.rmtree(store.response_dir(gone))
        # consent changed to print-only on disk (as an archivist's fix would), then the index follows
        path = store.response_dir(to_print) / "response.json"
        path.write_text(path.read_text(encoding="utf-8").replace('"consent": "public"', '"consent": "print"'),
                        encoding="utf-8")
        store.reindex()
        result = build_site(store, settings)
    for r in (gone, to_print):  # only the page saying it was withdrawn stays at its address
        assert sorted(p.name for p in (site / "r" / r.id).iterdir()) == ["index.html"]
    assert result.removed >= 2
    for page in html_files(site):
        text = page.read_text(encoding="utf-8")
        assert gone.id not in text and to_print.id not in text


def test_a_damaged_drawing_is_left_out_with_a_message_and_the_rest_is_built(tmp_path, demo_store_dir):
    data, cfg = make_store(tmp_path, demo_store_dir)
    with Store(data) as store:
        r = next(r for r in public(store.responses()) if r.has_drawing)
        (store.response_dir(r) / "strokes.json").write_bytes(b"{ not json")
    out = run_kiosk("archive", "build", "--config", str(cfg), "--data", str(data))
    assert out.returncode == 0, out.stderr
    assert r.id in out.stderr and "kiosk check" in out.stderr and "Traceback" not in out.stderr
    page = data / "site" / "r" / r.id / "index.html"
    assert page.is_file() and not (page.parent / "drawing.png").exists()
    assert 'src="drawing.png"' not in page.read_text(encoding="utf-8")


def test_a_pipe_in_place_of_a_drawing_is_left_out_instead_of_stopping_the_build(tmp_path, demo_store_dir):
    """A folder synced or copied in can hold a FIFO named drawing.png: reading it would wait for a
    writer for ever. The build names it and goes on."""
    data, cfg = make_store(tmp_path, demo_store_dir)
    with Store(data) as store:
        r = next(r for r in public(store.responses()) if r.has_drawing)
        png = store.response_dir(r) / "drawing.png"
        png.unlink()
        os.mkfifo(png)
    out = run_kiosk("archive", "build", "--config", str(cfg), "--data", str(data), timeout=60)
    assert out.returncode == 0, out.stderr
    assert r.id in out.stderr and "not a regular file" in out.stderr and "Traceback" not in out.stderr
    assert (data / "site" / "r" / r.id / "index.html").is_file()
    assert not (data / "site" / "r" / r.id / "drawing.png").exists()


def test_strokes_with_a_number_that_is_not_one_are_a_problem_not_a_film(tmp_path):
    """NaN is not JSON: a strokes file holding it (with its hash recorded to match) is named as a
    problem, and nothing of that drawing is written (no time-lapse of 'nan' coordinates)."""
    source, target = tmp_path / "response", tmp_path / "site" / "r" / "x"
    source.mkdir()
    strokes = (b'{"format": "kiosk-strokes/1", "width": 40, "height": 30, "background": "#ffffff", "strokes": '
               b'[{"tool": "pen", "color": "#000000", "width": 4, "points": [[1, 2, 0], [NaN, 5, 10]]}]}')
    (source / "strokes.json").write_bytes(strokes)
    job = assets.AssetJob("x", str(source), str(target), hashlib.sha256(strokes).hexdigest(), "", "")
    result = assets.make_assets(job)
    assert result.problem and result.os_error is None and not target.exists()


def test_without_a_base_url_the_citation_says_where_the_page_is(tmp_path, demo_store_dir):
    data = tmp_path / "data"
    shutil.copytree(demo_store_dir, data)
    cfg = write_settings(tmp_path, base_url="''")
    with Store(data) as store:
        result = build_site(store, config.load(cfg, data), out=tmp_path / "site")
        r = public(store.responses())[0]
    text = parse(result.out / "r" / r.id / "index.html").text()
    assert f"r/{r.id}/" in text and "://" not in text.replace(LICENSE, "").replace('"https://schema.org"', "")
    assert not (result.out / "sitemap.xml").exists() and not (result.out / "feed.xml").exists()
    assert "Sitemap" not in (result.out / "robots.txt").read_text()


# --- the command ----------------------------------------------------------------------------------


def test_cli_build_and_its_errors(tmp_path, demo_store_dir):
    data = tmp_path / "data"
    shutil.copytree(demo_store_dir, data)
    out = tmp_path / "public site"
    r = run_kiosk("archive", "build", "--data", str(data), "--out", str(out), "--base-url", "https://x.example.org/a/")
    assert r.returncode == 0, r.stderr
    assert "public responses" in r.stdout and (out / "index.html").is_file()
    rid = next(p.name for p in (out / "r").iterdir())
    assert "https://x.example.org/a/r/" + rid + "/" in (out / "r" / rid / "index.html").read_text(encoding="utf-8")

    for bad, says in (("htps://x.org", "htps"), ("archive.example.org", "https://"), ("https://x.org/?a=1", "?")):
        r = run_kiosk("archive", "build", "--data", str(data), "--out", str(out), "--base-url", bad)
        assert r.returncode == 1 and says in r.stderr and "fix:" in r.stderr and "Traceback" not in r.stderr

    busy = tmp_path / "busy"
    busy.mkdir()
    (busy / "notes.txt").write_text("mine")
    r = run_kiosk("archive", "build", "--data", str(data), "--out", str(busy))
    assert r.returncode == 1 and "not empty" in r.stderr and "fix:" in r.stderr
    assert sorted(p.name for p in busy.iterdir()) == ["notes.txt"]

    r = run_kiosk("archive", "build", "--data", str(data), "--out", str(data))
    assert r.returncode == 1 and "data" in r.stderr and "fix:" in r.stderr

    # A file or a device where the folder should be: named as not a folder, nothing written.
    (tmp_path / "notes.txt").write_text("mine")
    for not_folder in (tmp_path / "notes.txt", Path("/dev/null")):
        r = run_kiosk("archive", "build", "--data", str(data), "--out", str(not_folder))
        assert r.returncode == 1 and "not a folder" in r.stderr and "--out" in r.stderr, r.stderr
    assert (tmp_path / "notes.txt").read_text() == "mine"


def test_base_url_check():
    assert urls.check_base_url(" https://a.example.org/x/ ") == "https://a.example.org/x"
    assert urls.check_base_url("http://192.168.1.20:8000") == "http://192.168.1.20:8000"
    assert urls.check_base_url("") == ""
    for bad in ("htps://a.org", "a.org/x", "https://a.org/#x", "https://a b.org", "https:/a.org", "ftp://a.org",
                "https://archive"):
        with pytest.raises(ValueError):
            urls.check_base_url(bad)
    assert urls.response_path("abc") == "r/abc/" and urls.session_path("x") == "s/x/"


@pytest.mark.parametrize("bad, says", [
    ("https://kiosk:secret@archive.example.org/x", "password"),  # printed on every page and QR code
    ("https://archive.example.org/x/../y", ". or .."),  # a browser goes to /y/: not where the site is
    ("https://archive.example.org/./x", ". or .."),
    ("https://archive.example.org//x", "empty"),
])
def test_base_url_that_would_publish_a_secret_or_lead_elsewhere_is_refused(bad, says):
    with pytest.raises(ValueError) as err:
        urls.check_base_url(bad)
    assert says in str(err.value)


def test_base_url_with_letters_outside_ascii_is_kept_in_the_form_every_reader_takes():
    """A sitemap's and a feed's addresses must be ASCII (sitemaps.org, RFC 3986): the host in IDNA,
    the path percent-encoded; characters with a meaning in HTML or XML are escaped too."""
    assert urls.check_base_url("https://archivé.example.org:8443/expo d’été".replace(" ", "_")) == \
        "https://xn--archiv-gva.example.org:8443/expo_d%E2%80%99%C3%A9t%C3%A9"
    assert urls.check_base_url("https://example.org/a<b>\"c") == "https://example.org/a%3Cb%3E%22c"
    already = "https://example.org/archiv%C3%A9"
    assert urls.check_base_url(already) == already  # not encoded twice


def test_base_url_whose_host_idna_2003_would_change_is_refused():
    """Python's IDNA codec writes straße.de as strasse.de, another domain than browsers open
    (xn--strae-oqa.de): every QR code would lead there."""
    with pytest.raises(ValueError) as err:
        urls.check_base_url("https://straße.example/kiosk")
    assert "xn--" in str(err.value) and "strasse" not in str(err.value)
    assert urls.check_base_url("https://xn--strae-oqa.example/kiosk") == "https://xn--strae-oqa.example/kiosk"


def test_a_long_session_continues_on_further_pages(tmp_path, demo_store_dir, monkeypatch):
    from kiosk.archive import pages

    monkeypatch.setattr(pages, "PAGE_SIZE", 5)
    data = tmp_path / "data"
    shutil.copytree(demo_store_dir, data)
    with Store(data) as store:
        result = build_site(store, config.load(write_settings(tmp_path), data))
        shown = public(store.responses())
        slug = shown[0].session
    folder = result.out / "s" / slug
    count = -(-len(shown) // 5)
    assert count >= 3
    assert sorted(p.relative_to(folder).as_posix() for p in folder.rglob("index.html")) == sorted(
        ["index.html"] + [f"page-{n}/index.html" for n in range(2, count + 1)])
    linked = []
    for n in range(1, count + 1):
        p = parse(folder / ("" if n == 1 else f"page-{n}") / "index.html")
        linked += [v.split("/")[-2] for t, n_, v in p.refs if t == "a" and "/r/" in v]
        assert len([v for _, _, v in p.refs if "page-" in v or v.endswith(f"s/{slug}/index.html")]) >= count
    assert linked == [r.id for r in shown]  # every response once, in order, across the pages


def test_a_link_planted_in_the_site_is_replaced_never_written_through(tmp_path):
    outside = tmp_path / "outside.txt"
    outside.write_bytes(b"not the site's\n")
    planted = tmp_path / "site" / "index.html"
    planted.parent.mkdir()
    planted.symlink_to(outside)
    for data in (b"not the site's\n", b"<!doctype html>\n"):  # the same bytes as its target, then others
        assert assets.put(planted, data) is True
        assert not planted.is_symlink() and planted.read_bytes() == data
    assert outside.read_bytes() == b"not the site's\n"
