"""What a stroke painted over: the pixels of the tiles it touched, kept so undo is one blit.

A set of touched tiles becomes a few rectangles ("runs": neighbouring tiles of a row merged), and
a patch is a copy of the surface under those runs. Restoring a patch is a handful of blits, so
undo and redo cost the same whether the drawing has five strokes or five thousand.
"""

from __future__ import annotations

import pygame

from kiosk.app.ink import TILE, Tiles


def runs(tiles: Tiles, size: tuple[int, int]) -> list[pygame.Rect]:
    """The tiles as rectangles clipped to a surface of `size`, each row's neighbours merged."""
    w, h = size
    max_tx, max_ty = (w - 1) // TILE, (h - 1) // TILE
    out: list[pygame.Rect] = []
    start = prev = None
    for tx, ty in sorted((t for t in tiles if 0 <= t[0] <= max_tx and 0 <= t[1] <= max_ty),
                         key=lambda t: (t[1], t[0])):
        if prev is not None and ty == prev[1] and tx == prev[0] + 1:
            prev = (tx, ty)
            continue
        if start is not None:
            out.append(_run_rect(start, prev, w, h))
        start = prev = (tx, ty)
    if start is not None:
        out.append(_run_rect(start, prev, w, h))
    return out


def _run_rect(first: tuple[int, int], last: tuple[int, int], w: int, h: int) -> pygame.Rect:
    left, top = first[0] * TILE, first[1] * TILE
    return pygame.Rect(left, top, min((last[0] + 1) * TILE, w) - left, min(top + TILE, h) - top)


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
