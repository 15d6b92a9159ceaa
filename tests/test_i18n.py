"""The one catalogue of every word the kiosk shows (app, zine, archive): complete in English and
French, typographically right, and every key the code uses exists (and every key is used)."""

from __future__ import annotations

import ast
import re
import string
from pathlib import Path

import pytest

from kiosk import i18n

KIOSK = Path(i18n.__file__).parent
# The area helpers that add their namespace to a key: label("how") is "zine.how".
PREFIXED = {"label": "zine.", "labels": "zine.", "word": "archive.", "ui": "archive.", "ui_plain": "archive.",
            "ui_paras": "archive."}
PREFIXED_PLURAL = {"tn": "", "labels_n": "zine.", "word_n": "archive."}


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
    """Keys written in kiosk/: string constants that look like catalogue keys, keys given to the
    zine's and the archive's helpers (which add their namespace), and the bases given to the
    plural helpers (which add .one / .other)."""
    prefixes = {key.split(".")[0] for key in i18n.CATALOGUE}
    pattern = re.compile(r"^({})\.[a-z0-9_.]+$".format("|".join(sorted(prefixes))))
    keys, plural = set(), set()
    for path in [p for area in ("app", "zine", "archive") for p in (KIOSK / area).rglob("*.py")]:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            name = getattr(node, "func", None) and getattr(node.func, "attr", getattr(node.func, "id", ""))
            first = node.args[0] if isinstance(node, ast.Call) and node.args else None
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                if name in PREFIXED_PLURAL:
                    plural.add(PREFIXED_PLURAL[name] + first.value)
                elif name in PREFIXED:
                    keys.add(PREFIXED[name] + first.value)
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and pattern.match(node.value):
                keys.add(node.value)
    return keys - plural, plural


def test_every_key_the_app_uses_exists() -> None:
    keys, plural = used_keys()
    assert keys, "no keys found: the scan is broken"
    missing = sorted(k for k in keys if not i18n.has(k))
    missing += sorted(f"{k}.one/.other" for k in plural if not (i18n.has(f"{k}.one") and i18n.has(f"{k}.other")))
    assert not missing, f"used in kiosk/ but not in kiosk/catalogue: {missing}"


def test_every_key_is_used() -> None:
    keys, plural = used_keys()
    used = keys | {f"{k}.{form}" for k in plural for form in ("one", "other")}
    unused = sorted(set(i18n.CATALOGUE) - used)
    assert not unused, f"in kiosk/catalogue but never used: {unused}"


def test_no_pygame_in_the_catalogue() -> None:
    for path in [Path(i18n.__file__), *(KIOSK / "catalogue").glob("*.py")]:
        assert "import pygame" not in path.read_text(), path


def test_plurals() -> None:
    assert i18n.tn("zine.answers", 1, "en") == "1 answer"
    assert i18n.tn("zine.answers", 2, "en") == "2 answers"
    assert i18n.tn("zine.answers", 1, "fr") == "1\u00a0réponse"
    assert i18n.tn("archive.count", 0, "fr").startswith("0\u00a0réponse ")
    for key in i18n.CATALOGUE:
        if key.endswith(".one"):
            assert i18n.has(key[:-4] + ".other"), f"{key} has no .other form"
