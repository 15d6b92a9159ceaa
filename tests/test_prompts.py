"""Question sets: the shipped ones validate and hold the School's questions; every kind of
mistake is reported with its file, line and a useful message, through the API and the CLI."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from kiosk.errors import KioskError
from kiosk.prompts import check_file, load_prompt_set, text_for

ROOT = Path(__file__).resolve().parent.parent
SCHOOL = ROOT / "prompts" / "school.yaml"
FORUM = ROOT / "prompts" / "forum-ouvert.yaml"
NBSP = "\u00a0"


def run_kiosk(*args: str, cwd: Path, input: str | None = None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "KIOSK_DATA"}
    env["PYTHONPATH"] = str(ROOT)
    return subprocess.run([sys.executable, "-m", "kiosk", *args], cwd=cwd, input=input, capture_output=True,
                          text=True, timeout=120, env=env)


def write(tmp_path: Path, text: str, name: str = "set.yaml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


def problems_of(path: Path) -> list[str]:
    """load_prompt_set must refuse the file; check_file must list the same problems."""
    with pytest.raises(KioskError) as caught:
        load_prompt_set(path)
    listed = [str(p) for p in check_file(path)]
    for problem in listed:
        assert problem in str(caught.value)
    return listed


VALID = """
title: {en: Test, fr: Essai}
languages: [en, fr]
prompts:
  - id: one
    kind: draw
    text: {en: "One?", fr: "Un ?"}
  - id: two
    kind: choice
    text: {en: "Two?", fr: "Deux ?"}
    options:
      - id: a
        text: {en: A, fr: A}
      - id: b
        text: {en: B, fr: B}
  - id: three
    kind: text
    text: {en: "Three?", fr: "Trois ?"}
"""


def test_a_valid_set_loads_in_file_order(tmp_path):
    path = write(tmp_path, VALID)
    assert check_file(path) == []
    prompt_set = load_prompt_set(path)
    assert [p.id for p in prompt_set.prompts] == ["one", "two", "three"]
    assert prompt_set.languages == ["en", "fr"] and prompt_set.title == {"en": "Test", "fr": "Essai"}
    one, two, three = prompt_set.prompts
    assert one.canvas is True and two.canvas is False and three.canvas is False
    assert [o.id for o in two.options] == ["a", "b"] and two.multiple is False
    assert three.max_length is None and one.hint == {}


# A question set of one drawing question, all but its text (line 6).
ONE_DRAW = "title: {en: Test}\nlanguages: [en]\nprompts:\n  - id: one\n    kind: draw\n"


def test_yaml_syntax_error_names_file_line_and_column(tmp_path):
    path = write(tmp_path, ONE_DRAW + "    text: en: What now?\n")
    [problem] = problems_of(path)
    assert problem.startswith(f"{path}:6: YAML syntax error at column 13")
    assert "quotes" in problem  # the usual cause, said plainly


def test_unclosed_quote_points_at_where_it_opens(tmp_path):
    path = write(tmp_path, ONE_DRAW + '    text: {en: "What now?}\n')
    [problem] = problems_of(path)
    assert problem.startswith(f"{path}:6: YAML syntax error")


def test_unknown_keys_suggest_the_nearest_known_key(tmp_path):
    path = write(tmp_path, VALID.replace("    text: {en: \"One?", "    txt: {en: \"One?")
                 .replace("languages: [en, fr]", "languages: [en, fr]\ntitel: x"))
    problems = problems_of(path)
    assert f"{path}:3: unknown key 'titel', did you mean 'title'?" in problems
    assert f"{path}:7: prompt 'one': unknown key 'txt', did you mean 'text'?" in problems
    assert f"{path}:5: prompt 'one': text is missing; add it, e.g. text: {{en: ..., fr: ...}}" in problems


# Each case: the text replaced in a valid file and its replacement, and every problem `prompts check`
# then prints (after the path): data, in tests/fixtures/prompt-problems.json.
ONE_PROBLEM_EACH = json.loads((Path(__file__).parent / "fixtures" / "prompt-problems.json").read_text("utf-8"))


@pytest.mark.parametrize("case", ONE_PROBLEM_EACH)
def test_each_problem_is_named_with_its_line(tmp_path, case):
    replacements, expected = ONE_PROBLEM_EACH[case]["replace"], ONE_PROBLEM_EACH[case]["problems"]
    text = VALID
    for old, new in replacements:
        assert old in text
        text = text.replace(old, new)
    path = write(tmp_path, text)
    assert problems_of(path) == [f"{path}:{line}" for line in expected]


def test_translation_in_an_undeclared_language(tmp_path):
    path = write(tmp_path, VALID.replace('fr: "Un ?"}', 'fr: "Un ?", de: "Eins?"}'))
    [problem] = problems_of(path)
    assert problem.startswith(f"{path}:6: prompt 'one': text has a 'de' text, but 'de' is not in languages")


def test_order_sets_the_order_and_keeps_the_prompts_it_leaves_out(tmp_path):
    path = write(tmp_path, VALID.replace("languages: [en, fr]", "languages: [en, fr]\norder: [three, two]"))
    assert [p.id for p in load_prompt_set(path).prompts] == ["three", "two", "one"]


def test_kind_specific_keys_are_checked(tmp_path):
    path = write(tmp_path, VALID.replace("    kind: draw\n", "    kind: draw\n    canvas: false\n    multiple: yes\n")
                 .replace("    kind: text\n", "    kind: text\n    max_length: 0\n"))
    assert problems_of(path) == [
        f"{path}:6: prompt 'one': a draw prompt always has a canvas; remove canvas: false",
        f"{path}:7: prompt 'one': multiple only applies to kind: choice; remove it",
        f"{path}:19: prompt 'three': max_length must be a whole number of characters from 1 to 10000, not 0",
    ]


def test_every_problem_is_reported_at_once(tmp_path):
    path = write(tmp_path, """
        title: {en: Test}
        languages: [en, fr]
        prompts:
          - id: one
            kind: draw
            txt: {en: Hello, fr: Bonjour}
          - id: two
            kind: drwa
            text: {en: Hi}
          - id: one
            kind: choice
            text: {en: "", fr: Choix}
            options:
              - id: a
                text: {en: A, fr: A}
        """)
    problems = problems_of(path)
    lines = [int(p.split(":")[1]) for p in problems]
    assert lines == sorted(lines) and len(problems) == 8
    assert {1, 4, 6, 8, 9, 10, 12, 13} == set(lines)


def test_a_missing_file(tmp_path):
    with pytest.raises(KioskError) as caught:
        load_prompt_set(tmp_path / "nope.yaml")
    assert "nope.yaml: file does not exist" in str(caught.value)


def test_text_for_falls_back():
    texts = {"en": "Hello", "fr": "Bonjour"}
    assert text_for(texts, "fr") == "Bonjour"
    assert text_for(texts, "de", ["fr", "en"]) == "Bonjour"
    assert text_for(texts, "de") == "Hello"
    assert text_for({}, "en", ["fr"]) == ""


# ---------------------------------------------------------------------- the shipped sets

def plain(text: str) -> str:
    return text.replace(NBSP, " ")


def test_the_shipped_sets_validate():
    assert check_file(SCHOOL) == [] and check_file(FORUM) == []


def test_the_school_set_holds_every_question_in_english_and_french():
    school = load_prompt_set(SCHOOL)
    assert school.languages == ["en", "fr"]
    assert school.title == {"en": "School of algorithmic solidarity", "fr": "École de solidarité algorithmique"}
    kinds = [p.kind for p in school.prompts]
    assert len(kinds) == 14 and kinds.count("draw") == 12 and kinds.count("choice") == 1 and kinds.count("text") == 1
    en = [p.text["en"] for p in school.prompts]
    fr = [plain(p.text["fr"]) for p in school.prompts]
    assert en[0] == "How to read 44.71Gb?" and fr[0] == "Comment lire 44,71 Go ?"
    assert en[9] == "What does it mean to be part of statistical fiction?"
    for words in ["politics of the street", "socio-political effects of algorithmization",
                  "redefine algorithmization", "digital communalization", "At what public place",
                  "tools for social imagination", "conventional cartographies", "new models of solidarity",
                  "brutality of mathematical models", "their affectionateness", "their ignorance",
                  "relation between algorithms and solidarity"]:
        assert any(words in text for text in en), words
    for words in ["matérialité numérique", "l’algorithmisation", "imagination sociale", "fiction statistique",
                  "brutalité des modèles mathématiques", "entre les algorithmes et la solidarité"]:
        assert any(words in text for text in fr), words
    for prompt in school.prompts:
        assert prompt.text["en"] and prompt.text["fr"] and prompt.text["en"] != prompt.text["fr"]
        assert "'" not in prompt.text["fr"]  # French uses the typographic apostrophe
        if prompt.text["fr"].endswith("?"):
            assert prompt.text["fr"].endswith(NBSP + "?"), prompt.id  # French spacing, never a line break


def test_the_school_set_choice_and_text_prompts():
    school = load_prompt_set(SCHOOL)
    act = school.get("act")
    assert act.kind == "choice" and act.canvas and not act.multiple
    assert "what action you’ll choose" in act.text["en"]
    assert [o.id for o in act.options] == ["settling", "parasitism", "hacking", "ignoring", "crossing", "violence"]
    assert [o.text["en"] for o in act.options] == ["Settling", "Parasitism", "Hacking", "Ignoring", "Crossing",
                                                   "Violence against digital materiality"]
    assert all(o.text["fr"] for o in act.options)
    assert "draw your action" in act.hint["en"]
    question = school.get("your-question")
    assert question.kind == "text" and question.text["en"] == "Your question here"
    assert question.hint == {"en": "Ask the School a question", "fr": "Posez une question à l’École"}
    assert school.get("relation").kind == "draw" and school.get("remember").kind == "draw"


def test_the_forum_set_holds_its_questions_in_french_and_english():
    forum = load_prompt_set(FORUM)
    assert set(forum.languages) == {"fr", "en"}
    fr = [plain(p.text["fr"]) for p in forum.prompts]
    for question in ["Comment s’organiser contre la domination assistée par ordinateur ?",
                     "Pouvons-nous retourner les outils numériques contre le capitalisme ?",
                     "Comment mieux nous protéger face à la surveillance généralisée permise par la technologie ?",
                     "À quoi ressemblerait un monde numérique désirable et vivable ?",
                     "Vous avez des pistes d’actions concrètes, des idées, des envies ?"]:
        assert question in fr
    assert all(p.text["en"] for p in forum.prompts)
    [choice] = [p for p in forum.prompts if p.kind == "choice"]
    options = " ".join(plain(o.text["fr"]) + " " + o.text["en"] for o in choice.options)
    for words in ["Amazon", "opinions politiques", "déchets", "reconnaissance faciale", "frontières", "ParcoursSup",
                  "e-waste", "facial recognition"]:
        assert words in options, words
    assert [p.kind for p in forum.prompts].count("text") == 1


# ---------------------------------------------------------------------------- the CLI

def test_cli_prompts_check_valid_sets(tmp_path):
    (tmp_path / "prompts").mkdir()
    shutil.copy(SCHOOL, tmp_path / "prompts" / "school.yaml")
    shutil.copy(FORUM, tmp_path / "prompts" / "forum-ouvert.yaml")
    result = run_kiosk("prompts", "check", "prompts/school.yaml", "prompts/forum-ouvert.yaml", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "prompts/school.yaml: 14 prompts (12 draw, 1 choice, 1 text) in en, fr",
        "prompts/forum-ouvert.yaml: 6 prompts (4 draw, 1 choice, 1 text) in fr, en",
    ]


def test_cli_prompts_check_lists_every_problem_and_exits_1(tmp_path):
    write(tmp_path, VALID.replace("kind: draw", "kind: drwa").replace("text: {en: B, fr: B}", "text: {en: B}"),
          "bad.yaml")
    shutil.copy(SCHOOL, tmp_path / "good.yaml")
    result = run_kiosk("prompts", "check", "bad.yaml", "good.yaml", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        "bad.yaml:5: prompt 'one': unknown kind 'drwa', did you mean 'draw'? (known kinds: draw, choice, text)",
        "bad.yaml:14: prompt 'two': option 'b' text has no 'fr' translation (languages: en, fr)",
        "good.yaml: 14 prompts (12 draw, 1 choice, 1 text) in en, fr",
    ]
    assert "docs/prompts.md" in result.stderr and "Traceback" not in result.stderr


def test_cli_prompts_check_syntax_error_and_missing_file(tmp_path):
    write(tmp_path, "title: {en: x\nlanguages: [en]\n", "broken.yaml")
    result = run_kiosk("prompts", "check", "broken.yaml", "missing.yaml", cwd=tmp_path)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("broken.yaml:2: YAML syntax error at column")
    assert lines[1] == "missing.yaml: file does not exist; check its name and folder"


def test_cli_prompts_check_takes_a_shipped_sets_name(tmp_path):
    """An installed kiosk's sets live in site-packages: the name the settings accept works here too."""
    result = run_kiosk("prompts", "check", "forum-ouvert", "school", "nope", cwd=tmp_path)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stdout.splitlines() == [
        "forum-ouvert: 6 prompts (4 draw, 1 choice, 1 text) in fr, en",
        "school: 14 prompts (12 draw, 1 choice, 1 text) in en, fr",
        "nope: file does not exist; check its name and folder",
    ]


def test_cli_prompts_check_defaults_to_the_settings_prompts(tmp_path):
    result = run_kiosk("prompts", "check", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"{SCHOOL}: 14 prompts (12 draw, 1 choice, 1 text) in en, fr"


def test_a_set_saved_in_latin_1_is_named_with_its_line(tmp_path):
    """An editor that saved the set in Latin-1: the message says where the accent is, as for any mistake."""
    path = tmp_path / "latin.yaml"
    path.write_bytes('name: test\nquestions:\n  - id: a\n    text:\n      fr: "Québec ?"\n'.encode("latin-1"))
    r = run_kiosk("prompts", "check", str(path), cwd=tmp_path)
    assert r.returncode == 1 and f"{path}:5: is not UTF-8 text" in r.stdout + r.stderr, r.stdout + r.stderr
    assert "Traceback" not in r.stderr
