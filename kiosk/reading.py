"""Reading files that came from elsewhere (a response folder synced in, a bag, an import): regular
files only, opened without waiting.

A pipe named drawing.png would make a plain open() wait for a writer for ever, and /dev/zero
never ends: `kiosk check`, an export or an archive build would hang on one bad entry. Here the
file is opened with O_NONBLOCK (no effect on a regular file) and refused unless it is one, with
an OSError the callers already handle like any unreadable file. A symbolic link is refused too:
the kiosk writes none, and a link synced in (rsync -a keeps them) could make the archive publish
a file from outside the data folder whose checksum a forger knows.
"""

from __future__ import annotations

import errno
import hashlib
import os
import stat
from pathlib import Path

NOT_A_FILE = "not a regular file (a pipe, a device or a folder)"
A_LINK = "a symbolic link, not a file (the kiosk writes none)"
BLOCK = 1 << 20


class NotAFileError(OSError):
    """The path is a pipe, a socket, a device or a folder."""


def open_regular(path: Path | str) -> tuple[int, int]:
    """A read-only file descriptor on `path` and the file's size; NotAFileError unless it is a regular
    file (its folders may be links: only the last name is not followed)."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC | os.O_NONBLOCK | os.O_NOFOLLOW)
    except OSError as exc:
        if exc.errno == errno.ELOOP and os.path.islink(path):
            raise NotAFileError(errno.ELOOP, A_LINK, os.fspath(path)) from None
        raise
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise NotAFileError(errno.EINVAL, NOT_A_FILE, os.fspath(path))
    except BaseException:
        os.close(fd)
        raise
    return fd, info.st_size


def read_bytes(path: Path | str) -> bytes:
    """The whole file."""
    fd, size = open_regular(path)
    try:
        data = os.read(fd, size + 1)
        if len(data) <= size:  # all of it in one read: the file did not grow since fstat
            return data
        chunks = [data]
        while chunk := os.read(fd, BLOCK):
            chunks.append(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)


def sha256_file(path: Path | str) -> str:
    """The file's SHA-256, read in blocks."""
    fd, _ = open_regular(path)
    with open(fd, "rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()
