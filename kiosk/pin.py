"""The facilitator PIN: its hash, the settings line that stores it, and the pad's lock-out.

A 4-8 digit PIN is a door latch for the facilitator screen, not a vault: the salted, slow
hash only keeps the PIN from being read off the settings file (or a backup of it), and the
lock-out, doubling after every 3 wrong PINs and kept in the data folder across restarts,
keeps a visitor from trying the 10,000 four-digit PINs one after the other.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import os
import re
import secrets
import stat
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from kiosk import atomic, yamlsource
from kiosk.errors import KioskError

log = logging.getLogger("kiosk.pin")

DEFAULT_PIN = "0000"
PIN_ITERATIONS = 200_000  # about 0.1 s on a laptop, under a second on a Raspberry Pi 4
PIN_PATTERN = re.compile(r"[0-9]{4,8}")
# Iterations 100 to 9,999,999 (0 fails, a billion would check one PIN for hours), a salt of whole bytes.
PIN_HASH_PATTERN = re.compile(r"pbkdf2_sha256\$[1-9][0-9]{2,6}\$(?:[0-9a-f]{2}){8,64}\$[0-9a-f]{64}")

TRIES = 3  # wrong PINs in a row before the pad locks
FIRST_LOCK_S = 30.0  # the first lock; each further 3 wrong PINs double it
MAX_LOCK_S = 3600.0  # ... up to an hour, so that the facilitators are never locked out for a day
MAX_FAILURES = 1_000_000  # more wrong PINs than that in a lock-out file: the file is damaged
LOCKOUT_NAME = "pin-lockout.json"  # in the data folder


def check_pin(pin: str) -> str:
    """The PIN without surrounding spaces, or a KioskError if it is not 4 to 8 digits."""
    pin = (pin or "").strip()
    if not PIN_PATTERN.fullmatch(pin):
        raise KioskError("A PIN is 4 to 8 digits (0-9), nothing else.", "type a PIN such as 4831")
    return pin


def hash_pin(pin: str, iterations: int = PIN_ITERATIONS) -> str:
    """"pbkdf2_sha256$ITER$SALTHEX$HASHHEX" for a 4-8 digit PIN, with a fresh random salt."""
    pin = check_pin(pin)
    salt = secrets.token_bytes(16)
    digest = hashlib.pbkdf2_hmac("sha256", pin.encode("ascii"), salt, iterations)
    return f"pbkdf2_sha256${iterations}${salt.hex()}${digest.hex()}"


def verify_pin(settings_or_hash: Any, pin: str) -> bool:
    """True when `pin` matches the stored hash (a Settings' pin_hash, or the hash itself);
    with no hash set, when it is the default PIN."""
    stored = settings_or_hash if isinstance(settings_or_hash, str) else getattr(settings_or_hash, "pin_hash", "")
    stored = stored or ""
    if not isinstance(pin, str):
        return False
    candidate = pin.strip().encode("utf-8")
    if not stored:
        return hmac.compare_digest(candidate, DEFAULT_PIN.encode("ascii"))
    if not PIN_HASH_PATTERN.fullmatch(stored):
        return False
    _, iterations, salt, expected = stored.split("$")
    digest = hashlib.pbkdf2_hmac("sha256", candidate, bytes.fromhex(salt), int(iterations))
    return hmac.compare_digest(digest.hex(), expected)


def pin_is_default(settings: Any) -> bool:
    """True when no PIN was set, so the default PIN opens the facilitator screen."""
    return not getattr(settings, "pin_hash", "")


_PIN_LINE = re.compile(r"""pin_hash[ \t]*:[ \t]*("[^"\n]*"|'[^'\n]*'|[^\s#]*)(?P<comment>[ \t]+#.*)?[ \t]*""")


def write_pin_hash(path: Path, pin_hash: str) -> None:
    """Store `pin_hash` in the settings file at `path`, keeping every other line and comment.

    An existing top-level `pin_hash:` line is replaced in place, else one is appended; a missing
    file is created. Written atomically, and checked by reading it back before it replaces the old one.
    """
    path = Path(path)
    if not path.parent.is_dir():
        raise KioskError(f"Cannot write {path}: the folder {path.parent} does not exist.",
                         "create the folder, or give another --config")
    lines: dict
    if path.exists():
        data, lines = yamlsource.load(path)
        if data is not None and not isinstance(data, dict):
            raise KioskError(f"{path}: is not a settings file (a mapping of key: value lines).",
                             "fix the file, or give another --config")
        text = path.read_text(encoding="utf-8")
    else:
        data, lines = None, {}
        text = "# Kiosk settings: every key is described in docs/settings.md\n"
    new_line = f'pin_hash: "{pin_hash}"'
    rows = text.splitlines(keepends=True)
    number = lines.get(("pin_hash",))
    if number:
        row = rows[number - 1]
        body = row.rstrip("\r\n")
        match = _PIN_LINE.fullmatch(body)
        if match is None:
            raise KioskError(f"{path}:{number}: cannot update the pin_hash line automatically.",
                             "delete that line (and any continuation), then run `kiosk pin set` again")
        rows[number - 1] = new_line + (match.group("comment") or "") + row[len(body):]
    else:
        newline = "\r\n" if rows and rows[0].endswith("\r\n") else "\n"
        if rows and not rows[-1].endswith("\n"):
            rows[-1] += newline
        rows.append(new_line + newline)
    result = "".join(rows)
    try:
        written = yaml.safe_load(result)
    except yaml.YAMLError:
        written = None
    if not isinstance(written, dict) or written.get("pin_hash") != pin_hash:
        raise KioskError(f"{path}: the new pin_hash would not take effect in this file.",
                         "check that pin_hash is written only once and that the keys start at the left "
                         "margin (key: value lines), then try again")
    mode = path.stat().st_mode & 0o777 if path.exists() else None
    atomic.write_text(path, result)
    if mode is not None:
        os.chmod(path, mode)  # the atomic rename makes a new file: keep the owner's permissions


# ------------------------------------------------------------------------------ lock-out

@dataclass
class Lockout:
    """Wrong PINs in a row and when the pad opens again, on the caller's clock (seconds)."""

    failures: int = 0
    locked_until: float = 0.0

    def remaining(self, now: float) -> float:
        return max(0.0, self.locked_until - now)

    def failed(self, now: float) -> float:
        """Count one wrong PIN; every TRIES-th locks the pad, each time twice as long. The lock's length."""
        self.failures += 1
        if self.failures % TRIES:
            return 0.0
        lock = lock_seconds(self.failures)
        self.locked_until = now + lock
        return lock

    def succeeded(self) -> None:
        self.failures = 0
        self.locked_until = 0.0


def lock_seconds(failures: int) -> float:
    """30 s after 3 wrong PINs, 60 s after 6, 120 s after 9... at most MAX_LOCK_S."""
    rounds = max(1, failures // TRIES)
    return min(MAX_LOCK_S, FIRST_LOCK_S * 2 ** min(rounds - 1, 20))


def load_lockout(data: Path, now: float, wall: float | None = None) -> Lockout:
    """The lock-out kept in the data folder, on the caller's clock (`now`); none when absent or unreadable.

    The file holds the wall-clock time the lock ends, so that a restart does not lift it; a
    clock set back cannot make it longer than the longest lock. A damaged file (not JSON, not a
    regular file, numbers out of range) counts as no lock-out, with a line in the log: it must
    neither stop the kiosk from starting nor lock the facilitators out.
    """
    wall = time.time() if wall is None else wall
    path = Path(data) / LOCKOUT_NAME
    try:
        raw = json.loads(_read_small(path))
        failures = int(raw.get("failures", 0))
        until_wall = float(raw.get("locked_until", 0.0))
    except FileNotFoundError:
        return Lockout()
    except Exception as exc:  # OverflowError (1e400), RecursionError ([[[...), OSError, ValueError...
        log.warning("%s is damaged and was ignored (%s: %s); delete it if this repeats", path,
                    type(exc).__name__, exc)
        return Lockout()
    if not 0 <= failures <= MAX_FAILURES or until_wall != until_wall:  # negative, huge, NaN
        log.warning("%s holds values out of range and was ignored", path)
        return Lockout()
    left = min(MAX_LOCK_S, max(0.0, until_wall - wall))
    return Lockout(failures, now + left if left else 0.0)


def _read_small(path: Path, limit: int = 4096) -> bytes:
    """The bytes of a small regular file; a pipe or device (/dev/zero) is refused without blocking."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(f"{path.name} is not a regular file")
        data = os.read(fd, limit + 1)
    finally:
        os.close(fd)
    if len(data) > limit:
        raise ValueError(f"larger than {limit} bytes")
    return data


def save_lockout(data: Path, lockout: Lockout, now: float, wall: float | None = None) -> None:
    """Keep the lock-out in the data folder, atomically (raises KioskError if it cannot be written)."""
    wall = time.time() if wall is None else wall
    until_wall = wall + lockout.remaining(now) if lockout.remaining(now) else 0.0
    atomic.write_json(Path(data) / LOCKOUT_NAME, {"failures": lockout.failures, "locked_until": until_wall})
