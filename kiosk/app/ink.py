"""Rasterising strokes on screen: anti-aliased segments with round caps and joins.

A stroke is painted as a disc at its first point, then for every further point a quadrilateral
from the previous point plus a disc at the new one: round caps, round joins, and no gap however
far apart two events are. pygame.draw.line with a width draws ragged thick lines, so the body is
a polygon. Everything is drawn on the same integer pixel grid (a filled polygon with anti-aliased
long edges, discs from pygame.gfxdraw with their anti-aliased rims), which leaves no seams between
body and discs (float polygons and pygame.draw.aacircle do not line up and leave light seams
inside the ink). None of the calls used releases the GIL: see paint_segment.

Live drawing and replay call the same functions in the same order, so a stroke replayed from its
points paints exactly the pixels it painted live: undo and resizing rely on it.

While painting, the functions note which tiles (TILE x TILE squares) they touched, so that undo
keeps only what a stroke painted over (see kiosk.app.patches), not its whole bounding box.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import pygame
import pygame.gfxdraw

from kiosk.app.patches import TILE, TileMap

ScreenPoint = tuple[int, int]


def pixel_radius(width: float, scale: float) -> int:
    """The disc radius in whole pixels whose diameter (2r+1 px) is closest to `width` canvas units."""
    return max(0, round(width * scale / 2 - 0.5))


def to_screen(x: float, y: float, scale: float) -> ScreenPoint:
    return round(x * scale), round(y * scale)


def _segment_tiles(tiles: TileMap, a: ScreenPoint, b: ScreenPoint, r: int) -> None:
    # A long diagonal's bounding box covers many tiles it never touches: note it piece by piece.
    (ax, ay), (bx, by) = a, b
    pad = r + 1
    pieces = max(1, math.ceil(max(abs(bx - ax), abs(by - ay)) / TILE))
    px, py = ax, ay
    for i in range(1, pieces + 1):
        qx, qy = ax + (bx - ax) * i // pieces, ay + (by - ay) * i // pieces
        tiles.mark(min(px, qx) - pad, min(py, qy) - pad, max(px, qx) + pad, max(py, qy) + pad)
        px, py = qx, qy


def paint_dot(surface: pygame.Surface, colour: pygame.Color, p: ScreenPoint, r: int,
              tiles: TileMap | None = None) -> pygame.Rect:
    """A round dot (a stroke's first point, and every join). Returns the box it may have changed."""
    x, y = p
    if r <= 0:
        surface.set_at(p, colour)
    else:
        pygame.gfxdraw.aacircle(surface, x, y, r, colour)
        pygame.gfxdraw.filled_circle(surface, x, y, r, colour)
    if tiles is not None:
        tiles.mark(x - r - 1, y - r - 1, x + r + 1, y + r + 1)
    return pygame.Rect(x - r - 1, y - r - 1, 2 * r + 3, 2 * r + 3)


def paint_segment(surface: pygame.Surface, colour: pygame.Color, a: ScreenPoint, b: ScreenPoint, r: int,
                  tiles: TileMap | None = None) -> pygame.Rect:
    """The body from a to b and the round join at b. Returns the box it may have changed."""
    (ax, ay), (bx, by) = a, b
    dx, dy = bx - ax, by - ay
    if dx or dy:
        if r <= 0:
            pygame.draw.aaline(surface, colour, a, b)
        else:
            length = math.hypot(dx, dy)
            nx, ny = -dy * r / length, dx * r / length
            quad = ((round(ax + nx), round(ay + ny)), (round(bx + nx), round(by + ny)),
                    (round(bx - nx), round(by - ny)), (round(ax - nx), round(ay - ny)))
            # Not gfxdraw's polygons: they release the GIL, and while another Python thread is busy
            # (the app's saver writing a checkpoint) each call then waits up to 5 ms to get it back.
            pygame.draw.polygon(surface, colour, quad)
            pygame.draw.aaline(surface, colour, quad[0], quad[1])  # anti-aliased long edges
            pygame.draw.aaline(surface, colour, quad[2], quad[3])
        if tiles is not None:
            _segment_tiles(tiles, a, b, r)
    paint_dot(surface, colour, b, r, tiles)
    return pygame.Rect(min(ax, bx) - r - 1, min(ay, by) - r - 1, abs(dx) + 2 * r + 3, abs(dy) + 2 * r + 3)


def paint_points(surface: pygame.Surface, colour: pygame.Color, points: Sequence[ScreenPoint], r: int,
                 tiles: TileMap | None = None) -> None:
    """A whole stroke, exactly as it was painted live event by event."""
    if not points:
        return
    paint_dot(surface, colour, points[0], r, tiles)
    for a, b in zip(points, points[1:]):
        paint_segment(surface, colour, a, b, r, tiles)


def stroke_tiles(points: Sequence[ScreenPoint], r: int, size: tuple[int, int]) -> TileMap:
    """The tiles paint_points would touch on a surface of `size`, without painting (to budget undo memory)."""
    tiles = TileMap(size)
    if points:
        x, y = points[0]
        tiles.mark(x - r - 1, y - r - 1, x + r + 1, y + r + 1)
        for a, b in zip(points, points[1:]):
            _segment_tiles(tiles, a, b, r)
            tiles.mark(b[0] - r - 1, b[1] - r - 1, b[0] + r + 1, b[1] + r + 1)
    return tiles
