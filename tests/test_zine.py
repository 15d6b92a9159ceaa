"""The zine, looked at as a reader and a printer would: pages, sizes, fonts, QR codes, text, errors."""

from __future__ import annotations

import dataclasses
import os
import re
import shutil
import subprocess
from datetime import datetime, timedelta
from pathlib import Path

import pytest
import zxingcpp
from conftest import run_kiosk, tmpfs
from PIL import Image
from pypdf import PdfReader

from kiosk import config, ids
from kiosk.dates import format_date
from kiosk.demo import demo_items
from kiosk.prompts import load_prompt_set
from kiosk.resources import PROMPTS
from kiosk.store import Response, Store
from kiosk.strokes import Drawing, Point, Stroke
from kiosk.zine.build import build_zine
from kiosk.zine.imposition import MM, SHEETS, page_size

pytestmark = pytest.mark.slow  # each test makes demo data, bags, PDFs or runs a real service

BASE = "https://archive.example.org/kiosk"
HIDDEN_MARKER = "HIDDENMARKER moderated away"
FRENCH = "Les employé⋅es des entrepôts ont-iels voix au chapitre ? « Être » : où, à qui, ça ?"
LONG = "Une très longue réponse, tapée sans fin et sans retour à la ligne. " * 50
KIOSK = "kz1"


def _response(session: str, when: datetime, prompt, lang: str, consent: str, text: str = "",
              options: list | None = None, hidden: bool = False) -> Response:
    chosen = [o for o in prompt.options if o.id in (options or [])]
    return Response(
        id=ids.new_response_id(KIOSK, when, when.strftime("%H%M%S").encode().ljust(10, b"-")[:10]),
        session=session, prompt_id=prompt.id, kind=prompt.kind, language=lang, consent=consent,
        prompt_text=dict(prompt.text), options=[o.id for o in chosen],
        option_text={lang_: [o.text[lang_] for o in chosen] for lang_ in ("en", "fr")},
        text=text, consent_version="1", created=when.isoformat(timespec="seconds"), hidden=hidden,
        kiosk_id=KIOSK)


def make_store(root: Path, demo: int = 8) -> dict:
    """A session of `demo` realistic drawings (the first four public) and a few hand-made answers.

    Returns what the tests expect to find: the shown responses in order, the public and the
    print-only ids, the session's slug.
    """
    prompt_set = load_prompt_set(PROMPTS / "school.yaml")
    store = Store(root, KIOSK)
    session = store.create_session("Nuit des dessins", place="Bobigny", date="2026-11-21")
    for i, item in enumerate(demo_items(session, prompt_set, demo, 11, ["#000000", "#0072b2", "#d55e00"],
                                        (1200, 900), KIOSK)):
        r = item.response
        r.consent = "public" if i < 4 or i % 3 == 0 else "print"
        r.hidden = False
        store.save_response(r, item.drawing)
    when = datetime.fromisoformat("2026-11-21T20:00:00+01:00")
    text_prompt, act = prompt_set.get("your-question"), prompt_set.get("act")
    extra = [
        (_response(session.slug, when, text_prompt, "fr", "public", FRENCH), None),
        (_response(session.slug, when + timedelta(minutes=1), text_prompt, "fr", "print", LONG), None),
        (_response(session.slug, when + timedelta(minutes=2), text_prompt, "en", "public", HIDDEN_MARKER,
                   hidden=True), None),
        (_response(session.slug, when + timedelta(minutes=3), act, "en", "print", options=["hacking"]),
         Drawing(1200, 900, "#ffffff", [Stroke("pen", "#d55e00", 24, [Point(100, 100, 0), Point(1100, 800, 400)])])),
    ]
    for r, drawing in extra:
        store.save_response(r, drawing)
    shown = store.responses(session.slug, include_hidden=False)
    store.close()
    return {
        "slug": session.slug,
        "shown": shown,
        "public": [r.id for r in shown if r.consent == "public"],
        "print": [r.id for r in shown if r.consent == "print"],
        "hidden": [r.id for r in Store(root).responses(session.slug) if r.hidden],
        "choice": sum(r.kind == "choice" for r in shown) > 0,
    }


@pytest.fixture(scope="module")
def zstore(tmp_path_factory):
    root = tmp_path_factory.mktemp("zine") / "data"
    return root, make_store(root)


def build(root: Path, expect: dict, out: Path, **kw):
    settings = config.load(None, root)
    with Store(root) as store:
        return build_zine(store, settings, [expect["slug"]], out=out, **kw)


def expected_urls(expect: dict) -> set[str]:
    return {f"{BASE}/r/{rid}/" for rid in expect["public"]} | {f"{BASE}/s/{expect['slug']}/"}


def render(pdf: Path, dpi: int, folder: Path, first: int = 1, last: int = 0) -> list[Path]:
    """The PDF's pages (from `first` to `last`, 0: to the end) as greyscale PNGs."""
    pages = ["-f", str(first)] + (["-l", str(last)] if last else [])
    subprocess.run(["pdftoppm", "-r", str(dpi), "-gray", "-png", *pages, str(pdf), str(folder / "p")], check=True)
    return sorted(folder.glob("p-*.png"))


def decode(image: Image.Image) -> list:
    return zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)


def pdf_text(pdf: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout


def words_with_boxes(pdf: Path) -> list[list[tuple[str, float, float, float, float]]]:
    """Per page: each word and its box (points, origin top left), from pdftotext -bbox."""
    html = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    pages = []
    for page in html.split("<page ")[1:]:
        pages.append([(w, float(a), float(b), float(c), float(d)) for a, b, c, d, w in re.findall(
            r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', page)])
    return pages


def panels(layout: str, paper: str) -> list[tuple[float, float, float, float]]:
    """The boxes a page may occupy on a sheet (points, origin top left): panels, halves, or the page."""
    pw, ph = page_size(layout, paper)
    if layout == "pages":
        return [(0.0, 0.0, pw, ph)]
    sw, sh = SHEETS[paper]
    return [(i * pw, j * ph, (i + 1) * pw, (j + 1) * ph) for i in range(round(sw / pw)) for j in range(round(sh / ph))]


# --- page count, size, fonts, metadata -----------------------------------------------------------


@pytest.mark.parametrize("layout", ["minizine", "booklet", "pages"])
@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_page_count_size_fonts_and_metadata(zstore, tmp_path, layout, paper):
    root, expect = zstore
    result = build(root, expect, tmp_path / "z.pdf", layout=layout, paper=paper, base_url=BASE)
    assert result.plan is not None and result.pages == result.plan.pages
    assert all(n % {"minizine": 8, "booklet": 4, "pages": 1}[layout] == 0 for n in result.plan.part_pages)
    if layout == "pages":
        assert result.plan.inside >= 1 + len(expect["shown"]) + int(expect["choice"])
    reader = PdfReader(str(result.path))
    per_side = {"minizine": 8, "booklet": 2, "pages": 1}[layout]
    assert len(reader.pages) == result.pdf_pages == result.pages // per_side
    assert result.sheets == result.pages // {"minizine": 8, "booklet": 4, "pages": 1}[layout]
    assert reader.trailer["/Root"]["/Lang"] == "en"
    want = SHEETS[paper] if layout != "pages" else page_size("pages", paper)
    for page in reader.pages:
        assert (float(page.mediabox.width), float(page.mediabox.height)) == pytest.approx(want, abs=0.01)
        assert page.get("/Rotate", 0) == 0
    fonts = subprocess.run(["pdffonts", str(result.path)], capture_output=True, text=True, check=True).stdout
    rows = [line.split() for line in fonts.splitlines()[2:]]
    assert rows and all(row[-5] == "yes" and row[-4] == "yes" for row in rows), fonts  # embedded, subset
    assert {row[0].split("+")[1] for row in rows} <= {"DejaVuSans", "DejaVuSans-Bold"}
    meta = reader.metadata
    assert meta["/Keywords"] == f"kiosk-zine layout={layout} paper={paper} parts={len(result.plan.parts)}"
    assert meta["/Title"] == "Nuit des dessins"
    assert meta["/Author"] == "School of algorithmic solidarity"
    assert meta["/Creator"].startswith("kiosk ") and meta["/Subject"]
    assert result.left_out == [f"{rid}: hidden (moderation)" for rid in expect["hidden"]]


# --- QR codes ----------------------------------------------------------------------------------


@pytest.mark.parametrize("layout, paper", [("minizine", "a4"), ("booklet", "letter"), ("pages", "a4")])
def test_qr_codes_lead_to_public_responses_only(zstore, tmp_path, layout, paper):
    root, expect = zstore
    result = build(root, expect, tmp_path / "z.pdf", layout=layout, paper=paper, base_url=BASE + "/")
    dpi = 150
    decoded: list[str] = []
    boxes = panels(layout, paper)
    for png in render(result.path, dpi, tmp_path):
        image = Image.open(png)
        width, height = image.size
        for code in decode(image):
            decoded.append(code.text)
            assert code.ec_level in ("M", "Q", "H")
            pts = [(p.x * 72 / dpi, p.y * 72 / dpi) for p in
                   (code.position.top_left, code.position.top_right, code.position.bottom_right,
                    code.position.bottom_left)]
            side = max(abs(pts[1][0] - pts[0][0]), abs(pts[1][1] - pts[0][1]))
            modules = 17 + 4 * int(code.extra["Version"])
            quiet = side / modules * 4
            full = side + 2 * quiet
            assert full >= 20 * MM - 1.5, f"{code.text}: {full / MM:.1f} mm wide with its quiet zone"
            x0, x1 = min(p[0] for p in pts) - quiet, max(p[0] for p in pts) + quiet
            y0, y1 = min(p[1] for p in pts) - quiet, max(p[1] for p in pts) + quiet
            sheet_w, sheet_h = width * 72 / dpi, height * 72 / dpi
            assert min(x0, y0, sheet_w - x1, sheet_h - y1) >= 5 * MM - 1, code.text
            # Never across a fold or a cut: the whole code, quiet zone included, inside one panel.
            assert any(bx0 <= x0 and by0 <= y0 and x1 <= bx1 and y1 <= by1 for bx0, by0, bx1, by1 in boxes), code.text
    session = f"{BASE}/s/{expect['slug']}/"
    assert sorted(u for u in decoded if u != session) == sorted(expected_urls(expect) - {session}), \
        "each public response once"
    assert decoded.count(session) == len(result.plan.parts), "the session's code on every part's cover"
    text = pdf_text(result.path)
    for rid in expect["print"] + expect["hidden"]:
        assert rid not in text and rid[:26] not in text
    assert HIDDEN_MARKER not in text
    raw = result.path.read_bytes()
    assert not any(rid.encode() in raw for rid in expect["print"])


def test_minizine_page_5_sits_upside_down_in_the_top_row(zstore, tmp_path):
    root, expect = zstore
    result = build(root, expect, tmp_path / "z.pdf", layout="minizine", paper="a4", base_url=BASE)
    public = {f"{BASE}/r/{r.id}/" for r in expect["shown"] if r.consent == "public"}
    sheet = Image.open(render(result.path, 150, tmp_path, 1, 1)[0])
    w, h = sheet.size
    top_left_panel = sheet.crop((0, 0, w // 4, h // 2))
    found = decode(top_left_panel)
    assert len(found) == 1 and found[0].text in public and found[0].orientation == 180
    upright = decode(top_left_panel.rotate(180))
    assert [c.text for c in upright] == [found[0].text] and upright[0].orientation == 0
    bottom = decode(sheet.crop((0, h // 2, w, h)))
    assert bottom and all(c.orientation == 0 for c in bottom)


def test_without_a_base_url_there_are_no_codes_and_the_command_says_so(zstore, tmp_path):
    root, expect = zstore
    out = tmp_path / "z.pdf"
    r = run_kiosk("zine", "build", "--data", str(root), "--out", str(out))
    assert r.returncode == 0, r.stderr
    assert "No archive address" in r.stderr and "--base-url" in r.stderr
    assert str(out) in r.stdout and re.search(r"\b\d+ pages\b", r.stdout)
    for png in render(out, 100, tmp_path):
        assert decode(Image.open(png)) == []


def test_settings_base_url_is_used(zstore, tmp_path):
    root, expect = zstore
    settings = dataclasses.replace(config.load(None, root), archive_base_url=BASE)
    with Store(root) as store:
        result = build_zine(store, settings, [expect["slug"]], layout="pages", out=tmp_path / "z.pdf")
    assert result.warnings == []
    first = Image.open(render(result.path, 150, tmp_path, 3, 3)[0])
    assert [c.text for c in decode(first)] == [f"{BASE}/r/{expect['shown'][0].id}/"]


# --- content, text, drawings -----------------------------------------------------------------


def test_content_in_order_with_french_text_and_tallies(zstore, tmp_path):
    root, expect = zstore
    result = build(root, expect, tmp_path / "z.pdf", layout="pages", paper="a4", base_url=BASE)
    pages = pdf_text(result.path).split("\f")
    cover, questions, *entries = pages[:2 + len(expect["shown"])]
    assert "School of algorithmic solidarity" in cover and "Nuit des dessins" in cover
    assert "Bobigny" in cover and "21 November 2026" in " ".join(cover.split())
    assert f"{BASE}/s/{expect['slug']}/" in cover.replace("\n", "")
    assert "The questions" in questions and "Your question here" in questions
    for page, r in zip(entries, expect["shown"]):
        assert re.search(rf"№\s*{Store(root).response_number(r)}\b", page)
        assert r.question().split()[0] in page
        assert format_date(r.created[:10], r.language) in " ".join(page.split())
    flat = " ".join(" ".join(re.sub(r"(\w)-\n(\w)", r"\1\2", p).split()) for p in pages)  # hyphens undone
    assert FRENCH.split(" ?")[0] in flat  # accents, ⋅, no-break spaces: all printed
    assert "employé⋅es" in flat
    assert "Hacking / Hacker" in flat  # the chosen option, in both languages on the tallies page
    tallies = pages[2 + len(expect["shown"])]
    assert "Our own statistics" in tallies and "Hacking / Hacker" in tallies
    assert "Settling" not in tallies  # nobody chose it: left out, as in the archive (kiosk.tally)
    assert "Counted: the answers shared online and those for this zine only" in " ".join(tallies.split())
    back = pages[result.pages - 1]
    assert "How this zine was made" in back and BASE in back
    assert "consent" in back and "CC BY-NC-SA 4.0" in back
    long_page = " ".join(entries[[r.text for r in expect["shown"]].index(LONG)].split())
    assert LONG.split()[-1] in long_page  # on a page this big, it all fits


@pytest.mark.parametrize("layout, paper", [("minizine", "letter"), ("booklet", "a4"), ("pages", "letter")])
def test_text_keeps_5mm_from_the_edges_and_stays_in_its_panel(zstore, tmp_path, layout, paper):
    root, expect = zstore
    result = build(root, expect, tmp_path / "z.pdf", layout=layout, paper=paper, base_url=BASE)
    if layout == "minizine":  # a panel is too small for the long answer: it is cut with an ellipsis
        assert "…" in pdf_text(result.path)
    boxes = panels(layout, paper)
    margin = 5 * MM - 0.5
    for page in words_with_boxes(result.path):
        assert page
        sw, sh = SHEETS[paper] if layout != "pages" else page_size("pages", paper)
        for word, x0, y0, x1, y1 in page:
            assert min(x0, y0, sw - x1, sh - y1) >= margin, word
            assert any(bx0 + margin <= x0 and by0 + margin <= y0 and x1 <= bx1 - margin and y1 <= by1 - margin
                       for bx0, by0, bx1, by1 in boxes), word


def test_real_minizine_cover_back_and_questions_land_where_they_fold(tmp_path):
    """An eight-page zine made by build_zine: the cover bottom right, upright; the questions top right,
    upside down; the back cover third in the bottom row."""
    from test_zine_imposition import placed_text

    root = tmp_path / "data"
    expect = make_store(root, demo=0)  # cover, questions, three answers, tallies, padding, back
    result = build(root, expect, tmp_path / "z.pdf", layout="minizine", paper="a4", base_url=BASE)
    assert result.pages == 8 and result.pdf_pages == 1
    runs = placed_text(PdfReader(str(result.path)))[0]
    pw, ph = page_size("minizine", "a4")

    def where(needle: str) -> tuple[int, int, bool]:
        x, y, flipped = next((x, y, f) for t, x, y, f in sorted(runs, key=lambda r: r[0] != needle)
                             if needle in t)
        return int(x // pw), 0 if y > ph else 1, flipped

    assert where("School of algorithmic solidarity") == (3, 1, False)  # page 1
    assert where("The questions") == (3, 0, True)  # page 2
    assert where("How this zine was made") == (2, 1, False)  # page 8
    folios = {int(t): (int(x // pw), 0 if y > ph else 1, f) for t, x, y, f in runs
              if t.isdigit() and abs(x % pw - pw / 2) < 6}  # page numbers: centred in their panel
    assert folios == {2: (3, 0, True), 3: (2, 0, True), 4: (1, 0, True), 5: (0, 0, True),
                      6: (0, 1, False), 7: (1, 1, False)}


def test_drawings_are_vector_paths_with_erasers_and_clipped(tmp_path):
    root = tmp_path / "data"
    prompt = load_prompt_set(PROMPTS / "school.yaml").get("relation")
    with Store(root, KIOSK) as store:
        s = store.create_session("Traits", date="2026-11-21")
        drawing = Drawing(1200, 900, "#ffffff", [
            Stroke("pen", "#000000", 80, [Point(-400, 450, 0), Point(1600, 450, 500)]),  # runs off the canvas
            Stroke("eraser", "#ffffff", 200, [Point(600, 100, 600), Point(600, 800, 900)]),
        ])
        store.save_response(_response(s.slug, datetime.fromisoformat("2026-11-21T15:00:00+01:00"), prompt, "en",
                                      "print"), drawing)
    result = build(root, {"slug": s.slug}, tmp_path / "z.pdf", layout="pages", paper="a4")
    page = PdfReader(str(result.path)).pages[2]
    assert "/XObject" not in page["/Resources"]  # no pasted screenshot
    image = Image.open(render(result.path, 100, tmp_path, 3, 3)[0]).convert("L")
    w, h = image.size
    px = image.load()
    def longest_dark_run(y: int) -> int:
        best = run = 0
        for x in range(w):
            run = run + 1 if px[x, y] < 60 else 0
            best = max(best, run)
        return best

    rows = [y for y in range(h) if longest_dark_run(y) > w // 5]  # the line, not text
    assert rows, "the black line is printed"
    y = rows[len(rows) // 2]
    dark = [x for x in range(w) if px[x, y] < 60]
    margin_px = 11 * MM / 72 * 100
    assert min(dark) >= margin_px - 2 and max(dark) <= w - margin_px + 2  # clipped to the canvas
    middle = (min(dark) + max(dark)) // 2
    assert px[middle, y] > 200  # the eraser painted the background back


# --- the command, and what goes wrong -----------------------------------------------------------


def test_command_defaults_to_the_latest_session_and_the_data_folder(zstore, tmp_path):
    root, expect = zstore
    data = tmp_path / "data"
    shutil.copytree(root, data)
    r = run_kiosk("zine", "build", "--data", str(data), "--base-url", BASE, "--title", "Un titre à nous")
    assert r.returncode == 0, r.stderr
    path = data / "zines" / f"{expect['slug']}-minizine-a4.pdf"
    assert r.stdout.splitlines()[0] == str(path) and path.exists()
    assert "Left out 1" in r.stdout and f"{expect['hidden'][0]}: hidden" in r.stdout
    assert PdfReader(str(path)).metadata["/Title"] == "Un titre à nous"


def test_cover_choice(zstore, tmp_path):
    root, expect = zstore
    chosen = expect["shown"][1]
    r = run_kiosk("zine", "build", "--data", str(root), "--layout", "pages", "--cover", chosen.id,
                  "--out", str(tmp_path / "z.pdf"))
    assert r.returncode == 0, r.stderr
    r = run_kiosk("zine", "build", "--data", str(root), "--cover", expect["hidden"][0], "--out",
                  str(tmp_path / "y.pdf"))
    assert r.returncode == 1 and "cover" in r.stderr and "fix:" in r.stderr
    assert not (tmp_path / "y.pdf").exists()


@pytest.mark.parametrize("args, message", [
    (["--session", "no-such-session"], "No session 'no-such-session'"),
    (["--base-url", "archive.example.org/kiosk"], "does not start with https:// or http://"),
    (["--base-url", "ftp://archive.example.org"], "starts with ftp:, not https://"),
])
def test_bad_input_is_a_clear_message(zstore, tmp_path, args, message):
    root, _ = zstore
    r = run_kiosk("zine", "build", "--data", str(root), "--out", str(tmp_path / "z.pdf"), *args)
    assert r.returncode == 1 and message in r.stderr and "fix:" in r.stderr, r.stderr
    assert "Traceback" not in r.stderr and not (tmp_path / "z.pdf").exists()


def test_unknown_layout_is_a_usage_error(zstore):
    root, _ = zstore
    r = run_kiosk("zine", "build", "--data", str(root), "--layout", "poster")
    assert r.returncode == 2 and "minizine" in r.stderr


def test_a_session_without_responses(tmp_path):
    data = tmp_path / "data"
    assert run_kiosk("session", "start", "Empty room", "--data", str(data)).returncode == 0
    r = run_kiosk("zine", "build", "--data", str(data))
    assert r.returncode == 1 and "has no responses yet" in r.stderr and "fix:" in r.stderr


def test_no_sessions_at_all(tmp_path):
    (tmp_path / "data").mkdir()
    r = run_kiosk("zine", "build", "--data", str(tmp_path / "data"))
    assert r.returncode == 1 and "no sessions" in r.stderr and "fix:" in r.stderr


def test_a_mistyped_data_folder_is_named_and_never_made(tmp_path):
    """An archivist checking a USB copy with a typo in the path must not get an all clear, nor an
    empty data folder left behind; only the commands that record answers make one."""
    typo = tmp_path / "dta"
    for args in (["check"], ["responses", "list"], ["session", "list"], ["zine", "build"], ["archive", "build"],
                 ["export", str(tmp_path / "bag")], ["reindex"], ["hide", "x"]):
        r = run_kiosk(*args, "--data", str(typo))
        assert r.returncode == 1 and f"There is no data folder at {typo}" in r.stderr and "fix:" in r.stderr, args
        assert "Traceback" not in r.stderr and not typo.exists(), args
    assert run_kiosk("session", "start", "Opening", "--data", str(typo)).returncode == 0
    assert typo.is_dir()


def test_unwritable_output_folder(zstore, tmp_path):
    root, _ = zstore
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    r = run_kiosk("zine", "build", "--data", str(root), "--out", str(blocker / "zine.pdf"))
    assert r.returncode == 1 and str(blocker) in r.stderr and "--out" in r.stderr, r.stderr
    if os.geteuid() != 0:  # root writes anywhere
        locked = tmp_path / "locked"
        locked.mkdir(mode=0o500)
        r = run_kiosk("zine", "build", "--data", str(root), "--out", str(locked / "zine.pdf"))
        assert r.returncode == 1 and "permission" in r.stderr and "--out" in r.stderr


def test_a_read_only_output_disk_is_named_as_such(zstore, tmp_path):
    root, _ = zstore
    with tmpfs(tmp_path / "usb", "1M") as usb:
        subprocess.run(["mount", "-o", "remount,ro", str(usb)], check=True)
        r = run_kiosk("zine", "build", "--data", str(root), "--out", str(usb / "zine.pdf"))
    assert r.returncode == 1 and "the disk is read-only" in r.stderr and "--out" in r.stderr, r.stderr


def test_a_damaged_drawing_is_left_out_with_a_warning(zstore, tmp_path):
    root, expect = zstore
    data = tmp_path / "data"
    shutil.copytree(root, data)
    victim = expect["shown"][1]
    strokes = data / "sessions" / expect["slug"] / "responses" / victim.id / "strokes.json"
    strokes.write_text('{"format": "kiosk-strokes/1", "strokes": [')
    out = tmp_path / "z.pdf"
    r = run_kiosk("zine", "build", "--data", str(data), "--out", str(out), "--base-url", BASE)
    assert r.returncode == 0, r.stderr
    assert victim.id in r.stderr and "damaged" in r.stderr and "kiosk check" in r.stderr
    assert f"{victim.id}: its drawing is damaged" in r.stdout
    assert out.exists() and len(PdfReader(str(out)).pages) >= 1


def test_progress_and_worker_processes_make_the_same_zine(zstore, tmp_path):
    root, expect = zstore
    seen: list[tuple[int, int]] = []
    alone = build(root, expect, tmp_path / "a.pdf", layout="booklet", base_url=BASE, workers=0)
    shared = build(root, expect, tmp_path / "b.pdf", layout="booklet", base_url=BASE, workers=2,
                   progress=lambda done, total: seen.append((done, total)))
    assert (alone.pages, alone.left_out) == (shared.pages, shared.left_out)
    assert pdf_text(alone.path) == pdf_text(shared.path)
    assert seen[0][0] == 0 and seen[-1][0] == seen[-1][1]
    assert all(a[0] <= b[0] for a, b in zip(seen, seen[1:]))


def test_the_demo_store_makes_a_zine(demo_store_dir, tmp_path):
    out = tmp_path / "demo.pdf"
    r = run_kiosk("zine", "build", "--data", str(demo_store_dir), "--out", str(out), "--base-url", BASE)
    assert r.returncode == 0, r.stderr
    pages = int(re.search(r"^(\d+) pages on (\d+) sheets", r.stdout, re.M).group(1))
    assert pages % 8 == 0 and len(PdfReader(str(out)).pages) == pages // 8


def test_two_sessions_in_one_zine_have_a_code_each(zstore, tmp_path):
    root, expect = zstore
    data = tmp_path / "data"
    shutil.copytree(root, data)
    prompt = load_prompt_set(PROMPTS / "school.yaml").get("your-question")
    with Store(data, KIOSK) as store:
        other = store.create_session("Après-midi", place="Pantin", date="2026-11-22")
        store.save_response(_response(other.slug, datetime.fromisoformat("2026-11-22T15:00:00+01:00"), prompt,
                                      "fr", "public", "Qui répare les câbles ?"))
    out = tmp_path / "two.pdf"
    r = run_kiosk("zine", "build", "--data", str(data), "--session", expect["slug"], "--session", other.slug,
                  "--layout", "pages", "--base-url", BASE, "--out", str(out))
    assert r.returncode == 0, r.stderr
    reader = PdfReader(str(out))
    assert reader.metadata["/Title"] == "Nuit des dessins · Après-midi"
    last = len(reader.pages)
    back = Image.open(render(out, 150, tmp_path, last, last)[0])
    assert {c.text for c in decode(back)} == {f"{BASE}/s/{expect['slug']}/", f"{BASE}/s/{other.slug}/"}
    assert "Qui répare les câbles" in " ".join(pdf_text(out).split())


@pytest.mark.slow
def test_without_session_the_zine_is_of_this_kiosks_latest_not_an_imported_one_dated_ahead(tmp_path):
    """A bag from a kiosk whose clock said 2030: its session must not be 'the latest' here for years."""
    here, there = tmp_path / "here", tmp_path / "there"
    assert run_kiosk("demo-data", "--session", "Ici", "--responses", "3", "--data", str(here)).returncode == 0
    assert run_kiosk("demo-data", "--session", "Ahead", "--responses", "3", "--date", "2030-01-01",
                     "--data", str(there)).returncode == 0
    assert run_kiosk("export", str(tmp_path / "bag"), "--data", str(there)).returncode == 0
    assert run_kiosk("import", str(tmp_path / "bag"), "--data", str(here)).returncode == 0
    r = run_kiosk("zine", "build", "--data", str(here), "--out", str(tmp_path / "z.pdf"))
    assert r.returncode == 0, r.stderr
    assert "-ici, the latest session of this kiosk" in r.stderr and "ahead" not in str(r.stdout), r.stderr


def test_a_zine_of_answers_imported_from_an_open_forum_kiosk_credits_the_forum(tmp_path):
    """This machine runs the School's questions; the bag came from a kiosk that ran the open forum.
    The cover, the colophon and the pages to draw on are the forum's, not this machine's set's."""
    forum = tmp_path / "forum.yaml"
    forum.write_text("prompts: forum-ouvert\n")
    made = run_kiosk("demo-data", "--session", "Forum", "--responses", "6", "--seed", "4",
                     "--config", str(forum), "--data", str(tmp_path / "forum"))
    assert made.returncode == 0, made.stderr
    assert run_kiosk("export", str(tmp_path / "bag"), "--data", str(tmp_path / "forum")).returncode == 0
    assert run_kiosk("import", str(tmp_path / "bag"), "--data", str(tmp_path / "here")).returncode == 0
    r = run_kiosk("zine", "build", "--layout", "pages", "--out", str(tmp_path / "z.pdf"), "--data", str(tmp_path / "here"))
    assert r.returncode == 0, r.stderr
    text = " ".join(" ".join(page.extract_text() for page in PdfReader(tmp_path / "z.pdf").pages).split())
    forum_set = load_prompt_set(PROMPTS / "forum-ouvert.yaml")
    school = load_prompt_set(PROMPTS / "school.yaml")
    assert forum_set.title["en"] in text and forum_set.attribution["en"] in text
    assert school.attribution["en"] not in text
    assert not [p.id for p in school.prompts if p.text["en"] in text]  # no School question on a page to draw on
