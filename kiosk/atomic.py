"""Writing files so that a crash or power cut leaves either the old file or the new one."""

from __future__ import annotations

import errno
import json
import os
import secrets
import shutil
from concurrent.futures import Executor
from pathlib import Path
from typing import Any

from kiosk.errors import KioskError

_DISK_FIXES = {  # errno: (what happened, the fix, where else to write)
    errno.ENOSPC: ("the disk is full", "free some space on that disk", "a folder on another disk"),
    errno.EDQUOT: ("the disk quota is used up", "free some space", "a folder on another disk"),
    errno.EROFS: ("the disk is read-only", "remount it read-write", "a folder on another disk"),
    errno.EACCES: ("permission is denied", "give this user write access to it", "another folder"),
    errno.EPERM: ("permission is denied", "give this user write access to it", "another folder"),
}


def disk_error(folder: Path, exc: OSError, option: str = "--data") -> KioskError:
    """Turn an OSError from writing into a message that names the folder and the fix. `option`: the
    command's option that says where it writes (--data for the kiosk's data, --out for what a
    command makes, "" where there is none)."""
    known = _DISK_FIXES.get(exc.errno or 0)
    if known is None:
        return KioskError(f"Cannot write to {folder}: {exc.strerror or exc}.", "check the folder and try again")
    what, fix, elsewhere = known
    return KioskError(f"Cannot write to {folder}: {what}.",
                      f"{fix}, or point {option} at {elsewhere}" if option else fix)


def inside(folder: Path, *parts: str) -> Path:
    """folder/parts, refused unless it stays inside `folder`: no empty part, no absolute part, no
    "..", no NUL. Every path built from a record's id or slug goes through here before a write.
    Lexical (no filesystem calls): it runs for every page of a site."""
    return Path(folder) / _relative(folder, parts)


def inside_str(folder: Path | str, *parts: str) -> str:
    """inside(), as a string: for the archive's ten thousand pages, where making Path objects
    costs a tenth of the build."""
    return f"{folder}/{_relative(folder, parts)}"


def _relative(folder: Path | str, parts: tuple[str, ...]) -> str:
    rel = os.path.normpath(os.path.join(*parts)) if parts and all(parts) else ""
    if not rel or rel == "." or os.path.isabs(rel) or rel == ".." or rel.startswith("../") or "\x00" in rel:
        shown = "/".join(parts) or "(nothing)"
        raise KioskError(f"Refused to write {shown!r}: it would land outside {folder}.",
                         "the record naming it is not valid; `kiosk check` names it and says how to fix it")
    return rel


def fsync_dir(folder: Path) -> None:
    """Make a rename inside `folder` durable."""
    fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def temporary_name(path: Path) -> Path:
    """A sibling of `path` no other process or thread uses: `.tmp-` (readers skip those), the
    process id, and random letters. Created with O_EXCL, so a clash fails instead of mixing two writes."""
    return path.with_name(f".tmp-{os.getpid()}-{secrets.token_hex(4)}-{path.name}")


def write_bytes(path: Path, data: bytes, *, sync_dir: bool = True) -> None:
    """Write `data` to `path` atomically: temporary file, fsync, rename, fsync of the folder."""
    path = Path(path)
    tmp = temporary_name(path)
    try:
        # 0o666 as open() would: the umask decides (mkstemp's 0o600 would hide exports from others).
        with os.fdopen(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666), "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
        if sync_dir:
            fsync_dir(path.parent)
    except OSError as exc:
        try:
            tmp.unlink()
        except OSError:
            pass
        raise disk_error(path.parent, exc) from exc


def write_text(path: Path, text: str, *, sync_dir: bool = True) -> None:
    write_bytes(path, text.encode("utf-8"), sync_dir=sync_dir)


def json_bytes(value: Any) -> bytes:
    """JSON as the store writes it: UTF-8, sorted keys, readable, ending in a newline."""
    return (json.dumps(value, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode("utf-8")


def write_json(path: Path, value: Any, *, sync_dir: bool = True) -> None:
    write_bytes(path, json_bytes(value), sync_dir=sync_dir)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def process_running(pid: int) -> bool:
    """Whether process `pid` still runs (so a temporary file named after it may still be in use)."""
    try:
        os.kill(pid, 0)  # signal 0: is it there?
    except ProcessLookupError:
        return False
    except OSError:
        return True  # it exists, owned by someone else
    return True


def _leftovers_of(final: Path) -> list[Path]:
    """Temporary siblings of `final` left by a process that is gone: `.tmp-{final}` (older
    kiosks) and `.tmp-{pid}-{hex}-{final}` whose pid no longer runs."""
    found: list[Path] = []
    try:
        names = os.listdir(final.parent)
    except OSError:
        return found
    for name in names:
        if name == f".tmp-{final.name}":
            found.append(final.parent / name)
        elif name.startswith(".tmp-") and name.endswith(f"-{final.name}"):
            pid = name[5:].split("-", 1)[0]
            if pid.isdigit() and int(pid) != os.getpid() and not process_running(int(pid)):
                found.append(final.parent / name)
    return found


def write_folder(final: Path, files: dict[str, bytes], pool: Executor | None = None) -> None:
    """Write a whole folder of files so that it appears complete or not at all.

    The files go into a temporary sibling folder, are fsynced (in parallel when a pool is
    given: the filesystem then commits them in one journal flush, which halves the latency),
    and the folder is renamed into place and its parent fsynced. A crash leaves at most a
    `.tmp-` folder, which readers skip.
    """
    final = Path(final)
    parent = final.parent
    tmp = temporary_name(final)
    fds: list[int] = []
    try:
        for stale in _leftovers_of(final):  # of a killed save or import of this very folder
            shutil.rmtree(stale, ignore_errors=True)
        tmp.mkdir(parents=True)
        for name, data in files.items():
            fd = os.open(tmp / name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
            fds.append(fd)
            _write_all(fd, data)
        fds.append(os.open(tmp, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0)))
        if pool is not None:
            list(pool.map(os.fsync, fds))
        else:
            for fd in fds:
                os.fsync(fd)
        os.rename(tmp, final)
        fsync_dir(parent)
    except OSError as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        raise disk_error(parent, exc) from exc
    finally:
        for fd in fds:
            os.close(fd)
