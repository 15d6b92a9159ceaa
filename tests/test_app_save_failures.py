"""Issue 9: the kiosk never thanks a visitor for an answer it then loses. Whatever makes a save
fail (a permission denied, a record the store cannot read, an unexpected error), the answer waits
in memory and in its checkpoint, is tried again, and the facilitator screen says so in red."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from test_app_disk import answer, count, red_warning_shown, wait_saved
from test_app_driver import Driver, settings_for

from kiosk.store import Response, Store


def running_session(data: Path) -> Path:
    """A data folder with a running session; its folder."""
    with Store(data) as store:
        session = store.ensure_session("Night")
        store._set_state(current_session=session.slug)
        return store.sessions_dir / session.slug


def test_a_store_that_fails_on_a_bad_record_keeps_the_answer(tmp_path: Path, demo_store_dir: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(demo_store_dir, data)
    with Store(data) as store:
        store._set_state(current_session=store.sessions()[0].slug)
        record = store.response_dir(store.responses()[0]) / "response.json"
    good = record.read_bytes()
    # A record copied in by hand (issue 9, item 1), and an index to rebuild: the store reads it.
    record.write_text(good.decode().replace('"hidden": false', '"hidden": "yes"'))
    for index in data.glob("index.sqlite*"):
        index.unlink()
    d = Driver(settings_for(data))
    try:
        answer(d)
        d.flush()
        d.step(frames=2)
        assert d.scene == "thanks"
        if d.app.saver.pending:  # this store cannot work with the bad record: the answer waits
            assert d.app.saver.problem and "ValueError" in d.app.saver.problem
            assert list((data / "unfinished").glob("*.json"))  # and its checkpoint, for a restart
            d.tap_at((5, 5))
            assert red_warning_shown(d)
            record.write_bytes(good)  # the facilitators mend the record
            wait_saved(d)
        else:  # a store that sets the bad record aside (quarantine) saves the answer at once
            record.write_bytes(good)
        assert d.app.saver.problem is None
        assert count(data) == 25
        assert not list((data / "unfinished").glob("*.json"))
    finally:
        d.close()


def test_a_permission_denied_folder_keeps_the_answer(tmp_path: Path) -> None:
    if not shutil.which("chattr"):
        pytest.skip("chattr is missing")
    data = tmp_path / "data"
    folder = running_session(data)
    responses = folder / "responses"
    responses.mkdir(exist_ok=True)
    # Immutable: writing in it is refused even to root (EPERM), as a folder of another user would be.
    if subprocess.run(["chattr", "+i", str(responses)], capture_output=True).returncode != 0:
        pytest.skip("this filesystem has no immutable flag")
    d = Driver(settings_for(data))
    try:
        answer(d, "print")
        d.flush()
        d.step(frames=2)
        assert d.scene == "thanks"
        assert d.app.saver.pending == 1
        assert "permission" in d.app.saver.problem
        d.tap_at((5, 5))
        assert red_warning_shown(d)
        subprocess.run(["chattr", "-i", str(responses)], check=True)
        wait_saved(d)
        assert count(data) == 1
    finally:
        subprocess.run(["chattr", "-i", str(responses)], check=False)
        d.close()


def test_an_answer_the_store_refuses_waits_without_holding_back_the_next_ones(tmp_path: Path) -> None:
    data = tmp_path / "data"
    running_session(data)
    d = Driver(settings_for(data))
    try:
        answer(d)
        d.flush()
        assert count(data) == 1 and d.app.saver.problem is None
        d.tap_at((5, 5))
        slug = d.app.saver.call(lambda store: store.current_session().slug).result(10)
        # A record the real store refuses (not a response id), as a bug upstream would make.
        refused = Response(id="not-an-id", session=slug, prompt_id="relation", kind="draw", language="en",
                           prompt_text={"en": "x"}, consent="public")
        d.app.saver.save(refused, None, None)
        d.flush()
        assert d.app.saver.pending == 1 and "not a response id" in d.app.saver.problem
        assert red_warning_shown(d)
        answer(d)  # the next visitor's answer is saved all the same
        d.flush()
        for _ in range(50):
            if count(data) == 2:
                break
            d.wait(0.3)
        assert count(data) == 2
        d.wait(0.5)  # retries went on: still waiting, still reported
        assert d.app.saver.pending == 1 and d.app.saver.problem
    finally:
        d.close()


def test_an_answer_whose_session_is_gone_does_not_hold_back_the_others_after_a_disk_problem(tmp_path: Path) -> None:
    """Retries stop at the first failure only when the disk is at fault, not at one answer's own trouble."""
    import time

    from kiosk import ids
    from kiosk.app.saver import Saver

    data = tmp_path / "data"
    folder = running_session(data)
    slug = folder.name
    saver = Saver(data, "", "Night", retry_s=0.1)
    try:
        kid = saver.kiosk_id.result(10)

        def text_answer(session: str) -> Response:
            return Response(id=ids.new_response_id(kid), session=session, prompt_id="q", kind="text", language="en",
                            prompt_text={"en": "Why?"}, text="Because", consent="public")

        saver.save(text_answer("a-session-since-removed"), None, None)  # its own trouble: no such session
        assert saver.flush() and saver.pending == 1
        responses = folder / "responses"
        shutil.rmtree(responses, ignore_errors=True)
        responses.write_text("a file where the folder should be")  # the disk's trouble: nothing can be written
        for _ in range(2):
            saver.save(text_answer(slug), None, None)
        assert saver.flush() and saver.pending == 3
        responses.unlink()  # the disk is back
        end = time.monotonic() + 20
        while saver.pending > 1 and time.monotonic() < end:
            time.sleep(0.1)
        assert saver.pending == 1  # only the answer with no session still waits
        assert saver.call(lambda store: len(store.responses())).result(10) == 2
        assert saver.problem and "a-session-since-removed" in saver.problem
    finally:
        saver.close()


def test_no_thanks_once_the_memory_holds_all_the_answers_it_may(tmp_path: Path) -> None:
    """A disk that never comes back: answers wait in memory up to a bound; past it, the visitor is
    told something went wrong (never thanked), gets the answer back, and keeps it once the disk is back."""
    data = tmp_path / "data"
    responses = running_session(data) / "responses"
    shutil.rmtree(responses, ignore_errors=True)
    responses.write_text("a file where the folder should be")  # nothing can be saved
    d = Driver(settings_for(data))
    try:
        d.app.saver.max_pending = 2  # the bound (50 in a real kiosk), reached sooner
        for _ in range(2):
            answer(d)  # kept in memory: thanked
            d.flush()
            d.tap("finish")
        assert d.app.saver.pending == 2 and d.app.saver.full
        d.tap("begin")
        d.tap("prompt:relation")
        d.drag("canvas", [(0.2, 0.2), (0.5, 0.7), (0.8, 0.3)])
        d.tap("done")
        d.tap("consent:public")
        assert d.scene == "error"  # not "thanks": this one could not be kept
        assert d.app.saver.pending == 2  # memory stays bounded
        d.settle()
        d.tap_at((d.size[0] // 2, d.size[1] // 2))
        assert d.scene == "draw" and d.app.visit.drawing.strokes  # the drawing is back
        responses.unlink()  # the disk is back
        wait_saved(d)
        assert count(data) == 2
        d.tap("done")
        d.tap("consent:public")
        assert d.scene == "thanks"
        d.flush()
        assert count(data) == 3
    finally:
        d.close()
