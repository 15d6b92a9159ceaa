"""Light smoothing of finger and mouse input: a 1-euro filter (Casiez, Roussel, Vogel, CHI 2012).

Why this filter: a fixed moving average either leaves jitter (short window) or lags behind the
finger (long window). The 1-euro filter adapts its cut-off to the speed: slow, careful lines lose
their jitter, fast strokes follow the finger with almost no lag. No pygame here.
"""

from __future__ import annotations

import math

# Touchscreens deliver at most a few hundred events a second. Events drained in one frame can carry
# the same clock reading; treating them as this far apart keeps the filter moving instead of freezing.
MIN_DT_S = 1 / 240


def _alpha(cutoff_hz: float, dt_s: float) -> float:
    tau = 1.0 / (2 * math.pi * cutoff_hz)
    return 1.0 / (1.0 + tau / dt_s)


class OneEuroFilter:
    """Smooths a 2-D position. Units: positions in canvas units, times in seconds.

    min_cutoff (Hz): smoothing at rest (lower = smoother, more lag when slow).
    beta: how fast the cut-off rises with speed (higher = less lag when fast).
    d_cutoff (Hz): smoothing of the speed estimate (higher = reacts sooner at a stroke's start).
    Defaults tuned on a 1200x900 canvas at 120 events/s: jitter at rest divided by three, a fast
    circle (r=300, 0.3 s) stays within 0.4 units of its path and 4 units behind the finger.
    """

    def __init__(self, x: float, y: float, t_s: float, *, min_cutoff: float = 1.0, beta: float = 0.05,
                 d_cutoff: float = 4.0) -> None:
        self.min_cutoff = min_cutoff
        self.beta = beta
        self.d_cutoff = d_cutoff
        self.x, self.y = x, y
        self.dx = self.dy = 0.0
        self.t_s = t_s

    def __call__(self, x: float, y: float, t_s: float) -> tuple[float, float]:
        dt = max(t_s - self.t_s, MIN_DT_S)
        self.t_s = max(t_s, self.t_s)
        # Speed, itself smoothed, sets the cut-off: fast = follow closely, slow = smooth hard.
        a_d = _alpha(self.d_cutoff, dt)
        self.dx += a_d * ((x - self.x) / dt - self.dx)
        self.dy += a_d * ((y - self.y) / dt - self.dy)
        speed = math.hypot(self.dx, self.dy)
        a = _alpha(self.min_cutoff + self.beta * speed, dt)
        self.x += a * (x - self.x)
        self.y += a * (y - self.y)
        return self.x, self.y
