"""`kiosk export`: bags that bagit's own validator accepts, metadata that Omeka S and CollectionBuilder read."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import shutil
import subprocess
import sys
import zipfile
from datetime import datetime
from pathlib import Path

import bagit
import pytest
from conftest import kiosk_env, run_kiosk

from kiosk import __version__
from kiosk.strokes import from_json, render_svg

pytestmark = pytest.mark.slow  # each test makes demo data, bags, PDFs or runs a real service

REQUIRED_COLUMNS = [
    "dcterms:identifier", "dcterms:title", "dcterms:description", "dcterms:created", "dcterms:language",
    "dcterms:isPartOf", "dcterms:type", "dcterms:format", "dcterms:accessRights", "dcterms:rights",
    "dcterms:license", "dcterms:creator", "objectid", "filename",
]


def store_digest(data: Path) -> dict[str, str]:
    """Every file of the store that holds something (the index is derived and may be touched)."""
    return {str(p.relative_to(data)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(data.rglob("*")) if p.is_file() and not p.name.startswith("index.sqlite")}


def responses_of(data: Path) -> list[dict]:
    r = run_kiosk("responses", "list", "--json", "--data", str(data))
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


def read_csv(bag: Path) -> tuple[bytes, list[dict[str, str]]]:
    raw = (bag / "data/metadata/responses.csv").read_bytes()
    return raw, list(csv.DictReader(io.StringIO(raw.decode("utf-8"))))


def bagit_cli_validate(path: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "bagit", "--validate", str(path)], capture_output=True, text=True)


@pytest.fixture(scope="module")
def hidden_store(demo_store_dir, tmp_path_factory) -> tuple[Path, str]:
    """A copy of the demo store with one more response hidden (so there is always one)."""
    data = tmp_path_factory.mktemp("hidden") / "data"
    shutil.copytree(demo_store_dir, data)
    rid = next(r["id"] for r in responses_of(data) if not r["hidden"])
    assert run_kiosk("hide", rid, "--data", str(data)).returncode == 0
    return data, rid


@pytest.fixture(scope="module")
def bag(hidden_store, tmp_path_factory) -> Path:
    data, _ = hidden_store
    before = store_digest(data)
    out = tmp_path_factory.mktemp("export") / "bag"
    r = run_kiosk("export", str(out), "--data", str(data))
    assert r.returncode == 0, r.stderr
    assert "Exported" in r.stdout and str(out) in r.stdout
    assert store_digest(data) == before, "the export changed the store"
    return out


def test_bag_is_valid_for_bagit_library_and_command(bag):
    bagit.Bag(str(bag)).validate()  # raises BagValidationError if anything is wrong
    r = bagit_cli_validate(bag)
    assert r.returncode == 0, r.stderr
    assert "is valid" in r.stderr


def test_bag_declares_version_checksums_and_info(bag):
    assert (bag / "bagit.txt").read_bytes() == b"BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n"
    for name in ("manifest-sha256.txt", "manifest-sha512.txt", "tagmanifest-sha256.txt", "tagmanifest-sha512.txt"):
        assert (bag / name).is_file(), name
    b = bagit.Bag(str(bag))
    assert b.version_info == (1, 0)
    assert set(b.algorithms) == {"sha256", "sha512"}
    assert b.info["Source-Organization"] == "School of algorithmic solidarity"
    assert b.info["Bag-Software-Agent"] == f"kiosk {__version__}"
    assert b.info["External-Identifier"].startswith("kiosk-export-")
    assert "print-only" in b.info["External-Description"]
    datetime.strptime(b.info["Bagging-Date"], "%Y-%m-%d")
    files = [p for p in (bag / "data").rglob("*") if p.is_file()]
    assert b.info["Payload-Oxum"] == f"{sum(p.stat().st_size for p in files)}.{len(files)}"
    assert "Contact-Email" not in b.info  # empty in the settings: left out
    tagged = (bag / "tagmanifest-sha512.txt").read_text()
    for name in ("bagit.txt", "bag-info.txt", "manifest-sha256.txt", "manifest-sha512.txt"):
        assert name in tagged


def test_csv_is_utf8_without_bom_with_dublin_core_and_collectionbuilder_columns(bag, hidden_store):
    data, hidden_id = hidden_store
    raw, rows = read_csv(bag)
    assert not raw.startswith(b"\xef\xbb\xbf")
    header = next(csv.reader(io.StringIO(raw.decode("utf-8"))))
    for column in REQUIRED_COLUMNS:
        assert column in header, column
    visible = [r for r in responses_of(data) if not r["hidden"]]
    assert [row["objectid"] for row in rows] == [r["id"] for r in visible]  # one row per response, in order
    assert hidden_id not in raw.decode()
    drawings = {p.name for p in (bag / "data/drawings").iterdir()}
    for row in rows:
        rid = row["objectid"]
        assert rid == row["dcterms:identifier"] == rid.lower() and rid.isascii()
        assert datetime.fromisoformat(row["dcterms:created"]).tzinfo is not None
        assert row["dcterms:creator"] == "Anonymous visitor"
        assert row["dcterms:rights"] and row["dcterms:license"].startswith("https://creativecommons.org/")
        assert row["dcterms:isPartOf"] == "2026-11-21-demo-night"
        assert row["dcterms:title"]
        if row["filename"]:
            assert row["filename"] == f"{rid}.png" and row["filename"] in drawings
            assert {f"{rid}.svg", f"{rid}.strokes.json"} <= drawings
            assert row["dcterms:type"] == "StillImage" and row["dcterms:format"] == "image/png"
        else:
            assert row["dcterms:type"] == "Text" and row["dcterms:description"]
        if row["kind"] in ("choice", "text"):
            assert row["dcterms:description"]
    # every drawing file belongs to a row, and its basename is the row's id
    assert {name.split(".")[0] for name in drawings} == {row["objectid"] for row in rows if row["filename"]}


def test_print_only_responses_are_exported_with_their_consent_marked(bag, hidden_store):
    data, _ = hidden_store
    _, rows = read_csv(bag)
    consent = {r["id"]: r["consent"] for r in responses_of(data)}
    assert "print" in {row["consent"] for row in rows}
    for row in rows:
        assert row["consent"] == consent[row["objectid"]]
        if row["consent"] == "print":
            assert row["dcterms:accessRights"].startswith("print only")
        else:
            assert row["dcterms:accessRights"].startswith("public")


def test_drawings_are_the_stores_files_and_the_svg_is_the_strokes(bag, hidden_store):
    data, _ = hidden_store
    folders = {p.name: p for p in data.glob("sessions/*/responses/*")}
    checked = 0
    for png in (bag / "data/drawings").glob("*.png"):
        rid = png.name[:-4]
        src = folders[rid]
        assert png.read_bytes() == (src / "drawing.png").read_bytes()
        strokes = (bag / f"data/drawings/{rid}.strokes.json").read_bytes()
        assert strokes == (src / "strokes.json").read_bytes()
        svg = (bag / f"data/drawings/{rid}.svg").read_bytes()
        assert svg == (src / "drawing.svg").read_bytes()
        assert svg.decode() == render_svg(from_json(strokes))
        checked += 1
    assert checked > 5


def test_a_response_saved_without_an_svg_gets_one_rendered(demo_store_dir, tmp_path):
    """Stores written before the store kept SVGs: the export renders the SVG from the strokes."""
    data = tmp_path / "data"
    shutil.copytree(demo_store_dir, data)
    old = next(p for p in sorted(data.glob("sessions/*/responses/*")) if (p / "drawing.svg").exists())
    (old / "drawing.svg").unlink()
    record = json.loads((old / "response.json").read_text())
    del record["files"]["drawing.svg"]
    (old / "response.json").write_text(json.dumps(record))
    assert run_kiosk("reindex", "--data", str(data)).returncode == 0
    assert run_kiosk("check", "--data", str(data)).returncode == 0

    out = tmp_path / "bag"
    r = run_kiosk("export", str(out), "--include-hidden", "--data", str(data))
    assert r.returncode == 0, r.stderr
    bagit.Bag(str(out)).validate()
    strokes = (old / "strokes.json").read_bytes()
    assert (out / f"data/drawings/{old.name}.svg").read_text() == render_svg(from_json(strokes))

    merged = tmp_path / "merged"
    r = run_kiosk("import", str(out), "--data", str(merged))
    assert r.returncode == 0, r.stderr
    again = next(merged.glob(f"sessions/*/responses/{old.name}"))
    assert sorted(p.name for p in again.iterdir()) == ["drawing.png", "response.json", "strokes.json"]
    assert run_kiosk("check", "--data", str(merged)).returncode == 0


def test_data_dictionary_explains_every_column(bag):
    readme = (bag / "data/metadata/README.md").read_text()
    _, rows = read_csv(bag)
    dictionary = list(csv.DictReader(io.StringIO((bag / "data/metadata/data-dictionary.csv").read_text())))
    described = {(d["file"], d["column"]) for d in dictionary if d["description"]}
    for column in rows[0]:
        assert f"`{column}`" in readme, column
        assert ("responses.csv", column) in described, column
    questions = list(csv.DictReader(io.StringIO((bag / "data/metadata/questions.csv").read_text())))
    assert questions and {q["language"] for q in questions} == {"en", "fr"}
    for column in questions[0]:
        assert ("questions.csv", column) in described
    assert "StillImage" in readme and "Text" in readme


def test_responses_json_has_full_records_and_sessions(bag):
    doc = json.loads((bag / "data/metadata/responses.json").read_text())
    assert doc["format"] == "kiosk-export/2"
    assert [s["slug"] for s in doc["sessions"]] == ["2026-11-21-demo-night"]
    for rec in doc["responses"]:
        for key in ("id", "session", "prompt_text", "option_text", "files", "hidden", "consent_version"):
            assert key in rec


def test_include_hidden_and_filters(hidden_store, tmp_path):
    data, hidden_id = hidden_store
    everything = responses_of(data)
    out = tmp_path / "all"
    r = run_kiosk("export", str(out), "--include-hidden", "--data", str(data))
    assert r.returncode == 0, r.stderr
    _, rows = read_csv(out)
    assert [row["objectid"] for row in rows] == [x["id"] for x in everything]
    assert {row["objectid"]: row["hidden"] for row in rows}[hidden_id] == "true"

    r = run_kiosk("export", str(tmp_path / "later"), "--since", "2026-11-22", "--data", str(data))
    assert r.returncode == 0, r.stderr
    assert read_csv(tmp_path / "later")[1] == []  # the demo night was the 21st
    bagit.Bag(str(tmp_path / "later")).validate()
    r = run_kiosk("export", str(tmp_path / "since"), "--since", "2026-11-21", "--session", "2026-11-21-demo-night",
                  "--data", str(data))
    assert r.returncode == 0, r.stderr
    assert len(read_csv(tmp_path / "since")[1]) == len([x for x in everything if not x["hidden"]])

    r = run_kiosk("export", str(tmp_path / "x"), "--session", "no-such-session", "--data", str(data))
    assert r.returncode == 1 and "No session 'no-such-session'" in r.stderr and "fix:" in r.stderr
    r = run_kiosk("export", str(tmp_path / "y"), "--since", "21/11/2026", "--data", str(data))
    assert r.returncode == 1 and "YYYY-MM-DD" in r.stderr
    assert not (tmp_path / "x").exists() and not (tmp_path / "y").exists()


def test_zip_holds_the_same_bag_with_pngs_stored(hidden_store, bag, tmp_path):
    data, _ = hidden_store
    r = run_kiosk("export", str(tmp_path / "kiosk-bag"), "--format", "zip", "--data", str(data))
    assert r.returncode == 0, r.stderr
    path = tmp_path / "kiosk-bag.zip"
    assert path.is_file() and [p.name for p in tmp_path.iterdir()] == ["kiosk-bag.zip"]
    with zipfile.ZipFile(path) as zf:
        infos = zf.infolist()
        assert infos[0].filename == "kiosk-bag/bagit.txt"
        assert all(i.filename.startswith("kiosk-bag/") for i in infos)
        for info in infos:
            expected = zipfile.ZIP_STORED if info.filename.endswith(".png") else zipfile.ZIP_DEFLATED
            assert info.compress_type == expected, info.filename
        zf.extractall(tmp_path / "unzipped")
    unzipped = tmp_path / "unzipped" / "kiosk-bag"
    bagit.Bag(str(unzipped)).validate()
    assert bagit_cli_validate(unzipped).returncode == 0
    payload = sorted(p.relative_to(unzipped).as_posix() for p in (unzipped / "data").rglob("*") if p.is_file())
    assert payload == sorted(p.relative_to(bag).as_posix() for p in (bag / "data").rglob("*") if p.is_file())
    assert (unzipped / "manifest-sha256.txt").read_text().count("data/drawings/") == \
        (bag / "manifest-sha256.txt").read_text().count("data/drawings/")


def test_existing_output_is_refused_without_force(demo_store_dir, bag, tmp_path):
    before = store_digest(bag)
    r = run_kiosk("export", str(bag), "--data", str(demo_store_dir))
    assert r.returncode == 1
    assert str(bag) in r.stderr and "--force" in r.stderr and "already holds a bag" in r.stderr
    assert store_digest(bag) == before

    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "mine.txt").write_text("do not lose me")
    r = run_kiosk("export", str(notes), "--data", str(demo_store_dir))
    assert r.returncode == 1 and "not empty" in r.stderr and "--force" in r.stderr
    assert (notes / "mine.txt").read_text() == "do not lose me"
    r = run_kiosk("export", str(notes), "--force", "--data", str(demo_store_dir))
    assert r.returncode == 0, r.stderr
    assert not (notes / "mine.txt").exists()
    bagit.Bag(str(notes)).validate()

    empty = tmp_path / "empty"
    empty.mkdir()
    assert run_kiosk("export", str(empty), "--data", str(demo_store_dir)).returncode == 0
    assert (empty / "bagit.txt").exists()

    (tmp_path / "z.zip").write_bytes(b"an older zip")
    r = run_kiosk("export", str(tmp_path / "z"), "--format", "zip", "--data", str(demo_store_dir))
    assert r.returncode == 1 and "z.zip" in r.stderr and "--force" in r.stderr
    assert (tmp_path / "z.zip").read_bytes() == b"an older zip"
    assert run_kiosk("export", str(tmp_path / "z.zip"), "--format", "zip", "--force",
                     "--data", str(demo_store_dir)).returncode == 0
    assert zipfile.is_zipfile(tmp_path / "z.zip")
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")], "temporary files left behind"


def test_export_refuses_to_replace_the_data_folder(demo_store_dir):
    r = run_kiosk("export", str(demo_store_dir), "--force", "--data", str(demo_store_dir))
    assert r.returncode == 1 and "data folder" in r.stderr
    assert (demo_store_dir / "sessions").is_dir()


def test_a_damaged_drawing_in_the_store_is_left_out_named_and_never_stops_the_others(demo_store_dir, tmp_path):
    """One bad answer never stops the others: the export goes on without it (whole: no row names
    files the bag does not hold), names the file and the fix, and says so in bag-info.txt."""
    data = tmp_path / "data"
    shutil.copytree(demo_store_dir, data)
    pngs = sorted(data.glob("sessions/*/responses/*/drawing.png"))
    png, missing = pngs[3], pngs[5]
    damaged = bytearray(png.read_bytes())
    damaged[200] ^= 0xFF
    png.write_bytes(bytes(damaged))
    (missing.parent / "drawing.svg").unlink()
    out = tmp_path / "exports" / "bag"
    r = run_kiosk("export", str(out), "--include-hidden", "--data", str(data))
    assert r.returncode == 3, r.stderr  # written, but not everything: a script must see it
    assert "Traceback" not in r.stderr and "left out 2 responses" in r.stderr and "fix:" in r.stderr
    assert str(png.resolve()) in r.stderr and "damaged" in r.stderr
    assert str((missing.parent / "drawing.svg").resolve()) in r.stderr

    bagit.Bag(str(out)).validate()
    bad = {png.parent.name, missing.parent.name}
    with (out / "data/metadata/responses.csv").open(encoding="utf-8", newline="") as f:
        exported = {row["dcterms:identifier"] for row in csv.DictReader(f)}
    everyone = {p.name for p in data.glob("sessions/*/responses/*")}
    assert exported == everyone - bad
    assert not [p for p in (out / "data/drawings").iterdir() if p.name.split(".")[0] in bad]
    assert "2 selected response(s) left out" in " ".join(bagit.Bag(str(out)).info["External-Description"].split())
    assert sorted(p.name for p in (tmp_path / "exports").iterdir()) == ["bag"]  # no temporary folder left


def test_corrupt_byte_in_bag_is_named_by_bagit_and_by_import(bag, tmp_path):
    copy = tmp_path / "bag"
    shutil.copytree(bag, copy)
    png = sorted((copy / "data/drawings").glob("*.png"))[0]
    data = bytearray(png.read_bytes())
    data[len(data) // 2] ^= 0x01
    png.write_bytes(bytes(data))
    with pytest.raises(bagit.BagValidationError) as exc:
        bagit.Bag(str(copy)).validate()
    assert any(png.name in str(detail) for detail in exc.value.details)
    r = run_kiosk("import", str(copy), "--data", str(tmp_path / "store"))
    assert r.returncode == 1
    assert png.name in r.stderr and "nothing was imported" in r.stderr
    assert list((tmp_path / "store" / "sessions").iterdir()) == []


def test_include_site_adds_the_archive_to_the_bag(demo_store_dir, tmp_path):
    out = tmp_path / "with-site"
    r = run_kiosk("export", str(out), "--include-site", "--data", str(demo_store_dir))
    assert r.returncode == 0, r.stderr
    assert (out / "data/site/index.html").is_file()
    assert "data/site/index.html" in (out / "manifest-sha256.txt").read_text()
    bagit.Bag(str(out)).validate()


def test_export_api_streams_with_progress_and_contact_email(demo_store_dir, tmp_path):
    from kiosk.config import load
    from kiosk.export.bag import export_bag
    from kiosk.store import Store

    data = tmp_path / "data"
    shutil.copytree(demo_store_dir, data)
    settings = load(None, data)
    settings.contact_email = "archive@example.org"
    seen: list[tuple[int, int]] = []
    with Store(data) as store:
        result = export_bag(store, settings, tmp_path / "api-bag", progress=lambda d, t: seen.append((d, t)),
                            workers=1)
    assert result.responses == seen[-1][0] == seen[-1][1] and len(seen) >= 2
    assert bagit.Bag(str(result.path)).info["Contact-Email"] == "archive@example.org"
    bagit.Bag(str(result.path)).validate()


def test_an_interrupted_export_leaves_no_half_bag(demo_store_dir, tmp_path):
    from kiosk.config import load
    from kiosk.export.bag import export_bag
    from kiosk.store import Store

    def interrupt(done: int, total: int) -> None:
        raise KeyboardInterrupt  # Ctrl-C after the first chunk of drawings is written

    exports = tmp_path / "exports"
    exports.mkdir()
    (exports / "bag").mkdir()  # an empty OUT is allowed, and must be left as it was
    with Store(demo_store_dir) as store, pytest.raises(KeyboardInterrupt):
        export_bag(store, load(None, demo_store_dir), exports / "bag", progress=interrupt)
    assert [p.name for p in exports.iterdir()] == ["bag"] and not any((exports / "bag").iterdir())


@pytest.mark.parametrize("command", [("check",), ("export", "{tmp}/out"), ("zine", "build"), ("session", "end"),
                                     ("import", "{tmp}/bag")])
def test_a_bag_given_as_the_data_folder_is_named_and_left_untouched(bag, tmp_path, command):
    """`--data BAG` instead of `kiosk import BAG`: once an all-clear of 0 responses, an empty export,
    and an index, kiosk.json and sessions/ written into the bag the archivist received."""
    received = tmp_path / "received"
    shutil.copytree(bag, received)
    before = sorted(str(p.relative_to(received)) for p in received.rglob("*"))
    shutil.copytree(bag, tmp_path / "bag")
    r = run_kiosk(*(w.format(tmp=tmp_path) for w in command), "--data", str(received))
    assert r.returncode == 1 and "is a bag" in r.stderr and "kiosk import" in r.stderr, r.stdout + r.stderr
    assert "Traceback" not in r.stderr
    assert sorted(str(p.relative_to(received)) for p in received.rglob("*")) == before
    assert not (tmp_path / "out").exists()


def test_a_folder_of_other_files_is_not_reported_as_an_empty_data_folder(tmp_path):
    (tmp_path / "photos").mkdir()
    (tmp_path / "photos" / "a.jpg").write_bytes(b"\xff\xd8")
    r = run_kiosk("check", "--data", str(tmp_path / "photos"))
    assert r.returncode == 1 and "is not a data folder" in r.stderr and "All 0" not in r.stdout
    assert sorted(p.name for p in (tmp_path / "photos").iterdir()) == ["a.jpg"]


def test_a_fresh_checkouts_output_folder_with_only_hidden_files_is_a_data_folder(tmp_path):
    """output/ in a fresh clone holds .gitkeep; a Mac adds .DS_Store: hidden files do not make
    a folder 'something else'."""
    fresh = tmp_path / "output"
    fresh.mkdir()
    (fresh / ".gitkeep").write_bytes(b"")
    (fresh / ".DS_Store").write_bytes(b"\0")
    r = run_kiosk("check", "--data", str(fresh))
    assert r.returncode == 0 and "No responses" in r.stdout and "Traceback" not in r.stderr, r.stdout + r.stderr



def test_a_data_folder_this_user_may_not_read_is_named_not_reported_as_a_bug(tmp_path):
    """Checking for a bag or a folder of other files once read a folder the user may not read
    (a USB stick mounted for another user) and failed with 'unexpected error ... please report'."""
    if os.geteuid() != 0 or not shutil.which("setpriv"):
        pytest.skip("needs root and setpriv to drop root's right to read any folder")
    data = tmp_path / "data"
    data.mkdir()
    data.chmod(0)
    try:
        r = subprocess.run(["setpriv", "--bounding-set", "-dac_override,-dac_read_search", "--inh-caps",
                            "-dac_override,-dac_read_search", sys.executable, "-m", "kiosk", "check", "--data",
                            str(data)], capture_output=True, text=True, timeout=120, env=kiosk_env())
    finally:
        data.chmod(0o755)
    assert r.returncode == 1 and "permission is denied" in r.stderr and "fix:" in r.stderr, r.stderr
    assert "unexpected error" not in r.stderr and not (data / "logs").exists()
