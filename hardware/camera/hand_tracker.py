"""MediaPipe Hands on one frame: the nearest hand as a small, plain observation.

Only the nearest hand counts: with a queue behind the customer, other hands appear in
the frame. Looking for two hands on every frame (``max_num_hands=2``) finds the nearest
but makes MediaPipe run its palm detector on *every* frame while only one hand is in
view (it keeps searching for the second), which more than halves the frame rate. So:

- MediaPipe follows **one** hand (``max_num_hands=1``): once it has a hand it tracks it
  from the previous frame's landmarks and skips palm detection;
- a :class:`PalmScout` (MediaPipe's own palm detector, alone) looks at the whole frame
  when a hand is first found and then every ``nearer_hand_check_s`` seconds; if it sees a
  palm clearly larger (nearer) than the one being followed, the tracker re-acquires:
  the graph is reset and given this frame with every other hand masked out, so the
  palm detector can only find the nearer hand, which is then followed from the next frame.

``max_hands`` above 1 keeps the older mode (MediaPipe looks for that many hands on every
frame; the largest counts), for comparison in ``make bench``.

Coordinates are converted to *screen space* once here: normalised 0..1 from the
top-left, mirrored for a selfie camera when configured, so everything downstream
(cursor, swipes) is in the customer's frame of reference.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from .mediapipe_loader import load_hands

# MediaPipe hand landmark indices.
WRIST = 0
THUMB_IP, THUMB_TIP = 3, 4
INDEX_MCP, INDEX_PIP, INDEX_TIP = 5, 6, 8
MIDDLE_MCP, MIDDLE_PIP, MIDDLE_TIP = 9, 10, 12
RING_MCP, RING_PIP, RING_TIP = 13, 14, 16
PINKY_MCP, PINKY_PIP, PINKY_TIP = 17, 18, 20
_PALM = [WRIST, INDEX_MCP, MIDDLE_MCP, RING_MCP, PINKY_MCP]
_FINGERS = [(INDEX_PIP, INDEX_TIP), (MIDDLE_PIP, MIDDLE_TIP), (RING_PIP, RING_TIP),
            (PINKY_PIP, PINKY_TIP)]


@dataclass(frozen=True)
class HandObservation:
    """One hand in one frame, in screen space (x to the customer's right when mirrored).

    ``size`` is the palm's apparent size as a fraction of the frame width: it grows as
    the hand comes toward the camera (the air push reads it).
    """

    points: np.ndarray  # (21, 2) float, normalised x, y in screen space
    size: float
    score: float
    extended: tuple[bool, bool, bool, bool, bool]  # thumb, index, middle, ring, pinky

    @property
    def tip(self) -> tuple[float, float]:
        x, y = self.points[INDEX_TIP]
        return float(x), float(y)

    @property
    def palm(self) -> tuple[float, float]:
        x, y = self.points[_PALM].mean(axis=0)
        return float(x), float(y)

    @property
    def open_palm(self) -> bool:
        return all(self.extended)

    @property
    def bbox(self) -> tuple[float, float, float, float]:
        lo, hi = self.points.min(axis=0), self.points.max(axis=0)
        return float(lo[0]), float(lo[1]), float(hi[0]), float(hi[1])


def observe(landmarks: np.ndarray, width: int, height: int, mirror: bool,
            score: float = 1.0) -> HandObservation:
    """Build an observation from 21 raw (x, y) MediaPipe landmarks of one hand."""
    raw = np.asarray(landmarks, dtype=np.float64)[:, :2]
    px = raw * (width, height)  # pixels: distances must not be squashed by the aspect ratio

    def dist(a: int, b: int) -> float:
        return float(np.hypot(*(px[a] - px[b])))

    palm_px = (dist(WRIST, MIDDLE_MCP) + dist(INDEX_MCP, PINKY_MCP)) / 2
    # A finger is extended when its tip is clearly farther from the wrist than its middle
    # joint; the thumb when its tip is farther from the pinky's base than its last joint.
    index, middle, ring, pinky = (dist(WRIST, tip) > 1.15 * dist(WRIST, pip) for pip, tip in _FINGERS)
    thumb = dist(PINKY_MCP, THUMB_TIP) > 1.1 * dist(PINKY_MCP, THUMB_IP)
    points = raw.copy()
    if mirror:
        points[:, 0] = 1.0 - points[:, 0]
    points = np.clip(points, 0.0, 1.0)
    return HandObservation(points=points, size=palm_px / width, score=float(score),
                           extended=(thumb, index, middle, ring, pinky))


NEARER_RATIO = 1.2  # a hand this much larger than the followed one is nearer
_MASK_GREY = 114


class HandTracker:
    """MediaPipe Hands in video mode; :meth:`process` takes BGR frames from OpenCV.

    Follows the nearest hand (see the module docstring). ``nearer_hand_check_s = 0``
    never looks for a nearer hand (fastest: keeps the first hand found).
    Not thread-safe: one tracker per worker. Close it (or use ``with``) to free the graph.
    """

    def __init__(self, mirror: bool = True, model_complexity: int = 0, max_hands: int = 1,
                 min_detection_confidence: float = 0.5, min_tracking_confidence: float = 0.5,
                 static_images: bool = False, nearer_hand_check_s: float = 0.5) -> None:
        import cv2  # here, not at the top: the kiosk process imports this module too

        hands = load_hands()  # TrackerUnavailable with a reason if it cannot
        self._cv2 = cv2
        self.mirror = mirror
        self._hands = hands.Hands(static_image_mode=static_images, max_num_hands=max_hands,
                                  model_complexity=model_complexity,
                                  min_detection_confidence=min_detection_confidence,
                                  min_tracking_confidence=min_tracking_confidence)
        self.nearer_hand_check_s = nearer_hand_check_s
        # The look around: the same models on single pictures, up to two other hands.
        self._scout: Any = None
        if max_hands == 1 and not static_images and nearer_hand_check_s > 0:
            self._scout = hands.Hands(static_image_mode=True, max_num_hands=2,
                                      model_complexity=model_complexity,
                                      min_detection_confidence=min_detection_confidence,
                                      min_tracking_confidence=min_tracking_confidence)
        self._frames = 0
        self._next_check: float | None = None  # None: look around as soon as a hand is found
        self.last_hands: list[HandObservation] = []
        self.checks = 0  # looks for a nearer hand so far
        self.reacquired = 0  # times a nearer hand took over

    def process(self, frame_bgr: np.ndarray, t: float | None = None) -> HandObservation | None:
        """The nearest hand in ``frame_bgr`` (H x W x 3 uint8), or None. ``t``: the frame's
        time in seconds (camera or clip time), for the nearer-hand schedule."""
        if frame_bgr is None or frame_bgr.ndim != 3 or frame_bgr.shape[2] != 3:
            raise ValueError("a frame must be an H x W x 3 BGR image")
        self._frames += 1
        t = self._frames / 30.0 if t is None else t
        height, width = frame_bgr.shape[:2]
        rgb = self._cv2.cvtColor(frame_bgr, self._cv2.COLOR_BGR2RGB)
        rgb.flags.writeable = False  # lets MediaPipe use the buffer without a copy
        raw = _hands_of(self._hands.process(rgb))
        if self._scout is not None:
            if not raw:
                self._next_check = None
            elif self._next_check is None or t >= self._next_check:
                self._next_check = t + self.nearer_hand_check_s
                raw = self._nearer(rgb, raw[0], width, height) or raw
        found = [observe(pts, width, height, self.mirror, score) for pts, score in raw]
        found.sort(key=lambda h: h.size, reverse=True)
        self.last_hands = found
        return found[0] if found else None

    def _nearer(self, rgb: np.ndarray, followed: tuple[np.ndarray, float], width: int,
                height: int) -> list[tuple[np.ndarray, float]] | None:
        """Look for another, nearer hand (the followed one greyed out); if there is one,
        follow it from now on and return it (else None: carry on with the followed hand)."""
        self.checks += 1
        masked = rgb.copy()
        _grey_out(masked, followed[0])
        others = _hands_of(self._scout.process(masked))
        if not others:
            return None

        def size(hand: tuple[np.ndarray, float]) -> float:
            return observe(hand[0], width, height, False).size

        target = max(others, key=size)
        if size(target) < size(followed) * NEARER_RATIO:
            return None
        for other in others:
            if other is not target:
                _grey_out(masked, other[0])
        # Re-acquire: a fresh graph sees only the nearer hand, then follows it.
        self._hands.reset()
        raw = _hands_of(self._hands.process(masked))
        x0, y0 = target[0].min(axis=0)
        x1, y1 = target[0].max(axis=0)
        if raw:
            cx, cy = raw[0][0][_PALM].mean(axis=0)
            if x0 <= cx <= x1 and y0 <= cy <= y1:
                self.reacquired += 1
                return raw[:1]
        self._next_check = None  # not caught this time: look again on the next frame
        return [target]

    def close(self) -> None:
        if self._hands is not None:
            self._hands.close()
            self._hands = None
        if self._scout is not None:
            self._scout.close()
            self._scout = None

    def __enter__(self) -> HandTracker:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _hands_of(result) -> list[tuple[np.ndarray, float]]:
    """Raw (camera-space) landmarks and score of each hand in a MediaPipe result."""
    out = []
    if result.multi_hand_landmarks:
        scores = [h.classification[0].score for h in (result.multi_handedness or [])]
        for i, hand in enumerate(result.multi_hand_landmarks):
            pts = np.array([(lm.x, lm.y) for lm in hand.landmark], dtype=np.float64)
            if np.all(np.isfinite(pts)):
                out.append((pts, scores[i] if i < len(scores) else 1.0))
    return out


def _grey_out(img: np.ndarray, points: np.ndarray, grow: float = 1.3) -> None:
    """Grey out a hand (its landmarks' box, grown) in an RGB picture, in place."""
    h, w = img.shape[:2]
    (x0, y0), (x1, y1) = points.min(axis=0), points.max(axis=0)
    cx, cy, hw, hh = (x0 + x1) / 2, (y0 + y1) / 2, (x1 - x0) / 2 * grow, (y1 - y0) / 2 * grow
    c0, c1 = int(max(0, (cx - hw) * w)), int(min(w, (cx + hw) * w + 1))
    r0, r1 = int(max(0, (cy - hh) * h)), int(min(h, (cy + hh) * h + 1))
    if c1 > c0 and r1 > r0:
        img[r0:r1, c0:c1] = _MASK_GREY
