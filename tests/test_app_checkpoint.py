"""Checkpoints of unfinished answers (kiosk.checkpoint) and what the app does with them at start-up."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from test_app_driver import Driver, settings_for

from kiosk import checkpoint
from kiosk.checkpoint import Checkpoint
from kiosk.store import Store
from kiosk.strokes import Drawing, Point, Stroke


def a_drawing() -> Drawing:
    d = Drawing(1200, 900)
    d.add(Stroke("pen", "#0072b2", 14.0, [Point(100, 100, 0), Point(400, 300, 120, 0.5), Point(800, 200, 260)]))
    return d


def cp(key: str = "a1b2c3d4e5f6a7b8", scene: str = "draw", **kw) -> Checkpoint:
    base = dict(prompt_id="relation", kind="draw", language="fr", scene=scene, started="2026-11-21T10:00:00+01:00",
                duration_s=12.5, drawing=a_drawing())
    base.update(kw)
    return Checkpoint(key, **base)


def test_a_checkpoint_round_trips_atomically(tmp_path: Path) -> None:
    checkpoint.save(tmp_path, cp(), now=1000.0)
    [path] = checkpoint.folder(tmp_path).iterdir()  # no temporary file left beside it
    back = checkpoint.read(path)
    assert back.saved_at == 1000.0 and back.language == "fr" and back.scene == "draw"
    assert back.get_drawing().strokes == a_drawing().strokes
    checkpoint.discard(tmp_path, back.key)
    assert not path.exists()
    checkpoint.discard(tmp_path, back.key)  # twice is fine


def test_damaged_checkpoints_are_set_aside(tmp_path: Path) -> None:
    checkpoint.save(tmp_path, cp())
    folder = checkpoint.folder(tmp_path)
    (folder / "0123456789abcdef.json").write_text("{not json")
    good, bad = checkpoint.load_all(tmp_path)
    assert [c.key for c in good] == ["a1b2c3d4e5f6a7b8"] and [p.name for p in bad] == ["0123456789abcdef.json"]


def test_sort_out_restores_the_newest_fresh_one_and_saves_consented_ones() -> None:
    now = 10_000.0
    old, fresh, newer = cp("aaaaaaaaaaaaaaaa"), cp("bbbbbbbbbbbbbbbb"), cp("cccccccccccccccc")
    done = cp("dddddddddddddddd", consent="public", response_id="01kdvdna0060rk4csm6mv3ee1s-k1")
    old.saved_at, fresh.saved_at, newer.saved_at, done.saved_at = now - 700, now - 100, now - 50, now - 9000
    s = checkpoint.sort_out([old, fresh, newer, done], window_s=600, now=now)
    assert s.restore is newer
    assert s.to_save == [done]
    assert {c.key for c in s.stale} == {old.key, fresh.key}


def test_a_restart_offers_the_answer_on_the_screen_it_was_on(tmp_path: Path) -> None:
    data = tmp_path / "data"
    checkpoint.save(data, cp(scene="consent"))
    d = Driver(settings_for(data))
    try:
        assert d.scene == "consent" and d.app.language == "fr"
        assert d.app.visit.drawing.strokes == a_drawing().strokes
        d.tap("back")  # back to the drawing, where the visitor can carry on
        assert d.scene == "draw" and d.app.scene.toast_until == 0.0
        d.tap("done")
        d.tap("consent:public")
        d.flush()
        with Store(data) as store:
            [resp] = store.responses()
            assert resp.language == "fr" and resp.duration_s >= 12.5
            assert store.load_drawing(resp).strokes == a_drawing().strokes
    finally:
        d.close()


def test_a_restored_text_answer_keeps_its_words(tmp_path: Path) -> None:
    data = tmp_path / "data"
    checkpoint.save(data, cp(prompt_id="your-question", kind="text", scene="text", drawing=None,
                             text="Qui répare les câbles ?"))
    d = Driver(settings_for(data))
    try:
        assert d.scene == "text" and d.app.visit.text == "Qui répare les câbles ?"
        assert d.app.scene.toast_until > d.app.now  # "your answer was kept"
    finally:
        d.close()


def test_after_the_restore_window_the_answer_is_discarded(tmp_path: Path) -> None:
    data = tmp_path / "data"
    checkpoint.save(data, cp(), now=time.time() - 3600)
    d = Driver(settings_for(data, restore_window_s=600))
    try:
        assert d.scene == "welcome" and d.app.visit is None
        d.flush()
        assert not list(checkpoint.folder(data).glob("*.json"))
    finally:
        d.close()


def test_an_answer_consented_to_before_a_crash_is_saved_at_start(tmp_path: Path) -> None:
    data = tmp_path / "data"
    rid = "01kdvdna0060rk4csm6mv3ee1s-kt1"
    checkpoint.save(data, cp(consent="print", response_id=rid, consent_version="1"), now=time.time() - 86400)
    d = Driver(settings_for(data))
    try:
        assert d.scene == "welcome"
        d.flush()
        with Store(data) as store:
            resp = store.response(rid)
            assert resp.consent == "print" and resp.has_drawing
        assert not list(checkpoint.folder(data).glob("*.json"))
    finally:
        d.close()


@contextmanager
def drawing_screen(data: Path) -> Iterator[Driver]:
    """A kiosk on data, on the draw screen of the "relation" question; closed afterwards."""
    d = Driver(settings_for(data))
    try:
        d.tap("begin")
        d.tap("prompt:relation")
        yield d
    finally:
        d.close()


def test_checkpoints_follow_each_stroke(tmp_path: Path) -> None:
    data = tmp_path / "data"
    with drawing_screen(data) as d:
        for i in range(3):
            d.drag("canvas", [(0.1 + 0.2 * i, 0.2), (0.2 + 0.2 * i, 0.8)])
            d.flush()
            [path] = checkpoint.folder(data).glob("*.json")
            assert len(checkpoint.read(path).get_drawing().strokes) == i + 1
        d.tap("undo")
        d.flush()
        assert len(checkpoint.read(path).get_drawing().strokes) == 2


def test_a_long_stroke_is_checkpointed_while_it_is_drawn(tmp_path: Path) -> None:
    from kiosk.app.script import finger

    data = tmp_path / "data"
    with drawing_screen(data) as d:
        c = d.target("canvas")
        d.settle()
        d.step([finger("down", (c.x + 20, c.y + 20), d.size)])
        for i in range(1, 60):  # a slow stroke: 6 seconds, the finger never lifted
            d.step([finger("move", (c.x + 20 + 5 * i, c.y + 20 + 3 * i), d.size)], dt=0.1)
        d.flush()
        [path] = checkpoint.folder(data).glob("*.json")
        [live] = checkpoint.read(path).get_drawing().strokes
        assert len(live.points) > 20


def test_checkpoints_share_finished_strokes_and_reuse_their_json(tmp_path: Path) -> None:
    """Finished strokes are shared with the checkpoint, not copied, so the saver encodes each only once
    (copying them made every checkpoint encode the whole drawing, and the screen wait for it)."""
    data = tmp_path / "data"
    with drawing_screen(data) as d:
        for i in range(2):
            d.drag("canvas", [(0.1 + 0.2 * i, 0.2), (0.2 + 0.2 * i, 0.8)])
        d.flush()
        drawing = d.app.visit.drawing
        snapshot = d.app.visit.snapshot_drawing()
        assert all(a is b for a, b in zip(snapshot.strokes, drawing.strokes)) and len(snapshot.strokes) == 2
        cached = d.app.saver._stroke_json
        assert {id(s) for s in drawing.strokes} == set(cached) and all(cached[id(s)][0] is s for s in drawing.strokes)
        d.drag("canvas", [(0.7, 0.2), (0.8, 0.8)])
        d.flush()
        assert len(snapshot.strokes) == 2  # a snapshot does not grow with the drawing
        [path] = checkpoint.folder(data).glob("*.json")
        assert checkpoint.read(path).get_drawing() == drawing


def test_a_checkpoint_is_written_after_its_frame_and_never_for_an_ended_visit(tmp_path: Path) -> None:
    data = tmp_path / "data"
    with drawing_screen(data) as d:
        d.drag("canvas", [(0.1, 0.2), (0.3, 0.8)])
        d.flush()
        [path] = checkpoint.folder(data).glob("*.json")
        # Taken, then the visit is discarded before the frame ends: nothing is written back.
        d.app.checkpoint()
        d.app.discard_visit()
        d.step()
        d.flush()
        assert not path.exists() and list(checkpoint.folder(data).glob("*.json")) == []


def test_quitting_mid_frame_still_writes_the_checkpoint_taken(tmp_path: Path) -> None:
    data = tmp_path / "data"
    d = Driver(settings_for(data))
    d.tap("begin")
    d.tap("prompt:relation")
    d.drag("canvas", [(0.1, 0.2), (0.3, 0.8)])
    d.drag("canvas", [(0.5, 0.2), (0.6, 0.8)])
    d.flush()
    [path] = checkpoint.folder(data).glob("*.json")
    path.unlink()  # so that only the checkpoint taken below can bring it back
    d.app.checkpoint()  # taken; the frame that would send it never ends
    d.close()
    assert path.exists()
    assert len(checkpoint.read(path).get_drawing().strokes) == 2
