"""Printing through a real, private CUPS: queues, options as CUPS recorded them, the PDF that comes out."""

from __future__ import annotations

import re
import shutil
import socket
import subprocess
from pathlib import Path

import pytest
from conftest import kiosk_env, run_kiosk
from cupsfixture import cups_server  # noqa: F401  (the fixture, found by name)
from pypdf import PdfReader
from reportlab.lib.pagesizes import A4, landscape, letter
from reportlab.pdfgen import canvas

from kiosk import printing
from kiosk.resources import FONT_REGULAR

pytestmark = pytest.mark.slow  # each test makes demo data, bags, PDFs or runs a real service

QUEUE = "kioskpdf"


def make_zine_pdf(path: Path, pagesize=landscape(A4), pages: int = 8, keywords: str | None = None) -> Path:
    """A stand-in zine: numbered pages with a text mark and a box at known places."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    pdfmetrics.registerFont(TTFont("DejaVuSans", str(FONT_REGULAR)))
    c = canvas.Canvas(str(path), pagesize=pagesize)
    if keywords:
        c.setKeywords(keywords)
    for n in range(1, pages + 1):
        c.setFont("DejaVuSans", 14)
        # ASCII only: words must survive text extraction after CUPS's PostScript round trip.
        c.drawString(60 + 20 * n, 80 + 10 * n, f"page {n} of the zine")
        c.rect(300, 200, 120, 60, fill=1)
        c.showPage()
    c.save()
    return path


def word_boxes(pdf: Path) -> list[tuple[str, float, float, float, float]]:
    """Every word with its box, as poppler sees the page (rotation applied)."""
    html = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return [(w, float(a), float(b), float(c), float(d)) for a, b, c, d, w in re.findall(
        r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', html)]


def seen_size(page) -> tuple[float, float]:
    w, h = float(page.mediabox.width), float(page.mediabox.height)
    return (h, w) if (page.rotation or 0) % 180 else (w, h)


def assert_same_sheets(original: Path, printed: Path, copies: int = 1) -> None:
    src, out = PdfReader(str(original)), PdfReader(str(printed))
    assert len(out.pages) == copies * len(src.pages)
    for page in out.pages:
        assert seen_size(page) == pytest.approx(seen_size(src.pages[0]), abs=1.0)
    # Unscaled and unshifted: every word sits where it sat in the original, to a point.
    before, after = word_boxes(original), word_boxes(printed)[:len(word_boxes(original))]
    assert [w[0] for w in after] == [w[0] for w in before]
    for a, b in zip(after, before):
        assert a[1:] == pytest.approx(b[1:], abs=1.0), (a, b)


@pytest.fixture
def server_env(cups_server):
    return kiosk_env(CUPS_SERVER=str(cups_server.socket))


@pytest.fixture
def use_server(cups_server, monkeypatch):
    """In-process calls talk to the private cupsd too."""
    monkeypatch.setenv("CUPS_SERVER", str(cups_server.socket))
    monkeypatch.delenv("PRINTER", raising=False)
    monkeypatch.delenv("LPDEST", raising=False)
    return cups_server


def job_of(output: str) -> str:
    m = re.search(r"Job (\S+) is in the queue", output)
    assert m, output
    return m.group(1)


# ---------------------------------------------------------------------------- against the private cupsd

def test_lists_the_private_queue_as_idle(use_server, server_env):
    [p] = printing.list_printers()
    assert (p.name, p.state, p.accepting, p.reason) == (QUEUE, "idle", True, "")
    r = run_kiosk("printers", "list", env=server_env)
    assert r.returncode == 0, r.stderr
    assert re.search(rf"^{QUEUE}\s+idle", r.stdout, re.M), r.stdout


def test_booklet_comes_out_unscaled_and_two_sided(cups_server, server_env, tmp_path):
    pdf = make_zine_pdf(tmp_path / "demo-night-booklet-a4.pdf", keywords="kiosk-zine layout=booklet paper=a4")
    r = run_kiosk("print", str(pdf), "--printer", QUEUE, env=server_env)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "booklet, A4 landscape, both sides, flipped on the short edge, unscaled" in r.stdout
    assert "Printed: job" in r.stdout and "completed" in r.stdout
    job = job_of(r.stdout)
    attrs = cups_server.job_attributes(job)
    assert attrs["sides"] == ["two-sided-short-edge"]
    assert attrs["print-scaling"] == ["none"]
    assert attrs["media"] == ["iso_a4_210x297mm"]
    assert attrs["landscape"] == [True]
    assert "fit-to-page" not in attrs
    assert attrs["job-state"] == [9]  # completed
    assert_same_sheets(pdf, cups_server.output_for(job))


def test_minizine_on_letter_is_one_sided_and_layout_can_be_overridden(use_server, tmp_path):
    # No Keywords: the layout comes from the name kiosk zine build gives its files.
    pdf = make_zine_pdf(tmp_path / "demo-night-minizine-letter.pdf", pagesize=landscape(letter))
    job = printing.submit(pdf, QUEUE)
    status = printing.wait_for_job(job, 60)
    assert status.state == "completed", status
    attrs = use_server.job_attributes(job)
    assert (attrs["sides"], attrs["media"], attrs["print-scaling"]) == (
        ["one-sided"], ["na_letter_8.5x11in"], ["none"])
    assert_same_sheets(pdf, use_server.output_for(job))

    job = printing.submit(pdf, QUEUE, copies=2, layout="booklet")
    assert printing.wait_for_job(job, 60).state == "completed"
    attrs = use_server.job_attributes(job)
    assert (attrs["sides"], attrs["copies"], attrs["collate"]) == (["two-sided-short-edge"], [2], [True])
    assert_same_sheets(pdf, use_server.output_for(job), copies=2)


@pytest.mark.parametrize("layout, sides", [("booklet", "two-sided-short-edge"), ("minizine", "one-sided")])
def test_prints_a_zine_made_by_kiosk_zine_build(cups_server, server_env, demo_store_dir, tmp_path, layout, sides):
    from kiosk.store import Store

    with Store(demo_store_dir) as store:
        slug = store.sessions()[0].slug
    pdf = tmp_path / f"{slug}-{layout}-a4.pdf"
    built = run_kiosk("zine", "build", "--session", slug, "--layout", layout, "--paper", "a4", "--out", str(pdf),
                      "--data", str(demo_store_dir), env=server_env)
    assert built.returncode == 0, built.stdout + built.stderr
    r = run_kiosk("print", str(pdf), "--printer", QUEUE, env=server_env)
    assert r.returncode == 0, r.stdout + r.stderr
    job = job_of(r.stdout)
    attrs = cups_server.job_attributes(job)
    assert (attrs["sides"], attrs["print-scaling"], attrs["media"]) == ([sides], ["none"], ["iso_a4_210x297mm"])
    printed = PdfReader(str(cups_server.output_for(job)))
    source = PdfReader(str(pdf))
    assert len(printed.pages) == len(source.pages)
    for page in printed.pages:
        assert seen_size(page) == pytest.approx(seen_size(source.pages[0]), abs=1.0)


def test_paused_queue_is_reported_with_its_reason_and_resumed(cups_server, server_env, tmp_path):
    pdf = make_zine_pdf(tmp_path / "paused-minizine-a4.pdf", pages=8)
    cups_server.run("cupsdisable", "-r", "Out of paper", QUEUE)
    try:
        listed = run_kiosk("printers", "list", env=server_env)
        assert listed.returncode == 0, listed.stderr
        assert re.search(rf"^{QUEUE}\s+paused \(Out of paper\)", listed.stdout, re.M), listed.stdout
        assert f"kiosk printers resume {QUEUE}" in listed.stdout

        r = run_kiosk("print", str(pdf), "--printer", QUEUE, env=server_env)
        assert r.returncode == 1, r.stdout + r.stderr
        assert "Out of paper" in r.stderr and f"kiosk printers resume {QUEUE}" in r.stderr
        assert "Traceback" not in r.stderr
        job = job_of(r.stdout)
    finally:
        resumed = run_kiosk("printers", "resume", QUEUE, env=server_env)
    assert resumed.returncode == 0, resumed.stderr
    assert f"{QUEUE} resumed" in resumed.stdout
    # The job waited in its queue and prints once the queue is resumed: nothing lost.
    assert_same_sheets(pdf, cups_server.output_for(job))
    listed = run_kiosk("printers", "list", env=server_env)
    assert re.search(rf"^{QUEUE}\s+(idle|printing)", listed.stdout, re.M), listed.stdout


def test_refused_job_is_reported(cups_server, server_env, tmp_path):
    pdf = make_zine_pdf(tmp_path / "z-pages-a4.pdf", pagesize=A4, pages=2)
    cups_server.run("cupsreject", "-r", "Closed for the night", QUEUE)
    try:
        r = run_kiosk("print", str(pdf), "--printer", QUEUE, env=server_env)
        listed = run_kiosk("printers", "list", env=server_env)
    finally:
        cups_server.run("cupsaccept", QUEUE)
    assert r.returncode == 1, r.stdout + r.stderr
    assert f"{QUEUE} refused the job" in r.stderr and "Closed for the night" in r.stderr
    assert f"kiosk printers resume {QUEUE}" in r.stderr
    assert "not accepting jobs" in listed.stdout and "Closed for the night" in listed.stdout


def test_held_job_then_canceled(use_server, tmp_path):
    pdf = make_zine_pdf(tmp_path / "held.pdf", pages=1)
    out = use_server.run("lp", "-d", QUEUE, "-H", "indefinite", str(pdf)).stdout
    job = re.search(r"request id is (\S+)", out).group(1)
    status = printing.wait_for_job(job, 10)
    assert (status.state, status.stuck) == ("held", True)
    use_server.run("cancel", job)
    assert printing.job_status(job).state == "canceled"


def test_without_ipptool_a_finished_job_is_read_from_lpstat(use_server, tmp_path, monkeypatch):
    tools = tmp_path / "bin"
    tools.mkdir()
    for name in ("lp", "lpstat"):  # CUPS's clients, but not ipptool
        (tools / name).symlink_to(shutil.which(name))
    monkeypatch.setenv("PATH", str(tools))
    job = printing.submit(make_zine_pdf(tmp_path / "z-pages-a4.pdf", pagesize=A4, pages=1), QUEUE)
    assert printing.wait_for_job(job, 60).state == "completed"


def test_missing_printer_lists_the_existing_ones(server_env, tmp_path):
    pdf = make_zine_pdf(tmp_path / "z.pdf", pages=1)
    for args in (("print", str(pdf), "--printer", "nosuch"), ("printers", "resume", "nosuch")):
        r = run_kiosk(*args, env=server_env)
        assert r.returncode == 1, r.stdout + r.stderr
        assert 'no printer called "nosuch"' in r.stderr and QUEUE in r.stderr
        assert "Traceback" not in r.stderr


# ---------------------------------------------------------------------------- no CUPS needed

def dead_server() -> str:
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        return f"127.0.0.1:{s.getsockname()[1]}"


def test_unreachable_cups_is_a_clear_error(tmp_path):
    env = kiosk_env(CUPS_SERVER=dead_server())
    pdf = make_zine_pdf(tmp_path / "z.pdf", pages=1)
    for args in (("printers", "list"), ("printers", "resume", QUEUE), ("print", str(pdf))):
        r = run_kiosk(*args, env=env)
        assert r.returncode == 1, r.stdout + r.stderr
        assert ("not running" in r.stderr or "not installed" in r.stderr) and "fix:" in r.stderr
        assert "Traceback" not in r.stderr


@pytest.mark.parametrize("name, content, args, expected", [
    ("notes.pdf", b"just some text\n", (), "is not a PDF"),
    ("missing.pdf", None, (), "does not exist"),
    ("z.pdf", "pdf", ("--copies", "0"), "copies must be a whole number of at least 1"),
    ("broken.pdf", b"%PDF-1.4\n1 0 obj garbage", (), "damaged PDF"),
])
def test_bad_input_is_a_clear_error(tmp_path, name, content, args, expected):
    path = tmp_path / name
    if content == "pdf":
        make_zine_pdf(path, pages=1)
    elif content is not None:
        path.write_bytes(content)
    r = run_kiosk("print", str(path), *args, env=kiosk_env(CUPS_SERVER=dead_server()))
    assert r.returncode == 1, r.stdout + r.stderr
    assert expected in r.stderr and "fix:" in r.stderr
    assert "Traceback" not in r.stderr


def test_layout_and_paper_are_read_from_the_pdf(tmp_path):
    booklet = make_zine_pdf(tmp_path / "anything.pdf", keywords="kiosk-zine layout=booklet paper=a4", pages=1)
    plan = printing.plan_print(booklet)
    assert (plan.layout, plan.media, plan.landscape, plan.sides) == (
        "booklet", "iso_a4_210x297mm", True, "two-sided-short-edge")
    assert "print-scaling=none" in plan.options and not any("fit" in o for o in plan.options)
    named = make_zine_pdf(tmp_path / "forum-minizine-letter.pdf", pagesize=landscape(letter), pages=1)
    assert (printing.plan_print(named).layout, printing.plan_print(named).media) == ("minizine", "na_letter_8.5x11in")
    a5 = make_zine_pdf(tmp_path / "s-pages-a4.pdf", pagesize=(419.53, 595.28), pages=1)
    plan = printing.plan_print(a5)
    assert (plan.layout, plan.media, plan.landscape, plan.sides) == ("pages", "iso_a5_148x210mm", False, "one-sided")
    assert printing.plan_print(a5, "booklet").sides == "two-sided-short-edge"
    with pytest.raises(printing.KioskError, match="unknown layout"):
        printing.plan_print(a5, "poster")


def test_lpstat_output_is_parsed():
    text = "\n".join([
        "printer office now printing office-12.  enabled since Sun Nov 22 01:48:29 2026",
        "\tForm mounted:", "\tContent types: any", "\tDescription: Office", "\tAlerts: none",
        "printer zines disabled since Sun Nov 22 01:50:47 2026 -", "\tOut of paper", "\tForm mounted:",
        "\tAlerts: paused media-empty-error",
        "printer spare disabled since Sun Nov 22 01:50:47 2026 -", "\treason unknown", "\tForm mounted:",
        "\tAlerts: paused",
        "office accepting requests since Sun Nov 22 01:48:29 2026",
        "zines accepting requests since Sun Nov 22 01:48:29 2026",
        "spare not accepting requests since Sun Nov 22 01:48:29 2026 -", "\tMoved to the hall",
        "system default destination: zines", ""])
    office, zines, spare = printing.parse_lpstat_printers(text)
    assert (office.state, office.job, office.reason, office.accepting) == ("printing", "office-12", "", True)
    assert (zines.state, zines.reason, zines.is_default) == ("paused", "Out of paper", True)
    assert (spare.state, spare.accepting, spare.reason, spare.is_default) == (
        "paused", False, "Moved to the hall", False)
