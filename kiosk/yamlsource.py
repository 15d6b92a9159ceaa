"""YAML files read by people: keep the line of every key so that each problem can name it.

Shared by the question sets (kiosk/prompts.py) and the settings (kiosk/config.py):

    data, lines = load(path)
    lines[("prompts", 3, "text", "fr")]  # -> 1-based line of that key
    line_of(lines, ("prompts", 3, "kind"))  # -> that line, or the nearest parent's if it is missing

A YAML syntax error becomes a KioskError that names the file, line and column. Files people
hand over are not trusted: anything but a regular file, a file over 1 MB, nesting deeper than
32 levels, and aliases that loop or multiply into more than 100,000 values or 2,000,000
characters are refused before
anything is built from them, with the file and line (see docs/prompts.md).
"""

from __future__ import annotations

import difflib
import os
import re
import stat
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml

from kiosk.errors import KioskError, Problem

__all__ = ["KeyPath", "Lines", "Problem", "ProblemsError", "describe", "line_of", "load", "suggest"]

KeyPath = tuple[Any, ...]

MAX_BYTES = 1_000_000  # a question set or settings file is a few kilobytes
MAX_DEPTH = 32  # the formats nest 5 levels at most
MAX_VALUES = 100_000  # values once every alias is expanded: a billion-laughs file stops here
# Characters of text once every alias is expanded: a long text repeated by aliases is few values
# but gigabytes for every later walk (the control-character check, the screen, the records).
MAX_CHARS = 2 * MAX_BYTES

# Text that a screen, a page or an SVG cannot show: C0 controls but the line break, DEL, C1
# controls, lone surrogates, noncharacters. PyYAML lets them in through escapes ("\0", "\x07").
CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff]")


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


class _Refused(Exception):
    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line, self.message = line, message


class _GuardedLoader(yaml.SafeLoader):
    """SafeLoader that stops at MAX_DEPTH levels, before Python's recursion limit does."""

    depth = 0
    aliases = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            self.aliases += 1
        self.depth += 1
        try:
            if self.depth > MAX_DEPTH:
                mark = self.peek_event().start_mark
                raise _Refused(mark.line + 1, f"nested more than {MAX_DEPTH} levels deep; a question set or "
                                              "settings file needs 5 at most: check the indentation and brackets")
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


def _check_graph(root: yaml.Node, aliases: int) -> None:
    """Refuse aliases that loop, or that expand to more than MAX_VALUES values or MAX_DEPTH levels.

    Aliases make the node tree a graph: walk it once (iteratively), counting each node's
    expanded size and depth from its children's, as construction and every later walk would.
    """
    done: dict[int, tuple[int, int, int]] = {}  # node -> (values, depth, characters) once expanded
    open_: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, finished = stack.pop()
        key = id(node)
        children: list[yaml.Node] = []
        if isinstance(node, yaml.SequenceNode):
            children = list(node.value)
        elif isinstance(node, yaml.MappingNode):
            children = [part for pair in node.value for part in pair]
        if finished:
            size = 1 + sum(done[id(c)][0] for c in children)
            depth = 1 + max((done[id(c)][1] for c in children), default=0)
            chars = len(node.value) if isinstance(node, yaml.ScalarNode) else sum(done[id(c)][2] for c in children)
            open_.discard(key)
            done[key] = (size, depth, chars)
            line = node.start_mark.line + 1
            if size > MAX_VALUES and not aliases:
                raise _Refused(line, f"holds more than {MAX_VALUES:,} values; a question set or settings file "
                                     "holds a few hundred: check that this is the right file")
            if size > MAX_VALUES:
                raise _Refused(line, f"its aliases (*name) expand to more than {MAX_VALUES:,} values (a "
                                     "\"billion laughs\" file); write the values out, or use fewer aliases")
            if chars > MAX_CHARS:
                raise _Refused(line, f"its aliases (*name) repeat a text into more than {MAX_CHARS:,} characters; "
                                     "write the values out, or use fewer aliases")
            if depth > MAX_DEPTH:
                raise _Refused(line, f"its aliases (*name) nest more than {MAX_DEPTH} levels deep; "
                                     "write the values out instead")
            continue
        if key in done:
            continue
        stack.append((node, True))
        open_.add(key)
        for child in children:
            if id(child) in open_:
                raise _Refused(node.start_mark.line + 1, "an alias (*name) refers to the list or mapping it is "
                                                         "part of, a loop that never ends; remove that alias")
            if id(child) not in done:
                stack.append((child, False))


def _read_text(path: Path, name: str) -> str:
    """The file's text, refusing anything but a regular UTF-8 file of at most MAX_BYTES."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise ProblemsError([Problem(name, 0, "file does not exist; check its name and folder")],
                            "check the file name and folder")
    except OSError as exc:
        raise ProblemsError([Problem(name, 0, f"cannot be read: {exc.strerror or exc}")],
                            "check the file's permissions")
    if stat.S_ISDIR(info.st_mode):
        raise ProblemsError([Problem(name, 0, "is a folder, not a file")], "give the path of a .yaml file")
    if not stat.S_ISREG(info.st_mode):  # /dev/zero, a pipe, a socket: may never end
        raise ProblemsError([Problem(name, 0, "is not a regular file (a device, a pipe or a socket)")],
                            "give the path of a .yaml file saved by a text editor")
    try:
        # Opened without blocking and checked again once open: a file swapped for a pipe after
        # the check above must not hang the kiosk's start.
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
        with open(fd, "rb") as f:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                raise ProblemsError([Problem(name, 0, "is not a regular file (a device, a pipe or a socket)")],
                                    "give the path of a .yaml file saved by a text editor")
            data = f.read(MAX_BYTES + 1)
    except OSError as exc:
        raise ProblemsError([Problem(name, 0, f"cannot be read: {exc.strerror or exc}")],
                            "check the file's permissions")
    if len(data) > MAX_BYTES:
        size = max(info.st_size, len(data)) / 1_000_000
        raise ProblemsError([Problem(name, 0, f"is larger than {MAX_BYTES // 1_000_000} MB ({size:.1f} MB): a "
                                              "question set or settings file is a few kilobytes, and reading a "
                                              "file this large could use up the kiosk's memory")],
                            "check that this is the right file; split a very long question set into several files")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1  # where an editor shows it
        raise ProblemsError([Problem(name, line, f"is not UTF-8 text (byte {exc.start}, a Latin-1 or Windows "
                                                 "accent perhaps)")],
                            "save the file as UTF-8 in your text editor")


def load(path: Path | str, name: str | None = None) -> tuple[Any, Lines]:
    """Read a YAML file: (data, lines). `name` is how problems name the file (default: the path).

    Raises ProblemsError (a KioskError) for a missing, unreadable, oversized or non-regular
    file, for YAML syntax, and for nesting or aliases beyond the limits above.
    """
    path = Path(path)
    name = name or str(path)
    text = _read_text(path, name)
    lines = Lines()
    loader = _GuardedLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:  # an empty file, or only comments
            return None, lines
        _check_graph(node, loader.aliases)
        lines[()] = node.start_mark.line + 1
        _record(loader, node, (), lines)
        return loader.construct_document(node), lines
    except yaml.YAMLError as exc:
        raise _syntax_problem(path, name, exc) from None
    except _Refused as refused:
        raise ProblemsError([Problem(name, refused.line, refused.message)],
                            f"correct the YAML around line {refused.line} of {name}") from None
    finally:
        loader.dispose()


def control_characters(data: Any, lines: dict, name: str) -> list[Problem]:
    """A problem for each text (or key) holding a control character, at its line.

    The screen, the zine and the archive's SVG cannot show them (an SVG with one is not even
    valid XML): refused here, so that nothing fails later, in front of visitors.
    """
    problems: list[Problem] = []
    stack: list[tuple[KeyPath, Any]] = [((), data)]
    while stack:
        path, value = stack.pop()
        if isinstance(value, dict):
            for key, item in value.items():
                if isinstance(key, str) and CONTROL.search(key):
                    problems.append(Problem(name, line_of(lines, path + (key,)),
                                            f"the key {_show_controls(key)} holds {_control_name(key)}; remove it"))
                stack.append((path + (key,), item))
        elif isinstance(value, list):
            stack.extend((path + (index,), item) for index, item in enumerate(value))
        elif isinstance(value, str) and CONTROL.search(value):
            where = ".".join(str(part) for part in path) or "the text"
            problems.append(Problem(name, line_of(lines, path),
                                    f"{where}: {_show_controls(value)} holds {_control_name(value)}, which no "
                                    "screen or page can show; remove it (a line break is the only control "
                                    "character allowed)"))
    return sorted(problems, key=lambda p: p.line)


def _control_name(text: str) -> str:
    found = CONTROL.search(text)
    code = ord(found.group()) if found else 0
    names = {0: "a NUL character", 9: "a tab", 13: "a carriage return", 27: "an escape character"}
    return names.get(code, "a control character") + f" (U+{code:04X})"


def _show_controls(text: str, limit: int = 40) -> str:
    shown = CONTROL.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
    return "'" + (shown if len(shown) <= limit else shown[:limit] + "…") + "'"


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
