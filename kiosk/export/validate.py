"""Check a bag completely and say everything that is wrong with it, file by file.

bagit's own validator stops at the first kind of problem (a Payload-Oxum that does not add
up hides which files were cut short); an archivist needs the whole list. So bagit parses the
bag (bagit.txt, bag-info, manifests, the files on disk) and we compare: every file listed
and present, nothing unlisted, the Payload-Oxum, and every checksum of every file.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import bagit

from kiosk import reading
from kiosk.export.checksums import hash_file


def bag_problems(bag_dir: Path, progress: Callable[[int, int], None] | None = None) -> list[str]:
    """Everything wrong with the bag at bag_dir, one line per problem naming the file; [] if it is valid."""
    if not bag_dir.is_dir():
        return [f"{bag_dir}: not a folder"]
    if not (bag_dir / "bagit.txt").is_file():
        return [f"{bag_dir}: not a BagIt bag (it has no bagit.txt)"]
    odd = _tag_file_problems(bag_dir)
    if odd:  # bagit would open them with a plain open(): a pipe would make it wait for ever
        return odd
    try:
        bag = bagit.Bag(str(bag_dir))
    except (bagit.BagError, OSError, UnicodeDecodeError, ValueError) as exc:
        return [f"{bag_dir}: not a readable bag: {exc}"]
    problems: list[str] = []
    if not (bag_dir / "data").is_dir():
        problems.append(f"{bag_dir / 'data'}: missing (a bag keeps its files in data/)")
    if not list(bag.manifest_files()):
        problems.append(f"{bag_dir}: no manifest (manifest-sha256.txt or similar) lists the bag's files")
    only_in_manifest, only_on_disk = bag.compare_manifests_with_fs()
    problems += [f"{bag_dir / p}: missing (listed in the manifest, not in the bag)" for p in sorted(only_in_manifest)]
    problems += [f"{bag_dir / p}: not listed in any manifest" for p in sorted(only_on_disk)]
    problems += _oxum_problems(bag, bag_dir)
    problems += _checksum_problems(bag, bag_dir, progress)
    return problems


def _tag_file_problems(bag_dir: Path) -> list[str]:
    """The bag's own .txt files (bagit.txt, bag-info.txt, the manifests) that are not regular files."""
    try:
        entries = list(os.scandir(bag_dir))
    except OSError as exc:
        return [f"{bag_dir}: cannot be read ({exc.strerror})"]
    return [f"{entry.path}: {reading.NOT_A_FILE}" for entry in sorted(entries, key=lambda e: e.name)
            if entry.name.endswith(".txt") and not entry.is_file()]


def _oxum_problems(bag: bagit.Bag, bag_dir: Path) -> list[str]:
    oxum = bag.info.get("Payload-Oxum")
    if isinstance(oxum, list):
        oxum = oxum[0]
    if oxum is None:
        return []
    size, _, count = str(oxum).partition(".")
    if not (size.isdigit() and count.isdigit()):
        return [f"{bag_dir / 'bag-info.txt'}: Payload-Oxum {oxum!r} is not BYTES.FILES"]
    total, files = 0, 0
    for rel in bag.payload_files():
        total += os.stat(bag_dir / rel).st_size
        files += 1
    if (total, files) != (int(size), int(count)):
        return [f"{bag_dir / 'bag-info.txt'}: Payload-Oxum says {count} files and {size} bytes, the bag holds "
                f"{files} files and {total} bytes (cut short or changed)"]
    return []


def _checksum_problems(bag: bagit.Bag, bag_dir: Path, progress: Callable[[int, int], None] | None) -> list[str]:
    known = hashlib.algorithms_available
    # Every entry there is, whatever it is: a pipe or a link in the payload is named (hash_file refuses
    # it) instead of being skipped as if it were missing.
    todo = [(rel, sums) for rel, sums in sorted(bag.entries.items()) if os.path.lexists(bag_dir / rel)]

    def check(item: tuple[str, dict[str, str]]) -> str | None:
        rel, sums = item
        algs = [a for a in sums if a in known]
        try:
            _, found = hash_file(bag_dir / rel, algs)
        except OSError as exc:
            return f"{bag_dir / rel}: cannot be read ({exc.strerror})"
        wrong = [a for a in algs if found[a] != sums[a].lower()]
        if wrong:
            return f"{bag_dir / rel}: damaged ({' and '.join(wrong)} checksum differs from the manifest's)"
        return None

    problems = []
    with ThreadPoolExecutor(max_workers=2) as pool:
        for i, problem in enumerate(pool.map(check, todo), 1):
            if problem:
                problems.append(problem)
            if progress and (i % 64 == 0 or i == len(todo)):
                progress(i, len(todo))
    return problems


def listing(problems: list[str], limit: int = 100) -> str:
    """Problems as an indented list for a message; a very long list is cut after `limit` lines."""
    lines = [f"  - {p}" for p in problems[:limit]]
    if len(problems) > limit:
        lines.append(f"  ... and {len(problems) - limit} more")
    return "\n".join(lines)
