"""YAML files read by people: keep the line of every key so that each problem can name it.

Shared by the question sets (kiosk/prompts.py) and the settings (kiosk/config.py):

    data, lines = load(path)
    lines[("prompts", 3, "text", "fr")]  # -> 1-based line of that key
    line_of(lines, ("prompts", 3, "kind"))  # -> that line, or the nearest parent's if it is missing

A YAML syntax error becomes a KioskError that names the file, line and column.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml

from kiosk.errors import KioskError, Problem

__all__ = ["KeyPath", "Lines", "Problem", "ProblemsError", "describe", "line_of", "load", "suggest"]

KeyPath = tuple[Any, ...]


class ProblemsError(KioskError):
    """A KioskError carrying every problem found, so a screen can list them one by one."""

    def __init__(self, problems: list[Problem], fix: str) -> None:
        self.problems = list(problems)
        if len(self.problems) == 1:
            text = str(self.problems[0])
        else:
            files = sorted({str(p.path) for p in self.problems})
            text = f"{len(self.problems)} problems in {', '.join(files)}:\n" + "\n".join(
                f"  {p}" for p in self.problems)
        super().__init__(text, fix)


class Lines(dict):
    """Key path -> 1-based line. `duplicates` lists keys written twice in one mapping."""

    def __init__(self) -> None:
        super().__init__()
        self.duplicates: list[tuple[KeyPath, int, int]] = []  # (path, first line, repeated line)


# Hints for the YAML errors people actually make; matched against PyYAML's wording.
_SYNTAX_HINTS = [
    ("'\\t'", "indent with spaces, not tabs"),
    ("mapping values are not allowed", "a text containing ': ' must be in quotes, e.g. en: \"Note: ...\""),
    ("found character '`'", "put the text in quotes"),
    ("found character '@'", "put the text in quotes"),
    ("expected <block end>", "check the indentation: items of one list or mapping start in the same column"),
    ("could not find expected ':'", "check for a missing ':' after a key, or an unclosed quote"),
    ("while scanning a quoted scalar", "close the quote; to put a quote inside, use the other kind of quote or ’"),
    ("but got '?'", "inside { } or [ ] a text containing ? must be in quotes, e.g. {en: \"Why?\"}"),
    ("expected a single document", "remove the '---' line: one file holds one document"),
]


def _syntax_problem(path: Path, name: str, exc: yaml.YAMLError) -> ProblemsError:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    if "end of stream" in str(getattr(exc, "problem", "")) and getattr(exc, "context_mark", None):
        mark = getattr(exc, "context_mark")  # an unclosed quote or bracket: point at where it opened
    line, column = (mark.line + 1, mark.column + 1) if mark is not None else (0, 0)
    what = getattr(exc, "problem", None) or str(exc)
    context = getattr(exc, "context", None)
    message = f"YAML syntax error at column {column}: {what}" if column else f"YAML syntax error: {what}"
    if context:
        message += f" ({context}"
        ctx = getattr(exc, "context_mark", None)
        message += f" started on line {ctx.line + 1})" if ctx is not None and ctx.line + 1 != line else ")"
    hint = next((hint for needle, hint in _SYNTAX_HINTS if needle in str(exc)), None)
    if hint:  # in the message too, since `prompts check` prints problems without the fix
        message += f"; {hint}"
    return ProblemsError([Problem(name, line, message)], hint or f"correct the YAML around line {line} of {name}")


def _record(loader: yaml.SafeLoader, node: yaml.Node, path: KeyPath, lines: Lines) -> None:
    """Walk the node tree, noting where each key and list item starts."""
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            try:
                key = loader.construct_object(key_node, deep=True)
                hash(key)
            except Exception:  # an unhashable key: construct_document reports it with its line
                continue
            here = path + (key,)
            line = key_node.start_mark.line + 1
            if here in lines:
                lines.duplicates.append((here, lines[here], line))
            else:
                lines[here] = line
            _record(loader, value_node, here, lines)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            lines[path + (index,)] = item.start_mark.line + 1
            _record(loader, item, path + (index,), lines)


def load(path: Path | str, name: str | None = None) -> tuple[Any, Lines]:
    """Read a YAML file: (data, lines). `name` is how problems name the file (default: the path).

    Raises ProblemsError (a KioskError) for a missing or unreadable file and for YAML syntax.
    """
    path = Path(path)
    name = name or str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ProblemsError([Problem(name, 0, "file does not exist; check its name and folder")],
                            "check the file name and folder")
    except IsADirectoryError:
        raise ProblemsError([Problem(name, 0, "is a folder, not a file")], "give the path of a .yaml file")
    except UnicodeDecodeError as exc:
        raise ProblemsError([Problem(name, 0, f"is not UTF-8 text (byte {exc.start})")],
                            "save the file as UTF-8 in your text editor")
    except OSError as exc:
        raise ProblemsError([Problem(name, 0, f"cannot be read: {exc.strerror or exc}")],
                            "check the file's permissions")
    lines = Lines()
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:  # an empty file, or only comments
            return None, lines
        lines[()] = node.start_mark.line + 1
        _record(loader, node, (), lines)
        return loader.construct_document(node), lines
    except yaml.YAMLError as exc:
        raise _syntax_problem(path, name, exc) from None
    finally:
        loader.dispose()


def line_of(lines: dict, path: KeyPath) -> int:
    """The line of `path`, else of its nearest parent that is in the file (1 at worst)."""
    path = tuple(path)
    while path:
        if path in lines:
            return lines[path]
        path = path[:-1]
    return lines.get((), 1)


def suggest(word: Any, known: Iterable[str]) -> str | None:
    """The known word nearest to `word` (a likely typo), or None."""
    matches = difflib.get_close_matches(str(word), list(known), n=1, cutoff=0.6)
    return matches[0] if matches else None


def unknown_message(what: str, word: Any, known: Iterable[str]) -> str:
    """"unknown key 'txt', did you mean 'text'?" or, with no near match, the list of known ones."""
    known = sorted(known)
    near = suggest(word, known)
    if near:
        return f"unknown {what} '{word}', did you mean '{near}'?"
    return f"unknown {what} '{word}' (known: {', '.join(known)})"


def describe(value: Any) -> str:
    """How a wrong value reads in a message: YAML's own words, not Python's."""
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"{'yes' if value else 'no'} (a true/false value; put it in quotes if you meant text)"
    if isinstance(value, dict):
        return "a mapping (key: value lines)"
    if isinstance(value, list):
        return "a list"
    return repr(value) if isinstance(value, str) else str(value)
