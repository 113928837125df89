"""Synthetic camera: clips made from real hand photos, and the simulator's camera.

A :class:`HandClip` pastes a real photograph of a hand over a background picture and
moves and scales it along keyframes, frame by frame, in memory. Driven through the real
MediaPipe tracker, it gives swipes, pushes and holds with known ground truth, without a
camera and without video files. Keyframes are in *screen space* (what the customer sees
on a mirrored display): ``x`` grows to the customer's right; with ``mirror=True`` the
picture is rendered as a selfie camera would see it.

:class:`SimulatedCamera` is what the simulator plugs in as the kiosk camera: a clip, a
webcam index or a video file, behind the same frame-source interface as the real one.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from untact.hardware.camera.frame_sources import OpenCVSource, SourceUnavailable


@dataclass(frozen=True)
class Key:
    """The hand at time ``t``: centre (x, y) in 0..1 screen space, ``scale`` = the photo's
    width as a fraction of the frame width; ``visible=False`` hides it until the next key."""

    t: float
    x: float = 0.5
    y: float = 0.5
    scale: float = 0.35
    visible: bool = True


class HandClip:
    """A frame source rendering a hand photo along keyframes (picklable until opened)."""

    def __init__(self, hand_photo: Path | str | None, keys: list[Key],
                 background: Path | str | None = None, fps: float = 30.0,
                 size: tuple[int, int] = (640, 480), mirror: bool = True,
                 noise: float = 2.0, seed: int = 0, pace: bool = False,
                 loop: bool = False,
                 more_hands: tuple[tuple[Path | str, list[Key]], ...] = (),
                 upside_down: bool = False) -> None:
        """``more_hands``: other hands in the scene, ``(photo, keys)`` each (drawn under the
        main hand), e.g. a bystander's, or a customer stepping in front of one.
        ``upside_down``: the main photo turned half a turn (a hand pointing down)."""
        if not keys or any(not k for _, k in more_hands):
            raise ValueError("a clip needs at least one key per hand")
        self.hand_photo = None if hand_photo is None else Path(hand_photo)
        self.keys = sorted(keys, key=lambda k: k.t)
        self.background = None if background is None else Path(background)
        self.fps, self.size, self.mirror = fps, size, mirror
        self.noise, self.seed, self.pace, self.loop = noise, seed, pace, loop
        self.upside_down = upside_down
        self.more_hands = [(Path(p), sorted(k, key=lambda key: key.t)) for p, k in more_hands]
        self._hand: np.ndarray | None = None
        self._more: list[np.ndarray] = []
        self._bg: np.ndarray | None = None
        self._grain: list[tuple[np.ndarray, np.ndarray]] = []
        self._i = 0
        self._t0 = 0.0

    @property
    def duration(self) -> float:
        return self.keys[-1].t

    @property
    def frame_count(self) -> int:
        return int(round(self.duration * self.fps)) + 1

    def describe(self) -> str:
        name = self.hand_photo.name if self.hand_photo else "no hand"
        return f"clip of {name}"

    def open(self) -> None:
        import cv2

        w, h = self.size
        if self.background is not None:
            bg = cv2.imread(str(self.background))
            if bg is None:
                raise SourceUnavailable(f"camera is off: cannot read {self.background}")
            self._bg = cv2.resize(bg, (w, h), interpolation=cv2.INTER_AREA)
        else:
            self._bg = np.full((h, w, 3), 90, np.uint8)
        if self.hand_photo is not None:
            hand = cv2.imread(str(self.hand_photo))
            if hand is None:
                raise SourceUnavailable(f"camera is off: cannot read {self.hand_photo}")
            if self.upside_down:
                hand = cv2.rotate(hand, cv2.ROTATE_180)
            self._hand = cv2.flip(hand, 1) if self.mirror else hand
        self._more = []
        for photo, _keys in self.more_hands:
            img = cv2.imread(str(photo))
            if img is None:
                raise SourceUnavailable(f"camera is off: cannot read {photo}")
            self._more.append(cv2.flip(img, 1) if self.mirror else img)
        # Sensor grain: a few fields drawn once and cycled (drawing per frame costs more
        # than the tracker), split in a brightening and a darkening part so that OpenCV's
        # saturating add and subtract apply it without wrapping around.
        rng = np.random.default_rng(self.seed)
        self._grain = []
        for _ in range(7 if self.noise > 0 else 0):
            n = np.repeat(np.rint(rng.normal(0.0, self.noise, (h, w, 1))), 3, axis=2)
            self._grain.append((np.clip(n, 0, 255).astype(np.uint8),
                                np.clip(-n, 0, 255).astype(np.uint8)))
        self._i, self._t0 = 0, time.monotonic()

    def pose_at(self, t: float, keys: list[Key] | None = None) -> Key:
        keys = self.keys if keys is None else keys
        if t <= keys[0].t:
            return keys[0]
        for a, b in zip(keys, keys[1:], strict=False):
            if a.t <= t <= b.t:
                if not a.visible or b.t == a.t:
                    return Key(t, a.x, a.y, a.scale, a.visible)
                f = (t - a.t) / (b.t - a.t)
                return Key(t, a.x + f * (b.x - a.x), a.y + f * (b.y - a.y),
                           a.scale + f * (b.scale - a.scale), True)
        return keys[-1]

    def render(self, t: float) -> np.ndarray:
        """The frame at clip time ``t`` (after :meth:`open`)."""
        import cv2

        if self._bg is None:
            raise RuntimeError("render() before open()")
        frame = self._bg.copy()
        for img, (_photo, keys) in zip(self._more, self.more_hands, strict=True):
            self._paste(frame, img, self.pose_at(t, keys))
        self._paste(frame, self._hand, self.pose_at(t))
        if self._grain:
            lighter, darker = self._grain[int(round(t * self.fps)) % len(self._grain)]
            frame = cv2.subtract(cv2.add(frame, lighter), darker)
        return frame

    def _paste(self, frame: np.ndarray, photo: np.ndarray | None, key: Key) -> None:
        import cv2

        if not key.visible or photo is None or key.scale <= 0:
            return
        w, h = self.size
        hw = max(8, int(round(key.scale * w)))
        hh = max(8, int(round(hw * photo.shape[0] / photo.shape[1])))
        hand = cv2.resize(photo, (hw, hh), interpolation=cv2.INTER_AREA)
        cx = (1.0 - key.x if self.mirror else key.x) * w
        x0, y0 = int(round(cx - hw / 2)), int(round(key.y * h - hh / 2))
        fx0, fy0 = max(x0, 0), max(y0, 0)
        fx1, fy1 = min(x0 + hw, w), min(y0 + hh, h)
        if fx1 > fx0 and fy1 > fy0:
            frame[fy0:fy1, fx0:fx1] = hand[fy0 - y0:fy1 - y0, fx0 - x0:fx1 - x0]

    def read(self) -> tuple[np.ndarray, float] | None:
        if self._bg is None:
            return None
        if self._i >= self.frame_count:
            if not self.loop:
                return None
            self._i, self._t0 = 0, time.monotonic()
        t = self._i / self.fps
        self._i += 1
        frame = self.render(t)
        if self.pace:
            delay = self._t0 + t - time.monotonic()
            if delay > 0:
                time.sleep(delay)  # deliver at camera rate, like a real camera
            return frame, time.monotonic()
        return frame, t

    def frames(self) -> list[tuple[np.ndarray, float]]:
        """Every frame of the clip, for tests that step the pipeline themselves."""
        self.open()
        out = []
        while (got := self.read()) is not None:
            out.append(got)
        return out

    def close(self) -> None:
        self._hand = self._bg = None
        self._more, self._grain = [], []

    def __getstate__(self) -> dict:
        state = self.__dict__.copy()
        state.update(_hand=None, _bg=None, _grain=[], _more=[])
        return state


# -- ready-made gestures (screen space, so "right" is the customer's right) --------------

def hold(photo: Path, seconds: float, x: float = 0.5, y: float = 0.5, scale: float = 0.35,
         lead_in: float = 0.3, **kw) -> HandClip:
    """No hand, then the hand held still at (x, y) for ``seconds``."""
    return HandClip(photo, [Key(0.0, visible=False), Key(lead_in, x, y, scale),
                            Key(lead_in + seconds, x, y, scale)], **kw)


def swipe(photo: Path, direction: str, seconds: float = 0.35, distance: float = 0.5,
          y: float = 0.5, scale: float = 0.35, rest: float = 0.5, **kw) -> HandClip:
    """Hand rests, sweeps ``distance`` to the customer's right or left, rests, leaves."""
    sign = 1.0 if direction == "right" else -1.0
    x0 = 0.5 - sign * distance / 2
    x1 = x0 + sign * distance
    return HandClip(photo, [Key(0.0, visible=False), Key(0.3, x0, y, scale),
                            Key(0.3 + rest, x0, y, scale),
                            Key(0.3 + rest + seconds, x1, y, scale),
                            Key(0.3 + 2 * rest + seconds, x1, y, scale),
                            Key(0.3 + 2 * rest + seconds + 0.2, visible=False)], **kw)


def push(photo: Path, seconds: float = 0.3, ratio: float = 1.6, x: float = 0.5,
         y: float = 0.5, scale: float = 0.3, rest: float = 0.4, **kw) -> HandClip:
    """Hand rests, comes toward the camera (grows ``ratio`` times), rests, leaves."""
    return HandClip(photo, [Key(0.0, visible=False), Key(0.3, x, y, scale),
                            Key(0.3 + rest, x, y, scale),
                            Key(0.3 + rest + seconds, x, y, scale * ratio),
                            Key(0.3 + 2 * rest + seconds, x, y, scale * ratio),
                            Key(0.3 + 2 * rest + seconds + 0.2, visible=False)], **kw)


def empty(background: Path | None, seconds: float = 2.0, **kw) -> HandClip:
    """A scene with no hand at all."""
    return HandClip(None, [Key(0.0, visible=False), Key(seconds, visible=False)],
                    background=background, **kw)


class SimulatedCamera:
    """The simulator's camera: a :class:`HandClip`, a webcam index or a video file.

    ``SimulatedCamera(clip)``, ``SimulatedCamera(0)``, ``SimulatedCamera("demo.mp4")``;
    pass it as ``source=`` to :class:`untact.hardware.camera.input.CameraInput`. Clips and
    files are played at camera rate and loop, so the simulated kiosk always has a camera.
    """

    def __init__(self, feed: HandClip | int | str, width: int = 640, height: int = 480) -> None:
        self._inner: HandClip | OpenCVSource
        if isinstance(feed, HandClip):
            feed.pace, feed.loop = True, True
            self._inner = feed
        else:
            self._inner = OpenCVSource(feed, width, height, pace=True, loop=True)

    def describe(self) -> str:
        return f"simulated camera: {self._inner.describe()}"

    def open(self) -> None:
        self._inner.open()

    def read(self) -> tuple[np.ndarray, float] | None:
        return self._inner.read()

    def close(self) -> None:
        self._inner.close()
