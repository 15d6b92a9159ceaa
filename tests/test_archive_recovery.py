"""A first `kiosk archive build` killed (SIGKILL) or stopped by a full disk: the next run cleans up by itself."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import ROOT, fill_disk, kiosk_env, run_kiosk, tmpfs

from kiosk.archive.build import BUILDING, MANIFEST
from kiosk.store import Response, Store


def site_files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*"))
            if p.is_file() and p.name != MANIFEST}


@pytest.fixture(scope="module")
def reference(tmp_path_factory, demo_store_dir) -> dict[str, bytes]:
    """The site a build that was never interrupted makes."""
    out = tmp_path_factory.mktemp("ref") / "site"
    r = run_kiosk("archive", "build", "--data", str(demo_store_dir), "--out", str(out))
    assert r.returncode == 0, r.stderr
    return site_files(out)


@pytest.mark.slow
def test_a_first_build_killed_ten_times_then_built_with_no_manual_step(tmp_path, demo_store_dir, reference):
    out = tmp_path / "site"
    cmd = [sys.executable, "-m", "kiosk", "archive", "build", "--data", str(demo_store_dir), "--out", str(out)]
    killed_while_running = 0
    for attempt in range(10):
        proc = subprocess.Popen(cmd, cwd=ROOT, env=kiosk_env(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 60
        while not (out / BUILDING).exists() and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.002)
        time.sleep(attempt * 0.04)  # a different moment of the build each time
        if proc.poll() is None:
            killed_while_running += 1
        proc.send_signal(signal.SIGKILL)
        proc.wait(30)
        proc.stderr.close()
        if (out / MANIFEST).exists():  # the build got to its end before the kill: start over as a first build
            continue
    assert killed_while_running >= 5  # most kills landed in the middle of a build
    r = run_kiosk("archive", "build", "--data", str(demo_store_dir), "--out", str(out))
    assert r.returncode == 0, r.stderr
    assert "not empty" not in r.stderr
    assert site_files(out) == reference  # nothing half-written or left over
    assert not (out / BUILDING).exists()
    assert not [p for p in out.rglob(".tmp-*")]


def test_a_folder_left_by_a_killed_first_build_is_recognised(tmp_path, demo_store_dir, reference):
    out = tmp_path / "site"
    (out / "r" / "half").mkdir(parents=True)
    (out / BUILDING).write_bytes(b"")
    (out / "r" / "half" / ".tmp-123-index.html").write_bytes(b"<html")
    (out / "index.html").write_bytes(b"half a page")
    r = run_kiosk("archive", "build", "--data", str(demo_store_dir), "--out", str(out))
    assert r.returncode == 0, r.stderr
    assert site_files(out) == reference


def test_a_clean_up_killed_half_way_leaves_a_folder_still_recognised(tmp_path, demo_store_dir, reference, monkeypatch):
    """The next build empties what a killed first build left; killed in the middle of that (as the
    kill loop above can land), the folder must still carry the marker, or the build after would
    refuse it as "not empty and holds no site built by kiosk". Killed after each removal in turn."""
    from kiosk.archive import build

    out = tmp_path / "site"
    real_unlink, real_rmtree = os.unlink, shutil.rmtree
    for kill_at in range(1, 6):
        calls = []

        def counted(real):
            def remove(path, *args, **kwargs):
                calls.append(path)
                if len(calls) == kill_at:
                    raise KeyboardInterrupt  # stands for the SIGKILL
                return real(path, *args, **kwargs)
            return remove

        for name in ("a", "b"):
            (out / "r" / name).mkdir(parents=True, exist_ok=True)
            (out / f"{name}.html").write_bytes(b"half")
        (out / BUILDING).write_bytes(b"")
        monkeypatch.setattr(build.os, "unlink", counted(real_unlink))
        monkeypatch.setattr(build.shutil, "rmtree", counted(real_rmtree))
        try:
            build.recover(out)
        except KeyboardInterrupt:
            pass
        monkeypatch.undo()
        assert (out / BUILDING).exists(), kill_at
    r = run_kiosk("archive", "build", "--data", str(demo_store_dir), "--out", str(out))
    assert r.returncode == 0, r.stderr
    assert site_files(out) == reference


def test_temporary_files_of_a_killed_rebuild_are_swept(tmp_path, demo_store_dir, reference):
    out = tmp_path / "site"
    assert run_kiosk("archive", "build", "--data", str(demo_store_dir), "--out", str(out)).returncode == 0
    (out / BUILDING).write_bytes(b"")  # as a rebuild killed half-way leaves it
    (out / ".tmp-999-index.html").write_bytes(b"<html")
    r = run_kiosk("archive", "build", "--data", str(demo_store_dir), "--out", str(out))
    assert r.returncode == 0, r.stderr
    assert not (out / ".tmp-999-index.html").exists() and not (out / BUILDING).exists()
    assert site_files(out) == reference


def test_files_a_killed_rebuild_wrote_for_an_answer_hidden_since_are_removed(tmp_path, demo_store_dir, reference):
    """A rebuild killed after it wrote a new answer's page and drawing, before its manifest: the
    answer is hidden, and the next build removes what no manifest listed (it stays offline)."""
    data = tmp_path / "data"
    shutil.copytree(demo_store_dir, data)
    out = tmp_path / "site"
    assert run_kiosk("archive", "build", "--data", str(data), "--out", str(out)).returncode == 0
    with Store(data) as store:
        drawn = next(r for r in store.responses() if r.has_drawing and r.consent == "public")
        fresh = store.save_response(
            Response(id=store.new_id(), session=drawn.session, prompt_id=drawn.prompt_id, kind="draw",
                     language="en", consent="public", consent_version="1", prompt_text=drawn.prompt_text),
            store.load_drawing(drawn))
    # What the killed rebuild left: its marker, and the new answer's files (one cut short), unlisted.
    (out / BUILDING).write_bytes(b"")
    folder = out / "r" / fresh.id
    folder.mkdir()
    (folder / "index.html").write_bytes(b"")
    (folder / "drawing.png").write_bytes(b"\x89PNG")
    (folder / "drawing.svg").write_bytes(b"<svg")
    (out / "s" / drawn.session / "page-9").mkdir()
    (out / "s" / drawn.session / "page-9" / "index.html").write_bytes(b"<html")
    (out / ".htaccess").write_bytes(b"ErrorDocument 404 /404.html\n")  # the site's keeper's own: kept
    with Store(data) as store:
        store.set_hidden(fresh.id, True)
    r = run_kiosk("archive", "build", "--data", str(data), "--out", str(out))
    assert r.returncode == 0, r.stderr
    assert not folder.exists() and not (out / "s" / drawn.session / "page-9").exists()
    assert not (out / BUILDING).exists() and (out / ".htaccess").exists()
    assert {k: v for k, v in site_files(out).items() if k != ".htaccess"} == reference


def test_foreign_files_are_still_refused(tmp_path, demo_store_dir):
    out = tmp_path / "site"
    out.mkdir()
    (out / "notes.txt").write_text("mine")
    r = run_kiosk("archive", "build", "--data", str(demo_store_dir), "--out", str(out))
    assert r.returncode == 1 and "not empty" in r.stderr
    assert (out / "notes.txt").read_text() == "mine"


@pytest.mark.slow
def test_a_first_build_stopped_by_a_full_disk_recovers_once_there_is_room(tmp_path, demo_store_dir, reference):
    with tmpfs(tmp_path / "mnt", "2m") as mnt:
        filler = fill_disk(mnt)
        os.truncate(filler, max(0, filler.stat().st_size - 400_000))  # room for a little of the site
        out = mnt / "site"
        r = run_kiosk("archive", "build", "--data", str(demo_store_dir), "--out", str(out))
        assert r.returncode == 1 and "Traceback" not in r.stderr
        assert "full" in r.stderr
        assert (out / BUILDING).exists()
        filler.unlink()  # room again
        subprocess.run(["mount", "-o", "remount,size=64m", str(mnt)], check=True)
        r = run_kiosk("archive", "build", "--data", str(demo_store_dir), "--out", str(out))
        assert r.returncode == 0, r.stderr
        assert site_files(out) == reference
