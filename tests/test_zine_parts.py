"""The zine as complete objects at any size, and its text engine, read back from the built PDFs:
every minizine sheet a zine of its own (cover, session QR code), booklet volumes of at most
12 sheets with creep measured on the page boxes, no text under 6.5 pt, right-to-left answers
set flush right, emoji drawn with real glyphs, /Lang, bookmarks, clickable codes, greys."""

from __future__ import annotations

import io
import math
import re
import subprocess
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from conftest import run_kiosk
from fontTools.ttLib import TTFont
from PIL import Image
from pypdf import PdfReader
from test_zine import BASE, KIOSK, _response, decode, render, words_with_boxes

from kiosk import config
from kiosk.config import DEFAULT_PALETTE
from kiosk.demo import demo_items
from kiosk.prompts import load_prompt_set
from kiosk.resources import PROMPTS
from kiosk.store import Store
from kiosk.zine.build import build_zine, plan_zine
from kiosk.zine.grey import grey_map, lightness, luminance
from kiosk.zine.imposition import MM, SHEETS, creep, page_size, part_sides
from kiosk.zine.plan import plan

ARABIC = "مرحبا بالعالم، كيف حالكم اليوم؟"
HEBREW = "שלום עולם, מה שלומכם היום?"
MIXED = "Comment dit-on שלום en hébreu ?"
EMOJI = "Bravo 👍🏽 👩\u200d💻 ❤️ 😀 🥰"  # 🥰: Unicode 11, beyond the older emoji fonts


def demo_store(root: Path, n: int, texts: list[tuple[str, str]] = ()) -> str:
    """A session of n demo drawings (public and print-only in turn) and typed answers; its slug."""
    prompt_set = load_prompt_set(PROMPTS / "school.yaml")
    store = Store(root, KIOSK)
    session = store.create_session("Nuit des dessins", place="Bobigny", date="2026-11-21")
    for i, item in enumerate(demo_items(session, prompt_set, n, 5, list(DEFAULT_PALETTE), (1200, 900), KIOSK)):
        item.response.consent = "public" if i % 2 == 0 else "print"
        item.response.hidden = False
        store.save_response(item.response, item.drawing)
    when = datetime.fromisoformat("2026-11-21T21:00:00+01:00")
    for k, (lang, text) in enumerate(texts):
        store.save_response(_response(session.slug, when + timedelta(minutes=k), prompt_set.get("your-question"),
                                      lang, "public", text), None)
    store.close()
    return session.slug


def build(root: Path, slug: str, out: Path, **kw):
    with Store(root) as store:
        return build_zine(store, config.load(None, root), [slug], out=out, base_url=BASE, **kw)


@pytest.fixture(scope="module")
def sizes(tmp_path_factory):
    """Data folders of 1, 8 and 36 answers."""
    out = {}
    for n in (1, 8, 36):
        root = tmp_path_factory.mktemp(f"d{n}") / "data"
        out[n] = (root, demo_store(root, n))
    return out


def text_sizes(pdf: Path) -> list[tuple[float, str]]:
    """Every text run's size as printed (Tf size times the text and graphics scales), from the content streams."""
    found: list[tuple[float, str]] = []
    for page in PdfReader(str(pdf)).pages:
        def visit(text, cm, tm, font, size):
            if text.strip():
                found.append((size * math.hypot(tm[0], tm[1]) * math.hypot(cm[0], cm[1]), text))
        page.extract_text(visitor_text=visit)
    return found


def check_minizine_sheets(pdf: Path, slug: str, folder: Path, sheets: int) -> None:
    """Each sheet's cover (the bottom right panel, upright) has the title, 'sheet n of N' and the session's code."""
    reader = PdfReader(str(pdf))
    assert len(reader.pages) == sheets
    session = f"{BASE}/s/{slug}/"
    folder.mkdir(exist_ok=True)
    for n, png in enumerate(render(pdf, 120, folder), 1):
        sheet = Image.open(png)
        w, h = sheet.size
        cover = sheet.crop((3 * w // 4, h // 2, w, h))
        assert [c.text for c in decode(cover)] == [session], f"sheet {n}"
        words = " ".join(" ".join(t for t, *_ in words_with_boxes_page(pdf, n)).split())
        assert "Nuit des dessins" in words
        if sheets > 1:
            assert f"sheet {n} of {sheets}" in words


def words_with_boxes_page(pdf: Path, n: int):
    out = subprocess.run(["pdftotext", "-f", str(n), "-l", str(n), "-bbox", str(pdf), "-"], capture_output=True,
                         text=True, check=True).stdout
    return [(w, float(a)) for a, w in re.findall(r'<word xMin="([\d.]+)"[^>]*>([^<]*)</word>', out)]


@pytest.mark.parametrize("n", [1, 8, 36])
def test_every_minizine_sheet_is_a_zine_with_its_cover_and_session_code(sizes, tmp_path, n):
    root, slug = sizes[n]
    result = build(root, slug, tmp_path / "z.pdf", layout="minizine")
    assert result.plan is not None and result.sheets == len(result.plan.parts) == result.pdf_pages
    assert result.sheets == max(1, math.ceil(result.plan.inside / 6))
    check_minizine_sheets(result.path, slug, tmp_path / "png", result.sheets)
    assert PdfReader(str(result.path)).trailer["/Root"]["/Lang"] == "en"


def folio_centres(pdf: Path, page_no: int) -> dict[str, float]:
    """Digits printed at the foot of a sheet side (the folios), with their horizontal centres."""
    out = subprocess.run(["pdftotext", "-f", str(page_no), "-l", str(page_no), "-bbox", str(pdf), "-"],
                         capture_output=True, text=True, check=True).stdout
    height = float(re.search(r'<page width="[\d.]+" height="([\d.]+)"', out).group(1))
    found = {}
    for a, b, c, d, w in re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">'
                                    r'(\d+)</word>', out):
        if float(d) > height - 13 * MM - 4 and float(b) > height - 13 * MM - 14:
            found.setdefault(w, []).append((float(a) + float(c)) / 2)
    return found


def test_booklet_volumes_creep_and_fold_margin(sizes, tmp_path):
    root, slug = sizes[36]
    result = build(root, slug, tmp_path / "b.pdf", layout="booklet", sheets_per_volume=4, paper_thickness_mm=0.2)
    p = result.plan
    assert len(p.parts) > 1 and all(n // 4 <= 4 for n in p.part_pages)
    assert result.pdf_pages == 2 * result.sheets == sum(p.part_pages) // 2
    assert any("volumes" in w for w in result.warnings)
    # Measured on the page boxes: each folio sits in the middle of its page, moved towards the fold
    # by 0.2 mm per sheet outside its own.
    pw, _ = page_size("booklet", "a4")
    sides = part_sides("booklet", "a4", p.part_pages, 0.2)
    offsets = [sum(p.part_pages[:i]) for i in range(len(p.part_pages))]
    measured = []
    for i, side in enumerate(sides, 1):
        centres = folio_centres(result.path, i)
        for slot in side.slots:
            volume = max(k for k, o in enumerate(offsets) if o < slot.page)
            folio = slot.page - offsets[volume]
            if folio in (1, p.part_pages[volume]):
                continue  # the covers have no folio
            got = min(centres[str(folio)], key=lambda x: abs(x - (slot.x + pw / 2)))
            shift = got - (slot.x + pw / 2)
            assert shift == pytest.approx(slot.shift, abs=0.3)
            measured.append(abs(shift))
    assert max(measured) == pytest.approx(creep(4, 0.2), abs=0.3) and creep(4, 0.2) == pytest.approx(0.6 * MM)
    # Nothing closer than 10 mm to the fold, creep included.
    sw, _ = SHEETS["a4"]
    for page in words_with_boxes(result.path):
        for word, x0, _, x1, _ in page:
            assert min(abs(x0 - sw / 2), abs(x1 - sw / 2)) >= 10 * MM - 0.5 or x1 < sw / 2 - 10 * MM or \
                x0 > sw / 2 + 10 * MM, word
    covers = " ".join(" ".join(w for w, *_ in pg) for pg in words_with_boxes(result.path))
    assert f"volume 1 of {len(p.parts)}" in covers and f"volume {len(p.parts)} of {len(p.parts)}" in covers


@pytest.mark.parametrize("layout", ["minizine", "booklet", "pages"])
def test_no_text_under_6_5_points(sizes, tmp_path, layout):
    root, slug = sizes[36]
    result = build(root, slug, tmp_path / "z.pdf", layout=layout, paper="letter")
    found = text_sizes(result.path)
    assert found and min(size for size, _ in found) >= 6.5 - 0.01, min(found)


@pytest.fixture(scope="module")
def scripts(tmp_path_factory):
    root = tmp_path_factory.mktemp("scripts") / "data"
    slug = demo_store(root, 0, [("ar", ARABIC), ("he", HEBREW), ("fr", MIXED), ("en", EMOJI)])
    pdf = tmp_path_factory.mktemp("scripts-pdf") / "z.pdf"
    return build(root, slug, pdf, layout="pages", paper="a4")


def lines_of(words):
    """Words in lines: those whose vertical middles are within 8 pt (glyphs of a line differ in height)."""
    rows: list[list] = []
    for w in sorted(words, key=lambda w: (w[2] + w[4]) / 2):
        if rows and abs((rows[-1][0][2] + rows[-1][0][4]) / 2 - (w[2] + w[4]) / 2) < 8:
            rows[-1].append(w)
        else:
            rows.append([w])
    return [sorted(r, key=lambda w: w[1]) for r in rows]


def answer_page(result, needle) -> list:
    for page in words_with_boxes(result.path):
        if any(needle(w) for w, *_ in page):
            return page
    raise AssertionError("answer not found")


@pytest.mark.parametrize("script", ["arabic", "hebrew"])
def test_right_to_left_answers_are_set_flush_right(scripts, script):
    low, high = (0x0600, 0x06FF) if script == "arabic" else (0x0590, 0x05FF)
    is_rtl = {"arabic": lambda ch: 0x0600 <= ord(ch) <= 0x06FF or 0xFB50 <= ord(ch) <= 0xFEFF,
              "hebrew": lambda ch: low <= ord(ch) <= high}[script]
    page = answer_page(scripts, lambda w: any(is_rtl(ch) for ch in w))
    pw, _ = page_size("pages", "a4")
    rtl_lines = [ln for ln in lines_of(page) if any(is_rtl(ch) for w, *_ in ln for ch in w)]
    assert rtl_lines
    for line in rtl_lines:  # the right edge on the right margin, the left edge well inside
        assert line[-1][3] == pytest.approx(pw - 11 * MM, abs=2.5)
        assert line[0][1] > 11 * MM + 20


def test_mixed_hebrew_french_answer_reads_left_to_right_with_its_question_mark_at_the_end(scripts):
    page = answer_page(scripts, lambda w: w == "Comment")
    line = next(ln for ln in lines_of(page) if any(w == "Comment" for w, *_ in ln))
    last = next(ln for ln in lines_of(page) if any("?" in w for w, *_ in ln))
    assert line[0][0] == "Comment" and line[0][1] == pytest.approx(11 * MM, abs=1.5)  # flush left
    assert "?" in last[-1][0]  # the question mark at the right end of its line


def test_emoji_are_drawn_with_glyphs_and_joiners_are_gone(scripts, tmp_path):
    fonts = subprocess.run(["pdffonts", str(scripts.path)], capture_output=True, text=True, check=True).stdout
    assert "NotoEmoji" in fonts and "NotoSansArabic" in fonts and "NotoSansHebrew" in fonts, fonts
    rows = [line.split() for line in fonts.splitlines()[2:]]
    assert all(row[-5] == "yes" and row[-4] == "yes" for row in rows), fonts  # embedded, subset
    reader = PdfReader(str(scripts.path))
    emoji_font = None
    for page in reader.pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            font = font.get_object()
            if "NotoEmoji" in font["/BaseFont"]:
                emoji_font = font
    assert emoji_font is not None
    cmap = emoji_font["/ToUnicode"].get_object().get_data().decode("latin-1").lower()
    for ch in "👍👩💻😀🥰":
        utf16 = ch.encode("utf-16-be").hex()
        assert utf16 in cmap, ch
    # In the embedded subset, every glyph after .notdef has an outline: none is a .notdef box.
    data = emoji_font["/FontDescriptor"]["/FontFile2"].get_object().get_data()
    ttf = TTFont(io.BytesIO(data))
    glyf = ttf["glyf"]
    names = ttf.getGlyphOrder()
    drawn = [n for n in names[1:] if glyf[n].numberOfContours != 0]
    assert len(drawn) >= 5, names
    text = subprocess.run(["pdftotext", str(scripts.path), "-"], capture_output=True, text=True).stdout
    assert "\u200d" not in text and "\ufe0f" not in text and "👍" in text
    # And on the rendered page: each emoji's box has ink, and not a .notdef's hollow frame (whose
    # middle stays white): the middle third of the smiley's box is inked.
    pages = words_with_boxes(scripts.path)
    page_no = next(i for i, pg in enumerate(pages, 1) if any("Bravo" in w for w, *_ in pg))
    dpi = 150
    img = Image.open(render(scripts.path, dpi, tmp_path, page_no, page_no)[0]).convert("L")
    for emoji in ("😀", "👍", "🥰"):
        _, x0, y0, x1, y1 = next(w for w in pages[page_no - 1] if w[0] == emoji)
        box = [round(v * dpi / 72) for v in (x0, y0, x1, y1)]
        w, h = box[2] - box[0], box[3] - box[1]
        middle = img.crop((box[0] + w // 3, box[1] + h // 3, box[2] - w // 3, box[3] - h // 3))
        assert middle.getextrema()[0] < 100, emoji


def test_pages_layout_codes_are_links_and_the_pdf_has_bookmarks_and_a_language(sizes, tmp_path):
    root, slug = sizes[8]
    result = build(root, slug, tmp_path / "p.pdf", layout="pages")
    reader = PdfReader(str(result.path))
    assert reader.trailer["/Root"]["/Lang"] == "en"
    links = []
    for page in reader.pages:
        for annot in page.get("/Annots") or []:
            annot = annot.get_object()
            if annot["/Subtype"] == "/Link":
                x0, y0, x1, y1 = (float(v) for v in annot["/Rect"])
                assert abs(x1 - x0) == pytest.approx(26 * MM, abs=1) and abs(y1 - y0) == pytest.approx(26 * MM, abs=1)
                links.append(annot["/A"]["/URI"])
    with Store(root) as store:
        public = {f"{BASE}/r/{r.id}/" for r in store.responses(slug) if r.consent == "public" and r.has_drawing}
    assert public <= set(links) and f"{BASE}/s/{slug}/" in links
    titles = [o.title if not isinstance(o, list) else None for o in reader.outline]
    assert titles[0] == "Nuit des dessins"
    children = next(o for o in reader.outline if isinstance(o, list))
    assert sum(1 for o in children if o.title.startswith("№")) == 8
    meta = reader.metadata
    assert meta["/Title"] == "Nuit des dessins" and meta["/Subject"] and meta["/Author"]


def test_grey_palette_levels_are_far_apart_and_the_zine_prints_only_greys(sizes, tmp_path):
    levels = sorted(lightness(luminance(g)) for g in grey_map(DEFAULT_PALETTE).values())
    assert len(set(levels)) == len(DEFAULT_PALETTE)
    assert min(b - a for a, b in zip(levels, levels[1:])) >= 10  # L* apart: distinct on a photocopy
    assert levels[0] == 0 and levels[-1] <= 85  # black stays black, the lightest still prints
    root, slug = sizes[8]
    result = build(root, slug, tmp_path / "g.pdf", layout="pages", grey=True)
    colours = set()
    for page in PdfReader(str(result.path)).pages:
        data = page.get_contents().get_data().decode("latin-1")
        colours |= set(re.findall(r"([\d.]+) ([\d.]+) ([\d.]+) (?:RG|rg)", data))
    assert colours and all(r == g == b for r, g, b in colours), colours


def test_plan_says_sheets_staples_and_folds_before_building(sizes, tmp_path):
    p = plan("booklet", 402)
    assert len(p.parts) == 9 and all(n // 4 <= 12 for n in p.part_pages) and p.staples == 18
    assert "sheets" in p.describe("en") and "agrafes" in p.describe("fr") and p.warning("fr")
    assert plan("minizine", 6).sheets == 1 and plan("minizine", 7).sheets == 2 and plan("minizine", 7).cuts == 2
    root, slug = sizes[36]
    with Store(root) as store:
        ahead = plan_zine(store, config.load(None, root), [slug], layout="minizine")
    r = run_kiosk("zine", "build", "--data", str(root), "--base-url", BASE, "--out", str(tmp_path / "m.pdf"))
    assert r.returncode == 0, r.stderr
    assert f"This zine will take {ahead.sheets} sheets" in r.stderr
    assert f"{ahead.sheets} sheets" in r.stdout
    r = run_kiosk("zine", "build", "--data", str(root), "--base-url", BASE, "--layout", "booklet",
                  "--sheets-per-volume", "2", "--grey", "--paper-thickness", "0.15", "--out", str(tmp_path / "b.pdf"))
    assert r.returncode == 0 and "warning: More than 2 sheets" in r.stderr and "volumes" in r.stdout
    r = run_kiosk("zine", "build", "--data", str(root), "--paper-thickness", "3", "--out", str(tmp_path / "x.pdf"))
    assert r.returncode == 1 and "--paper-thickness" in r.stderr and "Traceback" not in r.stderr


@pytest.mark.slow
def test_400_answers_every_minizine_sheet_complete_and_booklet_volumes_of_12(tmp_path):
    root = tmp_path / "data"
    slug = demo_store(root, 400)
    result = build(root, slug, tmp_path / "m.pdf", layout="minizine")
    assert result.sheets == len(result.plan.parts) > 60 and any("minizines" in w for w in result.warnings)
    check_minizine_sheets(result.path, slug, tmp_path / "png", result.sheets)
    booklet = build(root, slug, tmp_path / "b.pdf", layout="booklet")
    assert len(booklet.plan.parts) > 1 and all(n // 4 <= 12 for n in booklet.plan.part_pages)
    assert min(size for size, _ in text_sizes(booklet.path)) >= 6.5 - 0.01
