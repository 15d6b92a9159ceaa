"""`kiosk import` of hostile bags: every record is validated before anything is written.

Each bag is a real export changed and then re-manifested with bagit (so bagit accepts it):
the hash checks pass and only the record validator stands between the bag and the store.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import bagit
import pytest
from conftest import ROOT, kiosk_env, run_kiosk

Records = dict[str, Any]


def store_files(data: Path) -> dict[str, bytes]:
    sessions = data / "sessions"
    return {p.relative_to(data).as_posix(): p.read_bytes() for p in sorted(sessions.rglob("*")) if p.is_file()} \
        if sessions.exists() else {}


def refused_import(bag: Path, tmp_path: Path, change, *names) -> Path:
    """Import the bag as `change` leaves it; assert it is refused naming `names` (a callable is
    asked once `change` has run: the id it picked) and that nothing is written."""
    hostile = remanifested(bag, tmp_path / "bag", change)
    data = tmp_path / "data"
    r = run_kiosk("import", str(hostile), "--data", str(data))
    asked = [name() if callable(name) else name for name in names]
    assert_refused_naming(r, *(n for a in asked for n in ([a] if isinstance(a, str) else a)))
    assert store_files(data) == {}
    return data


def assert_refused_naming(r: subprocess.CompletedProcess, *names: str) -> None:
    out = r.stdout + r.stderr
    assert r.returncode == 1, out
    assert "nothing was imported" in r.stderr and "fix:" in r.stderr, r.stderr
    assert "Traceback" not in out and "unexpected error" not in out, out
    for name in names:
        assert name in r.stderr, (name, r.stderr)


@pytest.fixture(scope="module")
def bag(demo_store_dir: Path, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("hostile") / "bag"
    r = run_kiosk("export", str(out), "--include-hidden", "--data", str(demo_store_dir))
    assert r.returncode == 0, r.stderr
    return out


def remanifested(bag: Path, dest: Path, change: Callable[[Records, Path], None]) -> Path:
    """A copy of the bag with its records changed, and manifests made again so bagit accepts it."""
    shutil.copytree(bag, dest)
    path = dest / "data/metadata/responses.json"
    doc = json.loads(path.read_text())
    change(doc, dest)
    path.write_text(json.dumps(doc))
    bagit.Bag(str(dest)).save(manifests=True)
    bagit.Bag(str(dest)).validate()  # bagit finds nothing wrong
    return dest


def first_drawn(doc: Records) -> Records:
    return next(r for r in doc["responses"] if "strokes.json" in r["files"])


def set_strokes(doc: Records, bag: Path, change: Callable[[Records], None], rec: Records | None = None) -> str:
    """Change a drawing's strokes (the first drawn one's unless `rec` is given) and record the new
    hash in its response, as a forger would."""
    rec = rec or first_drawn(doc)
    path = bag / "data/drawings" / f"{rec['id']}.strokes.json"
    strokes = json.loads(path.read_text())
    change(strokes)
    raw = json.dumps(strokes).encode()
    path.write_bytes(raw)
    rec["files"]["strokes.json"] = hashlib.sha256(raw).hexdigest()
    return rec["id"]


def test_a_hidden_yes_record_is_refused_before_anything_is_written(bag, tmp_path, demo_store_dir):
    victim: dict[str, str] = {}

    def change(doc: Records, _: Path) -> None:
        rec = doc["responses"][3]
        rec["hidden"] = "yes"
        victim["id"] = rec["id"]

    data = refused_import(bag, tmp_path, change, lambda: victim["id"], "hidden", "must be true or false")
    check = run_kiosk("check", "--data", str(data))
    assert check.returncode == 0, check.stdout


def test_every_bad_record_is_listed_at_once(bag, tmp_path):
    """prompt_text as a list, created as a number, a title as a list, NaN, Infinity, width 1e308,
    a 60000 x 60000 canvas, strokes nested 200,000 deep: all named in one refusal."""
    names: dict[str, str] = {}

    def change(doc: Records, dest: Path) -> None:
        drawn = [r for r in doc["responses"] if "strokes.json" in r["files"]]
        doc["responses"][0]["prompt_text"] = ["not", "a", "map"]
        names["prompt_text"] = doc["responses"][0]["id"]
        doc["responses"][1]["created"] = 1732000000
        names["created"] = doc["responses"][1]["id"]
        doc["sessions"][0]["title"] = ["a", "list"]
        names["title"] = doc["sessions"][0]["slug"]
        for rec, what, edit in [
            (drawn[2], "stroke 0, point 0", lambda s: s["strokes"][0]["points"].__setitem__(0, [1, 1, float("inf")])),
            (drawn[3], "stroke 0, point 0", lambda s: s["strokes"][0]["points"].__setitem__(0, [float("nan"), 1, 0])),
            (drawn[4], "width is a number", lambda s: s["strokes"][0].update(width=1e308)),
            (drawn[5], "width and height", lambda s: s.update(width=60000, height=60000)),
        ]:
            names[set_strokes(doc, dest, edit, rec)] = what
        rec = drawn[6]
        raw = b'{"format": "kiosk-strokes/1", "strokes": ' + b"[" * 200_000 + b"]" * 200_000 + b"}"
        (dest / "data/drawings" / f"{rec['id']}.strokes.json").write_bytes(raw)
        rec["files"]["strokes.json"] = hashlib.sha256(raw).hexdigest()
        names[rec["id"]] = "nested too deep"

    refused_import(bag, tmp_path, change, lambda: [*names.keys(), *names.values()])


def test_a_scripted_svg_in_a_bag_is_never_published_by_the_archive(bag, tmp_path):
    """A drawing.svg that matches its own checksum but carries a script, an event handler and an
    external image, keeping the kiosk's outline and path count: the site draws it again from the
    strokes instead of publishing it (the file may be opened from disk, or from a server
    without the CSP of `kiosk archive serve`)."""
    victim: dict[str, str] = {}

    def change(doc: Records, dest: Path) -> None:
        rec = next(r for r in doc["responses"] if "drawing.svg" in r["files"] and r["consent"] == "public"
                   and not r.get("hidden"))
        victim["id"] = rec["id"]
        path = dest / "data/drawings" / f"{rec['id']}.svg"
        svg = path.read_text(encoding="utf-8")
        svg = svg.replace('height="900">', 'height="900" onload="alert(document.domain)">', 1)
        svg = svg.replace("</g></svg>", '</g><script>alert(1)</script><image href="https://tracker.example/p.png"/></svg>')
        raw = svg.encode("utf-8")
        path.write_bytes(raw)
        rec["files"]["drawing.svg"] = hashlib.sha256(raw).hexdigest()

    hostile = remanifested(bag, tmp_path / "bag", change)
    data = tmp_path / "data"
    assert run_kiosk("import", str(hostile), "--data", str(data)).returncode == 0
    r = run_kiosk("archive", "build", "--data", str(data))
    assert r.returncode == 0, r.stdout + r.stderr
    site_svg = (data / "site" / "r" / victim["id"] / "drawing.svg").read_text(encoding="utf-8")
    for bad in ("script", "onload", "alert", "tracker.example", "<image"):
        assert bad not in site_svg
    assert site_svg.count("<path ") > 0  # the drawing is there, made from its strokes


def test_the_same_id_twice_in_one_bag_is_refused(bag, tmp_path):
    dup: dict[str, str] = {}

    def change(doc: Records, _: Path) -> None:
        rec = dict(first_drawn(doc), consent="public", hidden=False)
        first_drawn(doc).update(consent="print")
        doc["responses"].append(rec)  # a public copy after the print-only original
        dup["id"] = rec["id"]

    refused_import(bag, tmp_path, change, lambda: dup["id"], "appears 2 times")


def test_a_slug_that_climbs_out_is_refused(bag, tmp_path):
    def change(doc: Records, _: Path) -> None:
        old = doc["sessions"][0]["slug"]
        doc["sessions"][0]["slug"] = "../../../outside/x"
        for rec in doc["responses"]:
            if rec["session"] == old:
                rec["session"] = "../../../outside/x"

    hostile = remanifested(bag, tmp_path / "bag", change)
    data = tmp_path / "a" / "b" / "data"
    r = run_kiosk("import", str(hostile), "--data", str(data))
    assert_refused_naming(r, "slug", "is not a slug")
    assert store_files(data) == {} and not (tmp_path / "outside").exists()


def test_the_more_private_consent_and_hidden_flag_win(bag, tmp_path):
    data = tmp_path / "data"
    assert run_kiosk("import", str(bag), "--data", str(data)).returncode == 0
    listed = json.loads(run_kiosk("responses", "list", "--json", "--data", str(data)).stdout)
    public = [x["id"] for x in listed if x["consent"] == "public" and not x["hidden"]]
    a, b = public[0], public[1]
    # b is made print-only here; the bag says public: print stays
    assert run_kiosk("hide", b, "--data", str(data)).returncode == 0

    def change(doc: Records, _: Path) -> None:
        for rec in doc["responses"]:
            if rec["id"] == a:
                rec["consent"] = "print"  # the bag's copy of a is more private

    hostile = remanifested(bag, tmp_path / "bag", change)
    r = run_kiosk("import", str(hostile), "--data", str(data))
    assert r.returncode == 0, r.stderr
    assert f"{a}: consent public here, consent print in the bag: now consent print" in r.stdout
    assert f"{b}: consent public, hidden here, consent public in the bag: kept consent public, hidden" in r.stdout
    after = {x["id"]: x for x in json.loads(run_kiosk("responses", "list", "--json", "--data", str(data)).stdout)}
    assert after[a]["consent"] == "print" and after[b]["hidden"] is True
    assert run_kiosk("check", "--data", str(data)).returncode == 0


def test_a_zip_with_an_encrypted_member_is_refused_before_unpacking(bag, tmp_path):
    z = tmp_path / "enc.zip"
    with zipfile.ZipFile(z, "w") as zf:
        for path in sorted(bag.rglob("*")):
            if path.is_file():
                zf.write(path, f"bag/{path.relative_to(bag).as_posix()}")
    # Mark the PNGs encrypted, as a password-protected ZIP's members are (bit 0 of the flags, in
    # the local headers and the central directory): zipfile would then ask for a password.
    raw = bytearray(z.read_bytes())
    with zipfile.ZipFile(z) as zf:
        for info in zf.infolist():
            if info.filename.endswith(".png"):
                raw[info.header_offset + 6] |= 1
    pos = raw.find(b"PK\x01\x02")
    while pos != -1:
        name_len = int.from_bytes(raw[pos + 28:pos + 30], "little")
        if bytes(raw[pos + 46:pos + 46 + name_len]).endswith(b".png"):
            raw[pos + 8] |= 1
        pos = raw.find(b"PK\x01\x02", pos + 4)
    z.write_bytes(bytes(raw))
    data = tmp_path / "data"
    r = run_kiosk("import", str(z), "--data", str(data))
    assert_refused_naming(r, "encrypted", ".png")
    assert store_files(data) == {} and not [p for p in data.iterdir() if p.name.startswith(".tmp")]


def test_a_zip_bomb_is_refused_before_unpacking(tmp_path):
    z = tmp_path / "bomb.zip"
    with zipfile.ZipFile(z, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("bag/bagit.txt", "BagIt-Version: 0.97\nTag-File-Character-Encoding: UTF-8\n")
        with zf.open("bag/data/zeros.bin", "w", force_zip64=True) as f:
            block = bytes(1 << 20)
            for _ in range(200):  # 200 MB of zeros, some 200 kB compressed
                f.write(block)
    assert z.stat().st_size < 2_000_000
    data = tmp_path / "data"
    r = run_kiosk("import", str(z), "--data", str(data))
    assert_refused_naming(r, "zeros.bin", "more than 200 times")
    assert not [p for p in data.rglob("*") if p.is_file() and p.stat().st_size > 1_000_000]


def test_a_zip_larger_than_the_free_space_is_refused_before_unpacking(bag, tmp_path):
    from conftest import tmpfs

    z = tmp_path / "big.zip"
    with zipfile.ZipFile(z, "w") as zf:
        zf.writestr("bag/bagit.txt", "BagIt-Version: 0.97\nTag-File-Character-Encoding: UTF-8\n")
        zf.writestr("bag/data/noise.bin", os.urandom(3 * 1024 * 1024))
    with tmpfs(tmp_path / "disk", "2M") as disk:
        r = run_kiosk("import", str(z), "--data", str(disk / "data"))
        out = r.stdout + r.stderr
        assert r.returncode == 1 and "MB free" in r.stderr and "nothing was imported" in r.stderr, out
        assert "Traceback" not in out
        assert not [p for p in (disk / "data").iterdir() if p.name.startswith(".tmp")]


def test_leftovers_of_a_killed_import_are_cleaned_by_the_next(bag, tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    assert run_kiosk("session", "list", "--data", str(data)).returncode == 0
    (data / ".tmp-import-999999999").mkdir()  # a pid that cannot be running
    (data / ".tmp-import-999999999" / "half.png").write_bytes(b"x")
    doc = json.loads((bag / "data/metadata/responses.json").read_text())
    rec = first_drawn(doc)
    half = data / "sessions" / rec["session"] / "responses" / f".tmp-{rec['id']}"
    half.mkdir(parents=True)
    (half / "strokes.json").write_text("{")
    r = run_kiosk("import", str(bag), "--data", str(data))
    assert r.returncode == 0, r.stderr
    assert "File exists" not in r.stderr
    assert not (data / ".tmp-import-999999999").exists() and not half.exists()
    check = run_kiosk("check", "--data", str(data))
    assert check.returncode == 0 and "note" not in check.stdout, check.stdout


@pytest.mark.slow
def test_an_import_killed_ten_times_then_run_again_succeeds_with_no_manual_step(bag, tmp_path):
    z = tmp_path / "bag.zip"
    with zipfile.ZipFile(z, "w") as zf:  # a ZIP, so a kill can also land while it is unpacked
        for path in sorted(bag.rglob("*")):
            if path.is_file():
                zf.write(path, f"bag/{path.relative_to(bag).as_posix()}")
    data = tmp_path / "data"
    cmd = [sys.executable, "-m", "kiosk", "import", str(z), "--data", str(data)]
    for i in range(10):
        proc = subprocess.Popen(cmd, cwd=ROOT, env=kiosk_env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(0.25 + 0.12 * i)  # from start-up to the middle of the merge
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    r = run_kiosk("import", str(z), "--data", str(data))
    assert r.returncode == 0, r.stderr
    assert "Traceback" not in r.stderr and "File exists" not in r.stderr
    check = run_kiosk("check", "--data", str(data))
    assert check.returncode == 0 and "PROBLEM" not in check.stdout, check.stdout
    assert not [p for p in data.iterdir() if p.name.startswith(".tmp")]
    listed = json.loads(run_kiosk("responses", "list", "--json", "--data", str(data)).stdout)
    assert len(listed) == len(json.loads((bag / "data/metadata/responses.json").read_text())["responses"])


def test_a_drawing_too_large_to_read_is_refused_by_its_size(bag, tmp_path):
    """Ten million points: refused by size before it is parsed (a sparse file keeps the test small)."""
    from kiosk.strokes import MAX_STROKES_BYTES

    victim: dict[str, str] = {}

    def change(doc: Records, dest: Path) -> None:
        rec = first_drawn(doc)
        path = dest / "data/drawings" / f"{rec['id']}.strokes.json"
        path.write_bytes(b'{"format": "kiosk-strokes/1", "width": 10, "height": 10, "strokes": [')
        os.truncate(path, MAX_STROKES_BYTES + 1)
        h = hashlib.sha256()
        with open(path, "rb") as f:
            for chunk in iter(lambda: f.read(1 << 20), b""):
                h.update(chunk)
        rec["files"]["strokes.json"] = h.hexdigest()
        victim["id"] = rec["id"]

    refused_import(bag, tmp_path, change, lambda: victim["id"], "bytes, more than")


def retagged(bag: Path) -> None:
    """Tag manifests made again by hand (bagit would read the payload, and hang on a pipe in it)."""
    for alg in ("sha256", "sha512"):
        tags = bag / f"tagmanifest-{alg}.txt"
        if not tags.exists():
            continue
        names = [line.split(maxsplit=1)[1] for line in tags.read_text().splitlines() if line.strip()]
        tags.write_text("".join(f"{hashlib.new(alg, (bag / n).read_bytes()).hexdigest()}  {n}\n" for n in names))


def test_a_pipe_in_a_bag_is_refused_before_anything_is_read_or_written(bag, tmp_path):
    """A FIFO where a drawing should be, in a bag whose optional Payload-Oxum is gone (so the sizes
    cannot give it away): the check names it, nothing is imported, nothing waits for a writer.
    The same for a FIFO bag-info.txt, which bagit itself would wait on for ever."""
    payload = tmp_path / "payload-pipe"
    shutil.copytree(bag, payload)
    info = payload / "bag-info.txt"
    info.write_text("".join(line + "\n" for line in info.read_text().splitlines() if "Payload-Oxum" not in line))
    retagged(payload)
    png = sorted((payload / "data/drawings").glob("*.png"))[-1]
    png.unlink()
    os.mkfifo(png)
    r = run_kiosk("import", str(payload), "--data", str(tmp_path / "data"), timeout=60)
    assert_refused_naming(r, png.name, "not a regular file")
    assert store_files(tmp_path / "data") == {}

    tags = tmp_path / "tag-pipe"
    shutil.copytree(bag, tags)
    (tags / "bag-info.txt").unlink()
    os.mkfifo(tags / "bag-info.txt")
    r = run_kiosk("import", str(tags), "--data", str(tmp_path / "data"), timeout=60)
    assert_refused_naming(r, "bag-info.txt", "not a regular file")
    assert store_files(tmp_path / "data") == {}


def test_an_import_killed_while_merging_is_named_by_check_until_run_again(bag, tmp_path):
    """Killed half-way through the merge, an import leaves a session that looks complete: `check`
    names the unfinished import and its bag until the same import is run again."""
    data = tmp_path / "data"
    data.mkdir()
    assert run_kiosk("session", "list", "--data", str(data)).returncode == 0
    left = data / ".tmp-import-999999999"  # a pid that cannot be running
    left.mkdir()
    (left / "importing.txt").write_text(str(bag))
    check = run_kiosk("check", "--data", str(data))
    assert check.returncode == 1, check.stdout
    assert f"an import of {bag} stopped before its end" in check.stdout and "kiosk import" in check.stdout
    assert run_kiosk("import", str(bag), "--data", str(data)).returncode == 0
    check = run_kiosk("check", "--data", str(data))
    assert check.returncode == 0 and not left.exists(), check.stdout


def test_an_import_stopped_by_a_full_disk_says_how_far_it_got_and_finishes_when_run_again(bag, tmp_path):
    from conftest import tmpfs

    with tmpfs(tmp_path / "disk", "1M") as disk:
        data = disk / "data"
        r = run_kiosk("import", str(bag), "--data", str(data))
        out = r.stdout + r.stderr
        assert r.returncode == 1 and "Traceback" not in out, out
        assert "the disk is full" in r.stderr and "The import stopped after" in r.stderr, out
        assert "run the same `kiosk import` again" in r.stderr, out
        subprocess.run(["mount", "-o", "remount,size=64M", str(disk)], check=True)  # space freed
        again = run_kiosk("import", str(bag), "--data", str(data))
        assert again.returncode == 0, again.stderr
        n = len(json.loads((bag / "data/metadata/responses.json").read_text())["responses"])
        listed = run_kiosk("responses", "list", "--json", "--data", str(data))
        assert len(json.loads(listed.stdout)) == n
        assert run_kiosk("check", "--data", str(data)).returncode == 0
