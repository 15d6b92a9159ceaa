"""The zine's imposition tables, read back from real PDFs; the QR encoder; text that fits its box."""

from __future__ import annotations

import random

import pytest
import qrcode
from pypdf import PdfReader
from qrcode.constants import ERROR_CORRECT_M
from reportlab.pdfbase.pdfmetrics import stringWidth

from kiosk.zine import qr
from kiosk.zine.imposition import MM, SHEETS, booklet_table, minizine_table, padded_count, page_size, sheet_count, sides
from kiosk.zine.pdf import BOLD, REGULAR, Meta, register_fonts, write_pdf
from kiosk.zine.text import ELLIPSIS, Para, fit


def test_booklet_table_is_the_issues_formula():
    assert booklet_table(8) == [((8, 1), (2, 7)), ((6, 3), (4, 5))]
    for n in (4, 12, 16, 40):
        table = booklet_table(n)
        assert len(table) == n // 4
        for s, (front, back) in enumerate(table, 1):
            assert front == (n - 2 * s + 2, 2 * s - 1) and back == (2 * s, n - 2 * s + 1)
        assert sorted(p for sheet in table for side in sheet for p in side) == list(range(1, n + 1))


def test_minizine_table_one_sheet_per_eight_pages():
    assert minizine_table(8) == [((5, 4, 3, 2), (6, 7, 8, 1))]
    assert minizine_table(16)[1] == ((13, 12, 11, 10), (14, 15, 16, 9))
    with pytest.raises(ValueError):
        minizine_table(12)


@pytest.mark.parametrize("layout, n, padded, sheets", [
    ("minizine", 3, 8, 1), ("minizine", 12, 16, 2), ("minizine", 16, 16, 2), ("minizine", 17, 24, 3),
    ("booklet", 5, 8, 2), ("booklet", 12, 12, 3), ("pages", 7, 7, 7),
])
def test_padding_and_sheet_counts(layout, n, padded, sheets):
    assert padded_count(layout, n) == padded
    assert sheet_count(layout, padded) == sheets


def test_paper_sizes_are_exact():
    assert SHEETS["a4"] == pytest.approx((841.89, 595.28), abs=0.01)
    assert SHEETS["letter"] == (792.0, 612.0)
    assert page_size("pages", "a4") == pytest.approx((419.53, 595.28), abs=0.01)  # A5 148 x 210 mm
    assert page_size("pages", "letter") == (396.0, 612.0)  # half-Letter
    assert page_size("booklet", "a4") == pytest.approx((420.94, 595.28), abs=0.01)
    assert page_size("minizine", "letter") == (198.0, 306.0)


class Marker:
    """A page that shows only its own number, in the middle of its box."""

    def __init__(self, n: int) -> None:
        self.n = n

    def paint(self, c, width: float, height: float) -> None:
        c.setFont(BOLD, 20)
        c.drawCentredString(width / 2, height / 2, f"P{self.n}")


def placed_text(reader: PdfReader) -> list[list[tuple[str, float, float, bool]]]:
    """Per PDF page: each text run, where its origin lands on the page, and whether it is upside down."""
    out = []
    for page in reader.pages:
        found: list[tuple[str, float, float, bool]] = []

        def visit(text, cm, tm, font, size, found=found):
            if not text.strip():
                return
            a = tm[0] * cm[0] + tm[1] * cm[2]
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            found.append((text.strip(), x, y, a < 0))

        page.extract_text(visitor_text=visit)
        out.append(found)
    return out


@pytest.mark.parametrize("layout", ["minizine", "booklet"])
@pytest.mark.parametrize("n", [8, 12, 16])
@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_every_page_lands_in_its_panel_and_orientation(tmp_path, layout, n, paper):
    total = padded_count(layout, n)
    layout_sides = sides(layout, paper, total)
    data = write_pdf([Marker(k) for k in range(1, total + 1)], layout_sides, layout,
                     Meta("t", "a", "s", f"kiosk-zine layout={layout} paper={paper}", "kiosk test"))
    (tmp_path / "z.pdf").write_bytes(data)
    reader = PdfReader(str(tmp_path / "z.pdf"))
    pw, ph = page_size(layout, paper)
    expected: dict[int, tuple[int, int, int, bool]] = {}  # page -> (PDF page, column, row from top, upside down)
    if layout == "minizine":
        assert len(reader.pages) == total // 8
        for s, (top, bottom) in enumerate(minizine_table(total)):
            for col, p in enumerate(top):
                expected[p] = (s, col, 0, True)
            for col, p in enumerate(bottom):
                expected[p] = (s, col, 1, False)
    else:
        assert len(reader.pages) == total // 2
        for s, (front, back) in enumerate(booklet_table(total)):
            for side, pair in enumerate((front, back)):
                for col, p in enumerate(pair):
                    expected[p] = (2 * s + side, col, 0, False)
    seen = {}
    for index, runs in enumerate(placed_text(reader)):
        assert reader.pages[index].mediabox.width == pytest.approx(SHEETS[paper][0], abs=0.01)
        assert reader.pages[index].mediabox.height == pytest.approx(SHEETS[paper][1], abs=0.01)
        for text, x, y, upside_down in runs:
            p = int(text[1:])
            row = 0 if y > SHEETS[paper][1] - ph else 1
            seen[p] = (index, int(x // pw), row if layout == "minizine" else 0, upside_down)
    assert seen == expected


def test_pages_layout_is_one_page_per_sheet_in_reading_order(tmp_path):
    data = write_pdf([Marker(k) for k in range(1, 6)], sides("pages", "letter", 5), "pages",
                     Meta("t", "a", "s", "kiosk-zine layout=pages paper=letter", "kiosk test"))
    (tmp_path / "p.pdf").write_bytes(data)
    runs = placed_text(PdfReader(str(tmp_path / "p.pdf")))
    assert [[t for t, *_ in r] for r in runs] == [[f"P{k}"] for k in range(1, 6)]
    assert all(not flipped for r in runs for *_, flipped in r)


def test_qr_matrix_is_the_qrcode_librarys_best_mask_code():
    rng = random.Random(4)
    alphabet = "0123456789abcdefghjkmnpqrstvwxyz"
    urls = [f"https://archive.example.org/kiosk/r/{''.join(rng.choice(alphabet) for _ in range(26))}-k{i}/"
            for i in range(12)]
    urls += ["http://localhost/s/2026-11-21-demo-night/", "https://x.example.org/" + "é" * 150 + "/"]
    for url in urls:
        ref = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=4)
        ref.add_data(url)
        ref.make(fit=True)
        assert qr.matrix(url) == ref.get_matrix(), url


@pytest.mark.slow
def test_qr_matrix_matches_the_library_in_every_version_and_mode():
    """The kiosk's own encoder (kiosk/zine/qrencode.py): the library's code for digits, capitals,
    bytes and their mixes, from the smallest version to the largest, and too much refused."""
    from kiosk.zine.qrencode import TooLong, _capacity

    rng = random.Random(11)
    data = ["", "7", "HELLO WORLD", "123\n", "https://a.example.org/" + "1" * 25 + "ABC/" * 8 + "é"]
    data += ["".join(rng.choice(alphabet) for _ in range(length)) for length in (30, 300, 3000)
             for alphabet in ("0123456789", "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:")]
    # Bytes that just fill each version (4 bits of mode, 8 or 16 of length).
    data += ["".join(rng.choice("abcdef0123456789/-") for _ in range((_capacity(v) - 4 - (8 if v < 10 else 16)) // 8))
             for v in range(1, 41)]
    versions = set()
    for text in data:
        ref = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=4)
        ref.add_data(text)
        code = qr.matrix(text)
        assert code == ref.get_matrix(), text[:40]
        versions.add((len(code) - 25) // 4)
    assert versions == set(range(1, 41))
    with pytest.raises(TooLong):
        qr.matrix("x" * 2400)


@pytest.mark.parametrize("bad", ["ftp://archive.example.org", "archive.example.org", "https://", "https://no_dot",
                                 "https://a.example.org/x?y=1", "http://exa mple.org"])
def test_base_url_must_be_a_web_address(bad):
    from kiosk.errors import KioskError

    with pytest.raises(KioskError) as err:
        qr.check_base_url(bad)
    assert err.value.fix


def test_base_url_keeps_no_trailing_slash():
    assert qr.check_base_url("https://archive.example.org/kiosk/") == "https://archive.example.org/kiosk"
    assert qr.response_url("https://a.example.org", "x") == "https://a.example.org/r/x/"
    assert qr.session_url("https://a.example.org", "s") == "https://a.example.org/s/s/"


def test_fit_shrinks_wraps_and_cuts_absurd_text():
    register_fonts()
    width, height = 60 * MM, 30 * MM
    short = fit([Para("Les employé⋅es ont-iels voix au chapitre ?", REGULAR)], width, height, 20, 6)
    assert not short.truncated and short.size > 12
    long = fit([Para("solidarité " * 2000, REGULAR)], width, height, 20, 6)
    assert long.truncated and long.size == 6
    assert long.lines[-1].text.endswith(ELLIPSIS)
    assert long.height <= height
    unbroken = fit([Para("x" * 500, BOLD)], width, height, 12, 6)
    for block in (short, long, unbroken):
        for line in block.lines:
            assert stringWidth(line.text, line.font, line.size) <= width + 0.01
            assert line.baseline + line.size * 0.25 <= height + 0.01
