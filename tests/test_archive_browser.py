"""The archive in a real browser (Debian's headless Chromium), opened from disk: the drawing shows."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image
from test_archive import INK, add_response, write_settings

from kiosk import config
from kiosk.archive.build import build_site
from kiosk.store import Store
from kiosk.strokes import Drawing, Point, Stroke

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed (make system-deps)")]


def screenshot(url: str, out: Path, size: tuple[int, int], tmp: Path, *flags: str) -> Image.Image:
    # A headless Chromium that hangs (it happens, rarely, on a loaded machine) is tried once more
    # with a fresh profile: the page is what is tested, not the browser's start-up.
    for attempt in (1, 2):
        profile = tmp / f"profile-{out.stem}-{attempt}"
        try:
            subprocess.run(
                [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--hide-scrollbars", *flags,
                 f"--user-data-dir={profile}", f"--screenshot={out}", f"--window-size={size[0]},{size[1]}", url],
                check=True, capture_output=True, timeout=60)
            break
        except subprocess.TimeoutExpired:
            if attempt == 2:
                raise
    return Image.open(out).convert("RGB")


def ink_pixels(img: Image.Image) -> list[tuple[int, int]]:
    r0, g0, b0 = (int(INK[i:i + 2], 16) for i in (1, 3, 5))
    px = img.load()
    w, h = img.size
    return [(x, y) for y in range(0, h, 2) for x in range(0, w, 2)
            if abs(px[x, y][0] - r0) < 30 and abs(px[x, y][1] - g0) < 30 and abs(px[x, y][2] - b0) < 30]


def slow_ink_drawing() -> Drawing:
    """Thick magenta strokes across the canvas, ten seconds each: a film 30 s long, so that a browser
    slowed by a loaded machine still shows most of it undrawn at the start."""
    d = Drawing(1200, 900)
    for y in (200, 450, 700):
        d.add(Stroke("pen", INK, 60, [Point(100 + x, y, x * 10) for x in range(0, 1001, 50)]))
    return d


@pytest.fixture(scope="module")
def site(tmp_path_factory, demo_store_dir):
    root = tmp_path_factory.mktemp("browser")
    data = root / "data"
    shutil.copytree(demo_store_dir, data)
    with Store(data) as store:
        # The newest session, so that it comes first on the index; the only magenta ink anywhere.
        s = store.create_session("Magenta evening", place="Montréal", date="2027-01-15",
                                 started="2027-01-15T18:00:00-05:00")
        r = add_response(store, s.slug, text="Trois lignes magenta, « à main levée ».", language="fr",
                         drawing=slow_ink_drawing())
        result = build_site(store, config.load(write_settings(root), data))
    return result.out, r.id, root


def test_response_page_shows_the_drawing_on_a_phone(site):
    out, rid, tmp = site
    img = screenshot((out / "r" / rid / "index.html").as_uri(), tmp / "response.png", (390, 844), tmp)
    ink = ink_pixels(img)
    assert len(ink) > 500, "no drawing on the response page"
    xs = [x for x, _ in ink]
    ys = [y for _, y in ink]
    # Three strokes across 5/6 of the canvas: the drawing spans most of a phone's width...
    assert max(xs) - min(xs) > 0.6 * 390
    # ...and is seen without scrolling, below the question.
    assert 100 < min(ys) and max(ys) < 844


def test_index_shows_thumbnails(site):
    out, _, tmp = site
    img = screenshot((out / "index.html").as_uri(), tmp / "index.png", (1366, 900), tmp)
    ink = ink_pixels(img)
    assert len(ink) > 50, "no thumbnail of the newest session's drawing on the index"
    # The thumbnail is small: a quarter of the width at most.
    xs = [x for x, _ in ink]
    assert max(xs) - min(xs) < 1366 / 3


def test_time_lapse_opened_alone_is_still_for_who_asks_for_less_motion(site):
    """drawing.svg#play's own stylesheet: with reduced motion, the whole drawing at once, as drawing.svg shows it."""
    out, rid, tmp = site
    folder = out / "r" / rid
    film = screenshot((folder / "drawing.svg").as_uri() + "#play", tmp / "film-still.png", (600, 450), tmp,
                      "--force-prefers-reduced-motion")
    still = screenshot((folder / "drawing.svg").as_uri(), tmp / "drawing-still.png", (600, 450), tmp)
    shown, expected = len(ink_pixels(film)), len(ink_pixels(still))
    assert expected > 500 and abs(shown - expected) <= 0.02 * expected


def test_time_lapse_plays_under_play_and_the_plain_file_stays_still(site):
    """Three strokes of ten seconds each, shown by an <img> as the site shows them: drawing.svg#play
    starts from an empty canvas (early on, most of the ink is not down yet: the browser's clock
    under load is not exact enough to ask for more); drawing.svg (the thumbnails,
    the large drawing) shows all of it at any time. The strokes' order is checked in the SVG itself."""
    out, rid, tmp = site
    svg = (out / "r" / rid / "drawing.svg").as_uri()
    ink = {}
    for name, src in (("still", svg), ("playing", svg + "#play")):
        page = tmp / f"img-{name}.html"
        page.write_text(f'<!doctype html><body style="margin:0"><img src="{src}" width="600" height="450">',
                        encoding="utf-8")
        # No --virtual-time-budget: with a film playing, Chromium's virtual time sometimes never
        # runs out and the screenshot hangs (seen once in CI). The screenshot is taken at load,
        # seconds into a 30-second film at most.
        ink[name] = len(ink_pixels(screenshot(page.as_uri(), tmp / f"img-{name}.png", (600, 450), tmp)))
    assert ink["still"] > 500 and ink["playing"] < 0.7 * ink["still"], ink