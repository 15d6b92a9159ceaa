"""QR codes at error correction level M, as a matrix of modules (ISO/IEC 18004).

The same codes as the qrcode library makes (the tests compare them module by module, over
all 40 versions), made here because the library is slow for a zine and heavy to load: it
places the data once per candidate mask and scores it module by module, and importing it
loads Pillow, which a zine never needs. Here the data is split into segments as the library
splits it and laid out once, and each of the eight masks is applied and scored (the
standard's four penalty rules) on the whole matrix at once, packed into one int by rows and
one by columns: about ten times faster, a millisecond or less a code.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from operator import itemgetter

QUIET_ZONE = 4  # modules of white around the code, as the standard asks

# Level M, per version 1 to 40: error correction codewords per block, and blocks.
ECC_PER_BLOCK = (10, 16, 26, 18, 24, 16, 18, 22, 22, 26, 30, 22, 22, 24, 24, 28, 28, 26, 26, 26,
                 26, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28)
BLOCKS = (1, 1, 1, 2, 2, 4, 4, 4, 5, 5, 5, 8, 9, 9, 10, 10, 11, 13, 14, 16,
          17, 17, 18, 20, 21, 23, 25, 26, 28, 29, 31, 33, 35, 37, 38, 40, 43, 45, 47, 49)
LEVEL_M = 0  # level M's bits in the format information

NUMERIC, ALPHANUMERIC, BYTE = 1, 2, 4  # mode indicators
ALNUM = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"
OPTIMIZE = 20  # as the library: a run of at least 20 digits (or alphanumerics) is a segment of its own

# GF(256) with the polynomial x^8 + x^4 + x^3 + x^2 + 1; EXP doubled so that sums of logs need no modulo.
EXP = [0] * 512
LOG = [0] * 256
_x = 1
for _i in range(255):
    EXP[_i] = EXP[_i + 255] = _x
    LOG[_x] = _i
    _x = (_x << 1) ^ (0x11D if _x & 0x80 else 0)


class TooLong(ValueError):
    """More data than a QR code at level M holds."""


def matrix(data: str | bytes) -> list[list[bool]]:
    """The code's modules (True: dark), quiet zone included, with the best mask."""
    raw = data if isinstance(data, bytes) else data.encode("utf-8")
    segs = segments(raw)
    version = _version(segs)
    grid = _grid(version)
    bits = "".join(map("{:08b}".format, codewords(_bits(segs, version), version)))
    bits += "0" * (grid.data_modules + 1 - len(bits))  # the remainder bits, and a light module to point at
    by_row = int("".join(grid.row_order(bits)), 2)  # the data where it goes, before masking
    by_col = int("".join(grid.col_order(bits)), 2)
    best, best_score = 0, -1
    for k in range(8):
        rows = ((by_row ^ grid.mask_rows[k]) & grid.region_rows) | grid.blank_rows
        cols = ((by_col ^ grid.mask_cols[k]) & grid.region_cols) | grid.blank_cols
        score = grid.penalty(rows, cols)
        if best_score < 0 or score < best_score:
            best, best_score = k, score
    n = grid.size
    final = format(((by_row ^ grid.mask_rows[best]) & grid.region_rows) | _frame_rows(version, best), f"0{n * n}b")
    width = n + 2 * QUIET_ZONE
    edge = [False] * QUIET_ZONE
    body = [edge + [c == "1" for c in final[i:i + n]] + edge for i in range(0, n * n, n)]
    return [[False] * width for _ in range(QUIET_ZONE)] + body + [[False] * width for _ in range(QUIET_ZONE)]


# --- Data ----------------------------------------------------------------------------


def segments(data: bytes) -> list[tuple[int, bytes]]:
    """(mode, bytes) segments: long runs of digits or alphanumerics apart, the rest as bytes."""
    alnum = b"[" + re.escape(ALNUM) + b"]"
    if len(data) <= OPTIMIZE:  # short data: one mode for the whole, the most compact that fits
        num_re, alpha_re = re.compile(rb"^\d+$"), re.compile(b"^" + alnum + b"+$")
    else:
        num_re, alpha_re = re.compile(rb"\d{%d,}" % OPTIMIZE), re.compile(alnum + b"{%d,}" % OPTIMIZE)
    out = []
    for is_num, chunk in _split(data, num_re):
        if is_num:
            out.append((NUMERIC, chunk))
        else:
            out.extend((ALPHANUMERIC if is_alpha else BYTE, sub) for is_alpha, sub in _split(chunk, alpha_re))
    return out


def _split(data: bytes, pattern: re.Pattern[bytes]) -> list[tuple[bool, bytes]]:
    out = []
    while data:
        match = pattern.search(data)
        if not match:
            break
        if match.start():
            out.append((False, data[:match.start()]))
        out.append((True, data[match.start():match.end()]))
        data = data[match.end():]
    if data:
        out.append((False, data))
    return out


def _count_bits(mode: int, version: int) -> int:
    """Bits of a segment's length, by mode and version."""
    sizes = {NUMERIC: (10, 12, 14), ALPHANUMERIC: (9, 11, 13), BYTE: (8, 16, 16)}[mode]
    return sizes[0] if version < 10 else sizes[1] if version < 27 else sizes[2]


def _bits(segs: list[tuple[int, bytes]], version: int) -> str:
    out = []
    for mode, chunk in segs:
        size = _count_bits(mode, version)
        out.append(f"{mode:04b}{len(chunk) % (1 << size):0{size}b}")  # the library keeps the low bits too
        if mode == NUMERIC:
            out.extend(format(int(chunk[i:i + 3]), f"0{(4, 7, 10)[len(chunk[i:i + 3]) - 1]}b")
                       for i in range(0, len(chunk), 3))
        elif mode == ALPHANUMERIC:
            for i in range(0, len(chunk), 2):
                pair = [ALNUM.index(c) for c in chunk[i:i + 2]]
                out.append(f"{pair[0] * 45 + pair[1]:011b}" if len(pair) == 2 else f"{pair[0]:06b}")
        else:
            out.extend(map("{:08b}".format, chunk))
    return "".join(out)


def _total_codewords(version: int) -> int:
    """All the codewords a version holds: its modules less the function patterns', in bytes."""
    modules = (16 * version + 128) * version + 64
    if version >= 2:
        aligns = version // 7 + 2
        modules -= (25 * aligns - 10) * aligns - 55
        if version >= 7:
            modules -= 36
    return modules // 8


def _capacity(version: int) -> int:
    """Data bits a version holds at level M."""
    return 8 * (_total_codewords(version) - ECC_PER_BLOCK[version - 1] * BLOCKS[version - 1])


def _version(segs: list[tuple[int, bytes]]) -> int:
    """The smallest version the data fits in (the lengths' bits depend on the version)."""
    start = 1
    while True:
        needed = len(_bits(segs, start))
        version = next((v for v in range(start, 41) if _capacity(v) >= needed), None)
        if version is None:
            raise TooLong(f"{needed} bits: more than a QR code holds at level M")
        if (version < 10) == (start < 10) and (version < 27) == (start < 27):
            return version
        start = version


def codewords(bits: str, version: int) -> list[int]:
    """The data bits terminated and padded, cut into blocks, each with its error correction, interleaved."""
    limit = _capacity(version)
    bits += "0" * min(limit - len(bits), 4)
    bits += "0" * (-len(bits) % 8)
    data = int(bits, 2).to_bytes(len(bits) // 8, "big") if bits else b""
    data += bytes((0xEC, 0x11)[i % 2] for i in range((limit - len(bits)) // 8))
    total, count, ecc = _total_codewords(version), BLOCKS[version - 1], ECC_PER_BLOCK[version - 1]
    short = count - total % count  # the first blocks are a codeword shorter
    blocks, start = [], 0
    for i in range(count):
        size = total // count - ecc + (i >= short)
        blocks.append(data[start:start + size])
        start += size
    out = [b[i] for i in range(max(map(len, blocks))) for b in blocks if i < len(b)]
    eccs = [_remainder(b, ecc) for b in blocks]
    return out + [e[i] for i in range(ecc) for e in eccs]


@lru_cache(maxsize=16)
def _ecc_table(degree: int) -> tuple[int, ...]:
    """For each byte value f: f times the Reed-Solomon generator polynomial (x - a^0)...(x - a^(degree-1)),
    its leading term left out, as one int of `degree` bytes."""
    g = [1]
    for i in range(degree):
        g = [a ^ (EXP[LOG[b] + i] if b else 0) for a, b in zip([*g, 0], [0, *g])]
    return (0,) + tuple(int.from_bytes(bytes(EXP[LOG[f] + LOG[c]] if c else 0 for c in g[1:]), "big")
                        for f in range(1, 256))


def _remainder(data: bytes, degree: int) -> bytes:
    """The error correction codewords: the data polynomial's remainder by the generator."""
    table = _ecc_table(degree)
    shift = 8 * (degree - 1)
    low = (1 << shift) - 1
    rem = 0
    for byte in data:
        rem = ((rem & low) << 8) ^ table[byte ^ (rem >> shift)]
    return rem.to_bytes(degree, "big")


# --- Layout --------------------------------------------------------------------------


def _alignment(version: int) -> list[int]:
    """Rows (and columns) of the alignment patterns' centres."""
    if version == 1:
        return []
    count = version // 7 + 2
    step = 26 if version == 32 else (version * 4 + count * 2 + 1) // (count * 2 - 2) * 2
    last = version * 4 + 10
    return [6] + sorted(last - i * step for i in range(count - 1))


def _bch(value: int, poly: int, shift: int) -> int:
    rem = value << shift
    while rem.bit_length() >= poly.bit_length():
        rem ^= poly << (rem.bit_length() - poly.bit_length())
    return (value << shift) | rem


def _modules(version: int, mask: int | None) -> list[list[bool | None]]:
    """The function patterns (finder, alignment, timing; the format and version information for
    `mask`, or all light as when the library scores masks); None where the data goes."""
    n = version * 4 + 17
    m: list[list[bool | None]] = [[None] * n for _ in range(n)]
    for row, col in ((0, 0), (n - 7, 0), (0, n - 7)):  # finder patterns and their separators
        for r in range(max(-1, -row), min(8, n - row)):
            for c in range(max(-1, -col), min(8, n - col)):
                m[row + r][col + c] = ((0 <= r <= 6 and c in (0, 6)) or (0 <= c <= 6 and r in (0, 6))
                                       or (2 <= r <= 4 and 2 <= c <= 4))
    centres = _alignment(version)
    for row in centres:
        for col in centres:
            if m[row][col] is None:  # not where a finder pattern is
                for r in range(-2, 3):
                    for c in range(-2, 3):
                        m[row + r][col + c] = max(abs(r), abs(c)) != 1
    for i in range(8, n - 8):  # timing patterns
        if m[i][6] is None:
            m[i][6] = i % 2 == 0
        if m[6][i] is None:
            m[6][i] = i % 2 == 0
    test = mask is None
    info = 0 if mask is None else _bch((LEVEL_M << 3) | mask, 0b10100110111, 10) ^ 0b101010000010010
    for i in range(15):
        dark = bool(info >> i & 1)
        m[i if i < 6 else i + 1 if i < 8 else n - 15 + i][8] = dark
        m[8][n - i - 1 if i < 8 else 15 - i if i < 9 else 14 - i] = dark
    m[n - 8][8] = not test  # the dark module
    if version >= 7:
        number = 0 if test else _bch(version, 0b1111100100101, 12)
        for i in range(18):
            dark = bool(number >> i & 1)
            m[i // 3][i % 3 + n - 11] = dark
            m[i % 3 + n - 11][i // 3] = dark
    return m


def _pack(lines: Iterable[str]) -> int:
    """A whole matrix as one int, from its lines of "0" and "1" (rows, or columns), one after the
    other: each line is n bits of its own."""
    return int("".join(lines), 2)


def _cells(lines: Iterable[Iterable[bool | None]], dark: Callable[[bool | None], bool]) -> Iterator[str]:
    return ("".join("1" if dark(v) else "0" for v in line) for line in lines)


def _mask_lines(f: Callable[[int, int], bool], n: int, by_column: bool = False) -> Iterator[str]:
    """A mask's rows (or columns). Every mask repeats itself every 12 rows and 12 columns."""
    if by_column:
        first = ["".join("1" if f(i, j) else "0" for i in range(n)) for j in range(12)]
    else:
        first = ["".join("1" if f(i, j) else "0" for j in range(n)) for i in range(12)]
    return (first[k % 12] for k in range(n))


def _repeat(line: int, n: int, lines: int) -> int:
    """`line` (bits of one row) in each of the first `lines` rows of an n x n matrix packed as above."""
    return sum(line << (k * n) for k in range(lines))


@dataclass(frozen=True)
class Grid:
    """What every code of a version shares, packed (see _pack) by row and by column."""

    size: int
    data_modules: int
    row_order: Callable[[str], tuple[str, ...]]  # the data bits (and a light one last) in row order
    col_order: Callable[[str], tuple[str, ...]]
    region_rows: int  # where the data goes
    region_cols: int
    blank_rows: int  # the function patterns, the format information light
    blank_cols: int
    mask_rows: tuple[int, ...]
    mask_cols: tuple[int, ...]
    everything: int
    pairs: int  # positions of a module with a right (or lower) neighbour in its line
    windows: int  # positions where 11 modules fit in the line
    blocks: int  # positions of a 2 x 2 block's corner

    def penalty(self, rows: int, cols: int) -> int:
        """The mask penalty of ISO/IEC 18004 (as the qrcode library scores it), on whole matrices at once."""
        n = self.size
        score = 0
        for x in (rows, cols):
            same = ~(x ^ (x >> 1)) & self.pairs
            five = same & (same >> 1) & (same >> 2) & (same >> 3)  # five modules of one colour
            score += five.bit_count() + 2 * (five & ~(same << 1)).bit_count()  # a run of k >= 5: k - 2
            light = x ^ self.everything
            dark_at = [x >> t for t in range(11)]
            light_at = [light >> t for t in range(11)]
            for pattern in (0b10111010000, 0b00001011101):  # look-alikes of the finder pattern
                found = self.windows
                for t in range(11):
                    found &= dark_at[t] if pattern >> t & 1 else light_at[t]
                score += 40 * found.bit_count()
        same = ~(rows ^ (rows >> n))  # 2 x 2 blocks of one colour
        score += 3 * (same & (same >> 1) & ~(rows ^ (rows >> 1)) & self.blocks).bit_count()
        return score + int(abs(float(rows.bit_count()) / (n * n) * 100 - 50) / 5) * 10


def _is_none(v: bool | None) -> bool:
    return v is None


@lru_cache(maxsize=40)
def _grid(version: int) -> Grid:
    n = version * 4 + 17
    m = _modules(version, None)
    order = _placement(m)
    index = {cell: k for k, cell in enumerate(order)}
    light = len(order)  # the light module after the data bits
    columns = list(zip(*m))
    return Grid(
        size=n,
        data_modules=len(order),
        row_order=itemgetter(*(index.get((i, j), light) for i in range(n) for j in range(n))),
        col_order=itemgetter(*(index.get((i, j), light) for j in range(n) for i in range(n))),
        region_rows=_pack(_cells(m, _is_none)),
        region_cols=_pack(_cells(columns, _is_none)),
        blank_rows=_pack(_cells(m, bool)),
        blank_cols=_pack(_cells(columns, bool)),
        mask_rows=tuple(_pack(_mask_lines(f, n)) for f in _MASKS),
        mask_cols=tuple(_pack(_mask_lines(f, n, by_column=True)) for f in _MASKS),
        everything=(1 << (n * n)) - 1,
        pairs=_repeat((1 << (n - 1)) - 1, n, n),
        windows=_repeat((1 << (n - 10)) - 1, n, n),
        blocks=_repeat((1 << (n - 1)) - 1, n, n - 1),
    )


@lru_cache(maxsize=64)
def _frame_rows(version: int, mask: int) -> int:
    """The function patterns with the format (and version) information for `mask`, packed by row."""
    return _pack(_cells(_modules(version, mask), bool))


def _placement(m: list[list[bool | None]]) -> list[tuple[int, int]]:
    """The data modules in the order the bits fill them: two columns at a time, up then down,
    from the right."""
    n = len(m)
    out: list[tuple[int, int]] = []
    upward = True
    for right in range(n - 1, 0, -2):
        if right <= 6:  # the vertical timing pattern's column is skipped
            right -= 1
        for row in (range(n - 1, -1, -1) if upward else range(n)):
            out.extend((row, col) for col in (right, right - 1) if m[row][col] is None)
        upward = not upward
    return out


_MASKS = (
    lambda i, j: (i + j) % 2 == 0,
    lambda i, j: i % 2 == 0,
    lambda i, j: j % 3 == 0,
    lambda i, j: (i + j) % 3 == 0,
    lambda i, j: (i // 2 + j // 3) % 2 == 0,
    lambda i, j: (i * j) % 2 + (i * j) % 3 == 0,
    lambda i, j: ((i * j) % 2 + (i * j) % 3) % 2 == 0,
    lambda i, j: ((i * j) % 3 + (i + j) % 2) % 2 == 0,
)
