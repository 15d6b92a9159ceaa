"""Hyphenation points for English and French words, from pyphen's dictionaries (the LibreOffice
hyphenation patterns), by Liang's algorithm as pyphen applies it.

Why not `pyphen.Pyphen`: importing pyphen scans its hundred dictionaries and reading the English
patterns takes it about a quarter of a second, more than a small zine's whole layout. Here only
the one file needed is read, with a leaner parser, once per process; the points are the same
(tests/test_zine_text.py compares them with pyphen's).
"""

from __future__ import annotations

import importlib.util
import marshal
import os
import re
from functools import lru_cache
from pathlib import Path

FILES = {"en": "hyph_en_US.dic", "fr": "hyph_fr.dic"}
LEFT = RIGHT = 3  # letters kept together at each end of a word
_IGNORED = ("%", "#", "LEFTHYPHENMIN", "RIGHTHYPHENMIN", "COMPOUNDLEFTHYPHENMIN", "COMPOUNDRIGHTHYPHENMIN")
_HEX = re.compile(r"\^{2}([0-9a-f]{2})")
_DIGIT = re.compile(r"\d")


def dictionary(lang: str) -> Path:
    spec = importlib.util.find_spec("pyphen")
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("pyphen is not installed (pip install pyphen)")
    return Path(list(spec.submodule_search_locations)[0]) / "dictionaries" / FILES[lang]


def _cache_file(lang: str, path: Path) -> Path:
    """Where the parsed patterns are kept between runs: the user's cache folder, named for the file's
    size and date, so that a new pyphen is parsed afresh."""
    st = path.stat()
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "kiosk" / f"hyph-{lang}-{st.st_size}-{int(st.st_mtime)}.marshal"


@lru_cache(maxsize=4)
def patterns(lang: str) -> tuple[dict[str, tuple[int, tuple[int, ...]]], int]:
    """The language's patterns: letters -> (offset, values), and the longest pattern's length.

    Parsed once and kept in the user's cache folder (a few milliseconds to read back instead of
    a tenth of a second to parse); without a writable cache folder, parsed every time."""
    path = dictionary(lang)
    cache = _cache_file(lang, path)
    try:
        table, longest = marshal.loads(cache.read_bytes())
        return table, longest
    except (OSError, EOFError, ValueError, TypeError):
        pass
    table, longest = _parse(path)
    try:
        cache.parent.mkdir(parents=True, exist_ok=True)
        tmp = cache.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_bytes(marshal.dumps((table, longest)))
        os.replace(tmp, cache)
    except OSError:
        pass  # no cache: only slower
    return table, longest


def _parse(path: Path) -> tuple[dict[str, tuple[int, tuple[int, ...]]], int]:
    raw = path.read_bytes()
    encoding = raw.split(b"\n", 1)[0].decode().strip() or "utf-8"
    table: dict[str, tuple[int, tuple[int, ...]]] = {}
    for line in raw.decode("cp1251" if encoding.lower() == "microsoft-cp1251" else encoding).split("\n")[1:]:
        p = line.strip()
        if not p or p.startswith(_IGNORED) or "/" in p:  # nonstandard (Germanic) breaks: none in en, fr
            continue
        if "^^" in p:
            p = _HEX.sub(lambda m: chr(int(m.group(1), 16)), p)
        digits = [(m.start(), m.group()) for m in _DIGIT.finditer(p)]
        if not digits or all(d == "0" for _, d in digits):
            continue
        letters = _DIGIT.sub("", p)
        values = [0] * (len(letters) + 1)
        for n, (at, d) in enumerate(digits):
            values[at - n] = int(d)  # a digit stands before the letter at its index, less the digits before it
        start, end = 0, len(values)
        while not values[start]:
            start += 1
        while not values[end - 1]:
            end -= 1
        table[letters] = (start, tuple(values[start:end]))
    return table, max(map(len, table))


def positions(word: str, lang: str) -> list[int]:
    """Where `word` may be hyphenated (indices into it), at least LEFT/RIGHT letters from its ends."""
    table, longest = patterns(lang)
    pointed = f".{word.lower()}."
    refs = [0] * (len(pointed) + 1)
    for i in range(len(pointed) - 1):
        for j in range(i + 1, min(i + longest, len(pointed)) + 1):
            found = table.get(pointed[i:j])
            if found:
                offset, values = found
                for k, v in enumerate(values, i + offset):
                    if v > refs[k]:
                        refs[k] = v
    return [i - 1 for i, r in enumerate(refs) if r % 2 and LEFT <= i - 1 <= len(word) - RIGHT]


def splits(word: str, lang: str) -> list[tuple[str, str]]:
    """The ways to cut `word` at a hyphenation point, the longest first part first."""
    return [(word[:p], word[p:]) for p in reversed(positions(word, lang))]
