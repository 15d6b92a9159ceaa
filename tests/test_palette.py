"""The default pen colours stay distinct for colour-blind eyes and in a greyscale photocopy."""

from __future__ import annotations

import itertools
import math

from kiosk.config import DEFAULT_PALETTE

# Machado, Oliveira & Fernandes (2009), severity 1.0, on linear RGB.
CVD = {
    "protan": [[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216], [-0.003882, -0.048116, 1.051998]],
    "deutan": [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413], [-0.011820, 0.042940, 0.968881]],
    "tritan": [[1.255528, -0.076749, -0.178779], [-0.078411, 0.930809, 0.147602], [0.004733, 0.691367, 0.303900]],
}


def linear(hex_colour: str, vision: str | None = None) -> list[float]:
    def lin(c: float) -> float:
        c /= 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    rgb = [lin(int(hex_colour[i:i + 2], 16)) for i in (1, 3, 5)]
    if vision:
        rgb = [min(1.0, max(0.0, sum(m * v for m, v in zip(row, rgb)))) for row in CVD[vision]]
    return rgb


def lab(rgb: list[float]) -> tuple[float, float, float]:
    r, g, b = rgb
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883
    f = lambda t: t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116  # noqa: E731
    return 116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))


def test_every_pair_differs_for_every_kind_of_colour_vision():
    for vision in (None, "protan", "deutan", "tritan"):
        for a, b in itertools.combinations(DEFAULT_PALETTE, 2):
            delta = math.dist(lab(linear(a, vision)), lab(linear(b, vision)))
            assert delta >= 20, f"{a} and {b} look alike ({vision or 'normal'} vision): ΔE {delta:.1f}"


def test_every_colour_prints_as_a_different_grey_and_shows_on_white():
    greys = sorted(lab(linear(c))[0] for c in DEFAULT_PALETTE)
    steps = [b - a for a, b in zip(greys, greys[1:])]
    assert min(steps) >= 10, greys
    assert greys[-1] <= 85, "the lightest pen would vanish on white paper"


def test_about_eight_colours_black_first():
    assert 6 <= len(DEFAULT_PALETTE) <= 10 and DEFAULT_PALETTE[0] == "#000000"
