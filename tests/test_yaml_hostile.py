"""Hostile question sets and settings (issue 9, item 6): refused with file:line, never a crash.

The files are in tests/fixtures/hostile-yaml/; the oversized one is written by the test.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from conftest import run_kiosk

from kiosk import config, prompts, yamlsource
from kiosk.yamlsource import ProblemsError

HOSTILE = Path(__file__).parent / "fixtures" / "hostile-yaml"


@pytest.mark.parametrize("name, line, words", [
    ("billion-laughs.yaml", None, "billion laughs"),
    ("recursive-alias.yaml", 4, "loop"),
    ("deep-nesting.yaml", 4, "nested more than 32 levels"),
])
def test_prompts_check_refuses_alias_bombs_loops_and_deep_nesting(tmp_path, name, line, words):
    shutil.copy(HOSTILE / name, tmp_path / name)
    result = run_kiosk("prompts", "check", name, cwd=tmp_path, timeout=60)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr and "MemoryError" not in result.stderr
    assert "RecursionError" not in result.stderr
    first = result.stdout.splitlines()[0]
    assert first.startswith(f"{name}:{line if line else ''}"), first
    assert words in first


def test_control_characters_are_named_with_their_lines(tmp_path):
    shutil.copy(HOSTILE / "control-characters.yaml", tmp_path / "set.yaml")
    result = run_kiosk("prompts", "check", "set.yaml", cwd=tmp_path)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    out = result.stdout
    assert "set.yaml:2: title.en:" in out and "NUL character (U+0000)" in out
    assert "set.yaml:7: prompts.0.text.en:" in out and "U+0007" in out
    assert "set.yaml:12: prompts.1.options.0.text.en:" in out and "U+001B" in out
    with pytest.raises(ProblemsError):  # `kiosk run` loads with the same check: it refuses at start
        prompts.load_prompt_set(tmp_path / "set.yaml")


def test_a_line_break_is_still_allowed(tmp_path):
    (tmp_path / "set.yaml").write_text("title: {en: \"Two\\nlines\"}\nlanguages: [en]\nprompts:\n"
                                       "  - {id: q, kind: draw, text: {en: \"Draw\\nthis\"}}\n")
    assert prompts.check_file(tmp_path / "set.yaml") == []


def test_kiosk_run_refuses_a_set_with_a_nul_before_opening_a_window(tmp_path):
    shutil.copy(HOSTILE / "control-characters.yaml", tmp_path / "set.yaml")
    result = run_kiosk("run", "--prompts", str(tmp_path / "set.yaml"), "--data", str(tmp_path / "data"),
                       cwd=tmp_path, timeout=60)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "U+0000" in result.stderr and "set.yaml:2" in result.stderr


def test_a_file_over_1_mb_is_refused_with_the_reason(tmp_path):
    big = tmp_path / "big.yaml"
    big.write_text("title: {en: Big}\nlanguages: [en]\n# " + "x" * 1_100_000 + "\n")
    result = run_kiosk("prompts", "check", "big.yaml", cwd=tmp_path)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "big.yaml: is larger than 1 MB (1.1 MB)" in result.stdout and "memory" in result.stdout


def test_devices_and_pipes_are_refused_without_reading_them(tmp_path):
    result = run_kiosk("prompts", "check", "/dev/zero", cwd=tmp_path, timeout=60)
    assert result.returncode == 1 and "/dev/zero: is not a regular file" in result.stdout
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    result = run_kiosk("prompts", "check", str(fifo), cwd=tmp_path, timeout=60)  # would block for ever if opened
    assert result.returncode == 1 and "is not a regular file" in result.stdout


def test_settings_refuse_the_same(tmp_path):
    for name, words in (("settings-bomb.yaml", "billion laughs"), ("settings-control.yaml", "U+0000")):
        shutil.copy(HOSTILE / name, tmp_path / "kiosk.yaml")
        with pytest.raises(ProblemsError) as exc:
            config.load(tmp_path / "kiosk.yaml")
        assert words in str(exc.value) and "kiosk.yaml:" in str(exc.value)
        result = run_kiosk("config", "show", "--config", "kiosk.yaml", cwd=tmp_path)
        assert result.returncode == 1 and words in result.stderr and "Traceback" not in result.stderr
    with pytest.raises(ProblemsError) as exc:
        config.load("/dev/zero")
    assert "not a regular file" in str(exc.value)


def test_ordinary_aliases_still_work(tmp_path):
    (tmp_path / "set.yaml").write_text("title: {en: Aliases}\nlanguages: [en]\n"
                                       "prompts:\n  - {id: a, kind: draw, text: &same {en: Same}}\n"
                                       "  - {id: b, kind: draw, text: *same}\n")
    data, _ = yamlsource.load(tmp_path / "set.yaml")
    assert data["prompts"][1]["text"] == {"en": "Same"}
    assert prompts.check_file(tmp_path / "set.yaml") == []


def test_aliases_repeating_a_long_text_are_refused(tmp_path):
    """Few values but 24 GB of text once expanded: every later walk over the texts would never end."""
    (tmp_path / "long.yaml").write_text("title: {en: Long}\nlanguages: [en]\nlong: &long \"" + "x" * 600_000 +
                                        "\"\nprompts: [" + ",".join(["*long"] * 40_000) + "]\n")
    result = run_kiosk("prompts", "check", "long.yaml", cwd=tmp_path, timeout=120)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stdout.startswith("long.yaml:4:") and "2,000,000 characters" in result.stdout


def test_merge_key_bombs_and_python_tags_are_refused(tmp_path):
    for name, line, words in (("merge-bomb.yaml", None, "billion laughs"),
                              ("python-tag.yaml", 4, "could not determine a constructor")):
        shutil.copy(HOSTILE / name, tmp_path / name)
        result = run_kiosk("prompts", "check", name, cwd=tmp_path, timeout=60)
        assert result.returncode == 1 and "Traceback" not in result.stderr, name
        assert result.stdout.startswith(f"{name}:{line or ''}") and words in result.stdout, result.stdout
    assert not (tmp_path / "pwned").exists()  # the tag was never run


def test_a_999_kb_file_of_nested_brackets_is_refused(tmp_path):
    (tmp_path / "deep.yaml").write_text("prompts: " + "[" * 499_000 + "]" * 499_000 + "\n")
    result = run_kiosk("prompts", "check", "deep.yaml", cwd=tmp_path, timeout=60)
    assert result.returncode == 1 and "Traceback" not in result.stderr and "RecursionError" not in result.stderr
    assert result.stdout.startswith("deep.yaml:1:") and "nested more than 32 levels" in result.stdout


@pytest.mark.slow
def test_a_file_swapped_for_a_pipe_while_it_is_read_never_blocks(tmp_path):
    """The check and the read race a file swapped back and forth with a pipe: no read may hang."""
    import threading

    target = tmp_path / "set.yaml"
    regular, pipe = tmp_path / "regular", tmp_path / "pipe"
    stop = threading.Event()

    def swap() -> None:
        for i in range(20_000):
            if i % 2:
                regular.write_text("title: {en: Swapped}\n")
                os.replace(regular, target)
            else:
                os.mkfifo(pipe)
                os.replace(pipe, target)

    def load_until_stopped() -> None:
        while not stop.is_set():
            try:
                yamlsource.load(target)
            except ProblemsError:
                pass

    loader = threading.Thread(target=load_until_stopped, daemon=True)
    loader.start()
    swap()
    stop.set()
    loader.join(10)
    hung = loader.is_alive()
    if hung:  # release the blocked reader so that the test run can end
        os.close(os.open(target, os.O_WRONLY | os.O_NONBLOCK))
    assert not hung, "a read blocked on a pipe that replaced the file after it was checked"
