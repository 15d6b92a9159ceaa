"""The store's commands, run as a user runs them."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from conftest import kiosk_env, run_kiosk


def tree_digest(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file() and "sessions" in p.parts}


def test_session_start_list_end(data_dir):
    r = run_kiosk("session", "start", "Forum ouvert", "--place", "Bobigny", "--date", "2026-08-26",
                  "--data", str(data_dir))
    assert r.returncode == 0, r.stderr
    assert "2026-08-26-forum-ouvert" in r.stdout
    r = run_kiosk("session", "list", "--data", str(data_dir))
    assert "Forum ouvert" in r.stdout and "Bobigny" in r.stdout and "running" in r.stdout
    r = run_kiosk("session", "end", "--data", str(data_dir))
    assert r.returncode == 0 and "Ended" in r.stdout
    r = run_kiosk("session", "end", "--data", str(data_dir))
    assert r.returncode == 1 and "No session is running" in r.stderr and "fix:" in r.stderr


def test_bad_date_and_unknown_things_are_clear(data_dir):
    r = run_kiosk("session", "start", "X", "--date", "26/08/2026", "--data", str(data_dir))
    assert r.returncode == 1 and "YYYY-MM-DD" in r.stderr
    r = run_kiosk("hide", "01nonexistent-k1", "--data", str(data_dir))
    assert r.returncode == 1 and "No response" in r.stderr
    r = run_kiosk("responses", "list", "--session", "nope", "--data", str(data_dir))
    assert r.returncode == 1 and "No session 'nope'" in r.stderr
    r = run_kiosk("responses", "frobnicate", "--data", str(data_dir))
    assert r.returncode == 2 and "invalid choice" in r.stderr
    for out in (r.stdout, r.stderr):
        assert "Traceback" not in out


@pytest.mark.slow
def test_demo_data_list_hide_check_reindex(data_dir):
    r = run_kiosk("demo-data", "--session", "Demo", "--responses", "30", "--seed", "4", "--data", str(data_dir))
    assert r.returncode == 0, r.stderr
    r = run_kiosk("responses", "list", "--json", "--data", str(data_dir))
    rows = json.loads(r.stdout)
    assert len(rows) == 30
    for key in ("id", "session", "prompt_id", "kind", "language", "consent", "hidden", "created"):
        assert all(key in row for row in rows)
    assert {row["kind"] for row in rows} == {"draw", "choice", "text"}
    assert {row["language"] for row in rows} == {"en", "fr"}
    assert {row["consent"] for row in rows} == {"public", "print"}

    rid = rows[0]["id"]
    assert run_kiosk("hide", rid, "--data", str(data_dir)).returncode == 0
    rows = {row["id"]: row for row in json.loads(run_kiosk("responses", "list", "--json", "--data",
                                                           str(data_dir)).stdout)}
    assert rows[rid]["hidden"] is True
    again = run_kiosk("hide", rid, "--data", str(data_dir))
    assert again.returncode == 0 and again.stdout.startswith("Already hidden")
    assert run_kiosk("unhide", rid, "--data", str(data_dir)).stdout.startswith("Shown again")
    assert run_kiosk("unhide", rid, "--data", str(data_dir)).stdout.startswith("Not hidden")
    empty = run_kiosk("export", str(data_dir.parent / "bag"), "--since", "2031-01-01", "--data", str(data_dir))
    assert empty.returncode == 0 and "holds no responses (none since 2031-01-01)" in empty.stderr

    r = run_kiosk("check", "--data", str(data_dir))
    assert r.returncode == 0 and "All 30 responses" in r.stdout
    r = run_kiosk("reindex", "--data", str(data_dir))
    assert r.returncode == 0 and "Reindexed 30" in r.stdout

    png = next(data_dir.glob("sessions/*/responses/*/drawing.png"))
    png.write_bytes(png.read_bytes()[:-10])
    r = run_kiosk("check", "--data", str(data_dir))
    assert r.returncode == 1
    assert str(png) in r.stdout and "corrupt" in r.stdout


@pytest.mark.slow
def test_demo_data_is_the_same_for_the_same_seed(tmp_path):
    for name in ("a", "b"):
        r = run_kiosk("demo-data", "--session", "Demo", "--responses", "12", "--seed", "9", "--data",
                      str(tmp_path / name), env=kiosk_env())
        assert r.returncode == 0, r.stderr
    # The kiosk id is made up per data folder; give both the same one to compare the rest.
    a = json.loads(run_kiosk("responses", "list", "--json", "--data", str(tmp_path / "a")).stdout)
    b = json.loads(run_kiosk("responses", "list", "--json", "--data", str(tmp_path / "b")).stdout)
    def strip(rows: list[dict]) -> list[dict]:
        return [{k: v for k, v in row.items() if k != "id"} | {"id": row["id"].rsplit("-", 1)[0]} for row in rows]

    assert strip(a) == strip(b)
    pngs_a = sorted(p.read_bytes() for p in (tmp_path / "a").glob("sessions/*/responses/*/drawing.png"))
    pngs_b = sorted(p.read_bytes() for p in (tmp_path / "b").glob("sessions/*/responses/*/drawing.png"))
    assert pngs_a == pngs_b


def test_kiosk_data_environment_and_data_flag(tmp_path):
    env_dir, flag_dir = tmp_path / "env", tmp_path / "flag"
    r = run_kiosk("session", "start", "Env", env=kiosk_env(KIOSK_DATA=str(env_dir)))
    assert r.returncode == 0 and (env_dir / "sessions").is_dir()
    r = run_kiosk("session", "start", "Flag", "--data", str(flag_dir), env=kiosk_env(KIOSK_DATA=str(env_dir)))
    assert r.returncode == 0 and (flag_dir / "sessions").is_dir()
    assert len(list((env_dir / "sessions").iterdir())) == 1


@pytest.mark.slow
def test_check_changes_nothing(data_dir):
    run_kiosk("demo-data", "--session", "Demo", "--responses", "5", "--data", str(data_dir))
    before = tree_digest(data_dir)
    run_kiosk("check", "--data", str(data_dir))
    assert tree_digest(data_dir) == before
