"""QR codes as pygame surfaces (the qrcode library's matrix, drawn with crisp square modules)."""

from __future__ import annotations

import pygame
import qrcode
from qrcode.constants import ERROR_CORRECT_M

from kiosk.app import theme as th


def qr_surface(data: str, side: int) -> pygame.Surface:
    """A QR code at most `side` pixels square, quiet zone included, each module a whole
    number of pixels so that phones read it from a screen."""
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=4)
    code.add_data(data)
    code.make(fit=True)
    matrix = code.get_matrix()
    n = len(matrix)
    module = max(1, side // n)
    surface = pygame.Surface((n * module, n * module))
    surface.fill(th.WHITE)
    for y, line in enumerate(matrix):
        for x, dark in enumerate(line):
            if dark:
                surface.fill((0, 0, 0), (x * module, y * module, module, module))
    return surface
