"""The `kiosk` command as a whole: one style for every group, sessions by title, every command
and flag documented, no pygame outside `kiosk run`, a package that carries its own files."""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from conftest import ROOT, kiosk_env, run_kiosk

from kiosk.cli import build_parser


def _subparsers(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def _commands() -> list[tuple[tuple[str, ...], argparse.ArgumentParser]]:
    """(words, parser) for every command and subcommand."""
    found = []

    def walk(words: tuple[str, ...], parser: argparse.ArgumentParser) -> None:
        found.append((words, parser))
        for name, child in _subparsers(parser).items():
            walk(words + (name,), child)

    walk((), build_parser())
    return found


GROUPS = [words for words, parser in _commands() if _subparsers(parser)]


def test_the_groups_are_the_expected_ones():
    assert {" ".join(w) for w in GROUPS} == {"", "session", "responses", "prompts", "config", "pin", "printers",
                                             "autostart", "zine", "archive"}


@pytest.mark.parametrize("words", GROUPS, ids=lambda w: " ".join(w) or "kiosk")
def test_a_group_without_its_subcommand_prints_its_help_and_exits_2(words):
    r = run_kiosk(*words)
    assert r.returncode == 2, r.stderr
    assert r.stderr.startswith(f"usage: {' '.join(('kiosk',) + words)}") and "ACTION" in r.stderr or not words
    assert "Traceback" not in r.stderr and r.stdout == ""


def _docs() -> str:
    return (ROOT / "README.md").read_text(encoding="utf-8") + "".join(
        p.read_text(encoding="utf-8") for p in sorted((ROOT / "docs").glob("*.md")))


def test_every_command_and_flag_appears_in_the_readme_or_docs():
    docs = _docs()
    missing = []
    for words, parser in _commands():
        if words and not re.search(r"(kiosk |`)" + r"\s+".join(map(re.escape, words)) + r"\b", docs):
            missing.append("kiosk " + " ".join(words))
        for action in parser._actions:
            for flag in action.option_strings:
                if flag.startswith("--") and flag not in ("--help",) and not re.search(re.escape(flag) + r"\b", docs):
                    missing.append(f"kiosk {' '.join(words)} {flag}")
    assert not missing, "not documented in README.md or docs/: " + ", ".join(sorted(set(missing)))


@pytest.mark.slow
def test_session_by_title_after_session_start(data_dir):
    """`kiosk session start "Opening night"`, then every --session accepts the title."""
    r = run_kiosk("demo-data", "--session", "Opening night", "--responses", "6", "--data", str(data_dir))
    assert r.returncode == 0, r.stderr
    r = run_kiosk("zine", "build", "--session", "Opening night", "--data", str(data_dir))
    assert r.returncode == 0, r.stderr
    assert Path(r.stdout.splitlines()[0]).is_file() and "opening-night" in r.stdout
    r = run_kiosk("responses", "list", "--session", "opening night", "--json", "--data", str(data_dir))
    assert r.returncode == 0 and r.stdout.count('"id"') == 6

    # A second session with the same title: the title no longer names one, the slugs do.
    assert run_kiosk("session", "start", "Opening night", "--data", str(data_dir)).returncode == 0
    r = run_kiosk("zine", "build", "--session", "Opening night", "--data", str(data_dir))
    assert r.returncode == 1 and "2 sessions are titled 'Opening night'" in r.stderr
    slugs = re.findall(r"\d{4}-\d\d-\d\d-opening-night", r.stderr)
    assert len(set(slugs)) == 2
    r = run_kiosk("export", str(data_dir.parent / "bag"), "--session", "Closing night", "--data", str(data_dir))
    assert r.returncode == 1 and "No session 'Closing night'" in r.stderr and slugs[0] in r.stderr


def test_the_port_check_matches_its_message(data_dir):
    for port in ("70000", "-1"):
        r = run_kiosk("archive", "serve", "--port", port, "--data", str(data_dir))
        assert r.returncode == 1 and "from 1024 to 65535" in r.stderr, r.stderr


def test_importing_the_cli_loads_no_pygame():
    code = ("import sys, kiosk.cli, kiosk.cli as c; c.build_parser(); "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('pygame', 'reportlab', 'PIL')))")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=kiosk_env())
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "[]"


def test_the_wheel_lists_every_package():
    """pyproject.toml lists the packages (prompts/ and assets/ are mapped into kiosk): none forgotten."""
    setuptools = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    on_disk = {".".join(p.parent.relative_to(ROOT).parts) for p in (ROOT / "kiosk").rglob("__init__.py")}
    assert on_disk | {"kiosk._prompts", "kiosk._assets", "kiosk._assets.fonts"} == set(setuptools["packages"])
    assert setuptools["package-dir"] == {"kiosk._prompts": "prompts", "kiosk._assets": "assets"}


def test_the_license_is_the_agpl():
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert "GNU AFFERO GENERAL PUBLIC LICENSE" in text and "Version 3, 19 November 2007" in text
    assert "END OF TERMS AND CONDITIONS" in text and len(text) > 30000


def test_one_version(tmp_path):
    import kiosk

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert "version" in project["project"]["dynamic"]
    assert project["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "kiosk.__version__"}
    assert run_kiosk("--version").stdout.strip() == f"kiosk {kiosk.__version__}"


def test_one_list_of_zine_layouts():
    """The command line, the printer and the facilitator screen name layouts of the zine room's one list."""
    from kiosk import printing
    from kiosk.app.scenes.tools import LAYOUTS as offered_on_screen
    from kiosk.zine.imposition import LAYOUTS

    assert printing.LAYOUTS is LAYOUTS
    assert set(offered_on_screen) <= set(LAYOUTS)
    [layout] = [a for a in _subparsers(_subparsers(build_parser())["zine"])["build"]._actions if a.dest == "layout"]
    assert tuple(layout.choices) == LAYOUTS


def test_zine_help_says_the_cover_default_the_zine_uses():
    """Without --cover the cover is typographic (docs/zine.md); the help once promised a drawing."""
    r = run_kiosk("zine", "build", "--help")
    assert r.returncode == 0
    assert "typographic cover" in " ".join(r.stdout.split()) and "first public drawing" not in r.stdout


def test_one_answer_is_said_in_the_singular(tmp_path):
    data = tmp_path / "data"
    r = run_kiosk("demo-data", "--session", "One", "--responses", "1", "--seed", "3", "--data", str(data))
    assert r.returncode == 0 and "with 1 demo response in" in r.stdout, r.stdout + r.stderr
    r = run_kiosk("zine", "build", "--data", str(data))
    assert r.returncode == 0, r.stderr
    assert "8 pages on 1 sheet (minizine, a4; 1 PDF page)" in r.stdout, r.stdout
