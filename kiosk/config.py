"""Kiosk settings: every key has a documented default, so no settings file is needed.

A settings file is `kiosk.yaml` in the working folder, or the one given by --config.
Relative paths in it are relative to the file's own folder, never to wherever a command
happens to be run. The default data folder fits where the kiosk runs: the checkout's output/
when it runs from a source checkout (`make run`), else the user's data folder (platformdirs,
e.g. ~/.local/share/kiosk) for a kiosk installed from a wheel.

Every problem in the file is reported at once, each with its file, line, key and fix
(docs/settings.md describes every key; kiosk.example.yaml is a commented example).
The data folder is chosen by, first to last: --data, KIOSK_DATA, the file, the default.
"""

from __future__ import annotations

import copy
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from kiosk import ids, urls, yamlsource
from kiosk.errors import KioskError

# The PIN's code lives in kiosk/pin.py; these names stay importable from here.
from kiosk.pin import DEFAULT_PIN as DEFAULT_PIN
from kiosk.pin import PIN_HASH_PATTERN
from kiosk.pin import check_pin as check_pin
from kiosk.pin import hash_pin as hash_pin
from kiosk.pin import pin_is_default as pin_is_default
from kiosk.pin import verify_pin as verify_pin
from kiosk.pin import write_pin_hash as write_pin_hash
from kiosk.prompts import KINDS
from kiosk.resources import PROMPTS, checkout_root
from kiosk.yamlsource import Problem, ProblemsError, describe, suggest

SETTINGS_NAME = "kiosk.yaml"

# Black, violet, brown, blue, green, magenta, ochre, yellow: chosen so that any two stay apart
# for colour-blind eyes (simulated protan, deutan, tritan: at least 23 ΔE) AND in a greyscale
# photocopy (lightness L* 0 to 82, at least 11 apart), which Okabe-Ito's palette is not
# (its orange and sky blue print as the same grey). tests/test_palette.py checks both.
DEFAULT_PALETTE = ["#000000", "#380446", "#602701", "#2143ca", "#1c7f4c", "#ed47c6", "#dba151", "#d5d200"]

DEFAULT_CONSENT = {
    # 2: the question names what the visitor made (drawing, choice, words); the choices are neutral.
    "version": "2",
    "question": {  # for any kind of answer without a question of its own
        "en": "May we keep your answer?",
        "fr": "Pouvons-nous garder votre réponse\u00a0?",
    },
    "question_draw": {
        "en": "May we keep your drawing?",
        "fr": "Pouvons-nous garder votre dessin\u00a0?",
    },
    "question_choice": {
        "en": "May we keep your choice?",
        "fr": "Pouvons-nous garder votre choix\u00a0?",
    },
    "question_text": {
        "en": "May we keep what you wrote?",
        "fr": "Pouvons-nous garder ce que vous avez écrit\u00a0?",
    },
    "explanation": {
        "en": "It stays anonymous: we keep no name, no photo, nothing about you.",
        "fr": "C’est anonyme\u00a0: nous ne gardons ni nom, ni photo, rien sur vous.",
    },
    "public": {
        "en": "Yes, share it: in the printed zine and the online archive",
        "fr": "Oui, partager\u00a0: dans le zine imprimé et l’archive en ligne",
    },
    "print": {
        "en": "Only in the printed zine",
        "fr": "Seulement dans le zine imprimé",
    },
    "discard": {
        "en": "Don’t keep it",
        "fr": "Ne rien garder",
    },
}
CONSENT_TEXTS = ("question", *(f"question_{kind}" for kind in KINDS), "explanation", "public", "print",
                 "discard")


def consent_text(consent: dict[str, Any], key: str, kind: str = "") -> dict[str, str]:
    """One consent text in every language; for "question", the one for this kind of answer."""
    if key == "question" and f"question_{kind}" in consent:
        return consent[f"question_{kind}"]
    return consent.get(key, {})

FIX = "correct the settings file: every key is described in docs/settings.md (kiosk.example.yaml is an example)"


def default_data() -> tuple[Path, str]:
    """The default data folder and why it is the default (`config show` prints both)."""
    root = checkout_root()
    if root is not None:
        return root / "output", f"default: running from the checkout {root}"
    import platformdirs

    return (platformdirs.user_data_path("kiosk", appauthor=False),
            "default: installed (not a checkout), so the user's data folder")


@dataclass
class Settings:
    """The effective settings. `sources` says where each value came from (for `config show`)."""

    data: Path = field(default_factory=lambda: default_data()[0])
    prompts: Path = PROMPTS / "school.yaml"
    languages: list[str] = field(default_factory=lambda: ["en", "fr"])
    default_language: str = "en"
    fullscreen: bool = False
    idle_timeout_s: float = 90
    idle_countdown_s: float = 15
    question_flow: str = "choose"  # choose | order | random
    palette: list[str] = field(default_factory=lambda: list(DEFAULT_PALETTE))
    canvas_width: int = 1200
    canvas_height: int = 900
    canvas_aspect: str = "screen"  # screen | fixed | W:H (e.g. 4:3)
    archive_base_url: str = ""
    archive_crawlers: bool = True  # false: robots.txt asks every crawler to stay out of the archive
    kiosk_id: str = ""  # empty: made up once per data folder and kept there
    pin_hash: str = ""  # salted hash, set by `kiosk pin set`; never the PIN itself
    consent: dict[str, Any] = field(default_factory=lambda: copy.deepcopy(DEFAULT_CONSENT))
    restore_window_s: float = 600
    thanks_timeout_s: float = 8
    thanks_qr_s: float = 25  # the thanks screen with a QR code: time to unlock a phone and scan
    text_max_length: int = 280
    organization: str = "School of algorithmic solidarity"
    contact_email: str = ""
    rights: str = "Drawn by an anonymous visitor, who agreed to its publication."
    license: str = "https://creativecommons.org/licenses/by-nc-sa/4.0/"
    zine_sheets_per_volume: int = 12  # a booklet volume's most sheets; more minizine sheets than this: a warning
    paper_thickness_mm: float = 0.1  # for the booklet's creep compensation (80 g/m² office paper)
    zine_grey: bool = False  # print the palette as distinct greys, for photocopying
    file: Path | None = None  # the settings file read, if any
    sources: dict[str, str] = field(default_factory=dict)


# ---------------------------------------------------------------------------- validators
# Each takes the value as YAML read it and returns the value to keep, or raises _Bad with a
# message that says what is wrong and what to write instead (the key is added by the caller).

class _Bad(Exception):
    def __init__(self, message: str, *at: Any) -> None:
        super().__init__(message)
        self.at = at  # where inside the value, e.g. (2,) for a list's third item: its line is reported


def _number(low: float, high: float) -> Callable[[Any], float]:
    def check(value: Any) -> float:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise _Bad(f"{describe(value)} is not a number; write a number of seconds from {low:g} to {high:g}")
        if not low <= value <= high:
            raise _Bad(f"{value:g} is out of range; use a number of seconds from {low:g} to {high:g}")
        return value
    return check


def _integer(low: int, high: int, unit: str) -> Callable[[Any], int]:
    def check(value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise _Bad(f"{describe(value)} is not a whole number; write a number of {unit} from {low} to {high}")
        if not low <= value <= high:
            raise _Bad(f"{value} is out of range; use a number of {unit} from {low} to {high}")
        return value
    return check


def _boolean(value: Any) -> bool:
    if not isinstance(value, bool):
        raise _Bad(f"{describe(value)} is not true or false; write true or false")
    return value


def _text(value: Any) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise _Bad(f"{describe(value)} is not text; put it in quotes")
    return value.strip()


def _path(value: Any) -> Path:
    if not isinstance(value, str) or not value.strip():
        raise _Bad(f"{describe(value)} is not a path; write a folder or file path, e.g. ./output")
    return Path(value.strip()).expanduser()


LANGUAGE_PATTERN = re.compile(r"[a-z]{2,3}(-[A-Za-z0-9]{2,8})*")


def _languages(value: Any) -> list[str]:
    if not isinstance(value, list) or not value:
        raise _Bad(f"must be a list of language codes, e.g. [en, fr], not {describe(value)}")
    for index, code in enumerate(value):
        if not isinstance(code, str) or not LANGUAGE_PATTERN.fullmatch(code):
            raise _Bad(f"{describe(code)} is not a language code like en, fr or pt-BR", index)
    if len(set(value)) != len(value):
        raise _Bad("a language is listed twice; list each once")
    return list(value)


def _language(value: Any) -> str:
    if not isinstance(value, str) or not LANGUAGE_PATTERN.fullmatch(value):
        raise _Bad(f"{describe(value)} is not a language code like en or fr")
    return value


QUESTION_FLOWS = ("choose", "order", "random")


def _question_flow(value: Any) -> str:
    if value not in QUESTION_FLOWS:
        near = suggest(value, QUESTION_FLOWS) if isinstance(value, str) else None
        raise _Bad(f"{describe(value)} is not a question flow" + (f", did you mean '{near}'?" if near else "")
                   + f" (write one of: {', '.join(QUESTION_FLOWS)})")
    return value


COLOUR_PATTERN = re.compile(r"#[0-9a-fA-F]{6}")


def _palette(value: Any) -> list[str]:
    if not isinstance(value, list):
        raise _Bad(f"must be a list of colours like '#e69f00', not {describe(value)}")
    for index, colour in enumerate(value):
        if colour is None:  # `- #e69f00` unquoted: YAML reads everything after # as a comment
            raise _Bad("a colour is empty: in YAML an unquoted # starts a comment, so write it in quotes, "
                       "e.g. - '#e69f00'", index)
        if not isinstance(colour, str) or not COLOUR_PATTERN.fullmatch(colour.strip()):
            raise _Bad(f"{describe(colour)} is not a colour; write '#rrggbb' in quotes, e.g. '#e69f00'", index)
    if not 2 <= len(value) <= 24:
        raise _Bad(f"has {len(value)} colours; give from 2 to 24")
    return [colour.strip().lower() for colour in value]


def _archive_base_url(value: Any) -> str:
    try:
        return urls.check_base_url(_text(value))  # links are made as {base}/r/{id}/
    except ValueError as exc:
        raise _Bad(f"{exc}; write the address of the archive's home page, "
                   "e.g. https://archive.example.org/kiosk") from None


def _kiosk_id(value: Any) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise _Bad(f"{describe(value)} must be written in quotes, e.g. kiosk_id: '{value}'")
    if value and not ids.KIOSK_ID_RE.fullmatch(value):  # the one kiosk-id grammar
        raise _Bad(f"{describe(value)} is not a kiosk id; use 1 to 12 lowercase letters and digits, e.g. hall2")
    return value


def _pin_hash(value: Any) -> str:
    if value is None or value == "":
        return ""
    if not isinstance(value, str) or not PIN_HASH_PATTERN.fullmatch(value):
        raise _Bad("is not a PIN hash made by `kiosk pin set`; remove the line and run `kiosk pin set`")
    return value


def _email(value: Any) -> str:
    text = _text(value)
    if text and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", text):
        raise _Bad(f"{describe(text)} is not an email address; write one like kiosk@example.org, or leave it empty")
    return text


def _consent(value: Any) -> dict[str, Any]:
    """The file's consent keys replace the built-in ones key by key (a text with all its languages)."""
    if not isinstance(value, dict):
        raise _Bad(f"must be a mapping of version, {', '.join(CONSENT_TEXTS)}, not {describe(value)}")
    consent = copy.deepcopy(DEFAULT_CONSENT)
    for key, text in value.items():
        if key == "version":
            if isinstance(text, bool) or not isinstance(text, (str, int, float)) or not str(text).strip():
                raise _Bad(f"version {describe(text)} is not a version; write e.g. version: '2'", key)
            consent["version"] = str(text).strip()
        elif key in CONSENT_TEXTS:
            if not isinstance(text, dict) or not text:
                raise _Bad(f"{key} must give one text per language, e.g. {key}: {{en: ..., fr: ...}}", key)
            for code, words in text.items():
                if not isinstance(words, str):
                    raise _Bad(f"{key} in {describe(code)} must be text, not {describe(words)}", key, code)
                if not words.strip():
                    raise _Bad(f"{key} in {describe(code)} is empty; write the text", key, code)
            consent[key] = {str(code): words.strip() for code, words in text.items()}
            if key == "question":  # the file's one question is asked for every kind without its own
                for kind in KINDS:
                    if f"question_{kind}" not in value:
                        consent.pop(f"question_{kind}", None)
        else:
            near = suggest(key, ("version", *CONSENT_TEXTS))
            raise _Bad(f"unknown key '{key}'" + (f", did you mean '{near}'?" if near else
                                                f" (known: version, {', '.join(CONSENT_TEXTS)})"), key)
    return consent


def _canvas_aspect(value: Any) -> str:
    if isinstance(value, str):
        text = value.strip().lower()
        if text in ("screen", "fixed"):
            return text
        parts = text.split(":")
        if len(parts) == 2 and all(p.strip().isdigit() and int(p) > 0 for p in parts):
            a, b = int(parts[0]), int(parts[1])
            if 0.5 <= a / b <= 2:
                return f"{a}:{b}"
            raise _Bad(f"{value} is too narrow; use a ratio from 1:2 to 2:1, such as 4:3 or 3:4")
    raise _Bad(f"{describe(value)} is not a canvas shape; write screen (follow the screen), fixed "
               "(canvas_width x canvas_height) or a ratio such as 4:3")


VALIDATORS: dict[str, Callable[[Any], Any]] = {
    "data": _path,
    "prompts": _path,
    "languages": _languages,
    "default_language": _language,
    "fullscreen": _boolean,
    "idle_timeout_s": _number(5, 86400),
    "idle_countdown_s": _number(0, 3600),
    "question_flow": _question_flow,
    "palette": _palette,
    "canvas_width": _integer(100, 8000, "pixels"),
    "canvas_height": _integer(100, 8000, "pixels"),
    "canvas_aspect": _canvas_aspect,
    "archive_base_url": _archive_base_url,
    "archive_crawlers": _boolean,
    "kiosk_id": _kiosk_id,
    "pin_hash": _pin_hash,
    "consent": _consent,
    "restore_window_s": _number(0, 86400),
    "thanks_timeout_s": _number(1, 600),
    "thanks_qr_s": _number(1, 600),
    "text_max_length": _integer(1, 10000, "characters"),
    "organization": _text,
    "contact_email": _email,
    "rights": _text,
    "license": _text,
    "zine_sheets_per_volume": _integer(1, 100, "sheets"),
    "paper_thickness_mm": _number(0, 0.3),
    "zine_grey": _boolean,
}
KEYS = tuple(VALIDATORS)  # the keys a settings file may hold, in the order docs/settings.md lists them


# ------------------------------------------------------------------------------- loading

def find_settings_file(explicit: Path | str | None) -> Path | None:
    if explicit:
        path = Path(explicit).expanduser()
        if not path.exists():
            raise KioskError(f"Settings file {path} does not exist.", "check the path given to --config")
        return path.resolve()  # a folder or a device is refused, with the reason, by yamlsource.load
    here = Path.cwd() / SETTINGS_NAME
    return here.resolve() if here.is_file() else None


def _prompts_path(value: Path, folder: Path) -> tuple[Path, str | None]:
    """A path relative to the settings file, or a shipped set's name ("forum-ouvert"); and a problem."""
    if len(value.parts) == 1 and value.suffix not in (".yaml", ".yml"):
        path = PROMPTS / f"{value}.yaml"
        shipped = ", ".join(p.stem for p in sorted(PROMPTS.glob("*.yaml")))
        return path, None if path.is_file() else f"there is no shipped question set named '{value}' " \
                                                  f"(shipped: {shipped}); or give the path of a .yaml file"
    path = (folder / value).resolve()
    if not path.is_file():
        return path, (f"the question set {path} does not exist; check the path (a relative path is relative "
                      f"to the settings file's folder, {folder})")
    return path, None


class _Reader:
    """Applies one settings file to a Settings, collecting every problem with its line."""

    def __init__(self, path: Path, settings: Settings) -> None:
        self.path = path
        self.settings = settings
        self.problems: list[Problem] = []
        self.lines: yamlsource.Lines = yamlsource.Lines()

    def line(self, *key: Any) -> int:
        return yamlsource.line_of(self.lines, key)

    def problem(self, key: tuple, message: str) -> None:
        self.problems.append(Problem(str(self.path), self.line(*key), message))

    def read(self) -> None:
        data, self.lines = yamlsource.load(self.path)
        if data is None:
            return  # an empty file, or only comments: the defaults
        if not isinstance(data, dict):
            self.problem((), f"a settings file must be a mapping of key: value lines, not {describe(data)}")
            return
        for key_path, first, again in self.lines.duplicates:
            self.problems.append(Problem(str(self.path), again, f"{'.'.join(map(str, key_path))}: given twice "
                                                                f"(first on line {first}); keep only one"))
        self.problems += yamlsource.control_characters(data, self.lines, str(self.path))
        for key, value in data.items():
            self.apply(key, value)
        self.cross_check(data)

    def apply(self, key: Any, value: Any) -> None:
        if key not in VALIDATORS:
            near = suggest(key, KEYS)
            self.problem((key,), f"unknown key '{key}'" + (f", did you mean '{near}'?" if near else
                                                           "; remove it (docs/settings.md lists the keys)"))
            return
        try:
            value = VALIDATORS[key](value)
        except _Bad as bad:
            self.problem((key, *bad.at), f"{key}: {bad}")
            return
        if key == "data":
            value = (self.path.parent / value).resolve()
        elif key == "prompts":
            value, trouble = _prompts_path(value, self.path.parent)
            if trouble:
                self.problem((key,), f"prompts: {trouble}")
                return
        setattr(self.settings, key, value)
        self.settings.sources[key] = f"{self.path}:{self.line(key)}"

    def cross_check(self, data: dict) -> None:
        s = self.settings
        if s.default_language not in s.languages:
            if "default_language" in data:
                self.problem(("default_language",), f"default_language: '{s.default_language}' is not in "
                             f"languages ({', '.join(s.languages)}); pick one of them or add it to languages")
            else:  # languages set without the built-in default: start in the first one listed
                s.default_language = s.languages[0]
        if s.idle_countdown_s >= s.idle_timeout_s and {"idle_countdown_s", "idle_timeout_s"} & set(data):
            key = "idle_countdown_s" if "idle_countdown_s" in data else "idle_timeout_s"
            self.problem((key,), f"{key}: the countdown ({s.idle_countdown_s:g} s) must be shorter than "
                         f"idle_timeout_s ({s.idle_timeout_s:g} s); shorten the countdown")
        for text in CONSENT_TEXTS:
            if text not in s.consent:
                continue  # a kind's question given by the file's `question`
            missing = [code for code in s.languages if not s.consent[text].get(code)]
            if not missing:
                continue
            if isinstance(data.get("consent"), dict) and text in data["consent"]:
                self.problem(("consent", text), f"consent.{text}: no text in {', '.join(missing)}; add "
                             f"{missing[0]}: ... (visitors must read what they agree to in their language)")
            else:
                self.problem(("languages",), f"languages: the built-in consent.{text} is only in "
                             f"{', '.join(DEFAULT_CONSENT[text])}; add consent: {text}: texts in "
                             f"{', '.join(missing)} (see kiosk.example.yaml)")


def load(config: Path | str | None = None, data: Path | str | None = None) -> Settings:
    """Load the settings file (if any), then apply --data or KIOSK_DATA.

    Raises a KioskError (a ProblemsError, whose .problems lists each one) naming every problem.
    """
    settings = Settings()
    settings.sources = {key: "default" for key in KEYS}
    settings.sources["data"] = default_data()[1]
    path = find_settings_file(config)
    if path is not None:
        settings.file = path
        reader = _Reader(path, settings)
        reader.read()
        if reader.problems:
            raise ProblemsError(sorted(reader.problems, key=lambda p: p.line), FIX)
    env = os.environ.get("KIOSK_DATA", "").strip()
    if data:
        settings.data, settings.sources["data"] = Path(data).expanduser().resolve(), "--data"
    elif env:
        settings.data, settings.sources["data"] = Path(env).expanduser().resolve(), "KIOSK_DATA"
    return settings


def settings_path(config: Path | str | None) -> Path:
    """The file `pin set` writes to: --config's, else kiosk.yaml in the working folder."""
    return Path(config).expanduser().resolve() if config else (Path.cwd() / SETTINGS_NAME).resolve()


def as_display(settings: Settings) -> list[tuple[str, str, str]]:
    """(key, value, source) for every effective setting, as `config show` prints them.

    The PIN hash itself is never shown: only whether one is set.
    """
    rows: list[tuple[str, str, str]] = []
    for key in KEYS:
        value = getattr(settings, key)
        source = settings.sources.get(key, "default")
        if key == "pin_hash":
            rows.append((key, "set" if value else f"not set (default PIN {DEFAULT_PIN})", source))
        elif key == "consent":
            rows.append(("consent.version", str(value.get("version", "")), source))
            for text in CONSENT_TEXTS:
                for code, words in value.get(text, {}).items():
                    rows.append((f"consent.{text}.{code}", words, source))
        else:
            rows.append((key, _show(value), source))
    return rows


def _show(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ", ".join(map(str, value))
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if value == "":
        return '""'
    return str(value)


# Settings fields that are not keys of the file (kept here so a new field is not forgotten).
_NOT_KEYS = {"file", "sources"}
assert {f.name for f in fields(Settings)} - _NOT_KEYS == set(KEYS), "each Settings field needs a validator"
