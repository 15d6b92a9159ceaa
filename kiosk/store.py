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
import shutil
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

from kiosk import atomic, ids, reading, records
from kiosk.errors import KioskError, Problem
from kiosk.strokes import Drawing, StrokesFormatError, from_json, render_svg, to_json

CONSENTS = records.CONSENTS
KINDS = records.KINDS
INDEX_NAME = "index.sqlite"
STATE_NAME = "kiosk.json"
RESPONSE_JSON = "response.json"
STROKES_JSON = "strokes.json"
DRAWING_PNG = "drawing.png"
DRAWING_SVG = "drawing.svg"
SCHEMA_VERSION = 2  # 2: path and sig columns, the quarantine table
BUSY_TIMEOUT_S = 30.0  # how long to wait for another process (the app, a command) holding the index


def now_iso() -> str:
    """Now, to the second, with the local UTC offset (ISO 8601)."""
    return datetime.now(UTC).astimezone().isoformat(timespec="seconds")


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: Path) -> str:
    return reading.sha256_file(path)  # a regular file only: a pipe in a response folder must not hang `check`


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
        names = _RESPONSE_FIELDS if cls is Response else frozenset(f.name for f in dataclasses.fields(cls))
        return cls(**{k: v for k, v in data.items() if k in names})


_RESPONSE_FIELDS = frozenset(f.name for f in dataclasses.fields(Response))  # once: an archive reads 10,000

_SCHEMA = f"""
CREATE TABLE IF NOT EXISTS sessions (slug TEXT PRIMARY KEY, started TEXT, json TEXT NOT NULL, path TEXT, sig TEXT);
CREATE TABLE IF NOT EXISTS responses (
  id TEXT PRIMARY KEY, session TEXT NOT NULL, prompt_id TEXT, kind TEXT, language TEXT,
  consent TEXT, hidden INTEGER, created TEXT, json TEXT NOT NULL, path TEXT, sig TEXT);
CREATE INDEX IF NOT EXISTS responses_session ON responses (session, id);
CREATE INDEX IF NOT EXISTS responses_path ON responses (path);
-- Records that failed validation: left out of the tables above (so of every list, build and
-- export), named by `kiosk check` and `kiosk responses list --problems`.
CREATE TABLE IF NOT EXISTS quarantine (path TEXT PRIMARY KEY, kind TEXT, sig TEXT, problem TEXT, fix TEXT);
PRAGMA user_version = {SCHEMA_VERSION};
"""

LOW_SPACE_BYTES = 1 << 20  # below this, an index's "disk I/O error" is taken for a full disk
LOW_SPACE_FILES = 8  # and below this many free file entries (inodes): no -shm or -wal can be made
# What SQLite says when it cannot make or grow a file for want of space, besides "full": opening a
# WAL index must make its -shm file ("disk I/O error"; "unable to open database file" without inodes).
_NO_ROOM_TEXTS = ("disk I/O error", "unable to open database file")
DISK_FULL = "disk-full"  # KioskError.code of an index write refused for want of space
INDEX_FIX = ("free some space on that disk (nothing was lost: the response folders are the truth), "
             "then run the command again")


def _busy(exc: sqlite3.Error) -> bool:
    """SQLite's "database is locked" or "busy": another connection holds the index."""
    return "locked" in str(exc) or "busy" in str(exc)


IMPORT_TMP_PREFIX = ".tmp-import-"  # <data>/.tmp-import-PID/: an import at work (its unpacked ZIP)
IMPORT_SOURCE = "importing.txt"  # in it while the import merges: the bag's path


def _sig(path: Path | str) -> str:
    """What the index remembers of a record file to notice a change cheaply: size and mtime in ns.

    A response's record is enough: a drawing that changes validly changes the SHA-256 recorded
    in response.json, and one that changes alone no longer matches it, which every reader and
    `kiosk check` refuse."""
    try:
        st = os.stat(path)
    except OSError:
        return "-"
    return f"{st.st_size}.{st.st_mtime_ns}"


def _response_sig(rdir: Path) -> str:
    return _sig(rdir / RESPONSE_JSON)


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
        # What the user should hear about (an index moved aside, records quarantined just now).
        self.notices: list[str] = []
        try:
            self.db = self._open_index()
            if sync:
                self.sync()
        except KioskError as exc:
            if exc.code != DISK_FULL or self.read_only:
                raise
            # The index cannot take what the files hold (filling a new one, or the changes a sync
            # found): read through one in memory, as when it cannot even be opened.
            if hasattr(self, "db"):  # opened, then the sync failed
                self.db.close()
            self.db = self._memory_index(full_disk=True)

    # --- the index ---------------------------------------------------------------------

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.index_path, timeout=BUSY_TIMEOUT_S, isolation_level=None, check_same_thread=False)
        db.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
        db.execute("PRAGMA journal_mode = WAL")
        db.execute("PRAGMA synchronous = NORMAL")
        return db

    def _index_error(self, exc: sqlite3.Error) -> KioskError:
        text = str(exc)
        if self._no_room(exc):
            return KioskError(f"Cannot write the index {self.index_path}: the disk is full.", INDEX_FIX, DISK_FULL)
        if "readonly" in text or "read-only" in text:
            return KioskError(f"Cannot write the index {self.index_path}: it or its disk is read-only.",
                              "remount the disk read-write, or point --data at another folder")
        if _busy(exc):
            return KioskError(f"The index {self.index_path} stayed locked by another program for "
                              f"{BUSY_TIMEOUT_S:g} s (nothing was changed).",
                              "wait until the other kiosk command or the kiosk app has finished, then try "
                              "again; if none is running, run `kiosk reindex`")
        return KioskError(f"The index {self.index_path} cannot be used ({text}).",
                          "run `kiosk reindex`: it rebuilds the index from the response folders")

    @contextmanager
    def _transaction(self, db: sqlite3.Connection) -> Iterator[None]:
        try:
            db.execute("BEGIN IMMEDIATE")
            yield
            db.execute("COMMIT")
        except BaseException as exc:
            if db.in_transaction:  # SQLite may have rolled back by itself (a full disk)
                try:
                    db.execute("ROLLBACK")
                except sqlite3.Error:
                    pass
            if isinstance(exc, sqlite3.OperationalError):
                raise self._index_error(exc) from exc
            raise

    def _move_aside_odd_index(self) -> None:
        """An index.sqlite that is not a file (a folder, a device) is renamed, never deleted."""
        if not os.path.lexists(self.index_path) or (self.index_path.is_file() and not self.index_path.is_symlink()):
            return
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        aside = self.index_path.with_name(f"{INDEX_NAME}.not-a-file-{stamp}")
        try:
            os.rename(self.index_path, aside)
        except OSError as exc:
            raise KioskError(f"{self.index_path} is not a file and cannot be moved aside ({exc.strerror}).",
                             f"move or delete {self.index_path} by hand; the index is rebuilt by itself") from exc
        self.notices.append(f"{self.index_path} was not a file: moved aside to {aside.name}, "
                            "and the index was rebuilt from the response folders (nothing was lost).")

    def _open_index(self) -> sqlite3.Connection:
        if not os.access(self.root, os.W_OK):
            return self._memory_index()  # a read-only folder: an archive on a locked USB stick
        self._move_aside_odd_index()
        try:
            db = self._connect()
            ok = db.execute("PRAGMA quick_check").fetchone()[0] == "ok"
            version = db.execute("PRAGMA user_version").fetchone()[0]
            if ok and version == SCHEMA_VERSION:
                return db
            if ok and version == 0:  # a new index: fill it from the files
                db.executescript(_SCHEMA)
                return self._filled(db)
            db.close()
        except sqlite3.OperationalError as exc:
            if self._no_room(exc):  # not damaged: never delete an index for want of space
                return self._memory_index(full_disk=True)
            if "readonly" in str(exc) or _busy(exc):
                # Locked is not damaged: another process holds the index, and deleting it from
                # under that process would be the harm. Say so and leave it alone.
                raise self._index_error(exc) from exc
        except sqlite3.DatabaseError:
            pass
        except OSError as exc:
            raise atomic.disk_error(self.root, exc) from exc
        # Damaged or from another version: the files are the truth, so rebuild from them.
        self._remove_index_files()
        try:
            db = self._connect()
            db.executescript(_SCHEMA)
        except sqlite3.OperationalError as exc:
            if self._no_room(exc):
                return self._memory_index(full_disk=True)
            raise self._index_error(exc) from exc
        return self._filled(db)

    def _filled(self, db: sqlite3.Connection) -> sqlite3.Connection:
        """`db` filled from the files; closed if that fails (a full disk: Store reads through memory)."""
        try:
            self._update(db, full=True)
        except BaseException:
            db.close()
            raise
        return db

    def _no_room(self, exc: sqlite3.Error) -> bool:
        """Whether SQLite failed for want of space. Opening a WAL index on a full disk (it must make
        its -shm file) says "disk I/O error" or "unable to open database file", not "full", so the
        free space decides: bytes, and file entries (a disk of many small files runs out of those)."""
        text = str(exc)
        if "full" in text:
            return True
        return any(t in text for t in _NO_ROOM_TEXTS) and _low_space(self.root)

    def _memory_index(self, full_disk: bool = False) -> sqlite3.Connection:
        """An index in memory, built from the files, for a folder that cannot take the real one's
        writes (read-only, or its disk full): it can still be listed, checked, made into a zine and
        exported, which is how people free a full kiosk. Any write fails later with a message
        naming the folder; the app's saver opens the store afresh after it, and every few seconds,
        to take the real index back once the folder can hold it."""
        self.read_only = True
        if full_disk:
            self.notices.append(f"the disk of {self.root} is full: read without its index (nothing can be "
                                "saved there until some space is freed; nothing was lost)")
        db = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
        db.executescript(_SCHEMA)
        self._update(db, full=True)
        return db

    def _remove_index_files(self) -> None:
        for suffix in ("", "-wal", "-shm"):
            try:
                os.unlink(f"{self.index_path}{suffix}")
            except FileNotFoundError:
                pass
            except OSError as exc:
                raise atomic.disk_error(self.root, exc) from exc

    def _scan(self) -> tuple[dict[str, tuple[Path, str]], dict[str, tuple[Path, str]]]:
        """Every session and response folder on disk: {path from the data folder: (folder, sig)}."""
        sessions: dict[str, tuple[Path, str]] = {}
        responses: dict[str, tuple[Path, str]] = {}
        # Plain strings rather than Paths: this runs at every command, over every response.
        for sname in _dir_names(str(self.sessions_dir)):
            sdir = f"{self.sessions_dir}/{sname}"
            sessions[f"sessions/{sname}"] = (Path(sdir), _sig(f"{sdir}/session.json"))
            for rname in _dir_names(f"{sdir}/responses"):  # .tmp- leftovers of an interrupted save are skipped
                rdir = f"{sdir}/responses/{rname}"
                responses[f"sessions/{sname}/responses/{rname}"] = (Path(rdir), _sig(f"{rdir}/{RESPONSE_JSON}"))
        return sessions, responses

    def _update(self, db: sqlite3.Connection, *, full: bool) -> int:
        """Bring the index up to date with the files: records whose files changed (size or mtime),
        appeared or went are read again and validated; the rest is left alone. `full` reads every
        record again (reindex), but reads a drawing again only if its files changed since it was
        last found valid. Returns the number of responses indexed."""
        disk_s, disk_r = self._scan()
        idx_s = dict(db.execute("SELECT path, sig FROM sessions"))
        idx_r = dict(db.execute("SELECT path, sig FROM responses"))
        quarantined = {p: (k, s) for p, k, s in db.execute("SELECT path, kind, sig FROM quarantine")}
        trusted = dict(idx_r)  # drawings already checked, by path and sig
        # An index made from nothing (deleted, damaged, from an older version) checks every record
        # and each file's size, but not every drawing's content: at some ms a drawing that would
        # make a first open of 10,000 answers take a minute. Every reader of a drawing (zine,
        # archive, export) checks it as it reads it and leaves out one that fails, naming it, and
        # `kiosk check` checks them all; new and changed folders are checked whole as they appear.
        fresh = full and not idx_r and not quarantined
        if full:
            idx_s, idx_r, quarantined = {}, {}, {}
        known_s = idx_s | {p: s for p, (k, s) in quarantined.items() if k == "session"}
        known_r = idx_r | {p: s for p, (k, s) in quarantined.items() if k == "response"}
        s_todo = [p for p, (_, sig) in disk_s.items() if known_s.get(p) != sig]
        s_gone = [p for p in known_s if p not in disk_s]
        redo = {p.split("/")[1] for p in s_todo + s_gone}
        r_todo = [p for p, (_, sig) in disk_r.items() if known_r.get(p) != sig or p.split("/")[1] in redo]
        r_gone = [p for p in known_r if p not in disk_r]
        if not (full or s_todo or s_gone or r_todo or r_gone):
            return -1
        # What moderation and consent said of each answer before: a copy of a folder brought over
        # it (a merge by copying, a sync from another kiosk) may not undo a hide or a print-only.
        private = {rid: (consent, bool(hidden)) for rid, consent, hidden in
                   db.execute("SELECT id, consent, hidden FROM responses WHERE hidden = 1 OR consent != 'public'")}
        with self._transaction(db):
            if full:
                for table in ("sessions", "responses", "quarantine"):
                    db.execute(f"DELETE FROM {table}")
            for path in s_gone + r_gone + s_todo + r_todo:
                self._forget(db, path)
            for path in s_todo:
                sdir, sig = disk_s[path]
                data, issues = records.check_session_folder(sdir)
                if data is None:
                    self._quarantine(db, path, "session", sig, issues)
                else:
                    self._index_session(db, Session.from_dict(data), sig)
            slugs = {row[0] for row in db.execute("SELECT slug FROM sessions")}
            for path in r_todo:
                rdir, sig = disk_r[path]
                level = records.SIZES if fresh else records.RECORD if trusted.get(path) == sig else records.DEEP
                data, issues = records.check_response_folder(rdir, level)
                if data is not None and data["session"] not in slugs:
                    issues = [records.Issue("session", f"its session record sessions/{data['session']}/session.json "
                                            "is missing or quarantined", "fix that session record first "
                                            "(`kiosk check` names it)")]
                elif data is not None:
                    other = db.execute("SELECT path FROM responses WHERE id = ?", (data["id"],)).fetchone()
                    if other is not None:
                        issues = [records.Issue("id", f"the same id as {other[0]}",
                                                "keep one of the two folders (move the other out of sessions/)")]
                if issues or data is None:
                    self._quarantine(db, path, "response", sig, issues)
                    continue
                resp = Response.from_dict(data)
                if resp.id in private:
                    sig = self._keep_private(resp, rdir, sig, *private[resp.id])
                self._index_response(db, resp, sig, path)
        return int(db.execute("SELECT COUNT(*) FROM responses").fetchone()[0])

    def _keep_private(self, resp: Response, rdir: Path, sig: str, consent: str, hidden: bool) -> str:
        """`resp` as it now lies on disk, made as private as the index knew it (hidden, print-only)
        if a copy brought over it said less; its record is written again to say so. Returns its sig.
        The way to show an answer again or publish it is `kiosk unhide` (its visitor's consent)."""
        undone = [what for what, lost in (("hidden", hidden and not resp.hidden),
                                          ("print-only", consent == "print" and resp.consent == "public")) if lost]
        if not undone:
            return sig
        resp.hidden = resp.hidden or hidden
        if consent == "print":
            resp.consent = "print"
        try:
            atomic.write_json(rdir / RESPONSE_JSON, resp.to_dict())
            sig = _response_sig(rdir)
        except KioskError as exc:  # a read-only copy: the index keeps it private all the same
            self.notices.append(f"{rdir}: {exc.problem}")
        self.notices.append(f"{rdir.relative_to(self.root)}: kept {' and '.join(undone)}: the copy brought over it "
                            "said otherwise (a merge by copying folders); `kiosk unhide` shows an answer again")
        return sig

    @staticmethod
    def _forget(db: sqlite3.Connection, path: str) -> None:
        db.execute("DELETE FROM responses WHERE path = ?", (path,))
        db.execute("DELETE FROM sessions WHERE path = ?", (path,))
        db.execute("DELETE FROM quarantine WHERE path = ?", (path,))

    def _quarantine(self, db: sqlite3.Connection, path: str, kind: str, sig: str,
                    issues: list[records.Issue]) -> None:
        what = "; ".join(str(i) for i in issues)
        db.execute("INSERT OR REPLACE INTO quarantine (path, kind, sig, problem, fix) VALUES (?, ?, ?, ?, ?)",
                   (path, kind, sig, what, issues[0].fix))
        self.notices.append(f"{path}: {what}: left out (quarantined); `kiosk check` says how to fix it.")

    @staticmethod
    def _index_session(db: sqlite3.Connection, s: Session, sig: str = "") -> None:
        db.execute(
            "INSERT OR REPLACE INTO sessions (slug, started, json, path, sig) VALUES (?, ?, ?, ?, ?)",
            (s.slug, s.started, json.dumps(s.to_dict(), ensure_ascii=False, sort_keys=True),
             f"sessions/{s.slug}", sig),
        )

    @staticmethod
    def _index_response(db: sqlite3.Connection, r: Response, sig: str = "", path: str = "") -> None:
        db.execute(
            "INSERT OR REPLACE INTO responses (id, session, prompt_id, kind, language, consent, hidden, created, json,"
            " path, sig) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            # vars(), not asdict(): the fields are plain values, and reindex runs this 10,000 times
            (r.id, r.session, r.prompt_id, r.kind, r.language, r.consent, int(r.hidden), r.created,
             json.dumps(vars(r), ensure_ascii=False, sort_keys=True),
             path or f"sessions/{r.session}/responses/{r.id}", sig),
        )

    def _index_written_response(self, r: Response) -> None:
        """Index a response this store just wrote, with its files' sig (no re-check at next open)."""
        rdir = self.sessions_dir / r.session / "responses" / r.id
        try:
            self._index_response(self.db, r, _response_sig(rdir))
        except sqlite3.OperationalError as exc:
            raise self._index_error(exc) from exc

    def reindex(self) -> int:
        """Rebuild the index from the files alone; returns the number of responses indexed."""
        if self.read_only:  # only the index in memory would be rebuilt: saying "reindexed" would be false
            raise KioskError(f"Cannot rebuild the index {self.index_path}: the disk of {self.root} is full or "
                             "read-only (the index there was left as it is; nothing was lost).",
                             "free some space on that disk, or remount it read-write, then run `kiosk reindex` again")
        return self._update(self.db, full=True)

    def sync(self) -> None:
        """Bring the index up to date with folders added, removed or changed by hand (rsync, a copy)."""
        self._update(self.db, full=False)

    def quarantined(self) -> list[Problem]:
        """The records left out because they failed validation, with the reason and the fix."""
        rows = self.db.execute("SELECT path, problem, fix FROM quarantine ORDER BY path")
        return [Problem(self.root / path, 0, what, fix=fix) for path, what, fix in rows]

    def quarantined_response_ids(self) -> set[str]:
        """The ids of the responses left out as not valid (their folder's name)."""
        rows = self.db.execute("SELECT path FROM quarantine WHERE kind = 'response'")
        return {path.rsplit("/", 1)[-1] for (path,) in rows}

    def quarantined_count(self) -> int:
        return int(self.db.execute("SELECT COUNT(*) FROM quarantine").fetchone()[0])

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

    def _import_leftovers(self) -> list[Problem]:
        try:
            entries = [e for e in os.scandir(self.root) if e.name.startswith(IMPORT_TMP_PREFIX) and e.is_dir()]
        except OSError:
            return []
        return [_leftover_problem(e) for e in entries]

    def _response_dirs(self) -> Iterator[Path]:
        """Every complete response folder; temporary ones (an interrupted save) are skipped."""
        for sdir in _scandir_dirs(self.sessions_dir):
            for rdir in _scandir_dirs(sdir / "responses"):
                if not rdir.name.startswith("."):
                    yield rdir


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
        issues = records.session_issues(session.to_dict())
        if issues:
            raise records.RecordError(f"session {session.slug!r}", issues)
        sdir = atomic.inside(self.sessions_dir, session.slug)
        new = not sdir.exists()
        try:
            (sdir / "responses").mkdir(parents=True, exist_ok=True)
            atomic.write_json(sdir / "session.json", session.to_dict())
        except (OSError, KioskError) as exc:
            if new:  # a session folder without its record would be quarantined: leave none
                shutil.rmtree(sdir, ignore_errors=True)
            if isinstance(exc, OSError):
                raise atomic.disk_error(sdir, exc) from exc
            raise
        try:
            self._index_session(self.db, session, _sig(sdir / "session.json"))
        except sqlite3.OperationalError as exc:
            raise self._index_error(exc) from exc

    # --- responses -------------------------------------------------------------------------

    def new_id(self) -> str:
        return ids.new_response_id(self.kiosk_id)

    def response_dir(self, resp: Response | str) -> Path:
        if isinstance(resp, str):
            resp = self.response(resp)
        return atomic.inside(self.sessions_dir, resp.session, "responses", resp.id)

    def response_folder(self, resp: Response) -> str:
        """response_dir as a string, for the archive's thousands (a Path costs more than the lookup)."""
        return atomic.inside_str(self.sessions_dir, resp.session, "responses", resp.id)

    def save_response(self, resp: Response, drawing: Drawing | None = None, png: bytes | None = None,
                      svg: bytes | None = None) -> Response:
        """Write a response folder whole, then index it. Returns the response with its file hashes.

        `png` and `svg` are the drawing's renditions when the caller made them already (the app
        does, off its UI thread); the SVG is rendered here otherwise, so every drawing has one.

        The folder is built under a temporary name and renamed into place: after a crash there
        is either the complete response or nothing (and a leftover that `check` points out).
        """
        issues = records.response_issues(dataclasses.replace(resp, created=resp.created or now_iso()).to_dict())
        if issues:  # the saver treats this like any failed save: it keeps the answer and warns
            raise records.RecordError(f"response {resp.id!r}", issues)
        self.session(resp.session)
        resp = dataclasses.replace(resp, files={}, created=resp.created or now_iso(),
                                   kiosk_id=resp.kiosk_id or self.kiosk_id)
        payload: dict[str, bytes] = {}
        if drawing is not None:
            payload[STROKES_JSON] = to_json(drawing).encode("utf-8")
            # Checked as it will be read back: a drawing no build could read is never kept.
            issues = records.drawing_issues(drawing, payload[STROKES_JSON])
            if issues:
                raise records.RecordError(f"response {resp.id!r}", issues)
            # Rendered once, when saved, rather than by every export.
            payload[DRAWING_SVG] = svg if svg is not None else render_svg(drawing).encode("utf-8")
            if png is not None:
                payload[DRAWING_PNG] = png
        resp.files = {name: sha256_bytes(data) for name, data in payload.items()}
        payload[RESPONSE_JSON] = atomic.json_bytes(resp.to_dict())

        atomic.write_folder(self.response_dir(resp), payload, self._fsync_pool())
        self._index_written_response(resp)
        return resp

    def add_session(self, session: Session) -> bool:
        """Keep a session record made elsewhere (an import) as it is; False if the slug is taken."""
        if (atomic.inside(self.sessions_dir, session.slug) / "session.json").exists():
            return False
        self._write_session(session)
        return True

    def add_response_files(self, resp: Response, files: dict[str, Path]) -> Response:
        """Keep a response made elsewhere (an import) as it was: its files, checked against resp.files.

        Written like save_response (whole folder, then rename), so the folder is byte for byte
        the one the other kiosk wrote.
        """
        issues = records.response_issues(resp.to_dict())
        if issues:
            raise records.RecordError(f"response {resp.id!r}", issues)
        self.session(resp.session)
        if set(files) != set(resp.files):
            raise ValueError(f"{resp.id}: files {sorted(files)} differ from those recorded {sorted(resp.files)}")
        payload: dict[str, bytes] = {}
        for name, path in files.items():
            payload[name] = reading.read_bytes(path)
            if sha256_bytes(payload[name]) != resp.files[name]:
                raise KioskError(f"{path}: its SHA-256 differs from the one recorded for response {resp.id}.",
                                 "take the file from an intact copy (the other kiosk's data folder or bag)")
        if STROKES_JSON in payload:
            issues = records.strokes_issues(payload[STROKES_JSON])
            if issues:
                raise records.RecordError(f"response {resp.id!r}", issues)
        payload[RESPONSE_JSON] = atomic.json_bytes(resp.to_dict())
        atomic.write_folder(self.response_dir(resp), payload, self._fsync_pool())
        self._index_written_response(resp)
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
            q = self.db.execute("SELECT path, problem, fix FROM quarantine WHERE kind = 'response' AND path LIKE ?",
                                (f"%/{rid.strip().lower()}",)).fetchone()
            if q is not None:
                raise KioskError(f"Response {rid!r} is left out (quarantined): {q[0]}: {q[1]}.", q[2])
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
            data = reading.read_bytes(path)
        except OSError as exc:
            raise StrokesFormatError(f"{path}: cannot be read ({exc.strerror})") from exc
        if sha256_bytes(data) != resp.files[STROKES_JSON]:
            raise StrokesFormatError(f"{path}: its checksum differs from the one recorded (damaged)")
        return from_json(data)

    def set_hidden(self, rid: str, hidden: bool) -> Response:
        resp = self.response(rid)
        resp.hidden = hidden
        atomic.write_json(self.response_dir(resp) / RESPONSE_JSON, resp.to_dict())
        self._index_written_response(resp)
        return resp

    def set_private(self, rid: str, *, consent: str | None = None, hidden: bool | None = None) -> Response:
        """Change an answer's consent and hidden flag (an import bringing a more private copy)."""
        resp = self.response(rid)
        if consent is not None:
            resp.consent = consent
        if hidden is not None:
            resp.hidden = hidden
        atomic.write_json(self.response_dir(resp) / RESPONSE_JSON, resp.to_dict())
        self._index_written_response(resp)
        return resp

    # --- integrity -----------------------------------------------------------------------

    def check(self) -> list[Problem]:
        """Validate every record and verify every file against its recorded hash. Changes nothing.

        A record that fails here is the one the index leaves out (quarantined); each problem
        names the file, the field and the fix."""
        problems: list[Problem] = []
        seen: dict[str, Path] = {}
        named: set[str] = set()  # quarantined here: already named, whatever the index still lists
        for sdir in _scandir_dirs(self.sessions_dir):
            if sdir.name.startswith("."):
                continue
            session, issues = records.check_session_folder(sdir)
            problems += [Problem(sdir / "session.json", 0, f"quarantined with its responses: {i}", fix=i.fix)
                         for i in issues]
            for rdir in _scandir_dirs(sdir / "responses"):
                if rdir.name.startswith("."):
                    problems.append(Problem(rdir, 0, "leftover of an interrupted save (nothing saved was lost); "
                                                  "safe to delete while no kiosk is running", serious=False))
                    continue
                found, quarantined = _check_response_dir(rdir)
                problems += found
                if quarantined:  # a damaged drawing file alone leaves the response listed (without it)
                    named.add(rdir.name)
                    continue
                if session is None:
                    problems.append(Problem(rdir / RESPONSE_JSON, 0, "quarantined: its session record is not valid",
                                            fix=f"fix {sdir / 'session.json'} first"))
                    named.add(rdir.name)
                elif rdir.name in seen:
                    problems.append(Problem(rdir, 0, f"quarantined: the same id as {seen[rdir.name]}",
                                            fix="keep one of the two folders (move the other out of sessions/)"))
                else:
                    seen[rdir.name] = rdir
        problems += self._import_leftovers()
        indexed = {row[0] for row in self.db.execute("SELECT id FROM responses")}
        for rid in sorted(indexed - seen.keys() - named):
            problems.append(Problem(self.root / INDEX_NAME, 0, f"lists {rid}, whose folder is gone or quarantined",
                                    fix="run `kiosk reindex`"))
        return problems


def _leftover_problem(entry: os.DirEntry) -> Problem:
    """A folder an import works in: running, or left by one killed (then its answers may be missing)."""
    pid = entry.name[len(IMPORT_TMP_PREFIX):]
    if pid.isdigit() and int(pid) != os.getpid() and atomic.process_running(int(pid)):
        return Problem(Path(entry.path), 0, f"an import is at work (process {pid})", serious=False)
    try:
        source = (Path(entry.path) / IMPORT_SOURCE).read_text(encoding="utf-8").strip()
    except (OSError, ValueError):
        source = ""
    what = (f"an import of {source} stopped before its end (killed, or the power went): some of its answers "
            "may be missing" if source else "an import stopped before its end (killed, or the power went) left this")
    return Problem(Path(entry.path), 0, what, fix="run the same `kiosk import` again: it finishes (answers already "
                   "here are skipped) and removes this folder")


def _check_response_dir(rdir: Path) -> tuple[list[Problem], bool]:
    """The folder's problems, and whether its record is quarantined (left out of the index)."""
    data, issues = records.check_response_folder(rdir, records.DEEP)
    if data is None:
        return [Problem(rdir / (i.field if i.field in records.MAX_FILE_BYTES else RESPONSE_JSON),
                        0, f"quarantined: {i}", fix=i.fix) for i in issues], True
    problems = []
    for name, digest in data.get("files", {}).items():
        fpath = rdir / name
        try:
            actual = sha256_file(fpath)
        except FileNotFoundError:
            problems.append(Problem(fpath, 0, "missing", fix=records.FIX_STROKES))
            continue
        except OSError as exc:
            problems.append(Problem(fpath, 0, f"cannot be read: {exc.strerror}", fix=records.FIX_STROKES))
            continue
        if actual != digest:
            problems.append(Problem(fpath, 0, "corrupt: its SHA-256 differs from the one recorded",
                                    fix=records.FIX_STROKES))
    return problems, False


def _low_space(folder: Path) -> bool:
    """Whether the disk holding `folder` is (nearly) full: few bytes or few file entries left."""
    try:
        st = os.statvfs(folder)
    except OSError:
        return False
    # f_files is 0 where a filesystem has no fixed number of entries (vfat, btrfs): never short of them
    return st.f_bavail * st.f_frsize < LOW_SPACE_BYTES or (st.f_files > 0 and st.f_favail < LOW_SPACE_FILES)


def _dir_names(folder: str) -> list[str]:
    """The names of the folders in `folder`, but those starting with a dot (temporary ones)."""
    try:
        with os.scandir(folder) as it:
            return sorted(e.name for e in it if not e.name.startswith(".") and e.is_dir(follow_symlinks=False))
    except (FileNotFoundError, NotADirectoryError):
        return []


def _scandir_dirs(folder: Path) -> Iterator[Path]:
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except (FileNotFoundError, NotADirectoryError):
        return
    for entry in entries:
        if entry.is_dir(follow_symlinks=False):
            yield Path(entry.path)
