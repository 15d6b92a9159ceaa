"""QR codes back to the archive: the fixed URL scheme, the base URL check, the module matrix.

The archive's URLs never change, because printed codes outlive the software:
`{base}/r/{response_id}/` for a response and `{base}/s/{session_slug}/` for a session.
They carry nothing but the path: no query, no tracking, as short as the scheme allows.
"""

from __future__ import annotations

from kiosk import urls
from kiosk.errors import KioskError
from kiosk.urls import response_url, session_url  # noqa: F401  (the one URL scheme)
from kiosk.zine.qrencode import matrix  # noqa: F401  (level M, quiet zone included)


def check_base_url(url: str, where: str = "--base-url") -> str:
    """The base URL without its trailing slash, or a KioskError that says what is wrong with it."""
    try:
        return urls.check_base_url(url)
    except ValueError as exc:
        raise KioskError(f"{where}: {exc}.",
                         f"give {where} the archive's home address, e.g. https://archive.example.org/kiosk") from None
