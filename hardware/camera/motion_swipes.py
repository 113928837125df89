"""Motion-only swipes: the fallback when the camera works but MediaPipe does not.

No hand model here, only OpenCV frame differencing: the centre of what moves in the
picture, followed over time, gives NEXT / PREVIOUS when it sweeps sideways. It cannot
point, hold, push or ask for help, and anything that moves (a sleeve, a passer-by)
counts, which is why the status string says "motion-only swipes".
"""

from __future__ import annotations

import collections

import numpy as np
from untact.accessibility.intents import Intent, Kind, simple

_SIZE = (160, 120)  # small frames: differencing needs no detail and must be cheap


class MotionSwipes:
    def __init__(self, mirror: bool = True, swipe_distance: float = 0.3,
                 window_s: float = 0.6, cooldown_s: float = 1.0,
                 min_motion: float = 0.01, source: str = "camera-motion") -> None:
        self.mirror, self.swipe_distance = mirror, swipe_distance
        self.window_s, self.cooldown_s, self.min_motion = window_s, cooldown_s, min_motion
        self.source = source
        self._prev: np.ndarray | None = None
        self._track: collections.deque[tuple[float, float]] = collections.deque()
        self._cooldown_until = float("-inf")

    def feed(self, frame_bgr: np.ndarray, t: float) -> list[Intent]:
        import cv2

        gray = cv2.cvtColor(cv2.resize(frame_bgr, _SIZE, interpolation=cv2.INTER_AREA),
                            cv2.COLOR_BGR2GRAY)
        gray = cv2.GaussianBlur(gray, (5, 5), 0)
        prev, self._prev = self._prev, gray
        if prev is None:
            return []
        moving = cv2.absdiff(gray, prev) > 25
        share = float(moving.mean())
        while self._track and self._track[0][0] < t - self.window_s:
            self._track.popleft()
        if share < self.min_motion:
            self._track.clear()
            return []
        xs = np.nonzero(moving)[1]
        x = float(xs.mean()) / _SIZE[0]
        if self.mirror:
            x = 1.0 - x
        self._track.append((t, x))
        if t < self._cooldown_until:
            return []
        dx = x - self._track[0][1]
        if abs(dx) >= self.swipe_distance:
            self._track.clear()
            self._cooldown_until = t + self.cooldown_s
            return [simple(Kind.NEXT if dx > 0 else Kind.PREVIOUS, source=self.source)]
        return []
