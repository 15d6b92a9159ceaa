"""`kiosk import`: a bag is checked completely first, then merged; twice changes nothing; bad bags are refused."""

from __future__ import annotations

import hashlib
import json
import shutil
import zipfile
from pathlib import Path

import bagit
import pytest
from conftest import run_kiosk

pytestmark = pytest.mark.slow  # each test makes demo data, bags, PDFs or runs a real service


def store_files(data: Path) -> dict[str, bytes]:
    """The store's own files (sessions and responses), by path: the index is derived and left out."""
    return {p.relative_to(data).as_posix(): p.read_bytes() for p in sorted((data / "sessions").rglob("*"))
            if p.is_file()}


def digest(files: dict[str, bytes]) -> dict[str, str]:
    return {k: hashlib.sha256(v).hexdigest() for k, v in files.items()}


def listed(data: Path) -> list[dict]:
    r = run_kiosk("responses", "list", "--json", "--data", str(data))
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


@pytest.fixture(scope="module")
def full_bag(demo_store_dir, tmp_path_factory) -> Path:
    """Every demo response, hidden ones included, so the import can be compared with the whole store."""
    out = tmp_path_factory.mktemp("bags") / "full"
    r = run_kiosk("export", str(out), "--include-hidden", "--data", str(demo_store_dir))
    assert r.returncode == 0, r.stderr
    return out


def assert_refused(r, *names: str) -> None:
    assert r.returncode == 1, r.stdout
    assert "nothing was imported" in r.stderr and "fix:" in r.stderr and "Traceback" not in r.stderr
    for name in names:
        assert name in r.stderr, (name, r.stderr)


def test_import_into_an_empty_store_recreates_every_response_exactly(demo_store_dir, full_bag, tmp_path):
    data = tmp_path / "data"
    r = run_kiosk("import", str(full_bag), "--data", str(data))
    assert r.returncode == 0, r.stderr
    assert "Imported 24 responses" in r.stdout and "skipped 0" in r.stdout
    original, imported = store_files(demo_store_dir), store_files(data)
    assert sorted(imported) == sorted(original)  # the same folders and files...
    for path, content in original.items():  # ...byte for byte: response.json, strokes.json, drawing.png, session.json
        assert imported[path] == content, path
    assert listed(data) == listed(demo_store_dir)  # record by record, through the index
    check = run_kiosk("check", "--data", str(data))
    assert check.returncode == 0, check.stdout + check.stderr


def test_importing_twice_changes_nothing(full_bag, tmp_path):
    data = tmp_path / "data"
    assert run_kiosk("import", str(full_bag), "--data", str(data)).returncode == 0
    before = digest(store_files(data))
    r = run_kiosk("import", str(full_bag), "--data", str(data))
    assert r.returncode == 0, r.stderr
    assert "Imported 0 responses" in r.stdout and "skipped 24 already here" in r.stdout
    assert digest(store_files(data)) == before


def test_zip_is_validated_after_extraction_and_imported(demo_store_dir, full_bag, tmp_path):
    r = run_kiosk("export", str(tmp_path / "k.zip"), "--format", "zip", "--include-hidden",
                  "--data", str(demo_store_dir))
    assert r.returncode == 0, r.stderr
    data = tmp_path / "data"
    r = run_kiosk("import", str(tmp_path / "k.zip"), "--data", str(data))
    assert r.returncode == 0, r.stderr
    assert "Imported 24 responses" in r.stdout
    assert store_files(data) == store_files(demo_store_dir)
    assert not [p for p in data.iterdir() if p.name.startswith(".tmp")], "extraction folder left behind"

    # the same zip with one byte of a drawing changed inside: named, nothing imported
    bad = tmp_path / "bad.zip"
    with zipfile.ZipFile(tmp_path / "k.zip") as src, zipfile.ZipFile(bad, "w") as dst:
        victim = next(i.filename for i in src.infolist() if i.filename.endswith(".png"))
        for info in src.infolist():
            content = src.read(info)
            if info.filename == victim:
                content = content[:100] + bytes([content[100] ^ 1]) + content[101:]
            dst.writestr(info, content)
    r = run_kiosk("import", str(bad), "--data", str(tmp_path / "other"))
    assert_refused(r, Path(victim).name)
    assert not (tmp_path / "other" / "sessions").exists() or not any((tmp_path / "other" / "sessions").iterdir())


def test_a_bag_cut_short_is_refused_with_the_list_of_what_is_wrong(full_bag, tmp_path):
    bag = tmp_path / "bag"
    shutil.copytree(full_bag, bag)
    drawings = sorted((bag / "data/drawings").iterdir())
    truncated, deleted = drawings[0], drawings[4]
    truncated.write_bytes(truncated.read_bytes()[:1000])
    deleted.unlink()
    (bag / "data/stray.txt").write_text("not in any manifest")
    with pytest.raises(bagit.BagValidationError):
        bagit.Bag(str(bag)).validate()
    data = tmp_path / "data"
    r = run_kiosk("import", str(bag), "--data", str(data))
    assert_refused(r, truncated.name, deleted.name, "stray.txt", "Payload-Oxum")
    assert r.stderr.count("\n  - ") == 4  # the truncated file, the missing one, the stray one, the oxum
    assert not list((data / "sessions").iterdir())


def test_not_a_bag_is_refused(demo_store_dir, tmp_path):
    r = run_kiosk("import", str(demo_store_dir), "--data", str(tmp_path / "data"))
    assert_refused(r, "not a BagIt bag")
    (tmp_path / "notes.zip").write_bytes(b"PK\x03\x04 but cut short")
    r = run_kiosk("import", str(tmp_path / "notes.zip"), "--data", str(tmp_path / "data"))
    assert_refused(r, "notes.zip", "not a complete ZIP")
    with zipfile.ZipFile(tmp_path / "photos.zip", "w") as zf:
        zf.writestr("photo.txt", "no bag here")
    r = run_kiosk("import", str(tmp_path / "photos.zip"), "--data", str(tmp_path / "data"))
    assert_refused(r, "not a BagIt bag")
    (tmp_path / "letter.txt").write_text("hello")
    r = run_kiosk("import", str(tmp_path / "letter.txt"), "--data", str(tmp_path / "data"))
    assert r.returncode == 1 and "neither a bag folder nor a ZIP" in r.stderr
    r = run_kiosk("import", str(tmp_path / "nowhere"), "--data", str(tmp_path / "data"))
    assert r.returncode == 1 and "does not exist" in r.stderr
    assert not list((tmp_path / "data" / "sessions").iterdir())


def test_a_record_that_disagrees_with_its_drawing_is_refused(full_bag, tmp_path):
    """Checksums that match files swapped between responses: the bag is valid, the records are not."""
    bag = tmp_path / "bag"
    shutil.copytree(full_bag, bag)
    pngs = sorted((bag / "data/drawings").glob("*.png"))
    a, b = pngs[0], pngs[1]
    a_bytes = a.read_bytes()
    a.write_bytes(b.read_bytes())
    b.write_bytes(a_bytes)
    bagit.Bag(str(bag)).save(manifests=True)  # a bag that bagit now finds valid
    bagit.Bag(str(bag)).validate()
    r = run_kiosk("import", str(bag), "--data", str(tmp_path / "data"))
    assert_refused(r, a.name, b.name)


def test_two_kiosks_merge_into_one_store(demo_store_dir, full_bag, tmp_path):
    other = tmp_path / "kiosk2"
    r = run_kiosk("demo-data", "--session", "Second kiosk", "--responses", "4", "--seed", "3",
                  "--date", "2026-11-22", "--data", str(other))
    assert r.returncode == 0, r.stderr
    assert run_kiosk("export", str(tmp_path / "bag2"), "--include-hidden", "--data", str(other)).returncode == 0
    data = tmp_path / "archive"
    assert run_kiosk("import", str(full_bag), "--data", str(data)).returncode == 0
    r = run_kiosk("import", str(tmp_path / "bag2"), "--data", str(data))
    assert r.returncode == 0, r.stderr
    assert "Imported 4 responses" in r.stdout and "2026-11-22-second-kiosk" in r.stdout
    ids = [x["id"] for x in listed(data)]
    assert len(ids) == len(set(ids)) == 28
    assert {x["id"].split("-")[1] for x in listed(data)} == \
        {x["id"].split("-")[1] for x in listed(demo_store_dir) + listed(other)}
    assert run_kiosk("check", "--data", str(data)).returncode == 0


def test_a_bag_of_the_first_export_format_still_imports(demo_store_dir, tmp_path):
    """Bags written before records listed drawing.svg (kiosk-export/1) import as they are."""
    data = tmp_path / "data"
    shutil.copytree(demo_store_dir, data)
    for folder in data.glob("sessions/*/responses/*"):
        svg = folder / "drawing.svg"
        if svg.exists():
            svg.unlink()
            record = json.loads((folder / "response.json").read_text())
            del record["files"]["drawing.svg"]
            (folder / "response.json").write_text(json.dumps(record))
    assert run_kiosk("reindex", "--data", str(data)).returncode == 0
    bag = tmp_path / "bag"
    assert run_kiosk("export", str(bag), "--data", str(data)).returncode == 0
    doc_path = bag / "data/metadata/responses.json"
    doc = json.loads(doc_path.read_text())
    doc["format"] = "kiosk-export/1"
    doc_path.write_text(json.dumps(doc))
    bagit.Bag(str(bag)).save(manifests=True)  # the manifests again, after the edit
    r = run_kiosk("import", str(bag), "--data", str(tmp_path / "merged"))
    assert r.returncode == 0, r.stderr
    assert len(list((tmp_path / "merged").glob("sessions/*/responses/*"))) == len(doc["responses"])


def test_a_session_of_the_same_date_and_name_under_another_title_is_said_to_join(tmp_path):
    """'Opening Night!' on one kiosk and 'Opening night' on another make the same slug: the bag's
    answers join this folder's session, and the import says so instead of merging silently."""
    there, here = tmp_path / "there", tmp_path / "here"
    assert run_kiosk("demo-data", "--session", "Opening Night!", "--responses", "2", "--data", str(there)).returncode == 0
    assert run_kiosk("demo-data", "--session", "Opening night", "--responses", "2", "--data", str(here)).returncode == 0
    assert run_kiosk("export", str(tmp_path / "bag"), "--data", str(there)).returncode == 0
    r = run_kiosk("import", str(tmp_path / "bag"), "--data", str(here))
    assert r.returncode == 0, r.stderr
    assert 'same session: 2026-11-21-opening-night: the bag\'s "Opening Night!" joins "Opening night"' in r.stdout
