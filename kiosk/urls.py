"""The archive's URL scheme, shared by the zine's QR codes, the static site and the app.

FIXED forever: printed QR codes outlive the software. A response lives at
`{base_url}/r/{response_id}/`, a session at `{base_url}/s/{session_slug}/` and a question (its
answers across every session) at `{base_url}/q/{prompt_id}/`, and the static site writes
exactly those folders, each with an index.html. No dependencies, so that any room can import it.
"""

from __future__ import annotations

import re
from urllib.parse import quote, urlsplit

# A question's id, as kiosk/prompts.py accepts it: checked again here because it becomes a folder.
PROMPT_ID = re.compile(r"[a-z0-9][a-z0-9_-]{0,39}")


def is_prompt_id(prompt_id: str) -> bool:
    return bool(PROMPT_ID.fullmatch(prompt_id))


def prompt_path(prompt_id: str) -> str:
    """The question's folder relative to the archive's root: `q/{prompt_id}/`.

    ValueError for an id outside the question-id grammar: no path is built from it."""
    if not is_prompt_id(prompt_id):
        raise ValueError(f"{prompt_id!r} is not a question id (lowercase letters, digits, - and _)")
    return f"q/{prompt_id}/"


def prompt_url(base_url: str, prompt_id: str) -> str:
    """The permanent address of a question's page: `{base_url}/q/{prompt_id}/`."""
    return f"{base_url.rstrip('/')}/{prompt_path(prompt_id)}"


def response_path(response_id: str) -> str:
    """The response's folder relative to the archive's root: `r/{id}/`."""
    return f"r/{response_id}/"


def session_path(session_slug: str) -> str:
    """The session's folder relative to the archive's root: `s/{slug}/`."""
    return f"s/{session_slug}/"


def response_url(base_url: str, response_id: str) -> str:
    """The permanent address of a response: `{base_url}/r/{id}/`."""
    return f"{base_url.rstrip('/')}/{response_path(response_id)}"


def session_url(base_url: str, session_slug: str) -> str:
    """The permanent address of a session: `{base_url}/s/{slug}/`."""
    return f"{base_url.rstrip('/')}/{session_path(session_slug)}"


def check_base_url(url: str) -> str:
    """`url` without its trailing slash if it can be an archive's base address, else ValueError.

    An empty string stays empty (no base address configured). The message says what is wrong
    in words a facilitator can act on.
    """
    url = url.strip()
    if not url:
        return ""
    if any(c.isspace() for c in url):
        raise ValueError(f"{url!r} contains a space; a web address has none")
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https"):
        if not parts.scheme or "." in parts.scheme:  # "archive.example.org/kiosk"
            raise ValueError(f"{url!r} does not start with https:// or http://")
        raise ValueError(f"{url!r} starts with {parts.scheme}:, not https:// or http://")
    host = parts.hostname or ""
    if not host or not url.lower().startswith(f"{parts.scheme.lower()}://") or host.startswith(".") \
            or ".." in host or not ("." in host or ":" in host or host == "localhost"):
        raise ValueError(f"{url!r} names no valid host after {parts.scheme}://")
    try:
        parts.port
    except ValueError:
        raise ValueError(f"{url!r} has a port that is not a number from 0 to 65535") from None
    if parts.query or parts.fragment or url.endswith(("?", "#")):
        raise ValueError(f"{url!r} has a ? or # part; the archive's address is a plain folder")
    if "@" in parts.netloc:  # it would be printed on every page and in every QR code
        raise ValueError(f"{url!r} holds a user name or password (before @); the archive's address must not, "
                         "it is printed on every page and QR code")
    if any(seg in ("", ".", "..") for seg in parts.path.rstrip("/").split("/")[1:]):
        raise ValueError(f"{url!r} has an empty, . or .. part in its path; a browser would not open the "
                         "folder it seems to name")
    return _ascii(parts.scheme, host, parts.netloc, parts.path.rstrip("/"))


# What may stay as it is in a URL's path (RFC 3986 pchar, "/" and "%" of an escape already made).
_PATH_SAFE = "/%:@!$&'()*+,;=-._~"


# Letters that Python's IDNA codec (IDNA 2003) turns into others, where browsers (IDNA 2008,
# UTS 46) keep them: "straße.de" would become strasse.de, another domain, in every QR code.
_IDNA_DEVIATIONS = "\u00df\u03c2\u200c\u200d"  # ß, final ς, zero-width non-joiner and joiner


def _ascii(scheme: str, host: str, netloc: str, path: str) -> str:
    """The address in the form sitemaps, feeds and every QR reader take: the host in IDNA
    (archivé.example.org -> xn--archiv-gva.example.org), the path percent-encoded."""
    if any(c in _IDNA_DEVIATIONS for c in host):
        raise ValueError(f"{scheme}://{netloc} holds a letter (such as ß or ς) that would be written in ASCII as "
                         "another host; write the host in its ASCII form (xn--…), as the domain's registrar shows it")
    if not netloc.isascii():
        try:
            ascii_host = host.encode("idna").decode("ascii")
        except UnicodeError:
            raise ValueError(f"{scheme}://{netloc} is not a host name a browser can look up") from None
        netloc = ascii_host + netloc[netloc.lower().rindex(host) + len(host):]  # the port stays
    return f"{scheme}://{netloc}{quote(path, safe=_PATH_SAFE)}"
