"""The one catalogue of every word the kiosk shows: complete in English and French, and every key
the app uses exists (and every key is used)."""

from __future__ import annotations

import ast
import re
import string
from pathlib import Path

import pytest

from kiosk import i18n

APP = Path(i18n.__file__).parent / "app"


def test_every_string_has_every_language() -> None:
    for key, entry in i18n.CATALOGUE.items():
        for lang in i18n.LANGUAGES:
            assert entry.get(lang, "").strip(), f"{key} has no {lang} text"
        assert set(entry) <= set(i18n.LANGUAGES), f"{key} has an unknown language"


def test_a_missing_language_fails_this_test(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(i18n.CATALOGUE, "test.only_english", {"en": "Hello"})
    with pytest.raises(AssertionError, match="test.only_english has no fr text"):
        test_every_string_has_every_language()


def fields(text: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(text) if f}


def test_placeholders_agree_between_languages() -> None:
    for key, entry in i18n.CATALOGUE.items():
        assert fields(entry["en"]) == fields(entry["fr"]), key


def test_typography() -> None:
    for key, entry in i18n.CATALOGUE.items():
        for lang, text in entry.items():
            assert "'" not in text, f"{key} ({lang}): use the typographic apostrophe ’"
            assert "..." not in text, f"{key} ({lang}): use the ellipsis …"
        fr = entry["fr"]
        assert not re.search(r" [?!:;»]", fr), f"{key} (fr): a no-break space goes before ? ! : ; »"


def test_french_accents_survive() -> None:
    assert i18n.t("clear.question", "fr") == "Effacer tout le dessin\u00a0?"
    assert i18n.t("error.title", "fr") == "Désolé, quelque chose s’est mal passé."
    assert i18n.tn("text.left", 1, "fr") == "1 caractère restant"
    assert i18n.tn("text.left", 2, "en") == "2 characters left"
    assert i18n.t("tool.undo", "pt-BR") == "Undo"  # a language the catalogue lacks: English
    assert i18n.language_name("fr") == "Français"


def used_keys() -> tuple[set[str], set[str]]:
    """Keys written in kiosk/app: string constants that look like catalogue keys, and the bases
    given to tn() (which adds .one / .other)."""
    prefixes = {key.split(".")[0] for key in i18n.CATALOGUE}
    pattern = re.compile(r"^(%s)\.[a-z0-9_.]+$" % "|".join(sorted(prefixes)))
    keys, plural = set(), set()
    for path in APP.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", "")) == "tn":
                if node.args and isinstance(node.args[0], ast.Constant):
                    plural.add(node.args[0].value)
            elif isinstance(node, ast.Constant) and isinstance(node.value, str) and pattern.match(node.value):
                keys.add(node.value)
    return keys - plural, plural


def test_every_key_the_app_uses_exists() -> None:
    keys, plural = used_keys()
    assert keys, "no keys found: the scan is broken"
    missing = sorted(k for k in keys if not i18n.has(k))
    missing += sorted(f"{k}.one/.other" for k in plural if not (i18n.has(f"{k}.one") and i18n.has(f"{k}.other")))
    assert not missing, f"used in kiosk/app but not in kiosk/i18n.py: {missing}"


def test_every_key_is_used() -> None:
    keys, plural = used_keys()
    used = keys | {f"{k}.{form}" for k in plural for form in ("one", "other")}
    unused = sorted(set(i18n.CATALOGUE) - used)
    assert not unused, f"in kiosk/i18n.py but never used by kiosk/app: {unused}"


def test_no_pygame_in_the_catalogue() -> None:
    assert "import pygame" not in Path(i18n.__file__).read_text()
