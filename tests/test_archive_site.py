"""The archive around its pages: withdrawn answers, 404, languages, headings, question pages, discovery
files (sitemap, Atom, robots), JSON-LD, the time-lapse SVG, the session's CSV and zine, the favicon."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from test_archive import BASE, LICENSE, Page, add_response, html_files, ink_drawing, parse, public, write_settings

from kiosk import config, urls
from kiosk.archive import timelapse
from kiosk.archive.build import MANIFEST, build_site
from kiosk.export import metadata
from kiosk.store import Response, Store
from kiosk.strokes import Drawing, Point, Stroke, StrokesFormatError, render_svg, svg_path_data, to_json

ARABIC = "الخوارزميات تصنع الحلم : نعم !"
FRENCH = "Oui : « la machine » ; pourquoi ?"
SVG = "{http://www.w3.org/2000/svg}"
ATOM = "{http://www.w3.org/2005/Atom}"


def settings_for(root: Path, data: Path, extra: str = "", base_url: str = BASE) -> config.Settings:
    path = write_settings(root, base_url)
    path.write_text(path.read_text(encoding="utf-8") + extra, encoding="utf-8")
    return config.load(path, data)


@pytest.fixture(scope="module")
def site(tmp_path_factory, demo_store_dir):
    """A site built once, then again after one published answer was hidden and one deleted."""
    root = tmp_path_factory.mktemp("site")
    data = root / "data"
    shutil.copytree(demo_store_dir, data)
    settings = settings_for(root, data, "languages: [fr, en]\ncontact_email: archive@example.org\n")
    with Store(data) as store:
        s = store.create_session("Soirée d’essai", place="Lyon", date="2026-12-01",
                                 started="2026-12-01T18:00:00+01:00")
        arabic = add_response(store, s.slug, text=ARABIC, language="en")
        french = add_response(store, s.slug, text=FRENCH, language="fr", drawing=ink_drawing())
        victim = add_response(store, s.slug, text="soon hidden", drawing=ink_drawing())
        gone = add_response(store, s.slug, text="soon deleted")
        add_response(store, s.slug, text="stays")
        build_site(store, settings)
        store.set_hidden(victim.id, True)
        shutil.rmtree(store.response_dir(gone))
        store.reindex()
        result = build_site(store, settings)
        responses = store.responses()
    return {"out": result.out, "data": data, "session": s, "arabic": arabic, "french": french, "victim": victim,
            "gone": gone, "responses": responses, "root": root}


# --- printed QR codes never die --------------------------------------------------------------------


@pytest.mark.parametrize("who", ["victim", "gone"])
def test_a_withdrawn_answers_old_address_says_so_and_leads_to_its_session(site, who):
    r = site[who]
    page = site["out"] / "r" / r.id / "index.html"
    # as a browser reads it from the folder (file://)
    with open(urlsplit(page.as_uri()).path, encoding="utf-8") as f:
        html = f.read()
    p = Page()
    p.feed(html)
    text = p.text()
    assert "Cette réponse a été retirée" in text and "This answer was withdrawn" in text
    assert "à la demande de son auteur⋅ice ou des animateur⋅ices" in text and "author or of the facilitators" in text
    assert f"../../s/{site['session'].slug}/index.html" in {v for _, _, v in p.refs}
    assert "soon hidden" not in html and "soon deleted" not in html and r.id not in html
    assert any(t == "meta" and a.get("name") == "robots" and a.get("content") == "noindex" for t, a in p.tags)
    assert sorted(x.name for x in page.parent.iterdir()) == ["index.html"]
    # the manifest remembers it, and a later build keeps the page
    manifest = json.loads((site["out"] / MANIFEST).read_text())
    assert r.id in manifest["published"]


def test_a_published_answer_whose_record_is_damaged_is_not_said_withdrawn(site, tmp_path):
    """A byte broken in a public answer's response.json quarantines it: its page must not tell the
    world its author asked for it to be withdrawn; it says it cannot be shown for now."""
    data = tmp_path / "data"
    shutil.copytree(site["data"], data)
    settings = settings_for(tmp_path, data, "languages: [fr, en]\n")
    r = site["french"]
    with Store(data) as store:
        out = tmp_path / "site"
        build_site(store, settings, out=out)
        record = store.response_dir(r) / "response.json"
        record.write_bytes(record.read_bytes()[:-5])
        store.sync()
        result = build_site(store, settings, out=out)
    assert result.unavailable == 1 and result.withdrawn == 0  # the damaged one is not counted withdrawn
    text = parse(out / "r" / r.id / "index.html").text()
    assert "Cette réponse ne peut pas être montrée pour l’instant" in text and "cannot be shown for now" in text
    assert "retirée" not in text and "withdrawn" not in text


def test_404_page_is_bilingual_and_links_from_the_sites_root(site):
    p = parse(site["out"] / "404.html")
    assert "Page introuvable" in p.text() and "Page not found" in p.text()
    hrefs = [v for t, _, v in p.refs if t == "a" and not v.startswith("#")]
    assert hrefs and all(v.startswith("/ecole/") for v in hrefs)
    assert ("link", "href", "/ecole/style.css") in p.refs


# --- languages ---------------------------------------------------------------------------------------


def test_pages_follow_the_settings_language_order(site):
    for page in html_files(site["out"]):
        p = parse(page)
        assert next(a for t, a in p.tags if t == "html")["lang"] == "fr", page
    index = parse(site["out"] / "index.html")
    skip = next(t for t, around in index.texts if "contenu" in t or "content" in t)
    assert "Aller au contenu" in skip  # French first


def test_visitor_text_carries_its_own_language_or_none(site):
    p = parse(site["out"] / "r" / site["arabic"].id / "index.html")
    around = next(a for t, a in p.texts if ARABIC.split()[0] in t and "type" not in a[-1])
    typed = around[-1]
    assert typed.get("dir") == "auto" and "lang" not in typed  # unknown: not the English of the screen
    p = parse(site["out"] / "r" / site["french"].id / "index.html")
    shown, around = next((t, a) for t, a in p.texts if "la machine" in t and "type" not in a[-1])
    assert around[-1].get("lang") == "fr" and around[-1].get("dir") == "auto"
    # French spacing from kiosk.i18n.typeset: no sign can start a line
    assert shown == "Oui\u00a0: «\u00a0la machine\u00a0»\u00a0; pourquoi\u00a0?"


# --- headings ---------------------------------------------------------------------------------------


class Outline(Page):
    def __init__(self) -> None:
        super().__init__()
        self.headings: list[tuple[int, str]] = []
        self._in: int | None = None

    def handle_starttag(self, tag, attrs):
        super().handle_starttag(tag, attrs)
        if len(tag) == 2 and tag[0] == "h" and tag[1].isdigit():
            self._in = int(tag[1])
            self.headings.append((self._in, ""))

    def handle_endtag(self, tag):
        super().handle_endtag(tag)
        if len(tag) == 2 and tag[0] == "h" and tag[1].isdigit():
            self._in = None

    def handle_data(self, data):
        super().handle_data(data)
        if self._in is not None:
            level, text = self.headings[-1]
            self.headings[-1] = (level, text + data)


def outline(path: Path) -> list[tuple[int, str]]:
    o = Outline()
    o.feed(path.read_text(encoding="utf-8"))
    return [(level, re.sub(r"[ \t\n]+", " ", text).strip()) for level, text in o.headings]  # keeps no-break spaces


def check_outline(headings: list[tuple[int, str]]) -> None:
    assert [lvl for lvl, _ in headings].count(1) == 1 and headings[0][0] == 1, headings
    for (a, _), (b, _) in zip(headings, headings[1:]):
        assert b <= a + 1, headings  # no level skipped


def test_heading_outline_of_every_page_type(site):
    out, s = site["out"], site["session"]
    for page in html_files(out):
        check_outline(outline(page))
    french = site["french"]
    h = outline(out / "r" / french.id / "index.html")
    assert h[0] == (1, "Que demanderiez-vous à une machine\u00a0?")  # the question is the page's title
    index = outline(out / "index.html")
    assert index[1][0] == 2 and "Séances" in index[1][1]
    assert {lvl for lvl, text in index if "Soirée d’essai" in text} == {3}  # under "Sessions", not beside it
    session = outline(out / "s" / s.slug / "index.html")
    assert session[0] == (1, "Soirée d’essai") and all(lvl == 2 for lvl, _ in session[1:])
    question = outline(out / "q" / french.prompt_id / "index.html")
    assert question[0][0] == 1 and "Que demanderiez-vous" in question[0][1]
    about = outline(out / "about" / "index.html")
    assert about[0][1].startswith("À propos") and [lvl for lvl, _ in about[1:]] == [2] * (len(about) - 1)


# --- browsing by question ---------------------------------------------------------------------------------


def test_question_pages_gather_answers_across_sessions_and_are_linked(site):
    out = site["out"]
    shown = public(site["responses"])
    by_prompt: dict[str, set[str]] = {}
    for r in shown:
        by_prompt.setdefault(r.prompt_id, set()).add(r.id)
    assert {p.name for p in (out / "q").iterdir()} == set(by_prompt)
    for prompt_id, ids in by_prompt.items():
        p = parse(out / urls.prompt_path(prompt_id) / "index.html")
        linked = {v.split("/")[-2] for t, _, v in p.refs if t == "a" and "/r/" in v}
        assert linked == ids
    p = parse(out / "s" / site["session"].slug / "index.html")
    assert "../../q/test-text/index.html" in {v for _, _, v in p.refs}


def test_a_question_id_outside_the_grammar_makes_no_path(tmp_path, demo_store_dir):
    for bad in ("../x", "A", "", "a/b", "a" * 41, "-x", "x\n"):
        with pytest.raises(ValueError):
            urls.prompt_path(bad)
    assert urls.prompt_url(BASE + "/", "a_b-1") == f"{BASE}/q/a_b-1/"
    data = tmp_path / "data"
    shutil.copytree(demo_store_dir, data)
    with Store(data) as store:
        s = store.create_session("Odd")
        r = add_response(store, s.slug, text="odd id")
        raw = store.response_dir(r) / "response.json"
        raw.write_text(raw.read_text(encoding="utf-8").replace('"test-text"', '"../../evil"'), encoding="utf-8")
        store.reindex()
        # The store's validator quarantines the record (kiosk/records.py): it names it and leaves it out.
        assert any(r.id in str(p.path) and "prompt_id" in p.message for p in store.check())
        result = build_site(store, settings_for(tmp_path, data))
    assert not (result.out / "r" / r.id).exists()
    assert not (result.out / "evil").exists() and not any("evil" in p.as_posix() for p in result.out.rglob("*"))


# --- discovery and citation -------------------------------------------------------------------------


def test_sitemap_lists_existing_public_pages_only(site):
    out = site["out"]
    root = ET.parse(out / "sitemap.xml").getroot()
    locs = [e.text for e in root.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert locs and len(locs) == len(set(locs))
    for loc in locs:
        assert loc.startswith(BASE + "/") and loc.endswith("/")
        assert (out / loc[len(BASE) + 1:] / "index.html").is_file(), loc
    for r in public(site["responses"]):
        assert urls.response_url(BASE, r.id) in locs
    for r in (site["victim"], site["gone"]):
        assert urls.response_url(BASE, r.id) not in locs
    assert f"{BASE}/about/" in locs and f"{BASE}/q/test-text/" in locs
    assert f"Sitemap: {BASE}/sitemap.xml" in (out / "robots.txt").read_text()


def test_atom_feed_parses_and_lists_only_public_answers(site):
    out = site["out"]
    feed = ET.parse(out / "feed.xml").getroot()
    assert feed.tag == ATOM + "feed"
    ids = [e.find(ATOM + "id").text for e in feed.findall(ATOM + "entry")]
    shown = {urls.response_url(BASE, r.id) for r in public(site["responses"])}
    assert ids and set(ids) <= shown
    for r in site["responses"]:
        if r.hidden or r.consent != "public":
            assert urls.response_url(BASE, r.id) not in ids
    assert urls.response_url(BASE, site["victim"].id) not in ids
    newest = max(public(site["responses"]), key=lambda r: r.id)
    assert ids[0] == urls.response_url(BASE, newest.id)
    index = parse(out / "index.html")
    assert any(t == "link" and a.get("type") == "application/atom+xml" and a["href"] == "feed.xml"
               for t, a in index.tags)


def test_response_page_has_json_ld_canonical_and_opengraph(site):
    r = site["french"]
    p = parse(site["out"] / "r" / r.id / "index.html")
    html = (site["out"] / "r" / r.id / "index.html").read_text(encoding="utf-8")
    block = html.split('<script type="application/ld+json">')[1].split("</script>")[0]
    data = json.loads(block)
    assert data["@type"] == "VisualArtwork" and data["license"] == LICENSE
    assert data["dateCreated"] == r.created and data["isPartOf"]["name"] == "Soirée d’essai"
    assert data["isPartOf"]["url"] == urls.session_url(BASE, r.session)
    assert data["url"] == urls.response_url(BASE, r.id) and data["image"].endswith("/drawing.png")
    links = {a.get("rel"): a.get("href") for t, a in p.tags if t == "link"}
    assert links["canonical"] == urls.response_url(BASE, r.id)
    og = {a["property"]: a["content"] for t, a in p.tags if t == "meta" and "property" in a}
    assert og["og:image"] == urls.response_url(BASE, r.id) + "drawing.png" and og["og:type"] == "article"
    assert (site["out"] / "r" / r.id / "drawing.png").is_file()
    # the licence is named with rel=license on every page, by a link that stays in the site
    for page in html_files(site["out"]):
        lic = [a for t, a in parse(page).tags if t == "a" and a.get("rel") == "license"]
        assert lic and lic[0]["href"].endswith("about/index.html#licence"), page
    # ...by its name: an address as the text of a link that stays here would mislead
    footer = parse(site["out"] / "index.html").text()
    assert "CC BY-NC-SA 4.0" in footer and LICENSE not in footer
    about = parse(site["out"] / "about" / "index.html")
    assert LICENSE in about.text() and "archive@example.org" in about.text() and "licence" in about.ids


def test_hostile_text_cannot_leave_the_json_ld_block(tmp_path, demo_store_dir):
    data = tmp_path / "data"
    shutil.copytree(demo_store_dir, data)
    with Store(data) as store:
        s = store.create_session("X")
        r = add_response(store, s.slug, text='</script><script>alert(1)</script> & "')
        result = build_site(store, settings_for(tmp_path, data))
    html = (result.out / "r" / r.id / "index.html").read_text(encoding="utf-8")
    assert html.count("<script") == 1 and html.count("</script>") == 1
    block = html.split('<script type="application/ld+json">')[1].split("</script>")[0]
    assert json.loads(block)["text"] == '</script><script>alert(1)</script> & "'


def test_robots_setting_keeps_crawlers_out(tmp_path, demo_store_dir):
    data = tmp_path / "data"
    shutil.copytree(demo_store_dir, data)
    with Store(data) as store:
        result = build_site(store, settings_for(tmp_path, data, "archive_crawlers: false\n"))
    assert (result.out / "robots.txt").read_text().splitlines()[-2:] == ["User-agent: *", "Disallow: /"]


# --- the time-lapse ----------------------------------------------------------------------------------


def test_time_lapse_is_in_drawing_svg_every_stroke_in_order_and_no_script(site):
    r = site["french"]
    folder = site["out"] / "r" / r.id
    assert not (folder / "timelapse.svg").exists() and not (folder / "strokes.json").exists()
    svg = ET.parse(folder / "drawing.svg").getroot()
    assert svg.get("id") == "play"  # drawing.svg#play plays it (:target); drawing.svg is still
    drawing = ink_drawing()
    paths = list(svg.iter(SVG + "path"))
    assert [p.get("d") for p in paths] == [svg_path_data(s.points) for s in drawing.strokes]
    assert [p.get("stroke") for p in paths] == [s.color for s in drawing.strokes]
    assert all(p.get("pathLength") == "1" for p in paths)
    everything = list(svg.iter())
    assert not [e for e in everything if e.tag.endswith(("script", "foreignObject"))]
    assert not [k for e in everything for k in e.attrib if k.startswith("on") or "href" in k]
    style = svg.find(SVG + "style").text
    assert "@media (prefers-reduced-motion:no-preference)" in style
    # every rule that animates is behind #play:target, inside the reduced-motion query
    rules = style.split("}\n@keyframes")[0]
    assert all(line.startswith("#play:target ") for line in rules.splitlines()[1:])
    # one film per stroke, each starting when its stroke was drawn: in order
    assert [f"path:nth-of-type({n}){{animation-name:k{n}" in style for n in (1, 2, 3)] == [True] * 3
    starts = [float(m) if m else 0.0 for m in
              (re.search(rf"@keyframes k{n}{{0%(?:,([0-9.]+)%)?{{", style).group(1) for n in (1, 2, 3))]
    assert starts == sorted(starts) and starts[-1] > starts[0]
    # the response page offers it behind a link, and the still drawing to who asks for less motion
    p = parse(folder / "index.html")
    assert ("a", "href", "#drawn") in p.refs and "drawn" in p.ids
    assert ("img", "src", "drawing.svg#play") in p.refs
    sources = [a for t, a in p.tags if t == "source"]
    assert sources[0]["media"] == "(prefers-reduced-motion: reduce)" and sources[0]["srcset"] == "drawing.svg"


def test_time_lapse_of_a_long_drawing_is_capped():
    d = Drawing(1200, 900)
    minute = 60_000
    for i in range(20):  # 20 strokes, one every minute: 20 minutes of drawing
        d.add(Stroke("pen", "#000000", 5, [Point(10 + i, 10, i * minute), Point(500, 500 + i, i * minute + 800)]))
    svg = ET.fromstring(timelapse.render_playable(d))
    durs = set(re.findall(r"animation:([0-9.]+)s linear infinite", svg.find(SVG + "style").text))
    assert len(durs) == 1
    assert float(durs.pop()) <= timelapse.MAX_DURATION_S + timelapse.HOLD_S


def test_time_lapse_keyframes_move_forward_within_0_and_100_whatever_the_clock_says():
    """A damaged clock (a point recorded before the one before it, a stroke starting before the last
    one ended, all at the same instant): every stroke's keyframes stay within 0-100 % and increase."""
    d = Drawing(1200, 900)
    d.add(Stroke("pen", "#000000", 5, [Point(0, 0, 0), Point(50, 50, 60000), Point(90, 90, 1000)]))
    d.add(Stroke("pen", "#000000", 5, [Point(100, 0, 500), Point(150, 50, 400), Point(190, 90, 700)]))
    d.add(Stroke("pen", "#000000", 5, [Point(200, 0, 700), Point(250, 50, 700)]))
    d.add(Stroke("eraser", "#000000", 0.5, [Point(300, 300, 0)]))
    style = ET.fromstring(timelapse.render_playable(d)).find(SVG + "style").text
    frames = re.findall(r"@keyframes k\d+\{(.*)\}$", style, flags=re.M)
    assert len(frames) == 4
    for frame in frames:
        stops = [float(x) for sel in re.findall(r"([0-9.,%]+)\{", frame) for x in sel.replace("%", "").split(",")]
        assert stops == sorted(stops) and len(set(stops)) == len(stops) and 0 <= stops[0] and stops[-1] == 100, frame


def test_time_lapse_read_from_the_text_is_the_one_read_from_the_parsed_file():
    """The quick reading of a kiosk's own strokes file (each stroke's first and last times from its
    text) and the whole parse give the same film, for the kiosk's layout and for any other."""
    d = ink_drawing()
    d.add(Stroke("eraser", "#000000", 12.5, [Point(300, 300, 4000)]))  # a dot, after a pause
    d.add(Stroke("pen", "#123456", 3, [Point(10, 10, 4100), Point(20, 20, 3900), Point(30, 30, 4200, 0.5)]))
    raw, svg = to_json(d).encode("utf-8"), render_svg(d)
    whole = timelapse.playable_svg(json.loads(raw), svg)
    assert timelapse._times_from_text(raw) is not None  # the kiosk's layout: read from the text
    assert timelapse.playable_svg_file(raw, svg.encode("utf-8")) == (whole.encode("utf-8"), 1200, 900)
    other = json.dumps(json.loads(raw)).encode("utf-8")  # another layout: parsed whole
    assert timelapse._times_from_text(other) is None
    assert timelapse.playable_svg_file(other, svg.encode("utf-8")) == (whole.encode("utf-8"), 1200, 900)
    with pytest.raises(StrokesFormatError):
        timelapse.playable_svg_file(b"{not json", svg.encode("utf-8"))


def test_a_store_svg_with_an_entity_in_its_title_is_drawn_again():
    """Only the escapes quoteattr writes pass: an undefined entity would publish broken XML."""
    d = ink_drawing()
    forged = render_svg(d).replace("<rect", "<title>&xxe; &#0;</title>\n<rect", 1)
    film = timelapse.playable_svg(json.loads(to_json(d)), svg=forged)
    assert "xxe" not in film and "&#0;" not in film
    ET.fromstring(film)


def test_a_store_svg_that_is_not_well_formed_xml_is_drawn_again_and_an_accented_title_kept():
    """The store's SVG is checked as bytes: a title with U+FFFF (which XML refuses) or with bytes that
    are not UTF-8 would publish a file no browser shows; the drawing is made again from its strokes.
    A title with accents is the kiosk's own and stays."""
    d = ink_drawing()
    raw = to_json(d).encode("utf-8")
    for title in ("caf\uffff".encode("utf-8"), b"caf\xff", b"caf\xc0\xbc"):  # U+FFFF, not UTF-8, overlong '<'
        forged = render_svg(d).encode("utf-8").replace(b"<rect", b"<title>" + title + b"</title>\n<rect", 1)
        film, _, _ = timelapse.playable_svg_file(raw, forged)
        assert b"<title>" not in film
        ET.fromstring(film)
    accented = render_svg(d).replace("<rect", "<title>Qu’est-ce qu’un algorithme ?</title>\n<rect", 1).encode("utf-8")
    film, _, _ = timelapse.playable_svg_file(raw, accented)
    assert "Qu’est-ce qu’un algorithme ?".encode() in film
    ET.fromstring(film)


def test_time_lapse_redraws_a_drawing_whose_svg_does_not_match_its_strokes():
    """Older or odd data: the store's SVG is not one path per stroke; the film draws from the strokes."""
    d = ink_drawing()
    film = timelapse.playable_svg(json.loads(to_json(d)), svg="<svg>not the kiosk's</svg>")
    paths = list(ET.fromstring(film).iter(SVG + "path"))
    assert [p.get("d") for p in paths] == [svg_path_data(s.points) for s in d.strokes]


# --- a session's downloads ---------------------------------------------------------------------------


def test_session_csv_is_the_exports_and_holds_its_public_answers(site):
    s = site["session"]
    rows = list(csv.reader(io.StringIO((site["out"] / "s" / s.slug / "responses.csv").read_text(encoding="utf-8"))))
    assert rows[0] == metadata.HEADER
    assert [row[0] for row in rows[1:]] == [r.id for r in public(site["responses"]) if r.session == s.slug]
    p = parse(site["out"] / "s" / s.slug / "index.html")
    assert "responses.csv" in {v for _, _, v in p.refs}


def test_a_zine_goes_online_only_when_its_session_can(tmp_path, demo_store_dir):
    data = tmp_path / "data"
    shutil.copytree(demo_store_dir, data)
    with Store(data) as store:
        open_s = store.create_session("All public")
        add_response(store, open_s.slug, text="one", drawing=ink_drawing())
        mixed = store.create_session("Some print-only")
        add_response(store, mixed.slug, text="two")
        add_response(store, mixed.slug, text="three", consent="print")
        zines = data / "zines"
        zines.mkdir()
        for slug in (open_s.slug, mixed.slug):
            (zines / f"{slug}-pages-a4.pdf").write_bytes(b"%PDF-1.4 " + slug.encode())
        result = build_site(store, settings_for(tmp_path, data))
    name = f"{open_s.slug}-pages-a4.pdf"
    assert (result.out / "s" / open_s.slug / name).read_bytes() == b"%PDF-1.4 " + open_s.slug.encode()
    assert name in {v for _, _, v in parse(result.out / "s" / open_s.slug / "index.html").refs}
    assert not list((result.out / "s" / mixed.slug).glob("*.pdf"))  # it prints a print-only answer
    # a PDF older than the session's newest answer may miss it, or hold one withdrawn since: not linked
    old = zines / f"{open_s.slug}-pages-a4.pdf"
    os.utime(old, (0, 0))
    with Store(data) as store:
        result = build_site(store, settings_for(tmp_path, data))
    assert not list((result.out / "s" / open_s.slug).glob("*.pdf"))


# --- lighter --------------------------------------------------------------------------------------------


def test_favicon_is_linked_and_there_is_no_raster_thumbnail(site):
    out = site["out"]
    assert (out / "favicon.svg").read_text().startswith("<svg") and (out / "favicon.ico").read_bytes()[:4] == \
        b"\x00\x00\x01\x00"
    for page in html_files(out):
        icons = [a["href"] for t, a in parse(page).tags if t == "link" and a.get("rel") == "icon"]
        assert icons and any(h.endswith("favicon.svg") for h in icons), page
    assert not list(out.rglob("thumb.png"))


def test_response_record_is_unchanged_by_the_build(site):
    """The site is made from the store; the store is never written."""
    r = site["french"]
    assert Response.from_dict(json.loads((site["data"] / "sessions" / r.session / "responses" / r.id
                                          / "response.json").read_text())).text == FRENCH


@pytest.mark.slow
def test_include_zine_makes_and_links_the_zine_of_a_session_that_can_go_online(tmp_path, demo_store_dir):
    data = tmp_path / "data"
    shutil.copytree(demo_store_dir, data)
    with Store(data) as store:
        s = store.create_session("Zine night")
        for i in range(3):
            add_response(store, s.slug, text=f"answer {i}", drawing=ink_drawing())
        settings = settings_for(tmp_path, data)
        result = build_site(store, settings, include_zine=True)
        assert not result.problems
        name = f"{s.slug}-pages-a4.pdf"
        made = data / "zines" / name
        assert made.read_bytes().startswith(b"%PDF")
        assert (result.out / "s" / s.slug / name).read_bytes() == made.read_bytes()
        assert name in {v for _, _, v in parse(result.out / "s" / s.slug / "index.html").refs}
        again = build_site(store, settings, include_zine=True)  # found up to date: not made again
        assert again.written == 0 and made.stat().st_mtime_ns == (data / "zines" / name).stat().st_mtime_ns
        # the demo session holds print-only answers: no zine of it is made or linked
        demo = next(x for x in store.sessions() if x.slug.endswith("demo-night"))
        assert not list((data / "zines").glob(f"{demo.slug}-*")) and not list((result.out / "s" / demo.slug).glob("*.pdf"))


def test_the_command_says_what_it_leaves_out_without_a_base_url(tmp_path, demo_store_dir):
    from conftest import run_kiosk

    data = tmp_path / "data"
    shutil.copytree(demo_store_dir, data)
    out = run_kiosk("archive", "build", "--data", str(data), "--out", str(tmp_path / "site"))
    assert out.returncode == 0, out.stderr
    assert "no sitemap.xml or feed.xml" in out.stdout and "--base-url" in out.stdout
    assert (tmp_path / "site" / "robots.txt").is_file() and not (tmp_path / "site" / "sitemap.xml").exists()


def test_a_withdrawn_answer_links_its_session_even_when_no_answer_of_it_is_left_online(tmp_path, demo_store_dir):
    """Its session keeps its page (the QR code of the session leads there): the notice links to it."""
    data = tmp_path / "data"
    shutil.copytree(demo_store_dir, data)
    with Store(data) as store:
        s = store.create_session("Only one answer")
        only = add_response(store, s.slug, text="mine")
        settings = settings_for(tmp_path, data)
        build_site(store, settings)
        store.set_hidden(only.id, True)
        result = build_site(store, settings)
    session_page = f"s/{s.slug}/index.html"
    assert (result.out / session_page).is_file()
    assert f"../../{session_page}" in {v for _, _, v in parse(result.out / "r" / only.id / "index.html").refs}
    assert f"../{session_page}" in {v for _, _, v in parse(result.out / "about" / "index.html").refs}


def test_a_zine_made_before_an_answer_was_deleted_goes_offline_until_one_is_made_again(tmp_path, demo_store_dir):
    """The older PDF still prints the deleted answer: publishing it would keep a withdrawn answer online."""
    data = tmp_path / "data"
    shutil.copytree(demo_store_dir, data)
    with Store(data) as store:
        s = store.create_session("All public")
        add_response(store, s.slug, text="stays", drawing=ink_drawing())
        gone = add_response(store, s.slug, text="deleted later")
        zine = data / "zines" / f"{s.slug}-pages-a4.pdf"
        zine.parent.mkdir()
        zine.write_bytes(b"%PDF-1.4 with both answers")
        settings = settings_for(tmp_path, data)
        result = build_site(store, settings)
        online = result.out / "s" / s.slug / zine.name
        assert online.is_file()
        shutil.rmtree(store.response_dir(gone))
        store.reindex()
        result = build_site(store, settings)
        assert not online.exists()
        assert zine.name not in {v for _, _, v in parse(result.out / "s" / s.slug / "index.html").refs}
        assert not build_site(store, settings).written  # still withheld on the next build
        assert not online.exists()
        zine.write_bytes(b"%PDF-1.4 made again, without it")  # a zine made since: it may go online
        build_site(store, settings)
        assert online.read_bytes() == b"%PDF-1.4 made again, without it"


def _citation(page: Path) -> str:
    html = page.read_text(encoding="utf-8")
    cite = html[html.index('<section class="cite">'):]
    return re.sub(r"<[^>]+>", "", cite[cite.index("<p>"):cite.index("</p>")])


def test_the_citation_is_one_sentence_in_the_answers_language_with_its_typography(site):
    """A French answer is cited in French ('Adresse permanente :', a no-break space before the
    colon), an English one in English ('Permanent address:'): a line to copy, not two languages."""
    french = _citation(site["out"] / "r" / site["french"].id / "index.html")
    assert "Adresse permanente\u00a0: https://" in french and "Permanent" not in french, french
    english = next(r for r in site["responses"] if r.language == "en")
    cited = _citation(site["out"] / "r" / english.id / "index.html")
    assert "Permanent address: https://" in cited and "permanente" not in cited, cited


def test_the_charts_summary_follows_french_typography_on_a_french_first_site(tmp_path, demo_store_dir):
    data = tmp_path / "data"
    shutil.copytree(demo_store_dir, data)
    with Store(data) as store:
        s = store.create_session("Choix")
        for _ in range(2):
            add_response(store, s.slug, kind="choice", language="fr",
                         options={"ids": ["oui"], "text": {"fr": ["Oui"], "en": ["Yes"]}})
        add_response(store, s.slug, kind="choice", language="fr",
                     options={"ids": ["non"], "text": {"fr": ["Non"], "en": ["No"]}})
        result = build_site(store, settings_for(tmp_path, data, "languages: [fr, en]\n"))
    p = parse(result.out / "s" / s.slug / "index.html")
    summary = next(t for t, around in p.texts if around and around[-1].get("id") == "tally-1")
    assert summary == "Oui\u00a0: 2\u00a0; Non\u00a0: 1"


def test_a_site_is_not_rebuilt_from_a_data_folder_that_holds_none_of_its_sessions(tmp_path, demo_store_dir):
    """The wrong --data (an empty folder, another kiosk's) would call every published answer withdrawn at
    its author's request and take every drawing offline: refused, with the fix, and the site left as it was."""
    from conftest import run_kiosk

    data = tmp_path / "data"
    shutil.copytree(demo_store_dir, data)
    site_dir = tmp_path / "site"
    assert run_kiosk("archive", "build", "--data", str(data), "--out", str(site_dir)).returncode == 0
    before = {p: p.read_bytes() for p in site_dir.rglob("*") if p.is_file()}
    other = tmp_path / "other"
    other.mkdir()
    r = run_kiosk("archive", "build", "--data", str(other), "--out", str(site_dir))
    assert r.returncode == 1 and "Traceback" not in r.stderr
    assert "None of the 1 sessions" in r.stderr and "--data" in r.stderr and "fix:" in r.stderr
    assert {p: p.read_bytes() for p in site_dir.rglob("*") if p.is_file()} == before
    # from its own data folder, it is built as before
    assert run_kiosk("archive", "build", "--data", str(data), "--out", str(site_dir)).returncode == 0


def test_the_data_folders_own_site_takes_every_answer_offline_once_every_session_is_deleted(tmp_path,
                                                                                              demo_store_dir):
    """Deleting every session on purpose (their visitors withdrew) must take them off the site that
    `kiosk archive serve` serves, the data folder's own site/: the build once refused, saying the site
    came from another data folder, and the answers stayed online."""
    from conftest import run_kiosk

    data = tmp_path / "data"
    shutil.copytree(demo_store_dir, data)
    assert run_kiosk("archive", "build", "--data", str(data)).returncode == 0
    published = [p.parent.name for p in (data / "site" / "r").glob("*/drawing.png")]
    assert published
    for session in (data / "sessions").iterdir():
        shutil.rmtree(session)
    r = run_kiosk("archive", "build", "--data", str(data))
    assert r.returncode == 0, r.stderr
    assert not list((data / "site" / "r").glob("*/drawing.png"))  # every drawing offline
    assert (data / "site" / "r" / published[0] / "index.html").is_file()  # its address says it was withdrawn
