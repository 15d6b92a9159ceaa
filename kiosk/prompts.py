"""Question sets: prompts/*.yaml. Load, validate (file and line in every problem), translate.

The format is described in docs/prompts.md. In short:

    title: {en: School of algorithmic solidarity, fr: École de solidarité algorithmique}
    languages: [en, fr]
    order: [act, read-44gb]          # optional; prompts it leaves out follow in file order
    prompts:
      - id: read-44gb
        kind: draw                   # draw | choice | text
        text: {en: How to read 44.71Gb?, fr: Comment lire 44,71 Go ?}

Validation collects every problem before reporting, so one run of `kiosk prompts check`
shows everything a translator has to fix, not one error per attempt.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kiosk import yamlsource
from kiosk.resources import PROMPTS
from kiosk.yamlsource import KeyPath, Lines, Problem, ProblemsError, describe, line_of, suggest, unknown_message

KINDS = ("draw", "choice", "text")
SET_KEYS = ("title", "attribution", "languages", "order", "prompts")
PROMPT_KEYS = ("id", "kind", "text", "hint", "options", "multiple", "canvas", "max_length")
OPTION_KEYS = ("id", "text")

# Ids end up in file names, URLs and CSV columns: keep them plain.
ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")
LANGUAGE_PATTERN = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
MAX_TEXT_LENGTH = 10_000

FIX = "correct the file; the format is described in docs/prompts.md"


@dataclass
class Option:
    id: str
    text: dict[str, str]


@dataclass
class Prompt:
    id: str
    kind: str  # draw | choice | text
    text: dict[str, str]
    options: list[Option] = field(default_factory=list)
    multiple: bool = False  # choice: several options may be chosen
    canvas: bool = False  # draw: always True; choice and text may add one
    hint: dict[str, str] = field(default_factory=dict)
    max_length: int | None = None  # text: None means the settings' text_max_length


@dataclass
class PromptSet:
    title: dict[str, str]
    languages: list[str]
    prompts: list[Prompt]  # in the set's order
    path: Path
    attribution: dict[str, str] = field(default_factory=dict)  # whose questions they are (optional)

    def get(self, prompt_id: str) -> Prompt | None:
        return next((p for p in self.prompts if p.id == prompt_id), None)


def text_for(mapping: Mapping[str, str], lang: str, fallback_langs: Sequence[str] = ()) -> str:
    """The text in `lang`, else in the first fallback language that has one, else any, else ""."""
    for code in (lang, *fallback_langs):
        if mapping.get(code):
            return mapping[code]
    return next((text for text in mapping.values() if text), "")


def summary(prompt_set: PromptSet, name: str | None = None) -> str:
    """One line: "prompts/school.yaml: 14 prompts (12 draw, 1 choice, 1 text) in en, fr"."""
    counts = [f"{sum(p.kind == kind for p in prompt_set.prompts)} {kind}" for kind in KINDS
              if any(p.kind == kind for p in prompt_set.prompts)]
    n = len(prompt_set.prompts)
    return (f"{name or prompt_set.path}: {n} prompt{'s' if n != 1 else ''} ({', '.join(counts)}) "
            f"in {', '.join(prompt_set.languages)}")


def available_sets(folder: Path = PROMPTS) -> list[Path]:
    """The question sets shipped in (or copied into) `folder`, by file name."""
    return sorted(Path(folder).glob("*.yaml"))


def named_set(value: str) -> Path:
    """A question set named on the command line: a file, else a shipped set's name ("forum-ouvert").

    An installed kiosk keeps its sets inside site-packages, so a name is all a user can type.
    A name that is neither comes back as the path typed, for the caller to report as missing.
    """
    path = Path(value).expanduser()
    shipped = PROMPTS / f"{value}.yaml"
    if not path.is_file() and path.suffix not in (".yaml", ".yml") and len(path.parts) == 1 and shipped.is_file():
        return shipped
    return path


class _Checker:
    """Builds a PromptSet from parsed YAML, noting every problem with its line."""

    def __init__(self, name: str, lines: Lines) -> None:
        self.name = name
        self.lines = lines
        self.problems: list[Problem] = []
        self.languages: list[str] = []

    def problem(self, path: KeyPath, message: str) -> None:
        self.problems.append(Problem(self.name, line_of(self.lines, path), message))

    def known_keys(self, mapping: dict, path: KeyPath, known: Sequence[str], label: str) -> None:
        for key in mapping:
            if key not in known:
                self.problem(path + (key,), label + unknown_message("key", key, known))

    def translations(self, value: Any, path: KeyPath, label: str) -> dict[str, str]:
        """A {language: text} mapping with one non-empty text per declared language."""
        if isinstance(value, str) and len(self.languages) == 1:
            value = {self.languages[0]: value}  # a one-language set may write plain text
        example = ", ".join(f"{code}: ..." for code in self.languages or ["en"])
        if value is None:
            self.problem(path, f"{label} is missing; add it, e.g. {path[-1]}: {{{example}}}")
            return {}
        if not isinstance(value, dict):
            self.problem(path, f"{label} must give one text per language, e.g. {{{example}}}, not {describe(value)}")
            return {}
        result: dict[str, str] = {}
        for code, text in value.items():
            if self.languages and code not in self.languages:
                self.problem(path + (code,), f"{label} has a '{code}' text, but '{code}' is not in languages "
                             f"({', '.join(self.languages)}); add it to languages or remove this text")
            elif text is None or (isinstance(text, str) and not text.strip()):
                self.problem(path + (code,), f"{label} is empty in '{code}'; write the text or remove the line")
            elif not isinstance(text, str):
                self.problem(path + (code,), f"{label} in '{code}' must be text, not {describe(text)}; "
                             "put it in quotes")
            else:
                result[str(code)] = text.strip()
        for code in self.languages:
            if code not in value:
                self.problem(path, f"{label} has no '{code}' translation (languages: {', '.join(self.languages)})")
        return result

    def identifier(self, value: Any, path: KeyPath, label: str) -> str | None:
        if value is None:
            self.problem(path, f"{label} has no id; add one, e.g. id: my-question")
            return None
        if not isinstance(value, str) or not ID_PATTERN.match(value):
            self.problem(path + ("id",), f"{label} id {describe(value)} is not a usable id: use up to 40 "
                         "lowercase letters, digits, '-' and '_', e.g. read-44gb")
            return None
        return value

    def flag(self, item: dict, path: KeyPath, key: str, label: str) -> bool | None:
        value = item.get(key)
        if key in item and not isinstance(value, bool):
            self.problem(path + (key,), f"{label}{key} must be true or false, not {describe(value)}")
            return None
        return value

    def set_languages(self, value: Any) -> None:
        if not isinstance(value, list) or not value:
            self.problem(("languages",), "languages must be a list of language codes, e.g. languages: [en, fr]"
                         + ("" if value is None else f", not {describe(value)}"))
            return
        for index, code in enumerate(value):
            if not isinstance(code, str) or not LANGUAGE_PATTERN.match(code):
                self.problem(("languages", index), f"language {describe(code)} is not a language code "
                             "like en, fr or pt-BR; put it in quotes if YAML read it as true/false")
            elif code in self.languages:
                self.problem(("languages", index), f"language '{code}' is listed twice")
            else:
                self.languages.append(code)

    def option(self, item: Any, path: KeyPath, label: str) -> Option | None:
        if not isinstance(item, dict):
            self.problem(path, f"{label}: each option must be a mapping with id and text, not {describe(item)}")
            return None
        self.known_keys(item, path, OPTION_KEYS, f"{label}: ")
        option_id = self.identifier(item.get("id"), path, f"{label}: option")
        text = self.translations(item.get("text"), path + ("text",), f"{label}: option '{option_id}' text")
        return Option(option_id, text) if option_id else None

    def options(self, item: dict, path: KeyPath, label: str) -> list[Option]:
        value = item.get("options")
        if not isinstance(value, list):
            self.problem(path + ("options",), f"{label}a choice needs a list of options (at least two), "
                         f"not {describe(value)}")
            return []
        if len(value) < 2:
            self.problem(path + ("options",), f"{label}a choice needs at least two options, it has {len(value)}")
        result: list[Option] = []
        seen: dict[str, int] = {}  # option id -> its line
        for index, entry in enumerate(value):
            option = self.option(entry, path + ("options", index), label.rstrip(": "))
            if option is None:
                continue
            if option.id in seen:
                self.problem(path + ("options", index, "id"), f"{label}duplicate option id '{option.id}' "
                             f"(first used on line {seen[option.id]}); give each option its own id")
                continue
            seen[option.id] = line_of(self.lines, path + ("options", index, "id"))
            result.append(option)
        return result

    def prompt(self, item: Any, index: int) -> Prompt | None:
        path: KeyPath = ("prompts", index)
        if not isinstance(item, dict):
            self.problem(path, f"prompt {index + 1} must be a mapping with id, kind and text, not {describe(item)}")
            return None
        prompt_id = self.identifier(item.get("id"), path, f"prompt {index + 1}")
        label = f"prompt '{prompt_id}': " if prompt_id else f"prompt {index + 1}: "
        self.known_keys(item, path, PROMPT_KEYS, label)
        kind = item.get("kind")
        if kind is None:
            self.problem(path, f"{label}no kind; add kind: with one of {', '.join(KINDS)}")
        elif kind not in KINDS:
            near = suggest(kind, KINDS) if isinstance(kind, str) else None
            self.problem(path + ("kind",), f"{label}unknown kind {describe(kind)}"
                         + (f", did you mean '{near}'?" if near else "") + f" (known kinds: {', '.join(KINDS)})")
        text = self.translations(item.get("text"), path + ("text",), f"{label}text")
        hint = self.translations(item["hint"], path + ("hint",), f"{label}hint") if "hint" in item else {}
        multiple = self.flag(item, path, "multiple", label)
        canvas = self.flag(item, path, "canvas", label)
        max_length = self.max_length(item, path, label)
        options: list[Option] = []
        if kind == "choice":
            options = self.options(item, path, label)
        elif "options" in item:
            self.problem(path + ("options",), f"{label}only a choice has options; use kind: choice or remove them")
        if kind != "choice" and "multiple" in item:
            self.problem(path + ("multiple",), f"{label}multiple only applies to kind: choice; remove it")
        if kind != "text" and "max_length" in item:
            self.problem(path + ("max_length",), f"{label}max_length only applies to kind: text; remove it")
        if kind == "draw" and canvas is False:
            self.problem(path + ("canvas",), f"{label}a draw prompt always has a canvas; remove canvas: false")
        if prompt_id is None or kind not in KINDS:
            return None
        return Prompt(prompt_id, kind, text, options, bool(multiple), kind == "draw" or bool(canvas), hint,
                      max_length)

    def max_length(self, item: dict, path: KeyPath, label: str) -> int | None:
        value = item.get("max_length")
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_TEXT_LENGTH:
            self.problem(path + ("max_length",), f"{label}max_length must be a whole number of characters "
                         f"from 1 to {MAX_TEXT_LENGTH}, not {describe(value)}")
            return None
        return value

    def order(self, value: Any, prompts: list[Prompt], ids: Sequence[str]) -> list[Prompt]:
        if value is None:
            return prompts
        if not isinstance(value, list):
            self.problem(("order",), f"order must be a list of prompt ids, not {describe(value)}")
            return prompts
        by_id = {p.id: p for p in prompts}
        ordered: list[Prompt] = []
        for index, prompt_id in enumerate(value):
            if not isinstance(prompt_id, str) or prompt_id not in ids:
                self.problem(("order", index), "order names an " + unknown_message("prompt id", prompt_id, ids))
            elif prompt_id not in by_id:
                continue  # a prompt with problems of its own, already reported
            elif by_id[prompt_id] in ordered:
                self.problem(("order", index), f"order names '{prompt_id}' twice")
            else:
                ordered.append(by_id[prompt_id])
        # Prompts the order leaves out still appear (after the others): nothing vanishes by accident.
        return ordered + [p for p in prompts if p not in ordered]

    def prompt_set(self, data: Any, path: Path) -> PromptSet | None:
        if not isinstance(data, dict):
            self.problem((), "a question set must be a mapping with title, languages and prompts"
                         + ("" if data is None else f", not {describe(data)}") + "; see docs/prompts.md")
            return None
        for key_path, first, again in self.lines.duplicates:
            self.problems.append(Problem(self.name, again, f"key '{key_path[-1]}' is given twice (first on line "
                                                           f"{first}); keep only one"))
        self.known_keys(data, (), SET_KEYS, "")
        self.set_languages(data.get("languages"))
        title = self.translations(data.get("title"), ("title",), "title")
        attribution = (self.translations(data.get("attribution"), ("attribution",), "attribution")
                       if data.get("attribution") is not None else {})
        items = data.get("prompts")
        if not isinstance(items, list) or not items:
            self.problem(("prompts",), "prompts must be a list with at least one prompt"
                         + ("" if items is None else f", not {describe(items)}"))
            items = []
        prompts: list[Prompt] = []
        first_line: dict[str, int] = {}
        for index, item in enumerate(items):
            prompt = self.prompt(item, index)
            if isinstance(item, dict) and isinstance(item.get("id"), str):
                prompt_id, line = item["id"], line_of(self.lines, ("prompts", index, "id"))
                if prompt_id in first_line:
                    self.problem(("prompts", index, "id"), f"duplicate prompt id '{prompt_id}' (first used on "
                                 f"line {first_line[prompt_id]}); give each prompt its own id")
                    continue
                first_line[prompt_id] = line
            if prompt is not None:
                prompts.append(prompt)
        prompts = self.order(data.get("order"), prompts, list(first_line))
        return PromptSet(title, list(self.languages), prompts, path, attribution)


def validate(path: Path | str, name: str | None = None) -> tuple[PromptSet | None, list[Problem]]:
    """The set as far as it could be read, and every problem (the set is usable when there are none)."""
    name = name or str(path)
    try:
        data, lines = yamlsource.load(path, name)
    except ProblemsError as exc:
        return None, exc.problems
    checker = _Checker(name, lines)
    prompt_set = checker.prompt_set(data, Path(path))
    checker.problems += yamlsource.control_characters(data, lines, name)
    problems = sorted(checker.problems, key=lambda p: p.line)  # file order, as an editor shows it
    return prompt_set, problems


def check_file(path: Path | str, name: str | None = None) -> list[Problem]:
    """Every problem in a question set (empty when it is valid). `name`: how to name the file."""
    return validate(path, name)[1]


def load_prompt_set(path: Path | str, name: str | None = None) -> PromptSet:
    """Load and validate a question set. Raises a KioskError (ProblemsError) listing every problem."""
    prompt_set, problems = validate(path, name)
    if problems or prompt_set is None:
        raise ProblemsError(problems, f"{FIX}; `kiosk prompts check FILE` lists the problems again")
    return prompt_set

