"""Sessions and responses on disk, with SQLite as an index that can always be rebuilt.

Files first: one folder per response (`sessions/<slug>/responses/<id>/`), holding
response.json, strokes.json, drawing.png and drawing.svg. A response folder is written whole under a
temporary name and renamed into place, so a crash leaves either nothing or a complete
response. Two kiosks' data folders merge by copying folders. The SQLite index (WAL) is
derived from the files: `reindex` rebuilds it, and it is rebuilt by itself when missing
or damaged, and brought up to date with folders copied in by hand when the store opens.
"""

from __future__ import annotations

import dataclasses
import fcntl
import hashlib
import json
import os
import re
import sqlite3
import unicodedata
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from datetime import date as Date
from pathlib import Path
from typing import Any

from kiosk import atomic, ids
from kiosk.errors import KioskError, Problem
from kiosk.strokes import Drawing, StrokesFormatError, from_json, render_svg, to_json

CONSENTS = ("public", "print")
KINDS = ("draw", "choice", "text")
INDEX_NAME = "index.sqlite"
STATE_NAME = "kiosk.json"
RESPONSE_JSON = "response.json"
STROKES_JSON = "strokes.json"
DRAWING_PNG = "drawing.png"
DRAWING_SVG = "drawing.svg"
SCHEMA_VERSION = 1


def now_iso() -> str:
    """Now, to the second, with the local UTC offset (ISO 8601)."""
    return datetime.now(UTC).astimezone().isoformat(timespec="seconds")


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def slugify(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:48].strip("-") or "session"


@dataclass
class Session:
    slug: str
    title: str
    place: str = ""
    date: str = ""  # YYYY-MM-DD
    note: str = ""
    started: str = ""  # ISO 8601
    ended: str | None = None
    kiosk_id: str = ""

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Session:
        return cls(**{f.name: data[f.name] for f in dataclasses.fields(cls) if f.name in data})


@dataclass
class Response:
    id: str
    session: str
    prompt_id: str
    kind: str  # draw | choice | text
    language: str
    consent: str  # public | print
    prompt_text: dict[str, str] = field(default_factory=dict)  # the question in every language, as asked
    options: list[str] = field(default_factory=list)  # chosen option ids
    option_text: dict[str, list[str]] = field(default_factory=dict)  # chosen options' text per language
    text: str = ""  # what the visitor typed
    consent_version: str = ""
    created: str = ""  # ISO 8601 with offset
    duration_s: float = 0.0  # time spent answering
    hidden: bool = False  # moderation
    kiosk_id: str = ""
    files: dict[str, str] = field(default_factory=dict)  # file name -> SHA-256

    @property
    def has_drawing(self) -> bool:
        return STROKES_JSON in self.files

    def question(self, language: str | None = None) -> str:
        lang = language or self.language
        return self.prompt_text.get(lang) or next(iter(self.prompt_text.values()), "")

    def answer_text(self, language: str | None = None) -> str:
        """The chosen options or the typed text, as one line of text."""
        if self.kind == "choice":
            lang = language or self.language
            chosen = self.option_text.get(lang) or next(iter(self.option_text.values()), [])
            return ", ".join(chosen)
        return self.text

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Response:
        missing = [n for n in ("id", "session", "prompt_id", "kind", "language", "consent") if n not in data]
        if missing:
            raise ValueError(f"missing {', '.join(missing)}")
        return cls(**{f.name: data[f.name] for f in dataclasses.fields(cls) if f.name in data})


_SCHEMA = f"""
CREATE TABLE IF NOT EXISTS sessions (slug TEXT PRIMARY KEY, started TEXT, json TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS responses (
  id TEXT PRIMARY KEY, session TEXT NOT NULL, prompt_id TEXT, kind TEXT, language TEXT,
  consent TEXT, hidden INTEGER, created TEXT, json TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS responses_session ON responses (session, id);
PRAGMA user_version = {SCHEMA_VERSION};
"""


class Store:
    """A data folder: its sessions, responses and index. Open one per process."""

    def __init__(self, root: Path | str, kiosk_id: str = "", *, sync: bool = True) -> None:
        self.root = Path(root).expanduser().resolve()
        self.sessions_dir = self.root / "sessions"
        try:
            self.sessions_dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise atomic.disk_error(self.root, exc) from exc
        self._kiosk_id = kiosk_id
        self.index_path = self.root / INDEX_NAME
        self.read_only = False
        self._pool: ThreadPoolExecutor | None = None
        self.db = self._open_index()
        if sync:
            self.sync()

    # --- the index ---------------------------------------------------------------------

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.index_path, timeout=30, isolation_level=None, check_same_thread=False)
        db.execute("PRAGMA busy_timeout = 30000")
        db.execute("PRAGMA journal_mode = WAL")
        db.execute("PRAGMA synchronous = NORMAL")
        return db

    def _open_index(self) -> sqlite3.Connection:
        if not os.access(self.root, os.W_OK):
            # A read-only folder (an archive on a locked USB stick): read it through an index
            # in memory; any write fails later with a message naming the folder.
            self.read_only = True
            db = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
            db.executescript(_SCHEMA)
            self._fill(db)
            return db
        try:
            db = self._connect()
            ok = db.execute("PRAGMA quick_check").fetchone()[0] == "ok"
            version = db.execute("PRAGMA user_version").fetchone()[0]
            if ok and version in (0, SCHEMA_VERSION):
                db.executescript(_SCHEMA)
                if version == SCHEMA_VERSION:
                    return db
                # A new index: fill it from the files.
                self._fill(db)
                return db
            db.close()
        except sqlite3.DatabaseError:
            pass
        except OSError as exc:
            raise atomic.disk_error(self.root, exc) from exc
        # Damaged or from another version: the files are the truth, so rebuild from them.
        self._remove_index_files()
        db = self._connect()
        db.executescript(_SCHEMA)
        self._fill(db)
        return db

    def _remove_index_files(self) -> None:
        for suffix in ("", "-wal", "-shm"):
            try:
                os.unlink(f"{self.index_path}{suffix}")
            except FileNotFoundError:
                pass

    def _fill(self, db: sqlite3.Connection) -> int:
        count = 0
        db.execute("BEGIN IMMEDIATE")
        try:
            db.execute("DELETE FROM sessions")
            db.execute("DELETE FROM responses")
            for session in self._read_sessions():
                self._index_session(db, session)
            for resp in self._read_responses():
                self._index_response(db, resp)
                count += 1
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        return count

    @staticmethod
    def _index_session(db: sqlite3.Connection, s: Session) -> None:
        db.execute(
            "INSERT OR REPLACE INTO sessions (slug, started, json) VALUES (?, ?, ?)",
            (s.slug, s.started, json.dumps(s.to_dict(), ensure_ascii=False, sort_keys=True)),
        )

    @staticmethod
    def _index_response(db: sqlite3.Connection, r: Response) -> None:
        db.execute(
            "INSERT OR REPLACE INTO responses (id, session, prompt_id, kind, language, consent, hidden, created, json)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (r.id, r.session, r.prompt_id, r.kind, r.language, r.consent, int(r.hidden), r.created,
             json.dumps(r.to_dict(), ensure_ascii=False, sort_keys=True)),
        )

    def reindex(self) -> int:
        """Rebuild the index from the files alone; returns the number of responses indexed."""
        return self._fill(self.db)

    def sync(self) -> None:
        """Bring the index up to date with folders added or removed by hand (rsync, a copy)."""
        on_disk = {rdir.name: rdir for rdir in self._response_dirs()}
        indexed = {row[0] for row in self.db.execute("SELECT id FROM responses")}
        added = [on_disk[i] for i in on_disk.keys() - indexed]
        gone = indexed - on_disk.keys()
        sessions_on_disk = {p.parent.name for p in self.sessions_dir.glob("*/session.json")}
        sessions_indexed = {row[0] for row in self.db.execute("SELECT slug FROM sessions")}
        if not added and not gone and sessions_on_disk == sessions_indexed:
            return
        self.db.execute("BEGIN IMMEDIATE")
        try:
            for rid in gone:
                self.db.execute("DELETE FROM responses WHERE id = ?", (rid,))
            for rdir in added:
                resp = self._read_response(rdir)
                if resp is not None:
                    self._index_response(self.db, resp)
            for slug in sessions_indexed - sessions_on_disk:
                self.db.execute("DELETE FROM sessions WHERE slug = ?", (slug,))
            for slug in sessions_on_disk - sessions_indexed:
                s = self._read_session(self.sessions_dir / slug)
                if s is not None:
                    self._index_session(self.db, s)
            self.db.execute("COMMIT")
        except BaseException:
            self.db.execute("ROLLBACK")
            raise

    def _fsync_pool(self) -> ThreadPoolExecutor:
        if self._pool is None:
            self._pool = ThreadPoolExecutor(max_workers=4, thread_name_prefix="fsync")
        return self._pool

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown()
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- reading the files ---------------------------------------------------------------

    def _response_dirs(self) -> Iterator[Path]:
        """Every complete response folder; temporary ones (an interrupted save) are skipped."""
        for sdir in _scandir_dirs(self.sessions_dir):
            for rdir in _scandir_dirs(sdir / "responses"):
                if not rdir.name.startswith("."):
                    yield rdir

    @staticmethod
    def _read_response(rdir: Path) -> Response | None:
        try:
            return Response.from_dict(json.loads((rdir / RESPONSE_JSON).read_bytes()))
        except (OSError, ValueError, TypeError):
            return None  # reported by check(); a broken folder never takes the rest down

    def _read_responses(self) -> Iterator[Response]:
        for rdir in self._response_dirs():
            resp = self._read_response(rdir)
            if resp is not None:
                yield resp

    @staticmethod
    def _read_session(sdir: Path) -> Session | None:
        try:
            return Session.from_dict(json.loads((sdir / "session.json").read_bytes()))
        except (OSError, ValueError, TypeError):
            return None

    def _read_sessions(self) -> Iterator[Session]:
        for sdir in _scandir_dirs(self.sessions_dir):
            s = self._read_session(sdir)
            if s is not None:
                yield s

    # --- state: kiosk id and current session -------------------------------------------

    @property
    def state_path(self) -> Path:
        return self.root / STATE_NAME

    def _state(self) -> dict[str, Any]:
        try:
            return json.loads(self.state_path.read_bytes())
        except (OSError, ValueError):
            return {}

    @contextmanager
    def _locked_state(self) -> Iterator[dict[str, Any]]:
        """kiosk.json to change, under an exclusive lock: the app and a command (`kiosk session
        start` while the kiosk runs) each read-modify-write it, and neither may lose the other's
        change. The lock is a file of its own, since the atomic write replaces kiosk.json."""
        try:
            lock = open(self.root / f"{STATE_NAME}.lock", "a")
        except OSError as exc:
            raise atomic.disk_error(self.root, exc) from exc
        with lock:
            fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
            state = self._state()
            yield state
            atomic.write_json(self.state_path, state)

    def _set_state(self, **values: Any) -> None:
        with self._locked_state() as state:
            state.update(values)

    @property
    def kiosk_id(self) -> str:
        """The settings' kiosk id, or one made up once for this data folder and kept."""
        if self._kiosk_id:
            return self._kiosk_id
        kid = self._state().get("kiosk_id")
        if not (isinstance(kid, str) and ids.KIOSK_ID_RE.match(kid)):
            with self._locked_state() as state:  # another process may have made one meanwhile
                kid = state.get("kiosk_id")
                if not (isinstance(kid, str) and ids.KIOSK_ID_RE.match(kid)):
                    kid = state["kiosk_id"] = ids.new_kiosk_id()
        self._kiosk_id = kid
        return kid

    # --- sessions ------------------------------------------------------------------------

    def sessions(self) -> list[Session]:
        """All sessions, newest first."""
        rows = self.db.execute("SELECT json FROM sessions ORDER BY started DESC, slug DESC")
        return [Session.from_dict(json.loads(r[0])) for r in rows]

    def session(self, slug: str) -> Session:
        row = self.db.execute("SELECT json FROM sessions WHERE slug = ?", (slug,)).fetchone()
        if row is None:
            known = ", ".join(s.slug for s in self.sessions()[:10]) or "none yet"
            raise KioskError(
                f"No session {slug!r} in {self.root}.",
                f"use one of: {known} (`kiosk session list` shows them all)",
            )
        return Session.from_dict(json.loads(row[0]))

    def current_session(self) -> Session | None:
        slug = self._state().get("current_session")
        if not slug:
            return None
        try:
            s = self.session(slug)
        except KioskError:
            return None
        return None if s.ended else s

    def create_session(self, title: str, place: str = "", date: str = "", note: str = "",
                       started: str = "", ended: str | None = None) -> Session:
        """Write a new session record (not made current): a unique slug from the date and title."""
        title = title.strip()
        if not title:
            raise KioskError("A session needs a title.", 'give one, for example: kiosk session start "Opening night"')
        date = date or Date.today().isoformat()
        try:
            Date.fromisoformat(date)
        except ValueError:
            raise KioskError(f"{date!r} is not a date.", "write it as YYYY-MM-DD, for example 2026-11-22") from None
        base = f"{date}-{slugify(title)}"
        slug, n = base, 2
        while (self.sessions_dir / slug).exists():
            slug, n = f"{base}-{n}", n + 1
        session = Session(slug, title, place.strip(), date, note.strip(), started or now_iso(), ended, self.kiosk_id)
        self._write_session(session)
        return session

    def start_session(self, title: str, place: str = "", date: str = "", note: str = "") -> Session:
        """Start a session (ending the running one, if any) and make it current."""
        if not title.strip():
            self.create_session(title)  # raises the message
        if self.current_session() is not None:
            self.end_session()
        session = self.create_session(title, place, date, note)
        self._set_state(current_session=session.slug)
        return session

    def ensure_session(self, title: str) -> Session:
        """The running session, or a new one with this title (the app always has one)."""
        return self.current_session() or self.start_session(title)

    def end_session(self) -> Session:
        session = self.current_session()
        if session is None:
            raise KioskError("No session is running.", 'start one with: kiosk session start "TITLE"')
        session.ended = now_iso()
        self._write_session(session)
        self._set_state(current_session=None)
        return session

    def update_session(self, session: Session) -> None:
        self.session(session.slug)  # must exist
        self._write_session(session)

    def _write_session(self, session: Session) -> None:
        sdir = self.sessions_dir / session.slug
        try:
            (sdir / "responses").mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise atomic.disk_error(sdir, exc) from exc
        atomic.write_json(sdir / "session.json", session.to_dict())
        self._index_session(self.db, session)

    # --- responses -------------------------------------------------------------------------

    def new_id(self) -> str:
        return ids.new_response_id(self.kiosk_id)

    def response_dir(self, resp: Response | str) -> Path:
        if isinstance(resp, str):
            resp = self.response(resp)
        return self.sessions_dir / resp.session / "responses" / resp.id

    def save_response(self, resp: Response, drawing: Drawing | None = None, png: bytes | None = None,
                      svg: bytes | None = None) -> Response:
        """Write a response folder whole, then index it. Returns the response with its file hashes.

        `png` and `svg` are the drawing's renditions when the caller made them already (the app
        does, off its UI thread); the SVG is rendered here otherwise, so every drawing has one.

        The folder is built under a temporary name and renamed into place: after a crash there
        is either the complete response or nothing (and a leftover that `check` points out).
        """
        if resp.consent not in CONSENTS:
            raise ValueError(f"consent must be one of {CONSENTS}, not {resp.consent!r}")
        if not ids.is_response_id(resp.id):
            raise ValueError(f"not a response id: {resp.id!r}")
        self.session(resp.session)
        resp = dataclasses.replace(resp, files={}, created=resp.created or now_iso(),
                                   kiosk_id=resp.kiosk_id or self.kiosk_id)
        payload: dict[str, bytes] = {}
        if drawing is not None:
            payload[STROKES_JSON] = to_json(drawing).encode("utf-8")
            # Rendered once, when saved, rather than by every export.
            payload[DRAWING_SVG] = svg if svg is not None else render_svg(drawing).encode("utf-8")
            if png is not None:
                payload[DRAWING_PNG] = png
        resp.files = {name: sha256_bytes(data) for name, data in payload.items()}
        payload[RESPONSE_JSON] = atomic.json_bytes(resp.to_dict())

        atomic.write_folder(self.sessions_dir / resp.session / "responses" / resp.id, payload, self._fsync_pool())
        self._index_response(self.db, resp)
        return resp

    def add_session(self, session: Session) -> bool:
        """Keep a session record made elsewhere (an import) as it is; False if the slug is taken."""
        if (self.sessions_dir / session.slug / "session.json").exists():
            return False
        self._write_session(session)
        return True

    def add_response_files(self, resp: Response, files: dict[str, Path]) -> Response:
        """Keep a response made elsewhere (an import) as it was: its files, checked against resp.files.

        Written like save_response (whole folder, then rename), so the folder is byte for byte
        the one the other kiosk wrote.
        """
        if resp.consent not in CONSENTS or not ids.is_response_id(resp.id):
            raise ValueError(f"not a valid response record: {resp.id!r}")
        self.session(resp.session)
        if set(files) != set(resp.files):
            raise ValueError(f"{resp.id}: files {sorted(files)} differ from those recorded {sorted(resp.files)}")
        payload: dict[str, bytes] = {}
        for name, path in files.items():
            payload[name] = Path(path).read_bytes()
            if sha256_bytes(payload[name]) != resp.files[name]:
                raise KioskError(f"{path}: its SHA-256 differs from the one recorded for response {resp.id}.",
                                 "take the file from an intact copy (the other kiosk's data folder or bag)")
        payload[RESPONSE_JSON] = atomic.json_bytes(resp.to_dict())
        atomic.write_folder(self.sessions_dir / resp.session / "responses" / resp.id, payload, self._fsync_pool())
        self._index_response(self.db, resp)
        return resp

    def responses(self, session: str | None = None, *, include_hidden: bool = True,
                  consent: str | None = None) -> list[Response]:
        """Responses in the order they were made (ids sort by time)."""
        return list(self.iter_responses(session, include_hidden=include_hidden, consent=consent))

    def iter_responses(self, session: str | None = None, *, include_hidden: bool = True,
                       consent: str | None = None) -> Iterator[Response]:
        """As responses(), one at a time: an export of 10,000 never holds them all."""
        sql, args = "SELECT json FROM responses WHERE 1=1", []
        if session is not None:
            sql += " AND session = ?"
            args.append(session)
        if not include_hidden:
            sql += " AND hidden = 0"
        if consent is not None:
            sql += " AND consent = ?"
            args.append(consent)
        for row in self.db.execute(sql + " ORDER BY id", args):
            yield Response.from_dict(json.loads(row[0]))

    def response(self, rid: str) -> Response:
        row = self.db.execute("SELECT json FROM responses WHERE id = ?", (rid.strip().lower(),)).fetchone()
        if row is None:
            raise KioskError(f"No response {rid!r} in {self.root}.", "`kiosk responses list` shows the ids")
        return Response.from_dict(json.loads(row[0]))

    def response_number(self, resp: Response) -> int:
        """Its number in its session, counting from 1 in the order responses were made."""
        row = self.db.execute(
            "SELECT COUNT(*) FROM responses WHERE session = ? AND id <= ?", (resp.session, resp.id)
        ).fetchone()
        return int(row[0])

    def load_drawing(self, resp: Response) -> Drawing | None:
        """The response's drawing, or None if it has none. Raises StrokesFormatError if damaged."""
        if not resp.has_drawing:
            return None
        path = self.response_dir(resp) / STROKES_JSON
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise StrokesFormatError(f"{path}: cannot be read ({exc.strerror})") from exc
        if sha256_bytes(data) != resp.files[STROKES_JSON]:
            raise StrokesFormatError(f"{path}: its checksum differs from the one recorded (damaged)")
        return from_json(data)

    def set_hidden(self, rid: str, hidden: bool) -> Response:
        resp = self.response(rid)
        resp.hidden = hidden
        atomic.write_json(self.response_dir(resp) / RESPONSE_JSON, resp.to_dict())
        self._index_response(self.db, resp)
        return resp

    # --- integrity -----------------------------------------------------------------------

    def check(self) -> list[Problem]:
        """Verify every response folder against its recorded hashes. Changes nothing."""
        problems: list[Problem] = []
        seen: set[str] = set()
        for sdir in _scandir_dirs(self.sessions_dir):
            if not (sdir / "session.json").exists():
                problems.append(Problem(sdir / "session.json", 0, "missing: the session's own record"))
            elif self._read_session(sdir) is None:
                problems.append(Problem(sdir / "session.json", 0, "damaged: not a valid session record"))
            for rdir in _scandir_dirs(sdir / "responses"):
                if rdir.name.startswith("."):
                    problems.append(Problem(rdir, 0, "leftover of an interrupted save (nothing saved was lost); "
                                                  "safe to delete while no kiosk is running", serious=False))
                    continue
                seen.add(rdir.name)
                problems.extend(_check_response_dir(rdir))
        indexed = {row[0] for row in self.db.execute("SELECT id FROM responses")}
        for rid in sorted(indexed - seen):
            problems.append(Problem(self.root / INDEX_NAME, 0, f"lists {rid}, whose folder is gone; run `kiosk reindex`"))
        return problems


def _check_response_dir(rdir: Path) -> list[Problem]:
    path = rdir / RESPONSE_JSON
    try:
        resp = Response.from_dict(json.loads(path.read_bytes()))
    except FileNotFoundError:
        return [Problem(path, 0, "missing: the response's own record")]
    except (OSError, ValueError, TypeError) as exc:
        return [Problem(path, 0, f"damaged: {exc}")]
    problems = []
    if resp.id != rdir.name:
        problems.append(Problem(path, 0, f"names response {resp.id!r} but lies in folder {rdir.name!r}"))
    if resp.session != rdir.parent.parent.name:
        problems.append(Problem(path, 0, f"names session {resp.session!r} but lies in {rdir.parent.parent.name!r}"))
    for name, digest in resp.files.items():
        fpath = rdir / name
        try:
            actual = sha256_file(fpath)
        except FileNotFoundError:
            problems.append(Problem(fpath, 0, "missing"))
            continue
        except OSError as exc:
            problems.append(Problem(fpath, 0, f"cannot be read: {exc.strerror}"))
            continue
        if actual != digest:
            problems.append(Problem(fpath, 0, "corrupt: its SHA-256 differs from the one recorded"))
    return problems


def _scandir_dirs(folder: Path) -> Iterator[Path]:
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except (FileNotFoundError, NotADirectoryError):
        return
    for entry in entries:
        if entry.is_dir(follow_symlinks=False):
            yield Path(entry.path)
