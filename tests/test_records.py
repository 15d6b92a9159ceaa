"""One validator for every record: hostile folders copied into sessions/ are quarantined, never fatal.

Each hostile input is written as a fixture (a folder copied in, as the README's merge advice
says), and the real `kiosk` command is run on it: the bad record is left out and named with
the fix, every other answer is still listed, built and exported.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import fill_disk, run_kiosk, tmpfs

from kiosk import ids, records
from kiosk.records import RecordError
from kiosk.store import Response, Store
from kiosk.strokes import MAX_STROKES_BYTES, Drawing, Point, Stroke

Mutation = Callable[[dict[str, Any]], None]


def assert_clean(r: subprocess.CompletedProcess) -> None:
    out = r.stdout + r.stderr
    assert "Traceback" not in out and "unexpected error" not in out, out


def listed_ids(data: Path) -> set[str]:
    r = run_kiosk("responses", "list", "--json", "--data", str(data))
    assert r.returncode == 0, r.stderr
    assert_clean(r)
    return {x["id"] for x in json.loads(r.stdout)}


@pytest.fixture
def data(demo_store_dir: Path, tmp_path: Path) -> Path:
    d = tmp_path / "data"
    shutil.copytree(demo_store_dir, d)
    return d


def session_dir(data: Path) -> Path:
    return next(p for p in (data / "sessions").iterdir() if p.is_dir())


def copy_in(data: Path, record: Mutation | None = None, strokes: Mutation | None = None,
            strokes_bytes: bytes | None = None) -> str:
    """Copy a drawn response folder in under a new id (as a folder from another kiosk), changed
    by `record` (its response.json) and `strokes` (its strokes.json, the recorded hash made to
    match, as a careful forger would). Returns the new id."""
    sdir = session_dir(data)
    src = next(p for p in sorted((sdir / "responses").iterdir()) if (p / "strokes.json").exists())
    rid = ids.new_response_id("kbad1")
    dst = sdir / "responses" / rid
    shutil.copytree(src, dst)
    rec = json.loads((dst / "response.json").read_text())
    rec["id"] = rid
    if strokes is not None or strokes_bytes is not None:
        if strokes_bytes is None:
            doc = json.loads((dst / "strokes.json").read_text())
            strokes(doc)  # type: ignore[misc]
            strokes_bytes = json.dumps(doc).encode()
        (dst / "strokes.json").write_bytes(strokes_bytes)
        rec["files"]["strokes.json"] = hashlib.sha256(strokes_bytes).hexdigest()
    if record is not None:
        record(rec)
    (dst / "response.json").write_text(json.dumps(rec))
    return rid


def deep(n: int) -> bytes:
    return b'{"format": "kiosk-strokes/1", "width": 100, "height": 100, "strokes": ' + b"[" * n + b"]" * n + b"}"


def set_point(value: list) -> Mutation:
    def mutate(doc: dict) -> None:
        doc["strokes"][0]["points"][0] = value
    return mutate


HOSTILE_RECORDS: dict[str, tuple[Mutation | None, Mutation | None, bytes | None, str]] = {
    # name: (record change, strokes change, strokes bytes, what the message names)
    "hidden-yes": (lambda r: r.update(hidden="yes"), None, None, "hidden"),
    "prompt_text-list": (lambda r: r.update(prompt_text=["a", "b"]), None, None, "prompt_text"),
    "created-number": (lambda r: r.update(created=1732000000), None, None, "created"),
    "consent-maybe": (lambda r: r.update(consent="maybe"), None, None, "consent"),
    "session-slug-escape": (lambda r: r.update(session="../../../outside/x"), None, None, "session"),
    "t-infinity": (None, set_point([10, 10, float("inf")]), None, "stroke 0, point 0"),
    "nan-coordinates": (None, set_point([float("nan"), float("nan"), 0]), None, "stroke 0, point 0"),
    "width-1e308": (None, lambda d: d["strokes"][0].update(width=1e308), None, "width"),
    "canvas-60000": (None, lambda d: d.update(width=60000, height=60000), None, "width and height"),
    "nested-200k": (None, None, deep(200_000), "nested too deep"),
}


@pytest.mark.parametrize("name", sorted(HOSTILE_RECORDS))
def test_a_hostile_folder_copied_in_is_quarantined_and_named(data, name):
    record, strokes, raw, field = HOSTILE_RECORDS[name]
    before = listed_ids(data)
    rid = copy_in(data, record, strokes, raw)

    r = run_kiosk("responses", "list", "--data", str(data))
    assert r.returncode == 0 and rid not in r.stdout and "24 responses" in r.stderr, r.stderr
    assert_clean(r)
    assert rid in r.stderr and "quarantined" in r.stderr  # said once, when it is first met
    assert listed_ids(data) == before

    check = run_kiosk("check", "--data", str(data))
    assert check.returncode == 1
    assert_clean(check)
    line = next(x for x in check.stdout.splitlines() if rid in x)
    assert "quarantined" in line and field in line, check.stdout
    assert "fix:" in check.stdout

    problems = run_kiosk("responses", "list", "--problems", "--data", str(data))
    assert problems.returncode == 0 and rid in problems.stdout and field in problems.stdout
    assert "fix:" in problems.stdout
    # reindex keeps it out too, and says so
    re = run_kiosk("reindex", "--data", str(data))
    assert re.returncode == 0 and "Reindexed 24 responses" in re.stdout
    assert listed_ids(data) == before


@pytest.mark.slow
@pytest.mark.parametrize("name", ["hidden-yes", "nan-coordinates", "session-slug-escape"])
def test_every_other_answer_is_still_built_and_exported(data, tmp_path, name):
    record, strokes, raw, _ = HOSTILE_RECORDS[name]
    rid = copy_in(data, record, strokes, raw)
    slug = session_dir(data).name
    r = run_kiosk("archive", "build", "--data", str(data))
    assert r.returncode == 0, r.stderr
    assert_clean(r)
    site = data / "site"
    assert not (site / "r" / rid).exists() and rid not in (site / "index.html").read_text()
    public = [x for x in json.loads(run_kiosk("responses", "list", "--json", "--data", str(data)).stdout)
              if x["consent"] == "public" and not x["hidden"]]
    assert all((site / "r" / x["id"] / "index.html").exists() for x in public)
    assert not (tmp_path / "outside").exists()

    z = run_kiosk("zine", "build", "--session", slug, "--data", str(data))
    assert z.returncode == 0, z.stderr
    assert_clean(z)

    e = run_kiosk("export", str(tmp_path / "bag"), "--include-hidden", "--data", str(data))
    assert e.returncode == 0, e.stderr
    assert_clean(e)
    exported = json.loads((tmp_path / "bag/data/metadata/responses.json").read_text())
    assert {x["id"] for x in exported["responses"]} == listed_ids(data) and rid not in str(exported)


def test_a_pipe_or_a_link_in_place_of_a_drawing_file_is_named_and_no_command_waits_on_it(data, tmp_path):
    """A folder synced in can hold a FIFO where a file should be: a plain open() would wait for a
    writer for ever (check, export, archive build and the index's own reading all hung). Or a link
    to a file outside the data folder, its checksum recorded by a forger: the archive would have
    published it. Each command names them and goes on; the answers themselves stay listed."""
    png_pipe, strokes_pipe, png_link = copy_in(data), copy_in(data), copy_in(data)
    for rid, name in ((png_pipe, "drawing.png"), (strokes_pipe, "strokes.json")):
        path = session_dir(data) / "responses" / rid / name
        path.unlink()
        os.mkfifo(path)
    secret = tmp_path / "secret.txt"
    secret.write_bytes(b"not for the archive")
    link = session_dir(data) / "responses" / png_link / "drawing.png"
    link.unlink()
    link.symlink_to(secret)
    record = json.loads((link.parent / "response.json").read_text())
    record["files"]["drawing.png"] = hashlib.sha256(secret.read_bytes()).hexdigest()
    (link.parent / "response.json").write_text(json.dumps(record))

    listed = run_kiosk("responses", "list", "--json", "--data", str(data), timeout=60)
    assert listed.returncode == 0, listed.stderr
    assert {png_pipe, strokes_pipe, png_link} <= {x["id"] for x in json.loads(listed.stdout)}

    check = run_kiosk("check", "--data", str(data), timeout=60)
    assert check.returncode == 1
    assert_clean(check)
    for rid, name, why in ((png_pipe, "drawing.png", "not a regular file"),
                           (strokes_pipe, "strokes.json", "not a regular file"), (png_link, "drawing.png", "link")):
        line = next(x for x in check.stdout.splitlines() if rid in x and name in x)
        assert why in line, check.stdout
    assert "index.sqlite" not in check.stdout  # the answers are indexed: no false "run reindex"
    assert check.stderr.startswith("3 problems in 27 responses"), check.stderr

    site = run_kiosk("archive", "build", "--data", str(data), timeout=60)
    assert site.returncode == 0, site.stderr
    assert_clean(site)
    assert png_pipe in site.stderr and "not a regular file" in site.stderr and png_link in site.stderr
    assert not (data / "site" / "r" / png_link / "drawing.png").exists()
    assert b"not for the archive" not in b"".join(p.read_bytes() for p in (data / "site").rglob("*") if p.is_file())

    export = run_kiosk("export", str(tmp_path / "bag"), "--include-hidden", "--data", str(data), timeout=60)
    assert export.returncode == 3, export.stderr  # the others are exported; the three are named
    assert_clean(export)
    assert "left out 3 responses" in export.stderr and "not a regular file" in export.stderr
    assert "fix:" in export.stderr and png_link in export.stderr
    assert b"not for the archive" not in b"".join(p.read_bytes() for p in (tmp_path / "bag").rglob("*") if p.is_file())

    zine = run_kiosk("zine", "build", "--session", session_dir(data).name, "--data", str(data), timeout=60)
    assert zine.returncode == 0, zine.stderr
    assert_clean(zine)


def test_a_session_folder_with_a_hostile_slug_is_quarantined_with_its_responses(data, tmp_path):
    """A slug that climbs out (../../../outside/x) or is empty never builds a path."""
    src = session_dir(data)
    for n, slug in enumerate(["../../../outside/x", "", "UPPER case"]):
        dst = data / "sessions" / f"copied-{n}"
        shutil.copytree(src, dst)
        rec = json.loads((dst / "session.json").read_text())
        rec["slug"] = slug
        (dst / "session.json").write_text(json.dumps(rec))
    r = run_kiosk("responses", "list", "--data", str(data))
    assert r.returncode == 0 and "24 responses" in r.stderr
    assert_clean(r)
    check = run_kiosk("check", "--data", str(data))
    assert check.returncode == 1 and "copied-0/session.json" in check.stdout and "slug" in check.stdout
    assert "copied-0/responses/" in check.stdout  # its responses are left out too
    a = run_kiosk("archive", "build", "--data", str(data), "--out", str(tmp_path / "site"))
    assert a.returncode == 0, a.stderr
    assert not (tmp_path / "outside").exists() and not (data.parent / "outside").exists()
    assert not (data / "sessions" / "session.json").exists()


def test_a_title_as_a_list_quarantines_the_session(data):
    rec = json.loads((session_dir(data) / "session.json").read_text())
    rec["title"] = ["not", "text"]
    (session_dir(data) / "session.json").write_text(json.dumps(rec))
    r = run_kiosk("session", "list", "--data", str(data))
    assert r.returncode == 0 and "title" in r.stderr
    assert_clean(r)
    assert listed_ids(data) == set()  # its responses wait, quarantined, until the title is fixed
    problems = run_kiosk("responses", "list", "--problems", "--data", str(data))
    assert "title: must be text, not a list" in problems.stdout and problems.stdout.count("fix:") == 25
    rec["title"] = "Fixed"
    (session_dir(data) / "session.json").write_text(json.dumps(rec))
    assert len(listed_ids(data)) == 24  # the next command notices the fix: no reindex needed


def test_a_huge_strokes_file_is_refused_by_its_size_unread(data):
    """Ten million points: refused by size before parsing (a sparse file, so the test stays small)."""
    rid = copy_in(data, strokes_bytes=b'{"format": "kiosk-strokes/1"}')
    strokes = session_dir(data) / "responses" / rid / "strokes.json"
    with open(strokes, "r+b") as f:
        f.truncate(MAX_STROKES_BYTES + 1)
    r = run_kiosk("check", "--data", str(data))
    assert r.returncode == 1 and rid in r.stdout and "bytes, more than" in r.stdout
    assert_clean(r)
    assert rid not in listed_ids(data)


def test_too_many_points_are_refused_by_count():
    stroke = {"tool": "pen", "color": "#000000", "width": 2, "points": [[1, 1, 0]] * 500_001}
    raw = json.dumps({"format": "kiosk-strokes/1", "width": 10, "height": 10, "strokes": [stroke]}).encode()
    (issue,) = records.strokes_issues(raw)
    assert "more than 500000 points" in issue.what


def test_the_validator_names_field_and_fix():
    good = {"id": ids.new_response_id("k1"), "session": "2026-11-22-opening", "prompt_id": "relation",
            "kind": "draw", "language": "en", "consent": "public", "created": "2026-11-22T18:30:00+01:00"}
    assert records.response_issues(good) == []
    for change, field in [({"hidden": "yes"}, "hidden"), ({"prompt_text": ["x"]}, "prompt_text"),
                          ({"created": 3}, "created"), ({"id": "../x"}, "id"), ({"session": ""}, "session"),
                          ({"duration_s": float("nan")}, "duration_s"), ({"text": "a\x00b"}, "text"),
                          ({"files": {"../x": "0" * 64}}, "files")]:
        (issue,) = records.response_issues(good | change)
        assert issue.field == field and issue.fix, (change, issue)
    assert [i.field for i in records.session_issues({"slug": "a", "title": ["x"]})] == ["title"]
    assert not ids.is_slug("a\n") and not ids.is_slug("..") and not ids.is_slug("") and ids.is_slug("2026-a-2")


def test_the_store_refuses_to_commit_an_invalid_record_with_a_typed_error(tmp_path):
    """The app's saver gets a RecordError (a KioskError) and so treats it as a failed save."""
    with Store(tmp_path / "data", kiosk_id="k1") as store:
        s = store.start_session("A")
        resp = Response(store.new_id(), s.slug, "relation", "draw", "en", "public")
        bad = Drawing(100, 100, strokes=[Stroke("pen", "#000000", 4, [Point(float("nan"), 1, 0)])])
        with pytest.raises(RecordError, match="stroke 0, point 0"):
            store.save_response(resp, bad)
        with pytest.raises(RecordError, match="hidden"):
            store.save_response(Response(store.new_id(), s.slug, "relation", "draw", "en", "public",
                                         hidden="yes"))  # type: ignore[arg-type]
        assert store.responses() == [] and not list((store.sessions_dir / s.slug / "responses").iterdir())


def test_the_index_follows_a_hide_synced_in_by_rsync(data, tmp_path):
    """Hide on one copy, rsync -a it back: the next command honours it, without reindex."""
    if shutil.which("rsync") is None:
        pytest.skip("rsync is not installed (make system-deps installs it)")
    other = tmp_path / "other"
    shutil.copytree(data, other)
    public = [x for x in json.loads(run_kiosk("responses", "list", "--json", "--data", str(data)).stdout)
              if x["consent"] == "public" and not x["hidden"]]
    rid = public[0]["id"]
    assert run_kiosk("hide", rid, "--data", str(other)).returncode == 0
    r = subprocess.run(["rsync", "-a", f"{other}/sessions/", f"{data}/sessions/"], capture_output=True)
    assert r.returncode == 0, r.stderr
    listed = json.loads(run_kiosk("responses", "list", "--json", "--data", str(data)).stdout)
    assert next(x for x in listed if x["id"] == rid)["hidden"] is True
    a = run_kiosk("archive", "build", "--data", str(data), "--out", str(tmp_path / "site"))
    assert a.returncode == 0, a.stderr
    assert not (tmp_path / "site" / "r" / rid).exists()
    assert run_kiosk("check", "--data", str(data)).returncode == 0


def test_a_copy_brought_over_a_hidden_or_print_only_answer_never_undoes_it(data, tmp_path):
    """Merging by copying folders (as the README allows) lays the other kiosk's copy of an answer
    over this one's: a hide or a print-only made here must hold, as on import (the more private
    copy wins), through the next command and a reindex; `kiosk unhide` still shows it again."""
    before = {p.relative_to(data): p.read_bytes() for p in (data / "sessions").rglob("*") if p.is_file()}
    public = [x for x in json.loads(run_kiosk("responses", "list", "--json", "--data", str(data)).stdout)
              if x["consent"] == "public" and not x["hidden"]]
    hidden_id, print_id = public[0]["id"], public[1]["id"]
    assert run_kiosk("hide", hidden_id, "--data", str(data)).returncode == 0
    with Store(data) as store:
        store.set_private(print_id, consent="print")
    for rel, raw in before.items():  # the other kiosk's copies, laid over these
        (data / rel).write_bytes(raw)

    listed = run_kiosk("responses", "list", "--json", "--data", str(data))
    assert listed.returncode == 0 and "kept hidden" in listed.stderr and "kept print-only" in listed.stderr
    assert_clean(listed)
    rows = {x["id"]: x for x in json.loads(listed.stdout)}
    assert rows[hidden_id]["hidden"] is True and rows[print_id]["consent"] == "print"
    site = run_kiosk("archive", "build", "--data", str(data), "--out", str(tmp_path / "site"))
    assert site.returncode == 0, site.stderr
    assert not (tmp_path / "site" / "r" / hidden_id / "drawing.png").exists()
    assert not (tmp_path / "site" / "r" / print_id / "drawing.png").exists()
    assert run_kiosk("check", "--data", str(data)).returncode == 0
    for rel, raw in before.items():  # laid over again, then the index made again from the files
        (data / rel).write_bytes(raw)
    assert run_kiosk("reindex", "--data", str(data)).returncode == 0
    rows = {x["id"]: x for x in json.loads(run_kiosk("responses", "list", "--json", "--data", str(data)).stdout)}
    assert rows[hidden_id]["hidden"] is True and rows[print_id]["consent"] == "print"
    assert run_kiosk("unhide", hidden_id, "--data", str(data)).returncode == 0
    rows = {x["id"]: x for x in json.loads(run_kiosk("responses", "list", "--json", "--data", str(data)).stdout)}
    assert rows[hidden_id]["hidden"] is False


def test_an_index_that_is_a_folder_is_moved_aside_and_rebuilt(data):
    (data / "index.sqlite").unlink()
    for suffix in ("-wal", "-shm"):
        (data / f"index.sqlite{suffix}").unlink(missing_ok=True)
    (data / "index.sqlite").mkdir()
    (data / "index.sqlite" / "keep.txt").write_text("mine")
    r = run_kiosk("responses", "list", "--data", str(data))
    assert r.returncode == 0 and "24 responses" in r.stderr and "moved aside" in r.stderr
    assert_clean(r)
    aside = [p for p in data.iterdir() if p.name.startswith("index.sqlite.not-a-file-")]
    assert len(aside) == 1 and (aside[0] / "keep.txt").read_text() == "mine"
    assert (data / "index.sqlite").is_file()


@pytest.mark.slow
def test_a_full_disk_gives_clear_messages_and_loses_nothing(tmp_path):
    with tmpfs(tmp_path / "disk", "8M") as disk:
        data = disk / "data"
        r = run_kiosk("demo-data", "--session", "Full", "--responses", "6", "--data", str(data))
        assert r.returncode == 0, r.stderr
        before = {p: p.read_bytes() for p in data.rglob("*") if p.is_file() and "sessions" in p.parts}
        rid = next(iter(listed_ids(data)))
        run_kiosk("session", "list", "--data", str(data))
        filler = fill_disk(disk)
        for free_kb in (0, 200):  # nothing free, then the 200 kB where reindex once failed to roll back
            os.truncate(filler, filler.stat().st_size - free_kb * 1024)
            for args in (["check"], ["hide", rid], ["session", "start", "Full"], ["reindex"], ["responses", "list"]):
                r = run_kiosk(*args, "--data", str(data))
                assert_clean(r)
                if r.returncode != 0:
                    assert r.returncode == 1 and "full" in r.stderr and "fix:" in r.stderr, (args, r.stderr)
        after = {p: p.read_bytes() for p in data.rglob("*") if p.is_file() and "sessions" in p.parts}
        for path, content in before.items():  # nothing lost; only the hide (once there was room) changed
            if path.name == "response.json":
                assert {**json.loads(after[path]), "hidden": False} == {**json.loads(content), "hidden": False}
            else:
                assert after[path] == content, path
        filler.unlink()
        assert run_kiosk("check", "--data", str(data)).returncode == 0
        assert len(listed_ids(data)) == 6


def test_paths_from_records_never_leave_their_folder(tmp_path):
    from kiosk.atomic import inside
    from kiosk.errors import KioskError

    assert inside(tmp_path, "2026-a", "responses", "x") == tmp_path / "2026-a/responses/x"
    for parts in [("../../../outside/x",), ("",), ("a", "", "x"), ("/etc/passwd",), ("a/../..",), (".",), ("a\0",)]:
        with pytest.raises(KioskError, match="outside"):
            inside(tmp_path, *parts)


def test_hiding_a_quarantined_answer_says_why_it_is_left_out(data):
    rid = copy_in(data, lambda r: r.update(hidden="yes"))
    r = run_kiosk("hide", rid, "--data", str(data))
    assert r.returncode == 1 and "quarantined" in r.stderr and "hidden" in r.stderr and "fix:" in r.stderr
    assert_clean(r)
