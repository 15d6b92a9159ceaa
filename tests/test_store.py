"""The store: files first, an index that can always be rebuilt, and nothing lost."""

from __future__ import annotations

import contextlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

import bagit
import pytest
from conftest import fill_disk, run_kiosk, tmpfs
from PIL import Image

from kiosk.errors import KioskError
from kiosk.store import Response, Store
from kiosk.strokes import Drawing, Point, Stroke, from_json, render_png, render_svg


def drawing() -> Drawing:
    d = Drawing(300, 200)
    d.add(Stroke("pen", "#000000", 10, [Point(10, 10, 0), Point(290, 190, 50)]))
    return d


def new_response(store: Store, session: str, **fields) -> Response:
    values = dict(id=store.new_id(), session=session, prompt_id="relation", kind="draw", language="fr",
                  consent="public", prompt_text={"en": "Draw", "fr": "Dessinez"})
    values.update(fields)
    return Response(**values)


def save(store: Store, session: str, **fields) -> Response:
    d = drawing()
    return store.save_response(new_response(store, session, **fields), d, render_png(d))


@pytest.fixture
def store(data_dir: Path):
    with Store(data_dir) as s:
        yield s


def index_rows(root: Path) -> list[tuple]:
    db = sqlite3.connect(root / "index.sqlite")
    try:
        return sorted(db.execute("SELECT id, session, prompt_id, kind, language, consent, hidden, created, json"
                                 " FROM responses").fetchall())
    finally:
        db.close()


def test_a_saved_response_is_one_folder_with_hashed_files(store):
    s = store.start_session("Opening night", place="Bobigny", date="2026-08-26")
    assert s.slug == "2026-08-26-opening-night"
    r = save(store, s.slug, text="")
    folder = store.response_dir(r)
    assert folder == store.root / "sessions" / s.slug / "responses" / r.id
    assert sorted(p.name for p in folder.iterdir()) == ["drawing.png", "drawing.svg", "response.json", "strokes.json"]
    record = json.loads((folder / "response.json").read_text())
    assert record["files"].keys() == {"strokes.json", "drawing.png", "drawing.svg"}
    assert (folder / "drawing.svg").read_text() == render_svg(drawing())  # the SVG an export copies
    assert record["id"].endswith("-" + store.kiosk_id) and record["id"] == record["id"].lower()
    img = Image.open(folder / "drawing.png").convert("RGB")
    assert img.getpixel((150, 100)) == (0, 0, 0)  # ink where the stroke went
    assert from_json((folder / "strokes.json").read_bytes()) == drawing()
    assert store.responses() == [r]
    assert store.response_number(r) == 1
    assert store.check() == []


def test_response_numbers_count_in_the_session(store):
    s = store.start_session("A")
    rs = [save(store, s.slug) for _ in range(3)]
    assert [store.response_number(r) for r in rs] == [1, 2, 3]


def test_starting_a_session_ends_the_running_one(store):
    a = store.start_session("A")
    b = store.start_session("B")
    assert store.session(a.slug).ended and store.current_session() == b
    store.end_session()
    assert store.current_session() is None
    with pytest.raises(KioskError, match="No session is running"):
        store.end_session()


def test_same_title_same_day_gets_its_own_slug(store):
    a = store.start_session("Atelier", date="2026-01-02")
    b = store.start_session("Atelier", date="2026-01-02")
    assert a.slug != b.slug and b.slug.startswith(a.slug)


def test_hide_and_unhide_rewrite_the_record_and_index(store):
    s = store.start_session("A")
    r = save(store, s.slug)
    store.set_hidden(r.id, True)
    assert json.loads((store.response_dir(r) / "response.json").read_text())["hidden"] is True
    assert store.responses(include_hidden=False) == []
    store.set_hidden(r.id, False)
    assert len(store.responses(include_hidden=False)) == 1
    assert store.check() == []


def test_the_index_is_rebuilt_from_files_when_missing_or_damaged(data_dir):
    with Store(data_dir) as store:
        s = store.start_session("A")
        ids = [save(store, s.slug).id for _ in range(3)]
    before = index_rows(data_dir)
    (data_dir / "index.sqlite").unlink()
    with Store(data_dir) as store:
        assert [r.id for r in store.responses()] == ids
    assert index_rows(data_dir) == before
    for suffix in ("-wal", "-shm"):
        Path(f"{data_dir / 'index.sqlite'}{suffix}").unlink(missing_ok=True)
    (data_dir / "index.sqlite").write_bytes(b"this is not a database" * 100)
    with Store(data_dir) as store:
        assert [r.id for r in store.responses()] == ids
        assert store.sessions()[0].slug == s.slug


def test_an_index_locked_by_another_program_is_left_alone_with_a_clear_message(data_dir, monkeypatch):
    """Locked is not damaged: the index another process holds is never deleted and rebuilt."""
    with Store(data_dir) as store:
        s = store.start_session("A")
        ids = [save(store, s.slug).id for _ in range(2)]
    before = index_rows(data_dir)
    holder = sqlite3.connect(data_dir / "index.sqlite", isolation_level=None)
    try:
        holder.execute("PRAGMA locking_mode = EXCLUSIVE")
        holder.execute("BEGIN EXCLUSIVE")  # as a process in the middle of a long write would
        monkeypatch.setattr("kiosk.store.BUSY_TIMEOUT_S", 0.2)
        with pytest.raises(KioskError) as err:
            Store(data_dir)
        assert "locked by another program" in str(err.value) and "nothing was changed" in str(err.value)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert index_rows(data_dir) == before
    with Store(data_dir) as store:
        assert [r.id for r in store.responses()] == ids


def test_folders_copied_in_from_another_kiosk_are_indexed(tmp_path):
    with Store(tmp_path / "a", kiosk_id="hall") as a, Store(tmp_path / "b", kiosk_id="foyer") as b:
        sa = a.start_session("Same evening", date="2026-03-01")
        sb = b.start_session("Same evening", date="2026-03-01")
        ra, rb = save(a, sa.slug), save(b, sb.slug)
    # Merge by copying folders, as rsync or a file manager would.
    shutil.copytree(tmp_path / "b" / "sessions", tmp_path / "a" / "sessions", dirs_exist_ok=True)
    with Store(tmp_path / "a") as a:
        assert {r.id for r in a.responses()} == {ra.id, rb.id}
        assert a.check() == []


def test_check_reports_corrupt_missing_and_broken_and_readers_skip_them(store):
    s = store.start_session("A")
    good, corrupt, missing, broken = (save(store, s.slug) for _ in range(4))
    png = store.response_dir(corrupt) / "drawing.png"
    data = bytearray(png.read_bytes())
    data[len(data) // 2] ^= 0xFF
    png.write_bytes(bytes(data))
    (store.response_dir(missing) / "strokes.json").unlink()
    (store.response_dir(broken) / "response.json").write_text('{"id": "half')
    # A crash mid-save leaves a temporary folder: skipped by readers, noted by check.
    tmp = store.sessions_dir / s.slug / "responses" / f".tmp-{store.new_id()}"
    tmp.mkdir()
    (tmp / "strokes.json").write_text("{")

    problems = {(p.path.name, p.path.parent.name): p for p in store.check()}
    assert "corrupt" in problems[("drawing.png", corrupt.id)].message
    assert "missing" in problems[("strokes.json", missing.id)].message
    assert "not valid JSON" in problems[("response.json", broken.id)].message
    assert not problems[(tmp.name, "responses")].serious
    assert all(p.path.parent.name != good.id for p in problems.values())

    store.reindex()
    assert broken.id not in {r.id for r in store.responses()}
    assert len(store.responses()) == 3


def test_a_damaged_strokes_file_is_named_when_loaded(store):
    from kiosk.strokes import StrokesFormatError

    s = store.start_session("A")
    r = save(store, s.slug)
    (store.response_dir(r) / "strokes.json").write_text("{}")
    with pytest.raises(StrokesFormatError, match="strokes.json"):
        store.load_drawing(r)


@pytest.fixture
def small_disk(tmp_path):
    with tmpfs(tmp_path / "mnt", "512k") as mnt:
        yield mnt


def test_a_full_disk_gives_a_clear_message_and_keeps_what_was_saved(small_disk):
    store = Store(small_disk / "data")
    s = store.start_session("A")
    kept = save(store, s.slug)
    filler = fill_disk(small_disk)
    with pytest.raises(KioskError) as err:
        save(store, s.slug)
    assert "disk is full" in str(err.value) and str(small_disk / "data") in str(err.value)
    assert err.value.fix
    assert [r.id for r in store.responses()] == [kept.id]
    assert not any(p.name.startswith(".tmp") for p in (store.sessions_dir / s.slug / "responses").iterdir())
    filler.unlink()
    assert store.check() == []
    store.close()


def test_a_read_only_disk_is_readable_and_writes_get_a_clear_message(small_disk, tmp_path):
    with Store(small_disk / "data") as store:
        s = store.start_session("A")
        kept = save(store, s.slug)
    subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], check=True)
    with Store(small_disk / "data") as store:
        assert store.read_only
        assert store.response(kept.id) == kept
        assert store.check() == []
        with pytest.raises(KioskError, match="read-only") as err:
            save(store, s.slug)
        assert str(small_disk / "data") in str(err.value)
    r = run_kiosk("session", "start", "Another", "--data", str(small_disk / "data"))
    assert r.returncode == 1
    assert "read-only" in r.stderr and "fix:" in r.stderr and "Traceback" not in r.stderr


def test_ids_are_lowercase_and_sort_by_time(store):
    s = store.start_session("A")
    ids = [save(store, s.slug).id for _ in range(5)]
    assert ids == sorted(ids)
    assert all(i == i.lower() and i.isascii() for i in ids)


def test_consent_must_be_known(store):
    s = store.start_session("A")
    with pytest.raises(ValueError):
        save(store, s.slug, consent="maybe")


def test_png_bytes_are_a_real_png(store):
    s = store.start_session("A")
    r = save(store, s.slug)
    Image.open(io.BytesIO((store.response_dir(r) / "drawing.png").read_bytes())).verify()


def test_a_full_data_disk_can_still_be_checked_made_into_a_zine_and_exported(tmp_path):
    """The way out of a full kiosk is to take its answers elsewhere: the commands that only read
    work on, through an index in memory; a write still fails with the disk named."""
    with tmpfs(tmp_path / "mnt", "2m") as mnt:
        data = mnt / "data"
        r = run_kiosk("demo-data", "--session", "A", "--responses", "4", "--seed", "2", "--data", str(data))
        assert r.returncode == 0, r.stderr
        fill_disk(mnt)
        check = run_kiosk("check", "--data", str(data))
        assert check.returncode == 0 and "All 4 responses" in check.stdout, check.stdout + check.stderr
        assert "is full" in check.stderr and "Traceback" not in check.stderr
        zine = run_kiosk("zine", "build", "--out", str(tmp_path / "z.pdf"), "--data", str(data))
        assert zine.returncode == 0, zine.stderr
        assert (tmp_path / "z.pdf").read_bytes().startswith(b"%PDF")
        export = run_kiosk("export", str(tmp_path / "bag"), "--data", str(data))
        assert export.returncode == 0, export.stderr
        bagit.Bag(str(tmp_path / "bag")).validate()
        start = run_kiosk("session", "start", "B", "--data", str(data))
        assert start.returncode == 1 and "the disk is full" in start.stderr and "Traceback" not in start.stderr


def test_reindex_on_a_full_disk_says_it_could_not_rebuild_the_index(tmp_path):
    """Read through an index in memory, reindex once said "Reindexed 4 responses" and exited 0
    while the index on disk was left as it was."""
    with tmpfs(tmp_path / "mnt", "2m") as mnt:
        data = mnt / "data"
        r = run_kiosk("demo-data", "--session", "A", "--responses", "4", "--seed", "2", "--data", str(data))
        assert r.returncode == 0, r.stderr
        fill_disk(mnt)
        r = run_kiosk("reindex", "--data", str(data))
        assert r.returncode == 1 and "Reindexed" not in r.stdout, r.stdout + r.stderr
        assert "Cannot rebuild the index" in r.stderr and "fix:" in r.stderr and "Traceback" not in r.stderr


def test_a_disk_out_of_file_entries_keeps_its_index_and_can_still_be_checked(tmp_path):
    """Bytes free but no inode left: SQLite says "unable to open database file" (it cannot make
    the index's -shm); the index was once deleted for it, and every command failed."""
    with tmpfs(tmp_path / "mnt", "20m", inodes=200) as mnt:
        data = mnt / "data"
        r = run_kiosk("demo-data", "--session", "A", "--responses", "4", "--seed", "2", "--data", str(data))
        assert r.returncode == 0, r.stderr
        n = 0
        with contextlib.suppress(OSError):
            while True:  # every file entry taken
                (mnt / f"f{n}").touch()
                n += 1
        check = run_kiosk("check", "--data", str(data))
        assert check.returncode == 0 and "All 4 responses" in check.stdout, check.stdout + check.stderr
        assert "is full" in check.stderr and "Traceback" not in check.stderr
        assert (data / "index.sqlite").stat().st_size > 0


def test_a_new_index_that_fills_the_disk_is_read_through_memory(tmp_path):
    """A new (or deleted) index is filled from the files when opened: on a disk with room for its
    first pages but not for every record, that failed every command with 'the disk is full'."""
    with tmpfs(tmp_path / "mnt", "12m") as mnt:
        data = mnt / "data"
        r = run_kiosk("demo-data", "--session", "A", "--responses", "30", "--seed", "2", "--data", str(data))
        assert r.returncode == 0, r.stderr
        for index in data.glob("index.sqlite*"):
            index.unlink()
        filler = fill_disk(mnt)
        os.truncate(filler, filler.stat().st_size - 96 * 1024)  # room for the schema, not the 30 records
        r = run_kiosk("responses", "list", "--data", str(data))
        assert r.returncode == 0 and len(r.stdout.splitlines()) == 30, r.stdout + r.stderr
        assert "is full" in r.stderr and "Traceback" not in r.stderr
