"""The One Euro filter (Casiez, Roussel, Vogel, CHI 2012): a steady yet responsive cursor.

A fingertip seen by a camera jitters by a few pixels every frame. A plain low-pass filter
that hides the jitter makes fast moves lag. The One Euro filter adapts its cut-off to the
speed: heavily smoothed when the hand rests (no jitter on the button the customer aims
at), lightly when it moves (no lag when they move to another one).
"""

from __future__ import annotations

import math


def _alpha(cutoff_hz: float, dt: float) -> float:
    tau = 1.0 / (2 * math.pi * cutoff_hz)
    return 1.0 / (1.0 + tau / dt)


class OneEuroFilter:
    """Filters one scalar signal sampled at irregular times (seconds)."""

    def __init__(self, min_cutoff: float = 1.0, beta: float = 0.0, d_cutoff: float = 1.0) -> None:
        self.min_cutoff, self.beta, self.d_cutoff = min_cutoff, beta, d_cutoff
        self.reset()

    def reset(self) -> None:
        self._x: float | None = None
        self._dx = 0.0
        self._t = 0.0

    def __call__(self, x: float, t: float) -> float:
        if self._x is None:
            self._x, self._t = x, t
            return x
        dt = t - self._t
        if dt <= 0:  # same or out-of-order timestamp: keep the last estimate
            return self._x
        dx = (x - self._x) / dt
        self._dx += _alpha(self.d_cutoff, dt) * (dx - self._dx)
        cutoff = self.min_cutoff + self.beta * abs(self._dx)
        self._x += _alpha(cutoff, dt) * (x - self._x)
        self._t = t
        return self._x


class OneEuroFilter2D:
    """A cursor: one filter per axis."""

    def __init__(self, min_cutoff: float = 1.0, beta: float = 0.0) -> None:
        self.x = OneEuroFilter(min_cutoff, beta)
        self.y = OneEuroFilter(min_cutoff, beta)

    def reset(self) -> None:
        self.x.reset()
        self.y.reset()

    def __call__(self, x: float, y: float, t: float) -> tuple[float, float]:
        return self.x(x, t), self.y(y, t)
