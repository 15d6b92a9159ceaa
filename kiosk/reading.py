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

NOT_A_FILE = "not a regular file: a pipe, a socket, a device or a folder"
A_LINK = "a symbolic link, not a file: the kiosk writes none"
BLOCK = 1 << 20


class NotAFileError(OSError):
    """The path is a link, a pipe, a socket, a device or a folder."""


def open_regular(path: Path | str) -> tuple[int, int]:
    """A read-only file descriptor on `path` and the file's size; NotAFileError unless it is a regular
    file (its folders may be links: only the last name is not followed).

    Looked at before it is opened (opening a device can itself do something, a socket cannot be
    opened at all), and again once open, in case it was swapped in between."""
    where = os.fspath(path)
    info = os.lstat(where)
    if stat.S_ISLNK(info.st_mode):
        raise NotAFileError(errno.ELOOP, A_LINK, where)
    if not stat.S_ISREG(info.st_mode):
        raise NotAFileError(errno.EINVAL, NOT_A_FILE, where)
    try:
        fd = os.open(where, os.O_RDONLY | os.O_CLOEXEC | os.O_NONBLOCK | os.O_NOFOLLOW | os.O_NOCTTY)
    except OSError as exc:
        if exc.errno in (errno.ELOOP, errno.ENXIO):  # became a link or a socket since
            raise NotAFileError(exc.errno, A_LINK if exc.errno == errno.ELOOP else NOT_A_FILE, where) from None
        raise
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise NotAFileError(errno.EINVAL, NOT_A_FILE, where)
    except BaseException:
        os.close(fd)
        raise
    return fd, info.st_size


def read_bytes(path: Path | str) -> bytes:
    """The whole file."""
    fd, size = open_regular(path)
    try:
        data = os.read(fd, size + 1)
        if len(data) == size:  # all of it in one read, the usual case
            return data
        # A short read (2 GiB at most per read on Linux; some network file systems give less),
        # or a file that grew since fstat: read on to its end.
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
