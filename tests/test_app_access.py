"""Accessibility of the visitor screens: read aloud (a real espeak-ng, its sound sent to
/dev/null) and the large-text, high-contrast mode, through real pygame events."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from test_app_driver import Driver, settings_for, small_prompts

from kiosk import i18n
from kiosk.app import theme as th
from kiosk.app.speech import Speaker

needs_espeak = pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng is not installed (make deps)")
SILENT = ("-w", "/dev/null")  # espeak-ng writes the sound to a WAV file: here, nowhere


@needs_espeak
def test_the_speaker_runs_espeak_ng_in_the_visitors_language() -> None:
    s = Speaker(output=SILENT)
    assert s.say("Effacer tout le dessin ?", "fr")
    assert s.command[-1] == "Effacer tout le dessin ?" and s.command[s.command.index("-v") + 1] == "fr-fr"
    assert s.process.wait(timeout=30) == 0
    assert s.say("Clear the whole drawing?", "en-GB")
    assert s.command[s.command.index("-v") + 1] == "en-gb"
    assert s.process.wait(timeout=30) == 0


@needs_espeak
def test_a_new_tap_stops_the_speech_before() -> None:
    s = Speaker()  # the real sound output (none here: espeak-ng still runs, and is stopped)
    s.say("word " * 400, "en")
    first = s.process
    s.say("Hello", "en")
    assert first.wait(timeout=10) != 0 or first.returncode is not None, "the first speech was stopped"
    assert s.process is not first
    s.stop()


def test_without_espeak_ng_the_button_stays_silent(tmp_path: Path, caplog) -> None:
    s = Speaker(path=str(tmp_path))  # a PATH without espeak-ng
    assert not s.available
    with caplog.at_level("INFO", logger="kiosk.app"):
        assert not s.say("Hello", "en")
        assert not s.say("Hello again", "en")
    assert sum("espeak-ng is not installed" in r.getMessage() for r in caplog.records) == 1, "one line, once"
    d = Driver(settings_for(tmp_path / "data"), small_prompts(), (1280, 800))
    try:
        d.app.speaker = s
        d.tap("begin")
        d.tap("prompt:relation")
        d.tap("speak")
        assert d.scene == "draw", "nothing fails"
    finally:
        d.close()


@needs_espeak
@pytest.mark.parametrize("lang", ["en", "fr"])
def test_read_aloud_on_the_question_and_consent_screens(lang: str, tmp_path: Path) -> None:
    d = Driver(settings_for(tmp_path / "data"), small_prompts(), (1920, 1080))
    try:
        d.app.speaker = speaker = Speaker(output=SILENT)
        if lang == "fr":
            d.tap("lang:fr")
        d.tap("begin")
        d.tap("speak")  # the question list: its title, then the questions of the page
        words = speaker.command[-1].split("\n")
        assert words[0] == i18n.t("question.title", lang)
        assert words[1:] == [p.text[lang] for p in small_prompts().prompts]
        assert speaker.process.wait(timeout=30) == 0
        d.tap("prompt:act")
        d.tap("speak")
        prompt = d.app.visit.prompt
        assert speaker.command[-1] == prompt.text[lang] + "\n" + prompt.hint[lang]
        assert speaker.command[speaker.command.index("-v") + 1] == ("fr-fr" if lang == "fr" else "en-gb")
        assert speaker.process.wait(timeout=30) == 0
        d.tap("option:hacking")
        d.tap("done")
        assert d.scene == "consent"
        d.tap("speak")
        scene = d.app.scene
        assert speaker.command[-1].startswith(scene.words("question") + "\n" + scene.words("explanation"))
        assert scene.words("discard") in speaker.command[-1]
        assert speaker.process.wait(timeout=30) == 0
    finally:
        d.close()


def test_large_text_from_the_welcome_screen_until_the_next_visitor(tmp_path: Path) -> None:
    d = Driver(settings_for(tmp_path / "data", idle_timeout_s=20, idle_countdown_s=5), small_prompts(), (1920, 1080))
    try:
        usual = d.app.theme.sizes
        d.tap("large")
        assert d.app.large_text and d.app.theme.large
        assert d.app.theme.sizes.body > usual.body
        assert d.pixel((2, 2)) == th.WHITE, "high contrast: white paper"
        d.tap("begin")
        d.tap("prompt:relation")
        assert d.app.theme.large, "every visitor screen"
        question = d.app.scene.question
        assert question.size >= usual.question * 0.9
        # Muted words are drawn in ink: the hint of a question, the consent's explanation.
        d.drag("canvas", [(0.2, 0.2), (0.7, 0.6)])
        d.tap("done")
        assert d.scene == "consent"
        r = d.app.scene.text_area
        colours = {d.pixel((x, y)) for x in range(r.x, r.right, 3) for y in range(r.y, r.bottom, 3)}
        assert th.MUTED not in colours and th.INK in colours
        d.wait(30)  # the visitor walked away: idle reset
        assert d.scene == "welcome"
        assert not d.app.large_text and not d.app.theme.large, "the next visitor starts with the usual text"
        assert d.pixel((2, 2)) == th.PAPER
        # Switched on and off again from the welcome screen.
        d.tap("large")
        d.tap("large")
        assert not d.app.large_text
    finally:
        d.close()


def test_large_text_resets_after_thanks(tmp_path: Path) -> None:
    d = Driver(settings_for(tmp_path / "data"), small_prompts(), (1080, 1920))
    try:
        d.tap("large")
        d.tap("begin")
        d.tap("prompt:tools")
        d.tap("option:maps")
        d.tap("done")
        d.tap("consent:discard")
        assert d.scene == "thanks" and d.app.large_text
        d.wait(60)
        assert d.scene == "welcome" and not d.app.large_text
        assert i18n.t("welcome.large", "en") in [b.label for b in d.app.scene.buttons.items]
    finally:
        d.close()


@needs_espeak
def test_the_speech_is_real_sound(tmp_path: Path) -> None:
    """What the button would play, written to a WAV instead: a few seconds of sound, not silence."""
    wav = tmp_path / "speech.wav"
    s = Speaker(output=("-w", str(wav)))
    assert s.say("Pouvons-nous garder votre dessin ?", "fr")
    assert s.process.wait(timeout=30) == 0
    data = wav.read_bytes()
    assert data[:4] == b"RIFF" and data[8:12] == b"WAVE" and len(data) > 20_000
    assert len(set(data[44:])) > 50, "the samples vary: a voice, not silence"
