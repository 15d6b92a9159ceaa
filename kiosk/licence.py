"""A licence named as people say it, from the address in the settings: 'CC BY-NC-SA 4.0'.

Shared by the zine's colophon and the archive's pages, so that both name it alike."""

from __future__ import annotations

import re

_CC = re.compile(r"creativecommons\.org/licenses/([a-z-]+)/(\d+(?:\.\d+)?)")


def short_address(license: str) -> str:
    """The address without its scheme and last slash: 'creativecommons.org/licenses/by/4.0'."""
    return re.sub(r"^https?://(www\.)?", "", license.strip()).rstrip("/")


def short_name(license: str) -> str:
    """'CC BY-NC-SA 4.0', 'CC0 1.0', or the short address of a licence not known by name."""
    m = _CC.search(license)
    if m:
        return f"CC {m.group(1).upper()} {m.group(2)}"
    if "creativecommons.org/publicdomain/zero" in license:
        return "CC0 1.0"
    return short_address(license)


def name_and_address(license: str) -> str:
    """'CC BY-NC-SA 4.0 (creativecommons.org/licenses/by-nc-sa/4.0)', or the short address alone."""
    name, short = short_name(license), short_address(license)
    return short if name == short else f"{name} ({short})"
