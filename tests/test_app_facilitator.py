"""The facilitators' door (corner gesture, Ctrl+Alt+F, PIN pad, lock-out) and their screen."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import run_kiosk
from cupsfixture import cups_server  # noqa: F401,E402  (the private cupsd fixture, found by name)
from test_app_driver import Driver, school_prompts, settings_for

from kiosk import config, i18n
from kiosk import pin as pins
from kiosk.app.script import mouse
from kiosk.store import Store


def enter_pin(d: Driver, pin: str) -> None:
    for digit in pin:
        d.tap(f"pin:{digit}")
    d.tap("pin:ok")
    d.until(lambda: d.app.scene.name != "pin" or d.app.scene.checking is None)


def has_colour(d: Driver, colour: tuple[int, int, int]) -> bool:
    surface = d.app.screen
    w, h = surface.get_size()
    return any(tuple(surface.get_at((x, y)))[:3] == colour for x in range(0, w, 7) for y in range(0, h, 7))


@pytest.fixture
def data(tmp_path: Path, demo_store_dir: Path) -> Path:
    d = tmp_path / "data"
    shutil.copytree(demo_store_dir, d)
    with Store(d) as store:  # the demo session becomes the running one
        store._set_state(current_session=store.sessions()[0].slug)
    return d


def test_holding_the_top_left_corner_opens_the_pin_pad(tmp_path: Path) -> None:
    d = Driver(settings_for(tmp_path / "data"))
    try:
        d.settle()
        d.step([mouse("down", (8, 8))])
        d.wait(1.5)
        assert d.scene == "welcome"  # not yet
        d.wait(1.6)
        assert d.scene == "pin"
        d.step([mouse("up", (8, 8))])  # the release does not press anything on the pad
        assert d.app.scene.digits == ""
        d.tap("cancel")
        assert d.scene == "welcome"
        # A quick touch in the corner is just a touch.
        d.tap_at((8, 8))
        assert d.scene == "question"
    finally:
        d.close()


def test_a_wrong_pin_three_times_locks_the_pad_for_30_seconds(tmp_path: Path) -> None:
    settings = settings_for(tmp_path / "data", pin_hash=config.hash_pin("4831", iterations=1000))
    d = Driver(settings)
    try:
        d.key("ctrl+alt+f")
        assert d.scene == "pin"
        for _ in range(3):
            enter_pin(d, "1234")
            assert d.scene == "pin"
        assert d.app.scene.locked_for() == 30
        assert not d.app.scene.buttons.get("pin:4").enabled
        d.tap_at(d.app.scene.buttons.get("pin:4").rect.center)
        assert d.app.scene.digits == ""
        d.wait(30.5)
        assert d.app.scene.buttons.get("pin:4").enabled
        enter_pin(d, "4831")
        assert d.scene == "facilitator"
    finally:
        d.close()


def test_the_lock_out_doubles_after_each_further_three_wrong_pins(tmp_path: Path) -> None:
    d = Driver(settings_for(tmp_path / "data", pin_hash=config.hash_pin("4831", iterations=1000)))
    try:
        for expected in (30, 60, 120):
            if d.scene != "pin":  # the pad goes back to the visitors after a minute untouched
                d.key("ctrl+alt+f")
            for _ in range(3):
                enter_pin(d, "1234")
            assert d.app.scene.locked_for() == expected
            d.wait(expected / 2)
            assert d.app.facilitation.pin_lockout.remaining(d.app.now) > 0
            d.wait(expected / 2 + 0.5)
            assert d.app.facilitation.pin_lockout.remaining(d.app.now) == 0
        if d.scene != "pin":
            d.key("ctrl+alt+f")
        enter_pin(d, "4831")  # the right PIN ends the count
        assert d.scene == "facilitator"
        assert d.app.facilitation.pin_lockout.failures == 0
    finally:
        d.close()


def test_the_lock_out_survives_a_restart(tmp_path: Path) -> None:
    data = tmp_path / "data"
    settings = settings_for(data, pin_hash=config.hash_pin("4831", iterations=1000))
    d = Driver(settings)
    try:
        d.key("ctrl+alt+f")
        for _ in range(3):
            enter_pin(d, "1234")
        d.wait(30.5)
        for _ in range(3):
            enter_pin(d, "1234")
        assert d.app.scene.locked_for() == 60
    finally:
        d.close()
    saved = json.loads((data / "pin-lockout.json").read_text())
    assert saved["failures"] == 6
    d = Driver(settings)  # the kiosk quit (or crashed) and started again
    try:
        d.key("ctrl+alt+f")
        assert d.scene == "pin"
        assert 50 <= d.app.scene.locked_for() <= 60
        assert not d.app.scene.buttons.get("pin:4").enabled
        d.wait(61)
        d.key("ctrl+alt+f")
        for _ in range(3):  # the count went on from 6: the next lock is twice as long again
            enter_pin(d, "1234")
        assert d.app.scene.locked_for() == 120
    finally:
        d.close()


def test_the_default_pin_is_never_shown_and_must_be_changed_first(tmp_path: Path) -> None:
    for lang in ("en", "fr"):
        assert not any("0000" in i18n.t(key, lang) for key in i18n.CATALOGUE if key.startswith(("pin.", "fac.")))
    settings = settings_for(tmp_path / "data", pin_hash="", file=tmp_path / "kiosk.yaml")
    d = Driver(settings)
    try:
        d.key("ctrl+alt+f")
        assert d.scene == "pin" and d.app.scene.mode == "enter"
        enter_pin(d, "0000")
        assert d.scene == "pin" and d.app.scene.mode == "new"  # not the facilitator screen yet
        enter_pin(d, "0000")  # the default again: refused
        assert d.app.scene.mode == "new" and d.app.scene.message == d.app.scene.t("pin.too_easy")
        enter_pin(d, "4831")
        assert d.app.scene.mode == "again"
        enter_pin(d, "4832")  # not the same: start again
        assert d.app.scene.mode == "new" and d.app.scene.message == d.app.scene.t("pin.differ")
        enter_pin(d, "4831")
        enter_pin(d, "4831")
        d.until(lambda: d.scene == "facilitator", frames=1200)
        assert d.scene == "facilitator"
        stored = config.load(tmp_path / "kiosk.yaml").pin_hash
        assert pins.verify_pin(stored, "4831") and not pins.verify_pin(stored, "0000")
        assert d.app.settings.pin_hash == stored
        d.tap("back")
        d.key("ctrl+alt+f")
        enter_pin(d, "0000")  # the old default no longer opens
        assert d.scene == "pin"
        enter_pin(d, "4831")
        assert d.scene == "facilitator"
    finally:
        d.close()


def test_cancelling_the_new_pin_opens_nothing(tmp_path: Path) -> None:
    settings = settings_for(tmp_path / "data", pin_hash="", file=tmp_path / "kiosk.yaml")
    d = Driver(settings)
    try:
        d.key("ctrl+alt+f")
        enter_pin(d, "0000")
        assert d.app.scene.mode == "new"
        d.tap("cancel")
        assert d.scene == "welcome"
        d.key("ctrl+alt+f")
        assert d.scene == "pin" and d.app.scene.mode == "enter"
        assert not (tmp_path / "kiosk.yaml").exists()
    finally:
        d.close()


def test_fullscreen_refuses_the_default_pin(tmp_path: Path) -> None:
    r = run_kiosk("run", "--fullscreen", "--data", str(tmp_path / "data"), cwd=tmp_path, timeout=60)
    assert r.returncode == 1 and "Traceback" not in r.stderr
    assert "default facilitator PIN" in r.stderr and "kiosk pin set" in r.stderr
    (tmp_path / "kiosk.yaml").write_text("fullscreen: true\n")
    r = run_kiosk("run", "--data", str(tmp_path / "data"), cwd=tmp_path, timeout=60)
    assert r.returncode == 1 and "kiosk pin set" in r.stderr


@pytest.mark.slow
def test_the_facilitator_screen_moderates_and_starts_a_session(data: Path) -> None:
    d = Driver(settings_for(data), school_prompts(), size=(1920, 1080))
    try:
        d.key("ctrl+alt+f")
        enter_pin(d, "0000")
        d.until(lambda: d.app.scene.summary is not None)
        s = d.app.scene.summary
        assert s.session.title == "Demo night" and s.total == 24
        assert s.public + s.print_only == 24 and s.free > 0
        newest = s.answers[0]
        assert not newest.hidden and len(s.answers) == 24  # every answer, newest first
        # Touched, an answer opens large; hidden from there, and shown again.
        d.tap(f"response:{newest.id}")
        assert d.app.scene.mode == "answer"
        d.tap("answer:hide")
        d.until(lambda: d.app.scene.summary is not None and d.app.scene.summary.answers[0].hidden)
        with Store(data) as store:
            assert store.response(newest.id).hidden
        d.tap("answer:show")
        d.until(lambda: d.app.scene.summary is not None and not d.app.scene.summary.answers[0].hidden)
        with Store(data) as store:
            assert not store.response(newest.id).hidden
        d.tap("back")
        assert d.app.scene.mode == "main"
        # A new session, titled on the on-screen keyboard.
        d.tap("new_session")
        assert d.app.scene.new_title == "Demo night"
        for _ in range(5):
            d.tap("key:backspace")
        d.text("day 2")
        d.tap("session:start")
        d.until(lambda: d.app.scene.summary is not None and d.app.scene.summary.session.title == "Demo day 2")
        assert d.app.scene.summary.total == 0
        with Store(data) as store:
            assert store.current_session().title == "Demo day 2"
        d.tap("back")
        assert d.scene == "welcome"
    finally:
        d.close()


def test_the_facilitator_screen_returns_to_the_visitors_answer(tmp_path: Path) -> None:
    d = Driver(settings_for(tmp_path / "data"))
    try:
        d.tap("begin")
        d.tap("prompt:relation")
        d.drag("canvas", [(0.2, 0.2), (0.7, 0.7)])
        d.key("ctrl+alt+f")
        enter_pin(d, "0000")
        d.tap("back")
        assert d.scene == "draw" and len(d.app.visit.drawing.strokes) == 1
    finally:
        d.close()


def test_quit_the_kiosk_asks_then_quits(tmp_path: Path) -> None:
    d = Driver(settings_for(tmp_path / "data"), fullscreen=True)
    try:
        d.key("ctrl+alt+f")
        enter_pin(d, "0000")
        d.tap("quit")
        d.tap("stay")
        assert d.app.running
        d.tap("quit")
        d.tap("quit")
        assert not d.app.running and d.app.exit_code == 0
    finally:
        d.close()


def test_zine_and_print_say_clearly_when_they_cannot(tmp_path: Path) -> None:
    d = Driver(settings_for(tmp_path / "data"))
    try:
        d.key("ctrl+alt+f")
        enter_pin(d, "0000")
        d.until(lambda: d.app.scene.summary is not None)
        d.tap("zine")
        d.tap("zine:make")
        d.until(lambda: d.app.scene.zine.task.finished)
        task = d.app.scene.zine.task
        assert task.error  # no session yet
        d.tap("back")
        d.tap("print")
        d.until(lambda: d.app.scene.printing.printers.finished, frames=3000)
        assert not d.app.scene.buttons.get("print:send").enabled  # no zine made yet
    finally:
        d.close()


@pytest.mark.slow
def test_make_the_zine_and_print_it_from_the_facilitator_screen(data: Path, cups_server, monkeypatch) -> None:
    from pypdf import PdfReader

    monkeypatch.setenv("CUPS_SERVER", str(cups_server.socket))
    monkeypatch.delenv("PRINTER", raising=False)
    monkeypatch.delenv("LPDEST", raising=False)
    d = Driver(settings_for(data, archive_base_url="https://archive.example.org/kiosk"), school_prompts(),
               size=(1920, 1080))
    try:
        d.key("ctrl+alt+f")
        enter_pin(d, "0000")
        d.until(lambda: d.app.scene.summary is not None)
        d.tap("zine")
        d.tap("zine:layout:booklet")
        d.tap("zine:make")
        d.until(lambda: d.app.scene.zine.task.finished, frames=6000)
        task = d.app.scene.zine.task
        assert task.error is None, task.error
        zine = task.result
        assert zine.pages >= 8 and zine.path.exists()
        assert len(PdfReader(zine.path).pages) == zine.pdf_pages
        d.tap("back")
        # Paused: the reason is shown, with a button to resume.
        cups_server.run("cupsdisable", "-r", "Out of paper", cups_server.queue)
        d.tap("print")
        d.until(lambda: d.app.scene.printing.printers.finished, frames=3000)
        d.step()
        assert d.app.scene.printing.selected == cups_server.queue
        assert "print:resume" in d.app.scene.targets()
        d.tap("print:resume")
        d.until(lambda: d.app.scene.printing.resuming.finished and d.app.scene.printing.printers.finished
                and "print:resume" not in d.app.scene.targets(), frames=3000)
        d.step(frames=2)
        d.tap("copies:plus")
        assert d.app.scene.printing.copies == 2
        d.tap("print:send")
        d.until(lambda: d.app.scene.printing.job is not None, frames=3000)
        job = d.app.scene.printing.job
        out = cups_server.output_for(job)
        assert out.exists()
        d.until(lambda: getattr(d.app.scene.printing.status, "finished", False), frames=6000)
        assert d.app.scene.printing.status.state == "completed"
    finally:
        d.close()


def test_a_hide_that_cannot_be_written_says_so_and_the_answer_stays_shown(data: Path) -> None:
    d = Driver(settings_for(data), school_prompts(), size=(1920, 1080))
    try:
        d.key("ctrl+alt+f")
        enter_pin(d, "0000")
        d.until(lambda: d.app.scene.summary is not None)
        newest = d.app.scene.summary.answers[0]
        with Store(data) as store:
            folder = store.response_dir(newest.id)
        # The record cannot be rewritten: its folder is made immutable (refused even to root).
        if subprocess.run(["chattr", "+i", str(folder)], capture_output=True).returncode != 0:
            pytest.skip("this filesystem cannot make a folder immutable (chattr +i)")
        d.tap(f"response:{newest.id}")
        d.tap("answer:hide")
        d.until(lambda: d.app.scene.hiding is None and d.app.scene.loading is None)
        d.step()
        assert d.app.scene.hide_problem and d.app.scene.hide_problem.startswith("Not changed: ")
        assert not d.app.scene.enlarged.hidden  # the large view says what the store says: still shown
        with Store(data) as store:
            assert not store.response(newest.id).hidden
        subprocess.run(["chattr", "-i", str(folder)], check=True)
        d.tap("answer:hide")  # the cause gone, the same button works
        d.until(lambda: d.app.scene.hiding is None and d.app.scene.loading is None)
        assert d.app.scene.hide_problem is None
        with Store(data) as store:
            assert store.response(newest.id).hidden
    finally:
        if 'folder' in locals():
            subprocess.run(["chattr", "-i", str(folder)], check=False)  # never leave it stuck
        d.close()


# --- printers in trouble: what the print screen says, and what it lets the facilitator do -----------


def stand_in_zine(data: Path) -> Path:
    """A one-page minizine PDF in <data>/zines/, as `kiosk zine build` names and tags it."""
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.pdfgen import canvas

    path = data / "zines" / "night-minizine-a4.pdf"
    path.parent.mkdir(parents=True, exist_ok=True)
    c = canvas.Canvas(str(path), pagesize=landscape(A4))
    c.setKeywords("kiosk-zine layout=minizine paper=a4")
    c.drawString(80, 80, "page 1 of the zine")
    c.showPage()
    c.save()
    return path


def open_print_screen(tmp_path: Path, cups_server, monkeypatch, queue: str) -> Driver:
    monkeypatch.setenv("CUPS_SERVER", str(cups_server.socket))
    monkeypatch.delenv("PRINTER", raising=False)
    monkeypatch.delenv("LPDEST", raising=False)
    data = tmp_path / "data"
    stand_in_zine(data)
    d = Driver(settings_for(data), size=(1920, 1080))
    d.key("ctrl+alt+f")
    enter_pin(d, "0000")
    d.until(lambda: d.app.scene.summary is not None)
    d.tap("print")
    panel = d.app.scene.printing
    d.until(lambda: panel.printers.finished and panel.zines.finished, frames=3000)
    d.step(frames=2)
    d.tap(f"printer:{queue}")
    return d


def said(d: Driver) -> list[str]:
    return [text for text, _colour, _bold in d.app.scene.printing.lines()]


@pytest.mark.slow
def test_a_printer_removed_mid_job_is_said_with_what_to_do(tmp_path: Path, cups_server, monkeypatch) -> None:
    from kiosk.app import theme as th

    cups_server.add_queue("vanishing")
    cups_server.run("cupsdisable", "-r", "Out of paper", "vanishing")
    d = open_print_screen(tmp_path, cups_server, monkeypatch, "vanishing")
    try:
        d.tap("print:send")
        panel = d.app.scene.printing
        d.until(lambda: getattr(panel.status, "state", "") == "stopped", frames=6000)
        cups_server.run("lpadmin", "-x", "vanishing")  # unplugged and removed while its job waits
        d.until(lambda: "printer:vanishing" not in d.app.scene.targets(), frames=6000)
        d.step(frames=2)
        lines = said(d)
        lost = [x for x in lines if x.startswith(f"Job {panel.job} can no longer be followed")]
        assert lost and 'no printer called "vanishing"' in lost[0] and "print again" in lost[0], lines
        assert not any("stopped" in x or "paused" in x for x in lines), lines  # nothing stale
        assert has_colour(d, th.DANGER)
    finally:
        d.close()


@pytest.mark.slow
def test_a_printer_refusing_jobs_is_resumed_from_the_screen_and_prints(tmp_path: Path, cups_server,
                                                                       monkeypatch) -> None:
    from pypdf import PdfReader

    cups_server.add_queue("refusing")
    cups_server.run("cupsreject", "-r", "Stopped by hand", "refusing")  # idle, but refuses jobs
    d = open_print_screen(tmp_path, cups_server, monkeypatch, "refusing")
    try:
        assert "refusing jobs" in d.app.scene.buttons.get("printer:refusing").label  # not "ready"
        assert any(x.startswith("The printer refuses new jobs") for x in said(d))
        d.tap("print:resume")
        panel = d.app.scene.printing
        d.until(lambda: panel.resuming.finished and panel.printers.finished
                and "print:resume" not in d.app.scene.targets(), frames=3000)
        d.tap("print:send")
        d.until(lambda: panel.job is not None, frames=3000)
        out = cups_server.output_for(panel.job)
        assert len(PdfReader(out).pages) == 1
        d.until(lambda: getattr(panel.status, "finished", False), frames=6000)
        assert panel.status.state == "completed"
    finally:
        d.close()


@pytest.mark.slow
def test_a_resume_that_fails_says_why(tmp_path: Path, cups_server, monkeypatch) -> None:
    cups_server.add_queue("fading")
    cups_server.run("cupsdisable", "-r", "Jammed", "fading")
    d = open_print_screen(tmp_path, cups_server, monkeypatch, "fading")
    try:
        cups_server.run("lpadmin", "-x", "fading")  # gone between the listing and the touch
        d.tap("print:resume")
        panel = d.app.scene.printing
        d.until(lambda: panel.resuming.finished, frames=3000)
        d.step(frames=2)
        failed = [x for x in said(d) if x.startswith("The printer could not be resumed")]
        assert failed and 'no printer called "fading"' in failed[0], said(d)
    finally:
        d.close()


def test_a_record_damaged_by_hand_is_told_not_silently_left_out(data: Path) -> None:
    from kiosk.app import theme as th

    with Store(data) as store:
        victim = store.responses()[0]
        record = store.response_dir(victim.id) / "response.json"
    fields = json.loads(record.read_text())
    fields["consent"] = "publik"  # a hand edit: the store quarantines the record
    record.write_text(json.dumps(fields))
    d = Driver(settings_for(data), school_prompts(), size=(1280, 800))
    try:
        d.key("ctrl+alt+f")
        enter_pin(d, "0000")
        d.until(lambda: d.app.scene.summary is not None)
        d.step(frames=2)
        scene = d.app.scene
        assert scene.summary.total == 23 and victim.id not in [r.id for r in scene.summary.answers]
        assert scene.summary.quarantined == 1
        card = scene.storage_card
        assert d.pixel((card.right - 30, card.bottom - 20)) == th.DANGER_SOFT  # the card turns red
        words = i18n.tn("fac.quarantined", 1, "en")
        assert "kiosk check" in words and "damaged" in words
    finally:
        d.close()


def test_a_booklet_in_volumes_says_so_when_made_and_when_printed_later(data: Path) -> None:
    settings = settings_for(data, zine_sheets_per_volume=2)  # 24 answers: several volumes
    d = Driver(settings, school_prompts(), size=(1280, 800))
    try:
        d.key("ctrl+alt+f")
        enter_pin(d, "0000")
        d.until(lambda: d.app.scene.summary is not None)
        d.tap("zine")
        d.tap("zine:layout:booklet")
        d.tap("zine:make")
        d.until(lambda: d.app.scene.zine.task.finished, frames=6000)
        volumes = len(d.app.scene.zine.task.result.plan.parts)
        assert volumes > 1
        made = [text for text, _c, _b in d.app.scene.zine.result_lines()]
        assert f"({volumes} volumes, each stapled on its own)" in made[1], made  # sheets, staples, folds
        assert any("volumes" in x and "staple" in x for x in made[2:]), made  # the warning
    finally:
        d.close()
    # Later (the kiosk restarted), the print screen finds the file on disk and says how to fold it.
    d = Driver(settings, school_prompts(), size=(1280, 800))
    try:
        d.key("ctrl+alt+f")
        enter_pin(d, "0000")
        d.tap("print")
        d.until(lambda: d.app.scene.printing.zines.finished, frames=3000)
        d.step(frames=2)
        assert any(x.startswith(f"Booklet in {volumes} volumes") and "never all together" in x for x in said(d))
    finally:
        d.close()


def test_an_ended_session_is_never_shown_as_the_running_one(tmp_path: Path) -> None:
    from kiosk.app import theme as th

    data = tmp_path / "data"
    for args in (["session", "start", "Opening night"], ["session", "end"]):
        assert run_kiosk(*args, "--data", str(data)).returncode == 0
    d = Driver(settings_for(data), school_prompts(), size=(1280, 800))
    try:
        d.key("ctrl+alt+f")
        enter_pin(d, "0000")
        d.until(lambda: d.app.scene.summary is not None)
        d.step(frames=2)
        scene = d.app.scene
        assert scene.summary.session.title == "Opening night" and not scene.summary.running
        card = scene.session_card
        top = pygame_rect_pixels(d, (card.x, card.y, card.width, card.height // 4))
        assert th.DANGER in top  # "Ended session (the next answer starts a new one)", in red
        d.tap("new_session")
        d.tap("session:start")  # the same title again: a session of its own, running
        d.until(lambda: d.app.scene.summary is not None and d.app.scene.summary.running)
        d.step(frames=2)
        assert th.DANGER not in pygame_rect_pixels(d, (card.x, card.y, card.width, card.height // 4))
    finally:
        d.close()


def pygame_rect_pixels(d: Driver, rect: tuple[int, int, int, int]) -> set[tuple[int, int, int]]:
    x0, y0, w, h = rect
    return {d.pixel((x, y)) for x in range(x0, x0 + w, 2) for y in range(y0, y0 + h, 2)}
