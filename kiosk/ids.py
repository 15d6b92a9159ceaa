"""Response ids: a ULID (time-sortable, unique) followed by the kiosk id, lowercase ASCII.

Lowercase because ids become file names, URL paths and CollectionBuilder object ids;
the kiosk id suffix means two kiosks' ids never collide even if their clocks agree.
"""

from __future__ import annotations

import re
import secrets
from datetime import UTC, datetime

KIOSK_ID_RE = re.compile(r"^[a-z0-9]{1,12}$")
RESPONSE_ID_RE = re.compile(r"^[0-9a-hjkmnp-tv-z]{26}-[a-z0-9]{1,12}$")
# A session slug, which is a folder name and a URL path: lowercase letters, digits and inner
# dashes, at most 100 characters. No dot, no slash: a slug can never climb out of sessions/.
SLUG_RE = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,98}[a-z0-9])?$")


def new_kiosk_id() -> str:
    """A short random kiosk id: no hostname, nothing personal."""
    return "k" + secrets.token_hex(3)


def new_response_id(kiosk_id: str, when: datetime | None = None, randomness: bytes | None = None) -> str:
    """A new id; `when` and `randomness` (10 bytes) make it reproducible (demo data)."""
    if not KIOSK_ID_RE.match(kiosk_id):
        raise ValueError(f"kiosk id {kiosk_id!r} must be 1 to 12 lowercase letters or digits")
    from ulid import ULID  # here: importing it costs every command a twentieth of a second, reading needs none

    if when is None and randomness is None:
        ulid = ULID()
    else:
        ms = int((when or datetime.now(UTC)).timestamp() * 1000)
        ulid = ULID.from_bytes(ms.to_bytes(6, "big") + (randomness or secrets.token_bytes(10)))
    return f"{str(ulid).lower()}-{kiosk_id}"


def is_response_id(value: object) -> bool:
    return isinstance(value, str) and bool(RESPONSE_ID_RE.fullmatch(value))


def is_slug(value: object) -> bool:
    return isinstance(value, str) and bool(SLUG_RE.fullmatch(value))
