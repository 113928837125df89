"""MediaPipe Hands on one frame: the nearest hand as a small, plain observation.

Only the nearest hand counts: with a queue behind the customer, other hands appear in
the frame. MediaPipe returns up to ``max_hands`` hands; we keep the one whose palm looks
largest (closest to the camera). Coordinates are converted to *screen space* once here:
normalised 0..1 from the top-left, mirrored for a selfie camera when configured, so
everything downstream (cursor, swipes) is in the customer's frame of reference.
"""

from __future__ import annotations

from dataclasses import dataclass

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
    fingers = [dist(WRIST, tip) > 1.15 * dist(WRIST, pip) for pip, tip in _FINGERS]
    thumb = dist(PINKY_MCP, THUMB_TIP) > 1.1 * dist(PINKY_MCP, THUMB_IP)
    points = raw.copy()
    if mirror:
        points[:, 0] = 1.0 - points[:, 0]
    points = np.clip(points, 0.0, 1.0)
    return HandObservation(points=points, size=palm_px / width, score=float(score),
                           extended=(thumb, *fingers))


class HandTracker:
    """MediaPipe Hands in video mode; :meth:`process` takes BGR frames from OpenCV.

    Not thread-safe: one tracker per worker. Close it (or use ``with``) to free the graph.
    """

    def __init__(self, mirror: bool = True, model_complexity: int = 0, max_hands: int = 2,
                 min_detection_confidence: float = 0.5, min_tracking_confidence: float = 0.5,
                 static_images: bool = False) -> None:
        import cv2  # here, not at the top: the kiosk process imports this module too

        hands = load_hands()  # TrackerUnavailable with a reason if it cannot
        self._cv2 = cv2
        self.mirror = mirror
        self._hands = hands.Hands(static_image_mode=static_images, max_num_hands=max_hands,
                                  model_complexity=model_complexity,
                                  min_detection_confidence=min_detection_confidence,
                                  min_tracking_confidence=min_tracking_confidence)
        self.last_hands: list[HandObservation] = []

    def process(self, frame_bgr: np.ndarray) -> HandObservation | None:
        """The nearest hand in ``frame_bgr`` (H x W x 3 uint8), or None."""
        if frame_bgr is None or frame_bgr.ndim != 3 or frame_bgr.shape[2] != 3:
            raise ValueError("a frame must be an H x W x 3 BGR image")
        height, width = frame_bgr.shape[:2]
        rgb = self._cv2.cvtColor(frame_bgr, self._cv2.COLOR_BGR2RGB)
        rgb.flags.writeable = False  # lets MediaPipe use the buffer without a copy
        result = self._hands.process(rgb)
        found: list[HandObservation] = []
        if result.multi_hand_landmarks:
            scores = [h.classification[0].score for h in (result.multi_handedness or [])]
            for i, hand in enumerate(result.multi_hand_landmarks):
                pts = np.array([(lm.x, lm.y) for lm in hand.landmark], dtype=np.float64)
                score = scores[i] if i < len(scores) else 1.0
                if not np.all(np.isfinite(pts)):
                    continue
                found.append(observe(pts, width, height, self.mirror, score))
        found.sort(key=lambda h: h.size, reverse=True)
        self.last_hands = found
        return found[0] if found else None

    def close(self) -> None:
        if self._hands is not None:
            self._hands.close()
            self._hands = None

    def __enter__(self) -> HandTracker:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

