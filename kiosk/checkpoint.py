"""Checkpoints of unfinished answers, so that a crash or a power cut never loses a drawing.

One JSON file per visit in `<data>/unfinished/<key>.json`, written atomically (temporary
file, fsync, rename): after a crash there is the previous checkpoint or the new one, never
half of one. The kiosk writes it at the end of each stroke and every few seconds while a
visitor draws, and deletes it when the answer is saved or discarded.

On start-up, `sort_out` decides what each checkpoint becomes:
- one the visitor had already given consent for (the save had not finished): saved now;
- the newest unfinished one, younger than `restore_window_s`: offered again on the screen
  it was on;
- any other: deleted (that visitor has gone, and the next one must not see it).
No pygame here.
"""

from __future__ import annotations

import json
import os
import re
import time
from dataclasses import asdict, dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from kiosk import atomic
from kiosk.strokes import Drawing, StrokeCache, StrokesFormatError, from_dict, to_json

FOLDER = "unfinished"
FORMAT = "kiosk-checkpoint/1"
KEY_RE = re.compile(r"^[a-z0-9]{8,40}$")


@dataclass
class Checkpoint:
    key: str  # the visit's own key (letters and digits): the file's name
    prompt_id: str
    kind: str  # draw | choice | text
    language: str
    scene: str  # the screen it was on: draw | choice | text | consent
    started: str  # ISO 8601: when the visitor began this answer
    saved_at: float = 0.0  # time.time() when written; set by save()
    duration_s: float = 0.0  # time spent answering so far
    # kiosk-strokes/1; a Drawing until written, so the screen need not wait for the JSON
    drawing: dict[str, Any] | Drawing | None = None
    options: list[str] = field(default_factory=list)
    text: str = ""
    # Set once the visitor chose how to keep it; such a checkpoint is saved, not offered again.
    consent: str | None = None
    response_id: str | None = None
    consent_version: str = ""

    def get_drawing(self) -> Drawing | None:
        if isinstance(self.drawing, Drawing) or self.drawing is None:
            return self.drawing
        return from_dict(self.drawing)

    @property
    def finished(self) -> bool:
        return bool(self.consent and self.response_id)


def folder(data_dir: Path) -> Path:
    return Path(data_dir) / FOLDER


def path_for(data_dir: Path, key: str) -> Path:
    if not KEY_RE.match(key):
        raise ValueError(f"not a checkpoint key: {key!r}")
    return folder(data_dir) / f"{key}.json"


def save(data_dir: Path, cp: Checkpoint, now: float | None = None, cache: StrokeCache | None = None) -> None:
    """Write the checkpoint atomically. Raises KioskError (disk full, read-only) naming the fix."""
    cp.saved_at = time.time() if now is None else now
    target = path_for(data_dir, cp.key)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise atomic.disk_error(target.parent, exc) from exc
    atomic.write_text(target, _to_json(cp, cache))


def _to_json(cp: Checkpoint, cache: StrokeCache | None = None) -> str:
    """The checkpoint as JSON, the drawing in its compact kiosk-strokes/1 form.

    Written at every stroke's end from the saver thread: json's indented (pure Python) encoder
    would hold the interpreter for ~100 ms on a big drawing and stall the screen's frames.
    """
    data = {"format": FORMAT, **asdict(replace(cp, drawing=None))}
    if cp.drawing is None:
        return json.dumps(data, ensure_ascii=False)
    drawing = cp.drawing if isinstance(cp.drawing, Drawing) else from_dict(cp.drawing)
    del data["drawing"]
    return json.dumps(data, ensure_ascii=False)[:-1] + ', "drawing": ' + to_json(drawing, cache) + "}\n"


def discard(data_dir: Path, key: str) -> None:
    """Delete a visit's checkpoint, if there is one."""
    try:
        os.unlink(path_for(data_dir, key))
    except FileNotFoundError:
        pass


def read(path: Path) -> Checkpoint:
    """One checkpoint file. Raises ValueError if it is not one (damaged, another format)."""
    data = json.loads(Path(path).read_bytes())
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ValueError(f"{path}: not a {FORMAT} file")
    names = {f.name for f in fields(Checkpoint)}
    cp = Checkpoint(**{k: v for k, v in data.items() if k in names})
    if not KEY_RE.match(cp.key) or cp.key != Path(path).stem:
        raise ValueError(f"{path}: its key does not match its name")
    if cp.drawing is not None:
        cp.get_drawing()  # raises StrokesFormatError (a ValueError) if damaged
    return cp


def load_all(data_dir: Path) -> tuple[list[Checkpoint], list[Path]]:
    """Every readable checkpoint (oldest first) and the files that could not be read."""
    good: list[Checkpoint] = []
    bad: list[Path] = []
    try:
        paths = sorted(folder(data_dir).glob("*.json"))
    except OSError:
        return [], []
    for path in paths:
        try:
            good.append(read(path))
        except (OSError, ValueError, TypeError, StrokesFormatError):
            bad.append(path)
    good.sort(key=lambda cp: cp.saved_at)
    return good, bad


@dataclass
class Sorted:
    restore: Checkpoint | None  # offer this one again
    to_save: list[Checkpoint]  # consent given: save them
    stale: list[Checkpoint]  # too old or superseded: delete them


def sort_out(checkpoints: list[Checkpoint], window_s: float, now: float | None = None) -> Sorted:
    """Decide what becomes of each checkpoint found at start-up (see the module's docstring)."""
    now = time.time() if now is None else now
    to_save = [cp for cp in checkpoints if cp.finished]
    unfinished = [cp for cp in checkpoints if not cp.finished]
    fresh = [cp for cp in unfinished if 0 <= now - cp.saved_at <= window_s]
    restore = max(fresh, key=lambda cp: cp.saved_at) if fresh else None
    stale = [cp for cp in unfinished if cp is not restore]
    return Sorted(restore, to_save, stale)
