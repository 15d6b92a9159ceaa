"""QR codes back to the archive: the fixed URL scheme, the base URL check, the module matrix.

The archive's URLs never change, because printed codes outlive the software:
`{base}/r/{response_id}/` for a response and `{base}/s/{session_slug}/` for a session.
They carry nothing but the path: no query, no tracking, as short as the scheme allows.
"""

from __future__ import annotations

import re
from functools import lru_cache

import qrcode
from qrcode.constants import ERROR_CORRECT_M
from qrcode.util import mask_func

from kiosk import urls
from kiosk.errors import KioskError
from kiosk.urls import response_url, session_url  # noqa: F401  (the one URL scheme)

QUIET_ZONE = 4  # modules of white around the code, as the standard asks


def check_base_url(url: str, where: str = "--base-url") -> str:
    """The base URL without its trailing slash, or a KioskError that says what is wrong with it."""
    try:
        return urls.check_base_url(url)
    except ValueError as exc:
        raise KioskError(f"{where}: {exc}.",
                         f"give {where} the archive's home address, e.g. https://archive.example.org/kiosk") from None


def matrix(url: str) -> list[list[bool]]:
    """The code's modules, quiet zone included, at error correction level M, with the best mask.

    The same code the qrcode library makes, about three times faster: the library places the
    data once per candidate mask and scores it module by module, which for a zine of a few
    hundred codes took longer than everything else. Here the data is placed once, and each
    mask is applied and scored (the standard's four penalty rules) on whole rows as bits.
    """
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=QUIET_ZONE, mask_pattern=0)
    code.add_data(url)
    code.make(fit=True)  # chooses the version; the data laid out under mask 0
    n = code.modules_count
    unmask0 = [a ^ b for a, b in zip(_bits(code.modules), _mask_rows(n, 0))]
    data, scored = _frame(code.version, None)  # outside the data, as the library scores masks
    best, best_score = 0, -1
    for k in range(8):
        rows = [((u ^ m) & d) | f for u, m, d, f in zip(unmask0, _mask_rows(n, k), data, scored)]
        score = penalty(rows, n)
        if best_score < 0 or score < best_score:
            best, best_score = k, score
    # The chosen mask's data, with the format (and version) information written in for real.
    _, fixed = _frame(code.version, best)
    rows = [((u ^ m) & d) | f for u, m, d, f in zip(unmask0, _mask_rows(n, best), data, fixed)]
    width = n + 2 * QUIET_ZONE
    quiet = [[False] * width for _ in range(QUIET_ZONE)]
    edge = [False] * QUIET_ZONE
    body = [edge + [c == "1" for c in format(r, f"0{n}b")] + edge for r in rows]
    return quiet + body + [list(row) for row in quiet]


_RUN = re.compile(r"0{5,}|1{5,}")


def _bits(grid: list[list]) -> list[int]:
    return [int("".join("1" if m else "0" for m in row), 2) for row in grid]


@lru_cache(maxsize=128)
def _frame(version: int, mask: int | None) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """Per row, as bits: which modules hold data, and the others' colours (finder, alignment and
    timing patterns; the format and version information for `mask`, or left light as when the
    library scores masks). The same for every code of a version, so it is worked out once."""
    code = qrcode.QRCode(version=version, error_correction=ERROR_CORRECT_M)
    n = code.modules_count = version * 4 + 17
    code.modules = [[None] * n for _ in range(n)]
    code.setup_position_probe_pattern(0, 0)
    code.setup_position_probe_pattern(n - 7, 0)
    code.setup_position_probe_pattern(0, n - 7)
    code.setup_position_adjust_pattern()
    code.setup_timing_pattern()
    code.setup_type_info(mask is None, mask or 0)
    if version >= 7:
        code.setup_type_number(mask is None)
    data = tuple(int("".join("1" if m is None else "0" for m in row), 2) for row in code.modules)
    return data, tuple(_bits(code.modules))


@lru_cache(maxsize=64)
def _mask_rows(n: int, k: int) -> tuple[int, ...]:
    f = mask_func(k)
    return tuple(int("".join("1" if f(i, j) else "0" for j in range(n)), 2) for i in range(n))


def penalty(rows: list[int], n: int) -> int:
    """The mask penalty of ISO/IEC 18004 (as the qrcode library scores it), rows given as bits."""
    lines = [format(r, f"0{n}b") for r in rows]
    lines += ["".join(col) for col in zip(*lines)]
    text = "|".join(lines)  # every row and column at once; "|" stops a run or a pattern
    runs = _RUN.findall(text)  # runs of five or more modules of one colour
    score = sum(map(len, runs)) - 2 * len(runs)
    # Look-alikes of the finder pattern. Neither pattern can overlap itself, so counting is exact.
    score += 40 * (text.count("10111010000") + text.count("00001011101"))
    pairs = (1 << (n - 1)) - 1
    for a, b in zip(rows, rows[1:]):  # 2 x 2 blocks of one colour
        same = ~(a ^ b)
        score += 3 * bin(same & (same >> 1) & ~(a ^ (a >> 1)) & pairs).count("1")
    dark = sum(bin(r).count("1") for r in rows)
    return score + int(abs(float(dark) / (n * n) * 100 - 50) / 5) * 10
