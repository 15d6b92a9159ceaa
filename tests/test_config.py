"""Settings: defaults, every mistake reported with file/line/key/fix, where the data folder comes
from, relative paths, and the facilitator PIN (hashing, `pin set`, `config show`)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import textwrap
from dataclasses import fields
from pathlib import Path

import pytest

from kiosk import cli, config
from kiosk.errors import KioskError
from kiosk.resources import checkout_root

PROJECT_ROOT = checkout_root()

ROOT = Path(__file__).resolve().parent.parent


def kiosk_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "KIOSK_DATA"}
    env["PYTHONPATH"] = str(ROOT)
    env.update(extra)
    return env


def run_kiosk(*args: str, cwd: Path, input: str | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "kiosk", *args], cwd=cwd, input=input, capture_output=True,
                          text=True, timeout=120, env=env or kiosk_env())


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


@pytest.fixture
def here(tmp_path, monkeypatch) -> Path:
    """A working folder with no kiosk.yaml and no KIOSK_DATA."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("KIOSK_DATA", raising=False)
    return tmp_path


def problems(path: Path) -> list[str]:
    with pytest.raises(KioskError) as caught:
        config.load(path)
    return [str(p) for p in caught.value.problems]


def show_json(cwd: Path, *args: str, env: dict | None = None) -> dict:
    result = run_kiosk("config", "show", "--json", *args, cwd=cwd, env=env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)["settings"]


# ------------------------------------------------------------------------------ defaults

def test_no_file_means_the_documented_defaults(here):
    settings = config.load()
    assert settings.file is None
    assert settings.data == PROJECT_ROOT / "output"
    assert settings.prompts == PROJECT_ROOT / "prompts" / "school.yaml" and settings.prompts.is_file()
    assert settings.languages == ["en", "fr"] and settings.default_language == "en"
    assert settings.question_flow == "choose" and len(settings.palette) == 8
    assert set(settings.sources) == set(config.KEYS)
    assert {v for k, v in settings.sources.items() if k != "data"} == {"default"}
    assert settings.sources["data"] == f"default: running from the checkout {PROJECT_ROOT}"


def test_the_example_file_is_valid_and_holds_the_defaults(here):
    example = config.load(ROOT / "kiosk.example.yaml")
    default = config.load()
    for f in fields(config.Settings):
        if f.name not in ("file", "sources"):
            assert getattr(example, f.name) == getattr(default, f.name), f.name


def test_the_docs_describe_every_key():
    settings_doc = (ROOT / "docs" / "settings.md").read_text(encoding="utf-8")
    example = (ROOT / "kiosk.example.yaml").read_text(encoding="utf-8")
    for key in config.KEYS:
        assert f"| `{key}` |" in settings_doc, key
        assert re.search(rf"^#? ?{key}:", example, re.M), key


# ------------------------------------------------------------------------------ problems

def test_every_problem_is_reported_at_once_with_its_line(here):
    path = write(here / "kiosk.yaml", """
        # a comment
        langauges: [en, fr]
        idle_timeout_s: soon
        fullscreen: "yes"
        question_flow: randm
        canvas_width: 12.5
        kiosk_id: Hall 2
        """)
    assert problems(path) == [
        f"{path}:2: unknown key 'langauges', did you mean 'languages'?",
        f"{path}:3: idle_timeout_s: 'soon' is not a number; write a number of seconds from 5 to 86400",
        f"{path}:4: fullscreen: 'yes' is not true or false; write true or false",
        f"{path}:5: question_flow: 'randm' is not a question flow, did you mean 'random'? "
        "(write one of: choose, order, random)",
        f"{path}:6: canvas_width: 12.5 is not a whole number; write a number of pixels from 100 to 8000",
        f"{path}:7: kiosk_id: 'Hall 2' is not a kiosk id; use 1 to 12 lowercase letters and digits, e.g. hall2",
    ]


def test_a_key_written_twice(here):
    path = write(here / "kiosk.yaml", "fullscreen: true\nlanguages: [en]\nfullscreen: false\n")
    assert problems(path) == [f"{path}:3: fullscreen: given twice (first on line 1); keep only one"]


def test_the_cli_shows_settings_problems_without_a_traceback(tmp_path):
    write(tmp_path / "kiosk.yaml", "languages: [en, fr]\ndefault_language: de\n")
    result = run_kiosk("config", "show", cwd=tmp_path)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert (f"{tmp_path / 'kiosk.yaml'}:2: default_language: 'de' is not in languages (en, fr); "
            "pick one of them or add it to languages") in result.stderr
    assert "fix: correct the settings file" in result.stderr and "docs/settings.md" in result.stderr


def test_yaml_syntax_errors_name_the_line_and_column(here):
    path = write(here / "kiosk.yaml", "languages: [en, fr]\norganization: Us: the school\n")
    assert problems(path) == [f"{path}:2: YAML syntax error at column 17: mapping values are not allowed here; "
                              "a text containing ': ' must be in quotes, e.g. en: \"Note: ...\""]


def test_a_missing_prompts_file_and_a_missing_settings_file(here):
    path = write(here / "conf" / "kiosk.yaml", "# my own set\nprompts: sets/mine.yaml\n")
    assert problems(path) == [f"{path}:2: prompts: the question set {here / 'conf' / 'sets' / 'mine.yaml'} does "
                              f"not exist; check the path (a relative path is relative to the settings file's "
                              f"folder, {here / 'conf'})"]
    with pytest.raises(KioskError, match="does not exist"):
        config.load(here / "nope.yaml")


def test_an_unquoted_colour_is_explained(here):
    path = write(here / "kiosk.yaml", """
        palette:
          - '#000000'
          - #e69f00
        """)
    [problem] = problems(path)
    assert problem.startswith(f"{path}:3: palette: a colour is empty: in YAML an unquoted # starts a comment")


def test_archive_urls(here):
    path = write(here / "kiosk.yaml", "archive_base_url: htps://archive.example.org\n")
    [problem] = problems(path)
    assert problem.startswith(f"{path}:1: archive_base_url: 'htps://archive.example.org' starts with htps:, "
                              "not https:// or http://")
    write(path, "archive_base_url: https://archive example.org\n")
    assert "contains a space; a web address has none" in problems(path)[0]
    write(path, "archive_base_url: https://archive.example.org/kiosk/\n")
    assert config.load(path).archive_base_url == "https://archive.example.org/kiosk"


def test_consent_needs_every_language(here):
    path = write(here / "kiosk.yaml", """
        languages: [en, fr, de]
        default_language: de
        consent:
          version: 2
          question:
            en: May we keep it?
            fr: On le garde ?
            de: Dürfen wir es behalten?
          discard: {en: "Don’t", fr: Non}
        """)
    found = problems(path)
    assert found[0] == f"{path}:1: languages: the built-in consent.explanation is only in en, fr; " \
                       "add consent: explanation: texts in de (see kiosk.example.yaml)"
    assert f"{path}:9: consent.discard: no text in de; add de: ... (visitors must read what they agree to " \
           "in their language)" in found
    assert len(found) == 4  # explanation, public, print (built-in), discard (given)


def test_a_yes_or_no_that_yaml_reads_as_true_or_false(here):
    path = write(here / "kiosk.yaml", """
        consent:
          discard:
            en: No
            fr: Non
        """)
    assert problems(path) == [f"{path}:3: consent: discard in 'en' must be text, not no (a true/false value; "
                              "put it in quotes if you meant text)"]


def test_a_valid_file_sets_values_and_records_their_lines(here):
    path = write(here / "kiosk.yaml", """
        # The hall kiosk
        kiosk_id: hall2
        languages: [fr, en]
        fullscreen: true
        palette: ['#000000', '#E69F00']
        consent:
          version: 3
        """)
    settings = config.load()
    assert settings.file == path
    assert settings.kiosk_id == "hall2" and settings.fullscreen is True
    assert settings.default_language == "en"
    assert settings.palette == ["#000000", "#e69f00"]
    assert settings.consent["version"] == "3" and settings.consent["question"]["fr"]
    assert settings.sources["kiosk_id"] == f"{path}:2" and settings.sources["palette"] == f"{path}:5"
    assert settings.sources["idle_timeout_s"] == "default"


# ---------------------------------------------------------------- data folder and paths

def test_data_precedence_is_cli_then_environment_then_file_then_default(tmp_path):
    assert show_json(tmp_path)["data"] == {"value": str(PROJECT_ROOT / "output"),
                                           "source": f"default: running from the checkout {PROJECT_ROOT}"}
    path = write(tmp_path / "kiosk.yaml", "# data for the hall\ndata: ./from-file\n")
    assert show_json(tmp_path)["data"] == {"value": str(tmp_path / "from-file"), "source": f"{path}:2"}
    env = kiosk_env(KIOSK_DATA=str(tmp_path / "from-env"))
    assert show_json(tmp_path, env=env)["data"] == {"value": str(tmp_path / "from-env"), "source": "KIOSK_DATA"}
    assert show_json(tmp_path, "--data", "from-cli", env=env)["data"] == {"value": str(tmp_path / "from-cli"),
                                                                          "source": "--data"}


def test_relative_paths_are_relative_to_the_settings_file(tmp_path):
    (tmp_path / "conf" / "sets").mkdir(parents=True)
    (tmp_path / "conf" / "sets" / "mine.yaml").write_text((ROOT / "prompts" / "school.yaml").read_text("utf-8"),
                                                          encoding="utf-8")
    write(tmp_path / "conf" / "kiosk.yaml", "data: ../kept\nprompts: sets/mine.yaml\n")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    shown = show_json(elsewhere, "--config", str(tmp_path / "conf" / "kiosk.yaml"))
    assert shown["data"]["value"] == str(tmp_path / "kept")
    assert shown["prompts"]["value"] == str(tmp_path / "conf" / "sets" / "mine.yaml")


def test_default_language_follows_languages_when_not_given(here):
    write(here / "kiosk.yaml", "languages: [fr]\n")
    assert config.load().default_language == "fr"


def test_a_shipped_question_set_by_name(here):
    write(here / "kiosk.yaml", "prompts: forum-ouvert\n")
    assert config.load().prompts == PROJECT_ROOT / "prompts" / "forum-ouvert.yaml"
    write(here / "kiosk.yaml", "prompts: forum\n")
    [problem] = problems(here / "kiosk.yaml")
    assert "there is no shipped question set named 'forum'" in problem and "forum-ouvert" in problem


# ----------------------------------------------------------------------------------- PIN

def test_hash_pin_and_verify_pin():
    hashed = config.hash_pin("4831")
    assert re.fullmatch(r"pbkdf2_sha256\$\d+\$[0-9a-f]{32}\$[0-9a-f]{64}", hashed)
    assert config.hash_pin("4831") != hashed  # a fresh salt each time
    assert config.verify_pin(hashed, "4831") and not config.verify_pin(hashed, "4832")
    assert not config.verify_pin(hashed, "0000") and not config.verify_pin("garbage", "4831")
    settings = config.Settings(pin_hash=hashed)
    assert config.verify_pin(settings, "4831") and not config.pin_is_default(settings)
    for bad in ["123", "123456789", "12a4", "", "١٢٣٤"]:
        with pytest.raises(KioskError):
            config.hash_pin(bad)


def test_with_no_pin_hash_the_pin_is_0000():
    settings = config.Settings()
    assert config.pin_is_default(settings)
    assert config.verify_pin(settings, "0000") and config.verify_pin("", "0000")
    assert not config.verify_pin(settings, "1234") and not config.verify_pin(settings, "")


@pytest.mark.slow
def test_pin_set_stores_only_a_hash_and_keeps_the_file(tmp_path):
    original = textwrap.dedent("""\
        # Settings of the hall kiosk
        languages: [en, fr]   # both, please

        pin_hash: "pbkdf2_sha256$1$00$0"   # set by kiosk pin set
        # the end
        fullscreen: true
        """)
    (tmp_path / "kiosk.yaml").write_text(original, encoding="utf-8")
    result = run_kiosk("pin", "set", cwd=tmp_path, input="73915062\n")
    assert result.returncode == 0, result.stderr
    text = (tmp_path / "kiosk.yaml").read_text(encoding="utf-8")
    rows = text.splitlines()
    hashed = re.fullmatch(r'pin_hash: "(?P<h>[^"]+)"   # set by kiosk pin set', rows[3]).group("h")
    assert rows[:3] + rows[4:] == original.splitlines()[:3] + original.splitlines()[4:]
    assert "73915062" not in text.replace(hashed, "")
    settings = config.load(tmp_path / "kiosk.yaml")
    assert config.verify_pin(settings, "73915062") and not config.pin_is_default(settings)
    shown = run_kiosk("config", "show", cwd=tmp_path)
    assert re.search(r"^pin_hash +set +\S+kiosk.yaml:4$", shown.stdout, re.M)
    assert hashed not in shown.stdout


@pytest.mark.slow
def test_pin_set_appends_to_or_creates_the_file(tmp_path):
    (tmp_path / "a.yaml").write_text("# comment\nfullscreen: true", encoding="utf-8")  # no final newline
    result = run_kiosk("pin", "set", "--pin", "2468", "--config", "a.yaml", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    rows = (tmp_path / "a.yaml").read_text(encoding="utf-8").splitlines()
    assert rows[:2] == ["# comment", "fullscreen: true"] and rows[2].startswith('pin_hash: "pbkdf2_sha256$')
    assert config.verify_pin(config.load(tmp_path / "a.yaml"), "2468")

    result = run_kiosk("pin", "set", "--pin", "97531", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert config.verify_pin(config.load(tmp_path / "kiosk.yaml"), "97531")
    assert str(tmp_path / "kiosk.yaml") in result.stdout


@pytest.mark.slow
def test_pin_set_refuses_bad_pins_and_leaves_the_file_alone(tmp_path):
    (tmp_path / "kiosk.yaml").write_text("fullscreen: true\n", encoding="utf-8")
    for args, stdin, message in [(["--pin", "12a4"], None, "A PIN is 4 to 8 digits"),
                                 (["--pin", "0000"], None, "0000 is the default PIN"),
                                 ([], "", "No PIN given"),
                                 ([], "12\n", "A PIN is 4 to 8 digits")]:
        result = run_kiosk("pin", "set", *args, cwd=tmp_path, input=stdin)
        assert result.returncode == 1 and message in result.stderr and "Traceback" not in result.stderr
        assert "fix:" in result.stderr
    assert (tmp_path / "kiosk.yaml").read_text(encoding="utf-8") == "fullscreen: true\n"


def test_config_show_through_main(here, capsys):
    assert cli.main(["config", "show"]) == 0
    out = capsys.readouterr().out
    assert "Settings file: none" in out
    assert re.search(r"^pin_hash +not set \(default PIN 0000\) +default$", out, re.M)
    assert re.search(r"^consent\.question_draw\.fr +Pouvons-nous garder votre dessin", out, re.M)
    for key in config.KEYS:
        assert re.search(rf"^{key}[ .]", out, re.M), key
    assert cli.main(["pin"]) == 2  # a group alone shows its help
