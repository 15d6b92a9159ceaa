"""The one validator for the records the kiosk keeps: sessions, responses and their drawings.

Every record is checked here wherever it enters: the app's save (Store.save_response), `kiosk
import`, `kiosk reindex`, and every folder found in sessions/ (copied, synced, restored). A
record that fails is quarantined by the store (left out of the index, so of every list, build
and export) and named by `kiosk check` with what is wrong and the fix. Plain code rather than a
schema library: the records are small, the messages name the file and the field in words a
facilitator can act on, and the strokes' hot loop stays in kiosk/strokes.py, where every
reader of a drawing (zine, archive, export) meets the same limits.
No pygame, no store: this module only looks at data.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import re
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from kiosk import ids, reading
from kiosk.errors import KioskError
from kiosk.strokes import MAX_STROKES_BYTES, Drawing, StrokesFormatError, from_json, surely_readable

CONSENTS = ("public", "print")
KINDS = ("draw", "choice", "text")
RESPONSE_JSON = "response.json"
SESSION_JSON = "session.json"
STROKES_JSON = "strokes.json"
DRAWING_PNG = "drawing.png"
DRAWING_SVG = "drawing.svg"

MAX_RECORD_BYTES = 1024 * 1024  # a response.json or session.json: some kB in practice
# The largest file each name may be (bytes): checked by size before anything is read.
MAX_FILE_BYTES = {STROKES_JSON: MAX_STROKES_BYTES, DRAWING_PNG: 64 * 1024 * 1024, DRAWING_SVG: 64 * 1024 * 1024}
MAX_TEXT = 10_000  # what a visitor typed (settings text_max_length is at most 10,000)
MAX_LINE = 2_000  # a title, a question, an option, a place
MAX_OPTIONS = 100
MAX_DURATION_S = 7 * 24 * 3600.0

_LANGUAGE_RE = re.compile(r"[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*")  # as kiosk/prompts.py LANGUAGE_PATTERN
_PROMPT_ID_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,99}")
_SHA256_RE = re.compile(r"[0-9a-f]{64}")
# Control characters break the site's SVG and pages (invalid XML); tab and newline are fine in text.
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_LINE_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f]")

FIX_RESPONSE = ("correct the field in that response.json (docs/formats.md says what each holds), or move the "
                "folder out of sessions/; then run `kiosk check`")
FIX_SESSION = ("correct the field in that session.json (docs/formats.md), or move the session folder out of "
               "sessions/; then run `kiosk check`")
FIX_STROKES = ("restore the response folder from a backup or an export, or move it out of sessions/; "
               "then run `kiosk check`")


@dataclass(frozen=True)
class Issue:
    """One thing wrong with a record: the field, what is wrong with it, and the fix."""

    field: str
    what: str
    fix: str

    def __str__(self) -> str:
        return f"{self.field}: {self.what}" if self.field else self.what


class RecordError(KioskError, ValueError):
    """A record that failed validation: raised where a record must not be written (the store's
    commit, an import). `where` names the record (a file or an id)."""

    def __init__(self, where: str, issues: list[Issue]) -> None:
        self.where = where
        self.issues = issues
        super().__init__(f"{where}: " + "; ".join(str(i) for i in issues), issues[0].fix if issues else "")


# --- reading a record file ---------------------------------------------------------------


def read_json(path: Path, limit: int = MAX_RECORD_BYTES, fix: str = FIX_RESPONSE) -> tuple[Any, list[Issue]]:
    """A record file's JSON, refused by size before it is read, and by nesting depth."""
    try:
        fd, size = reading.open_regular(path)  # a pipe or a device in its place is refused, not waited on
        with open(fd, "rb") as f:
            if size > limit:
                return None, [Issue("", f"{size} bytes, more than the {limit} a record may take", fix)]
            raw = f.read(limit + 1)
    except FileNotFoundError:
        return None, [Issue("", "missing", fix)]
    except reading.NotAFileError as exc:  # a pipe, a device, a folder or a link: says which
        return None, [Issue("", exc.strerror or reading.NOT_A_FILE, fix)]
    except OSError as exc:
        return None, [Issue("", f"cannot be read ({exc.strerror or exc})", "check the disk and the file's permissions")]
    return parse_json(raw, fix)


def parse_json(raw: bytes, fix: str = FIX_RESPONSE) -> tuple[Any, list[Issue]]:
    try:
        return json.loads(raw), []
    except RecursionError:
        return None, [Issue("", "nested too deep to be a record", fix)]
    except (ValueError, UnicodeDecodeError) as exc:
        return None, [Issue("", f"not valid JSON ({exc})", fix)]


# --- the fields ----------------------------------------------------------------------------


class _Checker:
    def __init__(self, data: dict[str, Any], fix: str) -> None:
        self.data = data
        self.fix = fix
        self.issues: list[Issue] = []

    def bad(self, name: str, what: str) -> None:
        self.issues.append(Issue(name, what, self.fix))

    def string(self, name: str, *, required: bool = False, max_len: int = MAX_LINE, multiline: bool = False,
               pattern: re.Pattern[str] | None = None, hint: str = "") -> None:
        if name not in self.data:
            if required:
                self.bad(name, "missing")
            return
        value = self.data[name]
        if not isinstance(value, str):
            self.bad(name, f"must be text, not {_type_name(value)}")
        elif required and not value:
            self.bad(name, "is empty")
        elif len(value) > max_len:
            self.bad(name, f"{len(value)} characters, at most {max_len}")
        elif (_CONTROL_RE if multiline else _LINE_CONTROL_RE).search(value):
            self.bad(name, "holds a control character")
        elif pattern is not None and value and not pattern.fullmatch(value):
            self.bad(name, f"{_show(value)} is not {hint}")

    def choice(self, name: str, allowed: tuple[str, ...]) -> None:
        if name not in self.data:
            self.bad(name, "missing")
        elif self.data[name] not in allowed or not isinstance(self.data[name], str):
            self.bad(name, f"{_show(self.data[name])} is not one of {', '.join(allowed)}")

    def timestamp(self, name: str, *, nullable: bool = False, required: bool = False) -> None:
        value = self.data.get(name)
        if name not in self.data:
            if required:
                self.bad(name, "missing")
            return
        if value is None and nullable:
            return
        if not isinstance(value, str):
            self.bad(name, f"must be an ISO 8601 date and time as text, not {_type_name(value)}")
            return
        if value == "" and not required:
            return
        try:
            datetime.fromisoformat(value)
        except ValueError:
            self.bad(name, f"{_show(value)} is not an ISO 8601 date and time (2026-11-22T18:30:00+01:00)")

    def text_map(self, name: str, *, lists: bool = False) -> None:
        value = self.data.get(name, {})
        if not isinstance(value, dict):
            self.bad(name, f"must be an object of language: text, not {_type_name(value)}")
            return
        for lang, text in value.items():
            if not _LANGUAGE_RE.fullmatch(lang):
                self.bad(name, f"{_show(lang)} is not a language code")
            elif lists:
                if not (isinstance(text, list) and len(text) <= MAX_OPTIONS and all(_line(x) for x in text)):
                    self.bad(f"{name}.{lang}", "must be a list of short texts")
            elif not _line(text):
                self.bad(f"{name}.{lang}", f"must be one line of text (at most {MAX_LINE} characters),"
                                           f" not {_type_name(text)}")


def _line(value: Any) -> bool:
    return isinstance(value, str) and len(value) <= MAX_LINE and not _CONTROL_RE.search(value)


def _type_name(value: Any) -> str:
    return {dict: "an object", list: "a list", str: "text", bool: "true/false", type(None): "null",
            int: "a number", float: "a number"}.get(type(value), type(value).__name__)


def _show(value: Any) -> str:
    try:
        text = json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError):
        text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


# --- sessions ------------------------------------------------------------------------------


def session_issues(data: Any, folder: str | None = None) -> list[Issue]:
    """What is wrong with a session record (empty if nothing). `folder`: the name of the folder
    it lies in, which must be its slug."""
    if not isinstance(data, dict):
        return [Issue("", f"must be a JSON object, not {_type_name(data)}", FIX_SESSION)]
    c = _Checker(data, FIX_SESSION)
    slug = data.get("slug")
    if not ids.is_slug(slug):
        c.bad("slug", f"{_show(slug)} is not a slug (lowercase letters, digits and inner dashes,"
                      " at most 100 characters)")
    elif folder is not None and slug != folder:
        c.bad("slug", f"{_show(slug)} differs from its folder's name {_show(folder)}")
    c.string("title", required=True)
    c.string("place")
    c.string("note", max_len=MAX_TEXT, multiline=True)
    c.string("kiosk_id", pattern=ids.KIOSK_ID_RE, hint="a kiosk id (1 to 12 lowercase letters or digits)")
    if "date" in data:
        value = data["date"]
        if not isinstance(value, str):
            c.bad("date", f"must be a date as text (YYYY-MM-DD), not {_type_name(value)}")
        elif value:
            try:
                date.fromisoformat(value)
            except ValueError:
                c.bad("date", f"{_show(value)} is not a date (YYYY-MM-DD)")
    c.timestamp("started")
    c.timestamp("ended", nullable=True)
    return c.issues


# --- responses -------------------------------------------------------------------------------


def response_issues(data: Any, folder: tuple[str, str] | None = None) -> list[Issue]:
    """What is wrong with a response record (empty if nothing). `folder`: (session folder name,
    response folder name) where it lies, which must be its session and its id."""
    if not isinstance(data, dict):
        return [Issue("", f"must be a JSON object, not {_type_name(data)}", FIX_RESPONSE)]
    c = _Checker(data, FIX_RESPONSE)
    rid, slug = data.get("id"), data.get("session")
    if not ids.is_response_id(rid):
        c.bad("id", f"{_show(rid)} is not a response id ({{ulid}}-{{kiosk id}}, lowercase)")
    elif folder is not None and rid != folder[1]:
        c.bad("id", f"{_show(rid)} differs from its folder's name {_show(folder[1])}")
    if not ids.is_slug(slug):
        c.bad("session", f"{_show(slug)} is not a session slug (lowercase letters, digits and inner dashes)")
    elif folder is not None and slug != folder[0]:
        c.bad("session", f"{_show(slug)} differs from the session folder it lies in, {_show(folder[0])}")
    c.string("prompt_id", required=True, pattern=_PROMPT_ID_RE, hint="a question id (letters, digits, - _ .)")
    c.choice("kind", KINDS)
    c.string("language", required=True, pattern=_LANGUAGE_RE, hint="a language code such as en or fr")
    c.choice("consent", CONSENTS)
    if "hidden" in data and not isinstance(data["hidden"], bool):
        c.bad("hidden", f"must be true or false, not {_show(data['hidden'])}")
    c.text_map("prompt_text")
    c.text_map("option_text", lists=True)
    options = data.get("options", [])
    if not (isinstance(options, list) and len(options) <= MAX_OPTIONS
            and all(isinstance(o, str) and _PROMPT_ID_RE.fullmatch(o) for o in options)):
        c.bad("options", "must be a list of option ids")
    c.string("text", max_len=MAX_TEXT, multiline=True)
    c.string("consent_version", max_len=100)
    c.timestamp("created", required=True)
    duration = data.get("duration_s", 0.0)
    if type(duration) not in (int, float) or not (math.isfinite(duration) and 0 <= duration <= MAX_DURATION_S):
        c.bad("duration_s", f"must be a number of seconds from 0 to {MAX_DURATION_S:g}, not {_show(duration)}")
    c.string("kiosk_id", pattern=ids.KIOSK_ID_RE, hint="a kiosk id (1 to 12 lowercase letters or digits)")
    files = data.get("files", {})
    if not isinstance(files, dict):
        c.bad("files", f"must be an object of file name: SHA-256, not {_type_name(files)}")
    else:
        for name, digest in files.items():
            if name not in MAX_FILE_BYTES:
                c.bad("files", f"{_show(name)} is not one of {', '.join(MAX_FILE_BYTES)}")
            elif not (isinstance(digest, str) and _SHA256_RE.fullmatch(digest)):
                c.bad(f"files.{name}", f"{_show(digest)} is not a SHA-256 (64 lowercase hex digits)")
        if DRAWING_PNG in files and STROKES_JSON not in files:
            c.bad("files", f"lists {DRAWING_PNG} without its {STROKES_JSON}")
    return c.issues


def drawing_issues(drawing: Drawing, raw: bytes) -> list[Issue]:
    """What is wrong with a drawing about to be saved as `raw` (its to_json): checked on the
    objects when that is sure to be enough, else by reading `raw` back as every build will."""
    if len(raw) <= MAX_STROKES_BYTES and surely_readable(drawing):
        return []
    return strokes_issues(raw)


def strokes_issues(raw: bytes) -> list[Issue]:
    """What is wrong with a strokes.json's content (its size was checked before it was read)."""
    try:
        from_json(raw)
    except StrokesFormatError as exc:
        return [Issue(STROKES_JSON, str(exc), FIX_STROKES)]
    return []


def file_size_issues(folder: Path, files: dict[str, str]) -> list[Issue]:
    """Each recorded file's size against its limit, before any of them is read."""
    issues = []
    for name in files:
        limit = MAX_FILE_BYTES.get(name)
        if limit is None:
            continue
        try:
            size = os.stat(folder / name).st_size
        except FileNotFoundError:
            continue  # `kiosk check` names it; readers go without the drawing
        except OSError as exc:
            issues.append(Issue(name, f"cannot be read ({exc.strerror})", FIX_STROKES))
            continue
        if size > limit:
            issues.append(Issue(name, f"{size} bytes, more than the {limit} it may take", FIX_STROKES))
    return issues


RECORD, SIZES, DEEP = 0, 1, 2  # how far check_response_folder goes


def check_response_folder(rdir: Path, level: int = DEEP) -> tuple[dict[str, Any] | None, list[Issue]]:
    """A response folder as it lies in sessions/<slug>/responses/<id>: its record, or the issues.

    RECORD checks the record alone (its files were checked before and it has not changed
    since: its size and mtime are those the index remembers); SIZES also each recorded file's
    size; DEEP also reads strokes.json and, when it is the file recorded (its SHA-256), checks
    its content as every build would meet it."""
    data, issues = read_json(rdir / RESPONSE_JSON)
    if issues:
        return None, [Issue(RESPONSE_JSON, i.what, i.fix) for i in issues]
    issues = response_issues(data, (rdir.parent.parent.name, rdir.name))
    if issues:
        return None, issues
    files = data.get("files", {})
    if level == RECORD:
        return data, []
    issues = file_size_issues(rdir, files)
    if issues or level == SIZES or STROKES_JSON not in files:
        return (None, issues) if issues else (data, [])
    try:
        raw = reading.read_bytes(rdir / STROKES_JSON)
    except OSError:
        return data, []  # missing or unreadable: `kiosk check` names it; readers go without the drawing
    if hashlib.sha256(raw).hexdigest() != files[STROKES_JSON]:
        return data, []  # damaged: `kiosk check` names it, and no reader uses it (they check the hash first)
    issues = strokes_issues(raw)
    return (None, issues) if issues else (data, [])


def check_session_folder(sdir: Path) -> tuple[dict[str, Any] | None, list[Issue]]:
    data, issues = read_json(sdir / SESSION_JSON, fix=FIX_SESSION)
    if issues:
        return None, [Issue(SESSION_JSON, i.what, i.fix) for i in issues]
    issues = session_issues(data, sdir.name)
    return (None, issues) if issues else (data, [])
