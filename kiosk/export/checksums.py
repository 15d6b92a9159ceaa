"""Checksums and the bag's tag files (RFC 8493), written as the payload is, never read twice.

We write the manifests ourselves rather than let bagit.make_bag do it: make_bag moves the
files it bags and hashes them after the fact, while the export hashes each file as it writes
it. The result is an ordinary BagIt 1.0 bag that bagit's validator accepts (the tests check).
"""

from __future__ import annotations

import ctypes
import errno
import hashlib
import os
import textwrap
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from kiosk import reading

ALGORITHMS = ("sha256", "sha512")
BAGIT_TXT = "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n"
BLOCK = 1 << 20


@dataclass
class Entry:
    """A payload file: its path in the bag ("data/..."), size and checksums."""

    path: str
    size: int
    sha256: str
    sha512: str


def entry_for_bytes(path: str, data: bytes, sha256: str | None = None) -> Entry:
    """`sha256` when the caller already has it (the store records one for every file)."""
    return Entry(path, len(data), sha256 or hashlib.sha256(data).hexdigest(), hashlib.sha512(data).hexdigest())


def hash_file(path: Path, algorithms: Iterable[str] = ALGORITHMS) -> tuple[int, dict[str, str]]:
    """Size and checksums of a file, read once (hashlib releases the GIL: threads use both cores)."""
    hashers = {alg: hashlib.new(alg) for alg in algorithms}
    size = 0
    fd, _ = reading.open_regular(path)
    with open(fd, "rb") as f:
        while block := f.read(BLOCK):
            size += len(block)
            for h in hashers.values():
                h.update(block)
    return size, {alg: h.hexdigest() for alg, h in hashers.items()}


def hash_tree(root: Path, bag_dir: Path, pool: ThreadPoolExecutor) -> Iterator[Entry]:
    """Every file under `root`, sorted, hashed on the pool's threads; paths relative to bag_dir."""
    files = sorted(p for p in root.rglob("*") if p.is_file())
    for path, (size, sums) in zip(files, pool.map(hash_file, files)):
        yield Entry(path.relative_to(bag_dir).as_posix(), size, sums["sha256"], sums["sha512"])


class HashingFile:
    """A file opened for writing that hashes and counts what goes through it."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._f: IO[bytes] = open(path, "wb")
        self._hashers = {alg: hashlib.new(alg) for alg in ALGORITHMS}
        self.size = 0

    def write(self, data: bytes) -> None:
        self._f.write(data)
        self.size += len(data)
        for h in self._hashers.values():
            h.update(data)

    def close(self) -> dict[str, str]:
        self._f.close()
        return {alg: h.hexdigest() for alg, h in self._hashers.items()}


class Manifests:
    """manifest-sha256.txt and manifest-sha512.txt, written line by line; the Payload-Oxum counted."""

    def __init__(self, bag_dir: Path) -> None:
        self._files = {alg: open(bag_dir / f"manifest-{alg}.txt", "w", encoding="utf-8", newline="\n")
                       for alg in ALGORITHMS}
        self.bytes = 0
        self.count = 0

    def add(self, entry: Entry) -> None:
        # Our paths are plain ASCII (ids, fixed names); a CR or LF would have to be %-encoded.
        self._files["sha256"].write(f"{entry.sha256}  {entry.path}\n")
        self._files["sha512"].write(f"{entry.sha512}  {entry.path}\n")
        self.bytes += entry.size
        self.count += 1

    def add_all(self, entries: Iterable[Entry]) -> None:
        for entry in entries:
            self.add(entry)

    @property
    def oxum(self) -> str:
        return f"{self.bytes}.{self.count}"

    def close(self) -> None:
        for f in self._files.values():
            f.close()


def bag_info_text(info: list[tuple[str, str]]) -> str:
    """bag-info.txt: `Label: value` lines, long values folded with an indent (RFC 8493, 2.2.2)."""
    lines = []
    for label, value in info:
        value = " ".join(str(value).split())  # no line breaks inside a value
        lines.extend(textwrap.wrap(f"{label}: {value}", width=79, subsequent_indent="  ",
                                   break_long_words=False, break_on_hyphens=False) or [f"{label}:"])
    return "\n".join(lines) + "\n"


def write_tag_files(bag_dir: Path, info: list[tuple[str, str]]) -> None:
    """bagit.txt, bag-info.txt, then the tag manifests over every tag file (the manifests included)."""
    (bag_dir / "bagit.txt").write_text(BAGIT_TXT, encoding="utf-8", newline="\n")
    (bag_dir / "bag-info.txt").write_text(bag_info_text(info), encoding="utf-8", newline="\n")
    tag_files = ["bagit.txt", "bag-info.txt"] + [f"manifest-{alg}.txt" for alg in ALGORITHMS]
    sums = {name: hash_file(bag_dir / name)[1] for name in tag_files}
    for alg in ALGORITHMS:
        with open(bag_dir / f"tagmanifest-{alg}.txt", "w", encoding="utf-8", newline="\n") as f:
            for name in tag_files:
                f.write(f"{sums[name][alg]}  {name}\n")


def read_bag_info(bag_dir: Path) -> dict[str, str]:
    """The labels of a bag's bag-info.txt (first value of each), or {} if it has none."""
    info: dict[str, str] = {}
    label = None
    try:
        text = (bag_dir / "bag-info.txt").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return info
    for line in text.splitlines():
        if line[:1].isspace() and label:
            info[label] += " " + line.strip()
        elif ":" in line:
            label, value = line.split(":", 1)
            label = label.strip()
            info.setdefault(label, value.strip())
    return info


def flush_to_disk(folder: Path) -> None:
    """Wait until everything written under `folder` is on disk (before the rename that names it).

    One syncfs(2) for the folder's filesystem commits the journal once; fsyncing tens of
    thousands of files one by one costs several times as much. Elsewhere: sync(2).
    """
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        syncfs = libc.syncfs
    except (OSError, AttributeError):
        os.sync()
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        if syncfs(fd) != 0:
            err = ctypes.get_errno()
            if err != errno.ENOSYS:  # a write that failed on its way to the disk (EIO, ENOSPC)
                raise OSError(err, os.strerror(err), str(folder))
            os.sync()
    finally:
        os.close(fd)
