"""What a stroke painted over: the pixels of the tiles it touched, kept so undo is one blit.

The tiles a stroke touches (TILE x TILE squares) are marked in a TileMap; they become a few
rectangles ("runs": neighbouring tiles of a row merged), and a patch is a copy of the surface under
those runs. Restoring a patch is a handful of blits, so undo and redo cost the same whether the
drawing has five strokes or five thousand.
"""

from __future__ import annotations

import re

import pygame

TILE = 32  # px; small enough that a thin diagonal stroke keeps little, big enough to copy quickly
_RUN = re.compile(rb"\x01+")


class TileMap:
    """Which tiles of a surface were touched: one byte per tile, marked a row slice at a time.

    (A set of (x, y) tuples cost more than the painting itself; slices of a bytearray do not.)
    Each row has one spare byte at its end, always 0, so a run never wraps to the next row.
    """

    __slots__ = ("size", "cols", "rows", "stride", "cells")

    def __init__(self, size: tuple[int, int]) -> None:
        self.size = size
        self.cols, self.rows = -(-size[0] // TILE), -(-size[1] // TILE)
        self.stride = self.cols + 1
        self.cells = bytearray(self.stride * self.rows)

    def mark(self, left: int, top: int, right: int, bottom: int) -> None:
        """Mark the tiles a box of pixels (inclusive bounds, may stick out of the surface) overlaps."""
        x0, x1 = max(left // TILE, 0), min(right // TILE, self.cols - 1)
        y0, y1 = max(top // TILE, 0), min(bottom // TILE, self.rows - 1)
        if x0 > x1 or y0 > y1:
            return
        ones = b"\x01" * (x1 - x0 + 1)
        cells, stride = self.cells, self.stride
        for ty in range(y0, y1 + 1):
            cells[ty * stride + x0:ty * stride + x1 + 1] = ones

    def update(self, other: TileMap) -> None:
        """Mark every tile the other map marks (same size)."""
        n = len(self.cells)
        self.cells[:] = (int.from_bytes(self.cells, "little") | int.from_bytes(other.cells, "little")).to_bytes(n, "little")

    def clear(self) -> None:
        self.cells[:] = bytes(len(self.cells))

    def __bool__(self) -> bool:
        return 1 in self.cells

    def runs(self) -> list[pygame.Rect]:
        """The marked tiles as rectangles clipped to the surface, each row's neighbours merged."""
        w, h, stride = self.size[0], self.size[1], self.stride
        out = []
        for m in _RUN.finditer(self.cells):
            ty, tx = divmod(m.start(), stride)
            left, top = tx * TILE, ty * TILE
            out.append(pygame.Rect(left, top, min((tx + m.end() - m.start()) * TILE, w) - left, min(top + TILE, h) - top))
        return out


def save(surface: pygame.Surface, rects: list[pygame.Rect]) -> list[pygame.Surface]:
    return [surface.subsurface(r).copy() for r in rects]


def restore(surface: pygame.Surface, rects: list[pygame.Rect], patch: list[pygame.Surface]) -> None:
    surface.fblits(list(zip(patch, rects)))


def copy(src: pygame.Surface, dst: pygame.Surface, rects: list[pygame.Rect]) -> None:
    """Copy the same areas from one surface to another of the same size."""
    for r in rects:
        dst.blit(src, r, r)


def nbytes(rects: list[pygame.Rect], surface: pygame.Surface) -> int:
    return sum(r.w * r.h for r in rects) * surface.get_bytesize()
